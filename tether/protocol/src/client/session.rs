//! One exec, attach or copy session of a [`Client`](super::Client): its
//! stdin within the tether's credit, its output in order and granted back
//! as it is read, its end, and Close when it is dropped.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::{ClientError, Shared, lock};
use crate::frame::MAX_DATA;
use crate::message::{CopyFailure, ExitStatus, Message, Stream};
use crate::signal::Signal;

/// Output of a session, in the order the tether sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Bytes from stdout (or the terminal).
    Stdout(Vec<u8>),
    /// Bytes from stderr.
    Stderr(Vec<u8>),
}

/// Everything a finished session produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionOutput {
    /// How it ended.
    pub status: ExitStatus,
    /// All stdout.
    pub stdout: Vec<u8>,
    /// All stderr.
    pub stderr: Vec<u8>,
}

#[derive(Debug, Default)]
pub(super) struct SState {
    pub(super) started: Option<Result<u32, ClientError>>,
    /// Started or CopyStarted arrived.
    pub(super) opened: bool,
    /// CopyFailed after CopyStarted: the session's end.
    pub(super) failed: Option<(CopyFailure, String)>,
    pub(super) events: VecDeque<Output>,
    pub(super) exit: Option<ExitStatus>,
    /// OomKilled came before the exit (version 4).
    pub(super) oom_killed: bool,
    pub(super) errors: Vec<String>,
    pub(super) stdin_credit: u64,
    pub(super) close_sent: bool,
}

#[derive(Debug, Default)]
pub(super) struct SessionShared {
    pub(super) st: Mutex<SState>,
    pub(super) cond: Condvar,
}

/// One exec, attach or copy session. Dropping it sends Close unless it
/// already ended (for an attach: detaches).
pub struct Session {
    pub(super) id: u32,
    pub(super) pid: u32,
    pub(super) link: Arc<Shared>,
    pub(super) s: Arc<SessionShared>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The session id on the link.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The process's pid in the guest.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub(super) fn forget(&self) {
        lock(&self.link.st).sessions.remove(&self.id);
        lock(&self.s.st).close_sent = true;
    }

    fn check_link(&self) -> Result<(), ClientError> {
        let st = lock(&self.link.st);
        if st.dead.is_some() {
            return Err(self.link.dead_error(&st));
        }
        Ok(())
    }

    /// Write to the process's stdin, waiting for credit as needed.
    pub fn write_stdin(&self, mut data: &[u8]) -> Result<(), ClientError> {
        while !data.is_empty() {
            let n = {
                let mut st = lock(&self.s.st);
                loop {
                    if st.exit.is_some() {
                        return Err(ClientError::Closed("the process has exited".into()));
                    }
                    if let Some((reason, message)) = &st.failed {
                        return Err(ClientError::CopyFailed {
                            reason: *reason,
                            message: message.clone(),
                        });
                    }
                    if let Some(e) = st.errors.first() {
                        return Err(ClientError::Remote(e.clone()));
                    }
                    if st.stdin_credit > 0 {
                        break;
                    }
                    self.check_link()?;
                    st = self
                        .s
                        .cond
                        .wait_timeout(st, Duration::from_millis(200))
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                let n = data.len().min(MAX_DATA).min(st.stdin_credit as usize);
                st.stdin_credit -= n as u64;
                n
            };
            self.link
                .send(self.id, &Message::Stdin(data[..n].to_vec()))?;
            data = &data[n..];
        }
        Ok(())
    }

    /// End of stdin (on a tty: the EOF character).
    pub fn close_stdin(&self) -> Result<(), ClientError> {
        self.link.send(self.id, &Message::CloseStdin)
    }

    /// New terminal size.
    pub fn resize(&self, rows: u16, cols: u16) -> Result<(), ClientError> {
        self.link.send(self.id, &Message::Resize { rows, cols })
    }

    /// Signal the session's process group (an attach: the primary).
    pub fn signal(&self, signal: Signal) -> Result<(), ClientError> {
        self.link.send(self.id, &Message::Signal { signal })
    }

    /// The exit status, if it has arrived.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        lock(&self.s.st).exit
    }

    /// Whether the guest's out-of-memory killer ended the process (the
    /// tether says so just before Exit; version 4).
    pub fn oom_killed(&self) -> bool {
        lock(&self.s.st).oom_killed
    }

    /// Output bytes received and not yet read (bounded by the window).
    pub fn buffered(&self) -> usize {
        lock(&self.s.st)
            .events
            .iter()
            .map(|o| match o {
                Output::Stdout(d) | Output::Stderr(d) => d.len(),
            })
            .sum()
    }

    /// Error frames the tether sent for this session.
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.s.st).errors)
    }

    /// The next output chunk, granting its credit back; `Ok(None)` once the
    /// process exited and all output was read.
    pub fn read_output(&self) -> Result<Option<Output>, ClientError> {
        self.read_output_timeout(None)
    }

    /// Like [`Session::read_output`], giving up with Timeout after `timeout`.
    pub fn read_output_timeout(
        &self,
        timeout: Option<Duration>,
    ) -> Result<Option<Output>, ClientError> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut st = lock(&self.s.st);
        loop {
            if let Some(o) = st.events.pop_front() {
                drop(st);
                let (stream, n) = match &o {
                    Output::Stdout(d) => (Stream::Stdout, d.len()),
                    Output::Stderr(d) => (Stream::Stderr, d.len()),
                };
                // Credit goes back as the caller consumes.
                let _ = self.link.send(
                    self.id,
                    &Message::Window {
                        stream,
                        bytes: n as u32,
                    },
                );
                return Ok(Some(o));
            }
            if st.exit.is_some() {
                return Ok(None);
            }
            if let Some((reason, message)) = &st.failed {
                return Err(ClientError::CopyFailed {
                    reason: *reason,
                    message: message.clone(),
                });
            }
            self.check_link()?;
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(ClientError::Timeout("session output".into()));
            }
            st = self
                .s
                .cond
                .wait_timeout(st, Duration::from_millis(200))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Wait for the exit, discarding output.
    pub fn wait(&self) -> Result<ExitStatus, ClientError> {
        while self.read_output()?.is_some() {}
        self.exit_status()
            .ok_or_else(|| ClientError::Protocol("no exit status".into()))
    }

    /// Wait for the exit, collecting output.
    pub fn wait_with_output(&self) -> Result<SessionOutput, ClientError> {
        let mut out = SessionOutput::default();
        while let Some(o) = self.read_output()? {
            match o {
                Output::Stdout(d) => out.stdout.extend(d),
                Output::Stderr(d) => out.stderr.extend(d),
            }
        }
        out.status = self
            .exit_status()
            .ok_or_else(|| ClientError::Protocol("no exit status".into()))?;
        Ok(out)
    }

    /// Abandon the session now: Close (the process group is killed).
    pub fn close(self) {}
}

impl Drop for Session {
    fn drop(&mut self) {
        let send_close = {
            let mut st = lock(&self.s.st);
            let send = !st.close_sent && st.exit.is_none() && st.failed.is_none();
            st.close_sent = true;
            send
        };
        lock(&self.link.st).sessions.remove(&self.id);
        if send_close {
            let _ = self.link.send(self.id, &Message::Close);
        }
    }
}
