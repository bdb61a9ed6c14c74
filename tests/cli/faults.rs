//! Faults, injected for real: QEMU and the monitor killed with SIGKILL in
//! the middle of an exec, the state directory's disk full, two vicport
//! processes racing on one domain. After each: a clear error, nothing
//! half-made that looks healthy, and the next command works.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};

use vicport::plumbing::image::fixtures;

use crate::support::{Env, run, run_all};

fn domain_dir(env: &Env, name: &str) -> PathBuf {
    let info = run(env.vicport(["-o", "json", "domain", "inspect", name])).json();
    PathBuf::from(info["platform_ref"]["path"].as_str().unwrap())
}

/// An exec that prints a line and then runs until it is cut off.
fn long_exec(env: &Env, domain: &str) -> Child {
    let mut child = env
        .vicport([
            "exec",
            domain,
            "--",
            "sh",
            "-c",
            "echo begun; busybox sleep 60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "begun\n");
    child
}

fn pid_in(path: PathBuf) -> i32 {
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .parse()
        .unwrap()
}

fn kill9(pid: i32) {
    // SAFETY: signalling a process this test's domain started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
}

#[test]
fn killing_the_monitor_then_qemu_in_the_middle_of_execs() {
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "f",
        "busybox",
        "--",
        "sh",
        "-c",
        "while true; do busybox sleep 1; done",
    ]))
    .code(0);

    // Two starts racing: both succeed, one monitor and one QEMU run it.
    for out in run_all((0..2).map(|_| env.booting(["domain", "start", "f"]))) {
        out.code(0);
    }
    let dir = domain_dir(&env, "f");
    let qemus = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|p| {
            std::fs::read_link(p.path().join("cwd")).is_ok_and(|cwd| cwd == dir)
                && std::fs::read_to_string(p.path().join("comm"))
                    .is_ok_and(|c| c.starts_with("qemu-system"))
        })
        .count();
    assert_eq!(qemus, 1, "one QEMU for the domain");

    // The monitor dies during an exec: the exec ends with vicport's own
    // failure code, the domain still runs, can be inspected and stopped.
    let exec = long_exec(&env, "f");
    let monitor: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("runtime.json")).unwrap()).unwrap();
    kill9(monitor["monitor_pid"].as_i64().unwrap() as i32);
    let out = exec.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(125),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));
    // The monitor's lock goes with the last of its files, which the kernel
    // may close a moment after the exec saw its socket end (once, under
    // the whole suite's load, the first look still found it held).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let info = loop {
        let info = run(env.vicport(["-o", "json", "domain", "inspect", "f"])).json();
        if info["state_reason"].is_string() || std::time::Instant::now() > deadline {
            break info;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(info["state"], "running");
    assert!(
        info["state_reason"]
            .as_str()
            .is_some_and(|r| r.contains("monitor is not running")),
        "{info}"
    );
    let out = run(env.vicport(["exec", "f", "--", "true"]));
    out.code(6);
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    run(env.vicport(["domain", "stop", "-t", "2", "f"])).code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "f"])).json();
    assert_eq!(info["state"], "stopped");
    assert!(
        info["state_reason"].as_str().unwrap().contains("monitor"),
        "{info}"
    );

    // QEMU dies during an exec: the exec fails, the domain reads stopped
    // with the reason, and it starts again.
    run(env.booting(["domain", "start", "f"])).code(0);
    let exec = long_exec(&env, "f");
    kill9(pid_in(dir.join("qemu.pid")));
    let out = exec.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(125),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(env.vicport(["domain", "wait", "--wait-timeout", "20s", "f"])).code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "f"])).json();
    assert_eq!(info["state"], "stopped");
    assert!(
        info["state_reason"].as_str().unwrap().contains("signal 9"),
        "{info}"
    );

    // Two removals racing: one removes, the other finds nothing.
    let mut codes: Vec<i32> = run_all((0..2).map(|_| env.vicport(["domain", "rm", "f"])))
        .iter()
        .map(|o| o.code)
        .collect();
    codes.sort();
    assert_eq!(codes, [0, 3]);
    assert!(!dir.exists());
    assert_eq!(run(env.vicport(["-q", "domain", "ls"])).stdout, "");
}

#[test]
fn two_creates_of_one_name_racing_make_one_domain() {
    let env = Env::new();
    env.import_busybox();
    for round in 0..5 {
        let name = format!("r{round}");
        let creates = (0..2)
            .map(|_| env.vicport(["domain", "create", "--name", &name, "busybox", "--", "true"]));
        let mut codes: Vec<i32> = run_all(creates).iter().map(|o| o.code).collect();
        codes.sort();
        assert_eq!(codes, [0, 4], "round {round}");
    }
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json().as_array().unwrap().len(), 5);
}

#[test]
fn a_change_racing_a_removal_is_applied_first_or_finds_nothing() {
    // rm renames the domain's directory away at any moment of a racing
    // commit (rename, label) or inspect: the loser must say "not found"
    // (3), never "broken" (6) or an I/O error (1), and nothing may come
    // back to life.
    let env = Env::new();
    env.import_busybox();
    for round in 0..15 {
        run(env.vicport(["domain", "create", "--name", "f", "busybox", "--", "true"])).code(0);
        let change: &[&str] = match round % 3 {
            0 => &["domain", "rename", "f", "g"],
            1 => &["domain", "label", "f", "a=b"],
            _ => &["domain", "inspect", "f"],
        };
        let outs = run_all([env.vicport(["domain", "rm", "f"]), env.vicport(change)]);
        let codes = (outs[0].code, outs[1].code);
        assert!(
            matches!(codes, (0, 0) | (0, 3) | (3, 0)),
            "round {round} {change:?}: {codes:?}\n{}\n{}",
            outs[0].stderr,
            outs[1].stderr
        );
        // A rename that won leaves "g" for rm to miss; remove it too.
        if codes.0 == 3 {
            run(env.vicport(["domain", "rm", "g"])).code(0);
        }
        assert_eq!(
            run(env.vicport(["-q", "domain", "ls"])).stdout,
            "",
            "round {round}"
        );
    }
}

#[test]
fn a_domain_never_lands_on_an_image_or_volume_removed_under_it() {
    // `image rm` and `volume rm` check that no domain uses what they remove;
    // a create racing them must either land first (and the removal is
    // refused, 4) or find it gone (3) -- never both succeed, leaving a
    // domain whose image or volume is no more.
    let env = Env::new();
    for round in 0..8 {
        env.import_busybox();
        run(env.vicport(["volume", "create", "v", "--size", "16MiB"])).code(0);
        let (removal, create): (&[&str], &[&str]) = if round % 2 == 0 {
            (
                &["image", "rm", "busybox"],
                &["domain", "create", "--name", "f", "busybox", "--", "true"],
            )
        } else {
            (
                &["volume", "rm", "v"],
                &[
                    "domain", "create", "--name", "f", "-v", "v:/data", "busybox", "--", "true",
                ],
            )
        };
        let outs = run_all([env.vicport(removal), env.vicport(create)]);
        let codes = (outs[0].code, outs[1].code);
        assert!(
            matches!(codes, (0, 3) | (4, 0)),
            "round {round} {removal:?}: {codes:?}\n{}\n{}",
            outs[0].stderr,
            outs[1].stderr
        );
        if codes.1 == 0 {
            // The domain landed; what it uses is still there.
            let info = run(env.vicport(["-o", "json", "domain", "inspect", "f"])).json();
            run(env.vicport(["image", "inspect", info["image"].as_str().unwrap()])).code(0);
            run(env.vicport(["volume", "inspect", "v"])).code(0);
            run(env.vicport(["domain", "rm", "f"])).code(0);
        }
        assert_eq!(run(env.vicport(["-q", "domain", "ls"])).stdout, "");
        run(env.vicport(["-y", "image", "rm", "--force", "busybox"]));
        run(env.vicport(["-y", "volume", "rm", "--force", "v"]));
    }
}

/// A tmpfs of `size` mounted at `dir` for the test's life.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: PathBuf, size: &str) -> Tmpfs {
        std::fs::create_dir_all(&dir).unwrap();
        let ok = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(&dir)
            .status()
            .unwrap()
            .success();
        assert!(
            ok,
            "mounting a tmpfs (the fault tests run as root, like CI)"
        );
        Tmpfs(dir)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_state_disk_is_a_clear_error_and_leaves_nothing() {
    assert!(
        vicport::plumbing::paths::is_root(),
        "this test mounts a small tmpfs as the state directory and needs root (CI runs as root)"
    );
    let env = Env::new();
    let _full = Tmpfs::mount(env.state_dir(), "1M");
    let dir = env.root().join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let tar = fixtures::rootfs_tar(&dir, false).unwrap();
    let out = run(env
        .vicport(["image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"]));
    // A full disk is an I/O failure, exit 1.
    out.code(1);
    assert!(out.stderr.contains("error:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("No space left") || out.stderr.contains("space"),
        "the error names the cause: {}",
        out.stderr
    );
    // Nothing half-imported, and the next commands work.
    let out = run(env.vicport(["-o", "json", "image", "ls"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));
    let staging = env.state_dir().join("image-store/tmp");
    assert_eq!(
        std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0),
        0
    );
    run(env.vicport(["domain", "ls"])).code(0);
}

#[test]
fn interrupted_volume_creates_leave_only_complete_volumes() {
    let env = Env::new();
    // Interrupt creates at spread-out moments; whatever survives must be a
    // whole volume, and the next command must work.
    for attempt in 0..12u64 {
        let name = format!("v{attempt}");
        let mut child = env
            .vicport(["volume", "create", &name, "--size", "2GiB"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(attempt * 4));
        // SAFETY: signalling the child this test started.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let _ = child.wait();
        let listed = run(env.vicport(["-o", "json", "volume", "ls"]));
        listed.code(0);
        for v in listed.json().as_array().unwrap() {
            let name = v["name"].as_str().unwrap();
            let info = run(env.vicport(["-o", "json", "volume", "inspect", name]));
            info.code(0);
            assert_eq!(info.json()["backing"], "ext4-image", "{name}");
        }
    }
    // The next create of every name works (or finds the whole volume).
    for attempt in 0..12u64 {
        let name = format!("v{attempt}");
        let out = run(env.vicport(["volume", "create", &name, "--size", "32MiB"]));
        assert!(out.code == 0 || out.code == 4, "{name}: {}", out.stderr);
    }
    let volumes = env.state_dir().join("volumes");
    let leftovers: Vec<String> = std::fs::read_dir(&volumes)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".new-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn two_creates_of_one_volume_or_network_racing_make_one() {
    let env = Env::new();
    for round in 0..3 {
        let name = format!("vol{round}");
        let volumes = (0..2).map(|_| env.vicport(["volume", "create", &name, "--size", "32MiB"]));
        let mut codes: Vec<i32> = run_all(volumes).iter().map(|o| o.code).collect();
        codes.sort();
        assert_eq!(codes, [0, 4], "volume round {round}");

        let name = format!("net{round}");
        let subnet = format!("10.{}.0.0/24", 90 + round);
        let networks =
            (0..2).map(|_| env.vicport(["network", "create", &name, "--subnet", &subnet]));
        let mut codes: Vec<i32> = run_all(networks).iter().map(|o| o.code).collect();
        codes.sort();
        assert_eq!(codes, [0, 4], "network round {round}");
    }
    assert_eq!(
        run(env.vicport(["-o", "json", "volume", "ls"]))
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        run(env.vicport(["-o", "json", "network", "ls"]))
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    for round in 0..3 {
        run(env.vicport(["network", "rm", &format!("net{round}")])).code(0);
    }
}

#[test]
fn a_helper_binary_that_is_not_there_is_a_clear_error_and_starts_nothing() {
    let env = Env::new();
    env.import_busybox();
    env.ensure_boot_image();
    run(env.vicport(["domain", "create", "--name", "h1", "busybox", "--", "true"])).code(0);
    let missing = env.root().join("no-such-vicport");
    let out = run(env
        .booting(["-o", "json", "domain", "start", "h1"])
        .env("VICPORT_BINARY", &missing));
    out.code(2);
    let err = &out.json_error()["error"];
    assert_eq!(err["kind"], "invalid_argument", "{}", out.stderr);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains(&*missing.to_string_lossy()),
        "{}",
        out.stderr
    );
    let ls = run(env.vicport(["-o", "json", "domain", "inspect", "h1"]));
    ls.code(0);
    assert_eq!(ls.json()["state"], "created", "{}", ls.stdout);
}
