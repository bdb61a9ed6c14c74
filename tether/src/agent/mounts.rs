//! The filesystems the guest makes in the container as its config lists
//! them, in its order (OCI-style: proc, sysfs, tmpfs, devpts, mqueue,
//! cgroup, with their options). The tether's own /dev/pts, /proc and /sys
//! are bound in where the config lists them (and before, where it does
//! not), and its /dev/shm where the config lists none; a tmpfs at /dev is
//! the container's own, holding the runtime spec's default devices (bound
//! from the tether's) and links. Everything else, a listed /dev/shm with
//! its size among them (`--shm-size`, an OCI bundle's), is mounted afresh.

use super::sys::{Sys, flags, remount_read_only};
use super::{rootpath, say};
use tether_protocol::config::GuestMount;

/// Mounts every container has from the tether: (type, path).
const PROVIDED: [(&str, &str); 4] = [
    ("tmpfs", "/dev"),
    ("devpts", "/dev/pts"),
    ("proc", "/proc"),
    ("sysfs", "/sys"),
];

/// The device nodes a container's own /dev gets, bound from the
/// tether's: the runtime spec's default devices.
const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

/// The symbolic links in a container's own /dev: (name, target).
const DEV_LINKS: [(&str, &str); 5] = [
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
    ("ptmx", "pts/ptmx"),
];

/// Whether `m` is one of the tether's own mounts ([`make_one`] binds it, or
/// makes the container's own /dev).
pub fn provided(m: &GuestMount) -> bool {
    PROVIDED.contains(&(m.fstype.as_str(), m.path.as_str()))
}

/// Whether [`make_one`] binds the tether's `path` (one of `init::BINDS`) in
/// its place among `mounts`: the config lists it, or it lies in a /dev
/// that the container has of its own.
pub fn binds_later(mounts: &[GuestMount], path: &str) -> bool {
    let listed = |p: &str| {
        mounts
            .iter()
            .any(|m| m.path == p && (provided(m) || MADE.contains(&m.fstype.as_str())))
    };
    listed(path) || (path.starts_with("/dev/") && listed("/dev"))
}

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

/// The tether's path of the container's `path` under `root`, its links
/// followed inside the root ([`rootpath::resolve`]).
pub fn target(sys: &dyn Sys, root: &str, path: &str) -> Result<String, String> {
    rootpath::resolve(sys, root, path)
        .map_err(|e| format!("cannot find {path} in the container: {e}"))
}

/// Make `m`, one of the container's `mounts`, under `root`; the mount
/// points made.
pub fn make_one(
    sys: &dyn Sys,
    root: &str,
    m: &GuestMount,
    mounts: &[GuestMount],
) -> Result<Vec<String>, String> {
    let mut made = Vec::new();
    let kind = if m.fstype == "cgroup" {
        "cgroup2"
    } else {
        m.fstype.as_str()
    };
    if provided(m) {
        let target = target(sys, root, &m.path)?;
        sys.mkdir_all(&target)
            .map_err(|e| format!("cannot create {}: {e}", m.path))?;
        if m.path == "/dev" {
            let (fl, data) = options(&m.options);
            sys.mount("tmpfs", &target, "tmpfs", fl & !flags::RDONLY, &data)
                .map_err(|e| format!("cannot mount tmpfs on /dev: {e}"))?;
            made.push(target.clone());
            made.extend(populate_dev(sys, &target)?);
            // The tether's /dev/pts and /dev/shm, unless listed.
            for child in ["/dev/pts", "/dev/shm"] {
                if mounts.iter().any(|x| x.path == child) {
                    continue;
                }
                let inner = format!("{target}{}", &child[4..]);
                sys.mkdir_all(&inner)
                    .map_err(|e| format!("cannot create {child}: {e}"))?;
                sys.mount(child, &inner, "", flags::BIND, "")
                    .map_err(|e| format!("cannot bind {child} into the container: {e}"))?;
                made.push(inner);
            }
        } else {
            // The tether's own.
            sys.mount(&m.path, &target, "", flags::BIND, "")
                .map_err(|e| format!("cannot bind {} into the container: {e}", m.path))?;
            made.push(target.clone());
        }
        if m.options.iter().any(|o| o == "ro") {
            remount_read_only(sys, &target)
                .map_err(|e| format!("cannot make {} read-only: {e}", m.path))?;
        }
        return Ok(made);
    }
    if !MADE.contains(&kind) {
        say(&format!(
            "mount of {} at {} skipped: the tether makes {}",
            m.fstype,
            m.path,
            MADE.join(", ")
        ));
        return Ok(made);
    }
    let target = target(sys, root, &m.path)?;
    let (fl, data) = options(&m.options);
    sys.mkdir_all(&target)
        .map_err(|e| format!("cannot create {}: {e}", m.path))?;
    // The source a mount table shows (the conformance suite compares
    // it with the bundle's).
    let source = if m.source.is_empty() {
        kind
    } else {
        m.source.as_str()
    };
    sys.mount(source, &target, kind, fl, &data)
        .map_err(|e| format!("cannot mount {} on {}: {e}", m.fstype, m.path))?;
    made.push(target);
    Ok(made)
}

/// Fill a container's own /dev at `dev`: the default devices bound from
/// the tether's /dev (those it has), the links; the mount points made.
fn populate_dev(sys: &dyn Sys, dev: &str) -> Result<Vec<String>, String> {
    let mut made = Vec::new();
    for name in DEVICES {
        let source = format!("/dev/{name}");
        if !sys.exists(&source) {
            continue;
        }
        let target = format!("{dev}/{name}");
        sys.write_file(&target, b"")
            .map_err(|e| format!("cannot create {target}: {e}"))?;
        sys.mount(&source, &target, "", flags::BIND, "")
            .map_err(|e| format!("cannot bind {source} into the container: {e}"))?;
        made.push(target);
    }
    for (name, to) in DEV_LINKS {
        let link = format!("{dev}/{name}");
        sys.symlink(to, &link)
            .map_err(|e| format!("cannot link {link} to {to}: {e}"))?;
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
            source: String::new(),
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
            GuestMount {
                // Named as the bundle names it (a made mount's source is
                // otherwise its type's name).
                source: "shm".into(),
                ..mount(
                    "tmpfs",
                    "/dev/shm",
                    &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
                )
            },
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
        // The tether's /dev has these two of the default devices.
        sys.add_file("/dev/null", "");
        sys.add_file("/dev/tty", "");
        let made = crate::agent::tree::mount_all(&sys, "/newroot", &[], &mounts, &[]).unwrap();
        let calls = sys.calls();
        let calls: Vec<&str> = calls
            .iter()
            .map(String::as_str)
            .filter(|c| !c.starts_with("write /newroot/dev/"))
            .collect();
        assert_eq!(
            calls,
            [
                // In the config's order: proc is the tether's, bound.
                "mkdir /newroot/proc",
                "mount /proc /newroot/proc  0x1000 ",
                // /dev is the container's own tmpfs, with the default
                // devices the tether has and the spec's links.
                "mkdir /newroot/dev",
                "mount tmpfs /newroot/dev tmpfs 0x1000002 mode=755,size=65536k",
                "mount /dev/null /newroot/dev/null  0x1000 ",
                "mount /dev/tty /newroot/dev/tty  0x1000 ",
                "symlink /newroot/dev/fd -> /proc/self/fd",
                "symlink /newroot/dev/stdin -> /proc/self/fd/0",
                "symlink /newroot/dev/stdout -> /proc/self/fd/1",
                "symlink /newroot/dev/stderr -> /proc/self/fd/2",
                "symlink /newroot/dev/ptmx -> pts/ptmx",
                "mkdir /newroot/dev/pts",
                "mount /dev/pts /newroot/dev/pts  0x1000 ",
                "mkdir /newroot/dev/mqueue",
                "mount mqueue /newroot/dev/mqueue mqueue 0xe ",
                // A listed /dev/shm is the container's own, of its size.
                "mkdir /newroot/dev/shm",
                "mount shm /newroot/dev/shm tmpfs 0xe mode=1777,size=65536k",
                // sysfs is the tether's /sys, made read-only as asked.
                "mkdir /newroot/sys",
                "mount /sys /newroot/sys  0x1000 ",
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
                "/newroot/proc",
                "/newroot/dev",
                "/newroot/dev/null",
                "/newroot/dev/tty",
                "/newroot/dev/pts",
                "/newroot/dev/mqueue",
                "/newroot/dev/shm",
                "/newroot/sys",
                "/newroot/sys/fs/cgroup",
                "/newroot/run"
            ]
        );
        // What the config lists, and what lies in its own /dev, is not
        // bound before the rest.
        assert!(binds_later(&mounts, "/dev/pts"));
        assert!(binds_later(&mounts, "/dev/shm"));
        assert!(binds_later(&mounts, "/proc"));
        assert!(!binds_later(&mounts[3..], "/proc"));
        // Without a /dev of its own: the tether's /dev/shm is bound first,
        // unless the config lists one (made in its place).
        assert!(binds_later(&mounts[3..], "/dev/shm"));
        assert!(!binds_later(&mounts[5..], "/dev/shm"));
        // Without a listed /dev/shm, the own /dev gets the tether's.
        let without: Vec<GuestMount> = mounts
            .iter()
            .filter(|m| m.path != "/dev/shm")
            .cloned()
            .collect();
        let sys = FakeSys::new();
        crate::agent::tree::mount_all(&sys, "/newroot", &[], &without[..2], &[]).unwrap();
        assert!(
            sys.calls()
                .contains(&"mount /dev/shm /newroot/dev/shm  0x1000 ".to_string()),
            "{:?}",
            sys.calls()
        );
        sys.fail("mount mqueue", libc::ENODEV);
        let e =
            crate::agent::tree::mount_all(&sys, "/newroot", &[], &mounts[3..4], &[]).unwrap_err();
        assert!(e.starts_with("cannot mount mqueue on /dev/mqueue"), "{e}");
    }
}
