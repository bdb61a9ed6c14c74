//! What a build is made of and what it makes: the inputs that decide the
//! bytes (and the cache key), the facts learned from the packages, the
//! manifest of a boot image directory, and the finished image.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{BootstrapError, BuildResult};
use super::{Compression, ModuleInfo, apt, cache};

/// Size and digest of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub sha256: String,
    pub size: u64,
}

impl FileDigest {
    pub(super) fn of(bytes: &[u8]) -> Self {
        FileDigest {
            sha256: cache::sha256(bytes),
            size: bytes.len() as u64,
        }
    }

    pub(super) fn of_file(path: &Path) -> BuildResult<Self> {
        let size = std::fs::metadata(path)
            .map_err(|e| BootstrapError::io(format!("reading {}", path.display()), e))?
            .len();
        Ok(FileDigest {
            sha256: apt::sha256_file(path)?,
            size,
        })
    }
}

/// Everything that decides the output bytes; the cache key is its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub builder: String,
    pub kernel_deb: FileDigest,
    pub busybox_deb: Option<FileDigest>,
    /// The mke2fs packages, in the request's order.
    pub mke2fs_debs: Option<Vec<FileDigest>>,
    pub tether: FileDigest,
    /// Requested modules, normalized and sorted.
    pub modules: Vec<String>,
    pub compression: Compression,
    pub source_date_epoch: u64,
    pub iso: Option<IsoInputs>,
}

/// The ISO's share of the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsoInputs {
    /// The full kernel command line in `isolinux.cfg`.
    pub cmdline: String,
    pub isolinux_bin: FileDigest,
    pub ldlinux_c32: FileDigest,
    /// `xorriso -version`'s first line.
    pub xorriso: String,
}

/// A package as its control file names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageFacts {
    pub package: String,
    pub version: String,
}

/// What the build learned about the kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelFacts {
    /// The release (`uname -r`), e.g. `6.1.0-56-cloud-amd64`.
    pub version: String,
    pub package: PackageFacts,
    /// `CONFIG_HZ`, for [`cmdline::loops_per_jiffy`].
    pub hz: Option<u32>,
    /// Requested modules that the kernel has built in (e.g. `ext4`).
    pub builtin_modules: Vec<String>,
}

/// One output file, relative to the image directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub file: String,
    pub sha256: String,
    pub size: u64,
}

/// The outputs of a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outputs {
    pub kernel: OutputFile,
    pub initramfs: OutputFile,
    pub iso: Option<OutputFile>,
}

/// `manifest.json` of a boot image directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// sha256 of `inputs`: the directory's name.
    pub key: String,
    pub inputs: Inputs,
    pub kernel: KernelFacts,
    pub busybox: Option<PackageFacts>,
    pub mke2fs: Option<Mke2fsFacts>,
    /// Modules in load order.
    pub modules: Vec<ModuleInfo>,
    /// The xorriso command, with `<stage>` for the staged tree.
    pub xorriso: Option<Vec<String>>,
    pub outputs: Outputs,
}

/// What the build put in the initramfs for mke2fs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mke2fsFacts {
    /// The packages read, in the request's order.
    pub packages: Vec<PackageFacts>,
    /// The regular files added (mke2fs, the loader, the libraries), in
    /// path order, with where each came from.
    pub files: Vec<PackagedFile>,
    /// The symbolic links added: (path, target).
    pub links: Vec<(String, String)>,
}

/// A file of the initramfs taken from a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagedFile {
    /// Its path in the initramfs.
    pub path: String,
    pub package: String,
    /// Its path in the package (symbolic links followed).
    pub source: String,
    pub size: u64,
}

/// `/etc/vicport/image.json` inside the initramfs: what the tether can learn
/// about the image it booted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageDescription {
    pub builder: String,
    pub kernel: KernelFacts,
    /// Load order; the same paths as in `/lib/modules/vicport.modules`.
    pub modules: Vec<ModuleInfo>,
    pub tether: FileDigest,
    /// Where busybox is, if the image has it.
    pub busybox: Option<String>,
    /// Where mkfs.ext4 is, if the image has it.
    pub mkfs_ext4: Option<String>,
}

/// A finished boot image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootImage {
    /// `<cache>/boot/<key>/`.
    pub dir: PathBuf,
    /// `vmlinuz`.
    pub kernel: PathBuf,
    /// `initramfs.img`.
    pub initramfs: PathBuf,
    /// `bootstrap.iso`, when asked for.
    pub iso: Option<PathBuf>,
    /// `manifest.json`.
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    /// Whether it came from the cache without building.
    pub cached: bool,
}
