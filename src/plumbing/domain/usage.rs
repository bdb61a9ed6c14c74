//! What a domain uses and runs (`domain stats`, `domain top`): the guest's
//! own numbers through the tether's link, the platform's from outside the
//! guest ([`Realize::usage`](super::Realize::usage)), and the policy that
//! joins them: a domain that is not running has its state and zeros, CPU
//! use is measured between two samples, a link is taken once per run of
//! a domain and never taken back from another client.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tether_protocol::client::Client;
use tether_protocol::message::{StatsReport, kind};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{DomainFilter, DomainId, DomainInfo, DomainState};

use super::Domains;
use super::lifecycle::blocking;
use super::realize::Patience;

/// How long apart two samples of a stream are (and the two a single
/// sample takes to measure CPU use).
pub const STATS_INTERVAL: Duration = Duration::from_secs(1);
/// How long a stats sample waits for a domain's tether.
const STATS_LINK_PATIENCE: Duration = Duration::from_secs(2);
/// How long after a failed attempt a stream tries a domain's link again.
const LINK_RETRY: Duration = Duration::from_secs(5);

/// What a platform measures of a running domain from outside its guest.
/// A field the platform does not measure is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlatformUsage {
    /// Memory the host spends on the domain, bytes: locally the resident
    /// memory of its QEMU and its monitor; on vSphere the VM's host memory
    /// (quickStats, else the `mem.consumed` counter).
    pub host_memory: Option<u64>,
    /// CPU use, percent of one CPU (vSphere: the `cpu.usage` counter).
    pub cpu_percent: Option<f64>,
    /// Guest memory the platform sees in use, bytes.
    pub memory_used: Option<u64>,
    /// The memory the domain was given, bytes.
    pub memory_limit: Option<u64>,
    /// Bytes received per second (vSphere: `net.received`).
    pub net_rx_rate: Option<u64>,
    /// Bytes sent per second (vSphere: `net.transmitted`).
    pub net_tx_rate: Option<u64>,
    /// Bytes read per second (vSphere: `disk.read`).
    pub block_read_rate: Option<u64>,
    /// Bytes written per second (vSphere: `disk.write`).
    pub block_write_rate: Option<u64>,
}

/// Where a row's guest numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsSource {
    /// The guest, through its tether.
    Guest,
    /// Only the platform: the tether did not answer (booting, an older
    /// tether, or another client holds the link).
    Platform,
    /// Nothing: the domain is not running.
    None,
}

/// One domain's row of `domain stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainStats {
    /// Its id.
    pub id: DomainId,
    /// Its name.
    pub name: String,
    /// Its state.
    pub state: DomainState,
    /// Where the numbers come from.
    pub source: StatsSource,
    /// CPU use since the previous sample, percent of one CPU (200 is two
    /// CPUs busy).
    pub cpu_percent: f64,
    /// Memory in use in the guest, bytes.
    pub memory_used: u64,
    /// Memory the guest has, bytes.
    pub memory_limit: u64,
    /// Bytes received since the guest booted.
    pub net_rx: u64,
    /// Bytes sent since the guest booted.
    pub net_tx: u64,
    /// Bytes read from its disks since the guest booted.
    pub block_read: u64,
    /// Bytes written to its disks since the guest booted.
    pub block_write: u64,
    /// Processes of the container.
    pub pids: u32,
    /// Memory the host spends on the domain, bytes (see
    /// [`PlatformUsage::host_memory`]).
    pub host_memory: u64,
    /// Everything the platform measured.
    pub platform: PlatformUsage,
}

impl DomainStats {
    /// The row of a domain that is not running: its state and zeros.
    fn down(id: DomainId, name: String, state: DomainState) -> Self {
        DomainStats {
            id,
            name,
            state,
            source: StatsSource::None,
            cpu_percent: 0.0,
            memory_used: 0,
            memory_limit: 0,
            net_rx: 0,
            net_tx: 0,
            block_read: 0,
            block_write: 0,
            pids: 0,
            host_memory: 0,
            platform: PlatformUsage::default(),
        }
    }

    /// A running domain's row: the guest's numbers where it answered, the
    /// platform's otherwise.
    fn up(
        id: DomainId,
        name: String,
        state: DomainState,
        platform: PlatformUsage,
        guest: Option<(&StatsReport, Option<&StatsReport>)>,
    ) -> Self {
        let mut row = DomainStats::down(id, name, state);
        row.host_memory = platform.host_memory.unwrap_or(0);
        match guest {
            Some((now, before)) => {
                row.source = StatsSource::Guest;
                row.cpu_percent = before
                    .and_then(|b| cpu_percent(b, now))
                    .or(platform.cpu_percent)
                    .unwrap_or(0.0);
                row.memory_used = now.memory_used;
                row.memory_limit = now.memory_limit;
                row.net_rx = now.net_rx;
                row.net_tx = now.net_tx;
                row.block_read = now.block_read;
                row.block_write = now.block_write;
                row.pids = now.processes;
            }
            None => {
                row.source = StatsSource::Platform;
                row.cpu_percent = platform.cpu_percent.unwrap_or(0.0);
                row.memory_used = platform.memory_used.unwrap_or(0);
                row.memory_limit = platform.memory_limit.unwrap_or(0);
            }
        }
        row.platform = platform;
        row
    }
}

/// CPU use between two reports, percent of one CPU.
pub fn cpu_percent(before: &StatsReport, now: &StatsReport) -> Option<f64> {
    let total = now.cpu_total_ns.checked_sub(before.cpu_total_ns)?;
    let busy = now.cpu_busy_ns.checked_sub(before.cpu_busy_ns)?;
    (total > 0).then(|| busy as f64 / total as f64 * f64::from(now.cpus.max(1)) * 100.0)
}

/// One process of a domain, for `domain top`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Process {
    /// Its id in the guest.
    pub pid: u32,
    /// Its parent's.
    pub ppid: u32,
    /// The user it runs as, by number.
    pub uid: u32,
    /// That user's name in the container, or the number.
    pub user: String,
    /// CPU time used, nanoseconds.
    pub cpu_time_ns: u64,
    /// Resident memory, bytes.
    pub rss: u64,
    /// Its command line.
    pub command: String,
}

/// A domain's link for the guest's numbers, as a stream keeps it.
#[derive(Default)]
struct Followed {
    client: Option<Arc<Client>>,
    tried: Option<Instant>,
    /// A link this stream had was lost while the domain kept running:
    /// someone else took it (a domain has one link at a time on some
    /// platforms), so it is not taken back.
    lost: bool,
    previous: Option<StatsReport>,
}

/// A stream of `domain stats` samples.
pub struct StatsWatch<'p> {
    domains: Domains<'p>,
    names: Vec<String>,
    followed: BTreeMap<DomainId, Followed>,
    last: Option<Instant>,
}

impl std::fmt::Debug for StatsWatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatsWatch")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl<'p> StatsWatch<'p> {
    /// The next sample, [`STATS_INTERVAL`] after the previous one; the
    /// first takes two samples that far apart, to measure CPU use. Named
    /// domains that do not exist fail the first sample (exit 3) and are
    /// left out of later ones (they were removed meanwhile); without
    /// names, every running domain is shown.
    pub async fn next(&mut self) -> Result<Vec<DomainStats>> {
        match self.last {
            None => {
                self.sample(true).await?;
                tokio::time::sleep(STATS_INTERVAL).await;
            }
            Some(at) => tokio::time::sleep(STATS_INTERVAL.saturating_sub(at.elapsed())).await,
        }
        let first = self.last.is_none();
        self.last = Some(Instant::now());
        self.sample(first).await
    }

    async fn sample(&mut self, strict: bool) -> Result<Vec<DomainStats>> {
        let platform = self.domains.platform();
        let names: Vec<String> = if self.names.is_empty() {
            platform
                .list_domains(&DomainFilter::default())
                .await?
                .into_iter()
                .filter(|d| d.state.is_up())
                .map(|d| d.id.0)
                .collect()
        } else {
            self.names.clone()
        };
        let mut rows = Vec::with_capacity(names.len());
        for name in &names {
            let current = match platform.current(name).await {
                Ok(c) => c,
                Err(e) if e.kind() == ErrorKind::NotFound && !strict => continue,
                Err(e) => return Err(e),
            };
            // A paused guest does not run to be asked.
            if !current.state.is_up() || current.state == DomainState::Paused {
                self.followed.remove(&current.id);
                rows.push(DomainStats::down(current.id, current.name, current.state));
                continue;
            }
            let usage = match platform.usage(&current.id).await {
                Ok(u) => u,
                Err(e) if e.kind() == ErrorKind::NotFound && !strict => continue,
                Err(e) => return Err(e.context(format!("domain {:?}", current.name))),
            };
            let now = self.guest(&current.id).await;
            let f = self.followed.entry(current.id.clone()).or_default();
            let before = f.previous.take();
            rows.push(DomainStats::up(
                current.id,
                current.name,
                current.state,
                usage,
                now.as_ref().map(|n| (n, before.as_ref())),
            ));
            f.previous = now;
        }
        Ok(rows)
    }

    /// The guest's report through the domain's link, taken once per run
    /// of the domain (again after a failed attempt, never after a lost
    /// link).
    async fn guest(&mut self, id: &DomainId) -> Option<StatsReport> {
        let platform = self.domains.platform();
        let f = self.followed.entry(id.clone()).or_default();
        let due = f.tried.is_none_or(|t| t.elapsed() >= LINK_RETRY);
        if f.client.is_none() && !f.lost && due {
            f.tried = Some(Instant::now());
            match platform
                .link(id, Patience::AtMost(STATS_LINK_PATIENCE))
                .await
            {
                Ok(c) if c.speaks(kind::STATS) => f.client = Some(Arc::new(c)),
                Ok(c) => {
                    tracing::debug!(domain = %id.short(), version = c.version(), "the tether is older than stats");
                    f.lost = true;
                }
                Err(e) => tracing::debug!(domain = %id.short(), error = %e, "no link for stats"),
            }
        }
        let client = f.client.clone()?;
        match blocking(move || client.stats()).await {
            Ok(Ok(report)) => Some(report),
            failed => {
                tracing::debug!(domain = %id.short(), result = ?failed.map(drop), "the link for stats is gone");
                f.client = None;
                f.lost = true;
                None
            }
        }
    }
}

impl<'p> Domains<'p> {
    /// A stream of usage samples of `names` (none: every running domain).
    pub fn watch_stats(&self, names: Vec<String>) -> StatsWatch<'p> {
        StatsWatch {
            domains: *self,
            names,
            followed: BTreeMap::new(),
            last: None,
        }
    }

    /// The processes of a running domain's container.
    pub async fn top(&self, domain: &str) -> Result<(DomainInfo, Vec<Process>)> {
        let (info, client) = self.link(domain).await?;
        require(&info.name, &client, kind::TOP, "listing its processes")?;
        let list = blocking(move || client.top())
            .await?
            .map_err(|e| Error::from(e).context(format!("domain {:?}", info.name)))?;
        let rows = list
            .into_iter()
            .map(|p| Process {
                pid: p.pid,
                ppid: p.ppid,
                uid: p.uid,
                user: if p.user.is_empty() {
                    p.uid.to_string()
                } else {
                    p.user
                },
                cpu_time_ns: p.cpu_time_ns,
                rss: p.rss,
                command: p.command,
            })
            .collect();
        Ok((info, rows))
    }
}

/// Refuse (not supported) a domain whose tether is older than `kind`.
pub(super) fn require(name: &str, client: &Client, kind: u8, what: &str) -> Result<()> {
    if client.speaks(kind) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::NotSupported,
        format!(
            "domain {name:?} runs a tether that speaks protocol version {}: {what} needs version {}",
            client.version(),
            tether_protocol::message::introduced_in(kind).unwrap_or(0)
        ),
    )
    .with_hint(format!(
        "restart it to boot the current tether: `vicport domain stop {name} && vicport domain start {name}`"
    )))
}
