//! `vicport target …`: add, list, show, select and remove targets.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::config::{
    Config, LOCAL, LocalTarget, Target, VsphereTarget, normalize_thumbprint, normalize_url,
};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::name;

/// Target subcommands.
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TargetCommand {
    /// Add a target
    Add(AddArgs),
    /// List targets
    #[command(visible_alias = "list")]
    Ls,
    /// Show a target's settings (default: the current one)
    Show(ShowArgs),
    /// Make a target the default for later commands
    Use(NameArgs),
    /// Remove a target (and its stored password)
    #[command(visible_alias = "remove")]
    Rm(NameArgs),
}

/// Platforms a target can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlatformKind {
    /// vCenter or ESXi over the vim25 API
    Vsphere,
    /// QEMU microVMs on this host
    Local,
}

/// `target add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The target's name
    pub name: String,
    /// The platform (default: vsphere)
    #[arg(long, value_enum, default_value_t = PlatformKind::Vsphere)]
    pub platform: PlatformKind,
    /// The vSphere SDK URL, e.g. https://vc.example.com/sdk
    #[arg(long, required_if_eq("platform", "vsphere"))]
    pub url: Option<String>,
    /// The user to log in as
    #[arg(long)]
    pub username: Option<String>,
    /// The datacenter (name or inventory path)
    #[arg(long)]
    pub datacenter: Option<String>,
    /// The datastore for domains, images and volumes
    #[arg(long)]
    pub datastore: Option<String>,
    /// The resource pool or cluster to place domains in
    #[arg(long)]
    pub resource_pool: Option<String>,
    /// The VM folder for domains
    #[arg(long)]
    pub folder: Option<String>,
    /// The switch networks are made on: a distributed switch or a port
    /// group on one (a standard switch on a standalone host)
    #[arg(long)]
    pub network: Option<String>,
    /// Trust the server certificate with this SHA-256 (or SHA-1) thumbprint
    #[arg(long, conflicts_with = "insecure")]
    pub thumbprint: Option<String>,
    /// Do not verify the server certificate (unsafe; prefer --thumbprint)
    #[arg(long)]
    pub insecure: bool,
    /// The state directory of a local target
    #[arg(long = "dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also make it the current target
    #[arg(long = "use")]
    pub make_current: bool,
}

/// `target show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The target (default: the current one)
    pub name: Option<String>,
}

/// One target by name.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The target
    pub name: String,
}

/// How a target is shown.
#[derive(Debug, Serialize)]
pub struct TargetView {
    name: String,
    platform: &'static str,
    current: bool,
    #[serde(flatten)]
    settings: Settings,
    /// Whether the keyring holds a password (shown by `target show` for
    /// vSphere targets only).
    #[serde(skip_serializing_if = "Option::is_none")]
    password_stored: Option<bool>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Settings {
    Local(LocalTarget),
    Vsphere(VsphereTarget),
}

impl TargetView {
    fn new(name: &str, target: &Target, current: &str) -> Self {
        TargetView {
            name: name.to_string(),
            platform: target.platform(),
            current: name == current,
            settings: match target {
                Target::Local(l) => Settings::Local(l.clone()),
                Target::Vsphere(v) => Settings::Vsphere(v.clone()),
            },
            password_stored: None,
        }
    }

    fn all(config: &Config) -> Vec<TargetView> {
        let current = config.current_target.as_deref().unwrap_or(LOCAL);
        let local = Target::Local(LocalTarget::default());
        std::iter::once(TargetView::new(LOCAL, &local, current))
            .chain(
                config
                    .targets
                    .iter()
                    .map(|(n, t)| TargetView::new(n, t, current)),
            )
            .collect()
    }
}

impl Row for TargetView {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "PLATFORM", "ENDPOINT", "USER", "CURRENT"]
    }
    fn cells(&self) -> Vec<String> {
        let (endpoint, user) = match &self.settings {
            Settings::Local(l) => (
                l.state_dir
                    .as_ref()
                    .map_or_else(|| "this host".into(), |d| d.display().to_string()),
                "-".into(),
            ),
            Settings::Vsphere(v) => (v.url.clone(), v.username.clone().unwrap_or("-".into())),
        };
        vec![
            self.name.clone(),
            self.platform.to_string(),
            endpoint,
            user,
            if self.current {
                "*".into()
            } else {
                String::new()
            },
        ]
    }
    fn id(&self) -> String {
        self.name.clone()
    }
}

fn new_target(args: &AddArgs) -> Result<Target> {
    Ok(match args.platform {
        PlatformKind::Local => {
            let vsphere_only = [
                ("--url", args.url.is_some()),
                ("--username", args.username.is_some()),
                ("--datacenter", args.datacenter.is_some()),
                ("--datastore", args.datastore.is_some()),
                ("--resource-pool", args.resource_pool.is_some()),
                ("--folder", args.folder.is_some()),
                ("--network", args.network.is_some()),
                ("--thumbprint", args.thumbprint.is_some()),
                ("--insecure", args.insecure),
            ];
            if let Some((flag, _)) = vsphere_only.iter().find(|(_, set)| *set) {
                return Err(
                    Error::invalid(format!("{flag} does not apply to a local target"))
                        .with_hint("use --platform vsphere for a vSphere target"),
                );
            }
            Target::Local(LocalTarget {
                state_dir: args.dir.clone(),
            })
        }
        PlatformKind::Vsphere => {
            if args.dir.is_some() {
                return Err(Error::invalid("--dir applies only to a local target"));
            }
            let url = args.url.as_deref().ok_or_else(|| {
                Error::invalid("a vSphere target needs --url")
                    .with_hint("e.g. --url https://vc.example.com/sdk")
            })?;
            Target::Vsphere(VsphereTarget {
                url: normalize_url(url)?,
                username: args.username.clone(),
                datacenter: args.datacenter.clone(),
                datastore: args.datastore.clone(),
                resource_pool: args.resource_pool.clone(),
                folder: args.folder.clone(),
                network: args.network.clone(),
                thumbprint: args
                    .thumbprint
                    .as_deref()
                    .map(normalize_thumbprint)
                    .transpose()?,
                insecure: args.insecure,
            })
        }
    })
}

/// Run a target subcommand.
pub fn exec(command: TargetCommand, ctx: &mut Context) -> Result<Outcome> {
    let file = ctx.config_file();
    match command {
        TargetCommand::Add(args) => {
            name::validate("target", &args.name)?;
            if args.name == LOCAL {
                return Err(Error::taken("the target \"local\" is built in")
                    .with_hint("choose another name"));
            }
            let target = new_target(&args)?;
            let view = file.update(|config| {
                if config.targets.contains_key(&args.name) {
                    return Err(
                        Error::taken(format!("target {:?} already exists", args.name)).with_hint(
                            format!("remove it first with `vicport target rm {}`", args.name),
                        ),
                    );
                }
                config.targets.insert(args.name.clone(), target.clone());
                if args.make_current {
                    config.current_target = Some(args.name.clone());
                }
                let current = config.current_target.clone().unwrap_or(LOCAL.into());
                Ok(TargetView::new(&args.name, &target, &current))
            })?;
            ctx.out.object(&view, &args.name)?;
        }
        TargetCommand::Ls => {
            let config = file.load()?;
            ctx.out.list(&TargetView::all(&config))?;
        }
        TargetCommand::Show(args) => {
            let config = file.load()?;
            let (name, target) =
                config.resolve(args.name.as_deref().or(ctx.global.target.as_deref()))?;
            let current = config.current_target.clone().unwrap_or(LOCAL.into());
            let mut view = TargetView::new(&name, &target, &current);
            if let Target::Vsphere(VsphereTarget {
                url,
                username: Some(user),
                ..
            }) = &target
            {
                view.password_stored =
                    Some(crate::plumbing::credentials::load(url, user)?.is_some());
            }
            ctx.out.object(&view, &name)?;
        }
        TargetCommand::Use(args) => {
            file.update(|config| {
                config.resolve(Some(&args.name))?;
                config.current_target = if args.name == LOCAL {
                    None
                } else {
                    Some(args.name.clone())
                };
                Ok(())
            })?;
            ctx.out.action(
                &serde_json::json!({"current_target": args.name}),
                &args.name.clone(),
                &format!("current target: {}", args.name),
            )?;
        }
        TargetCommand::Rm(args) => {
            if args.name == LOCAL {
                return Err(Error::conflict(
                    "the target \"local\" is built in and cannot be removed",
                ));
            }
            let removed = file.update(|config| {
                let target = config.targets.remove(&args.name).ok_or_else(|| {
                    Error::not_found("target", &args.name).with_hint(format!(
                        "known targets: {}",
                        config.target_names().join(", ")
                    ))
                })?;
                if config.current_target.as_deref() == Some(args.name.as_str()) {
                    config.current_target = None;
                }
                Ok(target)
            })?;
            if let Target::Vsphere(v) = &removed {
                let still_used = file.load()?.targets.values().any(|t| match t {
                    Target::Vsphere(o) => o.url == v.url && o.username == v.username,
                    Target::Local(_) => false,
                });
                if let (Some(user), false) = (&v.username, still_used) {
                    if let Err(e) = crate::plumbing::credentials::delete(&v.url, user) {
                        tracing::warn!("the target is removed, its password is not: {e}");
                    }
                }
            }
            ctx.out.action(
                &serde_json::json!({"name": args.name, "platform": removed.platform()}),
                &args.name.clone(),
                &format!("removed target {}", args.name),
            )?;
        }
    }
    Ok(Outcome::Done)
}

/// The vSphere settings of `name`, or an error saying it is not a vSphere target.
pub fn vsphere_target(config: &Config, name: Option<&str>) -> Result<(String, VsphereTarget)> {
    match config.resolve(name)? {
        (n, Target::Vsphere(v)) => Ok((n, v)),
        (n, Target::Local(_)) => Err(Error::invalid(format!(
            "target {n:?} is a local target and needs no login"
        ))
        .with_hint("log in to a vSphere target: `vicport login NAME`")),
    }
}
