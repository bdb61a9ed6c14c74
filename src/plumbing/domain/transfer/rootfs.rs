//! A domain's root filesystem as an image would hold it: archived
//! whole (`domain export`), compared with the image it was made from
//! (`domain diff`), and made into a new image — that image's layers and
//! one more holding the difference (`domain commit`). The guest archives
//! its root filesystem alone (CopyOutRootfs, protocol 6): volumes, host
//! directories and everything else mounted in the container are not in
//! it, and a mount point shows what the root disk has beneath it. A
//! stopped domain is read through a tether its platform boots on its disk
//! (`Realize::open_root`, driven through `RootLink`).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tether_protocol::DEFAULT_WINDOW;
use tether_protocol::client::{Client, CopyReader};
use tether_protocol::message::{CopyOutRequest, kind};

use super::super::Domains;
use super::super::lifecycle::blocking;
use super::host::Counting;
use super::{Copied, RootLink, stream_error};
use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::image::Digest;
use crate::plumbing::image::blobs::BlobCache;
use crate::plumbing::image::changes::{Change, compare};
use crate::plumbing::image::config_change;
use crate::plumbing::image::listing::Listing;
use crate::plumbing::image::outgoing::{Outgoing, outgoing};
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::Progress;
use crate::plumbing::spec::{DomainInfo, DomainSpec, ImageInfo, random_hex};

/// What `domain commit` records in the new image.
#[derive(Debug, Clone, Default)]
pub struct CommitOptions {
    /// The history entry's comment (`--message`).
    pub message: Option<String>,
    /// The image's author (`--author`).
    pub author: Option<String>,
    /// Dockerfile instructions for the new image's settings (`--change`).
    pub changes: Vec<String>,
}

/// What `domain commit` made.
#[derive(Debug, Clone, Serialize)]
pub struct Committed {
    /// The domain's name.
    pub domain: String,
    /// The new image.
    pub image: ImageInfo,
    /// The image it was made from (id).
    pub base: String,
    /// How many paths the new layer changes.
    pub changes: usize,
    /// The new layer's size, bytes (uncompressed).
    pub layer_bytes: u64,
}

/// A private directory, removed with what it holds when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const WHAT: &str = "the domain's root filesystem";

/// The image a domain was made from, as the blob cache holds it.
struct Base {
    /// Its id.
    id: String,
    /// Its manifest and config there.
    held: Outgoing,
    /// Its tree.
    listing: Listing,
}

/// The layer a commit wrote into the blob cache, over `base`.
struct NewLayer {
    digest: Digest,
    bytes: u64,
    base: Base,
}

impl Domains<'_> {
    /// A link for a copy of a domain's root filesystem: a running
    /// domain's own tether, or, for a stopped one where the platform can,
    /// a reader that boots its root disk read-only.
    async fn rootfs_link(
        &self,
        domain: &str,
        what: &str,
        progress: &dyn Progress,
    ) -> Result<RootLink> {
        self.root_link(domain, false, (kind::COPY_OUT_ROOTFS, what), None, progress)
            .await
    }

    /// The image a running domain was made from, as the blob cache holds
    /// it (hold the cache's lock while it is used).
    async fn base_of(&self, info: &DomainInfo, cache: &BlobCache) -> Result<Base> {
        if info.image.is_empty() {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                    "domain {:?} has no image: its root is a host directory (an engine's bundle), which its engine owns",
                    info.name
                ),
            )
            .with_hint("compare or archive that directory on the host instead"));
        }
        let id = match &info.image_id {
            Some(id) => id.clone(),
            None => self.platform.inspect_image(&info.image).await?.id,
        };
        let digest = Digest::parse(&id)?;
        let shown = format!("{} of domain {:?}", info.image, info.name);
        tokio::task::block_in_place(|| {
            let held = outgoing(
                &shown,
                &digest,
                cache.image_record(&digest),
                cache,
                "compared with the domain",
            )?;
            let listing = Listing::of_image(cache, &shown, &held)?;
            Ok(Base { id, held, listing })
        })
    }

    /// Archive a domain's root filesystem (without what is mounted in
    /// it) to `dst` as a tar stream.
    pub async fn export(
        &self,
        domain: &str,
        dst: Box<dyn Write + Send>,
        progress: &dyn Progress,
    ) -> Result<Copied> {
        let link = self
            .rootfs_link(domain, "exporting its root", progress)
            .await?;
        let client = link.client.clone();
        let bytes = blocking(move || -> Result<u64> {
            let session = client
                .copy_out_rootfs(root_request())
                .map_err(Error::from)?;
            let mut r = Counting::new(CopyReader::new(&session));
            let mut w = BufWriter::new(dst);
            let writing = |e: io::Error| Error::io("writing the archive", e);
            io::copy(&mut r, &mut w).map_err(|e| stream_error(e, writing))?;
            w.flush().map_err(writing)?;
            Ok(r.bytes)
        })
        .await??;
        Ok(Copied {
            domain: link.info.name.clone(),
            bytes,
        })
    }

    /// What a domain changed in its root filesystem since it was made
    /// from its image, sorted by path.
    pub async fn changes(
        &self,
        domain: &str,
        cache_dir: &Path,
        progress: &dyn Progress,
    ) -> Result<Vec<Change>> {
        let link = self
            .rootfs_link(domain, "comparing its root", progress)
            .await?;
        let cache = BlobCache::in_cache_dir(cache_dir);
        let lock = tokio::task::block_in_place(|| cache.lock_shared())?;
        let base = self.base_of(&link.info, &cache).await?;
        drop(lock);
        let client = link.client.clone();
        blocking(move || read_changes(&client, &base.listing, None)).await?
    }

    /// Make a new image, `reference`, of a domain's image and one
    /// layer more that holds what the domain changed in its root
    /// filesystem; the image's settings are its base image's with what the
    /// domain's command ran with (see [`config_change::from_domain`]).
    pub async fn commit_image(
        &self,
        domain: &str,
        reference: ImageRef,
        options: CommitOptions,
        cache_dir: &Path,
        progress: &dyn Progress,
    ) -> Result<Committed> {
        // A bad --change fails before the root is read.
        let mut probe = serde_json::json!({});
        for change in &options.changes {
            config_change::apply(&mut probe, change)?;
        }
        let link = self
            .rootfs_link(domain, "committing its root", progress)
            .await?;
        let (info, client) = (link.info.clone(), link.client.clone());
        // What its command ran with goes into the new image's config.
        let spec = self.platform.current(&info.id.0).await?.spec;
        let cache = BlobCache::in_cache_dir(cache_dir);
        // Held until the new image is in: no collection takes the base's
        // blobs, the new layer or the scratch directory meanwhile.
        let _lock = tokio::task::block_in_place(|| cache.lock_shared())?;
        let base = self.base_of(&info, &cache).await?;
        let scratch = Scratch(cache.scratch_dir(&format!("commit.{}", random_hex(6)))?);
        progress.phase("reading the domain's root filesystem", None);
        // The layer goes into the cache as it is written (its digest, its
        // diff id: it is not compressed).
        let writer = cache.writer_for_unknown()?;
        let (changes, layer) = blocking(move || -> Result<(Vec<Change>, NewLayer)> {
            let mut w = BufWriter::new(writer);
            let changes = read_changes(&client, &base.listing, Some(&mut w))?;
            let writer = w
                .into_inner()
                .map_err(|e| Error::io("writing the layer", e.into_error()))?;
            let bytes = writer.written();
            let digest = writer.finish()?;
            Ok((
                changes,
                NewLayer {
                    digest,
                    bytes,
                    base,
                },
            ))
        })
        .await??;
        let layout = scratch.0.join("layout");
        tokio::task::block_in_place(|| {
            write_layout(
                &layout,
                &layer,
                &cache,
                (&info, spec.as_ref()),
                &reference,
                &options,
            )
        })?;
        let image = self
            .platform
            .import_image(&layout, Some(reference), None, progress)
            .await?;
        Ok(Committed {
            domain: info.name,
            image,
            base: layer.base.id,
            changes: changes.len(),
            layer_bytes: layer.bytes,
        })
    }
}

/// CopyOutRootfs of the whole root, its entries named `./…`.
fn root_request() -> CopyOutRequest {
    CopyOutRequest {
        path: "/".into(),
        name: ".".into(),
        window: DEFAULT_WINDOW,
    }
}

/// Compare the guest's root with `base`, writing the layer to `layer`.
fn read_changes(
    client: &Client,
    base: &Listing,
    layer: Option<&mut dyn Write>,
) -> Result<Vec<Change>> {
    let session = client
        .copy_out_rootfs(root_request())
        .map_err(Error::from)?;
    let mut r = CopyReader::new(&session);
    let reading = |e: io::Error| stream_error(e, |e| Error::io(format!("reading {WHAT}"), e));
    let changes = compare(base, &mut r, layer, &reading)?;
    // What follows the archive's end, and the session's own end (a
    // failure the tether reports there).
    io::copy(&mut r, &mut io::sink()).map_err(reading)?;
    Ok(changes)
}

/// The OCI layout of the new image in `dir`: the base image's blobs and
/// the new layer (linked from the cache), a config (the base's, with what
/// the domain's command ran with, then the `--change`s) and a manifest.
fn write_layout(
    dir: &Path,
    layer: &NewLayer,
    cache: &BlobCache,
    (info, spec): (&DomainInfo, Option<&DomainSpec>),
    reference: &ImageRef,
    options: &CommitOptions,
) -> Result<()> {
    let held = &layer.base.held;
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).io_context(|| format!("creating {}", blobs.display()))?;
    let link = |digest: &Digest| -> Result<()> {
        let (from, to) = (cache.path(digest), blobs.join(digest.hex()));
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).io_context(|| format!("copying {}", from.display()))?;
        }
        Ok(())
    };
    let write = |digest: &Digest, bytes: &[u8]| -> Result<()> {
        let to = blobs.join(digest.hex());
        std::fs::write(&to, bytes).io_context(|| format!("writing {}", to.display()))
    };
    for l in held.manifest.layers() {
        link(&crate::plumbing::image::manifest::descriptor_digest(l)?)?;
    }
    let (layer_digest, layer_bytes) = (&layer.digest, layer.bytes);
    link(layer_digest)?;

    let now = crate::plumbing::spec::now();
    let mut config: serde_json::Value = serde_json::from_slice(&cache.read(&held.config)?)
        .map_err(|e| {
            Error::other(format!(
                "the config of image {} is damaged: {e}",
                info.image
            ))
        })?;
    let layers_before = held.manifest.layers().len();
    let obj = config.as_object_mut().ok_or_else(|| {
        Error::other(format!(
            "the config of image {} is not an object",
            info.image
        ))
    })?;
    let base_created = obj.get("created").cloned();
    obj.insert("created".into(), now.clone().into());
    if let Some(author) = &options.author {
        obj.insert("author".into(), author.clone().into());
    }
    let rootfs = obj
        .entry("rootfs")
        .or_insert_with(|| serde_json::json!({"type": "layers", "diff_ids": []}));
    match rootfs.get_mut("diff_ids").and_then(|d| d.as_array_mut()) {
        Some(ids) => ids.push(layer_digest.to_string().into()),
        None => {
            return Err(Error::other(format!(
                "the config of image {} lists no layers (rootfs.diff_ids)",
                info.image
            )));
        }
    }
    // History: one entry per layer when the base had none, as tools expect.
    let history = obj
        .entry("history")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if let Some(h) = history.as_array_mut() {
        if h.is_empty() {
            for _ in 0..layers_before {
                let mut e = serde_json::Map::new();
                if let Some(c) = &base_created {
                    e.insert("created".into(), c.clone());
                }
                h.push(e.into());
            }
        }
        let mut entry = serde_json::json!({
            "created": now,
            "created_by": format!("vicport domain commit {}", info.name),
        });
        if let Some(m) = &options.message {
            entry["comment"] = m.clone().into();
        }
        if let Some(a) = &options.author {
            entry["author"] = a.clone().into();
        }
        h.push(entry);
    }
    if let Some(spec) = spec {
        config_change::from_domain(&mut config, spec);
    }
    for change in &options.changes {
        config_change::apply(&mut config, change)?;
    }
    let config_bytes = serde_json::to_vec(&config).expect("JSON");
    let config_digest = Digest::of(&config_bytes);
    write(&config_digest, &config_bytes)?;

    let mut manifest = serde_json::to_value(&held.manifest).expect("JSON");
    manifest["config"] = serde_json::json!({
        "mediaType": "application/vnd.oci.image.config.v1+json",
        "digest": config_digest.to_string(),
        "size": config_bytes.len(),
    });
    manifest["layers"]
        .as_array_mut()
        .expect("a manifest's layers")
        .push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": layer_digest.to_string(),
            "size": layer_bytes,
        }));
    if let Some(m) = manifest.as_object_mut() {
        m.remove("annotations");
    }
    let manifest_bytes = serde_json::to_vec(&manifest).expect("JSON");
    let manifest_digest = Digest::of(&manifest_bytes);
    write(&manifest_digest, &manifest_bytes)?;

    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest.to_string(),
            "size": manifest_bytes.len(),
            "annotations": {"org.opencontainers.image.ref.name": reference.to_string()},
        }],
    });
    let files: [(&str, Vec<u8>); 2] = [
        ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec()),
        ("index.json", serde_json::to_vec(&index).expect("JSON")),
    ];
    for (name, bytes) in files {
        let to = dir.join(name);
        std::fs::write(&to, bytes).io_context(|| format!("writing {}", to.display()))?;
    }
    Ok(())
}
