//! The tether as a plain process (`tether serve --link-fd 3`) over a socket
//! pair: exec, stdio, tty, signals, concurrency, reaping, flow control, and
//! the link protocol's failure handling.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::*;
use tether_protocol::Signal;
use tether_protocol::client::{ClientError, Output};
use tether_protocol::message::{ExecRequest, ExitStatus, Message, kind};
use tether_protocol::{PROTOCOL_VERSION, Versions};

#[test]
fn exit_codes_pass_through() {
    let t = Tether::start(&[]);
    let c = t.client();
    for (script, code, signal) in [
        ("exit 0", 0, None),
        ("exit 7", 7, None),
        ("kill -9 $$", 137, Some(Signal::KILL)),
    ] {
        let s = c.exec(sh(script)).unwrap();
        assert_eq!(s.wait().unwrap(), ExitStatus { code, signal }, "{script}");
    }
}

#[test]
fn command_not_found_is_127() {
    let t = Tether::start(&[]);
    let c = t.client();
    for argv in [vec!["no-such-command-vicport"], vec!["/no/such/dir/prog"]] {
        let req = ExecRequest {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            ..sh("")
        };
        match c.exec(req) {
            Err(ClientError::ExecFailed { code, message }) => {
                assert_eq!(code, 127, "{message}");
                assert!(message.contains(argv[0]), "{message}");
            }
            other => panic!("{argv:?}: expected ExecFailed, got {other:?}"),
        }
    }
}

#[test]
fn found_but_not_executable_is_126() {
    let dir = std::env::temp_dir().join(format!("tether-126-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("not-executable");
    std::fs::write(&file, "#!/bin/sh\necho hi\n").unwrap();
    let t = Tether::start(&[]);
    let c = t.client();
    for path in [file.to_str().unwrap(), dir.to_str().unwrap()] {
        let req = ExecRequest {
            argv: vec![path.into()],
            ..sh("")
        };
        match c.exec(req) {
            Err(ClientError::ExecFailed { code, .. }) => assert_eq!(code, 126, "{path}"),
            other => panic!("{path}: expected ExecFailed 126, got {other:?}"),
        }
    }
    let bad_cwd = ExecRequest {
        cwd: "/no/such/dir".into(),
        ..sh("true")
    };
    assert!(matches!(
        c.exec(bad_cwd),
        Err(ClientError::ExecFailed { code: 126, .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_stdout_stderr_are_separate() {
    let t = Tether::start(&[]);
    let c = t.client();
    let req = ExecRequest {
        stdin: true,
        env: vec!["GREETING=hi there".into()],
        ..sh("echo out:$GREETING; echo err >&2; cat; echo after-eof")
    };
    let s = c.exec(req).unwrap();
    let big: Vec<u8> = (0..600_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    s.write_stdin(b"from stdin\n").unwrap();
    // Larger than the stdin window: exercises credit returning.
    let writer = {
        let big = big.clone();
        std::thread::scope(|sc| {
            let h = sc.spawn(|| {
                s.write_stdin(&big).unwrap();
                s.close_stdin().unwrap();
            });
            let out = s.wait_with_output().unwrap();
            h.join().unwrap();
            out
        })
    };
    assert_eq!(writer.status.code, 0);
    let mut expected = b"out:hi there\nfrom stdin\n".to_vec();
    expected.extend_from_slice(&big);
    expected.extend_from_slice(b"after-eof\n");
    assert_eq!(writer.stdout.len(), expected.len());
    assert!(writer.stdout == expected, "stdout differs");
    assert_eq!(writer.stderr, b"err\n");
}

fn read_until(s: &tether_protocol::client::Session, needle: &str) -> String {
    let mut text = String::new();
    let end = Instant::now() + Duration::from_secs(10);
    while !text.contains(needle) {
        assert!(
            Instant::now() < end,
            "timed out waiting for {needle:?}, got {text:?}"
        );
        match s
            .read_output_timeout(Some(Duration::from_secs(10)))
            .unwrap()
        {
            Some(Output::Stdout(d)) | Some(Output::Stderr(d)) => {
                text.push_str(&String::from_utf8_lossy(&d))
            }
            None => break,
        }
    }
    text
}

#[test]
fn tty_gets_size_and_resize() {
    let t = Tether::start(&[]);
    let c = t.client();
    let req = ExecRequest {
        tty: true,
        stdin: true,
        rows: 24,
        cols: 80,
        ..sh("tty; stty size; read x; stty size; echo to-stderr >&2; exit 3")
    };
    let s = c.exec(req).unwrap();
    let first = read_until(&s, "24 80");
    assert!(first.contains("/dev/pts/"), "{first:?}");
    s.resize(50, 132).unwrap();
    // Give the resize a moment to land before the shell reads the size.
    std::thread::sleep(Duration::from_millis(100));
    s.write_stdin(b"\n").unwrap();
    let rest = read_until(&s, "to-stderr");
    assert!(rest.contains("50 132"), "{rest:?}");
    assert_eq!(s.wait().unwrap().code, 3);
}

#[test]
fn signals_reach_the_process_group() {
    let t = Tether::start(&[]);
    let c = t.client();
    let s = c
        .exec(sh(
            "trap 'echo got-usr1; exit 3' USR1; echo ready; while :; do sleep 0.05; done",
        ))
        .unwrap();
    read_until(&s, "ready");
    s.signal(Signal::USR1).unwrap();
    let out = s.wait_with_output().unwrap();
    assert_eq!(out.status.code, 3);
    assert!(String::from_utf8_lossy(&out.stdout).contains("got-usr1"));
    let s = c.exec(sh("echo ready; sleep 30")).unwrap();
    read_until(&s, "ready");
    s.signal(Signal::TERM).unwrap();
    assert_eq!(
        s.wait().unwrap(),
        ExitStatus {
            code: 143,
            signal: Some(Signal::TERM)
        }
    );
}

#[test]
fn thirty_two_concurrent_sessions_get_their_own_output() {
    let t = Tether::start(&[]);
    let c = t.client();
    std::thread::scope(|sc| {
        let handles: Vec<_> = (0..32)
            .map(|n| {
                let c = &c;
                sc.spawn(move || {
                    let script = format!("i=0; while [ $i -lt 300 ]; do echo s{n}-$i; echo e{n}-$i >&2; i=$((i+1)); done; exit {n}");
                    let out = c.exec(sh(&script)).unwrap().wait_with_output().unwrap();
                    let want: String = (0..300).map(|i| format!("s{n}-{i}\n")).collect();
                    let want_err: String = (0..300).map(|i| format!("e{n}-{i}\n")).collect();
                    assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "session {n}");
                    assert_eq!(String::from_utf8(out.stderr).unwrap(), want_err, "session {n}");
                    assert_eq!(out.status.code, n);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
}

fn children_of(ppid: i32) -> Vec<(i32, char, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let comm = stat[stat.find('(').unwrap() + 1..close].to_string();
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        let state = fields[0].chars().next().unwrap_or('?');
        if fields[1].parse::<i32>() == Ok(ppid) {
            out.push((pid, state, comm));
        }
    }
    out
}

#[test]
fn orphans_are_reaped_no_zombies_remain() {
    let t = Tether::start(&[]);
    let c = t.client();
    // The inner shell backgrounds sleeps and exits at once: they are
    // orphaned and reparented to the tether (a subreaper in serve mode).
    let out = c
        .exec(sh(
            "sh -c 'sleep 0.4 >/dev/null 2>&1 & sleep 0.5 >/dev/null 2>&1 &'; echo spawned",
        ))
        .unwrap()
        .wait_with_output()
        .unwrap();
    assert_eq!(out.stdout, b"spawned\n");
    let adopted = children_of(t.pid());
    assert!(
        adopted
            .iter()
            .filter(|(_, _, comm)| comm == "sleep")
            .count()
            == 2,
        "the orphans should be the tether's children now: {adopted:?}"
    );
    std::thread::sleep(Duration::from_millis(900));
    let left = children_of(t.pid());
    assert!(
        left.iter().all(|(_, state, _)| *state != 'Z'),
        "zombies left: {left:?}"
    );
    assert!(left.is_empty(), "children left: {left:?}");
}

#[test]
fn a_slow_reader_does_not_stall_other_sessions() {
    let t = Tether::start(&[]);
    let c = t.client();
    let window = 64 * 1024;
    // Endless output that nobody reads.
    let flood = c
        .exec(ExecRequest {
            window,
            ..sh("exec yes flooding")
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    for i in 0..5 {
        let out = c
            .exec(sh(&format!("echo quick-{i}")))
            .unwrap()
            .wait_with_output()
            .unwrap();
        assert_eq!(out.stdout, format!("quick-{i}\n").as_bytes());
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "other sessions stalled: {:?}",
        start.elapsed()
    );
    // Memory stays bounded by the window: the tether sent no more than it.
    std::thread::sleep(Duration::from_millis(300));
    let buffered = flood.buffered();
    assert!(
        buffered > 0 && buffered <= window as usize,
        "buffered {buffered}"
    );
    // Reading grants credit: the flood flows again.
    for _ in 0..50 {
        flood.read_output().unwrap();
    }
    drop(flood);
    c.ping().unwrap();
}

#[test]
fn close_kills_the_process() {
    let t = Tether::start(&[]);
    let c = t.client();
    let s = c.exec(sh("sleep 100 & echo $!; wait")).unwrap();
    let pid = s.pid();
    let child_line = read_until(&s, "\n");
    let sleeper: u32 = child_line.trim().parse().unwrap();
    assert!(pid_alive(pid) && pid_alive(sleeper));
    drop(s); // sends Close
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)
        && !pid_alive(sleeper)));
    c.ping().unwrap();
}

#[test]
fn malformed_payload_errors_only_that_session() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.hello_ok();
    raw.exec_cat(1);
    // Signal with a 2-byte payload: well framed, bad body.
    raw.send_raw(kind::SIGNAL, 1, &[0, 1]);
    let (s, m) = raw.recv_until(|_, m| matches!(m, Message::Error { .. }));
    assert_eq!(s, 1);
    let Message::Error { message } = m else {
        unreachable!()
    };
    assert!(
        message.contains("Signal") && message.contains("session 1"),
        "{message}"
    );
    // An Exec with a truncated body on session 2.
    let mut bad = Message::Exec(sh("true")).encode_payload();
    bad.truncate(bad.len() - 3);
    raw.send_raw(kind::EXEC, 2, &bad);
    let (s, _) = raw.recv_until(|_, m| matches!(m, Message::Error { .. }));
    assert_eq!(s, 2);
    // Session 1 and the link still work.
    raw.echoes(1, b"still alive\n");
    raw.send(0, &Message::Ping { nonce: 9 });
    raw.recv_until(|_, m| *m == Message::Pong { nonce: 9 });
}

#[test]
fn oversized_frame_resets_and_a_new_hello_recovers() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.hello_ok();
    let pid = raw.exec(1, sh("sleep 100"));
    raw.w
        .write_all(&[0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0, 1])
        .unwrap();
    let (_, m) = raw.recv_until(|_, m| matches!(m, Message::Reset { .. }));
    let Message::Reset { reason } = m else {
        unreachable!()
    };
    assert!(reason.contains("exceeds"), "{reason}");
    // The old link's session was killed.
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)));
    raw.w.write_all(b"more trailing junk").unwrap();
    raw.hello_ok();
    let pid = raw.exec(7, sh("echo recovered"));
    assert!(pid > 0);
    let (_, m) = raw.recv_until(|s, m| s == 7 && matches!(m, Message::Stdout(_)));
    assert_eq!(m, Message::Stdout(b"recovered\n".to_vec()));
}

#[test]
fn garbage_before_hello_is_skipped() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    let (_, m) = raw.recv();
    assert_eq!(
        m,
        Message::Ready {
            version: PROTOCOL_VERSION
        }
    );
    raw.w
        .write_all(b"\x00\x00\x00\x10this is not a frame at all VICPORT\n")
        .unwrap();
    // A well-framed non-Hello before Hello is refused too: nothing runs.
    raw.send(3, &Message::Exec(sh("echo must-not-run")));
    raw.hello_ok();
    raw.send(0, &Message::Ping { nonce: 1 });
    let (_, m) = raw.recv_until(|_, m| !matches!(m, Message::Reset { .. }));
    assert_eq!(m, Message::Pong { nonce: 1 });
}

#[test]
fn wrong_token_and_wrong_version_are_refused() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    match raw.hello(b"not the token", Versions::SUPPORTED) {
        Message::Refused { reason } => assert!(reason.contains("token"), "{reason}"),
        m => panic!("{m:?}"),
    }
    // Nothing is accepted after a refusal.
    raw.send(1, &Message::Exec(sh("echo no")));
    let (_, m) = raw.recv();
    assert!(matches!(m, Message::Reset { .. }), "{m:?}");
    match raw.hello(TOKEN, Versions { min: 90, max: 99 }) {
        Message::Refused { reason } => {
            assert_eq!(
                reason,
                format!(
                    "no common protocol version: the client speaks 90..99, this tether speaks {}",
                    Versions::SUPPORTED
                )
            )
        }
        m => panic!("{m:?}"),
    }
    raw.hello_ok();
    // And through the client API.
    let err = connect(&t.stream, b"bad").unwrap_err();
    assert!(matches!(err, ClientError::Refused(_)), "{err:?}");
}

#[test]
fn hello_agrees_on_the_highest_common_version() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    // A client that also speaks versions this tether does not.
    let wide = Versions {
        min: 1,
        max: PROTOCOL_VERSION + 5,
    };
    match raw.hello(TOKEN, wide) {
        Message::HelloOk { version, .. } => assert_eq!(version, PROTOCOL_VERSION),
        m => panic!("{m:?}"),
    }
    assert_eq!(t.client().version(), PROTOCOL_VERSION);
}

#[test]
fn an_unknown_message_type_is_an_error_on_its_session_not_a_reset() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.hello_ok();
    raw.exec_cat(1);
    // A type from a later protocol version, with a body, on session 1 and
    // on the link itself.
    for session in [1, 0] {
        raw.send_raw(0x7e, session, b"from the future");
        let (s, m) =
            raw.recv_until(|_, m| matches!(m, Message::Error { .. } | Message::Reset { .. }));
        assert_eq!(s, session);
        let Message::Error { message } = m else {
            panic!("{m:?}")
        };
        assert!(
            message.contains("unknown message type 0x7e")
                && message.contains(&format!("protocol version {PROTOCOL_VERSION}")),
            "{message}"
        );
    }
    // The session and the link go on.
    raw.echoes(1, b"still here\n");
}

#[test]
fn a_second_hello_starts_a_new_link_and_kills_old_sessions() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.hello_ok();
    let pid = raw.exec(1, sh("sleep 100"));
    raw.hello_ok();
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)));
}

#[test]
fn a_detached_process_outlives_its_link_with_null_stdio() {
    let dir = Dir::new("detached");
    let t = Tether::start(&[]);
    let script = format!(
        "fds=\"$(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\"; \
         echo alive; sleep 0.5; echo \"$fds\" > {out}.part; mv {out}.part {out}",
        out = dir.path("out")
    );
    let mut raw = t.raw();
    raw.hello_ok();
    raw.send(6, &Message::ExecDetached(sh(&script), Default::default()));
    let pid = match raw.recv_until(|id, _| id == 6) {
        (_, Message::Started { pid, stdin_window }) => {
            assert_eq!(stdin_window, 0);
            pid
        }
        other => panic!("expected Started, got {other:?}"),
    };
    assert!(pid_alive(pid));
    // Its link goes (a second Hello ends every session of the first):
    // the process goes on, and ends on its own.
    raw.hello_ok();
    assert!(wait_for(Duration::from_secs(10), || std::path::Path::new(
        &dir.path("out")
    )
    .exists()));
    let fds = std::fs::read_to_string(dir.path("out")).unwrap();
    assert_eq!(fds, "/dev/null /dev/null /dev/null\n");
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)));
    assert!(
        children_of(t.pid()).is_empty(),
        "reaped: {:?}",
        children_of(t.pid())
    );
}

#[test]
fn a_detached_process_fails_as_exec_does_and_takes_no_terminal() {
    let t = Tether::start(&[]);
    let c = t.client();
    let missing = ExecRequest {
        argv: vec!["no-such-command-vicport".into()],
        ..sh("")
    };
    match c.exec_detached(missing, Default::default()) {
        Err(ClientError::ExecFailed { code: 127, message }) => {
            assert!(message.contains("no-such-command-vicport"), "{message}")
        }
        other => panic!("expected ExecFailed 127, got {other:?}"),
    }
    for req in [
        ExecRequest {
            tty: true,
            ..sh("true")
        },
        ExecRequest {
            stdin: true,
            ..sh("true")
        },
    ] {
        match c.exec_detached(req, Default::default()) {
            Err(ClientError::ExecFailed { code: 126, message }) => {
                assert!(message.contains("detached"), "{message}")
            }
            other => panic!("expected ExecFailed 126, got {other:?}"),
        }
    }
    // The request ended with its answer: the link serves on.
    c.ping().unwrap();
}

#[test]
fn stdin_beyond_the_window_is_a_session_error() {
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.hello_ok();
    let req = ExecRequest {
        stdin: true,
        ..sh("sleep 100")
    };
    raw.send(1, &Message::Exec(req));
    let (_, m) = raw.recv_until(|s, m| s == 1 && matches!(m, Message::Started { .. }));
    let Message::Started { pid, stdin_window } = m else {
        unreachable!()
    };
    // `sleep` never reads: at most one pipe buffer of credit comes back,
    // so twice the window is sure to overrun it.
    let chunk = vec![0u8; 60_000];
    let mut sent = 0;
    while sent <= 2 * stdin_window as usize {
        raw.send(1, &Message::Stdin(chunk.clone()));
        sent += chunk.len();
    }
    let (_, m) = raw.recv_until(|s, m| s == 1 && matches!(m, Message::Error { .. }));
    assert!(format!("{m:?}").contains("window"), "{m:?}");
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)));
    raw.send(0, &Message::Ping { nonce: 2 });
    raw.recv_until(|_, m| *m == Message::Pong { nonce: 2 });
}

#[test]
fn shutdown_ends_serve_mode() {
    let mut t = Tether::start(&[]);
    let c = t.client();
    let s = c.exec(sh("sleep 100")).unwrap();
    let pid = s.pid();
    c.shutdown(None, Duration::from_secs(1)).unwrap();
    let status = wait_for(Duration::from_secs(10), || {
        t.child.try_wait().unwrap().is_some()
    });
    assert!(status, "tether did not exit");
    assert!(wait_for(Duration::from_secs(5), || !pid_alive(pid)));
}

#[test]
fn a_read_timeout_on_the_stream_does_not_kill_the_client() {
    let t = Tether::start(&[]);
    let stream = t.stream.try_clone().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let c = connect(&stream, TOKEN).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    c.ping().unwrap();
    let out = c
        .exec(sh("sleep 0.2; echo late"))
        .unwrap()
        .wait_with_output()
        .unwrap();
    assert_eq!(out.stdout, b"late\n");
}

/// `--root DIR`: processes are chrooted into DIR and run as users from
/// DIR's /etc/passwd and /etc/group. Needs root and `busybox-static`.
#[test]
fn root_dir_chroots_and_switches_users() {
    assert_eq!(unsafe_geteuid(), 0, "this test needs root (chroot, setuid)");
    let busybox = std::path::Path::new("/bin/busybox");
    assert!(
        busybox.exists(),
        "this test needs busybox-static (/bin/busybox)"
    );
    let root = std::env::temp_dir().join(format!("tether-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for d in ["bin", "etc", "home/app", "work"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::copy(busybox, root.join("bin/busybox")).unwrap();
    for applet in ["sh", "id", "pwd", "ls", "echo"] {
        std::os::unix::fs::symlink("busybox", root.join("bin").join(applet)).unwrap();
    }
    std::fs::write(
        root.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(
        root.join("etc/group"),
        "root:x:0:\napp:x:1000:\nextra:x:2000:app\n",
    )
    .unwrap();
    std::fs::write(root.join("only-in-root"), "").unwrap();
    let t = Tether::start(&["--root", root.to_str().unwrap()]);
    let c = t.client();
    let req = ExecRequest {
        user: "app".into(),
        cwd: "/work".into(),
        ..sh("id -u; id -g; id -G; pwd; echo $HOME; ls /only-in-root")
    };
    let out = c.exec(req).unwrap().wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1000\n1000\n1000 2000\n/work\n/home/app\n/only-in-root\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let numeric = ExecRequest {
        user: "4242:77".into(),
        ..sh("id -u; id -g")
    };
    let out = c.exec(numeric).unwrap().wait_with_output().unwrap();
    assert_eq!(out.stdout, b"4242\n77\n");
    let unknown = ExecRequest {
        user: "nobody-here".into(),
        ..sh("true")
    };
    match c.exec(unknown) {
        Err(ClientError::ExecFailed { code, message }) => {
            assert_eq!(code, 126);
            assert!(message.contains("nobody-here"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    drop(c);
    drop(t);
    std::fs::remove_dir_all(&root).unwrap();
}

fn unsafe_geteuid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

#[test]
fn sigterm_stops_a_tether_without_a_running_primary() {
    let mut t = Tether::start(&[]);
    let c = t.client();
    let s = c.exec(sh("sleep 100")).unwrap();
    let pid = s.pid();
    // SAFETY: signalling the tether process this test started.
    unsafe { libc::kill(t.pid(), libc::SIGTERM) };
    assert!(wait_for(Duration::from_secs(5), || t
        .child
        .try_wait()
        .unwrap()
        .is_some()));
    assert!(
        wait_for(Duration::from_secs(5), || !pid_alive(pid)),
        "its sessions' processes are killed"
    );
}
