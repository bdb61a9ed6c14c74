//! `vicport exec`: run a command in a running domain over its tether link,
//! with the process's stdio, terminal and exit code passed through.

use clap::Args;

use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::{Error, Result};

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
    let platform = ctx.platform().await?;
    let info = platform.inspect_domain(&args.domain).await?;
    info.require_up()?;
    let _link = platform.link(&args.domain).await?;
    Err(Error::not_supported("exec", platform.target()))
}
