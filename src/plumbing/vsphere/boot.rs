//! The boot ISO on the datastore: the one `vicport system bootstrap` built
//! (built on demand when there is none), uploaded once per content hash to
//! `[ds] vicport/boot/<sha256>/bootstrap.iso`, which becomes the CD-ROM of
//! new domains. The upload goes to a temporary name and is moved into
//! place, so an ISO at that path is always whole: its presence is the
//! check (made once per datastore, then remembered: `known`), and a second
//! machine or target with the same ISO finds it there.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::plumbing::bootstrap::current as boot;
use crate::plumbing::error::{Error, IoContext as _, Result};
use crate::plumbing::platform::Progress;

use super::datastore::{DatastorePath, Files};
use super::known::Known;

/// Where boot ISOs live on a datastore.
pub const BOOT_DIR: &str = "vicport/boot";
/// The ISO's name in its directory.
pub const ISO_NAME: &str = "bootstrap.iso";
/// Where the ISO's hash is remembered, under the cache.
pub const HASH_RECORD: &str = "boot/iso-sha256.json";

/// The local boot ISO: the current boot image's, else the cloud kernel's
/// built now (with its ISO) in `cache`.
pub fn local_iso(cache: &Path, progress: &dyn Progress) -> Result<PathBuf> {
    boot::vsphere_iso(cache, progress)
        .map_err(|e| e.context("building the boot ISO for vSphere domains"))
}

/// The SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).io_context(|| format!("opening {}", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .io_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// What [`sha256_cached`] remembers: a file's hash with what identified
/// its content then.
#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
struct HashRecord {
    path: PathBuf,
    size: u64,
    modified_ns: u128,
    sha256: String,
}

/// The SHA-256 of `path`, remembered in `record` (a small JSON file in the
/// cache) for as long as the file's path, size and modification time stay
/// the same, so that every `domain create` does not read the whole ISO.
pub fn sha256_cached(path: &Path, record: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).io_context(|| format!("reading {}", path.display()))?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let known = std::fs::read(record)
        .ok()
        .and_then(|b| serde_json::from_slice::<HashRecord>(&b).ok())
        .filter(|r| r.path == path && r.size == meta.len() && r.modified_ns == modified_ns);
    if let Some(r) = known {
        return Ok(r.sha256);
    }
    let sha256 = sha256_file(path)?;
    let fresh = HashRecord {
        path: path.to_path_buf(),
        size: meta.len(),
        modified_ns,
        sha256: sha256.clone(),
    };
    if let Ok(bytes) = serde_json::to_vec(&fresh) {
        // A cache: failing to write it only costs the next hash.
        let _ = crate::plumbing::file::write_atomic(record, &bytes, 0o600);
    }
    Ok(sha256)
}

/// Where an ISO of this hash lives on `datastore`.
pub fn iso_path(datastore: &str, hash: &str) -> DatastorePath {
    DatastorePath::new(datastore, format!("{BOOT_DIR}/{hash}/{ISO_NAME}"))
}

/// Put `iso` on `datastore` unless an ISO of the same content is there
/// (`known` to be, or found there); returns its datastore path.
/// `hash_record` remembers the ISO's hash.
pub async fn ensure_uploaded(
    files: &Files<'_>,
    datastore: &str,
    iso: &Path,
    hash_record: &Path,
    known: Option<&Known>,
    progress: &dyn Progress,
) -> Result<DatastorePath> {
    let (owned, record) = (iso.to_path_buf(), hash_record.to_path_buf());
    let hash = tokio::task::spawn_blocking(move || sha256_cached(&owned, &record))
        .await
        .map_err(|e| Error::other(format!("hashing the boot ISO: {e}")))??;
    let dest = iso_path(datastore, &hash);
    if known.is_some_and(|k| k.has_iso(&hash)) {
        return Ok(dest);
    }
    if !files.exists(&dest).await? {
        files
            .upload(iso, &dest, progress)
            .await
            .map_err(|e| e.context("uploading the boot ISO"))?;
    }
    if let Some(k) = known {
        k.remember_iso(&hash);
    }
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_remembered_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let iso = dir.path().join("bootstrap.iso");
        let record = dir.path().join("iso-hash.json");
        std::fs::write(&iso, b"abc").unwrap();
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_cached(&iso, &record).unwrap(), abc);
        assert!(record.is_file());
        // A record that says otherwise for the same file is believed...
        let mut r: HashRecord = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
        r.sha256 = "remembered".into();
        std::fs::write(&record, serde_json::to_vec(&r).unwrap()).unwrap();
        assert_eq!(sha256_cached(&iso, &record).unwrap(), "remembered");
        // ...until the file changes.
        std::fs::write(&iso, b"abcd").unwrap();
        assert_ne!(sha256_cached(&iso, &record).unwrap(), "remembered");
        assert_eq!(sha256_file(&iso).unwrap().len(), 64);
    }
}
