//! The content-addressed cache of boot images: `<cache>/boot/<key>/`, where
//! the key is the sha256 of the build's inputs. A build happens in a
//! `.tmp-*` sibling that is renamed into place when complete, so a directory
//! named by a key is always a finished image.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::error::{BootstrapError, BuildResult};

const TMP_PREFIX: &str = ".tmp-";

/// A scratch directory removed on drop unless it was published.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    /// `<parent>/.tmp-<label>-<pid>-<n>`: the pid lets a later build tell
    /// an abandoned directory from one in progress.
    pub fn new(parent: &Path, label: &str) -> BuildResult<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        std::fs::create_dir_all(parent)
            .map_err(|e| BootstrapError::io(format!("creating {}", parent.display()), e))?;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!("{TMP_PREFIX}{label}-{}-{n}", std::process::id()));
        std::fs::create_dir(&path)
            .map_err(|e| BootstrapError::io(format!("creating {}", path.display()), e))?;
        Ok(TempDir { path, keep: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rename the directory to `target` (same filesystem). `Ok(false)` when
    /// another build published `target` first; this directory is then removed.
    pub fn publish(mut self, target: &Path) -> BuildResult<bool> {
        sync_dir(&self.path)?;
        match std::fs::rename(&self.path, target) {
            Ok(()) => {
                self.keep = true;
                if let Some(parent) = target.parent() {
                    sync_dir(parent)?;
                }
                Ok(true)
            }
            Err(_) if target.is_dir() => Ok(false),
            Err(e) => Err(BootstrapError::io(
                format!("renaming {} to {}", self.path.display(), target.display()),
                e,
            )),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Flush a directory's entries to disk, so a rename that follows is not
/// reordered before the files' contents by a crash.
pub fn sync_dir(dir: &Path) -> BuildResult<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| BootstrapError::io(format!("syncing {}", dir.display()), e))
}

/// Remove `.tmp-*` directories left by builds whose process is gone (an
/// interrupted build never looks complete, but it should not pile up).
pub fn remove_abandoned(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TMP_PREFIX) else {
            continue;
        };
        // `<label>-<pid>-<n>`: the pid is the second field from the end.
        let pid = rest.rsplit('-').nth(1).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// sha256 of bytes, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The cache key of a set of inputs: sha256 of their canonical JSON (serde
/// writes struct fields in declaration order, so the same inputs always
/// serialize to the same bytes).
pub fn key_of<T: serde::Serialize>(inputs: &T) -> String {
    sha256(&serde_json::to_vec(inputs).expect("inputs serialize"))
}

/// Write `bytes` to `path` and flush them to disk.
pub fn write_synced(path: &Path, bytes: &[u8]) -> BuildResult<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)
        .map_err(|e| BootstrapError::io(format!("creating {}", path.display()), e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| BootstrapError::io(format!("writing {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpublished_scratch_is_removed_and_published_is_kept() {
        let root = tempfile::tempdir().unwrap();
        let scratch = TempDir::new(root.path(), "k").unwrap();
        let path = scratch.path().to_path_buf();
        std::fs::write(path.join("f"), b"x").unwrap();
        drop(scratch);
        assert!(!path.exists());

        let scratch = TempDir::new(root.path(), "k").unwrap();
        std::fs::write(scratch.path().join("f"), b"x").unwrap();
        let target = root.path().join("key");
        assert!(scratch.publish(&target).unwrap());
        assert_eq!(std::fs::read(target.join("f")).unwrap(), b"x");

        // A second publisher of the same key loses quietly and cleans up.
        let late = TempDir::new(root.path(), "k").unwrap();
        std::fs::write(late.path().join("f"), b"y").unwrap();
        let late_path = late.path().to_path_buf();
        assert!(!late.publish(&target).unwrap());
        assert!(!late_path.exists());
        assert_eq!(std::fs::read(target.join("f")).unwrap(), b"x");
    }

    #[test]
    fn abandoned_scratch_of_dead_processes_is_removed() {
        let root = tempfile::tempdir().unwrap();
        // pid 4194304 is above the kernel's pid_max limit: never alive.
        let dead = root.path().join(".tmp-abc-4194304-0");
        std::fs::create_dir(&dead).unwrap();
        let live = TempDir::new(root.path(), "abc").unwrap();
        let done = root.path().join("0123");
        std::fs::create_dir(&done).unwrap();
        remove_abandoned(root.path());
        assert!(!dead.exists());
        assert!(live.path().exists());
        assert!(done.exists());
    }

    #[test]
    fn keys_depend_on_every_field() {
        #[derive(serde::Serialize)]
        struct Inputs<'a> {
            a: &'a str,
            b: u64,
        }
        let one = key_of(&Inputs { a: "x", b: 1 });
        assert_eq!(one, key_of(&Inputs { a: "x", b: 1 }));
        assert_ne!(one, key_of(&Inputs { a: "x", b: 2 }));
        assert_ne!(one, key_of(&Inputs { a: "y", b: 1 }));
        assert_eq!(one.len(), 64);
    }
}
