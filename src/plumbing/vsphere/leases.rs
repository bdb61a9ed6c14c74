//! Network addresses of domains on vSphere: given from the networks' pools
//! when a domain joins (with a MAC for its NIC), and given back when it
//! leaves, when it is removed, or when the commit that took them fails.

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{DomainId, NetworkEndpoint, VolumeMount};

use super::VspherePlatform;
use super::networks::{self, Net};
use super::volumes::VolumeRecord;

impl VspherePlatform {
    /// The records of `mounts`' volumes, in order (a volume joins a domain
    /// once: the spec's validation says so).
    pub(super) async fn volume_records_of(
        &self,
        name: &str,
        mounts: &[VolumeMount],
    ) -> Result<Vec<VolumeRecord>> {
        let mut out = Vec::with_capacity(mounts.len());
        if mounts.is_empty() {
            return Ok(out);
        }
        let store = self.volume_store().await?;
        for m in mounts {
            out.push(
                store
                    .require(&m.volume)
                    .await
                    .map_err(|e| e.context(format!("domain {name:?}")))?,
            );
        }
        Ok(out)
    }

    /// Every vicport network, when `needed` (else none, and no calls).
    pub(super) async fn networks_if(&self, needed: bool) -> Result<Vec<Net>> {
        if !needed {
            return Ok(Vec::new());
        }
        self.network_store().await?.list().await
    }

    /// Give each endpoint an address on its network (and a MAC when it has
    /// none). On failure the addresses given so far are released. Returns
    /// the networks where the address is new.
    pub(super) async fn allocate(
        &self,
        id: &DomainId,
        endpoints: &mut [NetworkEndpoint],
        nets: &[Net],
    ) -> Result<Vec<Net>> {
        let mut fresh = Vec::new();
        if endpoints.is_empty() {
            return Ok(fresh);
        }
        let store = self.network_store().await?;
        for (endpoint, net) in endpoints.iter_mut().zip(nets) {
            match store.allocate(net, &id.0, endpoint.ip).await {
                Ok((ip, new)) => {
                    endpoint.ip = Some(ip);
                    if endpoint.mac.is_none() {
                        endpoint.mac = Some(networks::random_mac());
                    }
                    if new {
                        fresh.push(net.clone());
                    }
                }
                Err(e) => {
                    self.release_unless_connected(id, &fresh).await;
                    return Err(e);
                }
            }
        }
        Ok(fresh)
    }

    /// After a failed commit: release the addresses given for it, except on
    /// networks the domain is connected to after all (another commit of the
    /// same domain may have connected it meanwhile).
    pub(super) async fn release_unless_connected(&self, id: &DomainId, nets: &[Net]) {
        if nets.is_empty() {
            return;
        }
        let connected: Vec<String> = match self.find_by_id(id).await {
            Ok((_, r)) => r
                .spec
                .map(|s| s.networks.into_iter().map(|n| n.network).collect())
                .unwrap_or_default(),
            Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                tracing::warn!(target: "vicport::vsphere", domain = %id, error = %e, "cannot tell which addresses to release");
                return;
            }
        };
        self.release(id, nets.iter().filter(|n| !connected.contains(&n.name)))
            .await;
    }

    /// Release a domain's addresses on `nets` (failures are logged: an
    /// address left behind is never shown as an endpoint, and the domain
    /// gets the same one back if it connects again).
    pub(super) async fn release<'n>(&self, id: &DomainId, nets: impl Iterator<Item = &'n Net>) {
        let nets: Vec<&Net> = nets.collect();
        if nets.is_empty() {
            return;
        }
        let store = match self.network_store().await {
            Ok(store) => store,
            Err(e) => {
                tracing::warn!(target: "vicport::vsphere", domain = %id, error = %e, "could not release addresses");
                return;
            }
        };
        for net in nets {
            if let Err(e) = store.release(net, &id.0).await {
                tracing::warn!(target: "vicport::vsphere", domain = %id, network = %net.name, error = %e, "could not release an address");
            }
        }
    }
}

/// The networks of `endpoints` among `all`, in order.
pub(super) fn pick_networks(all: &[Net], endpoints: &[NetworkEndpoint]) -> Result<Vec<Net>> {
    endpoints
        .iter()
        .map(|e| {
            all.iter()
                .find(|n| n.name == e.network)
                .cloned()
                .ok_or_else(|| {
                    Error::not_found("network", &e.network).with_hint(
                        "see `vicport network ls`, or create it with `vicport network create`",
                    )
                })
        })
        .collect()
}
