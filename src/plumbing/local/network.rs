//! Local networks: a record and an address pool per network under
//! `<state>/networks/<name>/`, changed only under the network's lock; and
//! the host side. As root a network is a Linux bridge (`vp-<id8>`) holding
//! the gateway address, with an nftables table of its own for outbound NAT
//! and for isolation from every other vicport bridge, and one tap per
//! endpoint; without root it is QEMU's UDP multicast socket network, one
//! group per network (domains reach each other, nothing else).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, write_atomic};
use crate::plumbing::ipam::{self, Pool};
use crate::plumbing::local::store::{CommitSteps, Definition, DomainStore};
use crate::plumbing::name;
use crate::plumbing::spec::{
    DomainId, EndpointInfo, NetworkEndpoint, NetworkInfo, NetworkSpec, PlatformRef, now, random_hex,
};

/// File names inside a network's directory.
pub mod files {
    /// The record (JSON).
    pub const RECORD: &str = "network.json";
    /// The address pool (JSON, `ipam::Pool`).
    pub const POOL: &str = "pool.json";
}

/// Forces the backing of new networks: `bridge` or `socket` (default:
/// `bridge` as root, else `socket`).
pub const BACKING_ENV: &str = "VICPORT_NETWORK_BACKING";

/// How a local network exists on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Backing {
    /// A Linux bridge with a tap per endpoint (needs root).
    Bridge { bridge: String },
    /// QEMU's UDP multicast socket network (`ADDR:PORT`), rootless.
    Socket { group: String },
}

impl Backing {
    /// `bridge` or `socket`, as `network inspect` shows it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Backing::Bridge { .. } => "bridge",
            Backing::Socket { .. } => "socket",
        }
    }
}

/// What a local network is, as written by `network create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkRecord {
    /// 16 random hex digits: names the bridge, the nftables table, the taps.
    pub id: String,
    /// The spec, with the gateway filled in by IPAM.
    pub spec: NetworkSpec,
    /// RFC 3339 creation time.
    pub created: String,
    pub backing: Backing,
}

impl NetworkRecord {
    /// The gateway (IPAM always assigns one).
    pub fn gateway(&self) -> IpAddr {
        self.spec
            .gateway
            .expect("a created network has its gateway")
    }

    /// The gateway a domain's interface routes through: only bridge networks
    /// that lead somewhere have one.
    pub fn route(&self) -> Option<IpAddr> {
        match self.backing {
            Backing::Bridge { .. } if !self.spec.internal => Some(self.gateway()),
            _ => None,
        }
    }

    fn table(&self) -> String {
        format!("vicport_{}", self.id)
    }
}

/// The tap of domain `domain`'s endpoint on network `network_id`: unique
/// on the host, and found again from the two ids alone (≤ 15 bytes).
pub fn tap_name(domain: &DomainId, network_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.0.as_bytes());
    h.update(b"/");
    h.update(network_id.as_bytes());
    format!("vt{}", &hex::encode(h.finalize())[..12])
}

/// The networks of one state directory.
#[derive(Debug, Clone)]
pub struct NetworkStore {
    root: PathBuf,
}

impl NetworkStore {
    /// The store under `<state>/networks`.
    pub fn new(state: &Path) -> Self {
        NetworkStore {
            root: state.join("networks"),
        }
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn store_lock(&self) -> Result<Lock> {
        Lock::exclusive(&self.root.join(".lock"))
    }

    /// A network's lock. Locks live apart from the network's directory, so
    /// that waiting for one never re-creates a removed network's directory.
    fn network_lock(&self, name: &str) -> Result<Lock> {
        Lock::exclusive(&self.root.join(".locks").join(name))
    }

    /// Create a network: IPAM's plan (subnet, overlap with the other
    /// networks, gateway, range), the host check, then the record and pool
    /// published by one rename under the store lock, then the host side.
    pub fn create(&self, spec: &NetworkSpec) -> Result<NetworkRecord> {
        self.create_as(spec, chosen_backing()?)
    }

    /// [`create`](Self::create) with the backing given.
    pub fn create_as(&self, spec: &NetworkSpec, kind: BackingKind) -> Result<NetworkRecord> {
        name::validate("network", &spec.name)?;
        create_private_dir(&self.root)?;
        let _store = self.store_lock()?;
        self.sweep();
        if self.dir(&spec.name).exists() {
            return Err(
                Error::taken(format!("a network named {:?} already exists", spec.name))
                    .with_hint("choose another name, or remove that network first"),
            );
        }
        let existing: Vec<(String, IpNet)> = self
            .list()?
            .into_iter()
            .map(|r| (r.spec.name, r.spec.subnet))
            .collect();
        let pool = ipam::plan(spec, &existing)?;
        let id = random_hex(8);
        let backing = match kind {
            BackingKind::Bridge => {
                check_host_overlap(&pool.subnet)?;
                Backing::Bridge {
                    bridge: format!("vp-{}", &id[..8]),
                }
            }
            BackingKind::Socket => Backing::Socket {
                group: self.free_group()?,
            },
        };
        let mut spec = spec.clone();
        spec.subnet = pool.subnet;
        spec.gateway = Some(pool.gateway);
        let record = NetworkRecord {
            id,
            spec,
            created: now(),
            backing,
        };
        let staging = self
            .root
            .join(format!(".new-{}-{}", record.spec.name, record.id));
        let published = (|| {
            create_private_dir(&staging)?;
            write_json(&staging.join(files::RECORD), &record)?;
            write_json(&staging.join(files::POOL), &pool)?;
            let dir = self.dir(&record.spec.name);
            fs::rename(&staging, &dir).io_context(|| format!("creating {}", dir.display()))
        })();
        if let Err(e) = published {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        // The host side comes last: a create killed here leaves a network
        // whose bridge the next domain start makes (as after a reboot).
        if let Err(e) = self.ensure(&record) {
            teardown(&record);
            let _ = fs::remove_dir_all(self.dir(&record.spec.name));
            return Err(e);
        }
        Ok(record)
    }

    /// A multicast group no other network of this store uses.
    fn free_group(&self) -> Result<String> {
        let used: BTreeSet<String> = self
            .list()?
            .into_iter()
            .filter_map(|r| match r.backing {
                Backing::Socket { group } => Some(group),
                Backing::Bridge { .. } => None,
            })
            .collect();
        loop {
            let mut b = [0u8; 4];
            getrandom::fill(&mut b).expect("the OS random source is available");
            // Organization-local scope (RFC 2365); ports above 20000.
            let port = 20000 + u16::from_be_bytes([b[2], b[3]]) % 40000;
            let group = format!("239.255.{}.{}:{port}", b[0], b[1].max(1));
            if !used.contains(&group) {
                return Ok(group);
            }
        }
    }

    /// Every network, by name.
    pub fn list(&self) -> Result<Vec<NetworkRecord>> {
        let mut out = Vec::new();
        for name in crate::plumbing::file::entry_names(&self.root)? {
            if name.starts_with('.') || name::validate("network", &name).is_err() {
                continue;
            }
            match self.load(&name) {
                Ok(r) => out.push(r),
                Err(e) => tracing::debug!("skipping network {name}: {e}"),
            }
        }
        out.sort_by(|a, b| a.spec.name.cmp(&b.spec.name));
        Ok(out)
    }

    /// One network (exit 3 when there is none of that name).
    pub fn load(&self, name: &str) -> Result<NetworkRecord> {
        let not_found = || {
            Error::not_found("network", name).with_hint("list networks with `vicport network ls`")
        };
        if name::validate("network", name).is_err() {
            return Err(not_found());
        }
        let path = self.dir(name).join(files::RECORD);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::other(format!(
                    "the network record {} is damaged: {e}",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_found()),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    fn load_pool(&self, name: &str) -> Result<Pool> {
        let path = self.dir(name).join(files::POOL);
        let bytes = fs::read(&path).io_context(|| format!("reading {}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::other(format!(
                "the address pool {} is damaged: {e}",
                path.display()
            ))
        })
    }

    fn save_pool(&self, name: &str, pool: &Pool) -> Result<()> {
        write_json(&self.dir(name).join(files::POOL), pool)
    }

    /// Give domain `holder` its endpoint on `endpoint.network`: an address
    /// from the pool (the requested one, or the lowest free), and a MAC when
    /// it has none. Called under the domain's commit lock for a network the
    /// domain's committed definition does not join, so any address the pool
    /// still has for the holder is a leftover and is given back first.
    pub fn join(
        &self,
        domains: &DomainStore,
        holder: &DomainId,
        endpoint: &mut NetworkEndpoint,
    ) -> Result<()> {
        let name = endpoint.network.clone();
        self.load(&name)?;
        let _lock = self.network_lock(&name)?;
        // Removed while we waited for its lock?
        let record = self.load(&name)?;
        let mut pool = self.load_pool(&name)?;
        let macs = reconcile(&mut pool, domains, &name, holder);
        pool.release(&holder.0);
        if let Some(ip) = endpoint.ip {
            if !record.spec.subnet.contains(&ip) {
                return Err(Error::invalid(format!(
                    "address {ip} is not in network {name:?}'s subnet {}",
                    record.spec.subnet
                ))
                .with_hint("leave out the address to get a free one"));
            }
        }
        let ip = pool
            .allocate(&holder.0, endpoint.ip)
            .map_err(|e| e.context(format!("network {name:?}")))?;
        if endpoint.mac.is_none() {
            let mac = loop {
                let m = ipam::random_mac();
                if !macs.contains(&m) {
                    break m;
                }
            };
            endpoint.mac = Some(mac);
        }
        endpoint.ip = Some(ip);
        self.save_pool(&name, &pool)
    }

    /// Give back whatever `holder` holds on `network` (nothing when the
    /// network is gone).
    pub fn release(&self, network: &str, holder: &DomainId) {
        if self.load(network).is_err() {
            return;
        }
        let result = (|| {
            let _lock = self.network_lock(network)?;
            self.load(network)?;
            let mut pool = self.load_pool(network)?;
            if pool.holders().any(|(_, h)| *h == holder.0) {
                pool.release(&holder.0);
                self.save_pool(network, &pool)?;
            }
            Ok::<(), Error>(())
        })();
        if let Err(e) = result {
            tracing::warn!("releasing {}'s address on {network}: {e}", holder.short());
        }
    }

    /// Remove a network: refused while any domain joins it (or a connect is
    /// under way); the host side goes first, then the record.
    pub fn remove(&self, name: &str, domains: &DomainStore) -> Result<()> {
        let _store = self.store_lock()?;
        let record = self.load(name)?;
        let _lock = self.network_lock(name)?;
        let (defs, _) = domains.load_all()?;
        let users: Vec<String> = defs
            .iter()
            .filter(|d| d.spec.networks.iter().any(|n| n.network == name))
            .map(|d| d.spec.name.clone())
            .collect();
        if !users.is_empty() {
            return Err(Error::conflict(format!(
                "network {name:?} is in use by {}",
                users.join(", ")
            ))
            .with_hint(format!(
                "disconnect them first (`vicport network disconnect {name} DOMAIN`) or remove them"
            )));
        }
        let mut pool = self.load_pool(name)?;
        reconcile(&mut pool, domains, name, &DomainId(String::new()));
        if let Some((ip, holder)) = pool.holders().next() {
            return Err(Error::conflict(format!(
                "network {name:?} is being joined right now ({ip} for domain {})",
                &holder[..holder.len().min(12)]
            ))
            .with_hint("try again in a moment"));
        }
        if let Backing::Bridge { bridge } = &record.backing {
            remove_bridge(&record, bridge)?;
        }
        let doomed = self.root.join(format!(".rm-{name}-{}", random_hex(4)));
        fs::rename(self.dir(name), &doomed).io_context(|| format!("removing network {name:?}"))?;
        fs::remove_dir_all(&doomed).io_context(|| format!("removing {}", doomed.display()))
    }

    /// Make the host side of a network exist as recorded (idempotent): for a
    /// bridge, the bridge with its gateway address, up, its nftables table,
    /// and IPv4 forwarding when it leads out. At network create, and at
    /// every domain start (the host may have rebooted since).
    pub fn ensure(&self, record: &NetworkRecord) -> Result<()> {
        let Backing::Bridge { bridge } = &record.backing else {
            return Ok(());
        };
        let _lock = self.network_lock(&record.spec.name)?;
        if !link_exists(bridge) {
            if let Err(e) = ip(&["link", "add", "name", bridge, "type", "bridge"]) {
                if !link_exists(bridge) {
                    return Err(e);
                }
            }
        }
        let address = format!("{}/{}", record.gateway(), record.spec.subnet.prefix_len());
        ip(&["addr", "replace", &address, "dev", bridge])?;
        ip(&["link", "set", "dev", bridge, "up"])?;
        nft_apply(&ruleset(record, bridge))?;
        if !record.spec.internal {
            enable_forwarding()?;
        }
        Ok(())
    }

    /// Clean up what killed processes left (publishing or removal halfway).
    fn sweep(&self) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Only under the store lock (create holds it): no live create
            // has a staging directory now.
            if name.starts_with(".rm-") || name.starts_with(".new-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// What `network inspect` shows; `endpoints` from the domains' definitions.
    pub fn info(&self, record: &NetworkRecord, endpoints: Vec<EndpointInfo>) -> NetworkInfo {
        let s = &record.spec;
        NetworkInfo {
            name: s.name.clone(),
            subnet: s.subnet,
            gateway: s.gateway,
            ip_range: s.ip_range,
            dns: s.dns.clone(),
            internal: s.internal,
            labels: s.labels.clone(),
            created: record.created.clone(),
            backing: record.backing.as_str().into(),
            endpoints,
            platform_ref: PlatformRef {
                platform: "local".into(),
                id: match &record.backing {
                    Backing::Bridge { bridge } => bridge.clone(),
                    Backing::Socket { group } => format!("mcast:{group}"),
                },
                path: self.dir(&s.name).display().to_string(),
            },
        }
    }
}

/// Join every endpoint of a domain being created (inside its staging, so
/// that its allocations count as in flight); on failure nothing stays held.
pub fn join_new(
    networks: &NetworkStore,
    domains: &DomainStore,
    def: &mut Definition,
) -> Result<()> {
    let id = def.id.clone();
    let mut done: Vec<String> = Vec::new();
    for ep in def.spec.networks.iter_mut() {
        if let Err(e) = networks.join(domains, &id, ep) {
            for n in &done {
                networks.release(n, &id);
            }
            return Err(e);
        }
        done.push(ep.network.clone());
    }
    Ok(())
}

/// The network side of a commit of an existing domain, run under its lock:
/// endpoints the commit adds get their address and MAC before the write
/// (given back if the write fails), endpoints it drops give theirs back
/// after it.
#[derive(Debug)]
pub struct EndpointSteps<'a> {
    networks: &'a NetworkStore,
    domains: &'a DomainStore,
    fresh: Vec<String>,
}

impl<'a> EndpointSteps<'a> {
    /// Steps for one commit.
    pub fn new(networks: &'a NetworkStore, domains: &'a DomainStore) -> Self {
        EndpointSteps {
            networks,
            domains,
            fresh: Vec::new(),
        }
    }
}

impl CommitSteps for EndpointSteps<'_> {
    fn prepare(&mut self, current: &Definition, next: &mut Definition) -> Result<()> {
        let id = next.id.clone();
        let mut failed = None;
        for ep in next.spec.networks.iter_mut() {
            if let Some(old) = current
                .spec
                .networks
                .iter()
                .find(|o| o.network == ep.network)
            {
                // A kept endpoint keeps what it was given.
                ep.ip = old.ip;
                ep.mac = old.mac.clone();
                continue;
            }
            match self.networks.join(self.domains, &id, ep) {
                Ok(()) => self.fresh.push(ep.network.clone()),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        match failed {
            Some(e) => {
                self.abort(next);
                Err(e)
            }
            None => Ok(()),
        }
    }

    fn abort(&mut self, next: &Definition) {
        for n in self.fresh.drain(..) {
            self.networks.release(&n, &next.id);
        }
    }

    fn written(&mut self, current: &Definition, next: &Definition) {
        for old in &current.spec.networks {
            if !next.spec.networks.iter().any(|n| n.network == old.network) {
                self.networks.release(&old.network, &next.id);
            }
        }
    }
}

/// Drop the pool's allocations that no domain will ever commit, and return
/// the MACs in use on the network. An allocation is kept when its domain's
/// definition has that address on this network, or when the domain is in
/// flight: being created (staging), or committing (its lock is held — the
/// caller `except` holds its own). Never blocks on a domain's lock.
fn reconcile(
    pool: &mut Pool,
    domains: &DomainStore,
    network: &str,
    except: &DomainId,
) -> BTreeSet<String> {
    let mut macs = BTreeSet::new();
    let mut stale = Vec::new();
    let holders: Vec<(IpAddr, String)> = pool.holders().map(|(ip, h)| (*ip, h.clone())).collect();
    for (ip, holder) in holders {
        if holder == except.0
            || holder.len() != 64
            || !holder.bytes().all(|b| b.is_ascii_hexdigit())
        {
            continue;
        }
        let id = DomainId(holder.clone());
        // Staging first: a create renames staging into place atomically.
        if domains.in_flight(&id) {
            continue;
        }
        if !domains.exists(&id) {
            stale.push(holder);
            continue;
        }
        let Ok(Some(_held)) = domains.try_lock(&id) else {
            continue; // committing right now, or unreadable: keep
        };
        match domains.load(&id) {
            Ok(def) => {
                let mine = def
                    .spec
                    .networks
                    .iter()
                    .find(|n| n.network == network && n.ip == Some(ip));
                match mine {
                    Some(ep) => {
                        if let Some(m) = &ep.mac {
                            macs.insert(m.clone());
                        }
                    }
                    None => stale.push(holder),
                }
            }
            Err(_) => continue,
        }
    }
    for h in stale {
        tracing::debug!("network {network}: giving back the address of gone domain {h}");
        pool.release(&h);
    }
    macs
}

/// The endpoints of a network, from the domains' definitions.
pub fn endpoints_of(network: &str, defs: &[Definition]) -> Vec<EndpointInfo> {
    let mut out: Vec<EndpointInfo> = defs
        .iter()
        .flat_map(|d| {
            d.spec
                .networks
                .iter()
                .filter(|n| n.network == network)
                .map(|n| EndpointInfo {
                    domain: d.spec.name.clone(),
                    ip: n.ip,
                    mac: n.mac.clone(),
                })
        })
        .collect();
    out.sort_by(|a, b| a.domain.cmp(&b.domain));
    out
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let text = serde_json::to_vec_pretty(value).expect("a network file serializes");
    write_atomic(path, &text, 0o600)
}

/// Which backing a new network gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackingKind {
    Bridge,
    Socket,
}

/// The backing new networks get: [`BACKING_ENV`], else a bridge as root.
pub fn chosen_backing() -> Result<BackingKind> {
    match std::env::var(BACKING_ENV).ok().as_deref() {
        None | Some("") => Ok(if crate::plumbing::paths::is_root() {
            BackingKind::Bridge
        } else {
            BackingKind::Socket
        }),
        Some("bridge") => Ok(BackingKind::Bridge),
        Some("socket") => Ok(BackingKind::Socket),
        Some(other) => Err(Error::invalid(format!(
            "{BACKING_ENV}={other:?} is not a network backing"
        ))
        .with_hint("use bridge or socket, or unset it")),
    }
}

/// The nftables table of a bridge network: no forwarding between it and any
/// other vicport bridge (`vp-*`), nor anywhere at all when internal; outbound
/// NAT for its subnet otherwise.
pub fn ruleset(record: &NetworkRecord, bridge: &str) -> String {
    let table = record.table();
    let mut forward = Vec::new();
    if record.spec.internal {
        forward.push(format!("iifname \"{bridge}\" oifname != \"{bridge}\" drop"));
        forward.push(format!("oifname \"{bridge}\" iifname != \"{bridge}\" drop"));
    } else {
        forward.push(format!(
            "iifname \"{bridge}\" oifname != \"{bridge}\" oifname \"vp-*\" drop"
        ));
        forward.push(format!(
            "oifname \"{bridge}\" iifname != \"{bridge}\" iifname \"vp-*\" drop"
        ));
    }
    let mut s = format!(
        "add table ip {table}\ndelete table ip {table}\ntable ip {table} {{\n\
         \tchain forward {{\n\t\ttype filter hook forward priority filter; policy accept;\n"
    );
    for rule in forward {
        s.push_str(&format!("\t\t{rule}\n"));
    }
    s.push_str("\t}\n");
    if !record.spec.internal {
        s.push_str(&format!(
            "\tchain postrouting {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\
             \t\tip saddr {} oifname != \"{bridge}\" masquerade\n\t}}\n",
            record.spec.subnet
        ));
    }
    s.push_str("}\n");
    s
}

/// Refuse a subnet that overlaps an address of a host interface: routing
/// it to a bridge would cut the host off from that network.
fn check_host_overlap(subnet: &IpNet) -> Result<()> {
    let out = Command::new(ip_tool())
        .args(["-j", "-4", "addr", "show"])
        .env("LC_ALL", "C")
        .output()
        .io_context(|| "listing the host's addresses (ip -j addr)".into())?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "ip -j addr show failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let links: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::other(format!("ip -j addr show printed no JSON: {e}")))?;
    for link in links.as_array().into_iter().flatten() {
        let ifname = link["ifname"].as_str().unwrap_or("?");
        for a in link["addr_info"].as_array().into_iter().flatten() {
            let (Some(local), Some(prefix)) = (a["local"].as_str(), a["prefixlen"].as_u64()) else {
                continue;
            };
            let Ok(net) = format!("{local}/{prefix}").parse::<IpNet>() else {
                continue;
            };
            let net = net.trunc();
            if net.contains(&subnet.network()) || subnet.contains(&net.network()) {
                return Err(Error::taken(format!(
                    "subnet {subnet} overlaps {local}/{prefix} on host interface {ifname}"
                ))
                .with_hint("choose a subnet this host does not use"));
            }
        }
    }
    Ok(())
}

fn ip_tool() -> &'static str {
    ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("ip")
}

/// Run `ip ARGS…`; a failure carries its stderr.
fn ip(args: &[&str]) -> Result<()> {
    let out = Command::new(ip_tool())
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .io_context(|| "running ip (install iproute2)".into())?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let mut e = Error::other(format!("ip {} failed: {err}", args.join(" ")));
    if err.contains("Operation not permitted") {
        e = e.with_hint(
            "bridge networks need root; without root networks use QEMU's socket backing",
        );
    }
    Err(e)
}

fn link_exists(name: &str) -> bool {
    Path::new("/sys/class/net").join(name).exists()
}

fn nft_apply(script: &str) -> Result<()> {
    use std::io::Write;
    let nft = ["/usr/sbin/nft", "/sbin/nft"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("nft");
    let mut child = Command::new(nft)
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::io("running nft", e).with_hint("install nftables (apt-get install nftables)")
        })?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(script.as_bytes())
        .io_context(|| "writing the nftables rules".into())?;
    let out = child
        .wait_with_output()
        .io_context(|| "waiting for nft".into())?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "nft failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

fn enable_forwarding() -> Result<()> {
    let path = "/proc/sys/net/ipv4/ip_forward";
    if fs::read_to_string(path).is_ok_and(|v| v.trim() == "1") {
        return Ok(());
    }
    fs::write(path, b"1").io_context(|| format!("enabling IPv4 forwarding ({path})"))
}

/// Remove a bridge network's host side: its nftables table and the bridge.
fn remove_bridge(record: &NetworkRecord, bridge: &str) -> Result<()> {
    let table = record.table();
    if nft_apply(&format!("add table ip {table}\ndelete table ip {table}\n")).is_err() {
        tracing::debug!("no nftables table {table} to remove");
    }
    if link_exists(bridge) {
        ip(&["link", "del", "dev", bridge])?;
    }
    Ok(())
}

/// Best-effort removal of a network's host side (a failed create).
fn teardown(record: &NetworkRecord) {
    if let Backing::Bridge { bridge } = &record.backing {
        let _ = remove_bridge(record, bridge);
    }
}

/// Create `tap` on `bridge`, up, replacing a leftover of the same name.
pub fn create_tap(tap: &str, bridge: &str) -> Result<()> {
    if link_exists(tap) {
        ip(&["link", "del", "dev", tap])?;
    }
    ip(&["tuntap", "add", "dev", tap, "mode", "tap"])?;
    let attached = ip(&["link", "set", "dev", tap, "master", bridge, "up"]);
    if attached.is_err() {
        delete_tap(tap);
    }
    attached
}

/// Delete a tap if it exists (best effort: a domain's end never fails on it).
pub fn delete_tap(tap: &str) {
    if link_exists(tap) {
        if let Err(e) = ip(&["link", "del", "dev", tap]) {
            tracing::warn!("deleting tap {tap}: {e}");
        }
    }
}

/// The taps a domain's endpoints would have, on the networks that exist.
pub fn taps_of(
    domain: &DomainId,
    endpoints: &[NetworkEndpoint],
    networks: &NetworkStore,
) -> Vec<String> {
    endpoints
        .iter()
        .filter_map(|e| networks.load(&e.network).ok())
        .filter(|r| matches!(r.backing, Backing::Bridge { .. }))
        .map(|r| tap_name(domain, &r.id))
        .collect()
}

/// A domain is gone: delete its taps and give its addresses back.
pub fn forget_domain(networks: &NetworkStore, def: &Definition) {
    for tap in taps_of(&def.id, &def.spec.networks, networks) {
        delete_tap(&tap);
    }
    for ep in &def.spec.networks {
        networks.release(&ep.network, &def.id);
    }
}

/// The `/etc/hosts` entries a domain gets: the other domains on its networks.
pub fn hosts_for(
    me: &DomainId,
    endpoints: &[NetworkEndpoint],
    domains: &DomainStore,
) -> Vec<(IpAddr, String)> {
    let mine: BTreeSet<&str> = endpoints.iter().map(|e| e.network.as_str()).collect();
    let mut out: BTreeMap<IpAddr, String> = BTreeMap::new();
    let Ok((defs, _)) = domains.load_all() else {
        return Vec::new();
    };
    for d in defs.iter().filter(|d| d.id != *me) {
        for e in &d.spec.networks {
            if let (true, Some(ip)) = (mine.contains(e.network.as_str()), e.ip) {
                out.entry(ip).or_insert_with(|| d.spec.name.clone());
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;
    use crate::plumbing::spec::DomainSpec;

    fn spec(name: &str, subnet: &str) -> NetworkSpec {
        NetworkSpec {
            name: name.into(),
            subnet: subnet.parse().unwrap(),
            gateway: None,
            ip_range: None,
            dns: vec![],
            internal: false,
            labels: Default::default(),
        }
    }

    /// Socket-backed networks need nothing from the host, so the store's
    /// logic is testable without root.
    fn create(nets: &NetworkStore, spec: &NetworkSpec) -> Result<NetworkRecord> {
        nets.create_as(spec, BackingKind::Socket)
    }

    fn domain(store: &DomainStore, name: &str, networks: &[NetworkEndpoint]) -> Definition {
        let mut d = Definition {
            version: 1,
            id: DomainId::random(),
            created: now(),
            spec: DomainSpec::new(name, "busybox:latest"),
            image_id: "sha256:00".into(),
            token: "ab".into(),
        };
        d.spec.networks = networks.to_vec();
        store.create(&mut d, |_, _| Ok(())).unwrap();
        d
    }

    #[test]
    fn create_refuses_overlaps_and_duplicates() {
        let state = tempfile::tempdir().unwrap();
        let nets = NetworkStore::new(state.path());
        let r = create(&nets, &spec("front", "10.20.0.0/24")).unwrap();
        assert_eq!(r.gateway(), "10.20.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(r.backing.as_str(), "socket");
        assert_eq!(r.route(), None, "a socket network leads nowhere");
        let e = create(&nets, &spec("back", "10.20.0.0/16")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        let e = create(&nets, &spec("front", "10.21.0.0/24")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        let e = create(&nets, &spec("bad", "10.22.0.1/24")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let b = create(&nets, &spec("back", "10.21.0.0/24")).unwrap();
        assert_ne!(r.backing, b.backing, "each network has its own group");
        assert_eq!(nets.list().unwrap().len(), 2);
    }

    #[test]
    fn joins_allocate_and_leftovers_are_given_back() {
        let state = tempfile::tempdir().unwrap();
        let nets = NetworkStore::new(state.path());
        let domains = DomainStore::new(state.path());
        create(&nets, &spec("n", "10.30.0.0/29")).unwrap();

        let mut ep = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
        let a = domain(&domains, "a", &[]);
        nets.join(&domains, &a.id, &mut ep).unwrap();
        assert_eq!(ep.ip, Some("10.30.0.5".parse().unwrap()));
        assert!(ep.mac.is_some());
        // a's definition never got the endpoint (a failed commit): the next
        // join reclaims the address.
        let b = domain(&domains, "b", &[]);
        let mut want = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
        nets.join(&domains, &b.id, &mut want).unwrap();
        assert_eq!(want.ip, ep.ip);

        // b commits it; now it is taken for real.
        let mut bd = domains.load(&b.id).unwrap();
        bd.spec.networks.push(want.clone());
        domains.commit(bd, &b.handle_version()).unwrap();
        let c = domain(&domains, "c", &[]);
        let mut taken = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
        let e = nets.join(&domains, &c.id, &mut taken).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        let mut outside = NetworkEndpoint::parse("n:10.31.0.5").unwrap();
        let e = nets.join(&domains, &c.id, &mut outside).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let mut gone = NetworkEndpoint::parse("nope").unwrap();
        let e = nets.join(&domains, &c.id, &mut gone).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);

        // In use: refused.
        assert_eq!(
            nets.remove("n", &domains).unwrap_err().kind(),
            ErrorKind::Conflict
        );
        // b disconnects: its address is free at once.
        let bd = domains.load(&b.id).unwrap();
        let mut next = bd.clone();
        next.spec.networks.clear();
        domains
            .commit_with(
                next,
                &bd.handle_version(),
                &mut EndpointSteps::new(&nets, &domains),
            )
            .unwrap();
        let pool = nets.load_pool("n").unwrap();
        assert_eq!(pool.holders().count(), 0, "{pool:?}");
        // c takes it but never commits: a leftover, which does not keep
        // the network from going.
        let mut again = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
        nets.join(&domains, &c.id, &mut again).unwrap();
        nets.remove("n", &domains).unwrap();
        assert!(nets.list().unwrap().is_empty());
    }

    #[test]
    fn concurrent_joins_never_share_an_address() {
        let state = tempfile::tempdir().unwrap();
        let nets = NetworkStore::new(state.path());
        let domains = DomainStore::new(state.path());
        create(&nets, &spec("n", "10.40.0.0/24")).unwrap();
        let defs: Vec<Definition> = (0..24)
            .map(|i| domain(&domains, &format!("d{i}"), &[]))
            .collect();
        let threads: Vec<_> = defs
            .into_iter()
            .map(|d| {
                let nets = nets.clone();
                let domains = domains.clone();
                std::thread::spawn(move || {
                    let mut next = d.clone();
                    next.spec
                        .networks
                        .push(NetworkEndpoint::parse("n").unwrap());
                    let mut steps = EndpointSteps::new(&nets, &domains);
                    let written = domains
                        .commit_with(next, &d.handle_version(), &mut steps)
                        .unwrap();
                    written.spec.networks[0].ip.unwrap()
                })
            })
            .collect();
        let ips: BTreeSet<IpAddr> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(ips.len(), 24);
        assert_eq!(endpoints_of("n", &domains.load_all().unwrap().0).len(), 24);
    }

    #[test]
    fn bridge_rules_isolate_and_nat() {
        let mut r = NetworkRecord {
            id: "0123456789abcdef".into(),
            spec: spec("n", "10.50.0.0/24"),
            created: now(),
            backing: Backing::Bridge {
                bridge: "vp-01234567".into(),
            },
        };
        r.spec.gateway = Some("10.50.0.1".parse().unwrap());
        let s = ruleset(&r, "vp-01234567");
        assert!(s.starts_with("add table ip vicport_0123456789abcdef\ndelete table"));
        assert!(
            s.contains("iifname \"vp-01234567\" oifname != \"vp-01234567\" oifname \"vp-*\" drop")
        );
        assert!(s.contains("ip saddr 10.50.0.0/24 oifname != \"vp-01234567\" masquerade"));
        assert_eq!(r.route(), r.spec.gateway);
        r.spec.internal = true;
        let s = ruleset(&r, "vp-01234567");
        assert!(!s.contains("masquerade"));
        assert!(s.contains("iifname \"vp-01234567\" oifname != \"vp-01234567\" drop"));
        assert_eq!(r.route(), None);
    }

    #[test]
    fn tap_names_are_short_and_stable() {
        let d = DomainId("ab".repeat(32));
        let t = tap_name(&d, "0123456789abcdef");
        assert!(t.len() <= 15 && t.starts_with("vt"), "{t}");
        assert_eq!(t, tap_name(&d, "0123456789abcdef"));
        assert_ne!(t, tap_name(&d, "fedcba9876543210"));
    }
}
