//! Copying files into and out of a running domain (`domain cp`), as a tar
//! stream over the tether's link: the policy (the domain must run, its
//! path is checked, where the copy lands as `docker cp` decides it:
//! [`place`]), the host's end with the `tar` crate ([`host`]), and the
//! link's CopyIn and CopyOut sessions in between.

pub mod host;
pub mod place;
pub mod rootfs;

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tether_protocol::DEFAULT_WINDOW;
use tether_protocol::client::{Client, ClientError, CopyReader, CopyWriter};
use tether_protocol::frame::MAX_DATA;
use tether_protocol::message::{CopyOutRequest, PathInfo, PathKind, kind};

use super::Domains;
use super::lifecycle::blocking;
use super::usage::require;
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::DomainInfo;
use host::Counting;
use place::{Existing, Placement, Source, source_name};

/// The longest path a domain takes.
const MAX_PATH: usize = 4096;

/// What a copy into a domain reads.
pub enum HostSource {
    /// A file, directory or link of the host.
    Path(PathBuf),
    /// A tar stream (`-`: standard input), extracted as it is into the
    /// destination, which must be a directory.
    Tar(Box<dyn Read + Send>),
}

/// Where a copy out of a domain goes.
pub enum HostDestination {
    /// A path of the host.
    Path(PathBuf),
    /// A tar stream (`-`: standard output) of the source.
    Tar(Box<dyn Write + Send>),
}

impl std::fmt::Debug for HostSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostSource::Path(p) => write!(f, "Path({})", p.display()),
            HostSource::Tar(_) => f.write_str("Tar"),
        }
    }
}

impl std::fmt::Debug for HostDestination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostDestination::Path(p) => write!(f, "Path({})", p.display()),
            HostDestination::Tar(_) => f.write_str("Tar"),
        }
    }
}

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copied {
    /// The domain's name.
    pub domain: String,
    /// The size of the archive that crossed the link, bytes.
    pub bytes: u64,
}

/// Check a path of the domain.
fn domain_path(path: &str) -> Result<()> {
    if path.is_empty() {
        return Err(Error::invalid("an empty path in the domain")
            .with_hint("give a path, e.g. DOMAIN:/tmp (paths start at the domain's /)"));
    }
    if path.contains('\0') || path.len() > MAX_PATH {
        return Err(Error::invalid(format!(
            "{:?} is not a path a domain takes (NUL, or longer than {MAX_PATH} bytes)",
            path.chars().take(64).collect::<String>()
        )));
    }
    Ok(())
}

/// A failed write or read of the link's stream: the tether's own reason
/// when it failed the copy, else the host side's I/O error.
fn stream_error(e: io::Error, host: impl FnOnce(io::Error) -> Error) -> Error {
    if e.get_ref().is_some_and(|i| i.is::<ClientError>()) {
        let inner = e.into_inner().expect("checked above");
        match inner.downcast::<ClientError>() {
            Ok(c) => Error::from(*c),
            Err(other) => host(io::Error::other(other)),
        }
    } else {
        host(e)
    }
}

/// A path's metadata in the domain.
async fn path_stat(client: &Arc<Client>, path: &str, follow: bool) -> Result<PathInfo> {
    let c = client.clone();
    let path = path.to_string();
    blocking(move || c.path_stat(&path, follow))
        .await?
        .map_err(Error::from)
}

fn owners() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

impl Domains<'_> {
    /// A running domain's link for a copy.
    async fn copy_link(&self, domain: &str, kind: u8) -> Result<(DomainInfo, Arc<Client>)> {
        let (info, client) = self.link(domain).await?;
        require(&info.name, &client, kind, "copying files")?;
        Ok((info, Arc::new(client)))
    }

    /// Copy `src` from the host to `dst` in a running domain.
    pub async fn copy_to(&self, domain: &str, src: HostSource, dst: &str) -> Result<Copied> {
        domain_path(dst)?;
        let source = match &src {
            HostSource::Path(p) => Some(host::source(p)?),
            HostSource::Tar(_) => None,
        };
        let (info, client) = self.copy_link(domain, kind::COPY_IN).await?;
        let at = format!("in domain {:?}", info.name);
        let kind = path_stat(&client, dst, true).await?.kind;
        let existing = match kind {
            PathKind::Absent => Existing::Missing,
            PathKind::Directory => Existing::Directory,
            _ => Existing::Other,
        };
        let placement = match &source {
            Some(s) => place::place(s, dst, existing, &at)?,
            None => {
                match existing {
                    Existing::Directory => Placement {
                        dir: dst.into(),
                        name: String::new(),
                    },
                    Existing::Missing => {
                        return Err(Error::new(
                        ErrorKind::NotFound,
                        format!("no such directory {at}: {dst}"),
                    )
                    .with_hint("an archive from standard input is extracted into a directory that exists"));
                    }
                    Existing::Other => {
                        return Err(Error::invalid(format!("{dst} {at} is not a directory"))
                            .with_hint(
                                "an archive from standard input is extracted into a directory",
                            ));
                    }
                }
            }
        };
        let shown = match &src {
            HostSource::Path(p) => p.display().to_string(),
            HostSource::Tar(_) => "-".into(),
        };
        let bytes = blocking(move || -> Result<u64> {
            let session = client.copy_in(&placement.dir).map_err(Error::from)?;
            let mut w = Counting::new(BufWriter::with_capacity(
                MAX_DATA,
                CopyWriter::new(&session),
            ));
            let written = match (src, source) {
                (HostSource::Path(p), Some(s)) => host::pack(&p, &s, &placement.name, &mut w),
                (HostSource::Tar(mut r), _) => io::copy(&mut r, &mut w).map(drop),
                (HostSource::Path(_), None) => unreachable!("a path has its source"),
            };
            let reading = |e: io::Error| Error::io(format!("reading {shown}"), e);
            written
                .and_then(|()| w.flush())
                .map_err(|e| stream_error(e, reading))?;
            let bytes = w.bytes;
            let writer = w
                .inner
                .into_inner()
                .map_err(|e| stream_error(e.into_error(), reading))?;
            writer.finish().map_err(Error::from)?;
            Ok(bytes)
        })
        .await?
        .map_err(|e| {
            if e.to_string().contains("Read-only file system") {
                e.with_hint(format!(
                    "{dst} {at} is on a read-only filesystem (a read-only volume or host path, or the root of a domain created with --read-only): copy into a writable volume, host path or --tmpfs"
                ))
            } else {
                e
            }
        })?;
        Ok(Copied {
            domain: info.name,
            bytes,
        })
    }

    /// Copy `src` from a running domain to `dst` on the host.
    pub async fn copy_from(&self, domain: &str, src: &str, dst: HostDestination) -> Result<Copied> {
        domain_path(src)?;
        let target = match &dst {
            HostDestination::Path(p) => Some((p.clone(), host::existing(p)?)),
            HostDestination::Tar(_) => None,
        };
        let (info, client) = self.copy_link(domain, kind::COPY_OUT).await?;
        let at = format!("in domain {:?}", info.name);
        let stat = path_stat(&client, src, false).await?;
        if stat.kind == PathKind::Absent {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("no such file or directory {at}: {src}"),
            ));
        }
        let name = source_name(src);
        let is_dir = stat.kind == PathKind::Directory;
        if name == "." && !is_dir {
            return Err(Error::invalid(format!("{src} {at} is not a directory")));
        }
        let source = Source { name, is_dir };
        let placement = match &target {
            Some((p, existing)) => {
                let text = host::utf8(p)?;
                let placement = place::place(&source, text, *existing, "on this host")?;
                if *existing == Existing::Missing
                    && host::existing(std::path::Path::new(&placement.dir))? != Existing::Directory
                {
                    return Err(Error::new(
                        ErrorKind::NotFound,
                        format!("no such directory on this host: {}", placement.dir),
                    )
                    .with_hint("create it first"));
                }
                placement
            }
            None => Placement {
                dir: String::new(),
                name: source.name.clone(),
            },
        };
        let shown = match &dst {
            HostDestination::Path(p) => p.display().to_string(),
            HostDestination::Tar(_) => "-".into(),
        };
        let req = CopyOutRequest {
            path: src.into(),
            name: placement.name.clone(),
            window: DEFAULT_WINDOW,
        };
        let bytes = blocking(move || -> Result<u64> {
            let session = client.copy_out(req).map_err(Error::from)?;
            let mut r = Counting::new(CopyReader::new(&session));
            let writing = |e: io::Error| Error::io(format!("writing {shown}"), e);
            match dst {
                HostDestination::Path(_) => {
                    host::unpack(&mut r, std::path::Path::new(&placement.dir), owners())
                        .map_err(|e| stream_error(e, writing))?;
                    // What follows the archive's end (its padding), and the
                    // session's own end.
                    io::copy(&mut r, &mut io::sink()).map_err(|e| stream_error(e, writing))?;
                }
                HostDestination::Tar(mut w) => {
                    io::copy(&mut r, &mut w).map_err(|e| stream_error(e, writing))?;
                    w.flush().map_err(writing)?;
                }
            }
            Ok(r.bytes)
        })
        .await??;
        Ok(Copied {
            domain: info.name,
            bytes,
        })
    }
}
