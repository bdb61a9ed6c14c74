//! The one place where the protocol's signals meet Linux's: protocol
//! numbers to native ones for delivery, native ones back for exit
//! statuses. On x86-64 and aarch64 Linux the classic numbers coincide, but
//! nothing else in the agent may rely on that.

use tether_protocol::{ExitStatus, Signal};

/// The classic signals: (protocol, Linux).
const CLASSIC: [(Signal, i32); 31] = [
    (Signal::HUP, libc::SIGHUP),
    (Signal::INT, libc::SIGINT),
    (Signal::QUIT, libc::SIGQUIT),
    (Signal::ILL, libc::SIGILL),
    (Signal::TRAP, libc::SIGTRAP),
    (Signal::ABRT, libc::SIGABRT),
    (Signal::BUS, libc::SIGBUS),
    (Signal::FPE, libc::SIGFPE),
    (Signal::KILL, libc::SIGKILL),
    (Signal::USR1, libc::SIGUSR1),
    (Signal::SEGV, libc::SIGSEGV),
    (Signal::USR2, libc::SIGUSR2),
    (Signal::PIPE, libc::SIGPIPE),
    (Signal::ALRM, libc::SIGALRM),
    (Signal::TERM, libc::SIGTERM),
    (Signal::STKFLT, libc::SIGSTKFLT),
    (Signal::CHLD, libc::SIGCHLD),
    (Signal::CONT, libc::SIGCONT),
    (Signal::STOP, libc::SIGSTOP),
    (Signal::TSTP, libc::SIGTSTP),
    (Signal::TTIN, libc::SIGTTIN),
    (Signal::TTOU, libc::SIGTTOU),
    (Signal::URG, libc::SIGURG),
    (Signal::XCPU, libc::SIGXCPU),
    (Signal::XFSZ, libc::SIGXFSZ),
    (Signal::VTALRM, libc::SIGVTALRM),
    (Signal::PROF, libc::SIGPROF),
    (Signal::WINCH, libc::SIGWINCH),
    (Signal::IO, libc::SIGIO),
    (Signal::PWR, libc::SIGPWR),
    (Signal::SYS, libc::SIGSYS),
];

/// Linux's number for a protocol signal; real-time signals count from
/// the C library's SIGRTMIN. None if this guest has no such signal.
pub fn to_native(signal: Signal) -> Option<i32> {
    if let Some(&(_, native)) = CLASSIC.iter().find(|(s, _)| *s == signal) {
        return Some(native);
    }
    let offset = signal.number() - Signal::RTMIN.number();
    let native = libc::SIGRTMIN() + offset;
    (offset >= 0 && native <= libc::SIGRTMAX()).then_some(native)
}

/// The protocol signal for a Linux signal number; None for numbers the
/// protocol has no name for (those the C library keeps for itself, below
/// SIGRTMIN).
pub fn from_native(native: i32) -> Option<Signal> {
    if let Some(&(signal, _)) = CLASSIC.iter().find(|(_, n)| *n == native) {
        return Some(signal);
    }
    if !(libc::SIGRTMIN()..=libc::SIGRTMAX()).contains(&native) {
        return None;
    }
    Signal::from_number(Signal::RTMIN.number() + (native - libc::SIGRTMIN()))
        .filter(|s| s.number() <= Signal::RTMAX.number())
}

/// Linux's number for a protocol signal, or an error that names it.
pub fn native_or_error(signal: Signal) -> Result<i32, String> {
    to_native(signal).ok_or_else(|| format!("{signal} has no equivalent on this Linux guest"))
}

/// A raw `waitpid` status as the protocol reports it (shell convention:
/// 128 + the signal's number when killed, and the signal).
pub fn exit_status(status: i32) -> ExitStatus {
    if libc::WIFSIGNALED(status) {
        let native = libc::WTERMSIG(status);
        let signal = from_native(native);
        ExitStatus {
            code: 128 + signal.map_or(native, Signal::number),
            signal,
        }
    } else {
        ExitStatus {
            code: libc::WEXITSTATUS(status),
            signal: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol_signal_maps_to_linux_and_back() {
        for s in Signal::all() {
            let native = to_native(s).unwrap_or_else(|| panic!("{s} has no Linux number"));
            assert_eq!(from_native(native), Some(s), "{s} -> {native}");
        }
        assert_eq!(to_native(Signal::TERM), Some(libc::SIGTERM));
        assert_eq!(to_native(Signal::KILL), Some(libc::SIGKILL));
        assert_eq!(to_native(Signal::WINCH), Some(libc::SIGWINCH));
        assert_eq!(to_native(Signal::PWR), Some(libc::SIGPWR));
        assert_eq!(to_native(Signal::RTMIN), Some(libc::SIGRTMIN()));
        assert_eq!(to_native(Signal::RTMAX), Some(libc::SIGRTMAX()));
        // The C library's own real-time signals have no protocol name.
        for n in 32..libc::SIGRTMIN() {
            assert_eq!(from_native(n), None, "{n}");
        }
        assert_eq!(from_native(0), None);
        assert_eq!(from_native(libc::SIGRTMAX() + 1), None);
    }

    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn the_classic_numbers_coincide_on_this_architecture() {
        // Not something the agent relies on (it maps above); a check that
        // the table is the one the protocol documents.
        for (s, native) in CLASSIC {
            assert_eq!(s.number(), native, "{s}");
        }
    }

    #[test]
    fn wait_status_uses_shell_convention() {
        assert_eq!(
            exit_status(7 << 8),
            ExitStatus {
                code: 7,
                signal: None
            }
        );
        assert_eq!(
            exit_status(libc::SIGKILL),
            ExitStatus {
                code: 137,
                signal: Some(Signal::KILL)
            }
        );
        let rt = exit_status(libc::SIGRTMIN() + 2);
        assert_eq!(rt.signal, Some(Signal::parse("RTMIN+2").unwrap()));
        assert_eq!(rt.code, 128 + 36);
        // A signal the protocol cannot name: the native number, no signal.
        assert_eq!(
            exit_status(32),
            ExitStatus {
                code: 160,
                signal: None
            }
        );
    }
}
