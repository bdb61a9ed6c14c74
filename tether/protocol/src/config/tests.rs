//! The config document's encoder and decoder: round trips, line numbers
//! in errors, and that no input makes the decoder panic.

use super::*;

fn full() -> DomainConfig {
    let mut c = DomainConfig::new(
        vec![0xde, 0xad, 0xbe, 0xef],
        PortSpec::Virtio("org.vicport.link".into()),
    );
    c.id = "0123abcd".into();
    c.name = "web".into();
    c.hostname = "web-1".into();
    c.log = Some(PortSpec::Serial(1));
    c.root = Some(DiskSource::Label("vicport-root".into()));
    c.root_read_only = true;
    c.dns = DnsConfig {
        servers: vec!["10.0.0.53".parse().unwrap(), "fd00::53".parse().unwrap()],
        search: vec!["corp.example".into()],
        options: vec!["ndots:2".into(), "edns0".into()],
    };
    c.process = ProcessConfig {
        argv: vec![
            "/bin/sh".into(),
            "-c".into(),
            "echo 'a=b'\\\n\tdone\u{1}".into(),
        ],
        env: vec!["PATH=/bin".into(), "EMPTY=".into(), "ÜNI=ç".into()],
        cwd: "/srv".into(),
        user: "www:www".into(),
        tty: true,
        stdin: true,
        wait_for_attach: true,
        stop_signal: Signal::INT,
        limits: ProcessLimits {
            groups: vec![10, 0],
            rlimits: vec![Rlimit {
                name: "NOFILE".into(),
                soft: 1024,
                hard: 1048576,
            }],
            capabilities: Some(Capabilities {
                bounding: vec!["CAP_CHOWN".into(), "CAP_KILL".into()],
                effective: vec!["CAP_KILL".into()],
                ..Default::default()
            }),
            no_new_privileges: true,
            oom_score_adj: Some(-500),
        },
    };
    c.masked_paths = vec!["/proc/kcore".into(), "/sys/firmware".into()];
    c.readonly_paths = vec!["/proc/sys".into()];
    c.sysctl = vec![
        ("net.ipv4.ip_forward".into(), "1".into()),
        ("kernel/shmmax".into(), "a b=c".into()),
    ];
    c.mounts = vec![
        GuestMount {
            fstype: "mqueue".into(),
            source: String::new(),
            path: "/dev/mqueue".into(),
            options: vec!["nosuid".into(), "nodev".into()],
        },
        GuestMount {
            fstype: "tmpfs".into(),
            source: String::new(),
            path: "/run".into(),
            options: vec!["mode=755".into(), "size=65536k".into()],
        },
    ];
    c.volumes = vec![
        VolumeConfig {
            source: DiskSource::Label("data".into()),
            path: "/data".into(),
            read_only: false,
            format: true,
            label: "data".into(),
        },
        VolumeConfig {
            source: DiskSource::Serial("vol-2".into()),
            path: "/ro".into(),
            read_only: true,
            format: false,
            label: String::new(),
        },
        VolumeConfig {
            source: DiskSource::Scsi { bus: 0, unit: 12 },
            path: "/scsi".into(),
            read_only: false,
            format: true,
            label: "a volume name longer than sixteen bytes, ü".into(),
        },
    ];
    c.interfaces = vec![InterfaceConfig {
        mac: "52:54:00:12:34:56".into(),
        addresses: vec![
            "10.0.0.2/24".parse().unwrap(),
            "fd00::2/64".parse().unwrap(),
        ],
        gateway: Some("10.0.0.1".parse().unwrap()),
        routes: vec![
            "::/0 via fd00::1".parse().unwrap(),
            "10.9.0.0/16 via 10.0.0.254".parse().unwrap(),
        ],
        mtu: Some(1400),
        dns: vec!["10.0.0.1".parse().unwrap()],
        search: vec!["example.test".into()],
    }];
    c.hosts = vec![HostEntry {
        address: "10.0.0.3".parse().unwrap(),
        names: vec!["db".into(), "db.example.test".into()],
    }];
    c
}

#[test]
fn full_document_round_trips() {
    let c = full();
    let text = c.encode();
    assert!(text.starts_with("vicport.config=1\n"));
    assert!(text.contains("volume.0.label=data\n"), "{text}");
    assert!(text.contains("root.read_only=true\n"), "{text}");
    assert!(text.contains("dns.server.1=fd00::53\n"), "{text}");
    assert!(text.contains("dns.option.0=ndots:2\n"), "{text}");
    assert!(
        text.contains("process.argv.2=echo 'a=b'\\\\\\n\\tdone\\x01\n"),
        "{text}"
    );
    assert_eq!(DomainConfig::decode(&text).unwrap(), c);
}

#[test]
fn a_mounts_source_is_written_only_when_it_is_not_the_types_name() {
    let mut c = DomainConfig::new(vec![1], PortSpec::Serial(1));
    c.mounts = vec![
        GuestMount {
            fstype: "tmpfs".into(),
            source: "shm".into(),
            path: "/dev/shm".into(),
            options: vec![],
        },
        GuestMount {
            fstype: "tmpfs".into(),
            path: "/run".into(),
            ..GuestMount::default()
        },
    ];
    let text = c.encode();
    assert!(text.contains("mount.0.source=shm\n"), "{text}");
    assert!(!text.contains("mount.1.source"), "{text}");
    assert_eq!(DomainConfig::decode(&text).unwrap(), c);
}

#[test]
fn minimal_document_and_unknown_keys() {
    let text = "vicport.config=1\n# comment\n\ntoken=00ff\nlink=serial:1\nfuture.key=whatever\nprocess.argv.0=/bin/true\nvolume.0.source=label:x\nvolume.0.path=/x\nvolume.0.newfield=1\n";
    let c = DomainConfig::decode(text).unwrap();
    assert_eq!(c.token, vec![0, 255]);
    assert_eq!(c.link, PortSpec::Serial(1));
    assert_eq!(c.process.argv, vec!["/bin/true"]);
    assert_eq!(c.process.stop_signal, Signal::TERM);
    assert_eq!(c.volumes.len(), 1);
    // A document from before volume labels: no label.
    assert_eq!(c.volumes[0].label, "");
}

fn line_of(text: &str) -> usize {
    DomainConfig::decode(text).unwrap_err().line
}

#[test]
fn malformed_lines_are_named() {
    let head = "vicport.config=1\ntoken=00\nlink=virtio:l\n";
    assert_eq!(line_of(&format!("{head}no equals sign\n")), 4);
    assert_eq!(line_of(&format!("{head}Upper=1\n")), 4);
    assert_eq!(line_of(&format!("{head}process.tty=yes\n")), 4);
    assert_eq!(line_of(&format!("{head}hostname=a\\q\n")), 4);
    assert_eq!(line_of(&format!("{head}hostname=a\\\n")), 4);
    assert_eq!(line_of(&format!("{head}hostname=\\xff\n")), 4);
    assert_eq!(line_of(&format!("{head}hostname=a\nhostname=b\n")), 5);
    assert_eq!(line_of(&format!("{head}process.argv.1=x\n")), 4);
    assert_eq!(line_of(&format!("{head}process.argv.01=x\n")), 4);
    assert_eq!(line_of(&format!("{head}process.stop_signal=99\n")), 4);
    assert_eq!(line_of(&format!("{head}process.stop_signal=32\n")), 4);
    assert_eq!(line_of(&format!("{head}process.stop_signal=TERM\n")), 4);
    assert_eq!(line_of(&format!("{head}net.0.mac=zz\n")), 4);
    assert_eq!(
        line_of(&format!(
            "{head}net.0.mac=52:54:00:00:00:01\nnet.0.address.0=10.0.0.1/33\n"
        )),
        5
    );
    for bad in [
        "10.9.0.0/16",
        "10.9.0.0/16 via fd00::1",
        "::/0 via 10.0.0.1",
        "10.9.0.1/16 via 10.0.0.1",
        "fd00::1/64 via fd00::2",
        "10.9.0.0/33 via 10.0.0.1",
        "10.9.0.0/16 via x",
    ] {
        assert_eq!(
            line_of(&format!(
                "{head}net.0.mac=52:54:00:00:00:01\nnet.0.route.0={bad}\n"
            )),
            5,
            "{bad}"
        );
    }
    for bad in ["67", "65536", "x", "-1"] {
        assert_eq!(
            line_of(&format!(
                "{head}net.0.mac=52:54:00:00:00:01\nnet.0.mtu={bad}\n"
            )),
            5,
            "{bad}"
        );
    }
    assert_eq!(line_of(&format!("{head}hosts.0=10.0.0.1\n")), 4);
    assert_eq!(line_of(&format!("{head}root=uuid:x\n")), 4);
    assert_eq!(line_of(&format!("{head}root.read_only=yes\n")), 4);
    assert_eq!(line_of(&format!("{head}dns.server.0=resolver\n")), 4);
    assert_eq!(line_of(&format!("{head}dns.search.0=a b\n")), 4);
    assert_eq!(line_of(&format!("{head}dns.option.0=\n")), 4);
    assert_eq!(line_of(&format!("{head}dns.option.0=x;y\n")), 4);
    // Read-only applies to a root disk; a shared root has its own mode.
    let e = DomainConfig::decode(&format!("{head}root.read_only=true\n")).unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.message.contains("rootfs.read_only"), "{e}");
    for bad in [
        "serial:/dev/ttyS1",
        "serial:",
        "serial:x",
        "serial:-1",
        "serial:+1",
        "serial:256",
        "tty:1",
        "virtio:",
    ] {
        assert_eq!(line_of(&format!("{head}log={bad}\n")), 4, "{bad}");
    }
    for bad in [
        "scsi:",
        "scsi:0",
        "scsi:0:",
        "scsi::1",
        "scsi:a:1",
        "scsi:0:1:2",
        "scsi:-1:1",
        "scsi:0:1000",
    ] {
        assert_eq!(line_of(&format!("{head}root={bad}\n")), 4, "{bad}");
    }
    assert_eq!(line_of("token=00\n"), 1);
    assert_eq!(line_of("vicport.config=2\n"), 1);
    let e = DomainConfig::decode("vicport.config=1\nlink=virtio:x\n").unwrap_err();
    assert_eq!(e.line, 0);
    assert!(e.to_string().contains("token"), "{e}");
    let e = DomainConfig::decode("").unwrap_err();
    assert!(e.to_string().contains("vicport.config"), "{e}");
}

#[test]
fn pseudo_random_documents_never_panic() {
    let base = full().encode();
    let bytes = base.as_bytes();
    let mut x: u64 = 12345;
    for _ in 0..3000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut b = bytes.to_vec();
        let pos = (x as usize) % b.len();
        b[pos] = (x >> 32) as u8;
        b.truncate((x >> 40) as usize % (b.len() + 1));
        let _ = DomainConfig::decode(&String::from_utf8_lossy(&b));
    }
}

#[test]
fn routes_parse_and_print_and_networks_drop_host_bits() {
    for r in [
        "0.0.0.0/0 via 10.0.0.1",
        "::/0 via fe80::1",
        "10.8.0.0/14 via 10.0.0.9",
    ] {
        assert_eq!(r.parse::<RouteConfig>().unwrap().to_string(), r);
    }
    let p: IpPrefix = "10.9.8.7/12".parse().unwrap();
    assert_eq!(p.network().to_string(), "10.0.0.0");
    let p: IpPrefix = "fd00:1:2:3::5/48".parse().unwrap();
    assert_eq!(p.network().to_string(), "fd00:1:2::");
    let p: IpPrefix = "10.9.8.7/0".parse().unwrap();
    assert_eq!(p.network().to_string(), "0.0.0.0");
    let p: IpPrefix = "10.9.8.7/32".parse().unwrap();
    assert_eq!(p.network().to_string(), "10.9.8.7");
}

#[test]
fn disk_sources_parse_and_print() {
    for (text, source) in [
        (
            "label:vicport-root",
            DiskSource::Label("vicport-root".into()),
        ),
        ("serial:vol-1", DiskSource::Serial("vol-1".into())),
        ("scsi:0:1", DiskSource::Scsi { bus: 0, unit: 1 }),
        ("scsi:3:15", DiskSource::Scsi { bus: 3, unit: 15 }),
    ] {
        assert_eq!(text.parse::<DiskSource>().unwrap(), source);
        assert_eq!(source.to_string(), text);
    }
}

#[test]
fn port_specs_parse_and_print() {
    for (text, port) in [
        (
            "virtio:org.vicport.link",
            PortSpec::Virtio("org.vicport.link".into()),
        ),
        ("serial:0", PortSpec::Serial(0)),
        ("serial:1", PortSpec::Serial(1)),
        ("serial:255", PortSpec::Serial(255)),
        ("file:/tmp/log", PortSpec::File("/tmp/log".into())),
    ] {
        assert_eq!(text.parse::<PortSpec>().unwrap(), port);
        assert_eq!(port.to_string(), text);
    }
    // A device path is what a serial port spec no longer is.
    let e = "serial:/dev/ttyS1".parse::<PortSpec>().unwrap_err();
    assert!(e.contains("COM2"), "{e}");
}

#[test]
fn hex_and_escape_helpers() {
    assert_eq!(hex_decode("DEad").unwrap(), vec![0xde, 0xad]);
    assert!(hex_decode("abc").is_err());
    assert!(hex_decode("zz").is_err());
    let s = "a\\b\nc\r\t\u{7f}é";
    assert_eq!(unescape(&escape(s)).unwrap(), s);
}

#[test]
fn a_shared_root_and_shares_round_trip() {
    let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("l".into()));
    c.root_share = Some(RootShare {
        tag: "vicport-root".into(),
        read_only: true,
    });
    c.shares = vec![
        ShareConfig {
            tag: "vicport-share-0".into(),
            subpath: "hosts".into(),
            path: "/etc/hosts".into(),
            read_only: false,
        },
        ShareConfig {
            tag: "vicport-share-1".into(),
            subpath: String::new(),
            path: "/data".into(),
            read_only: true,
        },
    ];
    let text = c.encode();
    for line in [
        "rootfs.share=vicport-root\n",
        "rootfs.read_only=true\n",
        "share.0.subpath=hosts\n",
        "share.1.path=/data\n",
        "share.1.read_only=true\n",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert_eq!(DomainConfig::decode(&text).unwrap(), c);
    // Without shares, nothing of them is written (the golden document).
    let plain = full().encode();
    assert!(!plain.contains("rootfs.") && !plain.contains("share."));
}

#[test]
fn bad_shares_are_named() {
    let head = "vicport.config=1\ntoken=00\nlink=virtio:l\n";
    let share = "share.0.tag=t\nshare.0.path=/x\n";
    assert_eq!(line_of(&format!("{head}rootfs.share=a/b\n")), 4);
    assert_eq!(
        line_of(&format!("{head}rootfs.share={}\n", "t".repeat(37))),
        4
    );
    let e = DomainConfig::decode(&format!("{head}root=label:r\nrootfs.share=r\n")).unwrap_err();
    assert_eq!(e.line, 5);
    assert!(e.message.contains("give one"), "{e}");
    assert_eq!(
        line_of(&format!("{head}share.0.tag=t t\nshare.0.path=/x\n")),
        4
    );
    assert_eq!(line_of(&format!("{head}{share}share.0.subpath=/etc\n")), 6);
    assert_eq!(
        line_of(&format!("{head}{share}share.0.subpath=a/../..\n")),
        6
    );
    assert_eq!(
        line_of(&format!("{head}share.0.tag=t\nshare.0.path=x\n")),
        5
    );
    assert_eq!(
        line_of(&format!("{head}share.0.tag=t\nshare.0.path=/a/../b\n")),
        5
    );
    let e = DomainConfig::decode(&format!("{head}share.0.path=/x\n")).unwrap_err();
    assert!(e.message.contains("share.0.tag"), "{e}");
    assert_eq!(line_of(&format!("{head}{share}share.0.read_only=1\n")), 6);
    DomainConfig::decode(&format!("{head}{share}")).unwrap();
}

#[test]
fn process_limits_are_written_only_when_set_and_checked() {
    let text = full().encode();
    for line in [
        "process.groups.0=10\n",
        "process.rlimit.0=NOFILE 1024 1048576\n",
        "process.caps=true\n",
        "process.caps.bounding.1=CAP_KILL\n",
        "process.no_new_privileges=true\n",
        "process.oom_score_adj=-500\n",
        "masked.1=/sys/firmware\n",
        "mount.0.type=mqueue\n",
        "mount.1.options.1=size=65536k\n",
        "readonly.0=/proc/sys\n",
        "sysctl.0=net.ipv4.ip_forward=1\n",
        "sysctl.1=kernel/shmmax=a b=c\n",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    // Capabilities given as empty sets are not the same as none given.
    let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("l".into()));
    c.process.limits.capabilities = Some(Capabilities::default());
    let back = DomainConfig::decode(&c.encode()).unwrap();
    assert_eq!(
        back.process.limits.capabilities,
        Some(Capabilities::default())
    );
    let plain = DomainConfig::new(vec![1], PortSpec::Virtio("l".into())).encode();
    assert!(
        !plain.contains("process.caps") && !plain.contains("rlimit"),
        "{plain}"
    );

    let head = "vicport.config=1\ntoken=00\nlink=virtio:l\n";
    for bad in [
        "process.groups.0=wheel",
        "process.rlimit.0=NOFILE 1024",
        "process.rlimit.0=nofile 1 2",
        "process.rlimit.0=NOFILE 2 1",
        "process.rlimit.0=NOFILE -1 1",
        "process.oom_score_adj=1001",
        "process.no_new_privileges=yes",
        "masked.0=proc/kcore",
        "mount.0.type=tmp fs",
        "readonly.0=/a/../b",
        "sysctl.0=net.ipv4.ip_forward",
        "sysctl.0=../../etc/passwd=x",
        "sysctl.0=net..x=1",
        "rootfs.propagation=sideways",
    ] {
        assert_eq!(line_of(&format!("{head}{bad}\n")), 4, "{bad}");
    }
    assert_eq!(
        line_of(&format!(
            "{head}process.caps=true\nprocess.caps.effective.0=CHOWN\n"
        )),
        5
    );
    assert_eq!(
        line_of(&format!("{head}mount.0.type=tmpfs\nmount.0.path=run\n")),
        5
    );
}

#[test]
fn devices_and_id_maps_round_trip_and_are_checked() {
    let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("l".into()));
    let plain = c.encode();
    assert!(
        !plain.contains("device") && !plain.contains("userns"),
        "{plain}"
    );
    c.devices = vec![
        DeviceNode {
            kind: 'c',
            major: 10,
            minor: 666,
            mode: 0o660,
            uid: 0,
            gid: 5,
            path: "/dev/test 1".into(),
        },
        DeviceNode {
            kind: 'p',
            major: 0,
            minor: 0,
            mode: 0o4755,
            uid: 1,
            gid: 2,
            path: "/dev/fifo".into(),
        },
    ];
    c.uid_map = vec![IdMap {
        container: 0,
        host: 1000,
        size: 2000,
    }];
    c.gid_map = vec![IdMap {
        container: 0,
        host: 1000,
        size: 3000,
    }];
    assert!(!c.encode().contains("pidns"));
    c.pid_namespace = true;
    let text = c.encode();
    for line in [
        "device.0=c 10 666 0660 0 5 /dev/test 1\n",
        "device.1=p 0 0 4755 1 2 /dev/fifo\n",
        "userns.uid_map.0=0 1000 2000\n",
        "userns.gid_map.0=0 1000 3000\n",
        "pidns=true\n",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert_eq!(DomainConfig::decode(&text).unwrap(), c);

    let head = "vicport.config=1\ntoken=00\nlink=virtio:l\n";
    for bad in [
        "device.0=x 1 2 0666 0 0 /dev/x",
        "device.0=c 1 2 0999 0 0 /dev/x",
        "device.0=c 1 2 10000 0 0 /dev/x",
        "device.0=c 1 2 0666 0 0 dev/x",
        "device.0=c 1 2 0666 0 0 /dev/../x",
        "device.0=c -1 2 0666 0 0 /dev/x",
        "device.0=c 1 2 0666 0",
        "userns.uid_map.0=0 1000",
        "userns.uid_map.0=0 1000 0",
        "userns.uid_map.0=4294967295 0 2",
        "pidns=yes",
    ] {
        assert_eq!(line_of(&format!("{head}{bad}\n")), 4, "{bad}");
    }
    // One map without the other is no user namespace.
    assert_eq!(line_of(&format!("{head}userns.uid_map.0=0 1000 1\n")), 0);
}

#[test]
fn the_root_propagation_round_trips_and_is_checked() {
    let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("l".into()));
    assert!(!c.encode().contains("rootfs.propagation"));
    for p in ROOT_PROPAGATIONS {
        c.root_propagation = p.into();
        let text = c.encode();
        assert!(
            text.contains(&format!("rootfs.propagation={p}\n")),
            "{text}"
        );
        assert_eq!(DomainConfig::decode(&text).unwrap(), c);
    }
}
