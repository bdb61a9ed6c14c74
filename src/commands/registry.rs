//! `vicport registry login|logout HOST`: a registry's login in the OS
//! keyring (checked against the registry first), never in a file or argv.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::login::read_password;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::registry::{self, Login, Reach};

/// Registry subcommands.
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Check a login with a registry and keep it in the OS keyring
    Login(LoginArgs),
    /// Forget vicport's login for a registry
    Logout(LogoutArgs),
}

/// `registry login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The registry, HOST[:PORT]
    pub host: String,
    /// The user (asked on a terminal when not given)
    #[arg(long, short = 'u')]
    pub username: Option<String>,
    /// Read the password from standard input
    #[arg(long)]
    pub password_stdin: bool,
    /// Verify the registry's certificate (default: true, or its tls_verify setting)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
}

/// `registry logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The registry, HOST[:PORT]
    pub host: String,
}

/// The `[registries]` table and `--tls-verify`.
pub fn reach(ctx: &Context, tls_verify: Option<bool>) -> Result<Reach> {
    Ok(Reach {
        registries: ctx.config_file().load()?.registries,
        tls_verify,
    })
}

fn check_host(host: &str) -> Result<()> {
    let valid = !host.is_empty()
        && !host.contains('/')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(format!("invalid registry host {host:?}"))
            .with_hint("give HOST or HOST:PORT, e.g. 127.0.0.1:5000"))
    }
}

fn read_username(args: &LoginArgs) -> Result<String> {
    if let Some(user) = args.username.clone().filter(|u| !u.is_empty()) {
        return Ok(user);
    }
    if args.password_stdin || !std::io::stdin().is_terminal() {
        return Err(Error::invalid("no user name given").with_hint(format!(
            "run `vicport registry login {} --username USER`",
            args.host
        )));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "Username for {}: ", args.host);
    let _ = stderr.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("reading the user name", e))?;
    let user = line.trim().to_string();
    if user.is_empty() {
        return Err(Error::invalid("no user name given"));
    }
    Ok(user)
}

/// Run a registry subcommand.
pub async fn exec(command: RegistryCommand, ctx: &mut Context) -> Result<Outcome> {
    #[derive(Serialize)]
    struct LoggedIn<'a> {
        registry: &'a str,
        username: &'a str,
        keyring: &'a str,
    }
    #[derive(Serialize)]
    struct LoggedOut<'a> {
        registry: &'a str,
        removed: bool,
    }
    match command {
        RegistryCommand::Login(args) => {
            check_host(&args.host)?;
            let username = read_username(&args)?;
            let password = read_password(
                args.password_stdin,
                &format!("Password for {username} at {}", args.host),
            )?;
            if password.is_empty() {
                return Err(Error::invalid("the password is empty"));
            }
            let reach = reach(ctx, args.tls_verify)?;
            let login = Login {
                username: username.clone(),
                password,
            };
            let keyring = registry::login(&args.host, login, &reach).await?;
            let line = format!(
                "logged in to {} as {username} ({keyring} keyring)",
                args.host
            );
            ctx.out.action(
                &LoggedIn {
                    registry: &args.host,
                    username: &username,
                    keyring,
                },
                &args.host,
                &line,
            )?;
        }
        RegistryCommand::Logout(args) => {
            check_host(&args.host)?;
            let removed = registry::logout(&args.host)?;
            let line = if removed {
                format!("logged out of {}", args.host)
            } else {
                format!("no login kept for {}", args.host)
            };
            ctx.out.action(
                &LoggedOut {
                    registry: &args.host,
                    removed,
                },
                &args.host,
                &line,
            )?;
        }
    }
    Ok(Outcome::Done)
}
