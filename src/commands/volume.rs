//! `vicport volume …`: create, list, inspect and remove volumes.

use std::collections::BTreeMap;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::image::human_size;
use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::name;
use crate::plumbing::spec::{VolumeInfo, VolumeSpec, parse_label, parse_size};

/// Volume subcommands.
#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// Create a volume
    Create(CreateArgs),
    /// List volumes with their store, size and users
    #[command(visible_alias = "list")]
    Ls,
    /// Show everything about volumes
    Inspect(NamesArgs),
    /// Remove volumes
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Remove every volume no domain uses, with its data
    ///
    /// Asks first, naming how many; --yes when standard input is not a
    /// terminal. A volume a domain joins meanwhile stays.
    Prune(crate::commands::prune::PruneFilter),
}

/// `volume create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The volume's name
    pub name: String,
    /// Its size, e.g. 512MiB or 10G
    #[arg(long, default_value = "1GiB")]
    pub size: String,
    /// A label (KEY=VALUE); repeatable
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Where to keep it: a directory (local) or datastore path (vSphere)
    #[arg(long)]
    pub store: Option<String>,
}

/// Volumes by name.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Volumes
    #[arg(required = true, value_name = "VOLUME")]
    pub names: Vec<String>,
}

/// `volume rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Volumes
    #[arg(required = true, value_name = "VOLUME")]
    pub names: Vec<String>,
    /// Remove even when domains use it (asks first, or --yes)
    #[arg(short = 'f', long)]
    pub force: bool,
}

impl Row for VolumeInfo {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "SIZE", "STORE", "BACKING", "USED BY"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            human_size(self.size_bytes),
            self.store.clone(),
            self.backing.clone(),
            if self.used_by.is_empty() {
                "-".into()
            } else {
                self.used_by.join(", ")
            },
        ]
    }
    fn id(&self) -> String {
        self.name.clone()
    }
}

/// Run a volume subcommand.
pub async fn exec(command: VolumeCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        VolumeCommand::Create(args) => {
            name::validate("volume", &args.name)?;
            let size_bytes = parse_size(&args.size)?;
            if size_bytes == 0 {
                return Err(Error::invalid(format!(
                    "volume {:?}: a size of 0 is not a volume",
                    args.name
                ))
                .with_hint("give --size, e.g. --size 1GiB"));
            }
            let mut labels = BTreeMap::new();
            for l in &args.labels {
                let (k, v) = parse_label(l)?;
                labels.insert(k, v);
            }
            let spec = VolumeSpec {
                name: args.name,
                size_bytes,
                labels,
                store: args.store,
            };
            let info = ctx.platform().await?.create_volume(spec).await?;
            let id = info.name.clone();
            ctx.out.object(&info, &id)?;
        }
        VolumeCommand::Ls => {
            let volumes = ctx.platform().await?.list_volumes().await?;
            ctx.out.list(&volumes)?;
        }
        VolumeCommand::Inspect(args) => {
            let mut found = Vec::new();
            for n in &args.names {
                let info = ctx.platform().await?.inspect_volume(n).await?;
                let id = info.name.clone();
                found.push((info, id));
            }
            ctx.out.objects(&found)?;
        }
        VolumeCommand::Rm(args) => {
            #[derive(Serialize)]
            struct Removed {
                name: String,
            }
            let mut done = Vec::new();
            for n in &args.names {
                if args.force {
                    let info = ctx.platform().await?.inspect_volume(n).await?;
                    if !info.used_by.is_empty() {
                        ctx.confirm(&format!(
                            "remove volume {n}, which {} use?",
                            info.used_by.join(", ")
                        ))?;
                    }
                }
                ctx.domains().await?.remove_volume(n, args.force).await?;
                done.push((Removed { name: n.clone() }, n.clone(), n.clone()));
            }
            ctx.out.actions(&done)?;
        }
        VolumeCommand::Prune(filter) => {
            let scope = crate::commands::prune::Scope {
                volumes: true,
                ..Default::default()
            };
            crate::commands::prune::run(ctx, scope, &filter).await?;
        }
    }
    Ok(Outcome::Done)
}
