//! The bundle's hooks (config.json `hooks`) and the runner of those that
//! run on the host: each is executed with exactly its args and env, the
//! container's state document on stdin, and its `timeout`; a failure
//! carries the hook's kind, index, path and the last line it wrote to
//! stderr. Where each kind runs and when is decided in `lifecycle`.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};

/// One hook, as config.json gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    /// The program (absolute).
    pub path: PathBuf,
    /// Its argv, the program's name first (empty: the path alone).
    #[serde(default)]
    pub args: Vec<String>,
    /// Its whole environment, `KEY=VALUE`.
    #[serde(default)]
    pub env: Vec<String>,
    /// Seconds before it is killed and counted as failed.
    #[serde(default)]
    pub timeout: Option<u64>,
}

/// Every kind of hook, in config.json's order within each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hooks {
    #[serde(default)]
    pub prestart: Vec<Hook>,
    #[serde(default)]
    pub create_runtime: Vec<Hook>,
    #[serde(default)]
    pub create_container: Vec<Hook>,
    #[serde(default)]
    pub start_container: Vec<Hook>,
    #[serde(default)]
    pub poststart: Vec<Hook>,
    #[serde(default)]
    pub poststop: Vec<Hook>,
}

impl Hooks {
    /// The hooks of `config` (read from `file`), checked: paths absolute,
    /// timeouts above zero.
    pub fn from_spec(file: &Path, config: Option<&oci_spec::runtime::Hooks>) -> Result<Hooks> {
        let Some(h) = config else {
            return Ok(Hooks::default());
        };
        let take = |kind: &str, list: &Option<Vec<oci_spec::runtime::Hook>>| {
            list.iter()
                .flatten()
                .enumerate()
                .map(|(i, h)| {
                    let field = format!("hooks.{kind}[{i}]");
                    let bad =
                        |why: String| Error::invalid(format!("{}: {field}: {why}", file.display()));
                    if !h.path().is_absolute() {
                        return Err(bad(format!(
                            "path {:?} is not absolute (a hook's path must be)",
                            h.path().display().to_string()
                        )));
                    }
                    let timeout = match h.timeout() {
                        None => None,
                        Some(t) if t > 0 => Some(t as u64),
                        Some(t) => {
                            return Err(bad(format!(
                                "timeout {t}: must be above zero seconds, or left out"
                            )));
                        }
                    };
                    Ok(Hook {
                        path: h.path().clone(),
                        args: h.args().clone().unwrap_or_default(),
                        env: h.env().clone().unwrap_or_default(),
                        timeout,
                    })
                })
                .collect::<Result<Vec<_>>>()
        };
        #[allow(deprecated)] // prestart: deprecated by the spec, still run by it
        let prestart = take("prestart", h.prestart())?;
        Ok(Hooks {
            prestart,
            create_runtime: take("createRuntime", h.create_runtime())?,
            create_container: take("createContainer", h.create_container())?,
            start_container: take("startContainer", h.start_container())?,
            poststart: take("poststart", h.poststart())?,
            poststop: take("poststop", h.poststop())?,
        })
    }
}

/// Run `hooks` of `kind` in order on the host, each with `state` on its
/// stdin; the first failure stops the rest and is returned.
pub fn run_all(kind: &str, hooks: &[Hook], state: &[u8]) -> Result<()> {
    for (i, h) in hooks.iter().enumerate() {
        run(h, state).map_err(|why| {
            Error::other(format!(
                "the {kind} hook #{i} ({}) failed: {why}",
                h.path.display()
            ))
            .with_hint("fix the hook, or remove it from the bundle's config.json")
        })?;
    }
    Ok(())
}

/// Run every one of `hooks` of `kind`, a failure being only a warning on
/// stderr (poststart, poststop); the warnings.
pub fn run_warning(kind: &str, hooks: &[Hook], state: &[u8]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (i, h) in hooks.iter().enumerate() {
        if let Err(why) = run(h, state) {
            let line = format!(
                "warning: the {kind} hook #{i} ({}) failed: {why}",
                h.path.display()
            );
            let _ = writeln!(std::io::stderr(), "{line}");
            warnings.push(line);
        }
    }
    warnings
}

/// Run one hook to its end; why it failed.
pub fn run(hook: &Hook, state: &[u8]) -> std::result::Result<(), String> {
    let mut cmd = Command::new(&hook.path);
    if let Some((arg0, rest)) = hook.args.split_first() {
        cmd.arg0(arg0).args(rest);
    }
    cmd.env_clear()
        .envs(hook.env.iter().filter_map(|kv| kv.split_once('=')))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot run it: {e}"))?;
    // A hook may not read its stdin, or exit first: neither is a failure.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(state);
    }
    // Read stderr beside the wait: a hook that leaves a child holding the
    // pipe must not hold us past its own end.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut text);
        let _ = tx.send(text);
    });
    let deadline = hook
        .timeout
        .map(|t| Instant::now() + Duration::from_secs(t));
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for it: {e}")),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "it ran past its timeout of {} s and was killed",
                hook.timeout.unwrap_or_default()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if status.success() {
        return Ok(());
    }
    let text = rx
        .recv_timeout(Duration::from_millis(200))
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    let how = match status.code() {
        Some(c) => format!("exit status {c}"),
        None => {
            use std::os::unix::process::ExitStatusExt;
            format!("killed by signal {}", status.signal().unwrap_or(0))
        }
    };
    Err(match last {
        Some(l) => format!("{how}: {}", l.trim()),
        None => how,
    })
}

#[cfg(test)]
mod tests;
