//! The narrow trait each platform implements for the domain layer: read a
//! domain, realize a plan (create, change, power), reach its tether,
//! measure it from outside, remove it. A realization holds no policy: what a plan may contain, when it is
//! allowed and what stop or kill mean are decided in `plumbing::domain`.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use tether_protocol::config::HostEntry;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{
    DomainFilter, DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, PowerChange,
    Version,
};

use super::change::Change;
use super::guest::Interface;
use super::usage::PlatformUsage;

/// A domain as its platform has it now.
#[derive(Debug, Clone)]
pub struct Current {
    /// Its id.
    pub id: DomainId,
    /// Its name.
    pub name: String,
    /// Its definition; `None` for a broken domain (only `rm` applies).
    pub spec: Option<DomainSpec>,
    /// The version the definition was read at.
    pub version: Version,
    /// Its state, read from the platform.
    pub state: DomainState,
}

/// What the domain layer asks a realization to do: one platform
/// transaction for the definition, then the power change.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The domain's id (new for a create).
    pub id: DomainId,
    /// The version the change was computed at; `None` for a create.
    pub version: Option<Version>,
    /// The definition after the plan, validated.
    pub spec: DomainSpec,
    /// What differs from the current definition.
    pub change: Change,
    /// The power change after the definition's.
    pub power: Option<PowerChange>,
    /// With `PowerChange::On`: the primary waits for the first attach.
    pub hold_primary: bool,
    /// With `PowerChange::On`: the other domains on its networks, for the
    /// guest's /etc/hosts.
    pub hosts: Vec<HostEntry>,
}

impl Plan {
    /// Whether the plan powers the domain on.
    pub fn powers_on(&self) -> bool {
        self.power == Some(PowerChange::On)
    }
}

/// Something that only the caller can tell: whether to stop waiting early.
pub type GiveUp<'a> = &'a (dyn Fn() -> bool + Send + Sync);

/// How long to keep trying to reach a domain's tether.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// As long as a domain that was started just now may take to boot, at
    /// least this long (exec and attach right after a start).
    Booting(Duration),
    /// At most this long (a stop or a kill falls back to power-off).
    AtMost(Duration),
}

/// What keeps a [`Realize::open_root`] tether up.
pub trait RootSession: Send + Sync {
    /// End the session as it should end: for a session that wrote, once
    /// what it wrote is on the disk (an error says it may not be).
    /// Dropped without this, the session is abandoned at once.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// A platform's realization of the domain layer's plans.
#[async_trait]
pub trait Realize: Send + Sync {
    /// The domain named `domain` (a name, an id, or a unique id prefix).
    async fn current(&self, domain: &str) -> Result<Current>;

    /// Everything `domain inspect` shows.
    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo>;

    /// The rows of `domain ls`, fetching only what they show.
    async fn list_domains(&self, filter: &DomainFilter) -> Result<Vec<DomainSummary>>;

    /// Whether a domain other than `except` is named `name`. Advisory (it
    /// answers early, before anything is made): [`Realize::create`] and a
    /// renaming [`Realize::change`] keep names unique by themselves, also
    /// against a concurrent writer, and fail with a `Taken` error.
    async fn name_in_use(&self, name: &str, except: Option<&DomainId>) -> Result<bool>;

    /// Refuse, before anything is made, what this platform cannot give the
    /// domain (its capacity), and check that its image is there.
    async fn check_new(&self, spec: &DomainSpec) -> Result<()>;

    /// Make a new domain from a plan, then power it on if the plan says so.
    async fn create(&self, plan: &Plan) -> Result<DomainInfo>;

    /// Apply a plan to an existing domain, checked against the version it
    /// was computed at (a stale one fails with `StaleHandle`), then its
    /// power change.
    async fn change(&self, plan: &Plan) -> Result<DomainInfo>;

    /// Power a domain off at once. A domain that is already off is fine.
    async fn power_off(&self, id: &DomainId) -> Result<()>;

    /// Wait until the domain is no longer up: `Ok(true)` when it is down,
    /// `Ok(false)` when `timeout` passed or `give_up` said so first.
    async fn wait_down(
        &self,
        id: &DomainId,
        timeout: Option<Duration>,
        give_up: GiveUp<'_>,
    ) -> Result<bool>;

    /// Sleep up to `max`, or less when the platform sees the domain
    /// change first (locally: its files, or its directory going); for a
    /// caller that polls the domain. Where the platform has no such
    /// signal, the whole sleep.
    async fn wait_for_change(&self, id: &DomainId, max: Duration) {
        let _ = id;
        tokio::time::sleep(max).await;
    }

    /// An authenticated link to the running domain's tether, trying as
    /// long as `patience` says (a domain that was just started may still
    /// be booting).
    async fn link(
        &self,
        id: &DomainId,
        patience: Patience,
    ) -> Result<tether_protocol::client::Client>;

    /// What the platform measures of a running domain from outside its
    /// guest (its host-side memory, and on vSphere the VM's counters).
    async fn usage(&self, id: &DomainId) -> Result<PlatformUsage>;

    /// The interfaces of a domain's endpoints as its tether is told about
    /// them (the same locators as in its boot config), with their
    /// networks' names, in the spec's order.
    async fn interfaces(&self, id: &DomainId) -> Result<Vec<(String, Interface)>>;

    /// Remove a domain that is not running (or is broken), with everything
    /// that is only its own (disks, addresses); volumes stay.
    async fn destroy(&self, id: &DomainId) -> Result<()>;

    /// Whether this platform removes a domain made with `auto_remove`
    /// itself when it stops (locally its monitor does). Where it does not,
    /// the domain layer removes it when it sees it stopped.
    fn removes_stopped_domains(&self) -> bool;

    /// A running domain is about to be stopped by hand (`domain stop`, a
    /// stopping `domain kill`, `domain rm --force`): its restart policy
    /// must not start it again until it is started. `false` takes that
    /// back (a kill that could not be delivered). Where the platform keeps
    /// no restart policies, nothing to do.
    async fn stopping_by_hand(&self, id: &DomainId, by_hand: bool) -> Result<()> {
        let _ = (id, by_hand);
        Ok(())
    }

    /// Save a running domain's memory and devices and power it off: its
    /// state reads `Suspended` until a power-on resumes it where it was,
    /// or a power-off discards what was saved. Where the platform (or
    /// this domain's devices) cannot, `not_supported`.
    async fn suspend(&self, id: &DomainId) -> Result<()>;

    /// Save a running or paused domain's memory and devices into `dir`, a
    /// directory of the caller's that outlives the domain: with
    /// `leave_running` the domain goes on as it was, without it powers
    /// off (stopped, nothing kept in the domain). Where the platform
    /// cannot, `not_supported`.
    async fn checkpoint(&self, id: &DomainId, dir: &Path, leave_running: bool) -> Result<()> {
        let _ = (id, dir, leave_running);
        Err(Error::new(
            ErrorKind::NotSupported,
            "checkpointing a domain is not supported on this target",
        ))
    }

    /// Power on a stopped domain from the checkpoint in `dir` instead of
    /// booting it: the saved guest goes on where it was. The domain must
    /// describe the hardware and network identity it was saved with.
    /// Where the platform cannot, `not_supported`.
    async fn restore(&self, id: &DomainId, dir: &Path) -> Result<()> {
        let _ = (id, dir);
        Err(Error::new(
            ErrorKind::NotSupported,
            "restoring a domain from a checkpoint is not supported on this target",
        ))
    }

    /// Stop (`frozen`) or resume a running domain's virtual CPUs: the guest
    /// keeps its memory and state and is not told. Where the platform has
    /// no such thing, `not_supported`.
    async fn freeze(&self, id: &DomainId, frozen: bool) -> Result<()>;

    /// Set how much memory a running domain's guest keeps, without a
    /// reboot: locally the balloon's target (the guest gives the rest back
    /// to the host), at most what it booted with. Where the platform has
    /// no such thing, `not_supported`.
    async fn set_memory_target(&self, id: &DomainId, bytes: u64) -> Result<()>;

    /// How much memory a running domain's guest has now, as the balloon
    /// last reported it (None: the platform cannot tell).
    async fn memory_actual(&self, id: &DomainId) -> Result<Option<u64>> {
        let _ = id;
        Ok(None)
    }

    /// A stopped (or never started) domain's root filesystem, reached
    /// through a tether the platform boots on its root disk without
    /// starting the domain: read-only, or with `writes` read-write. The
    /// session keeps that tether up; [`RootSession::finish`] ends it as
    /// it should end, dropping it abandons it. `None` where the platform
    /// has no such thing (the domain must run to be reached).
    async fn open_root(
        &self,
        id: &DomainId,
        writes: bool,
    ) -> Result<Option<(tether_protocol::client::Client, Box<dyn RootSession>)>> {
        let _ = (id, writes);
        Ok(None)
    }

    /// Whether this platform can give a domain host directories and files
    /// (a root directory, shares): only one that runs domains on this host.
    fn shares_host_paths(&self) -> bool {
        false
    }

    /// Whether this platform forwards host ports to domains (`--publish`):
    /// only one whose domains' networks are on this host.
    fn publishes_ports(&self) -> bool {
        false
    }

    /// A lifecycle event the domain layer caused, for platforms that keep
    /// their own journal (vSphere records its own events).
    fn record(&self, _domain: &str, _action: &str, _attributes: &[(&str, String)]) {}
}
