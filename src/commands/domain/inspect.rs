//! `vicport domain inspect`: everything about domains.

use crate::commands::domain::NamesArgs;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;

/// Run `domain inspect`.
pub async fn exec(args: NamesArgs, ctx: &mut Context) -> Result<Outcome> {
    let mut found = Vec::new();
    for d in &args.domains {
        let info = ctx.domains().await?.inspect(d).await?;
        let id = info.id.to_string();
        found.push((info, id));
    }
    ctx.out.objects(&found)?;
    Ok(Outcome::Done)
}
