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

mod digest;
mod ext4;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
mod overlay;
mod source;
mod store;
#[cfg(test)]
mod tests;
mod unpack;

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::Progress;

pub use ext4::{MIN_DISK_SIZE, ROOT_LABEL};
pub use overlay::create_overlay;
pub use source::DEFAULT_PATH_ENV;
pub use store::{ImageStore, ImportOptions, Removed, StoredImage};

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
