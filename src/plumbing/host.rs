//! Facts about this host and the programs vicport runs on it (e2fsprogs,
//! qemu-utils), found where Debian puts them even when PATH lacks sbin.

use std::path::PathBuf;

use crate::plumbing::error::{Error, Result};

/// Find a helper program: on PATH, then in the sbin directories that a
/// normal user's PATH lacks on Debian. Missing: an error naming the package
/// that provides it.
pub fn find_tool(name: &str, package: &str) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::other(format!("{name} is not installed"))
                .with_hint(format!("install {package} (apt-get install {package})"))
        })
}

/// Total memory of this host in MiB.
pub fn memory_mb() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
