//! The vSphere platform of one target: its session, placement and stores,
//! and `impl Platform` for what is not a domain (images, volumes, networks,
//! logs, events, facts). Domains are realized in `realize` (found by
//! `lookup`, made by `create`, changed by `change`, their devices from
//! `vm_spec`, their addresses from `leases`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sha2::Digest as _;
use tokio::sync::OnceCell;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::LogLine;
use crate::plumbing::name::{self, ImageRef};
use crate::plumbing::platform::{LogOptions, Platform, Progress, SharedProgress};
use crate::plumbing::spec::{
    DomainId, EndpointInfo, ImageInfo, NetworkInfo, NetworkSpec, SystemInfo, VolumeInfo, VolumeSpec,
};

use super::VsphereSettings;
use super::client::{RequestCounters, Transport};
use super::datastore::{DatacenterRef, Files};
use super::images::{ImageMarker, ImageStore, TagIndex};
use super::inventory::{self, Placement, PlacementSettings};
use super::known::Known;
use super::networks::NetworkStore;
use super::session::{PasswordSource, Session, SessionConfig};
use super::tls::{Thumbprint, Trust};
use super::vim;
use super::volumes::{self, VolumeBacking, VolumeStore};
use super::xml::MoRef;

/// The local image store's directory under the cache: images are built
/// here (layers unpacked, ext4 made) before their disk goes to a datastore.
pub const IMAGE_BUILD_DIR: &str = "vsphere-images";

/// The vSphere platform of one target.
pub struct VspherePlatform {
    pub(super) target: String,
    pub(super) settings: VsphereSettings,
    pub(super) session: Session,
    placement: OnceCell<Placement>,
    /// The placement an earlier process kept (see `placement`), read once;
    /// `kept_stale` once a check found that it no longer holds.
    kept: std::sync::OnceLock<Option<Placement>>,
    kept_stale: std::sync::atomic::AtomicBool,
    datacenter: OnceCell<DatacenterRef>,
    pub(super) cache: Option<PathBuf>,
    /// Where the first use's boot image build and ISO upload report.
    pub(super) build_progress: SharedProgress,
    boot_iso: Option<String>,
    uploaded_iso: OnceCell<String>,
    /// Images new domains were made from in this process, by reference: a
    /// process that creates many domains reads the image's marker once.
    /// (An image removed meanwhile makes CreateVM fail on its missing disk.)
    pub(super) resolved_images: Mutex<BTreeMap<String, (ImageMarker, Vec<String>)>>,
    /// The VMs of the domains this process found or made, by domain id: a
    /// commit or power change after a look-up goes straight to its VM
    /// instead of listing them all again. (A VM removed meanwhile answers
    /// ManagedObjectNotFound, which is "domain not found".)
    pub(super) vms: Mutex<BTreeMap<DomainId, MoRef>>,
    pub(super) page_size: u32,
    /// Performance counters' names by id, as this server numbers them
    /// (`domain stats` asks once per process).
    pub(super) perf_counters: Mutex<std::collections::HashMap<i32, String>>,
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
            kept: std::sync::OnceLock::new(),
            kept_stale: std::sync::atomic::AtomicBool::new(false),
            datacenter: OnceCell::new(),
            cache: None,
            build_progress: SharedProgress::default(),
            boot_iso: None,
            uploaded_iso: OnceCell::new(),
            resolved_images: Mutex::new(BTreeMap::new()),
            vms: Mutex::new(BTreeMap::new()),
            perf_counters: Mutex::new(std::collections::HashMap::new()),
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

    /// The domain layer over this platform.
    pub fn domains(&self) -> crate::plumbing::domain::Domains<'_> {
        crate::plumbing::domain::Domains::new(self)
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

    /// The resolved placement, once per platform value: the one an earlier
    /// process resolved with the same settings (kept beside the session)
    /// when one check finds that it still holds, else resolved anew.
    pub async fn placement(&self) -> Result<&Placement> {
        self.placement
            .get_or_try_init(|| async {
                let context = |e: Error| {
                    e.context(format!(
                        "resolving the placement of target {:?}",
                        self.target
                    ))
                };
                if let Some(kept) = self.kept_placement() {
                    match inventory::check(&self.session, kept).await {
                        Ok(Some(fresh)) => return Ok(fresh),
                        Ok(None) => self.kept_no_longer_holds(),
                        Err(e) => return Err(context(e)),
                    }
                }
                let placement = inventory::resolve(
                    &self.session,
                    &PlacementSettings {
                        datacenter: self.settings.datacenter.as_deref(),
                        datastore: self.settings.datastore.as_deref(),
                        resource_pool: self.settings.resource_pool.as_deref(),
                        folder: self.settings.folder.as_deref(),
                    },
                )
                .await
                .map_err(context)?;
                if let Some(f) = self.placement_file() {
                    let instance = &self.session.content().about.instance_uuid;
                    write_placement(&f, instance, &placement);
                }
                Ok(placement)
            })
            .await
    }

    /// The placement an earlier process kept for these settings, unless a
    /// check found that it no longer holds.
    pub(super) fn kept_placement(&self) -> Option<&Placement> {
        if self.kept_stale.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        self.kept
            .get_or_init(|| {
                let file = self.placement_file()?;
                read_placement(&file, &self.session.content().about.instance_uuid)
            })
            .as_ref()
    }

    /// A check found that the kept placement no longer holds: it is
    /// resolved again.
    pub(super) fn kept_no_longer_holds(&self) {
        tracing::debug!(target: "vicport::vsphere", "the kept placement no longer holds: resolving it again");
        self.kept_stale
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// A check made in another call (see `name_in_use`) found the kept
    /// placement to hold: it is the placement, without a check of its own.
    pub(super) fn kept_holds(&self, fresh: Placement) {
        let _ = self.placement.set(fresh);
    }

    /// Whether the placement is checked (or resolved) already.
    pub(super) fn placement_checked(&self) -> bool {
        self.placement.initialized()
    }

    /// The placement for datastore file look-ups before a create: the
    /// kept one as it is when it is not checked yet (a check may come in
    /// the same call as the name's; a look-up that finds nothing through
    /// it checks first and looks again), else the checked one. Returns
    /// whether it is checked.
    pub(super) async fn placement_for_files(&self) -> Result<(&Placement, bool)> {
        if let Some(p) = self.placement.get() {
            return Ok((p, true));
        }
        if let Some(kept) = self.kept_placement() {
            return Ok((kept, false));
        }
        Ok((self.placement().await?, true))
    }

    /// Where the placement of this target's URL, user and placement
    /// settings is kept: beside the session, when sessions are cached.
    fn placement_file(&self) -> Option<PathBuf> {
        let dir = self.session.cache_dir()?;
        let s = &self.settings;
        let key = format!(
            "{}\n{}\n{:?}\n{:?}\n{:?}\n{:?}",
            self.session.transport().url(),
            self.session.username(),
            s.datacenter,
            s.datastore,
            s.resource_pool,
            s.folder
        );
        let digest = sha2::Sha256::digest(key.as_bytes());
        Some(dir.join(format!(
            "vsphere-placement-{}.json",
            &hex::encode(digest)[..24]
        )))
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
            datacenter_name: &placement.datacenter.name,
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

    /// The image store of `placement`'s datastore, and what is known to
    /// be on it.
    pub(super) fn images_of<'a>(
        &'a self,
        placement: &'a Placement,
        datacenter: &'a DatacenterRef,
    ) -> (ImageStore<'a>, Option<Known>) {
        (
            ImageStore {
                files: Files::new(&self.session, datacenter),
                datastore: &placement.datastore.named.moref,
                datastore_name: &placement.datastore.named.name,
            },
            self.known_of(placement),
        )
    }

    /// The local store images are built in before their upload.
    pub(super) fn image_builder(&self) -> Result<crate::plumbing::image::ImageStore> {
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
    pub(super) async fn boot_iso(&self, datastore: &str) -> Result<String> {
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
                let progress = self.build_progress.clone();
                let iso = tokio::task::spawn_blocking(move || {
                    super::boot::local_iso(&cache, &*progress.0)
                })
                .await
                .map_err(|e| Error::other(format!("finding the boot ISO: {e}")))??;
                let files = self.files().await?;
                let known = self.known().await?;
                let progress = &*self.build_progress.0;
                let path = super::boot::ensure_uploaded(
                    &files,
                    datastore,
                    &iso,
                    &record,
                    known.as_ref(),
                    progress,
                )
                .await;
                progress.done();
                let path = path?;
                Ok::<_, Error>(path.to_string())
            })
            .await
            .cloned()
    }

    /// What this client knows to be on the placement's datastore (with a
    /// cache directory).
    pub(super) async fn known(&self) -> Result<Option<Known>> {
        Ok(self.known_of(self.placement().await?))
    }

    fn known_of(&self, placement: &Placement) -> Option<Known> {
        Some(Known::new(
            self.cache.as_ref()?,
            self.session.transport().url().as_str(),
            &placement.datacenter_path,
            &placement.datastore.named.name,
        ))
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

    /// The names of the domains whose root disk is a child of each image,
    /// by image id: one RetrievePropertiesEx over the VMs.
    pub(super) async fn images_in_use(&self) -> Result<BTreeMap<String, Vec<String>>> {
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
    pub(super) async fn image_users(&self, id: &str) -> Result<Vec<String>> {
        Ok(self.images_in_use().await?.remove(id).unwrap_or_default())
    }

    /// Which domains join which volumes, and which networks (with their
    /// endpoints): one RetrievePropertiesEx over the VMs.
    pub(super) async fn joins(
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
}

/// A placement as it is kept between processes: for one vCenter (its
/// instance UUID), with the format it was written in.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPlacement {
    format: u32,
    instance_uuid: String,
    placement: Placement,
}

/// The format of [`CachedPlacement`]; another is not read.
const PLACEMENT_FORMAT: u32 = 1;

fn read_placement(file: &Path, instance_uuid: &str) -> Option<Placement> {
    let data = std::fs::read(file).ok()?;
    serde_json::from_slice::<CachedPlacement>(&data)
        .ok()
        .filter(|c| c.format == PLACEMENT_FORMAT && c.instance_uuid == instance_uuid)
        .map(|c| c.placement)
}

/// A cache: failing to write it costs the next process a resolution.
fn write_placement(file: &Path, instance_uuid: &str, placement: &Placement) {
    let cached = CachedPlacement {
        format: PLACEMENT_FORMAT,
        instance_uuid: instance_uuid.to_string(),
        placement: placement.clone(),
    };
    let written = serde_json::to_vec(&cached)
        .map_err(|e| Error::other(e.to_string()))
        .and_then(|data| crate::plumbing::file::write_atomic(file, &data, 0o600));
    if let Err(e) = written {
        tracing::debug!(target: "vicport::vsphere", file = %file.display(), error = %e, "could not keep the placement");
    }
}

pub(crate) fn trust(settings: &VsphereSettings) -> Result<Trust> {
    Ok(match (&settings.thumbprint, settings.insecure) {
        (_, true) => Trust::Insecure,
        (Some(t), false) => Trust::Pinned(Thumbprint::parse(t)?),
        (None, false) => Trust::WebPki,
    })
}

#[async_trait]
impl Platform for VspherePlatform {
    fn set_build_progress(&mut self, progress: Arc<dyn Progress>) {
        self.build_progress = SharedProgress(progress);
    }

    fn target(&self) -> &str {
        &self.target
    }

    fn round_trips(&self) -> Option<(&'static str, u64)> {
        Some(("vsphere", self.request_counts().round_trips()))
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

    async fn logs(
        &self,
        domain: &str,
        options: &LogOptions,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        self.domain_log(domain, options, sink).await
    }

    async fn events(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(crate::plumbing::platform::Event) -> Result<bool> + Send),
    ) -> Result<()> {
        self.follow_events(follow, sink).await
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
    /// while domains use it (`image rm --force` removes them first).
    async fn remove_image(&self, image: &str) -> Result<()> {
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
            return Err(crate::plumbing::image::in_use(image, &users));
        }
        images.retag(&[], &marker.id, &all_tags).await?;
        if let Some(known) = self.known().await? {
            known.forget_image(marker.hex());
        }
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

    async fn find_volume(&self, name: &str) -> Result<VolumeInfo> {
        let record = self.volume_store().await?.require(name).await?;
        Ok(volumes::info(&record, Vec::new()))
    }

    async fn remove_volume(&self, name: &str) -> Result<()> {
        name::validate("volume", name)?;
        let (mut users, _) = self.joins().await?;
        let users = users.remove(name).unwrap_or_default();
        if !users.is_empty() {
            return Err(crate::plumbing::domain::volume_in_use(name, &users));
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

    async fn find_network(&self, name: &str) -> Result<NetworkInfo> {
        let net = self.network_store().await?.find(name).await?;
        Ok(net.info(Vec::new()))
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
