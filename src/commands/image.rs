//! `vicport image …`: import, list, inspect and remove images.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::error::Result;
use crate::plumbing::name::ImageRef;
use crate::plumbing::spec::ImageInfo;

/// Image subcommands.
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar
    Import(ImportArgs),
    /// List images
    #[command(visible_alias = "list")]
    Ls,
    /// Show everything about images
    Inspect(ImagesArgs),
    /// Remove images
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
}

/// `image import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The archive or OCI layout directory
    pub path: PathBuf,
    /// The reference to tag it with (NAME[:TAG]); default: the one the archive names
    #[arg(long)]
    pub name: Option<String>,
}

/// Images by reference or id prefix.
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Images (NAME[:TAG] or id prefix)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

/// `image rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Images (NAME[:TAG] or id prefix)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Also remove the domains that use the image (asks first, or --yes)
    #[arg(short = 'f', long)]
    pub force: bool,
}

impl Row for ImageInfo {
    fn headers() -> Vec<&'static str> {
        vec!["ID", "TAGS", "SIZE", "CREATED"]
    }
    fn cells(&self) -> Vec<String> {
        let short = self.id.trim_start_matches("sha256:");
        vec![
            short[..short.len().min(12)].to_string(),
            if self.tags.is_empty() {
                "-".into()
            } else {
                self.tags.join(", ")
            },
            human_size(self.size_bytes),
            self.created.clone(),
        ]
    }
    fn id(&self) -> String {
        self.id.clone()
    }
}

/// Bytes as a short human size (binary units).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Run an image subcommand.
pub async fn exec(command: ImageCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        ImageCommand::Import(args) => {
            let reference = args.name.as_deref().map(ImageRef::parse).transpose()?;
            let progress = ctx.cancellable_progress();
            let platform = ctx.platform().await?;
            let info = platform
                .import_image(&args.path, reference, &progress)
                .await?;
            drop(progress);
            let id = info.id.clone();
            ctx.out.object(&info, &id)?;
        }
        ImageCommand::Ls => {
            let images = ctx.platform().await?.list_images().await?;
            ctx.out.list(&images)?;
        }
        ImageCommand::Inspect(args) => {
            let mut found = Vec::new();
            for i in &args.images {
                let info = ctx.platform().await?.inspect_image(i).await?;
                let id = info.id.clone();
                found.push((info, id));
            }
            ctx.out.objects(&found)?;
        }
        ImageCommand::Rm(args) => {
            #[derive(Serialize)]
            struct Removed {
                id: String,
                tags: Vec<String>,
                removed_domains: Vec<String>,
            }
            let mut done = Vec::new();
            for i in &args.images {
                let info = ctx.platform().await?.inspect_image(i).await?;
                if args.force && !info.used_by.is_empty() {
                    ctx.confirm(&format!(
                        "remove image {i} and the domains using it ({})?",
                        info.used_by.join(", ")
                    ))?;
                }
                ctx.domains().await?.remove_image(i, args.force).await?;
                let line = info.id.clone();
                let removed_domains = if args.force { info.used_by } else { Vec::new() };
                done.push((
                    Removed {
                        id: info.id.clone(),
                        tags: info.tags,
                        removed_domains,
                    },
                    info.id,
                    line,
                ));
            }
            ctx.out.actions(&done)?;
        }
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(64 << 20), "64.0 MiB");
    }
}
