//! The per-domain monitor (like conmon for podman): a detached process that
//! owns one domain's QEMU, holds its tether link, and relays many host
//! clients (exec, attach, stop) onto that one link. Clients speak the same
//! link protocol to the monitor as to a tether; the monitor authenticates
//! them with the domain's token and gives each its own session-id space, so
//! a misbehaving client only ever loses its own sessions. It records what
//! happens (ready, exit code, why QEMU ended) in `runtime.json`.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tether_protocol::frame::{FrameReader, encode_frame};
use tether_protocol::message::{Message, PrimaryPhase, PrimaryState, kind};
use tether_protocol::version::{self, Versions};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, write_atomic};
use crate::plumbing::local::events::Journal;
use crate::plumbing::local::network::{self, NetworkStore};
use crate::plumbing::local::qemu::{self, files as qemu_files};
use crate::plumbing::local::runtime::{Phase, Runtime, files};
use crate::plumbing::local::share;
use crate::plumbing::local::sock;
use crate::plumbing::local::store::DomainStore;
use crate::plumbing::spec::{DomainId, now};

/// What the starter decided and the monitor carries out, written to
/// `launch.json` before the monitor starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Launch {
    /// The domain's id and name (for events).
    pub id: DomainId,
    pub name: String,
    /// QEMU's arguments (relative to the domain directory).
    pub qemu_args: Vec<String>,
    pub accel: qemu::Accel,
    /// The link token (hex).
    pub token: String,
    /// Remove the domain when it stops (`run --rm`).
    pub auto_remove: bool,
    /// The state directory (for the journal and removal).
    pub state: PathBuf,
    /// Taps the starter made for QEMU, deleted when QEMU has ended.
    #[serde(default)]
    pub taps: Vec<String>,
    /// One virtiofsd command line per shared directory, started before
    /// QEMU (relative to the domain directory) and ended after it.
    #[serde(default)]
    pub virtiofsd: Vec<Vec<String>>,
}

/// The launch file's name in the domain directory.
pub const LAUNCH: &str = "launch.json";

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Monitor diagnostics go to stderr, which the starter points at
/// `monitor.log` in the domain directory.
macro_rules! note {
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{} {}", now(), format!($($arg)*));
        }
    }};
}

/// Run the monitor of the domain in `dir` until its QEMU exits.
pub fn run(dir: &Path) -> Result<()> {
    let Some(_lock) = Lock::try_exclusive(&dir.join(files::MONITOR_LOCK))? else {
        return Err(Error::conflict(format!(
            "another monitor already runs the domain in {}",
            dir.display()
        )));
    };
    let launch: Launch = serde_json::from_slice(
        &std::fs::read(dir.join(LAUNCH))
            .io_context(|| format!("reading {}", dir.join(LAUNCH).display()))?,
    )
    .map_err(|e| Error::other(format!("{} is damaged: {e}", dir.join(LAUNCH).display())))?;
    let token = hex::decode(&launch.token)
        .map_err(|_| Error::other("the launch file's token is not hex"))?;
    let journal = Journal::new(&launch.state);

    let mut runtime = Runtime {
        phase: Phase::Starting,
        started_at: Some(now()),
        monitor_pid: Some(std::process::id()),
        accel: Some(launch.accel),
        ..Default::default()
    };
    for stale in [qemu_files::LINK, qemu_files::QMP, files::MONITOR_SOCK] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    // A fresh log per run: `logs` shows the current run, like the platform's
    // serial-port file on vSphere.
    let _ = std::fs::remove_file(dir.join(qemu_files::OUTPUT));
    runtime.save(dir)?;

    let qemu_log = std::fs::File::create(dir.join("qemu.log"))
        .io_context(|| format!("creating {}", dir.join("qemu.log").display()))?;
    let mut daemons = match share::start_daemons(dir, &launch.virtiofsd, &qemu_log) {
        Ok(d) => d,
        Err(e) => {
            finish(dir, &mut runtime, None, Some(e.to_string()));
            for tap in &launch.taps {
                network::delete_tap(tap);
            }
            return Err(e);
        }
    };
    let mut child = Command::new(qemu::QEMU)
        .args(&launch.qemu_args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(qemu_log.try_clone().io_context(|| "qemu.log".into())?)
        .stderr(qemu_log)
        .spawn()
        .map_err(|e| {
            let err = Error::io(format!("starting {}", qemu::QEMU), e)
                .with_hint("install QEMU: apt-get install qemu-system-x86");
            finish(dir, &mut runtime, None, Some(err.to_string()));
            share::end_daemons(&mut daemons);
            for tap in &launch.taps {
                network::delete_tap(tap);
            }
            err
        })?;
    runtime.qemu_pid = Some(child.id());
    runtime.save(dir)?;
    note!("qemu started, pid {}", child.id());

    let relay = match connect_link(dir, &mut child, &token) {
        Ok(link) => {
            // The relay's socket is bound before the domain is recorded as
            // running: a starter that sees Running attaches at once.
            let relay = Relay::start(link, token.clone(), dir)?;
            runtime.phase = Phase::Running;
            runtime.ready_at = Some(now());
            runtime.save(dir)?;
            journal.record("domain", &launch.name, "start", &[]);
            note!("tether ready");
            Some(relay)
        }
        Err(e) => {
            note!("no tether link: {e}");
            None
        }
    };

    let status = child.wait().io_context(|| "waiting for QEMU".into())?;
    note!("qemu exited: {status}");
    share::end_daemons(&mut daemons);
    for tap in &launch.taps {
        network::delete_tap(tap);
    }
    let primary = relay.as_ref().and_then(|r| r.primary_exit());
    let reason = exit_reason(&status, primary.as_ref(), relay.is_some(), dir);
    let exit_code = primary.map(|p| p.exit_code);
    finish(dir, &mut runtime, exit_code, reason);
    if let Some(r) = &relay {
        r.close_all();
    }
    let mut attrs = Vec::new();
    if let Some(code) = exit_code {
        attrs.push(("exit_code", code.to_string()));
    }
    journal.record("domain", &launch.name, "die", &attrs);
    if launch.auto_remove {
        let store = DomainStore::new(&launch.state);
        let def = store.load(&launch.id).ok();
        match store.remove(&launch.id) {
            Ok(()) => {
                if let Some(def) = def {
                    network::forget_domain(&NetworkStore::new(&launch.state), &def);
                }
                journal.record("domain", &launch.name, "remove", &[]);
            }
            Err(e) => note!("auto-remove failed: {e}"),
        }
    }
    Ok(())
}

/// Why QEMU ended, when it was not the primary's own exit.
fn exit_reason(
    status: &std::process::ExitStatus,
    primary: Option<&PrimaryState>,
    linked: bool,
    dir: &Path,
) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if let Some(sig) = status.signal() {
        return Some(format!("QEMU was killed by signal {sig}"));
    }
    if !status.success() {
        let log = std::fs::read_to_string(dir.join("qemu.log")).unwrap_or_default();
        let last = log.lines().last().unwrap_or("").trim().to_string();
        return Some(format!("QEMU exited with {status}: {last}"));
    }
    if !linked {
        return Some("the guest powered off before its tether was ready (see console.log)".into());
    }
    if primary.is_none() {
        return Some("the guest powered off without reporting the primary process's exit".into());
    }
    None
}

fn finish(dir: &Path, runtime: &mut Runtime, exit_code: Option<i32>, reason: Option<String>) {
    runtime.phase = Phase::Exited;
    runtime.finished_at = Some(now());
    runtime.exit_code = exit_code;
    runtime.reason = reason;
    if let Err(e) = runtime.save(dir) {
        note!("recording the exit failed: {e}");
    }
}

/// Connect to QEMU's link socket, wait for the tether's Ready, and say
/// Hello. Fails when QEMU exits first.
fn connect_link(dir: &Path, child: &mut Child, token: &[u8]) -> Result<UnixStream> {
    let path = dir.join(qemu_files::LINK);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut stream = loop {
        match sock::try_connect(&path) {
            Ok(s) => break s,
            Err(e) => {
                if child.try_wait().ok().flatten().is_some() {
                    return Err(Error::other("QEMU exited before its link socket appeared"));
                }
                if Instant::now() > deadline {
                    return Err(Error::io(format!("connecting to {}", path.display()), e));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    handshake(&mut stream, token)?;
    Ok(stream)
}

/// Wait for the tether's Ready on a fresh link and say Hello; the HelloOk
/// (or Refused) is read by the relay's tether reader.
pub fn handshake(stream: &mut UnixStream, token: &[u8]) -> Result<()> {
    tether_protocol::client::wait_for_ready(stream)
        .map_err(|e| Error::other(format!("waiting for the tether: {e}")))?;
    let hello = Message::Hello {
        versions: Versions::SUPPORTED,
        token: token.to_vec(),
    };
    stream
        .write_all(&hello.to_frame(0))
        .io_context(|| "saying Hello to the tether".into())
}

type ClientId = u64;

/// What a relayed session id stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Exec or Attach: ends with Exit, ExecFailed or Close.
    Session,
    /// PrimaryStatus or Shutdown: ends with its one answer.
    Request,
}

#[derive(Debug, Clone, Copy)]
struct Route {
    client: ClientId,
    session: u32,
    kind: Kind,
}

/// What a client's writer thread is sent: frames, and an empty buffer to
/// say "all written, close" (no frame is empty).
const CLOSE: Vec<u8> = Vec::new();

#[derive(Debug)]
struct ClientHandle {
    tx: Sender<Vec<u8>>,
    /// The writer thread, joined when the domain ends so that the last
    /// frames (a session's Exit) reach the client before the monitor exits.
    writer: Option<std::thread::JoinHandle<()>>,
    stream: UnixStream,
    /// Client session id → global id.
    sessions: HashMap<u32, u32>,
}

#[derive(Debug, Default)]
struct Routes {
    next_global: u32,
    next_client: ClientId,
    by_global: HashMap<u32, Route>,
    clients: HashMap<ClientId, ClientHandle>,
}

impl Routes {
    fn alloc(&mut self) -> u32 {
        loop {
            self.next_global = self.next_global.wrapping_add(1);
            if self.next_global != 0 && !self.by_global.contains_key(&self.next_global) {
                return self.next_global;
            }
        }
    }
}

/// The link relay: one tether link, many clients on `monitor.sock`.
#[derive(Debug)]
pub struct Relay {
    tether: Mutex<UnixStream>,
    token: Vec<u8>,
    routes: Mutex<Routes>,
    primary: Mutex<Option<PrimaryState>>,
    agent: Mutex<String>,
    /// The protocol version of the tether link, once it said HelloOk:
    /// clients are offered no higher version, since their frames are
    /// relayed onto that link.
    version: Mutex<Option<u32>>,
}

impl Relay {
    /// Relay `link` (a tether link on which Hello was just sent, see
    /// [`handshake`]) to clients of `<dir>/monitor.sock`.
    pub fn start(link: UnixStream, token: Vec<u8>, dir: &Path) -> Result<Arc<Relay>> {
        let reader = link.try_clone().io_context(|| "cloning the link".into())?;
        let relay = Arc::new(Relay {
            tether: Mutex::new(link),
            token,
            routes: Mutex::new(Routes::default()),
            primary: Mutex::new(None),
            agent: Mutex::new(String::new()),
            version: Mutex::new(None),
        });
        let r = relay.clone();
        std::thread::Builder::new()
            .name("tether-reader".into())
            .spawn(move || r.tether_loop(reader))
            .io_context(|| "starting the link reader".into())?;
        let listener = sock::bind(&dir.join(files::MONITOR_SOCK))?;
        let r = relay.clone();
        std::thread::Builder::new()
            .name("acceptor".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    match conn {
                        Ok(stream) => r.clone().serve_client(stream),
                        Err(e) => note!("accept failed: {e}"),
                    }
                }
            })
            .io_context(|| "starting the acceptor".into())?;
        Ok(relay)
    }

    /// The primary's exit, once the tether reported it.
    pub fn primary_exit(&self) -> Option<PrimaryState> {
        lock(&self.primary).filter(|p| p.phase == PrimaryPhase::Exited)
    }

    fn send_tether(&self, frame: &[u8]) -> bool {
        let mut w = lock(&self.tether);
        w.write_all(frame).and_then(|()| w.flush()).is_ok()
    }

    /// Disconnect every client once what was queued for it is written
    /// (the domain has ended).
    pub fn close_all(&self) {
        let writers: Vec<_> = {
            let mut routes = lock(&self.routes);
            routes.by_global.clear();
            routes
                .clients
                .drain()
                .map(|(_, mut c)| {
                    let _ = c.tx.send(CLOSE);
                    (c.writer.take(), c.stream)
                })
                .collect()
        };
        for (writer, stream) in writers {
            if let Some(w) = writer {
                let _ = w.join();
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }

    /// Frames from the tether: route by session, broadcast session 0.
    fn tether_loop(self: Arc<Self>, reader: UnixStream) {
        let mut frames = FrameReader::new(reader);
        loop {
            let frame = match frames.read_frame(&|_| true) {
                Ok(f) => f,
                Err(e) if e.is_framing() => {
                    note!("bad frame from the tether: {e}");
                    if frames.resync().is_err() {
                        return;
                    }
                    continue;
                }
                Err(_) => return, // QEMU is gone
            };
            if frame.session == 0 {
                self.link_frame(frame.kind, &frame.payload);
                continue;
            }
            let mut routes = lock(&self.routes);
            let Some(route) = routes.by_global.get(&frame.session).copied() else {
                continue; // a session its client abandoned
            };
            let ends = match route.kind {
                Kind::Session => matches!(frame.kind, kind::EXIT | kind::EXEC_FAILED),
                Kind::Request => true,
            };
            if route.kind == Kind::Request && frame.kind == kind::PRIMARY_STATE {
                if let Ok(Message::PrimaryState(p)) = Message::decode(frame.kind, &frame.payload) {
                    *lock(&self.primary) = Some(p);
                }
            }
            if ends {
                routes.by_global.remove(&frame.session);
                if let Some(c) = routes.clients.get_mut(&route.client) {
                    c.sessions.remove(&route.session);
                }
            }
            if let Some(c) = routes.clients.get(&route.client) {
                let mut out = Vec::with_capacity(frame.payload.len() + 9);
                encode_frame(frame.kind, route.session, &frame.payload, &mut out);
                let _ = c.tx.send(out);
            }
        }
    }

    fn link_frame(&self, k: u8, payload: &[u8]) {
        match Message::decode(k, payload) {
            Ok(Message::HelloOk { agent, version }) => {
                *lock(&self.agent) = agent;
                *lock(&self.version) = Some(version);
            }
            Ok(Message::Refused { reason }) => note!("the tether refused the link: {reason}"),
            Ok(Message::PrimaryState(p)) => {
                *lock(&self.primary) = Some(p);
                self.broadcast(k, payload);
                if p.phase == PrimaryPhase::Exited {
                    // The exit is recorded (and relayed); tell the tether it
                    // need not wait for the host to read it before it powers off.
                    let id = lock(&self.routes).alloc();
                    let ack = Message::Shutdown {
                        signal: None,
                        timeout_ms: 0,
                    };
                    self.send_tether(&ack.to_frame(id));
                }
            }
            Ok(Message::Error { message }) => note!("the tether reported: {message}"),
            Ok(Message::Reset { reason }) => {
                note!("the tether reset the link: {reason}");
                // Every session is gone; tell the clients, then re-establish.
                self.broadcast(k, payload);
                let mut routes = lock(&self.routes);
                routes.by_global.clear();
                for c in routes.clients.values_mut() {
                    c.sessions.clear();
                }
                drop(routes);
                self.hello_again();
            }
            Ok(Message::Ready { .. }) => self.hello_again(),
            _ => {}
        }
    }

    fn hello_again(&self) {
        let hello = Message::Hello {
            versions: Versions::SUPPORTED,
            token: self.token.clone(),
        };
        self.send_tether(&hello.to_frame(0));
    }

    fn broadcast(&self, k: u8, payload: &[u8]) {
        let mut out = Vec::new();
        encode_frame(k, 0, payload, &mut out);
        for c in lock(&self.routes).clients.values() {
            let _ = c.tx.send(out.clone());
        }
    }

    /// One host client: its own reader thread, and a writer thread so that a
    /// slow client never stalls the tether reader (what it can be sent is
    /// bounded by its sessions' credit windows).
    fn serve_client(self: Arc<Self>, stream: UnixStream) {
        let (Ok(reader), Ok(mut writer)) = (stream.try_clone(), stream.try_clone()) else {
            return;
        };
        let (tx, rx) = channel::<Vec<u8>>();
        // A client that stops reading cannot hold the monitor's end forever.
        let _ = writer.set_write_timeout(Some(Duration::from_secs(5)));
        let writer_thread = std::thread::Builder::new()
            .name("client-writer".into())
            .spawn(move || {
                for frame in rx {
                    if frame.is_empty() {
                        let _ = writer.shutdown(std::net::Shutdown::Write);
                        return;
                    }
                    if writer.write_all(&frame).is_err() {
                        let _ = writer.shutdown(std::net::Shutdown::Both);
                        return;
                    }
                }
            })
            .ok();
        let id = {
            let mut routes = lock(&self.routes);
            routes.next_client += 1;
            let id = routes.next_client;
            routes.clients.insert(
                id,
                ClientHandle {
                    tx: tx.clone(),
                    writer: writer_thread,
                    stream,
                    sessions: HashMap::new(),
                },
            );
            id
        };
        let me = self.clone();
        let _ = std::thread::Builder::new()
            .name(format!("client-{id}-reader"))
            .spawn(move || {
                me.client_loop(id, reader, &tx);
                me.drop_client(id);
            });
    }

    fn client_loop(&self, id: ClientId, reader: UnixStream, tx: &Sender<Vec<u8>>) {
        let mut frames = FrameReader::new(reader);
        let mut hello = false;
        loop {
            let Ok(frame) = frames.read_frame(&|_| true) else {
                return; // end, I/O error, or garbage: this client only
            };
            let reply = |m: Message, session: u32| {
                let _ = tx.send(m.to_frame(session));
            };
            if frame.kind == kind::HELLO {
                let ours = match *lock(&self.version) {
                    Some(tether) => Versions::SUPPORTED.up_to(tether),
                    None => Versions::SUPPORTED,
                };
                match version::answer_hello(&frame.payload, &self.token, ours, "this monitor") {
                    Ok(version) => {
                        self.close_client_sessions(id);
                        hello = true;
                        reply(
                            Message::HelloOk {
                                version,
                                agent: format!("vicport-monitor via {}", lock(&self.agent)),
                            },
                            0,
                        );
                    }
                    Err(reason) => reply(Message::Refused { reason }, 0),
                }
                continue;
            }
            if !hello {
                return; // nothing but Hello before Hello
            }
            if frame.session == 0 {
                match Message::decode(frame.kind, &frame.payload) {
                    Ok(Message::Ping { nonce }) => reply(Message::Pong { nonce }, 0),
                    _ => reply(
                        Message::Error {
                            message: format!("{} is not a link message", kind_name(frame.kind)),
                        },
                        0,
                    ),
                }
                continue;
            }
            let new_kind = match frame.kind {
                kind::EXEC | kind::EXEC_LIMITED | kind::ATTACH => Some(Kind::Session),
                kind::PRIMARY_STATUS | kind::SHUTDOWN => Some(Kind::Request),
                _ => None,
            };
            let mut routes = lock(&self.routes);
            let global = match new_kind {
                Some(k) => {
                    if routes
                        .clients
                        .get(&id)
                        .is_some_and(|c| c.sessions.contains_key(&frame.session))
                    {
                        drop(routes);
                        reply(
                            Message::Error {
                                message: format!("session {} is in use", frame.session),
                            },
                            frame.session,
                        );
                        continue;
                    }
                    let g = routes.alloc();
                    routes.by_global.insert(
                        g,
                        Route {
                            client: id,
                            session: frame.session,
                            kind: k,
                        },
                    );
                    if let Some(c) = routes.clients.get_mut(&id) {
                        c.sessions.insert(frame.session, g);
                    }
                    g
                }
                None => {
                    let Some(g) = routes
                        .clients
                        .get(&id)
                        .and_then(|c| c.sessions.get(&frame.session).copied())
                    else {
                        drop(routes);
                        reply(
                            Message::Error {
                                message: format!("unknown session {}", frame.session),
                            },
                            frame.session,
                        );
                        continue;
                    };
                    if frame.kind == kind::CLOSE {
                        routes.by_global.remove(&g);
                        if let Some(c) = routes.clients.get_mut(&id) {
                            c.sessions.remove(&frame.session);
                        }
                    }
                    g
                }
            };
            drop(routes);
            let mut out = Vec::with_capacity(frame.payload.len() + 9);
            encode_frame(frame.kind, global, &frame.payload, &mut out);
            if !self.send_tether(&out) {
                return;
            }
        }
    }

    /// Close (kill) every session a client still has.
    fn close_client_sessions(&self, id: ClientId) {
        let mut routes = lock(&self.routes);
        let Some(c) = routes.clients.get_mut(&id) else {
            return;
        };
        let sessions: Vec<u32> = c.sessions.drain().map(|(_, g)| g).collect();
        let mut frames = Vec::new();
        for g in sessions {
            if let Some(route) = routes.by_global.remove(&g) {
                if route.kind == Kind::Session {
                    frames.push(Message::Close.to_frame(g));
                }
            }
        }
        drop(routes);
        for f in frames {
            self.send_tether(&f);
        }
    }

    fn drop_client(&self, id: ClientId) {
        self.close_client_sessions(id);
        if let Some(c) = lock(&self.routes).clients.remove(&id) {
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn kind_name(k: u8) -> &'static str {
    tether_protocol::message::kind_name(k)
}

/// Write the launch plan for the monitor.
pub fn write_launch(dir: &Path, launch: &Launch) -> Result<()> {
    let text = serde_json::to_vec_pretty(launch).expect("a launch plan serializes");
    write_atomic(&dir.join(LAUNCH), &text, 0o600)
}

/// Start the monitor of the domain in `dir` as a detached process (its own
/// session, stdio on `monitor.log`), so it outlives the command that
/// started it.
pub fn spawn(dir: &Path) -> Result<u32> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().io_context(|| "finding the vicport binary".into())?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(files::MONITOR_LOG))
        .io_context(|| format!("opening {}", dir.join(files::MONITOR_LOG).display()))?;
    let mut cmd = Command::new(exe);
    cmd.args(["system", "monitor"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().io_context(|| "monitor.log".into())?)
        .stderr(log)
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
    let child = cmd
        .spawn()
        .io_context(|| "starting the domain monitor".into())?;
    let pid = child.id();
    // The monitor is reaped by init once this process exits; a short-lived
    // waiter thread avoids a zombie while this process lives on.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(pid)
}
