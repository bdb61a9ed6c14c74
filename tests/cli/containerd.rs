//! Debian's containerd 1.6 running containerVMs through its stock runc shim
//! (`containerd-shim-runc-v2`) with vicport as the runc binary, as its
//! users would: `ctr run --runc-binary …`. Each test starts a containerd of
//! its own (its config, root, state and socket in the test's directory; no
//! TCP listener: no metrics or debug address, the CRI plugin disabled) and
//! kills it at the end, failure or not, after its tasks and containers.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vicport::plumbing::image::fixtures;

use crate::support::runtime::runc_wrapper;
use crate::support::{Env, run};

/// The image the tests run: the busybox fixture, imported under this name.
const IMAGE: &str = "fixture/busybox:containerd";

/// The busybox fixture's layers, each hard link's header carrying its
/// file's mode as tar writes it: containerd applies a link header's mode
/// to the file (the fixture's 0644 `bin/true` would make busybox
/// unexecutable), where podman's import keeps the file's.
fn image_layers() -> Vec<fixtures::Layer> {
    let mut layers = fixtures::busybox_layers().unwrap();
    for layer in &mut layers {
        let modes: std::collections::HashMap<String, u32> = layer
            .entries
            .iter()
            .map(|e| (e.path.clone(), e.mode))
            .collect();
        for e in &mut layer.entries {
            if let fixtures::Kind::Hardlink(target) = &e.kind {
                if let Some(mode) = modes.get(target) {
                    e.mode = *mode;
                }
            }
        }
    }
    layers
}

/// One test's containerd, with vicport as the runc binary of its tasks.
struct Containerd {
    dir: PathBuf,
    daemon: Child,
    runtime: PathBuf,
}

impl Containerd {
    /// A containerd for `env`, ready, with the busybox fixture imported.
    fn start(env: &Env) -> Containerd {
        for bin in [
            "/usr/bin/containerd",
            "/usr/bin/ctr",
            "/usr/bin/containerd-shim-runc-v2",
        ] {
            assert!(
                Path::new(bin).exists(),
                "these tests need Debian's containerd ({bin}): scripts/install-deps --tests"
            );
        }
        env.ensure_boot_image();
        let dir = env.root().join("containerd");
        for d in ["root", "state", "fifo", "runc-root", "tmp"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        // containerd's runc shim passes its own --root (under --runc-root).
        let runtime = runc_wrapper(env, &dir, None);
        let config = format!(
            "version = 2\n\
             root = '{root}'\n\
             state = '{state}'\n\
             disabled_plugins = ['io.containerd.grpc.v1.cri']\n\
             [grpc]\n  address = '{sock}'\n  tcp_address = ''\n\
             [ttrpc]\n  address = ''\n\
             [debug]\n  address = ''\n\
             [metrics]\n  address = ''\n",
            root = dir.join("root").display(),
            state = dir.join("state").display(),
            sock = dir.join("containerd.sock").display(),
        );
        std::fs::write(dir.join("containerd.toml"), config).unwrap();
        let log = std::fs::File::create(dir.join("containerd.log")).unwrap();
        // Its temporary files (a restore's unpacked checkpoint, which
        // containerd 1.6 never removes) in the test's directory.
        let daemon = Command::new("containerd")
            .env("TMPDIR", dir.join("tmp"))
            .arg("--config")
            .arg(dir.join("containerd.toml"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("containerd starts");
        let c = Containerd {
            dir,
            daemon,
            runtime,
        };
        let started = Instant::now();
        while c
            .ctr(["version"])
            .output()
            .map(|o| !o.status.success())
            .unwrap_or(true)
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "containerd did not answer on its socket:\n{}",
                c.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // The busybox fixture as an OCI archive, imported as ctr users do.
        let archive = c.dir.join("busybox-oci.tar");
        let (files, _) = fixtures::oci_files(&image_layers(), "containerd", Some(IMAGE));
        fixtures::write_tar(&archive, &files).unwrap();
        let out = run(c
            .ctr([
                "images",
                "import",
                "--base-name",
                "fixture/busybox",
                "--digests",
            ])
            .arg(&archive));
        out.code(0);
        let images = run(c.ctr(["images", "ls", "-q"]));
        assert!(
            images.stdout.lines().any(|l| l == IMAGE),
            "{}",
            images.stdout
        );
        c
    }

    /// `ctr -a SOCKET ARGS…`.
    fn ctr<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new("ctr");
        cmd.arg("-a")
            .arg(self.dir.join("containerd.sock"))
            .args(args);
        cmd
    }

    /// `ctr run` of the image as container `id` with vicport as the runc
    /// binary; `flags` go before the image.
    fn ctr_run(&self, flags: &[&str], id: &str, command: &[&str]) -> Command {
        let mut cmd = self.ctr(["run", "--runc-binary"]);
        cmd.arg(&self.runtime)
            .arg("--runc-root")
            .arg(self.dir.join("runc-root"))
            .arg("--fifo-dir")
            .arg(self.dir.join("fifo"))
            .args(flags)
            .args([IMAGE, id])
            .args(command);
        cmd
    }

    /// `ctr tasks exec` of `command` in task `id` as exec `exec_id`.
    fn exec(&self, exec_id: &str, id: &str, command: &[&str]) -> Command {
        let mut cmd = self.ctr(["tasks", "exec", "--fifo-dir"]);
        cmd.arg(self.dir.join("fifo"))
            .args(["--exec-id", exec_id, id])
            .args(command);
        cmd
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("containerd.log")).unwrap_or_default()
    }

    /// The TCP sockets containerd listens on (none, by its config).
    fn tcp_listeners(&self) -> Vec<String> {
        let pid = self.daemon.id();
        let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter_map(|l| {
                let l = l.to_string_lossy().into_owned();
                Some(l.strip_prefix("socket:[")?.strip_suffix(']')?.to_string())
            })
            .collect();
        let mut found = Vec::new();
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = std::fs::read_to_string(table).unwrap_or_default();
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                // State 0A is LISTEN; field 9 is the socket's inode.
                if f.len() > 9 && f[3] == "0A" && inodes.iter().any(|i| i == f[9]) {
                    found.push(format!("{table}: {}", f[1]));
                }
            }
        }
        found
    }
}

impl Drop for Containerd {
    fn drop(&mut self) {
        // Its tasks first (their shims outlive containerd), then containerd.
        let tasks = run(self.ctr(["tasks", "ls", "-q"])).stdout;
        for id in tasks.lines().filter(|l| !l.is_empty()) {
            let _ = run(self.ctr(["tasks", "kill", "-s", "SIGKILL", id]));
            let _ = run(self.ctr(["tasks", "delete", "--force", id]));
        }
        let containers = run(self.ctr(["containers", "ls", "-q"])).stdout;
        for id in containers.lines().filter(|l| !l.is_empty()) {
            let _ = run(self.ctr(["containers", "rm", id]));
        }
        // SAFETY: kill(2) of the containerd this test started.
        unsafe { libc::kill(self.daemon.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.daemon.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.daemon.kill();
                let _ = self.daemon.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Its snapshots are overlay mounts under its root.
        let root = self.dir.join("root");
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        for m in mounts.lines().filter_map(|l| l.split(' ').nth(1)) {
            if Path::new(m).starts_with(&root) {
                let _ = Command::new("umount").arg("-l").arg(m).status();
            }
        }
    }
}

#[test]
fn containerd_runs_containervms_through_its_runc_shim() {
    let env = Env::new();
    let c = Containerd::start(&env);
    assert_eq!(
        c.tcp_listeners(),
        Vec::<String>::new(),
        "containerd listens on TCP"
    );

    // Output and the exit code, through create, start, delete.
    let out = run(c.ctr_run(
        &["--rm"],
        "once",
        &[
            "sh",
            "-c",
            "echo hello from $(cat /etc/hostname); echo to stderr >&2; exit 3",
        ],
    ));
    out.code(3);
    assert!(out.stdout.starts_with("hello from "), "{}", out.stdout);
    assert!(out.stderr.contains("to stderr"), "{}", out.stderr);

    // A long-running container: exec (output, exit codes), ps, then kill.
    let mut attached = c
        .ctr_run(
            &[],
            "web",
            &[
                "sh",
                "-c",
                "echo started; while true; do busybox sleep 1; done",
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ctr runs");
    let started = Instant::now();
    while !run(c.ctr(["tasks", "ls"])).stdout.contains("RUNNING") {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the task never ran:\n{}",
            c.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = run(c.exec("e1", "web", &["sh", "-c", "echo in exec; exit 6"]));
    out.code(6);
    assert_eq!(out.stdout, "in exec\n");
    // The image's layers as containerd's snapshotter made them.
    let out = run(c.exec("e2", "web", &["cat", "/var/cache/fresh.txt"]));
    out.code(0);
    assert_eq!(out.stdout, "fresh\n");
    // ps: the runtime's `ps --format json`, the container's host pids (the
    // task's, its shim's, among them).
    let task_pid = run(c.ctr(["tasks", "ls"]))
        .stdout
        .lines()
        .find(|l| l.starts_with("web "))
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        .expect("the task is listed");
    let out = run(c.ctr(["tasks", "ps", "web"]));
    out.code(0);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some(&task_pid)),
        "{}",
        out.stdout
    );
    // kill --all: the shim's `kill --all` reaches an exec's process (it
    // dies of TERM); the task's shell, the init of its pid namespace with
    // no handler for TERM, drops it and runs on.
    let sleeper = c
        .exec("e4", "web", &["busybox", "sleep", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ctr exec runs");
    crate::support::wait_for_output(
        || c.exec("e5", "web", &["busybox", "ps"]),
        "sleep 1000",
        Duration::from_secs(30),
        "the exec never ran",
    );
    run(c.ctr(["tasks", "kill", "--all", "-s", "SIGTERM", "web"])).code(0);
    let slept = sleeper.wait_with_output().unwrap();
    assert_eq!(slept.status.code(), Some(143), "{slept:?}");
    assert!(run(c.ctr(["tasks", "ls"])).stdout.contains("RUNNING"));
    // pause and resume: the VM's CPUs stop and run again.
    run(c.ctr(["tasks", "pause", "web"])).code(0);
    assert!(
        run(c.ctr(["tasks", "ls"])).stdout.contains("PAUSED"),
        "the task is not paused"
    );
    run(c.ctr(["tasks", "resume", "web"])).code(0);
    let out = run(c.exec("e3", "web", &["true"]));
    out.code(0);
    run(c.ctr(["tasks", "kill", "-s", "SIGKILL", "web"])).code(0);
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = attached.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "ctr run did not end after the kill"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = attached.wait_with_output().unwrap();
    assert_eq!(
        status.code(),
        Some(137),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "started\n");
    // ctr run deleted the task as it ended (the runtime's delete); the
    // container's record is left for `containers rm`.
    run(c.ctr(["containers", "rm", "web"])).code(0);

    // Nothing left: no task, no runtime record, no domain.
    assert_eq!(run(c.ctr(["tasks", "ls", "-q"])).stdout.trim(), "");
    let records = std::fs::read_dir(c.dir.join("runc-root/default"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(records, 0, "runtime records left behind");
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]), "domains left behind");
}

#[test]
fn ctr_checkpoint_and_restore_bring_back_the_same_guest() {
    let env = Env::new();
    let c = Containerd::start(&env);
    let mut run_d = c.ctr_run(
        &["-d"],
        "ck",
        &["sh", "-c", "while true; do busybox sleep 1; done"],
    );
    run(run_d.stdin(Stdio::null())).code(0);
    let boot_id = |exec_id: &str| {
        let out = run(c.exec(exec_id, "ck", &["cat", "/proc/sys/kernel/random/boot_id"]));
        out.code(0);
        assert_eq!(out.stdout.trim().len(), 36, "{}", out.stdout);
        out.stdout.trim().to_string()
    };
    let boot = boot_id("b1");

    // containerd pauses the task, checkpoints it with --leave-running
    // and resumes it: it runs on, and the checkpoint is an image.
    run(c.ctr([
        "containers",
        "checkpoint",
        "--task",
        "--rw",
        "ck",
        "localhost/ck:1",
    ]))
    .code(0);
    assert_eq!(boot_id("b2"), boot);
    run(c.ctr(["tasks", "kill", "-s", "SIGKILL", "ck"])).code(0);
    let started = Instant::now();
    while !run(c.ctr(["tasks", "ls"])).stdout.contains("STOPPED") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the task did not stop"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    run(c.ctr(["tasks", "delete", "ck"])).code(0);
    run(c.ctr(["containers", "rm", "ck"])).code(0);

    // Restored with its memory (containerd's runc client passes
    // -no-subreaper with one dash): the same guest, running.
    run(c.ctr([
        "containers",
        "restore",
        "--rw",
        "--live",
        "ck",
        "localhost/ck:1",
    ]))
    .code(0);
    let tasks = run(c.ctr(["tasks", "ls"]));
    assert!(tasks.stdout.contains("RUNNING"), "{}", tasks.stdout);
    assert_eq!(boot_id("b3"), boot);
    run(c.ctr(["tasks", "kill", "-s", "SIGKILL", "ck"])).code(0);
}
