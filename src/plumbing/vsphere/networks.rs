//! Networks on vSphere: a distributed port group `vicport-<name>` on the
//! target's distributed switch, or on a standalone host without one, a host
//! port group of that name. The network's spec and IPAM pool live with it:
//! in the distributed port group's `config.description`, changed only by
//! ReconfigureDVPortgroup_Task carrying the `configVersion` it was read at
//! (so concurrent writers conflict and retry); for a host port group, which
//! has no such field, in `[ds] vicport-networks/<name>.json`, changed only
//! under a lock directory made with MakeDirectory (which fails for all but
//! one of concurrent writers).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::ipam::{self, Pool};
use crate::plumbing::name;
use crate::plumbing::retry::{RetryPolicy, retry_stale_with};
use crate::plumbing::spec::{self, EndpointInfo, NetworkInfo, NetworkSpec, PlatformRef};

use super::datastore::{DatastorePath, Files};
use super::devices::Backing;
use super::fault::FaultKind;
use super::inventory::Named;
use super::session::Session;
use super::vim::{self, ObjectContent};
use super::xml::MoRef;

/// Port groups vicport makes are named `vicport-<network>`.
pub const PORTGROUP_PREFIX: &str = "vicport-";
/// Where host port groups' documents live on the datastore.
pub const NETWORK_DIR: &str = "vicport-networks";

/// What a network carries with it: its spec and its address pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkDoc {
    /// The document format's version; its presence marks vicport's.
    pub vicport: u32,
    pub spec: NetworkSpec,
    pub pool: Pool,
    pub created: String,
}

const DOC_VERSION: u32 = 1;

/// How a network is represented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortGroup {
    /// A distributed port group.
    Distributed {
        portgroup: MoRef,
        key: String,
        switch: MoRef,
    },
    /// A host (standard switch) port group.
    Host { network: MoRef },
}

/// One vicport network as found on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Net {
    /// The vicport name.
    pub name: String,
    pub portgroup: PortGroup,
    pub doc: NetworkDoc,
}

impl Net {
    /// `dvportgroup` or `portgroup`.
    pub fn backing(&self) -> &'static str {
        match self.portgroup {
            PortGroup::Distributed { .. } => "dvportgroup",
            PortGroup::Host { .. } => "portgroup",
        }
    }

    /// The port group's name.
    pub fn portgroup_name(&self) -> String {
        format!("{PORTGROUP_PREFIX}{}", self.name)
    }

    /// What `network inspect` shows, with these endpoints.
    pub fn info(&self, endpoints: Vec<EndpointInfo>) -> NetworkInfo {
        let spec = &self.doc.spec;
        NetworkInfo {
            name: self.name.clone(),
            subnet: self.doc.pool.subnet,
            gateway: Some(self.doc.pool.gateway),
            ip_range: spec.ip_range,
            dns: spec.dns.clone(),
            internal: spec.internal,
            labels: spec.labels.clone(),
            created: self.doc.created.clone(),
            backing: self.backing().to_string(),
            endpoints,
            platform_ref: PlatformRef {
                platform: "vsphere".into(),
                id: match &self.portgroup {
                    PortGroup::Distributed { portgroup, .. } => portgroup.value.clone(),
                    PortGroup::Host { network } => network.value.clone(),
                },
                path: self.portgroup_name(),
            },
        }
    }
}

/// Where networks are made and found.
#[derive(Debug, Clone, Copy)]
pub struct NetworkStore<'a> {
    pub session: &'a Session,
    /// The datacenter's network folder.
    pub folder: &'a MoRef,
    /// For host port groups' documents.
    pub files: Files<'a>,
    pub datastore_name: &'a str,
    /// The hosts of the target's compute resource.
    pub hosts: &'a [Named],
    /// The target's `network` setting: a distributed switch, or a
    /// distributed port group naming its switch.
    pub setting: Option<&'a str>,
}

/// The properties a listing asks for.
const PG_PROPS: &[&str] = &[
    "name",
    "key",
    "config.distributedVirtualSwitch",
    "config.description",
    "config.configVersion",
];

impl<'a> NetworkStore<'a> {
    fn dir(&self) -> DatastorePath {
        DatastorePath::new(self.datastore_name, NETWORK_DIR)
    }

    fn doc_path(&self, name: &str) -> DatastorePath {
        self.dir().join(&format!("{name}.json"))
    }

    fn lock_path(&self, name: &str) -> DatastorePath {
        self.dir().join(&format!("{name}.lock"))
    }

    async fn portgroups(&self) -> Result<Vec<ObjectContent>> {
        Ok(vim::retrieve_in_view(
            self.session,
            self.folder,
            "Network",
            &[
                ("Network", &["name"]),
                ("DistributedVirtualPortgroup", PG_PROPS),
            ],
            None,
        )
        .await?)
    }

    async fn read_host_doc(&self, name: &str) -> Result<Option<NetworkDoc>> {
        let Some(data) = self.files.read_all(&self.doc_path(name)).await? else {
            return Ok(None);
        };
        Ok(parse_doc(&String::from_utf8_lossy(&data)))
    }

    async fn net_of(&self, o: &ObjectContent) -> Result<Option<Net>> {
        let Some(name) = o
            .text("name")
            .and_then(|n| n.strip_prefix(PORTGROUP_PREFIX))
            .filter(|n| name::validate("network", n).is_ok())
        else {
            return Ok(None);
        };
        if o.obj.kind == "DistributedVirtualPortgroup" {
            let Some(doc) = o.text("config.description").and_then(parse_doc) else {
                return Ok(None);
            };
            let Some(switch) = o.moref("config.distributedVirtualSwitch") else {
                return Ok(None);
            };
            return Ok(Some(Net {
                name: name.to_string(),
                portgroup: PortGroup::Distributed {
                    portgroup: o.obj.clone(),
                    key: o.text("key").unwrap_or(&o.obj.value).to_string(),
                    switch,
                },
                doc,
            }));
        }
        Ok(self.read_host_doc(name).await?.map(|doc| Net {
            name: name.to_string(),
            portgroup: PortGroup::Host {
                network: o.obj.clone(),
            },
            doc,
        }))
    }

    /// Every vicport network, by name.
    pub async fn list(&self) -> Result<Vec<Net>> {
        let mut out = Vec::new();
        for o in self.portgroups().await? {
            if let Some(net) = self.net_of(&o).await? {
                out.push(net);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        Ok(out)
    }

    /// One network.
    pub async fn find(&self, name: &str) -> Result<Net> {
        name::validate("network", name)?;
        self.list()
            .await?
            .into_iter()
            .find(|n| n.name == name)
            .ok_or_else(|| {
                Error::not_found("network", name).with_hint(
                    "see `vicport network ls`, or create it with `vicport network create`",
                )
            })
    }

    /// Make a network: the subnet checked against the others' before
    /// anything is made, then the port group with its document.
    pub async fn create(&self, spec: &NetworkSpec) -> Result<Net> {
        name::validate("network", &spec.name)?;
        let existing = self.list().await?;
        if existing.iter().any(|n| n.name == spec.name) {
            return Err(
                Error::taken(format!("network {:?} already exists", spec.name))
                    .with_hint("choose another name, or remove that network first"),
            );
        }
        let subnets: Vec<(String, ipnet::IpNet)> = existing
            .iter()
            .map(|n| (n.name.clone(), n.doc.pool.subnet))
            .collect();
        let pool = ipam::plan(spec, &subnets)?;
        let mut spec = spec.clone();
        spec.gateway = Some(pool.gateway);
        let doc = NetworkDoc {
            vicport: DOC_VERSION,
            spec,
            pool,
            created: spec::now(),
        };
        let json = doc_json(&doc)?;
        let pg_name = format!("{PORTGROUP_PREFIX}{}", doc.spec.name);
        match self.switch().await? {
            Some(switch) => {
                let result = vim::run_task(self.session, "AddDVPortgroup_Task", &switch, |w| {
                    w.open("spec")
                        .text("name", &pg_name)
                        .text("numPorts", "8")
                        .text("description", &json)
                        .text("type", "earlyBinding")
                        .text("autoExpand", "true")
                        .close("spec");
                })
                .await;
                if let Err(e) = result {
                    return Err(duplicate(e, &doc.spec.name));
                }
            }
            None => {
                let (host_ns, vswitch) = self.host_network_system().await?;
                // The document first: a port group without one is not
                // vicport's, a document without a port group lists nothing.
                self.files.mkdir_p(&self.dir()).await?;
                self.files
                    .write(&self.doc_path(&doc.spec.name), json.into_bytes())
                    .await?;
                let result = self
                    .session
                    .call("AddPortGroup", &host_ns, |w| {
                        w.open("portgrp")
                            .text("name", &pg_name)
                            .text("vlanId", "0")
                            .text("vswitchName", &vswitch)
                            .open("policy")
                            .close("policy")
                            .close("portgrp");
                    })
                    .await;
                if let Err(e) = result {
                    let _ = self.files.delete(&self.doc_path(&doc.spec.name)).await;
                    return Err(duplicate(e, &doc.spec.name));
                }
            }
        }
        self.find(&doc.spec.name).await
    }

    /// The distributed switch new networks go on; `None` for a standalone
    /// host without one (host port groups then).
    async fn switch(&self) -> Result<Option<MoRef>> {
        let switches = vim::retrieve_in_container(
            self.session,
            self.folder,
            "DistributedVirtualSwitch",
            &["name"],
            None,
        )
        .await?;
        if let Some(wanted) = self.setting {
            if let Some(s) = switches.iter().find(|s| s.text("name") == Some(wanted)) {
                return Ok(Some(s.obj.clone()));
            }
            // A distributed port group names its switch.
            let pgs = self.portgroups().await?;
            if let Some(sw) = pgs
                .iter()
                .find(|p| p.text("name") == Some(wanted))
                .and_then(|p| p.moref("config.distributedVirtualSwitch"))
            {
                return Ok(Some(sw));
            }
        }
        match switches.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.obj.clone())),
            many => Err(Error::invalid(format!(
                "the datacenter has {} distributed switches and none is chosen: {}",
                many.len(),
                many.iter()
                    .map(|s| s.text("name").unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_hint("choose one with `vicport target add ... --network SWITCH`")),
        }
    }

    /// The standalone host's network system and the virtual switch host
    /// port groups go on.
    async fn host_network_system(&self) -> Result<(MoRef, String)> {
        let [host] = self.hosts else {
            return Err(Error::not_supported(
                "networks without a distributed switch on a cluster of several hosts",
                "this target",
            )
            .with_hint("add a distributed switch to the datacenter, or use a standalone host"));
        };
        let h =
            vim::retrieve_one(self.session, &host.moref, &["configManager.networkSystem"]).await?;
        let ns = h
            .moref("configManager.networkSystem")
            .ok_or_else(|| Error::other(format!("host {} has no network system", host.name)))?;
        let info = vim::retrieve_one(self.session, &ns, &["networkInfo.vswitch"]).await?;
        let switches: Vec<String> = info
            .props
            .get("networkInfo.vswitch")
            .map(|v| {
                v.children
                    .iter()
                    .filter_map(|s| s.child_text("name").map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let vswitch = self
            .setting
            .filter(|s| switches.iter().any(|n| n == s))
            .map(str::to_string)
            .or_else(|| switches.iter().find(|n| *n == "vSwitch0").cloned())
            .or_else(|| switches.first().cloned())
            .ok_or_else(|| Error::other(format!("host {} has no virtual switch", host.name)))?;
        Ok((ns, vswitch))
    }

    /// Change a network's document by read-modify-write: `change` sees the
    /// current document; the write carries the version it was read at, and
    /// a lost race is retried from a fresh read. Errors of `change` itself
    /// are returned at once.
    pub async fn update<T>(
        &self,
        net: &Net,
        change: impl Fn(&mut NetworkDoc) -> Result<T>,
    ) -> Result<T> {
        let change = &change;
        let outcome = retry_stale_with(RetryPolicy::default(), |_| async move {
            match &net.portgroup {
                PortGroup::Distributed { portgroup, .. } => {
                    self.update_distributed(&net.name, portgroup, change).await
                }
                PortGroup::Host { .. } => self.update_host(&net.name, change).await,
            }
        })
        .await;
        outcome.and_then(|inner| inner)
    }

    async fn update_distributed<T>(
        &self,
        name: &str,
        portgroup: &MoRef,
        change: &impl Fn(&mut NetworkDoc) -> Result<T>,
    ) -> Result<Result<T>> {
        let o = vim::retrieve_one(
            self.session,
            portgroup,
            &["config.description", "config.configVersion"],
        )
        .await?;
        if o.props.is_empty() {
            return Err(Error::not_found("network", name));
        }
        let mut doc = o
            .text("config.description")
            .and_then(parse_doc)
            .ok_or_else(|| {
                Error::other(format!("network {name:?} has lost its vicport document"))
            })?;
        let version = o
            .text("config.configVersion")
            .unwrap_or_default()
            .to_string();
        let value = match change(&mut doc) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let json = doc_json(&doc)?;
        let result = vim::run_task(
            self.session,
            "ReconfigureDVPortgroup_Task",
            portgroup,
            |w| {
                w.open("spec")
                    .text("configVersion", &version)
                    .text("description", &json)
                    .close("spec");
            },
        )
        .await;
        match result {
            Ok(_) => Ok(Ok(value)),
            Err(e) if e.fault_kind() == Some(&FaultKind::ConcurrentAccess) => Err(Error::stale(
                format!("network {name:?} was changed by someone else (configVersion {version})"),
            )),
            Err(e) => Err(Error::from(e).context(format!("updating network {name:?}"))),
        }
    }

    async fn update_host<T>(
        &self,
        name: &str,
        change: &impl Fn(&mut NetworkDoc) -> Result<T>,
    ) -> Result<Result<T>> {
        let lock = self.lock_path(name);
        if let Err(e) = self.files.mkdir(&lock, false).await {
            return Err(if super::datastore::already_exists(&e) {
                // Another writer holds the lock: a race like a stale
                // version, retried the same way.
                Error::stale(format!("network {name:?} is being changed by someone else"))
                    .with_hint(format!(
                        "retry; if no other vicport is changing it, remove {lock} with the datastore browser"
                    ))
            } else {
                e
            });
        }
        let outcome = async {
            let mut doc = self.read_host_doc(name).await?.ok_or_else(|| {
                Error::other(format!("network {name:?} has lost its vicport document"))
            })?;
            let value = match change(&mut doc) {
                Ok(v) => v,
                Err(e) => return Ok(Err(e)),
            };
            self.files
                .write(&self.doc_path(name), doc_json(&doc)?.into_bytes())
                .await?;
            Ok(Ok(value))
        }
        .await;
        if let Err(e) = self.files.delete(&lock).await {
            tracing::warn!(target: "vicport::vsphere", lock = %lock, error = %e, "could not remove a network lock");
        }
        outcome
    }

    /// Give `holder` an address on `net` (the requested one, or the next
    /// free one). Returns the address and whether it is new (a holder that
    /// had one keeps it).
    pub async fn allocate(
        &self,
        net: &Net,
        holder: &str,
        requested: Option<IpAddr>,
    ) -> Result<(IpAddr, bool)> {
        self.update(net, |doc| {
            let had = doc.pool.allocated.values().any(|h| h == holder);
            let ip = doc.pool.allocate(holder, requested)?;
            Ok((ip, !had))
        })
        .await
        .map_err(|e| e.context(format!("network {:?}", net.name)))
    }

    /// Release whatever `holder` holds on `net`.
    pub async fn release(&self, net: &Net, holder: &str) -> Result<()> {
        self.update(net, |doc| {
            doc.pool.release(holder);
            Ok(())
        })
        .await
    }

    /// Remove a network's port group and document.
    pub async fn remove(&self, net: &Net) -> Result<()> {
        match &net.portgroup {
            PortGroup::Distributed { portgroup, .. } => {
                vim::run_task(self.session, "Destroy_Task", portgroup, |_| {})
                    .await
                    .map(drop)
                    .map_err(|e| Error::from(e).context(format!("removing network {:?}", net.name)))
            }
            PortGroup::Host { .. } => {
                let (ns, _) = self.host_network_system().await?;
                let pg = net.portgroup_name();
                self.session
                    .call("RemovePortGroup", &ns, |w| {
                        w.text("pgName", &pg);
                    })
                    .await
                    .map_err(|e| {
                        Error::from(e).context(format!("removing network {:?}", net.name))
                    })?;
                match self.files.delete(&self.doc_path(&net.name)).await {
                    Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
        }
    }

    /// The backing of a NIC on `net`.
    pub async fn nic_backing(&self, net: &Net) -> Result<Backing> {
        Ok(match &net.portgroup {
            PortGroup::Distributed { key, switch, .. } => {
                let sw = vim::retrieve_one(self.session, switch, &["uuid"]).await?;
                Backing::DvPort {
                    switch_uuid: sw.text("uuid").unwrap_or_default().to_string(),
                    portgroup_key: key.clone(),
                }
            }
            PortGroup::Host { .. } => Backing::Network {
                name: net.portgroup_name(),
            },
        })
    }
}

/// Whether a distributed port group carries a vicport network document
/// (`vicport events` asks about port groups made while it follows). One
/// that is gone already is no network now.
pub async fn is_vicport_portgroup(s: &Session, pg: &MoRef) -> Result<bool> {
    match vim::retrieve_one(s, pg, &["name", "config.description"]).await {
        Ok(o) => Ok(o
            .text("name")
            .is_some_and(|n| n.starts_with(PORTGROUP_PREFIX))
            && o.text("config.description").and_then(parse_doc).is_some()),
        Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn parse_doc(text: &str) -> Option<NetworkDoc> {
    serde_json::from_str::<NetworkDoc>(text)
        .ok()
        .filter(|d| d.vicport >= 1)
}

fn doc_json(doc: &NetworkDoc) -> Result<String> {
    serde_json::to_string(doc)
        .map_err(|e| Error::other(format!("encoding the network document: {e}")))
}

fn duplicate(e: super::session::SessionError, name: &str) -> Error {
    if matches!(
        e.fault_kind(),
        Some(FaultKind::DuplicateName | FaultKind::AlreadyExists)
    ) {
        Error::taken(format!(
            "a port group named {PORTGROUP_PREFIX}{name} already exists"
        ))
        .with_hint("choose another name, or remove that port group in vSphere")
    } else {
        Error::from(e).context(format!("creating network {name:?}"))
    }
}

/// A MAC address in VMware's range for manually assigned addresses
/// (00:50:56:00:00:00 to 00:50:56:3f:ff:ff), which vCenter accepts.
pub fn random_mac() -> String {
    let mut b = [0u8; 3];
    getrandom::fill(&mut b).expect("the OS random source is available");
    format!("00:50:56:{:02x}:{:02x}:{:02x}", b[0] & 0x3f, b[1], b[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_are_in_the_manual_range() {
        for _ in 0..100 {
            let m = random_mac();
            assert!(m.starts_with("00:50:56:"), "{m}");
            let fourth = u8::from_str_radix(&m[9..11], 16).unwrap();
            assert!(fourth <= 0x3f, "{m}");
        }
    }

    #[test]
    fn documents_round_trip_and_foreign_text_is_ignored() {
        let spec = NetworkSpec {
            name: "n".into(),
            subnet: "10.0.9.0/24".parse().unwrap(),
            gateway: None,
            ip_range: None,
            dns: vec![],
            internal: false,
            labels: Default::default(),
        };
        let doc = NetworkDoc {
            vicport: 1,
            pool: ipam::plan(&spec, &[]).unwrap(),
            spec,
            created: "2026-01-01T00:00:00Z".into(),
        };
        assert_eq!(parse_doc(&doc_json(&doc).unwrap()), Some(doc));
        assert_eq!(parse_doc("the web tier's port group"), None);
        assert_eq!(parse_doc("{\"vicport\":0}"), None);
    }
}
