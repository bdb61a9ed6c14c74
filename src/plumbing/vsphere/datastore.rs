//! The datastore file API: files on a datastore moved over its HTTP
//! interface (`/folder/<path>?dcPath=&dsName=` with the session cookie) and
//! managed through the FileManager (make directories, move, delete) and the
//! datastore browser (list a directory).

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, LAST_MODIFIED, RANGE};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::plumbing::error::{Error, IoContext as _, Result};
use crate::plumbing::platform::Progress;

use super::fault::FaultKind;
use super::session::{Session, SessionError};
use super::vim;
use super::xml::{MoRef, Node};

/// A path on a datastore, `[datastore] dir/file`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatastorePath {
    /// The datastore's name.
    pub datastore: String,
    /// The path inside it, `/`-separated, without a leading `/`; empty for
    /// the datastore's root.
    pub path: String,
}

impl DatastorePath {
    /// `[datastore] path`.
    pub fn new(datastore: impl Into<String>, path: impl Into<String>) -> Self {
        DatastorePath {
            datastore: datastore.into(),
            path: path.into().trim_start_matches('/').to_string(),
        }
    }

    /// Parse `[datastore] path` (the path may be empty).
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(format!("invalid datastore path {text:?}"))
                .with_hint("use [DATASTORE] path/to/file, e.g. [datastore1] vicport/bootstrap.iso")
        };
        let rest = text.trim().strip_prefix('[').ok_or_else(bad)?;
        let (ds, path) = rest.split_once(']').ok_or_else(bad)?;
        if ds.is_empty() || path.split('/').any(|p| p == "..") {
            return Err(bad());
        }
        Ok(DatastorePath::new(ds, path.trim()))
    }

    /// A path below this one.
    pub fn join(&self, name: &str) -> Self {
        let path = if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}/{}", self.path.trim_end_matches('/'), name)
        };
        DatastorePath::new(self.datastore.clone(), path)
    }

    /// The directory this path is in, and its last component.
    pub fn split(&self) -> (DatastorePath, &str) {
        match self.path.rsplit_once('/') {
            Some((dir, name)) => (DatastorePath::new(self.datastore.clone(), dir), name),
            None => (DatastorePath::new(self.datastore.clone(), ""), &self.path),
        }
    }
}

impl std::fmt::Display for DatastorePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}]", self.datastore)
        } else {
            write!(f, "[{}] {}", self.datastore, self.path)
        }
    }
}

/// The datacenter datastore paths are resolved in: its reference for
/// FileManager calls and its inventory path (`DC0`, `Folder/DC0`) for the
/// HTTP interface's `dcPath`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatacenterRef {
    pub moref: MoRef,
    pub path: String,
}

/// Which bytes of a file to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// The whole file.
    All,
    /// From this offset to the end.
    From(u64),
    /// `start..end` (end exclusive).
    Span(u64, u64),
    /// The last `n` bytes (or the whole file when it is shorter).
    Last(u64),
}

impl ByteRange {
    fn header(self) -> Option<String> {
        match self {
            ByteRange::All => None,
            ByteRange::From(start) => Some(format!("bytes={start}-")),
            ByteRange::Span(start, end) => {
                Some(format!("bytes={start}-{}", end.max(start + 1) - 1))
            }
            ByteRange::Last(n) => Some(format!("bytes=-{}", n.max(1))),
        }
    }
}

/// Bytes read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The offset of `data` in the file.
    pub start: u64,
    pub data: Vec<u8>,
    /// The file's size when the server said it.
    pub total: Option<u64>,
}

/// What `stat` knows about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    /// The HTTP `Last-Modified` value, when given.
    pub modified: Option<String>,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
    pub size: Option<u64>,
}

/// How much an upload or download moves per read.
const CHUNK: usize = 256 * 1024;

/// The file API of one session, for datastores of one datacenter.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    session: &'a Session,
    datacenter: &'a DatacenterRef,
}

impl<'a> Files<'a> {
    /// Files of `datacenter`'s datastores, through `session`.
    pub fn new(session: &'a Session, datacenter: &'a DatacenterRef) -> Self {
        Files {
            session,
            datacenter,
        }
    }

    fn request(&self, method: reqwest::Method, path: &DatastorePath) -> reqwest::RequestBuilder {
        self.session.transport().datastore_request(
            method,
            &self.datacenter.path,
            &path.datastore,
            &path.path,
            self.session.cookie().as_deref(),
        )
    }

    async fn send(
        &self,
        what: &str,
        path: &DatastorePath,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        req.send().await.map_err(|e| {
            Error::from(self.session.transport().http_error(&e)).context(format!("{what} {path}"))
        })
    }

    fn file_manager(&self) -> Result<MoRef> {
        self.session.content().file_manager.clone().ok_or_else(|| {
            Error::not_supported(
                "datastore file management (the target has no FileManager)",
                self.session.transport().url().as_str(),
            )
        })
    }

    /// Upload the local file `local` to `dest`, streaming it, reporting
    /// bytes to `progress` (and stopping with `Interrupted` when its cancel
    /// flag is set). It is written under a temporary name in the same
    /// directory and then moved into place, so `dest` never holds a partial
    /// file. The directory is made when missing. Returns the size.
    pub async fn upload(
        &self,
        local: &Path,
        dest: &DatastorePath,
        progress: &dyn Progress,
    ) -> Result<u64> {
        let mut file = tokio::fs::File::open(local)
            .await
            .io_context(|| format!("opening {}", local.display()))?;
        let size = file
            .metadata()
            .await
            .io_context(|| format!("reading {}", local.display()))?
            .len();
        let (dir, name) = dest.split();
        progress.phase(&format!("uploading {name}"), Some(size));
        self.mkdir_p(&dir).await?;
        let temp = dir.join(&format!(
            ".{name}.{}.part",
            crate::plumbing::spec::random_hex(6)
        ));

        let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(4);
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        // The whole body must move within the request's time: allow the
        // per-request timeout plus a second per MiB.
        let allowed = self.session.transport().timeout() + Duration::from_secs(size >> 20);
        let put = self
            .request(reqwest::Method::PUT, &temp)
            .timeout(allowed)
            .header(CONTENT_LENGTH, size)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(reqwest::Body::wrap_stream(stream));
        let local_name = local.display().to_string();
        let cancel = progress.cancel_flag();
        let counters = self.session.transport().counters().clone();
        let feed = async move {
            let mut sent = 0u64;
            let mut buf = vec![0u8; CHUNK];
            loop {
                if cancel
                    .as_ref()
                    .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
                {
                    let _ = tx
                        .send(Err(std::io::Error::other("the upload was interrupted")))
                        .await;
                    return Err(Error::interrupted("the upload"));
                }
                let n = match file.read(&mut buf).await {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        let kind = e.kind();
                        let _ = tx.send(Err(std::io::Error::new(kind, e.to_string()))).await;
                        return Err(Error::io(format!("reading {local_name}"), e));
                    }
                };
                if tx.send(Ok(buf[..n].to_vec())).await.is_err() {
                    // The request ended early; its result says why.
                    break;
                }
                sent += n as u64;
                counters.add("datastore bytes written", n as u64);
                progress.advance(n as u64);
            }
            Ok(sent)
        };
        let (response, fed) = tokio::join!(self.send("uploading to", dest, put), feed);
        let outcome = async {
            // An interrupted feed says why the request failed.
            let sent = fed?;
            let response = response?;
            check_status("uploading to", dest, response.status())?;
            if sent != size {
                return Err(Error::other(format!(
                    "uploading {} to {dest}: the file changed size while it was read ({size} then {sent} bytes)",
                    local.display()
                )));
            }
            self.move_file(&temp, dest, true).await
        }
        .await;
        if let Err(e) = outcome {
            if let Err(cleanup) = self.delete(&temp).await {
                tracing::debug!(target: "vicport::vsphere", path = %temp, error = %cleanup, "removing a partial upload");
            }
            return Err(e);
        }
        Ok(size)
    }

    /// Write `data` to `dest` the same way as [`upload`](Self::upload):
    /// under a temporary name, then moved into place. For small files.
    pub async fn write(&self, dest: &DatastorePath, data: Vec<u8>) -> Result<()> {
        let (dir, name) = dest.split();
        let temp = dir.join(&format!(
            ".{name}.{}.part",
            crate::plumbing::spec::random_hex(6)
        ));
        self.session
            .transport()
            .counters()
            .add("datastore bytes written", data.len() as u64);
        let req = self
            .request(reqwest::Method::PUT, &temp)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(data);
        let outcome = async {
            let response = self.send("writing", dest, req).await?;
            check_status("writing", dest, response.status())?;
            self.move_file(&temp, dest, true).await
        }
        .await;
        if let Err(e) = outcome {
            let _ = self.delete(&temp).await;
            return Err(e);
        }
        Ok(())
    }

    /// Read `range` of `src`; `None` when the file does not exist. A range
    /// that starts at or after the end reads no data.
    pub async fn read(&self, src: &DatastorePath, range: ByteRange) -> Result<Option<Chunk>> {
        let mut req = self.request(reqwest::Method::GET, src);
        if let Some(r) = range.header() {
            req = req.header(RANGE, r);
        }
        let response = self.send("reading", src, req).await?;
        let status = response.status();
        let content_range = response
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        match status {
            StatusCode::NOT_FOUND => return Ok(None),
            StatusCode::RANGE_NOT_SATISFIABLE => {
                let total = content_range
                    .as_deref()
                    .and_then(|c| parse_content_range(c).2);
                return Ok(Some(Chunk {
                    start: total.unwrap_or(0),
                    data: Vec::new(),
                    total,
                }));
            }
            _ => check_status("reading", src, status)?,
        }
        let data = response.bytes().await.map_err(|e| {
            Error::from(self.session.transport().http_error(&e)).context(format!("reading {src}"))
        })?;
        self.session
            .transport()
            .counters()
            .add("datastore bytes read", data.len() as u64);
        let data = data.to_vec();
        if status == StatusCode::PARTIAL_CONTENT {
            let (start, _, total) = content_range
                .as_deref()
                .map(parse_content_range)
                .unwrap_or((None, None, None));
            return Ok(Some(Chunk {
                start: start.unwrap_or(0),
                data,
                total,
            }));
        }
        // The whole file (the server ignored the range).
        let total = data.len() as u64;
        let (start, data) = match range {
            ByteRange::All => (0, data),
            ByteRange::From(s) => (s.min(total), data[s.min(total) as usize..].to_vec()),
            ByteRange::Span(s, e) => {
                let (s, e) = (s.min(total), e.min(total).max(s.min(total)));
                (s, data[s as usize..e as usize].to_vec())
            }
            ByteRange::Last(n) => {
                let s = total.saturating_sub(n);
                (s, data[s as usize..].to_vec())
            }
        };
        Ok(Some(Chunk {
            start,
            data,
            total: Some(total),
        }))
    }

    /// The whole of a (small) file; `None` when it does not exist.
    pub async fn read_all(&self, src: &DatastorePath) -> Result<Option<Vec<u8>>> {
        Ok(self.read(src, ByteRange::All).await?.map(|c| c.data))
    }

    /// Download `src` into the local file `local` (written whole or not at
    /// all: to a temporary name, then renamed), reporting to `progress`.
    pub async fn download(
        &self,
        src: &DatastorePath,
        local: &Path,
        progress: &dyn Progress,
    ) -> Result<u64> {
        let req = self.request(reqwest::Method::GET, src);
        let mut response = self.send("downloading", src, req).await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Err(Error::not_found("datastore file", &src.to_string()));
        }
        check_status("downloading", src, response.status())?;
        let (_, name) = src.split();
        progress.phase(&format!("downloading {name}"), response.content_length());
        let temp = local.with_extension(format!("part{}", std::process::id()));
        let mut out = tokio::fs::File::create(&temp)
            .await
            .io_context(|| format!("creating {}", temp.display()))?;
        let result = async {
            let mut total = 0u64;
            while let Some(bytes) = response.chunk().await.map_err(|e| {
                Error::from(self.session.transport().http_error(&e))
                    .context(format!("downloading {src}"))
            })? {
                out.write_all(&bytes)
                    .await
                    .io_context(|| format!("writing {}", temp.display()))?;
                total += bytes.len() as u64;
                progress.advance(bytes.len() as u64);
            }
            out.sync_all()
                .await
                .io_context(|| format!("writing {}", temp.display()))?;
            tokio::fs::rename(&temp, local)
                .await
                .io_context(|| format!("moving {} into place", local.display()))?;
            Ok(total)
        }
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temp).await;
        }
        result
    }

    /// The size of a file; `None` when it does not exist.
    pub async fn stat(&self, path: &DatastorePath) -> Result<Option<FileStat>> {
        let req = self.request(reqwest::Method::HEAD, path);
        let response = self.send("looking at", path, req).await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        check_status("looking at", path, response.status())?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        Ok(Some(FileStat {
            size: header(CONTENT_LENGTH)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            modified: header(LAST_MODIFIED),
        }))
    }

    /// Whether a file exists.
    pub async fn exists(&self, path: &DatastorePath) -> Result<bool> {
        Ok(self.stat(path).await?.is_some())
    }

    /// Delete a file or a directory with everything in it
    /// (DeleteDatastoreFile_Task). A missing one is `NotFound`.
    pub async fn delete(&self, path: &DatastorePath) -> Result<()> {
        let fm = self.file_manager()?;
        let name = path.to_string();
        vim::run_task(self.session, "DeleteDatastoreFile_Task", &fm, |w| {
            w.text("name", &name)
                .moref("datacenter", &self.datacenter.moref);
        })
        .await
        .map(drop)
        .map_err(|e| file_error(e, "deleting", path))
    }

    /// Make a directory (MakeDirectory); an existing one is a `Conflict`,
    /// which makes it a lock: exactly one of many callers succeeds.
    pub async fn mkdir(&self, path: &DatastorePath, parents: bool) -> Result<()> {
        let fm = self.file_manager()?;
        let name = path.to_string();
        self.session
            .call("MakeDirectory", &fm, |w| {
                w.text("name", &name)
                    .moref("datacenter", &self.datacenter.moref)
                    .text(
                        "createParentDirectories",
                        if parents { "true" } else { "false" },
                    );
            })
            .await
            .map(drop)
            .map_err(|e| file_error(e, "making directory", path))
    }

    /// Make a directory and its parents unless it exists.
    pub async fn mkdir_p(&self, path: &DatastorePath) -> Result<()> {
        if path.path.is_empty() {
            return Ok(());
        }
        match self.mkdir(path, true).await {
            Err(e) if already_exists(&e) => Ok(()),
            other => other,
        }
    }

    /// Move (rename) a file (MoveDatastoreFile_Task); with `force` an
    /// existing destination is replaced.
    pub async fn move_file(
        &self,
        src: &DatastorePath,
        dest: &DatastorePath,
        force: bool,
    ) -> Result<()> {
        let fm = self.file_manager()?;
        let (from, to) = (src.to_string(), dest.to_string());
        vim::run_task(self.session, "MoveDatastoreFile_Task", &fm, |w| {
            w.text("sourceName", &from)
                .moref("sourceDatacenter", &self.datacenter.moref)
                .text("destinationName", &to)
                .moref("destinationDatacenter", &self.datacenter.moref)
                .text("force", if force { "true" } else { "false" });
        })
        .await
        .map(drop)
        .map_err(|e| file_error(e, "moving", src).context(format!("to {dest}")))
    }

    /// The entries of a directory through the datastore's browser
    /// (SearchDatastore_Task); a missing directory has none.
    pub async fn list(&self, datastore: &MoRef, dir: &DatastorePath) -> Result<Vec<DirEntry>> {
        let ds = vim::retrieve_one(self.session, datastore, &["browser"]).await?;
        let browser = ds
            .moref("browser")
            .ok_or_else(|| Error::other(format!("datastore {} has no browser", dir.datastore)))?;
        let path = dir.to_string();
        let result = vim::run_task(self.session, "SearchDatastore_Task", &browser, |w| {
            w.text("datastorePath", &path);
            w.open("searchSpec");
            w.open("details")
                .text("fileType", "true")
                .text("fileSize", "true")
                .text("modification", "false")
                .text("fileOwner", "false")
                .close("details");
            w.text("matchPattern", "*");
            w.close("searchSpec");
        })
        .await;
        let result = match result {
            Ok(r) => r,
            Err(e) if e.fault_kind() == Some(&FaultKind::FileNotFound) => return Ok(Vec::new()),
            Err(e) => return Err(Error::from(e).context(format!("listing {dir}"))),
        };
        Ok(result.map(|r| dir_entries(&r)).unwrap_or_default())
    }
}

fn dir_entries(result: &Node) -> Vec<DirEntry> {
    result
        .children("file")
        .filter_map(|f| {
            Some(DirEntry {
                name: f.child_text("path")?.to_string(),
                is_dir: f.xsi_type.as_deref() == Some("FolderFileInfo"),
                size: f.child_text("fileSize").and_then(|s| s.parse().ok()),
            })
        })
        .collect()
}

/// A FileManager failure naming the file.
fn file_error(e: SessionError, what: &str, path: &DatastorePath) -> Error {
    Error::from(e).context(format!("{what} {path}"))
}

/// Whether a datastore call failed because its file or directory exists
/// already (vSphere's FileAlreadyExists).
pub fn already_exists(e: &Error) -> bool {
    use super::fault::{FaultKind, fault_kind};
    fault_kind(e) == Some(&FaultKind::FileAlreadyExists)
}

/// Map an HTTP status of the datastore interface to an error.
fn check_status(what: &str, path: &DatastorePath, status: StatusCode) -> Result<()> {
    if status.is_success() {
        return Ok(());
    }
    let message = format!("{what} {path}: the datastore answered HTTP {status}");
    Err(match status {
        StatusCode::NOT_FOUND => Error::not_found("datastore file", &path.to_string()),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::unreachable(message)
            .with_hint("the session is not allowed to access the datastore: log in again with `vicport login`, and check the user's datastore privileges"),
        StatusCode::CONFLICT => Error::conflict(message),
        _ => Error::other(message),
    })
}

/// `bytes START-END/TOTAL` (or `bytes */TOTAL`) as (start, end, total).
fn parse_content_range(text: &str) -> (Option<u64>, Option<u64>, Option<u64>) {
    let Some(rest) = text.trim().strip_prefix("bytes") else {
        return (None, None, None);
    };
    let (span, total) = rest.trim().split_once('/').unwrap_or((rest.trim(), "*"));
    let total = total.trim().parse().ok();
    let (start, end) = match span.split_once('-') {
        Some((s, e)) => (s.trim().parse().ok(), e.trim().parse().ok()),
        None => (None, None),
    };
    (start, end, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datastore_paths_parse_and_print() {
        let p = DatastorePath::parse("[LocalDS_0] web/output.log").unwrap();
        assert_eq!(p.datastore, "LocalDS_0");
        assert_eq!(p.path, "web/output.log");
        assert_eq!(p.to_string(), "[LocalDS_0] web/output.log");
        let (dir, name) = p.split();
        assert_eq!(
            (dir.to_string().as_str(), name),
            ("[LocalDS_0] web", "output.log")
        );
        assert_eq!(
            DatastorePath::parse("[ds]").unwrap().join("a").to_string(),
            "[ds] a"
        );
        for bad in ["ds] x", "[ds x", "[] x", "[ds] a/../b"] {
            assert!(DatastorePath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            parse_content_range("bytes 10-19/100"),
            (Some(10), Some(19), Some(100))
        );
        assert_eq!(parse_content_range("bytes */42"), (None, None, Some(42)));
        assert_eq!(parse_content_range("nonsense"), (None, None, None));
    }

    #[test]
    fn ranges_become_headers() {
        assert_eq!(ByteRange::All.header(), None);
        assert_eq!(ByteRange::From(5).header().unwrap(), "bytes=5-");
        assert_eq!(ByteRange::Span(0, 10).header().unwrap(), "bytes=0-9");
        assert_eq!(ByteRange::Last(64).header().unwrap(), "bytes=-64");
    }
}
