//! The content-addressed blob cache that pulls and imports share:
//! `<cache>/blobs/sha256/<hex>`, each blob written to a private temporary
//! file, verified against its digest and size, then renamed into place, so
//! an interrupted pull or import leaves only whole, verified blobs behind.
//!
//! A pulled image reaches the image store as an OCI layout "view" whose
//! `blobs` is a link to this cache: the importer then applies it exactly as
//! it applies an OCI layout on disk. An import keeps the blobs it verified
//! here too, and each image's manifest is recorded by its id, so `push`
//! finds an image's blobs however it arrived.
//!
//! ```text
//! <cache>/blobs/sha256/<hex>        a blob
//! <cache>/blobs/images/<hex>.json   an image's manifest record, by image id
//! <cache>/blobs/stores/<key>        the path of an image store that keeps blobs here
//! <cache>/blobs/lock                flock(2): shared by writers, exclusive by the collector
//! <cache>/blobs/tmp/, views/        blobs being written, pulls' layout views
//! ```
//! What no stored image needs any more is removed by the collector
//! ([`super::gc`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{create_private_dir, write_atomic};

use super::digest::Digest;

/// What the cache records of a stored image, by its id (config digest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRecord {
    /// The image manifest's digest; the manifest is a blob here.
    pub manifest: String,
    /// `HOST/REPOSITORY` it was pulled from, for cross-repository mounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Blobs by digest, under one directory.
#[derive(Debug, Clone)]
pub struct BlobCache {
    pub(super) root: PathBuf,
}

impl BlobCache {
    /// The cache under vicport's cache directory: `<cache>/blobs`.
    pub fn in_cache_dir(cache: &Path) -> Self {
        BlobCache {
            root: cache.join("blobs"),
        }
    }

    /// Where the blob with `digest` is (whether or not it is there).
    pub fn path(&self, digest: &Digest) -> PathBuf {
        self.root.join("sha256").join(digest.hex())
    }

    /// A private working directory `name` for one operation, among the
    /// writers' leftovers: hold [`BlobCache::lock_shared`] while it is in
    /// use (a collection removes what it finds there).
    pub fn scratch_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.root.join("tmp").join(name);
        create_private_dir(&dir)?;
        Ok(dir)
    }

    /// Whether the blob is held.
    pub fn has(&self, digest: &Digest) -> bool {
        self.path(digest).is_file()
    }

    /// Store `bytes` (a manifest or config already in memory) after checking
    /// them against `digest`.
    pub fn put(&self, digest: &Digest, bytes: &[u8]) -> Result<()> {
        let got = Digest::of(bytes);
        if &got != digest {
            return Err(mismatch(digest, &got));
        }
        if !self.has(digest) {
            write_atomic(&self.path(digest), bytes, 0o644)?;
        }
        Ok(())
    }

    /// Read a held blob.
    pub fn read(&self, digest: &Digest) -> Result<Vec<u8>> {
        let path = self.path(digest);
        std::fs::read(&path).io_context(|| format!("reading {}", path.display()))
    }

    /// A writer for the blob `digest` of `size` bytes: it refuses more
    /// bytes than that, and [`BlobWriter::finish`] publishes the blob only
    /// if the digest and size match. Dropped unfinished, it leaves nothing.
    pub fn writer(&self, digest: &Digest, size: u64) -> Result<BlobWriter> {
        self.new_writer(Some((digest.clone(), size)))
    }

    /// A writer for a blob whose digest is known only at its end (a
    /// docker-save layer): published under the digest of what was written.
    pub fn writer_for_unknown(&self) -> Result<BlobWriter> {
        self.new_writer(None)
    }

    fn new_writer(&self, expected: Option<(Digest, u64)>) -> Result<BlobWriter> {
        let tmp_dir = self.root.join("tmp");
        create_private_dir(&tmp_dir)?;
        create_private_dir(&self.root.join("sha256"))?;
        let mut nonce = [0u8; 6];
        getrandom::fill(&mut nonce).expect("the OS random source is available");
        let name = expected.as_ref().map_or("unknown", |(d, _)| d.hex());
        let tmp = tmp_dir.join(format!("{name}.{}", hex::encode(nonce)));
        let file = File::create(&tmp).io_context(|| format!("creating {}", tmp.display()))?;
        Ok(BlobWriter {
            file: Some(file),
            tmp,
            root: self.clone(),
            expected,
            written: 0,
            hasher: Sha256::new(),
        })
    }

    /// Record that the image `id` has the manifest `manifest` (a blob
    /// here), and where it was pulled from.
    pub fn record_image(&self, id: &Digest, record: &ManifestRecord) -> Result<()> {
        write_atomic(
            &self.record_path(id),
            &serde_json::to_vec(record).expect("JSON"),
            0o644,
        )
    }

    /// What [`record_image`](Self::record_image) recorded for `id`.
    pub fn image_record(&self, id: &Digest) -> Option<ManifestRecord> {
        std::fs::read(self.record_path(id))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    }

    fn record_path(&self, id: &Digest) -> PathBuf {
        self.root.join("images").join(format!("{}.json", id.hex()))
    }

    /// Make `dir` an OCI image layout holding the one manifest `manifest`
    /// (a descriptor as JSON) whose blobs are this cache's.
    pub fn layout_view(&self, dir: &Path, manifest: &serde_json::Value) -> Result<()> {
        create_private_dir(dir)?;
        create_private_dir(&self.root)?;
        write_atomic(
            &dir.join("oci-layout"),
            br#"{"imageLayoutVersion":"1.0.0"}"#,
            0o644,
        )?;
        let index = serde_json::json!({"schemaVersion": 2, "manifests": [manifest]});
        write_atomic(
            &dir.join("index.json"),
            &serde_json::to_vec(&index).expect("JSON"),
            0o644,
        )?;
        let link = dir.join("blobs");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&self.root, &link)
            .io_context(|| format!("linking {} to the blob cache", link.display()))
    }
}

fn mismatch(want: &Digest, got: &Digest) -> Error {
    Error::other(format!(
        "blob {want} does not match its digest: its bytes hash to {got}; nothing was stored"
    ))
    .with_hint("the registry served other bytes than it promised (tampered or damaged storage); tell its operator")
}

/// One blob being written into the cache; see [`BlobCache::writer`].
#[derive(Debug)]
pub struct BlobWriter {
    file: Option<File>,
    tmp: PathBuf,
    root: BlobCache,
    /// The digest and size it must have, when known in advance.
    expected: Option<(Digest, u64)>,
    written: u64,
    hasher: Sha256,
}

impl BlobWriter {
    /// Append the next bytes of the blob.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.written += bytes.len() as u64;
        if let Some((digest, size)) = &self.expected
            && self.written > *size
        {
            return Err(Error::other(format!(
                "blob {digest} is longer than the {size} bytes its descriptor says; nothing was stored"
            )));
        }
        self.hasher.update(bytes);
        let file = self.file.as_mut().expect("open until finished");
        file.write_all(bytes)
            .io_context(|| format!("writing {}", self.tmp.display()))
    }

    /// Check the digest and size, then move the blob into place; its digest.
    pub fn finish(mut self) -> Result<Digest> {
        let got = Digest::from_hex(&hex::encode(std::mem::take(&mut self.hasher).finalize()))
            .expect("sha256 hex");
        if let Some((digest, size)) = &self.expected {
            if &got != digest {
                return Err(mismatch(digest, &got));
            }
            if self.written != *size {
                return Err(Error::other(format!(
                    "blob {digest} has {} bytes, its descriptor says {size}; nothing was stored",
                    self.written
                )));
            }
        }
        let file = self.file.take().expect("open until finished");
        file.sync_all()
            .io_context(|| format!("syncing {}", self.tmp.display()))?;
        let dest = self.root.path(&got);
        std::fs::rename(&self.tmp, &dest)
            .io_context(|| format!("publishing {}", dest.display()))?;
        Ok(got)
    }
}

impl BlobWriter {
    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }
}

/// A blob writer as an `io::Write` (a blob made as it is written, such as
/// `domain commit`'s layer).
impl Write for BlobWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        BlobWriter::write(self, bytes).map_err(io::Error::other)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.file.is_some() || self.tmp.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_verified_whole_blobs_are_published() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BlobCache::in_cache_dir(dir.path());
        let good = Digest::of(b"hello");
        let mut w = cache.writer(&good, 5).unwrap();
        w.write(b"hel").unwrap();
        w.write(b"lo").unwrap();
        w.finish().unwrap();
        assert_eq!(cache.read(&good).unwrap(), b"hello");

        // Other bytes than promised: refused, nothing stored.
        let want = Digest::of(b"world");
        let mut w = cache.writer(&want, 5).unwrap();
        w.write(b"wordl").unwrap();
        let err = w.finish().unwrap_err();
        assert!(err.to_string().contains(&want.to_string()), "{err}");
        assert!(!cache.has(&want));
        // Too many bytes, and a writer dropped half-way: nothing stored.
        let mut w = cache.writer(&want, 5).unwrap();
        assert!(w.write(b"world!").is_err());
        drop(w);
        let mut w = cache.writer(&want, 5).unwrap();
        w.write(b"wo").unwrap();
        drop(w);
        assert!(!cache.has(&want));
        assert_eq!(
            std::fs::read_dir(dir.path().join("blobs/tmp"))
                .unwrap()
                .count(),
            0
        );
        assert!(cache.put(&want, b"world!").is_err());
        cache.put(&want, b"world").unwrap();
        assert!(cache.has(&want));

        // A blob known only at its end is published under its digest.
        let mut w = cache.writer_for_unknown().unwrap();
        w.write(b"later").unwrap();
        assert_eq!(w.finish().unwrap(), Digest::of(b"later"));
        assert_eq!(cache.read(&Digest::of(b"later")).unwrap(), b"later");
        // Records by image id.
        let record = ManifestRecord {
            manifest: good.to_string(),
            source: Some("h:1/bb".into()),
        };
        cache.record_image(&want, &record).unwrap();
        assert_eq!(cache.image_record(&want), Some(record));
        assert_eq!(cache.image_record(&good), None);
    }
}
