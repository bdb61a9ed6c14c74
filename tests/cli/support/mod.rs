//! Test support: a fresh environment per test (config, state, cache, home)
//! and a ready `vicport` command in it, so tests read like what a user types.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

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
pub fn run(mut cmd: Command) -> Outcome {
    let out = cmd.output().expect("vicport runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run with `input` on stdin.
pub fn run_with_stdin(mut cmd: Command, input: &str) -> Outcome {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
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
