//! `vicport domain logs` (and `vicport logs`): a domain's log, stdout lines
//! on stdout and stderr lines on stderr, or JSON lines.

use std::io::Write;

use clap::Args;

use crate::commands::prelude::{Context, Outcome, OutputFormat, Place, WindowArgs};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::Stream;
use crate::plumbing::platform::LogOptions;

/// `domain logs` / `logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The domain
    pub domain: String,
    /// Keep printing new output until the domain stops
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Only the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<usize>,
    /// Prefix each line with its timestamp
    #[arg(long)]
    pub timestamps: bool,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// Print a domain's log: stdout lines on stdout, stderr lines on stderr,
/// or JSON lines with `--output json`; `--since`/`--until` keep the lines
/// stamped in that window (of the last `--tail` lines, with both).
pub async fn exec(args: LogsArgs, ctx: &mut Context) -> Result<Outcome> {
    let options = LogOptions {
        tail: args.tail,
        follow: args.follow,
    };
    let (platform, out) = ctx.parts().await?;
    let json = out.format == OutputFormat::Json;
    let stdout = out.raw();
    let mut stderr = std::io::stderr();
    platform
        .logs(&args.domain, &options, &mut |line| {
            match args.window.place(&line.time) {
                Place::Before => return Ok(true),
                Place::After => return Ok(false),
                Place::In => {}
            }
            let written = if json {
                serde_json::to_writer(&mut *stdout, &line)
                    .map_err(std::io::Error::from)
                    .and_then(|()| stdout.write_all(b"\n"))
            } else {
                let w: &mut dyn Write = match line.stream {
                    Stream::Stdout => &mut *stdout,
                    Stream::Stderr => &mut stderr,
                };
                let prefix = if args.timestamps {
                    format!("{} ", line.time)
                } else {
                    String::new()
                };
                let end = if line.partial { "" } else { "\n" };
                write!(w, "{prefix}{}{end}", line.text).and_then(|()| w.flush())
            };
            written.map_err(|e| Error::io("writing the log", e))?;
            Ok(true)
        })
        .await?;
    Ok(Outcome::Done)
}
