//! Waiting on directories (inotify): a loop that polls a domain's files
//! for a state its monitor writes sleeps until something in the watched
//! directories changes, at most as long as it would have slept, so it
//! sees the change at once instead of up to a poll period late. Without
//! inotify (or past its limits) a wait is the plain sleep it replaces.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

/// What wakes a wait: a file made, written, renamed in or out, or
/// removed, and the watched directory itself going.
const EVENTS: u32 = libc::IN_CREATE
    | libc::IN_CLOSE_WRITE
    | libc::IN_MOVED_TO
    | libc::IN_MOVED_FROM
    | libc::IN_DELETE
    | libc::IN_DELETE_SELF;

/// A watch on some directories.
#[derive(Debug)]
pub struct DirWatch {
    fd: Option<OwnedFd>,
}

impl DirWatch {
    /// Watch `dirs` (those that exist). Never fails: without a watch,
    /// [`wait`](Self::wait) sleeps.
    pub fn new(dirs: &[&Path]) -> DirWatch {
        // SAFETY: inotify_init1(2); the descriptor is owned right away.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return DirWatch { fd: None };
        }
        // SAFETY: a fresh descriptor.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let mut watching = false;
        for dir in dirs {
            let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
                continue;
            };
            // SAFETY: a valid descriptor and C string.
            watching |=
                unsafe { libc::inotify_add_watch(fd.as_raw_fd(), path.as_ptr(), EVENTS) } >= 0;
        }
        DirWatch {
            fd: watching.then_some(fd),
        }
    }

    /// Return when something changed in the watched directories since
    /// the last wait, or after `max`.
    pub fn wait(&self, max: Duration) {
        let Some(fd) = &self.fd else {
            std::thread::sleep(max);
            return;
        };
        let mut p = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(max.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: poll(2) on one valid pollfd.
        let ready = unsafe { libc::poll(&mut p, 1, ms) };
        if ready > 0 {
            self.drain(fd);
        }
    }

    /// Read every queued event (their content does not matter: the caller
    /// looks at the files again).
    fn drain(&self, fd: &OwnedFd) {
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: read(2) into a buffer of that length, on a
            // non-blocking descriptor.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_change_ends_the_wait_and_nothing_lets_it_run_out() {
        let dir = tempfile::tempdir().unwrap();
        let w = DirWatch::new(&[dir.path()]);
        assert!(w.fd.is_some(), "inotify works here");
        // Nothing changes: the whole wait.
        let t = Instant::now();
        w.wait(Duration::from_millis(100));
        assert!(t.elapsed() >= Duration::from_millis(100));
        // A file renamed in, from another thread a moment later: the wait
        // ends well before its 30 s.
        let path = dir.path().to_path_buf();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            std::fs::write(path.join(".x.tmp"), b"1").unwrap();
            std::fs::rename(path.join(".x.tmp"), path.join("x")).unwrap();
        });
        let t = Instant::now();
        w.wait(Duration::from_secs(30));
        assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
        writer.join().unwrap();
        // The events were read: the next wait is quiet again.
        w.wait(Duration::from_millis(10));
        let t = Instant::now();
        w.wait(Duration::from_millis(100));
        assert!(t.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn without_a_directory_a_wait_is_a_sleep() {
        let w = DirWatch::new(&[Path::new("/nonexistent/vicport-watch")]);
        assert!(w.fd.is_none());
        let t = Instant::now();
        w.wait(Duration::from_millis(50));
        assert!(t.elapsed() >= Duration::from_millis(50));
    }
}
