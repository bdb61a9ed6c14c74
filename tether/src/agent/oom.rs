//! Telling an out-of-memory kill from any other SIGKILL. The guest kernel
//! counts the kills of its OOM killer in `/proc/vmstat` (`oom_kill`), and
//! raises the count *before* it sends the victim SIGKILL ("raise event
//! before sending signal", mm/oom_kill.c), so a process that died of
//! SIGKILL while the count rose during its life was ended by the OOM
//! killer. The one ambiguity is a SIGKILL from elsewhere while the OOM
//! killer chose another process of the guest (the whole VM is the
//! container, and conmon too reports OOM for any OOM kill in the
//! container's cgroup). Stricter than conmon: a process that survives an
//! OOM kill of its child (a shell, exiting 137 itself) is not reported.

/// Where the kernel counts its OOM kills.
const VMSTAT: &str = "/proc/vmstat";

/// The kernel's count of OOM kills so far (None: this kernel does not
/// count them, or /proc is not there).
pub fn kills() -> Option<u64> {
    parse_kills(&std::fs::read_to_string(VMSTAT).ok()?)
}

/// The `oom_kill` line of a vmstat text.
pub fn parse_kills(vmstat: &str) -> Option<u64> {
    vmstat
        .lines()
        .find_map(|l| l.strip_prefix("oom_kill ")?.trim().parse().ok())
}

/// The OOM-kill count when a process started, to judge its end by.
#[derive(Debug, Clone, Copy, Default)]
pub struct OomWatch {
    at_start: Option<u64>,
}

impl OomWatch {
    /// Note the count now (as a process starts).
    pub fn start() -> OomWatch {
        OomWatch { at_start: kills() }
    }

    /// Whether a process started under this watch and ended with the raw
    /// wait status `status` was killed by the OOM killer.
    pub fn killed(&self, status: i32) -> bool {
        judge(self.at_start, status, kills)
    }
}

/// Killed by SIGKILL, and the count rose since `at_start`.
fn judge(at_start: Option<u64>, status: i32, now: impl FnOnce() -> Option<u64>) -> bool {
    if !(libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGKILL) {
        return false;
    }
    matches!((at_start, now()), (Some(a), Some(b)) if b > a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_is_read_from_vmstat_text() {
        let text = "nr_free_pages 1234\noom_kill 3\nnuma_hit 9\n";
        assert_eq!(parse_kills(text), Some(3));
        assert_eq!(parse_kills("nr_free_pages 1\n"), None);
        // This host's own /proc/vmstat has the line (kernels since 4.13).
        assert!(kills().is_some());
    }

    #[test]
    fn only_a_sigkill_while_the_count_rose_is_an_oom_kill() {
        let killed = libc::SIGKILL; // a raw wait status: terminated by KILL
        let termed = libc::SIGTERM;
        let exited_137 = 137 << 8;
        assert!(judge(Some(2), killed, || Some(3)));
        assert!(!judge(Some(3), killed, || Some(3)));
        assert!(!judge(Some(2), termed, || Some(3)));
        assert!(!judge(Some(2), exited_137, || Some(3)));
        assert!(!judge(None, killed, || Some(3)));
        assert!(!judge(Some(2), killed, || None));
    }
}
