//! `exec`: a process in a running container, as an exec shim with the
//! same contract as the container's (its pid is the engine's to wait on, it
//! keeps the stdio it was given or sends a terminal's master, relays the
//! signals it receives, exits with the process's code). It runs in the
//! container shim's pid namespace, so it ends when the container does.

use std::io::Write;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tether_protocol::message::ExecRequest;

use crate::plumbing::error::{Error, ErrorKind, Result};

use super::cli::{ExecArgs, ExecShimArgs, OciGlobals};
use super::launch::{self, PidNamespace};
use super::lifecycle::{Status, refuse_preserved_fds, status};
use super::relay::{self, Shared, lock, pump};
use super::shim::{LOST, one_line};
use super::state::Store;
use super::{bundle, console, open, rootfs};
use crate::plumbing::spec::ProcessLimits;

/// What an exec runs, as the exec shim is told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecSpec {
    /// Program and arguments.
    pub argv: Vec<String>,
    /// `KEY=VALUE` entries.
    pub env: Vec<String>,
    /// Working directory ("" = the user's home or /).
    pub cwd: String,
    /// `uid:gid` ("" = root).
    pub user: String,
    /// On a terminal.
    pub tty: bool,
    /// Groups, rlimits, capabilities, no_new_privs, OOM score.
    #[serde(default)]
    pub limits: ProcessLimits,
}

/// The exec of `a`, from `--process` (the runtime spec's process object)
/// or the arguments.
pub fn spec(a: &ExecArgs) -> Result<ExecSpec> {
    let Some(file) = &a.process else {
        if a.command.is_empty() {
            return Err(Error::invalid(
                "exec needs --process FILE or a command after the container's id",
            ));
        }
        return Ok(ExecSpec {
            argv: a.command.clone(),
            env: a.env.clone(),
            cwd: a.cwd.clone().unwrap_or_default(),
            user: a.user.clone().unwrap_or_default(),
            tty: a.tty,
            limits: ProcessLimits::default(),
        });
    };
    let text =
        std::fs::read(file).map_err(|e| Error::io(format!("reading {}", file.display()), e))?;
    let mut de = serde_json::Deserializer::from_slice(&text);
    let p: oci_spec::runtime::Process = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::invalid(format!("{}: {}: {}", file.display(), e.path(), e.inner())))?;
    let argv = p.args().clone().unwrap_or_default();
    if argv.is_empty() {
        return Err(Error::invalid(format!(
            "{}: args: empty: no program to run",
            file.display()
        )));
    }
    Ok(ExecSpec {
        argv,
        env: p.env().clone().unwrap_or_default(),
        cwd: p.cwd().display().to_string(),
        user: format!("{}:{}", p.user().uid(), p.user().gid()),
        tty: a.tty || p.terminal().unwrap_or(false),
        limits: bundle::limits(file, &p)?,
    })
}

/// Run `exec`: with `--detach` once the exec shim runs the process (its
/// pid in `--pid-file`); without, to the process's end, with its code.
pub fn exec(globals: &OciGlobals, store: &Store, a: &ExecArgs) -> Result<Option<i32>> {
    let record = store.load(&a.id)?;
    refuse_preserved_fds(a.preserve_fds)?;
    let now = status(&record);
    let shim = match (now, record.shim) {
        (Status::Running, Some(s)) => s,
        (other, _) => {
            return Err(Error::invalid_state(format!(
                "cannot exec in container {:?}: it is {other}, not running",
                a.id
            )));
        }
    };
    let spec = spec(a)?;
    if spec.tty && a.console_socket.is_none() {
        return Err(Error::invalid(
            "exec with a terminal needs --console-socket",
        ));
    }
    if let Some(root) = &record.rootfs {
        rootfs::check_executable(root, &spec.argv[0], &spec.env, &spec.cwd)?;
    }
    let mut args: Vec<std::ffi::OsString> = vec!["exec-shim".into()];
    if let Some(s) = &a.console_socket {
        args.extend(["--console-socket".into(), s.into()]);
    }
    let request = serde_json::to_string(&spec).expect("an exec spec serializes");
    args.extend(["--request".into(), request.into(), a.id.clone().into()]);
    let exec_shim = launch::shim(globals, args, PidNamespace::Of(shim.pid))?;
    if let Some(p) = &a.pid_file {
        crate::plumbing::file::write_atomic(
            &std::path::absolute(p).unwrap_or_else(|_| p.clone()),
            exec_shim.pid.to_string().as_bytes(),
            0o644,
        )?;
    }
    if a.detach {
        return Ok(None);
    }
    Ok(Some(wait(exec_shim.pid)))
}

/// Wait for our child `pid`; its exit code (128+N for signal N).
fn wait(pid: i32) -> i32 {
    let mut status = 0;
    loop {
        // SAFETY: waitpid on our own child.
        let rc = unsafe { libc::waitpid(pid, &mut status, 0) };
        if rc == pid {
            break;
        }
        if rc < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return LOST;
        }
    }
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    }
}

/// Run an exec shim; its exit code.
pub fn run_shim(store: &Store, args: &ExecShimArgs) -> i32 {
    let mut ready = launch::ready_pipe(args.ready_fd);
    let started = (|| {
        let spec: ExecSpec = serde_json::from_str(&args.request)
            .map_err(|e| Error::other(format!("a damaged exec request: {e}")))?;
        let record = store.load(&args.id)?;
        if spec.tty {
            relay::take_terminal(args.console_socket.as_deref())?;
        }
        let opened = open(&record.place)?;
        let domain = &record.domain;
        let (_, client) = opened.block_on(|d| async move { d.link(domain).await })?;
        let (rows, cols) = if spec.tty {
            console::size(0).unwrap_or((24, 80))
        } else {
            (0, 0)
        };
        let request = ExecRequest {
            argv: spec.argv,
            env: spec.env,
            cwd: spec.cwd,
            user: spec.user,
            tty: spec.tty,
            rows,
            cols,
            stdin: true,
            window: tether_protocol::DEFAULT_WINDOW,
        };
        let session = if spec.limits.is_empty() {
            client.exec(request)
        } else {
            client.exec_limited(request, spec.limits.to_config())
        }
        .map_err(exec_error)?;
        Ok::<_, Error>((opened, client, session, spec.tty))
    })();
    let (_opened, _client, session, tty) = match started {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(ready, "{}", one_line(&e));
            return 1;
        }
    };
    let session = Arc::new(session);
    let shared = Arc::new(Shared {
        tty,
        ..Shared::default()
    });
    *lock(&shared.session) = Some(session.clone());
    relay::spawn_signal_thread(&shared);
    let _ = writeln!(ready, "ok");
    drop(ready);
    pump(&session).unwrap_or(LOST)
}

/// A process the guest could not start: the tether's words (which engines
/// map: "executable file not found in $PATH", "permission denied").
fn exec_error(e: tether_protocol::client::ClientError) -> Error {
    match e {
        tether_protocol::client::ClientError::ExecFailed { code, message } => Error::new(
            if code == 127 {
                ErrorKind::CommandNotFound
            } else {
                ErrorKind::CommandNotInvokable
            },
            message,
        ),
        other => Error::from(other),
    }
}
