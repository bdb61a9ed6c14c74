//! An OCI bundle turned into a domain spec: the root filesystem stays a host
//! directory (the domain's shared root), bind mounts become shares, the
//! process becomes the primary, memory and CPU limits size the VM. Errors
//! name the file and the field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oci_spec::runtime::{LinuxResources, Mount, Spec};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{
    Capabilities, DomainSpec, GuestMount, HostRoot, HostShare, ProcessLimits, Rlimit,
};

use super::rootfs;

/// The VM's memory when the bundle sets no limit, in MiB.
pub const DEFAULT_MEMORY_MB: u64 = DomainSpec::DEFAULT_MEMORY_MB;
/// The least memory a containerVM boots with, in MiB: a smaller limit is
/// raised to it (the guest kernel and tether need about 60 MiB).
pub const MIN_MEMORY_MB: u64 = 128;

/// Where the guest makes its own mounts: bind mounts at these paths are
/// not shared from the host (the guest's own /dev/shm is a tmpfs).
const GUEST_OWNED: [&str; 1] = ["/dev/shm"];

/// A bundle, read.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle directory (absolute).
    pub dir: PathBuf,
    /// The domain it becomes.
    pub spec: DomainSpec,
    /// The config's annotations.
    pub annotations: BTreeMap<String, String>,
    /// The process runs on a terminal.
    pub terminal: bool,
    /// The config's hooks.
    pub hooks: super::hooks::Hooks,
}

fn invalid(file: &Path, field: &str, why: impl std::fmt::Display) -> Error {
    Error::invalid(format!("{}: {field}: {why}", file.display()))
}

/// Read the bundle in `dir` as domain `name`, with `host_cpus` the most
/// vCPUs it may get.
pub fn load(dir: &Path, name: &str, host_cpus: u32) -> Result<Bundle> {
    let dir = std::path::absolute(dir)
        .map_err(|e| Error::io(format!("resolving the bundle path {}", dir.display()), e))?;
    let file = dir.join("config.json");
    let text = std::fs::read(&file).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::invalid(format!(
                "the bundle {} has no config.json ({} does not exist)",
                dir.display(),
                file.display()
            ))
            .with_hint("give the bundle directory with --bundle")
        } else {
            Error::io(format!("reading {}", file.display()), e)
        }
    })?;
    let mut de = serde_json::Deserializer::from_slice(&text);
    let config: Spec = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "(the document)" } else { &path };
        invalid(&file, field, e.inner())
    })?;
    let mut spec = DomainSpec::new(name, "");

    let root = config.root().as_ref().ok_or_else(|| {
        invalid(
            &file,
            "root",
            "missing: the bundle names no root filesystem",
        )
    })?;
    let rootfs = if root.path().is_absolute() {
        root.path().clone()
    } else {
        dir.join(root.path())
    };
    if !rootfs.is_dir() {
        return Err(invalid(
            &file,
            "root.path",
            format!("{} is not a directory", rootfs.display()),
        ));
    }
    spec.root_dir = Some(HostRoot {
        path: rootfs.clone(),
        read_only: root.readonly().unwrap_or(false),
    });

    // The runtime spec lets a bundle have no process: the container is
    // created, and `start` fails.
    if let Some(process) = config.process() {
        spec.process = process_spec(&file, &rootfs, process)?;
    }
    if let Some(linux) = config.linux() {
        spec.masked_paths = linux.masked_paths().clone().unwrap_or_default();
        spec.readonly_paths = linux.readonly_paths().clone().unwrap_or_default();
        spec.sysctl = linux
            .sysctl()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        spec.root_propagation = linux.rootfs_propagation().clone().unwrap_or_default();
        spec.engine_netns = network_namespace(&file, linux)?;
        spec.devices = nodes::devices(&file, linux)?;
        (spec.uid_map, spec.gid_map) = nodes::id_maps(&file, linux)?;
        spec.pid_namespace = pid_namespace(linux);
    }
    spec.hostname = config.hostname().clone().filter(|h| !h.is_empty());

    for (i, m) in config.mounts().iter().flatten().enumerate() {
        if let Some(share) = share_of(&file, i, m)? {
            spec.shares.push(share);
        } else if let Some(shm) = engine_shm(m) {
            spec.guest_mounts.push(shm);
        } else if let Some(fstype) = m.typ().clone().filter(|t| t != "bind") {
            spec.guest_mounts.push(GuestMount {
                // The type's name is the tether's default.
                source: m
                    .source()
                    .as_ref()
                    .map(|s| s.display().to_string())
                    .filter(|s| *s != fstype)
                    .unwrap_or_default(),
                fstype,
                path: m.destination().display().to_string(),
                options: m.options().clone().unwrap_or_default(),
            });
        }
    }
    let (memory_mb, cpus) = sizes(&file, &config, host_cpus)?;
    spec.memory_mb = memory_mb;
    spec.cpus = cpus;
    spec.validate()
        .map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let terminal = config
        .process()
        .as_ref()
        .and_then(|p| p.terminal())
        .unwrap_or(false);
    Ok(Bundle {
        dir,
        spec,
        annotations: config
            .annotations()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect(),
        terminal,
        hooks: super::hooks::Hooks::from_spec(&file, config.hooks().as_ref())?,
    })
}

/// The network namespace the bundle joins (`linux.namespaces`, type
/// `network` with a path): the engine made it, with `eth0` on its
/// network, and the VM's NIC is wired to that. A `network` entry without
/// a path (a namespace of the container's own) and none at all both give
/// the guest only `lo`: a VM's network is its own anyway.
fn network_namespace(file: &Path, linux: &oci_spec::runtime::Linux) -> Result<Option<PathBuf>> {
    use oci_spec::runtime::LinuxNamespaceType;
    for (i, ns) in linux.namespaces().iter().flatten().enumerate() {
        if ns.typ() != LinuxNamespaceType::Network {
            continue;
        }
        let Some(path) = ns.path() else {
            return Ok(None);
        };
        crate::plumbing::local::network::netns::check(path).map_err(|e| {
            let hint = e.hint().map(str::to_string);
            let e = invalid(file, &format!("linux.namespaces[{i}].path"), &e);
            match hint {
                Some(h) => e.with_hint(h),
                None => e,
            }
        })?;
        return Ok(Some(path.clone()));
    }
    Ok(None)
}

/// Whether the bundle asks for a pid namespace of the container's own (a
/// `pid` entry without a path): the guest gives it one, with the
/// container's process as its PID 1, as runc does. An entry with a path
/// names a namespace of a process on this host, which a VM cannot join:
/// the container then shares the guest's, as with none at all (`podman
/// --pid host`).
fn pid_namespace(linux: &oci_spec::runtime::Linux) -> bool {
    use oci_spec::runtime::LinuxNamespaceType;
    linux
        .namespaces()
        .iter()
        .flatten()
        .any(|ns| ns.typ() == LinuxNamespaceType::Pid && ns.path().is_none())
}

/// The container's process, its program looked up in the rootfs.
fn process_spec(
    file: &Path,
    rootfs: &Path,
    process: &oci_spec::runtime::Process,
) -> Result<crate::plumbing::spec::ProcessSpec> {
    let args = process.args().clone().unwrap_or_default();
    if args.is_empty() || args[0].is_empty() {
        return Err(invalid(file, "process.args", "empty: no program to run"));
    }
    let env = process.env().clone().unwrap_or_default();
    let cwd = process.cwd().display().to_string();
    if !cwd.starts_with('/') {
        return Err(invalid(
            file,
            "process.cwd",
            format!("{cwd:?} is not absolute"),
        ));
    }
    rootfs::check_executable(rootfs, &args[0], &env, &cwd)?;
    let user = process.user();
    Ok(crate::plumbing::spec::ProcessSpec {
        argv: args,
        env,
        cwd: Some(cwd),
        user: Some(format!("{}:{}", user.uid(), user.gid())),
        tty: process.terminal().unwrap_or(false),
        // The process's stdin is the shim's: open, and at its end when the
        // engine gave /dev/null.
        stdin: true,
        limits: limits(file, process)?,
    })
}

/// The process's groups, rlimits, capabilities, no_new_privileges and
/// OOM score adjustment, by the names the runtime spec uses.
pub fn limits(file: &Path, p: &oci_spec::runtime::Process) -> Result<ProcessLimits> {
    // The spec's names as its JSON spells them ("RLIMIT_NOFILE", "CAP_KILL").
    let name = |v: serde_json::Result<serde_json::Value>, field: &str| {
        v.ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or_else(|| invalid(file, field, "a name that cannot be read back"))
    };
    let mut rlimits = Vec::new();
    for (i, r) in p.rlimits().iter().flatten().enumerate() {
        let field = format!("process.rlimits[{i}].type");
        let n = name(serde_json::to_value(r.typ()), &field)?;
        rlimits.push(Rlimit {
            name: n.strip_prefix("RLIMIT_").unwrap_or(&n).to_string(),
            soft: r.soft(),
            hard: r.hard(),
        });
    }
    let capabilities = match p.capabilities() {
        None => None,
        Some(c) => {
            let set = |s: &Option<oci_spec::runtime::Capabilities>, field: &str| {
                let mut names = s
                    .iter()
                    .flatten()
                    .map(|c| name(serde_json::to_value(c), field))
                    .collect::<Result<Vec<_>>>()?;
                names.sort();
                Ok::<_, Error>(names)
            };
            Some(Capabilities {
                bounding: set(c.bounding(), "process.capabilities.bounding")?,
                effective: set(c.effective(), "process.capabilities.effective")?,
                inheritable: set(c.inheritable(), "process.capabilities.inheritable")?,
                permitted: set(c.permitted(), "process.capabilities.permitted")?,
                ambient: set(c.ambient(), "process.capabilities.ambient")?,
            })
        }
    };
    Ok(ProcessLimits {
        groups: p.user().additional_gids().clone().unwrap_or_default(),
        rlimits,
        capabilities,
        no_new_privileges: p.no_new_privileges().unwrap_or(false),
        oom_score_adj: p.oom_score_adj(),
    })
}

/// An engine's /dev/shm: podman binds a tmpfs of the host's, of the size
/// `--shm-size` asked (64 MiB by default), which the guest cannot share;
/// the guest makes a tmpfs of that size instead. `None` for anything
/// else, a bind from elsewhere than a tmpfs among them (the guest's own
/// /dev/shm then).
fn engine_shm(m: &Mount) -> Option<GuestMount> {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    let bind = m.typ().as_deref() == Some("bind");
    if !bind || m.destination() != Path::new("/dev/shm") {
        return None;
    }
    let st = rustix::fs::statfs(m.source().as_ref()?).ok()?;
    if st.f_type as i64 != TMPFS_MAGIC {
        return None;
    }
    Some(GuestMount::shm(st.f_blocks as u64 * st.f_bsize as u64))
}

/// A bind mount as a share (`None` for the mounts the guest makes itself:
/// proc, sysfs, tmpfs, devpts, mqueue, cgroup, and binds where the guest
/// has its own, which become guest mounts unless they are binds).
fn share_of(file: &Path, i: usize, m: &Mount) -> Result<Option<HostShare>> {
    let options = m.options().clone().unwrap_or_default();
    let bind =
        m.typ().as_deref() == Some("bind") || options.iter().any(|o| o == "bind" || o == "rbind");
    let path = m.destination().display().to_string();
    if !bind || GUEST_OWNED.contains(&path.as_str()) {
        return Ok(None);
    }
    let field = format!("mounts[{i}].source");
    let source = m
        .source()
        .clone()
        .ok_or_else(|| invalid(file, &field, format!("missing for the bind at {path}")))?;
    let meta = std::fs::metadata(&source).map_err(|e| {
        invalid(
            file,
            &field,
            format!("{} (bound at {path}): {e}", source.display()),
        )
    })?;
    if !meta.is_dir() && !meta.is_file() {
        return Err(invalid(
            file,
            &field,
            format!(
                "{} (bound at {path}) is neither a directory nor a file: a containerVM can share only those",
                source.display()
            ),
        ));
    }
    Ok(Some(HostShare {
        source,
        path,
        read_only: options.iter().any(|o| o == "ro"),
    }))
}

/// The VM's memory (MiB) and vCPUs from the config's resources.
fn sizes(file: &Path, config: &Spec, host_cpus: u32) -> Result<(u64, u32)> {
    let asked = match config.linux().as_ref().and_then(|l| l.resources().as_ref()) {
        Some(r) => asked_sizes(file, r, host_cpus)?,
        None => Sizes::default(),
    };
    let memory_mb = match asked.memory {
        Some(MemoryAsk::Limit(mb)) => mb,
        Some(MemoryAsk::Unlimited) | None => DEFAULT_MEMORY_MB,
    };
    Ok((memory_mb, asked.cpus.unwrap_or(1)))
}

/// What a memory limit asks of the VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryAsk {
    /// This many MiB (at least [`MIN_MEMORY_MB`]).
    Limit(u64),
    /// No limit (0 or -1).
    Unlimited,
}

/// What a `linux.resources` object asks of a containerVM's size; None
/// where it says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sizes {
    /// `memory.limit`.
    pub memory: Option<MemoryAsk>,
    /// The vCPUs of `cpu.quota`/`cpu.period` (rounded up) or of the
    /// `cpu.cpus` list's size, between 1 and `host_cpus`.
    pub cpus: Option<u32>,
}

/// Read `resources` (from `file`, for errors) as a containerVM's size:
/// the one rule `create` and `update` share.
pub fn asked_sizes(file: &Path, r: &LinuxResources, host_cpus: u32) -> Result<Sizes> {
    let mut asked = Sizes::default();
    if let Some(limit) = r.memory().as_ref().and_then(|m| m.limit()) {
        asked.memory = Some(if limit > 0 {
            MemoryAsk::Limit((limit as u64).div_ceil(1 << 20).max(MIN_MEMORY_MB))
        } else {
            MemoryAsk::Unlimited
        });
    }
    if let Some(cpu) = r.cpu() {
        if let (Some(quota), Some(period)) = (cpu.quota(), cpu.period()) {
            if quota > 0 && period > 0 {
                asked.cpus = Some((quota as u64).div_ceil(period) as u32);
            }
        } else if let Some(set) = cpu.cpus() {
            asked.cpus = Some(cpuset_len(set).ok_or_else(|| {
                invalid(
                    file,
                    "linux.resources.cpu.cpus",
                    format!("{set:?} is not a cpu list such as 0-3,6"),
                )
            })?);
        }
    }
    asked.cpus = asked.cpus.map(|n| n.clamp(1, host_cpus.max(1)));
    Ok(asked)
}

/// How many CPUs a cpuset list (`0-3,6`) names.
pub fn cpuset_len(set: &str) -> Option<u32> {
    let mut n = 0;
    for part in set.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        n += match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                b.checked_sub(a)? + 1
            }
            None => {
                part.parse::<u32>().ok()?;
                1
            }
        };
    }
    (n > 0).then_some(n)
}

mod nodes;
#[cfg(test)]
mod tests;
