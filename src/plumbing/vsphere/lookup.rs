//! Finding domains among a vCenter's VMs: every vicport VM with the
//! properties a list shows, one by name, id or id prefix, a definition with
//! its version, and a domain's description from its VM's properties.

use std::time::{Duration, Instant};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{
    DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, GuestSettings, NetworkEndpoint,
    PlatformRef, Version,
};

use super::VspherePlatform;
use super::devices::{Device, Kind};
use super::fault::{FaultKind, fault_kind};
use super::inventory;
use super::keys::{self, Record};
use super::vim::{self, ObjectContent};
use super::xml::MoRef;

/// The properties `domain ls` shows, and the version a commit needs.
pub(super) const LIST_PROPS: &[&str] = &[
    "name",
    "runtime.powerState",
    "config.extraConfig",
    "config.createDate",
    "config.changeVersion",
];

/// Everything `domain inspect` shows.
pub(super) const INSPECT_PROPS: &[&str] = &[
    "name",
    "runtime.powerState",
    "config.extraConfig",
    "config.createDate",
    "config.changeVersion",
    "config.hardware.numCPU",
    "config.hardware.memoryMB",
    "config.hardware.device",
];

impl VspherePlatform {
    /// Every vicport VM the session can see, with the list properties: one
    /// RetrievePropertiesEx walking the inventory from the root folder (and
    /// its continuations), no placement. Domains are vicport VMs wherever they
    /// are, so names are unique across the vCenter.
    pub(super) async fn domain_vms(&self) -> Result<Vec<(ObjectContent, Record)>> {
        let all = self.every_vm(LIST_PROPS).await?;
        Ok(all
            .into_iter()
            .filter_map(|o| record(&o).map(|r| (o, r)))
            .collect())
    }

    /// The domains named `name`: one listing of every VM's name only (a
    /// small answer however many VMs there are), then the records of the
    /// few VMs that carry the name. Finding a name never fetches every VM's
    /// extraConfig, so creating the n-th domain does not cost O(n) payload.
    pub(super) async fn named_domain_vms(
        &self,
        name: &str,
    ) -> Result<Vec<(ObjectContent, Record)>> {
        let names = self.every_vm(&["name"]).await?;
        self.domains_named(names, name).await
    }

    /// [`named_domain_vms`](Self::named_domain_vms) before a create, which
    /// needs the placement next: when the placement an earlier process
    /// kept is not checked yet, its check rides in the same call as the
    /// names (one round trip where they took two).
    pub(super) async fn named_domain_vms_before_create(
        &self,
        name: &str,
    ) -> Result<Vec<(ObjectContent, Record)>> {
        let kept = match self.kept_placement() {
            Some(kept) if !self.placement_checked() => kept.clone(),
            _ => return self.named_domain_vms(name).await,
        };
        let root = self.session.content().root_folder.clone();
        let objects = inventory::check_objects(&kept);
        let read = vim::retrieve_sets(
            &self.session,
            &[
                (
                    vim::Objects::VmsUnder(&root),
                    &[("VirtualMachine", &["name"])],
                ),
                (vim::Objects::AncestorsOf(&objects), inventory::CHECK_PROPS),
            ],
            Some(self.page_size),
        )
        .await;
        let names = match read {
            Ok(all) => {
                let (vms, chain): (Vec<_>, Vec<_>) = all
                    .into_iter()
                    .partition(|o| o.obj.kind == "VirtualMachine");
                match inventory::still_holds(&chain, &kept, &root) {
                    Some(fresh) => self.kept_holds(fresh),
                    None => self.kept_no_longer_holds(),
                }
                vms
            }
            // A kept object is gone (the walk of VMs never fails so).
            Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {
                self.kept_no_longer_holds();
                self.every_vm(&["name"]).await?
            }
            Err(e) => return Err(e.into()),
        };
        self.domains_named(names, name).await
    }

    /// The domains among `names` (VMs with their `name`) named `name`,
    /// with the list properties.
    async fn domains_named(
        &self,
        names: Vec<ObjectContent>,
        name: &str,
    ) -> Result<Vec<(ObjectContent, Record)>> {
        let mut found = Vec::new();
        for vm in names.iter().filter(|o| o.text("name") == Some(name)) {
            match vim::retrieve_one(&self.session, &vm.obj, LIST_PROPS).await {
                Ok(o) => {
                    if let Some(r) = record(&o) {
                        found.push((o, r));
                    }
                }
                // Removed (or not yet made) since the listing: not a
                // domain to find.
                Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(found)
    }

    /// Every domain VM named `name`, for keeping names unique. A VM of that
    /// name whose properties cannot be read is either gone or still being
    /// made by a racing create; it is asked again (a gone one leaves the
    /// name listing, a new one becomes readable) rather than taken for
    /// either, since skipping a rival that is being made would let two
    /// domains keep one name.
    pub(super) async fn rivals(&self, name: &str, own: &MoRef) -> Result<Vec<MoRef>> {
        const PATIENCE: Duration = Duration::from_secs(10);
        let started = Instant::now();
        loop {
            let names = self.every_vm(&["name"]).await?;
            // The caller's own VM is a domain: it is not read again.
            let mut rivals: Vec<MoRef> = names
                .iter()
                .filter(|o| &o.obj == own && o.text("name") == Some(name))
                .map(|o| o.obj.clone())
                .collect();
            let mut unsure = false;
            for vm in names
                .iter()
                .filter(|o| &o.obj != own && o.text("name") == Some(name))
            {
                match vim::retrieve_one(&self.session, &vm.obj, LIST_PROPS).await {
                    Ok(o) if record(&o).is_some() => rivals.push(o.obj),
                    Ok(_) => {}
                    Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {
                        unsure = true;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if !unsure {
                return Ok(rivals);
            }
            if started.elapsed() > PATIENCE {
                return Err(Error::conflict(format!(
                    "cannot tell which VMs are named {name:?}: one stays half-made"
                ))
                .with_hint("check the target's VMs with `vicport domain ls`; a half-made domain shows as broken and `vicport domain rm` removes it"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `paths` of every VM the session can see, wherever it is: one
    /// RetrievePropertiesEx walking the inventory (and its continuations).
    pub(super) async fn every_vm(&self, paths: &[&str]) -> Result<Vec<ObjectContent>> {
        let root = self.session.content().root_folder.clone();
        Ok(vim::retrieve(
            &self.session,
            vim::Objects::VmsUnder(&root),
            &[("VirtualMachine", paths)],
            Some(self.page_size),
        )
        .await?)
    }

    /// One domain by name, id or unique id prefix, with `LIST_PROPS`; its
    /// VM is remembered for the commit that usually follows.
    pub(super) async fn find(&self, query: &str) -> Result<(ObjectContent, Record)> {
        let found = self.find_uncached(query).await?;
        self.remember(&found.1.id, &found.0.obj);
        Ok(found)
    }

    /// Remember domain `id`'s VM.
    pub(super) fn remember(&self, id: &DomainId, vm: &MoRef) {
        self.vms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.clone(), vm.clone());
    }

    /// Forget domain `id`'s VM (it was removed).
    pub(super) fn forget(&self, id: &DomainId) {
        self.vms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }

    async fn find_uncached(&self, query: &str) -> Result<(ObjectContent, Record)> {
        // A domain this process knows by its id: its VM, in one call.
        let known = self
            .vms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&DomainId(query.to_string()))
            .cloned();
        if let Some(vm) = known {
            match vim::retrieve_one(&self.session, &vm, LIST_PROPS).await {
                Ok(o) => {
                    if let Some(r) = record(&o).filter(|r| r.id.0 == query) {
                        return Ok((o, r));
                    }
                }
                Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // Names first, the cheap way; ids and id prefixes need the records.
        let mut named = self.named_domain_vms(query).await?;
        if !named.is_empty() {
            return Ok(named.swap_remove(0));
        }
        let mut vms = self.domain_vms().await?;
        if let Some(i) = vms
            .iter()
            .position(|(o, r)| o.text("name") == Some(query) || r.id.0 == query)
        {
            return Ok(vms.swap_remove(i));
        }
        let mut prefixed: Vec<_> = vms
            .into_iter()
            .filter(|(_, r)| !query.is_empty() && r.id.0.starts_with(query))
            .collect();
        match prefixed.len() {
            1 => Ok(prefixed.remove(0)),
            0 => Err(Error::not_found("domain", query)
                .with_hint("see `vicport domain ls` for the domains of this target")),
            n => Err(
                Error::invalid(format!("{n} domains have ids starting with {query:?}"))
                    .with_hint("give more of the id, or the name"),
            ),
        }
    }

    /// A domain by its id: its remembered VM in one call, else a search.
    pub(super) async fn find_by_id(&self, id: &DomainId) -> Result<(ObjectContent, Record)> {
        match self.find(&id.0).await {
            Ok(found) if found.1.id == *id => Ok(found),
            Ok(_) | Err(_) => Err(Error::not_found("domain", id.short())
                .with_hint("it was removed meanwhile: see `vicport domain ls`")),
        }
    }

    /// A domain's definition and version, read together in one call so
    /// that the version is exactly the one of the definition.
    pub(super) async fn snapshot(&self, vm: &MoRef) -> Result<(ObjectContent, Record, String)> {
        let o = vim::retrieve_one(
            &self.session,
            vm,
            &[
                "name",
                "runtime.powerState",
                "config.extraConfig",
                "config.changeVersion",
                "config.hardware.device",
            ],
        )
        .await?;
        let r = domain_record(&o)?;
        let version = o
            .text("config.changeVersion")
            .unwrap_or_default()
            .to_string();
        Ok((o, r, version))
    }

    pub(super) fn summary(o: &ObjectContent, r: &Record) -> DomainSummary {
        let (state, _) = r.state(o.text("runtime.powerState").unwrap_or_default());
        let spec = r.spec.as_ref();
        DomainSummary {
            id: r.id.clone(),
            name: o.text("name").unwrap_or_default().to_string(),
            state,
            image: spec.map(|s| s.image.clone()).unwrap_or_default(),
            created: created(o, r),
            labels: spec.map(|s| s.labels.clone()).unwrap_or_default(),
            ports: spec.map(|s| s.ports.clone()).unwrap_or_default(),
        }
    }

    pub(super) async fn info_of(&self, vm: &MoRef) -> Result<DomainInfo> {
        // The VM's properties and its ancestors' names, for its inventory
        // path, in one call.
        let chain = vim::retrieve(
            &self.session,
            vim::Objects::Ancestors(vm),
            &[
                ("ManagedEntity", inventory::ANCESTOR_PROPS),
                ("VirtualMachine", INSPECT_PROPS),
            ],
            None,
        )
        .await?;
        let path = inventory::path_in(&chain, vm, &self.session.content().root_folder);
        let o = chain
            .into_iter()
            .find(|o| &o.obj == vm)
            .unwrap_or_else(|| ObjectContent {
                obj: vm.clone(),
                ..ObjectContent::default()
            });
        Self::info_from(&o, vm, path)
    }

    /// A domain's description from its VM's `INSPECT_PROPS` and its path.
    pub(super) fn info_from(o: &ObjectContent, vm: &MoRef, path: String) -> Result<DomainInfo> {
        if o.props.is_empty() {
            return Err(Error::not_found("domain", &vm.value)
                .with_hint("it was removed meanwhile: see `vicport domain ls`"));
        }
        let r = domain_record(o)?;
        let (state, state_reason) = r.state(o.text("runtime.powerState").unwrap_or_default());
        let devices: Vec<Device> = o
            .props
            .get("config.hardware.device")
            .map(|v| v.children.iter().map(Device::read).collect())
            .unwrap_or_default();
        let macs: Vec<Option<String>> = devices
            .iter()
            .filter_map(|d| match &d.kind {
                Kind::Vmxnet3 { mac } => Some(mac.clone()),
                _ => None,
            })
            .collect();
        let spec = r
            .spec
            .clone()
            .unwrap_or_else(|| DomainSpec::new(o.text("name").unwrap_or_default(), ""));
        let networks = spec
            .networks
            .iter()
            .enumerate()
            .map(|(i, n)| NetworkEndpoint {
                mac: n.mac.clone().or_else(|| macs.get(i).cloned().flatten()),
                ..n.clone()
            })
            .collect();
        Ok(DomainInfo {
            id: r.id.clone(),
            name: o.text("name").unwrap_or_default().to_string(),
            state,
            state_reason,
            image: spec.image.clone(),
            image_id: r.image_id.clone(),
            created: created(o, &r),
            labels: spec.labels.clone(),
            cpus: o
                .number("config.hardware.numCPU")
                .map(|n| n as u32)
                .unwrap_or(spec.cpus),
            memory_mb: o
                .number("config.hardware.memoryMB")
                .map(|n| n as u64)
                .unwrap_or(spec.memory_mb),
            hostname: spec.hostname.clone(),
            process: spec.process.clone(),
            networks,
            ports: spec.ports.clone(),
            volumes: spec.volumes.clone(),
            exit_code: r.exit_code.filter(|_| state == DomainState::Stopped),
            oom_killed: r
                .oom_killed
                .filter(|_| state == DomainState::Stopped && r.exit_code.is_some()),
            started_at: r.started_at.clone(),
            finished_at: r.finished_at.clone().filter(|_| !state.is_up()),
            restart: spec.restart,
            restart_count: 0,
            version: Version(
                o.text("config.changeVersion")
                    .unwrap_or_default()
                    .to_string(),
            ),
            platform_ref: PlatformRef {
                platform: "vsphere".into(),
                id: vm.value.clone(),
                path,
            },
            boot_timeline: Vec::new(),
            guest: GuestSettings::of(&spec),
        })
    }
}

/// The vicport record of a VM, from its extraConfig; `None` when the VM is
/// not vicport's.
pub(super) fn record(o: &ObjectContent) -> Option<Record> {
    let extra = o
        .props
        .get("config.extraConfig")
        .map(vim::option_values)
        .unwrap_or_default();
    Record::read(&extra)
}

/// The record of a VM that must be a domain.
pub(super) fn domain_record(o: &ObjectContent) -> Result<Record> {
    record(o).ok_or_else(|| {
        Error::not_found("domain", &o.obj.value).with_hint(
            "it was removed meanwhile, or was not created by vicport: see `vicport domain ls`",
        )
    })
}

fn created(o: &ObjectContent, r: &Record) -> String {
    r.created
        .clone()
        .or_else(|| o.text("config.createDate").map(keys::rfc3339))
        .unwrap_or_default()
}

/// A VM removed while an operation on it was under way (a racing `rm`, or
/// someone in vSphere) fails the next call with ManagedObjectNotFound: to
/// the user, the domain is simply not found any more.
pub(super) fn gone(domain: &str) -> impl FnOnce(Error) -> Error + '_ {
    move |e| {
        if fault_kind(&e) == Some(&FaultKind::ManagedObjectNotFound) {
            Error::not_found("domain", domain)
                .with_hint("it was removed meanwhile (by another vicport, or in vSphere)")
        } else {
            e
        }
    }
}

#[cfg(test)]
mod gone_tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;
    use crate::plumbing::vsphere::fault::{Fault, SoapError};

    fn fault(kind: FaultKind) -> Error {
        SoapError::Fault {
            method: "Destroy_Task".into(),
            fault: Fault {
                kind,
                message: "managed object not found".into(),
                detail: Some("vm-42".into()),
            },
        }
        .into()
    }

    #[test]
    fn a_vm_gone_mid_operation_is_the_domain_not_found() {
        let e = gone("web")(fault(FaultKind::ManagedObjectNotFound));
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.to_string(), "domain \"web\" not found");
        assert!(e.hint().unwrap().contains("removed meanwhile"));
        // Anything else passes through as it was.
        let e = gone("web")(fault(FaultKind::FileNotFound));
        assert!(e.to_string().contains("Destroy_Task"), "{e}");
        let e = gone("web")(fault(FaultKind::InvalidPowerState));
        assert_eq!(e.kind(), ErrorKind::InvalidState);
    }
}
