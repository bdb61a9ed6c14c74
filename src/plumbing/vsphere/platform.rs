//! The vSphere platform of one target: its session and stores. Its
//! placement is in `placement`, `impl Platform` for what is not a domain
//! (images, volumes, networks, logs, events, facts) in `objects`. Domains
//! are realized in `realize` (found by `lookup`, made by `create`, changed
//! by `change`, their devices from `vm_spec`, their addresses from
//! `leases`).

mod objects;
mod placement;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::SharedProgress;
use crate::plumbing::spec::{DomainId, EndpointInfo};

use super::VsphereSettings;
use super::client::{RequestCounters, Transport};
use super::datastore::{DatacenterRef, Files};
use super::images::{ImageMarker, ImageStore};
use super::inventory::Placement;
use super::known::Known;
use super::networks::NetworkStore;
use super::session::{PasswordSource, Session, SessionConfig};
use super::tls::{Thumbprint, Trust};
use super::vim;
use super::volumes::{VolumeBacking, VolumeStore};
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

pub(crate) fn trust(settings: &VsphereSettings) -> Result<Trust> {
    Ok(match (&settings.thumbprint, settings.insecure) {
        (_, true) => Trust::Insecure,
        (Some(t), false) => Trust::Pinned(Thumbprint::parse(t)?),
        (None, false) => Trust::WebPki,
    })
}
