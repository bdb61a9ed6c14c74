//! Unix sockets at paths of any length: a socket address holds at most 107
//! bytes, and state directories can be deeper than that, so long paths are
//! reached through `/proc/self/fd/<dir>/<name>` of an open directory.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use crate::plumbing::error::{Error, Result};

/// The longest path a `sockaddr_un` takes, leaving room for the NUL.
const MAX_SUN_PATH: usize = 107;

/// Run `f` with a path to `path` that fits a socket address.
fn with_short_path<T>(
    path: &Path,
    f: impl FnOnce(&Path) -> std::io::Result<T>,
) -> std::io::Result<T> {
    if path.as_os_str().len() <= MAX_SUN_PATH {
        return f(path);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default();
    let handle = File::open(dir)?;
    let short: PathBuf = Path::new("/proc/self/fd")
        .join(handle.as_raw_fd().to_string())
        .join(name);
    let result = f(&short);
    drop(handle);
    result
}

/// Connect to the unix socket at `path`.
pub fn connect(path: &Path) -> Result<UnixStream> {
    with_short_path(path, |p| UnixStream::connect(p))
        .map_err(|e| Error::io(format!("connecting to {}", path.display()), e))
}

/// Connect, keeping the raw I/O error (callers retry on some kinds).
pub fn try_connect(path: &Path) -> std::io::Result<UnixStream> {
    with_short_path(path, |p| UnixStream::connect(p))
}

/// Listen on a unix socket at `path`, replacing a stale socket file.
pub fn bind(path: &Path) -> Result<UnixListener> {
    let _ = std::fs::remove_file(path);
    with_short_path(path, |p| UnixListener::bind(p))
        .map_err(|e| Error::io(format!("listening on {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn long_paths_work_for_bind_and_connect() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a".repeat(60)).join("b".repeat(60));
        std::fs::create_dir_all(&deep).unwrap();
        let path = deep.join("monitor.sock");
        assert!(path.as_os_str().len() > MAX_SUN_PATH);
        let listener = bind(&path).unwrap();
        let t = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.write_all(b"hi").unwrap();
        });
        let mut c = connect(&path).unwrap();
        let mut buf = [0u8; 2];
        c.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hi");
        t.join().unwrap();
    }
}
