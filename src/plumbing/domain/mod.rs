//! The domain layer: the port layer's policy for isolation domains, written
//! once for every platform. It takes handles and commits them as plans
//! ([`change`]: what may change in which state), builds the tether's config
//! document ([`guest`]), says what stop, kill, wait and rm mean
//! ([`lifecycle`]), what a domain uses and runs ([`usage`]) and what
//! copying files in and out of it means ([`transfer`]), and retries what
//! lost a race. A platform only realizes plans ([`realize::Realize`]). The CLI, an engine embedding the library and
//! the OCI runtime mode all come through [`Domains`].

use std::collections::BTreeMap;
use std::net::IpAddr;

use tether_protocol::config::HostEntry;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::platform::Platform;
use crate::plumbing::retry::retry_stale;
use crate::plumbing::spec::{
    DomainFilter, DomainInfo, DomainSpec, DomainSummary, Handle, NetworkEndpoint, PowerChange,
};

pub mod change;
pub mod guest;
mod lifecycle;
mod live;
pub mod memory;
pub mod realize;
#[cfg(test)]
mod tests;
pub mod transfer;
pub mod usage;

pub use change::Change;
pub use lifecycle::{Removed, volume_in_use};
pub use live::NIC_APPEAR_WAIT;
pub use realize::{Current, Plan, Realize, RootSession};
pub use usage::{DomainStats, PlatformUsage, Process, StatsSource, StatsWatch};

/// The domain operations of one platform, with the port layer's policy.
#[derive(Clone, Copy)]
pub struct Domains<'p> {
    platform: &'p dyn Platform,
}

impl std::fmt::Debug for Domains<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domains")
            .field("target", &self.platform.target())
            .finish()
    }
}

impl<'p> Domains<'p> {
    /// The domains of `platform`.
    pub fn new(platform: &'p dyn Platform) -> Self {
        Domains { platform }
    }

    /// The platform underneath.
    pub fn platform(&self) -> &'p dyn Platform {
        self.platform
    }

    /// A handle for a new domain: its spec valid, its name free, and what
    /// the platform must give it (capacity, the image) there. What it joins
    /// is checked at commit.
    pub async fn new_handle(&self, spec: DomainSpec) -> Result<Handle> {
        spec.validate()?;
        if spec.uses_host_paths() && !self.platform.shares_host_paths() {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                    "domain {:?} has its root or shares in host directories, and target {:?} runs domains on other hosts",
                    spec.name,
                    self.platform.target()
                ),
            )
            .with_hint("use the local target for domains on this host's directories (e.g. OCI bundles)"));
        }
        if !spec.ports.is_empty() && !self.platform.publishes_ports() {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                    "domain {:?} publishes ports, and target {:?} does not forward host ports: its domains' networks are vSphere port groups",
                    spec.name,
                    self.platform.target()
                ),
            )
            .with_hint("reach the domain at its address on its network (`vicport domain inspect`), or leave out --publish"));
        }
        self.platform.check_new(&spec).await?;
        if self.platform.name_in_use(&spec.name, None).await? {
            return Err(Error::name_taken("domain", &spec.name));
        }
        Ok(Handle::new_domain(spec))
    }

    /// A snapshot of a domain's definition and version.
    pub async fn handle(&self, domain: &str) -> Result<Handle> {
        let current = self.platform.current(domain).await?;
        let spec = current.spec.ok_or_else(|| broken(&current.name))?;
        Ok(Handle {
            id: current.id,
            version: Some(current.version),
            spec,
            power: None,
            hold_primary: false,
        })
    }

    /// Turn a handle into a plan and have the platform realize it. A handle
    /// taken at an older version fails with `StaleHandle`; see
    /// [`Domains::update`] for the retrying form.
    pub async fn commit(&self, handle: Handle) -> Result<DomainInfo> {
        handle.spec.validate()?;
        let Some(version) = handle.version.clone() else {
            self.check_joins(&handle.spec, None).await?;
            let change = Change::between(None, &handle.spec);
            let plan = self.plan(handle, change).await?;
            return self.platform.create(&plan).await;
        };
        let current = self.platform.current(&handle.id.0).await?;
        let now = current.spec.as_ref().ok_or_else(|| broken(&current.name))?;
        if current.version != version {
            return Err(Error::stale(format!(
                "domain {:?} changed since its handle was taken",
                current.name
            )));
        }
        let change = Change::between(Some(now), &handle.spec);
        change.check_allowed(&current.name, current.state)?;
        // Starting a running domain, or stopping a stopped one, changes
        // nothing.
        let power = match handle.power {
            Some(PowerChange::On) if current.state.is_up() => None,
            Some(PowerChange::Off) if !current.state.is_up() => None,
            other => other,
        };
        if change.is_empty() && power.is_none() {
            return self.platform.inspect_domain(&handle.id.0).await;
        }
        self.check_joins(&handle.spec, Some(now)).await?;
        if change.renamed
            && self
                .platform
                .name_in_use(&handle.spec.name, Some(&handle.id))
                .await?
        {
            return Err(Error::name_taken("domain", &handle.spec.name));
        }
        // A running domain's networks: its tether is told, before the
        // commit what leaves, after it what joins (see `live`).
        let live = current.state.is_up() && change.touches_networks();
        let (joined, left) = (change.networks_joined.clone(), change.networks_left.clone());
        let id = current.id.clone();
        let wanted = handle.spec.clone();
        if live && !left.is_empty() {
            self.take_down_leaving(&id, &current.name, &left, &wanted)
                .await?;
        }
        let plan = self.plan(Handle { power, ..handle }, change).await?;
        let info = match self.platform.change(&plan).await {
            Ok(info) => info,
            Err(e) => {
                if live && !left.is_empty() {
                    self.bring_back(&id, now, &left).await;
                }
                return Err(e);
            }
        };
        if !live {
            return Ok(info);
        }
        if !joined.is_empty() {
            if let Err(e) = self.bring_up_joined(&id, &wanted, &joined).await {
                return Err(match self.undo_join(&id, &joined).await {
                    Ok(()) => {
                        let hint = format!(
                            "nothing changed: the NIC was removed again and its address given back. {}",
                            e.hint().unwrap_or_default()
                        );
                        e.with_hint(hint.trim_end().to_string())
                    }
                    Err(undo) => e.context(format!(
                        "and undoing the connect failed too ({undo}); disconnect it with `vicport network disconnect`"
                    )),
                });
            }
        }
        let networks: Vec<String> = joined
            .iter()
            .chain(&left)
            .map(|e| e.network.clone())
            .collect();
        self.tell_peers(&info.name, &networks).await;
        Ok(info)
    }

    /// Change a domain with `edit`, from a fresh handle each time another
    /// writer's commit made it stale, so that no writer's change is lost.
    pub async fn update(
        &self,
        domain: &str,
        edit: impl Fn(&mut Handle) -> Result<()>,
    ) -> Result<DomainInfo> {
        let edit = &edit;
        retry_stale(|| async move {
            let mut handle = self.handle(domain).await?;
            edit(&mut handle)?;
            self.commit(handle).await
        })
        .await
    }

    /// Create a domain from `spec`, and power it on with `power`.
    pub async fn create(&self, spec: DomainSpec, power: Option<Start>) -> Result<DomainInfo> {
        let mut handle = self.new_handle(spec).await?;
        if let Some(start) = power {
            handle.set_power(PowerChange::On);
            handle.hold_primary = start == Start::Attached;
        }
        self.commit(handle).await
    }

    /// Start a domain; one that runs already is left as it is.
    pub async fn start(&self, domain: &str) -> Result<DomainInfo> {
        self.start_with(domain, Start::Detached).await
    }

    /// Start a domain as `start` says: with [`Start::Attached`] its primary
    /// process waits for the first attach (an OCI runtime's shim attaches
    /// at `start`, after the VM has booted at `create`).
    pub async fn start_with(&self, domain: &str, start: Start) -> Result<DomainInfo> {
        self.update(domain, |h| {
            h.set_power(PowerChange::On);
            h.hold_primary = start == Start::Attached;
            Ok(())
        })
        .await
    }

    /// Rename a domain.
    pub async fn rename(&self, domain: &str, new_name: &str) -> Result<DomainInfo> {
        crate::plumbing::name::validate("domain", new_name)?;
        self.update(domain, |h| {
            h.spec.name = new_name.to_string();
            Ok(())
        })
        .await
    }

    /// Set and remove labels.
    pub async fn label(
        &self,
        domain: &str,
        set: &[(String, String)],
        remove: &[String],
    ) -> Result<DomainInfo> {
        self.update(domain, |h| {
            for (k, v) in set {
                h.spec.labels.insert(k.clone(), v.clone());
            }
            for k in remove {
                h.spec.labels.remove(k);
            }
            Ok(())
        })
        .await
    }

    /// Connect a domain to a network.
    pub async fn connect(&self, domain: &str, endpoint: NetworkEndpoint) -> Result<DomainInfo> {
        self.update(domain, |h| h.join_network(endpoint.clone()))
            .await
    }

    /// Disconnect a domain from a network.
    pub async fn disconnect(&self, domain: &str, network: &str) -> Result<DomainInfo> {
        self.update(domain, |h| h.leave_network(network).map(drop))
            .await
    }

    /// Everything about one domain.
    pub async fn inspect(&self, domain: &str) -> Result<DomainInfo> {
        self.platform.inspect_domain(domain).await
    }

    /// The domains that pass `filter`.
    pub async fn list(&self, filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        self.platform.list_domains(filter).await
    }

    /// The plan of `handle`, with the guest's hosts when it powers on.
    async fn plan(&self, handle: Handle, change: Change) -> Result<Plan> {
        let hosts = if handle.power == Some(PowerChange::On) {
            self.hosts_for(&handle.spec).await?
        } else {
            Vec::new()
        };
        Ok(Plan {
            id: handle.id,
            version: handle.version,
            spec: handle.spec,
            change,
            power: handle.power,
            hold_primary: handle.hold_primary,
            hosts,
        })
    }

    /// Check what `spec` joins that it did not join `before`: the volumes
    /// and networks exist (exit 3), and a requested address is inside its
    /// network's subnet (exit 2). Whether an address is free is decided by
    /// the platform, under its lock.
    async fn check_joins(&self, spec: &DomainSpec, before: Option<&DomainSpec>) -> Result<()> {
        for m in &spec.volumes {
            if before.is_some_and(|b| b.volumes.iter().any(|o| o.volume == m.volume)) {
                continue;
            }
            self.platform.find_volume(&m.volume).await.map_err(|e| {
                e.with_hint(format!(
                    "create it first: `vicport volume create {} --size SIZE`",
                    m.volume
                ))
                .context(format!("domain {:?}", spec.name))
            })?;
        }
        for ep in &spec.networks {
            if before.is_some_and(|b| b.networks.iter().any(|o| o.network == ep.network)) {
                continue;
            }
            let net = self.platform.find_network(&ep.network).await.map_err(|e| {
                e.with_hint(format!(
                    "create it first: `vicport network create {} --subnet CIDR`",
                    ep.network
                ))
                .context(format!("domain {:?}", spec.name))
            })?;
            if let Some(ip) = ep.ip {
                if !net.subnet.contains(&ip) {
                    return Err(Error::invalid(format!(
                        "address {ip} is not in network {:?}'s subnet {}",
                        ep.network, net.subnet
                    ))
                    .with_hint("leave out the address to get a free one"));
                }
            }
        }
        Ok(())
    }

    /// The `/etc/hosts` entries a domain gets: the other domains on its
    /// networks, one name per address.
    pub(crate) async fn hosts_for(&self, spec: &DomainSpec) -> Result<Vec<HostEntry>> {
        // The domain's own lines first: a name there wins over a peer's.
        let own = spec.extra_hosts.iter().map(|h| HostEntry {
            address: h.address,
            names: vec![h.name.clone()],
        });
        if spec.networks.is_empty() {
            return Ok(own.collect());
        }
        let mut by_address: BTreeMap<IpAddr, String> = BTreeMap::new();
        for net in self.platform.list_networks().await? {
            if !spec.networks.iter().any(|e| e.network == net.name) {
                continue;
            }
            for e in net.endpoints.iter().filter(|e| e.domain != spec.name) {
                if let Some(ip) = e.ip {
                    by_address.entry(ip).or_insert_with(|| e.domain.clone());
                }
            }
        }
        Ok(own
            .chain(by_address.into_iter().map(|(address, name)| HostEntry {
                address,
                names: vec![name],
            }))
            .collect())
    }
}

/// How a new domain is powered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Its primary process starts at once (`run -d`).
    Detached,
    /// Its primary process waits for the first attach, so that the caller
    /// sees all of its output (`run`).
    Attached,
}

/// A domain whose definition cannot be read: only `rm` applies.
fn broken(name: &str) -> Error {
    Error::invalid_state(format!("domain {name:?} is broken: it can only be removed"))
        .with_hint(format!("remove it with `vicport domain rm {name}`"))
}
