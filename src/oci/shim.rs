//! The container's pid: a host process that `create` forks as the first
//! process of a new pid namespace, so that the engine (conmon is a child
//! subreaper) can wait on it, `podman top` sees no host process, and the
//! domain's monitor, QEMU and virtiofsd — its descendants there — die with
//! it. It starts the domain with the primary held, says ready, and at
//! `start` attaches to the primary (a restored container's shim starts
//! the domain from its checkpoint and attaches before it says ready):
//! the stdio it was given (or a terminal whose master went to the
//! engine) carries the container's, the signals it receives go to the
//! container's process, and it exits with the container's exit code
//! (128+N for signal N).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tether_protocol::client::{Client, Session};
use tether_protocol::message::AttachRequest;

use crate::plumbing::domain::Start;
use crate::plumbing::error::{Error, Result};

use super::cli::ShimArgs;
use super::relay::{self, Shared, lock, pump};
use super::state::{Record, SHIM_SOCK, Store};
use super::{Opened, console, launch, open};
pub use relay::prepare_signals;

/// The exit code of a container whose VM ended without its process's
/// exit being known (QEMU killed or crashed): as if SIGKILLed.
pub const LOST: i32 = 137;

/// How long the shim waits, once the process has exited, for the VM to
/// power off by itself before it exits (which ends the VM anyway).
const POWER_OFF_WAIT: Duration = Duration::from_millis(700);

/// As the first process of its own pid namespace, take a mount namespace
/// too, with a /proc of that pid namespace: engines read a container's
/// processes from /proc in the namespaces of its pid (`podman top`), and
/// should see the shim and the VM's processes, never the host's. Host
/// mounts still reach it (slave propagation); its own reach nobody. Must
/// run before any thread exists (a new mount namespace needs an unshared
/// filesystem context).
pub fn isolate() {
    // SAFETY: getpid has no preconditions.
    if unsafe { libc::getpid() } != 1 {
        return; // no pid namespace of our own (not root): nothing to show
    }
    // SAFETY: unshare and mount with static C strings; failures only leave
    // the host's /proc in view.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            return;
        }
        let none = c"none";
        let root = c"/";
        let proc_ = c"proc";
        let target = c"/proc";
        if libc::mount(
            none.as_ptr(),
            root.as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_SLAVE,
            std::ptr::null(),
        ) != 0
        {
            return;
        }
        libc::mount(
            proc_.as_ptr(),
            target.as_ptr(),
            proc_.as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            std::ptr::null(),
        );
    }
}

/// Run the shim of container `args.id`; returns its exit code.
pub fn run(store: &Store, args: &ShimArgs) -> i32 {
    let mut ready = launch::ready_pipe(args.ready_fd);
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
    relay::spawn_signal_thread(&shared);
    // A restored container's process runs already: the shim attaches to
    // it before it says ready, so that `restore` returns with it held.
    let attached = match args.restore {
        Some(_) => match attach(&record, &opened, &shared) {
            Ok(attached) => Some(attached),
            Err(e) => {
                let _ = writeln!(ready, "{}", one_line(&e));
                return 1;
            }
        },
        None => None,
    };
    let _ = writeln!(ready, "ok");
    drop(ready);
    match serve(store, &record, &opened, &listener, &shared, attached) {
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
    match &args.restore {
        Some(dir) => opened.block_on(|d| async move { d.restore(domain, dir).await })?,
        None => opened.block_on(|d| async move { d.start_with(domain, Start::Attached).await })?,
    };
    if record.terminal {
        relay::take_terminal(args.console_socket.as_deref())?;
    }
    let path = store.dir(&args.id).join(SHIM_SOCK);
    let _ = std::fs::remove_file(&path);
    let listener = crate::plumbing::unix::bind(&path)?;
    let tty = record.terminal;
    Ok((record, opened, listener, tty))
}

/// The link to the container's VM, and the attach session on it (the
/// session ends with the link).
type Attached = (Client, Arc<Session>);

/// Attach to the container's process (its stdin too, its terminal at
/// the shim's size); signals then go to it.
fn attach(record: &Record, opened: &Opened, shared: &Arc<Shared>) -> Result<Attached> {
    let (_, client) = opened.block_on(|d| async move { d.link(&record.domain).await })?;
    let (rows, cols) = if shared.tty {
        console::size(0).unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    let session = client
        .attach(AttachRequest {
            stdin: true,
            rows,
            cols,
            window: tether_protocol::DEFAULT_WINDOW,
        })
        .map(Arc::new)
        .map_err(Error::from)?;
    *lock(&shared.session) = Some(session.clone());
    Ok((client, session))
}

/// Wait for `start` and attach (a restored container's process is
/// `attached` already), then stay with the container's process to its
/// end.
fn serve(
    store: &Store,
    record: &Record,
    opened: &Opened,
    listener: &UnixListener,
    shared: &Arc<Shared>,
    attached: Option<Attached>,
) -> Result<i32> {
    let (_link, session) = match attached {
        Some(attached) => attached,
        None => {
            let conn = match wait_for_start(record, opened, listener, shared)? {
                Ok(conn) => conn,
                Err(code) => return Ok(code),
            };
            match attach(record, opened, shared) {
                Ok(attached) => {
                    let _ = writeln!(&conn, "ok");
                    attached
                }
                Err(e) => {
                    let _ = writeln!(&conn, "error: {}", one_line(&e));
                    return Err(e);
                }
            }
        }
    };
    let code = pump(&session);
    if session.oom_killed() {
        oom_killed(store, record);
    }
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
    let info = opened
        .block_on(|d| async move { d.inspect(&record.domain).await })
        .ok();
    if info.as_ref().and_then(|i| i.oom_killed) == Some(true) {
        oom_killed(store, record);
    }
    Ok(info.and_then(|i| i.exit_code).unwrap_or(LOST))
}

/// Wait for `start` on the control socket: its connection, to answer on
/// once the process runs; or the exit code, when the container ended
/// before it ever ran.
fn wait_for_start(
    record: &Record,
    opened: &Opened,
    listener: &UnixListener,
    shared: &Arc<Shared>,
) -> Result<std::result::Result<UnixStream, i32>> {
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
            return Ok(Err(128 + sig));
        }
        if checked.elapsed() > Duration::from_millis(500) {
            checked = Instant::now();
            let down = opened
                .block_on(|d| async move { d.inspect(&record.domain).await })
                .map(|i| !i.state.is_up())
                .unwrap_or(true);
            if down {
                return Ok(Err(LOST));
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = conn.set_nonblocking(false);
    let mut line = String::new();
    let _ = BufReader::new(&conn).read_line(&mut line);
    if line.trim() != "start" {
        let _ = writeln!(&conn, "error: unknown request {:?}", line.trim());
        return Err(Error::other(format!("unknown request {:?}", line.trim())));
    }
    Ok(Ok(conn))
}

/// The name of the file engines look for in a container's bundle when its
/// process has exited: there, it was OOM-killed (conmon writes it from the
/// cgroup's OOM events; podman and CRI-O read it for `OOMKilled`).
pub const OOM_FILE: &str = "oom";

/// The guest's out-of-memory killer ended the container's process: say so
/// the way engines read it (the bundle's `oom` file, written before the
/// shim's exit is seen), and in the shim's log.
fn oom_killed(store: &Store, record: &Record) {
    let path = record.bundle.join(OOM_FILE);
    let line = match std::fs::write(&path, b"") {
        Ok(()) => "the guest's out-of-memory killer killed the process".to_string(),
        Err(e) => format!(
            "the guest's out-of-memory killer killed the process; cannot write {}: {e}",
            path.display()
        ),
    };
    log(store, &record.id, &line);
}

/// Ask the shim of `id` to start the process; Ok once it runs.
pub fn request_start(store: &Store, id: &str) -> Result<()> {
    let path = store.dir(id).join(SHIM_SOCK);
    let mut conn = crate::plumbing::unix::connect(&path)
        .map_err(|e| e.context(format!("reaching the shim of container {id:?}")))?;
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
