//! Local volumes: one disk image per volume, a sparse file that is blank
//! until the tether formats it ext4 at its first read-write mount (as on
//! every platform), with a JSON record in `<state>/volumes/<name>/`. A
//! volume appears by rename only when complete.
//!
//! The disk lives next to its record (`disk.ext4`), or in the directory given
//! as its store (`<store>/<name>-<id8>.ext4`, the store recorded). Domains
//! find a volume in the guest by its virtio-blk serial, `vol-<id>`, which
//! is unique per volume and fits virtio's 20 bytes.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, write_atomic};
use crate::plumbing::name;
use crate::plumbing::spec::{PlatformRef, VolumeInfo, VolumeSpec, now, random_hex};

/// The smallest volume: below this mkfs.ext4 (in the guest) makes no
/// journal, or nothing.
pub const MIN_VOLUME_SIZE: u64 = 16 << 20;

/// How the local platform represents a volume (`volume inspect`'s backing).
pub const BACKING: &str = "ext4-image";

/// File names inside a volume's record directory.
pub mod files {
    /// The record (JSON).
    pub const RECORD: &str = "volume.json";
    /// The disk image when the volume lives in the default store.
    pub const DISK: &str = "disk.ext4";
    /// Held by the process creating a volume, for its whole staging life.
    pub const STAGING_LOCK: &str = "creating.lock";
}

/// What a local volume is, as written by `volume create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeRecord {
    pub name: String,
    /// 16 random hex digits: the serial suffix and the disk file's tag.
    pub id: String,
    pub size_bytes: u64,
    pub labels: BTreeMap<String, String>,
    /// The store directory given at creation (absolute); `None` for the
    /// default store, `<state>/volumes`.
    pub store: Option<PathBuf>,
    /// The disk image: relative to the record's directory in the default
    /// store, else absolute.
    pub disk: PathBuf,
    /// RFC 3339 creation time.
    pub created: String,
}

impl VolumeRecord {
    /// The virtio-blk serial the tether finds the volume by (20 bytes).
    pub fn serial(&self) -> String {
        format!("vol-{}", self.id)
    }
}

/// The volumes of one state directory.
#[derive(Debug, Clone)]
pub struct VolumeStore {
    root: PathBuf,
}

impl VolumeStore {
    /// The store under `<state>/volumes`.
    pub fn new(state: &Path) -> Self {
        VolumeStore {
            root: state.join("volumes"),
        }
    }

    /// The default store directory.
    pub fn default_store(&self) -> &Path {
        &self.root
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn lock_path(&self) -> PathBuf {
        self.root.join(".lock")
    }

    /// The store's lock, held for the moments that decide what exists:
    /// publishing a new volume, removing one.
    fn store_lock(&self) -> Result<Lock> {
        Lock::exclusive(&self.lock_path())
    }

    /// A shared hold on the store, taken by a domain start from checking
    /// its volumes until QEMU holds them: a volume is never removed from
    /// under a starting domain.
    pub fn hold(&self) -> Result<SharedHold> {
        SharedHold::take(&self.lock_path())
    }

    /// The absolute path of a volume's disk.
    pub fn disk_path(&self, record: &VolumeRecord) -> PathBuf {
        if record.disk.is_absolute() {
            record.disk.clone()
        } else {
            self.dir(&record.name).join(&record.disk)
        }
    }

    /// The store a volume lives in, for display.
    pub fn store_of(&self, record: &VolumeRecord) -> PathBuf {
        record.store.clone().unwrap_or_else(|| self.root.clone())
    }

    /// Create a volume: every check first (name, size, store, free space,
    /// name in use), then the disk in staging, then one rename under the
    /// store lock. A killed create leaves only staging, which `sweep`
    /// removes; nothing half-made is ever listed.
    pub fn create(&self, spec: &VolumeSpec) -> Result<VolumeRecord> {
        name::validate("volume", &spec.name)?;
        if spec.size_bytes == 0 {
            return Err(Error::invalid(format!(
                "volume {:?}: a size of 0 is not a volume",
                spec.name
            ))
            .with_hint("give --size, e.g. --size 1GiB"));
        }
        if spec.size_bytes < MIN_VOLUME_SIZE {
            return Err(Error::invalid(format!(
                "volume {:?}: {} bytes is too small for an ext4 volume",
                spec.name, spec.size_bytes
            ))
            .with_hint("give at least --size 16MiB"));
        }
        let store = match &spec.store {
            None => None,
            Some(s) => Some(check_store(s)?),
        };
        self.sweep();
        if self.dir(&spec.name).exists() {
            return Err(in_use_name(&spec.name));
        }
        let store_dir = store.clone().unwrap_or_else(|| self.root.clone());
        create_private_dir(&self.root)?;
        let free = free_bytes(&store_dir)?;
        if spec.size_bytes > free {
            return Err(Error::invalid(format!(
                "volume {:?}: {} bytes is more than the {} bytes free in store {}",
                spec.name,
                spec.size_bytes,
                free,
                store_dir.display()
            ))
            .with_hint("give a smaller --size, or another --store"));
        }

        let id = random_hex(8);
        let staging = self.root.join(format!(".new-{}-{id}", spec.name));
        create_private_dir(&staging)?;
        // Held while this process stages: `sweep` never takes a live
        // create's staging away.
        let staging_lock = Lock::exclusive(&staging.join(files::STAGING_LOCK))?;
        let (disk, record_disk) = match &store {
            None => (staging.join(files::DISK), PathBuf::from(files::DISK)),
            Some(dir) => {
                let path = dir.join(format!("{}-{}.ext4", spec.name, &id[..8]));
                (path.clone(), path)
            }
        };
        let record = VolumeRecord {
            name: spec.name.clone(),
            id,
            size_bytes: spec.size_bytes,
            labels: spec.labels.clone(),
            store,
            disk: record_disk,
            created: now(),
        };
        let result = (|| {
            // The record goes first, so that `sweep` knows which disk a
            // dead create left in an outside store.
            write_record(&staging, &record)?;
            make_blank(&disk, spec.size_bytes)?;
            let _lock = self.store_lock()?;
            let dir = self.dir(&spec.name);
            if dir.exists() {
                return Err(in_use_name(&spec.name));
            }
            fs::remove_file(staging.join(files::STAGING_LOCK))
                .io_context(|| format!("cleaning {}", staging.display()))?;
            fs::rename(&staging, &dir).io_context(|| format!("creating {}", dir.display()))?;
            sync_dir(&self.root);
            Ok(())
        })();
        drop(staging_lock);
        if let Err(e) = result {
            if record.disk.is_absolute() {
                let _ = fs::remove_file(&disk);
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        Ok(record)
    }

    /// Every volume, by name.
    pub fn list(&self) -> Result<Vec<VolumeRecord>> {
        let mut out = Vec::new();
        for name in crate::plumbing::file::entry_names(&self.root)? {
            if name.starts_with('.') || name::validate("volume", &name).is_err() {
                continue;
            }
            match self.load(&name) {
                Ok(r) => out.push(r),
                Err(e) => tracing::debug!("skipping volume {name}: {e}"),
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// One volume (exit 3 when there is none of that name).
    pub fn load(&self, name: &str) -> Result<VolumeRecord> {
        let not_found =
            || Error::not_found("volume", name).with_hint("list volumes with `vicport volume ls`");
        if name::validate("volume", name).is_err() {
            return Err(not_found());
        }
        let path = self.dir(name).join(files::RECORD);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::other(format!(
                "the volume record {} is damaged: {e}",
                path.display()
            ))
        })
    }

    /// Remove a volume: `check` decides under the store lock (no volume
    /// is published or joined by a starting domain meanwhile) whether it
    /// may go; then the record vanishes by rename and the disk is deleted.
    pub fn remove(
        &self,
        name: &str,
        check: impl FnOnce(&VolumeRecord) -> Result<()>,
    ) -> Result<()> {
        let _lock = self.store_lock()?;
        let record = self.load(name)?;
        check(&record)?;
        let disk = self.disk_path(&record);
        if disk_in_use(&disk) {
            return Err(Error::invalid_state(format!(
                "volume {name:?} is open in a running QEMU ({})",
                disk.display()
            ))
            .with_hint("stop the domain that uses it first"));
        }
        let doomed = self.root.join(format!(".rm-{name}-{}", random_hex(4)));
        fs::rename(self.dir(name), &doomed).io_context(|| format!("removing volume {name:?}"))?;
        sync_dir(&self.root);
        if record.disk.is_absolute() {
            match fs::remove_file(&disk) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!("volume {name}: cannot delete {}: {e}", disk.display()),
            }
        }
        fs::remove_dir_all(&doomed).io_context(|| format!("removing {}", doomed.display()))
    }

    /// Clean up what killed processes left: removals half done, and
    /// staging areas whose creator is gone (with their outside disks).
    pub fn sweep(&self) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with(".rm-") {
                let _ = fs::remove_dir_all(&path);
            } else if name.starts_with(".new-") {
                let lock = path.join(files::STAGING_LOCK);
                let abandoned = match Lock::try_exclusive(&lock) {
                    Ok(Some(_held)) => true,
                    Ok(None) => false,
                    Err(_) => false,
                };
                if abandoned {
                    if let Ok(bytes) = fs::read(path.join(files::RECORD)) {
                        if let Ok(r) = serde_json::from_slice::<VolumeRecord>(&bytes) {
                            if r.disk.is_absolute() {
                                let _ = fs::remove_file(&r.disk);
                            }
                        }
                    }
                    let _ = fs::remove_dir_all(&path);
                }
            }
        }
    }

    /// What `volume inspect` shows, with the domains that join it.
    pub fn info(&self, record: &VolumeRecord, used_by: Vec<String>) -> VolumeInfo {
        VolumeInfo {
            name: record.name.clone(),
            size_bytes: record.size_bytes,
            store: self.store_of(record).display().to_string(),
            backing: BACKING.into(),
            labels: record.labels.clone(),
            created: record.created.clone(),
            used_by,
            platform_ref: PlatformRef {
                platform: "local".into(),
                id: record.serial(),
                path: self.disk_path(record).display().to_string(),
            },
        }
    }
}

fn in_use_name(name: &str) -> Error {
    Error::taken(format!("a volume named {name:?} already exists"))
        .with_hint("choose another name, or remove that volume first")
}

/// A store must be an existing directory; it is recorded as an absolute path.
fn check_store(store: &str) -> Result<PathBuf> {
    let path = Path::new(store);
    let meta = fs::metadata(path).map_err(|e| {
        Error::invalid(format!("volume store {store:?} cannot be used: {e}"))
            .with_hint("give an existing directory with --store")
    })?;
    if !meta.is_dir() {
        return Err(
            Error::invalid(format!("volume store {store:?} is not a directory"))
                .with_hint("give an existing directory with --store"),
        );
    }
    fs::canonicalize(path).io_context(|| format!("resolving volume store {store:?}"))
}

/// Bytes an unprivileged writer can still use on the file system of `dir`.
fn free_bytes(dir: &Path) -> Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| Error::invalid(format!("{} contains a NUL byte", dir.display())))?;
    // SAFETY: a zeroed statvfs is a valid value for the struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: statvfs with a NUL-terminated path and a valid out pointer.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if rc != 0 {
        return Err(Error::io(
            format!("reading the free space of {}", dir.display()),
            std::io::Error::last_os_error(),
        ));
    }
    Ok((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

/// A sparse file of `size` bytes, all zeros: a blank disk, which the
/// tether formats ext4 (labelled with the volume's name) when a domain
/// first mounts it read-write.
fn make_blank(path: &Path, size: u64) -> Result<()> {
    let file = File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .io_context(|| format!("creating {}", path.display()))?;
    file.set_len(size)
        .io_context(|| format!("sizing {}", path.display()))?;
    file.sync_all()
        .io_context(|| format!("syncing {}", path.display()))
}

fn write_record(dir: &Path, record: &VolumeRecord) -> Result<()> {
    let text = serde_json::to_vec_pretty(record).expect("a volume record serializes");
    write_atomic(&dir.join(files::RECORD), &text, 0o600)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Whether a QEMU holds `disk` open: QEMU takes byte-range locks (OFD) on
/// every image it opens, read-only or not, so any lock means in use.
pub fn disk_in_use(disk: &Path) -> bool {
    let Ok(file) = File::options().read(true).write(true).open(disk) else {
        return false;
    };
    // SAFETY: a zeroed flock is a valid value for the struct.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    // SAFETY: F_OFD_GETLK with a valid descriptor and a valid flock pointer.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_OFD_GETLK, &mut fl) };
    rc == 0 && fl.l_type != libc::F_UNLCK as libc::c_short
}

/// A shared advisory lock (flock `LOCK_SH`), released on drop.
#[derive(Debug)]
pub struct SharedHold {
    _file: File,
}

impl SharedHold {
    fn take(path: &Path) -> Result<SharedHold> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .io_context(|| format!("opening lock file {}", path.display()))?;
        loop {
            // SAFETY: flock on a valid, owned file descriptor.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH) };
            if rc == 0 {
                return Ok(SharedHold { _file: file });
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(Error::io(format!("locking {}", path.display()), err));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    fn spec(name: &str, size: u64) -> VolumeSpec {
        VolumeSpec {
            name: name.into(),
            size_bytes: size,
            labels: [("tier".to_string(), "db".to_string())].into(),
            store: None,
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn creates_a_blank_image_lists_and_removes_it() {
        let state = tempfile::tempdir().unwrap();
        let store = VolumeStore::new(state.path());
        let r = store.create(&spec("data", 32 << 20)).unwrap();
        assert_eq!(r.serial().len(), 20);
        let disk = store.disk_path(&r);
        assert_eq!(disk, state.path().join("volumes/data/disk.ext4"));
        let bytes = fs::read(&disk).unwrap();
        assert_eq!(bytes.len() as u64, 32 << 20);
        // Blank where the tether looks for a file system's signatures:
        // formatted at the first read-write mount.
        assert!(bytes[..1 << 20].iter().all(|&b| b == 0));
        assert_eq!(store.list().unwrap(), vec![r.clone()]);
        assert_eq!(
            store.create(&spec("data", 32 << 20)).unwrap_err().kind(),
            ErrorKind::Taken
        );
        store.remove("data", |_| Ok(())).unwrap();
        assert!(store.list().unwrap().is_empty());
        assert_eq!(names(&state.path().join("volumes")), [".lock"]);
        assert_eq!(store.load("data").unwrap_err().kind(), ErrorKind::NotFound);
    }

    #[test]
    fn bad_requests_make_nothing() {
        let state = tempfile::tempdir().unwrap();
        let store = VolumeStore::new(state.path());
        let file = state.path().join("plain-file");
        fs::write(&file, b"x").unwrap();
        let mut in_file = spec("a", 32 << 20);
        in_file.store = Some(file.display().to_string());
        let mut missing = spec("a", 32 << 20);
        missing.store = Some(state.path().join("nope").display().to_string());
        for (s, kind) in [
            (spec("a", 0), ErrorKind::InvalidArgument),
            (spec("a", 4096), ErrorKind::InvalidArgument),
            (spec("a", u64::MAX / 2), ErrorKind::InvalidArgument),
            (spec("a/b", 32 << 20), ErrorKind::InvalidArgument),
            (spec("..", 32 << 20), ErrorKind::InvalidArgument),
            (spec(&"a".repeat(64), 32 << 20), ErrorKind::InvalidArgument),
            (in_file, ErrorKind::InvalidArgument),
            (missing, ErrorKind::InvalidArgument),
        ] {
            assert_eq!(store.create(&s).unwrap_err().kind(), kind, "{s:?}");
        }
        let left = names(&state.path().join("volumes"));
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn an_outside_store_holds_the_disk_and_is_recorded() {
        let state = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let store = VolumeStore::new(state.path());
        let mut s = spec("logs", 16 << 20);
        s.store = Some(outside.path().display().to_string());
        let r = store.create(&s).unwrap();
        let disk = store.disk_path(&r);
        assert!(disk.starts_with(fs::canonicalize(outside.path()).unwrap()));
        assert!(disk.is_file());
        assert_eq!(
            store.info(&r, vec![]).store,
            fs::canonicalize(outside.path())
                .unwrap()
                .display()
                .to_string()
        );
        store.remove("logs", |_| Ok(())).unwrap();
        assert!(!disk.exists());
        assert!(names(outside.path()).is_empty());
    }

    #[test]
    fn a_dead_create_is_swept_with_its_outside_disk() {
        let state = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let store = VolumeStore::new(state.path());
        let staging = state.path().join("volumes/.new-x-0123456789abcdef");
        fs::create_dir_all(&staging).unwrap();
        let disk = outside.path().join("x-01234567.ext4");
        fs::write(&disk, b"half").unwrap();
        let r = VolumeRecord {
            name: "x".into(),
            id: "0123456789abcdef".into(),
            size_bytes: 1,
            labels: BTreeMap::new(),
            store: Some(outside.path().into()),
            disk: disk.clone(),
            created: now(),
        };
        write_record(&staging, &r).unwrap();
        // A live creator holds its staging lock: left alone.
        let held = Lock::exclusive(&staging.join(files::STAGING_LOCK)).unwrap();
        store.sweep();
        assert!(staging.exists() && disk.exists());
        assert!(store.list().unwrap().is_empty(), "staging is never listed");
        drop(held);
        store.sweep();
        assert!(!staging.exists() && !disk.exists());
    }

    #[test]
    fn remove_asks_the_check_under_the_lock() {
        let state = tempfile::tempdir().unwrap();
        let store = VolumeStore::new(state.path());
        store.create(&spec("data", 16 << 20)).unwrap();
        let e = store
            .remove("data", |_| Err(Error::conflict("used by web")))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert!(store.load("data").is_ok());
    }
}
