//! The tether's side of one link: Ready, Hello and token check, frame
//! dispatch to sessions, Reset and resync after framing errors.

use std::collections::HashMap;
use std::io::Read;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Agent;
use super::cri_log::WriteDebug;
use super::process::{self, Command};
use super::session::{
    ExecSession, LinkSession, LinkWriter, OutputTarget, SessionCore, SessionTable, StdinMsg, lock,
    run_pump, run_stdin, spawn_thread,
};
use tether_protocol::config::ProcessLimits;
use tether_protocol::frame::{FrameError, FrameReader, HELLO_TYPE};
use tether_protocol::message::{self, ExecRequest, Message, Stream};
use tether_protocol::version::{self, Versions};
use tether_protocol::{DEFAULT_WINDOW, PROTOCOL_VERSION};

/// What to do when the link's stream ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnEof {
    /// A socket: the link is over.
    Return,
    /// A serial or virtio port: the host disconnected; wait for it again.
    Retry,
}

/// Serve one link until its stream ends (or forever with [`OnEof::Retry`]).
pub fn serve_link<R: Read>(
    agent: &Arc<Agent>,
    reader: R,
    writer: Box<dyn WriteDebug>,
    on_eof: OnEof,
) {
    let link = LinkWriter::new(writer);
    agent.register_link(&link);
    let table: Arc<SessionTable> = Arc::new(Mutex::new(HashMap::new()));
    link.send_raw(
        0,
        &Message::Ready {
            version: PROTOCOL_VERSION,
        },
    );
    let mut frames = FrameReader::new(reader);
    // The established link: its generation and negotiated version.
    let mut epoch: Option<(u64, u32)> = None;
    let only_hello = |k: u8| k == HELLO_TYPE;
    // Once established, a frame of any type is read whole (its length is
    // still checked): an unknown type is answered, not a framing error.
    let any = |_: u8| true;
    loop {
        let accept: &dyn Fn(u8) -> bool = if epoch.is_some() { &any } else { &only_hello };
        let frame = match frames.read_frame(accept) {
            Ok(f) => f,
            Err(e) if e.is_framing() => {
                drop_sessions(&table);
                link.unestablish();
                epoch = None;
                link.send_raw(
                    0,
                    &Message::Reset {
                        reason: e.to_string(),
                    },
                );
                match frames.resync() {
                    Ok(()) => continue,
                    Err(_) if on_eof == OnEof::Retry => {
                        std::thread::sleep(Duration::from_millis(200));
                        continue;
                    }
                    Err(_) => break,
                }
            }
            Err(e) => {
                drop_sessions(&table);
                link.unestablish();
                epoch = None;
                if on_eof == OnEof::Retry {
                    if !matches!(e, FrameError::Eof) {
                        super::say(&format!("link: {e}"));
                    }
                    std::thread::sleep(Duration::from_millis(200));
                    continue;
                }
                break;
            }
        };
        if frame.kind == HELLO_TYPE {
            drop_sessions(&table);
            link.unestablish();
            epoch = None;
            match version::answer_hello(
                &frame.payload,
                &agent.token,
                Versions::SUPPORTED,
                "this tether",
            ) {
                Ok(v) => {
                    let g = link.establish(&Message::HelloOk {
                        version: v,
                        agent: agent.description.clone(),
                    });
                    epoch = Some((g, v));
                    agent.host_connected();
                }
                Err(reason) => {
                    link.send_raw(0, &Message::Refused { reason });
                }
            }
            continue;
        }
        let Some((g, v)) = epoch else { continue };
        let since = message::introduced_in(frame.kind);
        if since.is_none_or(|since| since > v) {
            link.send(
                g,
                frame.session,
                &Message::Error {
                    message: unknown_type(frame.kind, frame.session, v),
                },
            );
            continue;
        }
        match Message::decode(frame.kind, &frame.payload) {
            Err(e) => {
                link.send(
                    g,
                    frame.session,
                    &Message::Error {
                        message: format!(
                            "bad {} payload on session {}: {e}",
                            message::kind_name(frame.kind),
                            frame.session
                        ),
                    },
                );
            }
            Ok(m) => {
                if let Err(msg) = handle(agent, &link, &table, g, frame.session, m) {
                    link.send(g, frame.session, &Message::Error { message: msg });
                }
            }
        }
    }
    drop_sessions(&table);
    link.unestablish();
}

/// An Error's text for a type this link does not speak.
fn unknown_type(kind: u8, session: u32, version: u32) -> String {
    format!(
        "unknown message type {kind:#04x} on session {session}: this link speaks protocol version {version} (this tether speaks up to {PROTOCOL_VERSION})"
    )
}

/// Kill every exec session of the link and detach its attach sessions.
fn drop_sessions(table: &Arc<SessionTable>) {
    let all: Vec<LinkSession> = lock(table).drain().map(|(_, s)| s).collect();
    for s in all {
        match s {
            LinkSession::Exec(e) => e.abandon(),
            LinkSession::Attach(c) => c.close(),
            LinkSession::Copy(c) => c.abandon(),
        }
    }
}

fn handle(
    agent: &Arc<Agent>,
    link: &Arc<LinkWriter>,
    table: &Arc<SessionTable>,
    epoch: u64,
    id: u32,
    m: Message,
) -> Result<(), String> {
    let lookup = |id: u32| lock(table).get(&id).cloned();
    let no_session = || format!("no session {id} on this link");
    match m {
        Message::Ping { nonce } => {
            link.send(epoch, id, &Message::Pong { nonce });
        }
        Message::Exec(req) => exec(agent, link, table, epoch, id, req, Default::default())?,
        Message::ExecLimited(req, limits) => exec(agent, link, table, epoch, id, req, limits)?,
        Message::ExecDetached(req, limits) => {
            link.send(epoch, id, &exec_detached(agent, req, limits));
        }
        Message::Attach(req) => {
            check_new(table, id)?;
            let primary = agent
                .primary
                .clone()
                .ok_or("this tether has no primary process to attach to")?;
            let stdin_window = if req.stdin { DEFAULT_WINDOW } else { 0 };
            let core = SessionCore::new(
                id,
                epoch,
                link.clone(),
                Arc::downgrade(table),
                req.window,
                stdin_window,
            );
            lock(table).insert(id, LinkSession::Attach(core.clone()));
            match primary.attach(&core, &req) {
                Ok(super::primary::Attached::Running(_)) => {}
                Ok(super::primary::Attached::Exited) => core.finish(),
                Err(e) => {
                    core.finish();
                    return Err(format!("attach on session {id}: {e}"));
                }
            }
        }
        Message::Stdin(data) => {
            let s = lookup(id).ok_or_else(no_session)?;
            if !s.core().take_stdin(data.len()) {
                kill_session(&s);
                return Err(format!(
                    "session {id}: {} bytes of stdin exceed the granted window; session closed",
                    data.len()
                ));
            }
            match &s {
                LinkSession::Exec(e) => e.stdin(StdinMsg::Data(data, e.core.clone()))?,
                LinkSession::Attach(c) => {
                    let p = agent.primary.as_ref().ok_or_else(no_session)?;
                    p.stdin(data, c.clone())?
                }
                LinkSession::Copy(c) => c.stdin(data)?,
            }
        }
        Message::CloseStdin => match lookup(id).ok_or_else(no_session)? {
            LinkSession::Exec(e) => e.close_stdin(),
            LinkSession::Attach(_) => {
                if let Some(p) = &agent.primary {
                    p.close_stdin();
                }
            }
            LinkSession::Copy(c) => c.close_stdin(),
        },
        Message::Resize { rows, cols } => match lookup(id).ok_or_else(no_session)? {
            LinkSession::Exec(e) => e.resize(rows, cols)?,
            LinkSession::Attach(_) => agent
                .primary
                .as_ref()
                .ok_or_else(no_session)?
                .resize(rows, cols)?,
            LinkSession::Copy(_) => return Err(format!("session {id} is a copy: no terminal")),
        },
        Message::Signal { signal } => {
            let signo = super::signals::native_or_error(signal)?;
            match lookup(id).ok_or_else(no_session)? {
                LinkSession::Exec(e) => e.signal(signo)?,
                LinkSession::Attach(_) => agent
                    .primary
                    .as_ref()
                    .ok_or_else(no_session)?
                    .signal(signo)?,
                LinkSession::Copy(_) => return Err(format!("session {id} is a copy: no process")),
            }
        }
        Message::Window { stream, bytes } => {
            if stream == Stream::Stdin {
                return Err(format!("session {id}: the host cannot grant stdin credit"));
            }
            // Late grants for a finished session are normal: ignore them.
            if let Some(s) = lookup(id) {
                s.core().grant(stream, bytes);
            }
        }
        Message::Close => {
            if let Some(s) = lookup(id) {
                kill_session(&s);
            }
        }
        Message::SignalAll { signal } => {
            let signo = super::signals::native_or_error(signal)?;
            let link = link.clone();
            // Off the reader: the sweep reads /proc once per process.
            spawn_thread("signal-all", move || {
                let answer = match super::signal_all::signal_all(std::process::id(), signo) {
                    Ok(processes) => Message::SignalledAll { processes },
                    Err(message) => Message::Error { message },
                };
                link.send(epoch, id, &answer);
            });
        }
        Message::PrimaryStatus => {
            link.send(epoch, id, &Message::PrimaryState(agent.primary_state()));
        }
        Message::InterfaceUp(_) | Message::InterfaceDown(_) | Message::HostsSet { .. } => {
            network(agent, link, epoch, id, m)?
        }
        Message::Shutdown { signal, timeout_ms } => {
            link.send(epoch, id, &Message::ShutdownStarted);
            let a = agent.clone();
            spawn_thread("shutdown", move || {
                a.shutdown(signal, Duration::from_millis(timeout_ms.into()))
            });
        }
        m @ (Message::Stats
        | Message::Top
        | Message::PathStat { .. }
        | Message::CopyOut(_)
        | Message::CopyOutRootfs(_)
        | Message::CopyIn { .. }) => {
            if matches!(
                m,
                Message::CopyOut(_) | Message::CopyOutRootfs(_) | Message::CopyIn { .. }
            ) {
                check_new(table, id)?;
            }
            super::inspect::handle(agent, link, table, epoch, id, m)?
        }
        other => {
            return Err(format!(
                "unexpected {} from the host on session {id}",
                other.name()
            ));
        }
    }
    Ok(())
}

/// The process an Exec, ExecLimited or ExecDetached (`detached`) asks for.
fn command(req: ExecRequest, limits: ProcessLimits, detached: bool) -> Command {
    Command {
        argv: req.argv,
        env: req.env,
        cwd: req.cwd,
        user: req.user,
        tty: req.tty,
        rows: req.rows,
        cols: req.cols,
        stdin: req.stdin,
        limits,
        init: false,
        detached,
    }
}

/// ExecDetached: start a process with no stdio and no session; the answer
/// is Started or ExecFailed. Its end is only said on the console.
fn exec_detached(agent: &Arc<Agent>, req: ExecRequest, limits: ProcessLimits) -> Message {
    let program = req.argv.first().cloned().unwrap_or_default();
    let cmd = command(req, limits, true);
    // A process that exits at once is reaped before spawn returns its pid.
    let pid = Arc::new(std::sync::OnceLock::new());
    let known = pid.clone();
    let on_exit = Box::new(move |status: i32| {
        let st = super::signals::exit_status(status);
        let pid = known.get().map_or(String::new(), |p| format!(" {p}"));
        super::say(&format!(
            "detached process{pid} ({program}) exited with code {}",
            st.code
        ));
    });
    match process::spawn(&cmd, &agent.root, &agent.reaper, on_exit) {
        Ok(child) => {
            let _ = pid.set(child.pid);
            Message::Started {
                pid: child.pid as u32,
                stdin_window: 0,
            }
        }
        Err(e) => Message::ExecFailed {
            code: e.code,
            message: e.message,
        },
    }
}

/// A run-time network change, on a thread of its own (InterfaceUp waits for
/// the NIC to appear): answered with NetworkApplied, or Error.
fn network(
    agent: &Arc<Agent>,
    link: &Arc<LinkWriter>,
    epoch: u64,
    id: u32,
    m: Message,
) -> Result<(), String> {
    let net = agent
        .network()
        .ok_or("this tether changes no interfaces at run time (serve mode without --net-record)")?;
    let link = link.clone();
    spawn_thread("network", move || {
        let done = match &m {
            Message::InterfaceUp(up) => net.up(up),
            Message::InterfaceDown(down) => net.down(down),
            Message::HostsSet { hosts } => net.set_hosts(hosts).map(|()| String::new()),
            _ => Err(format!("{} is no network change", m.name())),
        };
        let answer = match done {
            Ok(interface) => Message::NetworkApplied { interface },
            Err(message) => Message::Error { message },
        };
        link.send(epoch, id, &answer);
    });
    Ok(())
}

fn check_new(table: &Arc<SessionTable>, id: u32) -> Result<(), String> {
    if id == 0 {
        return Err("session 0 is the link itself; sessions need a non-zero id".into());
    }
    if lock(table).contains_key(&id) {
        return Err(format!("session {id} is already in use"));
    }
    Ok(())
}

fn kill_session(s: &LinkSession) {
    match s {
        LinkSession::Exec(e) => e.abandon(),
        LinkSession::Attach(c) => c.finish(),
        LinkSession::Copy(c) => c.abandon(),
    }
}

fn exec(
    agent: &Arc<Agent>,
    link: &Arc<LinkWriter>,
    table: &Arc<SessionTable>,
    epoch: u64,
    id: u32,
    req: ExecRequest,
    limits: ProcessLimits,
) -> Result<(), String> {
    check_new(table, id)?;
    let stdin_window = if req.stdin { DEFAULT_WINDOW } else { 0 };
    let core = SessionCore::new(
        id,
        epoch,
        link.clone(),
        Arc::downgrade(table),
        req.window,
        stdin_window,
    );
    let pumps = if req.tty { 1 } else { 2 };
    let session = ExecSession::new(core.clone(), pumps);
    let with_stdin = req.stdin;
    let cmd = command(req, limits, false);
    let s2 = session.clone();
    let child = match process::spawn(
        &cmd,
        &agent.root,
        &agent.reaper,
        Box::new(move |st| s2.exited(st)),
    ) {
        Ok(c) => c,
        Err(e) => {
            core.send(&Message::ExecFailed {
                code: e.code,
                message: e.message,
            });
            return Ok(());
        }
    };
    let stdin_tx = match child.stdin {
        Some(fd) if with_stdin => {
            let (tx, rx) = mpsc::channel();
            let pty = child.pty.is_some();
            spawn_thread("session-stdin", move || run_stdin(fd, pty, rx));
            Some(tx)
        }
        _ => None,
    };
    session.started(child.pid, stdin_tx, child.pty.clone());
    lock(table).insert(id, LinkSession::Exec(session.clone()));
    core.send(&Message::Started {
        pid: child.pid as u32,
        stdin_window,
    });
    let outs = (child.stdout.map(|o| (o, Stream::Stdout)).into_iter())
        .chain(child.stderr.map(|e| (e, Stream::Stderr)));
    for (fd, stream) in outs {
        let s = session.clone();
        let target: Arc<dyn OutputTarget> = core.clone();
        let watch = session.watch();
        spawn_thread("session-pump", move || {
            run_pump(fd, stream, target, watch, move || s.part_done())
        });
    }
    Ok(())
}
