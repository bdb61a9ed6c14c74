//! The domain config document: what the host tells the tether (identity,
//! token, ports, disks, process, network), as versioned `key=value` lines.
//!
//! The format is specified in `PROTOCOL.md`. The decoder is strict about
//! what it knows (errors name the line) and ignores keys it does not know.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::signal::Signal;

mod codec;
mod container;
mod text;

pub(crate) use container::{CAP_SETS, check_cap, check_container_path, check_subpath};
pub use container::{
    Capabilities, DeviceNode, GuestMount, IdMap, MAX_TAG_LEN, ProcessLimits, Rlimit, RootShare,
    ShareConfig, check_tag, lies_inside, path_names,
};
use text::Fields;
pub use text::{escape, hex_decode, hex_encode, unescape};

/// The document version this crate writes and the highest it reads.
pub const CONFIG_VERSION: u32 = 1;
/// The key of the mandatory first line.
pub const VERSION_KEY: &str = "vicport.config";

/// A byte port of the guest, by a logical name: each tether knows where its
/// OS puts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortSpec {
    /// A virtio-serial port by its name (on Linux the port whose
    /// `/sys/class/virtio-ports/*/name` it is).
    Virtio(String),
    /// The machine's serial port (UART) number N, counting from 0: 0 is
    /// COM1, 1 is COM2 (Linux `/dev/ttyS1`, Windows `COM2`).
    Serial(u32),
    /// A file or FIFO path: serve mode and tests only, never written by the
    /// plumbing for a domain.
    File(String),
}

/// The highest serial port number a port spec may name.
pub const MAX_SERIAL_PORT: u32 = 255;

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpec::Virtio(n) => write!(f, "virtio:{n}"),
            PortSpec::Serial(n) => write!(f, "serial:{n}"),
            PortSpec::File(p) => write!(f, "file:{p}"),
        }
    }
}

impl FromStr for PortSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("port `{s}` is not kind:name"))?;
        if rest.is_empty() {
            return Err(format!("port `{s}` has an empty name"));
        }
        match kind {
            "virtio" => Ok(PortSpec::Virtio(rest.into())),
            "serial" => rest
                .parse::<u32>()
                .ok()
                .filter(|n| rest.bytes().all(|b| b.is_ascii_digit()) && *n <= MAX_SERIAL_PORT)
                .map(PortSpec::Serial)
                .ok_or_else(|| {
                    format!(
                        "serial port `{rest}` is not a port number 0..{MAX_SERIAL_PORT} (serial:1 is the second serial port, COM2)"
                    )
                }),
            "file" => Ok(PortSpec::File(rest.into())),
            _ => Err(format!(
                "port kind `{kind}` is not one of virtio, serial, file"
            )),
        }
    }
}

/// How a block device is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskSource {
    /// By ext4 filesystem label.
    Label(String),
    /// By `/sys/class/block/*/serial` (virtio-blk serial).
    Serial(String),
    /// By SCSI address: the disk at target `unit`, LUN 0, of the `bus`-th
    /// (0-based, in host number order) paravirtual SCSI controller
    /// (`vmw_pvscsi`). On vSphere, `bus` is the controller's `busNumber`
    /// and `unit` the disk's `unitNumber`.
    Scsi {
        /// The controller's bus number.
        bus: u32,
        /// The disk's unit number (its SCSI target id).
        unit: u32,
    },
}

impl fmt::Display for DiskSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiskSource::Label(l) => write!(f, "label:{l}"),
            DiskSource::Serial(s) => write!(f, "serial:{s}"),
            DiskSource::Scsi { bus, unit } => write!(f, "scsi:{bus}:{unit}"),
        }
    }
}

impl FromStr for DiskSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("disk `{s}` is not label:NAME, serial:NAME or scsi:BUS:UNIT");
        match s.split_once(':') {
            Some(("label", l)) if !l.is_empty() => Ok(DiskSource::Label(l.into())),
            Some(("serial", v)) if !v.is_empty() => Ok(DiskSource::Serial(v.into())),
            Some(("scsi", rest)) => {
                let (bus, unit) = rest.split_once(':').ok_or_else(bad)?;
                let number = |t: &str| {
                    (!t.is_empty() && t.len() <= 3 && t.bytes().all(|c| c.is_ascii_digit()))
                        .then(|| t.parse::<u32>().ok())
                        .flatten()
                        .ok_or_else(bad)
                };
                Ok(DiskSource::Scsi {
                    bus: number(bus)?,
                    unit: number(unit)?,
                })
            }
            _ => Err(bad()),
        }
    }
}

/// The primary process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessConfig {
    /// Program and arguments (empty: no primary process).
    pub argv: Vec<String>,
    /// `NAME=value` entries.
    pub env: Vec<String>,
    /// Working directory ("" = the user's home, else /).
    pub cwd: String,
    /// `user[:group]` by name or number ("" = root).
    pub user: String,
    /// Run on a pseudo-terminal.
    pub tty: bool,
    /// Keep stdin open for attached sessions.
    pub stdin: bool,
    /// Start only when the first session attaches.
    pub wait_for_attach: bool,
    /// Signal for a graceful stop.
    pub stop_signal: Signal,
    /// What the process may do: groups, resource limits, capabilities.
    pub limits: ProcessLimits,
}

impl Default for ProcessConfig {
    fn default() -> Self {
        ProcessConfig {
            argv: Vec::new(),
            env: Vec::new(),
            cwd: String::new(),
            user: String::new(),
            tty: false,
            stdin: false,
            wait_for_attach: false,
            stop_signal: Signal::TERM,
            limits: ProcessLimits::default(),
        }
    }
}

/// A volume to mount into the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeConfig {
    /// Which disk.
    pub source: DiskSource,
    /// Mount path inside the container.
    pub path: String,
    /// Mount read-only.
    pub read_only: bool,
    /// Make an ext4 filesystem if the disk is blank.
    pub format: bool,
    /// The label of a filesystem made by `format` (the volume's name; the
    /// tether keeps ext4's first 16 bytes); empty for none.
    pub label: String,
}

/// An address with its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpPrefix {
    /// The address.
    pub addr: IpAddr,
    /// Prefix length (0..=32 for v4, 0..=128 for v6).
    pub prefix: u8,
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for IpPrefix {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, p) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not ADDRESS/PREFIX"))?;
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("`{a}` is not an IP address"))?;
        let prefix: u8 = p
            .parse()
            .map_err(|_| format!("`{p}` is not a prefix length"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        if prefix > max {
            return Err(format!("prefix /{prefix} is longer than {max}"));
        }
        Ok(IpPrefix { addr, prefix })
    }
}

impl IpPrefix {
    /// The address with its host bits cleared.
    pub fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32u32.saturating_sub(u32::from(self.prefix)))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(a) & mask).into())
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128u32.saturating_sub(u32::from(self.prefix)))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(a) & mask).into())
            }
        }
    }
}

/// A route through an interface's neighbour: `DEST via GATEWAY`, both of
/// one family, the destination a network (no host bits), `/0` for a
/// default route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteConfig {
    /// The destination network.
    pub dest: IpPrefix,
    /// The next hop, on the interface's link.
    pub via: IpAddr,
}

impl fmt::Display for RouteConfig {
    /// `DEST/PREFIX via GATEWAY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} via {}", self.dest, self.via)
    }
}

impl RouteConfig {
    /// The default route (`0.0.0.0/0` or `::/0`, as `via`'s family)
    /// through `via`.
    pub fn default_via(via: IpAddr) -> RouteConfig {
        let addr = match via {
            IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
        };
        RouteConfig {
            dest: IpPrefix { addr, prefix: 0 },
            via,
        }
    }
}

impl FromStr for RouteConfig {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (d, v) = s
            .split_once(" via ")
            .ok_or_else(|| format!("`{s}` is not DEST/PREFIX via GATEWAY"))?;
        let dest: IpPrefix = d.parse()?;
        let via: IpAddr = v
            .parse()
            .map_err(|_| format!("`{v}` is not an IP address"))?;
        if dest.addr.is_ipv4() != via.is_ipv4() {
            return Err(format!(
                "route `{s}`: {dest} and {via} are not of one family"
            ));
        }
        if dest.network() != dest.addr {
            return Err(format!(
                "route `{s}`: {dest} has host bits set (the network is {}/{})",
                dest.network(),
                dest.prefix
            ));
        }
        Ok(RouteConfig { dest, via })
    }
}

/// A network interface, found by MAC address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceConfig {
    /// MAC address, lower case, colon separated.
    pub mac: String,
    /// Addresses to assign.
    pub addresses: Vec<IpPrefix>,
    /// Default gateway through this interface.
    pub gateway: Option<IpAddr>,
    /// Further routes through this interface (another family's default
    /// route among them). Carried by the config document only: a network
    /// joined while the domain runs has its gateway and no more.
    pub routes: Vec<RouteConfig>,
    /// The link's MTU (68..=65535), when the platform's network is not
    /// Ethernet's 1500. Config document only, as `routes`.
    pub mtu: Option<u32>,
    /// DNS servers.
    pub dns: Vec<IpAddr>,
    /// DNS search domains.
    pub search: Vec<String>,
}

/// The domain's own resolver settings (`--dns`, `--dns-search`,
/// `--dns-option`). Each list given replaces what the networks' interfaces
/// say; options are the domain's alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DnsConfig {
    /// Name servers.
    pub servers: Vec<IpAddr>,
    /// Search domains.
    pub search: Vec<String>,
    /// resolv.conf options (`ndots:2`, `edns0`).
    pub options: Vec<String>,
}

impl DnsConfig {
    /// Nothing set: the networks' settings stand.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty() && self.search.is_empty() && self.options.is_empty()
    }

    /// Why `word` cannot be a search domain or an option of resolv.conf,
    /// whose entries are words on one line.
    pub fn check_word(what: &str, word: &str) -> Result<(), String> {
        if word.is_empty() || word.len() > 253 {
            return Err(format!("{what} {word:?} must be 1 to 253 characters"));
        }
        if word
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#' || c == ';')
        {
            return Err(format!(
                "{what} {word:?} holds a space, a control character, '#' or ';'"
            ));
        }
        Ok(())
    }
}

/// An extra `/etc/hosts` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    /// The address.
    pub address: IpAddr,
    /// Names for it (at least one).
    pub names: Vec<String>,
}

impl fmt::Display for HostEntry {
    /// `ADDRESS NAME [NAME...]`, as in `/etc/hosts` (one space apart).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.address, self.names.join(" "))
    }
}

impl FromStr for HostEntry {
    type Err = String;
    /// `ADDRESS NAME [NAME...]`, separated by whitespace.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut words = s.split_whitespace();
        let address = words
            .next()
            .and_then(|a| a.parse::<IpAddr>().ok())
            .ok_or_else(|| format!("`{s}` does not start with an IP address"))?;
        let names: Vec<String> = words.map(String::from).collect();
        if names.is_empty() {
            return Err(format!("`{s}` has no host name"));
        }
        Ok(HostEntry { address, names })
    }
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainConfig {
    /// The domain's id.
    pub id: String,
    /// The domain's name.
    pub name: String,
    /// Hostname to set ("" = the name).
    pub hostname: String,
    /// The link token (Hello must carry it).
    pub token: Vec<u8>,
    /// The link port.
    pub link: PortSpec,
    /// The log port, if any.
    pub log: Option<PortSpec>,
    /// The root disk (None: run in the initramfs root, tests only, or
    /// in `root_share`).
    pub root: Option<DiskSource>,
    /// The root disk is discarded when the domain powers off (`run
    /// --rm`): the tether does not flush it on the way down.
    pub root_discarded: bool,
    /// The root disk is mounted read-only for the container (`--read-only`):
    /// its volumes, filesystems and shares keep their own modes, and the
    /// network files the tether keeps stay writable by the tether.
    pub root_read_only: bool,
    /// The root filesystem as a shared host directory (never with `root`).
    pub root_share: Option<RootShare>,
    /// Host directories and files shared into the container.
    pub shares: Vec<ShareConfig>,
    /// The primary process.
    pub process: ProcessConfig,
    /// Volumes.
    pub volumes: Vec<VolumeConfig>,
    /// Network interfaces.
    pub interfaces: Vec<InterfaceConfig>,
    /// Extra /etc/hosts entries.
    pub hosts: Vec<HostEntry>,
    /// The domain's own resolver settings, over its networks'.
    pub dns: DnsConfig,
    /// Paths in the container hidden from it (an empty file or directory
    /// mounted over them).
    pub masked_paths: Vec<String>,
    /// Paths in the container made read-only.
    pub readonly_paths: Vec<String>,
    /// Filesystems the guest makes in the container.
    pub mounts: Vec<GuestMount>,
    /// Kernel parameters set before the primary starts: (name in dotted
    /// or slashed form, value).
    pub sysctl: Vec<(String, String)>,
    /// The propagation of the container's root mount: "" (left as it
    /// is), or one of [`ROOT_PROPAGATIONS`].
    pub root_propagation: String,
    /// Device nodes made in the container (after its mounts).
    pub devices: Vec<DeviceNode>,
    /// The primary runs in a user namespace of its own with these uid
    /// and gid maps (both empty: in the guest's).
    pub uid_map: Vec<IdMap>,
    pub gid_map: Vec<IdMap>,
    /// The primary is the init (PID 1) of a pid namespace of its own,
    /// with a /proc of that namespace, and every exec joins it (false:
    /// the guest's, where the tether is PID 1).
    pub pid_namespace: bool,
}

/// Linux's capabilities by name, in number order (CAP_CHOWN is 0).
pub const CAPABILITIES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// The resource limits a process may be given, by their names without
/// `RLIMIT_` (the guest turns them into Linux's numbers).
pub const RLIMITS: [&str; 16] = [
    "CPU",
    "FSIZE",
    "DATA",
    "STACK",
    "CORE",
    "RSS",
    "NPROC",
    "NOFILE",
    "MEMLOCK",
    "AS",
    "LOCKS",
    "SIGPENDING",
    "MSGQUEUE",
    "NICE",
    "RTPRIO",
    "RTTIME",
];

/// The propagations a container's root mount may be given.
pub const ROOT_PROPAGATIONS: [&str; 8] = [
    "shared",
    "rshared",
    "slave",
    "rslave",
    "private",
    "rprivate",
    "unbindable",
    "runbindable",
];

impl DomainConfig {
    /// A minimal config with the given token and link port.
    pub fn new(token: Vec<u8>, link: PortSpec) -> Self {
        DomainConfig {
            id: String::new(),
            name: String::new(),
            hostname: String::new(),
            token,
            link,
            log: None,
            root: None,
            root_discarded: false,
            root_read_only: false,
            root_share: None,
            shares: Vec::new(),
            process: ProcessConfig::default(),
            volumes: Vec::new(),
            interfaces: Vec::new(),
            hosts: Vec::new(),
            dns: DnsConfig::default(),
            masked_paths: Vec::new(),
            readonly_paths: Vec::new(),
            mounts: Vec::new(),
            sysctl: Vec::new(),
            root_propagation: String::new(),
            devices: Vec::new(),
            uid_map: Vec::new(),
            gid_map: Vec::new(),
            pid_namespace: false,
        }
    }
}

/// A config document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line number (0: the document as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "config document: {}", self.message)
        } else {
            write!(f, "config document line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

/// A [`ConfigError`] at `line`.
fn err(line: usize, message: impl Into<String>) -> ConfigError {
    ConfigError {
        line,
        message: message.into(),
    }
}

/// Whether `s` is a MAC address: six colon-separated pairs of hex digits.
pub fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests;
