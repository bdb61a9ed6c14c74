//! What every benchmark shares: where the build's files are, how many
//! rounds to run, and running a step that must succeed.

#![allow(dead_code)]

pub mod host;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// Cargo's target dir (CARGO_TARGET_DIR, else `target/` in the package).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// `VICPORT_BENCH_ROUNDS`, else `default`.
pub fn rounds(default: usize) -> usize {
    env_usize("VICPORT_BENCH_ROUNDS", default)
}

/// A count from the environment, else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Run a step that must succeed; its output.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("running a benchmark step");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The median of some durations.
pub fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

/// The statically linked tether, built into its own target directory (as
/// the tests build it).
pub fn static_tether() -> PathBuf {
    let dir = target_dir().join("static-tether");
    run_ok(
        Command::new(env!("CARGO"))
            .args([
                "rustc",
                "-q",
                "-p",
                "tether",
                "--release",
                "--bin",
                "tether",
            ])
            .args(["--", "-C", "target-feature=+crt-static"])
            .env("CARGO_TARGET_DIR", &dir),
    );
    dir.join("release/tether")
}
