//! What stop, kill, wait and rm mean, on every platform: a graceful stop is
//! the stop signal through the tether, a grace period, then power-off; KILL
//! goes to the primary through the tether and powers off whatever still
//! runs; rm of a running domain needs force; a domain made to be removed
//! when it stops is removed by whoever sees it stopped, unless its platform
//! does that itself. Also removing volumes and images that domains use.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tether_protocol::Signal;
use tether_protocol::message::kind;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{DomainId, DomainInfo, DomainState, ProcessLimits};
use tether_protocol::client::{Client, Session};

use super::realize::Patience;
use super::usage::require;
use super::{Current, Domains};

/// How long a running domain's tether may take to answer a new link.
pub const LINK_PATIENCE: Duration = Duration::from_secs(5);
/// How long a KILL waits for the tether before it powers off instead.
const KILL_LINK_PATIENCE: Duration = Duration::from_secs(2);
/// After a graceful stop's deadline: how long the guest may take to power
/// off by itself once its primary process is gone.
pub const GUEST_POWER_OFF: Duration = Duration::from_secs(10);
/// Once the link has closed (the tether ended the domain): how long the
/// platform may take to report it down before it is powered off.
const LINK_GONE_GRACE: Duration = Duration::from_secs(3);
/// How long a domain has to go down after its primary got SIGKILL.
const KILLED_POWER_OFF: Duration = Duration::from_secs(10);
/// How long a stopped `--rm` domain is given to be removed by its platform.
const REMOVED_PATIENCE: Duration = Duration::from_secs(10);
/// How often `wait` looks again at a suspended domain (locally it wakes
/// sooner, on a change of the domain's files).
const SUSPENDED_POLL: Duration = Duration::from_secs(1);
/// How long a session whose link ended looks for a suspend behind it.
const SESSION_LOST_PATIENCE: Duration = Duration::from_secs(3);

/// Which processes of a domain a signal reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The primary process.
    Primary,
    /// Every process of the container.
    All,
}

/// What `rm` removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Its id.
    pub id: DomainId,
    /// Its name.
    pub name: String,
}

impl Domains<'_> {
    /// Stop a domain as [`Domains::stop`] does, then start it again: a new
    /// boot on the same root disk (what its processes wrote there stays;
    /// a suspended domain's saved state is discarded). A stopped domain
    /// just starts. A running domain that is removed when it stops
    /// (`--rm`) is refused: the stop would remove it.
    pub async fn restart(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        let auto_remove = current.spec.as_ref().is_some_and(|s| s.auto_remove);
        if auto_remove
            && current.state != DomainState::Created
            && current.state != DomainState::Stopped
        {
            return Err(Error::invalid_state(format!(
                "domain {:?} is removed when it stops (it was made with --rm): a restart would remove it",
                current.name
            ))
            .with_hint(format!(
                "stop it to remove it (`vicport domain stop {}`), and run its image again",
                current.name
            )));
        }
        self.stop(&current.id.0, timeout).await?;
        self.start(&current.id.0).await
    }

    /// Stop a domain gracefully: its stop signal through the tether, up to
    /// `timeout` for the primary to exit (then the tether kills it and
    /// powers off), and power-off when the guest does not go down in time
    /// or cannot be reached. A domain that is not up is left as it is.
    pub async fn stop(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        if current.state == DomainState::Paused {
            // A guest stops gracefully only when it runs.
            self.platform.freeze(&current.id, false).await?;
            self.platform.record(&current.name, "unpause", &[]);
        }
        if current.state == DomainState::Suspended {
            // Its saved state is all that runs: discarding it stops it.
            self.platform.power_off(&current.id).await?;
            self.platform.record(&current.name, "stop", &[]);
            return self.platform.inspect_domain(&current.id.0).await;
        }
        if !current.state.is_up() {
            // Between a run and the restart its policy makes: stopped by
            // hand now, so it is not started again.
            if current.spec.as_ref().is_some_and(|s| !s.restart.is_no()) {
                self.platform.stopping_by_hand(&current.id, true).await?;
            }
            return self.platform.inspect_domain(&current.id.0).await;
        }
        self.platform.stopping_by_hand(&current.id, true).await?;
        self.platform.record(&current.name, "stop", &[]);
        let patience = LINK_PATIENCE.min(timeout.max(Duration::from_secs(2)));
        let graceful = match self
            .platform
            .link(&current.id, Patience::AtMost(patience))
            .await
        {
            // None: the stop signal the tether was configured with.
            Ok(client) => blocking(move || client.shutdown(None, timeout).map(|()| client))
                .await
                .and_then(|r| r.map_err(Error::from)),
            Err(e) => Err(e),
        };
        let down = match graceful {
            Ok(client) => {
                let closed_at = Mutex::new(None::<Instant>);
                let give_up = || {
                    if client.closed_reason().is_none() {
                        return false;
                    }
                    let now = Instant::now();
                    let mut at = closed_at.lock().unwrap_or_else(|p| p.into_inner());
                    now.duration_since(*at.get_or_insert(now)) >= LINK_GONE_GRACE
                };
                self.platform
                    .wait_down(&current.id, Some(timeout + GUEST_POWER_OFF), &give_up)
                    .await?
            }
            Err(e) => {
                tracing::debug!(domain = %current.name, error = %e, "no graceful stop; powering off");
                false
            }
        };
        if !down {
            self.platform.power_off(&current.id).await?;
        }
        self.finish(&current).await
    }

    /// Send `signal` to a running domain's primary process. KILL also
    /// powers the domain off when it is not down within seconds (or the
    /// tether cannot be reached), so it always ends the domain.
    pub async fn kill(&self, domain: &str, signal: Signal) -> Result<DomainInfo> {
        let (info, _) = self.deliver(domain, signal, Reach::Primary).await?;
        Ok(info)
    }

    /// Send `signal` to every process of a running domain's container: the
    /// primary, every exec's process and what they started (an OCI
    /// runtime's `kill --all`). How many processes it reached, when the
    /// tether said (a KILL the tether could not take powers the domain off,
    /// which ends them all uncounted). KILL ends the domain as with
    /// [`Domains::kill`].
    pub async fn kill_all(
        &self,
        domain: &str,
        signal: Signal,
    ) -> Result<(DomainInfo, Option<u32>)> {
        self.deliver(domain, signal, Reach::All).await
    }

    async fn deliver(
        &self,
        domain: &str,
        signal: Signal,
        reach: Reach,
    ) -> Result<(DomainInfo, Option<u32>)> {
        let current = self.platform.current(domain).await?;
        if !current.state.is_up() {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}, not running",
                current.name, current.state
            ))
            .with_hint(format!(
                "start it with `vicport domain start {}`",
                current.name
            )));
        }
        if current.state == DomainState::Paused {
            if signal == Signal::KILL {
                // KILL ends the domain: no need to wake its guest for it.
                self.platform.stopping_by_hand(&current.id, true).await?;
                self.platform
                    .record(&current.name, "kill", &[("signal", "9".into())]);
                self.platform.power_off(&current.id).await?;
                return Ok((self.finish(&current).await?, None));
            }
            Self::not_paused(
                &current.name,
                current.state,
                "its guest cannot take a signal",
            )?;
        }
        let mut attributes = vec![("signal", signal.number().to_string())];
        if reach == Reach::All {
            attributes.push(("all", "true".to_string()));
        }
        // Its stop signal or KILL stops it by hand (as docker's kill does):
        // its restart policy waits for a start. Another signal (HUP, say)
        // is a message to the process, not a stop.
        let stop_signal = current
            .spec
            .as_ref()
            .and_then(|s| crate::plumbing::spec::parse_signal(&s.stop_signal).ok());
        let by_hand = signal == Signal::KILL || Some(signal) == stop_signal;
        if by_hand {
            self.platform.stopping_by_hand(&current.id, true).await?;
        }
        // A signal that was not delivered stopped nothing.
        let undo = || async {
            if by_hand {
                let _ = self.platform.stopping_by_hand(&current.id, false).await;
            }
        };
        self.platform.record(&current.name, "kill", &attributes);
        let patience = if signal == Signal::KILL {
            KILL_LINK_PATIENCE
        } else {
            LINK_PATIENCE
        };
        let sent = match self
            .platform
            .link(&current.id, Patience::AtMost(patience))
            .await
        {
            Ok(client) if reach == Reach::All => {
                match require(
                    &current.name,
                    &client,
                    kind::SIGNAL_ALL,
                    "signalling all its processes",
                ) {
                    // An older tether: a KILL still ends every process, as
                    // the domain is powered off below.
                    Err(e) if signal != Signal::KILL => {
                        undo().await;
                        return Err(e);
                    }
                    Err(e) => Err(e),
                    Ok(()) => blocking(move || client.signal_all(signal).map(Some))
                        .await
                        .and_then(|r| r.map_err(Error::from)),
                }
            }
            Ok(client) => blocking(move || {
                let session = client.attach(tether_protocol::message::AttachRequest {
                    window: tether_protocol::DEFAULT_WINDOW,
                    ..Default::default()
                })?;
                session.signal(signal).map(|()| None)
            })
            .await
            .and_then(|r| r.map_err(Error::from)),
            Err(e) => Err(e),
        };
        let mut reached = None;
        if signal == Signal::KILL {
            let down = match sent {
                Ok(n) => {
                    reached = n;
                    self.platform
                        .wait_down(&current.id, Some(KILLED_POWER_OFF), &|| false)
                        .await?
                }
                Err(e) => {
                    tracing::debug!(domain = %current.name, error = %e, "KILL not delivered; powering off");
                    false
                }
            };
            if !down {
                self.platform.power_off(&current.id).await?;
            }
        } else {
            match sent {
                Ok(n) => reached = n,
                Err(e) => {
                    undo().await;
                    return Err(e.context(format!("sending {signal} to domain {:?}", current.name)));
                }
            }
        }
        Ok((self.finish(&current).await?, reached))
    }

    /// Suspend a running domain: its memory and devices are saved and it
    /// powers off (its host memory goes back to the host); `start` resumes
    /// it where it was, `stop` discards the saved state. Its exec and
    /// attach sessions end.
    pub async fn suspend(&self, domain: &str) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        if current.state != DomainState::Running {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}, not running",
                current.name, current.state
            ))
            .with_hint(match current.state {
                DomainState::Starting => "wait until it is running".to_string(),
                DomainState::Suspended => "it is suspended already".to_string(),
                DomainState::Paused => {
                    format!(
                        "unpause it first: `vicport domain unpause {}`",
                        current.name
                    )
                }
                _ => format!("start it with `vicport domain start {}`", current.name),
            }));
        }
        self.platform.suspend(&current.id).await?;
        self.platform.record(&current.name, "suspend", &[]);
        self.platform.inspect_domain(&current.id.0).await
    }

    /// Save a running or paused domain whole (memory and devices) into
    /// `dir`, a directory of the caller's (an OCI runtime's checkpoint):
    /// with `leave_running` it goes on as it was, else it powers off.
    pub async fn checkpoint(
        &self,
        domain: &str,
        dir: &std::path::Path,
        leave_running: bool,
    ) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        if !matches!(current.state, DomainState::Running | DomainState::Paused) {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}, not running: only a running domain is checkpointed",
                current.name, current.state
            )));
        }
        self.platform
            .checkpoint(&current.id, dir, leave_running)
            .await?;
        self.platform.record(&current.name, "checkpoint", &[]);
        self.platform.inspect_domain(&current.id.0).await
    }

    /// Power on a stopped domain from the checkpoint in `dir` instead of
    /// booting it (an OCI runtime's restore): its guest goes on where the
    /// checkpoint saved it.
    pub async fn restore(&self, domain: &str, dir: &std::path::Path) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        if !matches!(current.state, DomainState::Created | DomainState::Stopped) {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}: only a stopped domain starts from a checkpoint",
                current.name, current.state
            )));
        }
        self.platform.restore(&current.id, dir).await?;
        self.platform.record(&current.name, "restore", &[]);
        self.platform.inspect_domain(&current.id.0).await
    }

    /// Pause a running domain: its virtual CPUs stop, its guest keeps its
    /// state and is not told; it reads `Paused` and takes no exec, attach
    /// or signal until it is resumed (a stop resumes it first). A paused
    /// domain is left as it is.
    pub async fn pause(&self, domain: &str) -> Result<DomainInfo> {
        self.freeze(domain, true).await
    }

    /// Resume a paused domain; a running one is left as it is.
    pub async fn resume(&self, domain: &str) -> Result<DomainInfo> {
        self.freeze(domain, false).await
    }

    async fn freeze(&self, domain: &str, frozen: bool) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        if !matches!(current.state, DomainState::Running | DomainState::Paused) {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}, not running",
                current.name, current.state
            ))
            .with_hint(match current.state {
                DomainState::Starting | DomainState::Stopping => {
                    "wait until it is running or stopped".to_string()
                }
                _ => format!("start it with `vicport domain start {}`", current.name),
            }));
        }
        if (current.state == DomainState::Paused) != frozen {
            self.platform.freeze(&current.id, frozen).await?;
            self.platform
                .record(&current.name, if frozen { "pause" } else { "unpause" }, &[]);
        }
        self.platform.inspect_domain(&current.id.0).await
    }

    /// Refuse what a paused domain cannot do (its guest does not run).
    fn not_paused(name: &str, state: DomainState, what: &str) -> Result<()> {
        if state == DomainState::Paused {
            return Err(
                Error::invalid_state(format!("domain {name:?} is paused: {what}"))
                    .with_hint(format!("unpause it first: `vicport domain unpause {name}`")),
            );
        }
        Ok(())
    }

    /// Wait until a domain is no longer up (for ever without `timeout`);
    /// its final state.
    ///
    /// A suspended domain has not stopped: its processes go on when it
    /// resumes, so the wait goes on through a suspend (a script waiting
    /// for an exit code gets one, not an early return without it).
    pub async fn wait(&self, domain: &str, timeout: Option<Duration>) -> Result<DomainInfo> {
        let current = self.platform.current(domain).await?;
        let deadline = timeout.map(|t| Instant::now() + t);
        let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let still_running = || {
            Error::other(format!(
                "domain {:?} is still running after {}",
                current.name,
                humantime::format_duration(timeout.unwrap_or_default())
            ))
            .with_hint("wait longer, or stop it with `vicport domain stop`")
        };
        loop {
            if !self
                .platform
                .wait_down(&current.id, left(), &|| false)
                .await?
            {
                return Err(still_running());
            }
            if self.platform.current(&current.id.0).await?.state != DomainState::Suspended {
                break;
            }
            tracing::debug!(domain = %current.name, "suspended: waiting for it to resume or stop");
            loop {
                if left().is_some_and(|l| l.is_zero()) {
                    return Err(Error::other(format!(
                        "domain {:?} has not stopped after {}: it is suspended",
                        current.name,
                        humantime::format_duration(timeout.unwrap_or_default())
                    ))
                    .with_hint(
                        "resume it (`vicport domain start`) and wait longer, or stop it with `vicport domain stop`",
                    ));
                }
                let nap = left().map_or(SUSPENDED_POLL, |l| l.min(SUSPENDED_POLL));
                self.platform.wait_for_change(&current.id, nap).await;
                if self.platform.current(&current.id.0).await?.state != DomainState::Suspended {
                    break;
                }
            }
        }
        self.finish(&current).await
    }

    /// Why a session with `domain` ended before its process did: when the
    /// domain was suspended meanwhile (its link goes with its VM), an error
    /// that says so and how to go on, else `error` as it was. `session` is
    /// what was attached ("the attach", "the exec").
    pub async fn session_lost(&self, domain: &str, session: &str, error: Error) -> Error {
        // Only a lost link (not an interrupt, nor our own output failing).
        if error
            .cause::<tether_protocol::client::ClientError>()
            .is_none()
        {
            return error;
        }
        // The link ends as the VM does, and the platform records the
        // suspend a moment later (locally the monitor, once QEMU is gone):
        // look until the domain is no longer up, for a few seconds.
        let deadline = Instant::now() + SESSION_LOST_PATIENCE;
        loop {
            match self.platform.current(domain).await {
                Ok(current) if current.state == DomainState::Suspended => {
                    let name = &current.name;
                    return Error::other(format!(
                        "domain {name:?} was suspended during {session}: its processes go on where they were when it resumes"
                    ))
                    .with_hint(format!(
                        "resume it with `vicport domain start {name}`, then `vicport domain attach {name}` for its primary process (an exec's session cannot be joined again)"
                    ))
                    .caused_by(error);
                }
                Ok(current) if current.state.is_up() && Instant::now() < deadline => {
                    self.platform
                        .wait_for_change(&current.id, Duration::from_millis(200))
                        .await;
                }
                _ => break,
            }
        }
        error
    }

    /// Remove a domain: a running one only with `force` (powered off
    /// first). A broken domain can always be removed.
    pub async fn remove(&self, domain: &str, force: bool) -> Result<Removed> {
        let current = self.platform.current(domain).await?;
        if current.state == DomainState::Suspended {
            // What it saved goes first (a platform may not remove a
            // suspended VM).
            self.platform.power_off(&current.id).await?;
        }
        if current.state.is_up() {
            if !force {
                return Err(
                    Error::invalid_state(format!("domain {:?} is running", current.name))
                        .with_hint(format!(
                            "stop it first (`vicport domain stop {}`), or remove it with --force",
                            current.name
                        )),
                );
            }
            self.platform.stopping_by_hand(&current.id, true).await?;
            self.platform.power_off(&current.id).await?;
        }
        self.platform.destroy(&current.id).await?;
        self.platform.record(&current.name, "remove", &[]);
        Ok(Removed {
            id: current.id,
            name: current.name,
        })
    }

    /// A running domain's tether link, for exec and attach, with the domain
    /// as it is.
    pub async fn link(&self, domain: &str) -> Result<(DomainInfo, Client)> {
        let info = self.platform.inspect_domain(domain).await?;
        let client = self.link_to(&info).await?;
        Ok((info, client))
    }

    /// [`Self::link`] to a domain read already.
    pub(super) async fn link_to(&self, info: &DomainInfo) -> Result<Client> {
        Self::linkable(&info.name, info.state)?;
        self.platform
            .link(&info.id, Patience::Booting(LINK_PATIENCE))
            .await
    }

    /// Refuse a link to domain `name` in `state` unless it is up and not
    /// paused.
    fn linkable(name: &str, state: DomainState) -> Result<()> {
        crate::plumbing::spec::require_up(name, state)?;
        Self::not_paused(name, state, "its tether does not answer until it runs")
    }

    /// The domain an exec goes to, read once: up, not paused, with the
    /// definition [`Self::prepare_exec`] starts the exec from.
    pub async fn exec_target(&self, domain: &str) -> Result<Current> {
        let current = self.platform.current(domain).await?;
        Self::linkable(&current.name, current.state)?;
        Ok(current)
    }

    /// Make `request` an exec of `target` (from [`Self::exec_target`]) as
    /// docker makes one: it starts from the domain's process — its
    /// environment first, so the exec's own entries win; its working
    /// directory and user (with its supplementary groups) where the exec
    /// gives none — and runs under the limits that process was created
    /// with (capabilities, rlimits, no_new_privileges, OOM score), which
    /// are returned, so that `--cap-drop` holds for every process of the
    /// domain. With `privileged` the exec has every capability and no
    /// no_new_privileges (the rlimits and OOM score stay).
    pub fn prepare_exec(
        target: &Current,
        request: &mut tether_protocol::message::ExecRequest,
        privileged: bool,
    ) -> ProcessLimits {
        let Some(process) = target.spec.as_ref().map(|s| s.process.clone()) else {
            return ProcessLimits::default();
        };
        let own = std::mem::take(&mut request.env);
        request.env = process.env;
        request.env.extend(own);
        if request.cwd.is_empty() {
            request.cwd = process.cwd.unwrap_or_default();
        }
        let mut limits = process.limits;
        if request.user.is_empty() {
            request.user = process.user.unwrap_or_default();
        } else {
            // Another user's groups are its own (the image's group file),
            // not the ones given for the domain's.
            limits.groups.clear();
        }
        if privileged {
            limits.capabilities = None;
            limits.no_new_privileges = false;
        }
        limits
    }

    /// Start `request` in `target` (from [`Self::exec_target`]) as a
    /// session under `limits` (from [`Self::prepare_exec`]); the link and
    /// the session.
    pub async fn exec(
        &self,
        target: &Current,
        request: tether_protocol::message::ExecRequest,
        limits: &ProcessLimits,
    ) -> Result<(Client, Session)> {
        let client = self
            .platform
            .link(&target.id, Patience::Booting(LINK_PATIENCE))
            .await?;
        let session = if limits.is_empty() {
            tokio::task::block_in_place(|| client.exec(request))?
        } else {
            require(
                &target.name,
                &client,
                kind::EXEC_LIMITED,
                "an exec under the domain's process limits",
            )?;
            let limits = limits.to_config();
            tokio::task::block_in_place(|| client.exec_limited(request, limits))?
        };
        Ok((client, session))
    }

    /// Start a process in `target` (from [`Self::exec_target`]) that
    /// nothing follows (`exec --detach`), under `limits`: its stdio is the
    /// guest's null device, and it runs on until it exits or the domain
    /// stops. Returns its pid in the guest.
    pub async fn exec_detached(
        &self,
        target: &Current,
        request: tether_protocol::message::ExecRequest,
        limits: &ProcessLimits,
    ) -> Result<u32> {
        let client = self
            .platform
            .link(&target.id, Patience::Booting(LINK_PATIENCE))
            .await?;
        require(
            &target.name,
            &client,
            kind::EXEC_DETACHED,
            "a detached exec",
        )?;
        let limits = limits.to_config();
        Ok(tokio::task::block_in_place(|| {
            client.exec_detached(request, limits)
        })?)
    }

    /// A domain that has gone down: its final state, and, when it was made
    /// to be removed when it stops and its platform leaves that to us,
    /// removed (its final state is still what this returns).
    async fn finish(&self, current: &Current) -> Result<DomainInfo> {
        let info = match self.platform.inspect_domain(&current.id.0).await {
            Ok(info) => info,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let auto = current.spec.as_ref().is_some_and(|s| s.auto_remove);
                return Err(if auto {
                    Error::not_found("domain", &current.name)
                        .with_hint("it was removed when it stopped (--rm)")
                } else {
                    e
                });
            }
            Err(e) => return Err(e),
        };
        let auto = info.state == DomainState::Stopped
            && current.spec.as_ref().is_some_and(|s| s.auto_remove);
        if auto && self.platform.removes_stopped_domains() {
            // The platform removes it (locally the monitor, just after it
            // recorded the stop): return once it has, so that what follows
            // (a volume's `used_by`, a name taken again) no longer sees it.
            self.until_removed(current, REMOVED_PATIENCE).await;
        }
        let remove = auto && !self.platform.removes_stopped_domains();
        if remove {
            match self.remove(&current.id.0, false).await {
                Ok(_) => tracing::debug!(domain = %current.name, "removed as it stopped (--rm)"),
                // Someone else removed it first.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(
                        e.context(format!("removing {:?} as it stopped (--rm)", current.name))
                    );
                }
            }
        }
        Ok(info)
    }

    /// Wait (at most `patience`) until the platform has removed a stopped
    /// domain itself; a platform that does not (its monitor died) leaves it
    /// for `domain rm`, and the caller goes on.
    async fn until_removed(&self, current: &Current, patience: Duration) {
        let started = Instant::now();
        while started.elapsed() < patience {
            match self.platform.inspect_domain(&current.id.0).await {
                Err(e) if e.kind() == ErrorKind::NotFound => return,
                _ => {
                    self.platform
                        .wait_for_change(&current.id, Duration::from_millis(50))
                        .await
                }
            }
        }
        tracing::debug!(domain = %current.name, "still there {patience:?} after it stopped (--rm)");
    }

    /// Remove volume `name`. Refused while domains join it, unless `force`:
    /// then it leaves those domains first (each must be stopped: a running
    /// domain never loses a disk it has mounted).
    pub async fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        crate::plumbing::name::validate("volume", name)?;
        let users = self.platform.inspect_volume(name).await?.used_by;
        if !users.is_empty() {
            if !force {
                return Err(volume_in_use(name, &users));
            }
            for domain in &users {
                self.update(domain, |h| {
                    h.spec.volumes.retain(|m| m.volume != name);
                    Ok(())
                })
                .await
                .map_err(|e| {
                    let e = if e.kind() == ErrorKind::InvalidState {
                        e.with_hint(
                            "stop it first: even --force never takes a volume from a running domain",
                        )
                    } else {
                        e
                    };
                    e.context(format!("detaching volume {name:?} from {domain:?}"))
                })?;
            }
        }
        self.platform.remove_volume(name).await
    }

    /// Remove image `image`. Refused while domains use it, unless `force`:
    /// then those domains are removed first (powered off if they run).
    pub async fn remove_image(&self, image: &str, force: bool) -> Result<()> {
        let info = self.platform.inspect_image(image).await?;
        if force {
            for domain in &info.used_by {
                match self.remove(domain, true).await {
                    Ok(_) => {}
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => return Err(e.context(format!("removing image {image}"))),
                }
            }
        }
        self.platform.remove_image(image).await
    }
}

/// The refusal to remove volume `name` while `users` join it (every
/// platform checks it again under its own lock, with this error).
pub fn volume_in_use(name: &str, users: &[String]) -> Error {
    Error::conflict(format!("volume {name:?} is in use by {}", users.join(", "))).with_hint(format!(
        "remove those domains first, or `vicport volume rm --force {name}` (it leaves stopped domains; never a running one)"
    ))
}

/// Run a blocking link call off the async runtime's workers.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::other(format!("the link's worker failed: {e}")))
}
