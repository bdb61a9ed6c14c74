//! `vicport domain update`: a domain's memory, vCPUs and restart policy. A
//! stopped domain's definition changes (it boots with them next time); a
//! running domain's memory moves at once through its balloon, within what
//! it booted with, for as long as it runs (its vCPUs are fixed while it
//! runs); the restart policy changes in any state.

use clap::Args;
use serde::Serialize;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::domain::memory::MemoryTarget;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::parse_size;

/// `domain update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The domain
    pub domain: String,
    /// Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or
    /// what a running one keeps from now on (at most what it booted with)
    #[arg(short = 'm', long)]
    pub memory: Option<String>,
    /// Virtual CPUs (a stopped domain's: a running one's are fixed)
    #[arg(long)]
    pub cpus: Option<u32>,
    /// Its restart policy (see `run --restart`), in any state: it applies
    /// when a run ends
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
}

/// What `domain update` prints in JSON.
#[derive(Debug, Serialize)]
struct Updated {
    #[serde(flatten)]
    changed: Changed,
    /// vCPUs and memory of its definition (what it boots with).
    cpus: u32,
    memory_mb: u64,
    /// Its restart policy.
    restart: crate::plumbing::spec::Restart,
    /// A running domain's memory after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    running_memory: Option<MemoryTarget>,
}

/// Run `domain update`.
pub async fn exec(args: UpdateArgs, ctx: &mut Context) -> Result<Outcome> {
    if args.memory.is_none() && args.cpus.is_none() && args.restart.is_none() {
        return Err(Error::invalid("nothing to change")
            .with_hint("give --memory SIZE, --cpus N, --restart POLICY, or more of them"));
    }
    let restart = args
        .restart
        .as_deref()
        .map(crate::plumbing::spec::Restart::parse)
        .transpose()?;
    let memory_mb = match &args.memory {
        Some(m) => Some(parse_size(m)?.div_ceil(1 << 20)),
        None => None,
    };
    let d = ctx.domains().await?;
    let mut now = d.inspect(&args.domain).await?;
    if let Some(policy) = restart {
        now = d
            .update(&now.name, |h| {
                h.spec.restart = policy;
                h.spec.validate()
            })
            .await?;
    }
    let (info, running_memory) = if now.state.is_up() {
        if args.cpus.is_some_and(|c| c != now.cpus) {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {}: its {} vCPUs are fixed while it runs",
                now.name, now.state, now.cpus
            ))
            .with_hint(format!("stop it first: `vicport domain stop {}`", now.name)));
        }
        match memory_mb {
            Some(mb) => {
                let (info, m) = d.set_memory(&now.name, Some(mb)).await?;
                (info, Some(m))
            }
            None => (now, None),
        }
    } else if args.cpus.is_none() && memory_mb.is_none() {
        (now, None)
    } else {
        let info = d
            .update(&now.name, |h| {
                if let Some(c) = args.cpus {
                    h.spec.cpus = c;
                }
                if let Some(mb) = memory_mb {
                    h.spec.memory_mb = mb;
                }
                Ok(())
            })
            .await?;
        (info, None)
    };
    let (changed, id, name) = Changed::of(&info);
    let line = match &running_memory {
        Some(m) if m.settled() => format!(
            "{name}: {} MiB of the {} MiB it booted with, until it stops",
            m.target_mb, m.boot_mb
        ),
        Some(m) => format!(
            "{name}: {} MiB of the {} MiB it booted with, until it stops (its guest has {} MiB so far: its processes hold the rest, which the balloon goes on taking back)",
            m.target_mb,
            m.boot_mb,
            m.actual_mb.unwrap_or(m.boot_mb)
        ),
        None if args.cpus.is_none() && args.memory.is_none() => {
            format!("{name}: --restart {}", info.restart)
        }
        None => format!(
            "{name}: {} vCPUs, {} MiB from its next start",
            info.cpus, info.memory_mb
        ),
    };
    let updated = Updated {
        changed,
        cpus: info.cpus,
        memory_mb: info.memory_mb,
        restart: info.restart,
        running_memory,
    };
    ctx.out.action(&updated, &id, &line)?;
    Ok(Outcome::Done)
}
