//! SignalAll: a signal to every process of the container (an OCI
//! runtime's `kill --all`). The container's processes are the tether's
//! descendants, as Top lists them ([`super::usage::descendants`]); each is
//! signalled through a pidfd once its start time says it is still the
//! process the listing saw, and the listing is read again until a round
//! finds no process it has not signalled yet, so a child forked while the
//! signal goes out gets it too.

use std::collections::BTreeSet;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::sys::LinuxSys;
use super::usage::{self, ProcStat};

/// How many rounds a sweep makes at most: a process that forks faster
/// than the tether lists cannot keep it busy for ever.
pub const MAX_ROUNDS: usize = 16;

/// Send `signal` (native) to every descendant of `me`, as this guest's
/// /proc shows them: how many processes it was sent to.
pub fn signal_all(me: u32, signal: i32) -> Result<u32, String> {
    sweep(
        || {
            let all = usage::all_processes(&LinuxSys)?;
            Ok(usage::descendants(&all, me).into_iter().cloned().collect())
        },
        |p| send(p, signal),
    )
}

/// The sweep: `list` gives the container's processes now, `send` signals
/// one and says whether it reached it (false: it had gone). Zombies are
/// skipped; a process is signalled once, known by its pid and start time.
pub fn sweep(
    mut list: impl FnMut() -> Result<Vec<ProcStat>, String>,
    mut send: impl FnMut(&ProcStat) -> io::Result<bool>,
) -> Result<u32, String> {
    let mut done: BTreeSet<(u32, u64)> = BTreeSet::new();
    let mut sent = 0u32;
    for _ in 0..MAX_ROUNDS {
        let fresh: Vec<ProcStat> = list()?
            .into_iter()
            .filter(|p| p.state != 'Z' && !done.contains(&(p.pid, p.start)))
            .collect();
        if fresh.is_empty() {
            break;
        }
        for p in fresh {
            done.insert((p.pid, p.start));
            match send(&p) {
                Ok(true) => sent += 1,
                Ok(false) => {}
                Err(e) => return Err(format!("signalling pid {} ({}): {e}", p.pid, p.comm)),
            }
        }
    }
    Ok(sent)
}

/// Signal the process `p` listed, if it is still that process: a pidfd
/// pins whatever has the pid now, its start time says whether that is the
/// one listed. False when it is gone (or its pid went to another).
fn send(p: &ProcStat, signal: i32) -> io::Result<bool> {
    let pid = p.pid as libc::pid_t;
    // SAFETY: pidfd_open(2) with a pid and no flags; the result is checked.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as i32;
    if fd < 0 {
        let e = io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::ESRCH) => Ok(false),
            // A kernel before 5.3: kill(2) by pid, as before pidfds.
            Some(libc::ENOSYS) => plain_kill(pid, signal),
            _ => Err(e),
        };
    }
    // SAFETY: `fd` was just opened and is owned here alone.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let same = std::fs::read(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|line| usage::parse_proc_stat(&String::from_utf8_lossy(&line)))
        .is_some_and(|now| now.start == p.start);
    if !same {
        return Ok(false);
    }
    // SAFETY: pidfd_send_signal(2) on an open pidfd, no siginfo, no flags.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            signal,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ESRCH) => Ok(false),
        _ => Err(e),
    }
}

fn plain_kill(pid: libc::pid_t, signal: i32) -> io::Result<bool> {
    // SAFETY: kill(2).
    if unsafe { libc::kill(pid, signal) } == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ESRCH) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;
    use std::time::{Duration, Instant};

    fn proc(pid: u32, start: u64, state: char) -> ProcStat {
        ProcStat {
            pid,
            comm: format!("p{pid}"),
            ppid: 1,
            ticks: 0,
            rss_pages: 0,
            state,
            start,
        }
    }

    #[test]
    fn a_sweep_signals_each_process_once_and_catches_late_forks() {
        // Round 1 lists 10, 11 and a zombie; 11 forks 12 meanwhile; 13
        // reuses pid 10's number... as a later process (another start).
        let rounds = [
            vec![proc(10, 5, 'S'), proc(11, 6, 'S'), proc(20, 1, 'Z')],
            vec![proc(10, 5, 'S'), proc(11, 6, 'S'), proc(12, 7, 'R')],
            vec![proc(10, 9, 'S'), proc(12, 7, 'S')],
            vec![proc(10, 9, 'S'), proc(12, 7, 'S')],
        ];
        let mut round = 0;
        let mut sent = Vec::new();
        let n = sweep(
            || {
                let r = rounds[round.min(rounds.len() - 1)].clone();
                round += 1;
                Ok(r)
            },
            |p| {
                sent.push((p.pid, p.start));
                // 11 exited before its signal.
                Ok(p.pid != 11)
            },
        )
        .unwrap();
        assert_eq!(sent, [(10, 5), (11, 6), (12, 7), (10, 9)]);
        assert_eq!(n, 3, "11 had gone");
        assert_eq!(round, 4, "the fourth listing found nothing new");
    }

    #[test]
    fn a_sweep_ends_against_a_fork_bomb_and_reports_failures() {
        let mut next = 100;
        let n = sweep(
            || {
                next += 1;
                Ok(vec![proc(next, next.into(), 'R')])
            },
            |_| Ok(true),
        )
        .unwrap();
        assert_eq!(n as usize, MAX_ROUNDS);
        let e = sweep(
            || Ok(vec![proc(7, 1, 'S')]),
            |_| Err(io::Error::from_raw_os_error(libc::EPERM)),
        )
        .unwrap_err();
        assert!(e.starts_with("signalling pid 7 (p7): "), "{e}");
        assert_eq!(sweep(|| Ok(vec![]), |_| Ok(true)), Ok(0));
        assert_eq!(
            sweep(|| Err("listing /proc: gone".into()), |_| Ok(true)),
            Err("listing /proc: gone".into())
        );
    }

    /// On this host's kernel: a shell with two children and a grandchild;
    /// the sweep below the shell reaches all three, the shell itself is
    /// not touched, and a stale start time is not signalled.
    #[test]
    fn the_real_sweep_reaches_every_descendant_and_no_one_else() {
        let sh = Command::new("sh")
            .args([
                "-c",
                "sleep 300 & sh -c 'sleep 300 & wait' & wait; wait; echo done",
            ])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let me = sh.id();
        let below = || {
            let all = usage::all_processes(&LinuxSys).unwrap();
            usage::descendants(&all, me)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while below().iter().filter(|p| p.comm == "sleep").count() < 2 {
            assert!(Instant::now() < deadline, "the sleeps never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        let stale = ProcStat {
            start: below()[0].start + 1,
            ..below()[0].clone()
        };
        assert!(!send(&stale, libc::SIGTERM).unwrap(), "a later process");
        assert_eq!(signal_all(me, libc::SIGTERM).unwrap(), 3);
        // The children died of TERM; the shell goes on to its echo.
        let out = sh.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout), "done\n");
        assert_eq!(signal_all(me, libc::SIGTERM).unwrap(), 0, "none left");
    }
}
