//! Finding block devices: by ext4 label (superblock magic 0xEF53 at
//! 1024+0x38, label at 1024+0x78), by `/sys/class/block/*/serial`, or by
//! SCSI address under `/sys/class/scsi_host/` (vSphere's paravirtual SCSI).

use std::time::Duration;

use super::sys::Sys;
use tether_protocol::config::DiskSource;

/// The ext4 superblock magic.
pub const EXT4_MAGIC: u16 = 0xEF53;
const SB_OFFSET: u64 = 1024;
const SB_LEN: usize = 0x88;

/// The label of an ext2/3/4 superblock (the 0x88 bytes at offset 1024);
/// None if the magic is wrong.
pub fn ext4_label(sb: &[u8]) -> Option<String> {
    if sb.len() < SB_LEN || u16::from_le_bytes([sb[0x38], sb[0x39]]) != EXT4_MAGIC {
        return None;
    }
    let raw = &sb[0x78..0x88];
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    Some(String::from_utf8_lossy(&raw[..end]).into_owned())
}

/// The longest ext4 label, in bytes (`s_volume_name`).
pub const LABEL_MAX: usize = 16;

/// How much of a device must be zeros for it to count as blank: the first
/// MiB holds the partition tables and the signatures of the common
/// filesystems (ext at 1 KiB, XFS at 0, btrfs at 64 KiB, swap at 4 KiB...).
pub const BLANK_PROBE: usize = 1 << 20;

/// `label` cut to ext4's [`LABEL_MAX`] bytes, at a character boundary.
pub fn fit_label(label: &str) -> &str {
    let mut end = label.len().min(LABEL_MAX);
    while !label.is_char_boundary(end) {
        end -= 1;
    }
    &label[..end]
}

/// Whether the first [`BLANK_PROBE`] bytes of a device are all zero, as on
/// a new disk: then formatting it loses nothing.
pub fn is_blank(sys: &dyn Sys, dev: &str) -> std::io::Result<bool> {
    Ok(sys.read_at(dev, 0, BLANK_PROBE)?.iter().all(|&b| b == 0))
}

/// Whether a device carries an ext2/3/4 filesystem.
pub fn has_ext4(sys: &dyn Sys, dev: &str) -> bool {
    sys.read_at(dev, SB_OFFSET, SB_LEN)
        .ok()
        .and_then(|sb| ext4_label(&sb))
        .is_some()
}

fn block_devices(sys: &dyn Sys) -> Vec<String> {
    sys.read_dir("/sys/class/block").unwrap_or_default()
}

/// The driver (`proc_name`) of the SCSI controllers [`DiskSource::Scsi`]
/// counts: vSphere's paravirtual SCSI.
pub const SCSI_DRIVER: &str = "vmw_pvscsi";

/// The SCSI host numbers of the paravirtual SCSI controllers, in order.
/// The driver probes them in PCI order, which on vSphere follows their bus
/// numbers, so the `bus`-th of them is the controller of that bus.
fn scsi_hosts(sys: &dyn Sys) -> Vec<u32> {
    let mut hosts: Vec<u32> = sys
        .read_dir("/sys/class/scsi_host")
        .unwrap_or_default()
        .iter()
        .filter_map(|h| {
            let n: u32 = h.strip_prefix("host")?.parse().ok()?;
            let driver = sys
                .read_file(&format!("/sys/class/scsi_host/{h}/proc_name"))
                .ok()?;
            (String::from_utf8_lossy(&driver).trim() == SCSI_DRIVER).then_some(n)
        })
        .collect();
    hosts.sort_unstable();
    hosts
}

/// The block device at SCSI address `host:0:unit:0`, from the controller's
/// device directory (`.../hostH/targetH:0:U/H:0:U:0/block/sdX`).
fn scsi_disk(sys: &dyn Sys, bus: u32, unit: u32) -> Option<String> {
    let host = *scsi_hosts(sys).get(bus as usize)?;
    let dir = format!(
        "/sys/class/scsi_host/host{host}/device/target{host}:0:{unit}/{host}:0:{unit}:0/block"
    );
    let mut names = sys.read_dir(&dir).ok()?;
    names.sort();
    names.into_iter().next().map(|n| format!("/dev/{n}"))
}

/// Look once for the device of `source`; returns `/dev/<name>`.
pub fn find_once(sys: &dyn Sys, source: &DiskSource) -> Option<String> {
    if let DiskSource::Scsi { bus, unit } = source {
        return scsi_disk(sys, *bus, *unit);
    }
    for name in block_devices(sys) {
        let dev = format!("/dev/{name}");
        let hit = match source {
            DiskSource::Label(l) => sys
                .read_at(&dev, SB_OFFSET, SB_LEN)
                .ok()
                .and_then(|sb| ext4_label(&sb))
                .is_some_and(|found| found == *l),
            DiskSource::Serial(s) => sys
                .read_file(&format!("/sys/class/block/{name}/serial"))
                .is_ok_and(|v| String::from_utf8_lossy(&v).trim() == s),
            DiskSource::Scsi { .. } => false,
        };
        if hit {
            return Some(dev);
        }
    }
    None
}

/// Look for the device of `source`, polling while drivers probe.
pub fn find(sys: &dyn Sys, source: &DiskSource, timeout: Duration) -> Result<String, String> {
    let step = Duration::from_millis(100);
    let mut waited = Duration::ZERO;
    loop {
        if let Some(d) = find_once(sys, source) {
            return Ok(d);
        }
        if waited >= timeout {
            return Err(format!(
                "no block device with {source} after {} s (is the disk attached and its driver in the module manifest?)",
                timeout.as_secs()
            ));
        }
        sys.sleep(step);
        waited += step;
    }
}

/// A fake ext4 superblock area (2048 bytes) with `label`, for tests.
pub fn fake_ext4_image(label: &str) -> Vec<u8> {
    let mut img = vec![0u8; 2048];
    img[1024 + 0x38..1024 + 0x3a].copy_from_slice(&EXT4_MAGIC.to_le_bytes());
    let l = label.as_bytes();
    let n = l.len().min(16);
    img[1024 + 0x78..1024 + 0x78 + n].copy_from_slice(&l[..n]);
    img
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    #[test]
    fn superblock_label() {
        let img = fake_ext4_image("vicport-root");
        assert_eq!(
            ext4_label(&img[1024..1024 + SB_LEN]).as_deref(),
            Some("vicport-root")
        );
        assert_eq!(ext4_label(&[0u8; SB_LEN]), None);
        assert_eq!(ext4_label(&[0u8; 10]), None);
        let full = fake_ext4_image("exactly16charsxx");
        assert_eq!(
            ext4_label(&full[1024..1024 + SB_LEN]).as_deref(),
            Some("exactly16charsxx")
        );
    }

    #[test]
    fn labels_fit_ext4() {
        assert_eq!(fit_label("data"), "data");
        assert_eq!(fit_label(""), "");
        assert_eq!(fit_label(&"v".repeat(63)), "v".repeat(16));
        // 15 ASCII bytes and a two-byte character: the character goes.
        assert_eq!(fit_label("fifteen-bytes-xü"), "fifteen-bytes-x");
        assert_eq!(fit_label("fourteen-bytesü"), "fourteen-bytesü");
    }

    #[test]
    fn blank_means_zeros_where_signatures_live() {
        let sys = FakeSys::new();
        sys.add_file("/dev/new", vec![0u8; BLANK_PROBE]);
        let mut swap = vec![0u8; BLANK_PROBE];
        swap[4086..4096].copy_from_slice(b"SWAPSPACE2");
        sys.add_file("/dev/swap", swap);
        let mut btrfs = vec![0u8; BLANK_PROBE];
        btrfs[0x10040..0x10048].copy_from_slice(b"_BHRfS_M");
        sys.add_file("/dev/btrfs", btrfs);
        assert!(is_blank(&sys, "/dev/new").unwrap());
        assert!(!is_blank(&sys, "/dev/swap").unwrap());
        assert!(!is_blank(&sys, "/dev/btrfs").unwrap());
        assert!(is_blank(&sys, "/dev/missing").is_err());
    }

    #[test]
    fn finds_by_label_and_serial_and_times_out() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/block/vda/dev", "254:0");
        sys.add_file("/sys/class/block/vdb/serial", "vol-2\n");
        sys.add_file("/sys/class/block/vdc/dev", "254:32");
        sys.add_file("/dev/vda", vec![0u8; 2048]);
        sys.add_file("/dev/vdc", fake_ext4_image("vicport-root"));
        let root = DiskSource::Label("vicport-root".into());
        assert_eq!(find(&sys, &root, Duration::ZERO).unwrap(), "/dev/vdc");
        let vol = DiskSource::Serial("vol-2".into());
        assert_eq!(find(&sys, &vol, Duration::ZERO).unwrap(), "/dev/vdb");
        let e = find(
            &sys,
            &DiskSource::Label("nope".into()),
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(e.contains("label:nope"), "{e}");
        assert_eq!(sys.calls(), ["sleep 100ms", "sleep 100ms", "sleep 100ms"]);
        assert!(has_ext4(&sys, "/dev/vdc") && !has_ext4(&sys, "/dev/vda"));
    }

    /// A vSphere guest's sysfs: the CD-ROM's IDE ports come first as SCSI
    /// hosts of ata_piix, then two paravirtual SCSI controllers.
    fn vsphere_guest() -> FakeSys {
        let sys = FakeSys::new();
        for (host, driver) in [
            (0, "ata_piix"),
            (1, "ata_piix"),
            (2, "vmw_pvscsi"),
            (3, "vmw_pvscsi"),
        ] {
            sys.add_file(
                &format!("/sys/class/scsi_host/host{host}/proc_name"),
                format!("{driver}\n"),
            );
        }
        for (host, unit, dev) in [(2, 0, "sda"), (2, 1, "sdb"), (2, 12, "sdc"), (3, 1, "sdd")] {
            sys.add_file(
                &format!("/sys/class/scsi_host/host{host}/device/target{host}:0:{unit}/{host}:0:{unit}:0/block/{dev}/dev"),
                "8:0",
            );
            sys.add_file(&format!("/sys/class/block/{dev}/dev"), "8:0");
        }
        sys.add_file(
            "/sys/class/scsi_host/host0/device/target0:0:0/0:0:0:0/block/sr0/dev",
            "11:0",
        );
        sys.add_file("/dev/sda", fake_ext4_image("vicport-root"));
        sys
    }

    #[test]
    fn finds_scsi_disks_by_controller_bus_and_unit() {
        let sys = vsphere_guest();
        let at = |bus, unit| find(&sys, &DiskSource::Scsi { bus, unit }, Duration::ZERO);
        assert_eq!(at(0, 1).unwrap(), "/dev/sdb");
        assert_eq!(at(0, 12).unwrap(), "/dev/sdc");
        assert_eq!(at(1, 1).unwrap(), "/dev/sdd");
        // ata_piix's hosts are not counted: bus 0 is host2, not host0.
        assert_eq!(at(0, 0).unwrap(), "/dev/sda");
        let e = at(2, 1).unwrap_err();
        assert!(e.contains("scsi:2:1"), "{e}");
        assert!(at(1, 0).is_err());
        // The root disk on the same controller is still found by its label.
        let root = DiskSource::Label("vicport-root".into());
        assert_eq!(find(&sys, &root, Duration::ZERO).unwrap(), "/dev/sda");
    }
}
