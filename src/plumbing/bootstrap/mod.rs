//! The boot image builder: a distribution kernel, the modules the tether
//! needs, the static tether as /init, packed into an initramfs and an ISO.

#![allow(dead_code)] // the builder that uses these lands in a later commit

mod apt;
mod ar;
mod cache;
pub mod cmdline;
mod cpio;
mod deb;
mod elf;
mod error;
mod initramfs;
mod iso;
mod modules;

pub use cmdline::{Accel, CmdlineOptions, Console, host_tsc_khz, kernel_cmdline};
pub use error::BootstrapError;
pub use initramfs::Compression;
pub use iso::{ISOLINUX_BIN, LDLINUX_C32};
pub use modules::{DEFAULT_MODULES, ModuleInfo};
