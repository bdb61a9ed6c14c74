//! The current boot image, for every platform: the one `vicport system
//! bootstrap` built last (recorded in `<cache>/boot/current.json`), built
//! on first use when there is none (local domains boot its kernel and
//! initramfs, vSphere domains its ISO) by one process however many need
//! it at once; and where the static tether binary is found.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::bootstrap::{self, BootImage, BootstrapRequest, PackageSource};
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::file::{Lock, write_atomic};
use crate::plumbing::platform::Progress;

/// The boot image a domain boots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BootFiles {
    pub dir: PathBuf,
    pub kernel: PathBuf,
    pub initramfs: PathBuf,
    pub iso: Option<PathBuf>,
    pub kernel_version: String,
    /// The guest kernel's `CONFIG_HZ`.
    pub hz: u32,
}

impl BootFiles {
    fn from_image(image: &BootImage) -> BootFiles {
        BootFiles {
            dir: image.dir.clone(),
            kernel: image.kernel.clone(),
            initramfs: image.initramfs.clone(),
            iso: image.iso.clone(),
            kernel_version: image.manifest.kernel.version.clone(),
            hz: image
                .manifest
                .kernel
                .hz
                .unwrap_or(bootstrap::cmdline::DEFAULT_HZ),
        }
    }

    fn usable(&self) -> bool {
        self.kernel.is_file() && self.initramfs.is_file()
    }
}

fn current_file(cache: &Path) -> PathBuf {
    cache.join("boot/current.json")
}

/// The boot image recorded as current, if it still exists.
pub fn current(cache: &Path) -> Option<BootFiles> {
    let text = std::fs::read(current_file(cache)).ok()?;
    let files: BootFiles = serde_json::from_slice(&text).ok()?;
    files.usable().then_some(files)
}

/// Record `image` as the one new domains boot.
pub fn record_current(cache: &Path, image: &BootImage) -> Result<BootFiles> {
    let files = BootFiles::from_image(image);
    let text = serde_json::to_vec_pretty(&files).expect("boot files serialize");
    write_atomic(&current_file(cache), &text, 0o600)?;
    Ok(files)
}

/// What `vicport system bootstrap` can be told.
#[derive(Debug, Clone, Default)]
pub struct BootstrapOptions {
    /// The static tether (default: [`tether_binary`]).
    pub tether: Option<PathBuf>,
    /// A kernel `.deb` instead of apt's candidate.
    pub kernel_deb: Option<PathBuf>,
    /// A busybox-static `.deb` instead of apt's candidate.
    pub busybox_deb: Option<PathBuf>,
    /// Skip the vSphere ISO.
    pub no_iso: bool,
}

/// Build (or find in the cache) the boot image and make it current.
pub fn bootstrap(
    cache: &Path,
    options: &BootstrapOptions,
    progress: &dyn Progress,
) -> Result<(BootImage, BootFiles)> {
    let tether = match &options.tether {
        Some(t) => t.clone(),
        None => tether_binary()?,
    };
    let mut request = BootstrapRequest::new(cache, tether);
    if let Some(deb) = &options.kernel_deb {
        request.kernel = PackageSource::Deb(deb.clone());
    }
    if let Some(deb) = &options.busybox_deb {
        request.busybox = Some(PackageSource::Deb(deb.clone()));
    }
    if options.no_iso {
        request.iso = None;
    }
    let image = bootstrap::build(&request, progress)?;
    let files = record_current(cache, &image)?;
    Ok((image, files))
}

/// The current boot image, built with the defaults when there is none.
pub fn ensure(cache: &Path, progress: &dyn Progress) -> Result<BootFiles> {
    first_build(cache, progress, current, || {
        bootstrap(cache, &BootstrapOptions::default(), progress)
            .map(|(_, files)| files)
            .map_err(|e| e.context("building the boot image for the first domain"))
    })
}

/// What a first-use build says it is doing (a terminal shows it as a
/// spinner's message, a pipe gets it as one line on stderr).
pub const BUILDING: &str = "building the boot image (once; about a minute)";
/// What a process says while another one builds.
pub const WAITING: &str = "waiting for the boot image another vicport is building";

/// What `found` finds, else what `build` makes, built by one process only
/// however many need it at once: the first takes `<cache>/boot/build.lock`
/// and builds; the others wait on the lock and then find its result. Says
/// which of the two it is doing through `progress`, and clears it at the
/// end.
pub fn first_build<T>(
    cache: &Path,
    progress: &dyn Progress,
    found: impl Fn(&Path) -> Option<T>,
    build: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if let Some(t) = found(cache) {
        return Ok(t);
    }
    let lock_path = cache.join("boot").join("build.lock");
    let _lock = match Lock::try_exclusive(&lock_path)? {
        Some(lock) => lock,
        None => {
            progress.phase(WAITING, None);
            let lock = Lock::exclusive(&lock_path);
            progress.done();
            lock?
        }
    };
    // Built by the holder we waited for (or by a `system bootstrap`).
    if let Some(t) = found(cache) {
        return Ok(t);
    }
    progress.phase(BUILDING, None);
    let built = build();
    progress.done();
    built
}

/// Whether `path` is a statically linked ELF executable (no PT_INTERP): the
/// tether runs as /init in an initramfs with no dynamic loader.
fn is_static_elf(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 {
        return false;
    }
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let u64_at = |o: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[o..o + 8]);
        u64::from_le_bytes(b) as usize
    };
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..phnum).all(|i| {
        let at = phoff + i * phentsize;
        // PT_INTERP = 3
        at + 4 <= bytes.len()
            && u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) != 3
    })
}

/// Find the statically linked tether: `VICPORT_TETHER`, else `tether` next
/// to the vicport binary, else `../lib/vicport/tether` from it (where the
/// installer puts it).
pub fn tether_binary() -> Result<PathBuf> {
    let hint = "build it with `cargo rustc -p tether --release --bin tether -- -C target-feature=+crt-static` and set VICPORT_TETHER to target/release/tether, or install vicport with scripts/quickstart";
    if let Some(p) = std::env::var_os("VICPORT_TETHER").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        if !is_static_elf(&p) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "VICPORT_TETHER={} is not a statically linked executable",
                    p.display()
                ),
            )
            .with_hint(hint));
        }
        return Ok(p);
    }
    let exe = std::env::current_exe().map_err(|e| Error::io("finding the vicport binary", e))?;
    let dir = exe.parent().unwrap_or(Path::new("/"));
    for candidate in [dir.join("tether"), dir.join("../lib/vicport/tether")] {
        if is_static_elf(&candidate) {
            return Ok(candidate);
        }
    }
    Err(Error::new(
        ErrorKind::InvalidState,
        "the static tether binary (the guest agent) was not found",
    )
    .with_hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_binaries_are_not_taken_for_the_tether() {
        // Every Debian system binary is dynamically linked.
        assert!(!is_static_elf(Path::new("/bin/ls")));
        assert!(!is_static_elf(Path::new("/etc/passwd")));
        // busybox-static is not (the tests install it).
        if Path::new("/bin/busybox").exists() {
            assert!(is_static_elf(Path::new("/bin/busybox")));
        }
    }
}
