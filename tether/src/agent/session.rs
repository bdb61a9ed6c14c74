//! Sessions on a link: the shared link writer, per-session credit windows,
//! output pumps that read a pipe or pty only while the reader has credit,
//! stdin feeders, and exec sessions that end with an Exit frame.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::thread;
use std::time::{Duration, Instant};

use super::cri_log::WriteDebug;
use tether_protocol::frame::MAX_DATA;
use tether_protocol::message::{ExitStatus, Message, Stream};

/// Lock a mutex, ignoring poisoning (a panicking thread already powered
/// the VM off or is about to).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Spawn a named helper thread with a small stack.
pub fn spawn_thread(name: &str, f: impl FnOnce() + Send + 'static) {
    let r = thread::Builder::new()
        .name(name.into())
        .stack_size(256 * 1024)
        .spawn(f);
    if let Err(e) = r {
        super::say(&format!("cannot start thread {name}: {e}"));
    }
}

#[derive(Debug)]
struct LinkOut {
    w: Box<dyn WriteDebug>,
    epoch: u64,
    established: bool,
    broken: bool,
    /// The version the established link speaks: newer messages are not
    /// sent on it.
    version: u32,
}

/// The writing half of one link, shared by every thread that sends frames.
/// Frames carry the link generation they belong to: frames of sessions of
/// an earlier (reset) link are dropped.
#[derive(Debug)]
pub struct LinkWriter {
    out: Mutex<LinkOut>,
    /// Mirrors `out.established` for checks that must not wait behind a
    /// write blocked on a port with no host.
    established: AtomicBool,
}

impl LinkWriter {
    /// Wrap the link's writing half.
    pub fn new(w: Box<dyn WriteDebug>) -> Arc<Self> {
        Arc::new(LinkWriter {
            out: Mutex::new(LinkOut {
                w,
                epoch: 0,
                established: false,
                broken: false,
                version: 0,
            }),
            established: AtomicBool::new(false),
        })
    }

    fn write(out: &mut LinkOut, session: u32, m: &Message) -> bool {
        if out.broken {
            return false;
        }
        let frame = m.to_frame(session);
        if out.w.write_all(&frame).and_then(|_| out.w.flush()).is_err() {
            out.broken = true;
            return false;
        }
        true
    }

    /// Send regardless of the link state (Ready, Refused, Reset, HelloOk).
    pub fn send_raw(&self, session: u32, m: &Message) -> bool {
        Self::write(&mut lock(&self.out), session, m)
    }

    /// Whether the established link speaks `m` (its version has it).
    fn speaks(out: &LinkOut, m: &Message) -> bool {
        tether_protocol::message::introduced_in(m.kind()).is_some_and(|v| v <= out.version)
    }

    /// Send for generation `epoch`; dropped if the link was reset since,
    /// or if its version lacks the message.
    pub fn send(&self, epoch: u64, session: u32, m: &Message) -> bool {
        let mut out = lock(&self.out);
        if !out.established || out.epoch != epoch || !Self::speaks(&out, m) {
            return false;
        }
        Self::write(&mut out, session, m)
    }

    /// Send on session 0 if the link is established and speaks `m`
    /// (broadcasts).
    pub fn broadcast(&self, m: &Message) -> bool {
        if !self.established.load(Ordering::SeqCst) {
            return false;
        }
        let mut out = lock(&self.out);
        out.established && Self::speaks(&out, m) && Self::write(&mut out, 0, m)
    }

    /// A successful Hello (`reply` is its HelloOk, which carries the
    /// link's version): start a new generation and send `reply` in it.
    pub fn establish(&self, reply: &Message) -> u64 {
        let mut out = lock(&self.out);
        out.epoch += 1;
        out.established = true;
        out.version = match reply {
            Message::HelloOk { version, .. } => *version,
            _ => tether_protocol::PROTOCOL_VERSION,
        };
        self.established.store(true, Ordering::SeqCst);
        Self::write(&mut out, 0, reply);
        out.epoch
    }

    /// The link is reset or closed: stop every frame of the old generation.
    pub fn unestablish(&self) {
        self.established.store(false, Ordering::SeqCst);
        let mut out = lock(&self.out);
        out.established = false;
        out.epoch += 1;
    }

    /// True once a write failed.
    pub fn is_broken(&self) -> bool {
        lock(&self.out).broken
    }
}

/// The sessions of one link.
pub type SessionTable = Mutex<HashMap<u32, LinkSession>>;

/// A session in a link's table.
#[derive(Debug, Clone)]
pub enum LinkSession {
    /// A process started by Exec.
    Exec(Arc<ExecSession>),
    /// A session attached to the primary process.
    Attach(Arc<SessionCore>),
    /// A copy in or out of the container.
    Copy(Arc<super::copy::CopySession>),
}

impl LinkSession {
    /// The session's core.
    pub fn core(&self) -> &Arc<SessionCore> {
        match self {
            LinkSession::Exec(e) => &e.core,
            LinkSession::Attach(c) => c,
            LinkSession::Copy(c) => &c.core,
        }
    }
}

#[derive(Debug)]
struct Credits {
    out: [u64; 2],
    stdin: u64,
    closed: bool,
}

/// What every session has: its id on its link, the link's writer, its
/// credit windows, and a way to remove itself from the link's table.
#[derive(Debug)]
pub struct SessionCore {
    /// Session id (chosen by the client).
    pub id: u32,
    epoch: u64,
    link: Arc<LinkWriter>,
    table: Weak<SessionTable>,
    credits: Mutex<Credits>,
    cond: Condvar,
}

fn out_index(s: Stream) -> usize {
    if s == Stream::Stderr { 1 } else { 0 }
}

impl SessionCore {
    /// A session with `window` bytes of initial stdout/stderr credit and
    /// `stdin_window` bytes of stdin credit granted to the client.
    pub fn new(
        id: u32,
        epoch: u64,
        link: Arc<LinkWriter>,
        table: Weak<SessionTable>,
        window: u32,
        stdin_window: u32,
    ) -> Arc<Self> {
        Arc::new(SessionCore {
            id,
            epoch,
            link,
            table,
            credits: Mutex::new(Credits {
                out: [window.into(), window.into()],
                stdin: stdin_window.into(),
                closed: false,
            }),
            cond: Condvar::new(),
        })
    }

    /// Send a frame on this session (dropped once the session was closed
    /// or the link was reset, so a Close is never followed by more frames).
    pub fn send(&self, m: &Message) -> bool {
        if self.is_closed() {
            return false;
        }
        self.link.send(self.epoch, self.id, m)
    }

    /// Credit available on `stream`, waiting up to `timeout` for some;
    /// None once the session is closed.
    pub fn wait_credit(&self, stream: Stream, timeout: Duration) -> Option<u64> {
        let i = out_index(stream);
        let c = lock(&self.credits);
        let (c, _) = self
            .cond
            .wait_timeout_while(c, timeout, |c| !c.closed && c.out[i] == 0)
            .unwrap_or_else(|e| e.into_inner());
        if c.closed { None } else { Some(c.out[i]) }
    }

    /// Credit available now (0 if closed).
    pub fn credit(&self, stream: Stream) -> u64 {
        let c = lock(&self.credits);
        if c.closed {
            0
        } else {
            c.out[out_index(stream)]
        }
    }

    /// Send output data and consume credit (nothing once closed).
    pub fn send_output(&self, stream: Stream, data: &[u8]) {
        {
            let mut c = lock(&self.credits);
            if c.closed {
                return;
            }
            let i = out_index(stream);
            c.out[i] = c.out[i].saturating_sub(data.len() as u64);
        }
        let m = if stream == Stream::Stderr {
            Message::Stderr(data.to_vec())
        } else {
            Message::Stdout(data.to_vec())
        };
        self.send(&m);
    }

    /// The client granted more output credit.
    pub fn grant(&self, stream: Stream, bytes: u32) {
        let mut c = lock(&self.credits);
        let i = out_index(stream);
        c.out[i] = c.out[i].saturating_add(bytes.into()).min(1 << 40);
        self.cond.notify_all();
    }

    /// Consume stdin credit for `n` bytes; false if the client exceeded it.
    pub fn take_stdin(&self, n: usize) -> bool {
        let mut c = lock(&self.credits);
        if n as u64 > c.stdin {
            return false;
        }
        c.stdin -= n as u64;
        true
    }

    /// Stdin data was written: give the client its credit back.
    pub fn return_stdin(&self, n: usize) {
        let mut c = lock(&self.credits);
        if c.closed {
            return;
        }
        c.stdin += n as u64;
        drop(c);
        self.send(&Message::Window {
            stream: Stream::Stdin,
            bytes: n as u32,
        });
    }

    /// Stop all traffic of this session.
    pub fn close(&self) {
        lock(&self.credits).closed = true;
        self.cond.notify_all();
    }

    /// True once closed.
    pub fn is_closed(&self) -> bool {
        lock(&self.credits).closed
    }

    /// Close and remove this session from its link's table.
    pub fn finish(self: &Arc<Self>) {
        self.close();
        if let Some(t) = self.table.upgrade() {
            let mut t = lock(&t);
            if t.get(&self.id).is_some_and(|s| Arc::ptr_eq(s.core(), self)) {
                t.remove(&self.id);
            }
        }
    }
}

/// When a process exited, for pumps deciding whether to keep waiting for
/// output held open by its descendants.
#[derive(Debug, Default)]
pub struct ExitWatch {
    at: Mutex<Option<Instant>>,
}

impl ExitWatch {
    /// Record the exit.
    pub fn set(&self) {
        lock(&self.at).get_or_insert_with(Instant::now);
    }

    /// True if the process exited more than `d` ago.
    pub fn exited_for(&self, d: Duration) -> bool {
        lock(&self.at).is_some_and(|t| t.elapsed() >= d)
    }
}

/// Where a pump sends what it reads.
pub trait OutputTarget: Send + Sync {
    /// How many bytes may be read now (0: wait and ask again); None: stop.
    fn budget(&self, stream: Stream) -> Option<usize>;
    /// Deliver bytes read.
    fn deliver(&self, stream: Stream, data: &[u8]);
    /// The stream ended.
    fn eof(&self, stream: Stream);
}

impl OutputTarget for SessionCore {
    fn budget(&self, stream: Stream) -> Option<usize> {
        self.wait_credit(stream, Duration::from_millis(200))
            .map(|c| c.min(MAX_DATA as u64) as usize)
    }
    fn deliver(&self, stream: Stream, data: &[u8]) {
        self.send_output(stream, data);
    }
    fn eof(&self, _stream: Stream) {}
}

/// How long a pump keeps reading after its process exited while no data
/// arrives (descendants may hold the pipe open forever).
const DRAIN_IDLE: Duration = Duration::from_millis(250);

/// Copy `fd` to `target` while it grants credit, until EOF (EIO on a pty),
/// or until the process exited and the pipe stays idle; then `done`.
pub fn run_pump(
    fd: OwnedFd,
    stream: Stream,
    target: Arc<dyn OutputTarget>,
    watch: Arc<ExitWatch>,
    done: impl FnOnce(),
) {
    let mut buf = vec![0u8; MAX_DATA];
    loop {
        let budget = match target.budget(stream) {
            None => break,
            Some(0) => continue,
            Some(b) => b,
        };
        let mut pfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, 100) };
        if r == 0 {
            if watch.exited_for(DRAIN_IDLE) {
                break;
            }
            continue;
        }
        if r < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        // SAFETY: reading at most budget <= buf.len() bytes into buf.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), budget) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if matches!(
                e.kind(),
                io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
            ) {
                continue;
            }
            break; // EIO: the pty's last slave closed
        }
        if n == 0 {
            break;
        }
        target.deliver(stream, &buf[..n as usize]);
    }
    target.eof(stream);
    done();
}

/// A message for a stdin feeder thread.
#[derive(Debug)]
pub enum StdinMsg {
    /// Write data; return the credit to that session afterwards.
    Data(Vec<u8>, Arc<SessionCore>),
    /// End of input.
    Close,
}

/// Feed a process's stdin (pipe or pty master) from `rx`. On a pty, Close
/// sends the EOF character (^D) instead of closing the terminal.
pub fn run_stdin(fd: OwnedFd, pty: bool, rx: Receiver<StdinMsg>) {
    let mut fd = Some(fd);
    for msg in rx {
        match msg {
            StdinMsg::Data(data, core) => {
                if let Some(f) = &fd {
                    if write_all_fd(f, &data).is_err() {
                        fd = None; // EPIPE: the process is gone; drop input
                    }
                }
                core.return_stdin(data.len());
            }
            StdinMsg::Close => {
                if pty {
                    if let Some(f) = &fd {
                        let _ = write_all_fd(f, &[4]);
                    }
                } else {
                    fd = None;
                }
            }
        }
    }
}

fn write_all_fd(fd: &OwnedFd, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        // SAFETY: writing from a valid slice.
        let n = unsafe { libc::write(fd.as_raw_fd(), data.as_ptr().cast(), data.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        data = &data[n as usize..];
    }
    Ok(())
}

#[derive(Debug)]
struct Fin {
    pending: u32,
    exit: Option<ExitStatus>,
    /// The OOM-kill count as the process started.
    oom: super::oom::OomWatch,
    /// The guest's OOM killer ended it.
    oom_killed: bool,
}

/// A process started by Exec on a link.
#[derive(Debug)]
pub struct ExecSession {
    /// Id, credits, link.
    pub core: Arc<SessionCore>,
    pid: OnceLock<i32>,
    stdin: Mutex<Option<Sender<StdinMsg>>>,
    pty: OnceLock<Arc<OwnedFd>>,
    watch: Arc<ExitWatch>,
    fin: Mutex<Fin>,
}

impl ExecSession {
    /// A session whose Exit is sent after `pumps` pumps and the exit.
    pub fn new(core: Arc<SessionCore>, pumps: u32) -> Arc<Self> {
        Arc::new(ExecSession {
            core,
            pid: OnceLock::new(),
            stdin: Mutex::new(None),
            pty: OnceLock::new(),
            watch: Arc::new(ExitWatch::default()),
            fin: Mutex::new(Fin {
                pending: pumps + 1,
                exit: None,
                oom: super::oom::OomWatch::start(),
                oom_killed: false,
            }),
        })
    }

    /// The process started.
    pub fn started(&self, pid: i32, stdin: Option<Sender<StdinMsg>>, pty: Option<Arc<OwnedFd>>) {
        let _ = self.pid.set(pid);
        *lock(&self.stdin) = stdin;
        if let Some(p) = pty {
            let _ = self.pty.set(p);
        }
    }

    /// Its exit watch, for the pumps.
    pub fn watch(&self) -> Arc<ExitWatch> {
        self.watch.clone()
    }

    /// The reaper reported the exit.
    pub fn exited(self: &Arc<Self>, raw_status: i32) {
        self.watch.set();
        let mut f = lock(&self.fin);
        f.exit = Some(super::signals::exit_status(raw_status));
        f.oom_killed = f.oom.killed(raw_status);
        drop(f);
        self.part_done();
    }

    /// A pump finished (or the exit arrived); the last part sends Exit.
    pub fn part_done(self: &Arc<Self>) {
        let mut f = lock(&self.fin);
        f.pending = f.pending.saturating_sub(1);
        if f.pending > 0 {
            return;
        }
        let exit = f.exit.unwrap_or_default();
        let oom_killed = f.oom_killed;
        drop(f);
        *lock(&self.stdin) = None;
        if oom_killed {
            let pid = self.pid.get().copied().unwrap_or(0).max(0) as u32;
            self.core.send(&Message::OomKilled { pid });
        }
        self.core.send(&Message::Exit(exit));
        self.core.finish();
    }

    /// Forward stdin data (credit already checked).
    pub fn stdin(&self, msg: StdinMsg) -> Result<(), String> {
        match &*lock(&self.stdin) {
            Some(tx) => {
                let _ = tx.send(msg);
                Ok(())
            }
            None => Err(format!("session {}: stdin is not open", self.core.id)),
        }
    }

    /// End of stdin.
    pub fn close_stdin(&self) {
        let mut s = lock(&self.stdin);
        if let Some(tx) = s.as_ref() {
            let _ = tx.send(StdinMsg::Close);
        }
        if self.pty.get().is_none() {
            *s = None;
        }
    }

    /// New terminal size.
    pub fn resize(&self, rows: u16, cols: u16) -> Result<(), String> {
        let pty = self
            .pty
            .get()
            .ok_or_else(|| format!("session {} has no terminal to resize", self.core.id))?;
        super::process::set_winsize(pty, rows, cols)
            .map_err(|e| format!("session {}: resize failed: {e}", self.core.id))
    }

    /// Signal the process group.
    pub fn signal(&self, signo: i32) -> Result<(), String> {
        let pid = *self.pid.get().ok_or("not started")?;
        if lock(&self.fin).exit.is_some() {
            return Ok(());
        }
        // SAFETY: kill with a negative pid signals the process group.
        if unsafe { libc::kill(-pid, signo) } != 0 {
            let e = io::Error::last_os_error();
            return Err(format!(
                "session {}: signal {signo} failed: {e}",
                self.core.id
            ));
        }
        Ok(())
    }

    /// The client left (Close, or its link went away): kill the process
    /// group and stop all traffic; no Exit is sent.
    pub fn abandon(self: &Arc<Self>) {
        self.core.finish();
        if let Some(&pid) = self.pid.get() {
            if lock(&self.fin).exit.is_none() {
                // SAFETY: kill the session's process group.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
            }
        }
        *lock(&self.stdin) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tether_protocol::frame::FrameReader;
    use tether_protocol::message::PrimaryState;

    /// A link's bytes, shared with the test.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            lock(&self.0).extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn kinds(sink: &Sink) -> Vec<u8> {
        let bytes = lock(&sink.0).clone();
        let mut frames = FrameReader::new(bytes.as_slice());
        std::iter::from_fn(|| frames.read_frame(&|_| true).ok().map(|f| f.kind)).collect()
    }

    #[test]
    fn a_link_is_sent_only_the_messages_its_version_has() {
        use tether_protocol::message::kind;
        let sink = Sink::default();
        let link = LinkWriter::new(Box::new(sink.clone()));
        let hello_ok = |version| Message::HelloOk {
            version,
            agent: "test".into(),
        };
        let oom = Message::OomKilled { pid: 7 };
        let state = Message::PrimaryState(PrimaryState::default());
        let g = link.establish(&hello_ok(3));
        assert!(!link.broadcast(&oom), "version 3 has no OomKilled");
        assert!(!link.send(g, 5, &oom));
        assert!(link.broadcast(&state));
        let g = link.establish(&hello_ok(4));
        assert!(link.broadcast(&oom));
        assert!(link.send(g, 5, &oom));
        assert_eq!(
            kinds(&sink),
            [
                kind::HELLO_OK,
                kind::PRIMARY_STATE,
                kind::HELLO_OK,
                kind::OOM_KILLED,
                kind::OOM_KILLED
            ]
        );
    }
}
