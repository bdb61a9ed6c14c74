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

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use serde::Serialize;

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{create_private_dir, entry_names, write_atomic};

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

    /// Record that the image store at `store` keeps blobs here, so that a
    /// collection marks what it holds. Once per store; cheap after that.
    pub fn register_store(&self, store: &Path) -> Result<()> {
        let path =
            std::path::absolute(store).io_context(|| format!("resolving {}", store.display()))?;
        let text = path.to_string_lossy();
        let entry = self
            .stores_dir()
            .join(&Digest::of(text.as_bytes()).hex()[..16]);
        if entry.is_file() {
            return Ok(());
        }
        write_atomic(&entry, text.as_bytes(), 0o644)
    }

    /// The stores registered, dropping the entries of stores that are gone.
    fn registered_stores(&self) -> Result<Vec<PathBuf>> {
        let dir = self.stores_dir();
        let mut stores = Vec::new();
        for name in entry_names(&dir)? {
            let entry = dir.join(&name);
            let Ok(text) = std::fs::read_to_string(&entry) else {
                continue;
            };
            let store = PathBuf::from(text);
            if store.is_dir() {
                stores.push(store);
            } else {
                let _ = std::fs::remove_file(&entry);
            }
        }
        Ok(stores)
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
        let mut stores: BTreeSet<PathBuf> = self.registered_stores()?.into_iter().collect();
        stores.extend(roots.iter().filter(|r| r.is_dir()).cloned());
        let mut live = BTreeSet::new();
        for store in &stores {
            let ids = ImageStore::new(store)
                .image_ids()
                .map_err(|e| e.context("collecting the blob cache"))?;
            live.extend(ids);
        }
        let mut keep = BTreeSet::new();
        for hex in &live {
            let Some(id) = Digest::from_hex(hex) else {
                continue;
            };
            keep.extend(self.needed_by(&id).into_iter().map(|d| d.hex().to_string()));
        }

        let mut done = Collected::default();
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
