//! The blob cache's collector: the blobs, image records and leftovers that
//! no image stored on this host needs any more.
//!
//! The cache is shared by every image store on the host (each local
//! target's, and the store vSphere images are built in), so what is live
//! is marked from all of them: every store that ever wrote into the cache
//! registers itself under `blobs/stores/`, and the caller adds the stores
//! it knows of (for ones that wrote before stores registered). An image
//! held by any of them keeps its record, its manifest and every blob the
//! manifest names; everything else goes.
//!
//! Pulls, imports and pushes hold `blobs/lock` shared while they write or
//! read blobs that no store records yet; the collector takes it
//! exclusively, so it never removes a blob an operation in flight is
//! about to record. Interrupted writers' leftovers (`tmp/`, `views/`) go
//! too: with the lock held exclusively, nobody is writing them.
//!
//! A registration also remembers the images its store held when last
//! seen (each collection rewrites it; an import adds its image). A store
//! whose directory is missing — on a disk that is not mounted, say —
//! keeps the blobs of those images, and the collection names it: its
//! registration goes only by hand (the store removed for good), never by
//! a collection that cannot see it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use serde::Serialize;

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, entry_names, write_atomic};

use super::ImageStore;
use super::blobs::BlobCache;
use super::digest::Digest;
use super::manifest::{self, ImageManifest, parse_json};

/// A lock on the blob cache, released when dropped.
#[derive(Debug)]
pub struct CacheLock {
    _file: File,
}

/// What a collection removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Collected {
    /// Blobs removed.
    pub blobs: usize,
    /// Their bytes, with the leftovers'.
    pub bytes: u64,
    /// Image records removed (images no store holds any more).
    pub records: usize,
    /// Registered stores whose directory is missing, whose images' blobs
    /// were kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_stores: Vec<MissingStore>,
}

/// A registered image store that a collection could not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingStore {
    /// Where it was.
    pub path: String,
    /// The images it held when last seen, whose blobs stay.
    pub images: usize,
    /// Its registration: removing it lets those blobs go.
    pub registration: String,
}

/// One registration: a store and the images it held when last seen.
struct Registration {
    entry: PathBuf,
    store: PathBuf,
    ids: BTreeSet<String>,
}

impl Registration {
    fn text(store: &Path, ids: &BTreeSet<String>) -> String {
        let mut text = store.to_string_lossy().into_owned();
        for id in ids {
            text.push('\n');
            text.push_str(id);
        }
        text
    }
}

impl BlobCache {
    fn lock_file(&self) -> Result<File> {
        create_private_dir(&self.root)?;
        let path = self.root.join("lock");
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .io_context(|| format!("opening {}", path.display()))
    }

    /// Hold the cache against a collection while blobs are written or read
    /// that no store records yet (a pull, an import, a push).
    pub fn lock_shared(&self) -> Result<CacheLock> {
        let file = self.lock_file()?;
        rustix::io::retry_on_intr(|| flock(&file, FlockOperation::LockShared)).map_err(|e| {
            Error::io(
                format!("locking {}", self.root.join("lock").display()),
                e.into(),
            )
        })?;
        Ok(CacheLock { _file: file })
    }

    /// The exclusive lock: waiting for pulls and imports in flight when
    /// `wait`, else `None` while one holds the cache.
    fn lock_exclusive(&self, wait: bool) -> Result<Option<CacheLock>> {
        let file = self.lock_file()?;
        let op = if wait {
            FlockOperation::LockExclusive
        } else {
            FlockOperation::NonBlockingLockExclusive
        };
        match rustix::io::retry_on_intr(|| flock(&file, op)) {
            Ok(()) => Ok(Some(CacheLock { _file: file })),
            Err(rustix::io::Errno::WOULDBLOCK) if !wait => Ok(None),
            Err(e) => Err(Error::io(
                format!("locking {}", self.root.join("lock").display()),
                e.into(),
            )),
        }
    }

    fn stores_dir(&self) -> PathBuf {
        self.root.join("stores")
    }

    /// The store at `store` made absolute, and its registration entry.
    fn entry_of(&self, store: &Path) -> Result<(PathBuf, PathBuf)> {
        let path =
            std::path::absolute(store).io_context(|| format!("resolving {}", store.display()))?;
        let text = path.to_string_lossy();
        let entry = self
            .stores_dir()
            .join(&Digest::of(text.as_bytes()).hex()[..16]);
        Ok((path, entry))
    }

    /// Record that the image store at `store` keeps blobs here, so that a
    /// collection marks what it holds. Once per store; cheap after that.
    pub fn register_store(&self, store: &Path) -> Result<()> {
        let (path, entry) = self.entry_of(store)?;
        if entry.is_file() {
            return Ok(());
        }
        write_atomic(&entry, path.to_string_lossy().as_bytes(), 0o644)
    }

    /// Remember that the store at `store` (registered) holds the image
    /// `id`, until the next collection sees the store itself. Imports run
    /// side by side (each holds the cache shared), so the registration's
    /// read, change and write are one under `stores.lock`: else two
    /// imports into one store could each write the ids without the other's.
    pub fn note_image(&self, store: &Path, id: &Digest) -> Result<()> {
        let (path, entry) = self.entry_of(store)?;
        let _lock = Lock::exclusive(&self.root.join("stores.lock"))?;
        let mut ids = read_registration(&entry).map(|r| r.ids).unwrap_or_default();
        if ids.insert(id.hex().to_string()) {
            write_atomic(&entry, Registration::text(&path, &ids).as_bytes(), 0o644)?;
        }
        Ok(())
    }

    /// The registrations (first line the store, then the image ids it held).
    fn registrations(&self) -> Result<Vec<Registration>> {
        let dir = self.stores_dir();
        Ok(entry_names(&dir)?
            .into_iter()
            .filter_map(|name| read_registration(&dir.join(name)))
            .collect())
    }

    /// Remove what no image in the registered stores or in `roots` needs.
    /// `None` when `wait` is false and a pull or import holds the cache
    /// (the next collection gets it). A store that cannot be read stops
    /// the collection before anything is removed.
    pub fn collect(&self, roots: &[PathBuf], wait: bool) -> Result<Option<Collected>> {
        if !self.root.is_dir() {
            return Ok(Some(Collected::default()));
        }
        let Some(_lock) = self.lock_exclusive(wait)? else {
            return Ok(None);
        };
        let mut live = BTreeSet::new();
        let mut missing = Vec::new();
        // The stores there now, with what their registration knew of them.
        let mut seen: BTreeMap<PathBuf, Option<BTreeSet<String>>> = BTreeMap::new();
        for r in self.registrations()? {
            if r.store.is_dir() {
                seen.insert(r.store, Some(r.ids));
            } else if r.ids.is_empty() {
                // Gone and holding nothing vicport knows of.
                let _ = std::fs::remove_file(&r.entry);
            } else {
                live.extend(r.ids.iter().cloned());
                missing.push(MissingStore {
                    path: r.store.display().to_string(),
                    images: r.ids.len(),
                    registration: r.entry.display().to_string(),
                });
            }
        }
        for root in roots.iter().filter(|r| r.is_dir()) {
            seen.entry(self.entry_of(root)?.0).or_insert(None);
        }
        // What each holds now, remembered in its registration.
        for (store, known) in &seen {
            let ids: BTreeSet<String> = ImageStore::new(store)
                .image_ids()
                .map_err(|e| e.context("collecting the blob cache"))?
                .into_iter()
                .collect();
            if known.as_ref() != Some(&ids) {
                let (path, entry) = self.entry_of(store)?;
                write_atomic(&entry, Registration::text(&path, &ids).as_bytes(), 0o644)?;
            }
            live.extend(ids);
        }
        let mut keep = BTreeSet::new();
        for hex in &live {
            let Some(id) = Digest::from_hex(hex) else {
                continue;
            };
            keep.extend(self.needed_by(&id).into_iter().map(|d| d.hex().to_string()));
        }

        let mut done = Collected {
            missing_stores: missing,
            ..Collected::default()
        };
        let records = self.root.join("images");
        for name in entry_names(&records)? {
            let held = name
                .strip_suffix(".json")
                .is_some_and(|hex| live.contains(hex));
            if !held && remove(&records.join(&name)).is_some() {
                done.records += 1;
            }
        }
        let blobs = self.root.join("sha256");
        for name in entry_names(&blobs)? {
            if !keep.contains(&name)
                && let Some(bytes) = remove(&blobs.join(&name))
            {
                done.blobs += 1;
                done.bytes += bytes;
            }
        }
        for leftovers in ["tmp", "views"] {
            let dir = self.root.join(leftovers);
            for name in entry_names(&dir)? {
                if let Some(bytes) = remove(&dir.join(&name)) {
                    done.bytes += bytes;
                }
            }
        }
        Ok(Some(done))
    }

    /// The blobs the image `id` needs: its manifest, config and layers (as
    /// far as the cache holds the manifest).
    fn needed_by(&self, id: &Digest) -> Vec<Digest> {
        let Some(digest) = self
            .image_record(id)
            .and_then(|record| Digest::parse(&record.manifest).ok())
        else {
            return Vec::new();
        };
        let mut needed = vec![digest.clone()];
        let Ok(bytes) = self.read(&digest) else {
            return needed;
        };
        let Ok(doc) = parse_json::<ImageManifest>(&bytes, "a cached manifest") else {
            return needed;
        };
        needed.extend(manifest::blob_digests(&doc).flatten());
        needed
    }
}

/// Remove a file or directory tree; the bytes it held, `None` when it
/// could not be removed.
fn remove(path: &Path) -> Option<u64> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.is_dir() {
        let bytes = tree_bytes(path);
        std::fs::remove_dir_all(path).ok()?;
        Some(bytes)
    } else {
        std::fs::remove_file(path).ok()?;
        Some(meta.len())
    }
}

fn tree_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some(if meta.is_dir() {
                tree_bytes(&e.path())
            } else {
                meta.len()
            })
        })
        .sum()
}

/// Read one registration; `None` when it cannot be read.
fn read_registration(entry: &Path) -> Option<Registration> {
    let text = std::fs::read_to_string(entry).ok()?;
    let mut lines = text.lines();
    let store = PathBuf::from(lines.next()?);
    let ids = lines
        .filter(|l| Digest::from_hex(l).is_some())
        .map(str::to_string)
        .collect();
    Some(Registration {
        entry: entry.to_path_buf(),
        store,
        ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Imports into one store note their images side by side: none is lost.
    #[test]
    fn concurrent_notes_of_one_store_keep_every_image() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        let cache = BlobCache::in_cache_dir(&dir.path().join("cache"));
        create_private_dir(&cache.root).unwrap();
        cache.register_store(&store).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (cache, store) = (cache.clone(), store.clone());
                std::thread::spawn(move || {
                    for i in 0..25 {
                        let id = Digest::of(format!("{t}-{i}").as_bytes());
                        cache.note_image(&store, &id).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let (_, entry) = cache.entry_of(&store).unwrap();
        let r = read_registration(&entry).unwrap();
        assert_eq!(r.ids.len(), 200);
        assert_eq!(r.store, std::path::absolute(&store).unwrap());
        // The lock file is not taken for a registration.
        assert_eq!(cache.registrations().unwrap().len(), 1);
    }
}
