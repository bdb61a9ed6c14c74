//! How the vSphere platform realizes the domain layer's plans: VMs found
//! by their vicport keys, created and changed by one task each, powered by
//! tasks, watched with WaitForUpdatesEx, and reached over the network
//! serial port of their host.

use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::plumbing::domain::realize::{GiveUp, Patience};
use crate::plumbing::domain::{Current, Plan, PlatformUsage, Realize};
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{
    DomainFilter, DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, NetworkEndpoint,
    Version,
};

use super::VspherePlatform;
use super::fault::FaultKind;
use super::keys::Record;
use super::link::{self, Endpoint};
use super::lookup::gone;
use super::session::SessionError;
use super::vim::{self, ObjectContent};
use super::xml::{MoRef, XmlWriter};

/// How long a domain may take from power-on until its tether answers.
const BOOT_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `domain rm` waits for a removed domain's relay to end before it
/// removes the relay's directory (it ends when the VM powers off).
const RELAY_END_PATIENCE: Duration = Duration::from_secs(5);

impl VspherePlatform {
    /// The VM of domain `id`: remembered, else found.
    pub(super) async fn vm_of(&self, id: &DomainId) -> Result<MoRef> {
        let known = self
            .vms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned();
        match known {
            Some(vm) => Ok(vm),
            None => Ok(self.find_by_id(id).await?.0.obj),
        }
    }

    /// Run a task on a VM, with the error naming the domain.
    pub(super) async fn vm_task(
        &self,
        method: &str,
        vm: &MoRef,
        what: &str,
        args: impl FnOnce(&mut XmlWriter),
    ) -> Result<(), SessionError> {
        vim::run_task(&self.session, method, vm, args)
            .await
            .map(drop)
            .inspect_err(
                |e| tracing::debug!(target: "vicport::vsphere", method, error = %e, "{what}"),
            )
    }

    pub(super) async fn power(&self, vm: &MoRef, name: &str, on: bool) -> Result<()> {
        let method = if on {
            "PowerOnVM_Task"
        } else {
            "PowerOffVM_Task"
        };
        match self.vm_task(method, vm, "power", |_| {}).await {
            Ok(()) => Ok(()),
            Err(e) if e.fault_kind() == Some(&FaultKind::InvalidPowerState) => {
                Err(Error::invalid_state(format!(
                    "domain {name:?} is already {}",
                    if on { "running" } else { "stopped" }
                ))
                .with_hint("see its state with `vicport domain inspect`"))
            }
            Err(e) => Err(Error::from(e).context(format!("domain {name:?}"))),
        }
    }
}

impl VspherePlatform {
    /// Where a running domain's tether listens: its host's management
    /// address and the domain's port, with its token. The host's firewall
    /// is opened for network serial ports on the way when it is closed.
    pub(super) async fn endpoint(&self, vm: &MoRef, name: &str, r: &Record) -> Result<Endpoint> {
        let token = link_token(r, name)?;
        let port = r.link_port.ok_or_else(|| {
            Error::invalid_state(format!("domain {name:?} has no link port"))
                .with_hint("it was created by an older vicport: recreate it")
        })?;
        let v = vim::retrieve_one(&self.session, vm, &["runtime.host"]).await?;
        let host = v.moref("runtime.host").ok_or_else(|| {
            Error::invalid_state(format!("domain {name:?} runs on no host"))
                .with_hint("see its state with `vicport domain inspect`")
        })?;
        let h = vim::retrieve_one(&self.session, &host, link::HOST_PROPS).await?;
        let host_name = h.text("name").unwrap_or(&host.value).to_string();
        if let Some(fw) = h.moref("configManager.firewallSystem") {
            match link::open_firewall(&self.session, &fw).await {
                Ok(true) => {
                    tracing::info!(target: "vicport::vsphere", host = %host_name, "enabled the firewall ruleset {}", link::FIREWALL_RULESET)
                }
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(target: "vicport::vsphere", host = %host_name, error = %e, "could not check the host's firewall")
                }
            }
        }
        Ok(Endpoint {
            host: link::management_address(&h),
            port,
            host_name,
            token,
        })
    }

    /// A link client to a running domain's tether, trying for `patience`.
    pub(super) async fn client(
        &self,
        o: &ObjectContent,
        r: &Record,
        patience: Duration,
    ) -> Result<tether_protocol::client::Client> {
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") != Some("poweredOn") {
            return Err(
                Error::invalid_state(format!("domain {name:?} is not running"))
                    .with_hint(format!("start it with `vicport domain start {name}`")),
            );
        }
        // Through the domain's relay on this client host, so that many
        // vicports share its one serial line; a library caller without a
        // cache directory holds the line itself.
        if let Some(cache) = &self.cache {
            let token = link_token(r, &name)?;
            return super::relay::client(cache, &r.id, &name, &token, patience, || {
                self.endpoint(&o.obj, &name, r)
            })
            .await
            .map_err(|e| e.context(format!("domain {name:?}")));
        }
        let endpoint = self.endpoint(&o.obj, &name, r).await?;
        tracing::debug!(target: "vicport::vsphere", domain = %name, host = %endpoint.host, port = endpoint.port, "connecting the tether link");
        let deadline = Instant::now() + patience;
        tokio::task::spawn_blocking(move || link::connect(&endpoint, deadline))
            .await
            .map_err(|e| Error::other(format!("connecting the link: {e}")))?
            .map_err(|e| e.context(format!("domain {name:?}")))
    }
}

/// A domain's link token, from its record.
fn link_token(r: &Record, name: &str) -> Result<Vec<u8>> {
    r.token
        .as_deref()
        .and_then(|t| hex::decode(t).ok())
        .ok_or_else(|| {
            Error::invalid_state(format!("domain {name:?} has no link token"))
                .with_hint("it was created by an older vicport: recreate it")
        })
}

/// How long to try to reach a domain's tether: until its boot could be
/// over (it may have been started a moment ago), at least `patience`.
fn link_patience(r: &Record, patience: Duration) -> Duration {
    let since_start = r
        .started_at
        .as_deref()
        .and_then(|t| humantime::parse_rfc3339(t).ok())
        .and_then(|t| std::time::SystemTime::now().duration_since(t).ok());
    match since_start {
        Some(up) if up < BOOT_TIMEOUT => (BOOT_TIMEOUT - up).max(patience),
        _ => patience,
    }
}

#[async_trait]
impl Realize for VspherePlatform {
    async fn current(&self, domain: &str) -> Result<Current> {
        let (o, r) = self.find(domain).await.map_err(gone(domain))?;
        let name = o.text("name").unwrap_or_default().to_string();
        let (state, _) = r.state(o.text("runtime.powerState").unwrap_or_default());
        let spec = r.spec.map(|mut s| {
            s.name = name.clone();
            s
        });
        Ok(Current {
            id: r.id,
            name,
            spec,
            version: Version(
                o.text("config.changeVersion")
                    .unwrap_or_default()
                    .to_string(),
            ),
            state,
        })
    }

    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo> {
        let (o, _) = self.find(domain).await.map_err(gone(domain))?;
        self.info_of(&o.obj).await.map_err(gone(domain))
    }

    async fn list_domains(&self, filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        let mut rows: Vec<DomainSummary> = self
            .domain_vms()
            .await?
            .iter()
            .map(|(o, r)| Self::summary(o, r))
            .filter(|s| filter.matches(s))
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(rows)
    }

    async fn name_in_use(&self, name: &str, except: Option<&DomainId>) -> Result<bool> {
        // Without `except`, a new domain's name: its create comes next.
        let named = match except {
            None => self.named_domain_vms_before_create(name).await?,
            Some(_) => self.named_domain_vms(name).await?,
        };
        Ok(named.iter().any(|(_, r)| Some(&r.id) != except))
    }

    async fn check_new(&self, spec: &DomainSpec) -> Result<()> {
        if !spec.restart.is_no() {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                    "domain {:?}: restart policies (--restart {}) are not supported on this target: a local domain's monitor keeps them, and nothing on this host watches a vSphere VM",
                    spec.name, spec.restart
                ),
            )
            .with_hint("leave --restart out, or watch the domain from your engine (`vicport domain wait`)"));
        }
        self.image_for_create(&spec.image)
            .await
            .map(drop)
            .map_err(|e| e.context(format!("domain {:?}", spec.name)))
    }

    async fn create(&self, plan: &Plan) -> Result<DomainInfo> {
        self.create_domain(plan).await
    }

    async fn change(&self, plan: &Plan) -> Result<DomainInfo> {
        if plan.change.restart && !plan.spec.restart.is_no() {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                    "domain {:?}: restart policies (--restart {}) are not supported on this target: nothing on this host watches a vSphere VM",
                    plan.spec.name, plan.spec.restart
                ),
            ));
        }
        self.change_domain(plan)
            .await
            .map_err(gone(plan.id.short()))
    }

    async fn power_off(&self, id: &DomainId) -> Result<()> {
        let vm = self.vm_of(id).await?;
        match self.power(&vm, id.short(), false).await {
            Ok(()) => Ok(()),
            // It powered off meanwhile.
            Err(e) if e.kind() == ErrorKind::InvalidState => Ok(()),
            Err(e) => Err(gone(id.short())(e)),
        }
    }

    async fn suspend(&self, id: &DomainId) -> Result<()> {
        let vm = self.vm_of(id).await?;
        match self.vm_task("SuspendVM_Task", &vm, "suspend", |_| {}).await {
            Ok(()) => Ok(()),
            Err(e) if e.fault_kind() == Some(&FaultKind::InvalidPowerState) => Err(
                Error::invalid_state(format!("domain {:?} is not running", id.short()))
                    .with_hint("see its state with `vicport domain inspect`"),
            ),
            Err(e) => Err(gone(id.short())(Error::from(e))),
        }
    }

    async fn wait_down(
        &self,
        id: &DomainId,
        timeout: Option<Duration>,
        give_up: GiveUp<'_>,
    ) -> Result<bool> {
        let vm = self.vm_of(id).await?;
        let (_, off) = vim::wait_property_or(
            &self.session,
            &vm,
            "runtime.powerState",
            timeout,
            |v| v != Some("poweredOn"),
            give_up,
        )
        .await
        .map_err(|e| gone(id.short())(e.into()))?;
        Ok(off)
    }

    async fn link(
        &self,
        id: &DomainId,
        patience: Patience,
    ) -> Result<tether_protocol::client::Client> {
        let (o, r) = self.find_by_id(id).await?;
        let patience = match patience {
            Patience::Booting(at_least) => link_patience(&r, at_least),
            Patience::AtMost(limit) => limit,
        };
        self.client(&o, &r, patience).await
    }

    async fn usage(&self, id: &DomainId) -> Result<PlatformUsage> {
        self.vm_usage(id).await
    }

    async fn interfaces(
        &self,
        id: &DomainId,
    ) -> Result<Vec<(String, crate::plumbing::domain::guest::Interface)>> {
        let (o, r) = self.find_by_id(id).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        let spec = r.spec.clone().ok_or_else(|| {
            Error::invalid_state(format!("domain {name:?} is broken: it can only be removed"))
        })?;
        let locators = super::guest::locators(&spec, &r.volumes, &r.interfaces)?;
        Ok(spec
            .networks
            .iter()
            .map(|e| e.network.clone())
            .zip(locators.interfaces)
            .collect())
    }

    async fn destroy(&self, id: &DomainId) -> Result<()> {
        let (o, r) = self.find_by_id(id).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        // A broken domain may still be powered on.
        if o.text("runtime.powerState") == Some("poweredOn") {
            match self.power(&o.obj, &name, false).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::InvalidState => {}
                Err(e) => return Err(e),
            }
        }
        // vSphere deletes the disks of a VM it destroys: volumes leave first.
        if !r.volumes.is_empty() {
            self.detach_volumes(&o.obj, &r)
                .await
                .map_err(|e| e.context(format!("removing domain {name:?}")))?;
        }
        self.vm_task("Destroy_Task", &o.obj, "destroy", |_| {})
            .await
            .map_err(|e| {
                gone(&name)(Error::from(e).context(format!("removing domain {name:?}")))
            })?;
        self.forget(id);
        if let Some(cache) = &self.cache {
            super::relay::forget(cache, id, RELAY_END_PATIENCE).await;
        }
        // Its addresses are free again.
        let joined: Vec<NetworkEndpoint> = r.spec.map(|s| s.networks).unwrap_or_default();
        let nets = self.networks_if(!joined.is_empty()).await?;
        self.release(
            id,
            nets.iter()
                .filter(|n| joined.iter().any(|e| e.network == n.name)),
        )
        .await;
        Ok(())
    }

    fn removes_stopped_domains(&self) -> bool {
        // No process watches a vSphere domain.
        false
    }

    async fn set_memory_target(&self, _id: &DomainId, _bytes: u64) -> Result<()> {
        Err(Error::not_supported(
            "changing a running domain's memory",
            &self.target,
        ))
    }

    async fn freeze(&self, _id: &DomainId, frozen: bool) -> Result<()> {
        Err(Error::not_supported(
            if frozen {
                "pausing a domain"
            } else {
                "resuming a domain"
            },
            &self.target,
        ))
    }
}

/// Whether a domain is down, for callers outside this module's view.
#[allow(dead_code)]
fn is_down(state: DomainState) -> bool {
    !state.is_up()
}
