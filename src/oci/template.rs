//! `spec`: the default config.json a bundle starts from, as `runc spec`
//! writes one — `sh` on a terminal in a read-only `rootfs/`, runc's
//! default capabilities, mounts, masked and read-only paths, and
//! namespaces — with vicport's name as the hostname. Every field of it is
//! one that `create` honours in the guest.

use std::io::Write;
use std::path::Path;

use crate::plumbing::error::{Error, ErrorKind, Result};

use super::OCI_VERSION;

/// The capabilities the default process keeps (runc's three).
const CAPABILITIES: [&str; 3] = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

/// Paths masked from the container (runc's list).
const MASKED: [&str; 10] = [
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
];

/// Paths the container sees read-only (runc's list).
const READ_ONLY: [&str; 6] = [
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
    "/sys/fs/cgroup",
];

/// The default configuration.
pub fn default_config() -> serde_json::Value {
    let mount = |destination: &str, typ: &str, source: &str, options: &[&str]| {
        let mut m = serde_json::json!({
            "destination": destination,
            "type": typ,
            "source": source,
        });
        if !options.is_empty() {
            m["options"] = options.into();
        }
        m
    };
    let namespaces =
        ["pid", "network", "ipc", "uts", "mount", "cgroup"].map(|t| serde_json::json!({"type": t}));
    serde_json::json!({
        "ociVersion": OCI_VERSION,
        "process": {
            "terminal": true,
            "user": {"uid": 0, "gid": 0},
            "args": ["sh"],
            "env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "TERM=xterm",
            ],
            "cwd": "/",
            "capabilities": {
                "bounding": CAPABILITIES,
                "effective": CAPABILITIES,
                "permitted": CAPABILITIES,
            },
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": true,
        },
        "root": {"path": "rootfs", "readonly": true},
        "hostname": "vicport",
        "mounts": [
            mount("/proc", "proc", "proc", &[]),
            mount("/dev", "tmpfs", "tmpfs", &["nosuid", "strictatime", "mode=755", "size=65536k"]),
            mount("/dev/pts", "devpts", "devpts", &["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            mount("/dev/shm", "tmpfs", "shm", &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            mount("/dev/mqueue", "mqueue", "mqueue", &["nosuid", "noexec", "nodev"]),
            mount("/sys", "sysfs", "sysfs", &["nosuid", "noexec", "nodev", "ro"]),
            mount("/sys/fs/cgroup", "cgroup", "cgroup", &["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ],
        "linux": {
            "resources": {"devices": [{"allow": false, "access": "rwm"}]},
            "namespaces": namespaces,
            "maskedPaths": MASKED,
            "readonlyPaths": READ_ONLY,
        },
    })
}

/// Write the default configuration to `bundle`/config.json; one that is
/// there already is kept, and refused.
pub fn write(bundle: &Path) -> Result<()> {
    let bundle = std::path::absolute(bundle).unwrap_or_else(|_| bundle.to_path_buf());
    let path = bundle.join("config.json");
    // Its keys sorted (the spec's types would keep its order, but write
    // capability sets in a different order each time).
    let mut text = serde_json::to_string_pretty(&default_config()).expect("a config serializes");
    text.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::new(
                ErrorKind::Taken,
                format!("{} exists already", path.display()),
            )
            .with_hint("remove it first, or give another bundle with --bundle"),
            _ => Error::io(format!("creating {}", path.display()), e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default configuration is one `create` takes: it loads as a
    /// bundle, with the terminal, the read-only root, the hostname, the
    /// masked and read-only paths and no engine network (only `lo`).
    #[test]
    fn the_default_config_loads_as_a_bundle_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        // `sh` is looked up in the root's PATH, as at create.
        let bin = dir.path().join("rootfs/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("sh"), b"#!/bin/busybox\n").unwrap();
        std::fs::set_permissions(
            bin.join("sh"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        write(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("config.json")).unwrap();
        serde_json::from_str::<oci_spec::runtime::Spec>(&text).expect("a runtime spec");
        // The same bytes each time.
        assert_eq!(
            text,
            serde_json::to_string_pretty(&default_config()).unwrap() + "\n"
        );
        let b = super::super::bundle::load(dir.path(), "oci-test", 2).unwrap();
        assert!(b.terminal);
        assert!(b.spec.root_dir.as_ref().unwrap().read_only);
        assert_eq!(b.spec.hostname.as_deref(), Some("vicport"));
        assert!(b.spec.masked_paths.iter().any(|p| p == "/proc/kcore"));
        assert!(b.spec.readonly_paths.iter().any(|p| p == "/proc/sys"));
        assert_eq!(b.spec.engine_netns, None);

        std::fs::write(dir.path().join("config.json"), b"{\"mine\": 1}").unwrap();
        let e = write(dir.path()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        assert!(e.to_string().contains("config.json exists already"), "{e}");
        assert_eq!(
            std::fs::read(dir.path().join("config.json")).unwrap(),
            b"{\"mine\": 1}"
        );
    }
}
