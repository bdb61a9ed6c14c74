//! `checkpoint` and `restore`. A containerVM is saved whole: its VM's
//! memory and devices, so every process in it with its open files,
//! sockets, TCP connections and locks. The local platform's checkpoint
//! ([`crate::plumbing::local::checkpoint`]) does it, not CRIU.
//!
//! The checkpoint's directory (`--image-path`) holds the platform's files
//! and `inventory.img`, written last. Engines look for a file of that name
//! (CRIU's inventory) before they restore, so vicport's inventory is named
//! so too. Its content is vicport's own (JSON) and says what it is; a
//! CRIU checkpoint of runc's or crun's is refused by name.
//!
//! A checkpoint without `--leave-running` ends the container, as runc's
//! does: its VM powers off once saved (the shim exits 137, as a process
//! CRIU dumped is killed), and the container is deleted, poststop hooks
//! included. `restore` creates a container from a bundle as `create`
//! does, its VM started from the checkpoint; its process runs at once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::{remove_file_if_exists, write_atomic};

use super::cli::{CheckpointArgs, CheckpointCommon, DeleteArgs, OciGlobals, RestoreArgs};
use super::lifecycle::{self, Status, status};
use super::state::Store;
use super::{open, runner};

/// The inventory's file name: the one engines check for.
pub const INVENTORY: &str = "inventory.img";
/// What the inventory says it is.
const FORMAT: &str = "vicport containerVM checkpoint";

/// How long the shim may take to exit once its VM has powered off.
const SHIM_EXIT_WAIT: Duration = Duration::from_secs(10);

/// What `inventory.img` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// [`FORMAT`].
    pub format: String,
    /// The container it was made from.
    pub container: String,
    /// Its bundle then.
    pub bundle: PathBuf,
    /// When.
    pub saved_at: String,
    /// Whether the container ran on after it.
    pub left_running: bool,
}

fn not_supported(what: &str) -> Error {
    Error::new(
        ErrorKind::NotSupported,
        format!(
            "{what} is not supported on this target: a containerVM's checkpoint is its whole VM, written at once"
        ),
    )
}

/// Refuse what only CRIU's partial or remote checkpoints mean.
fn refuse_partial(c: &CheckpointCommon) -> Result<()> {
    if c.lazy_pages {
        return Err(not_supported("--lazy-pages"));
    }
    if c.auto_dedup {
        return Err(not_supported("--auto-dedup"));
    }
    Ok(())
}

fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).io_context(|| format!("resolving {}", dir.display()))
}

/// `checkpoint`.
pub(super) fn checkpoint(store: &Store, a: &CheckpointArgs) -> Result<()> {
    refuse_partial(&a.common)?;
    if a.pre_dump {
        return Err(not_supported("--pre-dump"));
    }
    if a.parent_path.is_some() {
        return Err(not_supported("--parent-path"));
    }
    if a.page_server.is_some() {
        return Err(not_supported("--page-server"));
    }
    let record = store.load(&a.id)?;
    match status(&record) {
        Status::Running | Status::Paused => {}
        other => {
            return Err(Error::invalid_state(format!(
                "cannot checkpoint container {:?}: it is {other}, not running",
                a.id
            )));
        }
    }
    let dir = absolute(&a.common.image_path)?;
    // The inventory goes first: without it the rest is not a checkpoint.
    remove_file_if_exists(&dir.join(INVENTORY))?;
    let opened = open(&record.place)?;
    let domain = record.domain.clone();
    let (to, leave_running) = (dir.clone(), a.leave_running);
    opened.block_on(|d| async move { d.checkpoint(&domain, &to, leave_running).await })?;
    let inventory = Inventory {
        format: FORMAT.into(),
        container: record.id.clone(),
        bundle: record.bundle.clone(),
        saved_at: crate::plumbing::spec::now(),
        left_running: a.leave_running,
    };
    write_atomic(
        &dir.join(INVENTORY),
        &serde_json::to_vec_pretty(&inventory).expect("an inventory serializes"),
        0o600,
    )?;
    if a.leave_running {
        return Ok(());
    }
    // Its VM is off: the shim follows (a forced delete kills one that
    // has not), then the container goes.
    let deadline = Instant::now() + SHIM_EXIT_WAIT;
    while record.shim.is_some_and(|s| s.alive()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    lifecycle::delete(
        store,
        &DeleteArgs {
            force: true,
            id: a.id.clone(),
        },
    )
}

/// The inventory of the checkpoint in `dir`, which must be vicport's.
pub fn read_inventory(dir: &Path) -> Result<Inventory> {
    let path = dir.join(INVENTORY);
    let bytes = std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "{} holds no checkpoint: it has no {INVENTORY}",
                    dir.display()
                ),
            )
            .with_hint("give --image-path the directory that `checkpoint` wrote")
        } else {
            Error::io(format!("reading {}", path.display()), e)
        }
    })?;
    serde_json::from_slice::<Inventory>(&bytes)
        .ok()
        .filter(|i| i.format == FORMAT)
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} is not the inventory of a containerVM's checkpoint",
                path.display()
            ))
            .with_hint("a CRIU checkpoint (runc's, crun's) cannot be restored as a containerVM: restore it with the runtime that made it")
        })
}

/// `restore`: the exit code (the process's without `--detach`).
pub(super) fn restore(globals: &OciGlobals, store: &Store, a: &RestoreArgs) -> Result<i32> {
    refuse_partial(&a.common)?;
    let dir = absolute(&a.common.image_path)?;
    read_inventory(&dir)?;
    runner::go(
        globals,
        store,
        a.create.clone(),
        a.detach,
        false,
        Some(&dir),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_vicports_inventory_is_a_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_inventory(dir.path()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("has no inventory.img"), "{e}");
        // CRIU's inventory is a protobuf image, not JSON.
        std::fs::write(dir.path().join(INVENTORY), b"\x54\x4f\x56\x00\x01").unwrap();
        let e = read_inventory(dir.path()).unwrap_err();
        assert!(e.to_string().contains("is not the inventory"), "{e}");
        assert!(e.hint().unwrap().contains("CRIU"), "{e:?}");
        let ours = Inventory {
            format: FORMAT.into(),
            container: "c1".into(),
            bundle: "/b".into(),
            saved_at: "t".into(),
            left_running: false,
        };
        std::fs::write(
            dir.path().join(INVENTORY),
            serde_json::to_vec(&ours).unwrap(),
        )
        .unwrap();
        assert_eq!(read_inventory(dir.path()).unwrap(), ours);
    }

    #[test]
    fn partial_checkpoints_are_refused_by_flag() {
        use clap::Parser;
        let cli = |args: &[&str]| {
            super::super::cli::RuncCli::try_parse_from(
                std::iter::once("vicport-runc").chain(args.iter().copied()),
            )
            .unwrap()
        };
        let store = Store::new(Path::new("/nonexistent-vicport-root"));
        for (flag, extra) in [
            ("--pre-dump", None),
            ("--parent-path", Some("../p")),
            ("--page-server", Some("10.0.0.1:27")),
            ("--lazy-pages", None),
            ("--auto-dedup", None),
        ] {
            let mut args = vec!["checkpoint", flag];
            args.extend(extra);
            args.push("c1");
            let super::super::cli::OciCommand::Checkpoint(a) = cli(&args).oci.command else {
                panic!("not a checkpoint");
            };
            let e = checkpoint(&store, &a).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NotSupported, "{flag}: {e}");
            assert!(e.to_string().starts_with(flag), "{e}");
        }
        let super::super::cli::OciCommand::Restore(a) =
            cli(&["restore", "--lazy-pages", "c1"]).oci.command
        else {
            panic!("not a restore");
        };
        let globals = cli(&["list"]).oci.globals;
        let e = restore(&globals, &store, &a).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotSupported, "{e}");
    }
}
