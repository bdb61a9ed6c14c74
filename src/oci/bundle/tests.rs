//! Bundles as podman writes them, and broken ones: what the domain spec
//! becomes, and errors that name the file and the field.

use super::*;
use crate::plumbing::error::ErrorKind;
use crate::plumbing::spec::{DeviceNode, IdMap};

fn bundle(config: &serde_json::Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("rootfs");
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::write(root.join("bin/busybox"), "elf").unwrap();
    std::fs::set_permissions(
        root.join("bin/busybox"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("userdata")).unwrap();
    std::fs::write(dir.path().join("userdata/hosts"), "").unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        serde_json::to_vec(config).unwrap(),
    )
    .unwrap();
    dir
}

fn podman_like(dir: &str) -> serde_json::Value {
    serde_json::json!({
        "ociVersion": "1.0.2-dev",
        "process": {
            "terminal": true,
            "user": {"uid": 1000, "gid": 100, "additionalGids": [10]},
            "args": ["/bin/busybox", "sh"],
            "env": ["PATH=/bin", "TERM=xterm"],
            "cwd": "/",
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1048576u64, "soft": 1048576u64}],
            "capabilities": {
                "bounding": ["CAP_KILL", "CAP_CHOWN"],
                "effective": ["CAP_KILL"],
                "permitted": ["CAP_KILL"],
            },
            "noNewPrivileges": true,
            "oomScoreAdj": 100,
        },
        "root": {"path": "rootfs", "readonly": true},
        "hostname": "c0ffee",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
            {"destination": "/dev/shm", "type": "bind", "source": format!("{dir}/userdata"), "options": ["bind"]},
            {"destination": "/etc/hosts", "type": "bind", "source": format!("{dir}/userdata/hosts"), "options": ["bind", "rw"]},
            {"destination": "/data", "source": format!("{dir}/userdata"), "options": ["rbind", "ro"]},
        ],
        "annotations": {"io.podman.annotations.autoremove": "FALSE"},
        "linux": {
            "resources": {
                "memory": {"limit": 536870912u64},
                "cpu": {"quota": 150000, "period": 100000},
            },
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "sysctl": {"net.ipv4.ip_forward": "1"},
            "rootfsPropagation": "rslave",
        },
    })
}

#[test]
fn a_podman_bundle_becomes_a_domain_on_its_directories() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let b = bundle(&podman_like(&d));
    // The bundle was written with sources under `dir`: rewrite them to b.
    let text = std::fs::read_to_string(b.path().join("config.json"))
        .unwrap()
        .replace(&d, &b.path().display().to_string());
    std::fs::write(b.path().join("config.json"), text).unwrap();
    let got = load(b.path(), "oci-1", 8).unwrap();
    let s = &got.spec;
    assert_eq!(s.image, "");
    let root = s.root_dir.as_ref().unwrap();
    assert_eq!(root.path, b.path().join("rootfs"));
    assert!(root.read_only);
    assert_eq!(s.process.argv, ["/bin/busybox", "sh"]);
    assert_eq!(s.process.user.as_deref(), Some("1000:100"));
    assert!(s.process.tty && s.process.stdin && got.terminal);
    assert_eq!(s.hostname.as_deref(), Some("c0ffee"));
    // proc and tmpfs are the guest's; /dev/shm too; two binds are shared.
    assert_eq!(s.shares.len(), 2, "{:?}", s.shares);
    assert_eq!(s.shares[0].path, "/etc/hosts");
    assert!(!s.shares[0].read_only);
    assert_eq!(s.shares[1].path, "/data");
    assert!(s.shares[1].read_only);
    assert_eq!((s.memory_mb, s.cpus), (512, 2));
    assert_eq!(got.annotations["io.podman.annotations.autoremove"], "FALSE");
    let l = &s.process.limits;
    assert_eq!(l.groups, [10]);
    assert_eq!(
        l.rlimits,
        [Rlimit {
            name: "NOFILE".into(),
            soft: 1048576,
            hard: 1048576
        }]
    );
    let caps = l.capabilities.as_ref().unwrap();
    assert_eq!(caps.bounding, ["CAP_CHOWN", "CAP_KILL"]);
    assert_eq!(caps.effective, ["CAP_KILL"]);
    assert!(caps.ambient.is_empty());
    assert!(l.no_new_privileges);
    assert_eq!(l.oom_score_adj, Some(100));
    assert_eq!(s.masked_paths, ["/proc/kcore"]);
    assert_eq!(
        s.sysctl.iter().collect::<Vec<_>>(),
        [(&"net.ipv4.ip_forward".to_string(), &"1".to_string())]
    );
    assert_eq!(s.root_propagation, "rslave");
    // proc and tmpfs are made in the guest; the /dev/shm bind is the
    // guest's own tmpfs.
    let made: Vec<_> = s
        .guest_mounts
        .iter()
        .map(|m| (m.fstype.as_str(), m.path.as_str()))
        .collect();
    assert_eq!(made, [("proc", "/proc"), ("tmpfs", "/dev")]);
    assert_eq!(s.guest_mounts[1].options, ["nosuid", "mode=755"]);
    // Each named as the bundle names it (the type's own name is the
    // tether's default, left out of the document).
    assert!(s.guest_mounts.iter().all(|m| m.source.is_empty()));
    assert_eq!(s.readonly_paths, ["/proc/sys"]);
}

/// A filesystem the guest makes keeps the source the bundle gives it,
/// which its mount table then shows (the conformance suite compares).
#[test]
fn a_made_mounts_source_is_the_bundles() {
    let mut config = podman_like("/nowhere");
    config["mounts"] = serde_json::json!([
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue"},
        {"destination": "/run", "type": "tmpfs", "source": "run-tmpfs"},
    ]);
    let b = bundle(&config);
    let s = load(b.path(), "oci-1", 8).unwrap().spec;
    let sources: Vec<_> = s.guest_mounts.iter().map(|m| m.source.as_str()).collect();
    assert_eq!(sources, ["shm", "", "run-tmpfs"]);
}

/// podman's /dev/shm is a tmpfs of the host's, of `--shm-size`: the
/// guest makes one of that size (here the host's own /dev/shm stands in).
#[test]
fn an_engines_shm_tmpfs_becomes_the_guests_of_its_size() {
    let host = rustix::fs::statfs("/dev/shm").unwrap();
    assert_eq!(
        host.f_type as i64, 0x0102_1994,
        "this host's /dev/shm is a tmpfs"
    );
    let size = host.f_blocks as u64 * host.f_bsize as u64;
    let mut config = podman_like("/nowhere");
    config["mounts"] = serde_json::json!([
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
        {"destination": "/dev/shm", "type": "bind", "source": "/dev/shm", "options": ["bind", "rprivate"]},
    ]);
    let b = bundle(&config);
    let s = load(b.path(), "oci-1", 8).unwrap().spec;
    assert!(s.shares.is_empty(), "{:?}", s.shares);
    assert_eq!(s.guest_mounts.len(), 2, "{:?}", s.guest_mounts);
    let shm = &s.guest_mounts[1];
    assert_eq!(
        (shm.fstype.as_str(), shm.source.as_str(), shm.path.as_str()),
        ("tmpfs", "shm", "/dev/shm")
    );
    assert!(
        shm.options.contains(&format!("size={size}")),
        "{:?}",
        shm.options
    );
}

#[test]
fn limits_are_kept_within_what_boots_and_what_the_host_has() {
    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c["linux"]["resources"] = serde_json::json!({
        "memory": {"limit": 6291456},
        "cpu": {"cpus": "0-3,6"},
    });
    let b = bundle(&c);
    let s = load(b.path(), "oci-1", 2).unwrap().spec;
    assert_eq!((s.memory_mb, s.cpus), (MIN_MEMORY_MB, 2));
    c["linux"] = serde_json::json!({});
    let b = bundle(&c);
    let s = load(b.path(), "oci-1", 2).unwrap().spec;
    assert_eq!((s.memory_mb, s.cpus), (DEFAULT_MEMORY_MB, 1));
    assert_eq!(cpuset_len("0-3,6"), Some(5));
    assert_eq!(cpuset_len("2"), Some(1));
    for bad in ["", "3-1", "a", "1-x"] {
        assert_eq!(cpuset_len(bad), None, "{bad}");
    }
}

#[test]
fn broken_bundles_name_the_file_and_the_field() {
    let empty = tempfile::tempdir().unwrap();
    let e = load(empty.path(), "oci-1", 2).unwrap_err();
    assert!(
        e.to_string().contains("has no config.json")
            && e.to_string().contains(&empty.path().display().to_string()),
        "{e}"
    );

    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c["process"]["args"] = serde_json::json!("sh");
    let b = bundle(&c);
    let e = load(b.path(), "oci-1", 2).unwrap_err();
    let file = b.path().join("config.json").display().to_string();
    assert!(
        e.to_string()
            .starts_with(&format!("{file}: process.args: ")),
        "{e}"
    );

    std::fs::write(b.path().join("config.json"), "{\"ociVersion\": ").unwrap();
    let e = load(b.path(), "oci-1", 2).unwrap_err();
    assert!(e.to_string().starts_with(&file), "{e}");

    let mut c = podman_like("/nowhere");
    c["mounts"] =
        serde_json::json!([{"destination": "/x", "type": "bind", "source": "/nonexistent/x"}]);
    let b = bundle(&c);
    let e = load(b.path(), "oci-1", 2).unwrap_err();
    assert!(e.to_string().contains("mounts[0].source"), "{e}");

    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c["root"]["path"] = serde_json::json!("missing-rootfs");
    let b = bundle(&c);
    let e = load(b.path(), "oci-1", 2).unwrap_err();
    assert!(e.to_string().contains("root.path"), "{e}");

    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c["process"]["args"] = serde_json::json!(["/nonexistent"]);
    let b = bundle(&c);
    let e = load(b.path(), "oci-1", 2).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CommandNotFound);

    for (field, value, words) in [
        (
            "sysctl",
            serde_json::json!({"../../etc/passwd": "x"}),
            "\"../../etc/passwd\" is not a kernel parameter name",
        ),
        (
            "rootfsPropagation",
            serde_json::json!("sideways"),
            "\"sideways\" is not a root propagation",
        ),
    ] {
        let mut c = podman_like("/nowhere");
        c["mounts"] = serde_json::json!([]);
        c["linux"][field] = value;
        let b = bundle(&c);
        let e = load(b.path(), "oci-1", 2).unwrap_err();
        let file = b.path().join("config.json").display().to_string();
        assert!(
            e.to_string().starts_with(&format!("{file}: {words}")),
            "{e}"
        );
    }
}

#[test]
fn a_bundle_without_a_process_is_created_and_cannot_start() {
    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c.as_object_mut().unwrap().remove("process");
    let b = bundle(&c);
    let got = load(b.path(), "oci-1", 2).unwrap();
    assert!(got.spec.process.argv.is_empty());
    assert!(!got.terminal);
}

#[test]
fn devices_and_a_user_namespace_reach_the_domain_and_bad_ones_are_named() {
    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    c["linux"]["devices"] = serde_json::json!([
        {"path": "/dev/test1", "type": "c", "major": 10, "minor": 666, "fileMode": 432, "uid": 0, "gid": 5},
        {"path": "/dev/test3", "type": "p", "major": 8, "minor": 666},
        {"path": "/dev/fuse", "type": "u", "major": 10, "minor": 229},
    ]);
    c["linux"]["namespaces"] = serde_json::json!([{"type": "mount"}, {"type": "user"}]);
    c["linux"]["uidMappings"] =
        serde_json::json!([{"containerID": 0, "hostID": 1000, "size": 2000}]);
    c["linux"]["gidMappings"] =
        serde_json::json!([{"containerID": 0, "hostID": 1000, "size": 3000}]);
    let b = bundle(&c);
    let spec = load(b.path(), "oci-1", 2).unwrap().spec;
    assert_eq!(
        spec.devices,
        [
            DeviceNode {
                path: "/dev/test1".into(),
                kind: 'c',
                major: 10,
                minor: 666,
                mode: 0o660,
                uid: 0,
                gid: 5,
            },
            // A FIFO has no numbers; no mode given is 0666.
            DeviceNode {
                path: "/dev/test3".into(),
                kind: 'p',
                major: 0,
                minor: 0,
                mode: 0o666,
                uid: 0,
                gid: 0,
            },
            DeviceNode {
                path: "/dev/fuse".into(),
                kind: 'c',
                major: 10,
                minor: 229,
                mode: 0o666,
                uid: 0,
                gid: 0,
            },
        ]
    );
    let map = |host, size| IdMap {
        container: 0,
        host,
        size,
    };
    assert_eq!(spec.uid_map, [map(1000, 2000)]);
    assert_eq!(spec.gid_map, [map(1000, 3000)]);

    // Mappings without a user namespace are not used.
    let mut plain = c.clone();
    plain["linux"]["namespaces"] = serde_json::json!([{"type": "mount"}]);
    let spec = load(bundle(&plain).path(), "oci-1", 2).unwrap().spec;
    assert!(spec.uid_map.is_empty() && spec.gid_map.is_empty());

    for (field, value, words) in [
        (
            "devices",
            serde_json::json!([{"path": "/dev/x", "type": "a"}]),
            "linux.devices[0].type: \"a\" (all) is a cgroup rule",
        ),
        (
            "devices",
            serde_json::json!([{"path": "dev/x", "type": "c", "major": 1, "minor": 3}]),
            "linux.devices[0].path: \"dev/x\" is not an absolute path",
        ),
        (
            "devices",
            serde_json::json!([{"path": "/dev/x", "type": "b", "major": -1, "minor": 3}]),
            "linux.devices[0].major: -1 is not a device number",
        ),
        (
            "gidMappings",
            serde_json::json!([]),
            "linux.gidMappings: missing: a user namespace needs its uid and gid mappings",
        ),
        (
            "namespaces",
            serde_json::json!([{"type": "user", "path": "/proc/1/ns/user"}]),
            "linux.namespaces[0].path: joining the host's user namespace /proc/1/ns/user is not supported on this target",
        ),
    ] {
        let mut bad = c.clone();
        bad["linux"][field] = value;
        let b = bundle(&bad);
        let e = load(b.path(), "oci-1", 2).unwrap_err();
        let file = b.path().join("config.json").display().to_string();
        assert!(
            e.to_string().starts_with(&format!("{file}: {words}")),
            "{e}"
        );
    }
}

#[test]
fn a_pid_namespace_of_its_own_is_asked_of_the_guest_and_a_hosts_is_not_joined() {
    let mut c = podman_like("/nowhere");
    c["mounts"] = serde_json::json!([]);
    for (namespaces, own) in [
        (
            serde_json::json!([{"type": "mount"}, {"type": "pid"}]),
            true,
        ),
        (serde_json::json!([{"type": "mount"}]), false),
        (
            serde_json::json!([{"type": "pid", "path": "/proc/1/ns/pid"}]),
            false,
        ),
    ] {
        c["linux"]["namespaces"] = namespaces.clone();
        let spec = load(bundle(&c).path(), "oci-1", 2).unwrap().spec;
        assert_eq!(spec.pid_namespace, own, "{namespaces}");
    }
}
