//! Images on vSphere: the root disk the image store builds locally (ext4,
//! label `vicport-root`), put on the datastore once per image as a VMDK that
//! every domain's root disk is a child (delta) disk of.
//!
//! Datastore layout:
//! ```text
//! [ds] vicport-images/<hex>/disk-flat.vmdk  the ext4 file system, byte for byte
//! [ds] vicport-images/<hex>/disk.vmdk       its descriptor (createType "vmfs")
//! [ds] vicport-images/<hex>/image.json      the completion marker, written last
//! [ds] vicport-images/tags.json             name:tag -> image id
//! [ds] vicport-images/tags.lock/            held while tags.json is rewritten
//! ```
//! `<hex>` is the image id's digest, so an image already on the datastore
//! (from an earlier import, another machine, or another target sharing the
//! datastore) is found by content and never uploaded again. Every file is
//! written under a temporary name and moved into place, and the marker
//! comes last: an interrupted upload leaves no marker, so it never looks
//! complete, and the next import uploads again.
//!
//! Why a "vmfs" descriptor with a flat extent: it is the format ESXi itself
//! keeps a thick disk in on a datastore, it opens as a parent of delta
//! disks, and its extent is the raw disk: the ext4 image the local image
//! store builds is uploaded as it is, with no conversion and no hosted
//! format (monolithicSparse, streamOptimized) that ESXi would refuse to
//! open without an import step. The cost: the upload moves the whole disk,
//! zeros included (the image store sizes it to the content plus headroom).
//!
//! Tags are one small index rewritten under a lock: `tags.lock` is made
//! with MakeDirectory, which fails for everyone but one; the holder reads
//! `tags.json`, writes the new one (temporary name, then moved over the
//! old: readers never see half a file, and need no lock) and removes the
//! lock. A lock held for longer than [`LOCK_STALE`] is taken as left by a
//! killed process and removed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::image::{StoredImage, id_prefix, not_found, one_by_prefix};
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::Progress;
use crate::plumbing::spec::{self, ImageConfig, ImageInfo};

use super::datastore::{DatastorePath, Files};
use super::known::Known;
use super::xml::MoRef;

/// The datastore directory images live in.
pub const IMAGE_DIR: &str = "vicport-images";
/// The descriptor of an image's disk.
pub const DISK: &str = "disk.vmdk";
/// The extent of an image's disk.
pub const FLAT: &str = "disk-flat.vmdk";
/// The completion marker.
pub const MARKER: &str = "image.json";
/// The tag index.
pub const TAGS: &str = "tags.json";
/// The tag index's lock directory.
pub const TAGS_LOCK: &str = "tags.lock";
/// How long a tag lock may be held before it is taken as stale.
pub const LOCK_STALE: Duration = Duration::from_secs(30);

/// The marker format written now.
const MARKER_VERSION: u32 = 1;

/// `image.json`: what an image on the datastore is. Its presence means the
/// disk next to it is complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageMarker {
    /// The marker's format; its presence marks the image as vicport's.
    pub vicport: u32,
    /// `sha256:<hex>`.
    pub id: String,
    /// The references it was imported with (the tag index is what counts).
    pub tags: Vec<String>,
    pub config: ImageConfig,
    /// Layer digests, bottom first.
    pub layers: Vec<String>,
    /// Bytes of file content.
    pub size_bytes: u64,
    /// Bytes of the disk (its capacity).
    pub disk_size_bytes: u64,
    /// The image's creation time.
    pub created: String,
    /// When it reached the datastore.
    pub uploaded: String,
    /// The disk, `[ds] vicport-images/<hex>/disk.vmdk`.
    pub disk: String,
}

impl ImageMarker {
    /// The id's hex digits.
    pub fn hex(&self) -> &str {
        self.id.strip_prefix("sha256:").unwrap_or(&self.id)
    }

    /// What `image ls`/`inspect` show, with the tags from the index.
    pub fn info(&self, tags: &TagIndex, used_by: Vec<String>) -> ImageInfo {
        ImageInfo {
            id: self.id.clone(),
            tags: tags.tags_of(&self.id),
            size_bytes: self.size_bytes,
            created: self.created.clone(),
            config: self.config.clone(),
            layers: self.layers.clone(),
            used_by,
        }
    }
}

/// `tags.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagIndex {
    /// `name:tag` -> `sha256:<hex>`.
    pub refs: BTreeMap<String, String>,
}

impl TagIndex {
    /// The references pointing at `id`, sorted.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        self.refs
            .iter()
            .filter(|(_, v)| *v == id)
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// The images of one datastore.
#[derive(Debug, Clone, Copy)]
pub struct ImageStore<'a> {
    pub files: Files<'a>,
    pub datastore: &'a MoRef,
    pub datastore_name: &'a str,
}

impl<'a> ImageStore<'a> {
    fn dir(&self) -> DatastorePath {
        DatastorePath::new(self.datastore_name, IMAGE_DIR)
    }

    fn image_dir(&self, hex: &str) -> DatastorePath {
        self.dir().join(hex)
    }

    /// An image's marker; `None` when it is not (completely) there.
    pub async fn marker(&self, hex: &str) -> Result<Option<ImageMarker>> {
        let Some(data) = self
            .files
            .read_all(&self.image_dir(hex).join(MARKER))
            .await?
        else {
            return Ok(None);
        };
        Ok(serde_json::from_slice::<ImageMarker>(&data)
            .ok()
            .filter(|m| m.vicport >= 1 && m.hex() == hex))
    }

    /// The tag index (empty when there is none yet).
    pub async fn tags(&self) -> Result<TagIndex> {
        let path = self.dir().join(TAGS);
        match self.files.read_all(&path).await? {
            None => Ok(TagIndex::default()),
            Some(data) => serde_json::from_slice(&data).map_err(|e| {
                Error::other(format!("{path} is damaged: {e}"))
                    .with_hint("restore it, or remove it and tag the images again with `vicport image import --name`")
            }),
        }
    }

    /// The hex ids of the complete-looking image directories.
    async fn ids(&self) -> Result<Vec<String>> {
        let mut ids: Vec<String> = self
            .files
            .list(self.datastore, &self.dir())
            .await?
            .into_iter()
            .filter(|e| e.is_dir && is_hex_id(&e.name))
            .map(|e| e.name)
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Every complete image (those with a marker), with the tag index.
    pub async fn list(&self) -> Result<(Vec<ImageMarker>, TagIndex)> {
        let tags = self.tags().await?;
        let mut out = Vec::new();
        for hex in self.ids().await? {
            if let Some(m) = self.marker(&hex).await? {
                out.push(m);
            }
        }
        out.sort_by(|a, b| b.uploaded.cmp(&a.uploaded).then(a.id.cmp(&b.id)));
        Ok((out, tags))
    }

    /// One image by `name[:tag]`, `sha256:<hex>` or a unique id prefix,
    /// with the tag index.
    pub async fn resolve(&self, image: &str) -> Result<(ImageMarker, TagIndex)> {
        self.resolve_known(image, None).await
    }

    /// [`resolve`](Self::resolve), taking the marker of an image `known`
    /// to be on the datastore from there (the tag index is always read:
    /// tags move).
    pub async fn resolve_known(
        &self,
        image: &str,
        known: Option<&Known>,
    ) -> Result<(ImageMarker, TagIndex)> {
        let tags = self.tags().await?;
        let marker = |hex: String| async move {
            if let Some(m) = known.and_then(|k| k.image(&hex)) {
                return Ok(Some(m));
            }
            let m = self.marker(&hex).await?;
            if let (Some(k), Some(m)) = (known, &m) {
                k.remember_image(m);
            }
            Ok::<_, Error>(m)
        };
        if let Ok(r) = ImageRef::parse(image)
            && let Some(id) = tags.refs.get(&r.to_string())
            && let Some(hex) = id.strip_prefix("sha256:")
            && let Some(m) = marker(hex.to_string()).await?
        {
            return Ok((m, tags));
        }
        let prefix = id_prefix(image).ok_or_else(|| not_found(image))?;
        if prefix.len() == 64
            && let Some(m) = marker(prefix.to_string()).await?
        {
            return Ok((m, tags));
        }
        let one = one_by_prefix(image, prefix, self.ids().await?)?;
        match marker(one).await? {
            Some(m) => Ok((m, tags)),
            None => Err(not_found(image)),
        }
    }

    /// Put a locally built image on the datastore unless it is there
    /// already (then nothing is uploaded), and point `names` at it. The
    /// disk goes first, its descriptor next, the marker last.
    pub async fn publish(
        &self,
        stored: &StoredImage,
        names: &[ImageRef],
        progress: &dyn Progress,
    ) -> Result<(ImageMarker, TagIndex)> {
        let hex = stored
            .id
            .strip_prefix("sha256:")
            .unwrap_or(&stored.id)
            .to_string();
        let marker = match self.marker(&hex).await? {
            Some(m) => {
                tracing::debug!(target: "vicport::vsphere", image = %stored.id, "already on the datastore");
                m
            }
            None => self.upload(stored, &hex, names, progress).await?,
        };
        let wanted: Vec<String> = names.iter().map(ImageRef::to_string).collect();
        let tags = self.retag(&wanted, &marker.id, &[]).await?;
        Ok((marker, tags))
    }

    async fn upload(
        &self,
        stored: &StoredImage,
        hex: &str,
        names: &[ImageRef],
        progress: &dyn Progress,
    ) -> Result<ImageMarker> {
        let dir = self.image_dir(hex);
        let what = format!("uploading image {} to {dir}", stored.id);
        let disk_size = std::fs::metadata(&stored.disk)
            .map_err(|e| Error::io(format!("reading {}", stored.disk.display()), e))?
            .len();
        self.files.mkdir_p(&dir).await?;
        self.files
            .upload(&stored.disk, &dir.join(FLAT), progress)
            .await
            .map_err(|e| e.context(&what))?;
        // Ctrl-C between the steps stops before the marker: what is there
        // never looks complete, and the next import uploads again.
        check_cancel(progress)?;
        self.files
            .write(
                &dir.join(DISK),
                descriptor(FLAT, disk_size, hex).into_bytes(),
            )
            .await
            .map_err(|e| e.context(&what))?;
        let marker = ImageMarker {
            vicport: MARKER_VERSION,
            id: stored.id.clone(),
            tags: names.iter().map(ImageRef::to_string).collect(),
            config: stored.config.clone(),
            layers: stored.info.layers.clone(),
            size_bytes: stored.info.size_bytes,
            disk_size_bytes: disk_size,
            created: stored.info.created.clone(),
            uploaded: spec::now(),
            disk: dir.join(DISK).to_string(),
        };
        let json = serde_json::to_vec_pretty(&marker)
            .map_err(|e| Error::other(format!("encoding the image marker: {e}")))?;
        check_cancel(progress)?;
        self.files
            .write(&dir.join(MARKER), json)
            .await
            .map_err(|e| e.context(&what))?;
        Ok(marker)
    }

    /// Point `add` at `id` and remove `remove`, under the tag lock. Nothing
    /// is written when nothing changes. Returns the index as it is after.
    pub async fn retag(&self, add: &[String], id: &str, remove: &[String]) -> Result<TagIndex> {
        let current = self.tags().await?;
        let unchanged = add
            .iter()
            .all(|r| current.refs.get(r).map(String::as_str) == Some(id))
            && remove.iter().all(|r| !current.refs.contains_key(r));
        if unchanged {
            return Ok(current);
        }
        self.with_tag_lock(|mut tags| {
            for r in add {
                tags.refs.insert(r.clone(), id.to_string());
            }
            for r in remove {
                tags.refs.remove(r);
            }
            tags
        })
        .await
    }

    /// Read, change and write the tag index while holding its lock.
    async fn with_tag_lock(&self, change: impl FnOnce(TagIndex) -> TagIndex) -> Result<TagIndex> {
        self.files.mkdir_p(&self.dir()).await?;
        let lock = self.dir().join(TAGS_LOCK);
        let started = Instant::now();
        let mut pause = Duration::from_millis(50);
        let mut broke_stale = false;
        loop {
            match self.files.mkdir(&lock, false).await {
                Ok(()) => break,
                Err(e) if super::datastore::already_exists(&e) => {
                    if started.elapsed() >= LOCK_STALE && !broke_stale {
                        tracing::warn!(target: "vicport::vsphere", lock = %lock, "the image tag lock was held for {LOCK_STALE:?}: taking it as stale");
                        broke_stale = true;
                        match self.files.delete(&lock).await {
                            Ok(()) => {}
                            Err(e) if e.kind() == ErrorKind::NotFound => {}
                            Err(e) => return Err(e.context("removing a stale image tag lock")),
                        }
                        continue;
                    }
                    if started.elapsed() >= LOCK_STALE * 2 {
                        return Err(Error::conflict(format!(
                            "the image tag index is locked ({lock} exists)"
                        ))
                        .with_hint(format!(
                            "another vicport is changing tags; if none is, remove {lock} on the datastore"
                        )));
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(1));
                }
                Err(e) => return Err(e.context("locking the image tag index")),
            }
        }
        let result = async {
            let tags = change(self.tags().await?);
            let json = serde_json::to_vec_pretty(&tags)
                .map_err(|e| Error::other(format!("encoding the tag index: {e}")))?;
            self.files.write(&self.dir().join(TAGS), json).await?;
            Ok(tags)
        }
        .await;
        if let Err(e) = self.files.delete(&lock).await {
            tracing::warn!(target: "vicport::vsphere", lock = %lock, error = %e, "could not release the image tag lock");
        }
        result
    }

    /// Remove an image's files: the marker first, so that what is left of
    /// an interrupted removal never looks complete, then the directory.
    pub async fn delete(&self, marker: &ImageMarker) -> Result<()> {
        let dir = self.image_dir(marker.hex());
        match self.files.delete(&dir.join(MARKER)).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match self.files.delete(&dir).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// `Interrupted` once the user asked to stop.
fn check_cancel(progress: &dyn Progress) -> Result<()> {
    match progress.cancel_flag() {
        Some(flag) if flag.load(std::sync::atomic::Ordering::Relaxed) => {
            Err(Error::interrupted("image import"))
        }
        _ => Ok(()),
    }
}

fn is_hex_id(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The descriptor of a flat disk of `size` bytes whose extent is the file
/// `flat` next to it, as ESXi writes one for a thick disk on a datastore.
/// Its content id comes from the image's digest, so an upload that is
/// repeated writes the same descriptor.
pub fn descriptor(flat: &str, size: u64, hex: &str) -> String {
    let sectors = size / 512;
    let cylinders = (sectors / (255 * 63)).clamp(1, 65535);
    let cid = &hex[..8.min(hex.len())];
    let long_cid = &hex[..32.min(hex.len())];
    format!(
        "# Disk DescriptorFile\n\
         version=1\n\
         encoding=\"UTF-8\"\n\
         CID={cid}\n\
         parentCID=ffffffff\n\
         createType=\"vmfs\"\n\
         \n\
         # Extent description\n\
         RW {sectors} VMFS \"{flat}\"\n\
         \n\
         # The Disk Data Base\n\
         #DDB\n\
         \n\
         ddb.adapterType = \"lsilogic\"\n\
         ddb.geometry.cylinders = \"{cylinders}\"\n\
         ddb.geometry.heads = \"255\"\n\
         ddb.geometry.sectors = \"63\"\n\
         ddb.longContentID = \"{long_cid}\"\n\
         ddb.thinProvisioned = \"0\"\n\
         ddb.virtualHWVersion = \"13\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descriptor_names_its_extent_and_size() {
        let hex = "0123456789abcdef".repeat(4);
        let d = descriptor(FLAT, 64 << 20, &hex);
        assert!(d.starts_with("# Disk DescriptorFile\nversion=1\n"), "{d}");
        assert!(d.contains("CID=01234567\n"), "{d}");
        assert!(d.contains("createType=\"vmfs\"\n"), "{d}");
        assert!(d.contains("RW 131072 VMFS \"disk-flat.vmdk\"\n"), "{d}");
        assert!(d.contains("ddb.geometry.cylinders = \"8\"\n"), "{d}");
        assert!(
            d.contains("ddb.longContentID = \"0123456789abcdef0123456789abcdef\"\n"),
            "{d}"
        );
    }

    #[test]
    fn tags_of_an_id() {
        let mut t = TagIndex::default();
        t.refs.insert("b:latest".into(), "sha256:1".into());
        t.refs.insert("a:1".into(), "sha256:1".into());
        t.refs.insert("c:latest".into(), "sha256:2".into());
        assert_eq!(t.tags_of("sha256:1"), ["a:1", "b:latest"]);
        assert!(is_hex_id(&"a".repeat(64)) && !is_hex_id("tags.lock"));
    }
}
