//! What a caller asks the boot image builder for: the kernel's flavour and
//! where each package comes from, the modules, the compression and the ISO.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{
    BUSYBOX_PACKAGE, Compression, DEFAULT_MODULES, ISOLINUX_BIN, KERNEL_PACKAGE, LDLINUX_C32,
    MKE2FS_PACKAGES, microvm,
};

/// Where a package comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageSource {
    /// The apt candidate of this package (a metapackage is followed to the
    /// real package), downloaded into `<cache>/debs/` once.
    Apt(String),
    /// A `.deb` file already on disk (offline builds, CI caches).
    Deb(PathBuf),
}

/// Which guest kernel a boot image carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    /// Debian's cloud kernel and the modules the tether loads: boots the
    /// local platform and vSphere (vmxnet3, pvscsi, the VMware backdoor,
    /// ACPI and PCI), and is the ISO's kernel.
    #[default]
    Cloud,
    /// vicport's microVM kernel: QEMU microvm's devices built in, no
    /// modules; the local platform only.
    Microvm,
}

impl Flavour {
    /// `cloud` or `microvm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Cloud => "cloud",
            Flavour::Microvm => "microvm",
        }
    }
}

/// Where the kernel comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelSource {
    /// A kernel package with its modules (Debian's cloud kernel).
    Package(PackageSource),
    /// vicport's microVM kernel, compiled from this kernel source package
    /// (Debian's [`microvm::SOURCE_PACKAGE`]) with `microvm.config`.
    Microvm(PackageSource),
}

impl KernelSource {
    /// The flavour it makes.
    pub fn flavour(&self) -> Flavour {
        match self {
            KernelSource::Package(_) => Flavour::Cloud,
            KernelSource::Microvm(_) => Flavour::Microvm,
        }
    }
}

/// The vSphere ISO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoOptions {
    /// Kernel parameters after `console=ttyS0 vicport.platform=vsphere`,
    /// e.g. `quiet` or TSC presets.
    pub extra_cmdline: Vec<String>,
    /// ISOLINUX's boot sector image.
    pub isolinux_bin: PathBuf,
    /// ISOLINUX's core module.
    pub ldlinux_c32: PathBuf,
}

impl Default for IsoOptions {
    fn default() -> Self {
        IsoOptions {
            extra_cmdline: Vec::new(),
            isolinux_bin: PathBuf::from(ISOLINUX_BIN),
            ldlinux_c32: PathBuf::from(LDLINUX_C32),
        }
    }
}

/// What to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootstrapRequest {
    /// Root of the cache: `debs/` and `boot/` live below it.
    pub cache_dir: PathBuf,
    /// The statically linked tether, which becomes `/init`.
    pub tether: PathBuf,
    /// The kernel.
    pub kernel: KernelSource,
    /// busybox-static for `/bin/busybox` (a shell and tools for exec
    /// sessions); `None` leaves it out (it adds about 2 MiB).
    pub busybox: Option<PackageSource>,
    /// e2fsprogs and the packages of the libraries mke2fs needs (see
    /// [`MKE2FS_PACKAGES`]): `/sbin/mke2fs`, `/sbin/mkfs.ext4`, its shared
    /// libraries and the loader, for the tether's format-if-blank. `None`
    /// leaves them out (they add about 3 MiB, 1.4 MiB gzipped; libc is
    /// most of it).
    pub mke2fs: Option<Vec<PackageSource>>,
    /// Modules to load in the guest, before dependencies.
    pub modules: Vec<String>,
    pub compression: Compression,
    /// Also write `bootstrap.iso`.
    pub iso: Option<IsoOptions>,
    /// The one timestamp in every output (cpio mtimes, ISO dates).
    pub source_date_epoch: u64,
}

impl BootstrapRequest {
    /// Debian's cloud kernel, busybox-static and mke2fs from apt, the
    /// default module set, gzip, an ISO, and timestamps at the epoch.
    pub fn new(cache_dir: impl Into<PathBuf>, tether: impl Into<PathBuf>) -> Self {
        BootstrapRequest {
            cache_dir: cache_dir.into(),
            tether: tether.into(),
            kernel: KernelSource::Package(PackageSource::Apt(KERNEL_PACKAGE.into())),
            busybox: Some(PackageSource::Apt(BUSYBOX_PACKAGE.into())),
            mke2fs: Some(
                MKE2FS_PACKAGES
                    .iter()
                    .map(|p| PackageSource::Apt(p.to_string()))
                    .collect(),
            ),
            modules: DEFAULT_MODULES.iter().map(|m| m.to_string()).collect(),
            compression: Compression::Gzip,
            iso: Some(IsoOptions::default()),
            source_date_epoch: 0,
        }
    }

    /// vicport's microVM kernel compiled from apt's kernel source, with
    /// what [`BootstrapRequest::new`] takes besides; the modules the local
    /// platform needs (all built in), and no ISO (vSphere boots the cloud
    /// kernel).
    pub fn microvm(cache_dir: impl Into<PathBuf>, tether: impl Into<PathBuf>) -> Self {
        BootstrapRequest {
            kernel: KernelSource::Microvm(PackageSource::Apt(microvm::SOURCE_PACKAGE.into())),
            modules: microvm::MICROVM_MODULES
                .iter()
                .map(|m| m.to_string())
                .collect(),
            iso: None,
            ..BootstrapRequest::new(cache_dir, tether)
        }
    }
}

/// The full kernel command line of the vSphere ISO.
pub fn iso_cmdline(options: &IsoOptions) -> String {
    let mut params = vec![
        "console=ttyS0".to_string(),
        "vicport.platform=vsphere".to_string(),
    ];
    params.extend(options.extra_cmdline.iter().cloned());
    params.join(" ")
}
