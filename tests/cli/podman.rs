//! Debian's podman 4.3 (with conmon 2.1.6) driving vicport as its OCI
//! runtime, the way its users would: `podman --runtime vicport run …`.
//! Each test gets its own podman storage and runtime root; the runtime is
//! a `vicport-runc` script that points vicport at the test's directories
//! (engines give runtimes hardly any environment) and calls the binary by
//! that name.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::runtime::runc_wrapper;
use crate::support::{Env, Outcome, on_a_terminal, run, run_with_stdin};

/// One test's podman, with vicport as the runtime `vicport`.
pub(crate) struct Podman {
    dir: PathBuf,
}

impl Podman {
    /// Podman for `env`, with an image `localhost/bb` of Debian's
    /// busybox-static.
    pub(crate) fn new(env: &Env) -> Podman {
        Podman::with_conf(env, "")
    }

    /// [`new`](Self::new) with `extra` at the end of its containers.conf.
    pub(crate) fn with_conf(env: &Env, extra: &str) -> Podman {
        assert!(
            Path::new("/usr/bin/podman").exists() && Path::new("/usr/bin/conmon").exists(),
            "these tests need Debian's podman and conmon: scripts/install-deps --tests"
        );
        env.ensure_boot_image();
        let dir = env.root().join("podman");
        for d in ["storage", "run", "tmp", "rootfs"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        // vicport under the runtime's name, and the script podman runs.
        let wrapper = runc_wrapper(env, &dir, Some(&dir.join("oci-root")));
        // Podman's default rlimits need CAP_SYS_RESOURCE, which these
        // machines lack; and the JSON error log goes to runtimes named here.
        std::fs::write(
            dir.join("containers.conf"),
            format!(
                "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n\
                 [engine]\nruntime_supports_json = [\"crun\", \"runc\", \"vicport\"]\n\
                 runtime_supports_kvm = [\"vicport\"]\n\
                 [engine.runtimes]\nvicport = [\"{}\"]\n{extra}",
                wrapper.display()
            ),
        )
        .unwrap();
        let p = Podman { dir };
        // The image: busybox with the applets the tests use.
        let tar = vicport::plumbing::image::fixtures::rootfs_tar(&p.dir, false).unwrap();
        let rootfs = p.dir.join("rootfs");
        assert!(
            Command::new("tar")
                .arg("-xf")
                .arg(&tar.path)
                .arg("-C")
                .arg(&rootfs)
                .status()
                .unwrap()
                .success()
        );
        for applet in ["sleep", "hostname", "touch", "mkdir"] {
            std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(applet)).unwrap();
        }
        let image_tar = p.dir.join("bb.tar");
        assert!(
            Command::new("tar")
                .arg("-C")
                .arg(&rootfs)
                .arg("-cf")
                .arg(&image_tar)
                .arg(".")
                .status()
                .unwrap()
                .success()
        );
        let mut import = p.cmd(["import", "--change", "CMD [\"/bin/sh\"]"]);
        import
            .args(["--change", "ENV PATH=/bin:/usr/bin"])
            .arg(&image_tar)
            .arg("localhost/bb:latest");
        run(import).code(0);
        p
    }

    /// `podman --runtime vicport ARGS…` with this test's storage.
    pub(crate) fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new("podman");
        cmd.env("CONTAINERS_CONF", self.dir.join("containers.conf"))
            .env("HOME", self.dir.join("tmp"))
            .env("TMPDIR", self.dir.join("tmp"))
            .arg("--root")
            .arg(self.dir.join("storage"))
            .arg("--runroot")
            .arg(self.dir.join("run"))
            .arg("--tmpdir")
            .arg(self.dir.join("tmp"))
            .args([
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "file",
                "--runtime",
                "vicport",
            ])
            .args(args);
        cmd
    }

    pub(crate) fn run<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        run(self.cmd(args))
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        // Leave no container (nor its VM) behind, and no mounts in the
        // test's directory.
        let _ = self.run(["rm", "--all", "--force", "--time", "0"]);
        let _ = self.run(["system", "reset", "--force"]);
    }
}

#[test]
fn podman_run_passes_output_exit_codes_stdin_terminals_volumes_and_diffs() {
    let env = Env::new();
    let p = Podman::new(&env);
    let net = "--network=none";

    let out = p.run([
        "run",
        "--rm",
        net,
        "localhost/bb",
        "sh",
        "-c",
        "echo hello from $(hostname); exit 3",
    ]);
    out.code(3);
    assert!(out.stdout.starts_with("hello from "), "{}", out.stdout);
    // A program relative to the working directory is found from there,
    // at create's check as in the guest.
    // And --shm-size reaches the guest's /dev/shm.
    let out = p.run([
        "run",
        "--rm",
        net,
        "-w",
        "/bin",
        "--shm-size=16m",
        "localhost/bb",
        "./sh",
        "-c",
        "echo in $PWD; busybox grep ' /dev/shm ' /proc/mounts",
    ]);
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "in /bin", "{}", out.stdout);
    assert!(
        lines[1].starts_with("shm /dev/shm tmpfs ") && lines[1].contains("size=16384k"),
        "{}",
        out.stdout
    );
    // Found wanting before a VM boots, with the words podman maps.
    let out = p.run(["run", "--rm", net, "localhost/bb", "/nonexistent"]);
    out.code(127);
    assert!(
        out.stderr.contains("executable file not found in $PATH"),
        "{}",
        out.stderr
    );
    p.run(["run", "--rm", net, "localhost/bb", "/etc/passwd"])
        .code(126);

    let out = run_with_stdin(
        p.cmd(["run", "--rm", "-i", net, "localhost/bb", "cat"]),
        "through stdin\n",
    );
    out.code(0);
    assert_eq!(out.stdout, "through stdin\n");

    let (screen, code) = on_a_terminal(
        p.cmd(["run", "--rm", "-it", net, "localhost/bb", "sh"]),
        (30, 100),
        &[("# ", "tty; echo rows $(busybox stty size); exit 5\r")],
    );
    assert_eq!(code, Some(5), "{screen}");
    assert!(screen.contains("/dev/pts/"), "{screen}");
    assert!(screen.contains("rows 30 100"), "{screen}");

    // A volume written in the VM, read on the host; the container's own
    // writes seen by podman diff.
    let host = env.root().join("hostdir");
    std::fs::create_dir(&host).unwrap();
    let volume = format!("{}:/data", host.display());
    p.run([
        "run",
        "--name",
        "writer",
        net,
        "-v",
        &volume,
        "localhost/bb",
        "sh",
        "-c",
        "echo from-vm > /data/f.txt; echo new > /written-in-vm",
    ])
    .code(0);
    assert_eq!(
        std::fs::read_to_string(host.join("f.txt")).unwrap(),
        "from-vm\n"
    );
    let out = p.run(["diff", "writer"]);
    out.code(0);
    assert!(out.stdout.contains("A /written-in-vm"), "{}", out.stdout);
    p.run(["rm", "writer"]).code(0);
}

#[test]
fn podman_detached_containers_exec_stop_kill_pause_restart_and_rm() {
    let env = Env::new();
    let p = Podman::new(&env);
    let out = p.run([
        "run",
        "-d",
        "--name",
        "web",
        "--network=none",
        "localhost/bb",
        "sh",
        "-c",
        "echo started; trap 'echo got TERM; exit 0' TERM; while true; do sleep 1; done",
    ]);
    out.code(0);

    let out = p.run(["exec", "web", "sh", "-c", "echo in exec; exit 7"]);
    out.code(7);
    assert_eq!(out.stdout, "in exec\n");
    p.run(["exec", "web", "/nonexistent"]).code(127);
    let (screen, code) = on_a_terminal(
        p.cmd(["exec", "-it", "web", "sh"]),
        (24, 80),
        &[("# ", "echo exec tty $(tty); exit 4\r")],
    );
    assert_eq!(code, Some(4), "{screen}");
    assert!(screen.contains("exec tty /dev/pts/"), "{screen}");
    p.run(["exec", "-d", "web", "sleep", "300"]).code(0);

    // podman top reads the container's pid namespace: the shim and the
    // VM's host processes, never the host's own.
    let out = p.run(["top", "web"]);
    out.code(0);
    assert!(out.stdout.contains("vicport oci"), "{}", out.stdout);
    assert!(!out.stdout.contains("kthreadd"), "{}", out.stdout);

    p.run(["pause", "web"]).code(0);
    let out = p.run(["inspect", "--format", "{{.State.Status}}", "web"]);
    assert_eq!(out.stdout.trim(), "paused");
    p.run(["unpause", "web"]).code(0);
    p.run(["exec", "web", "true"]).code(0);

    // update: a memory limit moves the VM's balloon (it booted with the
    // default 256 MiB); the guest's kernel then has less than the limit.
    let mem_total_kib = || {
        crate::support::mem_total_kib(p.cmd([
            "exec",
            "web",
            "busybox",
            "grep",
            "MemTotal",
            "/proc/meminfo",
        ]))
    };
    assert!(mem_total_kib() > 192 << 10);
    p.run(["update", "--memory", "128m", "web"]).code(0);
    let now = mem_total_kib();
    assert!(now <= 128 << 10, "MemTotal {now} kB");

    // stop: TERM (the trap answers), with the exec still running.
    p.run(["stop", "-t", "10", "web"]).code(0);
    let out = p.run(["inspect", "--format", "{{.State.ExitCode}}", "web"]);
    assert_eq!(out.stdout.trim(), "0");
    let out = p.run(["logs", "web"]);
    assert_eq!(out.stdout, "started\ngot TERM\n");

    // Started again on the same bundle; then kill: KILL, 137.
    p.run(["start", "web"]).code(0);
    p.run(["kill", "web"]).code(0);
    let out = p.run(["wait", "web"]);
    assert_eq!(out.stdout.trim(), "137");

    // The container's process is PID 1 of its own pid namespace, as
    // under crun: a shell with no TERM handler ignores stop's TERM, and
    // stop escalates to KILL after -t (137). An exec joins the namespace
    // and sees its /proc (PID 1 is the shell, not the tether).
    p.run([
        "run",
        "-d",
        "--name",
        "stubborn",
        "--network=none",
        "localhost/bb",
        "sh",
        "-c",
        "echo \"pid $$\"; while true; do sleep 1; done",
    ])
    .code(0);
    crate::support::wait_for_output(
        || p.cmd(["logs", "stubborn"]),
        "pid 1\n",
        std::time::Duration::from_secs(60),
        "the shell never said its pid",
    );
    let out = p.run([
        "exec",
        "stubborn",
        "sh",
        "-c",
        "tr '\\0' ' ' < /proc/1/cmdline; echo; echo $$",
    ]);
    out.code(0);
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("sh -c echo \"pid $$\"; while true; do sleep 1; done "),
        "{}",
        out.stdout
    );
    let own: u32 = lines.next().unwrap().parse().unwrap();
    assert!((2..100).contains(&own), "{}", out.stdout);
    let out = p.run(["stop", "-t", "2", "stubborn"]);
    out.code(0);
    let out = p.run(["inspect", "--format", "{{.State.ExitCode}}", "stubborn"]);
    assert_eq!(out.stdout.trim(), "137");

    // Without a pid namespace of its own (`--pid host`: the guest's),
    // podman's stop sends `kill --all`: the child, with TERM at its
    // default, dies of it, the shell ignores it and its `wait` returns,
    // so the container ends at once by itself (0), not by stop's KILL.
    p.run([
        "run",
        "-d",
        "--name",
        "shared",
        "--pid",
        "host",
        "--network=none",
        "localhost/bb",
        "sh",
        "-c",
        "trap '' TERM; (trap - TERM; exec sleep 1000) & echo waiting; wait; echo children gone",
    ])
    .code(0);
    crate::support::wait_for_output(
        || p.cmd(["logs", "shared"]),
        "waiting",
        std::time::Duration::from_secs(60),
        "the container never said it waits",
    );
    p.run(["stop", "-t", "30", "shared"]).code(0);
    let out = p.run(["inspect", "--format", "{{.State.ExitCode}}", "shared"]);
    assert_eq!(out.stdout.trim(), "0");
    let out = p.run(["logs", "shared"]);
    assert_eq!(out.stdout, "waiting\nchildren gone\n");
    p.run(["rm", "shared"]).code(0);

    // rm -f of a running container with a live exec.
    p.run(["start", "web"]).code(0);
    p.run(["exec", "-d", "web", "sleep", "300"]).code(0);
    p.run(["rm", "-f", "web"]).code(0);
    p.run(["rm", "stubborn"]).code(0);
    let out = p.run(["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(out.stdout.trim(), "");
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]), "domains left behind");
}
