//! A bundle's `linux.devices` as device nodes the guest makes in the
//! container, and its user namespace's uid/gid mappings; errors name the
//! file and the field.

use std::path::Path;

use oci_spec::runtime::{Linux, LinuxDeviceType, LinuxIdMapping, LinuxNamespaceType};

use super::invalid;
use crate::plumbing::error::Result;
use crate::plumbing::spec::{DeviceNode, IdMap};

/// The mode of a device the config gives none (as runc and crun make them).
const DEFAULT_MODE: u32 = 0o666;

/// The device nodes of `linux.devices`.
pub fn devices(file: &Path, linux: &Linux) -> Result<Vec<DeviceNode>> {
    let mut nodes = Vec::new();
    for (i, d) in linux.devices().iter().flatten().enumerate() {
        let field = |f: &str| format!("linux.devices[{i}].{f}");
        let path = d.path().display().to_string();
        if !path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(invalid(
                file,
                &field("path"),
                format!("{path:?} is not an absolute path without '..'"),
            ));
        }
        let kind = match d.typ() {
            LinuxDeviceType::C | LinuxDeviceType::U => 'c',
            LinuxDeviceType::B => 'b',
            LinuxDeviceType::P => 'p',
            LinuxDeviceType::A => {
                return Err(invalid(
                    file,
                    &field("type"),
                    "\"a\" (all) is a cgroup rule, not a device node: give c, b, u or p",
                ));
            }
        };
        let number = |v: i64, f: &str| {
            u32::try_from(v)
                .map_err(|_| invalid(file, &field(f), format!("{v} is not a device number")))
        };
        let mode = d.file_mode().unwrap_or(DEFAULT_MODE);
        if mode > 0o7777 {
            return Err(invalid(
                file,
                &field("fileMode"),
                format!("{mode:#o} has more than permission bits"),
            ));
        }
        nodes.push(DeviceNode {
            path,
            kind,
            major: if kind == 'p' {
                0
            } else {
                number(d.major(), "major")?
            },
            minor: if kind == 'p' {
                0
            } else {
                number(d.minor(), "minor")?
            },
            mode,
            uid: d.uid().unwrap_or(0),
            gid: d.gid().unwrap_or(0),
        });
    }
    Ok(nodes)
}

/// The uid and gid maps of a user namespace the config asks for (none
/// when it lists no user namespace). Joining an existing one (a path)
/// is not supported: the guest has its own.
pub fn id_maps(file: &Path, linux: &Linux) -> Result<(Vec<IdMap>, Vec<IdMap>)> {
    let user = linux
        .namespaces()
        .iter()
        .flatten()
        .enumerate()
        .find(|(_, n)| n.typ() == LinuxNamespaceType::User);
    let Some((i, ns)) = user else {
        return Ok((Vec::new(), Vec::new()));
    };
    if let Some(p) = ns.path() {
        return Err(invalid(
            file,
            &format!("linux.namespaces[{i}].path"),
            format!(
                "joining the host's user namespace {} is not supported on this target: a containerVM's namespaces are its guest's (give no path, and uidMappings/gidMappings)",
                p.display()
            ),
        ));
    }
    let map = |m: &Option<Vec<LinuxIdMapping>>| -> Vec<IdMap> {
        m.iter()
            .flatten()
            .map(|m| IdMap {
                container: m.container_id(),
                host: m.host_id(),
                size: m.size(),
            })
            .collect()
    };
    let (uid, gid) = (map(linux.uid_mappings()), map(linux.gid_mappings()));
    for (field, m) in [("linux.uidMappings", &uid), ("linux.gidMappings", &gid)] {
        if m.is_empty() {
            return Err(invalid(
                file,
                field,
                "missing: a user namespace needs its uid and gid mappings",
            ));
        }
    }
    Ok((uid, gid))
}
