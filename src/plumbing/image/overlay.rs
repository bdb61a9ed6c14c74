//! A domain's root disk on the local platform: a qcow2 overlay whose backing
//! file is the image's raw ext4 disk, so domains share the image and write
//! only their own changes.

use std::path::Path;
use std::process::Command;

use crate::plumbing::error::{Error, IoContext, Result};

use super::ext4::{find_tool, run};

/// Create `overlay` (qcow2) backed by the raw disk `base`. The backing path
/// is recorded absolute, so the overlay can live anywhere. `size` makes the
/// overlay's virtual disk bigger than the base (the guest must grow its file
/// system to use it); `None` keeps the base's size. An existing `overlay` is
/// never overwritten.
pub fn create_overlay(base: &Path, overlay: &Path, size: Option<u64>) -> Result<()> {
    overlay_on(base, "raw", overlay, size)
}

/// Create `overlay` (qcow2, the same size) over `base`, a disk in
/// `format` (`raw`, `qcow2`: another domain's root disk, which the overlay
/// only reads).
pub fn create_overlay_of(base: &Path, format: &str, overlay: &Path) -> Result<()> {
    overlay_on(base, format, overlay, None)
}

fn overlay_on(base: &Path, format: &str, overlay: &Path, size: Option<u64>) -> Result<()> {
    let base = std::path::absolute(base).io_context(|| format!("resolving {}", base.display()))?;
    let base_size = std::fs::metadata(&base)
        .io_context(|| format!("reading the image disk {}", base.display()))?
        .len();
    if let Some(size) = size
        && size < base_size
    {
        return Err(Error::invalid(format!(
            "a root disk of {size} bytes is smaller than the image's {base_size}"
        )));
    }
    if overlay.symlink_metadata().is_ok() {
        return Err(Error::taken(format!(
            "{} already exists",
            overlay.display()
        )));
    }
    let qemu_img = find_tool("qemu-img", "qemu-utils")?;
    let mut cmd = Command::new(qemu_img);
    cmd.args(["create", "-q", "-f", "qcow2", "-F", format, "-b"])
        .arg(&base)
        .arg(overlay);
    if let Some(size) = size {
        cmd.arg(size.to_string());
    }
    run(&mut cmd, "qemu-img create")
        .map(|_| ())
        .map_err(|e| e.context(format!("creating the overlay {}", overlay.display())))
}
