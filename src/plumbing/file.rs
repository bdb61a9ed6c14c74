//! Files that must never be seen half-written or lose a concurrent update:
//! atomic replace (temp file, fsync, rename) and advisory locks (flock).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::plumbing::error::{Error, IoContext, Result};

/// An exclusive advisory lock on a file, released on drop.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Take an exclusive lock on `path` (created with mode 0600 if missing),
    /// waiting for other holders.
    pub fn exclusive(path: &Path) -> Result<Lock> {
        Self::take(path, libc::LOCK_EX)
    }

    /// Take an exclusive lock without waiting: `Ok(None)` when another
    /// process holds it.
    pub fn try_exclusive(path: &Path) -> Result<Option<Lock>> {
        held_elsewhere(Self::take(path, libc::LOCK_EX | libc::LOCK_NB))
    }

    /// [`Lock::exclusive`] on a lock file in a directory that must exist
    /// already: never creates it (a domain's directory that a racing `rm`
    /// renamed away must not come back empty). A missing directory fails
    /// with `NotFound` as the I/O error's kind.
    pub fn exclusive_in_place(path: &Path) -> Result<Lock> {
        Self::take_in_place(path, libc::LOCK_EX)
    }

    /// [`Lock::try_exclusive`] without creating the directory (see
    /// [`Lock::exclusive_in_place`]).
    pub fn try_exclusive_in_place(path: &Path) -> Result<Option<Lock>> {
        held_elsewhere(Self::take_in_place(path, libc::LOCK_EX | libc::LOCK_NB))
    }

    fn take(path: &Path, op: libc::c_int) -> Result<Lock> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        Self::take_in_place(path, op)
    }

    fn take_in_place(path: &Path, op: libc::c_int) -> Result<Lock> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .io_context(|| format!("opening lock file {}", path.display()))?;
        loop {
            // SAFETY: flock on a valid, owned file descriptor.
            let rc = unsafe { libc::flock(file.as_raw_fd(), op) };
            if rc == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(Error::io(format!("locking {}", path.display()), err));
        }
        Ok(Lock {
            file,
            path: path.to_path_buf(),
        })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The locked file (some callers keep data in it).
    pub fn file(&self) -> &File {
        &self.file
    }
}

/// A non-blocking attempt's answer: `None` when another holder has it.
fn held_elsewhere(attempt: Result<Lock>) -> Result<Option<Lock>> {
    match attempt {
        Ok(lock) => Ok(Some(lock)),
        Err(Error::Io { source, .. }) if source.raw_os_error() == Some(libc::EWOULDBLOCK) => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The names of the entries of `dir`, sorted; none when it does not exist
/// (a store that was never written to). Names that are not UTF-8 are not
/// vicport's and are skipped.
pub fn entry_names(dir: &Path) -> Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.io_context(|| format!("reading {}", dir.display()))?;
        if let Ok(name) = entry.file_name().into_string() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Create `dir` and its parents with mode 0700 (existing ones keep theirs).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .io_context(|| format!("creating directory {}", dir.display()))
}

/// Remove the file at `path`; one that is not there is fine.
pub fn remove_file_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(format!("removing {}", path.display()), e)),
    }
}

/// Replace `path` with `contents` atomically: a reader sees the old file or
/// the new one, never a mix, and a crash leaves the old one. The new file has
/// `mode`.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    write_atomic_in_place(path, contents, mode)
}

/// [`write_atomic`] into a directory that must exist already: never
/// creates it, so a write that loses a race with the directory's removal
/// fails (`NotFound`) instead of bringing it back.
pub fn write_atomic_in_place(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut nonce = [0u8; 6];
    getrandom::fill(&mut nonce).expect("the OS random source is available");
    let tmp = dir.join(format!(".{name}.tmp.{}", hex::encode(nonce)));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)
            .io_context(|| format!("creating {}", tmp.display()))?;
        // The umask may have narrowed the mode; set it exactly.
        f.set_permissions(fs::Permissions::from_mode(mode))
            .io_context(|| format!("setting the mode of {}", tmp.display()))?;
        f.write_all(contents)
            .io_context(|| format!("writing {}", tmp.display()))?;
        f.sync_all()
            .io_context(|| format!("syncing {}", tmp.display()))?;
        fs::rename(&tmp, path).io_context(|| format!("replacing {}", path.display()))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_sets_mode_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        write_atomic(&path, b"one", 0o600).unwrap();
        write_atomic(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        // No temp files left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
    }

    #[test]
    fn try_lock_sees_a_held_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = Lock::exclusive(&path).unwrap();
        // flock locks belong to the open file description, so a second open in
        // the same process contends like another process would.
        assert!(Lock::try_exclusive(&path).unwrap().is_none());
        drop(held);
        assert!(Lock::try_exclusive(&path).unwrap().is_some());
    }

    #[test]
    fn an_in_place_lock_never_makes_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("removed-domain");
        let path = gone.join("lock");
        for result in [
            Lock::exclusive_in_place(&path).map(Some),
            Lock::try_exclusive_in_place(&path),
        ] {
            match result {
                Err(Error::Io { source, .. }) => {
                    assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(!gone.exists(), "the directory did not come back");
        fs::create_dir(&gone).unwrap();
        let held = Lock::exclusive_in_place(&path).unwrap();
        assert!(Lock::try_exclusive_in_place(&path).unwrap().is_none());
        drop(held);
    }
}
