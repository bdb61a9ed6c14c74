//! Host directories given to local domains over virtio-fs: the spec's root
//! directory and shares grouped into one shared directory each (a shared
//! file is its directory plus the file's name), the tags the guest finds
//! them by, and the virtiofsd daemon per directory that the monitor starts
//! before QEMU.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::plumbing::domain::guest::ShareLocator;
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::spec::DomainSpec;

use super::qemu::FsShare;

/// The tag of a shared root directory.
pub const ROOT_TAG: &str = "vicport-root";

/// Where in the domain directory staged shares are (see [`plan`]).
pub const STAGE_DIR: &str = "shares";

/// Where virtiofsd is looked for when `VICPORT_VIRTIOFSD` does not say:
/// Debian's later package, QEMU's old helper, and `cargo install` as root
/// or as a user (a helper is never looked up in PATH: engines call the
/// runtime without one).
const VIRTIOFSD: [&str; 4] = [
    "/usr/libexec/virtiofsd",
    "/usr/lib/qemu/virtiofsd",
    "/usr/local/bin/virtiofsd",
    "/usr/bin/virtiofsd",
];

/// The virtiofsd binary: `VICPORT_VIRTIOFSD`, else the first of the usual
/// places, else `~/.cargo/bin/virtiofsd`.
pub fn virtiofsd() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("VICPORT_VIRTIOFSD").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin/virtiofsd"));
    VIRTIOFSD
        .iter()
        .map(PathBuf::from)
        .chain(home)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::other(format!(
                "virtiofsd is not installed (looked in {} and ~/.cargo/bin): a domain on host directories needs it",
                VIRTIOFSD.join(", ")
            ))
            .with_hint(
                "install it with `cargo install --locked virtiofsd --root /usr/local` (Debian 12 has no package; it needs libseccomp-dev and libcap-ng-dev), or set VICPORT_VIRTIOFSD",
            )
        })
}

/// The shared directories of `spec` and where each of its shares is in
/// them (one locator per share, in the spec's order). With `stage` (as
/// root, where virtiofsd gets a mount namespace), a shared directory is
/// bound by its name in a directory of its own under `stage`, which is
/// shared instead: the guest binds it by that name, so its mountinfo
/// shows the source's name as a bind mount's root (what the runtime
/// spec's conformance suite checks), and nothing beside it is shared.
pub fn plan(spec: &DomainSpec, stage: Option<&Path>) -> Result<(Vec<FsShare>, Vec<ShareLocator>)> {
    let mut dirs: Vec<FsShare> = Vec::new();
    if let Some(root) = &spec.root_dir {
        // virtiofsd binds the directory itself: a symbolic link to one
        // is refused, so links are resolved here.
        let dir = root
            .path
            .canonicalize()
            .ok()
            .filter(|d| d.is_dir())
            .ok_or_else(|| gone(&spec.name, &root.path, "root directory"))?;
        dirs.push(FsShare {
            tag: ROOT_TAG.into(),
            socket: format!("{ROOT_TAG}.sock"),
            dir,
            read_only: root.read_only,
            bind: None,
        });
    }
    let mut locators = Vec::new();
    for s in &spec.shares {
        let source = s
            .source
            .canonicalize()
            .map_err(|_| gone(&spec.name, &s.source, "share"))?;
        // A directory is staged (as root), a file is its directory plus
        // its name, a directory otherwise is shared whole.
        let staged = stage.filter(|_| source.is_dir());
        let (dir, subpath) = if staged.is_some() {
            // The host's / has no name: bound as "root".
            let name = source
                .file_name()
                .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned());
            (source, name)
        } else if source.is_dir() {
            (source, String::new())
        } else {
            let parent = source.parent().unwrap_or(Path::new("/")).to_path_buf();
            let name = source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (parent, name)
        };
        let at = match dirs.iter_mut().position(|d| {
            d.tag != ROOT_TAG
                && d.bind.is_some() == staged.is_some()
                && d.bind.as_ref().map_or(&d.dir, |b| &b.0) == &dir
        }) {
            Some(i) => {
                // Shared read-write when any share of it is written; each
                // bind is made read-only in the guest as its share says.
                dirs[i].read_only &= s.read_only;
                i
            }
            None => {
                let tag = format!("vicport-share-{}", dirs.len());
                let (shared, bind) = match staged {
                    Some(stage) => (stage.join(&tag), Some((dir, subpath.clone()))),
                    None => (dir, None),
                };
                dirs.push(FsShare {
                    socket: format!("{tag}.sock"),
                    tag,
                    dir: shared,
                    read_only: s.read_only,
                    bind,
                });
                dirs.len() - 1
            }
        };
        locators.push(ShareLocator {
            tag: dirs[at].tag.clone(),
            subpath,
        });
    }
    Ok((dirs, locators))
}

fn gone(domain: &str, path: &Path, what: &str) -> Error {
    Error::invalid_state(format!(
        "domain {domain:?}'s {what} {} does not exist (any more)",
        path.display()
    ))
    .with_hint(format!(
        "make it again, or remove the domain: `vicport domain rm {domain}`"
    ))
}

/// What a virtiofsd that can migrate is told, so that a suspended domain
/// resumes even when a file its guest knew has gone from the host: that
/// file then fails in the guest (as a stale file does on NFS), not the
/// whole resume.
const MIGRATION_ON_ERROR: &str = "--migration-on-error=guest-error";
/// And, where the shared filesystem makes file handles, so that a file
/// replaced by another of the same name fails likewise. Where it makes
/// none (overlayfs without `nfs_export`, as engines mount a container's
/// root), virtiofsd would find nothing to verify with and lose every file
/// the guest had open, so files are found again by path alone.
const MIGRATION_VERIFY: &str = "--migration-verify-handles";

/// Whether the filesystem at `path` gives file handles
/// (name_to_handle_at(2)), which virtiofsd needs to verify what it finds
/// on a resume.
pub fn makes_file_handles(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // A file_handle header and MAX_HANDLE_SZ bytes, 8-byte aligned.
    let mut buf = [0u64; 1 + libc::MAX_HANDLE_SZ as usize / 8];
    let handle = buf.as_mut_ptr().cast::<libc::file_handle>();
    let mut mount_id = 0;
    // SAFETY: `handle` points at a buffer with room for the header and
    // MAX_HANDLE_SZ bytes, as handle_bytes says; the path is a C string.
    unsafe {
        (*handle).handle_bytes = libc::MAX_HANDLE_SZ as u32;
        libc::name_to_handle_at(libc::AT_FDCWD, c_path.as_ptr(), handle, &mut mount_id, 0) == 0
    }
}

/// Whether the virtiofsd at `binary` can hand its state to QEMU's
/// migration (its vhost-user capabilities list `migrate-precopy`;
/// virtiofsd 1.14 does), so a domain sharing directories through it can
/// be suspended and resumed.
pub fn can_migrate(binary: &Path) -> bool {
    let Ok(out) = Command::new(binary)
        .arg("--print-capabilities")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok_and(|caps| {
        caps["features"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f == "migrate-precopy"))
    })
}

/// Whether a virtiofsd started with `args` (from [`daemon_args`]) takes
/// part in a migration.
pub fn migrates(args: &[String]) -> bool {
    args.iter().any(|a| a == MIGRATION_ON_ERROR)
}

/// How a virtiofsd takes part in its domain's migrations (a suspend and
/// its resume, a checkpoint and its restore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migration {
    /// It cannot ([`can_migrate`]): its domain cannot be saved.
    No,
    /// The files the guest knew are found again by path: a domain on a
    /// root directory of the host's, whose checkpoint may be restored onto
    /// new directories (an engine's import makes a new root and new files
    /// to bind, where handles would differ).
    ByPath,
    /// By path, and verified by file handle where the filesystem makes
    /// them: a domain on its own root disk, which only a suspend saves and
    /// its resume finds the very same files.
    Verified,
}

/// virtiofsd's arguments for `share` (run in the domain directory). As
/// root it keeps the files' owners and sandboxes itself in namespaces; as
/// another user it has no sandbox (it cannot make one).
pub fn daemon_args(
    binary: &Path,
    share: &FsShare,
    root: bool,
    migration: Migration,
) -> Vec<String> {
    let mut args = vec![
        binary.display().to_string(),
        format!("--socket-path={}", share.socket),
        format!("--shared-dir={}", share.dir.display()),
        "--cache=auto".into(),
        "--log-level=error".into(),
    ];
    if migration != Migration::No {
        args.push(MIGRATION_ON_ERROR.into());
        let shared = share.bind.as_ref().map_or(&share.dir, |(source, _)| source);
        if migration == Migration::Verified && makes_file_handles(shared) {
            args.push(MIGRATION_VERIFY.into());
        }
    }
    if share.read_only {
        args.push("--readonly".into());
    }
    if !root {
        args.push("--sandbox=none".into());
    }
    match &share.bind {
        None => args,
        Some((source, name)) => {
            // Announced, the bound source would be a submount in the
            // guest (a mount of its own, whose root is "/"): it is
            // served as the staged directory's child instead.
            args.push("--no-announce-submounts".into());
            // The bind is made in a mount namespace of virtiofsd's own
            // (a slave of the host's: nothing shows on the host, and
            // nothing is left to unmount), then virtiofsd runs there.
            let mut wrapped: Vec<String> = [
                UNSHARE,
                "--mount",
                "--propagation",
                "slave",
                "--",
                "/bin/sh",
                "-c",
                r#"/bin/mkdir -p "$2" && /bin/mount --rbind "$1" "$2" && shift 2 && exec "$@""#,
                "vicport-share",
            ]
            .map(String::from)
            .into();
            wrapped.push(source.display().to_string());
            wrapped.push(share.dir.join(name).display().to_string());
            wrapped.extend(args);
            wrapped
        }
    }
}

/// util-linux's unshare(1), which makes virtiofsd's mount namespace for
/// a staged share.
const UNSHARE: &str = "/usr/bin/unshare";

/// Start one virtiofsd per shared directory (output on QEMU's log) and
/// wait until each listens on its socket, which QEMU connects to.
pub fn start_daemons(
    dir: &Path,
    commands: &[Vec<String>],
    log: &std::fs::File,
) -> Result<Vec<Child>> {
    let mut daemons = Vec::new();
    for argv in commands {
        let Some((program, args)) = argv.split_first() else {
            continue;
        };
        let socket = args
            .iter()
            .find_map(|a| a.strip_prefix("--socket-path="))
            .map(|s| dir.join(s));
        if let Some(s) = &socket {
            let _ = std::fs::remove_file(s);
        }
        let spawned = Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().io_context(|| "qemu.log".into())?)
            .stderr(log.try_clone().io_context(|| "qemu.log".into())?)
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                end_daemons(&mut daemons);
                return Err(Error::io(format!("starting {program}"), e).with_hint(
                    "install virtiofsd: `cargo install --locked virtiofsd --root /usr/local`",
                ));
            }
        };
        // virtiofsd makes its socket before it sandboxes itself, and may
        // fail at that: it counts as started once its socket is there and
        // it has lived on for a moment.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen: Option<Instant> = None;
        loop {
            let exited = child.try_wait().ok().flatten();
            if exited.is_none() && socket.as_ref().is_none_or(|s| s.exists()) {
                let at = *seen.get_or_insert_with(Instant::now);
                if at.elapsed() >= Duration::from_millis(50) {
                    break;
                }
            }
            if exited.is_some() || Instant::now() > deadline {
                let said = std::fs::read_to_string(dir.join("qemu.log"))
                    .ok()
                    .and_then(|l| l.lines().last().map(|l| format!(" ({})", l.trim())))
                    .unwrap_or_default();
                let _ = child.kill();
                let _ = child.wait();
                end_daemons(&mut daemons);
                return Err(Error::other(format!(
                    "{program} did not start serving {}: {}{said}",
                    args.iter()
                        .find_map(|a| a.strip_prefix("--shared-dir="))
                        .unwrap_or("its directory"),
                    exited.map_or("it did not listen within 10 s".into(), |s| format!(
                        "it exited ({s})"
                    ))
                ))
                .with_hint(format!("see {}", dir.join("qemu.log").display())));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        daemons.push(child);
    }
    Ok(daemons)
}

/// End the virtiofsd daemons (they exit by themselves once QEMU is gone;
/// this ends one that does not).
pub fn end_daemons(daemons: &mut Vec<Child>) {
    for mut d in daemons.drain(..) {
        let deadline = Instant::now() + Duration::from_secs(1);
        while d.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = d.kill();
        let _ = d.wait();
    }
}

/// The mount points every container has in its root: the tether binds
/// its /dev, /proc and /sys there (its /dev/pts and /dev/shm land in /dev).
const ALWAYS_MOUNTED: [&str; 3] = ["/dev", "/proc", "/sys"];

/// In a root directory, make the mount points the guest will need: /dev,
/// /proc, /sys, and the path of each guest filesystem, share and volume
/// that does not lie inside another of them — as runc makes them in a
/// bundle's rootfs. A directory for each, an empty file for a shared
/// file. The guest could make them itself in a root it can write; it
/// cannot in a read-only one (virtiofsd shares it read-only), and a guest
/// restored from a checkpoint finds its mount points again by path, in a
/// root that may be new (an engine's import of the checkpoint unpacks
/// the container's changes without them). A path through a symbolic
/// link is left alone: the guest follows links inside the container's
/// root, which the host cannot do safely; if it is missing there, the
/// guest says so.
pub fn make_mount_points(spec: &DomainSpec) -> Result<()> {
    let Some(root) = spec.root_dir.as_ref() else {
        return Ok(());
    };
    let mut points: Vec<(&str, bool)> = ALWAYS_MOUNTED.iter().map(|p| (*p, true)).collect();
    points.extend(spec.guest_mounts.iter().map(|m| (m.path.as_str(), true)));
    points.extend(spec.volumes.iter().map(|v| (v.path.as_str(), true)));
    points.extend(
        spec.shares
            .iter()
            .map(|s| (s.path.as_str(), s.source.is_dir())),
    );
    use tether_protocol::config::{lies_inside, path_names};
    for (path, dir) in &points {
        let own = path_names(path);
        if own.is_empty() || points.iter().any(|(other, _)| lies_inside(path, other)) {
            continue;
        }
        make_point(&root.path, &own, *dir).map_err(|e| {
            Error::io(
                format!(
                    "making the mount point {path} in the root directory {}",
                    root.path.display()
                ),
                e,
            )
            .with_hint(if root.read_only {
                "make it in the directory, or give a root that is not read-only"
            } else {
                "make it in the directory"
            })
        })?;
    }
    Ok(())
}

/// Make `names` under `root`: missing directories on the way, then a
/// directory (`dir`) or an empty file; nothing through a symbolic link.
fn make_point(root: &Path, names: &[&str], dir: bool) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    let mut at = root.to_path_buf();
    for (i, name) in names.iter().enumerate() {
        at.push(name);
        let last = i + 1 == names.len();
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Ok(()),
            Ok(m) if m.is_dir() => {}
            // There (the last name), or a file in the way of a directory,
            // whose mount the guest then refuses, saying so.
            Ok(_) => return Ok(()),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            Err(_) if last && !dir => {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&at)?;
            }
            Err(_) => std::fs::DirBuilder::new().mode(0o755).create(&at)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::spec::{HostRoot, HostShare};

    /// A read-only root directory gets the mount points the guest cannot
    /// make: /dev, /proc, /sys, and each mount's outermost path (a
    /// directory, or an empty file for a shared file); nothing inside
    /// another mount, through a link, or over what is there.
    #[test]
    fn a_root_directory_gets_its_mount_points_made_on_the_host() {
        use crate::plumbing::spec::{GuestMount, VolumeMount};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("rootfs");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/hostname"), "kept").unwrap();
        std::os::unix::fs::symlink("../run", root.join("etc/linked")).unwrap();
        let conf = dir.path().join("app.conf");
        std::fs::write(&conf, "x").unwrap();
        let mut spec = DomainSpec::new("c1", "");
        spec.root_dir = Some(HostRoot {
            path: root.clone(),
            read_only: true,
        });
        let guest = |fstype: &str, path: &str| GuestMount {
            fstype: fstype.into(),
            source: String::new(),
            path: path.into(),
            options: Vec::new(),
        };
        spec.guest_mounts = vec![
            guest("mqueue", "/dev/mqueue"),
            guest("cgroup", "/sys/fs/cgroup"),
            guest("tmpfs", "/run/lock"),
            guest("tmpfs", "/etc/linked/x"),
        ];
        spec.volumes = vec![VolumeMount {
            volume: "v1".into(),
            path: "/var/lib/data".into(),
            read_only: false,
        }];
        let share = |source: &Path, path: &str| HostShare {
            source: source.to_path_buf(),
            path: path.into(),
            read_only: true,
        };
        spec.shares = vec![
            share(&conf, "/etc/app/app.conf"),
            share(dir.path(), "/srv"),
            share(&conf, "/etc/hostname"),
        ];
        make_mount_points(&spec).unwrap();
        for d in [
            "dev",
            "proc",
            "sys",
            "run/lock",
            "var/lib/data",
            "srv",
            "etc/app",
        ] {
            assert!(root.join(d).is_dir(), "{d}");
        }
        assert_eq!(std::fs::read(root.join("etc/app/app.conf")).unwrap(), b"");
        assert_eq!(std::fs::read(root.join("etc/hostname")).unwrap(), b"kept");
        // Inside /dev and /sys: the guest's own mounts; through a link: the
        // guest's to follow.
        assert!(!root.join("dev/mqueue").exists());
        assert!(!root.join("sys/fs").exists());
        assert!(!dir.path().join("run").exists());

        // A root that can be written gets them too.
        let other = dir.path().join("rw");
        std::fs::create_dir(&other).unwrap();
        spec.root_dir = Some(HostRoot {
            path: other.clone(),
            read_only: false,
        });
        make_mount_points(&spec).unwrap();
        assert!(other.join("proc").is_dir());
        assert_eq!(std::fs::read(other.join("etc/app/app.conf")).unwrap(), b"");
    }

    #[test]
    fn files_share_their_directory_and_directories_are_shared_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("rootfs");
        let ud = dir.path().join("userdata");
        let vol = dir.path().join("vol");
        for d in [&root, &ud, &vol] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(ud.join("hosts"), "").unwrap();
        std::fs::write(ud.join("hostname"), "").unwrap();
        let mut spec = DomainSpec::new("c1", "");
        spec.root_dir = Some(HostRoot {
            path: root.clone(),
            read_only: false,
        });
        let share = |source: &Path, path: &str, read_only| HostShare {
            source: source.to_path_buf(),
            path: path.into(),
            read_only,
        };
        spec.shares = vec![
            share(&ud.join("hosts"), "/etc/hosts", true),
            share(&vol, "/data", true),
            share(&ud.join("hostname"), "/etc/hostname", false),
        ];
        let (dirs, at) = plan(&spec, None).unwrap();
        assert_eq!(dirs.len(), 3);
        assert_eq!((dirs[0].tag.as_str(), &dirs[0].dir), (ROOT_TAG, &root));
        assert_eq!(dirs[1].dir, ud);
        // One share of userdata is written: it is shared read-write.
        assert!(!dirs[1].read_only);
        assert!(dirs[2].read_only && dirs[2].dir == vol);
        assert_eq!(at[0].tag, "vicport-share-1");
        assert_eq!(at[0].subpath, "hosts");
        assert_eq!(at[1].tag, "vicport-share-2");
        assert_eq!(at[1].subpath, "");
        assert_eq!(at[2].tag, "vicport-share-1");
        assert_eq!(at[2].subpath, "hostname");

        let args = daemon_args(
            Path::new("/usr/local/bin/virtiofsd"),
            &dirs[2],
            false,
            Migration::No,
        );
        assert_eq!(args[1], "--socket-path=vicport-share-2.sock");
        assert!(args.contains(&"--readonly".to_string()));
        assert!(args.contains(&"--sandbox=none".to_string()));
        assert!(!migrates(&args));
        let args = daemon_args(Path::new("v"), &dirs[1], true, Migration::Verified);
        assert!(!args.contains(&"--readonly".to_string()));
        assert!(migrates(&args));
        assert!(args.contains(&"--migration-on-error=guest-error".to_string()));
        // A test directory's filesystem makes file handles: verified.
        assert!(makes_file_handles(&dirs[1].dir));
        assert!(args.contains(&"--migration-verify-handles".to_string()));
        // procfs makes none (nor does overlayfs without nfs_export), and
        // a path that is not there has none.
        assert!(!makes_file_handles(Path::new("/proc/self/status")));
        assert!(!makes_file_handles(&dir.path().join("not-there")));
        // A domain on a root directory: found by path alone.
        let args = daemon_args(Path::new("v"), &dirs[1], true, Migration::ByPath);
        assert!(migrates(&args));
        assert!(!args.contains(&"--migration-verify-handles".to_string()));

        // Staged (as root): a directory is bound by its name in a
        // directory of its own, which is shared instead; files are not.
        let stage = dir.path().join("stage");
        let (staged, at) = plan(&spec, Some(&stage)).unwrap();
        assert_eq!(staged.len(), 3);
        assert_eq!(staged[1].dir, ud);
        assert_eq!(staged[1].bind, None);
        assert_eq!(staged[2].dir, stage.join("vicport-share-2"));
        assert_eq!(staged[2].bind, Some((vol.clone(), "vol".to_string())));
        assert_eq!(
            (at[1].tag.as_str(), at[1].subpath.as_str()),
            ("vicport-share-2", "vol")
        );
        let args = daemon_args(
            Path::new("/usr/local/bin/virtiofsd"),
            &staged[2],
            true,
            Migration::Verified,
        );
        assert_eq!(
            args[..5],
            [UNSHARE, "--mount", "--propagation", "slave", "--"]
        );
        let n = args.len();
        let at_vol = args.iter().position(|a| a == "vicport-share").unwrap();
        assert_eq!(args[at_vol + 1], vol.display().to_string());
        assert_eq!(
            args[at_vol + 2],
            stage.join("vicport-share-2/vol").display().to_string()
        );
        assert_eq!(args[at_vol + 3], "/usr/local/bin/virtiofsd");
        assert!(args.contains(&"--no-announce-submounts".to_string()));
        assert!(args[at_vol + 4..n].contains(&format!("--shared-dir={}", staged[2].dir.display())));

        std::fs::remove_dir(&vol).unwrap();
        let e = plan(&spec, None).unwrap_err();
        assert!(
            e.to_string().contains("share") && e.to_string().contains("vol"),
            "{e}"
        );
    }

    #[test]
    fn a_daemon_migrates_when_its_capabilities_say_so() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let daemon = |name: &str, says: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, format!("#!/bin/sh\nprintf '%s' '{says}'\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            path
        };
        let new = daemon(
            "new",
            r#"{"type":"fs","features":["migrate-precopy","separate-options"]}"#,
        );
        let old = daemon("old", r#"{"type":"fs","features":["separate-options"]}"#);
        let garbled = daemon("garbled", "virtiofsd 1.5.0");
        assert!(can_migrate(&new));
        assert!(!can_migrate(&old));
        assert!(!can_migrate(&garbled));
        assert!(!can_migrate(&dir.path().join("absent")));
    }
}
