//! `vicport domain rename`: give a domain a new name.

use clap::Args;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;

/// `domain rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The domain
    pub domain: String,
    /// Its new name
    pub new_name: String,
}

/// Run `domain rename`.
pub async fn exec(args: RenameArgs, ctx: &mut Context) -> Result<Outcome> {
    let info = ctx
        .domains()
        .await?
        .rename(&args.domain, &args.new_name)
        .await?;
    let (changed, id, line) = Changed::of(&info);
    ctx.out.action(&changed, &id, &line)?;
    Ok(Outcome::Done)
}
