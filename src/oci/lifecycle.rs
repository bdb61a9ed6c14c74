//! The runtime-spec operations on containers: create (a domain from the
//! bundle, booted by a shim forked in a new pid namespace, the pid file
//! written last), start, state, kill, update, delete, list and features
//! (`run` and `spec` have modules of their own). Each is
//! a few domain-layer calls; errors say what the spec says ("does not
//! exist", not running, not stopped).

use std::io::{Read, Write};
use std::path::PathBuf;

use oci_spec::runtime::LinuxResources;
use serde::Serialize;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::parse_signal;

use super::cli::{
    CreateArgs, DeleteArgs, KillArgs, ListArgs, OciCommand, OciGlobals, PsArgs, UpdateArgs,
};
use super::state::{Record, ShimPid, Store};
use super::{
    ID_LABEL, OCI_VERSION, bundle, checkpoint, domain_name, exec, hooks, launch, open, place_now,
    runner, shim, template,
};

/// Run one operation, writing what it prints to `out`; the exit code
/// (an exec's own, else 0).
pub fn run(
    globals: &OciGlobals,
    store: &Store,
    command: OciCommand,
    out: &mut dyn Write,
) -> Result<i32> {
    match command {
        OciCommand::Create(a) => create(globals, store, &a, None),
        OciCommand::Checkpoint(a) => checkpoint::checkpoint(store, &a),
        OciCommand::Restore(a) => return checkpoint::restore(globals, store, &a),
        OciCommand::Start(a) => start(store, &a.id),
        OciCommand::Run(a) => return runner::run(globals, store, &a),
        OciCommand::Spec(a) => template::write(&a.bundle),
        OciCommand::State(a) => {
            let record = store.load(&a.id)?;
            print_json(out, &state_of(&record))
        }
        OciCommand::Kill(a) => kill(store, &a),
        OciCommand::Delete(a) => delete(store, &a),
        OciCommand::List(a) => list(store, &a, out),
        OciCommand::Features => print_json(out, &features()),
        OciCommand::Exec(a) => return Ok(exec::exec(globals, store, &a)?.unwrap_or(0)),
        OciCommand::Pause(a) => freeze(store, &a.id, true),
        OciCommand::Resume(a) => freeze(store, &a.id, false),
        OciCommand::Ps(a) => ps(store, &a, out),
        OciCommand::Update(a) => update(store, &a),
        OciCommand::Shim(_) | OciCommand::ExecShim(_) => {
            Err(Error::other("shims run through oci::run"))
        }
    }
    .map(|()| 0)
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
    /// Its VM is paused.
    Paused,
    /// Its process has ended (its shim is gone).
    Stopped,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Creating => "creating",
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Stopped => "stopped",
        })
    }
}

/// The status of `record`'s container: its shim is its life.
pub fn status(record: &Record) -> Status {
    match record.shim {
        None => Status::Creating,
        Some(shim) if !shim.alive() => Status::Stopped,
        Some(_) if record.started && record.paused => Status::Paused,
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
    state_as(record, status(record))
}

/// `record`'s state document with `status` (what a hook is told: the
/// status its point of the lifecycle is at).
fn state_as(record: &Record, status: Status) -> StateDoc {
    StateDoc {
        oci_version: OCI_VERSION,
        id: record.id.clone(),
        status,
        pid: match (status, record.shim) {
            (Status::Created | Status::Running | Status::Paused, Some(s)) => s.pid,
            _ => 0,
        },
        bundle: record.bundle.display().to_string(),
        rootfs: record
            .rootfs
            .clone()
            .unwrap_or_else(|| record.bundle.join("rootfs"))
            .display()
            .to_string(),
        created: record.created.clone(),
        annotations: record.annotations.clone(),
    }
}

/// `--preserve-fds N`: only 0, since a VM's process cannot take the
/// host's descriptors.
pub fn refuse_preserved_fds(n: u32) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::NotSupported,
        format!("--preserve-fds {n}: a containerVM's process cannot take the host's descriptors"),
    ))
}

/// `create`: everything is checked before anything is made; a failure
/// after that takes back what was made (the domain, the record). With
/// `from`, the container's VM starts from the checkpoint in that
/// directory instead of booting, and the container is running once this
/// returns (`restore`): its poststart hooks have run, not its
/// startContainer hooks (its process does not start again).
pub(super) fn create(
    globals: &OciGlobals,
    store: &Store,
    a: &CreateArgs,
    from: Option<&std::path::Path>,
) -> Result<()> {
    Store::check_id(&a.id)?;
    refuse_preserved_fds(a.preserve_fds)?;
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
        rootfs: b.spec.root_dir.as_ref().map(|r| r.path.clone()),
        domain: info.id.0.clone(),
        created: crate::plumbing::spec::now(),
        annotations: b.annotations.clone(),
        terminal: b.terminal,
        hooks: b.hooks.clone(),
        shim: None,
        started: false,
        paused: false,
        place,
    };
    let mut hook_failed = false;
    let launched = store
        .save(&record)
        .and_then(|()| {
            let mut args: Vec<std::ffi::OsString> = vec!["shim".into()];
            if let Some(s) = &a.console_socket {
                args.extend(["--console-socket".into(), s.into()]);
            }
            if let Some(dir) = from {
                args.extend(["--restore".into(), dir.into()]);
            }
            args.push(a.id.clone().into());
            launch::shim(globals, args, launch::PidNamespace::New)
        })
        .and_then(|shim| {
            record.shim = Some(shim);
            // A restored container's process runs already.
            record.started = from.is_some();
            store.save(&record)?;
            create_hooks(&record).inspect_err(|_| hook_failed = true)?;
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
        if hook_failed {
            // The spec's lifecycle goes on to the container's end: its
            // poststop hooks run.
            poststop(&record);
        }
        return Err(e);
    }
    if from.is_some() {
        hooks::run_warning(
            "poststart",
            &record.hooks.poststart,
            &state_json(&record, Status::Running),
        );
    }
    Ok(())
}

/// The hooks of `create`, in the spec's order, each with the state of the
/// created container (its pid the shim's) on stdin. All run on the host:
/// prestart and createRuntime in the runtime's namespaces as the spec
/// says; createContainer too, since its path resolves in the runtime's
/// namespace (a host program, which the guest cannot run), once the
/// container's VM is up with its mounts made.
fn create_hooks(record: &Record) -> Result<()> {
    let state = state_json(record, Status::Created);
    let h = &record.hooks;
    hooks::run_all("prestart", &h.prestart, &state)?;
    hooks::run_all("createRuntime", &h.create_runtime, &state)?;
    hooks::run_all("createContainer", &h.create_container, &state)
}

fn state_json(record: &Record, status: Status) -> Vec<u8> {
    serde_json::to_vec(&state_as(record, status)).expect("a state document serializes")
}

/// The poststop hooks of a container that has ended: warnings only.
fn poststop(record: &Record) {
    hooks::run_warning(
        "poststop",
        &record.hooks.poststop,
        &state_json(record, Status::Stopped),
    );
}

/// The startContainer hooks, in the guest: their paths resolve in the
/// container (the spec's words), so each runs as a process in the
/// container's root through the tether, as root, with the state on its
/// stdin and its timeout.
fn start_container_hooks(record: &Record) -> Result<()> {
    let list = &record.hooks.start_container;
    if list.is_empty() {
        return Ok(());
    }
    let state = state_json(record, Status::Created);
    let opened = open(&record.place)?;
    let domain = &record.domain;
    let (_, client) = opened.block_on(|d| async move { d.link(domain).await })?;
    for (i, h) in list.iter().enumerate() {
        in_guest(&client, h, &state).map_err(|why| {
            Error::other(format!(
                "the startContainer hook #{i} ({}) failed in the container: {why}",
                h.path.display()
            ))
            .with_hint("fix the hook (its path is the container's), or remove it from the bundle's config.json")
        })?;
    }
    Ok(())
}

/// Run hook `h` as a process in the guest; why it failed.
fn in_guest(
    client: &tether_protocol::client::Client,
    h: &hooks::Hook,
    state: &[u8],
) -> std::result::Result<(), String> {
    use tether_protocol::client::{ClientError, Output};
    let mut argv = vec![h.path.display().to_string()];
    argv.extend(h.args.iter().skip(1).cloned());
    let request = tether_protocol::message::ExecRequest {
        argv,
        env: h.env.clone(),
        cwd: "/".into(),
        user: String::new(),
        tty: false,
        rows: 0,
        cols: 0,
        stdin: true,
        window: tether_protocol::DEFAULT_WINDOW,
    };
    let session = client.exec(request).map_err(|e| match e {
        ClientError::ExecFailed { message, .. } => format!("cannot run it: {message}"),
        other => other.to_string(),
    })?;
    let _ = session.write_stdin(state);
    let _ = session.close_stdin();
    let deadline = h
        .timeout
        .map(|t| std::time::Instant::now() + std::time::Duration::from_secs(t));
    let mut stderr = Vec::new();
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
        match session.read_output_timeout(left) {
            Ok(Some(Output::Stderr(d))) => stderr.extend(d),
            Ok(Some(Output::Stdout(_))) => {}
            Ok(None) => break,
            Err(ClientError::Timeout(_)) => {
                let _ = session.signal(tether_protocol::Signal::KILL);
                return Err(format!(
                    "it ran past its timeout of {} s and was killed",
                    h.timeout.unwrap_or_default()
                ));
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    let status = session
        .exit_status()
        .ok_or_else(|| "the guest gave no exit status".to_string())?;
    if status.code == 0 {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&stderr);
    Err(match text.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(l) => format!("exit status {}: {}", status.code, l.trim()),
        None => format!("exit status {}", status.code),
    })
}

pub(super) fn start(store: &Store, id: &str) -> Result<()> {
    let mut record = store.load(id)?;
    match status(&record) {
        Status::Created => {}
        other => {
            return Err(Error::invalid_state(format!(
                "cannot start container {id:?}: it is {other}, not created"
            )));
        }
    }
    if let Err(e) = start_container_hooks(&record) {
        // The spec: the container stops, and its lifecycle goes on to
        // its end (destroyed, then its poststop hooks).
        destroy(store, &record);
        poststop(&record);
        return Err(e);
    }
    shim::request_start(store, id)?;
    record.started = true;
    store.save(&record)?;
    hooks::run_warning(
        "poststart",
        &record.hooks.poststart,
        &state_json(&record, Status::Running),
    );
    Ok(())
}

/// End container `record` and take away its domain and record, on the
/// way out of a failure (what fails here is not the caller's error).
fn destroy(store: &Store, record: &Record) {
    if let Some(s) = record.shim.filter(ShimPid::alive) {
        // SAFETY: kill(2) of the shim, checked alive by its start time.
        unsafe { libc::kill(s.pid, libc::SIGKILL) };
    }
    if let Ok(opened) = open(&record.place) {
        let domain = &record.domain;
        let _ = opened.block_on(|d| async move { d.remove(domain, true).await.map(drop) });
    }
    let _ = store.remove(&record.id);
}

fn kill(store: &Store, a: &KillArgs) -> Result<()> {
    let record = store.load(&a.id)?;
    let signal = parse_signal(&a.signal)?;
    let shim = match (status(&record), record.shim) {
        (Status::Created | Status::Running | Status::Paused, Some(s)) => s,
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
    let all = a.all;
    let sent = opened.block_on(|d| async move {
        if all {
            d.kill_all(domain, signal).await.map(drop)
        } else {
            d.kill(domain, signal).await.map(drop)
        }
    });
    match sent {
        // The container was running when this kill began and its domain
        // is gone now: its process ended (by this signal or on its own)
        // and the engine's cleanup deleted it meanwhile — as with
        // podman's `rm -f`, whose cleanup races its own kill. The signal
        // had nothing left to reach, which is not the engine's error.
        Err(e) if e.kind() == ErrorKind::NotFound => {
            tracing::debug!(container = %a.id, error = %e, "domain gone while signalled");
            Ok(())
        }
        other => other,
    }
}

/// `update`: the memory limit moves the VM's balloon (within what it
/// booted with); a vCPU count other than the VM's is refused, as the VM's
/// vCPUs are fixed at boot; the rest of `linux.resources` is what `create`
/// leaves to the guest (no host cgroup of the VM's to apply it to).
fn update(store: &Store, a: &UpdateArgs) -> Result<()> {
    let record = store.load(&a.id)?;
    let now = status(&record);
    if !matches!(now, Status::Created | Status::Running | Status::Paused) {
        return Err(Error::invalid_state(format!(
            "cannot update container {:?}: it is {now}",
            a.id
        )));
    }
    let Some(file) = &a.resources else {
        return Err(Error::invalid(
            "update needs the new resources: --resources FILE (- for stdin), the runtime spec's linux.resources object",
        ));
    };
    let (label, text) = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("reading the resources from stdin", e))?;
        (PathBuf::from("stdin"), text)
    } else {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::io(format!("reading {}", file.display()), e))?;
        (file.clone(), text)
    };
    let resources: LinuxResources = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(format!(
            "{}: not a linux.resources object: {e}",
            label.display()
        ))
    })?;
    let host_cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let asked = bundle::asked_sizes(&label, &resources, host_cpus)?;
    let opened = open(&record.place)?;
    let domain = &record.domain;
    let id = &a.id;
    opened.block_on(|d| async move {
        if let Some(cpus) = asked.cpus {
            let info = d.inspect(domain).await?;
            if cpus != info.cpus {
                return Err(Error::new(
                    ErrorKind::NotSupported,
                    format!(
                        "container {id:?} runs on {} vCPUs, fixed when its VM booted: {cpus} asked",
                        info.cpus
                    ),
                )
                .with_hint("create it again with the new CPU limit"));
            }
        }
        if let Some(memory) = asked.memory {
            let mb = match memory {
                bundle::MemoryAsk::Limit(mb) => Some(mb),
                bundle::MemoryAsk::Unlimited => None,
            };
            let (_, m) = d.set_memory(domain, mb).await?;
            if !m.settled() {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: container {id:?}'s guest has {} MiB so far, not the {} MiB it keeps from now on: its processes hold the rest, which the balloon goes on taking back",
                    m.actual_mb.unwrap_or(m.boot_mb),
                    m.target_mb
                );
            }
        }
        Ok(())
    })
}

pub(super) fn delete(store: &Store, a: &DeleteArgs) -> Result<()> {
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
    store.remove(&a.id)?;
    poststop(&record);
    Ok(())
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

/// `pause` (`frozen`) or `resume`: the VM stops running, or runs again.
fn freeze(store: &Store, id: &str, frozen: bool) -> Result<()> {
    let mut record = store.load(id)?;
    let (want, verb) = if frozen {
        (Status::Running, "pause")
    } else {
        (Status::Paused, "resume")
    };
    let now = status(&record);
    if now != want {
        return Err(Error::invalid_state(format!(
            "cannot {verb} container {id:?}: it is {now}"
        )));
    }
    let opened = open(&record.place)?;
    let domain = &record.domain;
    opened.block_on(|d| async move {
        if frozen {
            d.pause(domain).await
        } else {
            d.resume(domain).await
        }
    })?;
    record.paused = frozen;
    store.save(&record)
}

/// `ps`: the host processes of a container, the ones in its shim's pid
/// namespace (the shim, its exec shims, the VM's monitor, QEMU and
/// virtiofsd); the guest's processes are the VM's own.
fn ps(store: &Store, a: &PsArgs, out: &mut dyn Write) -> Result<()> {
    let record = store.load(&a.id)?;
    let mut pids = Vec::new();
    if let Some(shim) = record.shim.filter(|s| s.alive()) {
        let ns = std::fs::read_link(format!("/proc/{}/ns/pid", shim.pid)).ok();
        let mine = std::fs::read_link("/proc/self/ns/pid").ok();
        if ns.is_some() && ns != mine {
            for e in std::fs::read_dir("/proc").map_err(|e| Error::io("reading /proc", e))? {
                let Some(pid) = e
                    .ok()
                    .and_then(|e| e.file_name().to_str()?.parse::<i32>().ok())
                else {
                    continue;
                };
                if std::fs::read_link(format!("/proc/{pid}/ns/pid")).ok() == ns {
                    pids.push(pid);
                }
            }
        } else {
            pids.push(shim.pid);
        }
    }
    pids.sort_unstable();
    if a.format == "json" {
        return print_json(out, &pids);
    }
    writeln!(out, "PID").map_err(|e| Error::io("writing to stdout", e))?;
    for p in pids {
        writeln!(out, "{p}").map_err(|e| Error::io("writing to stdout", e))?;
    }
    Ok(())
}

/// What `features` says this runtime does.
fn features() -> serde_json::Value {
    serde_json::json!({
        "ociVersionMin": "1.0.0",
        "ociVersionMax": OCI_VERSION,
        "hooks": [
            "prestart",
            "createRuntime",
            "createContainer",
            "startContainer",
            "poststart",
            "poststop",
        ],
        "mountOptions": ["bind", "rbind", "ro", "rw"],
        "annotations": {
            "org.vicport.runtime": "containerVM",
            "org.vicport.version": env!("CARGO_PKG_VERSION"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::state::Place;

    /// A running container whose domain is gone (the engine's cleanup
    /// deleted it while this kill was on its way): the kill succeeds, as
    /// the signal had no process left to reach. No VM is needed: the
    /// "shim" is this test's own process, alive as a shim would be.
    #[test]
    fn a_kill_that_finds_the_domain_gone_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("root"));
        store.claim("c1").unwrap();
        let record = Record {
            id: "c1".into(),
            bundle: dir.path().join("bundle"),
            rootfs: None,
            domain: "ab".repeat(32),
            created: crate::plumbing::spec::now(),
            annotations: Default::default(),
            terminal: false,
            shim: ShimPid::of(std::process::id() as i32),
            started: true,
            paused: false,
            place: Place {
                target: "local".into(),
                config_file: dir.path().join("config.toml"),
                state: dir.path().join("state"),
                cache: dir.path().join("cache"),
            },
            hooks: Default::default(),
        };
        store.save(&record).unwrap();
        assert_eq!(status(&record), Status::Running);
        for all in [false, true] {
            let args = KillArgs {
                all,
                id: "c1".into(),
                signal: "KILL".into(),
            };
            kill(&store, &args).unwrap();
        }
        // A container that is not running is still refused.
        let stopped = Record {
            shim: None,
            ..record
        };
        store.save(&stopped).unwrap();
        let args = KillArgs {
            all: false,
            id: "c1".into(),
            signal: "TERM".into(),
        };
        let e = kill(&store, &args).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidState, "{e}");
    }
}
