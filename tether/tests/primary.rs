//! The primary process in serve mode (`--config`): wait_for_attach,
//! attach, PrimaryStatus and the exit broadcast, the CRI log, signal
//! forwarding, Shutdown; and `--listen` links that are independent.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use tether_protocol::Signal;
use tether_protocol::Versions;
use tether_protocol::client::{Client, Output};
use tether_protocol::config::{DomainConfig, PortSpec, ProcessConfig};
use tether_protocol::message::{AttachRequest, Message, PrimaryPhase};

fn write_config(dir: &Dir, process: ProcessConfig) -> String {
    let mut c = DomainConfig::new(TOKEN.to_vec(), PortSpec::File("/dev/null".into()));
    c.log = Some(PortSpec::File(dir.path("output.log")));
    c.process = process;
    let path = dir.path("config");
    std::fs::write(&path, c.encode()).unwrap();
    path
}

fn sh_process(script: &str) -> ProcessConfig {
    ProcessConfig {
        argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
        ..Default::default()
    }
}

fn attach_req(stdin: bool) -> AttachRequest {
    AttachRequest {
        stdin,
        rows: 0,
        cols: 0,
        window: tether_protocol::DEFAULT_WINDOW,
    }
}

#[test]
fn wait_for_attach_sees_all_output_and_exit_is_reported() {
    let dir = Dir::new("attach");
    let cfg = write_config(
        &dir,
        ProcessConfig {
            wait_for_attach: true,
            ..sh_process("echo first; echo second >&2; exit 5")
        },
    );
    let t = Tether::start(&["--config", &cfg]);
    let c = t.client();
    let before = c.primary_status().unwrap();
    assert_eq!(before.phase, PrimaryPhase::Waiting);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        c.primary_status().unwrap().phase,
        PrimaryPhase::Waiting,
        "must not start before attach"
    );
    let s = c.attach(attach_req(false)).unwrap();
    assert!(s.pid() > 0);
    let out = s.wait_with_output().unwrap();
    assert_eq!(out.stdout, b"first\n");
    assert_eq!(out.stderr, b"second\n");
    assert_eq!(out.status.code, 5);
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!(
        (st.phase, st.exit_code, st.signal, st.pid),
        (PrimaryPhase::Exited, 5, None, s.pid())
    );
    assert!(
        st.started_at > 0 && st.finished_at >= st.started_at,
        "{st:?}"
    );
    let log = std::fs::read_to_string(dir.path("output.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    // stdout and stderr are separate pipes: their relative order is not fixed.
    for want in [" stdout F first", " stderr F second"] {
        assert!(lines.iter().any(|l| l.ends_with(want)), "{want} in {log}");
    }
    for line in &lines {
        assert!(
            line.as_bytes()[4] == b'-' && line[..30].ends_with('Z'),
            "{line}"
        );
    }
    // The tether keeps serving after the primary exits (serve mode).
    c.ping().unwrap();
    let late = c.attach(attach_req(false)).unwrap();
    assert_eq!(late.wait().unwrap().code, 5);
}

#[test]
fn attached_stdin_reaches_the_primary_and_detach_leaves_it_running() {
    let dir = Dir::new("stdin");
    let cfg = write_config(
        &dir,
        ProcessConfig {
            wait_for_attach: true,
            stdin: true,
            ..sh_process("read line; echo got:$line; read again; echo again:$again")
        },
    );
    let t = Tether::start(&["--config", &cfg]);
    let c = t.client();
    let s = c.attach(attach_req(true)).unwrap();
    s.write_stdin(b"hello\n").unwrap();
    match s.read_output_timeout(Some(Duration::from_secs(5))).unwrap() {
        Some(Output::Stdout(d)) => assert_eq!(d, b"got:hello\n"),
        other => panic!("{other:?}"),
    }
    drop(s); // detach
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(c.primary_status().unwrap().phase, PrimaryPhase::Running);
    let s = c.attach(attach_req(true)).unwrap();
    s.write_stdin(b"world\n").unwrap();
    let out = s.wait_with_output().unwrap();
    assert_eq!(out.stdout, b"again:world\n");
    assert_eq!(out.status.code, 0);
}

#[test]
fn signals_to_the_tether_are_forwarded_to_the_primary() {
    let dir = Dir::new("forward");
    let cfg = write_config(
        &dir,
        sh_process("trap 'echo term; exit 9' TERM; echo up; while :; do sleep 0.05; done"),
    );
    let t = Tether::start(&["--config", &cfg]);
    let c = t.client();
    assert!(wait_for(Duration::from_secs(5), || {
        std::fs::read_to_string(dir.path("output.log"))
            .unwrap_or_default()
            .contains("stdout F up")
    }));
    // SAFETY: signalling the tether process this test started.
    unsafe { libc::kill(t.pid(), libc::SIGTERM) };
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!(st.exit_code, 9);
    let log = std::fs::read_to_string(dir.path("output.log")).unwrap();
    assert!(log.contains("stdout F term"), "{log}");
}

#[test]
fn shutdown_stops_the_primary_then_the_tether() {
    let dir = Dir::new("shutdown");
    let cfg = write_config(
        &dir,
        ProcessConfig {
            stop_signal: Signal::INT,
            ..sh_process("trap 'exit 42' INT; echo trapped; while :; do sleep 0.05; done")
        },
    );
    let mut t = Tether::start(&["--config", &cfg]);
    let c = t.client();
    assert!(wait_for(Duration::from_secs(5), || c
        .primary_status()
        .unwrap()
        .phase
        == PrimaryPhase::Running));
    assert!(wait_for(Duration::from_secs(5), || {
        std::fs::read_to_string(dir.path("output.log"))
            .unwrap_or_default()
            .contains("stdout F trapped")
    }));
    c.shutdown(None, Duration::from_secs(5)).unwrap();
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!(st.exit_code, 42, "the configured stop signal was used");
    assert!(wait_for(Duration::from_secs(5), || t
        .child
        .try_wait()
        .unwrap()
        .is_some()));
}

#[test]
fn shutdown_kills_a_primary_that_ignores_the_signal() {
    let dir = Dir::new("shutdown-kill");
    let cfg = write_config(
        &dir,
        sh_process("trap '' TERM; echo trapped; while :; do sleep 0.05; done"),
    );
    let t = Tether::start(&["--config", &cfg]);
    let c = t.client();
    assert!(wait_for(Duration::from_secs(5), || c
        .primary_status()
        .unwrap()
        .phase
        == PrimaryPhase::Running));
    assert!(wait_for(Duration::from_secs(5), || {
        std::fs::read_to_string(dir.path("output.log"))
            .unwrap_or_default()
            .contains("stdout F trapped")
    }));
    c.shutdown(Some(Signal::TERM), Duration::from_millis(300))
        .unwrap();
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!((st.exit_code, st.signal), (137, Some(Signal::KILL)));
}

fn connect_retry(addr: &str) -> TcpStream {
    for _ in 0..100 {
        if let Ok(s) = TcpStream::connect(addr) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tether did not listen on {addr}");
}

#[test]
fn listen_links_are_independent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let _tether = KillOnDrop(
        std::process::Command::new(tether_bin())
            .args([
                "serve",
                "--listen",
                &format!("tcp:{addr}"),
                "--token",
                &token_hex(),
            ])
            .spawn()
            .unwrap(),
    );
    let a = Client::connect_tcp(&connect_retry(&addr), TOKEN).unwrap();
    let sa = a
        .exec(tether_protocol::message::ExecRequest {
            stdin: true,
            ..sh("cat")
        })
        .unwrap();
    // A second link that breaks its framing.
    let mut b = connect_retry(&addr);
    b.write_all(
        &Message::Hello {
            versions: Versions::SUPPORTED,
            token: TOKEN.to_vec(),
        }
        .to_frame(0),
    )
    .unwrap();
    b.write_all(&[0xff; 16]).unwrap();
    b.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut r = tether_protocol::frame::FrameReader::new(b.try_clone().unwrap());
    let mut saw_reset = false;
    for _ in 0..5 {
        let f = r.read_frame(&|_| true).unwrap();
        if let Ok(Message::Reset { .. }) = Message::decode(f.kind, &f.payload) {
            saw_reset = true;
            break;
        }
    }
    assert!(saw_reset);
    drop(b);
    // The first link's session is untouched.
    sa.write_stdin(b"still here\n").unwrap();
    match sa
        .read_output_timeout(Some(Duration::from_secs(5)))
        .unwrap()
    {
        Some(Output::Stdout(d)) => assert_eq!(d, b"still here\n"),
        other => panic!("{other:?}"),
    }
    sa.close_stdin().unwrap();
    assert_eq!(sa.wait().unwrap().code, 0);
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_disconnected_listen_link_leaves_no_process_behind() {
    let dir = Dir::new("disconnect");
    let sock = dir.path("link.sock");
    let _tether = KillOnDrop(
        std::process::Command::new(tether_bin())
            .args([
                "serve",
                "--listen",
                &format!("unix:{sock}"),
                "--token",
                &token_hex(),
            ])
            .spawn()
            .unwrap(),
    );
    let mut stream = None;
    for _ in 0..100 {
        stream = std::os::unix::net::UnixStream::connect(&sock).ok();
        if stream.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let c = connect(&stream.expect("listening"), TOKEN).unwrap();
    let s = c
        .exec(tether_protocol::message::ExecRequest {
            tty: true,
            rows: 24,
            cols: 80,
            ..sh("sleep 100")
        })
        .unwrap();
    let pid = s.pid();
    assert!(pid_alive(pid));
    std::mem::forget(s); // no Close: the link itself goes away
    drop(c);
    assert!(
        wait_for(Duration::from_secs(5), || !pid_alive(pid)),
        "process {pid} outlived its link"
    );
}
