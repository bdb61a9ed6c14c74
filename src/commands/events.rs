//! `vicport events`: lifecycle events, as a table or as JSON lines.

use clap::Args;

use crate::commands::prelude::{Context, Outcome, OutputFormat, Place, WindowArgs};
use crate::plumbing::error::{Error, Result};

/// `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Keep printing new events until interrupted
    #[arg(short = 'f', long)]
    pub follow: bool,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// Run `events`. With `--output json` every event is one JSON object on
/// its own line (JSON lines), so a consumer can act on each as it comes.
pub async fn exec(args: EventsArgs, ctx: &mut Context) -> Result<Outcome> {
    let (platform, out) = ctx.parts().await?;
    let json = out.format == OutputFormat::Json;
    let w = out.raw();
    platform
        .events(args.follow, &mut |event| {
            // A platform's history need not be in time order (vCenter's
            // collector pages it): everything is looked at.
            if args.window.place(&event.time) != Place::In {
                return Ok(true);
            }
            let line = if json {
                serde_json::to_string(&event)
                    .map_err(|e| Error::other(format!("rendering an event: {e}")))?
            } else {
                let attrs: Vec<String> = event
                    .attributes
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!(
                    "{} {} {} {} {}",
                    event.time,
                    event.object,
                    event.action,
                    event.name,
                    attrs.join(" ")
                )
                .trim_end()
                .to_string()
            };
            writeln!(w, "{line}")
                .and_then(|()| w.flush())
                .map_err(|e| Error::io("writing to standard output", e))?;
            Ok(true)
        })
        .await?;
    Ok(Outcome::Done)
}
