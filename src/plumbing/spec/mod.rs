//! The port layer's data model: what a domain, volume, network and image are,
//! independent of any platform, and the parsers for their textual specs
//! (`NAME:/path[:ro]`, `NET[:IP]`, sizes).

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::name;

mod boot;
mod flags;
mod host;
mod info;
mod objects;
mod parse;
mod publish;
pub mod restart;

pub use boot::{BootStep, parse_boot_timeline};
pub use flags::{
    DnsSettings, ExtraHost, SecurityOpt, capabilities, command_env, parse_env_file,
    parse_security_opt, parse_tmpfs, parse_ulimit,
};
pub use host::*;
pub use info::*;
pub use objects::*;
pub use parse::{Mount, parse_label, parse_signal, parse_size};
pub use publish::{PortMapping, Protocol, validate_ports};
pub use restart::Restart;

/// A domain's identity: 64 lowercase hex digits, random at creation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DomainId(pub String);

impl DomainId {
    /// A new random id.
    pub fn random() -> Self {
        DomainId(random_hex(32))
    }

    /// The 12-character form shown in tables.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(12)]
    }
}

impl std::fmt::Display for DomainId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    hex::encode(bytes)
}

/// The optimistic-concurrency version of a domain definition: vSphere's
/// `changeVersion`, or the local definition's counter. Opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(pub String);

/// The process a domain runs, or an exec session runs inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessSpec {
    /// The command and its arguments; empty means "the image's default".
    pub argv: Vec<String>,
    /// `KEY=VALUE` pairs, in order; later entries win.
    pub env: Vec<String>,
    /// Working directory; `None` means the image's, or `/`.
    pub cwd: Option<String>,
    /// `user[:group]`, by name or number; `None` means the image's, or root.
    pub user: Option<String>,
    /// Allocate a terminal.
    pub tty: bool,
    /// Keep standard input open.
    pub stdin: bool,
    /// Groups, resource limits and capabilities (none by default).
    #[serde(default, skip_serializing_if = "ProcessLimits::is_empty")]
    pub limits: ProcessLimits,
}

impl ProcessSpec {
    /// Fill what the caller left open from the image's config, the way OCI
    /// runtimes do: a given command replaces the image's `cmd` but keeps its
    /// entrypoint (unless `entrypoint` overrides it); the image's env comes
    /// first so the caller's entries win; workdir and user default to the
    /// image's.
    pub fn with_image_defaults(mut self, image: &ImageConfig, entrypoint: Option<&str>) -> Self {
        let entry: Vec<String> = match entrypoint {
            Some("") => Vec::new(),
            Some(e) => vec![e.to_string()],
            None => image.entrypoint.clone(),
        };
        let cmd = if self.argv.is_empty() && entrypoint.is_none() {
            image.cmd.clone()
        } else {
            std::mem::take(&mut self.argv)
        };
        self.argv = entry.into_iter().chain(cmd).collect();
        let mut env = image.env.clone();
        env.append(&mut self.env);
        self.env = env;
        if self.cwd.is_none() {
            self.cwd = image.workdir.clone().filter(|w| !w.is_empty());
        }
        if self.user.is_none() {
            self.user = image.user.clone().filter(|u| !u.is_empty());
        }
        self
    }
}

/// A volume joined to a domain at a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeMount {
    /// The volume's name.
    pub volume: String,
    /// The absolute path inside the domain.
    pub path: String,
    /// Mounted read-only.
    pub read_only: bool,
}

/// A domain's endpoint on a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkEndpoint {
    /// The network's name.
    pub network: String,
    /// The requested or assigned address; `None` until IPAM assigns one.
    pub ip: Option<IpAddr>,
    /// The interface's MAC address; assigned at commit when `None`.
    pub mac: Option<String>,
}

/// Everything that defines a domain. This is what a handle carries and a
/// commit writes to the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainSpec {
    /// The domain's unique name.
    pub name: String,
    /// The image reference the domain was created from (`name:tag`); ""
    /// for a domain whose root is a host directory.
    pub image: String,
    /// The root filesystem as a host directory instead of the image's
    /// disk (platforms that share host directories only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_dir: Option<HostRoot>,
    /// Host directories and files shared into the domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<HostShare>,
    /// Paths in the domain hidden from its processes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked_paths: Vec<String>,
    /// Paths in the domain made read-only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readonly_paths: Vec<String>,
    /// Filesystems the guest makes in the domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guest_mounts: Vec<GuestMount>,
    /// Kernel parameters the guest sets before the primary process
    /// starts (`net.ipv4.ip_forward` = `1`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sysctl: BTreeMap<String, String>,
    /// The propagation of the domain's root mount (`shared`, `rslave`,
    /// ...; "" leaves it private).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub root_propagation: String,
    /// Device nodes the guest makes in the domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceNode>,
    /// The primary runs in a user namespace with these maps (both empty:
    /// the guest's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uid_map: Vec<IdMap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gid_map: Vec<IdMap>,
    /// The primary is PID 1 of a pid namespace of its own in the guest,
    /// and every exec joins it (an OCI bundle's `pid` namespace; false:
    /// the guest's, whose PID 1 is the tether). Needs a root of its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pid_namespace: bool,
    /// The root filesystem is read-only to the domain's processes
    /// (`--read-only`); its volumes, shares and guest filesystems keep
    /// their own modes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The primary process.
    pub process: ProcessSpec,
    /// The guest's hostname; defaults to the short id.
    pub hostname: Option<String>,
    /// Virtual CPUs.
    pub cpus: u32,
    /// Memory in MiB.
    pub memory_mb: u64,
    /// User labels.
    pub labels: BTreeMap<String, String>,
    /// Volumes joined to the domain.
    pub volumes: Vec<VolumeMount>,
    /// Networks joined to the domain.
    pub networks: Vec<NetworkEndpoint>,
    /// A network namespace on this host, made by a container engine
    /// (podman's, named in an OCI bundle), whose interfaces (`eth0`) the
    /// domain's NICs join, with their MACs, addresses and default route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_netns: Option<std::path::PathBuf>,
    /// Extra `/etc/hosts` lines (`--add-host`), before the other domains'
    /// on its networks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_hosts: Vec<ExtraHost>,
    /// Its own resolver settings (`--dns` …), over its networks'.
    #[serde(default, skip_serializing_if = "DnsSettings::is_empty")]
    pub dns: DnsSettings,
    /// Host ports forwarded to the domain's address on its first network
    /// while it runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortMapping>,
    /// The signal a graceful stop sends to the primary process.
    pub stop_signal: String,
    /// Remove the domain when its primary process exits (`run --rm`).
    pub auto_remove: bool,
    /// Start it again when its primary exits on its own (`--restart`).
    #[serde(default, skip_serializing_if = "Restart::is_no")]
    pub restart: Restart,
}

impl DomainSpec {
    /// Default vCPUs of a new domain.
    pub const DEFAULT_CPUS: u32 = 1;
    /// Default memory of a new domain, in MiB.
    pub const DEFAULT_MEMORY_MB: u64 = 256;

    /// The primary process as the tether's config document describes it
    /// (the same on every platform); `wait_for_attach` holds it until a
    /// client attaches.
    pub fn tether_process(
        &self,
        wait_for_attach: bool,
    ) -> Result<tether_protocol::config::ProcessConfig> {
        let p = &self.process;
        Ok(tether_protocol::config::ProcessConfig {
            argv: p.argv.clone(),
            env: p.env.clone(),
            cwd: p.cwd.clone().unwrap_or_default(),
            user: p.user.clone().unwrap_or_default(),
            tty: p.tty,
            stdin: p.stdin,
            wait_for_attach,
            stop_signal: parse_signal(&self.stop_signal)?,
            limits: p.limits.to_config(),
        })
    }

    /// A spec with defaults for everything but name and image.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        DomainSpec {
            name: name.into(),
            image: image.into(),
            root_dir: None,
            shares: Vec::new(),
            masked_paths: Vec::new(),
            readonly_paths: Vec::new(),
            guest_mounts: Vec::new(),
            sysctl: BTreeMap::new(),
            root_propagation: String::new(),
            devices: Vec::new(),
            uid_map: Vec::new(),
            gid_map: Vec::new(),
            pid_namespace: false,
            read_only: false,
            process: ProcessSpec::default(),
            hostname: None,
            cpus: Self::DEFAULT_CPUS,
            memory_mb: Self::DEFAULT_MEMORY_MB,
            labels: BTreeMap::new(),
            volumes: Vec::new(),
            networks: Vec::new(),
            engine_netns: None,
            ports: Vec::new(),
            extra_hosts: Vec::new(),
            dns: DnsSettings::default(),
            stop_signal: "SIGTERM".into(),
            auto_remove: false,
            restart: Restart::default(),
        }
    }

    /// Whether the domain uses host paths (a root directory, shares, or
    /// an engine's network namespace), which only platforms on this host
    /// can give it.
    pub fn uses_host_paths(&self) -> bool {
        self.root_dir.is_some() || !self.shares.is_empty() || self.engine_netns.is_some()
    }

    /// Check everything that can be checked without the platform.
    pub fn validate(&self) -> Result<()> {
        name::validate("domain", &self.name)?;
        if self.auto_remove && !self.restart.is_no() {
            return Err(Error::invalid(format!(
                "domain {:?} is to be removed when it stops (--rm) and started again (--restart {})",
                self.name, self.restart
            ))
            .with_hint("give one of them"));
        }
        match &self.root_dir {
            None => {
                name::ImageRef::parse(&self.image)?;
            }
            Some(root) => {
                if !self.image.is_empty() {
                    return Err(Error::invalid(format!(
                        "domain {:?} has both an image ({}) and a root directory ({})",
                        self.name,
                        self.image,
                        root.path.display()
                    ))
                    .with_hint("give one of them"));
                }
                if !root.path.is_absolute() {
                    return Err(Error::invalid(format!(
                        "the root directory {} is not an absolute path",
                        root.path.display()
                    )));
                }
            }
        }
        if self.cpus == 0 {
            return Err(Error::invalid("a domain needs at least 1 cpu"));
        }
        if self.memory_mb < 64 {
            return Err(Error::invalid(format!(
                "{} MiB of memory is too little for a domain",
                self.memory_mb
            ))
            .with_hint("give at least 64MiB with --memory"));
        }
        if let Some(h) = &self.hostname {
            if h.is_empty()
                || h.len() > 63
                || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                || h.starts_with('-')
            {
                return Err(Error::invalid(format!("invalid hostname {h:?}"))
                    .with_hint("use 1-63 characters of a-z, A-Z, 0-9 and '-'"));
            }
        }
        let mut paths = std::collections::BTreeSet::new();
        let mut volumes = std::collections::BTreeSet::new();
        for m in &self.volumes {
            if !paths.insert(m.path.as_str()) {
                return Err(Error::invalid(format!(
                    "two volumes are mounted at {}",
                    m.path
                )));
            }
            // One disk is one device in the guest: it is mounted once.
            if !volumes.insert(m.volume.as_str()) {
                return Err(Error::invalid(format!(
                    "domain {:?} joins volume {:?} twice",
                    self.name, m.volume
                ))
                .with_hint("mount a volume at one path only"));
            }
        }
        for sh in &self.shares {
            let bad = |why: &str| {
                Err(Error::invalid(format!(
                    "invalid share of {} at {:?}: {why}",
                    sh.source.display(),
                    sh.path
                )))
            };
            if !sh.source.is_absolute() {
                return bad("the host path is not absolute");
            }
            if !sh.path.starts_with('/') || sh.path.split('/').any(|c| c == "..") {
                return bad("the path inside the domain must be absolute, without '..'");
            }
            if sh.path.chars().any(char::is_control) {
                return bad("the path contains a control character");
            }
            if sh.path.trim_end_matches('/').is_empty() {
                return bad("a share cannot be mounted over the root");
            }
        }
        self.process.limits.validate()?;
        validate_nodes_and_maps(&self.devices, &self.uid_map, &self.gid_map)?;
        for m in &self.guest_mounts {
            if m.fstype.is_empty() || !m.fstype.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return Err(Error::invalid(format!(
                    "{:?} is not a filesystem type (mount at {})",
                    m.fstype, m.path
                )));
            }
        }
        for p in self
            .masked_paths
            .iter()
            .chain(&self.readonly_paths)
            .chain(self.guest_mounts.iter().map(|m| &m.path))
        {
            if !p.starts_with('/') || p.split('/').any(|c| c == "..") {
                return Err(Error::invalid(format!(
                    "masked, read-only or mount path {p:?} is not absolute without '..'"
                )));
            }
        }
        for (name, value) in &self.sysctl {
            let fine = !name.is_empty()
                && !name.starts_with(['.', '/'])
                && name.split(['.', '/']).all(|p| !p.is_empty() && p != "..")
                && name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"._-/".contains(&c));
            if !fine {
                return Err(Error::invalid(format!(
                    "{name:?} is not a kernel parameter name (sysctl)"
                )));
            }
            if value.contains('\n') {
                return Err(Error::invalid(format!(
                    "the value of kernel parameter {name} holds a line break"
                )));
            }
        }
        if !self.root_propagation.is_empty()
            && !tether_protocol::config::ROOT_PROPAGATIONS.contains(&self.root_propagation.as_str())
        {
            return Err(Error::invalid(format!(
                "{:?} is not a root propagation: one of {}",
                self.root_propagation,
                tether_protocol::config::ROOT_PROPAGATIONS.join(", ")
            )));
        }
        let mut nets = std::collections::BTreeSet::new();
        for n in &self.networks {
            if !nets.insert(n.network.as_str()) {
                return Err(Error::invalid(format!(
                    "the domain joins network {:?} twice",
                    n.network
                )));
            }
        }
        validate_ports(
            &format!("domain {:?}", self.name),
            &self.ports,
            self.networks.len(),
        )?;
        parse_signal(&self.stop_signal)?;
        Ok(())
    }
}

/// A domain's state, read from the platform (never cached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DomainState {
    /// Defined, never started.
    Created,
    /// Powering on, the tether not ready yet.
    Starting,
    /// The primary process runs.
    Running,
    /// Powered on with its virtual CPUs stopped (`domain pause`): its
    /// guest keeps everything and is not told; `domain unpause` goes on.
    Paused,
    /// A graceful stop is under way.
    Stopping,
    /// Powered off after having run.
    Stopped,
    /// Powered off with its memory and devices saved (`domain suspend`):
    /// the next start resumes it where it was; a stop discards the state.
    Suspended,
    /// Half-made or damaged: the platform object exists but is not a usable
    /// domain (an interrupted create, a missing disk). Only `rm` applies.
    Broken,
}

impl DomainState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DomainState::Created => "created",
            DomainState::Starting => "starting",
            DomainState::Running => "running",
            DomainState::Paused => "paused",
            DomainState::Stopping => "stopping",
            DomainState::Stopped => "stopped",
            DomainState::Suspended => "suspended",
            DomainState::Broken => "broken",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "created" => DomainState::Created,
            "starting" => DomainState::Starting,
            "running" => DomainState::Running,
            "paused" => DomainState::Paused,
            "stopping" => DomainState::Stopping,
            "stopped" => DomainState::Stopped,
            "suspended" => DomainState::Suspended,
            "broken" => DomainState::Broken,
            _ => {
                return Err(
                    Error::invalid(format!("unknown domain state {text:?}")).with_hint(
                        "use one of created, starting, running, paused, stopping, stopped, suspended, broken",
                    ),
                );
            }
        })
    }

    /// Whether the domain's VM is powered on.
    pub fn is_up(self) -> bool {
        matches!(
            self,
            DomainState::Starting
                | DomainState::Running
                | DomainState::Paused
                | DomainState::Stopping
        )
    }
}

impl std::fmt::Display for DomainState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The power state a handle asks for at commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerChange {
    /// Power on (start).
    On,
    /// Power off at once (no graceful stop; see `Platform::stop_domain`).
    Off,
}

/// A snapshot of a domain's definition with its version, changed locally by
/// joins and turned into the fewest platform operations by `commit`.
#[derive(Debug, Clone)]
pub struct Handle {
    /// The domain's id.
    pub id: DomainId,
    /// The version the snapshot was taken at; `None` for a domain that does
    /// not exist yet.
    pub version: Option<Version>,
    /// The definition as it will be after commit.
    pub spec: DomainSpec,
    /// A power change to apply after the definition change.
    pub power: Option<PowerChange>,
    /// With `PowerChange::On`: the primary process waits for the first
    /// attach, so that an attached `run` sees all of its output.
    pub hold_primary: bool,
}

impl Handle {
    /// A handle for a new domain (no version: commit creates it).
    pub fn new_domain(spec: DomainSpec) -> Self {
        Handle {
            id: DomainId::random(),
            version: None,
            spec,
            power: None,
            hold_primary: false,
        }
    }

    /// Whether commit creates the domain.
    pub fn is_new(&self) -> bool {
        self.version.is_none()
    }

    /// Join a volume at a path.
    pub fn join_volume(&mut self, mount: VolumeMount) -> Result<()> {
        if self.spec.volumes.iter().any(|m| m.path == mount.path) {
            return Err(Error::taken(format!(
                "domain {:?} already has a volume at {}",
                self.spec.name, mount.path
            )));
        }
        self.spec.volumes.push(mount);
        Ok(())
    }

    /// Join a network.
    pub fn join_network(&mut self, endpoint: NetworkEndpoint) -> Result<()> {
        if self
            .spec
            .networks
            .iter()
            .any(|n| n.network == endpoint.network)
        {
            return Err(Error::taken(format!(
                "domain {:?} is already connected to network {:?}",
                self.spec.name, endpoint.network
            )));
        }
        self.spec.networks.push(endpoint);
        Ok(())
    }

    /// Leave a network.
    pub fn leave_network(&mut self, network: &str) -> Result<NetworkEndpoint> {
        let i = self
            .spec
            .networks
            .iter()
            .position(|n| n.network == network)
            .ok_or_else(|| {
                Error::not_found("endpoint", network).with_hint(format!(
                    "domain {:?} is not connected to network {network:?}",
                    self.spec.name
                ))
            })?;
        if i == 0 && !self.spec.ports.is_empty() {
            return Err(Error::conflict(format!(
                "domain {:?} publishes ports ({}) to its address on network {network:?}",
                self.spec.name,
                PortMapping::list(&self.spec.ports)
            ))
            .with_hint("published ports go to a domain's first network: remove the domain and create it again to change them"));
        }
        Ok(self.spec.networks.remove(i))
    }

    /// Ask for a power change at commit.
    pub fn set_power(&mut self, power: PowerChange) {
        self.power = Some(power);
    }
}

/// RFC 3339 UTC timestamp with seconds.
pub fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Now, as an RFC 3339 UTC timestamp.
pub fn now() -> String {
    timestamp(SystemTime::now())
}

#[cfg(test)]
mod tests;
