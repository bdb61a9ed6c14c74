//! The boot ISO on the datastore: the one `vicport system bootstrap` built
//! (built on demand when there is none), uploaded once per content hash to
//! `[ds] vicport/boot/<sha256>/bootstrap.iso`, which becomes the CD-ROM of
//! new domains. The upload goes to a temporary name and is moved into
//! place, so an ISO at that path is always whole: its presence is the
//! check, and a second machine or target with the same ISO finds it there.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::plumbing::error::{Error, IoContext as _, Result};
use crate::plumbing::local::boot;
use crate::plumbing::platform::Progress;

use super::datastore::{DatastorePath, Files};

/// Where boot ISOs live on a datastore.
pub const BOOT_DIR: &str = "vicport/boot";
/// The ISO's name in its directory.
pub const ISO_NAME: &str = "bootstrap.iso";

/// The local boot ISO: the current boot image's, else a boot image built
/// now (with its ISO) in `cache`.
pub fn local_iso(cache: &Path, progress: &dyn Progress) -> Result<PathBuf> {
    if let Some(iso) = boot::current(cache)
        .and_then(|b| b.iso)
        .filter(|p| p.is_file())
    {
        return Ok(iso);
    }
    let (_, files) = boot::bootstrap(cache, &boot::BootstrapOptions::default(), progress)
        .map_err(|e| e.context("building the boot ISO for vSphere domains"))?;
    files.iso.filter(|p| p.is_file()).ok_or_else(|| {
        Error::other("the boot image was built without its ISO")
            .with_hint("run `vicport system bootstrap` (without --no-iso)")
    })
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

/// Where an ISO of this hash lives on `datastore`.
pub fn iso_path(datastore: &str, hash: &str) -> DatastorePath {
    DatastorePath::new(datastore, format!("{BOOT_DIR}/{hash}/{ISO_NAME}"))
}

/// Put `iso` on `datastore` unless an ISO of the same content is there;
/// returns its datastore path.
pub async fn ensure_uploaded(
    files: &Files<'_>,
    datastore: &str,
    iso: &Path,
    progress: &dyn Progress,
) -> Result<DatastorePath> {
    let owned = iso.to_path_buf();
    let hash = tokio::task::spawn_blocking(move || sha256_file(&owned))
        .await
        .map_err(|e| Error::other(format!("hashing the boot ISO: {e}")))??;
    let dest = iso_path(datastore, &hash);
    if files.exists(&dest).await? {
        return Ok(dest);
    }
    files
        .upload(iso, &dest, progress)
        .await
        .map_err(|e| e.context("uploading the boot ISO"))?;
    Ok(dest)
}
