//! `impl Platform` for what is not a domain: the target's facts, logs and
//! events, images, volumes and networks (domains are realized in
//! `realize`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::LogLine;
use crate::plumbing::name::{self, ImageRef};
use crate::plumbing::platform::{LogOptions, Platform, Progress, SharedProgress};
use crate::plumbing::spec::{
    ImageInfo, NetworkInfo, NetworkSpec, SystemInfo, VolumeInfo, VolumeSpec,
};

use super::super::images::TagIndex;
use super::super::vim;
use super::super::volumes;
use super::VspherePlatform;

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
        index: Option<usize>,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        let builder = self.image_builder()?;
        let options = crate::plumbing::image::ImportOptions {
            reference,
            index,
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
        images.delete(&marker).await?;
        // The copy built here goes too, or the cache would keep every
        // image ever sent to vSphere (another vSphere target holding the
        // same image rebuilds it on its next import).
        if let Ok(builder) = self.image_builder() {
            match builder.remove(&marker.id, &|_| Vec::new()) {
                Ok(_) => {}
                Err(e) if e.kind() == crate::plumbing::error::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!("the image is removed from vSphere; its copy here is not: {e}")
                }
            }
        }
        Ok(())
    }

    async fn tag_image(&self, image: &str, reference: &ImageRef) -> Result<ImageInfo> {
        let images = self.images().await?;
        let (marker, _) = images.resolve(image).await?;
        let tags = images
            .retag(&[reference.to_string()], &marker.id, &[])
            .await?;
        let users = self.image_users(&marker.id).await?;
        Ok(marker.info(&tags, users))
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
