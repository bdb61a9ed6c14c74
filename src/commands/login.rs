//! `vicport login` / `vicport logout`: a target's password in the OS keyring.
//! The password is read from a terminal prompt, standard input or
//! VICPORT_PASSWORD, and never written to a file, an argv or a log line.

use std::io::{IsTerminal, Read};

use clap::Args;

use crate::commands::prelude::{Context, Outcome};
use crate::commands::target::vsphere_target;
use crate::plumbing::config::Target;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::target as plumbing_target;

/// `login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The target (default: the current one)
    pub target_name: Option<String>,
    /// The user (also saved as the target's user)
    #[arg(long)]
    pub username: Option<String>,
    /// Read the password from standard input
    #[arg(long)]
    pub password_stdin: bool,
}

/// `logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The target (default: the current one)
    pub target_name: Option<String>,
}

/// Where the password comes from, in order: `--password-stdin`,
/// VICPORT_PASSWORD, a prompt on a terminal.
pub fn read_password(password_stdin: bool, prompt: &str) -> Result<String> {
    if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("reading the password from standard input", e))?;
        let password = text.strip_suffix('\n').unwrap_or(&text);
        let password = password.strip_suffix('\r').unwrap_or(password);
        return Ok(password.to_string());
    }
    if let Some(p) = std::env::var("VICPORT_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return dialoguer::Password::new()
            .with_prompt(prompt)
            .interact()
            .map_err(|e| Error::other(format!("reading the password: {e}")));
    }
    Err(
        Error::invalid("no password given and standard input is not a terminal")
            .with_hint("pipe it with --password-stdin, or set VICPORT_PASSWORD"),
    )
}

/// Run `login`.
pub async fn login(args: LoginArgs, ctx: &mut Context) -> Result<Outcome> {
    let file = ctx.config_file();
    let requested = args
        .target_name
        .clone()
        .or_else(|| ctx.global.target.clone());
    let (name, mut target) = vsphere_target(&file.load()?, requested.as_deref())?;
    let username = match (&args.username, &target.username) {
        (Some(u), _) | (None, Some(u)) => u.clone(),
        (None, None) => {
            return Err(Error::invalid(format!("target {name:?} has no user"))
                .with_hint(format!("run `vicport login {name} --username USER`")));
        }
    };
    if args.username.is_some() && target.username.as_deref() != Some(username.as_str()) {
        file.update(|config| match config.targets.get_mut(&name) {
            Some(Target::Vsphere(v)) => {
                v.username = Some(username.clone());
                Ok(())
            }
            _ => Err(Error::conflict(format!(
                "target {name:?} changed while logging in"
            ))),
        })?;
        target.username = Some(username.clone());
    }
    let password = read_password(
        args.password_stdin,
        &format!("Password for {username} at {}", target.url),
    )?;
    if password.is_empty() {
        return Err(Error::invalid("the password is empty"));
    }
    let store = plumbing_target::login(
        &name,
        &target,
        &username,
        password,
        &ctx.dirs,
        ctx.global.timeout,
    )
    .await?;
    ctx.out.action(
        &serde_json::json!({"target": name, "username": username, "keyring": store.as_str()}),
        &name.clone(),
        &format!(
            "password for {username} on target {name} stored in the {} keyring",
            store.as_str()
        ),
    )?;
    Ok(Outcome::Done)
}

/// Run `logout`.
pub async fn logout(args: LogoutArgs, ctx: &mut Context) -> Result<Outcome> {
    let requested = args
        .target_name
        .clone()
        .or_else(|| ctx.global.target.clone());
    let (name, target) = vsphere_target(&ctx.config_file().load()?, requested.as_deref())?;
    let Some(username) = target.username.clone() else {
        return Err(
            Error::invalid(format!("target {name:?} has no user, so no password"))
                .with_hint(format!("run `vicport login {name} --username USER` first")),
        );
    };
    let removed =
        plumbing_target::logout(&name, &target, &username, &ctx.dirs, ctx.global.timeout).await?;
    let line = if removed {
        format!("logged out of target {name}")
    } else {
        format!("no password was stored for {username} on target {name}")
    };
    ctx.out.action(
        &serde_json::json!({"target": name, "username": username, "removed": removed}),
        &name.clone(),
        &line,
    )?;
    Ok(Outcome::Done)
}
