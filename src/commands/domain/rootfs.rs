//! `vicport domain export`, `domain diff` and `domain commit`: a domain's
//! root filesystem (a running one's, or a stopped local one's disk) —
//! without its volumes, host directories or anything else mounted in it —
//! archived, compared with its image, or made into a new image (its
//! image's layers and one more).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, OutputFormat, Row};
use crate::plumbing::domain::transfer::rootfs::CommitOptions;
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::image::changes::Change;
use crate::plumbing::name::ImageRef;
use crate::plumbing::spec::random_hex;

/// `domain export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The domain (name, id or unique id prefix)
    pub domain: String,
    /// Write the tar to FILE (replaced once complete) instead of standard output
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `domain diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The domain (name, id or unique id prefix)
    pub domain: String,
}

/// `domain commit`.
#[derive(Debug, Args)]
pub struct CommitArgs {
    /// The domain (name, id or unique id prefix)
    pub domain: String,
    /// The new image's reference: NAME[:TAG] (default tag: latest)
    pub reference: String,
    /// A comment for the new layer's history entry
    #[arg(long, short = 'm')]
    pub message: Option<String>,
    /// The new image's author
    #[arg(long, short = 'a')]
    pub author: Option<String>,
    /// A Dockerfile instruction for the new image's settings: CMD,
    /// ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL
    /// (repeatable; e.g. -c 'CMD ["httpd","-f"]' -c 'ENV MODE=prod')
    #[arg(long, short = 'c', value_name = "INSTRUCTION")]
    pub change: Vec<String>,
}

impl Row for Change {
    fn headers() -> Vec<&'static str> {
        vec!["KIND", "PATH"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.kind.letter().to_string(), self.path.clone()]
    }

    fn id(&self) -> String {
        self.path.clone()
    }
}

/// What `--output json` prints for an export to a file.
#[derive(Debug, Serialize)]
struct Exported<'a> {
    domain: String,
    file: &'a str,
    bytes: u64,
}

/// Run `domain export`.
pub async fn export(args: ExportArgs, ctx: &mut Context) -> Result<Outcome> {
    let Some(file) = args.file else {
        if ctx.out.format == OutputFormat::Json {
            return Err(Error::invalid(
                "domain export: with --output json standard output holds the JSON result, not the archive",
            )
            .with_hint("name where the archive goes with --file FILE"));
        }
        if std::io::stdout().is_terminal() {
            return Err(Error::invalid(
                "domain export: refusing to write an archive to a terminal",
            )
            .with_hint("name a file with --file FILE, or redirect standard output (> root.tar)"));
        }
        let dst = Box::new(std::io::stdout());
        let progress = ctx.progress();
        ctx.domains()
            .await?
            .export(&args.domain, dst, &*progress)
            .await?;
        return Ok(Outcome::Done);
    };
    // Written beside the file, renamed over it once complete: a failed
    // export leaves what was there.
    let name = file
        .file_name()
        .ok_or_else(|| Error::invalid(format!("--file {}: not a file name", file.display())))?;
    let tmp = file.with_file_name(format!(
        ".{}.{}.part",
        name.to_string_lossy(),
        random_hex(4)
    ));
    let out = std::fs::File::create(&tmp).io_context(|| format!("creating {}", tmp.display()))?;
    let progress = ctx.progress();
    let done = ctx
        .domains()
        .await?
        .export(&args.domain, Box::new(out), &*progress)
        .await;
    let copied = match done.and_then(|c| {
        std::fs::rename(&tmp, &file)
            .io_context(|| format!("renaming {} to {}", tmp.display(), file.display()))
            .map(|()| c)
    }) {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let shown = file.display().to_string();
    let report = Exported {
        domain: copied.domain.clone(),
        file: &shown,
        bytes: copied.bytes,
    };
    let line = format!("{} exported to {shown}", copied.domain);
    ctx.out.action(&report, &shown, &line)?;
    Ok(Outcome::Done)
}

/// Run `domain diff`.
pub async fn diff(args: DiffArgs, ctx: &mut Context) -> Result<Outcome> {
    let cache = ctx.dirs.cache.clone();
    let progress = ctx.progress();
    let changes = ctx
        .domains()
        .await?
        .changes(&args.domain, &cache, &*progress)
        .await?;
    ctx.out.list(&changes)?;
    Ok(Outcome::Done)
}

/// Run `domain commit`.
pub async fn commit(args: CommitArgs, ctx: &mut Context) -> Result<Outcome> {
    let reference = ImageRef::parse(&args.reference)?;
    let cache = ctx.dirs.cache.clone();
    let progress = ctx.cancellable_progress();
    let options = CommitOptions {
        message: args.message,
        author: args.author,
        changes: args.change,
    };
    let committed = ctx
        .domains()
        .await?
        .commit_image(&args.domain, reference, options, &cache, &progress)
        .await?;
    drop(progress);
    let id = committed.image.id.clone();
    let line = format!(
        "{} committed as {} ({}): {} {} in a layer of {} bytes",
        committed.domain,
        committed
            .image
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| id.clone()),
        id,
        committed.changes,
        if committed.changes == 1 {
            "change"
        } else {
            "changes"
        },
        committed.layer_bytes,
    );
    ctx.out.action(&committed, &id, &line)?;
    Ok(Outcome::Done)
}
