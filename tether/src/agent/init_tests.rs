//! Tests of the boot: early mounts, the timer check, the config and
//! devices, volumes, propagation, power-down, against the recording `Sys`.

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
        routes: Vec::new(),
        mtu: None,
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

/// Where `call` is among `calls` (it must be there).
fn position(calls: &[String], call: &str) -> usize {
    calls
        .iter()
        .position(|c| c == call)
        .unwrap_or_else(|| panic!("{call} in {calls:?}"))
}

#[test]
fn a_read_only_root_is_remounted_last_and_keeps_its_network_files_writable() {
    let ro = format!(
        "mount  /newroot  {:#x} ",
        flags::BIND | flags::REMOUNT | flags::RDONLY
    );
    let bind = |f: &str| {
        format!(
            "mount /newroot/etc/{f} /newroot/etc/{f}  {:#x} ",
            flags::BIND
        )
    };
    // Without the flag, the root stays as it was mounted.
    let sys = qemu_guest(&config());
    boot(&sys).unwrap();
    assert!(!sys.calls().contains(&ro), "{:?}", sys.calls());

    let mut c = config();
    c.root_read_only = true;
    // No DNS: the image's resolv.conf (none here) is made empty, to bind.
    c.interfaces[0].dns.clear();
    let sys = qemu_guest(&c);
    let boot = boot(&sys).unwrap();
    let calls = sys.calls();
    let at = |call: &str| position(&calls, call);
    // After every other mount in the root, its volumes among them (their
    // mounts keep their own modes), and after the network files.
    let last_in_root = calls
        .iter()
        .rposition(|c| c.starts_with("mount ") && c.contains(" /newroot/") && !c.contains("/etc/"))
        .unwrap();
    assert!(at("mount /dev/vdb /newroot/data ext4 0x0 ") <= last_in_root);
    assert!(at(&ro) > last_in_root);
    assert!(at("write /newroot/etc/hosts") < at(&bind("hosts")));
    assert!(at("write /newroot/etc/resolv.conf") < at(&bind("resolv.conf")));
    assert!(at(&bind("hosts")) < at(&ro) && at(&bind("resolv.conf")) < at(&ro));
    assert_eq!(sys.file("/newroot/etc/resolv.conf").unwrap(), b"");
    // Unmounted before the root on the way down.
    let order = |m: &str| boot.mounts.iter().position(|x| x == m).unwrap();
    assert!(order("/newroot/etc/hosts") < order("/newroot"));
    // A bind that fails stops the boot, naming the file.
    let sys = qemu_guest(&c);
    sys.fail(&bind("hosts"), libc::EINVAL);
    let e = super::boot(&sys).unwrap_err();
    assert!(e.contains("cannot bind /etc/hosts onto itself"), "{e}");
}

#[test]
fn network_files_and_mount_points_behind_the_images_links_stay_in_its_root() {
    // An image whose /etc/resolv.conf links to a resolver's file in /run
    // (absolute, as systemd-resolved's images have it), and whose data
    // directory is a link. Followed from the tether's side, both would
    // lead into the tether's own root.
    let mut c = config();
    c.root_read_only = true;
    let sys = qemu_guest(&c);
    sys.add_link("/newroot/etc/resolv.conf", "/run/resolve/stub.conf");
    sys.add_link("/newroot/data", "srv/data");
    let boot = boot(&sys).unwrap();
    let calls = sys.calls();
    let at = |call: &str| position(&calls, call);
    // The file is written where the link leads in the container, its
    // directory made first; then bound onto itself to stay writable.
    assert!(at("mkdir /newroot/run/resolve") < at("write /newroot/run/resolve/stub.conf"));
    let bind = format!(
        "mount /newroot/run/resolve/stub.conf /newroot/run/resolve/stub.conf  {:#x} ",
        flags::BIND
    );
    assert!(at("write /newroot/run/resolve/stub.conf") < at(&bind));
    assert!(sys.file("/run/resolve/stub.conf").is_none());
    let resolv = String::from_utf8(sys.file("/newroot/run/resolve/stub.conf").unwrap()).unwrap();
    assert!(resolv.contains("nameserver"), "{resolv}");
    // The volume is mounted on the directory the link names.
    at("mount /dev/vdb /newroot/srv/data ext4 0x0 ");
    assert!(boot.mounts.contains(&"/newroot/srv/data".to_string()));
    assert!(!calls.iter().any(|c| c.contains(" /data ")), "{calls:?}");
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
fn a_pid_namespace_remakes_proc_and_its_masks_where_the_kernel_has_one() {
    let mut c = config();
    c.pid_namespace = true;
    c.masked_paths = vec!["/proc/kcore".into(), "/etc/secret".into()];
    c.readonly_paths = vec!["/proc/sys".into()];
    let guest = || {
        let sys = qemu_guest(&c);
        for f in [
            "/newroot/proc/kcore",
            "/newroot/etc/secret",
            "/newroot/proc/sys/x",
        ] {
            sys.add_file(f, "");
        }
        sys
    };
    let sys = guest();
    sys.add_file("/proc/self/ns/pid", "");
    let ns = boot(&sys).unwrap().root.pid_ns.expect("a pid namespace");
    let targets: Vec<&str> = ns.proc_mounts().iter().map(|m| m.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/newroot/proc",
            "/newroot/proc/kcore",
            "/newroot/proc/sys",
            "/newroot/proc/sys"
        ]
    );

    // A kernel without pid namespaces: the guest's, and the boot goes on.
    let boot = boot(&guest()).unwrap();
    assert!(boot.root.pid_ns.is_none());
    assert!(boot.root.chroot);
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
        // The primary's program is read ahead once its root is complete.
        "prefetch /newroot /bin/sh  in ",
        "sethostname web",
        "link_up lo",
        "add_ipv4 eth0 10.0.0.2/24",
        "link_up eth0",
        "default_route 10.0.0.1",
        "mkdir /newroot/etc",
        "write /newroot/etc/hosts",
        "mkdir /newroot/etc",
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
            &format!(
                "/sys/class/scsi_host/host1/device/target1:0:{unit}/1:0:{unit}:0/block/{dev}/dev"
            ),
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

/// The calls of a power-down of a root and a volume with nothing left
/// after TERM (no waiting out the grace period).
fn powered_down(discarded: Option<&str>) -> Vec<String> {
    let sys = FakeSys::new();
    sys.fail("kill -1 0", libc::ESRCH);
    power_down(
        &sys,
        &["/newroot/data".into(), "/newroot".into()],
        Duration::from_secs(2),
        discarded,
    );
    sys.calls()
}

#[test]
fn power_down_order() {
    assert_eq!(
        powered_down(None),
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

#[test]
fn a_discarded_root_is_neither_flushed_nor_unmounted() {
    // `run --rm`: the root disk goes with the domain; a volume is still
    // flushed and unmounted, and nothing syncs every filesystem.
    assert_eq!(
        powered_down(Some("/newroot")),
        [
            "kill -1 15",
            "kill -1 0",
            "kill -1 9",
            "syncfs /newroot/data",
            "umount /newroot/data",
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
    power_down(&sys, &[], Duration::from_secs(2), None);
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
    power_down(&sys, &[], Duration::from_millis(100), None);
    let calls = sys.calls();
    assert_eq!(calls.iter().filter(|c| *c == "sleep 20ms").count(), 5);
    assert_eq!(calls[calls.len() - 3..], ["sync", "sync", "power_off"]);
}

#[test]
fn power_down_waits_the_grace_for_survivors() {
    let sys = FakeSys::new();
    power_down(&sys, &[], Duration::from_millis(100), None);
    let calls = sys.calls();
    assert_eq!(calls.iter().filter(|c| *c == "sleep 20ms").count(), 5);
    assert_eq!(
        calls[calls.len() - 4..],
        ["kill -1 9", "sync", "sync", "power_off"]
    );
}

#[test]
fn vmwares_devices_under_qemu_get_vmwares_drivers() {
    // The vSphere image's own boot test: QEMU (not a VMware CPUID) with
    // the config in fw_cfg, but a pvscsi controller holding the disks.
    let c = config();
    let sys = qemu_guest(&c);
    sys.add_file(
        modules::MANIFEST,
        "kernel/drivers/firmware/qemu_fw_cfg.ko:\n\
         kernel/drivers/block/virtio_blk.ko:\n\
         kernel/drivers/scsi/vmw_pvscsi.ko:\n\
         kernel/drivers/scsi/sd_mod.ko:\n",
    );
    sys.add_file("/sys/bus/pci/devices/0000:00:03.0/vendor", "0x15ad\n");
    let _ = boot(&sys);
    let loaded: Vec<String> = sys
        .calls()
        .iter()
        .filter_map(|c| c.strip_prefix("finit_module /lib/modules/6.1.0-test/kernel/"))
        .map(String::from)
        .collect();
    for m in [
        "firmware/qemu_fw_cfg.ko",
        "drivers/scsi/vmw_pvscsi.ko",
        "drivers/scsi/sd_mod.ko",
    ] {
        let m = m.trim_start_matches("drivers/");
        assert!(
            loaded.iter().any(|l| l.ends_with(m)),
            "{m} not loaded: {loaded:?}"
        );
    }
    assert!(
        !loaded.iter().any(|l| l.ends_with("virtio_blk.ko")),
        "{loaded:?}"
    );
}
