//! The one central `waitpid(-1)` loop: reaps every child and orphan and
//! dispatches exit statuses by pid. Nothing else in the tether may wait.
//!
//! A spawner registers a pid while holding the table lock across `fork`, so
//! a child that exits at once is never reaped before it is known.

use std::collections::HashMap;
use std::io;
use std::sync::{Mutex, MutexGuard};

/// Called with the raw wait status of a reaped child.
pub type ExitCallback = Box<dyn FnOnce(i32) + Send>;

/// What the reaper knows about one pid.
pub enum Entry {
    /// Forked, not yet claimed; the status if it was already reaped.
    Pending(Option<i32>),
    /// Someone waits for this pid's exit.
    Claimed(ExitCallback),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entry::Pending(s) => write!(f, "Pending({s:?})"),
            Entry::Claimed(_) => write!(f, "Claimed"),
        }
    }
}

/// The pid table behind the reaper.
pub type Table = HashMap<i32, Entry>;

/// Reaps children and dispatches their statuses.
#[derive(Debug, Default)]
pub struct Reaper {
    table: Mutex<Table>,
}

impl Reaper {
    /// An empty reaper.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lock the table for a fork: insert `Entry::Pending(None)` for the new
    /// pid before releasing it.
    pub fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ask for `pid`'s exit status; runs `cb` at once if it was already reaped.
    pub fn claim(&self, pid: i32, cb: ExitCallback) {
        let mut t = self.lock();
        match t.remove(&pid) {
            Some(Entry::Pending(Some(status))) => {
                drop(t);
                cb(status);
            }
            _ => {
                t.insert(pid, Entry::Claimed(cb));
            }
        }
    }

    /// Pids currently registered (spawned by the tether and not yet reaped).
    pub fn known_pids(&self) -> Vec<i32> {
        self.lock().keys().copied().collect()
    }

    /// Reap every exited child without blocking; returns how many.
    pub fn reap_all(&self) -> usize {
        let mut n = 0;
        loop {
            let mut status = 0;
            // SAFETY: waitpid with a valid pointer to a local.
            let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
            if pid <= 0 {
                return n;
            }
            n += 1;
            self.dispatch(pid, status);
        }
    }

    /// Deliver one reaped status.
    pub fn dispatch(&self, pid: i32, status: i32) {
        let mut t = self.lock();
        match t.remove(&pid) {
            Some(Entry::Claimed(cb)) => {
                drop(t);
                cb(status);
            }
            Some(Entry::Pending(_)) => {
                t.insert(pid, Entry::Pending(Some(status)));
            }
            None => {} // an orphan: reaped, nobody to tell
        }
    }
}

/// The signals the tether handles synchronously (blocked in every thread).
pub const FORWARDED: [i32; 5] = [
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGHUP,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

fn handled_set() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data; sigemptyset/sigaddset initialise it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        for s in FORWARDED {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// Block SIGCHLD and the forwarded signals in the calling thread; call it
/// in `main` before any thread starts so every thread inherits the mask.
pub fn block_signals() -> io::Result<()> {
    let set = handled_set();
    // SAFETY: valid set pointer; null old-set pointer is allowed.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(())
}

/// Run the signal loop forever in the current thread: reap on SIGCHLD (and
/// every second, in case a signal was coalesced) and hand forwarded signals
/// to `forward`.
pub fn run_signal_loop(reaper: &Reaper, forward: &(dyn Fn(i32) + Sync)) -> ! {
    let set = handled_set();
    let timeout = libc::timespec {
        tv_sec: 1,
        tv_nsec: 0,
    };
    loop {
        // SAFETY: valid pointers to a local set and timespec.
        let sig = unsafe { libc::sigtimedwait(&set, std::ptr::null_mut(), &timeout) };
        if sig > 0 && sig != libc::SIGCHLD {
            forward(sig);
        }
        reaper.reap_all();
    }
}

/// Make this process the reaper of its orphaned descendants (serve mode).
pub fn become_subreaper() -> io::Result<()> {
    // SAFETY: prctl with integer arguments.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI32, Ordering};

    #[test]
    fn status_reaped_before_claim_is_delivered_at_claim() {
        let r = Reaper::new();
        r.lock().insert(42, Entry::Pending(None));
        r.dispatch(42, 7 << 8);
        let got = Arc::new(AtomicI32::new(-1));
        let g = got.clone();
        r.claim(42, Box::new(move |s| g.store(s, Ordering::SeqCst)));
        assert_eq!(got.load(Ordering::SeqCst), 7 << 8);
        assert!(r.known_pids().is_empty());
    }

    #[test]
    fn claimed_pid_gets_its_status_and_orphans_are_dropped() {
        let r = Reaper::new();
        let got = Arc::new(AtomicI32::new(-1));
        let g = got.clone();
        r.claim(5, Box::new(move |s| g.store(s, Ordering::SeqCst)));
        r.dispatch(6, 0);
        assert_eq!(got.load(Ordering::SeqCst), -1);
        r.dispatch(5, 9);
        assert_eq!(got.load(Ordering::SeqCst), 9);
        assert!(r.known_pids().is_empty());
    }
}
