//! The payload codec of every message: big-endian, length-checked, and
//! never a panic (the layouts are in PROTOCOL.md part I).

use super::exec::{decode_exec, decode_limits, encode_exec, encode_limits};
use super::guest::{self, CopyOutRequest, PathInfo, StatsReport};
use super::{
    AttachRequest, CopyFailure, DecodeError, ExitStatus, Message, PrimaryPhase, PrimaryState,
    Stream, kind, network,
};
use crate::codec::{Dec, Enc};
use crate::frame::{self, MAGIC, MAX_DATA, MAX_PAYLOAD};
use crate::version::Versions;

impl Message {
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
            M::ExecLimited(r, l) | M::ExecDetached(r, l) => {
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
            M::CloseStdin
            | M::Close
            | M::PrimaryStatus
            | M::ShutdownStarted
            | M::Stats
            | M::Top => {}
            M::Resize { rows, cols } => {
                e.u32((*rows).into()).u32((*cols).into());
            }
            M::Signal { signal } | M::SignalAll { signal } => {
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
            M::StatsReport(r) => r.encode(&mut e),
            M::Processes { more, processes } => guest::encode_processes(&mut e, *more, processes),
            M::PathStat { path, follow } => {
                e.str(clip_str(path)).bool(*follow);
            }
            M::PathInfo(i) => i.encode(&mut e),
            M::CopyOut(r) | M::CopyOutRootfs(r) => {
                e.str(clip_str(&r.path))
                    .str(clip_str(&r.name))
                    .u32(r.window);
            }
            M::CopyIn { path } => {
                e.str(clip_str(path));
            }
            M::CopyStarted { stdin_window } => {
                e.u32(*stdin_window);
            }
            M::CopyFailed { reason, message } => {
                e.u8(*reason as u8).str(clip_str(message));
            }
            M::InterfaceUp(m) => network::encode_up(&mut e, m),
            M::InterfaceDown(m) => network::encode_down(&mut e, m),
            M::HostsSet { hosts } => network::encode_hosts(&mut e, hosts),
            M::NetworkApplied { interface } => {
                e.str(clip_str(interface));
            }
            M::OomKilled { pid } => {
                e.u32(*pid);
            }
            M::SignalledAll { processes } => {
                e.u32(*processes);
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
            kind::EXEC_DETACHED => M::ExecDetached(decode_exec(&mut d)?, decode_limits(&mut d)?),
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
            kind::STATS => M::Stats,
            kind::STATS_REPORT => M::StatsReport(StatsReport::decode(&mut d)?),
            kind::TOP => M::Top,
            kind::PROCESSES => {
                let (more, processes) = guest::decode_processes(&mut d)?;
                M::Processes { more, processes }
            }
            kind::PATH_STAT => M::PathStat {
                path: d.string_max("path", MAX_TEXT)?,
                follow: d.bool("follow")?,
            },
            kind::PATH_INFO => M::PathInfo(PathInfo::decode(&mut d)?),
            kind::COPY_OUT => M::CopyOut(decode_copy_out(&mut d)?),
            kind::COPY_OUT_ROOTFS => M::CopyOutRootfs(decode_copy_out(&mut d)?),
            kind::COPY_IN => M::CopyIn {
                path: d.string_max("path", MAX_TEXT)?,
            },
            kind::COPY_STARTED => M::CopyStarted {
                stdin_window: d.u32("stdin window")?,
            },
            kind::COPY_FAILED => M::CopyFailed {
                reason: CopyFailure::from_u8(d.u8("reason")?)?,
                message: d.string_max("message", MAX_TEXT)?,
            },
            kind::INTERFACE_UP => M::InterfaceUp(network::decode_up(&mut d)?),
            kind::INTERFACE_DOWN => M::InterfaceDown(network::decode_down(&mut d)?),
            kind::HOSTS_SET => M::HostsSet {
                hosts: network::decode_hosts(&mut d)?,
            },
            kind::NETWORK_APPLIED => M::NetworkApplied {
                interface: d.string_max("interface", MAX_TEXT)?,
            },
            kind::OOM_KILLED => M::OomKilled { pid: d.u32("pid")? },
            kind::SIGNAL_ALL => M::SignalAll {
                signal: d
                    .signal("signal")?
                    .ok_or_else(|| DecodeError::Invalid("signal 0 is no signal".into()))?,
            },
            kind::SIGNALLED_ALL => M::SignalledAll {
                processes: d.u32("processes")?,
            },
            k => return Err(DecodeError::UnknownKind(k)),
        };
        d.finish()?;
        Ok(m)
    }
}

/// CopyOut's payload, which CopyOutRootfs shares.
fn decode_copy_out(d: &mut Dec<'_>) -> Result<CopyOutRequest, DecodeError> {
    Ok(CopyOutRequest {
        path: d.string_max("path", MAX_TEXT)?,
        name: d.string_max("name", MAX_TEXT)?,
        window: d.u32("window")?,
    })
}

fn clip(b: &[u8], max: usize) -> &[u8] {
    &b[..b.len().min(max)]
}

/// The longest text an encoder writes (longer is cut); version 3's
/// decoders refuse longer.
const MAX_TEXT: usize = 4096;

fn clip_str(s: &str) -> &str {
    crate::codec::clip_str(s, MAX_TEXT)
}
