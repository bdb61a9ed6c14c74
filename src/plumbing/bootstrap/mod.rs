//! The boot image builder: a distribution kernel, the modules the tether
//! needs, the static tether as /init, packed into an initramfs and an ISO.

#![allow(dead_code)] // the builder that uses these lands in a later commit

mod apt;
mod ar;
mod cache;
mod cpio;
mod deb;
mod elf;
mod error;
mod initramfs;
mod modules;

pub use error::BootstrapError;
pub use initramfs::Compression;
pub use modules::{DEFAULT_MODULES, ModuleInfo};
