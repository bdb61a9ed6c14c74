//! The runtime-spec operations on containers: create (a domain from the
//! bundle, booted by a shim forked in a new pid namespace, the pid file
//! written last), start, state, kill, delete, list and features. Each is
//! a few domain-layer calls; errors say what the spec says ("does not
//! exist", not running, not stopped).

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::parse_signal;

use super::cli::{CreateArgs, DeleteArgs, KillArgs, ListArgs, OciCommand, OciGlobals};
use super::state::{Record, ShimPid, Store};
use super::{ID_LABEL, OCI_VERSION, bundle, domain_name, open, place_now, shim};

/// How long `create` waits for the shim to have booted the VM (engines
/// wait 240 s for the pid).
const BOOT_WAIT: Duration = Duration::from_secs(200);

/// Run one operation, writing what it prints to `out`.
pub fn run(
    globals: &OciGlobals,
    store: &Store,
    command: OciCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        OciCommand::Create(a) => create(globals, store, &a),
        OciCommand::Start(a) => start(store, &a.id),
        OciCommand::State(a) => {
            let record = store.load(&a.id)?;
            print_json(out, &state_of(&record))
        }
        OciCommand::Kill(a) => kill(store, &a),
        OciCommand::Delete(a) => delete(store, &a),
        OciCommand::List(a) => list(store, &a, out),
        OciCommand::Features => print_json(out, &features()),
        OciCommand::Shim(_) => Err(Error::other("the shim runs through oci::run")),
    }
}

fn print_json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).expect("a state document serializes");
    writeln!(out, "{text}").map_err(|e| Error::io("writing to stdout", e))
}

/// A container's status, from its shim and its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// `create` is under way.
    Creating,
    /// Booted, its process waiting for `start`.
    Created,
    /// Its process runs.
    Running,
    /// Its process has ended (its shim is gone).
    Stopped,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Creating => "creating",
            Status::Created => "created",
            Status::Running => "running",
            Status::Stopped => "stopped",
        })
    }
}

/// The status of `record`'s container: its shim is its life.
pub fn status(record: &Record) -> Status {
    match record.shim {
        None => Status::Creating,
        Some(shim) if !shim.alive() => Status::Stopped,
        Some(_) if record.started => Status::Running,
        Some(_) => Status::Created,
    }
}

/// The runtime spec's state document. (oci-spec's `State` has no `paused`
/// status, which engines also read, so it is written here.)
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateDoc {
    oci_version: &'static str,
    id: String,
    status: Status,
    pid: i32,
    bundle: String,
    rootfs: String,
    created: String,
    annotations: std::collections::BTreeMap<String, String>,
}

fn state_of(record: &Record) -> StateDoc {
    let status = status(record);
    StateDoc {
        oci_version: OCI_VERSION,
        id: record.id.clone(),
        status,
        pid: match (status, record.shim) {
            (Status::Created | Status::Running, Some(s)) => s.pid,
            _ => 0,
        },
        bundle: record.bundle.display().to_string(),
        rootfs: record.bundle.join("rootfs").display().to_string(),
        created: record.created.clone(),
        annotations: record.annotations.clone(),
    }
}

/// `create`: everything is checked before anything is made; a failure
/// after that takes back what was made (the domain, the record).
fn create(globals: &OciGlobals, store: &Store, a: &CreateArgs) -> Result<()> {
    Store::check_id(&a.id)?;
    if a.preserve_fds > 0 {
        return Err(Error::new(
            ErrorKind::NotSupported,
            format!(
                "--preserve-fds {}: a containerVM's process cannot take the host's descriptors",
                a.preserve_fds
            ),
        ));
    }
    let place = place_now()?;
    let host_cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut b = bundle::load(&a.bundle, &domain_name(&a.id), host_cpus)?;
    if b.terminal && a.console_socket.is_none() {
        return Err(Error::invalid(
            "the process has a terminal (process.terminal) but no --console-socket was given",
        ));
    }
    b.spec.labels.insert(ID_LABEL.into(), a.id.clone());
    store.claim(&a.id)?;
    let opened = match open(&place) {
        Ok(o) => o,
        Err(e) => {
            let _ = store.remove(&a.id);
            return Err(e);
        }
    };
    let spec = b.spec.clone();
    let made = opened.block_on(|d| async move { d.create(spec, None).await });
    let info = match made {
        Ok(info) => info,
        Err(e) => {
            let _ = store.remove(&a.id);
            return Err(e);
        }
    };
    let mut record = Record {
        id: a.id.clone(),
        bundle: b.dir.clone(),
        domain: info.id.0.clone(),
        created: crate::plumbing::spec::now(),
        annotations: b.annotations.clone(),
        terminal: b.terminal,
        shim: None,
        started: false,
        place,
    };
    let launched = store
        .save(&record)
        .and_then(|()| launch_shim(globals, a))
        .and_then(|shim| {
            record.shim = Some(shim);
            store.save(&record)?;
            match &a.pid_file {
                Some(p) => crate::plumbing::file::write_atomic(
                    &std::path::absolute(p).unwrap_or_else(|_| p.clone()),
                    shim.pid.to_string().as_bytes(),
                    0o644,
                ),
                None => Ok(()),
            }
        });
    if let Err(e) = launched {
        if let Some(s) = record.shim.filter(ShimPid::alive) {
            // SAFETY: kill(2) of our own shim, checked alive by start time.
            unsafe { libc::kill(s.pid, libc::SIGKILL) };
        }
        let domain = record.domain.clone();
        let _ = opened.block_on(|d| async move { d.remove(&domain, true).await.map(drop) });
        let _ = store.remove(&a.id);
        return Err(e);
    }
    Ok(())
}

/// Fork the shim as the first process of a new pid namespace (so it and
/// the VM it starts are one unit, and `podman top` shows no host
/// process), and wait for it to say ready; its pid.
fn launch_shim(globals: &OciGlobals, a: &CreateArgs) -> Result<ShimPid> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().map_err(|e| Error::io("finding the vicport binary", e))?;
    let mut fds = [0; 2];
    // SAFETY: pipe2 into a two-int array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::io(
            "making the shim's ready pipe",
            std::io::Error::last_os_error(),
        ));
    }
    // SAFETY: two fresh descriptors we now own.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("oci")
        .arg("--root")
        .arg(&globals.root)
        .arg("shim")
        .arg("--ready-fd")
        .arg(write.as_raw_fd().to_string());
    if let Some(s) = &a.console_socket {
        cmd.arg("--console-socket").arg(s);
    }
    cmd.arg(&a.id);
    let keep = write.as_raw_fd();
    // SAFETY: fcntl in the child, on the descriptor it is to keep.
    unsafe {
        cmd.pre_exec(move || {
            if libc::fcntl(keep, libc::F_SETFD, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    // A new pid namespace for our next child only. Without the privilege
    // for one (not root) the shim runs in ours.
    // SAFETY: unshare(2) of the pid namespace for children.
    if unsafe { libc::unshare(libc::CLONE_NEWPID) } != 0 {
        tracing::debug!(
            "no pid namespace for the shim: {}",
            std::io::Error::last_os_error()
        );
    }
    let child = cmd
        .spawn()
        .map_err(|e| Error::io("starting the container's shim", e))?;
    drop(write);
    let pid = child.id() as i32;
    let shim = ShimPid::of(pid);
    let answer = read_ready(read, pid);
    match (answer, shim) {
        (Ok(()), Some(shim)) => Ok(shim),
        (Ok(()), None) => Err(Error::other("the container's shim ended as it started")),
        (Err(e), _) => {
            // SAFETY: kill(2) of the child we just started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            Err(e)
        }
    }
}

/// The shim's answer: "ok", or why it could not start the container.
fn read_ready(read: OwnedFd, pid: i32) -> Result<()> {
    let deadline = Instant::now() + BOOT_WAIT;
    let mut pfd = libc::pollfd {
        fd: read.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: poll on one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 200) };
        if n > 0 {
            break;
        }
        if Instant::now() > deadline {
            return Err(Error::other(format!(
                "the container's VM did not boot within {}s",
                BOOT_WAIT.as_secs()
            )));
        }
    }
    let mut line = String::new();
    let _ = BufReader::new(std::fs::File::from(read)).read_line(&mut line);
    match line.trim_end() {
        "ok" => Ok(()),
        "" => Err(Error::other(format!(
            "the container's shim (pid {pid}) ended before the VM was ready"
        ))),
        why => Err(Error::other(why.to_string())),
    }
}

fn start(store: &Store, id: &str) -> Result<()> {
    let mut record = store.load(id)?;
    match status(&record) {
        Status::Created => {}
        other => {
            return Err(Error::invalid_state(format!(
                "cannot start container {id:?}: it is {other}, not created"
            )));
        }
    }
    shim::request_start(store, id)?;
    record.started = true;
    store.save(&record)
}

fn kill(store: &Store, a: &KillArgs) -> Result<()> {
    let record = store.load(&a.id)?;
    let signal = parse_signal(&a.signal)?;
    let shim = match (status(&record), record.shim) {
        (Status::Created | Status::Running, Some(s)) => s,
        (other, _) => {
            return Err(Error::invalid_state(format!(
                "cannot kill container {:?}: it is {other}",
                a.id
            )));
        }
    };
    if !record.started {
        // Its process never ran: the shim ends the container (KILL ends
        // the shim, and its pid namespace takes the VM along).
        // SAFETY: kill(2) of the shim, checked alive by its start time.
        // On Linux the protocol's classic numbers are the kernel's.
        unsafe { libc::kill(shim.pid, signal.number()) };
        return Ok(());
    }
    let opened = open(&record.place)?;
    let domain = &record.domain;
    opened
        .block_on(|d| async move { d.kill(domain, signal).await })
        .map(drop)
}

fn delete(store: &Store, a: &DeleteArgs) -> Result<()> {
    let record = match store.load(&a.id) {
        Ok(r) => r,
        Err(e) if e.kind() == ErrorKind::NotFound && a.force => return Ok(()),
        Err(e) => return Err(e),
    };
    let now = status(&record);
    if now != Status::Stopped && !a.force {
        return Err(Error::invalid_state(format!(
            "cannot delete container {:?} that is not stopped: it is {now}",
            a.id
        ))
        .with_hint("stop it first, or delete it with --force"));
    }
    let opened = open(&record.place)?;
    let domain = &record.domain;
    match opened.block_on(|d| async move { d.remove(domain, true).await }) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(s) = record.shim.filter(ShimPid::alive) {
        // SAFETY: kill(2) of the shim, checked alive by its start time.
        unsafe { libc::kill(s.pid, libc::SIGKILL) };
    }
    store.remove(&a.id)
}

fn list(store: &Store, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let docs: Vec<StateDoc> = store
        .ids()?
        .iter()
        .filter_map(|id| store.load(id).ok())
        .map(|r| state_of(&r))
        .collect();
    if a.format == "json" {
        return print_json(out, &docs);
    }
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| Error::io("writing to stdout", e))
    };
    write(out, "ID\tPID\tSTATUS\tBUNDLE\tCREATED".into())?;
    for d in &docs {
        write(
            out,
            format!(
                "{}\t{}\t{}\t{}\t{}",
                d.id, d.pid, d.status, d.bundle, d.created
            ),
        )?;
    }
    Ok(())
}

/// What `features` says this runtime does.
fn features() -> serde_json::Value {
    serde_json::json!({
        "ociVersionMin": "1.0.0",
        "ociVersionMax": OCI_VERSION,
        "hooks": [],
        "mountOptions": ["bind", "rbind", "ro", "rw"],
        "annotations": {
            "org.vicport.runtime": "containerVM",
            "org.vicport.version": env!("CARGO_PKG_VERSION"),
        },
    })
}
