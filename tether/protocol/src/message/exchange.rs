//! Which host frames open an exchange on a fresh id, and which tether
//! frame is an exchange's last: what a relay between many hosts and one
//! tether (vicport's monitor) needs to route ids without knowing each
//! message.

use super::kind;

/// What a host's frame on a fresh id opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    /// A session (Exec, Attach, CopyOut, CopyIn): data both ways until its
    /// last frame, or until the host closes it.
    Session,
    /// A request (PrimaryStatus, Shutdown, Stats, Top, PathStat): its
    /// answer, in one frame or (Processes) several.
    Request,
}

/// The exchange a host frame of type `k` opens on a fresh id, if any.
pub fn opens_exchange(k: u8) -> Option<Exchange> {
    match k {
        kind::EXEC | kind::ATTACH | kind::COPY_OUT | kind::COPY_IN => Some(Exchange::Session),
        kind::PRIMARY_STATUS | kind::SHUTDOWN | kind::STATS | kind::TOP | kind::PATH_STAT => {
            Some(Exchange::Request)
        }
        _ => None,
    }
}

/// Whether a tether frame of type `k` with `payload` is the last of an
/// `exchange`: a session ends with Exit, ExecFailed or CopyFailed; a
/// request with its answer, except a Processes frame that says more
/// follow (its payload's first byte).
pub fn ends_exchange(exchange: Exchange, k: u8, payload: &[u8]) -> bool {
    match exchange {
        Exchange::Session => matches!(k, kind::EXIT | kind::EXEC_FAILED | kind::COPY_FAILED),
        Exchange::Request => !(k == kind::PROCESSES && payload.first() == Some(&1)),
    }
}
