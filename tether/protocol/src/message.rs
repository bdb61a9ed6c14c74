//! Link messages: every frame type with its stable number, and the
//! hand-written binary payload codec (big-endian, length-checked, no panics).

pub use crate::codec::DecodeError;
use crate::codec::{Dec, Enc};
use crate::config::ProcessLimits;
#[cfg(test)]
use crate::config::{Capabilities, Rlimit};

mod exec;

use crate::frame::{self, HELLO_TYPE, MAGIC, MAX_DATA, MAX_PAYLOAD};
use crate::signal::Signal;
use crate::version::Versions;
use exec::{decode_exec, decode_limits, encode_exec, encode_limits};

/// A data direction of a session, as named in Window frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    /// Host to process.
    Stdin = 0,
    /// Process standard output (or the terminal).
    Stdout = 1,
    /// Process standard error (not used with a tty).
    Stderr = 2,
}

impl Stream {
    fn from_u8(v: u8) -> Result<Stream, DecodeError> {
        match v {
            0 => Ok(Stream::Stdin),
            1 => Ok(Stream::Stdout),
            2 => Ok(Stream::Stderr),
            _ => Err(DecodeError::Invalid(format!("unknown stream {v}"))),
        }
    }
}

/// A request to run a process in the container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecRequest {
    /// Program and arguments; the program is looked up in the env's PATH.
    pub argv: Vec<String>,
    /// `NAME=value` entries.
    pub env: Vec<String>,
    /// Working directory inside the container ("" = the user's home or /).
    pub cwd: String,
    /// `user[:group]`, by name or number ("" = root).
    pub user: String,
    /// Run on a pseudo-terminal (stdout and stderr merged).
    pub tty: bool,
    /// Initial terminal rows (tty only).
    pub rows: u16,
    /// Initial terminal columns (tty only).
    pub cols: u16,
    /// Keep stdin open for Stdin frames (otherwise /dev/null).
    pub stdin: bool,
    /// Initial credit the client grants for each of stdout and stderr.
    pub window: u32,
}

/// A request to attach to the primary process's stdio.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachRequest {
    /// Forward Stdin frames to the primary's stdin.
    pub stdin: bool,
    /// Terminal rows to set (0: leave as is).
    pub rows: u16,
    /// Terminal columns to set (0: leave as is).
    pub cols: u16,
    /// Initial credit for each of stdout and stderr.
    pub window: u32,
}

/// How a process ended, in shell convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExitStatus {
    /// The exit code, or 128 + signal number when killed by a signal.
    pub code: i32,
    /// The signal that killed it, None if it exited (0 on the wire).
    pub signal: Option<Signal>,
}

impl ExitStatus {
    /// True for a clean exit with code 0.
    pub fn success(&self) -> bool {
        self.code == 0 && self.signal.is_none()
    }
}

/// Lifecycle phase of the primary process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrimaryPhase {
    /// This tether has no primary process (serve mode without a config).
    #[default]
    Absent = 0,
    /// Configured with `wait_for_attach` and not attached yet.
    Waiting = 1,
    /// Started and not yet exited.
    Running = 2,
    /// Exited; the exit fields are valid.
    Exited = 3,
}

/// The primary process's state, as answered to PrimaryStatus and broadcast
/// when it exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrimaryState {
    /// Lifecycle phase.
    pub phase: PrimaryPhase,
    /// Its pid (0 before it starts).
    pub pid: u32,
    /// Exit code in shell convention (valid once exited).
    pub exit_code: i32,
    /// Killing signal, None if none (0 on the wire).
    pub signal: Option<Signal>,
    /// Start time, unix nanoseconds (0 if not started).
    pub started_at: u64,
    /// Exit time, unix nanoseconds (0 if not exited).
    pub finished_at: u64,
}

/// Every link message. Type numbers are stable: see [`Message::kind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Client's first frame: magic, the versions it speaks, per-domain token.
    Hello {
        /// The protocol versions the client speaks.
        versions: Versions,
        /// The domain's link token.
        token: Vec<u8>,
    },
    /// Hello accepted.
    HelloOk {
        /// The version this link speaks: the highest both sides speak.
        version: u32,
        /// Free-form agent description.
        agent: String,
    },
    /// Hello refused; the link is back to awaiting Hello.
    Refused {
        /// Why.
        reason: String,
    },
    /// Unsolicited, when the tether opens its link port.
    Ready {
        /// The highest version the tether speaks.
        version: u32,
    },
    /// Liveness probe.
    Ping {
        /// Echoed in Pong.
        nonce: u64,
    },
    /// Answer to Ping.
    Pong {
        /// The Ping's nonce.
        nonce: u64,
    },
    /// Framing error: the link's sessions are closed and it awaits Hello.
    Reset {
        /// What was wrong.
        reason: String,
    },
    /// A request on this session failed; other sessions are unaffected.
    Error {
        /// What failed.
        message: String,
    },
    /// Run a process as a new session.
    Exec(ExecRequest),
    /// Run a process as a new session, with limits (groups, rlimits,
    /// capabilities, no_new_privs, OOM score) as the config document gives
    /// the primary's (version 3).
    ExecLimited(ExecRequest, ProcessLimits),
    /// Attach a new session to the primary process.
    Attach(AttachRequest),
    /// The session's process started.
    Started {
        /// Its pid in the guest.
        pid: u32,
        /// Initial stdin credit.
        stdin_window: u32,
    },
    /// The session's process could not be started.
    ExecFailed {
        /// 127: command not found; 126: found but cannot be invoked.
        code: i32,
        /// What failed.
        message: String,
    },
    /// Data for the process's stdin.
    Stdin(Vec<u8>),
    /// Data from the process's stdout.
    Stdout(Vec<u8>),
    /// Data from the process's stderr.
    Stderr(Vec<u8>),
    /// End of stdin.
    CloseStdin,
    /// New terminal size.
    Resize {
        /// Rows.
        rows: u16,
        /// Columns.
        cols: u16,
    },
    /// Deliver a signal to the session's process group.
    Signal {
        /// Which signal (its protocol number on the wire).
        signal: Signal,
    },
    /// Grant `bytes` more credit on `stream`.
    Window {
        /// Which direction.
        stream: Stream,
        /// How many more bytes the sender may send.
        bytes: u32,
    },
    /// The client abandons the session.
    Close,
    /// The session's process exited and all its output was sent.
    Exit(ExitStatus),
    /// Ask for the primary process's state.
    PrimaryStatus,
    /// The primary process's state.
    PrimaryState(PrimaryState),
    /// Graceful stop of the domain.
    Shutdown {
        /// Signal for the primary (None, 0 on the wire: the configured
        /// stop signal).
        signal: Option<Signal>,
        /// How long the primary gets before everything is killed.
        timeout_ms: u32,
    },
    /// Acknowledges Shutdown.
    ShutdownStarted,
}

/// Stable type numbers.
pub mod kind {
    #![allow(missing_docs)]
    pub const HELLO: u8 = super::HELLO_TYPE;
    pub const HELLO_OK: u8 = 0x02;
    pub const REFUSED: u8 = 0x03;
    pub const READY: u8 = 0x04;
    pub const PING: u8 = 0x05;
    pub const PONG: u8 = 0x06;
    pub const RESET: u8 = 0x07;
    pub const ERROR: u8 = 0x08;
    pub const EXEC: u8 = 0x10;
    pub const ATTACH: u8 = 0x11;
    pub const STARTED: u8 = 0x12;
    pub const EXEC_FAILED: u8 = 0x13;
    pub const STDIN: u8 = 0x14;
    pub const STDOUT: u8 = 0x15;
    pub const STDERR: u8 = 0x16;
    pub const CLOSE_STDIN: u8 = 0x17;
    pub const RESIZE: u8 = 0x18;
    pub const SIGNAL: u8 = 0x19;
    pub const WINDOW: u8 = 0x1a;
    pub const CLOSE: u8 = 0x1b;
    pub const EXIT: u8 = 0x1c;
    pub const PRIMARY_STATUS: u8 = 0x20;
    pub const PRIMARY_STATE: u8 = 0x21;
    pub const SHUTDOWN: u8 = 0x22;
    pub const SHUTDOWN_STARTED: u8 = 0x23;
    pub const EXEC_LIMITED: u8 = 0x50;
}

/// True for every type number this crate knows.
pub fn is_known_kind(k: u8) -> bool {
    introduced_in(k).is_some()
}

/// The protocol version that introduced a type number (None: unknown). A
/// message is sent only on a link whose negotiated version is at least
/// this; a peer treats a type its link's version lacks as unknown.
pub fn introduced_in(k: u8) -> Option<u32> {
    match k {
        0x01..=0x08 | 0x10..=0x1c | 0x20..=0x23 => Some(1),
        kind::EXEC_LIMITED => Some(3),
        _ => None,
    }
}

impl Message {
    /// The stable type number of this message.
    pub fn kind(&self) -> u8 {
        use Message as M;
        match self {
            M::Hello { .. } => kind::HELLO,
            M::HelloOk { .. } => kind::HELLO_OK,
            M::Refused { .. } => kind::REFUSED,
            M::Ready { .. } => kind::READY,
            M::Ping { .. } => kind::PING,
            M::Pong { .. } => kind::PONG,
            M::Reset { .. } => kind::RESET,
            M::Error { .. } => kind::ERROR,
            M::Exec(_) => kind::EXEC,
            M::ExecLimited(..) => kind::EXEC_LIMITED,
            M::Attach(_) => kind::ATTACH,
            M::Started { .. } => kind::STARTED,
            M::ExecFailed { .. } => kind::EXEC_FAILED,
            M::Stdin(_) => kind::STDIN,
            M::Stdout(_) => kind::STDOUT,
            M::Stderr(_) => kind::STDERR,
            M::CloseStdin => kind::CLOSE_STDIN,
            M::Resize { .. } => kind::RESIZE,
            M::Signal { .. } => kind::SIGNAL,
            M::Window { .. } => kind::WINDOW,
            M::Close => kind::CLOSE,
            M::Exit(_) => kind::EXIT,
            M::PrimaryStatus => kind::PRIMARY_STATUS,
            M::PrimaryState(_) => kind::PRIMARY_STATE,
            M::Shutdown { .. } => kind::SHUTDOWN,
            M::ShutdownStarted => kind::SHUTDOWN_STARTED,
        }
    }

    /// A short name for messages and logs.
    pub fn name(&self) -> &'static str {
        kind_name(self.kind())
    }

    /// Encode the payload. Strings and data are truncated to fit one frame
    /// (data producers chunk to [`MAX_DATA`] themselves).
    pub fn encode_payload(&self) -> Vec<u8> {
        use Message as M;
        let mut e = Enc::default();
        match self {
            M::Hello { versions, token } => {
                e.0.extend_from_slice(MAGIC);
                e.u32(versions.min)
                    .u32(versions.max)
                    .bytes(clip(token, MAX_DATA - 16));
            }
            M::HelloOk { version, agent } => {
                e.u32(*version).str(clip_str(agent));
            }
            M::Refused { reason } | M::Reset { reason } => {
                e.str(clip_str(reason));
            }
            M::Error { message } => {
                e.str(clip_str(message));
            }
            M::Ready { version } => {
                e.u32(*version);
            }
            M::Ping { nonce } | M::Pong { nonce } => {
                e.u64(*nonce);
            }
            M::Exec(r) => encode_exec(&mut e, r),
            M::ExecLimited(r, l) => {
                encode_exec(&mut e, r);
                encode_limits(&mut e, l);
            }
            M::Attach(r) => {
                e.bool(r.stdin)
                    .u32(r.rows.into())
                    .u32(r.cols.into())
                    .u32(r.window);
            }
            M::Started { pid, stdin_window } => {
                e.u32(*pid).u32(*stdin_window);
            }
            M::ExecFailed { code, message } => {
                e.i32(*code).str(clip_str(message));
            }
            M::Stdin(d) | M::Stdout(d) | M::Stderr(d) => {
                e.bytes(clip(d, MAX_DATA));
            }
            M::CloseStdin | M::Close | M::PrimaryStatus | M::ShutdownStarted => {}
            M::Resize { rows, cols } => {
                e.u32((*rows).into()).u32((*cols).into());
            }
            M::Signal { signal } => {
                e.signal(Some(*signal));
            }
            M::Window { stream, bytes } => {
                e.u8(*stream as u8).u32(*bytes);
            }
            M::Exit(s) => {
                e.i32(s.code).signal(s.signal);
            }
            M::PrimaryState(s) => {
                e.u8(s.phase as u8)
                    .u32(s.pid)
                    .i32(s.exit_code)
                    .signal(s.signal)
                    .u64(s.started_at)
                    .u64(s.finished_at);
            }
            M::Shutdown { signal, timeout_ms } => {
                e.signal(*signal).u32(*timeout_ms);
            }
        }
        e.0
    }

    /// Encode as a complete frame for `session`.
    pub fn to_frame(&self, session: u32) -> Vec<u8> {
        let payload = self.encode_payload();
        let mut out = Vec::with_capacity(payload.len() + 9);
        frame::encode_frame(self.kind(), session, &payload, &mut out);
        out
    }

    /// Decode a payload of type `kind`. Never panics; never allocates more
    /// than the payload's size.
    pub fn decode(kind: u8, payload: &[u8]) -> Result<Message, DecodeError> {
        use Message as M;
        if payload.len() > MAX_PAYLOAD {
            return Err(DecodeError::Invalid(format!(
                "payload of {} bytes exceeds {MAX_PAYLOAD}",
                payload.len()
            )));
        }
        let mut d = Dec::new(payload);
        let m = match kind {
            kind::HELLO => {
                let magic = d.take(MAGIC.len(), "magic")?;
                if magic != MAGIC {
                    return Err(DecodeError::Invalid(
                        "hello without the VICPORT magic".into(),
                    ));
                }
                let versions = Versions {
                    min: d.u32("min version")?,
                    max: d.u32("max version")?,
                };
                if versions.min > versions.max {
                    return Err(DecodeError::Invalid(format!(
                        "hello version range {versions} is empty"
                    )));
                }
                M::Hello {
                    versions,
                    token: d.bytes("token")?.to_vec(),
                }
            }
            kind::HELLO_OK => M::HelloOk {
                version: d.u32("version")?,
                agent: d.string("agent")?,
            },
            kind::REFUSED => M::Refused {
                reason: d.string("reason")?,
            },
            kind::READY => M::Ready {
                version: d.u32("version")?,
            },
            kind::PING => M::Ping {
                nonce: d.u64("nonce")?,
            },
            kind::PONG => M::Pong {
                nonce: d.u64("nonce")?,
            },
            kind::RESET => M::Reset {
                reason: d.string("reason")?,
            },
            kind::ERROR => M::Error {
                message: d.string("message")?,
            },
            kind::EXEC => M::Exec(decode_exec(&mut d)?),
            kind::EXEC_LIMITED => M::ExecLimited(decode_exec(&mut d)?, decode_limits(&mut d)?),
            kind::ATTACH => M::Attach(AttachRequest {
                stdin: d.bool("stdin")?,
                rows: d.u16("rows")?,
                cols: d.u16("cols")?,
                window: d.u32("window")?,
            }),
            kind::STARTED => M::Started {
                pid: d.u32("pid")?,
                stdin_window: d.u32("stdin window")?,
            },
            kind::EXEC_FAILED => M::ExecFailed {
                code: d.i32("code")?,
                message: d.string("message")?,
            },
            kind::STDIN => M::Stdin(d.bytes("data")?.to_vec()),
            kind::STDOUT => M::Stdout(d.bytes("data")?.to_vec()),
            kind::STDERR => M::Stderr(d.bytes("data")?.to_vec()),
            kind::CLOSE_STDIN => M::CloseStdin,
            kind::RESIZE => M::Resize {
                rows: d.u16("rows")?,
                cols: d.u16("cols")?,
            },
            kind::SIGNAL => M::Signal {
                signal: d
                    .signal("signal")?
                    .ok_or_else(|| DecodeError::Invalid("signal 0 is no signal".into()))?,
            },
            kind::WINDOW => M::Window {
                stream: Stream::from_u8(d.u8("stream")?)?,
                bytes: d.u32("bytes")?,
            },
            kind::CLOSE => M::Close,
            kind::EXIT => M::Exit(ExitStatus {
                code: d.i32("code")?,
                signal: d.signal("signal")?,
            }),
            kind::PRIMARY_STATUS => M::PrimaryStatus,
            kind::PRIMARY_STATE => M::PrimaryState(PrimaryState {
                phase: match d.u8("phase")? {
                    0 => PrimaryPhase::Absent,
                    1 => PrimaryPhase::Waiting,
                    2 => PrimaryPhase::Running,
                    3 => PrimaryPhase::Exited,
                    v => return Err(DecodeError::Invalid(format!("unknown primary phase {v}"))),
                },
                pid: d.u32("pid")?,
                exit_code: d.i32("exit code")?,
                signal: d.signal("signal")?,
                started_at: d.u64("started_at")?,
                finished_at: d.u64("finished_at")?,
            }),
            kind::SHUTDOWN => M::Shutdown {
                signal: d.signal("signal")?,
                timeout_ms: d.u32("timeout")?,
            },
            kind::SHUTDOWN_STARTED => M::ShutdownStarted,
            k => return Err(DecodeError::UnknownKind(k)),
        };
        d.finish()?;
        Ok(m)
    }
}

/// The name of a type number ("unknown" for others).
pub fn kind_name(k: u8) -> &'static str {
    match k {
        kind::HELLO => "Hello",
        kind::HELLO_OK => "HelloOk",
        kind::REFUSED => "Refused",
        kind::READY => "Ready",
        kind::PING => "Ping",
        kind::PONG => "Pong",
        kind::RESET => "Reset",
        kind::ERROR => "Error",
        kind::EXEC => "Exec",
        kind::EXEC_LIMITED => "ExecLimited",
        kind::ATTACH => "Attach",
        kind::STARTED => "Started",
        kind::EXEC_FAILED => "ExecFailed",
        kind::STDIN => "Stdin",
        kind::STDOUT => "Stdout",
        kind::STDERR => "Stderr",
        kind::CLOSE_STDIN => "CloseStdin",
        kind::RESIZE => "Resize",
        kind::SIGNAL => "Signal",
        kind::WINDOW => "Window",
        kind::CLOSE => "Close",
        kind::EXIT => "Exit",
        kind::PRIMARY_STATUS => "PrimaryStatus",
        kind::PRIMARY_STATE => "PrimaryState",
        kind::SHUTDOWN => "Shutdown",
        kind::SHUTDOWN_STARTED => "ShutdownStarted",
        _ => "unknown",
    }
}

fn clip(b: &[u8], max: usize) -> &[u8] {
    &b[..b.len().min(max)]
}

fn clip_str(s: &str) -> &str {
    let max = 4096;
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_message() -> Vec<Message> {
        use Message as M;
        vec![
            M::Hello {
                versions: Versions { min: 2, max: 7 },
                token: vec![1, 2, 3],
            },
            M::HelloOk {
                version: 2,
                agent: "tether 0.1".into(),
            },
            M::Refused {
                reason: "wrong token".into(),
            },
            M::Ready { version: 1 },
            M::Ping { nonce: u64::MAX },
            M::Pong { nonce: 42 },
            M::Reset {
                reason: "oversized".into(),
            },
            M::Error {
                message: "bad".into(),
            },
            M::Exec(ExecRequest {
                argv: vec!["/bin/sh".into(), "-c".into(), "echo ü".into()],
                env: vec!["A=B".into()],
                cwd: "/tmp".into(),
                user: "1000:1000".into(),
                tty: true,
                rows: 24,
                cols: 80,
                stdin: true,
                window: 262144,
            }),
            M::ExecLimited(
                ExecRequest {
                    argv: vec!["sh".into()],
                    user: "1000:1000".into(),
                    window: 1,
                    ..Default::default()
                },
                ProcessLimits {
                    groups: vec![10, 20],
                    rlimits: vec![Rlimit {
                        name: "NOFILE".into(),
                        soft: 1,
                        hard: u64::MAX,
                    }],
                    capabilities: Some(Capabilities {
                        bounding: vec!["CAP_KILL".into(), "CAP_CHOWN".into()],
                        effective: vec!["CAP_KILL".into()],
                        inheritable: vec![],
                        permitted: vec!["CAP_KILL".into()],
                        ambient: vec!["CAP_KILL".into()],
                    }),
                    no_new_privileges: true,
                    oom_score_adj: Some(-1000),
                },
            ),
            M::Attach(AttachRequest {
                stdin: true,
                rows: 50,
                cols: 132,
                window: 1,
            }),
            M::Started {
                pid: 77,
                stdin_window: 262144,
            },
            M::ExecFailed {
                code: 127,
                message: "not found".into(),
            },
            M::Stdin(b"in".to_vec()),
            M::Stdout(vec![0; MAX_DATA]),
            M::Stderr(vec![]),
            M::CloseStdin,
            M::Resize {
                rows: 65535,
                cols: 1,
            },
            M::Signal {
                signal: Signal::TERM,
            },
            M::Window {
                stream: Stream::Stderr,
                bytes: 4096,
            },
            M::Close,
            M::Exit(ExitStatus {
                code: 137,
                signal: Some(Signal::KILL),
            }),
            M::PrimaryStatus,
            M::PrimaryState(PrimaryState {
                phase: PrimaryPhase::Exited,
                pid: 9,
                exit_code: 3,
                signal: None,
                started_at: 1,
                finished_at: u64::MAX,
            }),
            M::Shutdown {
                signal: None,
                timeout_ms: 10_000,
            },
            M::ShutdownStarted,
        ]
    }

    #[test]
    fn every_message_round_trips_and_has_a_known_kind() {
        let all = every_message();
        let mut kinds: Vec<u8> = all.iter().map(|m| m.kind()).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), all.len(), "type numbers must be distinct");
        for m in all {
            assert!(is_known_kind(m.kind()), "{}", m.name());
            let since = introduced_in(m.kind()).unwrap();
            assert!(
                (1..=crate::version::PROTOCOL_VERSION).contains(&since),
                "{} is introduced in version {since}",
                m.name()
            );
            assert_ne!(kind_name(m.kind()), "unknown");
            let p = m.encode_payload();
            assert!(p.len() <= MAX_PAYLOAD);
            assert_eq!(Message::decode(m.kind(), &p).unwrap(), m);
        }
    }

    #[test]
    fn exec_limited_checks_its_limits_as_the_config_does() {
        let plain = Message::ExecLimited(ExecRequest::default(), ProcessLimits::default());
        let p = plain.encode_payload();
        assert_eq!(Message::decode(kind::EXEC_LIMITED, &p).unwrap(), plain);
        let bad = |l: ProcessLimits| {
            let p = Message::ExecLimited(ExecRequest::default(), l).encode_payload();
            Message::decode(kind::EXEC_LIMITED, &p).unwrap_err()
        };
        let rlimit = |name: &str, soft, hard| ProcessLimits {
            rlimits: vec![Rlimit {
                name: name.into(),
                soft,
                hard,
            }],
            ..Default::default()
        };
        assert!(matches!(
            bad(rlimit("NOFILE", 2, 1)),
            DecodeError::Invalid(_)
        ));
        assert!(matches!(
            bad(rlimit("nofile", 1, 1)),
            DecodeError::Invalid(_)
        ));
        let caps = ProcessLimits {
            capabilities: Some(Capabilities {
                ambient: vec!["KILL".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(matches!(bad(caps), DecodeError::Invalid(_)));
        let oom = ProcessLimits {
            oom_score_adj: Some(1001),
            ..Default::default()
        };
        assert!(matches!(bad(oom), DecodeError::Invalid(_)));
        // A count larger than the payload could hold is refused before
        // anything is allocated.
        let mut p = plain.encode_payload();
        let groups_at = p.len() - 4 - 4 - 1 - 1 - 1 - 4;
        p[groups_at..groups_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            Message::decode(kind::EXEC_LIMITED, &p),
            Err(DecodeError::Truncated("groups"))
        ));
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        for m in every_message() {
            let p = m.encode_payload();
            for cut in 0..p.len() {
                if let Ok(d) = Message::decode(m.kind(), &p[..cut]) {
                    panic!("{} decoded from a truncated payload: {d:?}", m.name());
                }
            }
            let mut longer = p.clone();
            longer.push(0);
            let want = if longer.len() > MAX_PAYLOAD {
                Err(DecodeError::Invalid(format!(
                    "payload of {} bytes exceeds {MAX_PAYLOAD}",
                    longer.len()
                )))
            } else {
                Err(DecodeError::Trailing(1))
            };
            assert_eq!(Message::decode(m.kind(), &longer), want, "{}", m.name());
        }
    }

    #[test]
    fn huge_lengths_and_counts_do_not_allocate() {
        // argv count of 4 billion with 8 bytes behind it.
        let mut p = vec![0xff, 0xff, 0xff, 0xff];
        p.extend_from_slice(&[0; 8]);
        assert!(matches!(
            Message::decode(kind::EXEC, &p),
            Err(DecodeError::Truncated("argv"))
        ));
        assert!(matches!(
            Message::decode(kind::STDIN, &[0xff, 0xff, 0xff, 0xff, 1]),
            Err(DecodeError::Truncated("data"))
        ));
        assert!(Message::decode(kind::STDIN, &vec![0; MAX_PAYLOAD + 1]).is_err());
    }

    #[test]
    fn invalid_fields_are_rejected() {
        assert!(Message::decode(kind::HELLO, b"VICPORX\0\0\0\x02\0\0\0\x02\0\0\0\0").is_err());
        assert!(Message::decode(kind::HELLO, b"VICPORT\0\0\0\x02\0\0\0\x02\0\0\0\0").is_ok());
        assert!(Message::decode(kind::HELLO, b"VICPORT\0\0\0\x03\0\0\0\x02\0\0\0\0").is_err());
        assert!(Message::decode(kind::WINDOW, &[9, 0, 0, 0, 1]).is_err());
        assert!(Message::decode(kind::RESIZE, &[0, 1, 0, 0, 0, 0, 0, 1]).is_err());
        assert!(Message::decode(kind::ERROR, &[0, 0, 0, 2, 0xff, 0xfe]).is_err());
        assert_eq!(
            Message::decode(0x7f, &[]),
            Err(DecodeError::UnknownKind(0x7f))
        );
        assert_eq!(introduced_in(0x7f), None);
        assert_eq!(introduced_in(0x09), None);
        let rt = Message::Shutdown {
            signal: Some(Signal::RTMAX),
            timeout_ms: 0,
        };
        assert_eq!(
            Message::decode(kind::SHUTDOWN, &rt.encode_payload()),
            Ok(rt)
        );
        // Signal numbers that are no protocol signal; 0 only where it
        // means "none".
        for n in [0i32, 32, 33, 65, -1] {
            let p = n.to_be_bytes();
            assert!(Message::decode(kind::SIGNAL, &p).is_err(), "{n}");
            let exit = [&[0, 0, 0, 1][..], &p].concat();
            assert_eq!(Message::decode(kind::EXIT, &exit).is_ok(), n == 0, "{n}");
        }
        let mut exec = Message::Exec(ExecRequest::default()).encode_payload();
        let tty_at = 4 + 4 + 4 + 4;
        exec[tty_at] = 2;
        assert!(Message::decode(kind::EXEC, &exec).is_err());
    }

    #[test]
    fn pseudo_random_payloads_never_panic() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..20_000u32 {
            let len = (i % 97) as usize;
            let mut p = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                p.push(x as u8);
            }
            let k = (x >> 8) as u8 % 0x30;
            let _ = Message::decode(k, &p);
        }
    }
}
