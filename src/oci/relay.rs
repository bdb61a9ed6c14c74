//! What a shim does for one session of the guest (the container's process,
//! or an exec): the signals it receives relayed to the process (handled and
//! blocked before any thread exists, taken by one thread), the terminal
//! whose master goes to the engine, and the process's output copied to the
//! shim's stdout and stderr to the end, its stdin forwarded.

use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tether_protocol::Signal;
use tether_protocol::client::{Output, Session};

use crate::commands::stdio::forward_stdin;
use crate::plumbing::error::{Error, Result};

use super::console;

/// The signals a shim relays to the container's process, with the
/// protocol's names for them.
pub const RELAYED: [(i32, Signal); 7] = [
    (libc::SIGHUP, Signal::HUP),
    (libc::SIGINT, Signal::INT),
    (libc::SIGQUIT, Signal::QUIT),
    (libc::SIGUSR1, Signal::USR1),
    (libc::SIGUSR2, Signal::USR2),
    (libc::SIGTERM, Signal::TERM),
    (libc::SIGALRM, Signal::ALRM),
];

extern "C" fn noted(_: libc::c_int) {}

/// The signals the shim waits for: the relayed ones, WINCH and CHLD.
pub fn waited_set() -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset initialise and fill a local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for (sig, _) in RELAYED {
            libc::sigaddset(&mut set, sig);
        }
        libc::sigaddset(&mut set, libc::SIGWINCH);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        set
    }
}

/// Set up signals before any thread exists: a handler for each (the first
/// process of a pid namespace gets from outside only the signals it
/// handles), then blocked, to be taken by `sigwaitinfo` in one thread.
/// SIGPIPE is ignored: a reader that goes away is not a reason to die.
pub fn prepare_signals() {
    let set = waited_set();
    // SAFETY: sigaction with a handler that does nothing; then the mask.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = noted as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut action.sa_mask);
        for (sig, _) in RELAYED {
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
        libc::sigaction(libc::SIGWINCH, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGCHLD, &action, std::ptr::null_mut());
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// What the signal thread and the rest of the shim share.
#[derive(Default)]
pub struct Shared {
    /// The attached session, once started.
    pub session: Mutex<Option<Arc<Session>>>,
    /// A signal that arrived before the process started: the container
    /// ends without it ever running.
    pub early: Mutex<Option<i32>>,
    /// The process runs on the shim's terminal.
    pub tty: bool,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("attached", &lock(&self.session).is_some())
            .field("early", &*lock(&self.early))
            .field("tty", &self.tty)
            .finish()
    }
}

/// With `socket`: a pseudo-terminal whose master goes to the engine over
/// it, and whose slave (raw) becomes this process's stdio and controlling
/// terminal.
pub fn take_terminal(socket: Option<&Path>) -> Result<()> {
    let socket = socket.ok_or_else(|| {
        Error::invalid(
            "the process has a terminal (process.terminal) but no --console-socket was given",
        )
    })?;
    let (master, slave) =
        console::open_pty().map_err(|e| Error::io("opening a pseudo-terminal", e))?;
    console::make_raw(slave.as_raw_fd()).map_err(|e| Error::io("making the terminal raw", e))?;
    console::send_fd(socket, master.as_raw_fd(), "vicport")
        .map_err(|e| Error::io(format!("sending the terminal to {}", socket.display()), e))?;
    drop(master);
    console::become_terminal(&slave).map_err(|e| Error::io("taking the terminal as stdio", e))
}

/// Start the thread that takes the signals for `shared`.
pub fn spawn_signal_thread(shared: &Arc<Shared>) {
    let shared = shared.clone();
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || signal_loop(&shared));
}

/// Copy the session's output to stdout and stderr, and stdin to it, until
/// it ends; its exit code, or `None` when the link broke first. Output
/// whose reader went away is drained all the same.
pub fn pump(session: &Session) -> Option<i32> {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| forward_stdin(session, &done));
        loop {
            match session.read_output() {
                Ok(Some(Output::Stdout(data))) => write_all(1, &data),
                Ok(Some(Output::Stderr(data))) => write_all(2, &data),
                Ok(None) | Err(_) => break,
            }
        }
        done.store(true, Ordering::SeqCst);
    });
    session.wait().ok().map(|s| s.code)
}

/// Write all of `data` to `fd`; a reader that went away loses the rest.
pub fn write_all(fd: i32, mut data: &[u8]) {
    while !data.is_empty() {
        // SAFETY: write from a live slice to a descriptor we hold.
        let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
        if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        if n <= 0 {
            return;
        }
        data = &data[n as usize..];
    }
}

/// Take the shim's signals: relay them to the process (or, before it
/// runs, end the container), follow the terminal's size, reap children
/// (the shim is the first process of its pid namespace).
fn signal_loop(shared: &Shared) {
    let set = waited_set();
    loop {
        // SAFETY: sigwaitinfo on a set blocked in every thread.
        let sig = unsafe { libc::sigwaitinfo(&set, std::ptr::null_mut()) };
        if sig < 0 {
            continue;
        }
        if sig == libc::SIGCHLD {
            reap();
            continue;
        }
        let session = lock(&shared.session).clone();
        if sig == libc::SIGWINCH {
            if let (Some(s), true) = (&session, shared.tty) {
                if let Some((rows, cols)) = console::size(0) {
                    let _ = s.resize(rows, cols);
                }
            }
            continue;
        }
        let Some(&(_, signal)) = RELAYED.iter().find(|(n, _)| *n == sig) else {
            continue;
        };
        match session {
            Some(s) => {
                let _ = s.signal(signal);
            }
            None => {
                lock(&shared.early).get_or_insert(sig);
            }
        }
    }
}

/// Reap every child that has exited (orphans of the namespace included).
fn reap() {
    loop {
        let mut status = 0;
        // SAFETY: waitpid without blocking.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
    }
}

/// Lock, whatever a panicking holder left.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
