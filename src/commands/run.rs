//! `vicport run`: create and start a domain in one step, then attach to it
//! (or print its id with `--detach`).

use clap::Args;

use crate::commands::domain::{CreateArgs, attach_primary};
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::domain::Start;
use crate::plumbing::error::Result;

/// `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub create: CreateArgs,

    /// Remove the domain when its primary process exits
    #[arg(long = "rm")]
    pub remove: bool,

    /// Start the domain and print its id instead of attaching
    #[arg(short = 'd', long)]
    pub detach: bool,
}

/// Run `run`.
pub async fn exec(args: RunArgs, ctx: &mut Context) -> Result<Outcome> {
    if args.detach && args.create.tty && args.create.interactive {
        tracing::debug!("-dit: the terminal is kept for a later attach");
    }
    args.create.check()?;
    let domains = ctx.domains().await?;
    let spec = args.create.spec(domains.platform(), args.remove).await?;
    // Attached: the primary waits for our attach, so no output is missed.
    let start = if args.detach {
        Start::Detached
    } else {
        Start::Attached
    };
    let info = domains.create(spec, Some(start)).await?;
    if args.detach {
        let line = info.id.to_string();
        ctx.out.action(
            &serde_json::json!({"id": info.id, "name": info.name, "state": info.state}),
            &info.id.to_string(),
            &line,
        )?;
        return Ok(Outcome::Done);
    }
    let domains = ctx.domains().await?;
    let (info, client) = domains.link(&info.id.0).await?;
    let code = match attach_primary(&client, &info, info.process.stdin) {
        Ok(code) => code,
        Err(e) => return Err(domains.session_lost(&info.id.0, "the attach", e).await),
    };
    drop(client);
    // The domain powers off once its primary has exited; return once it is
    // down (with --rm, removed: by its monitor, or by the domain layer when
    // it sees it stopped), so that a following command sees it stopped or
    // gone. Before, `run X` then at once `domain start X` found X still up
    // for a moment, left it so, and X stopped right after.
    let _ = domains
        .wait(&info.id.0, Some(std::time::Duration::from_secs(60)))
        .await;
    Ok(Outcome::Exit(code))
}
