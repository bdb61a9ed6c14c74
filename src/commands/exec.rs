//! `vicport exec`: run a command in a running domain over its tether link,
//! with the process's stdio, terminal and exit code passed through.

use clap::Args;

use tether_protocol::message::ExecRequest;

use crate::commands::prelude::{Context, Outcome};
use crate::commands::stdio::{Streams, pump, terminal_size};
use crate::plumbing::error::Result;

/// `exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The domain
    pub domain: String,

    /// The command and its arguments
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,

    /// Keep standard input open
    #[arg(short = 'i', long)]
    pub interactive: bool,

    /// Allocate a terminal
    #[arg(short = 't', long)]
    pub tty: bool,

    /// Set an environment variable (KEY=VALUE); repeatable
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// The working directory
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,

    /// The user: NAME|UID[:GROUP|GID]
    #[arg(short = 'u', long)]
    pub user: Option<String>,
}

/// Run `exec`.
pub async fn exec(args: ExecArgs, ctx: &mut Context) -> Result<Outcome> {
    let domains = ctx.domains().await?;
    let (info, client) = domains.link(&args.domain).await?;
    let (rows, cols) = if args.tty {
        terminal_size(0)
            .or_else(|| terminal_size(1))
            .unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    let request = ExecRequest {
        argv: args.command,
        env: args.env,
        cwd: args.workdir.unwrap_or_default(),
        user: args.user.unwrap_or_default(),
        tty: args.tty,
        rows,
        cols,
        stdin: args.interactive,
        window: tether_protocol::DEFAULT_WINDOW,
    };
    let streams = Streams {
        stdin: args.interactive,
        tty: args.tty,
    };
    let session = tokio::task::block_in_place(|| client.exec(request))?;
    match tokio::task::block_in_place(|| pump(&session, streams)) {
        Ok(code) => Ok(Outcome::Exit(code)),
        Err(e) => Err(domains.session_lost(&info.id.0, "the exec", e).await),
    }
}
