//! The link relay: one tether link, many host clients on a unix socket.
//! Clients speak the same link protocol to the relay as to a tether; the
//! relay authenticates them with the domain's token and gives each its own
//! session-id space (`clients`), so a misbehaving client only ever loses
//! its own sessions. The local platform's per-domain monitor runs one on
//! its virtio-serial link; on vSphere a per-domain relay process runs one
//! on the TCP connection to the host's network serial port
//! (`vsphere::relay`), since the guest's end is one serial line.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tether_protocol::frame::{FrameReader, encode_frame};
use tether_protocol::message::{Message, PrimaryPhase, PrimaryState};
use tether_protocol::version::Versions;

use crate::plumbing::error::{IoContext, Result};

mod clients;

use clients::Routes;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What kind of relay this is, for what it tells its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The local monitor: it owns QEMU, and ends its clients itself when
    /// QEMU has ended.
    Monitor,
    /// A vSphere domain's relay process: when the link ends (the domain
    /// powered off, the host dropped the connection, another client host
    /// took the serial line over), its clients are told why at once.
    Relay,
}

impl Role {
    fn who(self) -> &'static str {
        match self {
            Role::Monitor => "this monitor",
            Role::Relay => "this relay",
        }
    }
}

/// The link's state as the relay sees it.
#[derive(Debug, Default)]
struct LinkState {
    /// The protocol version of the tether link, once it said HelloOk:
    /// clients are offered no higher version, since their frames are
    /// relayed onto that link.
    version: Option<u32>,
    agent: String,
    /// A Hello of ours awaits its answer.
    hello_pending: bool,
    /// Clients are served: from now on a HelloOk nobody here asked for is
    /// another client host's.
    serving: bool,
    /// A refusal of our Hello.
    refused: Option<String>,
    /// The link is ending: nothing more is routed.
    ending: bool,
    /// Why the link is over.
    ended: Option<String>,
    /// Since when no client is connected (None: some are).
    idle_since: Option<Instant>,
}

/// One tether link relayed to many clients.
pub struct Relay {
    tether: Mutex<Box<dyn Write + Send>>,
    token: Vec<u8>,
    role: Role,
    routes: Mutex<Routes>,
    primary: Mutex<Option<PrimaryState>>,
    /// The tether said the guest's OOM killer ended the primary.
    primary_oom: std::sync::atomic::AtomicBool,
    link: Mutex<LinkState>,
    changed: Condvar,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("role", &self.role)
            .field("link", &*lock(&self.link))
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// Relay the tether link `reader`/`writer`, on which Hello was just
    /// said (its answer comes through the relay: [`Relay::wait_hello`]);
    /// clients come once [`Relay::serve`] listens.
    pub fn new(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        token: Vec<u8>,
        role: Role,
    ) -> Result<Arc<Relay>> {
        let relay = Arc::new(Relay {
            tether: Mutex::new(Box::new(writer)),
            token,
            role,
            routes: Mutex::new(Routes::default()),
            primary: Mutex::new(None),
            primary_oom: std::sync::atomic::AtomicBool::new(false),
            link: Mutex::new(LinkState {
                hello_pending: true,
                idle_since: Some(Instant::now()),
                ..LinkState::default()
            }),
            changed: Condvar::new(),
        });
        let r = relay.clone();
        std::thread::Builder::new()
            .name("tether-reader".into())
            .spawn(move || r.tether_loop(reader))
            .io_context(|| "starting the link reader".into())?;
        Ok(relay)
    }

    /// Take clients on the unix socket at `socket` (mode 0600).
    pub fn serve(self: &Arc<Self>, socket: &Path) -> Result<()> {
        lock(&self.link).serving = true;
        let listener = crate::plumbing::sock::bind(socket)?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))
            .io_context(|| format!("making {} private", socket.display()))?;
        let r = self.clone();
        std::thread::Builder::new()
            .name("acceptor".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    match conn {
                        Ok(stream) => r.clone().serve_client(stream),
                        Err(e) => tracing::warn!("accept failed: {e}"),
                    }
                }
            })
            .io_context(|| "starting the acceptor".into())?;
        Ok(())
    }

    /// Wait up to `timeout` for the tether's answer to our Hello: the
    /// link's version, or why there is none (refused, ended, no answer).
    pub fn wait_hello(&self, timeout: Duration) -> std::result::Result<u32, String> {
        let st = lock(&self.link);
        let (st, _) = self
            .changed
            .wait_timeout_while(st, timeout, |l| {
                l.version.is_none() && l.refused.is_none() && l.ended.is_none()
            })
            .unwrap_or_else(|e| e.into_inner());
        match (&st.version, &st.refused, &st.ended) {
            (Some(v), _, _) => Ok(*v),
            (_, Some(r), _) => Err(format!("the tether refused the link: {r}")),
            (_, _, Some(e)) => Err(e.clone()),
            _ => Err(format!("no answer to Hello within {timeout:?}")),
        }
    }

    /// Wait until the link ends (its reason), or until no client has been
    /// connected for `idle` ("idle").
    pub fn wait_end_or_idle(&self, idle: Duration) -> String {
        let mut st = lock(&self.link);
        loop {
            if let Some(why) = &st.ended {
                return why.clone();
            }
            let wait = match st.idle_since {
                Some(since) => {
                    let left = idle.saturating_sub(since.elapsed());
                    if left.is_zero() {
                        return format!("idle: no client for {idle:?}");
                    }
                    left
                }
                None => Duration::from_secs(3600),
            };
            st = self
                .changed
                .wait_timeout(st, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The primary's exit, once the tether reported it.
    pub fn primary_exit(&self) -> Option<PrimaryState> {
        lock(&self.primary).filter(|p| p.phase == PrimaryPhase::Exited)
    }

    /// Whether the tether said the guest's out-of-memory killer ended the
    /// primary (its OomKilled broadcast, before the exit's).
    pub fn primary_oom_killed(&self) -> bool {
        self.primary_oom.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn send_tether(&self, frame: &[u8]) -> bool {
        let mut w = lock(&self.tether);
        w.write_all(frame).and_then(|()| w.flush()).is_ok()
    }

    /// The link is over: record why, and for a relay process tell every
    /// client (a Reset with the reason: their sessions are gone) and
    /// disconnect them.
    fn end(&self, why: String) {
        {
            let mut st = lock(&self.link);
            if st.ending {
                return;
            }
            st.ending = true;
        }
        tracing::info!("the tether link ended: {why}");
        // The clients hear why before anyone waiting for the end (the
        // relay process, which then exits) is woken.
        if self.role == Role::Relay {
            let reset = Message::Reset {
                reason: why.clone(),
            };
            self.broadcast(reset.kind(), &reset.encode_payload());
            self.close_all();
        }
        lock(&self.link).ended = Some(why);
        self.changed.notify_all();
    }

    /// Frames from the tether: route by session, handle session 0.
    fn tether_loop(self: Arc<Self>, reader: impl Read) {
        let mut frames = FrameReader::new(reader);
        loop {
            let frame = match frames.read_frame(&|_| true) {
                Ok(f) => f,
                Err(e) if e.is_framing() => {
                    tracing::warn!("bad frame from the tether: {e}");
                    if frames.resync().is_err() {
                        break;
                    }
                    continue;
                }
                Err(e) => {
                    self.end(format!("the link to the domain closed ({e})"));
                    return;
                }
            };
            if lock(&self.link).ending {
                return;
            }
            if frame.session == 0 {
                self.link_frame(frame.kind, &frame.payload);
            } else {
                self.route_from_tether(frame.kind, frame.session, &frame.payload);
            }
        }
        self.end("the link to the domain closed".into());
    }

    fn link_frame(&self, k: u8, payload: &[u8]) {
        match Message::decode(k, payload) {
            Ok(Message::HelloOk { agent, version }) => {
                let mut st = lock(&self.link);
                // Before clients come, a second HelloOk is the answer to a
                // Hello of ours that the serial line delivered late.
                if !st.hello_pending && st.serving {
                    // A HelloOk we did not ask for: another client host said
                    // Hello on the domain's serial line, and the tether ended
                    // our link for it.
                    drop(st);
                    self.end(
                        "another client host took the domain's link over (its Hello reset this one): the sessions on it are gone; run the command again to take it back".into(),
                    );
                    return;
                }
                st.hello_pending = false;
                st.refused = None;
                st.agent = agent;
                st.version = Some(version);
                drop(st);
                self.changed.notify_all();
            }
            Ok(Message::Refused { reason }) => {
                tracing::warn!("the tether refused the link: {reason}");
                let mut st = lock(&self.link);
                st.hello_pending = false;
                st.refused = Some(reason);
                drop(st);
                self.changed.notify_all();
            }
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
            Ok(Message::OomKilled { .. }) => {
                self.primary_oom
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                self.broadcast(k, payload);
            }
            Ok(Message::Error { message }) => tracing::warn!("the tether reported: {message}"),
            Ok(Message::Reset { reason }) => {
                tracing::warn!("the tether reset the link: {reason}");
                // Every session is gone; tell the clients, then re-establish.
                self.broadcast(k, payload);
                self.forget_sessions();
                self.hello_again();
            }
            // The tether opened its port: say Hello, unless ours is on its
            // way (a second Hello would start a second link, ending
            // sessions begun on the first).
            // The tether opened its port: say Hello, unless ours is on its
            // way (a second Hello would start a second link, ending the
            // sessions begun on the first).
            Ok(Message::Ready { .. }) if !lock(&self.link).hello_pending => self.hello_again(),
            _ => {}
        }
    }

    /// Say Hello to the tether (again).
    pub fn hello_again(&self) {
        lock(&self.link).hello_pending = true;
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

    /// What clients are offered in their Hello, and the agent string.
    fn offer(&self) -> (Versions, String) {
        let st = lock(&self.link);
        let versions = match st.version {
            Some(tether) => Versions::SUPPORTED.up_to(tether),
            None => Versions::SUPPORTED,
        };
        let name = match self.role {
            Role::Monitor => "vicport-monitor",
            Role::Relay => "vicport-relay",
        };
        (versions, format!("{name} via {}", st.agent))
    }

    /// A client came or went: track when the last one left.
    fn clients_changed(&self, count: usize) {
        let mut st = lock(&self.link);
        st.idle_since = if count == 0 {
            Some(Instant::now())
        } else {
            None
        };
        drop(st);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tether_protocol::client::ClientError;
    use tether_protocol::frame::FrameReader;

    /// A relay on one end of a socket pair; the test plays the tether on
    /// the other, answering the relay's Hello.
    fn relay(dir: &Path) -> (Arc<Relay>, UnixStream) {
        let (ours, tether) = UnixStream::pair().unwrap();
        let r = Relay::new(ours.try_clone().unwrap(), ours, vec![7; 4], Role::Relay).unwrap();
        r.hello_again();
        let mut frames = FrameReader::new(tether.try_clone().unwrap());
        let hello = frames.read_frame(&|_| true).unwrap();
        assert_eq!(hello.kind, tether_protocol::message::kind::HELLO);
        let ok = Message::HelloOk {
            version: tether_protocol::PROTOCOL_VERSION,
            agent: "test tether".into(),
        };
        (&tether).write_all(&ok.to_frame(0)).unwrap();
        assert_eq!(
            r.wait_hello(Duration::from_secs(5)),
            Ok(tether_protocol::PROTOCOL_VERSION)
        );
        r.serve(&dir.join("relay.sock")).unwrap();
        (r, tether)
    }

    fn client(dir: &Path) -> tether_protocol::client::Client {
        let s = crate::plumbing::sock::connect(&dir.join("relay.sock")).unwrap();
        crate::plumbing::sock::tether_client(&s, &[7; 4]).unwrap()
    }

    #[test]
    fn another_hosts_hello_is_reported_to_every_client_and_ends_the_relay() {
        let dir = tempfile::tempdir().unwrap();
        let (r, tether) = relay(dir.path());
        let c = client(dir.path());
        assert_eq!(c.agent(), "vicport-relay via test tether");
        // A HelloOk nobody here asked for: another client host's Hello.
        let theirs = Message::HelloOk {
            version: 3,
            agent: "test tether".into(),
        };
        (&tether).write_all(&theirs.to_frame(0)).unwrap();
        let why = r.wait_end_or_idle(Duration::from_secs(60));
        assert!(
            why.contains("another client host took the domain's link over"),
            "{why}"
        );
        // The client reads the relay's Reset with the reason, then the end.
        let t = Instant::now();
        while c.closed_reason().is_none() {
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "the client was not told"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(c.closed_reason().unwrap(), why);
        match c.ping() {
            Err(ClientError::Reset(reason)) => assert_eq!(reason, why),
            other => panic!("expected the takeover as a Reset, got {other:?}"),
        }
    }

    /// Version 3's exchanges, as a tether would answer them: Top in two
    /// Processes frames, Stats, a CopyOut session, a CopyIn that fails at
    /// once, a network request, and Pings on request ids (counted).
    fn answer_version_3(tether: UnixStream, pings: Arc<AtomicUsize>) {
        use tether_protocol::message::{CopyFailure, ProcessInfo, StatsReport};
        let mut frames = FrameReader::new(tether.try_clone().unwrap());
        let send = |m: Message, session: u32| (&tether).write_all(&m.to_frame(session)).unwrap();
        while let Ok(f) = frames.read_frame(&|_| true) {
            let process = |pid| ProcessInfo {
                pid,
                ..ProcessInfo::default()
            };
            match Message::decode(f.kind, &f.payload).unwrap() {
                Message::Top => {
                    for (more, pid) in [(true, 1), (false, 2)] {
                        let processes = vec![process(pid)];
                        send(Message::Processes { more, processes }, f.session);
                    }
                }
                Message::Stats => send(
                    Message::StatsReport(StatsReport {
                        cpus: 2,
                        ..StatsReport::default()
                    }),
                    f.session,
                ),
                Message::CopyOut(_) => {
                    send(Message::CopyStarted { stdin_window: 0 }, f.session);
                    send(Message::Stdout(b"a tar".to_vec()), f.session);
                    send(Message::Exit(Default::default()), f.session);
                }
                Message::CopyIn { path } => send(
                    Message::CopyFailed {
                        reason: CopyFailure::NotFound,
                        message: format!("no such directory: {path}"),
                    },
                    f.session,
                ),
                Message::HostsSet { .. } => send(
                    Message::NetworkApplied {
                        interface: String::new(),
                    },
                    f.session,
                ),
                Message::Ping { nonce } => {
                    pings.fetch_add(1, Ordering::SeqCst);
                    send(Message::Pong { nonce }, f.session)
                }
                Message::Window { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn every_exchange_of_protocol_3_is_relayed_to_its_last_frame() {
        use std::io::Read;
        use tether_protocol::client::CopyReader;
        use tether_protocol::message::{CopyFailure, CopyOutRequest};
        let dir = tempfile::tempdir().unwrap();
        let (r, tether) = relay(dir.path());
        let pings = Arc::new(AtomicUsize::new(0));
        let answered = pings.clone();
        std::thread::spawn(move || answer_version_3(tether, answered));
        let mut c = client(dir.path());
        c.set_timeout(Duration::from_secs(5));
        // Both Processes frames reach the client: the first, with more to
        // follow, does not end the request's route.
        let pids: Vec<u32> = c.top().unwrap().iter().map(|p| p.pid).collect();
        assert_eq!(pids, [1, 2]);
        assert_eq!(c.stats().unwrap().cpus, 2);
        let s = c
            .copy_out(CopyOutRequest {
                path: "/etc".into(),
                name: "etc".into(),
                window: 1 << 16,
            })
            .unwrap();
        let mut tar = Vec::new();
        CopyReader::new(&s).read_to_end(&mut tar).unwrap();
        assert_eq!(tar, b"a tar");
        drop(s);
        match c.copy_in("/nope") {
            Err(ClientError::CopyFailed { reason, message }) => {
                assert_eq!(reason, CopyFailure::NotFound);
                assert_eq!(message, "no such directory: /nope");
            }
            other => panic!("expected CopyFailed, got {other:?}"),
        }
        c.set_hosts(&[]).unwrap();
        // The link's Ping is the relay's to answer; a Ping on a request id
        // crosses to the tether.
        c.ping().unwrap();
        assert_eq!(pings.load(Ordering::SeqCst), 0);
        c.ping_tether().unwrap();
        assert_eq!(pings.load(Ordering::SeqCst), 1);
        // Every exchange ended at its last frame: no route is left.
        let t = Instant::now();
        while !lock(&r.routes).is_empty() {
            assert!(t.elapsed() < Duration::from_secs(5), "a route was left");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn an_oom_kill_reaches_the_attached_session_the_clients_and_the_relay() {
        use tether_protocol::message::{AttachRequest, ExitStatus};
        use tether_protocol::signal::Signal;
        let dir = tempfile::tempdir().unwrap();
        let (r, tether) = relay(dir.path());
        let c = client(dir.path());
        // The tether's end of the primary: on its attach session, then as
        // broadcasts.
        let t = tether.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut frames = FrameReader::new(t.try_clone().unwrap());
            let send = |m: Message, session: u32| (&t).write_all(&m.to_frame(session)).unwrap();
            while let Ok(f) = frames.read_frame(&|_| true) {
                if let Ok(Message::Attach(_)) = Message::decode(f.kind, &f.payload) {
                    let killed = ExitStatus {
                        code: 137,
                        signal: Some(Signal::KILL),
                    };
                    send(
                        Message::Started {
                            pid: 9,
                            stdin_window: 0,
                        },
                        f.session,
                    );
                    send(Message::OomKilled { pid: 9 }, f.session);
                    send(Message::Exit(killed), f.session);
                    send(Message::OomKilled { pid: 9 }, 0);
                    let exited = PrimaryState {
                        phase: PrimaryPhase::Exited,
                        pid: 9,
                        exit_code: 137,
                        signal: Some(Signal::KILL),
                        ..PrimaryState::default()
                    };
                    send(Message::PrimaryState(exited), 0);
                }
            }
        });
        let session = c.attach(AttachRequest::default()).unwrap();
        assert_eq!(session.wait().unwrap().code, 137);
        assert!(session.oom_killed());
        let t = Instant::now();
        while r.primary_exit().is_none() || !c.primary_oom_killed() {
            assert!(t.elapsed() < Duration::from_secs(5), "no broadcast");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(r.primary_oom_killed());
        drop(tether);
    }

    #[test]
    fn a_wrong_token_is_refused_and_a_relay_without_clients_idles_out() {
        let dir = tempfile::tempdir().unwrap();
        let (r, _tether) = relay(dir.path());
        let s = crate::plumbing::sock::connect(&dir.path().join("relay.sock")).unwrap();
        match crate::plumbing::sock::tether_client(&s, &[8; 4]) {
            Err(ClientError::Refused(reason)) => {
                assert!(reason.contains("wrong token"), "{reason}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        drop(s);
        let t = Instant::now();
        let why = r.wait_end_or_idle(Duration::from_millis(300));
        assert!(why.starts_with("idle"), "{why}");
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}
