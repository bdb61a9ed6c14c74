//! Suspending a local domain and resuming it: QEMU saves the running
//! guest (memory and devices) to a file with its `migrate` command, then
//! quits; the next start runs QEMU with the same command line and
//! `-incoming defer`, loads the file with `migrate-incoming`, and
//! continues the guest where it was.
//!
//! ```text
//! suspend/state.bin     what QEMU saved
//! suspend/launch.json   the suspended run's launch plan (its QEMU command line)
//! suspend/record.json   when; written last: the saved state is whole once it exists
//! ```
//! A domain whose record exists and whose QEMU is gone is `Suspended`.
//! The hardware must be the same on both sides, so what QEMU cannot save
//! here, or what its command line does not describe, is refused: host
//! directories shared through a virtiofsd that cannot migrate (virtiofsd
//! 1.14 hands QEMU its state: which files the guest has looked up and
//! opened, by path, opened again on resume), an engine's network
//! namespace, NICs hot-plugged while it ran.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::{create_private_dir, remove_file_if_exists, write_atomic};
use crate::plumbing::local::monitor::{self, Launch};
use crate::plumbing::local::qmp::Qmp;
use crate::plumbing::local::runtime::{self, Phase, Runtime};
use crate::plumbing::local::share;
use crate::plumbing::spec::now;

/// The directory of a domain's saved state.
pub const DIR: &str = "suspend";
const STATE: &str = "state.bin";
pub(crate) const RECORD: &str = "record.json";

/// How long QEMU may take to save or load a guest.
const MIGRATION_TIMEOUT: Duration = Duration::from_secs(300);

/// What `suspend/record.json` says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// When the suspended run had started.
    pub started_at: Option<String>,
    /// When it was saved.
    pub saved_at: String,
}

/// The saved state's record, when the domain in `dir` is suspended.
pub fn record(dir: &Path) -> Option<Record> {
    let bytes = std::fs::read(dir.join(DIR).join(RECORD)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The file QEMU loads to resume the domain in `dir`.
pub fn state_file(dir: &Path) -> PathBuf {
    dir.join(DIR).join(STATE)
}

/// The suspended run's launch plan.
pub fn saved_launch(dir: &Path) -> Result<Launch> {
    monitor::read_launch(&dir.join(DIR).join(monitor::LAUNCH))
}

/// Forget the saved state (after a resume loaded it, or to discard it).
pub fn discard(dir: &Path) -> Result<()> {
    // The record first: without it the rest is not a saved state.
    remove_file_if_exists(&dir.join(DIR).join(RECORD))?;
    let _ = std::fs::remove_dir_all(dir.join(DIR));
    Ok(())
}

/// What saves a running domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saving {
    /// `domain suspend`: into the domain, resumed by its next start.
    Suspend,
    /// A checkpoint ([`super::checkpoint`]): into a directory of the
    /// caller's, restored by a start of a domain made to match, in a
    /// network namespace of its engine's that may be new.
    Checkpoint,
}

/// Why the running domain `name` with `launch` cannot be saved as `what`
/// says, if it cannot: `taps` are the taps its definition's networks have
/// now.
pub fn refusal(name: &str, launch: &Launch, taps: &[String], what: Saving) -> Option<Error> {
    let verb = match what {
        Saving::Suspend => "suspending",
        Saving::Checkpoint => "checkpointing",
    };
    let not = |why: &str, hint: &str| {
        Some(
            Error::new(
                ErrorKind::NotSupported,
                format!("{verb} domain {name:?} is not supported on this target: {why}"),
            )
            .with_hint(hint.to_string()),
        )
    };
    if let Some(args) = launch.virtiofsd.iter().find(|a| !share::migrates(a)) {
        let binary = args
            .iter()
            .find(|a| a.ends_with("virtiofsd"))
            .map_or("virtiofsd", String::as_str);
        return not(
            &format!(
                "it shares host directories through {binary}, which cannot save its state (its capabilities lack migrate-precopy)"
            ),
            "stop it instead, or install a virtiofsd that can (`cargo install --locked virtiofsd --version 1.14.0 --root /usr/local`, or set VICPORT_VIRTIOFSD) and start the domain again with it",
        );
    }
    if launch.engine.is_some() && what == Saving::Suspend {
        return not(
            "it runs in a container engine's network namespace",
            "stop it through its engine instead",
        );
    }
    if taps.iter().any(|t| !launch.taps.contains(t)) {
        return not(
            "it has NICs added while it ran, which its saved hardware would not have",
            &format!(
                "stop and start it (its NICs then boot with it), then suspend it: `vicport domain stop {name}`"
            ),
        );
    }
    None
}

/// Wait for QEMU's migration (either way) to end: Ok when it completed.
fn wait_migration(qmp: &mut Qmp, what: &str) -> Result<()> {
    let deadline = Instant::now() + MIGRATION_TIMEOUT;
    loop {
        let status = qmp.execute("query-migrate", serde_json::json!({}))?;
        match status["status"].as_str().unwrap_or("") {
            "completed" => return Ok(()),
            "failed" | "cancelled" => {
                return Err(Error::other(format!(
                    "{what} failed: {}",
                    status["error-desc"]
                        .as_str()
                        .unwrap_or("QEMU gave no reason")
                )));
            }
            _ => {}
        }
        if Instant::now() > deadline {
            return Err(Error::other(format!(
                "{what} did not finish within {MIGRATION_TIMEOUT:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Have QEMU save its stopped guest to the file `path` (its migration to
/// a file), and wait for the save to end; `what` names it in errors.
pub(super) fn migrate_to_file(qmp: &mut Qmp, path: &Path, what: &str) -> Result<()> {
    let absolute =
        std::path::absolute(path).io_context(|| format!("resolving {}", path.display()))?;
    let uri = format!("file:{}", absolute.display());
    qmp.execute("migrate", serde_json::json!({ "uri": uri }))?;
    wait_migration(qmp, what)
}

/// Save the running domain in `dir` and power it off; returns once its
/// monitor has recorded the end of the run.
pub fn suspend(dir: &Path, name: &str) -> Result<()> {
    let launch_path = dir.join(monitor::LAUNCH);
    let launch_bytes =
        std::fs::read(&launch_path).io_context(|| format!("reading {}", launch_path.display()))?;
    let started_at = Runtime::load(dir)?.and_then(|r| r.started_at);
    let saved = dir.join(DIR);
    discard(dir)?;
    create_private_dir(&saved)?;
    let part = saved.join(format!("{STATE}.part"));
    let mut qmp = Qmp::connect(dir)?;
    qmp.execute("stop", serde_json::json!({}))?;
    if let Err(e) = migrate_to_file(&mut qmp, &part, &format!("saving domain {name:?}")) {
        let _ = qmp.execute("cont", serde_json::json!({}));
        let _ = std::fs::remove_dir_all(&saved);
        return Err(e);
    }
    let committed = (|| {
        std::fs::rename(&part, saved.join(STATE))
            .io_context(|| format!("keeping {}", part.display()))?;
        write_atomic(&saved.join(monitor::LAUNCH), &launch_bytes, 0o600)?;
        let record = Record {
            started_at,
            saved_at: now(),
        };
        write_atomic(
            &saved.join(RECORD),
            &serde_json::to_vec_pretty(&record).expect("a record serializes"),
            0o600,
        )
    })();
    if let Err(e) = committed {
        let _ = qmp.execute("cont", serde_json::json!({}));
        let _ = std::fs::remove_dir_all(&saved);
        return Err(e);
    }
    // The monitor sees QEMU end, finds the record, and records a suspend.
    if let Err(e) = qmp.quit() {
        // QEMU runs on, paused: it was not saved after all.
        discard(dir)?;
        let _ = Qmp::connect(dir).and_then(|mut q| q.execute("cont", serde_json::json!({})));
        return Err(e.context(format!("suspending domain {name:?}")));
    }
    wait_ended(dir, name, "suspend")
}

/// Wait until the monitor of the domain in `dir`, whose QEMU was told to
/// quit, has recorded the end of its run (`what` ended it) and exited.
pub(super) fn wait_ended(dir: &Path, name: &str, what: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ended = Runtime::load(dir)?.is_some_and(|r| r.phase == Phase::Exited);
        if ended && !runtime::monitor_alive(dir)? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(Error::other(format!(
                "the monitor of domain {name:?} did not record its {what}"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The suspended run's QEMU command line, made to resume: the saved
/// state comes in through QMP, and what QEMU writes to files is appended
/// to what the run wrote before (a file chardev would truncate them).
pub fn resume_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len() + 4);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "-serial" && args.get(i + 1).is_some_and(|a| a.starts_with("file:")) {
            let path = &args[i + 1]["file:".len()..];
            out.push("-chardev".into());
            out.push(format!("file,id=vicport-serial0,path={path},append=on"));
            out.push("-serial".into());
            out.push("chardev:vicport-serial0".into());
            i += 2;
            continue;
        }
        if arg.starts_with("file,") && !arg.contains("append=") {
            out.push(format!("{arg},append=on"));
        } else {
            out.push(arg.clone());
        }
        i += 1;
    }
    out.push("-incoming".into());
    out.push("defer".into());
    out
}

/// Load the saved state into the QEMU just started in `dir` (waiting for
/// its QMP socket) and continue the guest. The saved state is forgotten
/// once QEMU holds it.
pub fn load(dir: &Path, state: &Path, alive: &mut dyn FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut qmp = loop {
        match Qmp::connect(dir) {
            Ok(q) => break q,
            Err(e) => {
                if !alive() || Instant::now() > deadline {
                    return Err(e.context("connecting to QEMU to resume"));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    let uri = format!("file:{}", state.display());
    qmp.execute("migrate-incoming", serde_json::json!({ "uri": uri }))?;
    wait_migration(&mut qmp, "loading the saved state")?;
    discard(dir)?;
    qmp.execute("cont", serde_json::json!({}))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn a_resumed_qemu_appends_to_its_files_and_waits_for_the_state() {
        let args = s(&[
            "-serial",
            "file:console.log",
            "-chardev",
            "file,id=log,path=output.log",
            "-chardev",
            "socket,id=link,path=link.sock,server=on,wait=off",
        ]);
        assert_eq!(
            resume_args(&args),
            s(&[
                "-chardev",
                "file,id=vicport-serial0,path=console.log,append=on",
                "-serial",
                "chardev:vicport-serial0",
                "-chardev",
                "file,id=log,path=output.log,append=on",
                "-chardev",
                "socket,id=link,path=link.sock,server=on,wait=off",
                "-incoming",
                "defer",
            ])
        );
    }

    #[test]
    fn what_a_saved_state_cannot_carry_is_refused_by_name() {
        let daemon = |migrate: bool| {
            let share = crate::plumbing::local::qemu::FsShare {
                tag: "t".into(),
                socket: "t.sock".into(),
                dir: PathBuf::from("/srv"),
                read_only: false,
                bind: None,
            };
            let migration = if migrate {
                share::Migration::Verified
            } else {
                share::Migration::No
            };
            share::daemon_args(
                Path::new("/usr/local/bin/virtiofsd"),
                &share,
                true,
                migration,
            )
        };
        let launch = |virtiofsd: &[bool], taps: &[&str]| Launch {
            id: crate::plumbing::spec::DomainId("0".repeat(64)),
            name: "web".into(),
            qemu_args: Vec::new(),
            accel: crate::plumbing::local::qemu::Accel::Tcg,
            token: String::new(),
            auto_remove: false,
            state: PathBuf::new(),
            taps: s(taps),
            engine: None,
            virtiofsd: virtiofsd.iter().map(|m| daemon(*m)).collect(),
            incoming: None,
            published: None,
            cache: PathBuf::new(),
        };
        assert!(refusal("web", &launch(&[], &["t1"]), &s(&["t1"]), Saving::Suspend).is_none());
        assert!(refusal("web", &launch(&[true, true], &[]), &[], Saving::Suspend).is_none());
        let shares = refusal("web", &launch(&[true, false], &[]), &[], Saving::Suspend).unwrap();
        assert!(
            shares
                .to_string()
                .contains("/usr/local/bin/virtiofsd, which cannot save its state"),
            "{shares}"
        );
        assert_eq!(shares.kind(), ErrorKind::NotSupported);
        let hotplugged = refusal(
            "web",
            &launch(&[], &["t1"]),
            &s(&["t1", "t2"]),
            Saving::Suspend,
        )
        .unwrap();
        assert!(
            hotplugged.to_string().contains("NICs added"),
            "{hotplugged}"
        );
        assert_eq!(hotplugged.kind(), ErrorKind::NotSupported);
        // An engine's namespace: a checkpoint's restore wires the one it
        // is given; a resume would have none.
        let mut engine = launch(&[], &[]);
        engine.engine = Some(crate::plumbing::local::network::netns::Wiring {
            path: "/run/netns/c1".into(),
            ports: vec![("eth0".into(), "tap0".into())],
            dials: Vec::new(),
        });
        let e = refusal("web", &engine, &[], Saving::Suspend).unwrap();
        assert!(e.to_string().contains("suspending domain \"web\""), "{e}");
        assert!(e.to_string().contains("network namespace"), "{e}");
        assert!(refusal("web", &engine, &[], Saving::Checkpoint).is_none());
        let e = refusal("web", &launch(&[true, false], &[]), &[], Saving::Checkpoint).unwrap();
        assert!(e.to_string().starts_with("checkpointing domain"), "{e}");
    }

    #[test]
    fn a_record_makes_a_saved_state_and_discard_forgets_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(record(dir.path()).is_none());
        create_private_dir(&dir.path().join(DIR)).unwrap();
        std::fs::write(state_file(dir.path()), b"state").unwrap();
        assert!(record(dir.path()).is_none(), "no record: not a saved state");
        let r = Record {
            started_at: Some("t0".into()),
            saved_at: "t1".into(),
        };
        std::fs::write(
            dir.path().join(DIR).join(RECORD),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
        assert_eq!(record(dir.path()).unwrap().saved_at, "t1");
        discard(dir.path()).unwrap();
        assert!(record(dir.path()).is_none());
        assert!(!dir.path().join(DIR).exists());
        discard(dir.path()).unwrap();
    }
}
