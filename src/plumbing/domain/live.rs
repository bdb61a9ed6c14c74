//! Networks of a running domain, in the order that never leaves half an
//! interface: a NIC that joins is made by the realization first (hot-added
//! with its address taken) and configured by the tether second, and when
//! the tether cannot configure it the commit is undone (NIC, tap and
//! address gone again); a NIC that leaves is taken down by the tether
//! first and removed by the realization second. Other running domains on
//! those networks then learn the new `/etc/hosts`, as far as they answer.

use std::time::Duration;

use tether_protocol::client::Client;
use tether_protocol::config::HostEntry;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::retry::retry_stale;
use crate::plumbing::spec::{DomainId, DomainSpec, DomainState, NetworkEndpoint};

use super::change::Change;
use super::guest::interface_config;
use super::lifecycle::{LINK_PATIENCE, blocking};
use super::realize::Patience;
use super::{Domains, Plan};

/// How long the tether waits for a hot-added NIC to appear in the guest.
pub const NIC_APPEAR_WAIT: Duration = Duration::from_secs(30);
/// How long a peer's tether may take to answer before its `/etc/hosts`
/// is left as it is.
const PEER_PATIENCE: Duration = Duration::from_secs(3);

impl Domains<'_> {
    /// A link to the running domain's tether for a network change.
    async fn network_link(&self, id: &DomainId, name: &str) -> Result<Client> {
        self.platform
            .link(id, Patience::AtMost(LINK_PATIENCE))
            .await
            .map_err(|e| {
                e.context(format!("telling domain {name:?} about its networks"))
                    .with_hint(format!(
                        "its tether did not answer: stop it (`vicport domain stop {name}`), change its networks, and start it again"
                    ))
            })
    }

    /// Before a commit that disconnects a running domain: its tether takes
    /// the leaving interfaces down (`wanted` is the spec after the change,
    /// for its /etc/hosts).
    pub(super) async fn take_down_leaving(
        &self,
        id: &DomainId,
        name: &str,
        left: &[NetworkEndpoint],
        wanted: &DomainSpec,
    ) -> Result<()> {
        let hosts = self.hosts_for(wanted).await?;
        let client = self.network_link(id, name).await?;
        let macs: Vec<String> = left.iter().filter_map(|e| e.mac.clone()).collect();
        blocking(move || {
            for mac in &macs {
                client.interface_down(mac, &hosts)?;
            }
            Ok::<(), tether_protocol::client::ClientError>(())
        })
        .await?
        .map_err(|e| Error::from(e).context(format!("taking domain {name:?}'s interface down")))
    }

    /// After a commit that connected a running domain: its tether
    /// configures the joined interfaces. `spec` is the committed spec.
    pub(super) async fn bring_up_joined(
        &self,
        id: &DomainId,
        spec: &DomainSpec,
        joined: &[NetworkEndpoint],
    ) -> Result<()> {
        let name = spec.name.clone();
        let interfaces: Vec<_> = self
            .platform
            .interfaces(id)
            .await?
            .into_iter()
            .filter(|(network, _)| joined.iter().any(|e| &e.network == network))
            .map(|(network, i)| (network, interface_config(&i)))
            .collect();
        let hosts = self.hosts_for(spec).await?;
        let client = self.network_link(id, &name).await?;
        blocking(move || {
            for (network, config) in &interfaces {
                client
                    .interface_up(config, &hosts, NIC_APPEAR_WAIT)
                    .map_err(|e| {
                        Error::from(e).context(format!(
                            "configuring domain {name:?}'s interface on network {network:?}"
                        ))
                    })?;
            }
            Ok(())
        })
        .await?
    }

    /// Undo the commit that connected `joined`: a fresh handle without
    /// them, realized without a word to the tether (it configured none of
    /// them), so that NIC, tap and address are gone again.
    pub(super) async fn undo_join(&self, id: &DomainId, joined: &[NetworkEndpoint]) -> Result<()> {
        retry_stale(|| async move {
            let mut handle = self.handle(&id.0).await?;
            let before = handle.spec.clone();
            handle
                .spec
                .networks
                .retain(|e| !joined.iter().any(|j| j.network == e.network));
            let change = Change::between(Some(&before), &handle.spec);
            if change.is_empty() {
                return Ok(());
            }
            let plan = Plan {
                id: handle.id,
                version: handle.version,
                spec: handle.spec,
                change,
                power: None,
                hold_primary: false,
                hosts: Vec::new(),
            };
            self.platform.change(&plan).await.map(drop)
        })
        .await
    }

    /// After a commit whose disconnect failed: the tether configures the
    /// interfaces it took down again (best effort: they are still there).
    pub(super) async fn bring_back(
        &self,
        id: &DomainId,
        spec: &DomainSpec,
        left: &[NetworkEndpoint],
    ) {
        if let Err(e) = self.bring_up_joined(id, spec, left).await {
            tracing::warn!(domain = %spec.name, error = %e, "could not configure the interfaces of a failed disconnect again");
        }
    }

    /// Tell the other running domains on `networks` their new peers (a
    /// domain joined or left them). Best effort: a peer that does not
    /// answer keeps its /etc/hosts until it restarts.
    pub(super) async fn tell_peers(&self, domain: &str, networks: &[String]) {
        let mut peers: Vec<String> = Vec::new();
        match self.platform.list_networks().await {
            Ok(nets) => {
                for net in nets.iter().filter(|n| networks.contains(&n.name)) {
                    for e in &net.endpoints {
                        if e.domain != domain && !peers.contains(&e.domain) {
                            peers.push(e.domain.clone());
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the networks' peers");
                return;
            }
        }
        for peer in peers {
            if let Err(e) = self.tell_peer(&peer).await {
                tracing::info!(domain = %peer, error = %e, "its /etc/hosts stays as it is until it restarts");
            }
        }
    }

    async fn tell_peer(&self, peer: &str) -> Result<()> {
        let current = self.platform.current(peer).await?;
        // A paused peer learns nothing until it restarts (its tether does
        // not run to answer).
        let running = current.state.is_up() && current.state != DomainState::Paused;
        let Some(spec) = current.spec.filter(|_| running) else {
            return Ok(());
        };
        let hosts: Vec<HostEntry> = self.hosts_for(&spec).await?;
        let client = self
            .platform
            .link(&current.id, Patience::AtMost(PEER_PATIENCE))
            .await?;
        blocking(move || client.set_hosts(&hosts))
            .await?
            .map_err(Error::from)
    }
}
