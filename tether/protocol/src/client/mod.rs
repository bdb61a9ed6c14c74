//! The synchronous host-side link client: Hello, a reader thread that
//! demultiplexes frames to sessions and requests, and [`Session`] handles
//! that respect the tether's credit windows.
//!
//! Used by vicport's `exec`, its link relays, and the tests. The requests
//! and sessions that look into a domain (stats, processes, paths, copies)
//! are in `guest`; those that change its networks while it runs in
//! `network`.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::frame::{FrameError, FrameReader, write_frame};
use crate::message::{
    AttachRequest, CopyFailure, ExecRequest, Message, PrimaryPhase, PrimaryState, Stream, kind,
};
use crate::signal::Signal;
use crate::version::Versions;

mod guest;
mod network;
mod session;

pub use guest::{CopyReader, CopyWriter};
use session::SessionShared;
pub use session::{Output, Session, SessionOutput};

/// What went wrong talking to a tether.
#[derive(Debug)]
pub enum ClientError {
    /// Reading or writing the link failed.
    Io(io::Error),
    /// The tether refused the Hello (wrong token or version).
    Refused(String),
    /// The tether reset the link after a framing error.
    Reset(String),
    /// The link is closed.
    Closed(String),
    /// The tether said something this client did not expect.
    Protocol(String),
    /// The process could not be started (code 126 or 127).
    ExecFailed {
        /// 127: not found; 126: cannot be invoked.
        code: i32,
        /// The tether's explanation.
        message: String,
    },
    /// The tether answered a request with an Error frame.
    Remote(String),
    /// No answer in time.
    Timeout(String),
    /// A copy into or out of the domain failed (CopyFailed).
    CopyFailed {
        /// Why, as a class.
        reason: CopyFailure,
        /// The tether's explanation.
        message: String,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Io(e) => write!(f, "tether link I/O failed: {e}"),
            ClientError::Refused(r) => write!(f, "the tether refused the link: {r}"),
            ClientError::Reset(r) => write!(f, "the tether reset the link: {r}"),
            ClientError::Closed(r) => write!(f, "the tether link is closed: {r}"),
            ClientError::Protocol(r) => write!(f, "tether link protocol error: {r}"),
            ClientError::ExecFailed { code, message } => {
                write!(f, "cannot start the process (exit code {code}): {message}")
            }
            ClientError::Remote(r) => write!(f, "the tether reported an error: {r}"),
            ClientError::Timeout(what) => write!(f, "no answer from the tether to {what} in time"),
            ClientError::CopyFailed { message, .. } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> Self {
        ClientError::Io(e)
    }
}

#[derive(Debug, Default)]
struct State {
    dead: Option<String>,
    reset: bool,
    next_id: u32,
    sessions: HashMap<u32, Arc<SessionShared>>,
    requests: HashMap<u32, Answer>,
    pongs: Vec<u64>,
    primary_broadcast: Option<PrimaryState>,
    /// The pid of the primary, broadcast as killed by the guest's OOM
    /// killer (version 4).
    primary_oom: Option<u32>,
    link_errors: Vec<String>,
}

struct Shared {
    /// The protocol version negotiated in Hello.
    version: u32,
    writer: Mutex<Box<dyn Write + Send>>,
    st: Mutex<State>,
    cond: Condvar,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn send(&self, session: u32, m: &Message) -> Result<(), ClientError> {
        let since = crate::message::introduced_in(m.kind()).unwrap_or(u32::MAX);
        if since > self.version {
            return Err(ClientError::Protocol(format!(
                "{} needs protocol version {since}; this link speaks version {}",
                m.name(),
                self.version
            )));
        }
        {
            let st = lock(&self.st);
            if st.dead.is_some() {
                return Err(self.dead_error(&st));
            }
        }
        let mut w = lock(&self.writer);
        w.write_all(&m.to_frame(session))?;
        w.flush()?;
        Ok(())
    }

    fn dead_error(&self, st: &State) -> ClientError {
        let why = st.dead.clone().unwrap_or_default();
        if st.reset {
            ClientError::Reset(why)
        } else {
            ClientError::Closed(why)
        }
    }

    fn alloc_id(st: &mut State) -> u32 {
        loop {
            st.next_id = st.next_id.wrapping_add(1);
            let id = st.next_id;
            if id != 0 && !st.sessions.contains_key(&id) && !st.requests.contains_key(&id) {
                return id;
            }
        }
    }

    /// Send a request on a fresh id and wait for the frame answering it.
    fn request(&self, m: &Message, what: &str, timeout: Duration) -> Result<Message, ClientError> {
        let mut frames = self.request_all(m, what, timeout)?;
        frames
            .pop()
            .ok_or_else(|| ClientError::Protocol(format!("no answer to {what}")))
    }

    /// Send a request on a fresh id and wait for every frame answering it
    /// (several for Top).
    fn request_all(
        &self,
        m: &Message,
        what: &str,
        timeout: Duration,
    ) -> Result<Vec<Message>, ClientError> {
        let id = {
            let mut st = lock(&self.st);
            let id = Self::alloc_id(&mut st);
            st.requests.insert(id, Answer::default());
            id
        };
        if let Err(e) = self.send(id, m) {
            lock(&self.st).requests.remove(&id);
            return Err(e);
        }
        let st = lock(&self.st);
        let (mut st, _) = self
            .cond
            .wait_timeout_while(st, timeout, |s| {
                s.dead.is_none() && s.requests.get(&id).is_some_and(|r| !r.done)
            })
            .unwrap_or_else(|e| e.into_inner());
        match st.requests.remove(&id) {
            Some(a) if a.done => match a.frames.last() {
                Some(Message::Error { message }) => Err(ClientError::Remote(message.clone())),
                _ => Ok(a.frames),
            },
            _ if st.dead.is_some() => Err(self.dead_error(&st)),
            _ => Err(ClientError::Timeout(what.into())),
        }
    }
}

/// The frames answering one request so far.
#[derive(Debug, Default)]
struct Answer {
    frames: Vec<Message>,
    /// The last frame arrived.
    done: bool,
}

/// A connected, authenticated link to one tether.
pub struct Client {
    shared: Arc<Shared>,
    closer: Option<Box<dyn Fn() + Send + Sync>>,
    reader: Option<JoinHandle<()>>,
    agent: String,
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("agent", &self.agent)
            .field("version", &self.shared.version)
            .finish_non_exhaustive()
    }
}

/// Read one frame from a stream without buffering past it and expect Ready.
/// Returns the tether's protocol version. For the host side at boot: wait
/// for Ready, then [`Client::from_halves`].
pub fn wait_for_ready(r: &mut impl Read) -> Result<u32, ClientError> {
    loop {
        let mut len = [0u8; 4];
        r.read_exact(&mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if !(5..=crate::frame::MAX_FRAME_LEN).contains(&len) {
            return Err(ClientError::Protocol(format!(
                "frame length {len} while waiting for Ready"
            )));
        }
        let mut body = vec![0u8; len];
        r.read_exact(&mut body)?;
        if body[0] == kind::READY {
            return match Message::decode(body[0], &body[5..]) {
                Ok(Message::Ready { version }) => Ok(version),
                _ => Err(ClientError::Protocol("malformed Ready".into())),
            };
        }
    }
}

impl Client {
    /// Say Hello over the two halves of one stream with `token` and start
    /// the reader thread. Dropping the client cannot unblock that thread:
    /// it ends when the stream does. To bound the wait for HelloOk, set a
    /// read timeout on the stream first (it gives [`ClientError::Timeout`]);
    /// the reader thread tolerates it.
    pub fn from_halves(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        token: &[u8],
    ) -> Result<Client, ClientError> {
        Self::handshake(reader, Box::new(writer), token, None)
    }

    /// Like [`Client::from_halves`], with a way to end the stream:
    /// `shutdown` is called when the client is dropped (shut both
    /// directions of the stream down), and the drop then waits for the
    /// reader thread.
    pub fn from_halves_with_shutdown(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        token: &[u8],
        shutdown: impl Fn() + Send + Sync + 'static,
    ) -> Result<Client, ClientError> {
        Self::handshake(reader, Box::new(writer), token, Some(Box::new(shutdown)))
    }

    /// Over a TCP connection (a network-backed serial port, a tether in
    /// serve mode): [`Client::from_halves_with_shutdown`] with clones of
    /// `stream`.
    pub fn connect_tcp(stream: &TcpStream, token: &[u8]) -> Result<Client, ClientError> {
        let reader = stream.try_clone()?;
        let writer = stream.try_clone()?;
        let closer = stream.try_clone()?;
        Self::from_halves_with_shutdown(reader, writer, token, move || {
            let _ = closer.shutdown(std::net::Shutdown::Both);
        })
    }

    fn handshake<R: Read + Send + 'static>(
        reader: R,
        mut writer: Box<dyn Write + Send>,
        token: &[u8],
        closer: Option<Box<dyn Fn() + Send + Sync>>,
    ) -> Result<Client, ClientError> {
        let hello = Message::Hello {
            versions: Versions::SUPPORTED,
            token: token.to_vec(),
        };
        write_frame(&mut writer, kind::HELLO, 0, &hello.encode_payload())?;
        let mut frames = FrameReader::new(reader);
        let (version, agent) = loop {
            let f = frames.read_frame(&|_| true).map_err(|e| match e {
                FrameError::Io(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    ClientError::Timeout("Hello".into())
                }
                FrameError::Io(e) => ClientError::Io(e),
                e => ClientError::Closed(e.to_string()),
            })?;
            match Message::decode(f.kind, &f.payload) {
                Ok(Message::HelloOk { version, agent })
                    if Versions::SUPPORTED.contains(version) =>
                {
                    break (version, agent);
                }
                Ok(Message::HelloOk { version, .. }) => {
                    return Err(ClientError::Protocol(format!(
                        "the tether chose protocol version {version}, which this client (versions {}) does not speak",
                        Versions::SUPPORTED
                    )));
                }
                Ok(Message::Refused { reason }) => return Err(ClientError::Refused(reason)),
                Ok(Message::Reset { reason }) => return Err(ClientError::Reset(reason)),
                _ => continue, // Ready, stale frames of an earlier link
            }
        };
        let shared = Arc::new(Shared {
            version,
            writer: Mutex::new(writer),
            st: Mutex::new(State::default()),
            cond: Condvar::new(),
        });
        let s2 = shared.clone();
        let reader = std::thread::Builder::new()
            .name("tether-link-reader".into())
            .spawn(move || read_loop(frames, &s2))?;
        Ok(Client {
            shared,
            closer,
            reader: Some(reader),
            agent,
            timeout: Duration::from_secs(30),
        })
    }

    /// The tether's self-description from HelloOk.
    pub fn agent(&self) -> &str {
        &self.agent
    }

    /// The protocol version this link speaks (the highest both sides do).
    pub fn version(&self) -> u32 {
        self.shared.version
    }

    /// How long requests wait for an answer (default 30 s).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Why the link is gone, if it is.
    pub fn closed_reason(&self) -> Option<String> {
        lock(&self.shared.st).dead.clone()
    }

    /// Error frames the tether sent on session 0 or on unknown sessions.
    pub fn take_link_errors(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.shared.st).link_errors)
    }

    /// Round trip time of a Ping.
    pub fn ping(&self) -> Result<Duration, ClientError> {
        let t = Instant::now();
        let nonce =
            t.elapsed().as_nanos() as u64 ^ 0x5eed_0000_0000 ^ u64::from(std::process::id());
        self.shared.send(0, &Message::Ping { nonce })?;
        let st = lock(&self.shared.st);
        let (mut st, _) = self
            .shared
            .cond
            .wait_timeout_while(st, self.timeout, |s| {
                s.dead.is_none() && !s.pongs.contains(&nonce)
            })
            .unwrap_or_else(|e| e.into_inner());
        if let Some(i) = st.pongs.iter().position(|&n| n == nonce) {
            st.pongs.swap_remove(i);
            return Ok(t.elapsed());
        }
        if st.dead.is_some() {
            return Err(self.shared.dead_error(&st));
        }
        Err(ClientError::Timeout("ping".into()))
    }

    /// Run a process; returns once it started (or failed to: ExecFailed).
    pub fn exec(&self, req: ExecRequest) -> Result<Session, ClientError> {
        self.open(Message::Exec(req))
    }

    /// Run a process with limits (groups, rlimits, capabilities,
    /// no_new_privs, OOM score): ExecLimited, on a link of version 3 or
    /// later (else a protocol error).
    pub fn exec_limited(
        &self,
        req: ExecRequest,
        limits: crate::config::ProcessLimits,
    ) -> Result<Session, ClientError> {
        self.open(Message::ExecLimited(req, limits))
    }

    /// Start a process that no session follows (ExecDetached, version 7):
    /// its stdio is the guest's null device and it runs on after this
    /// returns its pid. `req.tty` and `req.stdin` must be false.
    pub fn exec_detached(
        &self,
        req: ExecRequest,
        limits: crate::config::ProcessLimits,
    ) -> Result<u32, ClientError> {
        let m = Message::ExecDetached(req, limits);
        match self.shared.request(&m, "ExecDetached", self.timeout)? {
            Message::Started { pid, .. } => Ok(pid),
            Message::ExecFailed { code, message } => Err(ClientError::ExecFailed { code, message }),
            other => Err(ClientError::Protocol(format!(
                "{} in answer to ExecDetached",
                other.name()
            ))),
        }
    }

    /// Attach to the primary process's stdio (starts it when it waits for
    /// attach). Dropping the session detaches; it does not kill the primary.
    pub fn attach(&self, req: AttachRequest) -> Result<Session, ClientError> {
        self.open(Message::Attach(req))
    }

    pub(crate) fn open(&self, m: Message) -> Result<Session, ClientError> {
        let s = Arc::new(SessionShared::default());
        let id = {
            let mut st = lock(&self.shared.st);
            let id = Shared::alloc_id(&mut st);
            st.sessions.insert(id, s.clone());
            id
        };
        let mut session = Session {
            id,
            pid: 0,
            link: self.shared.clone(),
            s,
        };
        self.shared.send(id, &m)?;
        let deadline = Instant::now() + self.timeout;
        let mut st = lock(&session.s.st);
        loop {
            if let Some(started) = st.started.take() {
                drop(st);
                return match started {
                    Ok(pid) => {
                        session.pid = pid;
                        Ok(session)
                    }
                    Err(e) => {
                        session.forget();
                        Err(e)
                    }
                };
            }
            if let Some(e) = st.errors.first() {
                let e = ClientError::Remote(e.clone());
                drop(st);
                session.forget();
                return Err(e);
            }
            {
                let link = lock(&self.shared.st);
                if link.dead.is_some() {
                    return Err(self.shared.dead_error(&link));
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(ClientError::Timeout(m.name().into()));
            }
            st = session
                .s
                .cond
                .wait_timeout(st, (deadline - now).min(Duration::from_millis(200)))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The primary process's state.
    pub fn primary_status(&self) -> Result<PrimaryState, ClientError> {
        match self
            .shared
            .request(&Message::PrimaryStatus, "PrimaryStatus", self.timeout)?
        {
            Message::PrimaryState(s) => Ok(s),
            other => Err(ClientError::Protocol(format!(
                "{} in answer to PrimaryStatus",
                other.name()
            ))),
        }
    }

    /// Whether the tether said the primary was killed by the guest's
    /// out-of-memory killer (its broadcast, which comes before the exited
    /// PrimaryState's; version 4).
    pub fn primary_oom_killed(&self) -> bool {
        lock(&self.shared.st).primary_oom.is_some()
    }

    /// Wait up to `timeout` for the primary to have exited (from the
    /// broadcast, or by asking).
    pub fn wait_primary_exit(&self, timeout: Duration) -> Result<PrimaryState, ClientError> {
        let now = self.primary_status()?;
        if now.phase == PrimaryPhase::Exited {
            return Ok(now);
        }
        let st = lock(&self.shared.st);
        let (st, _) = self
            .shared
            .cond
            .wait_timeout_while(st, timeout, |s| {
                s.dead.is_none()
                    && !s
                        .primary_broadcast
                        .is_some_and(|p| p.phase == PrimaryPhase::Exited)
            })
            .unwrap_or_else(|e| e.into_inner());
        match st.primary_broadcast {
            Some(p) if p.phase == PrimaryPhase::Exited => Ok(p),
            _ if st.dead.is_some() => Err(self.shared.dead_error(&st)),
            _ => Err(ClientError::Timeout("the primary's exit".into())),
        }
    }

    /// Graceful stop: `signal` (None: the configured stop signal) to the
    /// primary, `timeout` for it to exit, then everything is killed and the
    /// domain powers off. Returns when the tether acknowledged.
    pub fn shutdown(&self, signal: Option<Signal>, timeout: Duration) -> Result<(), ClientError> {
        let m = Message::Shutdown {
            signal,
            timeout_ms: timeout.as_millis().min(u32::MAX as u128) as u32,
        };
        match self.shared.request(&m, "Shutdown", self.timeout)? {
            Message::ShutdownStarted => Ok(()),
            other => Err(ClientError::Protocol(format!(
                "{} in answer to Shutdown",
                other.name()
            ))),
        }
    }

    /// `signal` to every process of the container (version 5): how many
    /// processes it was sent to.
    pub fn signal_all(&self, signal: Signal) -> Result<u32, ClientError> {
        match self
            .shared
            .request(&Message::SignalAll { signal }, "SignalAll", self.timeout)?
        {
            Message::SignalledAll { processes } => Ok(processes),
            other => Err(ClientError::Protocol(format!(
                "{} in answer to SignalAll",
                other.name()
            ))),
        }
    }

    /// Send a raw frame (tests and relays).
    pub fn send_raw(&self, session: u32, m: &Message) -> Result<(), ClientError> {
        self.shared.send(session, m)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        {
            let mut st = lock(&self.shared.st);
            if st.dead.is_none() {
                st.dead = Some("client dropped".into());
            }
        }
        self.shared.cond.notify_all();
        if let Some(close) = &self.closer {
            close();
            if let Some(r) = self.reader.take() {
                let _ = r.join();
            }
        }
    }
}

fn read_loop<R: Read>(mut frames: FrameReader<R>, shared: &Shared) {
    let why = loop {
        let f = match frames.read_frame(&|_| true) {
            Ok(f) => f,
            // A read timeout the caller set on the stream is not an error:
            // the partial frame stays buffered.
            Err(FrameError::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) && lock(&shared.st).dead.is_none() =>
            {
                continue;
            }
            Err(e) => break e.to_string(),
        };
        // A type this client does not know, or its link's version lacks,
        // is skipped and recorded, never fatal.
        if let Some(since) =
            crate::message::introduced_in(f.kind).filter(|&since| since > shared.version)
        {
            lock(&shared.st).link_errors.push(format!(
                "skipped {} on session {} from the tether: it needs protocol version {since}, this link speaks {}",
                crate::message::kind_name(f.kind),
                f.session,
                shared.version
            ));
            continue;
        }
        let m = match Message::decode(f.kind, &f.payload) {
            Ok(m) => m,
            Err(e) => {
                lock(&shared.st).link_errors.push(format!(
                    "skipped {} on session {} from the tether: {e}",
                    crate::message::kind_name(f.kind),
                    f.session
                ));
                continue;
            }
        };
        if let Message::Reset { reason } = &m {
            let mut st = lock(&shared.st);
            st.reset = true;
            break reason.clone();
        }
        dispatch(shared, f.session, m);
    };
    let sessions: Vec<_> = {
        let mut st = lock(&shared.st);
        if st.dead.is_none() {
            st.dead = Some(why);
        }
        st.sessions.values().cloned().collect()
    };
    shared.cond.notify_all();
    for s in sessions {
        s.cond.notify_all();
    }
}

fn dispatch(shared: &Shared, id: u32, m: Message) {
    let mut st = lock(&shared.st);
    if let Some(answer) = st.requests.get_mut(&id) {
        answer.done = !matches!(m, Message::Processes { more: true, .. });
        answer.frames.push(m);
        drop(st);
        shared.cond.notify_all();
        return;
    }
    match m {
        Message::Pong { nonce } => {
            st.pongs.push(nonce);
            drop(st);
            shared.cond.notify_all();
            return;
        }
        Message::PrimaryState(p) if id == 0 => {
            st.primary_broadcast = Some(p);
            drop(st);
            shared.cond.notify_all();
            return;
        }
        Message::OomKilled { pid } if id == 0 => {
            st.primary_oom = Some(pid);
            return;
        }
        _ => {}
    }
    let Some(s) = st.sessions.get(&id).cloned() else {
        if let Message::Error { message } = m {
            st.link_errors.push(message);
        }
        return;
    };
    drop(st);
    let mut ss = lock(&s.st);
    match m {
        Message::Started { pid, stdin_window } => {
            ss.started = Some(Ok(pid));
            ss.opened = true;
            ss.stdin_credit = stdin_window.into();
        }
        Message::CopyStarted { stdin_window } => {
            ss.started = Some(Ok(0));
            ss.opened = true;
            ss.stdin_credit = stdin_window.into();
        }
        Message::ExecFailed { code, message } => {
            ss.started = Some(Err(ClientError::ExecFailed { code, message }));
        }
        Message::CopyFailed { reason, message } if !ss.opened => {
            ss.started = Some(Err(ClientError::CopyFailed { reason, message }));
        }
        Message::CopyFailed { reason, message } => ss.failed = Some((reason, message)),
        Message::Stdout(d) => ss.events.push_back(Output::Stdout(d)),
        Message::Stderr(d) => ss.events.push_back(Output::Stderr(d)),
        Message::Exit(e) => ss.exit = Some(e),
        Message::OomKilled { .. } => ss.oom_killed = true,
        Message::Window {
            stream: Stream::Stdin,
            bytes,
        } => ss.stdin_credit += u64::from(bytes),
        Message::Error { message } => ss.errors.push(message),
        _ => {}
    }
    drop(ss);
    s.cond.notify_all();
}
