//! A local domain's runtime facts and its state, read from the platform
//! itself: whether the monitor lives (it holds `monitor.lock`), whether QEMU
//! lives (it holds a lock on its pidfile), and what the monitor recorded.
//! There is no second record that could disagree with them.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::file::{Lock, remove_file_if_exists, write_atomic_in_place};
use crate::plumbing::local::qemu::{Accel, files as qemu_files};
use crate::plumbing::spec::DomainState;

/// Files the monitor owns in a domain directory.
pub mod files {
    /// The monitor's record (JSON).
    pub const RUNTIME: &str = "runtime.json";
    /// Held (flock) by the monitor for its whole life.
    pub const MONITOR_LOCK: &str = "monitor.lock";
    /// The monitor's socket for exec and attach clients.
    pub const MONITOR_SOCK: &str = "monitor.sock";
    /// The monitor's own diagnostics.
    pub const MONITOR_LOG: &str = "monitor.log";
    /// Written by `domain pause` with the run's identity, removed by
    /// `domain unpause`: the run it names is paused.
    pub const PAUSED: &str = "paused";
}

/// Record that the current run of the domain in `dir` is paused (its
/// vCPUs stopped), or no longer is.
pub fn set_paused(dir: &Path, paused: bool) -> Result<()> {
    let path = dir.join(files::PAUSED);
    if !paused {
        return remove_file_if_exists(&path);
    }
    let run = Runtime::load(dir)?.and_then(|r| r.run).unwrap_or_default();
    write_atomic_in_place(&path, run.as_bytes(), 0o600)
}

/// Whether the run `run` is paused.
fn paused(dir: &Path, run: Option<&str>) -> bool {
    std::fs::read_to_string(dir.join(files::PAUSED))
        .is_ok_and(|paused| run.is_some() && Some(paused.as_str()) == run)
}

/// Where in its life a started domain is, as the monitor recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// QEMU started, the tether not ready yet.
    #[default]
    Starting,
    /// The tether is ready and the primary process runs.
    Running,
    /// A graceful stop is under way.
    Stopping,
    /// QEMU exited.
    Exited,
}

/// What the monitor records about one run of a domain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    pub phase: Phase,
    pub started_at: Option<String>,
    /// This run's identity, fresh at each start (times have one-second
    /// steps: a start, a stop and a start again can share one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// When the tether announced itself on the link.
    pub ready_at: Option<String>,
    pub finished_at: Option<String>,
    /// The primary process's exit code (128+N for signal N).
    pub exit_code: Option<i32>,
    /// The guest's out-of-memory killer ended the primary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub oom_killed: bool,
    /// Why the domain stopped, when it was not the primary's own exit.
    pub reason: Option<String>,
    pub monitor_pid: Option<u32>,
    pub qemu_pid: Option<u32>,
    pub accel: Option<Accel>,
}

impl Runtime {
    /// Read the record; none means the domain never started.
    pub fn load(dir: &Path) -> Result<Option<Runtime>> {
        let path = dir.join(files::RUNTIME);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::other(format!("{} is damaged: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Write the record atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let text = serde_json::to_vec_pretty(self).expect("a runtime record serializes");
        write_atomic_in_place(&dir.join(files::RUNTIME), &text, 0o600)
    }
}

/// Whether the domain's monitor is alive (it holds its lock).
pub fn monitor_alive(dir: &Path) -> Result<bool> {
    let path = dir.join(files::MONITOR_LOCK);
    if !path.exists() {
        return Ok(false);
    }
    match Lock::try_exclusive_in_place(&path) {
        Ok(lock) => Ok(lock.is_none()),
        // Removed meanwhile (a racing rm): no monitor there.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether the domain's QEMU is alive: QEMU locks its pidfile while it runs
/// and removes it when it exits; a pidfile nobody locks is stale.
pub fn qemu_alive(dir: &Path) -> bool {
    let Ok(file) = File::open(dir.join(qemu_files::PIDFILE)) else {
        return false;
    };
    is_write_locked(&file)
}

/// Whether another process holds a POSIX or OFD write lock on `file`.
fn is_write_locked(file: &File) -> bool {
    // F_OFD_GETLK needs a descriptor opened for writing to test a write lock;
    // fall back to the read-only one (which tests read-lock conflicts, still
    // conflicting with QEMU's write lock).
    let rw = OpenOptions::new()
        .read(true)
        .write(true)
        .open(format!("/proc/self/fd/{}", file.as_raw_fd()));
    let fd = rw.as_ref().map_or(file.as_raw_fd(), |f| f.as_raw_fd());
    let lock_type = if rw.is_ok() {
        libc::F_WRLCK
    } else {
        libc::F_RDLCK
    };
    // SAFETY: a zeroed flock is a valid value for the struct.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = lock_type as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = 0;
    fl.l_len = 0;
    // SAFETY: F_OFD_GETLK with a valid descriptor and a valid flock pointer.
    let rc = unsafe { libc::fcntl(fd, libc::F_OFD_GETLK, &mut fl) };
    rc == 0 && fl.l_type != libc::F_UNLCK as libc::c_short
}

/// The resident memory of a process, bytes (`VmRSS` of /proc/PID/status);
/// None when it is gone.
fn resident(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The memory the host spends on a running domain: its QEMU's and its
/// monitor's resident memory, as the monitor recorded their pids (None
/// when QEMU is not there).
pub fn host_memory(rt: &Runtime) -> Option<u64> {
    let qemu = resident(rt.qemu_pid?)?;
    Some(qemu + rt.monitor_pid.and_then(resident).unwrap_or(0))
}

/// A domain's state and the reason for it, from the platform.
pub fn state(dir: &Path) -> Result<(DomainState, Option<String>, Option<Runtime>)> {
    let runtime = Runtime::load(dir)?;
    let Some(rt) = runtime else {
        return Ok((DomainState::Created, None, None));
    };
    let monitor = monitor_alive(dir)?;
    let qemu = qemu_alive(dir);
    // Suspended once QEMU is gone: the monitor records the run's end just
    // after (which would otherwise read as stopped until it exits).
    if !qemu && (!monitor || rt.phase == Phase::Exited) && super::suspend::record(dir).is_some() {
        return Ok((DomainState::Suspended, rt.reason.clone(), Some(rt)));
    }
    let (state, reason) = match (monitor, qemu, rt.phase) {
        (_, _, Phase::Exited) => (DomainState::Stopped, rt.reason.clone()),
        (true, _, Phase::Starting) => (DomainState::Starting, None),
        (true, _, Phase::Running) if paused(dir, rt.run.as_deref()) => {
            (DomainState::Paused, None)
        }
        (true, _, Phase::Running) => (DomainState::Running, None),
        (true, _, Phase::Stopping) => (DomainState::Stopping, None),
        (false, true, _) => (
            DomainState::Running,
            Some("its monitor is not running: exec and attach are unavailable, stop and rm still work".into()),
        ),
        (false, false, _) => (
            DomainState::Stopped,
            Some("the monitor and QEMU ended without recording an exit (were they killed?)".into()),
        ),
    };
    Ok((state, reason, Some(rt)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn host_memory_is_the_recorded_processes_resident_memory() {
        let me = std::process::id();
        let rt = Runtime {
            qemu_pid: Some(me),
            monitor_pid: Some(me),
            ..Default::default()
        };
        let one = resident(me).unwrap();
        assert!(one > 0);
        let both = host_memory(&rt).unwrap();
        // Both "processes" are this one; its RSS moves a little between reads.
        assert!(both >= one && both < 3 * one, "{one} {both}");
        assert_eq!(host_memory(&Runtime::default()), None);
        let gone = Runtime {
            qemu_pid: Some(u32::MAX - 1),
            ..Default::default()
        };
        assert_eq!(host_memory(&gone), None);
    }

    #[test]
    fn never_started_is_created() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(state(dir.path()).unwrap().0, DomainState::Created);
    }

    #[test]
    fn running_needs_a_live_monitor() {
        let dir = tempfile::tempdir().unwrap();
        Runtime {
            phase: Phase::Running,
            ..Default::default()
        }
        .save(dir.path())
        .unwrap();
        // No monitor, no QEMU: the record cannot be believed.
        let (s, reason, _) = state(dir.path()).unwrap();
        assert_eq!(s, DomainState::Stopped);
        assert!(reason.unwrap().contains("without recording"));
        // A live monitor holds its lock.
        let _held = Lock::exclusive(&dir.path().join(files::MONITOR_LOCK)).unwrap();
        assert_eq!(state(dir.path()).unwrap().0, DomainState::Running);
    }

    #[test]
    fn a_saved_run_is_suspended_as_soon_as_its_qemu_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join(super::super::suspend::DIR);
        std::fs::create_dir(&saved).unwrap();
        std::fs::write(
            saved.join(super::super::suspend::RECORD),
            r#"{"started_at":null,"saved_at":"2026-12-06T00:00:00Z"}"#,
        )
        .unwrap();
        // The monitor still runs and has recorded the run's end: the
        // moment between QEMU's exit and the monitor's own.
        let held = Lock::exclusive(&dir.path().join(files::MONITOR_LOCK)).unwrap();
        Runtime {
            phase: Phase::Exited,
            ..Default::default()
        }
        .save(dir.path())
        .unwrap();
        assert_eq!(state(dir.path()).unwrap().0, DomainState::Suspended);
        // Before it recorded the end, the run reads as running still.
        Runtime {
            phase: Phase::Running,
            ..Default::default()
        }
        .save(dir.path())
        .unwrap();
        assert_eq!(state(dir.path()).unwrap().0, DomainState::Running);
        drop(held);
        assert_eq!(state(dir.path()).unwrap().0, DomainState::Suspended);
    }

    #[test]
    fn a_locked_pidfile_means_qemu_lives() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join(qemu_files::PIDFILE);
        let mut f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&pidfile)
            .unwrap();
        writeln!(f, "{}", std::process::id()).unwrap();
        assert!(!qemu_alive(dir.path()), "an unlocked pidfile is stale");
        // Lock it the way QEMU does (an OFD write lock).
        // SAFETY: a zeroed flock is valid.
        let mut fl: libc::flock = unsafe { std::mem::zeroed() };
        fl.l_type = libc::F_WRLCK as libc::c_short;
        fl.l_whence = libc::SEEK_SET as libc::c_short;
        // SAFETY: valid descriptor and pointer.
        let rc = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_OFD_SETLK, &mut fl) };
        assert_eq!(rc, 0);
        assert!(qemu_alive(dir.path()));
        Runtime {
            phase: Phase::Running,
            ..Default::default()
        }
        .save(dir.path())
        .unwrap();
        let (s, reason, _) = state(dir.path()).unwrap();
        assert_eq!(s, DomainState::Running);
        assert!(reason.unwrap().contains("monitor is not running"));
        drop(f);
        assert!(!qemu_alive(dir.path()));
    }
}
