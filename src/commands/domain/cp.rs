//! `vicport domain cp`: copy files between the host and a domain,
//! `DOMAIN:PATH` on one side, as `docker cp` does; `-` is a tar stream on
//! standard input or output.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, OutputFormat};
use crate::plumbing::domain::transfer::{HostDestination, HostSource};
use crate::plumbing::error::{Error, Result};

/// `domain cp`.
#[derive(Debug, Args)]
pub struct CpArgs {
    /// What to copy: DOMAIN:PATH, a host path, or - (a tar stream on standard input)
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// Where to: DOMAIN:PATH, a host path, or - (a tar stream on standard output)
    #[arg(value_name = "DESTINATION")]
    pub destination: String,
}

/// One side of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// `DOMAIN:PATH`.
    Domain(String, String),
    /// A host path.
    Host(PathBuf),
    /// `-`.
    Stream,
}

/// `-`, `DOMAIN:PATH`, or a host path: one starting with `/` or `.` is
/// always the host's (write `./a:b` for a host file named `a:b`).
fn end(arg: &str) -> End {
    if arg == "-" {
        return End::Stream;
    }
    if !arg.starts_with('/') && !arg.starts_with('.') {
        if let Some((domain, path)) = arg.split_once(':') {
            if !domain.is_empty() && !domain.contains('/') {
                return End::Domain(domain.into(), path.into());
            }
        }
    }
    End::Host(arg.into())
}

/// What `--output json` prints for a copy.
#[derive(Debug, Serialize)]
struct CopyReport<'a> {
    domain: String,
    source: &'a str,
    destination: &'a str,
    bytes: u64,
}

/// Run `domain cp`.
pub async fn exec(args: CpArgs, ctx: &mut Context) -> Result<Outcome> {
    let to_stdout = end(&args.destination) == End::Stream;
    let progress = ctx.progress();
    let progress = &*progress;
    let copied = match (end(&args.source), end(&args.destination)) {
        (End::Domain(..), End::Domain(..)) => {
            return Err(Error::invalid("cannot copy from one domain to another")
                .with_hint("copy to the host first, then from there"));
        }
        (End::Domain(d, p), End::Host(h)) => {
            let dst = HostDestination::Path(h);
            ctx.domains()
                .await?
                .copy_from(&d, &p, dst, progress)
                .await?
        }
        (End::Domain(d, p), End::Stream) => {
            let dst = HostDestination::Tar(Box::new(std::io::stdout()));
            ctx.domains()
                .await?
                .copy_from(&d, &p, dst, progress)
                .await?
        }
        (End::Host(h), End::Domain(d, p)) => {
            let src = HostSource::Path(h);
            ctx.domains().await?.copy_to(&d, src, &p, progress).await?
        }
        (End::Stream, End::Domain(d, p)) => {
            let src = HostSource::Tar(Box::new(std::io::stdin()));
            ctx.domains().await?.copy_to(&d, src, &p, progress).await?
        }
        _ => {
            return Err(
                Error::invalid("one of SOURCE and DESTINATION must be DOMAIN:PATH")
                    .with_hint("e.g. `vicport domain cp ./file web:/tmp`, or `vicport domain cp web:/etc/hosts .`"),
            );
        }
    };
    // A tar stream on stdout is the whole output.
    if ctx.out.format == OutputFormat::Json && !to_stdout {
        let report = CopyReport {
            domain: copied.domain,
            source: &args.source,
            destination: &args.destination,
            bytes: copied.bytes,
        };
        ctx.out.action(&report, &args.destination, "")?;
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_their_side_as_docker_cp_reads_them() {
        let d = |a: &str, b: &str| End::Domain(a.into(), b.into());
        let h = |p: &str| End::Host(p.into());
        for (arg, want) in [
            ("web:/etc/hosts", d("web", "/etc/hosts")),
            ("web:", d("web", "")),
            ("web:rel/path", d("web", "rel/path")),
            ("-", End::Stream),
            ("./a:b", h("./a:b")),
            ("/abs/x:y", h("/abs/x:y")),
            ("file.txt", h("file.txt")),
            (":x", h(":x")),
            ("dir/a:b", h("dir/a:b")),
        ] {
            assert_eq!(end(arg), want, "{arg}");
        }
    }
}
