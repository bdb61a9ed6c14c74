//! `vicport image …`: import, pull, push, save, tag, list, inspect, show
//! the history of, remove and prune images.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::prelude::OutputFormat;
use crate::commands::prelude::{Context, Outcome, Row};
use crate::commands::prune::{self, Images, PruneFilter, Scope};
use crate::commands::registry::reach;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::image;
use crate::plumbing::image::manifest::Platform;
use crate::plumbing::image::save::{self, Destination};
use crate::plumbing::name::ImageRef;
use crate::plumbing::registry;
use crate::plumbing::spec::ImageInfo;

/// Image subcommands.
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar
    Import(ImportArgs),
    /// Pull an image from a registry (Docker Registry API v2 / OCI distribution)
    ///
    /// Manifests, indexes and manifest lists (Docker schema 2 and OCI), by
    /// tag or digest; gzip, zstd and uncompressed layers. Every blob is
    /// verified as it streams, into a content-addressed cache that import
    /// shares: a layer already held is not fetched again. Logins come from
    /// `vicport registry login`, else $REGISTRY_AUTH_FILE,
    /// $XDG_RUNTIME_DIR/containers/auth.json or ~/.docker/config.json.
    Pull(PullArgs),
    /// Push an image from the store to a registry, under an OCI manifest
    Push(PushArgs),
    /// Save images to an OCI image layout: a tar (a file, or standard
    /// output when it is not a terminal) or a directory
    ///
    /// The archive holds each image's manifest, config and layers as the
    /// blob cache keeps them, verified as they are copied, with docker's
    /// manifest.json beside the OCI index: `vicport image import`, skopeo
    /// (oci-archive:, oci:, docker-archive:) and `podman load` read it. An image named by a tag is saved with that tag, one named
    /// by its id with all of its tags. A file or directory appears only
    /// once complete.
    Save(SaveArgs),
    /// List images
    #[command(visible_alias = "list")]
    Ls,
    /// Show everything about images
    Inspect(ImagesArgs),
    /// Show how an image was made: its steps, newest first, with the layer
    /// each made
    ///
    /// From the image's config as this machine's blob cache holds it (an
    /// image imported or pulled here, or committed from a domain); a step
    /// that changed only the config (ENV, CMD) has no layer. SIZE is the
    /// layer as stored (compressed as it came).
    History(HistoryArgs),
    /// Give an image another reference (NAME[:TAG]); a reference that named
    /// another image moves to this one
    Tag(TagArgs),
    /// Remove images
    ///
    /// An image goes with its tags, unless it is named by one of several
    /// tags (then only that tag goes). Then the blob cache drops what no
    /// image on this host needs any more.
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Remove the images no domain uses, and what the blob cache keeps for them
    ///
    /// Without --all, only dangling images go (those without a tag, e.g.
    /// left by a pull that moved their tag); with it, every image no domain
    /// uses. Then the blob cache (layers, configs and manifests kept for
    /// push and for pulls to reuse) drops what no image stored on this
    /// host needs, waiting for pulls and imports in flight. Asks first;
    /// --yes when standard input is not a terminal.
    Prune(PruneArgs),
}

/// `image prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Every image no domain uses, tagged or not
    #[arg(short = 'a', long)]
    pub all: bool,
    #[command(flatten)]
    pub filter: PruneFilter,
}

/// `image import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The archive or OCI layout directory
    pub path: PathBuf,
    /// The reference to tag it with (NAME[:TAG]); default: the one the archive names.
    /// From an archive of several images: the one it names so
    #[arg(long, conflicts_with = "all")]
    pub name: Option<String>,
    /// Every image of an archive that holds several (as `image save` of
    /// several writes), each under the names it records
    #[arg(long)]
    pub all: bool,
}

/// `image pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The image: HOST[:PORT]/NAME[:TAG] or HOST[:PORT]/NAME@sha256:DIGEST
    pub reference: String,
    /// The platform to pick from an index: OS/ARCH[/VARIANT]
    #[arg(long, default_value = "linux/amd64", value_name = "OS/ARCH[/VARIANT]")]
    pub platform: String,
    /// Verify the registry's certificate (default: true, or its tls_verify setting)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
}

/// `image push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The image to push (NAME[:TAG] or id prefix)
    pub image: String,
    /// Where: HOST[:PORT]/NAME[:TAG]
    pub reference: String,
    /// Verify the registry's certificate (default: true, or its tls_verify setting)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
}

/// `image save`.
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Images (NAME[:TAG] or id prefix)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Write the tar to FILE (replaced if it exists) instead of standard output
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub file: Option<PathBuf>,
    /// Write an OCI image layout directory instead of a tar (it must not exist, or be empty)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `image tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// The image (NAME[:TAG] or id prefix)
    pub image: String,
    /// The new reference: NAME[:TAG] (default tag: latest)
    pub reference: String,
}

/// Images by reference or id prefix.
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Images (NAME[:TAG] or id prefix)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

/// `image history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The image (NAME[:TAG] or id prefix)
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

/// One step of `image history`, as a row.
#[derive(Debug, Serialize)]
struct StepRow(image::history::Step);

impl Row for StepRow {
    fn headers() -> Vec<&'static str> {
        vec!["LAYER", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
    }
    fn cells(&self) -> Vec<String> {
        let s = &self.0;
        let layer = s.layer.as_deref().map_or("-".to_string(), |l| {
            let short = l.trim_start_matches("sha256:");
            short[..short.len().min(12)].to_string()
        });
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            layer,
            text(&s.created),
            text(&s.created_by),
            human_size(s.size),
            text(&s.comment),
        ]
    }
    fn id(&self) -> String {
        self.0.layer.clone().unwrap_or_else(|| "-".into())
    }
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

/// `image save`: to a file, a directory, or standard output (then the
/// archive is the output, and there is no result to print).
async fn save(args: SaveArgs, ctx: &mut Context) -> Result<()> {
    use std::io::IsTerminal;
    let to_stdout = args.file.is_none() && args.dir.is_none();
    if to_stdout {
        if ctx.out.format == OutputFormat::Json {
            return Err(Error::invalid(
                "image save: with --output json standard output holds the JSON result, not the archive",
            )
            .with_hint("name where the archive goes with --file FILE or --dir DIR"));
        }
        if std::io::stdout().is_terminal() {
            return Err(
                Error::invalid("image save: refusing to write an archive to a terminal").with_hint(
                    "name a file with --file FILE, or redirect standard output (> image.tar)",
                ),
            );
        }
    }
    let cache = ctx.dirs.cache.clone();
    let progress = ctx.cancellable_progress();
    let (target, out) = ctx.parts().await?;
    let destination = match (args.file, args.dir) {
        (Some(file), _) => Destination::Tar(file),
        (None, Some(dir)) => Destination::Dir(dir),
        (None, None) => Destination::Stream(out.raw()),
    };
    let saved = save::save(target, &args.images, &cache, destination, &progress).await?;
    drop(progress);
    if let Some(path) = &saved.path {
        let line = format!(
            "{} ({} {}) saved to {path}",
            saved
                .images
                .iter()
                .map(|i| i.tags.first().cloned().unwrap_or_else(|| i.id.clone()))
                .collect::<Vec<_>>()
                .join(", "),
            saved.images.len(),
            if saved.images.len() == 1 {
                "image"
            } else {
                "images"
            },
        );
        out.action(&saved, path, &line)?;
    }
    Ok(())
}

/// `image import --all`: each image of the archive in its order, under
/// the names it records; a list (the same image named twice once, with
/// every name). The first failure stops it: the images imported before it
/// stay, each whole.
async fn import_all(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let progress = ctx.cancellable_progress();
    let count = tokio::task::block_in_place(|| {
        image::images_in(&args.path, &ctx.dirs.cache.join("tmp"), &progress)
    })?;
    let platform = ctx.platform().await?;
    let mut imported: Vec<ImageInfo> = Vec::new();
    for index in 0..count {
        let info = platform
            .import_image(&args.path, None, Some(index), &progress)
            .await
            .map_err(|e| {
                e.context(format!(
                    "image {} of {count} (the {} before it were imported)",
                    index + 1,
                    imported.len()
                ))
            })?;
        match imported.iter_mut().find(|i| i.id == info.id) {
            Some(same) => *same = info,
            None => imported.push(info),
        }
    }
    drop(progress);
    ctx.out.list(&imported)
}

/// Run an image subcommand.
pub async fn exec(command: ImageCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        ImageCommand::Import(args) if args.all => import_all(args, ctx).await?,
        ImageCommand::Import(args) => {
            let reference = args.name.as_deref().map(ImageRef::parse).transpose()?;
            let progress = ctx.cancellable_progress();
            let platform = ctx.platform().await?;
            let info = platform
                .import_image(&args.path, reference, None, &progress)
                .await?;
            drop(progress);
            let id = info.id.clone();
            ctx.out.object(&info, &id)?;
        }
        ImageCommand::Pull(args) => {
            let platform = Platform::parse(&args.platform)?;
            let reach = reach(ctx, args.tls_verify)?;
            let cache = ctx.dirs.cache.clone();
            let progress = ctx.cancellable_progress();
            let target = ctx.platform().await?;
            let pulled = registry::pull(
                target,
                &args.reference,
                &platform,
                &reach,
                &cache,
                &progress,
            )
            .await?;
            drop(progress);
            let id = pulled.image.id.clone();
            ctx.out.object(&pulled, &id)?;
        }
        ImageCommand::Push(args) => {
            let reach = reach(ctx, args.tls_verify)?;
            let cache = ctx.dirs.cache.clone();
            let progress = ctx.cancellable_progress();
            let target = ctx.platform().await?;
            let pushed = registry::push(
                target,
                &args.image,
                &args.reference,
                &reach,
                &cache,
                &progress,
            )
            .await?;
            drop(progress);
            let line = format!("{}@{}", args.reference, pushed.digest);
            ctx.out.action(&pushed, &pushed.digest.clone(), &line)?;
        }
        ImageCommand::Save(args) => save(args, ctx).await?,
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
        ImageCommand::History(args) => {
            let info = ctx.platform().await?.inspect_image(&args.image).await?;
            let id = image::Digest::parse(&info.id)?;
            let cache = image::blobs::BlobCache::in_cache_dir(&ctx.dirs.cache);
            let steps = tokio::task::block_in_place(|| {
                let _lock = cache.lock_shared()?;
                image::history::history(&args.image, &id, &cache)
            })?;
            let rows: Vec<StepRow> = steps.into_iter().map(StepRow).collect();
            ctx.out.list(&rows)?;
        }
        ImageCommand::Tag(args) => {
            let reference = ImageRef::parse(&args.reference)?;
            let info = ctx
                .platform()
                .await?
                .tag_image(&args.image, &reference)
                .await?;
            let id = info.id.clone();
            ctx.out.action(&info, &id, &reference.to_string())?;
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
            prune::collect_after_rm(ctx);
            ctx.out.actions(&done)?;
        }
        ImageCommand::Prune(args) => {
            let images = if args.all {
                Images::Unused
            } else {
                Images::Dangling
            };
            let scope = Scope {
                images: Some(images),
                ..Scope::default()
            };
            prune::run(ctx, scope, &args.filter).await?;
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
