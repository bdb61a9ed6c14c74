//! `vicport domain kill`: a signal to domains' primary processes (KILL
//! also powers off whatever does not go down).

use clap::Args;

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
}

/// Run `domain kill`.
pub async fn exec(args: KillArgs, ctx: &mut Context) -> Result<Outcome> {
    let signal = parse_signal(&args.signal)?;
    let mut done = Vec::new();
    for d in &args.domains {
        let info = ctx.domains().await?.kill(d, signal).await?;
        done.push(Changed::of(&info));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
