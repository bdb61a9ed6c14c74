//! The PID-1 boot sequence: early mounts, kernel modules, the platform
//! config, the root disk and volumes, hostname and network, the link and
//! log ports; and the end of the domain: everything killed, synced,
//! unmounted, the VM powered off. `pid1` runs them; a failure at any step
//! powers off, never hangs.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::time::Duration;

use super::mounts as guest_mounts;
use super::platform::{self, Platform};
use super::process::ExecRoot;
use super::sys::{Sys, flags};
use super::timeline::Timeline;
use super::{confine, disk, modules, net, say, shares};
use tether_protocol::config::{DomainConfig, VolumeConfig};

/// Where the root disk is mounted; container processes are chrooted here.
pub const NEWROOT: &str = "/newroot";

/// The early mounts, in order: (source, target, fstype, flags, data).
pub const EARLY_MOUNTS: [(&str, &str, &str, u64, &str); 7] = [
    ("devtmpfs", "/dev", "devtmpfs", flags::NOSUID, "mode=0755"),
    (
        "proc",
        "/proc",
        "proc",
        flags::NOSUID | flags::NODEV | flags::NOEXEC,
        "",
    ),
    (
        "sysfs",
        "/sys",
        "sysfs",
        flags::NOSUID | flags::NODEV | flags::NOEXEC,
        "",
    ),
    (
        "devpts",
        "/dev/pts",
        "devpts",
        flags::NOSUID | flags::NOEXEC,
        "newinstance,ptmxmode=0666,mode=0620",
    ),
    (
        "shm",
        "/dev/shm",
        "tmpfs",
        flags::NOSUID | flags::NODEV,
        "mode=1777",
    ),
    (
        "tmpfs",
        "/run",
        "tmpfs",
        flags::NOSUID | flags::NODEV,
        "mode=0755",
    ),
    (
        "cgroup2",
        "/sys/fs/cgroup",
        "cgroup2",
        flags::NOSUID | flags::NODEV | flags::NOEXEC,
        "",
    ),
];

/// What the container sees bound from the tether's root, in order.
pub const BINDS: [&str; 5] = ["/dev", "/dev/pts", "/dev/shm", "/proc", "/sys"];

/// What the boot image holds for the boot alone: modules (loaded by
/// now), mke2fs with its libraries and loader (volumes are formatted by
/// now), busybox (a shell for configs without a root disk). Removed once
/// the container's root is mounted, so that the memory they take in the
/// initramfs goes back to the guest (and, with free page reporting, to
/// the host); the tether itself (`/init`) runs on from its mapping.
pub const BOOT_ONLY: [&str; 5] = ["/lib", "/lib64", "/bin", "/sbin", "/usr"];

/// Where format-if-blank looks for mkfs.ext4 in the boot image.
pub const MKFS: [&str; 2] = ["/sbin/mkfs.ext4", "/usr/sbin/mkfs.ext4"];

/// How long devices get to appear after their drivers load.
pub const DEVICE_WAIT: Duration = Duration::from_secs(10);

/// The result of a successful boot.
#[derive(Debug)]
pub struct Boot {
    /// The domain config.
    pub config: DomainConfig,
    /// Where it came from.
    pub platform: Platform,
    /// Where container processes run.
    pub root: ExecRoot,
    /// Mount points to unmount at power-off, innermost first.
    pub mounts: Vec<String>,
    /// The hostname it set.
    pub hostname: String,
    /// When each step ended; `ready` is marked by the caller.
    pub timeline: Timeline,
    /// The modules left for [`finish_boot`].
    pub modules: modules::Loader,
    /// Whether this is a VMware VM (which modules are the platform's).
    pub vmware: bool,
}

fn mount(
    sys: &dyn Sys,
    src: &str,
    target: &str,
    fstype: &str,
    fl: u64,
    data: &str,
) -> Result<(), String> {
    sys.mkdir_all(target)
        .map_err(|e| format!("cannot create {target}: {e}"))?;
    sys.mount(src, target, fstype, fl, data)
        .map_err(|e| format!("cannot mount {src} ({fstype}) on {target}: {e}"))
}

/// Mount devtmpfs, proc, sysfs, devpts, /dev/shm, /run and cgroup2.
pub fn mount_early(sys: &dyn Sys) -> Result<(), String> {
    for (src, target, fstype, fl, data) in EARLY_MOUNTS {
        mount(sys, src, target, fstype, fl, data)?;
    }
    Ok(())
}

/// Where the kernel lists its timers (clock event devices).
const CLOCKEVENTS: &str = "/sys/devices/system/clockevents";

/// The guest kernel has a timer. Under TCG on a starved host the kernel's
/// calibration of the local APIC timer can fail ("APIC frequency too slow,
/// disabling apic timer"), and a microVM has no other timer (no PIT, no
/// HPET): then no sleep ever ends and the boot hangs at its first wait,
/// for good. Checked before that wait, so that the domain fails to start
/// saying why instead. (Where sysfs does not list timers, nothing is said.)
pub fn check_timer(sys: &dyn Sys) -> Result<(), String> {
    let Ok(entries) = sys.read_dir(CLOCKEVENTS) else {
        return Ok(());
    };
    let has_timer = entries
        .iter()
        .filter(|e| e.starts_with("clockevent"))
        .any(|e| {
            sys.read_file(&format!("{CLOCKEVENTS}/{e}/current_device"))
                .is_ok_and(|d| !String::from_utf8_lossy(&d).trim().is_empty())
        });
    if has_timer {
        Ok(())
    } else {
        Err(
            "the guest kernel has no timer: its local APIC timer calibration failed \
             (under TCG, when the host is overloaded), and without a timer no sleep \
             would ever end; start the domain again"
                .into(),
        )
    }
}

/// Everything from the early mounts to the network, as PID 1 does it.
/// Kernel modules load in two phases here (the platform's, then what the
/// config's spec uses); the rest is left in [`Boot::modules`] for after
/// the tether is ready, with the boot files (see [`finish_boot`]).
pub fn boot(sys: &dyn Sys) -> Result<Boot, String> {
    let mut timeline = Timeline::start();
    mount_early(sys)?;
    timeline.mark("mounts");
    check_timer(sys)?;
    if let Err(e) = sys.reopen_console() {
        say(&format!("cannot reopen /dev/console: {e}"));
    }
    let vmware = platform::is_vmware(sys);
    let mut loader = modules::Loader::open(sys);
    let report = loader.load(sys, |m| modules::early(m, vmware));
    say(&report.summary("platform"));
    timeline.mark("modules");
    let platform = platform::detect(sys, Duration::from_secs(3))?;
    let text = platform::read_config(sys, platform)?;
    let config = DomainConfig::decode(&text).map_err(|e| e.to_string())?;
    timeline.mark("config");
    let report = loader.load(sys, |m| modules::for_spec(m, vmware, &config));
    say(&report.summary("spec"));
    let mut mounts = Vec::new();
    let new_root = match (&config.root, &config.root_share) {
        (Some(src), _) => {
            let dev = disk::find(sys, src, DEVICE_WAIT).map_err(|e| format!("root disk: {e}"))?;
            mount(sys, &dev, NEWROOT, "ext4", 0, "")?;
            true
        }
        (None, Some(share)) => {
            shares::mount_root(sys, share, NEWROOT)?;
            true
        }
        (None, None) => false,
    };
    let root = if new_root {
        mounts.push(NEWROOT.to_string());
        for b in BINDS {
            // What the config lists is made in its order, with the rest.
            if guest_mounts::binds_later(&config.mounts, b) {
                continue;
            }
            let target = format!("{NEWROOT}{b}");
            mount(sys, b, &target, "", flags::BIND, "")?;
            mounts.push(target);
        }
        ExecRoot {
            path: NEWROOT.into(),
            chroot: true,
            ..ExecRoot::host()
        }
    } else {
        ExecRoot::host()
    };
    let root = ExecRoot {
        uid_map: config.uid_map.clone(),
        gid_map: config.gid_map.clone(),
        ..root
    };
    timeline.mark("devices");
    let root_prefix = if root.chroot { NEWROOT } else { "" };
    for v in &config.volumes {
        let dev = disk::find(sys, &v.source, DEVICE_WAIT)
            .map_err(|e| format!("volume {}: {e}", v.path))?;
        if v.format && !disk::has_ext4(sys, &dev) {
            format_blank(sys, v, &dev).map_err(|e| format!("volume {}: {e}", v.path))?;
        }
        let target = format!("{root_prefix}{}", v.path);
        let fl = if v.read_only { flags::RDONLY } else { 0 };
        mount(sys, &dev, &target, "ext4", fl, "").map_err(|e| format!("volume {}: {e}", v.path))?;
        mounts.push(target);
    }
    timeline.mark("volumes");
    if root.chroot {
        mounts.extend(guest_mounts::make(sys, root_prefix, &config.mounts)?);
    }
    mounts.extend(shares::bind_all(sys, &config.shares, root_prefix)?);
    super::devices::make(sys, root_prefix, &config.devices)?;
    mounts.extend(confine::mask_and_protect(
        sys,
        root_prefix,
        &config.masked_paths,
        &config.readonly_paths,
    )?);
    for (name, value) in &config.sysctl {
        let path = format!("/proc/sys/{}", name.replace('.', "/"));
        sys.write_file(&path, value.as_bytes())
            .map_err(|e| format!("cannot set the kernel parameter {name} to {value:?}: {e}"))?;
    }
    if root.chroot && !config.root_propagation.is_empty() {
        let fl = propagation_flags(&config.root_propagation)?;
        sys.mount("", NEWROOT, "", fl, "").map_err(|e| {
            format!(
                "cannot make the container's root {}: {e}",
                config.root_propagation
            )
        })?;
    }
    let hostname = [&config.hostname, &config.name]
        .into_iter()
        .find(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| "localhost".into());
    sys.sethostname(&hostname)
        .map_err(|e| format!("cannot set hostname {hostname}: {e}"))?;
    for w in net::configure(sys, &config, DEVICE_WAIT)? {
        say(&w);
    }
    // A root disk is the domain's own: the tether writes its network files
    // there. A shared root directory is its owner's, who shares those
    // files in themselves (written here they would show in the owner's
    // directory).
    if config.root.is_some() {
        let etc = format!("{NEWROOT}/etc");
        sys.mkdir_all(&etc)
            .map_err(|e| format!("cannot create {etc}: {e}"))?;
        sys.write_file(
            &format!("{etc}/hosts"),
            net::hosts_file(&config.interfaces, &config.hosts, &hostname).as_bytes(),
        )
        .map_err(|e| format!("cannot write {etc}/hosts: {e}"))?;
        if let Some(r) = net::resolv_conf(&config.interfaces) {
            sys.write_file(&format!("{etc}/resolv.conf"), r.as_bytes())
                .map_err(|e| format!("cannot write {etc}/resolv.conf: {e}"))?;
        }
    }
    mounts.reverse();
    timeline.mark("network");
    modules::unsettle();
    Ok(Boot {
        config,
        platform,
        root,
        mounts,
        hostname,
        timeline,
        modules: loader,
        vmware,
    })
}

/// After the tether is ready: load the modules left for later, then
/// release the boot files (the modules among them).
pub fn finish_boot(sys: &dyn Sys, mut loader: modules::Loader, vmware: bool, chroot: bool) {
    let report = loader.load(sys, |m| modules::later(m, vmware));
    say(&report.summary("after ready"));
    modules::settle();
    if chroot {
        release_boot_files(sys);
    }
}

/// The mount flags of a root propagation (`shared`, `rslave`, ...).
pub fn propagation_flags(name: &str) -> Result<u64, String> {
    let (rec, kind) = match name.strip_prefix('r') {
        Some(k) if !k.is_empty() => (flags::REC, k),
        _ => (0, name),
    };
    let fl = match kind {
        "shared" => flags::SHARED,
        "slave" => flags::SLAVE,
        "private" => flags::PRIVATE,
        "unbindable" => flags::UNBINDABLE,
        _ => return Err(format!("`{name}` is not a mount propagation")),
    };
    Ok(fl | rec)
}

/// Remove what the boot image held for the boot alone ([`BOOT_ONLY`]).
/// A failure costs only memory: it is said, and the boot goes on.
fn release_boot_files(sys: &dyn Sys) {
    for path in BOOT_ONLY {
        if let Err(e) = sys.remove_all(path) {
            say(&format!("cannot release {path} of the boot image: {e}"));
        }
    }
}

/// Make an ext4 filesystem with the volume's label on `dev`, which has
/// none: only if the disk is blank (a new disk reads as zeros), so that a
/// disk holding anything else is never formatted over.
fn format_blank(sys: &dyn Sys, v: &VolumeConfig, dev: &str) -> Result<(), String> {
    match disk::is_blank(sys, dev) {
        Ok(true) => {}
        Ok(false) => {
            return Err(format!(
                "{dev} has no ext4 filesystem but is not blank (its first MiB holds data): it is left as it is; give the domain a new volume, or make this one ext4"
            ));
        }
        Err(e) => return Err(format!("cannot read {dev} to see whether it is blank: {e}")),
    }
    let mkfs = MKFS.iter().find(|p| sys.exists(p)).ok_or_else(|| {
        format!(
            "{dev} is blank and format-if-blank needs mkfs.ext4 in the boot image (looked for {})",
            MKFS.join(", ")
        )
    })?;
    let label = disk::fit_label(&v.label);
    let mut argv = vec![*mkfs, "-q"];
    if !label.is_empty() {
        argv.extend(["-L", label]);
    }
    argv.push(dev);
    let code = sys
        .run(&argv)
        .map_err(|e| format!("cannot run mkfs.ext4 on blank {dev}: {e}"))?;
    if code != 0 {
        return Err(format!("{} exited with {code}", argv.join(" ")));
    }
    say(&format!("formatted blank {dev} as ext4 (label {label:?})"));
    Ok(())
}

/// The end of the domain: TERM to everything, a grace period that ends
/// early once nothing is left to signal, KILL, sync, unmount (innermost
/// first), sync, power off.
pub fn power_down(sys: &dyn Sys, mounts: &[String], grace: Duration) {
    let _ = sys.kill(-1, libc::SIGTERM);
    let step = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    while waited < grace && others_alive(sys) {
        sys.sleep(step);
        waited += step;
    }
    let _ = sys.kill(-1, libc::SIGKILL);
    sys.sync();
    for m in mounts {
        if let Err(e) = sys.umount(m) {
            say(&format!("cannot unmount {m}: {e}"));
        }
    }
    sys.sync();
    if let Err(e) = sys.power_off() {
        say(&format!("power off failed: {e}"));
    }
}

/// Whether any process but PID 1 is still alive. Kernel threads do not
/// count (they never exit, and kill(-1, 0) counts them: waiting on it kept
/// every domain up for the whole grace period), nor do zombies (dead, and
/// reaped by PID 1). Without /proc, kill(-1, 0) is all there is.
fn others_alive(sys: &dyn Sys) -> bool {
    const PF_KTHREAD: u64 = 0x0020_0000;
    let Ok(entries) = sys.read_dir("/proc") else {
        return sys.kill(-1, 0).is_ok();
    };
    entries
        .iter()
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()) && *name != "1")
        .any(|pid| {
            let Ok(stat) = sys.read_file(&format!("/proc/{pid}/stat")) else {
                return false; // gone meanwhile
            };
            let stat = String::from_utf8_lossy(&stat);
            // After "pid (comm) ": state ppid pgrp session tty tpgid flags ...
            let Some((_, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let zombie = fields.first().is_some_and(|s| *s == "Z" || *s == "X");
            let kthread = fields
                .get(6)
                .and_then(|f| f.parse::<u64>().ok())
                .is_some_and(|flags| flags & PF_KTHREAD != 0);
            !zombie && !kthread
        })
}

pub fn open_port(sys: &dyn Sys, spec: &tether_protocol::config::PortSpec) -> Result<File, String> {
    let path = platform::port_path(sys, spec, DEVICE_WAIT)?;
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(&path)
        .map_err(|e| format!("cannot open port {spec} ({path}): {e}"))?;
    make_raw(&f).map_err(|e| format!("cannot make port {spec} ({path}) raw: {e}"))?;
    Ok(f)
}

/// A serial port is a tty: without raw mode its line discipline would echo,
/// translate CR/NL and buffer lines, corrupting binary frames. What arrived
/// before the port was raw (a host's early Hello, already translated) is
/// discarded: the host says Hello again. Virtio ports and files are not
/// ttys and are left alone.
pub fn make_raw(f: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = f.as_raw_fd();
    // SAFETY: isatty/tcgetattr/tcsetattr on an open descriptor with a
    // termios that tcgetattr initialised.
    unsafe {
        if libc::isatty(fd) == 0 {
            return Ok(());
        }
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::cfmakeraw(&mut t);
        t.c_cflag |= libc::CLOCAL | libc::CREAD;
        if libc::tcsetattr(fd, libc::TCSANOW, &t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::tcflush(fd, libc::TCIFLUSH) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;
    use tether_protocol::config::{DiskSource, InterfaceConfig, PortSpec, VolumeConfig};

    fn config() -> DomainConfig {
        let mut c = DomainConfig::new(vec![1, 2], PortSpec::Virtio("org.vicport.link".into()));
        c.name = "web".into();
        c.root = Some(DiskSource::Label("vicport-root".into()));
        c.process.argv = vec!["/bin/sh".into()];
        c.volumes = vec![
            VolumeConfig {
                source: DiskSource::Serial("vol-data".into()),
                path: "/data".into(),
                read_only: false,
                format: true,
                label: "data".into(),
            },
            VolumeConfig {
                source: DiskSource::Label("cfg".into()),
                path: "/etc/app".into(),
                read_only: true,
                format: false,
                label: "cfg".into(),
            },
        ];
        c.interfaces = vec![InterfaceConfig {
            mac: "52:54:00:00:00:01".into(),
            addresses: vec!["10.0.0.2/24".parse().unwrap()],
            gateway: Some("10.0.0.1".parse().unwrap()),
            dns: vec!["10.0.0.1".parse().unwrap()],
            search: vec![],
        }];
        c
    }

    fn qemu_guest(c: &DomainConfig) -> FakeSys {
        let sys = FakeSys::new();
        sys.add_file(
            modules::MANIFEST,
            "kernel/drivers/virtio/virtio.ko\nkernel/drivers/firmware/qemu_fw_cfg.ko\n",
        );
        sys.add_file("/proc/cmdline", "console=ttyS0 quiet");
        sys.add_file(platform::FW_CFG_CONFIG, c.encode());
        sys.add_file("/sys/class/block/vda/dev", "");
        sys.add_file("/sys/class/block/vdb/serial", "vol-data");
        sys.add_file("/sys/class/block/vdc/dev", "");
        sys.add_file("/dev/vda", disk::fake_ext4_image("vicport-root"));
        sys.add_file("/dev/vdb", vec![0u8; disk::BLANK_PROBE]); // blank
        sys.add_file("/dev/vdc", disk::fake_ext4_image("cfg"));
        sys.add_file("/sys/class/net/lo/address", "00:00:00:00:00:00");
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:00:00:01");
        sys.add_file("/sbin/mkfs.ext4", "elf");
        sys
    }

    #[test]
    fn a_kernel_without_a_timer_stops_the_boot_before_its_first_wait() {
        let c = config();
        let sys = qemu_guest(&c);
        sys.add_file(&format!("{CLOCKEVENTS}/clockevent0/current_device"), "\n");
        sys.add_file(&format!("{CLOCKEVENTS}/broadcast/current_device"), "");
        let err = boot(&sys).unwrap_err();
        assert!(err.contains("no timer"), "{err}");
        // Nothing after the early mounts was tried.
        assert!(!sys.calls().iter().any(|c| c.contains("finit_module")));
        // With the local APIC timer, the boot goes on.
        let sys = qemu_guest(&c);
        sys.add_file(
            &format!("{CLOCKEVENTS}/clockevent0/current_device"),
            "lapic\n",
        );
        sys.add_file(&format!("{CLOCKEVENTS}/broadcast/current_device"), "");
        boot(&sys).unwrap();
    }

    #[test]
    fn without_a_root_disk_the_boot_image_stays_whole() {
        // Processes then run in the tether's own root: its busybox is
        // their shell.
        let mut c = config();
        c.root = None;
        c.volumes.clear();
        let sys = qemu_guest(&c);
        let boot = boot(&sys).unwrap();
        assert_eq!(boot.root, ExecRoot::host());
        assert!(!sys.calls().iter().any(|c| c.starts_with("remove ")));
        assert!(sys.exists("/sbin/mkfs.ext4"));
    }

    #[test]
    fn a_kernel_without_modules_boots_the_same_way() {
        // The microvm flavour: every driver built in, an empty manifest.
        let c = config();
        let sys = qemu_guest(&c);
        sys.add_file(modules::MANIFEST, "");
        let boot = boot(&sys).unwrap();
        finish_boot(&sys, boot.modules, boot.vmware, boot.root.chroot);
        assert_eq!(boot.platform, Platform::Qemu);
        let calls = sys.calls();
        assert!(
            !calls.iter().any(|c| c.starts_with("finit_module")),
            "{calls:?}"
        );
        let at = |call: &str| calls.iter().position(|c| c == call).unwrap();
        assert_eq!(at("console") + 1, at("mkdir /newroot"), "{calls:?}");
        assert_eq!(calls.last().map(String::as_str), Some("remove /usr"));
    }

    #[test]
    fn kernel_parameters_are_set_and_the_root_gets_its_propagation() {
        let mut c = config();
        c.sysctl = vec![
            ("net.ipv4.ip_forward".into(), "1".into()),
            ("kernel/msgmax".into(), "8192".into()),
        ];
        c.root_propagation = "rshared".into();
        let sys = qemu_guest(&c);
        boot(&sys).unwrap();
        assert_eq!(sys.file("/proc/sys/net/ipv4/ip_forward").unwrap(), b"1");
        assert_eq!(sys.file("/proc/sys/kernel/msgmax").unwrap(), b"8192");
        let calls = sys.calls();
        let shared = format!("mount  /newroot  {:#x} ", flags::SHARED | flags::REC);
        assert!(calls.contains(&shared), "{shared} in {calls:?}");
        // After every mount in the container's root.
        let last_in_root = calls
            .iter()
            .rposition(|c| c.starts_with("mount ") && c.contains(" /newroot/"))
            .unwrap();
        assert!(calls.iter().position(|c| *c == shared).unwrap() > last_in_root);

        for (name, fl) in [
            ("slave", flags::SLAVE),
            ("private", flags::PRIVATE),
            ("runbindable", flags::UNBINDABLE | flags::REC),
        ] {
            assert_eq!(propagation_flags(name), Ok(fl));
        }
        assert!(propagation_flags("r").is_err());
        assert!(propagation_flags("sideways").is_err());
    }

    #[test]
    fn a_blank_volume_without_mkfs_in_the_image_is_a_clear_error() {
        let sys = qemu_guest(&config());
        sys.remove_file("/sbin/mkfs.ext4");
        let e = boot(&sys).unwrap_err();
        assert!(e.contains("/data") && e.contains("mkfs.ext4"), "{e}");
    }

    #[test]
    fn a_volume_with_a_filesystem_is_never_formatted() {
        // ext4 already: mounted as it is, whatever `format` says.
        let sys = qemu_guest(&config());
        sys.add_file("/dev/vdb", disk::fake_ext4_image("old-data"));
        boot(&sys).unwrap();
        let calls = sys.calls();
        assert!(!calls.iter().any(|c| c.starts_with("run ")), "{calls:?}");
        assert!(
            calls
                .iter()
                .any(|c| c == "mount /dev/vdb /newroot/data ext4 0x0 ")
        );

        // Not ext4 and not blank (a swap signature): refused, not formatted.
        let sys = qemu_guest(&config());
        let mut swap = vec![0u8; disk::BLANK_PROBE];
        swap[4086..4096].copy_from_slice(b"SWAPSPACE2");
        sys.add_file("/dev/vdb", swap);
        let e = boot(&sys).unwrap_err();
        assert!(
            e.contains("/data") && e.contains("/dev/vdb") && e.contains("not blank"),
            "{e}"
        );
        assert!(!sys.calls().iter().any(|c| c.starts_with("run ")));

        // Shorter than the probe: it cannot be told blank, so it is not.
        let sys = qemu_guest(&config());
        sys.add_file("/dev/vdb", vec![0u8; 4096]);
        let e = boot(&sys).unwrap_err();
        assert!(e.contains("cannot read /dev/vdb"), "{e}");
    }

    #[test]
    fn a_blank_volume_without_a_label_is_formatted_without_one() {
        let mut c = config();
        c.volumes[0].label = String::new();
        let sys = qemu_guest(&c);
        boot(&sys).unwrap();
        let calls = sys.calls();
        let at = calls
            .iter()
            .position(|c| c == "run /sbin/mkfs.ext4 -q /dev/vdb")
            .unwrap_or_else(|| panic!("{calls:?}"));
        assert_eq!(calls[at + 2], "mount /dev/vdb /newroot/data ext4 0x0 ");
        // mkfs.ext4 at its other place, and failing to start.
        let sys = qemu_guest(&c);
        sys.remove_file("/sbin/mkfs.ext4");
        sys.add_file("/usr/sbin/mkfs.ext4", "elf");
        sys.fail("run /usr/sbin/mkfs.ext4", libc::ENOEXEC);
        let e = boot(&sys).unwrap_err();
        assert!(
            e.contains("/data") && e.contains("cannot run mkfs.ext4 on blank /dev/vdb"),
            "{e}"
        );
    }

    #[test]
    fn the_whole_boot_sequence_in_order() {
        let c = config();
        let sys = qemu_guest(&c);
        let mut boot = boot(&sys).unwrap();
        let steps: Vec<&str> = boot.timeline.marks().iter().map(|m| m.0).collect();
        assert_eq!(steps, crate::agent::timeline::STEPS[..7]);
        // The boot files go once the modules left for after ready are in.
        let left = std::mem::take(&mut boot.modules);
        assert!(!sys.calls().iter().any(|c| c.starts_with("remove ")));
        finish_boot(&sys, left, boot.vmware, boot.root.chroot);
        assert_eq!(boot.platform, Platform::Qemu);
        assert_eq!(boot.config, c);
        assert_eq!(
            boot.root,
            ExecRoot {
                path: NEWROOT.into(),
                chroot: true,
                ..ExecRoot::host()
            }
        );
        let calls = sys.calls();
        let expected = [
            "mkdir /dev",
            "mount devtmpfs /dev devtmpfs 0x2 mode=0755",
            "mkdir /proc",
            "mount proc /proc proc 0xe ",
            "mkdir /sys",
            "mount sysfs /sys sysfs 0xe ",
            "mkdir /dev/pts",
            "mount devpts /dev/pts devpts 0xa newinstance,ptmxmode=0666,mode=0620",
            "mkdir /dev/shm",
            "mount shm /dev/shm tmpfs 0x6 mode=1777",
            "mkdir /run",
            "mount tmpfs /run tmpfs 0x6 mode=0755",
            "mkdir /sys/fs/cgroup",
            "mount cgroup2 /sys/fs/cgroup cgroup2 0xe ",
            "console",
            "finit_module /lib/modules/6.1.0-test/kernel/drivers/virtio/virtio.ko",
            "finit_module /lib/modules/6.1.0-test/kernel/drivers/firmware/qemu_fw_cfg.ko",
            "mkdir /newroot",
            "mount /dev/vda /newroot ext4 0x0 ",
            "mkdir /newroot/dev",
            "mount /dev /newroot/dev  0x1000 ",
            "mkdir /newroot/dev/pts",
            "mount /dev/pts /newroot/dev/pts  0x1000 ",
            "mkdir /newroot/dev/shm",
            "mount /dev/shm /newroot/dev/shm  0x1000 ",
            "mkdir /newroot/proc",
            "mount /proc /newroot/proc  0x1000 ",
            "mkdir /newroot/sys",
            "mount /sys /newroot/sys  0x1000 ",
            "run /sbin/mkfs.ext4 -q -L data /dev/vdb",
            "mkdir /newroot/data",
            "mount /dev/vdb /newroot/data ext4 0x0 ",
            "mkdir /newroot/etc/app",
            "mount /dev/vdc /newroot/etc/app ext4 0x1 ",
            "sethostname web",
            "link_up lo",
            "add_ipv4 eth0 10.0.0.2/24",
            "link_up eth0",
            "default_route 10.0.0.1",
            "mkdir /newroot/etc",
            "write /newroot/etc/hosts",
            "write /newroot/etc/resolv.conf",
            // What only the boot needed leaves the initramfs.
            "remove /lib",
            "remove /lib64",
            "remove /bin",
            "remove /sbin",
            "remove /usr",
        ];
        assert_eq!(calls, expected);
        assert!(!sys.exists("/sbin/mkfs.ext4") && !sys.exists("/lib/modules"));
        let hosts = String::from_utf8(sys.file("/newroot/etc/hosts").unwrap()).unwrap();
        assert!(hosts.contains("10.0.0.2\tweb"), "{hosts}");
        assert_eq!(
            boot.mounts,
            [
                "/newroot/etc/app",
                "/newroot/data",
                "/newroot/sys",
                "/newroot/proc",
                "/newroot/dev/shm",
                "/newroot/dev/pts",
                "/newroot/dev",
                "/newroot"
            ]
        );
    }

    /// Standard base64 with padding (what vicport writes into guestinfo).
    fn base64(data: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn a_vsphere_guest_finds_its_config_root_and_scsi_volumes() {
        use crate::agent::backdoor::FakeHypervisor;
        let mut c = config();
        c.link = PortSpec::Serial(1);
        c.log = Some(PortSpec::Serial(2));
        c.volumes = vec![VolumeConfig {
            source: DiskSource::Scsi { bus: 0, unit: 1 },
            path: "/data".into(),
            read_only: false,
            format: true,
            label: "pgdata-for-the-billing-service".into(),
        }];
        let sys = FakeSys::with_vendor("VMwareVMware");
        sys.add_file(
            "/proc/cmdline",
            "console=ttyS0 vicport.platform=vsphere quiet",
        );
        let mut hv = FakeHypervisor::default();
        hv.guestinfo.insert(
            platform::GUESTINFO_CONFIG.into(),
            base64(c.encode().as_bytes()),
        );
        *sys.backdoor.lock().unwrap() = Some(Box::new(hv));
        // ata_piix (the CD-ROM's IDE) first, then the paravirtual SCSI
        // controller with the root disk at unit 0 and the volume at unit 1.
        sys.add_file("/sys/class/scsi_host/host0/proc_name", "ata_piix");
        sys.add_file("/sys/class/scsi_host/host1/proc_name", "vmw_pvscsi");
        for (unit, dev) in [(0, "sda"), (1, "sdb")] {
            sys.add_file(
                &format!("/sys/class/scsi_host/host1/device/target1:0:{unit}/1:0:{unit}:0/block/{dev}/dev"),
                "",
            );
            sys.add_file(&format!("/sys/class/block/{dev}/dev"), "");
        }
        sys.add_file("/dev/sda", disk::fake_ext4_image("vicport-root"));
        sys.add_file("/dev/sdb", vec![0u8; disk::BLANK_PROBE]); // blank
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:00:00:01");
        sys.add_file("/sbin/mkfs.ext4", "elf");
        let boot = boot(&sys).unwrap();
        assert_eq!(boot.platform, Platform::Vsphere);
        assert_eq!(boot.config, c);
        let calls = sys.calls();
        for expected in [
            "mount /dev/sda /newroot ext4 0x0 ",
            // The volume's name, cut to ext4's 16 bytes.
            "run /sbin/mkfs.ext4 -q -L pgdata-for-the-b /dev/sdb",
            "mount /dev/sdb /newroot/data ext4 0x0 ",
            "add_ipv4 eth0 10.0.0.2/24",
        ] {
            assert!(calls.iter().any(|c| c == expected), "{expected}: {calls:?}");
        }
    }

    #[test]
    fn missing_or_malformed_config_stops_the_boot_with_a_clear_error() {
        let sys = FakeSys::new();
        sys.add_file("/proc/cmdline", "vicport.platform=qemu");
        let e = boot(&sys).unwrap_err();
        assert!(e.contains("fw_cfg"), "{e}");
        let sys = FakeSys::new();
        sys.add_file("/proc/cmdline", "vicport.platform=qemu");
        sys.add_file(
            platform::FW_CFG_CONFIG,
            "vicport.config=1\ntoken=zz\nlink=virtio:x\n",
        );
        let e = boot(&sys).unwrap_err();
        assert!(e.contains("line 2") && e.contains("token"), "{e}");
        // Nothing after the config was attempted.
        assert!(!sys.calls().iter().any(|c| c.contains("newroot")));
    }

    #[test]
    fn a_missing_root_disk_names_the_label() {
        let mut c = config();
        c.root = Some(DiskSource::Label("other-root".into()));
        let sys = qemu_guest(&c);
        let e = boot(&sys).unwrap_err();
        assert!(
            e.contains("root disk") && e.contains("label:other-root"),
            "{e}"
        );
    }

    #[test]
    fn a_failed_early_mount_is_fatal_and_named() {
        let sys = qemu_guest(&config());
        sys.fail("mount proc", libc::EPERM);
        let e = boot(&sys).unwrap_err();
        assert!(e.contains("/proc") && e.contains("proc"), "{e}");
    }

    #[test]
    fn serial_ports_are_made_raw() {
        let (master, slave) = crate::agent::process::open_pty(24, 80).unwrap();
        let f = File::from(slave);
        // Bytes that arrive before the port is raw are mangled (CR to NL,
        // echoed): they are dropped.
        {
            use std::io::Write as _;
            let mut m = File::from(master.try_clone().unwrap());
            m.write_all(b"early\r").unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
        make_raw(&f).unwrap();
        // The master stays open to the end: closing it hangs the slave up.
        let mut m = File::from(master);
        {
            use std::io::{Read as _, Write as _};
            use std::os::fd::AsRawFd as _;
            m.write_all(b"late\r").unwrap();
            std::thread::sleep(Duration::from_millis(100));
            // SAFETY: fcntl on the slave we own, to read without blocking.
            unsafe { libc::fcntl(f.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
            let mut got = [0u8; 64];
            let n = (&f).read(&mut got).unwrap_or(0);
            assert_eq!(
                &got[..n],
                b"late\r",
                "{:?}",
                String::from_utf8_lossy(&got[..n])
            );
        }
        use std::os::fd::AsRawFd;
        // SAFETY: tcgetattr into a zeroed termios on an open tty.
        let t = unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(f.as_raw_fd(), &mut t), 0);
            t
        };
        assert_eq!(t.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG), 0);
        assert_eq!(t.c_oflag & libc::OPOST, 0);
        assert_eq!(t.c_iflag & (libc::ICRNL | libc::IXON), 0);
        // Not a tty: left alone.
        make_raw(&File::open("/dev/null").unwrap()).unwrap();
    }

    #[test]
    fn power_down_order() {
        // Nothing left after TERM: no waiting out the grace period.
        let sys = FakeSys::new();
        sys.fail("kill -1 0", libc::ESRCH);
        power_down(
            &sys,
            &["/newroot/data".into(), "/newroot".into()],
            Duration::from_secs(2),
        );
        assert_eq!(
            sys.calls(),
            [
                "kill -1 15",
                "kill -1 0",
                "kill -1 9",
                "sync",
                "umount /newroot/data",
                "umount /newroot",
                "sync",
                "power_off"
            ]
        );
    }

    fn stat(sys: &FakeSys, pid: u32, comm: &str, state: &str, flags: u64) {
        sys.add_file(
            &format!("/proc/{pid}/stat"),
            format!("{pid} ({comm}) {state} 0 0 0 0 -1 {flags} 0 0 0 0 1 2 3 4"),
        );
    }

    #[test]
    fn power_down_does_not_wait_for_kernel_threads_or_zombies() {
        // What a real guest's /proc holds once the container is gone:
        // kernel threads (which kill(-1, 0) counts) and a zombie.
        let sys = FakeSys::new();
        stat(&sys, 1, "init", "S", 0x0040_0100);
        stat(&sys, 2, "kthreadd", "S", 0x0020_8040);
        stat(&sys, 15, "kworker/0:1 (events)", "I", 0x0420_8060);
        stat(&sys, 57, "sh", "Z", 0x0040_0104);
        power_down(&sys, &[], Duration::from_secs(2));
        let calls = sys.calls();
        assert!(!calls.iter().any(|c| c.starts_with("sleep")), "{calls:?}");
        assert!(!calls.iter().any(|c| c == "kill -1 0"), "{calls:?}");
        assert_eq!(calls.last().map(String::as_str), Some("power_off"));
    }

    #[test]
    fn power_down_waits_for_a_process_still_running() {
        let sys = FakeSys::new();
        stat(&sys, 1, "init", "S", 0x0040_0100);
        stat(&sys, 2, "kthreadd", "S", 0x0020_8040);
        stat(&sys, 58, "trap-happy (sh)", "S", 0x0040_0100);
        power_down(&sys, &[], Duration::from_millis(100));
        let calls = sys.calls();
        assert_eq!(calls.iter().filter(|c| *c == "sleep 20ms").count(), 5);
        assert_eq!(calls[calls.len() - 3..], ["sync", "sync", "power_off"]);
    }

    #[test]
    fn power_down_waits_the_grace_for_survivors() {
        let sys = FakeSys::new();
        power_down(&sys, &[], Duration::from_millis(100));
        let calls = sys.calls();
        assert_eq!(calls.iter().filter(|c| *c == "sleep 20ms").count(), 5);
        assert_eq!(
            calls[calls.len() - 4..],
            ["kill -1 9", "sync", "sync", "power_off"]
        );
    }
}
