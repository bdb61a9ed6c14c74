//! Test images made from Debian's busybox-static, packed by hand as a rootfs
//! tar, an OCI image layout (directory or tar) and docker-save archives, so
//! the image store's and the CLI's tests need no registry and no docker.
//! Compiled for this crate's tests and with the `test-fixtures` feature.
//!
//! Tar headers are written field by field (owner 0:0 or as listed, exact
//! modes, device numbers), never from the host's files, so the fixtures are
//! the same whoever builds them. Entry names are written raw, so a test can
//! also build a hostile tar (`../x`, `/../../x`, ...).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::json;
use sha2::{Digest as _, Sha256};

/// The reference the OCI fixture records (`org.opencontainers.image.ref.name`).
pub const OCI_REF: &str = "fixture/busybox:oci";
/// The reference the docker-save fixtures record (`RepoTags`).
pub const DOCKER_REF: &str = "fixture/busybox:docker";

/// What one tar entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File(Vec<u8>),
    Symlink(String),
    /// A hard link to another entry (its name as in the tar).
    Hardlink(String),
    Char(u32, u32),
    Block(u32, u32),
    Fifo,
}

/// One tar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name exactly as written in the header.
    pub path: String,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// PAX `SCHILY.xattr.*` attributes.
    pub xattrs: Vec<(String, Vec<u8>)>,
}

impl Entry {
    fn new(path: &str, kind: Kind, mode: u32) -> Self {
        Entry {
            path: path.to_string(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            xattrs: Vec::new(),
        }
    }
    pub fn dir(path: &str, mode: u32) -> Self {
        Self::new(path, Kind::Dir, mode)
    }
    pub fn file(path: &str, mode: u32, content: impl Into<Vec<u8>>) -> Self {
        Self::new(path, Kind::File(content.into()), mode)
    }
    pub fn symlink(path: &str, target: &str) -> Self {
        Self::new(path, Kind::Symlink(target.to_string()), 0o777)
    }
    pub fn hardlink(path: &str, target: &str) -> Self {
        Self::new(path, Kind::Hardlink(target.to_string()), 0o644)
    }
    pub fn char_dev(path: &str, mode: u32, major: u32, minor: u32) -> Self {
        Self::new(path, Kind::Char(major, minor), mode)
    }
    pub fn block_dev(path: &str, mode: u32, major: u32, minor: u32) -> Self {
        Self::new(path, Kind::Block(major, minor), mode)
    }
    pub fn fifo(path: &str, mode: u32) -> Self {
        Self::new(path, Kind::Fifo, mode)
    }
    /// The same entry owned by `uid:gid`.
    pub fn owned(mut self, uid: u64, gid: u64) -> Self {
        self.uid = uid;
        self.gid = gid;
        self
    }
    /// The same entry with an extended attribute.
    pub fn xattr(mut self, name: &str, value: &[u8]) -> Self {
        self.xattrs.push((name.to_string(), value.to_vec()));
        self
    }
}

/// A layer: its entries, and whether the stored blob is gzip.
#[derive(Debug, Clone)]
pub struct Layer {
    pub entries: Vec<Entry>,
    pub gzip: bool,
}

impl Layer {
    /// The uncompressed tar.
    pub fn tar(&self) -> Vec<u8> {
        tar_bytes(&self.entries)
    }
    /// The blob as stored (gzip or not).
    pub fn blob(&self) -> Vec<u8> {
        if self.gzip {
            gzip(&self.tar())
        } else {
            self.tar()
        }
    }
}

/// `count` uncompressed layers of one file of `size` random bytes each
/// (random data does not compress: registry and pull tests move every byte).
pub fn random_layers(count: usize, size: usize) -> Vec<Layer> {
    (0..count)
        .map(|i| {
            let mut data = vec![0u8; size];
            getrandom::fill(&mut data).expect("the OS random source is available");
            Layer {
                entries: vec![Entry::file(&format!("random{i}"), 0o644, data)],
                gzip: false,
            }
        })
        .collect()
}

/// The path of Debian's static busybox.
pub fn busybox() -> io::Result<PathBuf> {
    ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "busybox is not installed (apt-get install busybox-static)",
            )
        })
}

/// Write `entries` as a tar (GNU headers, mtime 2024-01-01, names raw).
pub fn tar_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        if !e.xattrs.is_empty() {
            let pax: Vec<(String, &[u8])> = e
                .xattrs
                .iter()
                .map(|(k, v)| (format!("SCHILY.xattr.{k}"), v.as_slice()))
                .collect();
            b.append_pax_extensions(pax.iter().map(|(k, v)| (k.as_str(), *v)))
                .expect("in memory");
        }
        let mut h = tar::Header::new_gnu();
        let name = e.path.as_bytes();
        assert!(name.len() < 100, "fixture names are short: {}", e.path);
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_mode(e.mode);
        h.set_uid(e.uid);
        h.set_gid(e.gid);
        h.set_mtime(1_704_067_200);
        let mut data: &[u8] = &[];
        match &e.kind {
            Kind::Dir => h.set_entry_type(tar::EntryType::Directory),
            Kind::File(content) => {
                h.set_entry_type(tar::EntryType::Regular);
                data = content;
            }
            Kind::Symlink(t) | Kind::Hardlink(t) => {
                h.set_entry_type(if matches!(e.kind, Kind::Symlink(_)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                });
                let t = t.as_bytes();
                assert!(t.len() < 100);
                h.as_old_mut().linkname[..t.len()].copy_from_slice(t);
            }
            Kind::Char(ma, mi) | Kind::Block(ma, mi) => {
                h.set_entry_type(if matches!(e.kind, Kind::Char(..)) {
                    tar::EntryType::Char
                } else {
                    tar::EntryType::Block
                });
                h.set_device_major(*ma).expect("gnu header");
                h.set_device_minor(*mi).expect("gnu header");
            }
            Kind::Fifo => h.set_entry_type(tar::EntryType::Fifo),
        }
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, data).expect("in memory");
    }
    b.into_inner().expect("in memory")
}

/// gzip `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

/// `sha256:<hex>` of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";

/// The busybox root file system as one layer: busybox with `sh`, `echo`,
/// `cat` and `ls` as symlinks and `true` as a hard link; /etc/passwd,
/// /etc/shadow (0640, group 42), /etc/gshadow (0000), /etc/motd; /tmp
/// (1777), /root (0700), /home/user (1000:1000, 0750), /var/mail (2775,
/// group 8), /var/cache/old/stale.txt, /srv/ro (0555) with a file,
/// /usr/bin/suid (4755, xattr user.fixture=yes), /dev/null (c 1 3),
/// /dev/console (c 5 1), /dev/sda (b 8 0, group 6), /dev/initctl (fifo).
pub fn base_entries() -> io::Result<Vec<Entry>> {
    let busybox = std::fs::read(busybox()?)?;
    Ok(vec![
        Entry::dir("./", 0o755),
        Entry::dir("bin/", 0o755),
        Entry::file("bin/busybox", 0o755, busybox),
        Entry::symlink("bin/sh", "busybox"),
        Entry::symlink("bin/echo", "busybox"),
        Entry::symlink("bin/cat", "busybox"),
        Entry::symlink("bin/ls", "busybox"),
        Entry::hardlink("bin/true", "bin/busybox"),
        Entry::dir("etc/", 0o755),
        Entry::file("etc/passwd", 0o644, PASSWD),
        Entry::file(
            "etc/group",
            0o644,
            "root:x:0:\nmail:x:8:\nshadow:x:42:\nuser:x:1000:\n",
        ),
        Entry::file("etc/shadow", 0o640, "root:*:19000:0:99999:7:::\n").owned(0, 42),
        Entry::file("etc/gshadow", 0o000, "root:*::\n"),
        Entry::file("etc/motd", 0o644, "welcome\n"),
        Entry::dir("tmp/", 0o1777),
        Entry::dir("root/", 0o700),
        Entry::dir("home/", 0o755),
        Entry::dir("home/user/", 0o750).owned(1000, 1000),
        Entry::file("home/user/notes", 0o600, "mine\n").owned(1000, 1000),
        Entry::dir("var/", 0o755),
        Entry::dir("var/mail/", 0o2775).owned(0, 8),
        Entry::dir("var/cache/", 0o755),
        Entry::dir("var/cache/old/", 0o755),
        Entry::file("var/cache/old/stale.txt", 0o644, "stale\n"),
        Entry::dir("srv/", 0o755),
        Entry::dir("srv/ro/", 0o555),
        Entry::file("srv/ro/file", 0o444, "read only\n"),
        Entry::dir("usr/", 0o755),
        Entry::dir("usr/bin/", 0o755),
        Entry::file("usr/bin/suid", 0o4755, "#!/bin/sh\necho suid\n").xattr("user.fixture", b"yes"),
        Entry::dir("dev/", 0o755),
        Entry::char_dev("dev/null", 0o666, 1, 3),
        Entry::char_dev("dev/console", 0o600, 5, 1),
        Entry::block_dev("dev/sda", 0o660, 8, 0).owned(0, 6),
        Entry::fifo("dev/initctl", 0o600),
    ])
}

/// The layered busybox image: the base (gzip); a layer (uncompressed) that
/// whites out /etc/motd, makes /var/cache opaque (adding fresh.txt) and adds
/// /etc/hostname; a layer (gzip) that adds /opt/app/hello.sh and replaces
/// /etc/passwd.
pub fn busybox_layers() -> io::Result<Vec<Layer>> {
    Ok(vec![
        Layer {
            entries: base_entries()?,
            gzip: true,
        },
        Layer {
            entries: vec![
                Entry::file("etc/.wh.motd", 0o644, ""),
                Entry::file("etc/hostname", 0o644, "fixture\n"),
                Entry::dir("var/cache/", 0o755),
                Entry::file("var/cache/.wh..wh..opq", 0o644, ""),
                Entry::file("var/cache/fresh.txt", 0o644, "fresh\n"),
            ],
            gzip: false,
        },
        Layer {
            entries: vec![
                Entry::dir("opt/", 0o755),
                Entry::dir("opt/app/", 0o755),
                Entry::file(
                    "opt/app/hello.sh",
                    0o755,
                    "#!/bin/sh\necho hello from vicport\n",
                ),
                Entry::file(
                    "etc/passwd",
                    0o644,
                    format!("{PASSWD}app:x:2000:2000::/opt/app:/bin/sh\n"),
                ),
            ],
            gzip: true,
        },
    ])
}

/// The image config for `layers`; `variant` (a label) makes ids differ.
pub fn config_json(layers: &[Layer], variant: &str) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| digest(&l.tar())).collect();
    serde_json::to_vec(&json!({
        "created": "2024-01-01T00:00:00Z",
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "FIXTURE=1"],
            "Entrypoint": ["/bin/sh", "-c"],
            "Cmd": ["echo hello"],
            "WorkingDir": "/opt/app",
            "User": "0:0",
            "StopSignal": "SIGTERM",
            "Labels": {"org.vicport.fixture": variant},
            "ExposedPorts": {"8080/tcp": {}, "53/udp": {}}
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": []
    }))
    .expect("json")
}

/// A written fixture: where, and the image id an import must give.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub id: String,
}

/// A plain rootfs tar of [`base_entries`] at `dir/rootfs.tar[.gz]`.
pub fn rootfs_tar(dir: &Path, compress: bool) -> io::Result<Written> {
    let tar = tar_bytes(&base_entries()?);
    let id = digest(&tar);
    let path = dir.join(if compress {
        "rootfs.tar.gz"
    } else {
        "rootfs.tar"
    });
    std::fs::write(&path, if compress { gzip(&tar) } else { tar })?;
    Ok(Written { path, id })
}

/// Files of an image layout: (name, bytes), directories implied.
pub type Files = Vec<(String, Vec<u8>)>;

fn blob(files: &mut Files, bytes: Vec<u8>) -> (String, u64) {
    let d = digest(&bytes);
    let size = bytes.len() as u64;
    files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
    (d, size)
}

/// The files of an OCI image layout holding `layers`.
pub fn oci_files(layers: &[Layer], variant: &str, reference: Option<&str>) -> (Files, String) {
    let mut files = Files::new();
    let config = config_json(layers, variant);
    let (config_digest, config_size) = blob(&mut files, config);
    let layer_descs: Vec<_> = layers
        .iter()
        .map(|l| {
            let (d, size) = blob(&mut files, l.blob());
            json!({
                "mediaType": if l.gzip {
                    "application/vnd.oci.image.layer.v1.tar+gzip"
                } else {
                    "application/vnd.oci.image.layer.v1.tar"
                },
                "digest": d,
                "size": size,
            })
        })
        .collect();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": config_size,
        },
        "layers": layer_descs,
    }))
    .expect("json");
    let (manifest_digest, manifest_size) = blob(&mut files, manifest);
    let mut desc = json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": manifest_digest,
        "size": manifest_size,
    });
    if let Some(r) = reference {
        desc["annotations"] = json!({"org.opencontainers.image.ref.name": r});
    }
    files.push((
        "index.json".into(),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [desc]})).expect("json"),
    ));
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    (files, config_digest)
}

/// Write `files` under `dir`.
pub fn write_dir(dir: &Path, files: &Files) -> io::Result<()> {
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("has a parent"))?;
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

/// Write `files` as a tar at `path`, with their directories.
pub fn write_tar(path: &Path, files: &Files) -> io::Result<()> {
    let mut b = tar::Builder::new(std::fs::File::create(path)?);
    let mut dirs = std::collections::BTreeSet::new();
    for (name, bytes) in files {
        let mut parent = Path::new(name).parent();
        let mut new_dirs = Vec::new();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            if dirs.insert(p.to_path_buf()) {
                new_dirs.push(p.to_path_buf());
            }
            parent = p.parent();
        }
        for d in new_dirs.into_iter().rev() {
            let mut h = tar::Header::new_ustar();
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(0o755);
            h.set_size(0);
            h.set_mtime(1_704_067_200);
            b.append_data(&mut h, &d, io::empty())?;
        }
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_size(bytes.len() as u64);
        h.set_mtime(1_704_067_200);
        b.append_data(&mut h, name, bytes.as_slice())?;
    }
    b.into_inner()?.sync_all()
}

/// The busybox image as an OCI image layout directory at `dir/oci`,
/// recording [`OCI_REF`].
pub fn oci_layout(dir: &Path) -> io::Result<Written> {
    let (files, id) = oci_files(&busybox_layers()?, "oci", Some(OCI_REF));
    let path = dir.join("oci");
    write_dir(&path, &files)?;
    Ok(Written { path, id })
}

/// The same layout as a tar, `dir/oci.tar` (a different image id: its
/// variant label differs).
pub fn oci_archive(dir: &Path) -> io::Result<Written> {
    let (files, id) = oci_files(&busybox_layers()?, "oci-tar", Some(OCI_REF));
    let path = dir.join("oci.tar");
    write_tar(&path, &files)?;
    Ok(Written { path, id })
}

/// Which `docker save` layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerLayout {
    /// Before docker 25: `<id>.json` config, `<layer>/layer.tar`.
    Legacy,
    /// Docker 25+ without the OCI files: config and layers under
    /// `blobs/sha256/`.
    Blobs,
}

/// The busybox image as a docker-save archive at `dir/docker-<layout>.tar`,
/// recording [`DOCKER_REF`]. Layers are uncompressed, as docker saves them.
pub fn docker_archive(dir: &Path, layout: DockerLayout) -> io::Result<Written> {
    let layers: Vec<Layer> = busybox_layers()?
        .into_iter()
        .map(|l| Layer { gzip: false, ..l })
        .collect();
    let variant = match layout {
        DockerLayout::Legacy => "docker-legacy",
        DockerLayout::Blobs => "docker-blobs",
    };
    let config = config_json(&layers, variant);
    let id = digest(&config);
    let mut files = Files::new();
    let (config_name, layer_names): (String, Vec<String>) = match layout {
        DockerLayout::Legacy => {
            let name = format!("{}.json", &id[7..]);
            files.push((name.clone(), config));
            let mut names = Vec::new();
            for (i, l) in layers.iter().enumerate() {
                let dir = hex::encode(Sha256::digest(format!("layer{i}{id}")));
                files.push((format!("{dir}/VERSION"), b"1.0".to_vec()));
                files.push((
                    format!("{dir}/json"),
                    format!(r#"{{"id":"{dir}"}}"#).into_bytes(),
                ));
                files.push((format!("{dir}/layer.tar"), l.tar()));
                names.push(format!("{dir}/layer.tar"));
            }
            (name, names)
        }
        DockerLayout::Blobs => {
            let (c, _) = blob(&mut files, config);
            let names = layers
                .iter()
                .map(|l| format!("blobs/sha256/{}", &blob(&mut files, l.tar()).0[7..]))
                .collect();
            (format!("blobs/sha256/{}", &c[7..]), names)
        }
    };
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&json!([{
            "Config": config_name,
            "RepoTags": [DOCKER_REF],
            "Layers": layer_names,
        }]))
        .expect("json"),
    ));
    let path = dir.join(format!("docker-{variant}.tar"));
    write_tar(&path, &files)?;
    Ok(Written { path, id })
}

/// A rootfs tar made of `entries` (hostile ones included) at `dir/name`.
pub fn tar_of(dir: &Path, name: &str, entries: &[Entry]) -> io::Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, tar_bytes(entries))?;
    Ok(path)
}

/// The busybox image as docker 25+ saves it, `dir/docker-oci.tar`: an OCI
/// layout (index annotated with `ref.name` "latest" and the containerd
/// name, as docker writes them) plus a manifest.json whose `RepoTags` hold
/// [`DOCKER_REF`].
pub fn docker_oci_archive(dir: &Path) -> io::Result<Written> {
    let layers: Vec<Layer> = busybox_layers()?
        .into_iter()
        .map(|l| Layer { gzip: false, ..l })
        .collect();
    let (mut files, id) = oci_files(&layers, "docker-oci", None);
    for (name, bytes) in files.iter_mut() {
        if name == "index.json" {
            let mut index: serde_json::Value = serde_json::from_slice(bytes).expect("json");
            index["manifests"][0]["annotations"] = json!({
                "io.containerd.image.name": format!("docker.io/{DOCKER_REF}"),
                "org.opencontainers.image.ref.name": "latest",
            });
            *bytes = serde_json::to_vec(&index).expect("json");
        }
    }
    let layer_names: Vec<String> = layers
        .iter()
        .map(|l| format!("blobs/sha256/{}", &digest(&l.tar())[7..]))
        .collect();
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&json!([{
            "Config": format!("blobs/sha256/{}", &id[7..]),
            "RepoTags": [DOCKER_REF],
            "Layers": layer_names,
        }]))
        .expect("json"),
    ));
    let path = dir.join("docker-oci.tar");
    write_tar(&path, &files)?;
    Ok(Written { path, id })
}
