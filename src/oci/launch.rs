//! Starting a shim: a child of this process (so that it is the engine's,
//! a child subreaper, once this process exits) that says "ready" or why
//! not over a pipe, in a pid namespace of its own (a container's shim) or
//! in its container's (an exec shim, which then ends with the container).

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use crate::plumbing::error::{Error, Result};

use super::cli::OciGlobals;
use super::state::ShimPid;

/// How long a shim may take to be ready (a container's boots its VM;
/// engines wait 240 s for the pid).
const READY_WAIT: Duration = Duration::from_secs(200);

/// Which pid namespace a shim runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidNamespace {
    /// A new one, the shim its first process.
    New,
    /// The one of this process (a container's shim).
    Of(i32),
}

/// Start `vicport oci --root R ARGS… --ready-fd N` in `ns` and wait for it
/// to say ready; its pid. A container's shim gets a new pid namespace, so
/// that it and the VM it starts are one unit (and `podman top` shows no
/// host process); an exec shim joins its container's.
pub fn shim(globals: &OciGlobals, args: Vec<OsString>, ns: PidNamespace) -> Result<ShimPid> {
    use std::os::unix::process::CommandExt;
    let exe = crate::plumbing::detach::binary()?;
    let mut fds = [0; 2];
    // SAFETY: pipe2 into a two-int array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::io(
            "making the shim's ready pipe",
            std::io::Error::last_os_error(),
        ));
    }
    // SAFETY: two fresh descriptors we now own.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("oci").arg("--root").arg(globals.root());
    let (subcommand, rest) = args
        .split_first()
        .ok_or_else(|| Error::other("no shim subcommand"))?;
    cmd.arg(subcommand)
        .arg("--ready-fd")
        .arg(write.as_raw_fd().to_string())
        .args(rest);
    let keep = write.as_raw_fd();
    // SAFETY: fcntl in the child, on the descriptor it is to keep.
    unsafe {
        cmd.pre_exec(move || {
            if libc::fcntl(keep, libc::F_SETFD, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    // Our own pid namespace, to come back to: until then this process
    // can start no thread, and what it starts next (hooks) would be
    // inside the container's namespace.
    let own = std::fs::File::open("/proc/self/ns/pid")
        .map_err(|e| Error::io("opening /proc/self/ns/pid", e))?;
    enter(ns)?;
    let spawned = cmd.spawn();
    // SAFETY: setns(2) back to our own active pid namespace, by a
    // descriptor we hold; it cannot fail for our own namespace.
    unsafe { libc::setns(own.as_raw_fd(), libc::CLONE_NEWPID) };
    let child = spawned.map_err(|e| Error::io("starting the container's shim", e))?;
    drop(write);
    let pid = child.id() as i32;
    let shim = ShimPid::of(pid);
    let answer = read_ready(read, pid);
    match (answer, shim) {
        (Ok(()), Some(shim)) => Ok(shim),
        (Ok(()), None) => Err(Error::other("the container's shim ended as it started")),
        (Err(e), _) => {
            // SAFETY: kill(2) of the child we just started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            Err(e)
        }
    }
}

/// The shim's answer: "ok", or why it could not start the container.
fn read_ready(read: OwnedFd, pid: i32) -> Result<()> {
    let deadline = Instant::now() + READY_WAIT;
    let mut pfd = libc::pollfd {
        fd: read.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: poll on one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 200) };
        if n > 0 {
            break;
        }
        if Instant::now() > deadline {
            return Err(Error::other(format!(
                "the shim (pid {pid}) was not ready within {}s",
                READY_WAIT.as_secs()
            )));
        }
    }
    let mut line = String::new();
    let _ = BufReader::new(std::fs::File::from(read)).read_line(&mut line);
    match line.trim_end() {
        "ok" => Ok(()),
        "" => Err(Error::other(format!(
            "the container's shim (pid {pid}) ended before the VM was ready"
        ))),
        why => Err(Error::other(why.to_string())),
    }
}

/// Make `ns` the pid namespace of this process's next children. Without
/// the privilege for a new one (not root) the shim runs in ours.
fn enter(ns: PidNamespace) -> Result<()> {
    match ns {
        PidNamespace::New => {
            // SAFETY: unshare(2) of the pid namespace for children.
            if unsafe { libc::unshare(libc::CLONE_NEWPID) } != 0 {
                tracing::debug!(
                    "no pid namespace for the shim: {}",
                    std::io::Error::last_os_error()
                );
            }
            Ok(())
        }
        PidNamespace::Of(pid) => {
            let path = format!("/proc/{pid}/ns/pid");
            let mine = std::fs::read_link("/proc/self/ns/pid").ok();
            let theirs =
                std::fs::read_link(&path).map_err(|e| Error::io(format!("reading {path}"), e))?;
            if mine.as_ref() == Some(&theirs) {
                return Ok(()); // the shim runs in ours (not root)
            }
            let f =
                std::fs::File::open(&path).map_err(|e| Error::io(format!("opening {path}"), e))?;
            // SAFETY: setns(2) with a namespace descriptor we hold.
            if unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWPID) } != 0 {
                return Err(Error::io(
                    format!("joining the container's pid namespace ({path})"),
                    std::io::Error::last_os_error(),
                ));
            }
            Ok(())
        }
    }
}

/// In a shim: the write end of its ready pipe, `fd`, as a file, made
/// close-on-exec again so that what the shim starts (the monitor, QEMU)
/// never holds it open and `create` sees its end.
pub fn ready_pipe(fd: i32) -> std::fs::File {
    // SAFETY: the descriptor was passed to the shim for this; it owns it.
    let ready = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: fcntl on a descriptor we own.
    unsafe { libc::fcntl(ready.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    std::fs::File::from(ready)
}
