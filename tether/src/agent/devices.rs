//! The device nodes a container's config lists (the runtime spec's
//! `linux.devices`), made in its root after its mounts, so in its own
//! /dev: type, numbers, mode and owner as listed. The default devices
//! the tether binds into every container's /dev are left as they are.

use super::sys::Sys;
use tether_protocol::config::DeviceNode;

/// The default devices (bound from the tether's /dev, the same nodes).
const DEFAULTS: [&str; 6] = [
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
];

/// Make `nodes` under `root`; an existing file at a node's path is
/// replaced.
pub fn make(sys: &dyn Sys, root: &str, nodes: &[DeviceNode]) -> Result<(), String> {
    for n in nodes {
        if DEFAULTS.contains(&n.path.trim_end_matches('/')) {
            continue;
        }
        let target = format!("{root}{}", n.path);
        if let Some((parent, _)) = target.rsplit_once('/').filter(|(p, _)| !p.is_empty()) {
            sys.mkdir_all(parent)
                .map_err(|e| format!("cannot create {parent} for the device {}: {e}", n.path))?;
        }
        if sys.exists(&target) {
            sys.remove_all(&target)
                .map_err(|e| format!("cannot replace {} with the device: {e}", n.path))?;
        }
        sys.make_node(&target, n)
            .map_err(|e| format!("cannot make the device {} ({n}): {e}", n.path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    fn node(kind: char, path: &str) -> DeviceNode {
        DeviceNode {
            kind,
            major: 10,
            minor: 666,
            mode: 0o660,
            uid: 1,
            gid: 2,
            path: path.into(),
        }
    }

    #[test]
    fn nodes_are_made_replacing_files_and_keeping_default_devices() {
        let sys = FakeSys::new();
        sys.add_file("/newroot/dev/test2", "");
        let nodes = [
            node('c', "/dev/test1"),
            node('b', "/dev/test2"),
            node('p', "/dev/sub/fifo"),
            node('c', "/dev/null"),
        ];
        make(&sys, "/newroot", &nodes).unwrap();
        assert_eq!(
            sys.calls(),
            [
                "mkdir /newroot/dev",
                "mknod /newroot/dev/test1 c 10:666 0660 1:2",
                "mkdir /newroot/dev",
                "remove /newroot/dev/test2",
                "mknod /newroot/dev/test2 b 10:666 0660 1:2",
                "mkdir /newroot/dev/sub",
                "mknod /newroot/dev/sub/fifo p 10:666 0660 1:2",
            ]
        );
        sys.fail("mknod", libc::EPERM);
        let e = make(&sys, "", &nodes[..1]).unwrap_err();
        assert!(
            e.starts_with("cannot make the device /dev/test1 (c 10 666 0660 1 2 /dev/test1)"),
            "{e}"
        );
    }
}
