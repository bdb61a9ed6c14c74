//! The client's side of protocol version 3's look into a domain: a Ping
//! the tether answers, its usage (Stats), its processes (Top), a path's metadata (PathStat), and copies
//! in and out as tar streams over a session's Stdin and Stdout (and
//! version 6's copy out of the root filesystem alone), with
//! [`CopyReader`] and [`CopyWriter`] as `std::io` ends of those streams.

use std::io::{self, Read, Write};

use super::{Client, ClientError, Output, Session};
use crate::message::{CopyOutRequest, Message, PathInfo, ProcessInfo, StatsReport};

impl Client {
    /// Whether this link speaks the version that introduced message type
    /// `kind` (an older tether answers none of version 3's messages).
    pub fn speaks(&self, kind: u8) -> bool {
        crate::message::introduced_in(kind).is_some_and(|v| v <= self.version())
    }

    /// The round trip of a Ping that the tether itself answers, through
    /// every relay on the way (version 3: a Ping on a request id; the
    /// link-level [`Client::ping`] is answered by the nearest relay).
    pub fn ping_tether(&self) -> Result<std::time::Duration, ClientError> {
        if self.version() < 3 {
            return Err(ClientError::Protocol(format!(
                "this link speaks version {}: a Ping through to the tether needs 3",
                self.version()
            )));
        }
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let nonce = u64::from(std::process::id()) << 32 ^ u64::from(clock.subsec_nanos());
        let t = std::time::Instant::now();
        match self
            .shared
            .request(&Message::Ping { nonce }, "Ping", self.timeout)?
        {
            Message::Pong { nonce: n } if n == nonce => Ok(t.elapsed()),
            other => Err(unexpected(&other, "Ping")),
        }
    }

    /// The domain's usage as its guest sees it.
    pub fn stats(&self) -> Result<StatsReport, ClientError> {
        match self
            .shared
            .request(&Message::Stats, "Stats", self.timeout)?
        {
            Message::StatsReport(r) => Ok(r),
            other => Err(unexpected(&other, "Stats")),
        }
    }

    /// The container's processes, in the order the tether listed them.
    pub fn top(&self) -> Result<Vec<ProcessInfo>, ClientError> {
        let mut all = Vec::new();
        for m in self
            .shared
            .request_all(&Message::Top, "Top", self.timeout)?
        {
            match m {
                Message::Processes { processes, .. } => all.extend(processes),
                other => return Err(unexpected(&other, "Top")),
            }
        }
        Ok(all)
    }

    /// A path's metadata inside the container; `follow` follows its last
    /// component when that is a symbolic link. A path that does not exist
    /// is [`crate::message::PathKind::Absent`], not an error.
    pub fn path_stat(&self, path: &str, follow: bool) -> Result<PathInfo, ClientError> {
        let m = Message::PathStat {
            path: path.to_string(),
            follow,
        };
        match self.shared.request(&m, "PathStat", self.timeout)? {
            Message::PathInfo(info) => Ok(info),
            other => Err(unexpected(&other, "PathStat")),
        }
    }

    /// Start copying a path out of the container: the session's output is
    /// the tar stream (read it with [`CopyReader`]), ending with Exit on
    /// success or [`ClientError::CopyFailed`].
    pub fn copy_out(&self, req: CopyOutRequest) -> Result<Session, ClientError> {
        self.open(Message::CopyOut(req))
    }

    /// [`Client::copy_out`] of the path as the container's root
    /// filesystem alone holds it (version 6): nothing mounted in the
    /// container is entered, and a mount point shows what the root
    /// filesystem has beneath it. Read it with [`CopyReader`].
    pub fn copy_out_rootfs(&self, req: CopyOutRequest) -> Result<Session, ClientError> {
        self.open(Message::CopyOutRootfs(req))
    }

    /// Start extracting a tar stream into directory `path` of the
    /// container: write it with [`CopyWriter`], then
    /// [`CopyWriter::finish`].
    pub fn copy_in(&self, path: &str) -> Result<Session, ClientError> {
        self.open(Message::CopyIn {
            path: path.to_string(),
        })
    }
}

fn unexpected(m: &Message, request: &str) -> ClientError {
    ClientError::Protocol(format!("{} in answer to {request}", m.name()))
}

fn io_error(e: ClientError) -> io::Error {
    io::Error::other(e)
}

/// The tar stream of a CopyOut (or CopyOutRootfs) session, as a reader:
/// Stdout data in order, end of file at the session's Exit, an error at
/// CopyFailed.
#[derive(Debug)]
pub struct CopyReader<'a> {
    session: &'a Session,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
}

impl<'a> CopyReader<'a> {
    /// Read the output of `session`.
    pub fn new(session: &'a Session) -> Self {
        CopyReader {
            session,
            chunk: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

impl Read for CopyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.session.read_output().map_err(io_error)? {
                Some(Output::Stdout(d)) => {
                    self.chunk = d;
                    self.at = 0;
                }
                // A copy has no stderr; a tether that sends some is ignored.
                Some(Output::Stderr(_)) => {}
                None => self.done = true,
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The tar stream of a CopyIn session, as a writer: each write waits for
/// stdin credit. [`CopyWriter::finish`] ends the stream and waits for the
/// tether to have extracted it.
#[derive(Debug)]
pub struct CopyWriter<'a> {
    session: &'a Session,
}

impl<'a> CopyWriter<'a> {
    /// Write to the input of `session`.
    pub fn new(session: &'a Session) -> Self {
        CopyWriter { session }
    }

    /// End of the archive: CloseStdin, then the session's end: Ok once the
    /// tether extracted everything, [`ClientError::CopyFailed`] otherwise.
    pub fn finish(self) -> Result<(), ClientError> {
        self.session.close_stdin()?;
        let status = self.session.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(ClientError::Protocol(format!(
                "a copy ended with exit code {}",
                status.code
            )))
        }
    }
}

impl Write for CopyWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.session.write_stdin(buf).map_err(io_error)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
