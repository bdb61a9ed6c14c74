//! `vicport domain wait`: wait until domains stop; print their exit codes.

use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, parse_duration};
use crate::plumbing::error::Result;
use crate::plumbing::spec::DomainState;

/// `domain wait`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Give up after this long (default: wait for ever)
    #[arg(long = "wait-timeout", value_parser = parse_duration, value_name = "DURATION")]
    pub wait_timeout: Option<Duration>,
}

/// Run `domain wait`.
pub async fn exec(args: WaitArgs, ctx: &mut Context) -> Result<Outcome> {
    #[derive(Serialize)]
    struct Waited {
        id: String,
        name: String,
        state: DomainState,
        exit_code: Option<i32>,
        /// The guest's out-of-memory killer ended the primary.
        #[serde(skip_serializing_if = "Option::is_none")]
        oom_killed: Option<bool>,
    }
    let mut done = Vec::new();
    for d in &args.domains {
        let info = ctx.domains().await?.wait(d, args.wait_timeout).await?;
        let code = info
            .exit_code
            .map_or_else(|| "-".to_string(), |c| c.to_string());
        done.push((
            Waited {
                id: info.id.to_string(),
                name: info.name.clone(),
                state: info.state,
                exit_code: info.exit_code,
                oom_killed: info.oom_killed,
            },
            info.id.to_string(),
            code,
        ));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
