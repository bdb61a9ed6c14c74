//! Copies in and out of the container, and PathStat: a copy is a session
//! whose data is a tar stream, carried by Stdout frames (CopyOut,
//! CopyOutRootfs) or Stdin frames (CopyIn) under the session's credit
//! windows, like an exec's. The archive is written by [`out`] and
//! extracted by [`extract`]; every path is resolved inside the container's
//! root ([`super::inroot`]), for CopyOutRootfs inside a view of its root
//! filesystem alone ([`rootfs`]).

pub mod extract;
pub mod out;
pub mod rootfs;

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tether_protocol::frame::MAX_DATA;
use tether_protocol::message::{
    CopyFailure, CopyOutRequest, ExitStatus, Message, PathInfo, PathKind, Stream,
};

use super::inroot::{self, Root};
use super::session::{SessionCore, lock, spawn_thread};
use super::sys::LinuxSys;

/// Why a copy failed, for CopyFailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The class.
    pub reason: CopyFailure,
    /// What failed, on which path.
    pub message: String,
}

impl Failure {
    /// A failure of class `reason`.
    pub fn new(reason: CopyFailure, message: impl Into<String>) -> Self {
        Failure {
            reason,
            message: message.into(),
        }
    }

    /// An I/O error while doing `what`, classed by its errno.
    pub fn io(what: impl std::fmt::Display, e: &io::Error) -> Self {
        let reason = match e.raw_os_error() {
            Some(libc::ENOENT) => CopyFailure::NotFound,
            Some(libc::ENOTDIR) => CopyFailure::NotADirectory,
            Some(libc::EACCES | libc::EPERM | libc::EROFS) => CopyFailure::PermissionDenied,
            Some(libc::ENOSPC | libc::EDQUOT) => CopyFailure::NoSpace,
            _ if e.kind() == io::ErrorKind::InvalidData => CopyFailure::BadArchive,
            _ => CopyFailure::Other,
        };
        Failure::new(reason, format!("{what}: {e}"))
    }
}

/// A copy session in a link's table.
#[derive(Debug)]
pub struct CopySession {
    /// Id, credits, link.
    pub core: Arc<SessionCore>,
    input: Mutex<Option<Sender<Vec<u8>>>>,
}

impl CopySession {
    /// Stdin data of a CopyIn (credit already checked).
    pub fn stdin(&self, data: Vec<u8>) -> Result<(), String> {
        match &*lock(&self.input) {
            Some(tx) => {
                let _ = tx.send(data);
                Ok(())
            }
            None => Err(format!(
                "session {} takes no more input: it is a CopyOut, or its input ended",
                self.core.id
            )),
        }
    }

    /// The end of a CopyIn's archive.
    pub fn close_stdin(&self) {
        lock(&self.input).take();
    }

    /// The host left (Close, or its link went away): stop at once; the
    /// copy's worker sees the session closed.
    pub fn abandon(&self) {
        self.core.finish();
        lock(&self.input).take();
    }
}

/// The tar stream a CopyIn's worker reads: Stdin data in order, the end at
/// CloseStdin. Credit goes back to the host as each chunk is taken, so
/// what waits here is bounded by the window.
struct Inbox {
    rx: Receiver<Vec<u8>>,
    core: Arc<SessionCore>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for Inbox {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.rx.recv() {
                Ok(d) => {
                    self.core.return_stdin(d.len());
                    self.chunk = d;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The tar stream a CopyOut's worker writes: Stdout frames, each sent only
/// within the host's credit.
struct Outbox {
    core: Arc<SessionCore>,
    buf: Vec<u8>,
}

impl Outbox {
    fn send(&mut self, all: bool) -> io::Result<()> {
        while self.buf.len() >= MAX_DATA || (all && !self.buf.is_empty()) {
            let credit = match self
                .core
                .wait_credit(Stream::Stdout, Duration::from_millis(200))
            {
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "the host closed the copy",
                    ));
                }
                Some(0) => continue,
                Some(c) => c,
            };
            let n = self.buf.len().min(MAX_DATA).min(credit as usize);
            self.core.send_output(Stream::Stdout, &self.buf[..n]);
            self.buf.drain(..n);
        }
        Ok(())
    }
}

impl Write for Outbox {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        self.send(false)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send(true)
    }
}

/// End a copy session: Exit 0, or CopyFailed, as its last frame.
fn finish(core: &Arc<SessionCore>, result: Result<(), Failure>) {
    match result {
        Ok(()) => core.send(&Message::Exit(ExitStatus::default())),
        Err(f) => core.send(&Message::CopyFailed {
            reason: f.reason,
            message: f.message,
        }),
    };
    core.finish();
}

/// What a copy out archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The container's tree as its processes see it, what is mounted in
    /// it included (CopyOut).
    Tree,
    /// The container's root filesystem alone (CopyOutRootfs), through a
    /// [`rootfs::RootfsView`].
    RootFs,
}

/// Start a CopyOut, or with [`Source::RootFs`] a CopyOutRootfs, on
/// `core`'s session, `register`ed in its link's table first: its worker
/// resolves the path, answers CopyStarted (or CopyFailed) and streams the
/// archive.
pub fn start_out(
    root: &std::path::Path,
    source: Source,
    core: Arc<SessionCore>,
    req: CopyOutRequest,
    register: impl FnOnce(Arc<CopySession>),
) {
    register(Arc::new(CopySession {
        core: core.clone(),
        input: Mutex::new(None),
    }));
    let root = root.to_path_buf();
    spawn_thread("copy-out", move || {
        let mut outbox = Outbox {
            core: core.clone(),
            buf: Vec::new(),
        };
        let result = write_out(&root, source, &req, &mut outbox, &|| {
            core.send(&Message::CopyStarted { stdin_window: 0 });
        });
        finish(&core, result);
    });
}

/// A copy out's whole archive into `outbox`. A view made for it is gone
/// before this returns, so before the session's last frame.
fn write_out(
    root: &std::path::Path,
    source: Source,
    req: &CopyOutRequest,
    outbox: &mut Outbox,
    started: &dyn Fn(),
) -> Result<(), Failure> {
    let view = match source {
        Source::Tree => None,
        Source::RootFs => Some(rootfs::RootfsView::make(&LinuxSys, root)?),
    };
    let at = view.as_ref().map_or(root, |v| v.path());
    let opened = Root::open(at)
        .map_err(|e| Failure::io(format!("the container's root {}", at.display()), &e))?;
    out::write_archive(
        &opened,
        req.path.as_bytes(),
        req.name.as_bytes(),
        outbox,
        started,
    )?;
    outbox
        .flush()
        .map_err(|e| Failure::io("sending the archive", &e))
}

/// Start a CopyIn on `core`'s session, `register`ed in its link's table
/// first: its worker resolves the directory, answers CopyStarted (or
/// CopyFailed), and extracts what arrives.
pub fn start_in(
    root: &std::path::Path,
    core: Arc<SessionCore>,
    path: String,
    stdin_window: u32,
    register: impl FnOnce(Arc<CopySession>),
) {
    let (tx, rx) = mpsc::channel();
    register(Arc::new(CopySession {
        core: core.clone(),
        input: Mutex::new(Some(tx)),
    }));
    let root = root.to_path_buf();
    // Running as the administrator, entries keep their owners.
    // SAFETY: geteuid has no preconditions.
    let owners = unsafe { libc::geteuid() } == 0;
    spawn_thread("copy-in", move || {
        let inbox = Inbox {
            rx,
            core: core.clone(),
            chunk: Vec::new(),
            at: 0,
        };
        let result = Root::open(&root)
            .map_err(|e| Failure::io(format!("the container's root {}", root.display()), &e))
            .and_then(|root| {
                extract::extract(&root, path.as_bytes(), inbox, owners, &|| {
                    core.send(&Message::CopyStarted { stdin_window });
                })
            });
        finish(&core, result);
    });
}

/// A path's metadata for PathStat; a path that does not exist (or whose
/// directories do not) is Absent.
pub fn path_info(root: &std::path::Path, path: &str, follow: bool) -> Result<PathInfo, String> {
    let root = Root::open(root).map_err(|e| format!("the container's root: {e}"))?;
    let flags = libc::O_PATH | if follow { 0 } else { libc::O_NOFOLLOW };
    let fd = match root.open_path(path.as_bytes(), flags) {
        Ok(fd) => fd,
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
            return Ok(PathInfo::default());
        }
        Err(e) => return Err(format!("{path}: {e}")),
    };
    let st = inroot::stat_at(fd.as_raw_fd(), b"").map_err(|e| format!("{path}: {e}"))?;
    let kind = match inroot::file_type(&st) {
        libc::S_IFREG => PathKind::File,
        libc::S_IFDIR => PathKind::Directory,
        libc::S_IFLNK => PathKind::Symlink,
        _ => PathKind::Other,
    };
    let link_target = if kind == PathKind::Symlink {
        let t = inroot::read_link_at(fd.as_raw_fd(), b"").map_err(|e| format!("{path}: {e}"))?;
        inroot::show(&t)
    } else {
        String::new()
    };
    Ok(PathInfo {
        kind,
        mode: st.st_mode & 0o7777,
        uid: st.st_uid,
        gid: st.st_gid,
        size: st.st_size as u64,
        mtime: (st.st_mtime.max(0) as u64)
            .saturating_mul(1_000_000_000)
            .saturating_add(st.st_mtime_nsec.max(0) as u64),
        link_target,
    })
}
