//! Protocol version 3 against the tether as a plain process: Stats and Top
//! from /proc, PathStat, and copies in and out of a `--root` directory,
//! their archives cross-checked with the `tar` crate, every path resolved
//! inside the root; and version 6's copy out of the root filesystem alone,
//! beneath what is mounted in the root. Needs root (owners are kept, and
//! set here; filesystems are mounted).

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use tether_protocol::client::{ClientError, CopyReader, CopyWriter};
use tether_protocol::message::{CopyFailure, CopyOutRequest, Message, PathKind, kind};
use tether_protocol::{DEFAULT_WINDOW, Versions};

fn geteuid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

fn set_mtime(path: &Path, secs: i64) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    let t = libc::timespec {
        tv_sec: secs,
        tv_nsec: 0,
    };
    // SAFETY: utimensat with a valid C string and two timespecs.
    let rc = unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            [t, t].as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    assert_eq!(rc, 0, "utimensat {}", path.display());
}

fn copy_out_bytes(
    c: &tether_protocol::client::Client,
    path: &str,
    name: &str,
    window: u32,
) -> Result<Vec<u8>, ClientError> {
    let s = c.copy_out(CopyOutRequest {
        path: path.into(),
        name: name.into(),
        window,
    })?;
    let mut bytes = Vec::new();
    CopyReader::new(&s)
        .read_to_end(&mut bytes)
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    Ok(bytes)
}

fn copy_in_bytes(
    c: &tether_protocol::client::Client,
    dir: &str,
    archive: &[u8],
) -> Result<(), ClientError> {
    let s = c.copy_in(dir)?;
    let mut w = CopyWriter::new(&s);
    if let Err(e) = w.write_all(archive) {
        // The tether failed the copy: its reason is the session's end.
        let inner = e
            .into_inner()
            .and_then(|e| e.downcast::<ClientError>().ok());
        return Err(inner.map_or_else(|| ClientError::Protocol("write failed".into()), |e| *e));
    }
    w.finish()
}

#[test]
fn stats_and_top_answer_from_proc_and_need_version_3() {
    let t = Tether::start(&[]);
    let c = t.client();
    assert!(c.speaks(kind::STATS) && c.speaks(kind::COPY_IN));
    let sleeper = c.exec(sh("exec sleep 100")).unwrap();
    let s = c.stats().unwrap();
    assert!(s.cpus >= 1, "{s:?}");
    assert!(s.cpu_total_ns > s.cpu_busy_ns && s.cpu_busy_ns > 0, "{s:?}");
    assert!(s.memory_limit > s.memory_used && s.memory_used > 0, "{s:?}");
    assert_eq!(s.processes, 1, "only what the tether started: {s:?}");
    // Once the shell has become `sleep` (exec takes a moment).
    let mut top = Vec::new();
    assert!(
        wait_for(Duration::from_secs(5), || {
            top = c.top().unwrap();
            top.first()
                .is_some_and(|p| p.command == "sleep 100" && p.rss > 0)
        }),
        "{top:?}"
    );
    assert_eq!(top.len(), 1, "{top:?}");
    let p = &top[0];
    assert_eq!(p.pid, sleeper.pid());
    assert_eq!(p.ppid, t.pid() as u32);
    assert_eq!((p.uid, p.user.as_str()), (0, "root"));
    drop(sleeper);
    assert!(wait_for(Duration::from_secs(5), || c
        .top()
        .unwrap()
        .is_empty()));

    // A link that agreed on version 2 does not have them.
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    let m = raw.hello(TOKEN, Versions { min: 2, max: 2 });
    assert_eq!(
        m,
        Message::HelloOk {
            version: 2,
            agent: m_agent(&m)
        }
    );
    raw.send(5, &Message::Stats);
    let (s, m) = raw.recv_until(|_, m| matches!(m, Message::Error { .. }));
    assert_eq!(s, 5);
    assert!(
        format!("{m:?}").contains("unknown message type 0x30"),
        "{m:?}"
    );
}

fn m_agent(m: &Message) -> String {
    match m {
        Message::HelloOk { agent, .. } => agent.clone(),
        _ => String::new(),
    }
}

/// A tree in the root: a directory with a file of another owner, a link
/// pointing out of the root, a hard link, a long name, a FIFO; and links
/// at the root that would lead out of it if followed on the host.
fn populate(root: &Path) {
    let a = root.join("a");
    std::fs::create_dir_all(a.join("sub")).unwrap();
    std::fs::write(a.join("f"), "inside\n").unwrap();
    std::fs::set_permissions(a.join("f"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::chown(a.join("f"), Some(1234), Some(5678)).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", a.join("l")).unwrap();
    std::fs::hard_link(a.join("f"), a.join("h")).unwrap();
    std::fs::write(a.join("n".repeat(150)), "long\n").unwrap();
    let fifo = std::ffi::CString::new(a.join("p").as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    set_mtime(&a.join("f"), 1_000_000_000);
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o750)).unwrap();
    set_mtime(&a, 1_100_000_000);
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "in-the-root\n").unwrap();
    std::os::unix::fs::symlink("/", root.join("esc")).unwrap();
    std::os::unix::fs::symlink("../../../..", root.join("up")).unwrap();
}

#[test]
fn copy_out_writes_a_tar_that_another_reader_takes_and_never_leaves_the_root() {
    assert_eq!(geteuid(), 0, "this test needs root (it sets owners)");
    let root = Dir::new("copy-out");
    populate(root.0.as_path());
    let t = Tether::start(&["--root", &root.path("")]);
    let c = t.client();

    let bytes = copy_out_bytes(&c, "/a", "a", DEFAULT_WINDOW).unwrap();
    let mut entries = Vec::new();
    for e in tar::Archive::new(&bytes[..]).entries().unwrap() {
        let mut e = e.unwrap();
        let h = e.header().clone();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        entries.push((
            e.path().unwrap().display().to_string(),
            h,
            e.link_name().unwrap().map(|l| l.display().to_string()),
            data,
        ));
    }
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    let long = format!("a/{}", "n".repeat(150));
    // The directory first, then its entries in name order (directories'
    // names end with a slash, as ustar has it).
    assert_eq!(names, ["a/", "a/f", "a/h", "a/l", &long, "a/p", "a/sub/"]);
    let get = |n: &str| entries.iter().find(|e| e.0 == n).unwrap();
    let (_, dir, _, _) = get("a/");
    assert_eq!(dir.entry_type(), tar::EntryType::Directory);
    assert_eq!(
        (dir.mode().unwrap(), dir.mtime().unwrap()),
        (0o750, 1_100_000_000)
    );
    let (_, f, _, data) = get("a/f");
    assert_eq!(data, b"inside\n");
    assert_eq!(
        (f.mode().unwrap(), f.uid().unwrap(), f.gid().unwrap()),
        (0o640, 1234, 5678)
    );
    assert_eq!(f.mtime().unwrap(), 1_000_000_000);
    let (_, h, target, _) = get("a/h");
    assert_eq!(
        (h.entry_type(), target.as_deref()),
        (tar::EntryType::Link, Some("a/f"))
    );
    // The link is copied as a link, never followed.
    let (_, l, target, _) = get("a/l");
    assert_eq!(
        (l.entry_type(), target.as_deref()),
        (tar::EntryType::Symlink, Some("/etc/passwd"))
    );
    assert_eq!(get(&long).3, b"long\n");
    assert_eq!(get("a/p").1.entry_type(), tar::EntryType::Fifo);

    // Links on the way lead back into the root, as a chroot would have it.
    for path in [
        "/esc/etc/hostname",
        "/up/etc/hostname",
        "etc/../../../etc/hostname",
    ] {
        let bytes = copy_out_bytes(&c, path, "hostname", 1000).unwrap();
        let mut ar = tar::Archive::new(&bytes[..]);
        let mut e = ar.entries().unwrap().next().unwrap().unwrap();
        let mut text = String::new();
        e.read_to_string(&mut text).unwrap();
        assert_eq!(text, "in-the-root\n", "{path}");
    }
    // The contents of a directory, as ".".
    let bytes = copy_out_bytes(&c, "/a/sub/..", ".", DEFAULT_WINDOW).unwrap();
    let mut ar = tar::Archive::new(&bytes[..]);
    let first = ar.entries().unwrap().next().unwrap().unwrap();
    assert_eq!(first.path().unwrap().to_str(), Some("./"));

    // What is not there is a CopyFailed before anything starts.
    match copy_out_bytes(&c, "/nope/x", "x", DEFAULT_WINDOW) {
        Err(ClientError::CopyFailed { reason, message }) => {
            assert_eq!(reason, CopyFailure::NotFound);
            assert!(message.contains("/nope/x"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match copy_out_bytes(&c, "/a/f", "../x", DEFAULT_WINDOW) {
        Err(ClientError::CopyFailed { message, .. }) => {
            assert!(message.contains("../x"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // PathStat: absent, a link not followed and followed, inside the root.
    assert_eq!(c.path_stat("/nope/x", true).unwrap().kind, PathKind::Absent);
    let l = c.path_stat("/a/l", false).unwrap();
    assert_eq!(
        (l.kind, l.link_target.as_str()),
        (PathKind::Symlink, "/etc/passwd")
    );
    assert_eq!(
        c.path_stat("/a/l", true).unwrap().kind,
        PathKind::Absent,
        "the root has no /etc/passwd"
    );
    let f = c.path_stat("/esc/a/f", true).unwrap();
    assert_eq!(
        (f.kind, f.mode, f.uid, f.gid, f.size),
        (PathKind::File, 0o640, 1234, 5678, 7)
    );
    assert_eq!(f.mtime, 1_000_000_000 * 1_000_000_000);
    assert_eq!(c.path_stat("/", true).unwrap().kind, PathKind::Directory);
}

#[test]
fn a_big_copy_flows_within_small_windows_both_ways() {
    let root = Dir::new("copy-big");
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(root.0.as_path().join("big"), &big).unwrap();
    let t = Tether::start(&["--root", &root.path("")]);
    let c = t.client();
    let bytes = copy_out_bytes(&c, "/big", "big", 4096).unwrap();
    let mut ar = tar::Archive::new(&bytes[..]);
    let mut e = ar.entries().unwrap().next().unwrap().unwrap();
    let mut back = Vec::new();
    e.read_to_end(&mut back).unwrap();
    assert!(back == big, "the copy out differs");

    let mut archive = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(big.len() as u64);
    h.set_mode(0o600);
    h.set_cksum();
    archive.append_data(&mut h, "again", &big[..]).unwrap();
    // A name longer than ustar's 100 bytes: the tar crate writes a GNU
    // long-name entry for it.
    let long = format!("deep/{}", "n".repeat(150));
    let mut h = tar::Header::new_gnu();
    h.set_size(4);
    h.set_mode(0o644);
    h.set_cksum();
    archive.append_data(&mut h, &long, &b"long"[..]).unwrap();
    let archive = archive.into_inner().unwrap();
    std::fs::create_dir(root.0.as_path().join("in")).unwrap();
    copy_in_bytes(&c, "/in", &archive).unwrap();
    assert!(
        std::fs::read(root.0.as_path().join("in/again")).unwrap() == big,
        "the copy in differs"
    );
    let long_file = root.0.as_path().join("in").join(&long);
    assert_eq!(std::fs::read(long_file).unwrap(), b"long");
}

fn entry(
    b: &mut tar::Builder<Vec<u8>>,
    path: &str,
    kind: tar::EntryType,
    mode: u32,
    data: &[u8],
    link: Option<&str>,
) {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(4321);
    h.set_gid(8765);
    h.set_mtime(1_200_000_000);
    h.set_size(data.len() as u64);
    if let Some(l) = link {
        h.set_link_name(l).unwrap();
    }
    h.set_path(path).unwrap();
    h.set_cksum();
    b.append(&h, data).unwrap();
}

#[test]
fn copy_in_extracts_what_another_writer_made_and_never_leaves_the_root() {
    assert_eq!(geteuid(), 0, "this test needs root (it checks owners)");
    let root = Dir::new("copy-in");
    populate(root.0.as_path());
    std::fs::create_dir(root.0.as_path().join("dest")).unwrap();
    let t = Tether::start(&["--root", &root.path("")]);
    let c = t.client();

    let mut b = tar::Builder::new(Vec::new());
    use tar::EntryType as E;
    entry(&mut b, "d/", E::Directory, 0o751, b"", None);
    entry(&mut b, "d/f", E::Regular, 0o604, b"data\n", None);
    entry(
        &mut b,
        "d/l",
        E::Symlink,
        0o777,
        b"",
        Some("/outside-target"),
    );
    entry(&mut b, "d/h", E::Link, 0o604, b"", Some("d/f"));
    entry(&mut b, "new/deep/file", E::Regular, 0o644, b"made\n", None);
    copy_in_bytes(&c, "/dest", &b.into_inner().unwrap()).unwrap();
    let d = root.0.as_path().join("dest/d");
    let md = std::fs::symlink_metadata(&d).unwrap();
    assert_eq!(
        (md.mode() & 0o7777, md.uid(), md.gid(), md.mtime()),
        (0o751, 4321, 8765, 1_200_000_000)
    );
    let mf = std::fs::symlink_metadata(d.join("f")).unwrap();
    assert_eq!(
        (mf.mode() & 0o7777, mf.uid(), mf.mtime()),
        (0o604, 4321, 1_200_000_000)
    );
    assert_eq!(std::fs::read_to_string(d.join("f")).unwrap(), "data\n");
    assert_eq!(
        std::fs::read_link(d.join("l")).unwrap(),
        Path::new("/outside-target")
    );
    assert_eq!(std::fs::symlink_metadata(d.join("l")).unwrap().uid(), 4321);
    assert_eq!(std::fs::metadata(d.join("h")).unwrap().ino(), mf.ino());
    // Missing directories on the way are made.
    let deep = root.0.as_path().join("dest/new/deep");
    assert_eq!(std::fs::metadata(&deep).unwrap().mode() & 0o7777, 0o755);
    assert_eq!(
        std::fs::read_to_string(deep.join("file")).unwrap(),
        "made\n"
    );

    // Into a directory reached through links that point out of the root,
    // and through an entry's own link: everything lands inside the root.
    let host_marker = Path::new("/planted-by-tether-test");
    assert!(!host_marker.exists());
    let mut b = tar::Builder::new(Vec::new());
    entry(
        &mut b,
        "planted-by-tether-test",
        E::Regular,
        0o644,
        b"x",
        None,
    );
    entry(&mut b, "a/l", E::Symlink, 0o777, b"", Some("/"));
    entry(
        &mut b,
        "a/l/planted-through-a-link",
        E::Regular,
        0o644,
        b"y",
        None,
    );
    copy_in_bytes(&c, "/esc/up", &b.into_inner().unwrap()).unwrap();
    assert!(!host_marker.exists(), "a copy left the root");
    assert!(
        !Path::new("/planted-through-a-link").exists(),
        "a copy left the root"
    );
    assert_eq!(
        std::fs::read(root.0.as_path().join("planted-by-tether-test")).unwrap(),
        b"x"
    );
    assert_eq!(
        std::fs::read(root.0.as_path().join("planted-through-a-link")).unwrap(),
        b"y"
    );
    // The archive's link replaced the file link a/l (a link, not followed).
    assert_eq!(
        std::fs::read_link(root.0.as_path().join("a/l")).unwrap(),
        Path::new("/")
    );

    // Refusals, each a CopyFailed of its class.
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_old();
    h.set_size(1);
    h.set_entry_type(E::Regular);
    h.as_old_mut().name[..5].copy_from_slice(b"../up");
    h.set_cksum();
    b.append(&h, &b"z"[..]).unwrap();
    let leaving = b.into_inner().unwrap();
    let mut b = tar::Builder::new(Vec::new());
    entry(&mut b, "a/f", E::Directory, 0o755, b"", None);
    let dir_over_file = b.into_inner().unwrap();
    let mut b = tar::Builder::new(Vec::new());
    entry(&mut b, "a", E::Regular, 0o644, b"", None);
    let file_over_dir = b.into_inner().unwrap();
    for (dir, archive, want) in [
        ("/dest", &leaving, CopyFailure::BadArchive),
        ("/", &dir_over_file, CopyFailure::Conflict),
        ("/", &file_over_dir, CopyFailure::Conflict),
        ("/no/such/dir", &leaving, CopyFailure::NotFound),
        ("/etc/hostname", &leaving, CopyFailure::NotADirectory),
        (
            "/dest",
            &b"not a tar archive at all".repeat(30),
            CopyFailure::BadArchive,
        ),
    ] {
        match copy_in_bytes(&c, dir, archive) {
            Err(ClientError::CopyFailed { reason, message }) => {
                assert_eq!(reason, want, "{dir}: {message}")
            }
            other => panic!("{dir}: {other:?}"),
        }
    }
    assert!(
        root.0.as_path().join("a/f").is_file(),
        "a refused entry changes nothing"
    );
    // The link still works after all of that.
    c.ping().unwrap();
}

fn copy_out_rootfs_bytes(
    c: &tether_protocol::client::Client,
    path: &str,
    name: &str,
) -> Result<Vec<u8>, ClientError> {
    let s = c.copy_out_rootfs(CopyOutRequest {
        path: path.into(),
        name: name.into(),
        window: DEFAULT_WINDOW,
    })?;
    let mut bytes = Vec::new();
    CopyReader::new(&s)
        .read_to_end(&mut bytes)
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    Ok(bytes)
}

/// Each entry's name and, for a file, its content.
fn archive_files(bytes: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in tar::Archive::new(bytes).entries().unwrap() {
        let mut e = e.unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let data = String::from_utf8_lossy(&data).into_owned();
        out.push((e.path().unwrap().display().to_string(), data));
    }
    out
}

fn content<'a>(files: &'a [(String, String)], name: &str) -> Option<&'a str> {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| d.as_str())
}

/// A mount made for a test, detached when dropped.
struct Mounted(PathBuf);

impl Mounted {
    fn new(source: &str, target: &Path, fstype: &str, flags: libc::c_ulong) -> Mounted {
        let c = |s: &[u8]| std::ffi::CString::new(s).unwrap();
        let (src, dst, fs) = (
            c(source.as_bytes()),
            c(target.as_os_str().as_encoded_bytes()),
            c(fstype.as_bytes()),
        );
        let fs_ptr = if fstype.is_empty() {
            std::ptr::null()
        } else {
            fs.as_ptr()
        };
        // SAFETY: valid C strings; no data.
        let rc =
            unsafe { libc::mount(src.as_ptr(), dst.as_ptr(), fs_ptr, flags, std::ptr::null()) };
        assert_eq!(
            rc,
            0,
            "mount {source} on {}: {}",
            target.display(),
            std::io::Error::last_os_error()
        );
        Mounted(target.to_path_buf())
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let t = std::ffi::CString::new(self.0.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string.
        unsafe { libc::umount2(t.as_ptr(), libc::MNT_DETACH) };
    }
}

/// The views a tether of pid `pid` has: their directories, and their
/// mounts as this process sees them.
fn views_of(pid: i32) -> Vec<String> {
    let prefix = format!("/run/vicport/rootfs.{pid}.");
    let mut found: Vec<String> = std::fs::read_dir("/run/vicport")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| format!("/run/vicport/{}", e.file_name().to_string_lossy()))
                .filter(|p| p.starts_with(&prefix))
                .collect()
        })
        .unwrap_or_default();
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    found.extend(
        mounts
            .lines()
            .filter_map(|l| l.split(' ').nth(4))
            .filter(|m| m.starts_with(&prefix))
            .map(|m| format!("mounted {m}")),
    );
    found
}

#[test]
#[allow(clippy::print_stderr)] // it says why it is skipped
fn copy_out_rootfs_shows_what_the_root_filesystem_has_beneath_mounts() {
    if geteuid() != 0 {
        eprintln!("skipped: this test needs root (it mounts a tmpfs, the tether binds its view)");
        return;
    }
    let root = Dir::new("copy-rootfs");
    let r = root.0.as_path();
    std::fs::create_dir_all(r.join("mnt")).unwrap();
    std::fs::write(r.join("mnt/own"), "underneath\n").unwrap();
    std::fs::create_dir_all(r.join("etc")).unwrap();
    std::fs::write(r.join("etc/hostname"), "the image's\n").unwrap();
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(r.join("big"), &big).unwrap();
    let outside = Dir::new("copy-rootfs-outside");
    std::fs::write(outside.0.join("hostname"), "bound in\n").unwrap();
    // Dropped before the directories (declared after them).
    let _tmpfs = Mounted::new("tmpfs", &r.join("mnt"), "tmpfs", 0);
    std::fs::write(r.join("mnt/on-tmpfs"), "mounted\n").unwrap();
    let _file = Mounted::new(
        &outside.path("hostname"),
        &r.join("etc/hostname"),
        "",
        libc::MS_BIND,
    );
    let t = Tether::start(&["--root", &root.path("")]);
    let c = t.client();
    assert!(c.speaks(kind::COPY_OUT_ROOTFS));

    // CopyOut shows what the container's processes see.
    let tree = archive_files(&copy_out_bytes(&c, "/", ".", DEFAULT_WINDOW).unwrap());
    assert_eq!(content(&tree, "./mnt/on-tmpfs"), Some("mounted\n"));
    assert_eq!(content(&tree, "./mnt/own"), None);
    assert_eq!(content(&tree, "./etc/hostname"), Some("bound in\n"));

    // CopyOutRootfs shows the root filesystem alone.
    let rootfs = archive_files(&copy_out_rootfs_bytes(&c, "/", ".").unwrap());
    assert_eq!(content(&rootfs, "./mnt/own"), Some("underneath\n"));
    assert_eq!(content(&rootfs, "./mnt/on-tmpfs"), None);
    assert_eq!(content(&rootfs, "./etc/hostname"), Some("the image's\n"));
    assert!(rootfs.iter().any(|(n, _)| n == "./mnt/"), "{rootfs:?}");
    assert!(views_of(t.pid()).is_empty(), "{:?}", views_of(t.pid()));

    // A path beneath a mount point is found as the root filesystem has it.
    let own = archive_files(&copy_out_rootfs_bytes(&c, "/mnt/own", "own").unwrap());
    assert_eq!(own, [("own".to_string(), "underneath\n".to_string())]);
    match copy_out_rootfs_bytes(&c, "/mnt/on-tmpfs", "x") {
        Err(ClientError::CopyFailed { reason, message }) => {
            assert_eq!(reason, CopyFailure::NotFound, "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(views_of(t.pid()).is_empty(), "{:?}", views_of(t.pid()));

    // A copy the host abandons takes its view with it.
    let s = c
        .copy_out_rootfs(CopyOutRequest {
            path: "/big".into(),
            name: "big".into(),
            window: 4096,
        })
        .unwrap();
    assert_eq!(views_of(t.pid()).len(), 2, "a directory and its mount");
    drop(s);
    assert!(
        wait_for(Duration::from_secs(5), || views_of(t.pid()).is_empty()),
        "{:?}",
        views_of(t.pid())
    );
    // Mounted beneath the root after the copies, the tmpfs is still what
    // the container sees.
    assert_eq!(
        std::fs::read_to_string(r.join("mnt/on-tmpfs")).unwrap(),
        "mounted\n"
    );
    // Serve mode made the tether's own directory on this host: gone if
    // empty.
    let _ = std::fs::remove_dir("/run/vicport");
}

#[test]
fn copy_out_rootfs_needs_version_6() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    let m = raw.hello(TOKEN, Versions { min: 2, max: 5 });
    assert!(matches!(m, Message::HelloOk { version: 5, .. }), "{m:?}");
    let req = CopyOutRequest {
        path: "/".into(),
        name: ".".into(),
        window: DEFAULT_WINDOW,
    };
    raw.send(3, &Message::CopyOutRootfs(req));
    let (s, m) = raw.recv_until(|_, m| matches!(m, Message::Error { .. }));
    assert_eq!(s, 3);
    assert!(
        format!("{m:?}").contains("unknown message type 0x54"),
        "{m:?}"
    );
}
