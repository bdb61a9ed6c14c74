//! Local networks: a record and an address pool per network under
//! `<state>/networks/<name>/`, changed only under the network's lock; and
//! the host side. As root a network is a Linux bridge (`vp-<id8>`) holding
//! the gateway address, with an nftables table of its own for outbound NAT
//! and for isolation from every other vicport bridge, and one tap per
//! endpoint; without root it is QEMU's UDP multicast socket network, one
//! group per network (domains reach each other, nothing else).
//!
//! This module keeps the records, pools and endpoints; `host` makes the
//! bridges, nftables tables and taps.

use std::collections::BTreeSet;
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, write_atomic};
use crate::plumbing::ipam::{self, Pool};
use crate::plumbing::local::store::{CommitSteps, Definition, DomainStore};
use crate::plumbing::name;
use crate::plumbing::spec::{
    DomainId, EndpointInfo, NetworkEndpoint, NetworkInfo, NetworkSpec, PlatformRef, now, random_hex,
};

mod host;
pub mod netns;
pub mod publish;
#[cfg(test)]
mod tests;

pub use host::{BackingKind, chosen_backing, create_tap, delete_tap, ruleset, tap_name, taps_of};
use host::{
    check_host_overlap, enable_forwarding, ip, link_exists, nft_apply, remove_bridge, teardown,
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

/// A domain is gone: delete its taps and give its addresses back.
pub fn forget_domain(networks: &NetworkStore, def: &Definition) {
    for tap in taps_of(&def.id, &def.spec.networks, networks) {
        delete_tap(&tap);
    }
    if !def.spec.ports.is_empty() {
        publish::remove(&publish::table_of(&def.id));
    }
    for ep in &def.spec.networks {
        networks.release(&ep.network, &def.id);
    }
}
