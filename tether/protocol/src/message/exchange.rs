//! Which host frames open an exchange on a fresh id, and which tether
//! frame is an exchange's last: what a relay between many hosts and one
//! tether (vicport's monitor, or a vSphere domain's relay) needs to route
//! ids without knowing each message.

use super::kind;

/// What a frame from the host opens on its (non-zero) session id, for a
/// relay that maps many clients' ids onto one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opens {
    /// A session (Exec, ExecLimited, Attach, CopyOut, CopyOutRootfs,
    /// CopyIn): data both ways until its last frame (Exit, ExecFailed,
    /// CopyFailed), or until the host closes it.
    Session,
    /// A request (Ping on a non-zero id, PrimaryStatus, Shutdown, Stats,
    /// Top, PathStat, InterfaceUp, InterfaceDown, HostsSet, SignalAll,
    /// ExecDetached): its answer (or an Error), in one frame or
    /// (Processes) several.
    Request,
}

/// Whether a host-to-tether type opens a session or a request (None: it
/// belongs to one that is open already, or to the link itself).
pub fn opens(k: u8) -> Option<Opens> {
    match k {
        kind::EXEC
        | kind::EXEC_LIMITED
        | kind::ATTACH
        | kind::COPY_OUT
        | kind::COPY_OUT_ROOTFS
        | kind::COPY_IN => Some(Opens::Session),
        // On a non-zero id (session 0's Ping never reaches `opens`: it is
        // the link's, and a relay answers it itself).
        kind::PING
        | kind::PRIMARY_STATUS
        | kind::SHUTDOWN
        | kind::STATS
        | kind::TOP
        | kind::PATH_STAT
        | kind::INTERFACE_UP
        | kind::INTERFACE_DOWN
        | kind::HOSTS_SET
        | kind::SIGNAL_ALL
        | kind::EXEC_DETACHED => Some(Opens::Request),
        _ => None,
    }
}

/// Whether a tether frame of type `k` with `payload` is the last of what
/// `opened`: a session ends with Exit, ExecFailed or CopyFailed; a request
/// with its answer, except a Processes frame that says more follow (its
/// payload's first byte).
pub fn ends(opened: Opens, k: u8, payload: &[u8]) -> bool {
    match opened {
        Opens::Session => matches!(k, kind::EXIT | kind::EXEC_FAILED | kind::COPY_FAILED),
        Opens::Request => !(k == kind::PROCESSES && payload.first() == Some(&1)),
    }
}
