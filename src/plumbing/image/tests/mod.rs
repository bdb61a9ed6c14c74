//! The image store against real tools: fixtures built from busybox, imported
//! into a store in a temporary directory, the resulting ext4 disks read back
//! with debugfs and checked with e2fsck, overlays with qemu-img.
//!
//! One file per concern (sources and formats, digest checks, unpacking,
//! the store's references, staging areas, disks, the blob cache); this
//! file holds what they share: temporary directories and readers of the
//! ext4 disks an import built.

mod blob_cache;
mod digests;
mod disks;
mod refs;
mod sources;
mod staging;
mod unpacking;

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
