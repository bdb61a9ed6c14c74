//! The local platform: containerVMs as QEMU microVMs on this host, each
//! owned by a detached per-domain monitor process. Definitions live under
//! the state directory; what runs is read from the processes themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;

use crate::plumbing::error::{IoContext, Result};
use crate::plumbing::image::ImageStore;
use crate::plumbing::log::{self, LogLine};
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::{Event, LogOptions, Platform, Progress, SharedProgress};
use crate::plumbing::spec::{
    DomainId, ImageInfo, NetworkInfo, NetworkSpec, SystemInfo, VolumeInfo, VolumeSpec,
};

pub mod checkpoint;
pub mod events;
mod hotplug;
pub mod monitor;
pub mod network;
pub mod qemu;
pub mod qmp;
mod reader;
mod realize;
pub mod restart;
pub mod runtime;
pub mod share;
mod start;
pub mod store;
pub(crate) mod suspend;
pub mod volume;
mod watch;

use events::Journal;
use network::NetworkStore;
use qemu::{QEMU, files as qemu_files};
use store::{Definition, DomainStore};
use volume::VolumeStore;

/// The local platform rooted at a state directory.
#[derive(Debug, Clone)]
pub struct LocalPlatform {
    target: String,
    state: PathBuf,
    cache: PathBuf,
    domains: DomainStore,
    images: ImageStore,
    volumes: VolumeStore,
    networks: NetworkStore,
    journal: Journal,
    /// Where the first start's boot image build reports.
    build_progress: SharedProgress,
    /// Its starts are a restart policy's (see [`Self::starting_by_policy`]).
    by_policy: bool,
}

/// Where a local target with the state directory `state` keeps images.
pub fn image_store_dir(state: &Path) -> PathBuf {
    state.join("image-store")
}

impl LocalPlatform {
    /// Open the local platform with its state and cache directories (created
    /// on first write, not here: reading commands leave no trace).
    pub fn open(target: &str, state: PathBuf, cache: PathBuf) -> Result<Self> {
        Ok(LocalPlatform {
            target: target.to_string(),
            domains: DomainStore::new(&state),
            images: ImageStore::new(image_store_dir(&state)),
            volumes: VolumeStore::new(&state),
            networks: NetworkStore::new(&state),
            journal: Journal::new(&state),
            state,
            cache,
            build_progress: SharedProgress::default(),
            by_policy: false,
        })
    }

    /// This platform's starts are a restart policy's, which keep the
    /// domain's restart count (a start by hand starts it over): the
    /// monitor's, once a run has ended.
    pub fn starting_by_policy(mut self) -> Self {
        self.by_policy = true;
        self
    }

    /// The domain layer over this platform.
    pub fn domains(&self) -> crate::plumbing::domain::Domains<'_> {
        crate::plumbing::domain::Domains::new(self)
    }

    /// The image store.
    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    /// The cache directory (boot images, the accelerator verdict).
    pub fn cache(&self) -> &Path {
        &self.cache
    }

    /// Make the state directory (private to its owner) before the first
    /// write; reading commands never create it.
    fn ensure_state(&self) -> Result<()> {
        crate::plumbing::file::create_private_dir(&self.state)?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&self.state, std::fs::Permissions::from_mode(0o700))
            .io_context(|| format!("making {} private", self.state.display()))
    }

    /// The names of the domains created from image `image_id`.
    fn domains_using_image(&self, image_id: &str) -> Vec<(DomainId, String)> {
        self.domains
            .load_all()
            .map(|(defs, _)| {
                defs.into_iter()
                    .filter(|d| d.image_id == image_id)
                    .map(|d| (d.id, d.spec.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn with_used_by(&self, mut info: ImageInfo) -> ImageInfo {
        info.used_by = self
            .domains_using_image(&info.id)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        info
    }
}

/// The names of the domains that join volume `name`.
fn volume_users(defs: &[Definition], name: &str) -> Vec<String> {
    let mut users: Vec<String> = defs
        .iter()
        .filter(|d| d.spec.volumes.iter().any(|m| m.volume == name))
        .map(|d| d.spec.name.clone())
        .collect();
    users.sort();
    users
}

/// The first line of `qemu-system-x86_64 --version`, if QEMU is installed.
fn qemu_version() -> Option<String> {
    let out = std::process::Command::new(QEMU)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}

#[async_trait]
impl Platform for LocalPlatform {
    fn set_build_progress(&mut self, progress: std::sync::Arc<dyn Progress>) {
        self.build_progress = SharedProgress(progress);
    }

    fn target(&self) -> &str {
        &self.target
    }

    async fn info(&self) -> Result<SystemInfo> {
        let mut details = BTreeMap::new();
        details.insert("state_dir".into(), self.state.display().to_string());
        details.insert("cache_dir".into(), self.cache.display().to_string());
        details.insert(
            "qemu".into(),
            qemu_version().unwrap_or_else(|| format!("{QEMU} not found (install qemu-system-x86)")),
        );
        details.insert(
            "kvm_device".into(),
            if Path::new("/dev/kvm").exists() {
                "present".into()
            } else {
                "absent".into()
            },
        );
        details.insert(
            "accelerator".into(),
            qemu::cached_accel(&self.cache).map_or_else(
                || "not probed yet (chosen at the first start)".into(),
                |(accel, why)| format!("{}: {why}", accel.as_str()),
            ),
        );
        details.insert(
            "boot_image".into(),
            crate::plumbing::bootstrap::current::current(&self.cache).map_or_else(
                || "not built yet (`vicport system bootstrap`, or on first start)".into(),
                |b| {
                    format!(
                        "{} ({} kernel {})",
                        b.dir.display(),
                        b.flavour.as_str(),
                        b.kernel_version
                    )
                },
            ),
        );
        let (defs, broken) = self.domains.load_all()?;
        let mut running = 0;
        for d in &defs {
            if runtime::state(&self.domains.dir(&d.id))?.0.is_up() {
                running += 1;
            }
        }
        details.insert(
            "domains".into(),
            format!(
                "{} ({running} running, {} broken)",
                defs.len() + broken.len(),
                broken.len()
            ),
        );
        details.insert("images".into(), self.images.list()?.len().to_string());
        details.insert("volumes".into(), self.volumes.list()?.len().to_string());
        details.insert("networks".into(), self.networks.list()?.len().to_string());
        details.insert(
            "host_cpus".into(),
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .to_string(),
        );
        if let Some(mb) = crate::plumbing::host::memory_mb() {
            details.insert("host_memory_mb".into(), mb.to_string());
        }
        Ok(SystemInfo {
            target: self.target.clone(),
            platform: "local".into(),
            vicport_version: env!("CARGO_PKG_VERSION").into(),
            details,
        })
    }

    async fn logs(
        &self,
        domain: &str,
        options: &LogOptions,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        let id = self.domains.resolve(domain)?;
        let dir = self.domains.dir(&id);
        tokio::task::block_in_place(|| {
            log::read(
                &dir.join(qemu_files::OUTPUT),
                options.tail,
                options.follow,
                &mut || runtime::state(&dir).is_ok_and(|(s, _, _)| s.is_up()),
                sink,
            )
        })
    }

    async fn events(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
    ) -> Result<()> {
        tokio::task::block_in_place(|| self.journal.read(follow, sink))
    }

    async fn import_image(
        &self,
        source: &Path,
        reference: Option<ImageRef>,
        index: Option<usize>,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        self.ensure_state()?;
        let options = crate::plumbing::image::ImportOptions {
            reference,
            index,
            cancel: progress.cancel_flag(),
            blob_cache: Some(crate::plumbing::image::blobs::BlobCache::in_cache_dir(
                &self.cache,
            )),
            ..Default::default()
        };
        let info =
            tokio::task::block_in_place(|| self.images.import_with(source, &options, progress))?;
        self.journal.record("image", &info.id, "import", &[]);
        Ok(self.with_used_by(info))
    }

    async fn list_images(&self) -> Result<Vec<ImageInfo>> {
        Ok(self
            .images
            .list()?
            .into_iter()
            .map(|i| self.with_used_by(i))
            .collect())
    }

    async fn inspect_image(&self, image: &str) -> Result<ImageInfo> {
        Ok(self.with_used_by(self.images.inspect(image)?))
    }

    async fn remove_image(&self, image: &str) -> Result<()> {
        let info = self.images.inspect(image)?;
        // No domain lands on the image while it goes (see `create_checked`).
        let _landing = self.domains.store_lock()?;
        let this = self.clone();
        self.images.remove(image, &move |id| {
            this.domains_using_image(id)
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        })?;
        self.journal.record("image", &info.id, "remove", &[]);
        Ok(())
    }

    async fn tag_image(&self, image: &str, reference: &ImageRef) -> Result<ImageInfo> {
        let info = self.images.tag(image, reference)?;
        self.journal
            .record("image", &info.id, "tag", &[("name", reference.to_string())]);
        Ok(self.with_used_by(info))
    }

    async fn create_volume(&self, spec: VolumeSpec) -> Result<VolumeInfo> {
        let record = tokio::task::block_in_place(|| self.volumes.create(&spec))?;
        self.journal.record("volume", &record.name, "create", &[]);
        Ok(self.volumes.info(&record, Vec::new()))
    }

    async fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .volumes
            .list()?
            .iter()
            .map(|r| self.volumes.info(r, volume_users(&defs, &r.name)))
            .collect())
    }

    async fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        let record = self.volumes.load(name)?;
        let (defs, _) = self.domains.load_all()?;
        Ok(self.volumes.info(&record, volume_users(&defs, name)))
    }

    async fn remove_volume(&self, name: &str) -> Result<()> {
        tokio::task::block_in_place(|| {
            // No domain lands on the volume while it goes.
            let _landing = self.domains.store_lock()?;
            self.volumes.remove(name, |_| {
                let (defs, _) = self.domains.load_all()?;
                let users = volume_users(&defs, name);
                if users.is_empty() {
                    Ok(())
                } else {
                    Err(crate::plumbing::domain::volume_in_use(name, &users))
                }
            })
        })?;
        self.journal.record("volume", name, "remove", &[]);
        Ok(())
    }

    async fn create_network(&self, spec: NetworkSpec) -> Result<NetworkInfo> {
        let record = tokio::task::block_in_place(|| self.networks.create(&spec))?;
        self.journal.record(
            "network",
            &record.spec.name,
            "create",
            &[("backing", record.backing.as_str().to_string())],
        );
        Ok(self.networks.info(&record, Vec::new()))
    }

    async fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .networks
            .list()?
            .iter()
            .map(|r| {
                self.networks
                    .info(r, network::endpoints_of(&r.spec.name, &defs))
            })
            .collect())
    }

    async fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        let record = self.networks.load(name)?;
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .networks
            .info(&record, network::endpoints_of(name, &defs)))
    }

    async fn remove_network(&self, name: &str) -> Result<()> {
        tokio::task::block_in_place(|| self.networks.remove(name, &self.domains))?;
        self.journal.record("network", name, "remove", &[]);
        Ok(())
    }
}
