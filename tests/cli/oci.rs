//! The OCI runtime mode by hand (no engine): bundles made here from
//! Debian's busybox-static, run through `vicport oci` as containerVMs whose
//! root stays the bundle's directory. This test process is a child
//! subreaper, as conmon is, so that it can wait on each container's shim.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Env, Outcome, run, run_with_stdin};

/// A bundle directory with a busybox root filesystem and `config`.
fn bundle(env: &Env, name: &str, config: &serde_json::Value) -> PathBuf {
    let dir = env.root().join(name);
    let rootfs = dir.join("rootfs");
    std::fs::create_dir_all(&rootfs).unwrap();
    let tar = vicport::plumbing::image::fixtures::rootfs_tar(&dir, false).unwrap();
    let st = Command::new("tar")
        .arg("-xf")
        .arg(&tar.path)
        .arg("-C")
        .arg(&rootfs)
        .status()
        .unwrap();
    assert!(st.success(), "unpacking the busybox rootfs");
    for applet in ["sleep", "hostname", "touch"] {
        std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(applet)).unwrap();
    }
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    dir
}

fn config(args: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "ociVersion": "1.0.2",
        "process": {
            "user": {"uid": 0, "gid": 0},
            "args": args,
            "env": ["PATH=/bin:/usr/bin"],
            "cwd": "/",
        },
        "root": {"path": "rootfs"},
        "hostname": "box1",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=700"]},
        ],
        // A pid namespace of its own, as engines ask: the process is PID 1
        // in the guest, and a startContainer hook runs before it does.
        "linux": {
            "resources": {"memory": {"limit": 201326592u64}},
            "namespaces": [{"type": "pid"}, {"type": "mount"}],
        },
    })
}

/// `vicport oci --root ROOT ARGS…` in `env`.
fn oci<I, S>(env: &Env, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = env.booting(["oci", "--root"]);
    cmd.arg(env.root().join("oci-root")).args(args);
    cmd
}

fn state(env: &Env, id: &str) -> serde_json::Value {
    let out = run(oci(env, ["state", id]));
    out.code(0);
    out.json()
}

/// Become a child subreaper (once), as conmon is: a shim left behind by
/// `create` is then this process's child.
fn be_subreaper() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag.
        let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
        assert_eq!(rc, 0, "PR_SET_CHILD_SUBREAPER");
    });
}

/// Wait for the shim `pid` (our child) to exit; its exit code as conmon
/// records it (128+N for signal N).
fn wait_shim(pid: i32, timeout: Duration) -> i32 {
    let started = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own child, without blocking.
        let rc = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        assert!(
            rc >= 0,
            "waitpid {pid}: {}",
            std::io::Error::last_os_error()
        );
        if rc == pid {
            if libc::WIFEXITED(status) {
                return libc::WEXITSTATUS(status);
            }
            return 128 + libc::WTERMSIG(status);
        }
        assert!(
            started.elapsed() < timeout,
            "the shim {pid} is still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `create` with the container's stdio on files `ID.N.stdout` and
/// `ID.N.stderr` in the bundle (N counts the creates of the id); the
/// shim's pid from the pid file.
fn create(env: &Env, dir: &Path, id: &str) -> (Outcome, Option<i32>) {
    let n = (0..)
        .find(|n| !dir.join(format!("{id}.{n}.stdout")).exists())
        .unwrap();
    let pid_file = dir.join(format!("{id}.{n}.pid"));
    let (out_file, err_file) = (
        dir.join(format!("{id}.{n}.stdout")),
        dir.join(format!("{id}.{n}.stderr")),
    );
    let mut cmd = oci(env, ["create", "--bundle"]);
    cmd.arg(dir).arg("--pid-file").arg(&pid_file).arg(id);
    let stdout = std::fs::File::create(&out_file).unwrap();
    let stderr = std::fs::File::create(&err_file).unwrap();
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    let status = cmd.status().unwrap();
    let out = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(&out_file).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_file).unwrap_or_default(),
    };
    let pid = std::fs::read_to_string(&pid_file)
        .ok()
        .map(|t| t.trim().parse().unwrap());
    (out, pid)
}

fn domains(env: &Env) -> Vec<serde_json::Value> {
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    out.json().as_array().unwrap().clone()
}

#[test]
fn a_bundle_runs_as_a_containervm_and_writes_land_in_its_directories() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    let data = env.root().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut c = config(&[
        "/bin/sh",
        "-c",
        "echo hello from $(hostname); echo oops >&2; echo from-vm > /data/out.txt; touch /written-in-vm; \
         { ulimit -n; cat /proc/self/oom_score_adj; busybox grep -E '^(Groups|CapEff|CapBnd|NoNewPrivs):' /proc/self/status; \
           echo kcore $(cat /proc/kcore | busybox wc -c); touch /proc/sys/x 2>/dev/null || echo sys read-only; \
           busybox awk '$2 == \"/dev/mqueue\" || $2 == \"/run\" { print $2, $3 }' /proc/mounts; busybox stat -c %a /run; } > /data/limits.txt; exit 3",
    ]);
    // The process spec the tether enforces in the guest.
    c["process"]["user"] = serde_json::json!({"uid": 0, "gid": 0, "additionalGids": [10, 20]});
    c["process"]["rlimits"] =
        serde_json::json!([{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 2000}]);
    c["process"]["capabilities"] = serde_json::json!({
        "bounding": ["CAP_CHOWN", "CAP_KILL"],
        "effective": ["CAP_CHOWN", "CAP_KILL"],
        "permitted": ["CAP_CHOWN", "CAP_KILL"],
    });
    c["process"]["noNewPrivileges"] = serde_json::json!(true);
    c["process"]["oomScoreAdj"] = serde_json::json!(250);
    c["linux"]["maskedPaths"] = serde_json::json!(["/proc/kcore"]);
    c["linux"]["readonlyPaths"] = serde_json::json!(["/proc/sys"]);
    c["mounts"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"destination": "/data", "type": "bind", "source": data, "options": ["rbind", "rw"]}));
    let dir = bundle(&env, "b1", &c);

    let (out, pid) = create(&env, &dir, "c1");
    out.code(0);
    let pid = pid.expect("create writes the pid file");
    let s = state(&env, "c1");
    assert_eq!(s["status"], "created");
    assert_eq!(s["pid"], pid);
    assert_eq!(s["bundle"], dir.display().to_string());
    // The process waits for start: nothing written yet.
    assert!(!dir.join("rootfs/written-in-vm").exists());

    // An id in use: refused, the container untouched.
    let (again, _) = create(&env, &dir, "c1");
    again.code(1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(state(&env, "c1")["status"], "created");

    run(oci(&env, ["start", "c1"])).code(0);
    assert_eq!(wait_shim(pid, Duration::from_secs(60)), 3);
    let stdout = std::fs::read_to_string(dir.join("c1.0.stdout")).unwrap();
    assert_eq!(stdout, "hello from box1\n");
    let stderr = std::fs::read_to_string(dir.join("c1.0.stderr")).unwrap();
    assert_eq!(stderr, "oops\n");
    assert_eq!(
        std::fs::read_to_string(data.join("out.txt")).unwrap(),
        "from-vm\n"
    );
    let limits = std::fs::read_to_string(data.join("limits.txt")).unwrap();
    let lines: Vec<&str> = limits.lines().map(str::trim_end).collect();
    assert_eq!(
        lines,
        [
            "1000",
            "250",
            "Groups:\t10 20",
            "CapEff:\t0000000000000021",
            "CapBnd:\t0000000000000021",
            "NoNewPrivs:\t1",
            "kcore 0",
            "sys read-only",
            "/dev/mqueue mqueue",
            "/run tmpfs",
            "700",
        ],
        "{limits}"
    );
    assert!(dir.join("rootfs/written-in-vm").is_file());

    let s = state(&env, "c1");
    assert_eq!(s["status"], "stopped");
    assert_eq!(s["pid"], 0);
    let out = run(oci(&env, ["start", "c1"]));
    out.code(1);
    assert!(
        out.stderr.contains("stopped, not created"),
        "{}",
        out.stderr
    );
    let out = run(oci(&env, ["kill", "c1", "KILL"]));
    out.code(1);
    let d = domains(&env);
    assert_eq!(d.len(), 1);
    // The bundle's memory limit (192 MiB) sized the VM; no CPU limit: 1.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "inspect",
        d[0]["name"].as_str().unwrap(),
    ]));
    out.code(0);
    let info = out.json();
    assert_eq!(
        (info["memory_mb"].as_u64(), info["cpus"].as_u64()),
        (Some(192), Some(1))
    );
    assert_eq!(info["labels"]["org.opencontainers.container-id"], "c1");
    run(oci(&env, ["delete", "c1"])).code(0);
    assert!(domains(&env).is_empty());
    let out = run(oci(&env, ["state", "c1"]));
    out.code(1);
    assert_eq!(out.stderr.trim(), "container \"c1\" does not exist");
}

#[test]
fn kill_and_a_killed_shim_end_the_vm_and_delete_cleans_up() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    let dir = bundle(&env, "b2", &config(&["sleep", "600"]));

    // `kill … KILL` of a running container: the shim exits 137.
    let (out, pid) = create(&env, &dir, "k1");
    out.code(0);
    let pid = pid.unwrap();
    run(oci(&env, ["start", "k1"])).code(0);
    assert_eq!(state(&env, "k1")["status"], "running");

    // exec: its own exit code, the words engines map, and a process.json
    // whose limits the tether enforces (ExecLimited).
    run(oci(&env, ["exec", "k1", "sh", "-c", "exit 7"])).code(7);
    let out = run(oci(&env, ["exec", "k1", "/nonexistent"]));
    out.code(1);
    assert!(
        out.stderr.contains("executable file not found in $PATH"),
        "{}",
        out.stderr
    );
    let process = dir.join("exec-process.json");
    std::fs::write(
        &process,
        serde_json::json!({
            "args": ["sh", "-c", "ulimit -n; busybox grep CapEff /proc/self/status"],
            "env": ["PATH=/bin"],
            "cwd": "/",
            "user": {"uid": 0, "gid": 0},
            "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 77, "hard": 77}],
            "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
        })
        .to_string(),
    )
    .unwrap();
    let mut cmd = oci(&env, ["exec", "--process"]);
    cmd.arg(&process).arg("k1");
    let out = run(cmd);
    out.code(0);
    assert_eq!(out.stdout, "77\nCapEff:\t0000000000000020\n");
    let out = run(oci(&env, ["delete", "k1"]));
    out.code(1);
    assert!(out.stderr.contains("not stopped"), "{}", out.stderr);

    // `kill --all`: every process of the container gets the signal, as
    // runc signals its cgroup's: an exec's `sleep` dies of TERM; the
    // container's process, the init of its pid namespace without a
    // handler for TERM, drops it as the kernel has it, and runs on.
    let exec = oci(&env, ["exec", "k1", "sleep", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::support::wait_for_output(
        || oci(&env, ["exec", "k1", "busybox", "ps"]),
        "sleep 1000",
        Duration::from_secs(30),
        "the exec never ran",
    );
    run(oci(&env, ["kill", "--all", "k1", "TERM"])).code(0);
    let exec = exec.wait_with_output().unwrap();
    assert_eq!(exec.status.code(), Some(143), "{exec:?}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(state(&env, "k1")["status"], "running");

    // update: the memory limit moves the VM's balloon, and the guest's
    // kernel sees the new size; back up to the boot size (192 MiB) with
    // no limit; more than that, or other vCPUs, are refused.
    let mem_total_kib = || {
        crate::support::mem_total_kib(oci(
            &env,
            ["exec", "k1", "busybox", "grep", "MemTotal", "/proc/meminfo"],
        ))
    };
    let update = |resources: &str| {
        run_with_stdin(oci(&env, ["update", "--resources", "-", "k1"]), resources)
    };
    let booted = mem_total_kib();
    update(r#"{"memory": {"limit": 134217728}}"#).code(0);
    let ballooned = mem_total_kib();
    assert!(
        booted - ballooned >= 60 << 10,
        "64 MiB taken back: {booted} kB, then {ballooned} kB"
    );
    update(r#"{"memory": {"limit": -1}, "pids": {"limit": 2048}}"#).code(0);
    assert_eq!(mem_total_kib(), booted);
    let out = update(r#"{"memory": {"limit": 536870912}}"#);
    out.code(1);
    assert!(out.stderr.contains("booted with 192 MiB"), "{}", out.stderr);
    let out = update(r#"{"cpu": {"quota": 200000, "period": 100000}}"#);
    if std::thread::available_parallelism().unwrap().get() > 1 {
        out.code(1);
        assert!(
            out.stderr.contains("fixed when its VM booted"),
            "{}",
            out.stderr
        );
    }
    let out = update("not json");
    out.code(1);
    assert!(
        out.stderr.contains("not a linux.resources object"),
        "{}",
        out.stderr
    );
    assert_eq!(mem_total_kib(), booted, "a refused update changes nothing");

    run(oci(&env, ["kill", "k1", "9"])).code(0);
    assert_eq!(wait_shim(pid, Duration::from_secs(30)), 137);
    assert_eq!(state(&env, "k1")["status"], "stopped");
    run(oci(&env, ["delete", "k1"])).code(0);

    // SIGKILL of the shim itself: its pid namespace takes the VM along.
    let (out, pid) = create(&env, &dir, "k2");
    out.code(0);
    let pid = pid.unwrap();
    run(oci(&env, ["start", "k2"])).code(0);
    // SAFETY: kill(2) of our own child, the shim.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    assert_eq!(wait_shim(pid, Duration::from_secs(10)), 137);
    let started = Instant::now();
    loop {
        let d = domains(&env);
        if d[0]["state"] == "stopped" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the VM outlived its shim: {d:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(state(&env, "k2")["status"], "stopped");
    run(oci(&env, ["delete", "k2"])).code(0);

    // A killed QEMU: the shim exits 137 and the container is stopped. `ps`
    // lists the host processes of its pid namespace: the shim, and QEMU.
    let (out, pid) = create(&env, &dir, "k3");
    out.code(0);
    let pid = pid.unwrap();
    run(oci(&env, ["start", "k3"])).code(0);
    let out = run(oci(&env, ["ps", "--format", "json", "k3"]));
    out.code(0);
    let pids: Vec<i32> = serde_json::from_value(out.json()).unwrap();
    assert!(pids.contains(&pid), "{pids:?} holds the shim {pid}");
    let qemu = *pids
        .iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.starts_with("qemu"))
        })
        .unwrap_or_else(|| panic!("no QEMU among {pids:?}"));
    // SAFETY: kill(2) of the container's QEMU, found just now.
    unsafe { libc::kill(qemu, libc::SIGKILL) };
    assert_eq!(wait_shim(pid, Duration::from_secs(10)), 137);
    assert_eq!(state(&env, "k3")["status"], "stopped");
    run(oci(&env, ["delete", "k3"])).code(0);
    assert!(domains(&env).is_empty());
}

#[test]
fn bad_bundles_unknown_ids_and_remote_targets_leave_nothing() {
    let env = Env::new();
    let root = env.root().join("oci-root");
    let log = env.root().join("oci-log");
    let empty = env.root().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let mut cmd = oci(&env, ["create", "--bundle"]);
    cmd.arg(&empty).arg("c1");
    let out = run(cmd);
    out.code(1);
    assert!(
        out.stderr
            .contains(&format!("{} has no config.json", empty.display())),
        "{}",
        out.stderr
    );

    let mut c = config(&["/bin/sh"]);
    c["process"]["args"] = serde_json::json!("not a list");
    let dir = bundle(&env, "bad", &c);
    let mut cmd = env.booting(["oci", "--root"]);
    cmd.arg(&root)
        .arg("--log")
        .arg(&log)
        .args(["--log-format", "json", "create", "--bundle"])
        .arg(&dir)
        .arg("c1");
    let out = run(cmd);
    out.code(1);
    let file = dir.join("config.json").display().to_string();
    assert!(
        out.stderr.starts_with(&format!("{file}: process.args: ")),
        "{}",
        out.stderr
    );
    // Exactly one JSON object in the log.
    let logged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    assert_eq!(logged["level"], "error");
    assert!(logged["msg"].as_str().unwrap().contains("process.args"));

    for (program, words) in [
        ("/nonexistent", "executable file not found in $PATH"),
        ("nonexistent", "executable file not found in $PATH"),
        ("/etc/passwd", "permission denied"),
    ] {
        std::fs::write(dir.join("config.json"), config(&[program]).to_string()).unwrap();
        let mut cmd = oci(&env, ["create", "--bundle"]);
        cmd.arg(&dir).arg("c1");
        let out = run(cmd);
        out.code(1);
        assert!(out.stderr.contains(words), "{program}: {}", out.stderr);
    }
    // Nothing was left: no record, no domain.
    assert_eq!(std::fs::read_dir(&root).map(|d| d.count()).unwrap_or(0), 0);
    assert!(domains(&env).is_empty());

    for op in [
        &["state", "c9"][..],
        &["start", "c9"],
        &["kill", "c9", "TERM"],
        &["delete", "c9"],
    ] {
        let out = run(oci(&env, op));
        out.code(1);
        assert_eq!(
            out.stderr.trim(),
            "container \"c9\" does not exist",
            "{op:?}"
        );
    }
    run(oci(&env, ["delete", "--force", "c9"])).code(0);
    let out = run(oci(&env, ["list", "--format", "json"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));

    // A vSphere target: the bundle is a directory on this host.
    run(env.vicport(["target", "add", "vc1", "--url", "https://vc.invalid/sdk"])).code(0);
    std::fs::write(dir.join("config.json"), config(&["/bin/sh"]).to_string()).unwrap();
    let mut cmd = oci(&env, ["create", "--bundle"]);
    cmd.arg(&dir).arg("c1").env("VICPORT_TARGET", "vc1");
    let out = run(cmd);
    out.code(1);
    assert!(
        out.stderr.contains("not supported on target \"vc1\"")
            && out.stderr.contains("a bundle is a directory on this host"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_dir(&root).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn the_runtime_answers_to_its_engine_name() {
    let env = Env::new();
    let dir = env.root().join("bin");
    std::fs::create_dir(&dir).unwrap();
    let vicport = assert_cmd::cargo::cargo_bin("vicport");
    std::os::unix::fs::symlink(&vicport, dir.join("vicport-runc")).unwrap();
    let out = run(Command::new(dir.join("vicport-runc")).arg("--version"));
    out.code(0);
    assert!(out.stdout.starts_with("vicport-runc "), "{}", out.stdout);
    assert!(out.stdout.contains("spec: 1.0.2"), "{}", out.stdout);
    let mut cmd = Command::new(dir.join("vicport-runc"));
    cmd.env("HOME", env.root())
        .args(["--root"])
        .arg(env.root().join("r"))
        .args(["--systemd-cgroup", "state", "nope"]);
    let out = run(cmd);
    out.code(1);
    assert_eq!(out.stderr.trim(), "container \"nope\" does not exist");
    let out = run(Command::new(dir.join("vicport-runc")).arg("features"));
    out.code(0);
    assert_eq!(out.json()["ociVersionMax"], "1.0.2");
    // A usage error is exit 1 too, under this name.
    run(Command::new(dir.join("vicport-runc")).arg("bogus")).code(1);
}

/// The bundle's hooks: those of `create` on the host with the state on
/// stdin (the shim's pid), startContainer in the guest (its path is the
/// container's), poststart and poststop on the host, in order; a failing
/// createContainer hook leaves nothing (no VM, record or shim), and a
/// failing startContainer hook fails `start` and ends the container.
#[test]
fn hooks_run_on_the_host_and_in_the_guest_and_a_failing_one_leaves_nothing() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    let log = env.root().join("hooks.log");
    // Each host hook logs a line: its kind, its env and the state it read.
    let host = |kind: &str| {
        serde_json::json!({
            "path": "/bin/sh",
            "args": ["sh", "-c", format!(
                "printf '{kind} %s ' \"$K\" >> '{l}'; cat >> '{l}'; echo >> '{l}'",
                l = log.display()
            )],
            "env": [format!("K={kind}-env")],
            "timeout": 5,
        })
    };
    // (kind, env, status, pid) of each line logged.
    let logged = || -> Vec<(String, String, String, i64)> {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let mut f = l.splitn(3, ' ');
                let (kind, k, doc) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
                let doc: serde_json::Value = serde_json::from_str(doc).unwrap();
                assert!(doc["id"].as_str().unwrap().starts_with('h'), "{doc}");
                (
                    kind.to_string(),
                    k.to_string(),
                    doc["status"].as_str().unwrap().to_string(),
                    doc["pid"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let line = |kind: &str, status: &str, pid: i32| {
        (
            kind.to_string(),
            format!("{kind}-env"),
            status.to_string(),
            i64::from(pid),
        )
    };
    let mut c = config(&["sh", "-c", "cat /started-by-hook"]);
    c["hooks"] = serde_json::json!({
        "prestart": [host("prestart")],
        "createRuntime": [host("createRuntime")],
        "createContainer": [host("createContainer")],
        // In the guest: the container's /bin/sh, writing in its root.
        "startContainer": [{
            "path": "/bin/sh",
            "args": ["ignored", "-c", "cat > /started-by-hook; echo \"$K\" >> /started-by-hook"],
            "env": ["K=in-the-guest", "PATH=/bin"],
        }],
        "poststart": [host("poststart")],
        "poststop": [host("poststop")],
    });
    let dir = bundle(&env, "hooked", &c);
    let (out, pid) = create(&env, &dir, "h1");
    out.code(0);
    let pid = pid.unwrap();
    assert_eq!(
        logged(),
        [
            line("prestart", "created", pid),
            line("createRuntime", "created", pid),
            line("createContainer", "created", pid),
        ]
    );
    run(oci(&env, ["start", "h1"])).code(0);
    assert_eq!(wait_shim(pid, Duration::from_secs(30)), 0);
    // The process printed what the guest's hook wrote: the state, then
    // its env.
    let stdout = std::fs::read_to_string(dir.join("h1.0.stdout")).unwrap();
    assert!(stdout.contains("\"id\":\"h1\""), "{stdout}");
    assert!(stdout.ends_with("in-the-guest\n"), "{stdout}");
    run(oci(&env, ["delete", "h1"])).code(0);
    assert_eq!(
        logged()[3..],
        [
            line("poststart", "running", pid),
            line("poststop", "stopped", 0)
        ]
    );

    // A failing createContainer hook: create fails naming it, and takes
    // back the VM, the shim and the record; poststop still runs.
    std::fs::remove_file(&log).unwrap();
    let mut c = config(&["true"]);
    c["hooks"] = serde_json::json!({
        "createContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "echo no network for you >&2; exit 3"]}],
        "poststop": [host("poststop")],
    });
    let dir = bundle(&env, "failing", &c);
    let (out, pid) = create(&env, &dir, "h2");
    out.code(1);
    assert_eq!(pid, None, "no pid file");
    assert!(
        out.stderr.contains(
            "the createContainer hook #0 (/bin/sh) failed: exit status 3: no network for you"
        ),
        "{}",
        out.stderr
    );
    let out = run(oci(&env, ["state", "h2"]));
    out.code(1);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(domains(&env).is_empty(), "{:?}", domains(&env));
    assert_eq!(logged(), [line("poststop", "stopped", 0)]);

    // A failing startContainer hook (a program the container lacks):
    // start fails, and the container is no more.
    let mut c = config(&["true"]);
    c["hooks"] = serde_json::json!({"startContainer": [{"path": "/no/such/hook"}]});
    let dir = bundle(&env, "failing-start", &c);
    let (out, pid) = create(&env, &dir, "h3");
    out.code(0);
    let out = run(oci(&env, ["start", "h3"]));
    out.code(1);
    assert!(
        out.stderr
            .contains("the startContainer hook #0 (/no/such/hook) failed in the container"),
        "{}",
        out.stderr
    );
    assert_eq!(wait_shim(pid.unwrap(), Duration::from_secs(10)), 137);
    run(oci(&env, ["state", "h3"])).code(1);
    assert!(domains(&env).is_empty(), "{:?}", domains(&env));
}

/// A network namespace made for a test (`ip netns add`), deleted with
/// everything in it when dropped.
struct TestNetns(String);

impl TestNetns {
    fn new() -> TestNetns {
        let name = crate::support::unique("vicport-rt");
        let st = Command::new("ip").args(["netns", "add", &name]).status();
        assert!(st.is_ok_and(|s| s.success()), "ip netns add {name}");
        TestNetns(name)
    }

    /// `ip -n NAME ARGS…`, which must succeed.
    fn ip(&self, args: &[&str]) {
        let out = run({
            let mut c = Command::new("ip");
            c.args(["-n", &self.0]).args(args);
            c
        });
        out.code(0);
    }

    fn path(&self) -> String {
        format!("/run/netns/{}", self.0)
    }
}

impl Drop for TestNetns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
fn a_namespaces_addresses_routes_and_mtu_reach_the_guest() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    // What an engine could leave in a namespace: both families, a route
    // to another network, a smaller MTU.
    let ns = TestNetns::new();
    // eth0 is one end of a veth pair whose other end is on the host (it
    // goes when the namespace does).
    let peer = format!("vprt{}", std::process::id() % 100_000);
    let out = run({
        let mut c = Command::new("ip");
        c.args([
            "link", "add", &peer, "mtu", "1450", "type", "veth", "peer", "name", "eth0",
        ])
        .args(["netns", &ns.0]);
        c
    });
    out.code(0);
    let out = run({
        let mut c = Command::new("ip");
        c.args(["link", "set", &peer, "up"]);
        c
    });
    out.code(0);
    ns.ip(&["link", "set", "eth0", "mtu", "1450"]);
    ns.ip(&["addr", "add", "10.77.0.5/24", "dev", "eth0"]);
    ns.ip(&["-6", "addr", "add", "fd77::5/64", "dev", "eth0", "nodad"]);
    ns.ip(&["link", "set", "eth0", "up"]);
    ns.ip(&["route", "add", "default", "via", "10.77.0.1"]);
    ns.ip(&["route", "add", "10.78.0.0/16", "via", "10.77.0.254"]);
    ns.ip(&["-6", "route", "add", "default", "via", "fd77::1"]);
    let mut c = config(&[
        "/bin/sh",
        "-c",
        "busybox ip route; busybox ip -6 route; busybox ip -6 addr show dev eth0; busybox ip link show eth0",
    ]);
    c["linux"]["namespaces"] = serde_json::json!([{"type": "network", "path": ns.path()}]);
    let dir = bundle(&env, "b-net", &c);
    let (out, pid) = create(&env, &dir, "n1");
    out.code(0);
    run(oci(&env, ["start", "n1"])).code(0);
    assert_eq!(wait_shim(pid.unwrap(), Duration::from_secs(60)), 0);
    let stdout = std::fs::read_to_string(dir.join("n1.0.stdout")).unwrap();
    for want in [
        "default via 10.77.0.1 dev eth0",
        "10.78.0.0/16 via 10.77.0.254 dev eth0",
        "default via fd77::1 dev eth0",
        "inet6 fd77::5/64 scope global",
        " mtu 1450 ",
    ] {
        assert!(stdout.contains(want), "{want:?} in:\n{stdout}");
    }
    // The address was set without duplicate address detection: usable
    // at once, not `tentative`.
    assert!(!stdout.contains("tentative"), "{stdout}");
    run(oci(&env, ["delete", "n1"])).code(0);
    assert!(domains(&env).is_empty());
}

/// `spec` writes a default config.json (and never over one); `run`
/// creates and starts in one. In the foreground its stdio is the
/// container's, a signal sent to it reaches the process, its exit code is
/// the process's, and with `--keep` the container stays, stopped. On a
/// terminal the process gets one of the same size, typed into. Without
/// `--keep` nothing is left. `--detach` returns with the process running,
/// and refuses a terminal without a console socket. The default config's
/// root is read-only and this rootfs has no /proc, /dev or /sys: the
/// mount points are made in it first, as runc makes them.
#[test]
fn spec_and_run_make_and_run_a_container_in_one_command() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    let dir = bundle(&env, "b-run", &serde_json::json!({}));
    for applet in ["tty", "stty"] {
        std::os::unix::fs::symlink("busybox", dir.join("rootfs/bin").join(applet)).unwrap();
    }
    for d in ["proc", "dev", "sys"] {
        let _ = std::fs::remove_dir(dir.join("rootfs").join(d));
    }
    std::fs::remove_file(dir.join("config.json")).unwrap();
    let mut cmd = oci(&env, ["spec", "--bundle"]);
    cmd.arg(&dir);
    run(cmd).code(0);
    let text = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let mut c: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(c["process"]["terminal"], true);
    assert_eq!(c["process"]["args"], serde_json::json!(["sh"]));
    assert_eq!(c["root"]["readonly"], true);
    let mut cmd = oci(&env, ["spec", "--bundle"]);
    cmd.arg(&dir);
    let out = run(cmd);
    out.code(1);
    assert!(
        out.stderr.contains("config.json exists already"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("config.json")).unwrap(),
        text
    );

    // The foreground, without a terminal, kept: output, input, a signal.
    let with = |c: &mut serde_json::Value, terminal: bool, script: &str| {
        c["process"]["terminal"] = terminal.into();
        c["process"]["args"] = serde_json::json!(["sh", "-c", script]);
        std::fs::write(dir.join("config.json"), c.to_string()).unwrap();
    };
    with(
        &mut c,
        false,
        "read l; echo got $l; echo oops >&2; hostname; trap 'echo TERM came; exit 7' TERM; echo up; while :; do sleep 1; done",
    );
    let (out_file, err_file) = (dir.join("r1.stdout"), dir.join("r1.stderr"));
    let mut cmd = oci(&env, ["run", "--keep", "--bundle"]);
    cmd.arg(&dir)
        .arg("r1")
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"hello\n").unwrap();
    }
    let began = Instant::now();
    while !std::fs::read_to_string(&out_file).unwrap().contains("up\n") {
        assert!(
            child.try_wait().unwrap().is_none() && began.elapsed() < Duration::from_secs(120),
            "the container never came up: {}",
            std::fs::read_to_string(&err_file).unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: kill(2) of our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(7),
        "{}",
        std::fs::read_to_string(&err_file).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "got hello\nvicport\nup\nTERM came\n"
    );
    assert_eq!(std::fs::read_to_string(&err_file).unwrap(), "oops\n");
    assert_eq!(state(&env, "r1")["status"], "stopped");
    for d in ["proc", "dev", "sys"] {
        assert!(
            dir.join("rootfs").join(d).is_dir(),
            "{d} made in the rootfs"
        );
    }
    run(oci(&env, ["delete", "r1"])).code(0);

    // On a terminal, not kept.
    with(&mut c, true, "tty; stty size; read l; echo got $l; exit 5");
    let mut cmd = oci(&env, ["run", "--bundle"]);
    cmd.arg(&dir).arg("r2");
    let (shown, code) = crate::support::on_a_terminal(cmd, (33, 101), &[("33 101", "hi there\r")]);
    assert_eq!(code, Some(5), "{shown}");
    assert!(
        shown.contains("/dev/pts/0\r\n33 101\r\n") && shown.contains("got hi there\r\n"),
        "{shown}"
    );
    let out = run(oci(&env, ["list", "--format", "json"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));
    assert!(domains(&env).is_empty());

    // Detached: a terminal needs a console socket; then the process runs on.
    let mut cmd = oci(&env, ["run", "--detach", "--bundle"]);
    cmd.arg(&dir).arg("r3");
    let out = run(cmd);
    out.code(1);
    assert!(
        out.stderr.contains("--detach leaves nobody to hold it"),
        "{}",
        out.stderr
    );
    assert!(domains(&env).is_empty());
    // PID 1 of its namespace: TERM reaches it once the trap is set.
    with(
        &mut c,
        false,
        "trap 'exit 0' TERM; echo up; while :; do sleep 1; done",
    );
    // The shim keeps the stdio it is given: files, not the pipes that
    // `run` would read to their end.
    let mut cmd = oci(&env, ["run", "--detach", "--bundle"]);
    cmd.arg(&dir)
        .arg("r3")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join("r3.stdout")).unwrap())
        .stderr(std::fs::File::create(dir.join("r3.stderr")).unwrap());
    assert!(
        cmd.status().unwrap().success(),
        "{}",
        std::fs::read_to_string(dir.join("r3.stderr")).unwrap()
    );
    let s = state(&env, "r3");
    assert_eq!(s["status"], "running");
    let pid = s["pid"].as_i64().unwrap() as i32;
    let began = Instant::now();
    while std::fs::read_to_string(dir.join("r3.stdout")).unwrap() != "up\n" {
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "r3 never came up: {:?} {:?}",
            std::fs::read_to_string(dir.join("r3.stdout")).unwrap(),
            std::fs::read_to_string(dir.join("r3.stderr")).unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    run(oci(&env, ["kill", "r3", "TERM"])).code(0);
    assert_eq!(wait_shim(pid, Duration::from_secs(60)), 0);
    run(oci(&env, ["delete", "r3"])).code(0);
    assert!(domains(&env).is_empty());
}

/// The ticks a counting container wrote to `file`, in order.
fn ticks(file: &Path) -> Vec<u32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("tick ")?.parse().ok())
        .collect()
}

/// Wait until `file` holds at least `n` ticks.
fn wait_ticks(file: &Path, n: usize) {
    let started = Instant::now();
    while ticks(file).len() < n {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "fewer than {n} ticks in {}: {:?}",
            file.display(),
            std::fs::read_to_string(file)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn boot_id(env: &Env, id: &str) -> String {
    let out = run(oci(
        env,
        ["exec", id, "cat", "/proc/sys/kernel/random/boot_id"],
    ));
    out.code(0);
    assert_eq!(out.stdout.trim().len(), 36, "{}", out.stdout);
    out.stdout.trim().to_string()
}

/// `restore --detach` of `id` from `image` with `bundle`, its stdio on
/// `out` (and its stderr beside it).
fn restore(env: &Env, image: &Path, bundle: &Path, id: &str, out: &Path) -> Outcome {
    let mut cmd = oci(env, ["restore", "--detach", "--image-path"]);
    cmd.arg(image).arg("--bundle").arg(bundle).arg(id);
    let stdout = std::fs::File::create(out).unwrap();
    let err_file = out.with_extension("stderr");
    cmd.stdin(Stdio::null())
        .stdout(stdout)
        .stderr(std::fs::File::create(&err_file).unwrap());
    let status = cmd.status().unwrap();
    Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: std::fs::read_to_string(&err_file).unwrap_or_default(),
    }
}

#[test]
fn checkpoint_and_restore_carry_a_running_containervm_whole() {
    let env = Env::new();
    env.ensure_boot_image();
    be_subreaper();
    let count = "echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done";
    let dir = bundle(&env, "b-ck", &config(&["sh", "-c", count]));
    let (out, pid) = create(&env, &dir, "ck1");
    out.code(0);
    run(oci(&env, ["start", "ck1"])).code(0);
    let first = dir.join("ck1.0.stdout");
    wait_ticks(&first, 3);
    let boot = boot_id(&env, "ck1");

    // A checkpoint ends the container, as runc's does: the VM is saved
    // and powered off, the shim exits as a dumped process would (137),
    // and nothing of it is left but the checkpoint.
    let image = env.root().join("ck-image");
    let mut cmd = oci(&env, ["checkpoint", "--image-path"]);
    cmd.arg(&image).arg("ck1");
    run(cmd).code(0);
    assert_eq!(wait_shim(pid.unwrap(), Duration::from_secs(30)), 137);
    let out = run(oci(&env, ["state", "ck1"]));
    out.code(1);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(domains(&env).is_empty(), "{:?}", domains(&env));
    for file in ["inventory.img", "state.bin", "domain.json"] {
        assert!(image.join(file).is_file(), "{file} is missing");
    }
    let inventory: serde_json::Value =
        serde_json::from_slice(&std::fs::read(image.join("inventory.img")).unwrap()).unwrap();
    assert_eq!(inventory["format"], "vicport containerVM checkpoint");
    assert_eq!(inventory["container"], "ck1");
    let before = ticks(&first);
    let last = *before.last().unwrap();

    // What it cannot be restored from, or onto, is refused, and leaves
    // nothing: a directory with no checkpoint, and a bundle whose VM
    // would have other memory than the saved guest.
    let out = restore(&env, env.root(), &dir, "ck2", &env.root().join("none.out"));
    out.code(1);
    assert!(out.stderr.contains("holds no checkpoint"), "{}", out.stderr);
    let mut other = config(&["sh", "-c", count]);
    other["linux"]["resources"]["memory"]["limit"] = serde_json::json!(268435456u64);
    let bigger = dir.join("bigger");
    std::fs::create_dir(&bigger).unwrap();
    std::fs::write(bigger.join("config.json"), other.to_string()).unwrap();
    std::os::unix::fs::symlink(dir.join("rootfs"), bigger.join("rootfs")).unwrap();
    let out = restore(&env, &image, &bigger, "ck2", &env.root().join("bigger.out"));
    out.code(1);
    assert!(
        out.stderr.contains("cannot start from the checkpoint")
            && out
                .stderr
                .contains("`-m 192M` where this domain has `-m 256M`"),
        "{}",
        out.stderr
    );
    let out = run(oci(&env, ["list", "--format", "json"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));
    assert!(domains(&env).is_empty(), "{:?}", domains(&env));

    // Restored under another id: the same kernel (its boot id), and the
    // shell goes on counting where it was; it never starts again.
    let second = env.root().join("ck2.out");
    restore(&env, &image, &dir, "ck2", &second).code(0);
    assert_eq!(state(&env, "ck2")["status"], "running");
    assert_eq!(boot_id(&env, "ck2"), boot);
    wait_ticks(&second, 3);
    let after = ticks(&second);
    assert!(
        after[0] > last && after[0] <= last + 2,
        "counted {before:?}, then {after:?}"
    );
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(!text.contains("started"), "{text}");

    // --leave-running: saved, and it runs on; that checkpoint restores
    // beside it, as a second copy of the same guest.
    let image2 = env.root().join("ck-image2");
    let mut cmd = oci(&env, ["checkpoint", "--leave-running", "--image-path"]);
    cmd.arg(&image2).arg("ck2");
    run(cmd).code(0);
    assert_eq!(state(&env, "ck2")["status"], "running");
    let n = ticks(&second).len();
    wait_ticks(&second, n + 2);
    let third = env.root().join("ck3.out");
    restore(&env, &image2, &dir, "ck3", &third).code(0);
    assert_eq!(boot_id(&env, "ck3"), boot);
    wait_ticks(&third, 2);
    for id in ["ck2", "ck3"] {
        run(oci(&env, ["delete", "--force", id])).code(0);
    }
    assert!(domains(&env).is_empty(), "{:?}", domains(&env));
}
