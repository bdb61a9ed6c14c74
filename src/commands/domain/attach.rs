//! `vicport domain attach`: our standard streams on a running domain's
//! primary process until it exits.

use clap::Args;

use crate::commands::prelude::{Context, Outcome};
use crate::commands::stdio::{Streams, pump, terminal_size};
use crate::plumbing::error::Result;
use crate::plumbing::spec::DomainInfo;

/// `domain attach`.
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The domain
    pub domain: String,
    /// Do not forward standard input
    #[arg(long)]
    pub no_stdin: bool,
}

/// Run `domain attach`.
pub async fn exec(args: AttachArgs, ctx: &mut Context) -> Result<Outcome> {
    let domains = ctx.domains().await?;
    let (info, client) = domains.link(&args.domain).await?;
    match attach_primary(&client, &info, !args.no_stdin && info.process.stdin) {
        Ok(code) => Ok(Outcome::Exit(code)),
        Err(e) => Err(domains.session_lost(&info.id.0, "the attach", e).await),
    }
}

/// Attach our standard streams to a domain's primary process until it
/// exits; returns its exit code.
pub fn attach_primary(
    client: &tether_protocol::client::Client,
    info: &DomainInfo,
    stdin: bool,
) -> Result<u8> {
    let tty = info.process.tty;
    let (rows, cols) = if tty {
        terminal_size(0)
            .or_else(|| terminal_size(1))
            .unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    tokio::task::block_in_place(|| {
        let session = client.attach(tether_protocol::message::AttachRequest {
            stdin,
            rows,
            cols,
            window: tether_protocol::DEFAULT_WINDOW,
        })?;
        pump(&session, Streams { stdin, tty })
    })
}
