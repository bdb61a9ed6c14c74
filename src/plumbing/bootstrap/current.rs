//! The current boot image, for every platform: the one `vicport system
//! bootstrap` built last (recorded in `<cache>/boot/current.json`), built
//! on first use when there is none (local domains boot its kernel and
//! initramfs, vSphere domains its ISO; a microvm image has none, and
//! vSphere then builds the cloud kernel's beside it) by one process however
//! many need it at once, and built again when the tether binary it holds
//! has changed since (a developer's rebuild, an upgrade without
//! `system bootstrap`); and where the static tether binary is found.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::bootstrap::{
    self, BootImage, BootstrapRequest, Flavour, KernelSource, PackageSource,
};
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
    /// Which kernel (files written before there were two are cloud).
    #[serde(default)]
    pub flavour: Flavour,
    pub kernel_version: String,
    /// The guest kernel's `CONFIG_HZ`.
    pub hz: u32,
    /// The tether binary it was built from, as it was then (records
    /// written before there was a stamp have none, and are kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tether: Option<TetherStamp>,
}

/// A tether binary as a stat sees it: a rebuilt or replaced binary has
/// another size, modification time or inode. Cheap enough for every
/// start, where a digest would read the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TetherStamp {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: i128,
    pub inode: u64,
}

impl TetherStamp {
    /// The stamp of the binary at `path`, if it can be read.
    pub fn of(path: &Path) -> Option<TetherStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(TetherStamp {
            path: path.to_path_buf(),
            size: m.size(),
            modified_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            inode: m.ino(),
        })
    }
}

impl BootFiles {
    fn from_image(image: &BootImage, tether: &Path) -> BootFiles {
        BootFiles {
            dir: image.dir.clone(),
            kernel: image.kernel.clone(),
            initramfs: image.initramfs.clone(),
            iso: image.iso.clone(),
            flavour: image.manifest.kernel.flavour,
            kernel_version: image.manifest.kernel.version.clone(),
            hz: image
                .manifest
                .kernel
                .hz
                .unwrap_or(bootstrap::cmdline::DEFAULT_HZ),
            tether: TetherStamp::of(tether),
        }
    }

    fn usable(&self) -> bool {
        self.kernel.is_file() && self.initramfs.is_file()
    }
}

fn current_file(cache: &Path) -> PathBuf {
    cache.join("boot/current.json")
}

/// The record of the cloud kernel's image that vSphere boots while a
/// microvm image is current.
fn vsphere_file(cache: &Path) -> PathBuf {
    cache.join("boot/vsphere.json")
}

/// The boot image a record names, if it still exists.
fn recorded(file: &Path) -> Option<BootFiles> {
    let text = std::fs::read(file).ok()?;
    let files: BootFiles = serde_json::from_slice(&text).ok()?;
    files.usable().then_some(files)
}

fn record(file: &Path, image: &BootImage, tether: &Path) -> Result<BootFiles> {
    let files = BootFiles::from_image(image, tether);
    let text = serde_json::to_vec_pretty(&files).expect("boot files serialize");
    write_atomic(file, &text, 0o600)?;
    Ok(files)
}

/// The boot image recorded as current, if it still exists.
pub fn current(cache: &Path) -> Option<BootFiles> {
    recorded(&current_file(cache))
}

/// Whether the tether binary `files` were built from has changed since
/// (rebuilt or replaced where it was: a developer's build, an upgrade).
/// An image without a stamp, or whose binary is gone, is taken as it is;
/// so is one built from another path than [`tether_binary`] finds (`system
/// bootstrap --tether` chose it).
fn stale(files: &BootFiles) -> bool {
    files
        .tether
        .as_ref()
        .is_some_and(|built| TetherStamp::of(&built.path).is_some_and(|now| now != *built))
}

/// The current boot image, if it holds the tether found now.
fn fresh(cache: &Path) -> Option<BootFiles> {
    current(cache).filter(|files| !stale(files))
}

/// Record `image`, built from the tether binary at `tether`, as the one
/// new domains boot.
pub fn record_current(cache: &Path, image: &BootImage, tether: &Path) -> Result<BootFiles> {
    record(&current_file(cache), image, tether)
}

/// What `vicport system bootstrap` can be told.
#[derive(Debug, Clone, Default)]
pub struct BootstrapOptions {
    /// The static tether (default: [`tether_binary`]).
    pub tether: Option<PathBuf>,
    /// Which kernel.
    pub kernel: Flavour,
    /// The kernel's `.deb` instead of apt's candidate: the kernel package
    /// (cloud) or the kernel source package (microvm).
    pub kernel_deb: Option<PathBuf>,
    /// A busybox-static `.deb` instead of apt's candidate.
    pub busybox_deb: Option<PathBuf>,
    /// Skip the vSphere ISO (a microvm image never has one).
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
    let mut request = match options.kernel {
        Flavour::Cloud => BootstrapRequest::new(cache, tether.clone()),
        Flavour::Microvm => BootstrapRequest::microvm(cache, tether.clone()),
    };
    if let Some(deb) = &options.kernel_deb {
        let deb = PackageSource::Deb(deb.clone());
        request.kernel = match options.kernel {
            Flavour::Cloud => KernelSource::Package(deb),
            Flavour::Microvm => KernelSource::Microvm(deb),
        };
    }
    if let Some(deb) = &options.busybox_deb {
        request.busybox = Some(PackageSource::Deb(deb.clone()));
    }
    if options.no_iso {
        request.iso = None;
    }
    let image = bootstrap::build(&request, progress)?;
    let files = record_current(cache, &image, &tether)?;
    Ok((image, files))
}

/// The ISO vSphere domains boot: the current image's, else the cloud
/// kernel's, built now with the defaults (once, see [`first_build`]). That
/// image becomes current unless a microvm image is (it has no ISO, and
/// stays current for local domains): then it is recorded beside it, in
/// `<cache>/boot/vsphere.json`.
pub fn vsphere_iso(cache: &Path, progress: &dyn Progress) -> Result<PathBuf> {
    let iso = |files: Option<BootFiles>| files.and_then(|b| b.iso).filter(|p| p.is_file());
    let beside = |cache: &Path| recorded(&vsphere_file(cache)).filter(|files| !stale(files));
    let found = |cache: &Path| iso(fresh(cache)).or_else(|| iso(beside(cache)));
    let building = || {
        let changed = [current(cache), recorded(&vsphere_file(cache))]
            .iter()
            .flatten()
            .any(stale);
        if changed { REBUILDING } else { BUILDING }
    };
    first_build(cache, progress, building, found, || {
        let options = again(cache);
        let image = if options.kernel != Flavour::Cloud {
            let tether = match options.tether {
                Some(path) => path,
                None => tether_binary()?,
            };
            let image = bootstrap::build(&BootstrapRequest::new(cache, tether.clone()), progress)?;
            record(&vsphere_file(cache), &image, &tether)?;
            image
        } else {
            bootstrap(cache, &options, progress)?.0
        };
        image.iso.filter(|p| p.is_file()).ok_or_else(|| {
            Error::other("the boot image was built without its ISO")
                .with_hint("run `vicport system bootstrap --kernel cloud` (without --no-iso)")
        })
    })
}

/// How to build the current image again: the same kernel, from the same
/// tether binary (the defaults when there is none).
fn again(cache: &Path) -> BootstrapOptions {
    let before = current(cache);
    BootstrapOptions {
        kernel: before.as_ref().map(|b| b.flavour).unwrap_or_default(),
        tether: before.and_then(|b| b.tether).map(|stamp| stamp.path),
        ..BootstrapOptions::default()
    }
}

/// The current boot image, built with the defaults when there is none,
/// or again ([`again`]) when its tether binary changed.
pub fn ensure(cache: &Path, progress: &dyn Progress) -> Result<BootFiles> {
    // An image is recorded but not fresh: its tether changed.
    let building = || {
        if current(cache).is_some() {
            REBUILDING
        } else {
            BUILDING
        }
    };
    first_build(cache, progress, building, fresh, || {
        let what = if current(cache).is_some() {
            "building the boot image again for its changed tether"
        } else {
            "building the boot image for the first domain"
        };
        bootstrap(cache, &again(cache), progress)
            .map(|(_, files)| files)
            .map_err(|e| e.context(what))
    })
}

/// What a first-use build says it is doing (a terminal shows it as a
/// spinner's message, a pipe gets it as one line on stderr).
pub const BUILDING: &str = "building the boot image (once; about a minute)";
/// What a build for a changed tether binary says.
pub const REBUILDING: &str = "building the boot image again: its tether binary changed";
/// What a process says while another one builds.
pub const WAITING: &str = "waiting for the boot image another vicport is building";

/// What `found` finds, else what `build` makes, built by one process only
/// however many need it at once: the first takes `<cache>/boot/build.lock`
/// and builds; the others wait on the lock and then find its result. Says
/// which of the two it is doing through `progress` (`building` is asked
/// only when it builds, so the common case, found at once, reads nothing
/// more), and clears it at the end.
pub fn first_build<T>(
    cache: &Path,
    progress: &dyn Progress,
    building: impl FnOnce() -> &'static str,
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
    progress.phase(building(), None);
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

    /// A recorded current image (stand-in kernel and initramfs files)
    /// built from the tether binary at `tether`.
    fn record_image(cache: &Path, tether: &Path) {
        let dir = cache.join("boot/image-1");
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["vmlinuz", "initramfs"] {
            std::fs::write(dir.join(f), f).unwrap();
        }
        let files = BootFiles {
            kernel: dir.join("vmlinuz"),
            initramfs: dir.join("initramfs"),
            dir,
            iso: None,
            flavour: Flavour::Microvm,
            kernel_version: "6.1".into(),
            hz: 250,
            tether: TetherStamp::of(tether),
        };
        write_atomic(
            &current_file(cache),
            &serde_json::to_vec(&files).unwrap(),
            0o600,
        )
        .unwrap();
    }

    #[test]
    fn an_image_whose_tether_changed_is_built_again_from_it() {
        let cache = tempfile::tempdir().unwrap();
        let tether = cache.path().join("tether");
        std::fs::write(&tether, "tether v1").unwrap();
        record_image(cache.path(), &tether);
        assert!(fresh(cache.path()).is_some());
        let options = again(cache.path());
        assert_eq!(options.tether.as_deref(), Some(tether.as_path()));
        assert_eq!(options.kernel, Flavour::Microvm);

        // Rebuilt where it was: stale, and `first_build` builds (once).
        std::fs::write(&tether, "tether v2, rebuilt").unwrap();
        assert!(current(cache.path()).is_some());
        assert!(fresh(cache.path()).is_none());
        let mut built = 0;
        let progress = crate::plumbing::platform::NoProgress;
        let out = first_build(
            cache.path(),
            &progress,
            || REBUILDING,
            fresh,
            || {
                built += 1;
                Ok(current(cache.path()).unwrap())
            },
        );
        assert!(out.is_ok() && built == 1);

        // A binary that is gone cannot be built from: the image stays.
        std::fs::remove_file(&tether).unwrap();
        assert!(fresh(cache.path()).is_some());

        // A record from before the stamp is kept as it is.
        let mut files = current(cache.path()).unwrap();
        files.tether = None;
        let text = serde_json::to_string(&files).unwrap();
        assert!(!text.contains("tether"), "{text}");
        write_atomic(&current_file(cache.path()), text.as_bytes(), 0o600).unwrap();
        std::fs::write(&tether, "tether v3").unwrap();
        assert!(fresh(cache.path()).is_some());
    }

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
