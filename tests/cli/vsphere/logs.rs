//! `logs` on vSphere: tail and follow a domain's output from the file its
//! serial port writes on the datastore.

use std::process::Stdio;
use std::time::Duration;

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run};

use super::{fake_boot_image, import_busybox, log_in, log_out, make_domains, walk};

#[test]
fn logs_tail_and_print_the_domains_output() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    make_domains(&env, &v, &["web"], false);
    // No guest runs on vcsim: write what the tether would write, CRI lines,
    // into the file the domain's serial port is backed by (its directory on
    // the simulator's datastore).
    let dir = walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.file_name() == Some("web".as_ref()))
        .expect("the VM's directory");
    let mut text = String::new();
    for i in 0..1000 {
        let stream = if i % 10 == 9 { "stderr" } else { "stdout" };
        text.push_str(&format!(
            "2026-11-28T10:00:00.{i:09}Z {stream} F line {i}\n"
        ));
    }
    std::fs::write(dir.join("output.log"), text).unwrap();

    let out = run(env.vicport(["logs", "--tail", "3", "web"]));
    out.code(0);
    assert_eq!(out.stdout, "line 997\nline 998\n");
    assert_eq!(out.stderr, "line 999\n");
    let out = run(env.vicport(["domain", "logs", "-n", "1", "--timestamps", "web"]));
    assert_eq!(out.stderr, "2026-11-28T10:00:00.000000999Z line 999\n");
    let out = run(env.vicport(["-o", "json", "logs", "--tail", "2", "web"]));
    out.code(0);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["stream"], "stderr");
    assert_eq!(lines[1]["text"], "line 999");
    assert_eq!(lines[1]["partial"], false);
    let out = run(env.vicport(["logs", "web"]));
    assert_eq!(out.stdout.lines().count(), 900);
    run(env.vicport(["logs", "nope"])).code(3);

    // --follow prints what is added until the domain powers off.
    make_domains(&env, &v, &["live"], true);
    let log = walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.file_name() == Some("live".as_ref()))
        .expect("the VM's directory")
        .join("output.log");
    std::fs::write(&log, "2026-11-28T10:00:00Z stdout F first\n").unwrap();
    let follower = env
        .vicport(["logs", "--follow", "live"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"2026-11-28T10:00:01Z stdout F second\n")
            .unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    // Through the binary, not the library: a kill goes through the
    // domain's relay, which the library starts as `<this process's binary>
    // system relay DIR`. In this process that is the test binary, which
    // then ran the tests named like "system" or "relay", and their
    // simulators outlived it when the relay was killed.
    run(env.vicport(["domain", "kill", "live"])).code(0);
    let out = follower.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "first\nsecond\n");
    log_out(&env);
}
