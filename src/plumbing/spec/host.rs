//! What a domain gets from the host it runs on, and what its process may
//! do: a root directory and shares (host directories and files), the
//! filesystems the guest makes in it, and the process's groups, resource
//! limits and capabilities (an OCI bundle's, mostly).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};

/// A host directory that is a domain's root filesystem, instead of its
/// image's disk: what the domain writes lands in that directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRoot {
    /// The absolute host path of the directory.
    pub path: PathBuf,
    /// The domain sees it read-only.
    pub read_only: bool,
}

/// A host directory or file shared into a domain at a path (a bind mount
/// across the VM boundary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostShare {
    /// The absolute host path of the directory or file.
    pub source: PathBuf,
    /// The absolute path inside the domain.
    pub path: String,
    /// The domain sees it read-only.
    pub read_only: bool,
}

/// A filesystem the guest makes in a domain (proc, sysfs, tmpfs, devpts,
/// mqueue, cgroup), with its mount options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestMount {
    /// The filesystem type.
    pub fstype: String,
    /// The source its mount table shows; empty: the type's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The absolute path inside the domain.
    pub path: String,
    /// Its options (`nosuid`, `ro`, `mode=755`, ...).
    pub options: Vec<String>,
}

impl GuestMount {
    /// A container's own /dev/shm of `bytes`, mounted as docker's and
    /// runc's are (`--shm-size`, an engine's shm tmpfs).
    pub fn shm(bytes: u64) -> Self {
        GuestMount {
            fstype: "tmpfs".into(),
            source: "shm".into(),
            path: "/dev/shm".into(),
            options: ["nosuid", "nodev", "noexec", "mode=1777"]
                .into_iter()
                .map(String::from)
                .chain([format!("size={bytes}")])
                .collect(),
        }
    }
}

/// A resource limit by its POSIX name without `RLIMIT_` (`NOFILE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlimit {
    pub name: String,
    pub soft: u64,
    pub hard: u64,
}

/// Capability sets by name (`CAP_CHOWN`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    pub bounding: Vec<String>,
    pub effective: Vec<String>,
    pub inheritable: Vec<String>,
    pub permitted: Vec<String>,
    pub ambient: Vec<String>,
}

/// What a domain's process may do beyond its user; the defaults leave the
/// guest's own (a root process with every capability).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessLimits {
    /// Supplementary group ids instead of the image's group file's.
    #[serde(default)]
    pub groups: Vec<u32>,
    #[serde(default)]
    pub rlimits: Vec<Rlimit>,
    /// The capability sets, when they are to be set.
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
    #[serde(default)]
    pub no_new_privileges: bool,
    /// -1000..1000.
    #[serde(default)]
    pub oom_score_adj: Option<i32>,
}

impl ProcessLimits {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == ProcessLimits::default()
    }

    /// Check names and ranges before the guest does.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: String| Err(Error::invalid(format!("invalid process limit: {what}")));
        for r in &self.rlimits {
            if r.name.is_empty() || !r.name.bytes().all(|c| c.is_ascii_uppercase() || c == b'_') {
                return bad(format!(
                    "{:?} is not a resource limit name such as NOFILE",
                    r.name
                ));
            }
            if r.soft > r.hard {
                return bad(format!(
                    "{}'s soft limit {} is above its hard {}",
                    r.name, r.soft, r.hard
                ));
            }
        }
        if let Some(c) = &self.capabilities {
            for name in [
                &c.bounding,
                &c.effective,
                &c.inheritable,
                &c.permitted,
                &c.ambient,
            ]
            .into_iter()
            .flatten()
            {
                let ok = name.strip_prefix("CAP_").is_some_and(|r| {
                    !r.is_empty()
                        && r.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                });
                if !ok {
                    return bad(format!(
                        "{name:?} is not a capability name such as CAP_CHOWN"
                    ));
                }
            }
        }
        if let Some(adj) = self.oom_score_adj {
            if !(-1000..=1000).contains(&adj) {
                return bad(format!("oom_score_adj {adj} is not in -1000..1000"));
            }
        }
        Ok(())
    }

    /// As the tether's config document (and ExecLimited) has them.
    pub fn to_config(&self) -> tether_protocol::config::ProcessLimits {
        use tether_protocol::config as c;
        c::ProcessLimits {
            groups: self.groups.clone(),
            rlimits: self
                .rlimits
                .iter()
                .map(|r| c::Rlimit {
                    name: r.name.clone(),
                    soft: r.soft,
                    hard: r.hard,
                })
                .collect(),
            capabilities: self.capabilities.as_ref().map(|k| c::Capabilities {
                bounding: k.bounding.clone(),
                effective: k.effective.clone(),
                inheritable: k.inheritable.clone(),
                permitted: k.permitted.clone(),
                ambient: k.ambient.clone(),
            }),
            no_new_privileges: self.no_new_privileges,
            oom_score_adj: self.oom_score_adj,
        }
    }
}

/// A device node the guest makes in a domain (an OCI bundle's
/// `linux.devices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceNode {
    /// The absolute path inside the domain.
    pub path: String,
    /// `c` (character), `b` (block) or `p` (FIFO).
    pub kind: char,
    pub major: u32,
    pub minor: u32,
    /// Permission bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// One range of a user namespace's uid or gid map: the domain's ids
/// `container..container+size` are the guest's `host..host+size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMap {
    pub container: u32,
    pub host: u32,
    pub size: u32,
}

/// Check device nodes and id maps before the guest does.
pub fn validate_nodes_and_maps(devices: &[DeviceNode], uid: &[IdMap], gid: &[IdMap]) -> Result<()> {
    for d in devices {
        let bad = |why: &str| {
            Err(Error::invalid(format!(
                "invalid device {:?}: {why}",
                d.path
            )))
        };
        if !d.path.starts_with('/') || d.path.split('/').any(|c| c == "..") {
            return bad("the path must be absolute, without '..'");
        }
        if d.path.chars().any(char::is_control) {
            return bad("the path contains a control character");
        }
        if !matches!(d.kind, 'c' | 'b' | 'p') {
            return bad("the type is c, b or p");
        }
        if d.mode > 0o7777 {
            return bad("the mode has more than permission bits");
        }
    }
    for (which, map) in [("uid", uid), ("gid", gid)] {
        for m in map {
            let wire = tether_protocol::config::IdMap {
                container: m.container,
                host: m.host,
                size: m.size,
            };
            wire.check()
                .map_err(|why| Error::invalid(format!("invalid {which} mapping {wire}: {why}")))?;
        }
    }
    if uid.is_empty() != gid.is_empty() {
        return Err(Error::invalid(
            "a user namespace needs both uid and gid mappings",
        ));
    }
    Ok(())
}
