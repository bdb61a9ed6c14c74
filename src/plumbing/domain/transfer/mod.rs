//! Copying files into and out of a domain (`domain cp`), as a tar stream
//! over the tether's link: the policy (a running domain's tether, or a
//! stopped one's disk booted on its own where the platform can, see
//! `RootLink`; its path is checked, where the copy lands as `docker cp`
//! decides it: [`place`]), the host's end with the `tar` crate
//! ([`host`]), and the link's CopyIn and CopyOut sessions in between.

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
use crate::plumbing::platform::Progress;
use crate::plumbing::spec::{DomainInfo, DomainSpec, DomainState};
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

/// A link to a tether that can reach a domain's root filesystem: the
/// running domain's own, or a session on a stopped one's disk.
pub(super) struct RootLink {
    pub(super) info: DomainInfo,
    pub(super) client: Arc<Client>,
    /// A stopped domain's session, abandoned if this drops unfinished.
    session: Option<Box<dyn super::RootSession>>,
}

impl RootLink {
    /// End the link: a stopped domain's session as it should end (a
    /// writer's once what it wrote is on the disk).
    pub(super) fn finish(mut self) -> Result<()> {
        match self.session.take() {
            // A clean shutdown and a wait: off the runtime's worker.
            Some(session) => tokio::task::block_in_place(|| session.finish()),
            None => Ok(()),
        }
    }
}

impl Drop for RootLink {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            tokio::task::block_in_place(|| drop(session));
        }
    }
}

/// Refuse a copy of `path` in stopped domain `current` that is on one of
/// its mounts, which are there only while it runs.
fn refuse_mounted(current: &super::Current, path: &str) -> Result<()> {
    let Some(mount) = current.spec.as_ref().and_then(|s| mounted_at(s, path)) else {
        return Ok(());
    };
    Err(Error::invalid_state(format!(
        "{path} in domain {:?} is on {mount}, which is there only while the domain runs",
        current.name
    ))
    .with_hint(format!(
        "start it first (`vicport domain start {}`), or copy another path",
        current.name
    )))
}

/// The mount of `spec` that `path` (absolute, in the domain) is at or
/// under, described: a stopped domain's disk holds none of them.
fn mounted_at(spec: &DomainSpec, path: &str) -> Option<String> {
    let under = |mount: &str| {
        let (p, m) = (normal(path), normal(mount));
        p == m || m == "/" || p.starts_with(&format!("{m}/"))
    };
    let volume = spec.volumes.iter().find(|v| under(&v.path));
    let share = spec.shares.iter().find(|s| under(&s.path));
    let tmpfs = spec.guest_mounts.iter().find(|m| under(&m.path));
    volume
        .map(|v| format!("volume {:?} at {}", v.volume, v.path))
        .or_else(|| share.map(|s| format!("host path {} at {}", s.source.display(), s.path)))
        .or_else(|| tmpfs.map(|m| format!("the {} at {}", m.fstype, m.path)))
}

/// `path` with `.` and empty parts dropped and `..` taken back, from `/`.
fn normal(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Domains<'_> {
    /// A link for a copy of (`writes`: into) a domain's root filesystem,
    /// whose tether must speak `kind`: a running domain's own, or for a
    /// stopped one, where the platform can, a session on its disk. A
    /// stopped domain's disk holds none of its mounts, so a `path` (of
    /// `domain cp`) on one is refused before anything boots.
    pub(super) async fn root_link(
        &self,
        domain: &str,
        writes: bool,
        (kind, what): (u8, &str),
        path: Option<&str>,
        progress: &dyn Progress,
    ) -> Result<RootLink> {
        let info = self.platform.inspect_domain(domain).await?;
        let session = match info.state {
            DomainState::Stopped | DomainState::Created => {
                if let Some(path) = path {
                    refuse_mounted(&self.platform.current(&info.id.0).await?, path)?;
                }
                self.open_root(&info, writes, progress).await?
            }
            // The platform says why a suspended domain's disk is not used.
            DomainState::Suspended => self.open_root(&info, writes, progress).await?,
            _ => None,
        };
        let (client, session) = match session {
            Some((client, session)) => (client, Some(session)),
            None => (self.link_to(&info).await?, None),
        };
        require(&info.name, &client, kind, what)?;
        Ok(RootLink {
            info,
            client: Arc::new(client),
            session,
        })
    }

    /// The platform's session on stopped domain `info`'s disk, if it has
    /// such a thing; its seconds of a boot are said on a terminal.
    async fn open_root(
        &self,
        info: &DomainInfo,
        writes: bool,
        progress: &dyn Progress,
    ) -> Result<Option<(Client, Box<dyn super::RootSession>)>> {
        progress.phase(
            &format!("booting domain {:?}'s disk on its own", info.name),
            None,
        );
        let opened = self.platform.open_root(&info.id, writes).await;
        progress.done();
        opened
    }

    /// Copy `src` from the host to `dst` in a domain (`progress` says
    /// when a stopped one's disk boots on its own).
    pub async fn copy_to(
        &self,
        domain: &str,
        src: HostSource,
        dst: &str,
        progress: &dyn Progress,
    ) -> Result<Copied> {
        domain_path(dst)?;
        let source = match &src {
            HostSource::Path(p) => Some(host::source(p)?),
            HostSource::Tar(_) => None,
        };
        let copying = (kind::COPY_IN, "copying files");
        let link = self
            .root_link(domain, true, copying, Some(dst), progress)
            .await?;
        let (info, client) = (link.info.clone(), link.client.clone());
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
        link.finish()?;
        Ok(Copied {
            domain: info.name,
            bytes,
        })
    }

    /// Copy `src` from a domain to `dst` on the host (`progress` says
    /// when a stopped one's disk boots on its own).
    pub async fn copy_from(
        &self,
        domain: &str,
        src: &str,
        dst: HostDestination,
        progress: &dyn Progress,
    ) -> Result<Copied> {
        domain_path(src)?;
        let target = match &dst {
            HostDestination::Path(p) => Some((p.clone(), host::existing(p)?)),
            HostDestination::Tar(_) => None,
        };
        let copying = (kind::COPY_OUT, "copying files");
        let link = self
            .root_link(domain, false, copying, Some(src), progress)
            .await?;
        let (info, client) = (link.info.clone(), link.client.clone());
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
        link.finish()?;
        Ok(Copied {
            domain: info.name,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::spec::{GuestMount, HostShare, VolumeMount};

    #[test]
    fn a_path_on_a_mount_is_named_with_its_mount() {
        let mut spec = DomainSpec::new("web", "busybox");
        spec.volumes.push(VolumeMount {
            volume: "data".into(),
            path: "/data".into(),
            read_only: false,
        });
        spec.shares.push(HostShare {
            source: "/srv/site".into(),
            path: "/srv/www/".into(),
            read_only: true,
        });
        spec.guest_mounts.push(GuestMount {
            fstype: "tmpfs".into(),
            source: "tmpfs".into(),
            path: "/tmp".into(),
            options: Vec::new(),
        });
        let on = |p: &str| mounted_at(&spec, p);
        assert_eq!(on("/data").as_deref(), Some("volume \"data\" at /data"));
        assert_eq!(
            on("data/x/./y").as_deref(),
            Some("volume \"data\" at /data")
        );
        assert_eq!(
            on("/srv/www/index.html").as_deref(),
            Some("host path /srv/site at /srv/www/")
        );
        assert_eq!(on("/etc/../tmp/a").as_deref(), Some("the tmpfs at /tmp"));
        for off in [
            "/",
            "/database",
            "/srv",
            "/data/../etc",
            "/tmpx",
            "etc/passwd",
        ] {
            assert_eq!(on(off), None, "{off}");
        }
        assert_eq!(normal("a//b/./c/../d/"), "/a/b/d");
        assert_eq!(normal("/../.."), "/");
    }
}
