//! Test helpers: a tether in serve mode on one end of a socket pair, a
//! link client on the other, and a raw frame-level link for protocol tests.
#![allow(dead_code)]

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tether_protocol::Versions;
use tether_protocol::client::{Client, ClientError};
use tether_protocol::frame::{FrameReader, write_frame};
use tether_protocol::message::{ExecRequest, Message, kind};

pub const TOKEN: &[u8] = &[0x70, 0x61, 0x73, 0x73, 0x00, 0xff];

pub fn token_hex() -> String {
    TOKEN.iter().map(|b| format!("{b:02x}")).collect()
}

/// The binary under test: `TETHER_BIN` (e.g. the static release build),
/// else the one cargo built for this test run.
pub fn tether_bin() -> String {
    std::env::var("TETHER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_tether").to_string())
}

/// A `tether serve --link-fd 3` process and our end of its link.
pub struct Tether {
    pub child: Child,
    pub stream: UnixStream,
}

impl Tether {
    pub fn start(extra: &[&str]) -> Tether {
        let (ours, theirs) = UnixStream::pair().expect("socketpair");
        let fd = theirs.as_raw_fd();
        let mut cmd = Command::new(tether_bin());
        cmd.args(["serve", "--link-fd", "3", "--token", &token_hex()])
            .args(extra)
            .stdin(Stdio::null());
        // SAFETY: dup2 and signal are async-signal-safe; dup2 clears
        // CLOEXEC on fd 3.
        unsafe {
            cmd.pre_exec(move || {
                if libc::dup2(fd, 3) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // Start the tether as a background shell job would: with
                // SIGINT and SIGQUIT ignored. The processes it starts must
                // still get default dispositions (a regression: a primary
                // could not trap its stop signal under CI's shell).
                libc::signal(libc::SIGINT, libc::SIG_IGN);
                libc::signal(libc::SIGQUIT, libc::SIG_IGN);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn tether");
        drop(theirs);
        Tether {
            child,
            stream: ours,
        }
    }

    pub fn client(&self) -> Client {
        connect(&self.stream, TOKEN).expect("connect")
    }

    pub fn raw(&self) -> RawLink {
        let s = self.stream.try_clone().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        RawLink {
            w: s.try_clone().unwrap(),
            r: FrameReader::new(s),
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }
}

impl Drop for Tether {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Frame-level access to a link.
pub struct RawLink {
    pub w: UnixStream,
    pub r: FrameReader<UnixStream>,
}

impl RawLink {
    pub fn send(&mut self, session: u32, m: &Message) {
        self.w.write_all(&m.to_frame(session)).unwrap();
    }

    pub fn send_raw(&mut self, kind: u8, session: u32, payload: &[u8]) {
        write_frame(&mut self.w, kind, session, payload).unwrap();
    }

    pub fn recv(&mut self) -> (u32, Message) {
        let f = self.r.read_frame(&|_| true).expect("read frame");
        (
            f.session,
            Message::decode(f.kind, &f.payload).expect("decode"),
        )
    }

    /// Receive until `pred` matches, returning what matched.
    pub fn recv_until(&mut self, mut pred: impl FnMut(u32, &Message) -> bool) -> (u32, Message) {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            assert!(Instant::now() < end, "timed out waiting for a frame");
            let (s, m) = self.recv();
            if pred(s, &m) {
                return (s, m);
            }
        }
    }

    pub fn hello(&mut self, token: &[u8], versions: Versions) -> Message {
        self.send(
            0,
            &Message::Hello {
                versions,
                token: token.to_vec(),
            },
        );
        self.recv_until(|_, m| matches!(m, Message::HelloOk { .. } | Message::Refused { .. }))
            .1
    }

    pub fn hello_ok(&mut self) {
        let m = self.hello(TOKEN, Versions::SUPPORTED);
        assert!(matches!(m, Message::HelloOk { .. }), "{m:?}");
    }

    /// `cat` with stdin open on `session`, started.
    pub fn exec_cat(&mut self, session: u32) -> u32 {
        let req = ExecRequest {
            stdin: true,
            ..sh("cat")
        };
        self.exec(session, req)
    }

    /// Send `text` to `session`'s stdin and see it come back on stdout (a
    /// `cat` session still works).
    pub fn echoes(&mut self, session: u32, text: &[u8]) {
        self.send(session, &Message::Stdin(text.to_vec()));
        let (_, m) = self.recv_until(|s, m| s == session && matches!(m, Message::Stdout(_)));
        assert_eq!(m, Message::Stdout(text.to_vec()));
    }

    /// Exec and wait for Started; returns the pid.
    pub fn exec(&mut self, session: u32, req: ExecRequest) -> u32 {
        self.send(session, &Message::Exec(req));
        match self
            .recv_until(|s, m| {
                s == session
                    && matches!(
                        m,
                        Message::Started { .. }
                            | Message::ExecFailed { .. }
                            | Message::Error { .. }
                    )
            })
            .1
        {
            Message::Started { pid, .. } => pid,
            other => panic!("exec failed: {other:?}"),
        }
    }
}

/// A link client over a unix socket: its clones as the halves, and a
/// shutdown that unblocks the client's reader when it is dropped.
pub fn connect(stream: &UnixStream, token: &[u8]) -> Result<Client, ClientError> {
    let (reader, writer, closer) = (
        stream.try_clone()?,
        stream.try_clone()?,
        stream.try_clone()?,
    );
    Client::from_halves_with_shutdown(reader, writer, token, move || {
        let _ = closer.shutdown(std::net::Shutdown::Both);
    })
}

pub fn sh(script: &str) -> ExecRequest {
    ExecRequest {
        argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
        window: tether_protocol::DEFAULT_WINDOW,
        ..Default::default()
    }
}

pub fn pid_alive(pid: u32) -> bool {
    // A zombie still has /proc/<pid>; count it as gone only when reaped.
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

pub fn wait_for(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

pub const KIND_EXEC: u8 = kind::EXEC;

/// A fresh directory under the temp dir for one test, removed on drop.
pub struct Dir(pub std::path::PathBuf);

impl Dir {
    pub fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("tether-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    /// A path in it, as a string.
    pub fn path(&self, f: &str) -> String {
        self.0.join(f).to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
