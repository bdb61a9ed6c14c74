//! Host directories shared into the guest (virtio-fs on QEMU): the root
//! filesystem from a share instead of a disk, and shares bound into the
//! container at paths. Each tag is mounted once, outside the container,
//! and what the container sees is a bind of it (a file or a directory).

use super::mounts;
use super::sys::{Sys, flags, remount_read_only};
use tether_protocol::config::{RootShare, ShareConfig};

/// Where each share is mounted, one directory per tag, outside the
/// container's view.
pub const SHARES: &str = "/run/vicport/shares";

/// The guest kernel's filesystem type for a shared directory.
pub const FSTYPE: &str = "virtiofs";

/// Mount the root share at `target`.
pub fn mount_root(sys: &dyn Sys, share: &RootShare, target: &str) -> Result<(), String> {
    sys.mkdir_all(target)
        .map_err(|e| format!("cannot create {target}: {e}"))?;
    let fl = if share.read_only { flags::RDONLY } else { 0 };
    sys.mount(&share.tag, target, FSTYPE, fl, "").map_err(|e| {
        format!(
            "cannot mount the shared root directory (tag {}) on {target}: {e} (is virtiofs in the module manifest?)",
            share.tag
        )
    })
}

/// Binds shares into the container one at a time, each tag mounted once.
#[derive(Debug, Default)]
pub struct Binder {
    mounted: Vec<String>,
}

impl Binder {
    /// Bind `s` into the container under `root` (its tag mounted first if
    /// no share before it had the same); the mount points made.
    pub fn bind(
        &mut self,
        sys: &dyn Sys,
        s: &ShareConfig,
        root: &str,
    ) -> Result<Vec<String>, String> {
        let mut mounts = Vec::new();
        let what = || format!("share {} at {}", s.tag, s.path);
        if !self.mounted.contains(&s.tag) {
            let at = format!("{SHARES}/{}", s.tag);
            sys.mkdir_all(&at)
                .map_err(|e| format!("{}: cannot create {at}: {e}", what()))?;
            sys.mount(&s.tag, &at, FSTYPE, 0, "")
                .map_err(|e| format!("{}: cannot mount tag {} on {at}: {e}", what(), s.tag))?;
            self.mounted.push(s.tag.clone());
            mounts.push(at);
        }
        let source = if s.subpath.is_empty() {
            format!("{SHARES}/{}", s.tag)
        } else {
            format!("{SHARES}/{}/{}", s.tag, s.subpath)
        };
        if !sys.exists(&source) {
            return Err(format!("{}: {} is not in the share", what(), s.subpath));
        }
        let target = mounts::target(sys, root, &s.path).map_err(|e| format!("{}: {e}", what()))?;
        // The mount point: a directory for a directory, an empty file for
        // a file (never truncating one that is there: the root may be a
        // host directory whose files are the container's own).
        // Errors name the container's paths, not the tether's view of them.
        let path = &s.path;
        if sys.is_dir(&source) {
            sys.mkdir_all(&target)
                .map_err(|e| format!("{}: cannot create {path}: {e}", what()))?;
        } else if !sys.exists(&target) {
            if let Some((parent, _)) = target.rsplit_once('/') {
                sys.mkdir_all(parent).map_err(|e| {
                    let shown = path.rsplit_once('/').map_or("/", |(p, _)| p);
                    format!("{}: cannot create {shown}: {e}", what())
                })?;
            }
            sys.write_file(&target, b"")
                .map_err(|e| format!("{}: cannot create {path}: {e}", what()))?;
        }
        sys.mount(&source, &target, "", flags::BIND, "")
            .map_err(|e| format!("{}: cannot bind the share on {path}: {e}", what()))?;
        if s.read_only {
            remount_read_only(sys, &target)
                .map_err(|e| format!("{}: cannot make {path} read-only: {e}", what()))?;
        }
        mounts.push(target);
        Ok(mounts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    fn share(tag: &str, subpath: &str, path: &str, read_only: bool) -> ShareConfig {
        ShareConfig {
            tag: tag.into(),
            subpath: subpath.into(),
            path: path.into(),
            read_only,
        }
    }

    #[test]
    fn a_tag_is_mounted_once_and_its_files_and_directories_bound() {
        let sys = FakeSys::new();
        sys.add_file("/run/vicport/shares/ud/hosts", "127.0.0.1 localhost\n");
        sys.add_file("/run/vicport/shares/ud/hostname", "c1\n");
        sys.add_file("/run/vicport/shares/vol/file", "x");
        // The container already has /etc/hostname: it is not truncated.
        sys.add_file("/newroot/etc/hostname", "image's own\n");
        let shares = [
            share("ud", "hosts", "/etc/hosts", false),
            share("ud", "hostname", "/etc/hostname", true),
            share("vol", "", "/data", false),
        ];
        let mounts = crate::agent::tree::mount_all(&sys, "/newroot", &[], &[], &shares).unwrap();
        assert_eq!(
            sys.calls(),
            [
                "mkdir /run/vicport/shares/ud",
                "mount ud /run/vicport/shares/ud virtiofs 0x0 ",
                "mkdir /newroot/etc",
                "write /newroot/etc/hosts",
                "mount /run/vicport/shares/ud/hosts /newroot/etc/hosts  0x1000 ",
                "mount /run/vicport/shares/ud/hostname /newroot/etc/hostname  0x1000 ",
                "mount  /newroot/etc/hostname  0x1021 ",
                "mkdir /run/vicport/shares/vol",
                "mount vol /run/vicport/shares/vol virtiofs 0x0 ",
                "mkdir /newroot/data",
                "mount /run/vicport/shares/vol /newroot/data  0x1000 ",
            ]
        );
        assert_eq!(sys.file("/newroot/etc/hostname").unwrap(), b"image's own\n");
        assert_eq!(
            mounts,
            [
                "/run/vicport/shares/ud",
                "/newroot/etc/hosts",
                "/newroot/etc/hostname",
                "/run/vicport/shares/vol",
                "/newroot/data"
            ]
        );
    }

    #[test]
    fn a_missing_subpath_or_a_failed_mount_names_the_share() {
        let sys = FakeSys::new();
        let e = crate::agent::tree::mount_all(
            &sys,
            "/r",
            &[],
            &[],
            &[share("ud", "gone", "/etc/gone", false)],
        )
        .unwrap_err();
        assert_eq!(e, "share ud at /etc/gone: gone is not in the share");
        let sys = FakeSys::new();
        sys.fail("mount ud", libc::ENOENT);
        let e =
            crate::agent::tree::mount_all(&sys, "/r", &[], &[], &[share("ud", "", "/x", false)])
                .unwrap_err();
        assert!(e.starts_with("share ud at /x: cannot mount tag ud"), "{e}");
    }

    #[test]
    fn failures_in_the_container_name_its_paths_not_the_tethers() {
        use tether_protocol::config::VolumeConfig;
        let sys = FakeSys::new();
        sys.add_file("/run/vicport/shares/ud/hosts", "x");
        sys.add_file("/run/vicport/shares/vol/keep", "x");
        sys.fail("mkdir /newroot/etc", libc::EROFS);
        let e = crate::agent::tree::mount_all(
            &sys,
            "/newroot",
            &[],
            &[],
            &[share("ud", "hosts", "/etc/hosts", false)],
        )
        .unwrap_err();
        assert_eq!(
            e,
            "share ud at /etc/hosts: cannot create /etc: Read-only file system (os error 30)"
        );
        sys.fail("mount /run/vicport/shares/vol", libc::EPERM);
        let e = crate::agent::tree::mount_all(
            &sys,
            "/newroot",
            &[],
            &[],
            &[share("vol", "", "/data", true)],
        )
        .unwrap_err();
        assert!(
            e.starts_with("share vol at /data: cannot bind the share on /data:"),
            "{e}"
        );
        let volume = VolumeConfig {
            source: tether_protocol::config::DiskSource::Serial("v1".into()),
            path: "/srv".into(),
            read_only: false,
            format: false,
            label: String::new(),
        };
        sys.fail("mount /dev/vdb", libc::EINVAL);
        let e = crate::agent::tree::mount_all(
            &sys,
            "/newroot",
            &[(&volume, "/dev/vdb".into())],
            &[],
            &[],
        )
        .unwrap_err();
        assert!(
            e.starts_with("volume /srv: cannot mount /dev/vdb (ext4) on /srv:")
                && !e.contains("newroot"),
            "{e}"
        );
    }

    #[test]
    fn the_root_share_honours_read_only() {
        let sys = FakeSys::new();
        let root = RootShare {
            tag: "vicport-root".into(),
            read_only: true,
        };
        mount_root(&sys, &root, "/newroot").unwrap();
        assert_eq!(
            sys.calls(),
            [
                "mkdir /newroot",
                "mount vicport-root /newroot virtiofs 0x1 "
            ]
        );
        sys.fail("mount vicport-root", libc::ENODEV);
        let e = mount_root(&sys, &root, "/newroot").unwrap_err();
        assert!(
            e.contains("tag vicport-root") && e.contains("virtiofs"),
            "{e}"
        );
    }

    #[test]
    fn a_guest_booted_on_a_shared_root_binds_its_shares_and_writes_nothing_there() {
        use tether_protocol::config::{DomainConfig, PortSpec};
        let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("org.vicport.link".into()));
        c.root_share = Some(RootShare {
            tag: "vicport-root".into(),
            read_only: false,
        });
        c.shares = vec![share("ud", "hosts", "/etc/hosts", true)];
        c.process.argv = vec!["/bin/sh".into()];
        let sys = FakeSys::new();
        sys.add_file("/proc/cmdline", "vicport.platform=qemu");
        sys.add_file(crate::agent::platform::FW_CFG_CONFIG, c.encode());
        sys.add_file("/run/vicport/shares/ud/hosts", "10.88.0.2 c1\n");
        let boot = crate::agent::init::boot(&sys).unwrap();
        assert!(boot.root.chroot);
        let calls = sys.calls();
        let at = |call: &str| {
            calls
                .iter()
                .position(|c| c == call)
                .unwrap_or_else(|| panic!("{call} not in {calls:?}"))
        };
        let root = at("mount vicport-root /newroot virtiofs 0x0 ");
        let proc = at("mount /proc /newroot/proc  0x1000 ");
        let hosts = at("mount /run/vicport/shares/ud/hosts /newroot/etc/hosts  0x1000 ");
        assert!(root < proc && proc < hosts, "{calls:?}");
        at("mount  /newroot/etc/hosts  0x1021 ");
        // No generated /etc/hosts or resolv.conf in the owner's directory:
        // only the empty mount point of the bind.
        assert_eq!(sys.file("/newroot/etc/hosts").unwrap(), b"");
        assert_eq!(
            calls.iter().filter(|c| c.starts_with("write ")).count(),
            1,
            "{calls:?}"
        );
        // Unmounted innermost first: the binds before the root.
        let order = |m: &str| boot.mounts.iter().position(|x| x == m).unwrap();
        assert!(order("/newroot/etc/hosts") < order("/newroot"));
    }
}
