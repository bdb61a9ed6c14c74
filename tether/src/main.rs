//! The tether agent: PID 1 of every containerVM (`/init` in the boot
//! image), or `tether serve`, the link server as a plain process for tests.

use std::fs::File;
use std::io::{self, Write};
use std::net::TcpListener;
use std::os::fd::FromRawFd;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tether::agent::cri_log::{CriLog, WriteDebug};
use tether::agent::link_server::{OnEof, serve_link};
use tether::agent::netlive::{LiveNet, RecordedNet};
use tether::agent::pidns::{self, PidNamespace};
use tether::agent::primary::Primary;
use tether::agent::process::ExecRoot;
use tether::agent::reaper::{self, Reaper};
use tether::agent::session::spawn_thread;
use tether::agent::{Agent, Ending, kill_known, pid1, say};
use tether_protocol::config::{DomainConfig, PortSpec, hex_decode};
use tether_protocol::message::PrimaryState;

const USAGE: &str = "usage:
  tether                      run as PID 1 of a containerVM
  tether serve --link-fd N --token HEX [--config FILE] [--root DIR] [--log FILE] [--net-record FILE]
  tether serve --listen unix:PATH|tcp:HOST:PORT|serial-tcp:HOST:PORT --token HEX [--config FILE] [--root DIR] [--log FILE] [--net-record FILE]
  tether --version";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // SAFETY: getpid has no preconditions.
    let pid1 = unsafe { libc::getpid() } == 1;
    match args.first().map(String::as_str) {
        _ if pid1 => pid1::run(),
        Some("serve") => match parse_serve(&args[1..]) {
            Ok(opts) => serve(opts),
            Err(e) => {
                let _ = writeln!(io::stderr(), "tether serve: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("--version") => {
            let _ = writeln!(io::stdout(), "tether {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            let _ = writeln!(io::stderr(), "{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[derive(Debug)]
enum Listen {
    Fd(i32),
    Unix(PathBuf),
    Tcp(String),
    /// One link shared by every TCP client, like a serial line.
    SerialTcp(String),
}

#[derive(Debug)]
struct ServeOpts {
    listen: Listen,
    token: Vec<u8>,
    config: Option<DomainConfig>,
    root: Option<PathBuf>,
    log: Option<PathBuf>,
    net_record: Option<PathBuf>,
}

fn parse_serve(args: &[String]) -> Result<ServeOpts, String> {
    let mut listen = None;
    let mut token = None;
    let mut config = None;
    let mut root = None;
    let mut log = None;
    let mut net_record = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--link-fd" => {
                let v = val()?;
                listen = Some(Listen::Fd(
                    v.parse()
                        .map_err(|_| format!("--link-fd {v} is not a number"))?,
                ));
            }
            "--listen" => {
                let v = val()?;
                listen = Some(if let Some(p) = v.strip_prefix("unix:") {
                    Listen::Unix(p.into())
                } else if let Some(a) = v.strip_prefix("tcp:") {
                    Listen::Tcp(a.into())
                } else if let Some(a) = v.strip_prefix("serial-tcp:") {
                    Listen::SerialTcp(a.into())
                } else {
                    return Err(format!(
                        "--listen {v}: expected unix:PATH, tcp:HOST:PORT or serial-tcp:HOST:PORT"
                    ));
                });
            }
            "--token" => token = Some(hex_decode(&val()?).map_err(|e| format!("--token: {e}"))?),
            "--config" => {
                let path = val()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read config {path}: {e}"))?;
                config = Some(DomainConfig::decode(&text).map_err(|e| format!("{path}: {e}"))?);
            }
            "--root" => root = Some(PathBuf::from(val()?)),
            "--log" => log = Some(PathBuf::from(val()?)),
            "--net-record" => net_record = Some(PathBuf::from(val()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(ServeOpts {
        listen: listen.ok_or("one of --link-fd or --listen is required")?,
        token: token.ok_or("--token is required")?,
        config,
        root,
        log,
        net_record,
    })
}

/// Serve mode: no mounts, no power-off; ending the domain exits the process.
#[derive(Debug)]
struct ServeEnding;

impl Ending for ServeEnding {
    fn primary_exited(&self, _agent: &Arc<Agent>, _state: PrimaryState) {}

    fn finish(&self, agent: &Agent) -> ! {
        kill_known(&agent.reaper, Duration::from_millis(500));
        std::process::exit(0)
    }
}

fn serve(opts: ServeOpts) -> ExitCode {
    if let Err(e) = reaper::block_signals() {
        say(&format!("cannot block signals: {e}"));
        return ExitCode::FAILURE;
    }
    if let Err(e) = reaper::become_subreaper() {
        say(&format!("cannot become a subreaper: {e}"));
    }
    let reaper = Arc::new(Reaper::new());
    let root = match &opts.root {
        Some(p) => ExecRoot {
            path: p.clone(),
            chroot: true,
            ..ExecRoot::host()
        },
        None => ExecRoot::host(),
    };
    // The config's user and pid namespaces, as PID 1 gives them (a pid
    // namespace only in a root of its own, whose /proc its init mounts;
    // serve mode makes no other mounts, so none are made again on it).
    let root = match &opts.config {
        Some(c) => ExecRoot {
            uid_map: c.uid_map.clone(),
            gid_map: c.gid_map.clone(),
            pid_ns: (c.pid_namespace && root.chroot).then(|| {
                Arc::new(PidNamespace::new(pidns::proc_mounts(
                    &root.path.to_string_lossy(),
                    &c.mounts,
                    &[],
                )))
            }),
            ..root
        },
        None => root,
    };
    let primary =
        opts.config
            .as_ref()
            .filter(|c| !c.process.argv.is_empty())
            .map(|c| {
                let log_path = opts.log.clone().or(match &c.log {
                    Some(PortSpec::File(p)) => Some(PathBuf::from(p)),
                    _ => None,
                });
                let log = log_path.and_then(|p| {
                    match File::options().create(true).append(true).open(&p) {
                        Ok(f) => Some(CriLog::new(Box::new(f) as Box<dyn WriteDebug>)),
                        Err(e) => {
                            say(&format!("cannot open log {}: {e}", p.display()));
                            None
                        }
                    }
                });
                Primary::new(c.process.clone(), root.clone(), reaper.clone(), log)
            });
    let agent = Agent::new(
        opts.token.clone(),
        root,
        reaper.clone(),
        primary.clone(),
        Box::new(ServeEnding),
    );
    if let Some(record) = &opts.net_record {
        // A stand-in for a guest's interfaces: what the tether would do is
        // recorded, the host's interfaces are left alone.
        let config = opts.config.as_ref();
        agent.set_network(LiveNet::new(
            Arc::new(RecordedNet::new(record.clone())),
            Some(String::new()),
            config.map(|c| c.hostname.clone()).unwrap_or_default(),
            config.map(|c| c.interfaces.clone()).unwrap_or_default(),
            config.map(|c| c.hosts.clone()).unwrap_or_default(),
            config.map(|c| c.dns.clone()).unwrap_or_default(),
        ));
    }
    {
        let agent = agent.clone();
        spawn_thread("signals", move || {
            reaper::run_signal_loop(&agent.reaper.clone(), &|sig| agent.forward_signal(sig))
        });
    }
    if let Some(p) = &primary {
        if !p.waits_for_attach() {
            let _ = p.start();
        }
    }
    match opts.listen {
        Listen::Fd(fd) => {
            // SAFETY: the caller handed us this descriptor to own.
            let file = unsafe { File::from_raw_fd(fd) };
            // SAFETY: F_SETFD on a descriptor we own.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
            let writer = match file.try_clone() {
                Ok(w) => w,
                Err(e) => {
                    say(&format!("--link-fd {fd}: {e}"));
                    return ExitCode::FAILURE;
                }
            };
            serve_link(&agent, file, Box::new(writer), OnEof::Return);
            agent.finish()
        }
        Listen::Unix(path) => {
            let _ = std::fs::remove_file(&path);
            match UnixListener::bind(&path) {
                Ok(l) => accept_loop(
                    &agent,
                    l.incoming()
                        .map(|c| c.and_then(|s| Ok((s.try_clone()?, s)))),
                ),
                Err(e) => {
                    say(&format!("cannot listen on {}: {e}", path.display()));
                    ExitCode::FAILURE
                }
            }
        }
        Listen::SerialTcp(addr) => match TcpListener::bind(&addr) {
            Ok(l) => serial_line(&agent, l),
            Err(e) => {
                say(&format!("cannot listen on {addr}: {e}"));
                ExitCode::FAILURE
            }
        },
        Listen::Tcp(addr) => match TcpListener::bind(&addr) {
            Ok(l) => accept_loop(
                &agent,
                l.incoming()
                    .map(|c| c.and_then(|s| Ok((s.try_clone()?, s)))),
            ),
            Err(e) => {
                say(&format!("cannot listen on {addr}: {e}"));
                ExitCode::FAILURE
            }
        },
    }
}

/// One link on a line shared by every TCP client, as a network-backed
/// serial port may be: each client's bytes go onto the line, and what the
/// tether writes reaches every client connected then.
fn serial_line(agent: &Arc<Agent>, listener: TcpListener) -> ExitCode {
    let (line, feed) = match std::os::unix::net::UnixStream::pair() {
        Ok(p) => p,
        Err(e) => {
            say(&format!("cannot make the line: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let clients: Arc<Mutex<Vec<std::net::TcpStream>>> = Arc::default();
    {
        let clients = clients.clone();
        spawn_thread("line-accept", move || {
            for conn in listener.incoming().flatten() {
                let (Ok(mut input), Ok(mut feed)) = (conn.try_clone(), feed.try_clone()) else {
                    continue;
                };
                clients.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
                spawn_thread("line-in", move || {
                    let _ = io::copy(&mut input, &mut feed);
                });
            }
        });
    }
    serve_link(agent, line, Box::new(Line(clients)), OnEof::Retry);
    agent.finish()
}

/// The tether's side of the shared line: a write reaches every client.
#[derive(Debug)]
struct Line(Arc<Mutex<Vec<std::net::TcpStream>>>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut clients = self.0.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|c| c.write_all(buf).is_ok());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn accept_loop<S>(agent: &Arc<Agent>, conns: impl Iterator<Item = io::Result<(S, S)>>) -> ExitCode
where
    S: io::Read + Write + Send + 'static,
{
    for conn in conns {
        match conn {
            Ok((r, w)) => {
                let agent = agent.clone();
                spawn_thread("link", move || {
                    serve_link(&agent, r, Box::new(w), OnEof::Return)
                });
            }
            Err(e) => say(&format!("accept failed: {e}")),
        }
    }
    ExitCode::SUCCESS
}
