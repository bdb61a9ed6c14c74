//! The primary's limits in serve mode (`--config`), as a real process
//! sees them in /proc: supplementary groups, resource limits, capability
//! sets, no_new_privs and the OOM score adjustment; and that a limit the
//! kernel refuses or does not know fails the start with 126, naming it;
//! and the user namespace of a config with uid/gid maps.
//! These need root (setgroups, capabilities), as the tether has in a VM.

mod common;

use common::*;
use tether_protocol::client::ClientError;
use tether_protocol::config::{
    Capabilities, DomainConfig, IdMap, PortSpec, ProcessConfig, ProcessLimits, Rlimit,
};
use tether_protocol::message::AttachRequest;

fn run_primary(name: &str, limits: ProcessLimits, script: &str) -> (String, i32) {
    run_in(name, limits, script, |_| {})
}

/// As [`run_primary`], with the config changed by `more`.
fn run_in(
    name: &str,
    limits: ProcessLimits,
    script: &str,
    more: impl FnOnce(&mut DomainConfig),
) -> (String, i32) {
    let dir = std::env::temp_dir().join(format!("tether-limits-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut c = DomainConfig::new(TOKEN.to_vec(), PortSpec::File("/dev/null".into()));
    c.process = ProcessConfig {
        argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
        wait_for_attach: true,
        limits,
        ..Default::default()
    };
    more(&mut c);
    let cfg = dir.join("config");
    std::fs::write(&cfg, c.encode()).unwrap();
    let t = Tether::start(&["--config", cfg.to_str().unwrap()]);
    let client = t.client();
    let attached = client.attach(AttachRequest {
        window: tether_protocol::DEFAULT_WINDOW,
        ..Default::default()
    });
    let s = match attached {
        Ok(s) => s,
        Err(ClientError::ExecFailed { code, message }) => {
            let _ = std::fs::remove_dir_all(&dir);
            return (message, code);
        }
        Err(e) => panic!("attach: {e}"),
    };
    let out = s.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        out.status.code,
    )
}

#[allow(clippy::print_stderr)]
fn root() -> bool {
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("skipped: the primary's limits need root, as the tether has in a VM");
    }
    root
}

#[test]
fn the_primary_runs_with_its_groups_rlimits_capabilities_and_oom_score() {
    if !root() {
        return;
    }
    let limits = ProcessLimits {
        groups: vec![10, 20],
        rlimits: vec![Rlimit {
            name: "NOFILE".into(),
            soft: 64,
            hard: 128,
        }],
        capabilities: Some(Capabilities {
            bounding: vec!["CAP_CHOWN".into(), "CAP_KILL".into()],
            effective: vec!["CAP_KILL".into()],
            permitted: vec!["CAP_KILL".into()],
            inheritable: vec![],
            ambient: vec![],
        }),
        no_new_privileges: true,
        oom_score_adj: Some(123),
    };
    let (out, code) = run_primary(
        "all",
        limits,
        "ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj; \
         grep -E '^(Groups|CapEff|CapPrm|CapBnd|NoNewPrivs):' /proc/self/status",
    );
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    assert_eq!(lines[..3], ["64", "128", "123"], "{out}");
    for want in [
        "Groups:\t10 20",
        "CapPrm:\t0000000000000020",
        "CapEff:\t0000000000000020",
        "CapBnd:\t0000000000000021",
        "NoNewPrivs:\t1",
    ] {
        assert!(lines.contains(&want), "{want:?} in\n{out}");
    }
}

#[test]
fn a_limit_that_cannot_be_set_fails_the_start_with_126() {
    if !root() {
        return;
    }
    // A soft limit above the hard one cannot be written in the document;
    // one the kernel refuses is: NOFILE above fs.nr_open.
    let (out, code) = run_primary(
        "refused",
        ProcessLimits {
            rlimits: vec![Rlimit {
                name: "NOFILE".into(),
                soft: 1 << 40,
                hard: 1 << 40,
            }],
            ..Default::default()
        },
        "echo never",
    );
    assert_eq!(code, 126, "{out}");
    assert!(out.contains("cannot set a resource limit"), "{out}");
    let (out, code) = run_primary(
        "unknown",
        ProcessLimits {
            rlimits: vec![Rlimit {
                name: "FILES".into(),
                soft: 1,
                hard: 1,
            }],
            ..Default::default()
        },
        "echo never",
    );
    assert_eq!(code, 126, "{out}");
    assert!(out.contains("unknown resource limit FILES"), "{out}");
}

#[test]
fn the_primary_runs_in_a_user_namespace_with_the_configs_maps() {
    if !root() {
        return;
    }
    let map = |host, size| IdMap {
        container: 0,
        host,
        size,
    };
    let (out, code) = run_in(
        "userns",
        ProcessLimits::default(),
        "cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g",
        |c| {
            c.uid_map = vec![map(1000, 2000)];
            c.gid_map = vec![map(1000, 3000)];
        },
    );
    assert_eq!(code, 0, "{out}");
    let words: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(
        words,
        ["0", "1000", "2000", "0", "1000", "3000", "0", "0"],
        "{out}"
    );
    // A map the kernel refuses (two ranges that overlap) fails the
    // start with 126, naming it.
    let (out, code) = run_in("userns-bad", ProcessLimits::default(), "true", |c| {
        c.uid_map = vec![map(1000, 10), map(1005, 10)];
        c.gid_map = vec![map(1000, 10)];
    });
    assert_eq!(code, 126, "{out}");
    assert!(out.contains("uid_map"), "{out}");
}
