//! The container's tree put together: its volumes, the filesystems the
//! guest makes and the host paths shared into it, each mounted after the
//! mounts its path lies inside, and otherwise in the config's order
//! (volumes, filesystems, shares; an OCI bundle's mounts as it lists
//! them), so that a volume inside a shared directory (`-v ./app:/app -v
//! deps:/app/deps`) or a tmpfs inside a volume lands on it rather than
//! under it, as docker's depth order and runc's listed one agree for
//! every bundle an engine writes. Each mount point is found inside the
//! container's root, its links followed there ([`super::rootpath`]): an
//! image's `/var/run` linking to `/run` leads into the container's
//! `/run`, not the tether's.

use super::init::mount;
use super::mounts;
use super::shares::Binder;
use super::sys::{Sys, flags};
use tether_protocol::config::{GuestMount, ShareConfig, VolumeConfig, lies_inside};

/// One mount of the container.
#[derive(Debug)]
enum Step<'a> {
    /// A volume and its disk's device.
    Volume(&'a VolumeConfig, &'a str),
    /// A filesystem the guest makes (or one of the tether's, bound in).
    Guest(&'a GuestMount),
    /// A host path shared in.
    Share(&'a ShareConfig),
}

impl Step<'_> {
    fn path(&self) -> &str {
        match self {
            Step::Volume(v, _) => &v.path,
            Step::Guest(m) => &m.path,
            Step::Share(s) => &s.path,
        }
    }
}

/// The order to mount `steps` in: each after every step whose path holds
/// its own, in the given order otherwise.
fn parents_first(steps: &[Step]) -> Vec<usize> {
    fn visit(i: usize, steps: &[Step], seen: &mut [bool], order: &mut Vec<usize>) {
        if seen[i] {
            return;
        }
        seen[i] = true;
        for j in 0..steps.len() {
            if lies_inside(steps[i].path(), steps[j].path()) {
                visit(j, steps, seen, order);
            }
        }
        order.push(i);
    }
    let mut seen = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    for i in 0..steps.len() {
        visit(i, steps, &mut seen, &mut order);
    }
    order
}

/// Mount the container's `volumes` (each with its device), `guest`
/// filesystems and `shares` under `root`, parents first; the mount points
/// made, in the order made.
pub fn mount_all(
    sys: &dyn Sys,
    root: &str,
    volumes: &[(&VolumeConfig, String)],
    guest: &[GuestMount],
    shares: &[ShareConfig],
) -> Result<Vec<String>, String> {
    let steps: Vec<Step> = volumes
        .iter()
        .map(|(v, dev)| Step::Volume(v, dev.as_str()))
        .chain(guest.iter().map(Step::Guest))
        .chain(shares.iter().map(Step::Share))
        .collect();
    let mut binder = Binder::default();
    let mut made = Vec::new();
    for i in parents_first(&steps) {
        match steps[i] {
            Step::Volume(v, dev) => {
                let what = |e: String| format!("volume {}: {e}", v.path);
                let target = mounts::target(sys, root, &v.path).map_err(what)?;
                let fl = if v.read_only { flags::RDONLY } else { 0 };
                // Named as the container sees it, not as the tether does.
                mount(sys, dev, &target, "ext4", fl, "")
                    .map_err(|e| what(e.replace(&target, &v.path)))?;
                made.push(target);
            }
            Step::Guest(m) => made.extend(mounts::make_one(sys, root, m, guest)?),
            Step::Share(s) => made.extend(binder.bind(sys, s, root)?),
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;
    use tether_protocol::config::DiskSource;

    fn volume(path: &str) -> VolumeConfig {
        VolumeConfig {
            source: DiskSource::Serial("vol".into()),
            path: path.into(),
            read_only: false,
            format: false,
            label: String::new(),
        }
    }

    fn share(tag: &str, path: &str) -> ShareConfig {
        ShareConfig {
            tag: tag.into(),
            subpath: String::new(),
            path: path.into(),
            read_only: false,
        }
    }

    fn tmpfs(path: &str) -> GuestMount {
        GuestMount {
            fstype: "tmpfs".into(),
            source: String::new(),
            path: path.into(),
            options: vec![],
        }
    }

    /// The mount calls' targets, in order.
    fn mounted(sys: &FakeSys) -> Vec<String> {
        sys.calls()
            .iter()
            .filter_map(|c| c.strip_prefix("mount "))
            .map(|c| c.split(' ').nth(1).unwrap().to_string())
            .collect()
    }

    #[test]
    fn parents_are_mounted_before_what_lies_inside_them_whatever_their_kind() {
        let sys = FakeSys::new();
        sys.add_file("/run/vicport/shares/app/main.js", "");
        sys.add_file("/run/vicport/shares/cfg/a.conf", "");
        let v = volume("/app/node_modules");
        let nested = volume("/cache/v");
        let volumes = [(&v, "/dev/vdb".to_string()), (&nested, "/dev/vdc".into())];
        let made = mount_all(
            &sys,
            "/newroot",
            &volumes,
            &[tmpfs("/cache/v/tmp"), tmpfs("/proc"), tmpfs("/cache")],
            &[share("app", "/app"), share("cfg", "/etc/app")],
        )
        .unwrap();
        assert_eq!(
            mounted(&sys),
            [
                // The share the first volume lies in (its tag mounted
                // before its first bind), then the volume.
                "/run/vicport/shares/app",
                "/newroot/app",
                "/newroot/app/node_modules",
                // The tmpfs the second lies in.
                "/newroot/cache",
                "/newroot/cache/v",
                // The tmpfs inside it, then the rest as listed.
                "/newroot/cache/v/tmp",
                "/newroot/proc",
                "/run/vicport/shares/cfg",
                "/newroot/etc/app",
            ]
        );
        assert_eq!(made, mounted(&sys));
    }

    #[test]
    fn the_listed_order_stays_where_nothing_nests() {
        // An OCI bundle's mounts are made as listed (the runtime spec
        // says so), where a depth order would take /run and /tmp first.
        let sys = FakeSys::new();
        let guest = [
            tmpfs("/run"),
            tmpfs("/dev/mqueue"),
            tmpfs("/sys/x"),
            tmpfs("/tmp"),
        ];
        mount_all(&sys, "/newroot", &[], &guest, &[]).unwrap();
        assert_eq!(
            mounted(&sys),
            [
                "/newroot/run",
                "/newroot/dev/mqueue",
                "/newroot/sys/x",
                "/newroot/tmp"
            ]
        );
        assert!(
            lies_inside("/a/b", "/a") && lies_inside("/a/b/", "/a/") && !lies_inside("/ab", "/a")
        );
        assert!(!lies_inside("/a", "/a") && !lies_inside("/a", "/a/b"));
    }

    #[test]
    fn mount_points_are_found_inside_the_containers_root() {
        let sys = FakeSys::new();
        sys.add_file("/run/vicport/shares/sock/s", "");
        sys.add_link("/newroot/var/run", "/run");
        sys.add_link("/newroot/data", "../srv/data");
        let v = volume("/data/db");
        let made = mount_all(
            &sys,
            "/newroot",
            &[(&v, "/dev/vdb".to_string())],
            &[tmpfs("/var/run/app")],
            &[share("sock", "/var/run/host")],
        )
        .unwrap();
        assert_eq!(
            made,
            [
                "/newroot/srv/data/db",
                "/newroot/run/app",
                "/run/vicport/shares/sock",
                "/newroot/run/host",
            ]
        );
        assert!(sys.calls().contains(&"mkdir /newroot/run/app".to_string()));
    }

    #[test]
    fn an_engines_file_lands_where_the_images_dangling_link_leads() {
        // podman shares its resolv.conf as a file at /etc/resolv.conf; the
        // image links that to systemd-resolved's stub, in a directory the
        // image lacks. The mount point is made there, in the container.
        let sys = FakeSys::new();
        sys.add_file(
            "/run/vicport/shares/userdata/resolv.conf",
            "nameserver 10.88.0.1\n",
        );
        sys.add_link(
            "/newroot/etc/resolv.conf",
            "../run/systemd/resolve/stub-resolv.conf",
        );
        let s = ShareConfig {
            subpath: "resolv.conf".into(),
            ..share("userdata", "/etc/resolv.conf")
        };
        mount_all(&sys, "/newroot", &[], &[], &[s]).unwrap();
        let target = "/newroot/run/systemd/resolve/stub-resolv.conf";
        let calls = sys.calls();
        let at = |c: &str| {
            calls
                .iter()
                .position(|x| x == c)
                .unwrap_or_else(|| panic!("{c}: {calls:?}"))
        };
        assert!(at("mkdir /newroot/run/systemd/resolve") < at(&format!("write {target}")));
        at(&format!(
            "mount /run/vicport/shares/userdata/resolv.conf {target}  {:#x} ",
            flags::BIND
        ));
    }

    #[test]
    fn a_mount_point_behind_a_link_loop_fails_naming_it() {
        let sys = FakeSys::new();
        sys.add_link("/newroot/a", "/b");
        sys.add_link("/newroot/b", "/a");
        let e = mount_all(&sys, "/newroot", &[], &[tmpfs("/a/x")], &[]).unwrap_err();
        assert!(
            e.contains("cannot find /a/x in the container") && e.contains("symbolic links"),
            "{e}"
        );
        assert!(mounted(&sys).is_empty());
    }
}
