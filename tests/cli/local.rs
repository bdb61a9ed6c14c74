//! The local platform through the binary: real QEMU microVMs booting the
//! real boot image (Debian's cloud kernel, the static tether as /init),
//! images made from Debian's busybox-static. Boots are slow under TCG, so
//! the tests that boot are few and each checks a whole story.

use std::io::{Read, Write};
use std::path::Path;

use vicport::plumbing::image::fixtures::{self, DockerLayout};

use crate::support::{Env, on_a_terminal, run, run_all, run_with_stdin};

/// A fresh directory for fixtures under the test's root.
fn fixture_dir(env: &Env, name: &str) -> std::path::PathBuf {
    let dir = env.root().join("fixtures").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Import `path` as `name` and return the image id vicport reports.
fn import(env: &Env, path: &Path, name: &str) -> String {
    let out = run(env
        .vicport(["-o", "json", "image", "import"])
        .arg(path)
        .args(["--name", name]));
    out.code(0);
    out.json()["id"].as_str().unwrap().to_string()
}

/// The busybox image imported, and a detached domain from it (`run -d`
/// with `args` before the image) running `sh -c script`; its id.
fn detached(env: &Env, args: &[&str], script: &str) -> String {
    env.ensure_boot_image();
    let tar = fixtures::rootfs_tar(&fixture_dir(env, "rootfs"), true).unwrap();
    import(env, &tar.path, "busybox");
    let out = run(env
        .booting(["-q", "run", "-d"])
        .args(args)
        .args(["busybox", "--", "sh", "-c", script]));
    let id = out.code(0).stdout.trim().to_string();
    assert_eq!(id.len(), 64, "{}", out.stdout);
    id
}

#[test]
fn run_rm_prints_the_output_exits_with_the_code_and_honours_whiteouts() {
    let env = Env::new();
    env.ensure_boot_image();
    let oci = fixtures::oci_layout(&fixture_dir(&env, "oci")).unwrap();
    assert_eq!(import(&env, &oci.path, "layered"), oci.id);

    let script = "echo out; echo err >&2; \
                  ls /etc/motd; echo motd=$?; \
                  test -e /var/cache/old/stale.txt; echo stale=$?; \
                  cat /var/cache/fresh.txt; /opt/app/hello.sh; exit 7";
    let script = format!(
        "echo $$ $(busybox cat /proc/1/comm); \
         echo $FIXTURE $GREETING; pwd; busybox id -u; busybox hostname; busybox nproc; \
         busybox awk '/MemTotal/ {{ print int($2 / 1024) }}' /proc/meminfo; {script}"
    );
    // The image's entrypoint is `/bin/sh -c`: the command is its script;
    // the image's env (FIXTURE=1) stays, flags add to it and override.
    let out = run(env.booting([
        "run",
        "--rm",
        "--env",
        "GREETING=hi",
        "--workdir",
        "/tmp",
        "--user",
        "1000",
        "--hostname",
        "box",
        "--cpus",
        "2",
        "--memory",
        "300MiB",
        "--label",
        "k=v",
        "--pid-namespace",
        "layered",
        "--",
        &script,
    ]));
    out.code(7);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // --pid-namespace: the shell is PID 1, and /proc is its namespace's.
    assert_eq!(
        lines[..6],
        ["1 sh", "1 hi", "/tmp", "1000", "box", "2"],
        "{}",
        out.stderr
    );
    let mem_mib: u64 = lines[6].parse().unwrap();
    assert!(
        (200..=300).contains(&mem_mib),
        "--memory 300MiB gave {mem_mib} MiB"
    );
    assert_eq!(
        lines[7..],
        ["out", "motd=1", "stale=1", "fresh", "hello from vicport"],
        "whiteouts and opaque dirs of the OCI layers are honoured\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("err\n"), "{}", out.stderr);
    assert!(out.stderr.contains("/etc/motd"), "{}", out.stderr);

    // --rm removed it once it stopped.
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));
    // The log of events tells the story.
    let out = run(env.vicport(["-o", "json", "events"]));
    let actions: Vec<String> = out
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        actions,
        ["import", "create", "start", "die", "remove"],
        "{}",
        out.stdout
    );
}

#[test]
fn a_detached_domain_runs_execs_logs_stops_and_survives_a_killed_qemu() {
    let env = Env::new();
    detached(
        &env,
        &["--name", "web", "--label", "tier=front"],
        "echo started; while true; do busybox sleep 1; done",
    );

    let out = run(env.vicport(["-o", "json", "domain", "ls", "--filter", "label=tier=front"]));
    assert_eq!(out.json()[0]["state"], "running");
    assert_eq!(out.json()[0]["name"], "web");

    // The tether's boot, step by step, as the guest's clock saw it.
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json();
    let steps = info["boot_timeline"].as_array().expect("a boot timeline");
    let names: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "kernel", "mounts", "modules", "config", "devices", "volumes", "network", "ready"
        ],
        "{info}"
    );
    let at: Vec<f64> = steps.iter().map(|s| s["at_ms"].as_f64().unwrap()).collect();
    assert!(at[0] > 0.0 && at.windows(2).all(|w| w[0] <= w[1]), "{at:?}");
    let table = run(env.vicport(["domain", "inspect", "web"]));
    table.code(0);
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.starts_with("boot_timeline.ready")
                && l.contains("at_ms=")
                && l.contains("took_ms=")),
        "{}",
        table.stdout
    );

    // Exit codes pass through; 126 and 127 keep their shell meaning.
    let out = run(env.vicport(["exec", "web", "--", "echo", "hi"]));
    out.code(0);
    assert_eq!(out.stdout, "hi\n");
    run(env.vicport(["exec", "web", "--", "sh", "-c", "exit 5"])).code(5);
    let out = run(env.vicport(["-o", "json", "exec", "web", "--", "no-such-command"]));
    out.code(127);
    assert_eq!(out.json_error()["error"]["kind"], "command_not_found");
    run(env.vicport(["exec", "web", "--", "/etc"])).code(126);
    let out = run(env.vicport([
        "exec",
        "-w",
        "/srv/ro",
        "-u",
        "1000",
        "web",
        "--",
        "sh",
        "-c",
        "pwd; busybox id -u",
    ]));
    out.code(0);
    assert_eq!(out.stdout, "/srv/ro\n1000\n");

    // stdin reaches the process and its end is the process's end of input.
    let out = run_with_stdin(
        env.vicport(["exec", "-i", "web", "--", "cat"]),
        "line one\nline two\n",
    );
    out.code(0);
    assert_eq!(out.stdout, "line one\nline two\n");

    // 16 execs at once each get their own output.
    let execs = (0..16).map(|i| {
        env.vicport([
            "exec",
            "web",
            "--",
            "sh",
            "-c",
            &format!("echo exec-{i}; echo err-{i} >&2"),
        ])
    });
    for (i, out) in run_all(execs).into_iter().enumerate() {
        out.code(0);
        assert_eq!(out.stdout, format!("exec-{i}\n"));
        assert_eq!(out.stderr, format!("err-{i}\n"));
    }

    // -t: the process runs on a terminal of our terminal's size.
    let (tty_out, code) = on_a_terminal(
        env.vicport([
            "exec",
            "-t",
            "web",
            "--",
            "sh",
            "-c",
            "busybox stty size; busybox tty",
        ]),
        (33, 101),
        &[],
    );
    assert_eq!(code, Some(0), "{tty_out}");
    assert!(tty_out.contains("33 101"), "{tty_out:?}");
    assert!(tty_out.contains("/dev/pts/"), "{tty_out:?}");

    // A client that speaks garbage to the monitor loses only its own link.
    let sock = std::path::PathBuf::from(
        run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json()["platform_ref"]["path"]
            .as_str()
            .unwrap(),
    )
    .join("monitor.sock");
    let mut garbage = vicport::plumbing::sock::connect(&sock).unwrap();
    garbage.write_all(&[0xff; 64]).unwrap();
    let mut rest = Vec::new();
    let _ = garbage.read_to_end(&mut rest);
    let out = run(env.vicport(["exec", "web", "--", "echo", "still here"]));
    out.code(0);
    assert_eq!(out.stdout, "still here\n");
    // A peer without the domain's token gets nothing.
    let stranger = vicport::plumbing::sock::connect(&sock).unwrap();
    match vicport::plumbing::sock::tether_client(&stranger, b"not the token") {
        Err(tether_protocol::client::ClientError::Refused(reason)) => {
            assert!(reason.contains("token"), "{reason}")
        }
        other => panic!("a wrong token was not refused: {other:?}"),
    }
    // Everything the domain keeps is private to its owner.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let domain_dir = sock.parent().unwrap();
    for dir in [
        env.state_dir(),
        env.state_dir().join("domains"),
        domain_dir.to_path_buf(),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    for file in [
        "definition.json",
        "runtime.json",
        "launch.json",
        "tether.config",
    ] {
        assert_eq!(mode(&domain_dir.join(file)), 0o600, "{file}");
    }

    let out = run(env.vicport(["logs", "--tail", "1", "web"]));
    out.code(0);
    assert_eq!(out.stdout, "started\n");
    let out = run(env.vicport(["-o", "json", "logs", "web"]));
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["stream"], "stdout");
    assert_eq!(first["text"], "started");

    // A running domain's memory moves through its balloon, within the
    // 256 MiB it booted with; its vCPUs stay.
    let mem_total_kib = || {
        crate::support::mem_total_kib(env.vicport([
            "exec",
            "web",
            "--",
            "busybox",
            "grep",
            "MemTotal",
            "/proc/meminfo",
        ]))
    };
    let booted = mem_total_kib();
    let out = run(env.vicport([
        "-o", "json", "domain", "update", "--memory", "160MiB", "web",
    ]));
    out.code(0);
    let m = &out.json()["running_memory"];
    assert_eq!(
        (m["boot_mb"].as_u64(), m["target_mb"].as_u64()),
        (Some(256), Some(160)),
        "{m}"
    );
    assert_eq!(m["actual_mb"].as_u64(), Some(160), "{m}");
    assert_eq!(
        out.json()["memory_mb"].as_u64(),
        Some(256),
        "the definition stays"
    );
    let now = mem_total_kib();
    assert!(
        booted - now >= 90 << 10,
        "96 MiB given back: {booted} kB, then {now} kB"
    );
    let out = run(env.vicport(["domain", "update", "--memory", "1GiB", "web"]));
    out.code(1);
    assert!(out.stderr.contains("booted with 256 MiB"), "{}", out.stderr);
    run(env.vicport(["domain", "update", "--cpus", "2", "web"])).code(6);
    run(env.vicport(["domain", "update", "--memory", "256MiB", "web"])).code(0);
    assert_eq!(mem_total_kib(), booted);

    // A graceful stop: SIGTERM to the primary, which exits 143.
    run(env.vicport(["domain", "stop", "-t", "5", "web"])).code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json();
    assert_eq!(info["state"], "stopped");
    assert_eq!(info["exit_code"], 143);
    assert!(info["finished_at"].is_string());
    let out = run(env.vicport(["-o", "json", "exec", "web", "--", "true"]));
    out.code(6);
    assert_eq!(out.json_error()["error"]["kind"], "invalid_state");

    // Started again, then QEMU killed with SIGKILL: the platform says stopped.
    run(env.booting(["domain", "start", "web"])).code(0);
    let dir = std::path::PathBuf::from(info["platform_ref"]["path"].as_str().unwrap());
    let pid: i32 = std::fs::read_to_string(dir.join("qemu.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: signalling the QEMU process this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let stopped = || {
        let out = run(env.vicport([
            "-o",
            "json",
            "domain",
            "wait",
            "--wait-timeout",
            "30s",
            "web",
        ]));
        out.code(0);
        run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json()
    };
    let info = stopped();
    assert_eq!(info["state"], "stopped");
    assert!(
        info["state_reason"].as_str().unwrap().contains("signal 9"),
        "{info}"
    );

    // A signal by name goes through the link: USR1 ends the shell, and its
    // exit code is 128 + USR1's number (10). `--debug` says the boot's
    // steps.
    let out = run(env.booting(["--debug", "domain", "start", "web"]));
    out.code(0);
    assert!(
        out.stderr
            .lines()
            .any(|l| l.contains("boot step") && l.contains("step=ready")),
        "{}",
        out.stderr
    );
    // `--all` reaches every process of the container: the shell, its
    // loop's sleep, and an exec's process, which a signal to the primary
    // alone would leave (until the domain powers off).
    let exec = env
        .vicport(["exec", "web", "--", "busybox", "sleep", "1000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    crate::support::wait_for_output(
        || env.vicport(["domain", "top", "web"]),
        "sleep 1000",
        std::time::Duration::from_secs(30),
        "the exec never ran",
    );
    let out = run(env.vicport(["-o", "json", "domain", "kill", "--all", "-s", "usr1", "web"]));
    out.code(0);
    let reached = out.json()[0]["signalled"].as_u64().unwrap();
    // The loop's sleep is there unless the shell is between two.
    assert!((2..=3).contains(&reached), "{}", out.stdout);
    let exec = exec.wait_with_output().unwrap();
    assert_eq!(exec.status.code(), Some(138), "{exec:?}");
    let info = stopped();
    assert_eq!(info["state"], "stopped");
    assert_eq!(info["exit_code"], 138);
    run(env.vicport(["domain", "rm", "web"])).code(0);
    run(env.vicport(["domain", "inspect", "web"])).code(3);
}

#[test]
fn every_image_format_imports_and_bad_archives_leave_nothing() {
    let env = Env::new();
    let dir = env.root().join("fixtures");
    let formats = [
        (
            "rootfs",
            fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap(),
        ),
        (
            "rootfs-gz",
            fixtures::rootfs_tar(&fixture_dir(&env, "rootfs-gz"), true).unwrap(),
        ),
        (
            "oci-dir",
            fixtures::oci_layout(&fixture_dir(&env, "oci-dir")).unwrap(),
        ),
        (
            "oci-tar",
            fixtures::oci_archive(&fixture_dir(&env, "oci-tar")).unwrap(),
        ),
        (
            "docker-legacy",
            fixtures::docker_archive(&fixture_dir(&env, "docker-legacy"), DockerLayout::Legacy)
                .unwrap(),
        ),
        (
            "docker-blobs",
            fixtures::docker_archive(&fixture_dir(&env, "docker-blobs"), DockerLayout::Blobs)
                .unwrap(),
        ),
    ];
    for (name, written) in &formats {
        assert_eq!(import(&env, &written.path, name), written.id, "{name}");
    }
    let out = run(env.vicport(["-o", "json", "image", "ls"]));
    let tags: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| {
            i["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
        })
        .collect();
    for (name, _) in &formats {
        assert!(tags.contains(&format!("{name}:latest")), "{tags:?}");
    }

    // A truncated archive and a file that is no image: clear errors, nothing kept.
    let before = run(env.vicport(["-o", "json", "image", "ls"])).json();
    let whole = std::fs::read(&formats[0].1.path).unwrap();
    let cut = dir.join("cut.tar");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let out = run(env
        .vicport(["image", "import"])
        .arg(&cut)
        .args(["--name", "cut"]));
    out.code(2);
    assert!(out.stderr.contains("error:"), "{}", out.stderr);
    let junk = dir.join("junk.tar");
    std::fs::write(&junk, b"this is not an archive at all").unwrap();
    let out = run(env.vicport(["image", "import"]).arg(&junk));
    out.code(2);
    assert_eq!(
        run(env.vicport(["-o", "json", "image", "ls"])).json(),
        before
    );
    let staging = env.state_dir().join("image-store/tmp");
    let leftovers = std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "staging areas left in {}", staging.display());

    // Unknown images are exit 3; removing works by tag.
    run(env.vicport(["run", "--rm", "nope", "--", "true"])).code(3);
    run(env.vicport(["image", "inspect", "nope"])).code(3);
    run(env.vicport(["image", "rm", "rootfs"])).code(0);
    run(env.vicport(["image", "inspect", "rootfs"])).code(3);

    // tag: another reference for an image, by id prefix or reference; a
    // reference that named another image moves; bad input changes nothing.
    let (docker, oci) = (&formats[4].1, &formats[2].1);
    let tags = |image: &str| {
        run(env.vicport(["-o", "json", "image", "inspect", image]))
            .code(0)
            .json()["tags"]
            .clone()
    };
    let doc = run(env.vicport([
        "-o",
        "json",
        "image",
        "tag",
        &docker.id[7..19],
        "tools/bb:1",
    ]))
    .code(0)
    .json();
    assert_eq!(doc["id"], docker.id.as_str());
    assert!(
        tags(&docker.id)
            .as_array()
            .unwrap()
            .contains(&"tools/bb:1".into())
    );
    let out = run(env.vicport(["image", "tag", "tools/bb:1", "tools/bb"]));
    assert_eq!(out.code(0).stdout, "tools/bb:latest\n");
    run(env.vicport(["image", "tag", &oci.id, "tools/bb:1"])).code(0);
    assert!(
        tags(&oci.id)
            .as_array()
            .unwrap()
            .contains(&"tools/bb:1".into())
    );
    assert!(
        !tags(&docker.id)
            .as_array()
            .unwrap()
            .contains(&"tools/bb:1".into())
    );
    let before = run(env.vicport(["-o", "json", "image", "ls"])).json();
    run(env.vicport(["image", "tag", "nope", "tools/x:1"])).code(3);
    run(env.vicport(["image", "tag", "tools/bb:1", "Not A Reference"])).code(2);
    assert_eq!(
        run(env.vicport(["-o", "json", "image", "ls"])).json(),
        before
    );
}

#[test]
fn bad_domain_requests_fail_before_anything_starts() {
    let env = Env::new();
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    import(&env, &tar.path, "busybox");

    let out = run(env.vicport(["run", "--memory", "100T", "busybox", "--", "true"]));
    out.code(2);
    assert!(out.stderr.contains("memory"), "{}", out.stderr);
    run(env.vicport(["run", "--cpus", "4096", "busybox", "--", "true"])).code(2);
    run(env.vicport(["run", "--name", "Bad/Name", "busybox", "--", "true"])).code(2);
    assert_eq!(run(env.vicport(["-q", "domain", "ls"])).stdout, "");

    // A defined domain that never started.
    let out = run(env.vicport([
        "-o", "json", "domain", "create", "--name", "db", "busybox", "--", "true",
    ]));
    out.code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "db"])).json();
    assert_eq!(info["state"], "created");
    assert_eq!(info["exit_code"], serde_json::Value::Null);
    let out = run(env.vicport([
        "-o", "json", "domain", "create", "--name", "db", "busybox", "--", "true",
    ]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "taken");
    run(env.vicport(["exec", "db", "--", "true"])).code(6);
    // Signals are the protocol's names and numbers; anything else is a
    // usage error that says what to give.
    for bad in ["SIGNOPE", "32", "0"] {
        let out = run(env.vicport(["domain", "kill", "-s", bad, "db"]));
        out.code(2);
        assert!(
            out.stderr.contains(&format!("unknown signal {bad:?}"))
                && out.stderr.contains("SIGTERM, TERM or KILL"),
            "{}",
            out.stderr
        );
    }
    run(env.vicport(["run", "--stop-signal", "RTMAX+1", "busybox", "--", "true"])).code(2);

    // Labels and renames go through the handle and keep every change.
    run(env.vicport(["domain", "label", "db", "a=1", "b=2"])).code(0);
    run(env.vicport(["domain", "label", "db", "--rm", "a", "c=3"])).code(0);
    run(env.vicport(["domain", "rename", "db", "db2"])).code(0);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "db2"])).json();
    assert_eq!(info["labels"], serde_json::json!({"b": "2", "c": "3"}));
    // The image is in use: removing it is refused, unless forced.
    let out = run(env.vicport(["image", "rm", "busybox"]));
    out.code(4);
    assert!(out.stderr.contains("db2"), "{}", out.stderr);
    let out = run(env.vicport(["image", "rm", "--force", "busybox"]));
    out.code(2);
    assert!(
        out.stderr.contains("--yes"),
        "no prompt without a terminal: {}",
        out.stderr
    );
    run(env.vicport(["--yes", "image", "rm", "--force", "busybox"])).code(0);
    run(env.vicport(["domain", "inspect", "db2"])).code(3);
}

#[test]
fn concurrent_label_changes_on_one_domain_all_land() {
    let env = Env::new();
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    import(&env, &tar.path, "busybox");
    run(env.vicport(["domain", "create", "--name", "d", "busybox", "--", "true"])).code(0);
    let labels = (0..12).map(|i| env.vicport(["domain", "label", "d", &format!("k{i}=v{i}")]));
    for out in run_all(labels) {
        out.code(0);
    }
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "d"])).json();
    assert_eq!(info["labels"].as_object().unwrap().len(), 12, "{info}");

    // A stopped domain's sizes change in its definition; bad ones are
    // refused and change nothing.
    let out = run(env.vicport([
        "-o", "json", "domain", "update", "--memory", "384MiB", "--cpus", "2", "d",
    ]));
    out.code(0);
    assert_eq!(
        (
            out.json()["memory_mb"].as_u64(),
            out.json()["cpus"].as_u64()
        ),
        (Some(384), Some(2))
    );
    let out = run(env.vicport(["domain", "update", "d"]));
    out.code(2);
    assert!(out.stderr.contains("nothing to change"), "{}", out.stderr);
    run(env.vicport(["domain", "update", "--memory", "lots", "d"])).code(2);
    let out = run(env.vicport(["domain", "update", "--memory", "16MiB", "d"]));
    out.code(2);
    assert!(out.stderr.contains("too little"), "{}", out.stderr);
    run(env.vicport(["domain", "update", "--cpus", "0", "d"])).code(2);
    run(env.vicport(["domain", "update", "--cpus", "2", "nosuch"])).code(3);
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "d"])).json();
    assert_eq!(
        (info["memory_mb"].as_u64(), info["cpus"].as_u64()),
        (Some(384), Some(2))
    );
}

#[test]
fn ctrl_c_during_an_import_leaves_nothing_and_exits_130() {
    let env = Env::new();
    // A rootfs tar large enough that its import takes seconds.
    let dir = fixture_dir(&env, "big");
    let entries = vec![
        fixtures::Entry::dir("./", 0o755),
        fixtures::Entry::file("big.bin", 0o644, vec![7u8; 256 << 20]),
    ];
    let tar = fixtures::tar_of(&dir, "big.tar", &entries).unwrap();
    drop(entries);
    let child = env
        .vicport(["image", "import"])
        .arg(&tar)
        .args(["--name", "big"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        run(env.vicport(["-o", "json", "image", "ls"])).json(),
        serde_json::json!([])
    );
    let staging = env.state_dir().join("image-store/tmp");
    let leftovers = std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "staging areas left in {}", staging.display());
    // The next import works.
    let small = fixtures::rootfs_tar(&fixture_dir(&env, "small"), false).unwrap();
    import(&env, &small.path, "small");
}

#[test]
fn attach_and_logs_follow_see_a_running_primary_to_its_end() {
    let env = Env::new();
    env.ensure_boot_image();
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    import(&env, &tar.path, "busybox");
    run(env.booting([
        "run",
        "-d",
        "--name",
        "talk",
        "busybox",
        "--",
        "sh",
        "-c",
        "busybox sleep 3; echo one; echo oops >&2; busybox sleep 1; echo two; exit 4",
    ]))
    .code(0);
    let spawn = |args: &[&str]| {
        env.vicport(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let attach = spawn(&["domain", "attach", "--no-stdin", "talk"]);
    let follow = spawn(&["logs", "--follow", "talk"]);
    let attached = attach.wait_with_output().unwrap();
    assert_eq!(
        attached.status.code(),
        Some(4),
        "attach exits with the primary's code"
    );
    assert_eq!(String::from_utf8_lossy(&attached.stdout), "one\ntwo\n");
    assert_eq!(String::from_utf8_lossy(&attached.stderr), "oops\n");
    let followed = follow.wait_with_output().unwrap();
    assert!(
        followed.status.success(),
        "{}",
        String::from_utf8_lossy(&followed.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&followed.stdout), "one\ntwo\n");
    assert_eq!(String::from_utf8_lossy(&followed.stderr), "oops\n");
    let info = run(env.vicport(["-o", "json", "domain", "wait", "talk"])).json();
    assert_eq!(info[0]["exit_code"], 4);
    run(env.vicport(["domain", "rm", "talk"])).code(0);
}

#[test]
fn a_paused_or_suspended_domain_goes_on_where_it_was_with_the_clock_set_again() {
    let env = Env::new();
    // A host directory, shared through virtiofsd, whose state (the files
    // the guest has looked up and opened) is saved with the guest's: the
    // primary holds a file there open and its working directory there.
    let host = env.root().join("nap-data");
    std::fs::create_dir_all(host.join("sub")).unwrap();
    std::fs::write(host.join("gone"), "soon gone\n").unwrap();
    let volume = format!("{}:/data", host.display());
    let id = detached(
        &env,
        &["--name", "nap", "-v", &volume],
        "cd /data/sub; exec 4>>/data/ticks; \
         i=0; while true; do i=$((i+1)); echo tick $i; echo tick $i >&4; busybox sleep 1; done",
    );
    let dir = env.state_dir().join("domains").join(&id);
    // Something only the guest's memory holds (/dev/shm is a tmpfs).
    run(env.vicport(["exec", "nap", "--", "sh", "-c", "echo kept > /dev/shm/mark"])).code(0);
    let out = run(env.vicport(["exec", "nap", "--", "cat", "/data/gone"]));
    assert_eq!(out.code(0).stdout, "soon gone\n");
    let qemu: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("runtime.json")).unwrap()).unwrap();
    let qemu_pid = qemu["qemu_pid"].as_u64().unwrap();
    let guest_clock_is_the_hosts = || {
        // The tether steps the guest's clock within two seconds.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(6);
        loop {
            let out = run(env.vicport(["exec", "nap", "--", "busybox", "date", "+%s"]));
            let guest: i64 = out.code(0).stdout.trim().parse().unwrap();
            let host = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            if (guest - host).abs() <= 2 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "guest clock {guest}, host {host}"
            );
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    };

    // Paused: its vCPUs stop (QEMU stays), it takes no exec until unpaused,
    // then goes on.
    let out = run(env.vicport(["-o", "json", "domain", "pause", "nap"]));
    assert_eq!(out.code(0).json()[0]["state"], "paused");
    let out = run(env.vicport(["exec", "nap", "--", "true"]));
    out.code(6);
    assert!(out.stderr.contains("domain unpause nap"), "{}", out.stderr);
    run(env.vicport(["domain", "suspend", "nap"])).code(6);
    std::thread::sleep(std::time::Duration::from_secs(4));
    let out = run(env.vicport(["-o", "json", "domain", "unpause", "nap"]));
    assert_eq!(out.code(0).json()[0]["state"], "running");
    guest_clock_is_the_hosts();
    assert!(Path::new(&format!("/proc/{qemu_pid}")).exists());

    let started_at =
        run(env.vicport(["-o", "json", "domain", "inspect", "nap"])).json()["started_at"].clone();
    // Sessions the suspend cuts, and a wait it must not end.
    let spawn = |args: &[&str]| {
        env.vicport(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let exec = spawn(&["exec", "nap", "--", "busybox", "sleep", "600"]);
    let attach = spawn(&["domain", "attach", "--no-stdin", "nap"]);
    let mut wait = spawn(&["-o", "json", "domain", "wait", "nap"]);
    std::thread::sleep(std::time::Duration::from_secs(2));
    let out = run(env.vicport(["-o", "json", "domain", "suspend", "nap"]));
    assert_eq!(out.code(0).json()[0]["state"], "suspended");
    // exec's own failures are 125 (the process's codes are its own);
    // attach's are 1.
    for (session, child, code) in [("the exec", exec, 125), ("the attach", attach, 1)] {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{session}: {stderr}");
        assert!(
            stderr.contains(&format!("was suspended during {session}"))
                && stderr.contains("domain start nap"),
            "{session}: {stderr}"
        );
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert!(
        wait.try_wait().unwrap().is_none(),
        "domain wait goes on through a suspend"
    );
    assert!(
        !Path::new(&format!("/proc/{qemu_pid}")).exists(),
        "its QEMU ended: the host has the memory back"
    );
    assert!(dir.join("suspend/state.bin").is_file());
    let ls = run(env.vicport(["-o", "json", "domain", "ls"])).json();
    assert_eq!(ls[0]["state"], "suspended");
    // Suspended: no exec, no second suspend, no hardware change.
    run(env.vicport(["exec", "nap", "--", "true"])).code(6);
    run(env.vicport(["domain", "suspend", "nap"])).code(6);
    let out = run(env.vicport(["domain", "update", "--memory", "128MiB", "nap"]));
    out.code(6);
    assert!(out.stderr.contains("suspended"), "{}", out.stderr);
    // Meanwhile on the host: a file the guest knew goes, a new one comes.
    std::fs::remove_file(host.join("gone")).unwrap();
    std::fs::write(host.join("sub/new"), "from the host\n").unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));

    // start resumes it: the same processes with their memory, the log
    // going on from where it was, the clock set again.
    let out = run(env.booting(["-o", "json", "domain", "start", "nap"]));
    assert_eq!(out.code(0).json()[0]["state"], "running");
    assert!(!dir.join("suspend").exists(), "the saved state is used up");
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "nap"])).json();
    assert_eq!(info["started_at"], started_at, "the same run goes on");
    let out = run(env.vicport(["exec", "nap", "--", "cat", "/dev/shm/mark"]));
    assert_eq!(out.code(0).stdout, "kept\n");
    guest_clock_is_the_hosts();
    crate::support::wait_for_output(
        || env.vicport(["logs", "nap"]),
        "tick 6",
        std::time::Duration::from_secs(20),
        "the primary's count going on",
    );
    let logs = run(env.vicport(["logs", "nap"])).stdout;
    assert_eq!(logs.matches("tick 1\n").count(), 1, "not restarted: {logs}");
    // The shared directory goes on too: the file the primary held open
    // takes its writes, its working directory sees the host's new file,
    // and the file that went fails alone (the resume did not).
    let ticks = std::fs::read_to_string(host.join("ticks")).unwrap();
    assert!(
        ticks.starts_with("tick 1\ntick 2\n") && ticks.contains("tick 6\n"),
        "{ticks}"
    );
    let out = run(env.vicport(["exec", "nap", "--", "sh", "-c", "cd /data/sub && cat new"]));
    assert_eq!(out.code(0).stdout, "from the host\n");
    let out = run(env.vicport(["exec", "nap", "--", "cat", "/data/gone"]));
    assert_eq!(out.code(1).stdout, "", "{}", out.stderr);

    // stop discards the saved state: the next start boots afresh.
    run(env.vicport(["domain", "suspend", "nap"])).code(0);
    assert!(wait.try_wait().unwrap().is_none(), "still waiting");
    let out = run(env.vicport(["-o", "json", "domain", "stop", "nap"]));
    assert_eq!(out.code(0).json()[0]["state"], "stopped");
    let waited = wait.wait_with_output().unwrap();
    assert!(waited.status.success(), "{waited:?}");
    let waited: serde_json::Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(waited[0]["state"], "stopped", "{waited}");
    assert!(!dir.join("suspend").exists());
    run(env.booting(["domain", "start", "nap"])).code(0);
    run(env.vicport(["exec", "nap", "--", "cat", "/dev/shm/mark"])).code(1);
    run(env.vicport(["domain", "rm", "-f", "nap"])).code(0);
}

#[test]
fn a_restart_policy_starts_a_domain_again_until_it_is_stopped_by_hand() {
    let env = Env::new();
    // Bad input first (exit 2), nothing made.
    env.import_busybox();
    for (args, says) in [
        (
            &["--restart", "sometimes"][..],
            "invalid restart policy \"sometimes\"",
        ),
        (&["--restart", "always:3"], "only on-failure takes a count"),
        (&["--rm", "--restart", "always"], "(--rm) and started again"),
    ] {
        let out = run(env
            .vicport(["run", "-d"])
            .args(args)
            .args(["busybox", "--", "true"]));
        out.code(2);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    assert_eq!(run(env.vicport(["-q", "domain", "ls"])).stdout, "");
    // Between a run and its restart a domain reads stopped too, its
    // reason saying when it restarts: that is not where it settles.
    let state = |name: &str| {
        let info = run(env.vicport(["-o", "json", "domain", "inspect", name])).json();
        let waiting = info["state_reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("restarting in "));
        (
            if waiting {
                "restarting".to_string()
            } else {
                info["state"].as_str().unwrap().to_string()
            },
            info["restart_count"].as_u64().unwrap_or(0),
        )
    };
    let events = |name: &str, action: &str| {
        run(env.vicport(["-o", "json", "events"]))
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|e| e["name"] == name && e["action"] == action)
            .count()
    };
    let settle = |name: &str, want: (&str, u64)| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            let now = state(name);
            if (now.0.as_str(), now.1) == want {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{name}: {now:?}");
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    };

    // on-failure:2 — the first run and two restarts, each exiting 3, then
    // it stays stopped with the last run's code.
    detached(
        &env,
        &["--name", "flaky", "--restart", "on-failure:2"],
        "echo ran; exit 3",
    );
    settle("flaky", ("stopped", 2));
    std::thread::sleep(std::time::Duration::from_secs(1));
    let info = run(env.vicport(["-o", "json", "domain", "inspect", "flaky"])).json();
    assert_eq!(
        (&info["exit_code"], &info["restart"]),
        (
            &serde_json::json!(3),
            &serde_json::json!({"policy": "on-failure", "max_retries": 2})
        ),
        "{info}"
    );
    assert_eq!((events("flaky", "start"), events("flaky", "die")), (3, 3));

    // always — a primary killed by a signal that is not its stop signal
    // is started again; `domain stop` is a stop by hand, which it honours
    // until the next start by hand (which starts the count over).
    detached(
        &env,
        &["--name", "steady", "--restart", "always"],
        "busybox sleep 1000",
    );
    run(env.vicport(["domain", "kill", "-s", "HUP", "steady"])).code(0);
    settle("steady", ("running", 1));
    // The start event follows the running state by a moment: the
    // monitor's start records it once the domain is ready.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while events("steady", "start") < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "no second start event"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert_eq!(events("steady", "start"), 2);
    run(env.vicport(["domain", "stop", "-t", "2", "steady"])).code(0);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(state("steady"), ("stopped".to_string(), 1));
    assert_eq!(events("steady", "start"), 2, "not started again");
    run(env.booting(["domain", "start", "steady"])).code(0);
    assert_eq!(state("steady"), ("running".to_string(), 0));
    // The policy changes while it runs, and holds when this run ends.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "update",
        "--restart",
        "no",
        "steady",
    ]));
    assert_eq!(
        out.code(0).json()["restart"],
        serde_json::json!({"policy": "no"})
    );
    run(env.vicport(["domain", "update", "--restart", "often", "steady"])).code(2);
    run(env.vicport(["domain", "kill", "-s", "HUP", "steady"])).code(0);
    settle("steady", ("stopped", 0));
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(events("steady", "start"), 3, "not started again");
    run(env.vicport(["domain", "rm", "-f", "steady", "flaky"])).code(0);
}
