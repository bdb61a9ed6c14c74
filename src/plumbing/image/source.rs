//! Reading an import source: its format detected by content (an OCI image
//! layout, a docker-save archive, or a plain rootfs tar; directories or tars,
//! optionally gzip), and the manifests that say which verified blobs make up
//! the image (an OCI layout's or docker-save archive's, in `plans`).
//! Nothing here writes outside the caller's scratch directory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::name::ImageRef;
use crate::plumbing::spec::ImageConfig;

use super::Control;
use super::digest::{Digest, HashingReader};
use super::manifest::{self, ImageIndex, ImageManifest, MAX_JSON, parse_json};
use oci_spec::image::ImageConfiguration;

mod plans;

use plans::{plan_docker, plan_oci};

/// The PATH a rootfs tar without a config gets.
pub const DEFAULT_PATH_ENV: &str =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0];
const BZIP2_MAGIC: &[u8] = b"BZh";

/// What kind of input an import read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An OCI image layout (directory or tar).
    Oci,
    /// A `docker save` archive (legacy or blobs layout).
    DockerSave,
    /// A plain root filesystem tar.
    RootfsTar,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Oci => "oci",
            Format::DockerSave => "docker-save",
            Format::RootfsTar => "rootfs-tar",
        }
    }
}

/// Where the files of an image layout live: a directory, a tar (indexed, read
/// in place by offset), or a single file (a rootfs tar).
#[derive(Debug)]
pub enum Bundle {
    Dir(PathBuf),
    Tar {
        path: PathBuf,
        members: HashMap<String, Member>,
    },
    File(PathBuf),
}

/// One member of an indexed tar.
#[derive(Debug, Clone)]
pub enum Member {
    Data {
        offset: u64,
        size: u64,
    },
    /// A symlink (target relative to the member's directory) or a hard link
    /// (target relative to the archive root) to another member.
    Link(String),
}

impl Bundle {
    /// Open a member (`""` for a `File` bundle) and say how big it is.
    pub fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64)> {
        match self {
            Bundle::File(path) => {
                let file = File::open(path).io_context(|| format!("opening {}", path.display()))?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                Ok((Box::new(file), size))
            }
            Bundle::Dir(dir) => {
                let rel = clean_member(name)
                    .ok_or_else(|| Error::invalid(format!("invalid member name {name:?}")))?;
                let path = dir.join(rel);
                let file = File::open(&path).map_err(|e| {
                    if e.kind() == io::ErrorKind::NotFound {
                        missing(name)
                    } else {
                        Error::io(format!("opening {}", path.display()), e)
                    }
                })?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                Ok((Box::new(file), size))
            }
            Bundle::Tar { path, members } => {
                let mut current = clean_member(name)
                    .ok_or_else(|| Error::invalid(format!("invalid member name {name:?}")))?;
                for _ in 0..16 {
                    match members.get(&current) {
                        None => return Err(missing(name)),
                        Some(Member::Data { offset, size }) => {
                            let mut file = File::open(path)
                                .io_context(|| format!("opening {}", path.display()))?;
                            file.seek(SeekFrom::Start(*offset))
                                .io_context(|| format!("reading {}", path.display()))?;
                            return Ok((Box::new(file.take(*size)), *size));
                        }
                        Some(Member::Link(target)) => current = target.clone(),
                    }
                }
                Err(Error::invalid(format!(
                    "member {name:?} is a loop of links"
                )))
            }
        }
    }

    /// Whether a member exists.
    pub fn has(&self, name: &str) -> bool {
        match self {
            Bundle::File(_) => false,
            Bundle::Dir(dir) => clean_member(name).is_some_and(|rel| dir.join(rel).is_file()),
            Bundle::Tar { members, .. } => {
                clean_member(name).is_some_and(|rel| members.contains_key(&rel))
            }
        }
    }

    /// Read a small member whole.
    fn read_small(&self, name: &str) -> Result<Vec<u8>> {
        let (reader, size) = self.open(name)?;
        if size > MAX_JSON {
            return Err(Error::invalid(format!(
                "{name} is {size} bytes, more than an image document can be"
            )));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        reader
            .take(MAX_JSON)
            .read_to_end(&mut bytes)
            .io_context(|| format!("reading {name}"))?;
        Ok(bytes)
    }

    /// Read a blob by digest and verify it (and its size, when known).
    fn read_blob(&self, digest: &Digest, size: Option<u64>, what: &str) -> Result<Vec<u8>> {
        let bytes = self
            .read_small(&blob_path(digest))
            .map_err(|e| e.context(what))?;
        verify(&Digest::of(&bytes), bytes.len() as u64, digest, size, what)?;
        Ok(bytes)
    }
}

fn missing(name: &str) -> Error {
    Error::invalid(format!("the archive has no {name}"))
        .with_hint("the image layout is incomplete; export it again")
}

/// `blobs/sha256/<hex>`.
pub fn blob_path(digest: &Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}

/// Check a blob's digest and size against what its descriptor promised.
pub fn verify(
    got: &Digest,
    got_size: u64,
    want: &Digest,
    want_size: Option<u64>,
    what: &str,
) -> Result<()> {
    if got != want {
        return Err(Error::invalid(format!(
            "digest mismatch on {what}: expected {want}, the content has {got}"
        ))
        .with_hint("the archive is corrupt or was modified; export or download it again"));
    }
    if let Some(size) = want_size
        && size != got_size
    {
        return Err(Error::invalid(format!(
            "size mismatch on {what} ({want}): expected {size} bytes, found {got_size}"
        ))
        .with_hint("the archive is corrupt or was modified; export or download it again"));
    }
    Ok(())
}

/// A member name made canonical: relative, `/`-separated, no `.`, `..` or
/// empty components. `None` if it would leave the archive.
fn clean_member(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// One layer to apply, bottom first.
#[derive(Debug)]
pub struct Layer {
    /// The member holding the (possibly compressed) layer tar.
    pub member: String,
    /// The blob digest and size to verify the stored bytes against, when the
    /// format names one.
    pub blob: Option<(Digest, Option<u64>)>,
    /// The digest of the uncompressed tar (the config's `diff_id`).
    pub diff_id: Digest,
    /// How messages name it: `layer 2/3 (sha256:…)`.
    pub what: String,
}

/// Everything an import needs to know before touching a layer.
#[derive(Debug)]
pub struct Plan {
    pub format: Format,
    /// The image id: the config's digest, or the rootfs tar's (whose
    /// config vicport makes, so it is not the id).
    pub id: Digest,
    pub config: ImageConfig,
    /// The config's creation time, if it has one.
    pub created: Option<String>,
    /// References the archive records for the image.
    pub names: Vec<ImageRef>,
    pub layers: Vec<Layer>,
    pub bundle: Bundle,
    /// Whether `.wh.` entries are whiteouts (layers) or plain files (rootfs).
    pub whiteouts: bool,
    /// The config's bytes: the image's own, or the one made for a rootfs
    /// tar ([`manifest::made_config`]).
    pub config_blob: Vec<u8>,
    /// The image manifest's digest and bytes (OCI layouts only; the others
    /// get one made once their layer blobs are known).
    pub manifest_blob: Option<(Digest, Vec<u8>)>,
}

/// What kind of input `source` is, opened.
enum Opened {
    Oci(Bundle),
    Docker(Bundle),
    /// A plain rootfs tar (at `tar_path`, decompressed if it was gzip,
    /// whose digest is then known).
    Rootfs {
        tar_path: PathBuf,
        known_digest: Option<Digest>,
    },
}

/// How many images `source` holds (for an import of each). `scratch` as
/// for [`plan`].
pub fn count(source: &Path, scratch: &Path, ctl: &Control) -> Result<usize> {
    match open(source, scratch, ctl)? {
        Opened::Oci(bundle) => plans::count_oci(&bundle),
        Opened::Docker(bundle) => plans::count_docker(&bundle),
        Opened::Rootfs { .. } => Ok(1),
    }
}

/// Read `source` and say what to import. `want` picks one image from an
/// archive that holds several by a name it records, `index` by its place
/// (from 0, in the archive's own order: `index.json`'s, or docker's
/// `manifest.json`'s). `scratch` is a private directory for a decompressed
/// copy of a gzip input.
pub fn plan(
    source: &Path,
    scratch: &Path,
    want: Option<&ImageRef>,
    index: Option<usize>,
    ctl: &Control,
) -> Result<Plan> {
    let (tar_path, known_digest) = match open(source, scratch, ctl)? {
        Opened::Oci(bundle) => return plan_oci(bundle, want, index),
        Opened::Docker(bundle) => return plan_docker(bundle, want, index),
        Opened::Rootfs {
            tar_path,
            known_digest,
        } => (tar_path, known_digest),
    };
    if index.is_some_and(|i| i > 0) {
        return Err(Error::invalid(format!(
            "{} is a rootfs tar: it holds one image",
            source.display()
        )));
    }
    rootfs_plan(source, tar_path, known_digest, ctl)
}

fn open(source: &Path, scratch: &Path, ctl: &Control) -> Result<Opened> {
    let meta = std::fs::metadata(source).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            Error::new(
                crate::plumbing::ErrorKind::NotFound,
                format!("import source {} does not exist", source.display()),
            )
        } else {
            Error::io(format!("reading {}", source.display()), e)
        }
    })?;
    if meta.is_dir() {
        let bundle = Bundle::Dir(source.to_path_buf());
        if bundle.has("oci-layout") {
            return Ok(Opened::Oci(bundle));
        }
        if bundle.has("manifest.json") {
            return Ok(Opened::Docker(bundle));
        }
        return Err(not_an_image(
            source,
            "a directory without oci-layout or manifest.json",
        ));
    }

    let mut file = File::open(source).io_context(|| format!("opening {}", source.display()))?;
    let mut head = [0u8; 512];
    let n =
        read_up_to(&mut file, &mut head).io_context(|| format!("reading {}", source.display()))?;
    let head = &head[..n];
    let (tar_path, known_digest) = if head.starts_with(GZIP_MAGIC) {
        let out = scratch.join("source.tar");
        let digest = gunzip(source, &out, meta.len(), ctl)?;
        (out, Some(digest))
    } else {
        for (magic, name) in [
            (ZSTD_MAGIC, "zstd"),
            (XZ_MAGIC, "xz"),
            (BZIP2_MAGIC, "bzip2"),
        ] {
            if head.starts_with(magic) {
                return Err(Error::new(
                    crate::plumbing::ErrorKind::NotSupported,
                    format!(
                        "{} is {name}-compressed, which vicport does not read",
                        source.display()
                    ),
                )
                .with_hint(format!("decompress it first ({name} -d), or use gzip")));
            }
        }
        (source.to_path_buf(), None)
    };

    let members =
        index_tar(&tar_path).map_err(|e| e.context(format!("reading {}", source.display())))?;
    let bundle = |members| Bundle::Tar {
        path: tar_path.clone(),
        members,
    };
    if members.contains_key("oci-layout") {
        return Ok(Opened::Oci(bundle(members)));
    }
    if members.contains_key("manifest.json") {
        return Ok(Opened::Docker(bundle(members)));
    }
    Ok(Opened::Rootfs {
        tar_path,
        known_digest,
    })
}

/// The plan of a plain rootfs tar at `tar_path` (`source` decompressed).
fn rootfs_plan(
    source: &Path,
    tar_path: PathBuf,
    known_digest: Option<Digest>,
    ctl: &Control,
) -> Result<Plan> {
    let id = match known_digest {
        Some(d) => d,
        None => hash_file(&tar_path, ctl)?,
    };
    let tar_size = std::fs::metadata(&tar_path)
        .io_context(|| format!("reading {}", tar_path.display()))?
        .len();
    let config = ImageConfig {
        env: vec![DEFAULT_PATH_ENV.to_string()],
        ..ImageConfig::default()
    };
    // The tar itself, uncompressed, is the image's one layer blob (so its
    // blob digest is its diff_id and the id, and the import compresses
    // nothing), under a config made from the runtime defaults.
    let config_blob = manifest::made_config(&config, std::slice::from_ref(&id));
    Ok(Plan {
        format: Format::RootfsTar,
        config,
        created: None,
        names: Vec::new(),
        layers: vec![Layer {
            member: String::new(),
            blob: Some((id.clone(), Some(tar_size))),
            diff_id: id.clone(),
            what: format!("rootfs tar {}", source.display()),
        }],
        id,
        bundle: Bundle::File(tar_path),
        whiteouts: false,
        config_blob,
        manifest_blob: None,
    })
}

fn not_an_image(source: &Path, why: &str) -> Error {
    Error::invalid(format!("{} is not an image: {why}", source.display())).with_hint(
        "import an OCI image layout, a docker-save archive or a rootfs tar (optionally gzip)",
    )
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Decompress a gzip input into `out`, returning the digest of the tar.
fn gunzip(source: &Path, out: &Path, size: u64, ctl: &Control) -> Result<Digest> {
    ctl.progress.phase("decompressing", Some(size));
    let file = File::open(source).io_context(|| format!("opening {}", source.display()))?;
    let counted = super::ProgressReader::new(file, ctl);
    let mut plain = HashingReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(counted)));
    let mut dest = File::create(out).io_context(|| format!("creating {}", out.display()))?;
    super::copy_checked(&mut plain, &mut dest, ctl)
        .map_err(|e| e.context(format!("decompressing {}", source.display())))?;
    Ok(plain.finish().0)
}

fn hash_file(path: &Path, ctl: &Control) -> Result<Digest> {
    let file = File::open(path).io_context(|| format!("opening {}", path.display()))?;
    ctl.progress
        .phase("hashing", file.metadata().ok().map(|m| m.len()));
    let mut r = HashingReader::new(super::ProgressReader::new(file, ctl));
    super::copy_checked(&mut r, &mut io::sink(), ctl)
        .map_err(|e| e.context(format!("reading {}", path.display())))?;
    Ok(r.finish().0)
}

/// Whether a 512-byte block is a tar header with a valid checksum.
fn is_tar_header(block: &[u8]) -> bool {
    if block.len() < 512 {
        return false;
    }
    let field = &block[148..156];
    let text: String = field
        .iter()
        .take_while(|b| **b != 0 && **b != b' ')
        .map(|b| *b as char)
        .collect();
    let text = text.trim();
    let Ok(stored) = u32::from_str_radix(text, 8) else {
        return false;
    };
    let sum: u32 = block[..512]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(*b)
            }
        })
        .sum();
    sum == stored
}

/// Index every member of a tar by name, reading headers only.
fn index_tar(path: &Path) -> Result<HashMap<String, Member>> {
    let mut file = File::open(path).io_context(|| format!("opening {}", path.display()))?;
    let mut head = [0u8; 512];
    let n =
        read_up_to(&mut file, &mut head).io_context(|| format!("reading {}", path.display()))?;
    if n == 0 {
        return Err(not_an_image(path, "the file is empty"));
    }
    if !is_tar_header(&head[..n]) {
        return Err(not_an_image(path, "not a tar archive (nor gzip)"));
    }
    file.seek(SeekFrom::Start(0))
        .io_context(|| format!("reading {}", path.display()))?;
    let mut archive = tar::Archive::new(file);
    let mut members = HashMap::new();
    let bad = |e: io::Error| Error::invalid(format!("malformed tar: {e}"));
    for entry in archive.entries_with_seek().map_err(bad)? {
        let entry = entry.map_err(bad)?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(name) = clean_member(&raw) else {
            continue;
        };
        let kind = entry.header().entry_type();
        let member = if kind.is_symlink() || kind.is_hard_link() {
            let target =
                String::from_utf8_lossy(&entry.link_name_bytes().unwrap_or_default()).into_owned();
            let joined = if kind.is_symlink() && !target.starts_with('/') {
                match name.rfind('/') {
                    Some(i) => format!("{}/{target}", &name[..i]),
                    None => target,
                }
            } else {
                target
            };
            match clean_member(&joined) {
                Some(t) => Member::Link(t),
                None => continue,
            }
        } else if kind.is_file() || kind == tar::EntryType::Continuous {
            Member::Data {
                offset: entry.raw_file_position(),
                size: entry.size(),
            }
        } else {
            continue;
        };
        members.insert(name, member);
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::plans::digest_in_name;
    use super::*;

    #[test]
    fn member_names_never_leave_the_archive() {
        assert_eq!(clean_member("./a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(clean_member("a/../b").as_deref(), Some("b"));
        assert_eq!(clean_member("/x").as_deref(), Some("x"));
        assert_eq!(clean_member("../x"), None);
        assert_eq!(clean_member("a/../../x"), None);
        assert_eq!(clean_member("."), None);
    }

    #[test]
    fn tar_header_checksum_is_checked() {
        let mut header = tar::Header::new_gnu();
        header.set_path("a").unwrap();
        header.set_size(0);
        header.set_cksum();
        assert!(is_tar_header(header.as_bytes()));
        let mut bytes = header.as_bytes().to_vec();
        bytes[0] = b'b';
        assert!(!is_tar_header(&bytes));
        assert!(!is_tar_header(&[0u8; 100]));
    }

    #[test]
    fn digests_in_member_names() {
        let hex = "a".repeat(64);
        assert!(digest_in_name(&format!("blobs/sha256/{hex}")).is_some());
        assert!(digest_in_name(&format!("{hex}.json")).is_some());
        assert!(digest_in_name(&format!("{hex}/layer.tar")).is_none());
    }
}
