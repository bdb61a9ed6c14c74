//! `vicport exec`: run a command in a running domain over its tether link,
//! with the process's stdio, terminal and exit code passed through, or
//! (`--detach`) start it in the background and print its pid.

use clap::Args;

use tether_protocol::message::ExecRequest;

use crate::commands::prelude::{Context, Outcome};
use crate::commands::stdio::{Streams, pump, terminal_size};
use crate::plumbing::domain::Domains;
use crate::plumbing::error::Result;
use crate::plumbing::spec::command_env;

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

    /// Start the command in the background and print its pid in the
    /// domain: its input and output are the domain's /dev/null, and it
    /// runs on until it exits or the domain stops
    #[arg(short = 'd', long, conflicts_with_all = ["interactive", "tty"])]
    pub detach: bool,

    /// Set an environment variable (KEY=VALUE, or KEY to copy it from
    /// here), over the domain's command's environment; repeatable
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Read environment variables from a file: KEY=VALUE (or KEY) per line,
    /// `#` comments; repeatable, `--env` wins
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<std::path::PathBuf>,

    /// The working directory (default: the domain's command's)
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,

    /// The user: NAME|UID[:GROUP|GID] (default: the domain's command's)
    #[arg(short = 'u', long)]
    pub user: Option<String>,

    /// Give the command every capability, whatever the domain's process
    /// was created with (`--cap-drop`, `--cap-add`); without it, the
    /// command has the same as that process
    #[arg(long)]
    pub privileged: bool,
}

/// Run `exec`.
pub async fn exec(args: ExecArgs, ctx: &mut Context) -> Result<Outcome> {
    let env = command_env(&args.env_files, &args.env, &|k| std::env::var(k).ok())?;
    let domains = ctx.domains().await?;
    let target = domains.exec_target(&args.domain).await?;
    let (rows, cols) = if args.tty {
        terminal_size(0)
            .or_else(|| terminal_size(1))
            .unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    let mut request = ExecRequest {
        argv: args.command,
        env,
        cwd: args.workdir.unwrap_or_default(),
        user: args.user.unwrap_or_default(),
        tty: args.tty,
        rows,
        cols,
        stdin: args.interactive,
        window: tether_protocol::DEFAULT_WINDOW,
    };
    let limits = Domains::prepare_exec(&target, &mut request, args.privileged);
    // Detached: no terminal or stdin (clap refuses -d with -i or -t).
    if args.detach {
        let command = request.argv.clone();
        let pid = domains.exec_detached(&target, request, &limits).await?;
        let value = serde_json::json!({
            "id": target.id,
            "name": target.name,
            "pid": pid,
            "command": command,
        });
        ctx.out.action(&value, &pid.to_string(), &pid.to_string())?;
        return Ok(Outcome::Done);
    }
    let streams = Streams {
        stdin: args.interactive,
        tty: args.tty,
    };
    // The link stays open while the session runs.
    let (_client, session) = domains.exec(&target, request, &limits).await?;
    match tokio::task::block_in_place(|| pump(&session, streams)) {
        Ok(code) => Ok(Outcome::Exit(code)),
        Err(e) => Err(domains.session_lost(&target.id.0, "the exec", e).await),
    }
}
