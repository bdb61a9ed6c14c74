//! `run`: `create` and `start` in one, as runc's (and `restore`, which
//! creates a container running from a checkpoint, goes on the same
//! way). With `--detach` it returns once the process runs. Without, it
//! stays with the container until its process ends:
//! - the shim, this command's child, has this command's stdio; or, when
//!   the process has a terminal and no `--console-socket` was given, the
//!   terminal's master comes back here over a socket of this command's
//!   own and is copied to and from its stdio (made raw, if it is a
//!   terminal, and put back at the end);
//! - a signal sent to this command goes on to the shim, which relays it to
//!   the process; one its terminal sends (Ctrl-C) reaches the shim itself,
//!   as they share the foreground process group, so it is not sent twice;
//! - the container's exit code is this command's, and the container is
//!   deleted when it ends, unless `--keep`.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::plumbing::error::{Error, ErrorKind, Result};

use super::cli::{CreateArgs, DeleteArgs, OciGlobals, RunArgs};
use super::relay::{self, RELAYED};
use super::state::Store;
use super::{console, lifecycle, shim};

/// `si_code` of a signal the kernel sent (a terminal's Ctrl-C among them).
const SI_KERNEL: i32 = 0x80;

/// How long the container's last output may take to arrive once its shim
/// has exited.
const DRAIN_WAIT: Duration = Duration::from_secs(2);

/// Run the container of `a`; the exit code (its process's, or 0 with
/// `--detach`).
pub fn run(globals: &OciGlobals, store: &Store, a: &RunArgs) -> Result<i32> {
    go(globals, store, a.create.clone(), a.detach, a.keep, None)
}

/// Make the container of `create` and have it run: started (`run`), or
/// restored from the checkpoint in `from` (`restore`), then as `run`.
pub(super) fn go(
    globals: &OciGlobals,
    store: &Store,
    mut create: CreateArgs,
    detach: bool,
    keep: bool,
    from: Option<&Path>,
) -> Result<i32> {
    if !detach {
        // Before any thread exists: every thread inherits the mask, and
        // the signals wait for the loop below.
        relay::prepare_signals();
    }
    let console = match (wants_terminal(&create.bundle), &create.console_socket) {
        (true, None) if detach => {
            return Err(Error::invalid(
                "the process has a terminal (process.terminal) and --detach leaves nobody to hold it",
            )
            .with_hint("give --console-socket, run it without --detach, or set process.terminal to false"));
        }
        (true, None) => {
            let c = ConsoleSocket::listen()?;
            create.console_socket = Some(c.path.clone());
            Some(c)
        }
        _ => None,
    };
    lifecycle::create(globals, store, &create, from)?;
    let id = create.id.clone();
    let master = match console.as_ref().map(ConsoleSocket::receive) {
        Some(Ok(m)) => {
            // Sized before the process starts, which may read it at once.
            give_size(m.as_raw_fd());
            Some(m)
        }
        Some(Err(e)) => {
            remove(store, &id);
            return Err(e);
        }
        None => None,
    };
    drop(console);
    if from.is_none() {
        if let Err(e) = lifecycle::start(store, &id) {
            remove(store, &id);
            return Err(e);
        }
    }
    if detach {
        return Ok(0);
    }
    let Some(pid) = store.load(&id)?.shim.map(|s| s.pid) else {
        return Err(Error::other(format!("container {id:?} has no shim")));
    };
    let code = stay(pid, master);
    if !keep {
        let delete = DeleteArgs {
            force: false,
            id: id.clone(),
        };
        match lifecycle::delete(store, &delete) {
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(code)
}

/// Take away container `id` after a failed run (its poststop hooks run).
fn remove(store: &Store, id: &str) {
    let _ = lifecycle::delete(
        store,
        &DeleteArgs {
            force: true,
            id: id.to_string(),
        },
    );
}

/// Whether the bundle's process asks for a terminal; a config that does
/// not say (or cannot be read) is left to `create` to judge.
fn wants_terminal(bundle: &Path) -> bool {
    std::fs::read(bundle.join("config.json"))
        .ok()
        .and_then(|t| serde_json::from_slice::<serde_json::Value>(&t).ok())
        .and_then(|c| c.pointer("/process/terminal")?.as_bool())
        .unwrap_or(false)
}

/// Wait for the shim `pid` to exit, relaying signals (and, with `master`,
/// the terminal); its exit code as a shell reports it.
fn stay(pid: i32, master: Option<OwnedFd>) -> i32 {
    let terminal = master.map(Copying::start);
    let set = relay::waited_set();
    let code = loop {
        // SAFETY: a zeroed siginfo_t is valid for sigtimedwait to fill.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let tick = libc::timespec {
            tv_sec: 0,
            tv_nsec: 200_000_000,
        };
        // SAFETY: sigtimedwait on a set blocked in every thread.
        let sig = unsafe { libc::sigtimedwait(&set, &mut info, &tick) };
        if sig == libc::SIGWINCH {
            if let Some(t) = &terminal {
                t.follow_size();
            }
        } else if RELAYED.iter().any(|(n, _)| *n == sig) && info.si_code != SI_KERNEL {
            // SAFETY: kill(2) of our own child, not yet reaped.
            unsafe { libc::kill(pid, sig) };
        }
        if let Some(code) = exited(pid) {
            break code;
        }
    };
    if let Some(t) = terminal {
        t.finish();
    }
    code
}

/// The exit code of child `pid` if it has ended (128+N for signal N).
fn exited(pid: i32) -> Option<i32> {
    let mut status = 0;
    // SAFETY: waitpid on our own child, without blocking.
    let rc = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if rc == 0 {
        return None;
    }
    if rc < 0 {
        // Not ours to wait on (reaped elsewhere): its end is not known.
        return Some(shim::LOST);
    }
    Some(if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    })
}

/// The socket this command receives the terminal's master on, in a
/// private directory of its own that goes with it.
struct ConsoleSocket {
    dir: PathBuf,
    path: PathBuf,
    listener: UnixListener,
}

impl ConsoleSocket {
    fn listen() -> Result<ConsoleSocket> {
        use std::os::unix::fs::DirBuilderExt;
        // A new directory of this process's alone: made here (never one
        // found there), under a name nobody can guess ahead.
        let dir = std::env::temp_dir().join(format!(
            "vicport-runc-{}-{}",
            std::process::id(),
            crate::plumbing::spec::random_hex(8)
        ));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let path = dir.join("console.sock");
        let listener = crate::plumbing::unix::bind(&path).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&dir);
        })?;
        Ok(ConsoleSocket {
            dir,
            path,
            listener,
        })
    }

    /// The master the shim sent (it did so before `create` returned).
    fn receive(&self) -> Result<OwnedFd> {
        let failed = |e| Error::io("receiving the container's terminal", e);
        self.listener.set_nonblocking(true).map_err(failed)?;
        let (conn, _) = self.listener.accept().map_err(failed)?;
        conn.set_nonblocking(false).map_err(failed)?;
        console::recv_fd(&conn).map(|(fd, _)| fd).map_err(failed)
    }
}

impl Drop for ConsoleSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Give the terminal `master` the size of this command's terminal, if it
/// has one.
fn give_size(master: std::os::fd::RawFd) {
    if let Some(size) = console::size(0).or_else(|| console::size(1)) {
        console::set_size(master, size);
    }
}

/// The container's terminal copied to and from this command's stdio.
struct Copying {
    master: std::sync::Arc<std::fs::File>,
    /// This command's terminal settings, to put back.
    saved: Option<libc::termios>,
    /// Says when the output has ended.
    output_done: std::sync::mpsc::Receiver<()>,
}

impl Copying {
    fn start(master: OwnedFd) -> Copying {
        let master = std::sync::Arc::new(std::fs::File::from(master));
        let saved = console::settings(0);
        if saved.is_some() {
            let _ = console::make_raw(0);
        }
        let copying_in = master.clone();
        let _ = std::thread::Builder::new()
            .name("terminal-in".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                let mut stdin = std::io::stdin().lock();
                while let Ok(n @ 1..) = stdin.read(&mut buf) {
                    if (&*copying_in).write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        let (done, output_done) = std::sync::mpsc::channel();
        let copying_out = master.clone();
        let _ = std::thread::Builder::new()
            .name("terminal-out".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                // The master reads EIO once the shim, the last holder of
                // its other end, is gone. Straight to fd 1: this
                // command's main thread holds stdout's lock.
                while let Ok(n @ 1..) = (&*copying_out).read(&mut buf) {
                    relay::write_all(1, &buf[..n]);
                }
                let _ = done.send(());
            });
        let copying = Copying {
            master,
            saved,
            output_done,
        };
        copying.follow_size();
        copying
    }

    /// Give the container's terminal the size of this command's.
    fn follow_size(&self) {
        give_size(self.master.as_raw_fd());
    }

    /// Let the last output through, and put this command's terminal back.
    fn finish(self) {
        let _ = self.output_done.recv_timeout(DRAIN_WAIT);
        if let Some(t) = &self.saved {
            console::restore(0, t);
        }
    }
}
