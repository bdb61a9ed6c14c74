//! `vicport domain kill`: a signal to domains' primary processes, or with
//! `--all` to every process of their containers (KILL also powers off
//! whatever does not go down).

use clap::Args;
use serde::Serialize;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;
use crate::plumbing::spec::parse_signal;

/// `domain kill`.
#[derive(Debug, Args)]
pub struct KillArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// The signal to send (name or number)
    #[arg(short = 's', long, default_value = "KILL")]
    pub signal: String,
    /// Signal every process of the container (the primary, every exec's
    /// process and what they started), not only the primary
    #[arg(short = 'a', long)]
    pub all: bool,
}

/// What `domain kill --all` prints in JSON for each domain.
#[derive(Debug, Serialize)]
struct KilledAll {
    #[serde(flatten)]
    changed: Changed,
    /// How many processes the signal reached (null: the domain was powered
    /// off without the tether's count).
    signalled: Option<u32>,
}

/// Run `domain kill`.
pub async fn exec(args: KillArgs, ctx: &mut Context) -> Result<Outcome> {
    let signal = parse_signal(&args.signal)?;
    if !args.all {
        let mut done = Vec::new();
        for d in &args.domains {
            let info = ctx.domains().await?.kill(d, signal).await?;
            done.push(Changed::of(&info));
        }
        ctx.out.actions(&done)?;
        return Ok(Outcome::Done);
    }
    let mut done = Vec::new();
    for d in &args.domains {
        let (info, signalled) = ctx.domains().await?.kill_all(d, signal).await?;
        let (changed, id, line) = Changed::of(&info);
        let line = match signalled {
            Some(n) => format!(
                "{line}: {signal} sent to {n} process{}",
                if n == 1 { "" } else { "es" }
            ),
            None => format!("{line}: powered off"),
        };
        done.push((KilledAll { changed, signalled }, id, line));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
