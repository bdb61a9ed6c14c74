//! `vicport domain stop`: the stop signal, a grace period, then power-off;
//! and `domain restart`: that, then a start.

use std::time::Duration;

use clap::Args;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome, parse_duration};
use crate::plumbing::error::Result;

/// `domain stop`.
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Seconds to wait for the primary process to exit before powering off
    #[arg(short = 't', long = "time", default_value = "10", value_parser = parse_duration)]
    pub time: Duration,
}

/// Run `domain stop`, or with `restart` `domain restart`.
pub async fn exec(args: StopArgs, ctx: &mut Context, restart: bool) -> Result<Outcome> {
    let mut done = Vec::new();
    for d in &args.domains {
        let domains = ctx.domains().await?;
        let info = if restart {
            domains.restart(d, args.time).await
        } else {
            domains.stop(d, args.time).await
        }?;
        done.push(Changed::of(&info));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
