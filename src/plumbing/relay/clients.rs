//! The relay's clients: each connects to the relay's socket, says Hello
//! with the domain's token, and gets its own session-id space, mapped onto
//! the one link's ids; frames from the tether are routed back by those
//! ids. A client that goes away has its sessions closed on the tether.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use tether_protocol::frame::{FrameReader, encode_frame};
use tether_protocol::message::{self, Message, Opens, kind};
use tether_protocol::version;

use super::{Relay, lock};

type ClientId = u64;

/// Where a relayed id goes, and what it opened (the protocol's
/// [`message::opens`]).
#[derive(Debug, Clone, Copy)]
struct Route {
    client: ClientId,
    session: u32,
    opens: Opens,
}

/// What a client's writer thread is sent: frames, and an empty buffer to
/// say "all written, close" (no frame is empty).
const CLOSE: Vec<u8> = Vec::new();

#[derive(Debug)]
pub(super) struct ClientHandle {
    pub(super) tx: Sender<Vec<u8>>,
    /// The writer thread, joined when the relay closes its clients so that
    /// the last frames (a session's Exit) reach the client first.
    writer: Option<std::thread::JoinHandle<()>>,
    stream: UnixStream,
    /// Client session id → link id.
    sessions: HashMap<u32, u32>,
}

/// Which client each link session id belongs to.
#[derive(Debug, Default)]
pub(super) struct Routes {
    next_global: u32,
    next_client: ClientId,
    by_global: HashMap<u32, Route>,
    pub(super) clients: HashMap<ClientId, ClientHandle>,
}

impl Routes {
    /// Whether no link session id is routed to a client.
    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.by_global.is_empty()
    }

    /// A link session id in use by no one.
    pub(super) fn alloc(&mut self) -> u32 {
        loop {
            self.next_global = self.next_global.wrapping_add(1);
            if self.next_global != 0 && !self.by_global.contains_key(&self.next_global) {
                return self.next_global;
            }
        }
    }
}

impl Relay {
    /// Disconnect every client once what was queued for it is written.
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
        self.clients_changed(0);
    }

    /// The tether reset the link: every session is gone.
    pub(super) fn forget_sessions(&self) {
        let mut routes = lock(&self.routes);
        routes.by_global.clear();
        for c in routes.clients.values_mut() {
            c.sessions.clear();
        }
    }

    /// A frame from the tether on a session: to the client that opened it.
    pub(super) fn route_from_tether(&self, k: u8, session: u32, payload: &[u8]) {
        let mut routes = lock(&self.routes);
        let Some(route) = routes.by_global.get(&session).copied() else {
            return; // a session its client abandoned
        };
        // The protocol says which frame ends what (a Processes frame with
        // more to follow does not), so new messages need no change here.
        let ends = message::ends(route.opens, k, payload);
        if route.opens == Opens::Request && k == kind::PRIMARY_STATE {
            if let Ok(Message::PrimaryState(p)) = Message::decode(k, payload) {
                *lock(&self.primary) = Some(p);
            }
        }
        if ends {
            routes.by_global.remove(&session);
            if let Some(c) = routes.clients.get_mut(&route.client) {
                c.sessions.remove(&route.session);
            }
        }
        if let Some(c) = routes.clients.get(&route.client) {
            let mut out = Vec::with_capacity(payload.len() + 9);
            encode_frame(k, route.session, payload, &mut out);
            let _ = c.tx.send(out);
        }
    }

    /// One host client: its own reader thread, and a writer thread so that a
    /// slow client never stalls the tether reader (what it can be sent is
    /// bounded by its sessions' credit windows).
    pub(super) fn serve_client(self: Arc<Self>, stream: UnixStream) {
        let (Ok(reader), Ok(mut writer)) = (stream.try_clone(), stream.try_clone()) else {
            return;
        };
        let (tx, rx) = channel::<Vec<u8>>();
        // A client that stops reading cannot hold the relay's end forever.
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
        let (id, count) = {
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
            (id, routes.clients.len())
        };
        self.clients_changed(count);
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
                let (ours, agent) = self.offer();
                match version::answer_hello(&frame.payload, &self.token, ours, self.role.who()) {
                    Ok(version) => {
                        self.close_client_sessions(id);
                        hello = true;
                        reply(Message::HelloOk { version, agent }, 0);
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
                            message: format!(
                                "{} is not a link message",
                                message::kind_name(frame.kind)
                            ),
                        },
                        0,
                    ),
                }
                continue;
            }
            let mut routes = lock(&self.routes);
            let global = match message::opens(frame.kind) {
                Some(opens) => {
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
                            opens,
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
                if route.opens == Opens::Session {
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
        let (gone, count) = {
            let mut routes = lock(&self.routes);
            (routes.clients.remove(&id), routes.clients.len())
        };
        if let Some(c) = gone {
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
        }
        self.clients_changed(count);
    }
}
