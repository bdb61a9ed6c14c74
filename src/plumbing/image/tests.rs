//! The image store against real tools: fixtures built from busybox, imported
//! into a store in a temporary directory, the resulting ext4 disks read back
//! with debugfs and checked with e2fsck, overlays with qemu-img.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::fixtures::{self, DockerLayout, Entry};
use super::*;
use crate::plumbing::error::ErrorKind;
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::{NoProgress, Progress};

fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("vicport-image-")
        .tempdir()
        .unwrap()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// One inode as `debugfs stat` shows it.
#[derive(Debug, Clone, PartialEq)]
struct Inode {
    inode: u64,
    kind: String,
    mode: u32,
    uid: u64,
    gid: u64,
    size: u64,
    links: u64,
    device: Option<(u32, u32)>,
}

fn debugfs(disk: &Path, request: &str) -> (String, String) {
    let out = Command::new(ext4::find_tool("debugfs", "e2fsprogs").unwrap())
        .arg("-R")
        .arg(request)
        .arg(disk)
        .output()
        .unwrap();
    assert!(out.status.success(), "debugfs {request}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(name)? + name.len();
    text[start..].split_whitespace().next()
}

fn stat(disk: &Path, path: &str) -> Option<Inode> {
    let (out, err) = debugfs(disk, &format!("stat \"{path}\""));
    if err.contains("not found") || out.trim().is_empty() {
        return None;
    }
    let kind_start = out.find("Type: ").unwrap() + 6;
    let kind = out[kind_start..]
        .split("  ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let num = |name: &str| field(&out, name).unwrap().parse::<u64>().unwrap();
    let device = field(&out, "Device major/minor number: ").map(|d| {
        let (a, b) = d.split_once(':').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    });
    Some(Inode {
        inode: num("Inode: "),
        kind,
        mode: u32::from_str_radix(field(&out, "Mode: ").unwrap(), 8).unwrap(),
        uid: num("User: "),
        gid: num("Group: "),
        size: num("Size: "),
        links: num("Links: "),
        device,
    })
}

fn cat(disk: &Path, path: &str) -> String {
    debugfs(disk, &format!("cat \"{path}\"")).0
}

fn fsck_clean(disk: &Path) {
    let out = Command::new(ext4::find_tool("e2fsck", "e2fsprogs").unwrap())
        .arg("-fn")
        .arg(disk)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "e2fsck -fn {}: {}{}",
        disk.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn label(disk: &Path) -> String {
    let (out, _) = debugfs(disk, "stats");
    field(&out, "Filesystem volume name:")
        .unwrap_or("")
        .to_string()
}

#[track_caller]
fn expect(disk: &Path, path: &str, kind: &str, mode: u32, uid: u64, gid: u64) -> Inode {
    let inode = stat(disk, path).unwrap_or_else(|| panic!("{path} is missing"));
    assert_eq!(
        (inode.kind.as_str(), inode.mode, inode.uid, inode.gid),
        (kind, mode, uid, gid),
        "{path}: {inode:?}"
    );
    inode
}

/// What every fixture's disk has from the busybox base layer.
fn assert_base_tree(disk: &Path) {
    fsck_clean(disk);
    assert_eq!(label(disk), ROOT_LABEL);
    let busybox_size = std::fs::metadata(fixtures::busybox().unwrap())
        .unwrap()
        .len();
    expect(disk, "/", "directory", 0o755, 0, 0);
    // Files and directories keep the tar's mtime (2024-01-01T00:00:00Z).
    for path in [
        "/bin/busybox",
        "/etc/shadow",
        "/bin",
        "/home/user",
        "/bin/sh",
    ] {
        let (out, _) = debugfs(disk, &format!("stat {path}"));
        assert!(out.contains(" mtime: 0x65920080"), "{path}: {out}");
    }
    let bb = expect(disk, "/bin/busybox", "regular", 0o755, 0, 0);
    assert_eq!(bb.size, busybox_size);
    assert_eq!(bb.links, 2, "bin/true is a hard link to it");
    assert_eq!(stat(disk, "/bin/true").unwrap().inode, bb.inode);
    for applet in ["sh", "echo", "cat", "ls"] {
        expect(disk, &format!("/bin/{applet}"), "symlink", 0o777, 0, 0);
    }
    let (sh, _) = debugfs(disk, "stat /bin/sh");
    assert!(sh.contains("Fast link dest: \"busybox\""), "{sh}");
    expect(disk, "/etc/passwd", "regular", 0o644, 0, 0);
    expect(disk, "/etc/shadow", "regular", 0o640, 0, 42);
    expect(disk, "/etc/gshadow", "regular", 0o000, 0, 0);
    expect(disk, "/tmp", "directory", 0o1777, 0, 0);
    expect(disk, "/root", "directory", 0o700, 0, 0);
    expect(disk, "/home/user", "directory", 0o750, 1000, 1000);
    expect(disk, "/home/user/notes", "regular", 0o600, 1000, 1000);
    expect(disk, "/var/mail", "directory", 0o2775, 0, 8);
    expect(disk, "/srv/ro", "directory", 0o555, 0, 0);
    expect(disk, "/srv/ro/file", "regular", 0o444, 0, 0);
    expect(disk, "/usr/bin/suid", "regular", 0o4755, 0, 0);
    let (xattrs, _) = debugfs(disk, "ea_get /usr/bin/suid user.fixture");
    assert!(xattrs.contains("yes"), "xattr: {xattrs}");
    let null = expect(disk, "/dev/null", "character special", 0o666, 0, 0);
    assert_eq!(null.device, Some((1, 3)));
    let console = expect(disk, "/dev/console", "character special", 0o600, 0, 0);
    assert_eq!(console.device, Some((5, 1)));
    let sda = expect(disk, "/dev/sda", "block special", 0o660, 0, 6);
    assert_eq!(sda.device, Some((8, 0)));
    expect(disk, "/dev/initctl", "FIFO", 0o600, 0, 0);
}

/// What the layered fixtures (OCI, docker) add on top of the base.
fn assert_layered_tree(disk: &Path) {
    assert_base_tree(disk);
    assert!(
        stat(disk, "/etc/motd").is_none(),
        "the whiteout removed /etc/motd"
    );
    assert!(
        stat(disk, "/var/cache/old").is_none(),
        "the opaque /var/cache hides lower contents"
    );
    expect(disk, "/var/cache", "directory", 0o755, 0, 0);
    expect(disk, "/var/cache/fresh.txt", "regular", 0o644, 0, 0);
    expect(disk, "/etc/hostname", "regular", 0o644, 0, 0);
    expect(disk, "/opt/app/hello.sh", "regular", 0o755, 0, 0);
    assert!(
        cat(disk, "/etc/passwd").contains("app:x:2000"),
        "layer 3 replaced passwd"
    );
}

fn assert_fixture_config(info: &crate::plumbing::spec::ImageInfo) {
    assert_eq!(info.config.entrypoint, vec!["/bin/sh", "-c"]);
    assert_eq!(info.config.cmd, vec!["echo hello"]);
    assert!(info.config.env.contains(&"FIXTURE=1".to_string()));
    assert_eq!(info.config.workdir.as_deref(), Some("/opt/app"));
    assert_eq!(info.config.user.as_deref(), Some("0:0"));
    assert_eq!(info.config.stop_signal.as_deref(), Some("SIGTERM"));
    assert_eq!(info.created, "2024-01-01T00:00:00Z");
    assert_eq!(info.layers.len(), 3);
}

/// The store holds no image, no reference and no staging leftovers.
#[track_caller]
fn assert_store_empty(store: &ImageStore) {
    assert!(store.list().unwrap().is_empty());
    let tmp: Vec<_> = std::fs::read_dir(store.root().join("tmp"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(tmp.is_empty(), "leftovers: {tmp:?}");
    let images: Vec<_> = std::fs::read_dir(store.root().join("images"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(images.is_empty(), "images: {images:?}");
}

fn disk_of(store: &ImageStore, image: &str) -> PathBuf {
    store.resolve(image).unwrap().disk
}

#[test]
fn plain_rootfs_tar_imports_with_owners_modes_and_devices() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert!(info.tags.is_empty(), "no name given, none recorded");
    assert_eq!(info.layers, vec![fx.id.clone()]);
    assert_eq!(info.config.env, vec![DEFAULT_PATH_ENV.to_string()]);
    assert!(info.config.cmd.is_empty() && info.config.entrypoint.is_empty());
    let disk = disk_of(&store, &fx.id);
    assert_base_tree(&disk);
    assert_eq!(
        cat(&disk, "/etc/motd"),
        "welcome\n",
        "no whiteouts in a rootfs tar"
    );
    assert!(std::fs::metadata(&disk).unwrap().len() >= MIN_DISK_SIZE);
    // The files next to the disk.
    let stored = store.resolve(&fx.id[7..19]).unwrap();
    let config: crate::plumbing::spec::ImageConfig =
        serde_json::from_slice(&std::fs::read(stored.dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(config, info.config);
    assert!(stored.dir.join("image.json").is_file());
}

#[test]
fn gzip_rootfs_tar_imports_under_the_given_name() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), true).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let name = ImageRef::parse("tools/busybox").unwrap();
    let info = store.import(&fx.path, Some(name), &NoProgress).unwrap();
    assert_eq!(info.id, fx.id, "the id is the uncompressed tar's digest");
    assert_eq!(info.tags, vec!["tools/busybox:latest"]);
    assert_base_tree(&disk_of(&store, "tools/busybox"));
}

#[test]
fn oci_layout_directory_imports_with_whiteouts_and_opaque_dirs() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec![fixtures::OCI_REF]);
    assert_fixture_config(&info);
    assert_layered_tree(&disk_of(&store, fixtures::OCI_REF));
}

#[test]
fn oci_layout_tar_imports() {
    let dir = tempdir();
    let fx = fixtures::oci_archive(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec![fixtures::OCI_REF]);
    assert_layered_tree(&disk_of(&store, &fx.id));
}

#[test]
fn docker_save_archives_import_in_both_layouts() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    for layout in [DockerLayout::Legacy, DockerLayout::Blobs] {
        let fx = fixtures::docker_archive(dir.path(), layout).unwrap();
        let info = store.import(&fx.path, None, &NoProgress).unwrap();
        assert_eq!(info.id, fx.id, "{layout:?}");
        assert_fixture_config(&info);
        assert_layered_tree(&disk_of(&store, &fx.id));
    }
    // Both recorded the same RepoTag: it points at the last import.
    let images = store.list().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        store.inspect(fixtures::DOCKER_REF).unwrap().tags,
        vec![fixtures::DOCKER_REF]
    );
}

#[test]
fn docker_oci_archive_takes_its_name_from_repo_tags() {
    let dir = tempdir();
    let fx = fixtures::docker_oci_archive(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(
        info.tags,
        vec![fixtures::DOCKER_REF],
        "not the bare \"latest\""
    );
    assert_layered_tree(&disk_of(&store, fixtures::DOCKER_REF));
}

/// An OCI layout whose index.json lists several images: `fixture/multi:a`
/// and `fixture/multi:b` (one layer each, /name holding a or b).
fn multi_image_layout(dir: &Path) -> PathBuf {
    let mut all = fixtures::Files::new();
    let mut manifests = Vec::new();
    for which in ["a", "b"] {
        let layer = fixtures::Layer {
            entries: vec![Entry::file("name", 0o644, which)],
            gzip: true,
        };
        let reference = format!("fixture/multi:{which}");
        let (files, _) = fixtures::oci_files(&[layer], which, Some(&reference));
        for (name, bytes) in files {
            if name == "index.json" {
                let index: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                manifests.push(index["manifests"][0].clone());
            } else if name != "oci-layout" || which == "a" {
                all.push((name, bytes));
            }
        }
    }
    let index = serde_json::json!({"schemaVersion": 2, "manifests": manifests});
    all.push(("index.json".into(), serde_json::to_vec(&index).unwrap()));
    let path = dir.join("multi");
    fixtures::write_dir(&path, &all).unwrap();
    path
}

#[test]
fn an_archive_of_several_images_needs_a_name() {
    let dir = tempdir();
    let layout = multi_image_layout(dir.path());
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&layout, None, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        err.to_string().contains("fixture/multi:a, fixture/multi:b"),
        "{err}"
    );
    assert_store_empty(&store);
    let b = ImageRef::parse("fixture/multi:b").unwrap();
    let info = store.import(&layout, Some(b), &NoProgress).unwrap();
    assert_eq!(info.tags, vec!["fixture/multi:b"]);
    assert_eq!(cat(&disk_of(&store, "fixture/multi:b"), "/name"), "b");
}

#[test]
fn an_image_index_is_resolved_to_this_hosts_platform() {
    let dir = tempdir();
    let layer = fixtures::Layer {
        entries: vec![Entry::file("platform", 0o644, "host")],
        gzip: false,
    };
    let (mut files, _) = fixtures::oci_files(&[layer], "index", None);
    let index_at = files.iter().position(|(n, _)| n == "index.json").unwrap();
    let index: serde_json::Value = serde_json::from_slice(&files[index_at].1).unwrap();
    let mut host = index["manifests"][0].clone();
    host["platform"] = serde_json::json!({"os": "linux", "architecture": manifest::host_arch()});
    let other = serde_json::json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": fixtures::digest(b"not stored"),
        "size": 10,
        "platform": {"os": "linux", "architecture": "s390x"},
    });
    let nested = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [other, host],
    }))
    .unwrap();
    let nested_digest = fixtures::digest(&nested);
    files.push((
        format!("blobs/sha256/{}", &nested_digest[7..]),
        nested.clone(),
    ));
    files[index_at].1 = serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": nested_digest,
        "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": "fixture/index:1"},
    }]}))
    .unwrap();
    let path = dir.path().join("index");
    fixtures::write_dir(&path, &files).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&path, None, &NoProgress).unwrap();
    assert_eq!(info.tags, vec!["fixture/index:1"]);
    assert_eq!(
        cat(&disk_of(&store, "fixture/index:1"), "/platform"),
        "host"
    );
}

#[test]
fn reimport_reuses_the_stored_image_and_adds_the_tag() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &fx.id);
    let before = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&disk).unwrap());

    struct Phases(std::sync::Mutex<Vec<String>>);
    impl Progress for Phases {
        fn phase(&self, name: &str, _: Option<u64>) {
            self.0.lock().unwrap().push(name.to_string());
        }
        fn advance(&self, _: u64) {}
    }
    let phases = Phases(Default::default());
    let again = ImageRef::parse("again:1").unwrap();
    let info = store.import(&fx.path, Some(again), &phases).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec!["again:1", fixtures::OCI_REF]);
    let after = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&disk).unwrap());
    assert_eq!(before, after, "the disk was not rebuilt");
    let phases = phases.0.into_inner().unwrap();
    assert!(
        !phases
            .iter()
            .any(|p| p.starts_with("layer") || p == "building disk"),
        "{phases:?}"
    );
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn layer_digest_mismatch_is_refused_naming_the_blob() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    // Layer 2 is the uncompressed one: change a byte of etc/hostname's data.
    let layers = fixtures::busybox_layers().unwrap();
    let blob = fixtures::digest(&layers[1].blob());
    let path = fx.path.join("blobs/sha256").join(&blob[7..]);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"fixture\n").unwrap();
    bytes[at] = b'F';
    std::fs::write(&path, bytes).unwrap();

    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&fx.path, None, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let msg = err.to_string();
    assert!(
        msg.contains("digest mismatch") && msg.contains(&blob),
        "{msg}"
    );
    assert!(err.hint().is_some());
    assert_store_empty(&store);
}

#[test]
fn diff_id_mismatch_is_refused() {
    let dir = tempdir();
    let fx = fixtures::docker_archive(dir.path(), DockerLayout::Legacy).unwrap();
    // The legacy layout has no layer digests: only the config's diff_ids
    // can catch a changed layer.tar.
    let mut bytes = std::fs::read(&fx.path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"fixture\n").unwrap();
    bytes[at] = b'F';
    std::fs::write(&fx.path, bytes).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&fx.path, None, &NoProgress).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("digest mismatch on layer 2/3") && msg.contains("uncompressed"),
        "{msg}"
    );
    assert_store_empty(&store);
}

#[test]
fn config_digest_mismatch_is_refused() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let path = fx.path.join("blobs/sha256").join(&fx.id[7..]);
    let config = std::fs::read_to_string(&path)
        .unwrap()
        .replace("FIXTURE=1", "FIXTURE=2");
    std::fs::write(&path, config).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let msg = store
        .import(&fx.path, None, &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&format!("digest mismatch on config {}", fx.id)),
        "{msg}"
    );
    assert_store_empty(&store);
}

#[test]
fn truncated_tars_are_refused() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let full = std::fs::read(&fx.path).unwrap();
    let gz = fixtures::gzip(&full);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // Cut at a block boundary: only the missing end marker tells.
        ("at-boundary.tar", full[..full.len() - 1024].to_vec()),
        (
            "mid-file.tar",
            full[..(full.len() / 2) / 512 * 512 + 100].to_vec(),
        ),
        ("cut.tar.gz", gz[..gz.len() / 2].to_vec()),
    ];
    let store = ImageStore::new(dir.path().join("store"));
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = store.import(&path, None, &NoProgress).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        assert!(err.to_string().contains("truncated"), "{name}: {err}");
        assert_store_empty(&store);
    }
}

#[test]
fn path_traversal_is_refused_and_leaves_nothing() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    // Hostile entries aim at a sentinel directory, never at the host's real
    // files: a regression must not be able to damage the machine running
    // the tests. The /etc case writes only a name that does not exist there.
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("passwd"), "sentinel\n").unwrap();
    let outside_abs = outside.to_str().unwrap();
    let probe = "vicport-traversal-probe";
    assert!(!Path::new("/etc").join(probe).exists());
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "dotdot.tar",
            vec![Entry::file("../x", 0o644, "escaped")],
            "'..'",
        ),
        (
            "absdotdot.tar",
            vec![Entry::file("/../../x", 0o644, "escaped")],
            "'..'",
        ),
        (
            "symlink-etc.tar",
            vec![
                Entry::symlink("link", "/etc"),
                Entry::file(&format!("link/{probe}"), 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "symlink.tar",
            vec![
                Entry::symlink("link", outside_abs),
                Entry::file("link/passwd", 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "symlink-dotdot.tar",
            vec![
                Entry::dir("a/", 0o755),
                Entry::symlink("a/up", "../../../.."),
                Entry::file("a/up/x", 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "hardlink.tar",
            vec![
                Entry::file("ok", 0o644, "fine"),
                Entry::hardlink("h", "../x"),
            ],
            "hard link",
        ),
        (
            "hardlink-through-symlink.tar",
            vec![
                Entry::symlink("etc", outside_abs),
                Entry::hardlink("h", "etc/passwd"),
            ],
            "symlink",
        ),
    ];
    for (name, entries, why) in cases {
        let path = fixtures::tar_of(dir.path(), name, &entries).unwrap();
        let result = store.import(&path, None, &NoProgress);
        let escaped = Path::new("/etc").join(probe);
        if escaped.exists() {
            std::fs::remove_file(&escaped).unwrap();
            panic!("{name} wrote {}", escaped.display());
        }
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        let msg = err.to_string();
        assert!(msg.contains(why), "{name}: {msg}");
        assert!(msg.contains("entry"), "{name} names the entry: {msg}");
        assert_store_empty(&store);
        for x in [
            dir.path().join("x"),
            dir.path().join("store/x"),
            outside.join("x"),
        ] {
            assert!(!x.exists(), "{name} wrote {}", x.display());
        }
        assert_eq!(
            std::fs::read_to_string(outside.join("passwd")).unwrap(),
            "sentinel\n"
        );
        let links = std::os::unix::fs::MetadataExt::nlink(
            &std::fs::metadata(outside.join("passwd")).unwrap(),
        );
        assert_eq!(links, 1, "{name} linked to a file outside");
    }
}

#[test]
fn absolute_names_land_inside_the_root() {
    let dir = tempdir();
    let path = fixtures::tar_of(
        dir.path(),
        "abs.tar",
        &[
            Entry::dir("/etc/", 0o755),
            Entry::file("/etc/hostname", 0o644, "inside\n"),
        ],
    )
    .unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &info.id);
    assert_eq!(cat(&disk, "/etc/hostname"), "inside\n");
    fsck_clean(&disk);
}

#[test]
fn not_an_image_is_refused() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let empty_dir = dir.path().join("empty");
    std::fs::create_dir(&empty_dir).unwrap();
    for source in [&junk, &empty_dir] {
        let err = store.import(source, None, &NoProgress).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(err.to_string().contains("is not an image"), "{err}");
        assert_store_empty(&store);
    }
    let err = store
        .import(&dir.path().join("missing.tar"), None, &NoProgress)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn zstd_layers_are_decompressed_and_a_damaged_one_is_refused() {
    let dir = tempdir();
    let mut layer = fixtures::Layer {
        entries: vec![Entry::file("a", 0o644, "a")],
        gzip: false,
    };
    layer.gzip = false;
    // The same layer as a real zstd frame (as registries serve
    // `…layer.v1.tar+zstd`).
    let (mut files, _) = fixtures::oci_files(std::slice::from_ref(&layer), "zstd", None);
    let blob = fixtures::digest(&layer.blob());
    let zstd = ruzstd::encoding::compress_to_vec(
        &layer.blob()[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let zdigest = fixtures::digest(&zstd);
    for (name, bytes) in files.iter_mut() {
        if name.ends_with(&blob[7..]) {
            *name = format!("blobs/sha256/{}", &zdigest[7..]);
            *bytes = zstd.clone();
        } else if !name.starts_with("blobs/") {
            continue;
        } else if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(bytes)
            && v.get("layers").is_some()
        {
            v["layers"][0]["digest"] = zdigest.clone().into();
            v["layers"][0]["size"] = zstd.len().into();
            *bytes = serde_json::to_vec(&v).unwrap();
        }
    }
    // The manifest changed: point the index at its new digest.
    let manifest = files
        .iter()
        .find(|(n, b)| {
            n.starts_with("blobs/")
                && serde_json::from_slice::<serde_json::Value>(b)
                    .is_ok_and(|v| v.get("layers").is_some())
        })
        .map(|(_, b)| b.clone())
        .unwrap();
    let mdigest = fixtures::digest(&manifest);
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": mdigest, "size": manifest.len()}]});
    let oci = dir.path().join("zstd");
    for (name, bytes) in &files {
        let p = oci.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::write(oci.join("blobs/sha256").join(&mdigest[7..]), &manifest).unwrap();
    std::fs::write(oci.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();

    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&oci, None, &NoProgress).unwrap();
    let stored = store.resolve(&info.id).unwrap();
    assert_eq!(cat(&stored.disk, "/a"), "a");

    // A damaged zstd layer is refused, naming the layer, and leaves nothing.
    let mut damaged = zstd.clone();
    let last = damaged.len() - 1;
    damaged[last / 2] ^= 0xff;
    std::fs::write(oci.join("blobs/sha256").join(&zdigest[7..]), &damaged).unwrap();
    let store = ImageStore::new(dir.path().join("store2"));
    let err = store.import(&oci, None, &NoProgress).unwrap_err();
    assert!(
        err.to_string().contains(&format!("layer 1/1 ({zdigest})")),
        "{err}"
    );
    assert_store_empty(&store);
}

#[test]
fn concurrent_imports_are_all_recorded() {
    let dir = tempdir();
    let rootfs = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let oci = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let jobs = [
        (rootfs.path.clone(), "one:1"),
        (oci.path.clone(), "two:1"),
        (oci.path.clone(), "three:1"),
        (rootfs.path.clone(), "four:1"),
    ];
    std::thread::scope(|s| {
        for (path, name) in &jobs {
            let store = store.clone();
            s.spawn(move || {
                store
                    .import(path, Some(ImageRef::parse(name).unwrap()), &NoProgress)
                    .unwrap()
            });
        }
    });
    let images = store.list().unwrap();
    assert_eq!(images.len(), 2, "{images:?}");
    assert_eq!(store.inspect("one:1").unwrap().id, rootfs.id);
    assert_eq!(store.inspect("four:1").unwrap().id, rootfs.id);
    assert_eq!(store.inspect("two:1").unwrap().id, oci.id);
    assert_eq!(store.inspect("three:1").unwrap().id, oci.id);
    let tmp: Vec<_> = std::fs::read_dir(store.root().join("tmp"))
        .unwrap()
        .collect();
    assert!(tmp.is_empty());
}

#[test]
fn remove_is_refused_while_in_use_and_untags_first() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store
        .import(
            &fx.path,
            Some(ImageRef::parse("bb:1").unwrap()),
            &NoProgress,
        )
        .unwrap();
    store
        .tag("bb:1", &ImageRef::parse("bb:2").unwrap())
        .unwrap();

    // One of two tags: only the tag goes, even while in use.
    let removed = store.remove("bb:2", &|_| vec!["web".into()]).unwrap();
    assert_eq!(
        removed,
        Removed {
            untagged: vec!["bb:2".into()],
            deleted: None
        }
    );
    assert_eq!(store.inspect(&fx.id).unwrap().tags, vec!["bb:1"]);

    let asked = std::sync::Mutex::new(Vec::new());
    let err = store
        .remove("bb:1", &|id| {
            asked.lock().unwrap().push(id.to_string());
            vec!["web".into(), "db".into()]
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.exit_code(), 4);
    assert!(err.to_string().contains("web, db"), "{err}");
    assert_eq!(asked.into_inner().unwrap(), vec![fx.id.clone()]);
    assert!(store.resolve("bb:1").unwrap().disk.is_file(), "still there");

    let removed = store.remove("bb:1", &|_| Vec::new()).unwrap();
    assert_eq!(removed.deleted.as_deref(), Some(fx.id.as_str()));
    assert_eq!(removed.untagged, vec!["bb:1"]);
    assert_store_empty(&store);
    let err = store.resolve("bb:1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.hint().unwrap().contains("vicport image ls"));
}

#[test]
fn lookups_by_reference_id_and_prefix() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.resolve("nothing").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.hint().unwrap().contains("vicport image import"));
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(store.resolve(&fx.id).unwrap().id, fx.id);
    assert_eq!(store.resolve(&fx.id[7..]).unwrap().id, fx.id);
    assert_eq!(store.inspect(&fx.id[7..15]).unwrap().id, fx.id);
    assert_eq!(
        store.resolve("sha256:ffff").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let removed = store.remove(&fx.id[7..19], &|_| Vec::new()).unwrap();
    assert_eq!(removed.deleted.as_deref(), Some(fx.id.as_str()));
}

#[test]
fn requested_disk_size_is_honoured_and_too_small_refused() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store
        .import_with(
            &fx.path,
            &ImportOptions {
                disk_size: Some(8 << 20),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_store_empty(&store);
    store
        .import_with(
            &fx.path,
            &ImportOptions {
                disk_size: Some(200 << 20),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    let disk = disk_of(&store, &fx.id);
    assert_eq!(std::fs::metadata(&disk).unwrap().len(), 200 << 20);
    fsck_clean(&disk);
}

#[test]
fn cancel_stops_the_import_and_leaves_nothing() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let cancel = Arc::new(AtomicBool::new(false));
    struct CancelAtLayer2(Arc<AtomicBool>);
    impl Progress for CancelAtLayer2 {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name.starts_with("layer 2/") {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        fn advance(&self, _: u64) {}
    }
    let options = ImportOptions {
        cancel: Some(cancel.clone()),
        ..Default::default()
    };
    let err = store
        .import_with(&fx.path, &options, &CancelAtLayer2(cancel.clone()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
    assert!(cancel.load(Ordering::SeqCst));
    assert_store_empty(&store);
}

#[test]
fn leftovers_of_a_dead_import_are_cleaned_and_live_ones_kept() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let tmp = dir.path().join("store/tmp");
    // A dead importer's staging area: nobody holds its lock.
    let dead = tmp.join("deadbeefdeadbeef");
    std::fs::create_dir_all(dead.join("rootfs/etc")).unwrap();
    std::fs::write(dead.join("rootfs/etc/passwd"), "x").unwrap();
    // A live one: locked, as a running import holds it.
    let live = tmp.join("0123456789abcdef");
    std::fs::create_dir_all(&live).unwrap();
    let held = std::fs::File::open(&live).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();

    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    assert!(!dead.exists(), "the dead import's staging area is gone");
    assert!(live.exists(), "a running import's staging area is kept");
    drop(held);
}

#[test]
fn qcow2_overlay_is_backed_by_the_image_disk() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &fx.id);
    let overlay = dir.path().join("domain/overlay.qcow2");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    create_overlay(&disk, &overlay, None).unwrap();
    let out = Command::new("qemu-img")
        .args(["info", "--output", "json"])
        .arg(&overlay)
        .output()
        .unwrap();
    assert!(out.status.success());
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["format"], "qcow2");
    assert_eq!(info["backing-filename"], disk.to_str().unwrap());
    assert_eq!(info["backing-filename-format"], "raw");
    assert_eq!(
        info["virtual-size"],
        std::fs::metadata(&disk).unwrap().len()
    );

    let err = create_overlay(&disk, &overlay, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "never overwrites: {err}");
    let bigger = dir.path().join("domain/bigger.qcow2");
    create_overlay(&disk, &bigger, Some(1 << 30)).unwrap();
    let out = Command::new("qemu-img")
        .args(["info", "--output", "json"])
        .arg(&bigger)
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["virtual-size"], 1u64 << 30);
    assert!(create_overlay(&disk, &dir.path().join("small.qcow2"), Some(1 << 20)).is_err());
}

const UNPRIVILEGED_DIR: &str = "VICPORT_TEST_UNPRIVILEGED_DIR";

/// Import the layered OCI fixture as an unprivileged user. As root, this
/// test runs `unprivileged_import` in a child process with uid/gid 65534.
#[test]
fn import_as_an_unprivileged_user_gives_the_same_disk() {
    let dir = tempdir();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&work, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        // The test binary may live where uid 65534 cannot reach it (a clone
        // under /root): run a copy from the temporary directory.
        let exe = dir.path().join("tests-bin");
        std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
        std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        // Another test thread forking while the copy's descriptor was open
        // can keep it open in its child for a moment: ETXTBSY, try again.
        let out = (0..50)
            .find_map(|_| {
                match Command::new(&exe)
                    .current_dir(&work)
                    .args([
                        "--exact",
                        "plumbing::image::tests::unprivileged_import",
                        "--include-ignored",
                        "--nocapture",
                    ])
                    .env(UNPRIVILEGED_DIR, &work)
                    .env("PATH", "/usr/local/bin:/usr/bin:/bin")
                    .uid(65534)
                    .gid(65534)
                    .output()
                {
                    Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        None
                    }
                    other => Some(other.unwrap()),
                }
            })
            .expect("the copied test binary stays busy");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "child failed: {text}");
        assert!(
            text.contains("1 passed"),
            "the child ran the import: {text}"
        );
    } else {
        run_unprivileged_import(&work);
    }
    let store = ImageStore::new(work.join("store"));
    let disk = disk_of(&store, fixtures::OCI_REF);
    let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&disk).unwrap());
    assert_ne!(owner, 0, "the disk was built by the unprivileged user");
    assert_layered_tree(&disk);
}

use std::os::unix::process::CommandExt;

#[test]
#[ignore = "run by import_as_an_unprivileged_user_gives_the_same_disk"]
fn unprivileged_import() {
    let work = PathBuf::from(std::env::var_os(UNPRIVILEGED_DIR).expect("run by the parent test"));
    run_unprivileged_import(&work);
}

fn run_unprivileged_import(work: &Path) {
    assert!(!is_root());
    let fx = fixtures::oci_layout(work).unwrap();
    let store = ImageStore::new(work.join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
}

const HANG_DIR: &str = "VICPORT_TEST_HANG_DIR";

/// A real importer killed mid-import (SIGKILL: no destructor runs) leaves
/// its staging area behind; the next import removes it.
#[test]
fn a_killed_import_is_cleaned_up_by_the_next_one() {
    let dir = tempdir();
    /// Kills the child however the test ends.
    struct Child(std::process::Child);
    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "plumbing::image::tests::import_then_hang",
            "--include-ignored",
        ])
        .env(HANG_DIR, dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(Child)
        .unwrap();
    let marker = dir.path().join("hanging");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !marker.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the child never got to build the disk"
        );
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "the child exited early"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(child);
    let tmp = dir.path().join("store/tmp");
    let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().collect();
    assert_eq!(
        leftovers.len(),
        1,
        "the killed import left its staging area"
    );

    let store = ImageStore::new(dir.path().join("store"));
    assert!(store.list().unwrap().is_empty(), "nothing looks imported");
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn staging_areas_are_private() {
    struct CheckStaging(PathBuf, std::sync::Mutex<Vec<u32>>);
    impl Progress for CheckStaging {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name == "building disk" {
                for entry in std::fs::read_dir(&self.0).unwrap().flatten() {
                    let mode = std::os::unix::fs::PermissionsExt::mode(
                        &entry.metadata().unwrap().permissions(),
                    );
                    self.1.lock().unwrap().push(mode & 0o777);
                }
            }
        }
        fn advance(&self, _: u64) {}
    }
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let check = CheckStaging(dir.path().join("store/tmp"), Default::default());
    store.import(&fx.path, None, &check).unwrap();
    assert_eq!(check.1.into_inner().unwrap(), vec![0o700]);
}

#[test]
#[ignore = "run by a_killed_import_is_cleaned_up_by_the_next_one"]
fn import_then_hang() {
    struct HangAtDisk(PathBuf);
    impl Progress for HangAtDisk {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name == "building disk" {
                std::fs::write(&self.0, "").unwrap();
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(60));
                }
            }
        }
        fn advance(&self, _: u64) {}
    }
    let dir = PathBuf::from(std::env::var_os(HANG_DIR).expect("run by the parent test"));
    let fx = fixtures::oci_layout(&dir).unwrap();
    let store = ImageStore::new(dir.join("store"));
    let _ = store.import(&fx.path, None, &HangAtDisk(dir.join("hanging")));
}

/// The manifest the cache holds for the image `id`, with every blob it
/// names held and verified against its digest and size.
fn held_manifest(cache: &blobs::BlobCache, id: &str) -> manifest::ImageManifest {
    let id = Digest::parse(id).unwrap();
    let record = cache.image_record(&id).expect("a manifest recorded by id");
    let digest = Digest::parse(&record.manifest).unwrap();
    let manifest: manifest::ImageManifest =
        serde_json::from_slice(&cache.read(&digest).unwrap()).unwrap();
    for desc in std::iter::once(manifest.config()).chain(manifest.layers()) {
        let blob = cache
            .read(&manifest::descriptor_digest(desc).unwrap())
            .unwrap();
        assert_eq!(Digest::of(&blob).to_string(), desc.digest().to_string());
        assert_eq!(blob.len() as u64, desc.size());
    }
    manifest
}

#[test]
fn every_import_keeps_a_pushable_manifest_and_its_blobs_in_the_cache() {
    use oci_spec::image::MediaType;
    let dir = tempdir();
    let cache = blobs::BlobCache::in_cache_dir(&dir.path().join("cache"));
    let options = ImportOptions {
        blob_cache: Some(cache.clone()),
        ..ImportOptions::default()
    };
    let store = ImageStore::new(dir.path().join("store"));

    // docker save, both layouts: the config is the id, the layers are the
    // uncompressed tars as the archive holds them.
    for layout in [DockerLayout::Legacy, DockerLayout::Blobs] {
        let fx = fixtures::docker_archive(dir.path(), layout).unwrap();
        let info = store.import_with(&fx.path, &options, &NoProgress).unwrap();
        let manifest = held_manifest(&cache, &info.id);
        assert_eq!(manifest.config().digest().to_string(), fx.id, "{layout:?}");
        let layers: Vec<String> = manifest
            .layers()
            .iter()
            .map(|l| l.digest().to_string())
            .collect();
        assert_eq!(layers, info.layers, "{layout:?}: blobs are the diff_ids");
        assert!(
            manifest
                .layers()
                .iter()
                .all(|l| l.media_type() == &MediaType::ImageLayer)
        );
    }

    // A gzip rootfs tar: its uncompressed tar is the one layer, under a
    // config made of the import's defaults; the id stays the tar's digest.
    let fx = fixtures::rootfs_tar(dir.path(), true).unwrap();
    let info = store.import_with(&fx.path, &options, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    let manifest = held_manifest(&cache, &fx.id);
    assert_eq!(manifest.layers().len(), 1);
    assert_eq!(manifest.layers()[0].digest().to_string(), fx.id);
    assert_eq!(manifest.layers()[0].media_type(), &MediaType::ImageLayer);
    let config_digest = manifest::descriptor_digest(manifest.config()).unwrap();
    let config: oci_spec::image::ImageConfiguration =
        serde_json::from_slice(&cache.read(&config_digest).unwrap()).unwrap();
    assert_eq!(manifest::runtime_config(&config), info.config);
    assert_eq!(config.rootfs().diff_ids(), &vec![fx.id.clone()]);
    assert_eq!(config.architecture().to_string(), manifest::host_arch());

    // Stored before imports kept blobs (no cache then): importing it again
    // keeps them, the image itself untouched; the same manifest as above.
    let old = tempdir();
    let old_cache = blobs::BlobCache::in_cache_dir(&old.path().join("cache"));
    let store = ImageStore::new(old.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = store.resolve(&fx.id).unwrap().disk;
    let built = std::fs::metadata(&disk).unwrap().modified().unwrap();
    assert!(
        old_cache
            .image_record(&Digest::parse(&fx.id).unwrap())
            .is_none()
    );
    let again = ImportOptions {
        blob_cache: Some(old_cache.clone()),
        ..ImportOptions::default()
    };
    assert_eq!(
        store.import_with(&fx.path, &again, &NoProgress).unwrap().id,
        fx.id
    );
    assert_eq!(held_manifest(&old_cache, &fx.id), manifest);
    assert_eq!(std::fs::metadata(&disk).unwrap().modified().unwrap(), built);
}
