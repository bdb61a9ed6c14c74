//! vicport's own long-lived helpers, started detached from the command that
//! needs them (their own session, stdio on a log file) so that they outlive
//! it: a local domain's monitor, a vSphere domain's relay.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};

/// The binary set by [`use_binary`], if any.
static BINARY: OnceLock<PathBuf> = OnceLock::new();

/// Make `binary` (a `vicport` executable) the one started as a helper.
/// A program that embeds the library calls this once, before it creates
/// or starts a domain: by default helpers are this process's own
/// executable, which is right only when that is `vicport`. Returns false
/// if a binary was already set.
pub fn use_binary(binary: PathBuf) -> bool {
    BINARY.set(binary).is_ok()
}

/// The `vicport` executable that runs helpers: `$VICPORT_BINARY`, else
/// the one set by [`use_binary`], else this process's own executable.
pub fn binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("VICPORT_BINARY").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if !p.is_file() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("VICPORT_BINARY={} is not a file", p.display()),
            )
            .with_hint("point VICPORT_BINARY at the vicport executable, or unset it"));
        }
        return Ok(p);
    }
    if let Some(p) = BINARY.get() {
        return Ok(p.clone());
    }
    std::env::current_exe().io_context(|| "finding the vicport binary".into())
}

/// Start `vicport system <helper> <dir>` detached, its stdout and stderr
/// appended to `log`.
pub fn spawn(helper: &str, dir: &Path, log: &Path) -> Result<Child> {
    use std::os::unix::process::CommandExt;
    let exe = binary()?;
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .io_context(|| format!("opening {}", log.display()))?;
    let mut cmd = Command::new(exe);
    cmd.args(["system", helper])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(out.try_clone().io_context(|| log.display().to_string())?)
        .stderr(out)
        .current_dir("/");
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
        .io_context(|| format!("starting vicport's {helper} for {}", dir.display()))
}

/// Let `child` run on: init reaps it once this process exits, and a
/// waiter thread keeps it from being a zombie while this process lives on.
pub fn reap_later(mut child: Child) {
    std::thread::spawn(move || {
        let _ = child.wait();
    });
}
