//! The per-domain monitor (like conmon for podman): a detached process that
//! owns one domain's QEMU, holds its tether link, and relays many host
//! clients (exec, attach, stop) onto that one link with the shared
//! [`Relay`](crate::plumbing::relay::Relay) on `monitor.sock`. It records
//! what happens (ready, exit code, why QEMU ended) in `runtime.json`.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tether_protocol::message::{Message, PrimaryState};
use tether_protocol::version::Versions;

use crate::plumbing::detach;
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, write_atomic};
use crate::plumbing::local::events::Journal;
use crate::plumbing::local::network::{self, NetworkStore, netns, publish};
use crate::plumbing::local::qemu::{self, files as qemu_files};
use crate::plumbing::local::runtime::{Phase, Runtime, files};
use crate::plumbing::local::share;
use crate::plumbing::local::store::DomainStore;
use crate::plumbing::local::suspend;
use crate::plumbing::relay::{Relay, Role};
use crate::plumbing::sock;
use crate::plumbing::spec::{DomainId, now};

/// What the starter decided and the monitor carries out, written to
/// `launch.json` before the monitor starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Launch {
    /// The domain's id and name (for events).
    pub id: DomainId,
    pub name: String,
    /// QEMU's arguments (relative to the domain directory).
    pub qemu_args: Vec<String>,
    pub accel: qemu::Accel,
    /// The link token (hex).
    pub token: String,
    /// Remove the domain when it stops (`run --rm`).
    pub auto_remove: bool,
    /// The state directory (for the journal and removal).
    pub state: PathBuf,
    /// Taps the starter made for QEMU, deleted when QEMU has ended.
    #[serde(default)]
    pub taps: Vec<String>,
    /// The engine's network namespace QEMU runs in, and what was wired
    /// there for it (undone when QEMU has ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<netns::Wiring>,
    /// One virtiofsd command line per shared directory, started before
    /// QEMU (relative to the domain directory) and ended after it.
    #[serde(default)]
    pub virtiofsd: Vec<Vec<String>>,
    /// Resume from this saved state (`suspend/state.bin`) instead of
    /// booting: QEMU runs the saved run's command line with `-incoming`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming: Option<PathBuf>,
    /// The domain's published ports: their table (made by the starter)
    /// and host ports, held while QEMU runs, removed when it has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<publish::Published>,
    /// The cache directory (boot image, blobs), for a restart the domain's
    /// policy makes once this run has ended ("": none is made).
    #[serde(default)]
    pub cache: PathBuf,
}

/// How a monitor's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// That is all.
    Done,
    /// The domain's restart policy starts it again after this wait
    /// ([`restart`]).
    Restart(Duration),
}

/// The first line of `qemu.log` in `dir` that reports an error or a
/// failure (QEMU's and virtiofsd's reasons for a failed migration).
fn first_failure(dir: &Path) -> Option<String> {
    let log = std::fs::read_to_string(dir.join("qemu.log")).ok()?;
    log.lines()
        .map(str::trim)
        .find(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("error") || l.contains("failed")
        })
        // virtiofsd's lines begin with "[TIME LEVEL MODULE] ".
        .map(
            |l| match l.strip_prefix('[').and_then(|r| r.split_once("] ")) {
                Some((_, said)) => said.to_string(),
                None => l.to_string(),
            },
        )
}

/// Delete the taps the starter made, and undo its wiring in an engine's
/// network namespace.
fn release_taps(launch: &Launch) {
    for tap in &launch.taps {
        network::delete_tap(tap);
    }
    if let Some(w) = &launch.engine {
        netns::unwire(w);
    }
    if let Some(p) = &launch.published {
        publish::remove(&p.table);
    }
}

/// The launch file's name in the domain directory.
pub const LAUNCH: &str = "launch.json";

/// Monitor diagnostics go to stderr, which the starter points at
/// `monitor.log` in the domain directory.
macro_rules! note {
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{} {}", now(), format!($($arg)*));
        }
    }};
}

/// Run the monitor of the domain in `dir` until its QEMU exits; whether
/// its restart policy starts it again.
pub fn run(dir: &Path) -> Result<Ending> {
    let Some(_lock) = Lock::try_exclusive(&dir.join(files::MONITOR_LOCK))? else {
        return Err(Error::conflict(format!(
            "another monitor already runs the domain in {}",
            dir.display()
        )));
    };
    let launch = read_launch(&dir.join(LAUNCH))?;
    let token = hex::decode(&launch.token)
        .map_err(|_| Error::other("the launch file's token is not hex"))?;
    let journal = Journal::new(&launch.state);

    // A resumed run is the suspended one going on: it keeps its start
    // time (its identity is new: see `Runtime::run`).
    let started_at = match &launch.incoming {
        Some(_) => suspend::record(dir).and_then(|r| r.started_at),
        None => None,
    };
    let mut runtime = Runtime {
        phase: Phase::Starting,
        started_at: Some(started_at.unwrap_or_else(now)),
        run: Some(crate::plumbing::spec::random_hex(8)),
        monitor_pid: Some(std::process::id()),
        accel: Some(launch.accel),
        ..Default::default()
    };
    for stale in [qemu_files::LINK, qemu_files::QMP, files::MONITOR_SOCK] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    // A fresh log per run: `logs` shows the current run, like the platform's
    // serial-port file on vSphere. A resumed run is the suspended one going
    // on: its log too.
    if launch.incoming.is_none() {
        let _ = std::fs::remove_file(dir.join(qemu_files::OUTPUT));
    }
    runtime.save(dir)?;

    let qemu_log = std::fs::File::create(dir.join("qemu.log"))
        .io_context(|| format!("creating {}", dir.join("qemu.log").display()))?;
    let mut daemons = match share::start_daemons(dir, &launch.virtiofsd, &qemu_log) {
        Ok(d) => d,
        Err(e) => {
            finish(dir, &mut runtime, None, Some(e.to_string()));
            release_taps(&launch);
            return Err(e);
        }
    };
    // Held until the monitor ends, after QEMU.
    let _ports = match launch.published.clone().map(|mut p| p.reserve(&|_| None)) {
        Some(Err(e)) => {
            finish(dir, &mut runtime, None, Some(e.to_string()));
            share::end_daemons(&mut daemons);
            release_taps(&launch);
            return Err(e);
        }
        held => held.map(Result::unwrap_or_default),
    };
    let engine_ns = match &launch.engine {
        Some(w) => match netns::hold(&w.path) {
            Ok(ns) => Some(ns),
            Err(e) => {
                finish(dir, &mut runtime, None, Some(e.to_string()));
                share::end_daemons(&mut daemons);
                release_taps(&launch);
                return Err(e);
            }
        },
        None => None,
    };
    let mut qemu_cmd = Command::new(qemu::QEMU);
    if let Some(ns) = &engine_ns {
        netns::enter_on_spawn(&mut qemu_cmd, ns);
    }
    let qemu_args = match &launch.incoming {
        Some(_) => suspend::resume_args(&launch.qemu_args),
        None => launch.qemu_args.clone(),
    };
    let mut child = qemu_cmd
        .args(&qemu_args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(qemu_log.try_clone().io_context(|| "qemu.log".into())?)
        .stderr(qemu_log)
        .spawn()
        .map_err(|e| {
            let err = Error::io(format!("starting {}", qemu::QEMU), e)
                .with_hint("install QEMU: apt-get install qemu-system-x86");
            finish(dir, &mut runtime, None, Some(err.to_string()));
            share::end_daemons(&mut daemons);
            release_taps(&launch);
            err
        })?;
    drop(engine_ns);
    runtime.qemu_pid = Some(child.id());
    runtime.save(dir)?;
    note!("qemu started, pid {}", child.id());
    if let Some(state) = &launch.incoming {
        let loaded = suspend::load(dir, state, &mut || {
            child.try_wait().ok().flatten().is_none()
        });
        if let Err(e) = loaded {
            note!("resuming failed: {e}");
            let _ = child.kill();
            let _ = child.wait();
            // QEMU (or a virtiofsd) says why on its log; QMP only loses
            // its connection.
            let e = match first_failure(dir) {
                Some(why) => e.context(why),
                None => e,
            };
            finish(
                dir,
                &mut runtime,
                None,
                Some(format!("resuming from its saved state failed: {e}")),
            );
            share::end_daemons(&mut daemons);
            release_taps(&launch);
            return Err(e);
        }
        note!("resumed from the saved state");
    }

    // When the tether was ready: how long the run lasted sets the wait
    // before a restart.
    let mut ready = None;
    let relay = match connect_link(dir, &mut child, &token, launch.incoming.is_some()) {
        Ok(link) => {
            // The relay's socket is bound before the domain is recorded as
            // running: a starter that sees Running attaches at once.
            let reader = link.try_clone().io_context(|| "cloning the link".into())?;
            let relay = Relay::new(reader, link, token.clone(), Role::Monitor)?;
            relay.serve(&dir.join(files::MONITOR_SOCK))?;
            runtime.phase = Phase::Running;
            runtime.ready_at = Some(now());
            ready = Some(Instant::now());
            runtime.save(dir)?;
            journal.record("domain", &launch.name, "start", &[]);
            note!("tether ready");
            Some(relay)
        }
        Err(e) => {
            note!("no tether link: {e}");
            None
        }
    };

    let status = child.wait().io_context(|| "waiting for QEMU".into())?;
    note!("qemu exited: {status}");
    share::end_daemons(&mut daemons);
    release_taps(&launch);
    // And the taps of networks it joined while it ran.
    if let Ok(def) = DomainStore::new(&launch.state).load(&launch.id) {
        let networks = NetworkStore::new(&launch.state);
        for tap in network::taps_of(&def.id, &def.spec.networks, &networks) {
            network::delete_tap(&tap);
        }
    }
    let primary = relay.as_ref().and_then(|r| r.primary_exit());
    if suspend::record(dir).is_some() {
        // `domain suspend` saved it and quit QEMU: not the end of its life.
        finish(dir, &mut runtime, None, None);
        if let Some(r) = &relay {
            r.close_all();
        }
        return Ok(Ending::Done);
    }
    let mut reason = exit_reason(&status, primary.as_ref(), relay.is_some(), dir);
    let exit_code = primary.map(|p| p.exit_code);
    if primary.is_some() && relay.as_ref().is_some_and(|r| r.primary_oom_killed()) {
        runtime.oom_killed = true;
        reason = reason.or_else(|| Some(OOM_REASON.into()));
    }
    let ran = ready.map_or(Duration::ZERO, |at| at.elapsed());
    let again = match (exit_code, &reason) {
        // Only a primary that exited on its own is restarted, not a boot
        // that failed or a QEMU that died.
        (Some(code), None) if !launch.auto_remove => plan_restart(dir, &launch, code, ran),
        _ => None,
    };
    if let Some((after, n, policy)) = &again {
        reason = Some(format!(
            "restarting in {} (--restart {policy}, restart {n})",
            humantime::format_duration(*after)
        ));
    }
    finish(dir, &mut runtime, exit_code, reason);
    if let Some(r) = &relay {
        r.close_all();
    }
    let mut attrs = Vec::new();
    if let Some(code) = exit_code {
        attrs.push(("exit_code", code.to_string()));
    }
    if runtime.oom_killed {
        attrs.push(("oom_killed", "true".to_string()));
    }
    journal.record("domain", &launch.name, "die", &attrs);
    if launch.auto_remove {
        let store = DomainStore::new(&launch.state);
        let def = store.load(&launch.id).ok();
        match store.remove(&launch.id) {
            Ok(()) => {
                if let Some(def) = def {
                    network::forget_domain(&NetworkStore::new(&launch.state), &def);
                }
                journal.record("domain", &launch.name, "remove", &[]);
            }
            Err(e) => note!("auto-remove failed: {e}"),
        }
    }
    Ok(match again {
        Some((after, _, _)) => Ending::Restart(after),
        None => Ending::Done,
    })
}

/// Whether the domain's restart policy starts it again after a run of
/// `ran` whose primary exited with `code`: the wait, the restart's number
/// and the policy, recorded (`restart.json`) for the start to come.
fn plan_restart(
    dir: &Path,
    launch: &Launch,
    code: i32,
    ran: Duration,
) -> Option<(Duration, u32, crate::plumbing::spec::Restart)> {
    use crate::plumbing::local::restart;
    use crate::plumbing::spec::restart::{STEADY, delay};
    let policy = DomainStore::new(&launch.state)
        .load(&launch.id)
        .ok()?
        .spec
        .restart;
    let record = restart::load(dir);
    if restart::was_stopped_by_hand(dir) || !policy.again(code, record.count) {
        return None;
    }
    if launch.cache.as_os_str().is_empty() {
        note!("no restart: the launch plan names no cache directory (started by an older vicport)");
        return None;
    }
    let quick = if ran >= STEADY { 0 } else { record.quick };
    let next = restart::Record {
        count: record.count + 1,
        quick: quick + 1,
    };
    if let Err(e) = restart::save(dir, &next) {
        note!("no restart: recording it failed: {e}");
        return None;
    }
    Some((delay(quick), next.count, policy))
}

/// After a run whose policy restarts the domain in `dir`: wait `after`,
/// then start it as `domain start` does (a new monitor runs it), unless it
/// was stopped by hand or removed meanwhile. A failed start is recorded as
/// the domain's state reason.
pub fn restart(dir: &Path, after: Duration) -> Result<()> {
    use crate::plumbing::local::restart;
    std::thread::sleep(after);
    let abandon = |why: &str| {
        note!("no restart: {why}");
        if let Ok(Some(mut rt)) = Runtime::load(dir) {
            rt.reason = Some(format!("not restarted: {why}"));
            let _ = rt.save(dir);
        }
    };
    if !dir.is_dir() {
        return Ok(());
    }
    if restart::was_stopped_by_hand(dir) {
        abandon("it was stopped by hand");
        return Ok(());
    }
    let launch = read_launch(&dir.join(LAUNCH))?;
    note!("restarting");
    let platform =
        crate::plumbing::local::LocalPlatform::open("local", launch.state.clone(), launch.cache)?
            .starting_by_policy();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the runtime", e))?;
    let id = launch.id.0.clone();
    let started = runtime.block_on(async {
        crate::plumbing::domain::Domains::new(&platform)
            .start(&id)
            .await
    });
    if let Err(e) = started {
        if dir.is_dir() {
            abandon(&format!("its start failed: {e}"));
        }
        return Err(e);
    }
    Ok(())
}

/// The reason recorded when the guest's OOM killer ended the primary.
pub const OOM_REASON: &str =
    "the guest's out-of-memory killer killed the primary process (it needs more memory: --memory)";

/// Why QEMU ended, when it was not the primary's own exit.
fn exit_reason(
    status: &std::process::ExitStatus,
    primary: Option<&PrimaryState>,
    linked: bool,
    dir: &Path,
) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if let Some(sig) = status.signal() {
        return Some(format!("QEMU was killed by signal {sig}"));
    }
    if !status.success() {
        let log = std::fs::read_to_string(dir.join("qemu.log")).unwrap_or_default();
        let last = log.lines().last().unwrap_or("").trim().to_string();
        return Some(format!("QEMU exited with {status}: {last}"));
    }
    if !linked {
        let console = std::fs::read_to_string(dir.join(qemu_files::CONSOLE)).unwrap_or_default();
        return Some(match tether_gave_up(&console) {
            Some(why) => format!("the guest powered off before its tether was ready: {why}"),
            None => "the guest powered off before its tether was ready (see console.log)".into(),
        });
    }
    if primary.is_none() {
        return Some("the guest powered off without reporting the primary process's exit".into());
    }
    None
}

/// Why the tether gave up, from a console where it said so: its line
/// before "cannot continue" (`boot failed: …`), without its prefix.
fn tether_gave_up(console: &str) -> Option<String> {
    const SAYS: &str = "tether: ";
    let lines: Vec<&str> = console.lines().collect();
    let end = lines
        .iter()
        .rposition(|l| l.contains("tether: cannot continue"))?;
    lines[..end]
        .iter()
        .rev()
        .find_map(|l| l.find(SAYS).map(|i| l[i + SAYS.len()..].trim().to_string()))
        .filter(|why| !why.is_empty())
}

fn finish(dir: &Path, runtime: &mut Runtime, exit_code: Option<i32>, reason: Option<String>) {
    runtime.phase = Phase::Exited;
    runtime.finished_at = Some(now());
    runtime.exit_code = exit_code;
    runtime.reason = reason;
    if let Err(e) = runtime.save(dir) {
        note!("recording the exit failed: {e}");
    }
}

/// Connect to QEMU's link socket, wait for the tether's Ready, and say
/// Hello. Fails when QEMU exits first. A resumed tether said Ready long
/// ago, to the suspended run's monitor: it is greeted at once.
fn connect_link(dir: &Path, child: &mut Child, token: &[u8], resumed: bool) -> Result<UnixStream> {
    let path = dir.join(qemu_files::LINK);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut stream = loop {
        match sock::try_connect(&path) {
            Ok(s) => break s,
            Err(e) => {
                if child.try_wait().ok().flatten().is_some() {
                    return Err(Error::other("QEMU exited before its link socket appeared"));
                }
                if Instant::now() > deadline {
                    return Err(Error::io(format!("connecting to {}", path.display()), e));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    if resumed {
        say_hello(&mut stream, token)?;
    } else {
        handshake(&mut stream, token)?;
    }
    Ok(stream)
}

/// Wait for the tether's Ready on a fresh link and say Hello; the HelloOk
/// (or Refused) is read by the relay's tether reader.
pub fn handshake(stream: &mut UnixStream, token: &[u8]) -> Result<()> {
    tether_protocol::client::wait_for_ready(stream)
        .map_err(|e| Error::other(format!("waiting for the tether: {e}")))?;
    say_hello(stream, token)
}

fn say_hello(stream: &mut UnixStream, token: &[u8]) -> Result<()> {
    let hello = Message::Hello {
        versions: Versions::SUPPORTED,
        token: token.to_vec(),
    };
    stream
        .write_all(&hello.to_frame(0))
        .io_context(|| "saying Hello to the tether".into())
}

/// Read a launch plan (`launch.json`, or a suspended run's copy).
pub fn read_launch(path: &Path) -> Result<Launch> {
    let bytes = std::fs::read(path).io_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::other(format!("{} is damaged: {e}", path.display())))
}

/// Write the launch plan for the monitor.
pub fn write_launch(dir: &Path, launch: &Launch) -> Result<()> {
    let text = serde_json::to_vec_pretty(launch).expect("a launch plan serializes");
    write_atomic(&dir.join(LAUNCH), &text, 0o600)
}

/// Start the monitor of the domain in `dir` as a detached process (its own
/// session, stdio on `monitor.log`), so it outlives the command that
/// started it.
pub fn spawn(dir: &Path) -> Result<u32> {
    let child = detach::spawn("monitor", dir, &dir.join(files::MONITOR_LOG))?;
    let pid = child.id();
    detach::reap_later(child);
    Ok(pid)
}

#[cfg(test)]
mod tests {
    use super::tether_gave_up;

    #[test]
    fn the_tethers_last_word_before_it_gave_up_is_the_reason() {
        let console = "\x1b[2J[    0.36] PCI: Fatal: No config space access function found\n\
                       tether: kernel modules (spec): 1 loaded, 0 already present, 0 failed\n\
                       tether: boot failed: cannot set the kernel parameter net.nope.x to \"1\": No such file or directory (os error 2)\n\
                       tether: cannot continue: syncing and powering off\n\
                       [    1.2] reboot: Power down\n";
        assert_eq!(
            tether_gave_up(console).as_deref(),
            Some(
                "boot failed: cannot set the kernel parameter net.nope.x to \"1\": No such file or directory (os error 2)"
            )
        );
        // A guest that stopped for another reason (a kernel panic, a
        // power-off) names none.
        assert_eq!(
            tether_gave_up("tether: ready\n[ 1.0] reboot: Power down\n"),
            None
        );
        assert_eq!(tether_gave_up(""), None);
    }
}
