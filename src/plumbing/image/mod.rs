//! The image store: OCI layouts, docker-save archives and rootfs tars
//! imported layer by layer into an ext4 root disk.
//!
//! Store layout, under the directory an [`ImageStore`] is rooted at:
//! ```text
//! images/<hex>/disk.ext4     the root file system (raw ext4, label vicport-root)
//! images/<hex>/config.json   the runtime defaults (spec::ImageConfig)
//! images/<hex>/image.json    id, format, layers, sizes, times
//! refs.json                  name:tag -> image id, rewritten atomically
//! lock                       flock(2) held while refs.json or images/ change
//! tmp/<random>/              one import's staging area, flock(2)ed by its owner
//! ```
//! An image directory appears by `rename` only once complete; a staging area
//! whose owner died (its lock is free) is removed by the next import.

pub mod blobs;
pub mod changes;
pub mod config_change;
mod digest;
mod ext4;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
pub mod gc;
pub mod history;
pub mod listing;
pub mod manifest;
pub mod outgoing;
mod overlay;
pub mod save;
mod source;
mod store;
#[cfg(test)]
mod tests;
mod unpack;

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::Progress;

pub use digest::Digest;
pub use ext4::{MIN_DISK_SIZE, ROOT_LABEL};
pub use overlay::{create_overlay, create_overlay_of};
pub use source::DEFAULT_PATH_ENV;
pub use store::{ImageStore, ImportOptions, Removed, StoredImage};

/// How many images the archive or layout `source` holds (an import of
/// each takes them all). A gzip input is decompressed into a private
/// directory under `scratch_parent` to be read, and that is removed.
pub fn images_in(source: &Path, scratch_parent: &Path, progress: &dyn Progress) -> Result<usize> {
    let cancel = progress.cancel_flag();
    let ctl = Control {
        progress,
        cancel: cancel.as_deref(),
    };
    crate::plumbing::file::create_private_dir(scratch_parent)?;
    let scratch = scratch_parent.join(format!("count-{}", crate::plumbing::spec::random_hex(8)));
    crate::plumbing::file::create_private_dir(&scratch)?;
    let counted = source::count(source, &scratch, &ctl)
        .map_err(|e| e.context(format!("reading {}", source.display())));
    let _ = std::fs::remove_dir_all(&scratch);
    counted
}

/// "Image not found", with where to look (both platforms' stores).
pub fn not_found(image: &str) -> Error {
    Error::not_found("image", image)
        .with_hint("see `vicport image ls`, or import it with `vicport image import`")
}

/// The hex id (prefix) that `image` spells, with or without `sha256:`;
/// `None` when it is not one.
pub fn id_prefix(image: &str) -> Option<&str> {
    let prefix = image.strip_prefix("sha256:").unwrap_or(image);
    let hex = !prefix.is_empty()
        && prefix.len() <= 64
        && prefix
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    hex.then_some(prefix)
}

/// The one id in `ids` that starts with `prefix` (from `image`): not
/// found when none does, invalid when several do.
pub fn one_by_prefix(image: &str, prefix: &str, ids: Vec<String>) -> Result<String> {
    let mut matches: Vec<String> = ids.into_iter().filter(|h| h.starts_with(prefix)).collect();
    match matches.len() {
        0 => Err(not_found(image)),
        1 => Ok(matches.remove(0)),
        n => Err(Error::invalid(format!(
            "image id prefix {prefix:?} is ambiguous: {n} images match"
        ))
        .with_hint("give more digits of the id")),
    }
}

/// "Image in use", naming the domains and the ways out.
pub fn in_use(image: &str, users: &[String]) -> Error {
    Error::conflict(format!(
        "image {image} is in use by {} {}",
        if users.len() == 1 {
            "domain"
        } else {
            "domains"
        },
        users.join(", ")
    ))
    .with_hint(format!(
        "remove those domains first (vicport domain rm {}), or the image with --force",
        users.join(" ")
    ))
}

/// What a running import reports to and is stopped by.
pub(crate) struct Control<'a> {
    pub progress: &'a dyn Progress,
    pub cancel: Option<&'a AtomicBool>,
}

impl Control<'_> {
    /// `Interrupted` once the caller asked to stop.
    pub fn check(&self) -> Result<()> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::interrupted("image import")),
            _ => Ok(()),
        }
    }
}

/// Reports bytes read as progress of the current phase.
pub(crate) struct ProgressReader<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<'a, R> ProgressReader<'a, R> {
    pub fn new(inner: R, ctl: &Control<'a>) -> Self {
        ProgressReader {
            inner,
            progress: ctl.progress,
        }
    }

    /// The reader it wraps.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Copy until EOF, checking for cancellation. A read error means the input
/// is corrupt (or unreadable); a write error is an I/O failure of ours.
pub(crate) fn copy_checked(r: &mut impl Read, w: &mut impl Write, ctl: &Control) -> Result<u64> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        ctl.check()?;
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(
                    Error::invalid(format!("the input is corrupt or truncated: {e}"))
                        .with_hint("the archive is damaged; export or download it again"),
                );
            }
        };
        w.write_all(&buf[..n])
            .map_err(|e| Error::io("writing staged data", e))?;
        total += n as u64;
    }
}
