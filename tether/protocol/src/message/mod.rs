//! Link messages: every frame type with its stable number; their
//! hand-written binary payload codec (big-endian, length-checked, no
//! panics) is in `wire`.
//! The payloads of the messages that look into a running domain (stats,
//! processes, paths, copies) are in [`guest`], those that change its
//! networks while it runs in `network`; which frames open and end an
//! exchange, for relays, in `exchange`.

pub use crate::codec::DecodeError;
use crate::config::ProcessLimits;
use crate::frame::HELLO_TYPE;
use crate::signal::Signal;
use crate::version::Versions;

mod exchange;
mod exec;
pub mod guest;
mod network;
mod wire;

pub use exchange::{Opens, ends, opens};
pub use guest::{
    CopyFailure, CopyOutRequest, PathInfo, PathKind, ProcessInfo, StatsReport, split_processes,
    valid_copy_name,
};
pub use network::{InterfaceDown, InterfaceUp};

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
    /// Working directory inside the container ("" = its root directory, /).
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
    /// Ask for the domain's usage (version 3).
    Stats,
    /// The domain's usage, answering Stats.
    StatsReport(StatsReport),
    /// Ask for the container's processes (version 3).
    Top,
    /// Some of the container's processes, answering Top; `more` is set on
    /// every frame but the last.
    Processes {
        /// More Processes frames follow on this request id.
        more: bool,
        /// The processes in this frame.
        processes: Vec<ProcessInfo>,
    },
    /// Ask for a path's metadata inside the container (version 3).
    PathStat {
        /// The path, resolved inside the container's root.
        path: String,
        /// Follow the last component when it is a symbolic link.
        follow: bool,
    },
    /// A path's metadata, answering PathStat.
    PathInfo(PathInfo),
    /// Copy a path out of the container as a tar stream on Stdout
    /// (version 3).
    CopyOut(CopyOutRequest),
    /// Extract the tar stream the host sends on Stdin into a directory of
    /// the container (version 3).
    CopyIn {
        /// The directory, resolved inside the container's root.
        path: String,
    },
    /// The copy started.
    CopyStarted {
        /// Initial stdin credit (CopyIn), 0 for CopyOut.
        stdin_window: u32,
    },
    /// The copy failed; the session's last frame.
    CopyFailed {
        /// Why, as a class.
        reason: CopyFailure,
        /// What failed, on which path.
        message: String,
    },
    /// Bring up an interface that joined the running domain (version 3).
    InterfaceUp(InterfaceUp),
    /// Take down an interface that leaves the running domain (version 3).
    InterfaceDown(InterfaceDown),
    /// Replace the domain's `/etc/hosts` entries for its peers (version 3).
    HostsSet {
        /// The entries, replacing the config's `hosts.N`.
        hosts: Vec<crate::config::HostEntry>,
    },
    /// Answers InterfaceUp, InterfaceDown and HostsSet: done (version 3).
    NetworkApplied {
        /// The guest's name of the interface ("" for HostsSet).
        interface: String,
    },
    /// The guest kernel's out-of-memory killer killed the process: sent on
    /// a session just before its Exit, and on session 0 just before the
    /// exited primary's PrimaryState broadcast (version 4).
    OomKilled {
        /// The killed process's pid in the guest.
        pid: u32,
    },
    /// Deliver a signal to every process of the container, not only the
    /// primary: an OCI runtime's `kill --all` (version 5).
    SignalAll {
        /// Which signal (its protocol number on the wire).
        signal: Signal,
    },
    /// Answers SignalAll: how many processes the signal was sent to
    /// (version 5).
    SignalledAll {
        /// The number of processes signalled.
        processes: u32,
    },
    /// CopyOut of the container's root filesystem alone: nothing mounted
    /// in the container (volumes, shares, tmpfs, bound files) is entered,
    /// and a mount point shows what the root filesystem has beneath it
    /// (version 6).
    CopyOutRootfs(CopyOutRequest),
    /// ExecLimited of a process that no session follows (version 7): its
    /// stdin, stdout and stderr are the guest's null device, and it runs
    /// on after the request is answered, until it exits or the domain
    /// stops. A request: answered by Started (`stdin_window` 0) once it
    /// runs, or ExecFailed; `tty` and `stdin` must be false.
    ExecDetached(ExecRequest, ProcessLimits),
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
    pub const STATS: u8 = 0x30;
    pub const STATS_REPORT: u8 = 0x31;
    pub const TOP: u8 = 0x32;
    pub const PROCESSES: u8 = 0x33;
    pub const PATH_STAT: u8 = 0x34;
    pub const PATH_INFO: u8 = 0x35;
    pub const COPY_OUT: u8 = 0x36;
    pub const COPY_IN: u8 = 0x37;
    pub const COPY_STARTED: u8 = 0x38;
    pub const COPY_FAILED: u8 = 0x39;
    pub const INTERFACE_UP: u8 = 0x40;
    pub const INTERFACE_DOWN: u8 = 0x41;
    pub const HOSTS_SET: u8 = 0x42;
    pub const NETWORK_APPLIED: u8 = 0x43;
    pub const EXEC_LIMITED: u8 = 0x50;
    pub const OOM_KILLED: u8 = 0x51;
    pub const SIGNAL_ALL: u8 = 0x52;
    pub const SIGNALLED_ALL: u8 = 0x53;
    pub const COPY_OUT_ROOTFS: u8 = 0x54;
    pub const EXEC_DETACHED: u8 = 0x55;
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
        0x30..=0x39 | 0x40..=0x43 | kind::EXEC_LIMITED => Some(3),
        kind::OOM_KILLED => Some(4),
        kind::SIGNAL_ALL | kind::SIGNALLED_ALL => Some(5),
        kind::COPY_OUT_ROOTFS => Some(6),
        kind::EXEC_DETACHED => Some(7),
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
            M::Stats => kind::STATS,
            M::StatsReport(_) => kind::STATS_REPORT,
            M::Top => kind::TOP,
            M::Processes { .. } => kind::PROCESSES,
            M::PathStat { .. } => kind::PATH_STAT,
            M::PathInfo(_) => kind::PATH_INFO,
            M::CopyOut(_) => kind::COPY_OUT,
            M::CopyIn { .. } => kind::COPY_IN,
            M::CopyStarted { .. } => kind::COPY_STARTED,
            M::CopyFailed { .. } => kind::COPY_FAILED,
            M::InterfaceUp(_) => kind::INTERFACE_UP,
            M::InterfaceDown(_) => kind::INTERFACE_DOWN,
            M::HostsSet { .. } => kind::HOSTS_SET,
            M::NetworkApplied { .. } => kind::NETWORK_APPLIED,
            M::OomKilled { .. } => kind::OOM_KILLED,
            M::SignalAll { .. } => kind::SIGNAL_ALL,
            M::SignalledAll { .. } => kind::SIGNALLED_ALL,
            M::CopyOutRootfs(_) => kind::COPY_OUT_ROOTFS,
            M::ExecDetached(..) => kind::EXEC_DETACHED,
        }
    }

    /// A short name for messages and logs.
    pub fn name(&self) -> &'static str {
        kind_name(self.kind())
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
        kind::STATS => "Stats",
        kind::STATS_REPORT => "StatsReport",
        kind::TOP => "Top",
        kind::PROCESSES => "Processes",
        kind::PATH_STAT => "PathStat",
        kind::PATH_INFO => "PathInfo",
        kind::COPY_OUT => "CopyOut",
        kind::COPY_IN => "CopyIn",
        kind::COPY_STARTED => "CopyStarted",
        kind::COPY_FAILED => "CopyFailed",
        kind::INTERFACE_UP => "InterfaceUp",
        kind::INTERFACE_DOWN => "InterfaceDown",
        kind::HOSTS_SET => "HostsSet",
        kind::NETWORK_APPLIED => "NetworkApplied",
        kind::OOM_KILLED => "OomKilled",
        kind::SIGNAL_ALL => "SignalAll",
        kind::SIGNALLED_ALL => "SignalledAll",
        kind::COPY_OUT_ROOTFS => "CopyOutRootfs",
        kind::EXEC_DETACHED => "ExecDetached",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests;
