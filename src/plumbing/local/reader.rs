//! A stopped domain's root filesystem, reached without starting the
//! domain: `domain export`, `diff` and `commit`, and `domain cp` both ways.
//! Only a guest reads an ext4 disk here, so a VM of its own boots the
//! disk — in a private state directory, so no listing, event or network
//! of this target sees it — with no network, volume, share or process.
//! To read, the VM boots a qcow2 overlay over the disk, read-only: the
//! disk is not touched. To write (`cp` into the domain), it boots the
//! disk itself, read-write, and is shut down cleanly by its tether (the
//! guest flushes and unmounts) before the write counts as done. The
//! domain's start lock is held meanwhile (a `domain start` waits). A
//! session whose process died (its lock free) is swept by the next
//! session or start of a domain of the target, whose QEMU would otherwise
//! keep the disk.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::LocalPlatform;
use super::qemu::files as qemu_files;
use super::store::Definition;
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::Lock;
use crate::plumbing::spec::{DomainId, DomainSpec, DomainState, random_hex};

/// Where the readers of a local target keep their private state.
fn readers_dir(state: &Path) -> PathBuf {
    state.join("readers")
}

/// The lock a reader's process holds for the reader's life.
const READER_LOCK: &str = "reader.lock";

/// A running VM that boots a stopped domain's root disk: the tether's
/// link is the session's client. [`RootSession::finish`] ends it as it
/// should end (a writer's guest shuts down cleanly); dropped without
/// that, the VM is powered off at once and its directory removed.
#[derive(Debug)]
pub struct RootReader {
    scratch: PathBuf,
    /// The private platform rooted in `scratch`, and its VM.
    platform: LocalPlatform,
    vm: Definition,
    writes: bool,
    name: String,
    _alive: Lock,
    _domain_start: Lock,
}

impl RootReader {
    fn vm_dir(&self) -> PathBuf {
        self.platform.domains.dir(&self.vm.id)
    }
}

impl Drop for RootReader {
    fn drop(&mut self) {
        discard(&self.scratch, &self.vm_dir());
    }
}

/// How long a writer's guest may take to flush, unmount and power off.
const SHUTDOWN_PATIENCE: Duration = Duration::from_secs(60);

impl crate::plumbing::domain::RootSession for RootReader {
    fn finish(self: Box<Self>) -> Result<()> {
        if !self.writes {
            return Ok(());
        }
        let name = self.name.clone();
        let lost = |why: String| {
            Error::other(format!(
                "domain {name:?}'s disk may not hold the copy: its guest did not shut down cleanly ({why})"
            ))
            .with_hint(
                "copy again: what the guest had not written yet is lost, as after a power cut",
            )
        };
        self.platform
            .client(&self.vm)
            .and_then(|c| {
                c.shutdown(None, Duration::from_secs(5))
                    .map_err(|e| Error::from(e).context("shutting the writer down"))
            })
            .map_err(|e| lost(e.to_string()))?;
        let deadline = Instant::now() + SHUTDOWN_PATIENCE;
        let vm_dir = self.vm_dir();
        while super::runtime::qemu_alive(&vm_dir) {
            if Instant::now() > deadline {
                return Err(lost(format!(
                    "still running after {} s",
                    SHUTDOWN_PATIENCE.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

/// Power off a reader's VM (if it runs) and remove its directory.
fn discard(scratch: &Path, vm_dir: &Path) {
    power_off(vm_dir);
    let _ = std::fs::remove_dir_all(scratch);
}

/// Power off the VM of `vm_dir`, a domain directory, if it runs.
fn power_off(vm_dir: &Path) {
    if let Err(e) = super::start::power_off(vm_dir) {
        tracing::warn!(dir = %vm_dir.display(), error = %e, "cannot power off a root reader's VM");
    }
}

/// Remove the readers of the local target in `state` whose process is
/// gone: before a start, whose QEMU could not write a disk such a reader
/// still reads.
pub(super) fn sweep_dead(state: &Path) {
    sweep(&readers_dir(state));
}

/// Remove the readers whose process is gone (their lock is free): a CLI
/// killed while it read leaves its VM running, held, until then.
fn sweep(readers: &Path) {
    let Ok(entries) = std::fs::read_dir(readers) else {
        return;
    };
    // A reader being made (`.new-…`, not yet locked) is not looked at.
    let made = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for scratch in made.map(|e| e.path()) {
        let Ok(Some(_free)) = Lock::try_exclusive_in_place(&scratch.join(READER_LOCK)) else {
            continue;
        };
        // Its VM's directory (and the store's lock file beside it).
        let domains = std::fs::read_dir(scratch.join("domains"));
        for entry in domains.into_iter().flatten().flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                power_off(&entry.path());
            }
        }
        let _ = std::fs::remove_dir_all(&scratch);
    }
}

/// What the reader's VM is: the stopped domain's image and process (never
/// started), one CPU, at most 256 MiB, nothing else; a reader's root
/// read-only, a writer's as the domain has it, under the domain's
/// hostname (the guest writes it on the disk).
fn reader_spec(source: &DomainSpec, writes: bool) -> DomainSpec {
    let mut spec = DomainSpec::new(format!("reader-{}", random_hex(6)), source.image.clone());
    spec.process = source.process.clone();
    spec.read_only = !writes;
    spec.hostname = Some(
        source
            .hostname
            .clone()
            .unwrap_or_else(|| source.name.clone()),
    );
    spec.cpus = 1;
    spec.memory_mb = source.memory_mb.min(256);
    spec
}

impl LocalPlatform {
    /// Boot a VM on stopped domain `def`'s root disk and return its
    /// tether's link and the session: read-only over an overlay, or with
    /// `writes` the disk itself. The domain must be stopped (or never
    /// started), and have a root disk of its own.
    pub(super) fn boot_reader(
        &self,
        def: &Definition,
        writes: bool,
    ) -> Result<(tether_protocol::client::Client, RootReader)> {
        let name = &def.spec.name;
        let dir = self.domains.dir(&def.id);
        if def.spec.root_dir.is_some() {
            return Err(Error::new(
                crate::plumbing::error::ErrorKind::NotSupported,
                format!("domain {name:?} is stopped and its root is a host directory (an engine's bundle), which its engine owns"),
            )
            .with_hint("use that directory on the host instead"));
        }
        if writes && def.spec.read_only {
            return Err(Error::invalid_state(format!(
                "domain {name:?}'s root filesystem is read-only (--read-only)"
            ))
            .with_hint("copy into a volume or host path it mounts, while it runs"));
        }
        // Held until the session ends: a start of the domain waits.
        let starting = super::start::start_lock(&dir, name)?;
        let (state, _, _) = super::runtime::state(&dir)?;
        if !matches!(state, DomainState::Stopped | DomainState::Created) {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is {state}: its root filesystem is reached while it runs, or on its disk once it is stopped"
            ))
            .with_hint(match state {
                DomainState::Suspended => format!(
                    "its disk is in the middle of a run: resume it with `vicport domain start {name}`, or stop it"
                ),
                _ => format!("check it with `vicport domain inspect {name}`"),
            }));
        }
        let disk = super::start::root_disk(&dir, name)?;
        let readers = readers_dir(&self.state);
        sweep(&readers);
        crate::plumbing::file::create_private_dir(&readers)?;
        // Locked before it gets the name a sweep looks at.
        let tag = random_hex(8);
        let (making, scratch) = (readers.join(format!(".new-{tag}")), readers.join(&tag));
        crate::plumbing::file::create_private_dir(&making)?;
        let alive = Lock::exclusive_in_place(&making.join(READER_LOCK)).and_then(|l| {
            std::fs::rename(&making, &scratch)
                .io_context(|| format!("creating {}", scratch.display()))?;
            Ok(l)
        });
        let alive = match alive {
            Ok(l) => l,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&making);
                return Err(e);
            }
        };
        // Made before the VM, so that a failure from here on drops it.
        let mut session = RootReader {
            platform: LocalPlatform::open(&self.target, scratch.clone(), self.cache.clone())?,
            scratch,
            vm: Definition {
                version: 1,
                id: DomainId::random(),
                created: crate::plumbing::spec::now(),
                spec: reader_spec(&def.spec, writes),
                image_id: def.image_id.clone(),
                token: random_hex(32),
            },
            writes,
            name: name.clone(),
            _alive: alive,
            _domain_start: starting,
        };
        let (reader, vm) = (&session.platform, &mut session.vm);
        reader.domains.create(vm, |staging, _| {
            let root = staging.join(qemu_files::ROOT_DISK);
            if writes {
                std::os::unix::fs::symlink(&disk, &root)
                    .io_context(|| format!("linking {}", disk.display()))
            } else {
                crate::plumbing::image::create_overlay_of(&disk, "qcow2", &root)
            }
        })?;
        reader
            .start(vm, true, &[])
            .map_err(|e| e.context(format!("booting domain {name:?}'s root disk on its own")))?;
        let client = reader.client(vm)?;
        Ok((client, session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_boots_the_image_read_only_with_nothing_else_and_a_writer_writable() {
        let mut source = DomainSpec::new("web", "busybox");
        source.memory_mb = 1024;
        source.cpus = 4;
        source.read_only = false;
        source.process.argv = vec!["httpd".into(), "-f".into()];
        source.labels.insert("a".into(), "b".into());
        source.auto_remove = true;
        let spec = reader_spec(&source, false);
        assert!(spec.name.starts_with("reader-"));
        assert_eq!(spec.image, "busybox");
        assert_eq!(spec.process.argv, source.process.argv);
        assert!(spec.read_only);
        assert_eq!((spec.cpus, spec.memory_mb), (1, 256));
        assert!(spec.labels.is_empty() && !spec.auto_remove);
        assert!(spec.networks.is_empty() && spec.volumes.is_empty() && spec.shares.is_empty());
        spec.validate().expect("a valid spec");
        assert_eq!(spec.hostname.as_deref(), Some("web"));
        source.memory_mb = 128;
        source.hostname = Some("box".into());
        let writer = reader_spec(&source, true);
        assert_eq!((writer.memory_mb, writer.read_only), (128, false));
        assert_eq!(writer.hostname.as_deref(), Some("box"));
    }

    #[test]
    fn a_reader_whose_process_died_is_swept_and_a_live_one_is_kept() {
        let state = tempfile::tempdir().unwrap();
        let readers = readers_dir(state.path());
        let (dead, live) = (readers.join("dead"), readers.join("live"));
        for d in [&dead, &live] {
            // The store's lock file first, then a VM's directory.
            std::fs::create_dir_all(d.join("domains/0abc")).unwrap();
            std::fs::write(d.join("domains/.lock"), "").unwrap();
            std::fs::write(d.join(READER_LOCK), "").unwrap();
        }
        let making = readers.join(".new-x");
        std::fs::create_dir_all(&making).unwrap();
        let _held = Lock::exclusive_in_place(&live.join(READER_LOCK)).unwrap();
        sweep(&readers);
        assert!(making.is_dir(), "a reader being made is left alone");
        assert!(!dead.exists(), "the dead reader's directory is removed");
        assert!(
            live.join("domains/0abc").is_dir(),
            "the live reader is left alone"
        );
    }
}
