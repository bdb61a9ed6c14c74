//! The container's pid: a host process that `create` forks as the first
//! process of a new pid namespace, so that the engine (conmon is a child
//! subreaper) can wait on it, `podman top` sees no host process, and the
//! domain's monitor, QEMU and virtiofsd — its descendants there — die with
//! it. It starts the domain with the primary held, says ready, and at
//! `start` attaches to the primary: the stdio it was given (or a terminal
//! whose master went to the engine) carries the container's, the signals
//! it receives go to the container's process, and it exits with the
//! container's exit code (128+N for signal N).

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tether_protocol::Signal;
use tether_protocol::client::{Output, Session};
use tether_protocol::message::AttachRequest;

use crate::plumbing::domain::Start;
use crate::plumbing::error::{Error, Result};

use super::cli::ShimArgs;
use super::console;
use super::state::{Record, SHIM_SOCK, Store};
use super::{Opened, open};
use crate::commands::stdio::forward_stdin;

/// The exit code of a container whose VM ended without its process's
/// exit being known (QEMU killed or crashed): as if SIGKILLed.
pub const LOST: i32 = 137;

/// How long the shim waits, once the process has exited, for the VM to
/// power off by itself before it exits (which ends the VM anyway).
const POWER_OFF_WAIT: Duration = Duration::from_millis(700);

/// The signals a shim relays to the container's process, with the
/// protocol's names for them.
const RELAYED: [(i32, Signal); 7] = [
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
fn waited_set() -> libc::sigset_t {
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
struct Shared {
    /// The attached session, once started.
    session: Mutex<Option<Arc<Session>>>,
    /// A signal that arrived before the process started: the container
    /// ends without it ever running.
    early: Mutex<Option<i32>>,
    /// The process runs on the shim's terminal.
    tty: bool,
}

/// Run the shim of container `args.id`; returns its exit code.
pub fn run(store: &Store, args: &ShimArgs) -> i32 {
    // SAFETY: the descriptor was passed to us for this; we own it now.
    let ready = unsafe { OwnedFd::from_raw_fd(args.ready_fd) };
    // Close-on-exec again: the monitor and QEMU must not hold it open.
    // SAFETY: fcntl on a descriptor we own.
    unsafe { libc::fcntl(ready.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    let mut ready = std::fs::File::from(ready);
    let (record, opened, listener, tty) = match prepare(store, args) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(ready, "{}", one_line(&e));
            return 1;
        }
    };
    // Signals that came meanwhile are pending (blocked): the thread
    // takes them.
    let shared = Arc::new(Shared {
        tty,
        ..Shared::default()
    });
    {
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || signal_loop(&shared));
    }
    let _ = writeln!(ready, "ok");
    drop(ready);
    match serve(&record, &opened, &listener, &shared) {
        Ok(code) => code,
        Err(e) => {
            log(store, &record.id, &format!("shim: {}", one_line(&e)));
            LOST
        }
    }
}

/// An error on one line (for the ready pipe and the shim's log).
pub fn one_line(e: &Error) -> String {
    match e.hint() {
        Some(h) => format!("{e} (hint: {h})"),
        None => e.to_string(),
    }
    .replace('\n', " ")
}

/// Note something in the container's `shim.log` (the shim's stderr is
/// the container's).
fn log(store: &Store, id: &str, line: &str) {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(store.dir(id).join("shim.log"))
    {
        let _ = writeln!(f, "{} {line}", crate::plumbing::spec::now());
    }
}

/// Start the domain with its primary held, take the terminal if there is
/// one, and listen for `start`.
fn prepare(store: &Store, args: &ShimArgs) -> Result<(Record, Opened, UnixListener, bool)> {
    let record = store.load(&args.id)?;
    let opened = open(&record.place)?;
    let domain = &record.domain;
    opened.block_on(|d| async move { d.start_with(domain, Start::Attached).await })?;
    if record.terminal {
        let socket = args.console_socket.as_ref().ok_or_else(|| {
            Error::invalid(
                "the process has a terminal (process.terminal) but no --console-socket was given",
            )
        })?;
        let (master, slave) =
            console::open_pty().map_err(|e| Error::io("opening a pseudo-terminal", e))?;
        console::make_raw(slave.as_raw_fd())
            .map_err(|e| Error::io("making the terminal raw", e))?;
        console::send_fd(socket, master.as_raw_fd(), "vicport")
            .map_err(|e| Error::io(format!("sending the terminal to {}", socket.display()), e))?;
        drop(master);
        console::become_terminal(&slave)
            .map_err(|e| Error::io("taking the terminal as stdio", e))?;
    }
    let path = store.dir(&args.id).join(SHIM_SOCK);
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)
        .map_err(|e| Error::io(format!("listening on {}", path.display()), e))?;
    let tty = record.terminal;
    Ok((record, opened, listener, tty))
}

/// Wait for `start`, then run the container's process to its end.
fn serve(
    record: &Record,
    opened: &Opened,
    listener: &UnixListener,
    shared: &Arc<Shared>,
) -> Result<i32> {
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("setting up the control socket", e))?;
    let mut checked = Instant::now();
    let conn = loop {
        match listener.accept() {
            Ok((conn, _)) => break conn,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(Error::io("accepting on the control socket", e)),
        }
        if let Some(sig) = *lock(&shared.early) {
            // Ended before it ever ran: the VM goes at once.
            let _ =
                opened.block_on(|d| async move { d.remove(&record.domain, true).await.map(drop) });
            return Ok(128 + sig);
        }
        if checked.elapsed() > Duration::from_millis(500) {
            checked = Instant::now();
            let down = opened
                .block_on(|d| async move { d.inspect(&record.domain).await })
                .map(|i| !i.state.is_up())
                .unwrap_or(true);
            if down {
                return Ok(LOST);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = conn.set_nonblocking(false);
    let mut line = String::new();
    let _ = BufReader::new(&conn).read_line(&mut line);
    let mut reply = &conn;
    if line.trim() != "start" {
        let _ = writeln!(reply, "error: unknown request {:?}", line.trim());
        return Err(Error::other(format!("unknown request {:?}", line.trim())));
    }
    let attached = opened.block_on(|d| async move { d.link(&record.domain).await });
    let (_, client) = match attached {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(reply, "error: {}", one_line(&e));
            return Err(e);
        }
    };
    let (rows, cols) = if shared.tty {
        console::size(0).unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    let session = match client.attach(AttachRequest {
        stdin: true,
        rows,
        cols,
        window: tether_protocol::DEFAULT_WINDOW,
    }) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            let e = Error::from(e);
            let _ = writeln!(reply, "error: {}", one_line(&e));
            return Err(e);
        }
    };
    *lock(&shared.session) = Some(session.clone());
    let _ = writeln!(reply, "ok");
    drop(conn);
    let code = pump(&session);
    // The VM powers off once the process is gone; give it a moment.
    let _ = opened.block_on(|d| async move {
        d.platform()
            .wait_down(
                &crate::plumbing::spec::DomainId(record.domain.clone()),
                Some(POWER_OFF_WAIT),
                &|| false,
            )
            .await
    });
    if let Some(code) = code {
        return Ok(code);
    }
    // The link ended without an exit: QEMU died. The guest's code if the
    // platform learnt it, else as if killed.
    let info = opened.block_on(|d| async move { d.inspect(&record.domain).await });
    Ok(info.ok().and_then(|i| i.exit_code).unwrap_or(LOST))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Copy the session's output to stdout and stderr, and stdin to it, until
/// it ends; its exit code, or `None` when the link broke first. Output
/// whose reader went away is drained all the same.
fn pump(session: &Session) -> Option<i32> {
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
fn write_all(fd: i32, mut data: &[u8]) {
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

/// Ask the shim of `id` to start the process; Ok once it runs.
pub fn request_start(store: &Store, id: &str) -> Result<()> {
    let path = store.dir(id).join(SHIM_SOCK);
    let mut conn = UnixStream::connect(&path).map_err(|e| {
        Error::io(
            format!("reaching the shim of container {id:?} ({})", path.display()),
            e,
        )
    })?;
    writeln!(conn, "start").map_err(|e| Error::io("asking the shim to start", e))?;
    let mut line = String::new();
    BufReader::new(&conn)
        .read_line(&mut line)
        .map_err(|e| Error::io("reading the shim's answer", e))?;
    match line.trim() {
        "ok" => Ok(()),
        "" => Err(Error::other(format!(
            "the shim of container {id:?} ended without starting it"
        ))),
        other => Err(Error::other(
            other.strip_prefix("error: ").unwrap_or(other).to_string(),
        )),
    }
}
