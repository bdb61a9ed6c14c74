//! A container's process killed by the guest kernel's out-of-memory killer
//! is reported as OOM-killed, not only as a KILL (137): by podman
//! (`.State.OOMKilled`, from the `oom` file the shim leaves in the bundle),
//! and by vicport itself (`run` says so; `domain inspect` and `wait`
//! show `oom_killed` and the reason, its die event `oom_killed`). A KILL
//! from elsewhere is not.

use crate::podman::Podman;
use crate::support::{Env, run};

/// A process that needs more memory than a 128 MiB containerVM has free:
/// busybox dd's buffer is its block size, filled by reading (80 MiB: less
/// than the guest's total, which an allocation may not exceed, more than
/// it has free besides its kernel and tether).
const HOG: [&str; 5] = ["busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=80M"];

#[test]
fn the_guests_oom_kill_is_reported_by_podman_and_by_vicport() {
    let env = Env::new();
    let p = Podman::new(&env);
    // The bundle's memory limit sizes the VM (128 MiB).
    let mut args = vec!["run", "--name", "hog", "--network=none", "--memory", "128m"];
    args.push("localhost/bb");
    args.extend(HOG);
    args.push("count=1");
    p.run(&args).code(137);
    let out = p.run([
        "inspect",
        "--format",
        "{{.State.OOMKilled}} {{.State.ExitCode}}",
        "hog",
    ]);
    out.code(0);
    assert_eq!(out.stdout.trim(), "true 137");
    p.run(["rm", "hog"]).code(0);

    // vicport's own run and inspect.
    env.import_busybox();
    let mut args = vec![
        "run", "--name", "hog", "--memory", "128MiB", "busybox", "--",
    ];
    args.extend(HOG);
    args.push("count=1");
    let out = run(env.booting(&args));
    out.code(137);
    assert!(
        out.stderr
            .contains("out-of-memory killer killed the process (exit 137)"),
        "{}",
        out.stderr
    );
    // `run` returns once the domain is down, not while it powers off.
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "hog"])).json();
    assert_eq!(info["state"], "stopped", "{info:#}");
    let waited = run(env.vicport(["-o", "json", "domain", "wait", "hog"])).json();
    assert_eq!(waited[0]["oom_killed"], true, "{waited:#}");
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "hog"])).json();
    assert_eq!(info["exit_code"], 137, "{info:#}");
    assert_eq!(info["oom_killed"], true, "{info:#}");
    let reason = info["state_reason"].as_str().unwrap_or_default();
    assert!(reason.contains("out-of-memory killer"), "{info:#}");
    // Its die event says so too.
    let events = run(env.vicport(["-o", "json", "events"])).stdout;
    let die = events
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["action"] == "die" && e["name"] == "hog")
        .unwrap_or_else(|| panic!("no die event: {events}"));
    assert_eq!(die["attributes"]["oom_killed"], "true", "{die:#}");
    assert_eq!(die["attributes"]["exit_code"], "137", "{die:#}");

    // A KILL that is not the OOM killer's.
    let out = run(env.booting([
        "run",
        "--name",
        "killed",
        "--memory",
        "128MiB",
        "busybox",
        "--",
        "sh",
        "-c",
        "kill -9 $$",
    ]));
    out.code(137);
    assert!(!out.stderr.contains("out-of-memory"), "{}", out.stderr);
    run(env.vicport(["domain", "wait", "killed"])).code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "killed"])).json();
    assert_eq!(info["exit_code"], 137, "{info:#}");
    assert_eq!(info["oom_killed"], false, "{info:#}");
}
