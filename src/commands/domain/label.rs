//! `vicport domain label`: add, change or remove a domain's labels.

use clap::Args;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::parse_label;

/// `domain label`.
#[derive(Debug, Args)]
pub struct LabelArgs {
    /// The domain
    pub domain: String,
    /// Labels to add or change (KEY=VALUE)
    #[arg(value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Labels to remove (KEY); repeatable
    #[arg(long = "rm", value_name = "KEY")]
    pub remove: Vec<String>,
}

/// Run `domain label`.
pub async fn exec(args: LabelArgs, ctx: &mut Context) -> Result<Outcome> {
    let mut set = Vec::new();
    for l in &args.set {
        set.push(parse_label(l)?);
    }
    if set.is_empty() && args.remove.is_empty() {
        return Err(Error::invalid("nothing to change")
            .with_hint("give KEY=VALUE labels to set, or --rm KEY to remove"));
    }
    let info = ctx
        .domains()
        .await?
        .label(&args.domain, &set, &args.remove)
        .await?;
    let (changed, id, line) = Changed::of(&info);
    ctx.out.action(&changed, &id, &line)?;
    Ok(Outcome::Done)
}
