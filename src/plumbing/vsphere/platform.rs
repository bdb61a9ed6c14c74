//! `impl Platform for VspherePlatform`: domains as VMs carrying
//! `guestinfo.vicport.*` keys, created by one CreateVM_Task, changed by one
//! ReconfigVM_Task checked against `changeVersion`, plus power operations.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::name;
use crate::plumbing::platform::Platform;
use crate::plumbing::spec::{
    self, DomainFilter, DomainInfo, DomainSpec, DomainSummary, Handle, NetworkEndpoint,
    PlatformRef, PowerChange, SystemInfo, Version,
};

use super::VsphereSettings;
use super::client::{RequestCounters, Transport};
use super::datastore::{DatacenterRef, Files};
use super::devices::{Backing, Device, DeviceChange, Kind};
use super::fault::FaultKind;
use super::inventory::{self, Network, Placement, PlacementSettings};
use super::keys::{self, Record};
use super::session::{PasswordSource, Session, SessionConfig, SessionError};
use super::tls::{Thumbprint, Trust};
use super::vim::{self, ObjectContent};
use super::xml::{MoRef, XmlWriter};

/// The properties `domain ls` shows, and nothing more.
const LIST_PROPS: &[&str] = &[
    "name",
    "runtime.powerState",
    "config.extraConfig",
    "config.createDate",
];

/// Everything `domain inspect` shows.
const INSPECT_PROPS: &[&str] = &[
    "name",
    "runtime.powerState",
    "config.extraConfig",
    "config.createDate",
    "config.changeVersion",
    "config.hardware.numCPU",
    "config.hardware.memoryMB",
    "config.hardware.device",
];

/// The guest OS type of containerVMs.
const GUEST_ID: &str = "otherLinux64Guest";

/// The size of a new root disk until the image store provides a parent disk.
const ROOT_DISK_KB: i64 = 1024 * 1024;

/// Network serial ports listen on a port in this range, chosen at random.
const LINK_PORTS: std::ops::RangeInclusive<u16> = 20000..=29999;

/// Makes the tether's config document (base64) for a domain being created.
pub type TetherConfig = Arc<dyn Fn(&Handle) -> Result<String> + Send + Sync>;

/// The vSphere platform of one target.
pub struct VspherePlatform {
    target: String,
    settings: VsphereSettings,
    session: Session,
    placement: OnceCell<Placement>,
    datacenter: OnceCell<DatacenterRef>,
    boot_iso: Option<String>,
    tether_config: Option<TetherConfig>,
    page_size: u32,
}

impl std::fmt::Debug for VspherePlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VspherePlatform")
            .field("target", &self.target)
            .field("url", &self.settings.url)
            .finish_non_exhaustive()
    }
}

impl Drop for VspherePlatform {
    fn drop(&mut self) {
        self.session.transport().counters().log();
    }
}

impl VspherePlatform {
    /// Connect to the target: reuse the cached session of (URL, user) from
    /// `cache_dir`, or log in with the password from `password` (asked only
    /// then). Placement is resolved on first use.
    pub async fn connect(
        target: &str,
        settings: VsphereSettings,
        password: Arc<dyn PasswordSource>,
        cache_dir: Option<PathBuf>,
    ) -> Result<Self> {
        Self::connect_counting(
            target,
            settings,
            password,
            cache_dir,
            RequestCounters::default(),
        )
        .await
    }

    /// [`connect`](Self::connect), counting requests into `counters`
    /// (shared with other connections when cloned).
    pub async fn connect_counting(
        target: &str,
        settings: VsphereSettings,
        password: Arc<dyn PasswordSource>,
        cache_dir: Option<PathBuf>,
        counters: RequestCounters,
    ) -> Result<Self> {
        let transport =
            Transport::new(&settings.url, trust(&settings)?, settings.timeout, counters)?;
        let username = settings.username.clone().ok_or_else(|| {
            Error::invalid(format!("target {target:?} has no username"))
                .with_hint("set it with `vicport target add ... --username USER`")
        })?;
        let session = Session::connect(
            transport,
            SessionConfig {
                username,
                password,
                cache_dir,
            },
        )
        .await
        .map_err(|e| e.context(format!("connecting to target {target:?}")))?;
        Ok(VspherePlatform {
            target: target.to_string(),
            settings,
            session,
            placement: OnceCell::new(),
            datacenter: OnceCell::new(),
            boot_iso: None,
            tether_config: None,
            page_size: 100,
        })
    }

    /// The datastore path of the boot ISO (`[ds] path`); by default
    /// `[<datastore>] vicport/bootstrap.iso`, where the boot image builder
    /// uploads it.
    pub fn set_boot_iso(&mut self, path: impl Into<String>) {
        self.boot_iso = Some(path.into());
    }

    /// What `guestinfo.vicport.config` carries for a new domain.
    pub fn set_tether_config(&mut self, make: TetherConfig) {
        self.tether_config = Some(make);
    }

    /// How many VMs one RetrievePropertiesEx page holds (the server may
    /// answer with fewer; the rest follow by continuation).
    pub fn set_page_size(&mut self, n: u32) {
        self.page_size = n.max(1);
    }

    /// The per-method request counters.
    pub fn request_counts(&self) -> &RequestCounters {
        self.session.transport().counters()
    }

    /// The session (for tests and tools that need raw calls).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// End the session on the server and forget the cached one.
    pub async fn logout(&self) -> Result<()> {
        self.session.logout().await
    }

    /// The user of the current session (`SessionManager.currentSession`
    /// through the PropertyCollector); `None` when the session is gone.
    pub async fn current_user(&self) -> Result<Option<String>> {
        let Some(sm) = self.session.content().session_manager.clone() else {
            return Ok(None);
        };
        let o = vim::retrieve_one(&self.session, &sm, &["currentSession"]).await?;
        Ok(o.props
            .get("currentSession")
            .and_then(|s| s.child_text("userName"))
            .map(str::to_string))
    }

    /// The resolved placement (resolved once per platform value).
    pub async fn placement(&self) -> Result<&Placement> {
        self.placement
            .get_or_try_init(|| async {
                inventory::resolve(
                    &self.session,
                    &PlacementSettings {
                        datacenter: self.settings.datacenter.as_deref(),
                        datastore: self.settings.datastore.as_deref(),
                        resource_pool: self.settings.resource_pool.as_deref(),
                        folder: self.settings.folder.as_deref(),
                    },
                )
                .await
                .map_err(|e| {
                    e.context(format!(
                        "resolving the placement of target {:?}",
                        self.target
                    ))
                })
            })
            .await
    }

    /// The placement's datacenter with its inventory path (what the
    /// datastore file API needs).
    pub async fn datacenter(&self) -> Result<&DatacenterRef> {
        self.datacenter
            .get_or_try_init(|| async {
                let dc = self.placement().await?.datacenter.moref.clone();
                inventory::datacenter_of(&self.session, &dc).await
            })
            .await
    }

    /// The datastore file API for the placement's datacenter.
    pub async fn files(&self) -> Result<Files<'_>> {
        Ok(Files::new(&self.session, self.datacenter().await?))
    }

    /// Every vicport VM in the target's folder, with the list properties.
    async fn domain_vms(&self) -> Result<Vec<(ObjectContent, Record)>> {
        let placement = self.placement().await?;
        let all = vim::retrieve_in_container(
            &self.session,
            &placement.folder.moref,
            "VirtualMachine",
            LIST_PROPS,
            Some(self.page_size),
        )
        .await?;
        Ok(all
            .into_iter()
            .filter_map(|o| record(&o).map(|r| (o, r)))
            .collect())
    }

    /// One domain by name, id or unique id prefix.
    async fn find(&self, query: &str) -> Result<(ObjectContent, Record)> {
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

    /// A domain by its id (for commit).
    async fn find_by_id(&self, id: &str) -> Result<(ObjectContent, Record)> {
        let vms = self.domain_vms().await?;
        vms.into_iter().find(|(_, r)| r.id.0 == id).ok_or_else(|| {
            Error::not_found("domain", id)
                .with_hint("it was removed meanwhile: see `vicport domain ls`")
        })
    }

    /// A domain's definition and version, read together in one call so
    /// that the version is exactly the one of the definition.
    async fn snapshot(&self, vm: &MoRef) -> Result<(ObjectContent, Record, String)> {
        let o = vim::retrieve_one(
            &self.session,
            vm,
            &[
                "name",
                "runtime.powerState",
                "config.extraConfig",
                "config.changeVersion",
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

    fn summary(o: &ObjectContent, r: &Record) -> DomainSummary {
        let (state, _) = r.state(o.text("runtime.powerState").unwrap_or_default());
        let spec = r.spec.as_ref();
        DomainSummary {
            id: r.id.clone(),
            name: o.text("name").unwrap_or_default().to_string(),
            state,
            image: spec.map(|s| s.image.clone()).unwrap_or_default(),
            created: created(o, r),
            labels: spec.map(|s| s.labels.clone()).unwrap_or_default(),
        }
    }

    async fn info_of(&self, vm: &MoRef) -> Result<DomainInfo> {
        let o = vim::retrieve_one(&self.session, vm, INSPECT_PROPS).await?;
        if o.props.is_empty() {
            return Err(Error::not_found("domain", &vm.value)
                .with_hint("it was removed meanwhile: see `vicport domain ls`"));
        }
        let r = domain_record(&o)?;
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
        let path = inventory::inventory_path(&self.session, vm).await?;
        Ok(DomainInfo {
            id: r.id.clone(),
            name: o.text("name").unwrap_or_default().to_string(),
            state,
            state_reason,
            image: spec.image.clone(),
            created: created(&o, &r),
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
            volumes: spec.volumes.clone(),
            exit_code: r.exit_code,
            started_at: r.started_at.clone(),
            finished_at: r.finished_at.clone(),
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
        })
    }

    /// Run a task on a VM, with the error naming the domain.
    async fn vm_task(
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

    async fn power(&self, vm: &MoRef, name: &str, on: bool) -> Result<()> {
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

    /// The port group of the domain's NICs: the target's network. vicport
    /// networks are IP scopes on it (as VIC's bridge networks were on the
    /// bridge port group); each endpoint gets its own NIC there.
    async fn resolve_network(&self, spec: &DomainSpec) -> Result<Option<Network>> {
        if spec.networks.is_empty() {
            return Ok(None);
        }
        let placement = self.placement().await?;
        inventory::resolve_network(&self.session, placement, self.settings.network.as_deref())
            .await
            .map(Some)
            .map_err(|e| {
                e.context(format!(
                    "choosing the port group of target {:?}",
                    self.target
                ))
            })
    }

    /// Refuse a name another vicport domain has.
    async fn check_name_free(&self, name: &str, except: Option<&str>) -> Result<()> {
        let taken = self
            .domain_vms()
            .await?
            .into_iter()
            .any(|(o, r)| o.text("name") == Some(name) && except.is_none_or(|id| r.id.0 != id));
        if taken {
            return Err(Error::conflict(format!(
                "the name {name:?} is already in use by a domain"
            ))
            .with_hint("choose another name, or remove that domain first"));
        }
        Ok(())
    }

    async fn create(&self, handle: Handle) -> Result<DomainInfo> {
        let spec = &handle.spec;
        if !spec.volumes.is_empty() {
            return Err(self.unsupported("volumes on domains"));
        }
        self.check_name_free(&spec.name, None).await?;
        let placement = self.placement().await?.clone();
        let network = self.resolve_network(spec).await?;
        let tether_config = match &self.tether_config {
            Some(make) => Some(make(&handle)?),
            None => None,
        };
        let ds = &placement.datastore.named.name;
        let boot_iso = self
            .boot_iso
            .clone()
            .unwrap_or_else(|| format!("[{ds}] vicport/bootstrap.iso"));
        let link_port = random_link_port();
        let now = spec::now();

        let mut extra = BTreeMap::new();
        extra.insert(keys::ID.to_string(), handle.id.0.clone());
        extra.insert(keys::SPEC.to_string(), spec_json(spec)?);
        extra.insert(keys::CREATED.to_string(), now.clone());
        extra.insert(keys::LINK_PORT.to_string(), link_port.to_string());
        if let Some(c) = tether_config {
            extra.insert(keys::CONFIG.to_string(), c);
        }
        if handle.power == Some(PowerChange::On) {
            extra.insert(keys::STARTED_AT.to_string(), now);
        }

        let mut devices = vec![
            scsi_controller(),
            root_disk(ds),
            DeviceChange::add(Device {
                key: -200,
                kind: Kind::Cdrom,
                backing: Some(Backing::Iso { file: boot_iso }),
                controller_key: Some(200),
                unit: Some(0),
                start_connected: true,
            }),
            DeviceChange::add(Device {
                key: -300,
                kind: Kind::Serial,
                backing: Some(Backing::SerialFile {
                    file: format!("[{ds}] {}/output.log", spec.name),
                }),
                controller_key: None,
                unit: None,
                start_connected: true,
            }),
            DeviceChange::add(Device {
                key: -301,
                kind: Kind::Serial,
                backing: Some(Backing::SerialUri {
                    uri: format!("tcp://:{link_port}"),
                    direction: "server".into(),
                }),
                controller_key: None,
                unit: None,
                start_connected: true,
            }),
        ];
        if let Some(net) = &network {
            for (i, endpoint) in spec.networks.iter().enumerate() {
                devices.push(DeviceChange::add(nic(-400 - i as i32, endpoint, net)));
            }
        }

        let annotation = format!(
            "vicport domain {} ({}), image {}. Created by vicport; change it with vicport, not here.",
            spec.name, handle.id, spec.image
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
        let result = vim::wait_task(&self.session, "CreateVM_Task", &task)
            .await
            .map_err(|e| create_error(e, &name))?;
        let vm = result.as_ref().and_then(|n| n.as_moref()).ok_or_else(|| {
            Error::other(format!("creating domain {name:?}: vSphere returned no VM"))
        })?;
        if handle.power == Some(PowerChange::On) {
            if let Err(e) = self.power(&vm, &name, true).await {
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
                return Err(e.context(format!("starting new domain {name:?}")));
            }
        }
        self.info_of(&vm).await
    }

    async fn change(&self, handle: Handle) -> Result<DomainInfo> {
        let (found, _) = self.find_by_id(&handle.id.0).await?;
        let vm = found.obj;
        let (o, r, version) = self.snapshot(&vm).await?;
        let current_name = o.text("name").unwrap_or_default().to_string();
        let Some(current) = r.spec.clone() else {
            return Err(broken(&current_name));
        };
        let wanted = handle.version.clone().map(|v| v.0).unwrap_or_default();
        if version != wanted {
            return Err(stale(&current_name));
        }
        let mut spec = handle.spec.clone();
        if spec.volumes != current.volumes || spec.networks != current.networks {
            return Err(
                self.unsupported("joining or leaving volumes and networks of an existing domain")
            );
        }
        let renamed = spec.name != current_name;
        if renamed {
            self.check_name_free(&spec.name, Some(&handle.id.0)).await?;
        }
        // The VM's name is the domain's name; the stored spec follows it.
        let new_name = spec.name.clone();
        spec.name = current.name.clone();
        let mut extra = BTreeMap::new();
        let mut stored = spec.clone();
        stored.name = new_name.clone();
        if stored != current {
            extra.insert(keys::SPEC.to_string(), spec_json(&stored)?);
        }
        if handle.power == Some(PowerChange::On) {
            extra.insert(keys::STARTED_AT.to_string(), spec::now());
        }
        let resized = spec.cpus != current.cpus || spec.memory_mb != current.memory_mb;
        if !extra.is_empty() || resized {
            let result = self
                .vm_task("ReconfigVM_Task", &vm, "reconfigure", |w| {
                    w.open("spec");
                    if !version.is_empty() {
                        w.text("changeVersion", &version);
                    }
                    if resized {
                        w.text("numCPUs", spec.cpus.to_string())
                            .text("memoryMB", spec.memory_mb.to_string());
                    }
                    write_extra_config(w, &extra);
                    w.close("spec");
                })
                .await;
            match result {
                Ok(()) => {}
                Err(e) if e.fault_kind() == Some(&FaultKind::ConcurrentAccess) => {
                    return Err(stale(&current_name));
                }
                Err(e) => {
                    return Err(Error::from(e).context(format!("changing domain {current_name:?}")));
                }
            }
        }
        if renamed {
            let result = self
                .vm_task("Rename_Task", &vm, "rename", |w| {
                    w.text("newName", &new_name);
                })
                .await;
            if let Err(e) = result {
                let err = match e.fault_kind() {
                    Some(FaultKind::DuplicateName) | Some(FaultKind::InvalidArgument) => {
                        Error::conflict(format!(
                            "cannot rename domain {current_name:?} to {new_name:?}: {e}"
                        ))
                        .with_hint("another VM in the folder has that name: choose another")
                    }
                    _ => Error::from(e).context(format!("renaming domain {current_name:?}")),
                };
                return Err(err);
            }
        }
        match handle.power {
            Some(PowerChange::On) => self.power(&vm, &new_name, true).await?,
            Some(PowerChange::Off) => self.power(&vm, &new_name, false).await?,
            None => {}
        }
        self.info_of(&vm).await
    }

    /// The seam for a graceful stop through the tether link: deliver the
    /// stop signal. Without the link (not wired yet) nothing is delivered.
    async fn send_stop_signal(&self, _vm: &MoRef, _signal: i32) -> Result<bool> {
        Ok(false)
    }
}

pub(crate) fn trust(settings: &VsphereSettings) -> Result<Trust> {
    Ok(match (&settings.thumbprint, settings.insecure) {
        (_, true) => Trust::Insecure,
        (Some(t), false) => Trust::Pinned(Thumbprint::parse(t)?),
        (None, false) => Trust::WebPki,
    })
}

/// The vicport record of a VM, from its extraConfig; `None` when the VM is
/// not vicport's.
fn record(o: &ObjectContent) -> Option<Record> {
    let extra = o
        .props
        .get("config.extraConfig")
        .map(vim::option_values)
        .unwrap_or_default();
    Record::read(&extra)
}

/// The record of a VM that must be a domain.
fn domain_record(o: &ObjectContent) -> Result<Record> {
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

fn spec_json(spec: &DomainSpec) -> Result<String> {
    serde_json::to_string(spec).map_err(|e| Error::other(format!("encoding the domain spec: {e}")))
}

fn write_extra_config(w: &mut XmlWriter, extra: &BTreeMap<String, String>) {
    for (k, v) in extra {
        w.open_typed("extraConfig", "OptionValue")
            .text("key", k)
            .typed_text("value", "xsd:string", v)
            .close("extraConfig");
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

fn scsi_controller() -> DeviceChange {
    DeviceChange::add(Device {
        key: -100,
        kind: Kind::PvScsi { bus: 0 },
        backing: None,
        controller_key: None,
        unit: None,
        start_connected: false,
    })
}

/// The root disk: for now a new, empty thin disk in the VM's directory. The
/// image store will provide the image's disk, and this becomes a child
/// (delta) disk of it (`Backing::Disk { parent: Some(..) }`).
fn root_disk(datastore: &str) -> DeviceChange {
    DeviceChange {
        operation: super::devices::Operation::Add,
        create_file: true,
        device: Device {
            key: -101,
            kind: Kind::Disk {
                capacity_kb: ROOT_DISK_KB,
                vdisk_id: None,
            },
            backing: Some(Backing::Disk {
                file: format!("[{datastore}]"),
                thin: true,
                parent: None,
            }),
            controller_key: Some(-100),
            unit: Some(0),
            start_connected: false,
        },
    }
}

fn nic(key: i32, endpoint: &NetworkEndpoint, net: &Network) -> Device {
    let backing = match net {
        Network::Standard(n) => Backing::Network {
            name: n.name.clone(),
        },
        Network::Distributed {
            key, switch_uuid, ..
        } => Backing::DvPort {
            switch_uuid: switch_uuid.clone(),
            portgroup_key: key.clone(),
        },
    };
    Device {
        key,
        kind: Kind::Vmxnet3 {
            mac: endpoint.mac.clone(),
        },
        backing: Some(backing),
        controller_key: None,
        unit: None,
        start_connected: true,
    }
}

fn stale(name: &str) -> Error {
    Error::conflict(format!(
        "domain {name:?} was changed by someone else since its handle was taken"
    ))
    .with_hint("take a fresh handle and apply the change again")
}

fn broken(name: &str) -> Error {
    Error::invalid_state(format!(
        "domain {name:?} is broken: its vicport definition is missing"
    ))
    .with_hint("only `vicport domain rm` applies to a broken domain")
}

fn create_error(e: SessionError, name: &str) -> Error {
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

#[async_trait]
impl Platform for VspherePlatform {
    fn target(&self) -> &str {
        &self.target
    }

    async fn info(&self) -> Result<SystemInfo> {
        let p = self.placement().await?;
        let about = &self.session.content().about;
        let compute = vim::retrieve_one(
            &self.session,
            &p.compute.moref,
            &[
                "summary.totalCpu",
                "summary.totalMemory",
                "summary.numHosts",
            ],
        )
        .await?;
        let mut d = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            d.insert(k.to_string(), v);
        };
        put("product", about.full_name.clone());
        put("product_version", about.version.clone());
        put("api_type", about.api_type.clone());
        put("api_version", about.api_version.clone());
        put("url", self.session.transport().url().to_string());
        put("datacenter", p.datacenter.name.clone());
        put(
            if p.is_cluster { "cluster" } else { "host" },
            p.compute.name.clone(),
        );
        put("resource_pool", p.pool.name.clone());
        put(
            "folder",
            inventory::inventory_path(&self.session, &p.folder.moref).await?,
        );
        put("datastore", p.datastore.named.name.clone());
        put(
            "hosts",
            p.hosts
                .iter()
                .map(|h| h.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
        );
        if let Some(c) = p.datastore.capacity {
            put("datastore_capacity_bytes", c.to_string());
        }
        if let Some(f) = p.datastore.free {
            put("datastore_free_bytes", f.to_string());
        }
        if let Some(cpu) = compute.number("summary.totalCpu") {
            put("cpu_mhz", cpu.to_string());
        }
        if let Some(mem) = compute.number("summary.totalMemory") {
            put("memory_bytes", mem.to_string());
        }
        Ok(SystemInfo {
            target: self.target.clone(),
            platform: "vsphere".into(),
            vicport_version: env!("CARGO_PKG_VERSION").into(),
            details: d,
        })
    }

    async fn get_handle(&self, domain: &str) -> Result<Handle> {
        let (found, _) = self.find(domain).await?;
        let (o, r, version) = self.snapshot(&found.obj).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        let mut spec = r.spec.clone().ok_or_else(|| broken(&name))?;
        spec.name = name;
        Ok(Handle {
            id: r.id.clone(),
            version: Some(Version(version)),
            spec,
            power: None,
        })
    }

    async fn commit(&self, handle: Handle) -> Result<DomainInfo> {
        name::validate("domain", &handle.spec.name)?;
        handle.spec.validate()?;
        if handle.is_new() {
            self.create(handle).await
        } else {
            self.change(handle).await
        }
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

    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo> {
        let (o, _) = self.find(domain).await?;
        self.info_of(&o.obj).await
    }

    /// Without the tether link, the stop signal cannot be delivered yet: the
    /// domain gets `timeout` to power off by itself, then is powered off.
    async fn stop_domain(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        let (o, r) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") != Some("poweredOn") {
            return self.info_of(&o.obj).await;
        }
        let signal = r
            .spec
            .as_ref()
            .and_then(|s| spec::signal_number(&s.stop_signal).ok())
            .unwrap_or(15);
        if !self.send_stop_signal(&o.obj, signal).await? {
            tracing::debug!(target: "vicport::vsphere", domain = %name, "no tether link yet: waiting, then powering off");
        }
        let (_, off) = vim::wait_property(
            &self.session,
            &o.obj,
            "runtime.powerState",
            Some(timeout),
            |v| v != Some("poweredOn"),
        )
        .await?;
        if !off {
            match self.power(&o.obj, &name, false).await {
                Ok(()) => {}
                // It powered off between the wait and the power-off.
                Err(e) if e.kind() == ErrorKind::InvalidState => {}
                Err(e) => return Err(e),
            }
        }
        self.info_of(&o.obj).await
    }

    async fn kill_domain(&self, domain: &str, signal: i32) -> Result<()> {
        let (o, _) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        if signal != 9 {
            return Err(Error::not_supported(
                &format!("sending signal {signal} (it needs the tether link)"),
                &self.target,
            ));
        }
        if o.text("runtime.powerState") != Some("poweredOn") {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is not running"
            )));
        }
        self.power(&o.obj, &name, false).await
    }

    async fn remove_domain(&self, domain: &str, force: bool) -> Result<()> {
        let (o, _) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") == Some("poweredOn") {
            if !force {
                return Err(Error::invalid_state(format!("domain {name:?} is running"))
                    .with_hint("stop it first, or remove it with --force"));
            }
            match self.power(&o.obj, &name, false).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::InvalidState => {}
                Err(e) => return Err(e),
            }
        }
        self.vm_task("Destroy_Task", &o.obj, "destroy", |_| {})
            .await
            .map_err(|e| Error::from(e).context(format!("removing domain {name:?}")))
    }

    async fn wait_domain(&self, domain: &str, timeout: Option<Duration>) -> Result<DomainInfo> {
        let (o, _) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        let (_, off) =
            vim::wait_property(&self.session, &o.obj, "runtime.powerState", timeout, |v| {
                v != Some("poweredOn")
            })
            .await?;
        if !off {
            return Err(Error::other(format!(
                "domain {name:?} is still running after {}",
                humantime::format_duration(timeout.unwrap_or_default())
            ))
            .with_hint("wait longer, or stop it with `vicport domain stop`"));
        }
        self.info_of(&o.obj).await
    }
}
