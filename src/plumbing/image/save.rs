//! `image save`: stored images written out of the blob cache as one OCI
//! image layout — a tar (to a file or a pipe) or a directory — in the
//! shape `docker save` (25+) writes: the OCI index with docker's
//! `manifest.json` beside it, so OCI readers (`image import`, skopeo's
//! `oci-archive:`/`oci:`, podman) and docker-archive readers take it.
//!
//! Every blob is hashed as it is copied and must match its digest (a
//! damaged cache fails the save, naming the blob). A file or directory
//! appears by `rename` once complete; a failed or interrupted save leaves
//! nothing at the destination. On a pipe nothing can be taken back: the
//! reader sees the archive end early, and the command fails.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::create_private_dir;
use crate::plumbing::platform::{Platform, Progress};
use crate::plumbing::spec::random_hex;

use super::blobs::BlobCache;
use super::digest::HashingReader;
use super::outgoing::{Outgoing, outgoing};
use super::{Control, Digest, ProgressReader, manifest};

const LAYOUT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;
const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
const ANNOTATION_CONTAINERD_NAME: &str = "io.containerd.image.name";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Where the layout goes.
pub enum Destination<'a> {
    /// A tar file, replaced atomically when it exists.
    Tar(PathBuf),
    /// A directory, which must not exist or be empty.
    Dir(PathBuf),
    /// A tar on a stream (standard output).
    Stream(&'a mut (dyn Write + Send)),
}

/// What `image save` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    /// `oci-archive` (a tar) or `oci-dir`.
    pub format: &'static str,
    /// The file or directory written; none on standard output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The images, in the order asked.
    pub images: Vec<SavedImage>,
    /// Blobs written (each once, however many images share it).
    pub blobs: usize,
    /// Bytes of blobs written.
    pub bytes: u64,
}

impl std::fmt::Debug for Destination<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Tar(p) => f.debug_tuple("Tar").field(p).finish(),
            Destination::Dir(p) => f.debug_tuple("Dir").field(p).finish(),
            Destination::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// One image of a save.
#[derive(Debug, Clone, Serialize)]
pub struct SavedImage {
    /// The image's id in the store.
    pub id: String,
    /// Its config's digest: the id an import of the archive gives it (the
    /// store's id, except for an image imported from a rootfs tar, whose
    /// id is the tar's digest; vicport made its config).
    pub config: String,
    /// The manifest's digest in the layout.
    pub manifest: String,
    /// The references recorded for it (`index.json`'s annotations and
    /// `manifest.json`'s RepoTags).
    pub tags: Vec<String>,
}

/// One image to write: its references and what the cache holds of it.
struct Item {
    id: String,
    tags: Vec<String>,
    held: Outgoing,
    manifest: Vec<u8>,
    /// `manifest`'s digest.
    manifest_digest: Digest,
}

/// Save `images` (references or id prefixes) of `target` from the blob
/// cache under `cache_dir` to `destination`.
pub async fn save(
    target: &dyn Platform,
    images: &[String],
    cache_dir: &Path,
    destination: Destination<'_>,
    progress: &dyn Progress,
) -> Result<Saved> {
    let cache = BlobCache::in_cache_dir(cache_dir);
    // No collection while the blobs are read.
    let _lock = cache.lock_shared()?;
    let mut items: Vec<Item> = Vec::new();
    for image in images {
        let info = target.inspect_image(image).await?;
        let id = Digest::parse(&info.id)?;
        // Named by a tag: that tag (as `docker save busybox:1`); by an id:
        // every tag it has.
        let tags = if info.tags.iter().any(|t| t == image) {
            vec![image.clone()]
        } else if let Ok(r) = crate::plumbing::name::ImageRef::parse(image)
            && info.tags.contains(&r.to_string())
        {
            vec![r.to_string()]
        } else {
            info.tags.clone()
        };
        if let Some(same) = items.iter_mut().find(|i| i.id == info.id) {
            for tag in tags {
                if !same.tags.contains(&tag) {
                    same.tags.push(tag);
                }
            }
            continue;
        }
        let held = outgoing(image, &id, cache.image_record(&id), &cache, "saved")?;
        let manifest = serde_json::to_vec(&held.manifest).expect("JSON");
        items.push(Item {
            id: info.id,
            tags,
            held,
            manifest_digest: Digest::of(&manifest),
            manifest,
        });
    }
    let cancel = progress.cancel_flag();
    let ctl = Control {
        progress,
        cancel: cancel.as_deref(),
    };
    tokio::task::block_in_place(|| write(&items, &cache, destination, &ctl))
}

/// One file of the layout: bytes in memory, or a blob of the cache.
enum Content<'a> {
    Bytes(&'a [u8]),
    Blob { digest: Digest, size: u64 },
}

impl Content<'_> {
    fn size(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Blob { size, .. } => *size,
        }
    }
}

/// The layout's files, in the order a tar holds them.
fn layout<'a>(items: &'a [Item], index: &'a [u8], docker: &'a [u8]) -> Vec<(String, Content<'a>)> {
    let mut files = vec![
        ("oci-layout".to_string(), Content::Bytes(LAYOUT)),
        ("index.json".to_string(), Content::Bytes(index)),
        ("manifest.json".to_string(), Content::Bytes(docker)),
    ];
    let mut seen = BTreeSet::new();
    for item in items {
        if seen.insert(item.manifest_digest.clone()) {
            files.push((
                blob_path(&item.manifest_digest),
                Content::Bytes(&item.manifest),
            ));
        }
        let descriptors =
            std::iter::once(item.held.manifest.config()).chain(item.held.manifest.layers());
        for desc in descriptors {
            let digest = manifest::descriptor_digest(desc).expect("checked by outgoing");
            if seen.insert(digest.clone()) {
                files.push((
                    blob_path(&digest),
                    Content::Blob {
                        digest,
                        size: desc.size(),
                    },
                ));
            }
        }
    }
    files
}

fn blob_path(digest: &Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}

/// `index.json`: one descriptor per reference (as docker and skopeo write
/// them, so `oci-archive:FILE:NAME:TAG` picks one), one without a name for
/// an image that has none.
fn index_json(items: &[Item]) -> Vec<u8> {
    let mut manifests = Vec::new();
    for item in items {
        let descriptor = |tag: Option<&String>| {
            let mut d = serde_json::json!({
                "mediaType": OCI_MANIFEST,
                "digest": item.manifest_digest.to_string(),
                "size": item.manifest.len(),
            });
            if let Some(tag) = tag {
                d["annotations"] = serde_json::json!({
                    ANNOTATION_REF_NAME: tag,
                    ANNOTATION_CONTAINERD_NAME: tag,
                });
            }
            d
        };
        if item.tags.is_empty() {
            manifests.push(descriptor(None));
        }
        manifests.extend(item.tags.iter().map(|t| descriptor(Some(t))));
    }
    serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": manifests,
    }))
    .expect("JSON")
}

/// Docker's `manifest.json`: per image its config, tags and layers, by
/// their paths in the layout.
fn docker_json(items: &[Item]) -> Vec<u8> {
    let entries: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let path = |d: &oci_spec::image::Descriptor| {
                let digest = manifest::descriptor_digest(d).expect("checked by outgoing");
                blob_path(&digest)
            };
            serde_json::json!({
                "Config": path(item.held.manifest.config()),
                "RepoTags": item.tags,
                "Layers": item.held.manifest.layers().iter().map(path).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_vec(&entries).expect("JSON")
}

fn write(
    items: &[Item],
    cache: &BlobCache,
    destination: Destination<'_>,
    ctl: &Control,
) -> Result<Saved> {
    let index = index_json(items);
    let docker = docker_json(items);
    let files = layout(items, &index, &docker);
    let total: u64 = files.iter().map(|(_, c)| c.size()).sum();
    ctl.progress.phase("saving", Some(total));
    let (format, path) = match destination {
        Destination::Tar(path) => {
            let tmp = sibling(&path)?;
            let written = (|| {
                let file =
                    File::create(&tmp).io_context(|| format!("creating {}", tmp.display()))?;
                let mut out = io::BufWriter::with_capacity(1 << 20, file);
                write_tar(&files, cache, &mut out, ctl)?;
                let file = out
                    .into_inner()
                    .map_err(|e| Error::io(format!("writing {}", tmp.display()), e.into_error()))?;
                file.sync_all()
                    .io_context(|| format!("writing {}", tmp.display()))?;
                std::fs::rename(&tmp, &path)
                    .io_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            ("oci-archive", Some(path))
        }
        Destination::Dir(path) => {
            let empty = match std::fs::read_dir(&path) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => true,
                Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
            };
            if !empty {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("directory {} is not empty", path.display()),
                )
                .with_hint("name a new or empty directory, or remove this one first"));
            }
            let tmp = sibling(&path)?;
            let written = write_dir(&files, cache, &tmp, ctl).and_then(|()| {
                // An empty directory gives way to the finished one.
                let _ = std::fs::remove_dir(&path);
                std::fs::rename(&tmp, &path)
                    .io_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
            });
            if let Err(e) = written {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
            ("oci-dir", Some(path))
        }
        Destination::Stream(out) => {
            let mut out = io::BufWriter::with_capacity(1 << 20, out);
            write_tar(&files, cache, &mut out, ctl)?;
            out.flush()
                .map_err(|e| Error::other("writing the archive").caused_by(e))?;
            ("oci-archive", None)
        }
    };
    let blobs: Vec<&Content> = files
        .iter()
        .filter(|(n, _)| n.starts_with("blobs/"))
        .map(|(_, c)| c)
        .collect();
    let bytes = blobs.iter().map(|c| c.size()).sum();
    Ok(Saved {
        format,
        path: path.map(|p| p.display().to_string()),
        images: items
            .iter()
            .map(|item| SavedImage {
                id: item.id.clone(),
                config: item.held.config.to_string(),
                manifest: item.manifest_digest.to_string(),
                tags: item.tags.clone(),
            })
            .collect(),
        blobs: blobs.len(),
        bytes,
    })
}

/// A private name beside `path` for what becomes it.
fn sibling(path: &Path) -> Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        Error::invalid(format!("{} names no file", path.display()))
            .with_hint("give a file name, e.g. --file image.tar")
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(Error::not_found("directory", &parent.display().to_string())
            .with_hint("create it first, or name a file in a directory that exists"));
    }
    Ok(parent.join(format!(".{}.tmp-{}", name.to_string_lossy(), random_hex(8))))
}

/// Open a cache blob for copying, checked against its digest and size as
/// it is read (see [`finish_blob`]).
fn open_blob(
    cache: &BlobCache,
    digest: &Digest,
    size: u64,
) -> Result<HashingReader<io::Take<File>>> {
    let path = cache.path(digest);
    let file = File::open(&path).io_context(|| format!("opening blob {digest} in the cache"))?;
    let on_disk = file
        .metadata()
        .io_context(|| format!("reading blob {digest} in the cache"))?
        .len();
    if on_disk != size {
        return Err(damaged(
            digest,
            &format!("{on_disk} bytes where its manifest says {size}"),
        ));
    }
    Ok(HashingReader::new(file.take(size)))
}

fn finish_blob(reader: HashingReader<io::Take<File>>, digest: &Digest) -> Result<()> {
    let (got, _, _) = reader.finish();
    if &got != digest {
        return Err(damaged(digest, &format!("its bytes hash to {got}")));
    }
    Ok(())
}

fn damaged(digest: &Digest, how: &str) -> Error {
    Error::other(format!(
        "blob {digest} in the blob cache is damaged ({how}); nothing was saved"
    ))
    .with_hint("remove the image and pull or import it again (vicport image rm, then image pull or image import)")
}

fn write_tar(
    files: &[(String, Content)],
    cache: &BlobCache,
    out: &mut dyn Write,
    ctl: &Control,
) -> Result<()> {
    let mut tar = tar::Builder::new(out);
    let io_error = |e: io::Error| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // Not the quiet end of `vicport … | head`: whoever reads the
            // archive has an incomplete one.
            Error::other(
                "the archive's reader went away before its end: what it read is incomplete",
            )
            .caused_by(e)
        } else {
            Error::io("writing the archive", e)
        }
    };
    let mut dirs = BTreeSet::new();
    for (name, content) in files {
        ctl.check()?;
        // The directories a member lives in, once each, before it.
        let mut prefix = String::new();
        for part in name
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            prefix.push_str(part);
            prefix.push('/');
            if dirs.insert(prefix.clone()) {
                let mut header = header(0, 0o755);
                header.set_entry_type(tar::EntryType::Directory);
                tar.append_data(&mut header, &prefix, io::empty())
                    .map_err(io_error)?;
            }
        }
        match content {
            Content::Bytes(bytes) => {
                let mut header = header(bytes.len() as u64, 0o644);
                tar.append_data(&mut header, name, ProgressReader::new(*bytes, ctl))
                    .map_err(io_error)?;
            }
            Content::Blob { digest, size } => {
                let mut reader = open_blob(cache, digest, *size)?;
                let mut header = header(*size, 0o644);
                tar.append_data(&mut header, name, ProgressReader::new(&mut reader, ctl))
                    .map_err(io_error)?;
                finish_blob(reader, digest)?;
            }
        }
    }
    tar.into_inner()
        .map_err(io_error)?
        .flush()
        .map_err(io_error)
}

fn header(size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_size(size);
    header.set_mode(mode);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

fn write_dir(
    files: &[(String, Content)],
    cache: &BlobCache,
    dir: &Path,
    ctl: &Control,
) -> Result<()> {
    create_private_dir(dir)?;
    for (name, content) in files {
        ctl.check()?;
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .io_context(|| format!("creating {}", parent.display()))?;
        }
        let mut file = File::create(&path).io_context(|| format!("creating {}", path.display()))?;
        match content {
            Content::Bytes(bytes) => {
                file.write_all(bytes)
                    .io_context(|| format!("writing {}", path.display()))?;
                ctl.progress.advance(bytes.len() as u64);
            }
            Content::Blob { digest, size } => {
                let mut reader = open_blob(cache, digest, *size)?;
                io::copy(&mut ProgressReader::new(&mut reader, ctl), &mut file)
                    .io_context(|| format!("writing {}", path.display()))?;
                finish_blob(reader, digest)?;
            }
        }
    }
    // Readable by the tools that read layouts, as the files in it are.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
        .io_context(|| format!("setting the mode of {}", dir.display()))?;
    let sync = File::open(dir).and_then(|d| d.sync_all());
    sync.io_context(|| format!("writing {}", dir.display()))
}
