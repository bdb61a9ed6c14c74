//! The QEMU side of a local domain: the `-M microvm` command line built from
//! a domain's machine spec (with a PCIe host bridge, so that NICs can be
//! hot-plugged), and the accelerator choice (KVM only where a real boot
//! proves it works, else TCG).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, IoContext, Result};

/// File names inside a domain directory that QEMU and the monitor share.
/// QEMU runs with the domain directory as its working directory and is given
/// these relative names, so unix socket paths stay short whatever the state
/// directory's length.
pub mod files {
    pub const QMP: &str = "qmp.sock";
    pub const LINK: &str = "link.sock";
    pub const CONSOLE: &str = "console.log";
    pub const OUTPUT: &str = "output.log";
    pub const PIDFILE: &str = "qemu.pid";
    pub const CONFIG: &str = "tether.config";
    pub const ROOT_DISK: &str = "root.qcow2";
}

/// The virtio-serial port names the tether looks for.
pub const LINK_PORT: &str = "org.vicport.link";
/// The log port's name.
pub const LOG_PORT: &str = "org.vicport.log";
/// The fw_cfg name the tether reads its config from.
pub const FW_CFG_CONFIG: &str = "opt/org.vicport/config";

pub use crate::plumbing::bootstrap::Accel;

/// TCG's translation cache, in MiB. QEMU's default is 1 GiB, of which an
/// idle busybox domain fills about 55 MiB; 32 MiB keeps each domain's
/// share of host memory about 20 MiB smaller for about 5% more QEMU CPU
/// time to boot (measured side by side: `cargo bench --bench density`).
/// `VICPORT_TCG_TB_SIZE` (MiB) sets another, for hosts that trade memory
/// for speed the other way.
pub const TCG_TB_SIZE_MB: u32 = 32;

/// The translation cache size new domains get: [`TCG_TB_SIZE_MB`], or
/// `VICPORT_TCG_TB_SIZE` when it is a size QEMU takes (1 MiB to 4 GiB).
pub fn tb_size_mb() -> Result<u32> {
    match std::env::var("VICPORT_TCG_TB_SIZE") {
        Err(_) => Ok(TCG_TB_SIZE_MB),
        Ok(v) if v.is_empty() => Ok(TCG_TB_SIZE_MB),
        Ok(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=4096).contains(n))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "VICPORT_TCG_TB_SIZE={v:?} is not a translation cache size"
                ))
                .with_hint("give MiB from 1 to 4096, or unset it for 32")
            }),
    }
}

/// A network interface of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nic {
    /// Its MAC address (the tether configures interfaces by MAC).
    pub mac: String,
    /// The host side.
    pub backend: NicBackend,
}

/// The host side of a NIC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NicBackend {
    /// A tap device on a bridge (needs root).
    Tap { ifname: String },
    /// QEMU's UDP multicast socket network: rootless, every domain on the
    /// network joins the same group.
    Multicast { group: String },
}

/// A disk given to a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disk {
    pub path: PathBuf,
    /// `qcow2` or `raw`.
    pub format: &'static str,
    /// The virtio-blk serial the tether finds it by.
    pub serial: String,
    pub read_only: bool,
}

/// A host directory given to a domain over virtio-fs: QEMU's side is a
/// vhost-user-fs device whose daemon (virtiofsd) listens on `socket`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsShare {
    /// The tag the guest mounts it by.
    pub tag: String,
    /// The daemon's socket, relative to the domain directory.
    pub socket: String,
    /// The shared host directory.
    pub dir: PathBuf,
    /// Shared read-only.
    pub read_only: bool,
    /// A host directory that virtiofsd binds at `dir`/NAME in a mount
    /// namespace of its own before it serves `dir` (source, NAME): the
    /// guest then binds NAME, and its mountinfo names the source's
    /// directory as a bind mount's root does.
    pub bind: Option<(PathBuf, String)>,
}

/// Everything the QEMU command line is made from.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpus: u32,
    pub memory_mb: u64,
    pub accel: Accel,
    /// TCG's translation cache in MiB (ignored under KVM).
    pub tb_size_mb: u32,
    pub kernel: PathBuf,
    pub initramfs: PathBuf,
    pub cmdline: String,
    /// The root disk; `None` when the root is a shared directory.
    pub root: Option<Disk>,
    pub volumes: Vec<Disk>,
    pub shares: Vec<FsShare>,
    pub nics: Vec<Nic>,
}

/// The QEMU binary.
pub const QEMU: &str = "qemu-system-x86_64";

/// The guest CPU under TCG: everything TCG emulates but the fast-string
/// hints. With ERMS (and FSRM) the guest kernel zeroes and copies pages
/// with `rep stosb`/`rep movsb`, which TCG runs a byte per step, eight
/// times the steps of the `rep stosq` it uses otherwise; boot to ready
/// took about 370 ms less without them here (README, Performance). They
/// are hints, in no x86-64 ISA level: no program needs them.
pub const TCG_CPU: &str = "max,-erms,-fsrm";

/// PCIe root ports left free at start for NICs that join while the domain
/// runs (virtio-mmio devices cannot be hot-plugged; a `virtio-net-pci` on
/// a root port can).
pub const SPARE_NIC_PORTS: usize = 4;

/// The machine type: microvm with a PCIe host bridge (`pcie=on`) for the
/// NICs; disks and the serial ports stay virtio-mmio.
pub const MACHINE: &str = "microvm,rtc=on,isa-serial=on,pcie=on";

/// What the guest kernel needs to take NICs hot-plugged into microvm's
/// root ports: microvm's ACPI tables grant the OS no native PCIe control
/// (it has no MSI), so the port services are forced native, and `pciehp`
/// polls the slots instead of waiting for interrupts.
pub const HOTPLUG_CMDLINE: [&str; 2] = ["pcie_ports=native", "pciehp.pciehp_poll_mode=1"];

/// The id of the `n`th PCIe root port for NICs.
pub fn nic_port(n: usize) -> String {
    format!("nicport{n}")
}

/// The QEMU ids of a NIC (device) and its backend (netdev), from its MAC.
pub fn nic_ids(mac: &str) -> (String, String) {
    let hex: String = mac.chars().filter(char::is_ascii_hexdigit).collect();
    (format!("nic-{hex}"), format!("net-{hex}"))
}

/// The `-netdev` (and QMP `netdev_add`) options of a NIC's backend.
pub fn netdev_options(nic: &Nic) -> String {
    let (_, netdev) = nic_ids(&nic.mac);
    match &nic.backend {
        NicBackend::Tap { ifname } => {
            format!("tap,id={netdev},ifname={ifname},script=no,downscript=no")
        }
        NicBackend::Multicast { group } => format!("socket,id={netdev},mcast={group}"),
    }
}

/// The QEMU arguments for `machine`, relative to the domain directory.
pub fn command_line(machine: &Machine) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    let mut push = |parts: &[&str]| args.extend(parts.iter().map(OsString::from));
    push(&[
        "-name",
        "vicport",
        "-nodefaults",
        "-no-user-config",
        "-nographic",
    ]);
    push(&["-no-reboot"]);
    // microvm: virtio-mmio devices, no PCI, no firmware; the RTC gives the
    // guest the wall clock (the tether's log timestamps depend on it).
    push(&["-M", MACHINE]);
    match machine.accel {
        Accel::Kvm => push(&["-accel", "kvm", "-cpu", "host"]),
        Accel::Tcg => push(&[
            "-accel",
            &format!("tcg,tb-size={}", machine.tb_size_mb),
            "-cpu",
            TCG_CPU,
        ]),
    }
    let smp = machine.cpus.to_string();
    let mem = format!("{}M", machine.memory_mb);
    push(&["-smp", &smp, "-m", &mem]);
    if !machine.shares.is_empty() {
        // vhost-user devices need the guest's memory shared with their
        // daemons.
        push(&[
            "-object",
            &format!("memory-backend-memfd,id=mem,size={mem},share=on"),
            "-machine",
            "memory-backend=mem",
        ]);
    }
    let kernel = machine.kernel.display().to_string();
    let initrd = machine.initramfs.display().to_string();
    push(&[
        "-kernel",
        &kernel,
        "-initrd",
        &initrd,
        "-append",
        &machine.cmdline,
    ]);
    push(&["-serial", &format!("file:{}", files::CONSOLE)]);
    push(&["-pidfile", files::PIDFILE]);
    push(&["-qmp", &format!("unix:{},server=on,wait=off", files::QMP)]);
    push(&[
        "-fw_cfg",
        &format!("name={FW_CFG_CONFIG},file={}", files::CONFIG),
    ]);
    // The guest reports the memory it frees, and QEMU gives it back to
    // the host: what a domain costs follows what its guest uses, not the
    // most it ever touched (the boot's decompression and unpacking).
    push(&["-device", "virtio-balloon-device,free-page-reporting=on"]);
    // The tether link and the log port on one virtio-serial device.
    push(&["-device", "virtio-serial-device,max_ports=4"]);
    push(&[
        "-chardev",
        &format!("socket,id=link,path={},server=on,wait=off", files::LINK),
    ]);
    push(&[
        "-device",
        &format!("virtserialport,chardev=link,name={LINK_PORT}"),
    ]);
    push(&["-chardev", &format!("file,id=log,path={}", files::OUTPUT)]);
    push(&[
        "-device",
        &format!("virtserialport,chardev=log,name={LOG_PORT}"),
    ]);
    for (i, disk) in machine.root.iter().chain(&machine.volumes).enumerate() {
        let ro = if disk.read_only { ",read-only=on" } else { "" };
        push(&[
            "-drive",
            &format!(
                "id=disk{i},if=none,file={},format={}{ro},cache=writeback,discard=unmap",
                escape_option(&disk.path.display().to_string()),
                disk.format
            ),
        ]);
        push(&[
            "-device",
            &format!("virtio-blk-device,drive=disk{i},serial={}", disk.serial),
        ]);
    }
    for (i, share) in machine.shares.iter().enumerate() {
        push(&[
            "-chardev",
            &format!("socket,id=fs{i},path={}", escape_option(&share.socket)),
        ]);
        push(&[
            "-device",
            &format!("vhost-user-fs-device,chardev=fs{i},tag={}", share.tag),
        ]);
    }
    // One PCIe root port per NIC, and spare ones for NICs that join while
    // the domain runs: a NIC on a root port can be hot-plugged and removed.
    for i in 0..machine.nics.len() + SPARE_NIC_PORTS {
        let port = nic_port(i);
        push(&[
            "-device",
            &format!(
                "pcie-root-port,id={port},bus=pcie.0,chassis={},slot=0",
                i + 1
            ),
        ]);
    }
    for (i, nic) in machine.nics.iter().enumerate() {
        let (device, netdev) = nic_ids(&nic.mac);
        push(&["-netdev", &netdev_options(nic)]);
        push(&[
            "-device",
            &format!(
                "virtio-net-pci,id={device},netdev={netdev},mac={},bus={}",
                nic.mac,
                nic_port(i)
            ),
        ]);
    }
    args
}

/// QEMU option values escape commas by doubling them.
fn escape_option(value: &str) -> String {
    value.replace(',', ",,")
}

/// The accelerator probe's cached verdict for this host boot.
#[derive(Debug, Serialize, Deserialize)]
struct Verdict {
    boot_id: String,
    accel: Accel,
    detail: String,
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Choose the accelerator: `VICPORT_ACCEL=kvm|tcg` decides when set; else
/// KVM only if /dev/kvm opens and a real boot of `kernel`/`initramfs` with
/// KVM powers off within the probe timeout (nested virtualization can accept
/// KVM ioctls yet hang every guest). The verdict is cached per host boot.
pub fn choose_accel(cache: &Path, kernel: &Path, initramfs: &Path) -> Result<(Accel, String)> {
    if let Some(other) = std::env::var("VICPORT_ACCEL")
        .ok()
        .filter(|v| !matches!(v.as_str(), "" | "kvm" | "tcg"))
    {
        return Err(
            Error::invalid(format!("VICPORT_ACCEL={other:?} is not an accelerator"))
                .with_hint("use kvm or tcg, or unset it to probe"),
        );
    }
    if let Some(chosen) = cached_accel(cache) {
        return Ok(chosen);
    }
    if std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_err()
    {
        return Ok((Accel::Tcg, "/dev/kvm cannot be opened".into()));
    }
    let path = cache.join("accel.json");
    let id = boot_id();
    let (accel, detail) = probe_kvm(kernel, initramfs)?;
    let verdict = Verdict {
        boot_id: id,
        accel,
        detail: detail.clone(),
    };
    let text = serde_json::to_vec(&verdict).expect("a verdict serializes");
    crate::plumbing::file::write_atomic(&path, &text, 0o600)?;
    Ok((accel, detail))
}

/// The accelerator chosen for this host boot, if it was probed already
/// (or forced with VICPORT_ACCEL).
pub fn cached_accel(cache: &Path) -> Option<(Accel, String)> {
    match std::env::var("VICPORT_ACCEL").ok().as_deref() {
        Some("kvm") => return Some((Accel::Kvm, "VICPORT_ACCEL=kvm".into())),
        Some("tcg") => return Some((Accel::Tcg, "VICPORT_ACCEL=tcg".into())),
        _ => {}
    }
    let v: Verdict = serde_json::from_slice(&std::fs::read(cache.join("accel.json")).ok()?).ok()?;
    (v.boot_id == boot_id()).then_some((v.accel, v.detail))
}

/// How long a KVM guest gets to boot and power off before KVM is declared
/// unusable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

fn probe_kvm(kernel: &Path, initramfs: &Path) -> Result<(Accel, String)> {
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(QEMU)
        .args(["-nodefaults", "-no-user-config", "-nographic", "-no-reboot"])
        .args(["-M", "microvm,rtc=on,isa-serial=on"])
        .args(["-accel", "kvm", "-cpu", "host", "-m", "128M", "-smp", "1"])
        .arg("-kernel")
        .arg(kernel)
        .arg("-initrd")
        .arg(initramfs)
        .args(["-append", "console=ttyS0 quiet panic=-1 vicport.probe=1"])
        .args(["-serial", "null"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .io_context(|| format!("starting {QEMU} for the KVM probe"))?;
    loop {
        if let Some(status) = child
            .try_wait()
            .io_context(|| "waiting for the KVM probe".into())?
        {
            let took = started.elapsed();
            return Ok(if status.success() {
                (
                    Accel::Kvm,
                    format!("a KVM guest booted and powered off in {took:.1?}"),
                )
            } else {
                (Accel::Tcg, format!("QEMU with KVM failed ({status})"))
            });
        }
        if started.elapsed() > PROBE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((
                Accel::Tcg,
                format!("a KVM guest did not power off within {PROBE_TIMEOUT:?}"),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine {
            cpus: 2,
            memory_mb: 512,
            accel: Accel::Tcg,
            tb_size_mb: TCG_TB_SIZE_MB,
            kernel: "/boot/vmlinuz".into(),
            initramfs: "/boot/initramfs.img".into(),
            cmdline: "console=ttyS0 quiet".into(),
            root: Some(Disk {
                path: "root.qcow2".into(),
                format: "qcow2",
                serial: "root".into(),
                read_only: false,
            }),
            shares: Vec::new(),
            volumes: vec![Disk {
                path: "/state/volumes/data,1/disk.ext4".into(),
                format: "raw",
                serial: "vol-data".into(),
                read_only: true,
            }],
            nics: vec![Nic {
                mac: "52:54:00:12:34:56".into(),
                backend: NicBackend::Tap {
                    ifname: "vp0".into(),
                },
            }],
        }
    }

    fn joined(m: &Machine) -> String {
        command_line(m)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn command_line_has_every_device() {
        let line = joined(&machine());
        for want in [
            "-M microvm,",
            "-accel tcg,tb-size=32 -cpu max,-erms,-fsrm",
            "-device virtio-balloon-device,free-page-reporting=on",
            "-smp 2 -m 512M",
            "-append console=ttyS0 quiet",
            "name=opt/org.vicport/config,file=tether.config",
            "virtserialport,chardev=link,name=org.vicport.link",
            "virtserialport,chardev=log,name=org.vicport.log",
            "file=root.qcow2,format=qcow2,",
            "virtio-blk-device,drive=disk0,serial=root",
            // Commas in paths are escaped, read-only volumes stay read-only.
            "file=/state/volumes/data,,1/disk.ext4,format=raw,read-only=on",
            "virtio-blk-device,drive=disk1,serial=vol-data",
            "-M microvm,rtc=on,isa-serial=on,pcie=on",
            "pcie-root-port,id=nicport0,bus=pcie.0,chassis=1,slot=0",
            "pcie-root-port,id=nicport4,bus=pcie.0,chassis=5,slot=0",
            "tap,id=net-525400123456,ifname=vp0,script=no,downscript=no",
            "virtio-net-pci,id=nic-525400123456,netdev=net-525400123456,mac=52:54:00:12:34:56,bus=nicport0",
            "-no-reboot",
            "-pidfile qemu.pid",
        ] {
            assert!(line.contains(want), "missing {want:?} in\n{line}");
        }
    }

    #[test]
    fn a_shared_root_has_no_root_disk_and_shared_memory() {
        let mut m = machine();
        m.root = None;
        m.shares = vec![FsShare {
            tag: "vicport-root".into(),
            socket: "fs0.sock".into(),
            dir: "/var/lib/c1/merged".into(),
            read_only: false,
            bind: None,
        }];
        let line = joined(&m);
        for want in [
            "-object memory-backend-memfd,id=mem,size=512M,share=on -machine memory-backend=mem",
            "-chardev socket,id=fs0,path=fs0.sock",
            "-device vhost-user-fs-device,chardev=fs0,tag=vicport-root",
            // The volume is the first disk now.
            "virtio-blk-device,drive=disk0,serial=vol-data",
        ] {
            assert!(line.contains(want), "missing {want:?} in\n{line}");
        }
        assert!(!line.contains("root.qcow2"), "{line}");
        assert!(!joined(&machine()).contains("memory-backend"));
    }

    #[test]
    fn kvm_uses_the_host_cpu() {
        let mut m = machine();
        m.accel = Accel::Kvm;
        assert!(joined(&m).contains("-accel kvm -cpu host"));
    }

    #[test]
    fn accel_override_is_checked_before_anything_runs() {
        let dir = tempfile::tempdir().unwrap();
        let k = dir.path().join("no-kernel");
        let kind = temp_env("VICPORT_ACCEL", "warp", || {
            choose_accel(dir.path(), &k, &k).unwrap_err().kind()
        });
        assert_eq!(kind, crate::plumbing::error::ErrorKind::InvalidArgument);
        let accel = temp_env("VICPORT_ACCEL", "tcg", || {
            choose_accel(dir.path(), &k, &k).unwrap().0
        });
        assert_eq!(accel, Accel::Tcg);
    }

    fn temp_env<T>(key: &str, value: &str, f: impl FnOnce() -> T) -> T {
        // SAFETY: only this test touches VICPORT_ACCEL.
        unsafe { std::env::set_var(key, value) };
        let r = f();
        // SAFETY: as above.
        unsafe { std::env::remove_var(key) };
        r
    }
}
