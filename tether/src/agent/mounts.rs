//! The filesystems the guest makes in the container as its config lists
//! them (OCI-style: proc, sysfs, tmpfs, devpts, mqueue, cgroup, with their
//! options). The tether's own /dev, /dev/pts, /dev/shm, /proc and /sys are
//! bound into every container already; a mount of the same kind at the
//! same place is that one. Everything else is mounted afresh.

use super::say;
use super::sys::{Sys, flags, remount_read_only};
use tether_protocol::config::GuestMount;

/// Mounts every container has from the tether: (type, path).
const PROVIDED: [(&str, &str); 5] = [
    ("tmpfs", "/dev"),
    ("devpts", "/dev/pts"),
    ("tmpfs", "/dev/shm"),
    ("proc", "/proc"),
    ("sysfs", "/sys"),
];

/// The filesystem types the tether makes.
const MADE: [&str; 6] = ["tmpfs", "mqueue", "cgroup", "cgroup2", "proc", "sysfs"];

/// Mount flags and the data string of OCI mount options.
pub fn options(options: &[String]) -> (u64, String) {
    let mut fl = 0;
    let mut data = Vec::new();
    for o in options {
        match o.as_str() {
            "ro" => fl |= flags::RDONLY,
            "rw" => fl &= !flags::RDONLY,
            "nosuid" => fl |= flags::NOSUID,
            "nodev" => fl |= flags::NODEV,
            "noexec" => fl |= flags::NOEXEC,
            "relatime" => fl |= flags::RELATIME,
            "strictatime" => fl |= flags::STRICTATIME,
            "noatime" => fl |= flags::NOATIME,
            // Propagation, binding and copying up (tmpcopyup) are the
            // runtime's business, not the filesystem's.
            "private" | "rprivate" | "slave" | "rslave" | "shared" | "rshared" | "bind"
            | "rbind" | "suid" | "dev" | "exec" | "atime" | "tmpcopyup" | "notmpcopyup" => {}
            other => data.push(other),
        }
    }
    (fl, data.join(","))
}

/// Make the container's mounts under `root`; the mount points made.
pub fn make(sys: &dyn Sys, root: &str, mounts: &[GuestMount]) -> Result<Vec<String>, String> {
    let mut made = Vec::new();
    for m in mounts {
        let kind = if m.fstype == "cgroup" {
            "cgroup2"
        } else {
            m.fstype.as_str()
        };
        if PROVIDED.contains(&(m.fstype.as_str(), m.path.as_str())) {
            // The tether's own, bound already: read-only if asked.
            if m.options.iter().any(|o| o == "ro") {
                let target = format!("{root}{}", m.path);
                remount_read_only(sys, &target)
                    .map_err(|e| format!("cannot make {} read-only: {e}", m.path))?;
            }
            continue;
        }
        if !MADE.contains(&kind) {
            say(&format!(
                "mount of {} at {} skipped: the tether makes {}",
                m.fstype,
                m.path,
                MADE.join(", ")
            ));
            continue;
        }
        let target = format!("{root}{}", m.path);
        let (fl, data) = options(&m.options);
        sys.mkdir_all(&target)
            .map_err(|e| format!("cannot create {target}: {e}"))?;
        let source = if kind == "cgroup2" { "cgroup2" } else { kind };
        sys.mount(source, &target, kind, fl, &data)
            .map_err(|e| format!("cannot mount {} on {}: {e}", m.fstype, m.path))?;
        made.push(target);
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    fn mount(fstype: &str, path: &str, options: &[&str]) -> GuestMount {
        GuestMount {
            fstype: fstype.into(),
            path: path.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn podmans_mounts_become_the_guests() {
        let sys = FakeSys::new();
        let mounts = [
            mount("proc", "/proc", &["nosuid", "noexec", "nodev"]),
            mount(
                "tmpfs",
                "/dev",
                &["nosuid", "strictatime", "mode=755", "size=65536k"],
            ),
            mount(
                "devpts",
                "/dev/pts",
                &["nosuid", "newinstance", "ptmxmode=0666"],
            ),
            mount("mqueue", "/dev/mqueue", &["nosuid", "noexec", "nodev"]),
            mount("sysfs", "/sys", &["nosuid", "noexec", "nodev", "ro"]),
            mount(
                "cgroup",
                "/sys/fs/cgroup",
                &["rprivate", "nosuid", "noexec", "nodev", "relatime", "ro"],
            ),
            mount(
                "tmpfs",
                "/run",
                &["rw", "rprivate", "nosuid", "nodev", "tmpcopyup", "mode=755"],
            ),
            mount("overlay", "/weird", &[]),
        ];
        let made = make(&sys, "/newroot", &mounts).unwrap();
        assert_eq!(
            sys.calls(),
            [
                "mkdir /newroot/dev/mqueue",
                "mount mqueue /newroot/dev/mqueue mqueue 0xe ",
                // sysfs is the tether's /sys, made read-only as asked.
                "mount  /newroot/sys  0x1021 ",
                "mkdir /newroot/sys/fs/cgroup",
                "mount cgroup2 /newroot/sys/fs/cgroup cgroup2 0x20000f ",
                "mkdir /newroot/run",
                "mount tmpfs /newroot/run tmpfs 0x6 mode=755",
            ]
        );
        assert_eq!(
            made,
            [
                "/newroot/dev/mqueue",
                "/newroot/sys/fs/cgroup",
                "/newroot/run"
            ]
        );
        sys.fail("mount mqueue", libc::ENODEV);
        let e = make(&sys, "/newroot", &mounts[3..4]).unwrap_err();
        assert!(e.starts_with("cannot mount mqueue on /dev/mqueue"), "{e}");
    }
}
