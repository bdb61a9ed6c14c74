//! vicport's own long-lived helpers, started detached from the command that
//! needs them (their own session, stdio on a log file) so that they outlive
//! it: a local domain's monitor, a vSphere domain's relay.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::plumbing::error::{IoContext, Result};

/// Start `vicport system <helper> <dir>` detached, its stdout and stderr
/// appended to `log`.
pub fn spawn(helper: &str, dir: &Path, log: &Path) -> Result<Child> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().io_context(|| "finding the vicport binary".into())?;
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
