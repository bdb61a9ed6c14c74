//! Connecting a link session (an exec, or an attach to the primary process)
//! to this process's standard streams: stdin forwarded while the process
//! runs, stdout and stderr kept apart, the terminal in raw mode and its
//! size followed when a tty was asked for.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tether_protocol::client::{ClientError, Output, Session};

use crate::plumbing::error::{Error, Result};

/// The size of the terminal on `fd`, if it is one.
pub fn terminal_size(fd: i32) -> Option<(u16, u16)> {
    // SAFETY: a zeroed winsize is valid; TIOCGWINSZ only writes into it.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: ioctl with a valid pointer to a winsize.
    let rc = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_row > 0).then_some((ws.ws_row, ws.ws_col))
}

/// The terminal on stdin in raw mode until dropped.
struct RawMode {
    saved: libc::termios,
}

impl RawMode {
    fn enter() -> Option<RawMode> {
        // SAFETY: a zeroed termios is valid; tcgetattr fills it.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: tcgetattr on fd 0 with a valid pointer.
        if unsafe { libc::tcgetattr(0, &mut t) } != 0 {
            return None;
        }
        let saved = t;
        // SAFETY: cfmakeraw only edits the struct.
        unsafe { libc::cfmakeraw(&mut t) };
        // SAFETY: tcsetattr on fd 0 with a valid termios.
        if unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) } != 0 {
            return None;
        }
        Some(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restoring the attributes read in `enter`.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &self.saved) };
    }
}

/// How to connect a session.
#[derive(Debug, Clone, Copy)]
pub struct Streams {
    /// Forward our stdin to the process.
    pub stdin: bool,
    /// The process runs on a terminal: raw mode here, size followed.
    pub tty: bool,
}

/// A link failure once the process runs: vicport's own failure (125 for
/// `run` and `exec`), with the link's error as its cause.
fn link_error(e: ClientError) -> Error {
    Error::other(e.to_string()).caused_by(e)
}

/// Run `session` against our standard streams until it exits; returns its
/// exit code (128+N when killed by signal N).
pub fn pump(session: &Session, streams: Streams) -> Result<u8> {
    use std::io::IsTerminal;
    let _raw = (streams.tty && std::io::stdin().is_terminal())
        .then(RawMode::enter)
        .flatten();
    let done = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        if streams.stdin {
            scope.spawn(|| forward_stdin(session, &done));
        }
        if streams.tty {
            scope.spawn(|| follow_size(session, &done));
        }
        let out = copy_output(session);
        done.store(true, Ordering::SeqCst);
        out
    });
    result?;
    let status = session.wait().map_err(link_error)?;
    if session.oom_killed() {
        // The exit code alone (137) would read as any KILL.
        let _ = writeln!(
            std::io::stderr(),
            "vicport: the domain's out-of-memory killer killed the process (exit {}); give the domain more memory (--memory)",
            status.code
        );
    }
    Ok(status.code.clamp(0, 255) as u8)
}

fn copy_output(session: &Session) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr();
    while let Some(output) = session.read_output().map_err(link_error)? {
        let written = match output {
            Output::Stdout(data) => stdout.write_all(&data).and_then(|()| stdout.flush()),
            Output::Stderr(data) => stderr.write_all(&data).and_then(|()| stderr.flush()),
        };
        written.map_err(|e| Error::io("writing the process's output", e))?;
    }
    Ok(())
}

/// Forward stdin until it ends or the session is done; polls so that the
/// thread ends with the session even when stdin never does. (Also the OCI
/// shim's: its stdin is the engine's.)
pub fn forward_stdin(session: &Session, done: &AtomicBool) {
    let mut buf = vec![0u8; 32 * 1024];
    while !done.load(Ordering::SeqCst) {
        let mut pfd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, 100) };
        if ready <= 0 {
            continue;
        }
        // SAFETY: read into a buffer we own, of its length.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            let _ = session.close_stdin();
            return;
        }
        if session.write_stdin(&buf[..n as usize]).is_err() {
            return;
        }
    }
}

/// Send the terminal's size whenever it changes.
fn follow_size(session: &Session, done: &AtomicBool) {
    let mut last = None;
    while !done.load(Ordering::SeqCst) {
        let size = terminal_size(0).or_else(|| terminal_size(1));
        if size != last {
            if let Some((rows, cols)) = size {
                let _ = session.resize(rows, cols);
            }
            last = size;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
