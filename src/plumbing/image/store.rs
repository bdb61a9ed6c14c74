//! The image store itself: imports staged in private temporary directories
//! and published by rename, the `name:tag -> id` index rewritten atomically
//! under a lock, and the look-ups, listing and removal the platforms use.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rustix::fs::{FlockOperation, flock};
use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::Lock;
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::Progress;
use crate::plumbing::spec::{self, ImageConfig, ImageInfo};

use super::blobs::{BlobCache, BlobWriter, ManifestRecord};
use super::digest::{Digest, HashingReader};
use super::manifest;
use super::source::{self, Format, Plan};
use super::unpack::Tree;
use super::{Control, ProgressReader, ext4, id_prefix, not_found, one_by_prefix};

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Images on this host, in a directory (e.g. `<state>/images/`).
#[derive(Debug, Clone)]
pub struct ImageStore {
    root: PathBuf,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The reference to record; `None` uses the ones the archive records
    /// (OCI `org.opencontainers.image.ref.name`, docker `RepoTags`), if any.
    pub reference: Option<ImageRef>,
    /// Which image of an archive that holds several, by its place (from 0);
    /// `None`: the one `reference` names, or the only one.
    pub index: Option<usize>,
    /// A root disk bigger than the content needs (bytes); a smaller one is
    /// refused. Ignored when the image is already stored.
    pub disk_size: Option<u64>,
    /// Set it to stop the import; it then fails with `Interrupted` and
    /// leaves nothing behind.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The blob cache to keep the layers, config and manifest in as they
    /// are verified (so `push` can send the image); none when unset.
    pub blob_cache: Option<BlobCache>,
}

/// A stored image, resolved for a platform to use.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredImage {
    /// `sha256:<hex>`.
    pub id: String,
    /// `images/<hex>`.
    pub dir: PathBuf,
    /// The raw ext4 root disk (label [`super::ROOT_LABEL`]).
    pub disk: PathBuf,
    pub config: ImageConfig,
    pub info: ImageInfo,
}

/// What `remove` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// References removed.
    pub untagged: Vec<String>,
    /// The image deleted, if it was (not when only one of its tags went).
    pub deleted: Option<String>,
}

/// `image.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ImageRecord {
    id: String,
    format: String,
    /// Uncompressed layer digests (diff_ids), bottom first.
    layers: Vec<String>,
    /// Bytes of file content.
    size_bytes: u64,
    /// Size of disk.ext4.
    disk_size_bytes: u64,
    /// The image's creation time (its config's, else the import's).
    created: String,
    imported: String,
}

/// `refs.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct RefIndex {
    refs: BTreeMap<String, String>,
}

/// One import's private staging directory; removed on drop, and by a later
/// import if this process dies (its flock is then free).
struct Staging {
    path: PathBuf,
    _lock: File,
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl ImageStore {
    /// A store rooted at `root` (created on first import).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ImageStore { root: root.into() }
    }

    /// The directory the store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn images_dir(&self) -> PathBuf {
        self.root.join("images")
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    fn refs_path(&self) -> PathBuf {
        self.root.join("refs.json")
    }

    /// The store-wide lock, held while it lives.
    fn lock(&self) -> Result<Lock> {
        for dir in [self.root.clone(), self.images_dir(), self.tmp_dir()] {
            std::fs::create_dir_all(&dir).io_context(|| format!("creating {}", dir.display()))?;
        }
        // The store's directories as made above, not made private.
        Lock::exclusive_in_place(&self.root.join("lock"))
    }

    /// Remove staging directories whose importer died. Call with the lock.
    fn clean_leftovers(&self, _lock: &Lock) {
        let Ok(entries) = std::fs::read_dir(self.tmp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(dir) = File::open(&path) else { continue };
            if flock(&dir, FlockOperation::NonBlockingLockExclusive).is_ok() {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }

    fn staging(&self) -> Result<Staging> {
        let lock = self.lock()?;
        self.clean_leftovers(&lock);
        let path = self.tmp_dir().join(spec::random_hex(8));
        // 0700: while staged, an image's setuid files must not be reachable
        // by other users of this host.
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .io_context(|| format!("creating {}", path.display()))?;
        let file = File::open(&path).io_context(|| format!("opening {}", path.display()))?;
        flock(&file, FlockOperation::NonBlockingLockExclusive)
            .map_err(|e| Error::io(format!("locking {}", path.display()), e.into()))?;
        Ok(Staging { path, _lock: file })
    }

    fn read_refs(&self) -> Result<RefIndex> {
        let path = self.refs_path();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::other(format!("{} is damaged: {e}", path.display()))
                    .with_hint("restore it, or remove it and tag the images again")
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(RefIndex::default()),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Rewrite refs.json atomically. Call with the lock.
    fn write_refs(&self, refs: &RefIndex, _lock: &Lock) -> Result<()> {
        let path = self.refs_path();
        let tmp = self.root.join(format!("refs.json.{}", spec::random_hex(4)));
        let write = || -> io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(refs).map_err(io::Error::other)?)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            File::open(&self.root)?.sync_all()
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(format!("writing {}", path.display()), e)
        })
    }

    /// Import an OCI layout, docker-save archive or rootfs tar, recording
    /// `reference` (or the archive's own references) for it.
    pub fn import(
        &self,
        source: &Path,
        reference: Option<ImageRef>,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        self.import_with(
            source,
            &ImportOptions {
                reference,
                ..ImportOptions::default()
            },
            progress,
        )
    }

    /// Import with every option.
    pub fn import_with(
        &self,
        source: &Path,
        options: &ImportOptions,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        self.import_naming(source, options, progress)
            .map(|(info, _)| info)
    }

    /// [`import_with`](Self::import_with), also returning the references
    /// this import recorded (the given one, or the archive's own), for a
    /// platform that keeps its own index of references.
    pub fn import_naming(
        &self,
        source: &Path,
        options: &ImportOptions,
        progress: &dyn Progress,
    ) -> Result<(ImageInfo, Vec<ImageRef>)> {
        let ctl = Control {
            progress,
            cancel: options.cancel.as_deref(),
        };
        // Blobs this import keeps are recorded only at its end: hold the
        // cache against a collection until then.
        let _cache_lock = match &options.blob_cache {
            Some(cache) => {
                cache.register_store(&self.root)?;
                Some(cache.lock_shared()?)
            }
            None => None,
        };
        let staging = self.staging()?;
        let what = format!("importing {}", source.display());
        let plan = source::plan(
            source,
            &staging.path,
            options.reference.as_ref(),
            options.index,
            &ctl,
        )
        .map_err(|e| e.context(&what))?;
        let names: Vec<ImageRef> = match &options.reference {
            Some(r) => vec![r.clone()],
            None => plan.names.clone(),
        };
        let final_dir = self.images_dir().join(plan.id.hex());
        // Reuse a stored image; checked under the lock so that a concurrent
        // remove cannot leave the new reference pointing at nothing.
        let reused = {
            let lock = self.lock()?;
            let stored = final_dir.join("image.json").is_file();
            if stored {
                self.add_refs(&plan.id, &names, &lock)?;
            }
            stored
        };
        if reused
            && let Some(cache) = &options.blob_cache
            && !holds_image(cache, &plan.id)
        {
            // Stored before imports kept their blobs (or with another
            // cache): keep them now, so that `push` can send the image.
            keep_blobs(&plan, cache, &ctl).map_err(|e| e.context(&what))?;
        }
        if !reused {
            let built = self
                .build(&plan, &staging, options, &ctl)
                .map_err(|e| e.context(&what))?;
            let lock = self.lock()?;
            if !final_dir.exists() {
                std::fs::rename(&built, &final_dir)
                    .io_context(|| format!("publishing {}", final_dir.display()))?;
                let _ = File::open(self.images_dir()).and_then(|d| d.sync_all());
            }
            self.add_refs(&plan.id, &names, &lock)?;
        }
        drop(staging);
        if let Some(cache) = &options.blob_cache {
            // So that a collection that cannot see this store keeps it.
            cache.note_image(&self.root, &plan.id)?;
        }
        Ok((self.info(plan.id.hex())?, names))
    }

    fn add_refs(&self, id: &Digest, names: &[ImageRef], lock: &Lock) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut refs = self.read_refs()?;
        for name in names {
            refs.refs.insert(name.to_string(), id.to_string());
        }
        self.write_refs(&refs, lock)
    }

    /// Apply the layers and build the image directory inside the staging
    /// area; returns its path.
    fn build(
        &self,
        plan: &Plan,
        staging: &Staging,
        options: &ImportOptions,
        ctl: &Control,
    ) -> Result<PathBuf> {
        let disk_size = options.disk_size;
        let cache = options.blob_cache.as_ref();
        let mut tree = Tree::create(&staging.path.join("rootfs"))?;
        let mut held = Vec::new();
        for layer in &plan.layers {
            ctl.check()?;
            held.push(apply_layer(Some(&mut tree), plan, layer, cache, ctl)?);
        }
        tree.finish()?;
        if let Some(cache) = cache {
            keep_documents(cache, plan, held)?;
        }
        let out = staging.path.join("image");
        std::fs::create_dir(&out).io_context(|| format!("creating {}", out.display()))?;
        let disk = out.join("disk.ext4");
        let built = ext4::build(&tree, &staging.path, &disk, disk_size, ctl)?;
        drop(tree);
        let rootfs = staging.path.join("rootfs");
        let _ = std::fs::remove_dir_all(&rootfs);

        let now = spec::now();
        let record = ImageRecord {
            id: plan.id.to_string(),
            format: plan.format.as_str().to_string(),
            layers: plan.layers.iter().map(|l| l.diff_id.to_string()).collect(),
            size_bytes: built.measure.content_bytes,
            disk_size_bytes: built.disk_size,
            created: plan.created.clone().unwrap_or_else(|| now.clone()),
            imported: now,
        };
        write_json(&out.join("config.json"), &plan.config)?;
        write_json(&out.join("image.json"), &record)?;
        File::open(&disk)
            .and_then(|f| f.sync_all())
            .io_context(|| format!("syncing {}", disk.display()))?;
        Ok(out)
    }

    /// All stored images, newest import first. `used_by` is left empty: the
    /// platform knows its domains.
    pub fn list(&self) -> Result<Vec<ImageInfo>> {
        let refs = self.read_refs()?;
        let mut out = Vec::new();
        for hex in self.image_ids()? {
            match self.load(&hex, &refs) {
                Ok((info, record)) => out.push((record.imported, info)),
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        Ok(out.into_iter().map(|(_, info)| info).collect())
    }

    /// One image, by `name[:tag]`, `sha256:<hex>` or a unique id prefix.
    pub fn inspect(&self, image: &str) -> Result<ImageInfo> {
        let hex = self.lookup(image)?;
        self.info(&hex)
    }

    /// The disk and config of an image, by reference or id. Unknown images
    /// are `NotFound`.
    pub fn resolve(&self, image: &str) -> Result<StoredImage> {
        let hex = self.lookup(image)?;
        let info = self.info(&hex)?;
        let dir = self.images_dir().join(&hex);
        Ok(StoredImage {
            id: info.id.clone(),
            disk: dir.join("disk.ext4"),
            dir,
            config: info.config.clone(),
            info,
        })
    }

    /// Point `reference` at an image.
    pub fn tag(&self, image: &str, reference: &ImageRef) -> Result<ImageInfo> {
        let lock = self.lock()?;
        let hex = self.lookup(image)?;
        let id = Digest::from_hex(&hex).expect("stored ids are digests");
        self.add_refs(&id, std::slice::from_ref(reference), &lock)?;
        drop(lock);
        self.info(&hex)
    }

    /// Remove a reference, or an image. By reference, when the image has
    /// other references, only that one goes. Otherwise the image goes with
    /// all its references, unless `in_use(id)` names domains that use it:
    /// then nothing changes and the error (`Conflict`) lists them.
    /// `in_use` runs under the store's lock: it must not import or remove.
    pub fn remove(&self, image: &str, in_use: &dyn Fn(&str) -> Vec<String>) -> Result<Removed> {
        let lock = self.lock()?;
        let hex = self.lookup(image)?;
        let id = format!("sha256:{hex}");
        let mut refs = self.read_refs()?;
        let by_ref = ImageRef::parse(image)
            .ok()
            .map(|r| r.to_string())
            .filter(|r| refs.refs.get(r) == Some(&id));
        let tags: Vec<String> = refs
            .refs
            .iter()
            .filter(|(_, v)| **v == id)
            .map(|(k, _)| k.clone())
            .collect();
        if let Some(r) = by_ref
            && tags.len() > 1
        {
            refs.refs.remove(&r);
            self.write_refs(&refs, &lock)?;
            return Ok(Removed {
                untagged: vec![r],
                deleted: None,
            });
        }
        let users = in_use(&id);
        if !users.is_empty() {
            return Err(super::in_use(image, &users));
        }
        for t in &tags {
            refs.refs.remove(t);
        }
        self.write_refs(&refs, &lock)?;
        let dir = self.images_dir().join(&hex);
        let doomed = self
            .tmp_dir()
            .join(format!("removing-{}", spec::random_hex(8)));
        std::fs::rename(&dir, &doomed).io_context(|| format!("removing {}", dir.display()))?;
        std::fs::remove_dir_all(&doomed).io_context(|| format!("removing {}", doomed.display()))?;
        Ok(Removed {
            untagged: tags,
            deleted: Some(id),
        })
    }

    /// The hex ids of the stored images.
    pub(crate) fn image_ids(&self) -> Result<Vec<String>> {
        Ok(crate::plumbing::file::entry_names(&self.images_dir())?
            .into_iter()
            .filter(|name| Digest::from_hex(name).is_some())
            .collect())
    }

    /// The hex id `image` names: a reference first, then an id or prefix.
    fn lookup(&self, image: &str) -> Result<String> {
        let refs = self.read_refs()?;
        if let Ok(r) = ImageRef::parse(image)
            && let Some(id) = refs.refs.get(&r.to_string())
            && let Some(hex) = id.strip_prefix("sha256:")
            && self.images_dir().join(hex).is_dir()
        {
            return Ok(hex.to_string());
        }
        let prefix = id_prefix(image).ok_or_else(|| not_found(image))?;
        one_by_prefix(image, prefix, self.image_ids()?)
    }

    fn info(&self, hex: &str) -> Result<ImageInfo> {
        let refs = self.read_refs()?;
        self.load(hex, &refs).map(|(info, _)| info)
    }

    fn load(&self, hex: &str, refs: &RefIndex) -> Result<(ImageInfo, ImageRecord)> {
        let dir = self.images_dir().join(hex);
        let record: ImageRecord = read_json(&dir.join("image.json"), hex)?;
        let config: ImageConfig = read_json(&dir.join("config.json"), hex)?;
        let tags = refs
            .refs
            .iter()
            .filter(|(_, v)| *v == &record.id)
            .map(|(k, _)| k.clone())
            .collect();
        let info = ImageInfo {
            id: record.id.clone(),
            tags,
            size_bytes: record.size_bytes,
            created: record.created.clone(),
            config,
            layers: record.layers.clone(),
            used_by: Vec::new(),
        };
        Ok((info, record))
    }
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| Error::other(e.to_string()))?;
    std::fs::write(path, bytes).io_context(|| format!("writing {}", path.display()))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, image: &str) -> Result<T> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Error::other(format!("{} is damaged: {e}", path.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(not_found(image)),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

/// A layer's decompressor, chosen by magic, that gives its input back.
pub(super) enum Decoder<R: BufRead> {
    Plain(R),
    Gzip(flate2::bufread::MultiGzDecoder<R>),
    Zstd(Box<ruzstd::decoding::StreamingDecoder<R, ruzstd::decoding::FrameDecoder>>),
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(r) => r.read(buf),
            Decoder::Gzip(r) => r.read(buf),
            Decoder::Zstd(r) => r.read(buf),
        }
    }
}

impl<R: BufRead> Decoder<R> {
    /// The decompressor for the layer `r` starts (gzip, zstd, or none).
    pub(super) fn new(mut r: R) -> io::Result<Self> {
        let head = r.fill_buf()?;
        Ok(if head.starts_with(GZIP_MAGIC) {
            Decoder::Gzip(flate2::bufread::MultiGzDecoder::new(r))
        } else if head.starts_with(ZSTD_MAGIC) {
            let decoder = ruzstd::decoding::StreamingDecoder::new(r)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            Decoder::Zstd(Box::new(decoder))
        } else {
            Decoder::Plain(r)
        })
    }

    fn into_inner(self) -> R {
        match self {
            Decoder::Plain(r) => r,
            Decoder::Gzip(r) => r.into_inner(),
            Decoder::Zstd(r) => r.into_inner(),
        }
    }
}

/// Whether the cache holds the manifest recorded for the image `id`.
fn holds_image(cache: &BlobCache, id: &Digest) -> bool {
    cache
        .image_record(id)
        .and_then(|record| Digest::parse(&record.manifest).ok())
        .is_some_and(|manifest| cache.has(&manifest))
}

/// Keep an already stored image's blobs in the cache: every layer read
/// and verified again (not applied), then its documents.
fn keep_blobs(plan: &Plan, cache: &BlobCache, ctl: &Control) -> Result<()> {
    let mut held = Vec::new();
    for layer in &plan.layers {
        ctl.check()?;
        held.push(apply_layer(None, plan, layer, Some(cache), ctl)?);
    }
    keep_documents(cache, plan, held)
}

/// Keep an image's config and manifest in the blob cache, with the record
/// `push` looks up by image id. An OCI layout's manifest is its own; a
/// docker-save archive or rootfs tar gets an OCI manifest made of its
/// config and the layer blobs as stored (`held`), only when every one of
/// them is in the cache.
fn keep_documents(
    cache: &BlobCache,
    plan: &Plan,
    held: Vec<Option<oci_spec::image::Descriptor>>,
) -> Result<()> {
    let config = &plan.config_blob;
    let config_digest = Digest::of(config);
    cache.put(&config_digest, config)?;
    let (digest, bytes) = match &plan.manifest_blob {
        Some((digest, bytes)) => (digest.clone(), bytes.clone()),
        None => {
            let Some(layers) = held.into_iter().collect::<Option<Vec<_>>>() else {
                return Ok(());
            };
            let bytes = manifest::made_manifest(&config_digest, config.len() as u64, layers);
            (Digest::of(&bytes), bytes)
        }
    };
    cache.put(&digest, &bytes)?;
    let record = ManifestRecord {
        manifest: digest.to_string(),
        source: None,
    };
    cache.record_image(&plan.id, &record)
}

/// A reader that also writes what it reads into the blob cache; a cache
/// that fails to take it is dropped, never failing the import.
struct Keep<R> {
    inner: R,
    writer: Option<BlobWriter>,
}

impl<R: Read> Read for Keep<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(writer) = &mut self.writer
            && writer.write(&buf[..n]).is_err()
        {
            self.writer = None;
        }
        Ok(n)
    }
}

/// Apply one layer to `tree` (or, without one, only read it), verifying
/// the stored blob and the uncompressed tar against their digests on the
/// way, and keeping the blob in `cache`: its descriptor when the cache
/// holds it afterwards.
fn apply_layer(
    tree: Option<&mut Tree>,
    plan: &Plan,
    layer: &source::Layer,
    cache: Option<&BlobCache>,
    ctl: &Control,
) -> Result<Option<oci_spec::image::Descriptor>> {
    let what = &layer.what;
    let (raw, size) = plan
        .bundle
        .open(&layer.member)
        .map_err(|e| e.context(what))?;
    ctl.progress.phase(what, Some(size));
    let held_before = match (cache, &layer.blob) {
        (Some(cache), Some((digest, _))) => cache.has(digest),
        _ => false,
    };
    let writer = match (cache, &layer.blob) {
        _ if held_before => None,
        (Some(cache), Some((digest, Some(size)))) => cache.writer(digest, *size).ok(),
        (Some(cache), _) => cache.writer_for_unknown().ok(),
        (None, _) => None,
    };
    let raw = Keep { inner: raw, writer };
    let blob = HashingReader::new(ProgressReader::new(raw, ctl));
    let mut buffered = BufReader::with_capacity(256 * 1024, blob);
    let corrupt = |e: io::Error| {
        Error::invalid(format!("{what}: the data is corrupt or truncated: {e}"))
            .with_hint("the archive is damaged; export or download it again")
    };
    let media_type = manifest::layer_media_type(buffered.fill_buf().map_err(corrupt)?);
    let decoder = Decoder::new(buffered).map_err(corrupt)?;
    let mut plain = HashingReader::new(decoder);
    let terminated = match tree {
        Some(tree) => {
            tree.apply(&mut plain, plan.whiteouts, what, ctl)?
                .terminated
        }
        None => {
            super::copy_checked(&mut plain, &mut io::sink(), ctl).map_err(|e| e.context(what))?;
            true
        }
    };
    plain.drain().map_err(corrupt)?;
    let (diff_id, _, decoder) = plain.finish();
    let mut rest = decoder.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(corrupt)?;
    let (blob_digest, blob_size, counted) = rest.into_inner().finish();
    if let Some((digest, size)) = &layer.blob {
        source::verify(&blob_digest, blob_size, digest, *size, what)?;
    }
    let kept = counted.into_inner().writer;
    source::verify(
        &diff_id,
        0,
        &layer.diff_id,
        None,
        &format!("{what}, uncompressed"),
    )?;
    if plan.format == Format::RootfsTar && !terminated {
        return Err(Error::invalid(format!(
            "{what}: the tar is truncated (it has no end-of-archive marker)"
        ))
        .with_hint("the archive is damaged; create or download it again"));
    }
    // Verified above; the cache checks again before it publishes.
    let held = match kept {
        Some(kept) => kept.finish().is_ok(),
        None => held_before,
    };
    Ok(held.then(|| {
        oci_spec::image::Descriptor::new(media_type, blob_size, manifest::oci_digest(&blob_digest))
    }))
}
