//! `vicport domain start`: power domains on (one that runs already is left
//! as it is).

use crate::commands::domain::{Changed, NamesArgs};
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;

/// Run `domain start`.
pub async fn exec(args: NamesArgs, ctx: &mut Context) -> Result<Outcome> {
    let mut done = Vec::new();
    for d in &args.domains {
        done.push(Changed::of(&ctx.domains().await?.start(d).await?));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}
