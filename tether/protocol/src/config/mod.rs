//! The domain config document: what the host tells the tether (identity,
//! token, ports, disks, process, network), as versioned `key=value` lines.
//!
//! The format is specified in `PROTOCOL.md`. The decoder is strict about
//! what it knows (errors name the line) and ignores keys it does not know.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::signal::Signal;

mod container;
mod text;

pub(crate) use container::{CAP_SETS, check_cap, check_container_path, check_subpath};
pub use container::{
    Capabilities, DeviceNode, GuestMount, IdMap, MAX_TAG_LEN, ProcessLimits, Rlimit, RootShare,
    ShareConfig, check_tag,
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

/// A network interface, found by MAC address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceConfig {
    /// MAC address, lower case, colon separated.
    pub mac: String,
    /// Addresses to assign.
    pub addresses: Vec<IpPrefix>,
    /// Default gateway through this interface.
    pub gateway: Option<IpAddr>,
    /// DNS servers.
    pub dns: Vec<IpAddr>,
    /// DNS search domains.
    pub search: Vec<String>,
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
}

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
            root_share: None,
            shares: Vec::new(),
            process: ProcessConfig::default(),
            volumes: Vec::new(),
            interfaces: Vec::new(),
            hosts: Vec::new(),
            masked_paths: Vec::new(),
            readonly_paths: Vec::new(),
            mounts: Vec::new(),
            sysctl: Vec::new(),
            root_propagation: String::new(),
            devices: Vec::new(),
            uid_map: Vec::new(),
            gid_map: Vec::new(),
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

fn err(line: usize, message: impl Into<String>) -> ConfigError {
    ConfigError {
        line,
        message: message.into(),
    }
}

struct Doc {
    out: String,
}

impl Doc {
    fn put(&mut self, key: &str, value: &str) {
        self.out.push_str(key);
        self.out.push('=');
        self.out.push_str(&escape(value));
        self.out.push('\n');
    }
    fn list(&mut self, prefix: &str, values: impl IntoIterator<Item = String>) {
        for (i, v) in values.into_iter().enumerate() {
            self.put(&format!("{prefix}.{i}"), &v);
        }
    }
}

impl DomainConfig {
    /// Encode as a config document.
    pub fn encode(&self) -> String {
        let mut d = Doc { out: String::new() };
        d.put(VERSION_KEY, &CONFIG_VERSION.to_string());
        d.put("domain.id", &self.id);
        d.put("domain.name", &self.name);
        d.put("hostname", &self.hostname);
        d.put("token", &hex_encode(&self.token));
        d.put("link", &self.link.to_string());
        if let Some(log) = &self.log {
            d.put("log", &log.to_string());
        }
        if let Some(root) = &self.root {
            d.put("root", &root.to_string());
        }
        if let Some(share) = &self.root_share {
            d.put("rootfs.share", &share.tag);
            d.put("rootfs.read_only", &share.read_only.to_string());
        }
        let p = &self.process;
        d.list("process.argv", p.argv.iter().cloned());
        d.list("process.env", p.env.iter().cloned());
        d.put("process.cwd", &p.cwd);
        d.put("process.user", &p.user);
        d.put("process.tty", &p.tty.to_string());
        d.put("process.stdin", &p.stdin.to_string());
        d.put("process.wait_for_attach", &p.wait_for_attach.to_string());
        d.put("process.stop_signal", &p.stop_signal.number().to_string());
        let l = &p.limits;
        d.list("process.groups", l.groups.iter().map(|g| g.to_string()));
        d.list("process.rlimit", l.rlimits.iter().map(|r| r.to_string()));
        if let Some(caps) = &l.capabilities {
            d.put("process.caps", "true");
            for set in CAP_SETS {
                d.list(
                    &format!("process.caps.{set}"),
                    caps.set(set).iter().cloned(),
                );
            }
        }
        if l.no_new_privileges {
            d.put("process.no_new_privileges", "true");
        }
        if let Some(adj) = l.oom_score_adj {
            d.put("process.oom_score_adj", &adj.to_string());
        }
        for (i, v) in self.volumes.iter().enumerate() {
            d.put(&format!("volume.{i}.source"), &v.source.to_string());
            d.put(&format!("volume.{i}.path"), &v.path);
            d.put(&format!("volume.{i}.read_only"), &v.read_only.to_string());
            d.put(&format!("volume.{i}.format"), &v.format.to_string());
            d.put(&format!("volume.{i}.label"), &v.label);
        }
        for (i, s) in self.shares.iter().enumerate() {
            d.put(&format!("share.{i}.tag"), &s.tag);
            d.put(&format!("share.{i}.subpath"), &s.subpath);
            d.put(&format!("share.{i}.path"), &s.path);
            d.put(&format!("share.{i}.read_only"), &s.read_only.to_string());
        }
        for (i, n) in self.interfaces.iter().enumerate() {
            d.put(&format!("net.{i}.mac"), &n.mac);
            d.list(
                &format!("net.{i}.address"),
                n.addresses.iter().map(|a| a.to_string()),
            );
            if let Some(g) = n.gateway {
                d.put(&format!("net.{i}.gateway"), &g.to_string());
            }
            d.list(&format!("net.{i}.dns"), n.dns.iter().map(|a| a.to_string()));
            d.list(&format!("net.{i}.search"), n.search.iter().cloned());
        }
        d.list("hosts", self.hosts.iter().map(HostEntry::to_string));
        for (i, m) in self.mounts.iter().enumerate() {
            d.put(&format!("mount.{i}.type"), &m.fstype);
            d.put(&format!("mount.{i}.path"), &m.path);
            d.list(&format!("mount.{i}.options"), m.options.iter().cloned());
        }
        d.list("masked", self.masked_paths.iter().cloned());
        d.list("readonly", self.readonly_paths.iter().cloned());
        d.list(
            "sysctl",
            self.sysctl.iter().map(|(k, v)| format!("{k}={v}")),
        );
        if !self.root_propagation.is_empty() {
            d.put("rootfs.propagation", &self.root_propagation);
        }
        d.list("device", self.devices.iter().map(DeviceNode::to_string));
        d.list("userns.uid_map", self.uid_map.iter().map(IdMap::to_string));
        d.list("userns.gid_map", self.gid_map.iter().map(IdMap::to_string));
        d.out
    }

    /// Decode a config document strictly; unknown keys are ignored.
    pub fn decode(text: &str) -> Result<DomainConfig, ConfigError> {
        let mut entries: BTreeMap<&str, (usize, String)> = BTreeMap::new();
        let mut version_seen = false;
        for (idx, raw) in text.split('\n').enumerate() {
            let line = idx + 1;
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let (key, value) = raw
                .split_once('=')
                .ok_or_else(|| err(line, "expected key=value"))?;
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'_')
            {
                return Err(err(
                    line,
                    format!("key `{}` is not [a-z0-9._]+", key.escape_debug()),
                ));
            }
            let value = unescape(value).map_err(|m| err(line, format!("{key}: {m}")))?;
            if !version_seen {
                if key != VERSION_KEY {
                    return Err(err(
                        line,
                        format!("the first line must be {VERSION_KEY}=N, found `{key}`"),
                    ));
                }
                let v: u32 = value
                    .parse()
                    .map_err(|_| err(line, format!("version `{value}` is not a number")))?;
                if v == 0 || v > CONFIG_VERSION {
                    return Err(err(
                        line,
                        format!(
                            "config version {v} not supported, this tether reads {CONFIG_VERSION}"
                        ),
                    ));
                }
                version_seen = true;
                continue;
            }
            if entries.insert(key, (line, value)).is_some() {
                return Err(err(line, format!("duplicate key `{key}`")));
            }
        }
        if !version_seen {
            return Err(err(0, format!("empty: no {VERSION_KEY} line")));
        }
        let r = Fields { entries };
        r.required("token")?;
        let token = r.parse("token", hex_decode)?.unwrap_or_default();
        let link = r
            .parse("link", |v| v.parse::<PortSpec>())?
            .ok_or_else(|| err(0, "missing key `link`"))?;
        let mut cfg = DomainConfig::new(token, link);
        cfg.id = r.string("domain.id");
        cfg.name = r.string("domain.name");
        cfg.hostname = r.string("hostname");
        cfg.log = r.parse("log", |v| v.parse::<PortSpec>())?;
        cfg.root = r.parse("root", |v| v.parse::<DiskSource>())?;
        if let Some(tag) = r.parse("rootfs.share", |v| check_tag(v).map(|()| v.to_string()))? {
            if cfg.root.is_some() {
                return Err(err(
                    r.line("rootfs.share"),
                    "rootfs.share and root both name the root filesystem: give one",
                ));
            }
            cfg.root_share = Some(RootShare {
                tag,
                read_only: r.boolean("rootfs.read_only")?,
            });
        }
        for i in 0..r.count("share")? {
            let k = |f: &str| format!("share.{i}.{f}");
            let tag = r.required(&k("tag"))?;
            check_tag(&tag).map_err(|m| err(r.line(&k("tag")), format!("{}: {m}", k("tag"))))?;
            let subpath = r.string(&k("subpath"));
            check_subpath(&subpath)
                .map_err(|m| err(r.line(&k("subpath")), format!("{}: {m}", k("subpath"))))?;
            let path = r.required(&k("path"))?;
            check_container_path(&path)
                .map_err(|m| err(r.line(&k("path")), format!("{}: {m}", k("path"))))?;
            cfg.shares.push(ShareConfig {
                tag,
                subpath,
                path,
                read_only: r.boolean(&k("read_only"))?,
            });
        }
        let p = &mut cfg.process;
        p.argv = r.list("process.argv")?;
        p.env = r.list("process.env")?;
        p.cwd = r.string("process.cwd");
        p.user = r.string("process.user");
        p.tty = r.boolean("process.tty")?;
        p.stdin = r.boolean("process.stdin")?;
        p.wait_for_attach = r.boolean("process.wait_for_attach")?;
        if let Some(sig) = r.parse("process.stop_signal", |v| {
            v.parse::<i32>()
                .ok()
                .and_then(Signal::from_number)
                .ok_or_else(|| format!("`{v}` is not a protocol signal number (1-31 or 34-64)"))
        })? {
            p.stop_signal = sig;
        }
        let l = &mut cfg.process.limits;
        for (j, g) in r.list("process.groups")?.iter().enumerate() {
            l.groups.push(g.parse().map_err(|_| {
                err(
                    r.line(&format!("process.groups.{j}")),
                    format!("`{g}` is not a group id"),
                )
            })?);
        }
        for (j, v) in r.list("process.rlimit")?.iter().enumerate() {
            let key = format!("process.rlimit.{j}");
            l.rlimits.push(
                v.parse()
                    .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
            );
        }
        if r.boolean("process.caps")? {
            let mut caps = Capabilities::default();
            for set in CAP_SETS {
                let prefix = format!("process.caps.{set}");
                for (j, name) in r.list(&prefix)?.into_iter().enumerate() {
                    check_cap(&name).map_err(|m| err(r.line(&format!("{prefix}.{j}")), m))?;
                    caps.set_mut(set).push(name);
                }
            }
            l.capabilities = Some(caps);
        }
        l.no_new_privileges = r.boolean("process.no_new_privileges")?;
        l.oom_score_adj = r.parse("process.oom_score_adj", |v| {
            v.parse::<i32>()
                .ok()
                .filter(|a| (-1000..=1000).contains(a))
                .ok_or_else(|| format!("`{v}` is not a number from -1000 to 1000"))
        })?;
        for (key, out) in [
            ("masked", &mut cfg.masked_paths),
            ("readonly", &mut cfg.readonly_paths),
        ] {
            for (j, path) in r.list(key)?.into_iter().enumerate() {
                check_container_path(&path)
                    .map_err(|m| err(r.line(&format!("{key}.{j}")), format!("{key}.{j}: {m}")))?;
                out.push(path);
            }
        }
        for (j, entry) in r.list("sysctl")?.into_iter().enumerate() {
            let bad = |m: &str| err(r.line(&format!("sysctl.{j}")), format!("sysctl.{j}: {m}"));
            let (name, value) = entry.split_once('=').ok_or_else(|| bad("not NAME=VALUE"))?;
            if name.is_empty()
                || name.starts_with(['.', '/'])
                || name.split(['.', '/']).any(|p| p.is_empty() || p == "..")
                || !name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"._-/".contains(&c))
            {
                return Err(bad(&format!("`{name}` is not a kernel parameter name")));
            }
            cfg.sysctl.push((name.to_string(), value.to_string()));
        }
        if let Some(p) = r.parse("rootfs.propagation", |v| {
            if ROOT_PROPAGATIONS.contains(&v) {
                Ok(v.to_string())
            } else {
                Err(format!(
                    "`{v}` is not a propagation ({})",
                    ROOT_PROPAGATIONS.join(", ")
                ))
            }
        })? {
            cfg.root_propagation = p;
        }
        for (j, v) in r.list("device")?.iter().enumerate() {
            let key = format!("device.{j}");
            cfg.devices.push(
                v.parse()
                    .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
            );
        }
        for (prefix, out) in [
            ("userns.uid_map", &mut cfg.uid_map),
            ("userns.gid_map", &mut cfg.gid_map),
        ] {
            for (j, v) in r.list(prefix)?.iter().enumerate() {
                let key = format!("{prefix}.{j}");
                out.push(
                    v.parse()
                        .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
                );
            }
        }
        if cfg.uid_map.is_empty() != cfg.gid_map.is_empty() {
            return Err(err(
                0,
                "userns.uid_map and userns.gid_map: a user namespace needs both maps",
            ));
        }
        for i in 0..r.count("mount")? {
            let k = |f: &str| format!("mount.{i}.{f}");
            let fstype = r.required(&k("type"))?;
            if fstype.is_empty() || !fstype.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return Err(err(
                    r.line(&k("type")),
                    format!("{}: `{fstype}` is not a filesystem type", k("type")),
                ));
            }
            let path = r.required(&k("path"))?;
            check_container_path(&path)
                .map_err(|m| err(r.line(&k("path")), format!("{}: {m}", k("path"))))?;
            cfg.mounts.push(GuestMount {
                fstype,
                path,
                options: r.list(&k("options"))?,
            });
        }
        for i in 0..r.count("volume")? {
            let k = |f: &str| format!("volume.{i}.{f}");
            cfg.volumes.push(VolumeConfig {
                source: r
                    .parse(&k("source"), |v| v.parse::<DiskSource>())?
                    .ok_or_else(|| err(0, format!("missing key `{}`", k("source"))))?,
                path: r.required(&k("path"))?,
                read_only: r.boolean(&k("read_only"))?,
                format: r.boolean(&k("format"))?,
                label: r.string(&k("label")),
            });
        }
        for i in 0..r.count("net")? {
            let k = |f: &str| format!("net.{i}.{f}");
            let mac = r.required(&k("mac"))?;
            let mac_line = r.line(&k("mac"));
            if !is_mac(&mac) {
                return Err(err(mac_line, format!("`{mac}` is not a MAC address")));
            }
            cfg.interfaces.push(InterfaceConfig {
                mac: mac.to_ascii_lowercase(),
                addresses: r
                    .list(&k("address"))?
                    .iter()
                    .enumerate()
                    .map(|(j, a)| {
                        a.parse::<IpPrefix>()
                            .map_err(|m| err(r.line(&format!("{}.{j}", k("address"))), m))
                    })
                    .collect::<Result<_, _>>()?,
                gateway: r.parse(&k("gateway"), |v| {
                    v.parse::<IpAddr>()
                        .map_err(|_| format!("`{v}` is not an IP address"))
                })?,
                dns: r
                    .list(&k("dns"))?
                    .iter()
                    .enumerate()
                    .map(|(j, a)| {
                        a.parse::<IpAddr>().map_err(|_| {
                            err(
                                r.line(&format!("{}.{j}", k("dns"))),
                                format!("`{a}` is not an IP address"),
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
                search: r.list(&k("search"))?,
            });
        }
        for (j, h) in r.list("hosts")?.iter().enumerate() {
            let line = r.line(&format!("hosts.{j}"));
            cfg.hosts.push(h.parse().map_err(|m| err(line, m))?);
        }
        Ok(cfg)
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
