//! The PID-1 boot sequence: early mounts, kernel modules, the platform
//! config, the root disk and volumes, hostname and network, the link and
//! log ports; and the end of the domain: everything killed, synced,
//! unmounted, the VM powered off. `pid1` runs them; a failure at any step
//! powers off, never hangs.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::Arc;
use std::time::Duration;

use super::mounts as guest_mounts;
use super::pidns::{self, PidNamespace};
use super::platform::{self, Platform};
use super::process::ExecRoot;
use super::sys::{MountCall, Sys, flags, remount_read_only};
use super::timeline::Timeline;
use super::{confine, disk, modules, net, say, shares, tree};
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

pub(super) fn mount(
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
    // The platform's own modules follow the hypervisor (they read the
    // config); the disk and NIC drivers follow the devices, which QEMU
    // can emulate VMware's of (the vSphere image's own boot test).
    let mut loader = modules::Loader::open(sys);
    let on_vmware = platform::is_vmware(sys);
    let report = loader.load(sys, |m| modules::early(m, on_vmware));
    say(&report.summary("platform"));
    timeline.mark("modules");
    let platform = platform::detect(sys, Duration::from_secs(3))?;
    let text = platform::read_config(sys, platform)?;
    let config = DomainConfig::decode(&text).map_err(|e| e.to_string())?;
    timeline.mark("config");
    let vmware = on_vmware || platform::has_vmware_devices(sys);
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
            let target = guest_mounts::target(sys, NEWROOT, b)?;
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
    let mut root = ExecRoot {
        uid_map: config.uid_map.clone(),
        gid_map: config.gid_map.clone(),
        ..root
    };
    timeline.mark("devices");
    let root_prefix = if root.chroot { NEWROOT } else { "" };
    let mut volumes = Vec::new();
    for v in &config.volumes {
        let dev = disk::find(sys, &v.source, DEVICE_WAIT)
            .map_err(|e| format!("volume {}: {e}", v.path))?;
        if v.format && !disk::has_ext4(sys, &dev) {
            format_blank(sys, v, &dev).map_err(|e| format!("volume {}: {e}", v.path))?;
        }
        volumes.push((v, dev));
    }
    timeline.mark("volumes");
    let guest: &[_] = if root.chroot { &config.mounts } else { &[] };
    mounts.extend(tree::mount_all(
        sys,
        root_prefix,
        &volumes,
        guest,
        &config.shares,
    )?);
    // The primary's program is read ahead while the boot goes on.
    if let Some(argv0) = config.process.argv.first().filter(|a| !a.is_empty()) {
        let p = &config.process;
        sys.prefetch(&root.path.to_string_lossy(), argv0, &p.env, &p.cwd);
    }
    super::devices::make(sys, root_prefix, &config.devices)?;
    let protections = confine::mask_and_protect(
        sys,
        root_prefix,
        &config.masked_paths,
        &config.readonly_paths,
    )?;
    mounts.extend(protections.iter().map(|p| p.calls[0].target.clone()));
    // Only in a root of its own: the init's /proc goes over the root's.
    // A kernel without pid namespaces (CONFIG_PID_NS) has no
    // /proc/self/ns/pid: the process runs in the guest's, said here.
    if config.pid_namespace && root.chroot {
        if sys.exists("/proc/self/ns/pid") {
            root.pid_ns = Some(Arc::new(PidNamespace::new(pidns::proc_mounts(
                root_prefix,
                &config.mounts,
                &protections,
            ))));
        } else {
            say(
                "this kernel has no pid namespaces: the container's process runs in the guest's, not as PID 1",
            );
        }
    }
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
    net::configure(sys, &config, DEVICE_WAIT)?;
    // A root disk is the domain's own: the tether writes its network files
    // there. A shared root directory is its owner's, who shares those
    // files in themselves (written here they would show in the owner's
    // directory).
    if config.root.is_some() {
        let hosts = net::hosts_file(&config.interfaces, &config.hosts, &hostname);
        write_network_file(
            sys,
            &guest_mounts::target(sys, NEWROOT, "/etc/hosts")?,
            &hosts,
        )?;
        if let Some(r) = net::resolv_conf(&config.interfaces, &config.dns) {
            write_network_file(
                sys,
                &guest_mounts::target(sys, NEWROOT, "/etc/resolv.conf")?,
                &r,
            )?;
        }
        if config.root_read_only {
            mounts.extend(read_only_root(sys)?);
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

/// `--read-only`: the container's root mount becomes read-only, last of
/// the boot's mounts. Only that mount: the volumes, filesystems and shares
/// mounted beneath keep their own modes. The network files the tether
/// rewrites as the domain's networks change are each bound onto
/// themselves first, a mount of their own that stays writable (a file
/// the image lacks is made empty for it). The mounts made, to unmount.
fn read_only_root(sys: &dyn Sys) -> Result<Vec<String>, String> {
    let mut made = Vec::new();
    for path in ["/etc/hosts", "/etc/resolv.conf"] {
        let at = guest_mounts::target(sys, NEWROOT, path)?;
        if !sys.exists(&at) {
            write_network_file(sys, &at, "")?;
        }
        MountCall::bind(&at, &at, 0)
            .run(sys)
            .map_err(|e| format!("cannot bind {path} onto itself: {e}"))?;
        made.push(at);
    }
    remount_read_only(sys, NEWROOT)
        .map_err(|e| format!("cannot make the container's root read-only: {e}"))?;
    Ok(made)
}

/// Write one of the container's network files at boot, at `at`: its path
/// resolved inside the container's root (an image's `/etc/resolv.conf`
/// may link into `/run`; no process of the container runs yet to move a
/// link), the directory it lands in made first.
fn write_network_file(sys: &dyn Sys, at: &str, data: &str) -> Result<(), String> {
    if let Some((dir, _)) = at.rsplit_once('/') {
        sys.mkdir_all(dir)
            .map_err(|e| format!("cannot create {dir}: {e}"))?;
    }
    sys.write_file(at, data.as_bytes())
        .map_err(|e| format!("cannot write {at}: {e}"))
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
/// first), sync, power off. `discarded`: the mount whose disk is thrown
/// away with the domain (`run --rm`'s root): it is neither flushed nor
/// unmounted, each other mount is flushed on its own (`syncfs`, so the
/// discarded disk is not written) before its unmount.
pub fn power_down(sys: &dyn Sys, mounts: &[String], grace: Duration, discarded: Option<&str>) {
    let _ = sys.kill(-1, libc::SIGTERM);
    let step = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    while waited < grace && others_alive(sys) {
        sys.sleep(step);
        waited += step;
    }
    let _ = sys.kill(-1, libc::SIGKILL);
    // With a discarded root, each kept mount is flushed on its own, so
    // nothing writes the root; otherwise one sync flushes them all.
    if discarded.is_none() {
        sys.sync();
    }
    for m in mounts.iter().filter(|m| Some(m.as_str()) != discarded) {
        if discarded.is_some() {
            if let Err(e) = sys.syncfs(m) {
                say(&format!("cannot flush {m}: {e}"));
            }
        }
        if let Err(e) = sys.umount(m) {
            say(&format!("cannot unmount {m}: {e}"));
        }
    }
    if discarded.is_none() {
        sys.sync();
    }
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
#[path = "init_tests.rs"]
mod tests;
