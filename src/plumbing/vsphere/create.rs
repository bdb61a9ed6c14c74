//! Creating a domain on vSphere: one CreateVM_Task with every device (the
//! root disk as a child of the image's disk, the boot ISO, the serial
//! ports, the volumes' disks, the NICs) and every vicport key, then the
//! power-on, watched in the same wait; names kept unique across the
//! vCenter, also against a concurrent create.

use std::collections::BTreeMap;

use crate::plumbing::domain::Plan;
use crate::plumbing::domain::guest as domain_guest;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{self, DomainInfo, DomainSpec};

use super::VspherePlatform;
use super::datastore::DatacenterRef;
use super::devices::{Backing, Device, DeviceChange, Kind};
use super::fault::{FaultKind, fault_kind};
use super::guest;
use super::images::ImageMarker;
use super::inventory::Placement;
use super::keys::{self, Interface, VolumeDisk};
use super::leases::pick_networks;
use super::lookup::INSPECT_PROPS;
use super::networks::Net;
use super::session::SessionError;
use super::vim;
use super::vm_spec::*;
use super::volumes::VolumeRecord;
use super::xml::MoRef;

/// The guest OS type of containerVMs.
const GUEST_ID: &str = "otherLinux64Guest";

/// Network serial ports listen on a port in this range, chosen at random.
const LINK_PORTS: std::ops::RangeInclusive<u16> = 20000..=29999;

impl VspherePlatform {
    /// The image a new domain is made from, with its tags (see
    /// `resolved_images`). Remembered under the reference asked for, the
    /// image's id and each of its tags: the porcelain asks by what the user
    /// typed, then creates by one of those.
    pub(super) async fn image_for_create(
        &self,
        reference: &str,
    ) -> Result<(ImageMarker, Vec<String>)> {
        let known = self
            .resolved_images
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(reference)
            .cloned();
        if let Some(found) = known {
            return Ok(found);
        }
        let (placement, checked) = self.placement_for_files().await?;
        let found = self.resolve_image_in(placement, reference).await;
        let (marker, tags) = match found {
            // Not found through a placement not checked yet: perhaps the
            // datastore is another now. Check, and look there.
            Err(e) if !checked && e.kind() == crate::plumbing::error::ErrorKind::NotFound => {
                let placement = self.placement().await?;
                self.resolve_image_in(placement, reference).await?
            }
            other => other?,
        };
        let tags = tags.tags_of(&marker.id);
        let found = (marker, tags);
        let mut cache = self
            .resolved_images
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for key in found.1.iter().chain([&found.0.id]) {
            cache.insert(key.clone(), found.clone());
        }
        cache.insert(reference.to_string(), found.clone());
        Ok(found)
    }

    async fn resolve_image_in(
        &self,
        placement: &Placement,
        reference: &str,
    ) -> Result<(ImageMarker, super::images::TagIndex)> {
        let datacenter = DatacenterRef {
            moref: placement.datacenter.moref.clone(),
            path: placement.datacenter_path.clone(),
        };
        let (images, known) = self.images_of(placement, &datacenter);
        images.resolve_known(reference, known.as_ref()).await
    }

    /// Make a new domain from `plan`: its addresses, one CreateVM_Task,
    /// the check that no other domain got its name meanwhile, and the
    /// power-on when the plan says so.
    pub(super) async fn create_domain(&self, plan: &Plan) -> Result<DomainInfo> {
        let placement = self.placement().await?.clone();
        let spec = &plan.spec;
        let (image, _) = self
            .image_for_create(&spec.image)
            .await
            .map_err(|e| e.context(format!("domain {:?}", spec.name)))?;
        let boot_iso = self.boot_iso(&placement.datastore.named.name).await?;
        let volumes = self.volume_records_of(&spec.name, &spec.volumes).await?;
        let all = self.networks_if(!spec.networks.is_empty()).await?;
        let nets = pick_networks(&all, &spec.networks)?;
        let mut backings = Vec::new();
        if !nets.is_empty() {
            let store = self.network_store().await?;
            for net in &nets {
                backings.push(store.nic_backing(net).await?);
            }
        }
        let mut spec = spec.clone();
        let fresh = self.allocate(&plan.id, &mut spec.networks, &nets).await?;
        let result = self
            .create_vm(
                plan,
                &spec,
                &placement,
                NewVm {
                    image: &image,
                    boot_iso,
                    volumes: &volumes,
                    nets: &nets,
                    backings,
                },
            )
            .await;
        if let Err(e) = &result {
            self.release_unless_connected(&plan.id, &fresh).await;
            if fault_kind(e) == Some(&FaultKind::FileNotFound) {
                // The image's disk or the boot ISO went: look again next time.
                if let Some(known) = self.known().await? {
                    known.forget_all();
                }
            }
        }
        result
    }

    async fn create_vm(
        &self,
        plan: &Plan,
        spec: &DomainSpec,
        placement: &Placement,
        new: NewVm<'_>,
    ) -> Result<DomainInfo> {
        let ds = &placement.datastore.named.name;
        let link_port = random_link_port();
        let token = spec::random_hex(32);
        let now = spec::now();

        // Volumes' disks after the root disk on the new controller.
        let mut units = free_units(&[0]);
        let mut disks = Vec::new();
        for (i, v) in new.volumes.iter().enumerate() {
            let unit = units.next().ok_or_else(|| too_many_volumes(&spec.name))?;
            disks.push((v, NEW_CONTROLLER_KEY, unit, -110 - i as i32));
        }
        let volume_records = volume_records(spec, &disks, NEW_CONTROLLER_BUS);
        let interfaces = interface_records(&spec.networks, new.nets)?;
        let config = guest_document(plan, spec, &token, &volume_records, &interfaces)?;

        let mut extra = BTreeMap::new();
        extra.insert(keys::ID.to_string(), plan.id.0.clone());
        extra.insert(keys::SPEC.to_string(), spec_json(spec)?);
        extra.insert(keys::CREATED.to_string(), now.clone());
        extra.insert(keys::LINK_PORT.to_string(), link_port.to_string());
        extra.insert(keys::TOKEN.to_string(), token);
        extra.insert(keys::IMAGE_ID.to_string(), new.image.id.clone());
        extra.insert(keys::VOLUMES.to_string(), json(&volume_records)?);
        extra.insert(keys::INTERFACES.to_string(), json(&interfaces)?);
        extra.insert(keys::CONFIG.to_string(), config);
        if plan.powers_on() {
            extra.insert(keys::STARTED_AT.to_string(), now);
        }

        let mut devices = vec![
            scsi_controller(),
            root_disk(ds, new.image),
            DeviceChange::add(Device {
                key: -200,
                kind: Kind::Cdrom,
                backing: Some(Backing::Iso { file: new.boot_iso }),
                controller_key: Some(200),
                unit: Some(0),
                start_connected: true,
            }),
            serial_port(
                -300,
                guest::CONSOLE_UNIT,
                Backing::SerialFile {
                    file: format!("[{ds}] {}/{}", spec.name, guest::CONSOLE_FILE),
                },
            ),
            serial_port(
                -301,
                guest::LINK_UNIT,
                Backing::SerialUri {
                    uri: format!("tcp://:{link_port}"),
                    direction: "server".into(),
                },
            ),
            serial_port(
                -302,
                guest::LOG_UNIT,
                Backing::SerialFile {
                    file: format!("[{ds}] {}/{}", spec.name, guest::LOG_FILE),
                },
            ),
        ];
        for (v, controller, unit, key) in &disks {
            devices.push(DeviceChange::add(volume_disk(*key, *controller, *unit, v)));
        }
        for (i, (endpoint, backing)) in spec.networks.iter().zip(new.backings).enumerate() {
            devices.push(DeviceChange::add(nic(-400 - i as i32, endpoint, backing)));
        }

        let annotation = format!(
            "vicport domain {} ({}), image {}. Created by vicport; change it with vicport, not here.",
            spec.name, plan.id, spec.image
        );
        let name = spec.name.clone();
        let task = vim::start_task(
            &self.session,
            "CreateVM_Task",
            &placement.folder.moref,
            |w| {
                w.open("config");
                w.text("name", &name)
                    .text("guestId", GUEST_ID)
                    .text("annotation", &annotation);
                w.open("files")
                    .text("vmPathName", format!("[{ds}]"))
                    .close("files");
                w.text("numCPUs", spec.cpus.to_string())
                    .text("memoryMB", spec.memory_mb.to_string());
                for d in &devices {
                    d.write(w);
                }
                write_extra_config(w, &extra);
                w.close("config");
                w.moref("pool", &placement.pool.moref);
                if !placement.is_cluster {
                    if let [host] = placement.hosts.as_slice() {
                        w.moref("host", &host.moref);
                    }
                }
            },
        )
        .await
        .map_err(|e| create_error(e, &name))?;
        // One private collector watches the create, then the power-on.
        let mut watch = vim::Watch::new(&self.session, &[(&task, vim::TASK_PATHS)])
            .await
            .map_err(|e| create_error(e, &name))?;
        let outcome = self
            .created(&mut watch, plan, placement, &task, &name)
            .await;
        watch.destroy().await;
        outcome
    }

    /// The rest of a create once its CreateVM_Task runs, watched by
    /// `watch`: the VM, its name kept unique, and the power-on.
    async fn created(
        &self,
        watch: &mut vim::Watch<'_>,
        plan: &Plan,
        placement: &Placement,
        task: &MoRef,
        name: &str,
    ) -> Result<DomainInfo> {
        let (result, _) = watch
            .task_outcome("CreateVM_Task", task, None)
            .await
            .map_err(|e| create_error(e, name))?;
        let vm = result.as_ref().and_then(|n| n.as_moref()).ok_or_else(|| {
            Error::other(format!("creating domain {name:?}: vSphere returned no VM"))
        })?;
        self.remember(&plan.id, &vm);
        self.keep_name_unique(plan, &vm, name).await?;
        if plan.powers_on() {
            // The power-on's wait also watches the VM, so the domain is
            // described as the task left it, without reading it back.
            match self.power_on_watched(watch, &vm).await {
                // The power state's own update may come after the task's
                // (the order is not promised): then read the domain back.
                Ok(o) if o.text("runtime.powerState") == Some("poweredOn") => {
                    let folder = &placement.folder_path;
                    return Self::info_from(&o, &vm, format!("{folder}/{name}"));
                }
                Ok(_) => {}
                Err(e) => {
                    // Never started: drop the started flag so it lists as created.
                    let _ = self
                        .vm_task("ReconfigVM_Task", &vm, "unmark started", |w| {
                            w.open("spec");
                            write_extra_config(
                                w,
                                &BTreeMap::from([(keys::STARTED_AT.to_string(), String::new())]),
                            );
                            w.close("spec");
                        })
                        .await;
                    return Err(Error::from(e).context(format!("starting new domain {name:?}")));
                }
            }
        }
        self.info_of(&vm).await
    }

    /// Power a new VM on, its task and the VM's `INSPECT_PROPS` watched by
    /// another filter of `watch`.
    async fn power_on_watched(
        &self,
        watch: &mut vim::Watch<'_>,
        vm: &MoRef,
    ) -> Result<vim::ObjectContent, SessionError> {
        let task = vim::start_task(&self.session, "PowerOnVM_Task", vm, |_| {}).await?;
        watch
            .add(&[(&task, vim::TASK_PATHS), (vm, INSPECT_PROPS)])
            .await?;
        let (_, o) = watch
            .task_outcome("PowerOnVM_Task", &task, Some(vm))
            .await?;
        Ok(o)
    }

    /// Domain names are unique across the vCenter, but vSphere refuses a
    /// duplicate name only within one folder (and a simulator not even
    /// there), so two creates of one name can both succeed. Each create
    /// therefore looks for other domains of its name once its VM exists:
    /// the oldest VM keeps the name (vCenter numbers VMs in the order it
    /// makes them), and a younger one is destroyed again, its create
    /// failing with `Taken`. Every create sees the same order, so exactly
    /// one of any number of racing creates keeps the name.
    async fn keep_name_unique(&self, plan: &Plan, vm: &MoRef, name: &str) -> Result<()> {
        let rivals = self.rivals(name, vm).await?;
        let oldest = rivals.iter().min_by_key(|m| creation_order(m));
        if rivals.len() < 2 || oldest == Some(vm) {
            return Ok(());
        }
        tracing::debug!(target: "vicport::vsphere", domain = %name, vm = %vm.value, "another domain has this name: undoing the create");
        if let Err(e) = self
            .vm_task("Destroy_Task", vm, "undo create", |_| {})
            .await
        {
            tracing::warn!(target: "vicport::vsphere", domain = %name, vm = %vm.value, error = %e, "could not destroy the duplicate VM; `vicport domain rm` removes it");
        }
        self.forget(&plan.id);
        Err(Error::name_taken("domain", name))
    }
}

fn random_link_port() -> u16 {
    let mut b = [0u8; 2];
    let r = getrandom::fill(&mut b)
        .map(|_| u16::from_le_bytes(b))
        .unwrap_or(0);
    let span = LINK_PORTS.end() - LINK_PORTS.start() + 1;
    LINK_PORTS.start() + r % span
}

/// What a new VM is made of besides its spec.
struct NewVm<'a> {
    image: &'a ImageMarker,
    boot_iso: String,
    volumes: &'a [VolumeRecord],
    nets: &'a [Net],
    backings: Vec<Backing>,
}

/// The order in which vCenter made a VM: the number in its managed object
/// id (`vm-42`, or `42` on a standalone ESXi).
pub(super) fn creation_order(vm: &MoRef) -> (u64, String) {
    let number = vm
        .value
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    (number, vm.value.clone())
}

/// The tether's config document of a domain on vSphere, as
/// `guestinfo.vicport.config` carries it.
pub(super) fn guest_document(
    plan: &Plan,
    spec: &DomainSpec,
    token_hex: &str,
    volumes: &[VolumeDisk],
    interfaces: &[Interface],
) -> Result<String> {
    let token = domain_guest::token(&spec.name, token_hex)?;
    let locators = guest::locators(spec, volumes, interfaces)?;
    let config = domain_guest::config(
        &plan.id,
        spec,
        &token,
        &locators,
        &plan.hosts,
        plan.powers_on() && plan.hold_primary,
    )?;
    Ok(guest::encode(&config))
}

fn create_error(e: SessionError, name: &str) -> Error {
    if e.fault_kind() == Some(&FaultKind::DuplicateName) {
        return Error::name_taken("domain", name);
    }
    let unknown_outcome = matches!(
        &e,
        SessionError::Soap(super::fault::SoapError::Transport { .. })
    );
    let err = Error::from(e).context(format!("creating domain {name:?}"));
    if unknown_outcome {
        // The VM may or may not exist now; it cannot look healthy without
        // its keys, and a complete one lists as created.
        err.with_hint(
            "the connection broke during the create: check with `vicport domain ls`; a half-made domain shows as broken and `vicport domain rm` removes it",
        )
    } else {
        err
    }
}
