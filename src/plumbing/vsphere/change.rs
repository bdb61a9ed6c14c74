//! Changing a domain on vSphere: one ReconfigVM_Task checked against the
//! VM's `changeVersion`, carrying the spec, the tether's records and config,
//! and the disks and NICs that join or leave; then a rename and the power
//! change.

use std::collections::BTreeMap;

use crate::plumbing::domain::Plan;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{self, DomainInfo, DomainSpec, NetworkEndpoint, PowerChange};

use super::VspherePlatform;
use super::create::guest_document;
use super::devices::{Backing, Device, DeviceChange, Kind};
use super::fault::FaultKind;
use super::keys::{self, Interface, Record, VolumeDisk};
use super::leases::pick_networks;
use super::networks::Net;
use super::vim;
use super::vm_spec::*;
use super::volumes::VolumeRecord;
use super::xml::MoRef;

impl VspherePlatform {
    /// Apply `plan` to an existing domain: one ReconfigVM_Task carrying the
    /// version the plan was computed at, the rename, the power change.
    pub(super) async fn change_domain(&self, plan: &Plan) -> Result<DomainInfo> {
        let vm = self.vm_of(&plan.id).await?;
        let (o, r, version) = self.snapshot(&vm).await?;
        let current_name = o.text("name").unwrap_or_default().to_string();
        let Some(mut current) = r.spec.clone() else {
            return Err(broken(&current_name));
        };
        current.name = current_name.clone();
        let wanted = plan.version.clone().map(|v| v.0).unwrap_or_default();
        if version != wanted {
            return Err(stale(&current_name));
        }
        let devices: Vec<Device> = o
            .props
            .get("config.hardware.device")
            .map(|v| v.children.iter().map(Device::read).collect())
            .unwrap_or_default();

        // What joins and what leaves, as the domain layer worked it out.
        let change = &plan.change;
        let mut spec = plan.spec.clone();
        let left = &change.networks_left;
        let joined_at: Vec<usize> = (0..spec.networks.len())
            .filter(|i| {
                change
                    .networks_joined
                    .iter()
                    .any(|e| e.network == spec.networks[*i].network)
            })
            .collect();
        let mut joining: Vec<NetworkEndpoint> = joined_at
            .iter()
            .map(|i| spec.networks[*i].clone())
            .collect();
        let all = self
            .networks_if(!joining.is_empty() || !left.is_empty())
            .await?;
        let joining_nets = pick_networks(&all, &joining)?;
        let left_nets: Vec<Net> = all
            .into_iter()
            .filter(|n| left.iter().any(|e| e.network == n.name))
            .collect();
        let mut nic_changes = Vec::new();
        if !joining.is_empty() {
            let store = self.network_store().await?;
            for (i, net) in joining_nets.iter().enumerate() {
                let backing = store.nic_backing(net).await?;
                nic_changes.push((i, backing));
            }
        }
        let attach = self
            .volume_records_of(&current_name, &change.volumes_joined)
            .await?;
        let detach: Vec<String> = change
            .volumes_left
            .iter()
            .map(|m| m.volume.clone())
            .collect();

        // Addresses for the networks that join (released again if the
        // commit fails).
        let fresh = self.allocate(&plan.id, &mut joining, &joining_nets).await?;
        for (i, e) in joined_at.iter().zip(&joining) {
            spec.networks[*i] = e.clone();
        }
        let outcome = self
            .reconfigure(ReconfigureArgs {
                plan,
                vm: &vm,
                version: &version,
                current_name: &current_name,
                current: &current,
                record: &r,
                spec: &spec,
                devices: &devices,
                joining: &joining,
                joining_nets: &joining_nets,
                nic_changes,
                left,
                attach: &attach,
                detach: &detach,
                resuming: plan.powers_on() && o.text("runtime.powerState") == Some("suspended"),
            })
            .await;
        if let Err(e) = outcome {
            self.release_unless_connected(&plan.id, &fresh).await;
            return Err(e);
        }
        // Disconnected: their addresses are free again.
        self.release(&plan.id, left_nets.iter()).await;

        let new_name = spec.name.clone();
        if change.renamed {
            self.rename(&vm, &current_name, &new_name).await?;
        }
        match plan.power {
            Some(PowerChange::On) => self.power(&vm, &new_name, true).await?,
            Some(PowerChange::Off) => self.power(&vm, &new_name, false).await?,
            None => {}
        }
        self.info_of(&vm).await
    }

    /// Rename a domain's VM. As with creates, vSphere keeps names unique
    /// only within a folder: a rename that finds another domain of the new
    /// name afterwards renames back and fails with `Taken` (two racing
    /// renames may both give way; neither leaves a duplicate).
    async fn rename(&self, vm: &MoRef, from: &str, to: &str) -> Result<()> {
        let renamed = self
            .vm_task("Rename_Task", vm, "rename", |w| {
                w.text("newName", to);
            })
            .await;
        if let Err(e) = renamed {
            return Err(match e.fault_kind() {
                Some(FaultKind::DuplicateName) => Error::name_taken("domain", to),
                _ => Error::from(e).context(format!("renaming domain {from:?}")),
            });
        }
        if self.rivals(to, vm).await?.len() < 2 {
            return Ok(());
        }
        if let Err(e) = self
            .vm_task("Rename_Task", vm, "rename back", |w| {
                w.text("newName", from);
            })
            .await
        {
            tracing::warn!(target: "vicport::vsphere", domain = %to, error = %e, "could not rename back to {from:?}");
        }
        Err(Error::name_taken("domain", to))
    }

    /// The one ReconfigVM_Task of a change, checked against the version the
    /// handle was taken at: the spec, the tether's records, size, and the
    /// disks and NICs that join or leave.
    async fn reconfigure(&self, a: ReconfigureArgs<'_>) -> Result<()> {
        let mut changes = Vec::new();
        // NICs that leave, found by their MAC.
        for e in a.left {
            let found = a.devices.iter().find(
                |d| matches!(&d.kind, Kind::Vmxnet3 { mac: Some(m) } if Some(m) == e.mac.as_ref()),
            );
            if let Some(d) = found {
                changes.push(DeviceChange::remove(Device {
                    backing: None,
                    ..d.clone()
                }));
            }
        }
        // Disks that leave, found by their file.
        for v in a.detach {
            let file = a
                .record
                .volumes
                .iter()
                .find(|d| &d.volume == v)
                .map(|d| d.file.clone());
            let found = a.devices.iter().find(|d| {
                matches!(&d.backing, Some(Backing::Disk { file: f, .. }) if Some(f) == file.as_ref())
            });
            if let Some(d) = found {
                changes.push(DeviceChange::remove(Device {
                    backing: None,
                    ..d.clone()
                }));
            }
        }
        // Disks that join: on the first SCSI controller, at free units.
        let controller = a.devices.iter().find_map(|d| match d.kind {
            Kind::PvScsi { bus } => Some((d.key, bus)),
            _ => None,
        });
        let (controller, bus) = match controller {
            Some(c) => c,
            None if a.attach.is_empty() => (0, 0),
            None => {
                return Err(Error::invalid_state(format!(
                    "domain {:?} has no SCSI controller for volumes",
                    a.current_name
                )));
            }
        };
        let leaving_keys: Vec<i32> = changes.iter().map(|c| c.device.key).collect();
        let used: Vec<i32> = a
            .devices
            .iter()
            .filter(|d| d.controller_key == Some(controller) && !leaving_keys.contains(&d.key))
            .filter_map(|d| d.unit)
            .collect();
        let mut units = free_units(&used);
        // The disks that stay keep their places.
        let mut placed: Vec<(&VolumeRecord, i32, i32, i32)> = Vec::new();
        let kept: Vec<VolumeDisk> = a
            .record
            .volumes
            .iter()
            .filter(|d| !a.detach.contains(&d.volume))
            .cloned()
            .collect();
        for (i, v) in a.attach.iter().enumerate() {
            let unit = units
                .next()
                .ok_or_else(|| too_many_volumes(a.current_name))?;
            let key = -110 - i as i32;
            changes.push(DeviceChange::add(volume_disk(key, controller, unit, v)));
            placed.push((v, controller, unit, key));
        }
        let mut volumes = volume_records(a.spec, &placed, bus);
        // Mounts of disks that stay: their unit from the old records.
        for m in &a.spec.volumes {
            if volumes
                .iter()
                .any(|d| d.volume == m.volume && d.path == m.path)
            {
                continue;
            }
            if let Some(old) = kept.iter().find(|d| d.volume == m.volume).cloned() {
                volumes.push(VolumeDisk {
                    path: m.path.clone(),
                    read_only: m.read_only,
                    ..old
                });
            }
        }
        volumes.sort_by(|x, y| x.path.cmp(&y.path));
        // NICs that join.
        for (i, backing) in &a.nic_changes {
            changes.push(DeviceChange::add(nic(
                -400 - *i as i32,
                &a.joining[*i],
                backing.clone(),
            )));
        }
        let mut interfaces: Vec<Interface> = a
            .record
            .interfaces
            .iter()
            .filter(|i| a.spec.networks.iter().any(|e| e.network == i.network))
            .cloned()
            .collect();
        interfaces.extend(interface_records(a.joining, a.joining_nets)?);

        // The VM's name is the domain's name: the rename comes after, by
        // Rename_Task; the stored spec has the new name already.
        let mut extra = BTreeMap::new();
        if *a.spec != *a.current {
            extra.insert(keys::SPEC.to_string(), spec_json(a.spec)?);
        }
        if volumes != a.record.volumes {
            extra.insert(keys::VOLUMES.to_string(), json(&volumes)?);
        }
        if interfaces != a.record.interfaces {
            extra.insert(keys::INTERFACES.to_string(), json(&interfaces)?);
        }
        // The tether's config follows the spec, the disks and NICs, and
        // whether this start holds the primary for an attach.
        let token = match &a.record.token {
            Some(t) => t.clone(),
            None => {
                let t = spec::random_hex(32);
                extra.insert(keys::TOKEN.to_string(), t.clone());
                t
            }
        };
        let config = guest_document(a.plan, a.spec, &token, &volumes, &interfaces)?;
        if a.record.config.as_deref() != Some(config.as_str()) && !a.resuming {
            extra.insert(keys::CONFIG.to_string(), config);
        }
        if a.plan.powers_on() && !a.resuming {
            extra.insert(keys::STARTED_AT.to_string(), spec::now());
            // What the tether reported of the last run is not this run's.
            if a.record.has_status {
                for k in keys::STATUS_KEYS {
                    extra.insert(k.to_string(), String::new());
                }
            }
        }
        let resized = a.spec.cpus != a.current.cpus || a.spec.memory_mb != a.current.memory_mb;
        if extra.is_empty() && !resized && changes.is_empty() {
            return Ok(());
        }
        let result = self
            .vm_task("ReconfigVM_Task", a.vm, "reconfigure", |w| {
                w.open("spec");
                if !a.version.is_empty() {
                    w.text("changeVersion", a.version);
                }
                if resized {
                    w.text("numCPUs", a.spec.cpus.to_string())
                        .text("memoryMB", a.spec.memory_mb.to_string());
                }
                for c in &changes {
                    c.write(w);
                }
                write_extra_config(w, &extra);
                w.close("spec");
            })
            .await;
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.fault_kind() == Some(&FaultKind::ConcurrentAccess) => {
                Err(stale(a.current_name))
            }
            Err(e) => Err(Error::from(e).context(format!("changing domain {:?}", a.current_name))),
        }
    }

    /// Take a VM's volume disks off it (their files stay).
    pub(super) async fn detach_volumes(&self, vm: &MoRef, r: &Record) -> Result<()> {
        let o = vim::retrieve_one(&self.session, vm, &["config.hardware.device"]).await?;
        let files: Vec<&str> = r.volumes.iter().map(|d| d.file.as_str()).collect();
        let changes: Vec<DeviceChange> = o
            .props
            .get("config.hardware.device")
            .into_iter()
            .flat_map(|v| v.children.iter().map(Device::read))
            .filter(|d| {
                matches!(&d.backing, Some(Backing::Disk { file, .. }) if files.contains(&file.as_str()))
            })
            .map(|d| DeviceChange::remove(Device { backing: None, ..d }))
            .collect();
        if changes.is_empty() {
            return Ok(());
        }
        self.vm_task("ReconfigVM_Task", vm, "detach volumes", |w| {
            w.open("spec");
            for c in &changes {
                c.write(w);
            }
            w.close("spec");
        })
        .await
        .map_err(|e| Error::from(e).context("detaching its volumes"))
    }
}

/// What one reconfigure changes.
struct ReconfigureArgs<'a> {
    plan: &'a Plan,
    vm: &'a MoRef,
    version: &'a str,
    current_name: &'a str,
    current: &'a DomainSpec,
    record: &'a Record,
    spec: &'a DomainSpec,
    devices: &'a [Device],
    joining: &'a [NetworkEndpoint],
    joining_nets: &'a [Net],
    /// Index into `joining`, and the NIC's backing.
    nic_changes: Vec<(usize, Backing)>,
    left: &'a [NetworkEndpoint],
    attach: &'a [VolumeRecord],
    detach: &'a [String],
    /// The VM is suspended and this powers it on: the run goes on, so its
    /// tether's config, start time and reported status stay as they are.
    resuming: bool,
}

fn stale(name: &str) -> Error {
    Error::stale(format!(
        "domain {name:?} was changed by someone else since its handle was taken"
    ))
}

fn broken(name: &str) -> Error {
    Error::invalid_state(format!(
        "domain {name:?} is broken: its vicport definition is missing"
    ))
    .with_hint("only `vicport domain rm` applies to a broken domain")
}
