//! A running domain's memory, changed without a reboot: the platform's
//! balloon takes memory back from the guest, or gives it back, within what
//! the domain booted with (its definition's `memory_mb`, which a running
//! domain cannot change). What the guest keeps is what its processes and
//! kernel may use: its own kernel sees less memory and reclaims or, as a
//! last resort, OOM-kills inside the guest.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::DomainInfo;

use super::Domains;

/// The least memory a running domain may be left with, in MiB: what a
/// domain may be created with.
pub const MIN_MEMORY_MB: u64 = 64;
/// How long the balloon is given to reach its target before the change is
/// reported as still under way.
const SETTLE: Duration = Duration::from_secs(10);
/// How close the balloon must come to count as there (it moves in pages,
/// and the guest driver may round).
const SLACK: u64 = 1 << 20;

/// Where a running domain's memory stands after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryTarget {
    /// What the domain booted with, in MiB: the most it can have.
    pub boot_mb: u64,
    /// What the guest is to keep, in MiB.
    pub target_mb: u64,
    /// What the guest had when the change returned, in MiB (None: the
    /// platform cannot tell).
    pub actual_mb: Option<u64>,
}

impl MemoryTarget {
    /// Whether the guest has reached its target.
    pub fn settled(&self) -> bool {
        self.actual_mb
            .is_some_and(|a| (a << 20).abs_diff(self.target_mb << 20) <= SLACK)
    }
}

impl Domains<'_> {
    /// Let a running domain's guest keep `target_mb` of memory (None: all
    /// it booted with), at least [`MIN_MEMORY_MB`] and at most its boot
    /// size. Returns once the balloon reached the target, or after a few
    /// seconds with the guest still giving memory back (its processes hold
    /// it; the balloon keeps trying).
    pub async fn set_memory(
        &self,
        domain: &str,
        target_mb: Option<u64>,
    ) -> Result<(DomainInfo, MemoryTarget)> {
        let current = self.platform.current(domain).await?;
        let Some(spec) = current.spec.as_ref().filter(|_| current.state.is_up()) else {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}, not running: a stopped domain's memory is its definition's",
                current.name, current.state
            )));
        };
        let boot_mb = spec.memory_mb;
        let target_mb = target_mb.unwrap_or(boot_mb);
        if target_mb > boot_mb {
            return Err(Error::new(
                ErrorKind::NotSupported,
                format!(
                "domain {:?} booted with {boot_mb} MiB: a running domain gives memory back and takes it again up to that, never more ({target_mb} MiB asked)",
                    current.name
                ),
            )
            .with_hint(format!(
                "stop it, and `vicport domain update --memory SIZE {}` makes it boot with more",
                current.name
            )));
        }
        if target_mb < MIN_MEMORY_MB {
            return Err(Error::invalid(format!(
                "{target_mb} MiB of memory is too little for domain {:?}",
                current.name
            ))
            .with_hint(format!("leave it at least {MIN_MEMORY_MB} MiB")));
        }
        self.platform
            .set_memory_target(&current.id, target_mb << 20)
            .await?;
        self.platform.record(
            &current.name,
            "update",
            &[("memory_mb", target_mb.to_string())],
        );
        let deadline = Instant::now() + SETTLE;
        let mut memory = MemoryTarget {
            boot_mb,
            target_mb,
            actual_mb: None,
        };
        loop {
            memory.actual_mb = self
                .platform
                .memory_actual(&current.id)
                .await?
                .map(|b| b >> 20);
            if memory.actual_mb.is_none() || memory.settled() || Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let info = self.platform.inspect_domain(&current.id.0).await?;
        Ok((info, memory))
    }
}
