//! One message of every type, with the values PROTOCOL.md's golden vectors
//! (§11) hold and the session each is framed on: the one list of them.
//! tests/golden.rs checks the document's bytes against it; the codec's
//! unit tests (src/message/tests.rs) round-trip and truncate it. Included
//! by `#[path]` in both; the includer names the protocol crate `protocol`.

use super::protocol::Signal;
use super::protocol::config::{Capabilities, InterfaceConfig, ProcessLimits, Rlimit};
use super::protocol::message::{
    AttachRequest, CopyFailure, CopyOutRequest, ExecRequest, ExitStatus, InterfaceDown,
    InterfaceUp, Message, PathInfo, PathKind, PrimaryPhase, PrimaryState, ProcessInfo, StatsReport,
    Stream,
};
use super::protocol::version::Versions;

/// What each vector in PROTOCOL.md §11 holds, as its prose says.
pub fn messages() -> Vec<(u32, Message)> {
    use Message as M;
    vec![
        (
            0,
            M::Hello {
                versions: Versions { min: 2, max: 3 },
                token: vec![0xde, 0xad, 0xbe, 0xef],
            },
        ),
        (
            0,
            M::HelloOk {
                version: 2,
                agent: "vicport tether 0.1.0".into(),
            },
        ),
        (
            0,
            M::Refused {
                reason: "wrong token for this domain".into(),
            },
        ),
        (0, M::Ready { version: 2 }),
        (
            0,
            M::Ping {
                nonce: 0x0102_0304_0506_0708,
            },
        ),
        (
            0,
            M::Pong {
                nonce: 0x0102_0304_0506_0708,
            },
        ),
        (
            0,
            M::Reset {
                reason: "oversized frame".into(),
            },
        ),
        (
            7,
            M::Error {
                message: "no session 7 on this link".into(),
            },
        ),
        (
            1,
            M::Exec(ExecRequest {
                argv: vec!["/bin/sh".into(), "-c".into(), "echo hi".into()],
                env: vec!["TERM=xterm".into()],
                cwd: "/tmp".into(),
                user: "1000:1000".into(),
                tty: true,
                rows: 24,
                cols: 80,
                stdin: true,
                window: 262_144,
            }),
        ),
        (
            2,
            M::Attach(AttachRequest {
                stdin: true,
                rows: 50,
                cols: 132,
                window: 65_536,
            }),
        ),
        (
            1,
            M::Started {
                pid: 77,
                stdin_window: 262_144,
            },
        ),
        (
            1,
            M::ExecFailed {
                code: 127,
                message: "not found".into(),
            },
        ),
        (1, M::Stdin(b"ls\n".to_vec())),
        (1, M::Stdout(b"hi\n".to_vec())),
        (1, M::Stderr(b"oops".to_vec())),
        (1, M::CloseStdin),
        (
            1,
            M::Resize {
                rows: 40,
                cols: 120,
            },
        ),
        (
            1,
            M::Signal {
                signal: Signal::TERM,
            },
        ),
        (
            1,
            M::Window {
                stream: Stream::Stdout,
                bytes: 4096,
            },
        ),
        (1, M::Close),
        (
            1,
            M::Exit(ExitStatus {
                code: 137,
                signal: Some(Signal::KILL),
            }),
        ),
        (3, M::PrimaryStatus),
        (
            3,
            M::PrimaryState(PrimaryState {
                phase: PrimaryPhase::Exited,
                pid: 42,
                exit_code: 3,
                signal: None,
                started_at: 1_764_356_821_123_456_789,
                finished_at: 1_764_356_822_000_000_000,
            }),
        ),
        (
            4,
            M::Shutdown {
                signal: None,
                timeout_ms: 10_000,
            },
        ),
        (4, M::ShutdownStarted),
        (5, M::Stats),
        (
            5,
            M::StatsReport(StatsReport {
                cpu_busy_ns: 1_500_000_000,
                cpu_total_ns: 8_000_000_000,
                cpus: 2,
                memory_used: 50 << 20,
                memory_limit: 512 << 20,
                net_rx: 1024,
                net_tx: 512,
                block_read: 4 << 20,
                block_write: 64 << 10,
                processes: 3,
            }),
        ),
        (6, M::Top),
        (
            6,
            M::Processes {
                more: false,
                processes: vec![ProcessInfo {
                    pid: 42,
                    ppid: 1,
                    uid: 0,
                    user: "root".into(),
                    cpu_time_ns: 20_000_000,
                    rss: 1 << 20,
                    command: "sh -c top".into(),
                }],
            },
        ),
        (
            7,
            M::PathStat {
                path: "/etc/hostname".into(),
                follow: true,
            },
        ),
        (
            7,
            M::PathInfo(PathInfo {
                kind: PathKind::File,
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: 4,
                mtime: 1_764_356_821_000_000_000,
                link_target: String::new(),
            }),
        ),
        (
            8,
            M::CopyOut(CopyOutRequest {
                path: "/etc".into(),
                name: "etc".into(),
                window: 262_144,
            }),
        ),
        (
            9,
            M::CopyIn {
                path: "/tmp".into(),
            },
        ),
        (
            9,
            M::CopyStarted {
                stdin_window: 262_144,
            },
        ),
        (
            8,
            M::CopyFailed {
                reason: CopyFailure::NotFound,
                message: "no such file or directory: /nope".into(),
            },
        ),
        (
            5,
            M::InterfaceUp(InterfaceUp {
                interface: InterfaceConfig {
                    mac: "00:50:56:aa:bb:cc".into(),
                    addresses: vec!["10.0.9.2/24".parse().unwrap()],
                    gateway: Some("10.0.9.1".parse().unwrap()),
                    routes: Vec::new(),
                    mtu: None,
                    dns: vec!["10.0.0.53".parse().unwrap()],
                    search: vec![],
                },
                hosts: vec!["10.0.9.3 db".parse().unwrap()],
                wait_ms: 30_000,
            }),
        ),
        (
            6,
            M::InterfaceDown(InterfaceDown {
                mac: "00:50:56:aa:bb:cc".into(),
                hosts: vec![],
            }),
        ),
        (
            7,
            M::HostsSet {
                hosts: vec![
                    "10.0.9.3 db".parse().unwrap(),
                    "10.0.9.4 cache".parse().unwrap(),
                ],
            },
        ),
        (
            5,
            M::NetworkApplied {
                interface: "eth1".into(),
            },
        ),
        (
            5,
            M::ExecLimited(
                ExecRequest {
                    argv: vec!["true".into()],
                    env: vec![],
                    cwd: String::new(),
                    user: "0:0".into(),
                    tty: false,
                    rows: 0,
                    cols: 0,
                    stdin: false,
                    window: 65_536,
                },
                ProcessLimits {
                    groups: vec![10],
                    rlimits: vec![Rlimit {
                        name: "NOFILE".into(),
                        soft: 1024,
                        hard: 4096,
                    }],
                    capabilities: Some(Capabilities {
                        bounding: vec!["CAP_KILL".into()],
                        ..Default::default()
                    }),
                    no_new_privileges: true,
                    oom_score_adj: Some(-500),
                },
            ),
        ),
        (1, M::OomKilled { pid: 91 }),
        (
            8,
            M::SignalAll {
                signal: Signal::TERM,
            },
        ),
        (8, M::SignalledAll { processes: 3 }),
        (
            10,
            M::CopyOutRootfs(CopyOutRequest {
                path: "/".into(),
                name: ".".into(),
                window: 262_144,
            }),
        ),
        (
            6,
            M::ExecDetached(
                ExecRequest {
                    argv: vec!["sleep".into(), "60".into()],
                    env: vec![],
                    cwd: "/".into(),
                    user: String::new(),
                    tty: false,
                    rows: 0,
                    cols: 0,
                    stdin: false,
                    window: 0,
                },
                ProcessLimits::default(),
            ),
        ),
    ]
}
