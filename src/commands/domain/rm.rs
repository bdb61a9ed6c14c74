//! `vicport domain rm`: remove domains (running ones with --force).

use clap::Args;
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;
use crate::plumbing::spec::DomainState;

/// `domain rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Remove running domains too (they are powered off first)
    #[arg(short = 'f', long)]
    pub force: bool,
}

/// What `rm` prints in JSON for each domain.
#[derive(Debug, Serialize)]
struct Removed {
    id: String,
    name: String,
    state: Option<DomainState>,
}

/// Run `domain rm`.
pub async fn exec(args: RmArgs, ctx: &mut Context) -> Result<Outcome> {
    let mut done = Vec::new();
    for d in &args.domains {
        let removed = ctx.domains().await?.remove(d, args.force).await?;
        let id = removed.id.to_string();
        let line = removed.name.clone();
        done.push((
            Removed {
                id: id.clone(),
                name: removed.name,
                state: None,
            },
            id,
            line,
        ));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
