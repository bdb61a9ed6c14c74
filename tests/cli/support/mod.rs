//! Test support: a fresh environment per test (config, state, cache, home)
//! and a ready `vicport` command in it, so tests read like what a user types.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

pub mod probe;
pub mod registry;
pub mod runtime;
pub mod vcsim;

/// One test's private world.
pub struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A new, empty world.
    pub fn new() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("vicport-test-")
            .tempdir()
            .expect("a temp dir");
        Env { dir }
    }

    /// The world's root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The config file vicport reads.
    pub fn config_file(&self) -> PathBuf {
        self.root().join("config/vicport/config.toml")
    }

    /// The state directory.
    pub fn state_dir(&self) -> PathBuf {
        self.root().join("state")
    }

    /// `vicport ARGS…` in this world, with nothing inherited that could
    /// change its behaviour.
    pub fn vicport<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("vicport").expect("the vicport binary is built");
        for var in [
            "VICPORT_TARGET",
            "VICPORT_OUTPUT",
            "VICPORT_PASSWORD",
            "VICPORT_CONFIG",
            "VICPORT_TIMEOUT",
            // A user's own cache, tether or helper binary must not leak in
            // (a test that wants one sets it after this).
            "VICPORT_CACHE_DIR",
            "VICPORT_TETHER",
            "VICPORT_BINARY",
            "NO_COLOR",
            "DBUS_SESSION_BUS_ADDRESS",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.root().join("home"))
            .env("XDG_CONFIG_HOME", self.root().join("config"))
            .env("XDG_DATA_HOME", self.root().join("data"))
            .env("XDG_CACHE_HOME", self.root().join("cache"))
            .env("VICPORT_STATE_DIR", self.state_dir())
            .env("VICPORT_KEYRING", "keyutils")
            .args(args);
        cmd
    }
}

/// A test's local domains and networks go with its world, even when the
/// test fails: no QEMU, bridge, tap or nftables table outlives it (they
/// are the host's, not the temporary directory's).
impl Drop for Env {
    fn drop(&mut self) {
        let state = self.state_dir();
        if !state.join("domains").is_dir() && !state.join("networks").is_dir() {
            return;
        }
        let local = |args: &[&str]| {
            let mut cmd = self.vicport(["-T", "local"]);
            cmd.args(args);
            run(cmd)
        };
        let ids = local(&["-q", "domain", "ls"]).stdout;
        let ids: Vec<&str> = ids.lines().filter(|l| !l.is_empty()).collect();
        if !ids.is_empty() {
            let mut rm = vec!["domain", "rm", "-f"];
            rm.extend(&ids);
            local(&rm);
        }
        for n in local(&["-q", "network", "ls"]).stdout.lines() {
            if !n.is_empty() {
                local(&["network", "rm", n]);
            }
        }
    }
}

/// Whether the tests run as root (bridges, taps, nftables).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `vicport -o json ARGS…` in `env`, which must succeed: its document.
pub fn json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = run(env.vicport(["-o", "json"]).args(args));
    out.code(0);
    out.json()
}

/// What a finished command printed and how it exited.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Parse stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Parse stderr as the JSON error document.
    pub fn json_error(&self) -> serde_json::Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not a JSON error ({e}):\n{}", self.stderr))
    }

    /// Assert that a `-o json` command failed with exit `code`, an error
    /// of `kind`, and a message that says `says`.
    #[track_caller]
    pub fn fails(&self, code: i32, kind: &str, says: &str) {
        self.code(code);
        let error = &self.json_error()["error"];
        assert_eq!(error["kind"], kind, "{error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{says:?} not in {message:?}");
    }

    /// Assert the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Run to completion.
pub fn run(mut cmd: impl std::borrow::BorrowMut<Command>) -> Outcome {
    let out = cmd.borrow_mut().output().expect("vicport runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `cmds` all at once (racing each other); their outcomes, in order.
pub fn run_all(cmds: impl IntoIterator<Item = Command>) -> Vec<Outcome> {
    use std::process::Stdio;
    let children: Vec<_> = cmds
        .into_iter()
        .map(|mut c| {
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("vicport runs")
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("vicport finishes");
            Outcome {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        })
        .collect()
}

/// Run with `input` on stdin.
pub fn run_with_stdin(mut cmd: impl std::borrow::BorrowMut<Command>, input: &str) -> Outcome {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .borrow_mut()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vicport runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin accepts the input");
    let out = child.wait_with_output().expect("vicport finishes");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A name no other test (or earlier run) uses, for global resources such as
/// keyring entries.
pub fn unique(prefix: &str) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// The workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Run `f` under an exclusive lock shared by every test process.
pub fn locked<T>(name: &str, f: impl FnOnce() -> T) -> T {
    use std::os::fd::AsRawFd;
    let dir = target_dir().join("test-locks");
    std::fs::create_dir_all(&dir).expect("creating the test lock dir");
    let file = std::fs::File::create(dir.join(name)).expect("creating a test lock");
    // SAFETY: flock on a descriptor we own; released when `file` drops.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "locking {name}");
    f()
}

/// The statically linked tether, built once for all tests (into its own
/// target directory, so the static build never replaces a dynamic one).
pub fn tether() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            locked("tether-build", || {
                let dir = target_dir().join("static-tether");
                let out = Command::new(env!("CARGO"))
                    .args([
                        "rustc",
                        "-q",
                        "-p",
                        "tether",
                        "--release",
                        "--bin",
                        "tether",
                    ])
                    .arg("--manifest-path")
                    .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
                    .args(["--", "-C", "target-feature=+crt-static"])
                    .env("CARGO_TARGET_DIR", &dir)
                    .output()
                    .expect("running cargo to build the static tether");
                assert!(
                    out.status.success(),
                    "building the static tether failed:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                dir.join("release/tether")
            })
        })
        .clone()
}

/// A TCP port on 127.0.0.1 that nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A cache shared by the tests that boot domains: the boot image (keyed by
/// its inputs, so sharing is safe), the downloaded packages and the
/// accelerator verdict are made once.
pub fn shared_cache() -> PathBuf {
    let dir = target_dir().join("test-cache");
    std::fs::create_dir_all(&dir).expect("creating the shared test cache");
    dir
}

impl Env {
    /// Import the busybox root filesystem (Debian's busybox-static) as the
    /// image `busybox` on this world's current target.
    pub fn import_busybox(&self) {
        self.import_busybox_by(self.vicport(["image", "import"]));
    }

    /// [`Env::import_busybox`] through `import`, a `vicport image import`
    /// command of the caller's (another cache directory, say).
    pub fn import_busybox_by(&self, mut import: Command) {
        let dir = self.root().join("fixtures");
        std::fs::create_dir_all(&dir).expect("creating the fixtures dir");
        let tar = vicport::plumbing::image::fixtures::rootfs_tar(&dir, false)
            .expect("the busybox rootfs tar");
        run(import.arg(&tar.path).args(["--name", "busybox"])).code(0);
    }

    /// `vicport` set up to boot real domains: the static tether and the
    /// shared cache. The first caller builds the boot image.
    pub fn booting<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.vicport(args);
        cmd.env("VICPORT_TETHER", tether())
            .env("VICPORT_CACHE_DIR", shared_cache());
        cmd
    }

    /// Build the boot image once for all tests: once per test process (it
    /// asks apt for the packages' versions), under a lock shared with other
    /// test processes.
    pub fn ensure_boot_image(&self) {
        static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
        BUILT.get_or_init(|| {
            locked("bootstrap", || {
                let out = run(self.booting(["-q", "system", "bootstrap"]));
                out.code(0);
            })
        });
    }
}

/// Run `cmd` on a new pseudo-terminal of `size` (rows, cols) that is its
/// stdin, stdout, stderr and controlling terminal, as a user at a shell
/// would. `script` is what the user types: each time the terminal shows the
/// first string, the second is typed. Returns everything the terminal
/// showed and the exit code.
pub fn on_a_terminal(
    mut cmd: Command,
    size: (u16, u16),
    script: &[(&str, &str)],
) -> (String, Option<i32>) {
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    let (mut master, mut slave) = (0, 0);
    let ws = libc::winsize {
        ws_row: size.0,
        ws_col: size.1,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty with valid out-pointers and a valid winsize.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: openpty returned two fresh descriptors that we now own.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    cmd.stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave.try_clone().unwrap());
    // SAFETY: setsid and TIOCSCTTY on the child's own stdin (the pty) are
    // async-signal-safe and touch no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("vicport runs on a terminal");
    // The Command holds its copies of the slave until dropped; with any
    // copy open here, the read below would never see the process go.
    drop(cmd);
    drop(slave);
    let mut reader = std::fs::File::from(master.try_clone().unwrap());
    let mut writer = std::fs::File::from(master);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let collected = seen.clone();
    let pump = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // The slave closes when the process exits: the read then fails (EIO).
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            collected.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut shown_before = 0;
    for (prompt, typed) in script {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
            if let Some(at) = text[shown_before..].find(prompt) {
                shown_before += at + prompt.len();
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the terminal never showed {prompt:?}:\n{text}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        writer.write_all(typed.as_bytes()).unwrap();
    }
    let status = child.wait().unwrap();
    drop(writer);
    pump.join().unwrap();
    let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    (text, status.code())
}

/// The guest's MemTotal in KiB, from a command that prints the line of
/// `/proc/meminfo` that has it (`MemTotal:  246348 kB`), run to exit 0.
pub fn mem_total_kib(cmd: impl std::borrow::BorrowMut<Command>) -> u64 {
    let out = run(cmd);
    out.code(0);
    out.stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no MemTotal in {:?}", out.stdout))
}

/// The names in `dir`, sorted (none when it does not exist).
pub fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Run `cmd()` every 200 ms until its stdout contains `needle`; fail
/// saying `what` never happened after `timeout`.
pub fn wait_for_output(
    mut cmd: impl FnMut() -> Command,
    needle: &str,
    timeout: std::time::Duration,
    what: &str,
) {
    let started = std::time::Instant::now();
    while !run(cmd()).stdout.contains(needle) {
        assert!(started.elapsed() < timeout, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
