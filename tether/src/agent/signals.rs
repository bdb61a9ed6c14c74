//! Between the protocol and Linux: how a `waitpid` status becomes the
//! protocol's exit status.

use tether_protocol::ExitStatus;

/// A raw `waitpid` status as the protocol reports it (shell convention).
pub fn exit_status(status: i32) -> ExitStatus {
    if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        ExitStatus {
            code: 128 + sig,
            signal: sig,
        }
    } else {
        ExitStatus {
            code: libc::WEXITSTATUS(status),
            signal: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_uses_shell_convention() {
        assert_eq!(exit_status(7 << 8).code, 7);
        let killed = exit_status(9);
        assert_eq!((killed.code, killed.signal), (137, 9));
    }
}
