//! `impl Platform for VspherePlatform`: domains as VMs carrying
//! `guestinfo.vicport.*` keys, created by one CreateVM_Task (the root disk
//! as a child of the image's disk, the boot ISO, the serial ports, their
//! volumes' disks and their networks' NICs, the tether's config), changed
//! by one ReconfigVM_Task checked against `changeVersion`, plus power
//! operations; the tether link over the host's network serial port; images,
//! volumes, networks and logs through their own modules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::log::LogLine;
use crate::plumbing::name::{self, ImageRef};
use crate::plumbing::platform::{LogOptions, NoProgress, Platform, Progress};
use crate::plumbing::retry::retry_conflicts;
use crate::plumbing::spec::{
    self, DomainFilter, DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, EndpointInfo,
    Handle, ImageInfo, NetworkEndpoint, NetworkInfo, NetworkSpec, PlatformRef, PowerChange,
    SystemInfo, Version, VolumeInfo, VolumeMount, VolumeSpec,
};

use super::VsphereSettings;
use super::client::{RequestCounters, Transport};
use super::datastore::{DatacenterRef, DatastorePath, Files};
use super::devices::{Backing, Device, DeviceChange, Kind};
use super::events;
use super::fault::FaultKind;
use super::guest;
use super::images::{ImageMarker, ImageStore, TagIndex};
use super::inventory::{self, Placement, PlacementSettings};
use super::keys::{self, Interface, Record, VolumeDisk};
use super::link::{self, Endpoint};
use super::logs::LogReader;
use super::networks::{self, Net, NetworkStore};
use super::session::{PasswordSource, Session, SessionConfig, SessionError};
use super::tls::{Thumbprint, Trust};
use super::vim::{self, ObjectContent};
use super::volumes::{self, VolumeBacking, VolumeRecord, VolumeStore};
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

/// How often a followed log is read again.
const LOG_POLL: Duration = Duration::from_millis(500);

/// Network serial ports listen on a port in this range, chosen at random.
const LINK_PORTS: std::ops::RangeInclusive<u16> = 20000..=29999;

/// How long a domain may take from power-on until its tether answers.
const BOOT_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a running domain's tether may take to answer a new link.
const LINK_PATIENCE: Duration = Duration::from_secs(5);
/// After a graceful stop's deadline: how long the guest may take to power
/// off by itself once its primary process is gone.
const GUEST_POWER_OFF: Duration = Duration::from_secs(10);
/// Once the link has closed (the tether ended): how long the VM may take
/// to report powered off before vicport powers it off.
const LINK_GONE_GRACE: Duration = Duration::from_secs(3);

/// The local image store's directory under the cache: images are built
/// here (layers unpacked, ext4 made) before their disk goes to a datastore.
pub const IMAGE_BUILD_DIR: &str = "vsphere-images";

/// The vSphere platform of one target.
pub struct VspherePlatform {
    target: String,
    settings: VsphereSettings,
    session: Session,
    placement: OnceCell<Placement>,
    datacenter: OnceCell<DatacenterRef>,
    cache: Option<PathBuf>,
    boot_iso: Option<String>,
    uploaded_iso: OnceCell<String>,
    /// Images new domains were made from in this process, by reference: a
    /// process that creates many domains reads the image's marker once.
    /// (An image removed meanwhile makes CreateVM fail on its missing disk.)
    resolved_images: std::sync::Mutex<BTreeMap<String, (ImageMarker, Vec<String>)>>,
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
            cache: None,
            boot_iso: None,
            uploaded_iso: OnceCell::new(),
            resolved_images: std::sync::Mutex::new(BTreeMap::new()),
            page_size: 100,
        })
    }

    /// The cache directory: where images are built before their upload
    /// (`<cache>/vsphere-images`) and where the boot ISO is found or built
    /// (`<cache>/boot`, as `vicport system bootstrap` leaves it). Without
    /// one, images cannot be imported and new domains need
    /// [`set_boot_iso`](Self::set_boot_iso).
    pub fn set_cache_dir(&mut self, dir: impl Into<PathBuf>) {
        self.cache = Some(dir.into());
    }

    /// Use this datastore path (`[ds] path`) as every new domain's CD-ROM
    /// instead of uploading the boot ISO from the cache (for tools and
    /// tests that bring their own).
    pub fn set_boot_iso(&mut self, path: impl Into<String>) {
        self.boot_iso = Some(path.into());
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
                let placement = self.placement().await?;
                Ok::<_, Error>(DatacenterRef {
                    moref: placement.datacenter.moref.clone(),
                    path: placement.datacenter_path.clone(),
                })
            })
            .await
    }

    /// The datastore file API for the placement's datacenter.
    pub async fn files(&self) -> Result<Files<'_>> {
        Ok(Files::new(&self.session, self.datacenter().await?))
    }

    /// How this target stores volumes: `fcd` or `vmdk`.
    pub fn volume_backing(&self) -> VolumeBacking {
        VolumeBacking::for_target(self.session.content())
    }

    /// Where volumes live: the placement's datastore.
    pub async fn volume_store(&self) -> Result<VolumeStore<'_>> {
        let placement = self.placement().await?;
        let files = self.files().await?;
        Ok(VolumeStore {
            session: &self.session,
            files,
            datastore: &placement.datastore.named.moref,
            datastore_name: &placement.datastore.named.name,
            datacenter: &placement.datacenter.moref,
        })
    }

    /// Where images live: the placement's datastore.
    pub async fn images(&self) -> Result<ImageStore<'_>> {
        let placement = self.placement().await?;
        let files = self.files().await?;
        Ok(ImageStore {
            files,
            datastore: &placement.datastore.named.moref,
            datastore_name: &placement.datastore.named.name,
        })
    }

    /// The local store images are built in before their upload.
    fn image_builder(&self) -> Result<crate::plumbing::image::ImageStore> {
        let cache = self.cache.as_ref().ok_or_else(|| {
            Error::other(format!(
                "target {:?} has no cache directory to build images in",
                self.target
            ))
        })?;
        Ok(crate::plumbing::image::ImageStore::new(
            cache.join(IMAGE_BUILD_DIR),
        ))
    }

    /// The boot ISO's datastore path: the override, else the cache's ISO,
    /// uploaded once per content (looked up once per platform value).
    async fn boot_iso(&self, datastore: &str) -> Result<String> {
        if let Some(iso) = &self.boot_iso {
            return Ok(iso.clone());
        }
        self.uploaded_iso
            .get_or_try_init(|| async {
                let cache = self.cache.clone().ok_or_else(|| {
                    Error::other(format!(
                        "target {:?} has no cache directory to find the boot ISO in",
                        self.target
                    ))
                })?;
                let record = cache.join(super::boot::HASH_RECORD);
                let iso = tokio::task::spawn_blocking(move || {
                    super::boot::local_iso(&cache, &NoProgress)
                })
                .await
                .map_err(|e| Error::other(format!("finding the boot ISO: {e}")))??;
                let files = self.files().await?;
                let path =
                    super::boot::ensure_uploaded(&files, datastore, &iso, &record, &NoProgress)
                        .await?;
                Ok::<_, Error>(path.to_string())
            })
            .await
            .cloned()
    }

    /// Where networks live: the placement's datacenter.
    pub async fn network_store(&self) -> Result<NetworkStore<'_>> {
        let placement = self.placement().await?;
        let files = self.files().await?;
        Ok(NetworkStore {
            session: &self.session,
            folder: &placement.network_folder,
            files,
            datastore_name: &placement.datastore.named.name,
            hosts: &placement.hosts,
            setting: self.settings.network.as_deref(),
        })
    }

    /// Every vicport VM the session can see, with the list properties: one
    /// container view of the root folder, one RetrievePropertiesEx (and its
    /// continuations), no placement. Domains are vicport VMs wherever they
    /// are, so names are unique across the vCenter.
    async fn domain_vms(&self) -> Result<Vec<(ObjectContent, Record)>> {
        let root = self.session.content().root_folder.clone();
        let all = vim::retrieve_in_container(
            &self.session,
            &root,
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

    /// The domains named `name`: one listing of every VM's name only (a
    /// small answer however many VMs there are), then the records of the
    /// few VMs that carry the name. Finding a name never fetches every VM's
    /// extraConfig, so creating the n-th domain does not cost O(n) payload.
    async fn named_domain_vms(&self, name: &str) -> Result<Vec<(ObjectContent, Record)>> {
        let root = self.session.content().root_folder.clone();
        let names = vim::retrieve_in_container(
            &self.session,
            &root,
            "VirtualMachine",
            &["name"],
            Some(self.page_size),
        )
        .await?;
        let mut found = Vec::new();
        for vm in names.iter().filter(|o| o.text("name") == Some(name)) {
            let o = vim::retrieve_one(&self.session, &vm.obj, LIST_PROPS).await?;
            if let Some(r) = record(&o) {
                found.push((o, r));
            }
        }
        Ok(found)
    }

    /// One domain by name, id or unique id prefix.
    async fn find(&self, query: &str) -> Result<(ObjectContent, Record)> {
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
    fn info_from(o: &ObjectContent, vm: &MoRef, path: String) -> Result<DomainInfo> {
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
            volumes: spec.volumes.clone(),
            exit_code: r.exit_code.filter(|_| state == DomainState::Stopped),
            started_at: r.started_at.clone(),
            finished_at: r.finished_at.clone().filter(|_| !state.is_up()),
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

    /// Power a new VM on, watching its `INSPECT_PROPS` in the same wait.
    async fn power_on_watching(&self, vm: &MoRef) -> Result<ObjectContent, SessionError> {
        let task = vim::start_task(&self.session, "PowerOnVM_Task", vm, |_| {}).await?;
        vim::wait_task_watching(
            &self.session,
            "PowerOnVM_Task",
            &task,
            Some((vm, INSPECT_PROPS)),
        )
        .await
        .map(|(_, o)| o)
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

    /// The volumes a spec joins, one record per distinct volume, in order.
    async fn joined_volumes(&self, spec: &DomainSpec) -> Result<Vec<VolumeRecord>> {
        let mut out: Vec<VolumeRecord> = Vec::new();
        if spec.volumes.is_empty() {
            return Ok(out);
        }
        let store = self.volume_store().await?;
        for m in &spec.volumes {
            if out.iter().any(|r| r.name == m.volume) {
                continue;
            }
            out.push(
                store
                    .require(&m.volume)
                    .await
                    .map_err(|e| e.context(format!("domain {:?}", spec.name)))?,
            );
        }
        Ok(out)
    }

    /// Every vicport network, when `needed` (else none, and no calls).
    async fn networks_if(&self, needed: bool) -> Result<Vec<Net>> {
        if !needed {
            return Ok(Vec::new());
        }
        self.network_store().await?.list().await
    }

    /// Give each endpoint an address on its network (and a MAC when it has
    /// none). On failure the addresses given so far are released. Returns
    /// the networks where the address is new.
    async fn allocate(
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
    async fn release_unless_connected(&self, id: &DomainId, nets: &[Net]) {
        if nets.is_empty() {
            return;
        }
        let connected: Vec<String> = match self.find_by_id(&id.0).await {
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
    async fn release<'n>(&self, id: &DomainId, nets: impl Iterator<Item = &'n Net>) {
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

    /// Refuse a name another vicport domain has.
    async fn check_name_free(&self, name: &str, except: Option<&str>) -> Result<()> {
        let taken = self
            .named_domain_vms(name)
            .await?
            .into_iter()
            .any(|(_, r)| except.is_none_or(|id| r.id.0 != id));
        if taken {
            return Err(Error::conflict(format!(
                "the name {name:?} is already in use by a domain"
            ))
            .with_hint("choose another name, or remove that domain first"));
        }
        Ok(())
    }

    /// The image a new domain is made from, with its tags (see
    /// `resolved_images`). Remembered under the reference asked for, the
    /// image's id and each of its tags: the porcelain asks by what the user
    /// typed, then creates by one of those.
    async fn image_for_create(&self, reference: &str) -> Result<(ImageMarker, Vec<String>)> {
        let known = self
            .resolved_images
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(reference)
            .cloned();
        if let Some(found) = known {
            return Ok(found);
        }
        let (marker, tags) = self.images().await?.resolve(reference).await?;
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

    async fn create(&self, handle: Handle) -> Result<DomainInfo> {
        let placement = self.placement().await?.clone();
        // vSphere names a VM uniquely within its folder: CreateVM_Task
        // answers DuplicateName (a conflict) for a name the target's folder
        // holds, so the name needs no check of its own here (a name taken
        // in another folder is reported as ambiguous when looked up).
        let (image, _) = self
            .image_for_create(&handle.spec.image)
            .await
            .map_err(|e| e.context(format!("domain {:?}", handle.spec.name)))?;
        let boot_iso = self.boot_iso(&placement.datastore.named.name).await?;
        let volumes = self.joined_volumes(&handle.spec).await?;
        let all = self.networks_if(!handle.spec.networks.is_empty()).await?;
        let nets = pick_networks(&all, &handle.spec.networks)?;
        let mut backings = Vec::new();
        if !nets.is_empty() {
            let store = self.network_store().await?;
            for net in &nets {
                backings.push(store.nic_backing(net).await?);
            }
        }
        let mut spec = handle.spec.clone();
        let fresh = self.allocate(&handle.id, &mut spec.networks, &nets).await?;
        let handle = Handle { spec, ..handle };
        let result = self
            .create_vm(
                &handle,
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
        if result.is_err() {
            self.release_unless_connected(&handle.id, &fresh).await;
        }
        result
    }

    async fn create_vm(
        &self,
        handle: &Handle,
        placement: &Placement,
        new: NewVm<'_>,
    ) -> Result<DomainInfo> {
        let spec = &handle.spec;
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
        let hold = handle.power == Some(PowerChange::On) && handle.hold_primary;
        let config = guest::config(&handle.id, spec, &token, &volume_records, &interfaces, hold)?;

        let mut extra = BTreeMap::new();
        extra.insert(keys::ID.to_string(), handle.id.0.clone());
        extra.insert(keys::SPEC.to_string(), spec_json(spec)?);
        extra.insert(keys::CREATED.to_string(), now.clone());
        extra.insert(keys::LINK_PORT.to_string(), link_port.to_string());
        extra.insert(keys::TOKEN.to_string(), token);
        extra.insert(keys::IMAGE_ID.to_string(), new.image.id.clone());
        extra.insert(keys::VOLUMES.to_string(), json(&volume_records)?);
        extra.insert(keys::INTERFACES.to_string(), json(&interfaces)?);
        extra.insert(keys::CONFIG.to_string(), guest::encode(&config));
        if handle.power == Some(PowerChange::On) {
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
            // The power-on's wait also watches the VM, so the domain is
            // described as the task left it, without reading it back.
            match self.power_on_watching(&vm).await {
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

    async fn change(&self, handle: Handle) -> Result<DomainInfo> {
        let (found, _) = self.find_by_id(&handle.id.0).await?;
        let vm = found.obj;
        let (o, r, version) = self.snapshot(&vm).await?;
        let current_name = o.text("name").unwrap_or_default().to_string();
        let Some(current) = r.spec.clone() else {
            return Err(broken(&current_name));
        };
        // Starting a running domain changes nothing (as on local).
        let running = o.text("runtime.powerState") == Some("poweredOn");
        let power = match handle.power {
            Some(PowerChange::On) if running => None,
            other => other,
        };
        let wanted = handle.version.clone().map(|v| v.0).unwrap_or_default();
        if version != wanted {
            return Err(stale(&current_name));
        }
        // The tether configures networks and mounts volumes as the guest
        // boots: a NIC or disk added to a running VM would be hardware its
        // container never sees configured. Only the name and labels change
        // while it runs (as on the local platform).
        let mut unchanged = current.clone();
        unchanged.name = handle.spec.name.clone();
        unchanged.labels = handle.spec.labels.clone();
        if running && unchanged != handle.spec {
            let what = if unchanged.networks != handle.spec.networks {
                "networks are connected and disconnected only while it is stopped \
                 (its tether configures interfaces as the guest boots)"
            } else if unchanged.volumes != handle.spec.volumes {
                "volumes are joined only while it is stopped"
            } else {
                "only its name and labels can change"
            };
            return Err(Error::invalid_state(format!(
                "domain {current_name:?} is running: {what}"
            ))
            .with_hint(format!(
                "stop it first (`vicport domain stop {current_name}`), change it, and start it again"
            )));
        }
        let renamed = handle.spec.name != current_name;
        if renamed {
            self.check_name_free(&handle.spec.name, Some(&handle.id.0))
                .await?;
        }
        let devices: Vec<Device> = o
            .props
            .get("config.hardware.device")
            .map(|v| v.children.iter().map(Device::read).collect())
            .unwrap_or_default();

        // What joins and what leaves.
        let mut spec = handle.spec.clone();
        let has = |list: &[NetworkEndpoint], n: &str| list.iter().any(|e| e.network == n);
        let left: Vec<NetworkEndpoint> = current
            .networks
            .iter()
            .filter(|e| !has(&spec.networks, &e.network))
            .cloned()
            .collect();
        let joined_at: Vec<usize> = (0..spec.networks.len())
            .filter(|i| !has(&current.networks, &spec.networks[*i].network))
            .collect();
        let mut joining: Vec<NetworkEndpoint> = joined_at
            .iter()
            .map(|i| spec.networks[*i].clone())
            .collect();
        let all = self
            .networks_if(!joining.is_empty() || !left.is_empty())
            .await?;
        let joining_nets = pick_networks(&all, &joining)?;
        let left_nets: Vec<Net> = all.into_iter().filter(|n| has(&left, &n.name)).collect();
        let mut nic_changes = Vec::new();
        if !joining.is_empty() {
            let store = self.network_store().await?;
            for (i, net) in joining_nets.iter().enumerate() {
                let backing = store.nic_backing(net).await?;
                nic_changes.push((i, backing));
            }
        }
        let vol_names = |list: &[VolumeMount]| -> Vec<String> {
            let mut v: Vec<String> = list.iter().map(|m| m.volume.clone()).collect();
            v.sort();
            v.dedup();
            v
        };
        let (cur_vols, new_vols) = (vol_names(&current.volumes), vol_names(&spec.volumes));
        let attach: Vec<String> = new_vols
            .iter()
            .filter(|v| !cur_vols.contains(v))
            .cloned()
            .collect();
        let detach: Vec<String> = cur_vols
            .iter()
            .filter(|v| !new_vols.contains(v))
            .cloned()
            .collect();
        let mut attach_records = Vec::new();
        if !attach.is_empty() {
            let store = self.volume_store().await?;
            for v in &attach {
                attach_records.push(store.require(v).await?);
            }
        }

        // Addresses for the networks that join (released again if the
        // commit fails).
        let fresh = self
            .allocate(&handle.id, &mut joining, &joining_nets)
            .await?;
        for (i, e) in joined_at.iter().zip(&joining) {
            spec.networks[*i] = e.clone();
        }
        let outcome = self
            .reconfigure(ReconfigureArgs {
                id: &handle.id,
                hold_primary: handle.hold_primary,
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
                left: &left,
                attach: &attach_records,
                detach: &detach,
                power_on: power == Some(PowerChange::On),
            })
            .await;
        if let Err(e) = outcome {
            self.release_unless_connected(&handle.id, &fresh).await;
            return Err(e);
        }
        // Disconnected: their addresses are free again.
        self.release(&handle.id, left_nets.iter()).await;

        let new_name = spec.name.clone();
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
        match power {
            Some(PowerChange::On) => self.power(&vm, &new_name, true).await?,
            Some(PowerChange::Off) => self.power(&vm, &new_name, false).await?,
            None => {}
        }
        self.info_of(&vm).await
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
        let config = guest::encode(&guest::config(
            a.id,
            a.spec,
            &token,
            &volumes,
            &interfaces,
            a.power_on && a.hold_primary,
        )?);
        if a.record.config.as_deref() != Some(config.as_str()) {
            extra.insert(keys::CONFIG.to_string(), config);
        }
        if a.power_on {
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

    /// The names of the domains whose root disk is a child of each image,
    /// by image id: one RetrievePropertiesEx over the VMs.
    async fn images_in_use(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (o, r) in self.domain_vms().await? {
            if let Some(id) = r.image_id {
                users
                    .entry(id)
                    .or_default()
                    .push(o.text("name").unwrap_or_default().to_string());
            }
        }
        for list in users.values_mut() {
            list.sort();
        }
        Ok(users)
    }

    /// The names of the domains using image `id`.
    async fn image_users(&self, id: &str) -> Result<Vec<String>> {
        Ok(self.images_in_use().await?.remove(id).unwrap_or_default())
    }

    /// Which domains join which volumes, and which networks (with their
    /// endpoints): one RetrievePropertiesEx over the VMs.
    async fn joins(
        &self,
    ) -> Result<(
        BTreeMap<String, Vec<String>>,
        BTreeMap<String, Vec<EndpointInfo>>,
    )> {
        let mut volumes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut endpoints: BTreeMap<String, Vec<EndpointInfo>> = BTreeMap::new();
        for (o, r) in self.domain_vms().await? {
            let Some(spec) = r.spec else { continue };
            let domain = o.text("name").unwrap_or_default().to_string();
            let mut names: Vec<&str> = spec.volumes.iter().map(|m| m.volume.as_str()).collect();
            names.dedup();
            for v in names {
                volumes
                    .entry(v.to_string())
                    .or_default()
                    .push(domain.clone());
            }
            for e in &spec.networks {
                endpoints
                    .entry(e.network.clone())
                    .or_default()
                    .push(EndpointInfo {
                        domain: domain.clone(),
                        ip: e.ip,
                        mac: e.mac.clone(),
                    });
            }
        }
        for list in volumes.values_mut() {
            list.sort();
            list.dedup();
        }
        for list in endpoints.values_mut() {
            list.sort_by(|a, b| a.domain.cmp(&b.domain));
        }
        Ok((volumes, endpoints))
    }

    /// Take a VM's volume disks off it (their files stay).
    async fn detach_volumes(&self, vm: &MoRef, r: &Record) -> Result<()> {
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

    /// A domain that has stopped: its final state, and, when it was made
    /// to be removed once it stops (`run --rm`), removed. On vSphere no
    /// process watches a domain, so the vicport that sees it stop (an
    /// attached `run --rm`, `domain wait`, `domain stop`) removes it.
    async fn finish(&self, vm: &MoRef) -> Result<DomainInfo> {
        let info = self.info_of(vm).await?;
        if info.state.is_up() || info.state == DomainState::Broken {
            return Ok(info);
        }
        let (o, r, _) = self.snapshot(vm).await?;
        if r.spec.as_ref().is_some_and(|s| s.auto_remove) {
            let name = o.text("name").unwrap_or_default().to_string();
            match self.remove_domain(&r.id.0, false).await {
                Ok(()) => {
                    tracing::debug!(target: "vicport::vsphere", domain = %name, "removed as it stopped (--rm)")
                }
                // Someone else removed it first.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e.context(format!("removing {name:?} as it stopped (--rm)"))),
            }
        }
        Ok(info)
    }

    /// Where a running domain's tether listens: its host's management
    /// address and the domain's port, with its token. The host's firewall
    /// is opened for network serial ports on the way when it is closed.
    async fn endpoint(&self, vm: &MoRef, name: &str, r: &Record) -> Result<Endpoint> {
        let token = r
            .token
            .as_deref()
            .and_then(|t| hex::decode(t).ok())
            .ok_or_else(|| {
                Error::invalid_state(format!("domain {name:?} has no link token"))
                    .with_hint("it was created by an older vicport: recreate it")
            })?;
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
    async fn client(
        &self,
        o: &ObjectContent,
        r: &Record,
        patience: Duration,
    ) -> Result<tether::link::client::Client> {
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") != Some("poweredOn") {
            return Err(
                Error::invalid_state(format!("domain {name:?} is not running"))
                    .with_hint(format!("start it with `vicport domain start {name}`")),
            );
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

/// How long to try to reach a domain's tether: until its boot could be
/// over (it may have been started a moment ago), at least [`LINK_PATIENCE`].
fn link_patience(r: &Record) -> Duration {
    let since_start = r
        .started_at
        .as_deref()
        .and_then(|t| humantime::parse_rfc3339(t).ok())
        .and_then(|t| std::time::SystemTime::now().duration_since(t).ok());
    match since_start {
        Some(up) if up < BOOT_TIMEOUT => (BOOT_TIMEOUT - up).max(LINK_PATIENCE),
        _ => LINK_PATIENCE,
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

/// The networks of `endpoints` among `all`, in order.
fn pick_networks(all: &[Net], endpoints: &[NetworkEndpoint]) -> Result<Vec<Net>> {
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

/// The key and bus of the SCSI controller a new domain gets.
const NEW_CONTROLLER_KEY: i32 = -100;
const NEW_CONTROLLER_BUS: i32 = 0;

fn scsi_controller() -> DeviceChange {
    DeviceChange::add(Device {
        key: NEW_CONTROLLER_KEY,
        kind: Kind::PvScsi {
            bus: NEW_CONTROLLER_BUS,
        },
        backing: None,
        controller_key: None,
        unit: None,
        start_connected: false,
    })
}

/// The root disk: a new child (delta) disk of the image's disk, made in
/// the VM's directory, with the image's capacity.
fn root_disk(datastore: &str, image: &ImageMarker) -> DeviceChange {
    DeviceChange {
        operation: super::devices::Operation::Add,
        create_file: true,
        device: Device {
            key: -101,
            kind: Kind::Disk {
                capacity_kb: (image.disk_size_bytes / 1024) as i64,
                vdisk_id: None,
            },
            backing: Some(Backing::Disk {
                file: format!("[{datastore}]"),
                thin: true,
                parent: Some(image.disk.clone()),
            }),
            controller_key: Some(NEW_CONTROLLER_KEY),
            unit: Some(0),
            start_connected: false,
        },
    }
}

/// A serial port at `unit` of the VM's SIO controller (see [`guest`]).
fn serial_port(key: i32, unit: i32, backing: Backing) -> DeviceChange {
    DeviceChange::add(Device {
        key,
        kind: Kind::Serial,
        backing: Some(backing),
        controller_key: Some(guest::SIO_CONTROLLER_KEY),
        unit: Some(unit),
        start_connected: true,
    })
}

/// What a new VM is made of besides its spec.
struct NewVm<'a> {
    image: &'a ImageMarker,
    boot_iso: String,
    volumes: &'a [VolumeRecord],
    nets: &'a [Net],
    backings: Vec<Backing>,
}

/// A volume's existing disk on a SCSI controller: its file, and for a
/// First Class Disk its id.
fn volume_disk(key: i32, controller: i32, unit: i32, v: &VolumeRecord) -> Device {
    Device {
        key,
        kind: Kind::Disk {
            capacity_kb: (v.size_bytes / 1024) as i64,
            vdisk_id: v.fcd_id.clone(),
        },
        backing: Some(Backing::Disk {
            file: v.file.clone(),
            thin: true,
            parent: None,
        }),
        controller_key: Some(controller),
        unit: Some(unit),
        start_connected: false,
    }
}

/// SCSI units not in `used`, in order (7 is the controller's own).
fn free_units(used: &[i32]) -> impl Iterator<Item = i32> + '_ {
    (0..16).filter(move |u| *u != 7 && !used.contains(u))
}

fn too_many_volumes(name: &str) -> Error {
    Error::invalid(format!(
        "domain {name:?} would have more disks than its SCSI controller takes (15)"
    ))
    .with_hint("join fewer volumes")
}

/// The tether's volume records of `spec`'s mounts whose disks are in
/// `placed` (record, controller key, unit, device key).
fn volume_records(
    spec: &DomainSpec,
    placed: &[(&VolumeRecord, i32, i32, i32)],
    bus: i32,
) -> Vec<VolumeDisk> {
    let mut out: Vec<VolumeDisk> = spec
        .volumes
        .iter()
        .filter_map(|m| {
            let (v, _, unit, _) = placed.iter().find(|(v, ..)| v.name == m.volume)?;
            Some(VolumeDisk {
                volume: m.volume.clone(),
                path: m.path.clone(),
                read_only: m.read_only,
                backing: v.backing.as_str().to_string(),
                file: v.file.clone(),
                scsi_bus: bus,
                scsi_unit: *unit,
                format_if_blank: true,
            })
        })
        .collect();
    out.sort_by(|x, y| x.path.cmp(&y.path));
    out
}

/// The tether's interface records of endpoints on `nets` (same order).
fn interface_records(endpoints: &[NetworkEndpoint], nets: &[Net]) -> Result<Vec<Interface>> {
    endpoints
        .iter()
        .zip(nets)
        .map(|(e, net)| {
            let (Some(ip), Some(mac)) = (e.ip, e.mac.clone()) else {
                return Err(Error::other(format!(
                    "the endpoint on network {:?} has no address or MAC",
                    e.network
                )));
            };
            let pool = &net.doc.pool;
            Ok(Interface {
                network: e.network.clone(),
                mac,
                address: format!("{ip}/{}", pool.subnet.prefix_len()),
                gateway: (!net.doc.spec.internal).then_some(pool.gateway),
                dns: net.doc.spec.dns.clone(),
            })
        })
        .collect()
}

/// What one reconfigure changes.
struct ReconfigureArgs<'a> {
    id: &'a DomainId,
    /// With `power_on`: the primary waits for the first attach.
    hold_primary: bool,
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
    power_on: bool,
}

fn nic(key: i32, endpoint: &NetworkEndpoint, backing: Backing) -> Device {
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

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::other(format!("encoding a record: {e}")))
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
    if e.fault_kind() == Some(&FaultKind::DuplicateName) {
        return Error::conflict(format!(
            "the name {name:?} is already in use in the target's folder"
        ))
        .with_hint("choose another name, or remove that domain first");
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
        put("folder", p.folder_path.clone());
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
        self.get_handle_vm(domain).await.map_err(gone(domain))
    }

    async fn commit(&self, handle: Handle) -> Result<DomainInfo> {
        name::validate("domain", &handle.spec.name)?;
        handle.spec.validate()?;
        if handle.is_new() {
            self.create(handle).await
        } else {
            let id = handle.id.short().to_string();
            self.change(handle).await.map_err(gone(&id))
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
        self.inspect_domain_vm(domain).await.map_err(gone(domain))
    }

    /// The stop signal through the tether link with `timeout` to exit;
    /// once the tether has ended the domain (its link closes) or the time
    /// is up, power off. Without a link, power off at once.
    async fn stop_domain(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        self.stop_domain_vm(domain, timeout)
            .await
            .map_err(gone(domain))
    }

    /// KILL powers the domain off; other signals go to the primary process
    /// through an attach session of the tether link.
    async fn kill_domain(&self, domain: &str, signal: i32) -> Result<()> {
        self.kill_domain_vm(domain, signal)
            .await
            .map_err(gone(domain))
    }

    async fn remove_domain(&self, domain: &str, force: bool) -> Result<()> {
        self.remove_domain_vm(domain, force)
            .await
            .map_err(gone(domain))
    }

    async fn wait_domain(&self, domain: &str, timeout: Option<Duration>) -> Result<DomainInfo> {
        self.wait_domain_vm(domain, timeout)
            .await
            .map_err(gone(domain))
    }

    async fn logs(
        &self,
        domain: &str,
        options: &LogOptions,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        let (o, _) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        let vm = o.obj.clone();
        let devices = vim::retrieve_one(&self.session, &vm, &["config.hardware.device"]).await?;
        let file = devices
            .props
            .get("config.hardware.device")
            .into_iter()
            .flat_map(|v| v.children.iter().map(Device::read))
            .filter_map(|d| match (d.kind, d.backing) {
                (Kind::Serial, Some(Backing::SerialFile { file })) => Some(file),
                _ => None,
            })
            .find(|file| file.ends_with(&format!("/{}", guest::LOG_FILE)))
            .ok_or_else(|| {
                Error::invalid_state(format!("domain {name:?} has no log serial port"))
                    .with_hint("it was not created by this version of vicport: recreate it")
            })?;
        let path = DatastorePath::parse(&file)?;
        let datacenter = inventory::datacenter_of(&self.session, &vm).await?;
        let files = Files::new(&self.session, &datacenter);
        let mut reader = LogReader::open(files, path, options.tail).await?;
        loop {
            if reader.poll(sink).await?.stopped {
                return Ok(());
            }
            if !options.follow {
                return reader.finish(sink);
            }
            let power = vim::retrieve_one(&self.session, &vm, &["runtime.powerState"]).await?;
            if power.text("runtime.powerState") != Some("poweredOn") {
                // Stopped: what it wrote last, then the end.
                if reader.poll(sink).await?.stopped {
                    return Ok(());
                }
                return reader.finish(sink);
            }
            tokio::time::sleep(LOG_POLL).await;
        }
    }

    async fn events(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(crate::plumbing::platform::Event) -> Result<bool> + Send),
    ) -> Result<()> {
        let Some(em) = self.session.content().event_manager.clone() else {
            return Err(self
                .unsupported("events")
                .with_hint("this vSphere endpoint has no EventManager"));
        };
        let datacenter = self.placement().await?.datacenter.moref.clone();
        let session = &self.session;
        let is_domain = |vm: MoRef| -> events::IsDomain<'_> {
            Box::pin(async move {
                match vim::retrieve_one(session, &vm, LIST_PROPS).await {
                    Ok(o) => Ok(record(&o).is_some()),
                    // Gone already: whatever it was, it is no domain now.
                    Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {
                        Ok(false)
                    }
                    Err(e) => Err(e.into()),
                }
            })
        };
        let known = self.domain_vms().await?.into_iter().map(|(o, _)| o.obj);
        let mut domains = events::Domains::new(known, &is_domain);
        events::stream(session, &em, &datacenter, follow, &mut domains, sink).await
    }

    async fn link(&self, domain: &str) -> Result<tether::link::client::Client> {
        let (o, r) = self.find(domain).await?;
        self.client(&o, &r, link_patience(&r)).await
    }

    async fn import_image(
        &self,
        source: &Path,
        reference: Option<ImageRef>,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        let builder = self.image_builder()?;
        let options = crate::plumbing::image::ImportOptions {
            reference,
            cancel: progress.cancel_flag(),
            blob_cache: self
                .cache
                .as_deref()
                .map(crate::plumbing::image::blobs::BlobCache::in_cache_dir),
            ..Default::default()
        };
        let (built, names) =
            tokio::task::block_in_place(|| builder.import_naming(source, &options, progress))?;
        let stored = builder.resolve(&built.id)?;
        let images = self.images().await?;
        let (marker, tags) = images.publish(&stored, &names, progress).await?;
        let users = self.image_users(&marker.id).await?;
        Ok(marker.info(&tags, users))
    }

    async fn list_images(&self) -> Result<Vec<ImageInfo>> {
        let (markers, tags) = self.images().await?.list().await?;
        let mut users = if markers.is_empty() {
            BTreeMap::new()
        } else {
            self.images_in_use().await?
        };
        Ok(markers
            .iter()
            .map(|m| m.info(&tags, users.remove(&m.id).unwrap_or_default()))
            .collect())
    }

    async fn image_for_domain(&self, image: &str) -> Result<ImageInfo> {
        let (marker, tags) = self.image_for_create(image).await?;
        let mut info = marker.info(&TagIndex::default(), Vec::new());
        info.tags = tags;
        Ok(info)
    }

    async fn inspect_image(&self, image: &str) -> Result<ImageInfo> {
        let (marker, tags) = self.images().await?.resolve(image).await?;
        let users = self.image_users(&marker.id).await?;
        Ok(marker.info(&tags, users))
    }

    /// By reference, when the image has other references, only that one
    /// goes. Otherwise the image goes with all its references, refused
    /// while domains use it, unless `force`: then they are removed first.
    async fn remove_image(&self, image: &str, force: bool) -> Result<()> {
        let images = self.images().await?;
        let (marker, tags) = images.resolve(image).await?;
        let all_tags = tags.tags_of(&marker.id);
        let by_ref = ImageRef::parse(image)
            .ok()
            .map(|r| r.to_string())
            .filter(|r| all_tags.contains(r));
        if let Some(r) = by_ref
            && all_tags.len() > 1
        {
            images.retag(&[], &marker.id, &[r]).await?;
            return Ok(());
        }
        let users = self.image_users(&marker.id).await?;
        if !users.is_empty() {
            if !force {
                return Err(crate::plumbing::image::in_use(image, &users));
            }
            for domain in &users {
                self.remove_domain(domain, true)
                    .await
                    .map_err(|e| e.context(format!("removing image {image}")))?;
            }
        }
        images.retag(&[], &marker.id, &all_tags).await?;
        images.delete(&marker).await
    }

    async fn create_volume(&self, spec: VolumeSpec) -> Result<VolumeInfo> {
        name::validate("volume", &spec.name)?;
        if spec.size_bytes == 0 {
            return Err(Error::invalid(format!(
                "volume {:?}: a size of 0 is not a volume",
                spec.name
            ))
            .with_hint("give --size, e.g. --size 1GiB"));
        }
        let store = self.volume_store().await?;
        if let Some(wanted) = spec.store.as_deref() {
            let ds = wanted.trim().trim_start_matches('[').trim_end_matches(']');
            if ds != store.datastore_name {
                return Err(Error::invalid(format!(
                    "volume store {wanted:?}: target {:?} keeps volumes on datastore {}",
                    self.target, store.datastore_name
                ))
                .with_hint("leave out --store, or choose the datastore with `vicport target add ... --datastore`"));
            }
        }
        let record = store.create(&spec, self.volume_backing()).await?;
        Ok(volumes::info(&record, Vec::new()))
    }

    async fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        let store = self.volume_store().await?;
        let records = store.records().await?;
        let (mut users, _) = self.joins().await?;
        Ok(records
            .iter()
            .map(|r| volumes::info(r, users.remove(&r.name).unwrap_or_default()))
            .collect())
    }

    async fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        let store = self.volume_store().await?;
        let record = store.require(name).await?;
        let mut info = {
            let (mut users, _) = self.joins().await?;
            volumes::info(&record, users.remove(name).unwrap_or_default())
        };
        if let Some(size) = store.fcd_capacity(&record).await? {
            info.size_bytes = size;
        }
        Ok(info)
    }

    async fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        name::validate("volume", name)?;
        let (mut users, _) = self.joins().await?;
        let users = users.remove(name).unwrap_or_default();
        if !users.is_empty() {
            if !force {
                return Err(Error::conflict(format!(
                    "volume {name:?} is used by {}",
                    users.join(", ")
                ))
                .with_hint("remove those domains first, or remove the volume with --force (it is detached from them)"));
            }
            for domain in &users {
                retry_conflicts(|| async {
                    let mut handle = self.get_handle(domain).await?;
                    handle.spec.volumes.retain(|m| m.volume != name);
                    self.commit(handle).await
                })
                .await
                .map_err(|e| e.context(format!("detaching volume {name:?} from {domain:?}")))?;
            }
        }
        self.volume_store().await?.remove(name).await
    }

    async fn create_network(&self, spec: NetworkSpec) -> Result<NetworkInfo> {
        name::validate("network", &spec.name)?;
        let net = self.network_store().await?.create(&spec).await?;
        Ok(net.info(Vec::new()))
    }

    async fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        let nets = self.network_store().await?.list().await?;
        let (_, mut endpoints) = self.joins().await?;
        Ok(nets
            .iter()
            .map(|n| n.info(endpoints.remove(&n.name).unwrap_or_default()))
            .collect())
    }

    async fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        let net = self.network_store().await?.find(name).await?;
        let (_, mut endpoints) = self.joins().await?;
        Ok(net.info(endpoints.remove(name).unwrap_or_default()))
    }

    async fn remove_network(&self, name: &str) -> Result<()> {
        let store = self.network_store().await?;
        let net = store.find(name).await?;
        let (_, mut endpoints) = self.joins().await?;
        let endpoints = endpoints.remove(name).unwrap_or_default();
        if !endpoints.is_empty() {
            return Err(Error::conflict(format!(
                "network {name:?} has {} connected domain(s): {}",
                endpoints.len(),
                endpoints
                    .iter()
                    .map(|e| e.domain.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_hint(format!(
                "disconnect them first with `vicport network disconnect {name} DOMAIN`"
            )));
        }
        store.remove(&net).await
    }
}

/// The domain operations behind the `Platform` methods, which turn a VM
/// that vanished mid-operation into "domain not found" (see [`gone`]).
impl VspherePlatform {
    async fn get_handle_vm(&self, domain: &str) -> Result<Handle> {
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
            hold_primary: false,
        })
    }

    async fn inspect_domain_vm(&self, domain: &str) -> Result<DomainInfo> {
        let (o, _) = self.find(domain).await?;
        self.info_of(&o.obj).await
    }

    async fn stop_domain_vm(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        let (o, r) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") != Some("poweredOn") {
            return self.info_of(&o.obj).await;
        }
        let patience = LINK_PATIENCE.min(timeout.max(Duration::from_secs(2)));
        let graceful = match self.client(&o, &r, patience).await {
            Ok(client) => tokio::task::spawn_blocking(move || {
                // 0: the stop signal the tether was configured with.
                client.shutdown(0, timeout).map(|()| client)
            })
            .await
            .map_err(|e| Error::other(format!("stopping domain {name:?}: {e}")))?
            .map_err(link::link_error),
            Err(e) => Err(e),
        };
        let off = match graceful {
            Ok(client) => {
                let closed_at = std::sync::Mutex::new(None::<Instant>);
                let deadline = Instant::now() + timeout + GUEST_POWER_OFF;
                let give_up = || {
                    let now = Instant::now();
                    if now >= deadline {
                        return true;
                    }
                    if client.closed_reason().is_none() {
                        return false;
                    }
                    let mut at = closed_at.lock().unwrap_or_else(|p| p.into_inner());
                    now.duration_since(*at.get_or_insert(now)) >= LINK_GONE_GRACE
                };
                let (_, off) = vim::wait_property_or(
                    &self.session,
                    &o.obj,
                    "runtime.powerState",
                    None,
                    |v| v != Some("poweredOn"),
                    give_up,
                )
                .await?;
                drop(client);
                off
            }
            Err(e) => {
                tracing::debug!(target: "vicport::vsphere", domain = %name, error = %e, "no graceful stop; powering off");
                false
            }
        };
        if !off {
            match self.power(&o.obj, &name, false).await {
                Ok(()) => {}
                // It powered off between the wait and the power-off.
                Err(e) if e.kind() == ErrorKind::InvalidState => {}
                Err(e) => return Err(e),
            }
        }
        self.finish(&o.obj).await
    }

    async fn kill_domain_vm(&self, domain: &str, signal: i32) -> Result<()> {
        let (o, r) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        if o.text("runtime.powerState") != Some("poweredOn") {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is not running"
            )));
        }
        if signal == 9 {
            return self.power(&o.obj, &name, false).await;
        }
        let client = self.client(&o, &r, LINK_PATIENCE).await?;
        tokio::task::spawn_blocking(move || {
            let session = client
                .attach(tether::link::message::AttachRequest {
                    window: tether::link::DEFAULT_WINDOW,
                    ..Default::default()
                })
                .map_err(link::link_error)?;
            session.signal(signal).map_err(link::link_error)
        })
        .await
        .map_err(|e| Error::other(format!("signalling domain {name:?}: {e}")))?
        .map_err(|e| e.context(format!("sending signal {signal} to domain {name:?}")))
    }

    async fn remove_domain_vm(&self, domain: &str, force: bool) -> Result<()> {
        let (o, r) = self.find(domain).await?;
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
        // vSphere deletes the disks of a VM it destroys: volumes leave first.
        if !r.volumes.is_empty() {
            self.detach_volumes(&o.obj, &r)
                .await
                .map_err(|e| e.context(format!("removing domain {name:?}")))?;
        }
        self.vm_task("Destroy_Task", &o.obj, "destroy", |_| {})
            .await
            .map_err(|e| Error::from(e).context(format!("removing domain {name:?}")))?;
        // Its addresses are free again.
        let joined: Vec<NetworkEndpoint> = r.spec.map(|s| s.networks).unwrap_or_default();
        let nets = self.networks_if(!joined.is_empty()).await?;
        self.release(
            &r.id,
            nets.iter()
                .filter(|n| joined.iter().any(|e| e.network == n.name)),
        )
        .await;
        Ok(())
    }

    async fn wait_domain_vm(&self, domain: &str, timeout: Option<Duration>) -> Result<DomainInfo> {
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
        self.finish(&o.obj).await
    }
}

/// A VM removed while an operation on it was under way (a racing `rm`, or
/// someone in vSphere) fails the next call with ManagedObjectNotFound: to
/// the user, the domain is simply not found any more.
fn gone(domain: &str) -> impl FnOnce(Error) -> Error + '_ {
    move |e| {
        if e.kind() == ErrorKind::NotFound && e.to_string().contains("ManagedObjectNotFound") {
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
