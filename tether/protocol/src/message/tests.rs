//! The codec's own tests: every message round-trips, truncations and bad
//! values are errors, no payload makes the decoder panic, and relays know
//! where exchanges open and end (the golden vectors are in
//! tests/golden.rs; the list of one message of every type is shared with
//! it, tests/golden/messages.rs).

use super::*;
use crate::config::{Capabilities, ProcessLimits, Rlimit};
use crate::frame::{MAX_DATA, MAX_PAYLOAD};

use crate as protocol;
#[path = "../../tests/golden/messages.rs"]
mod golden;

/// One message of every type: PROTOCOL.md's, from the one list the
/// golden test checks the document against.
fn every_message() -> Vec<Message> {
    golden::messages().into_iter().map(|(_, m)| m).collect()
}

/// Values at edges the documented ones do not reach: the largest data
/// frame, empty and non-ASCII bytes, maximal numbers, the other variants
/// of enums, IPv6, several processes and every capability set.
fn extremes() -> Vec<Message> {
    use Message as M;
    vec![
        M::Ping { nonce: u64::MAX },
        M::ExecLimited(
            ExecRequest {
                argv: vec!["sh".into()],
                user: "1000:1000".into(),
                window: 1,
                ..Default::default()
            },
            ProcessLimits {
                groups: vec![10, 20],
                rlimits: vec![Rlimit {
                    name: "NOFILE".into(),
                    soft: 1,
                    hard: u64::MAX,
                }],
                capabilities: Some(Capabilities {
                    bounding: vec!["CAP_KILL".into(), "CAP_CHOWN".into()],
                    effective: vec!["CAP_KILL".into()],
                    inheritable: vec![],
                    permitted: vec!["CAP_KILL".into()],
                    ambient: vec!["CAP_KILL".into()],
                }),
                no_new_privileges: true,
                oom_score_adj: Some(-1000),
            },
        ),
        M::Stdout(vec![0; MAX_DATA]),
        M::Stderr(vec![]),
        M::Resize {
            rows: 65535,
            cols: 1,
        },
        M::Window {
            stream: Stream::Stderr,
            bytes: 4096,
        },
        M::PrimaryState(PrimaryState {
            phase: PrimaryPhase::Exited,
            pid: 9,
            exit_code: 3,
            signal: None,
            started_at: 1,
            finished_at: u64::MAX,
        }),
        M::StatsReport(StatsReport {
            cpu_busy_ns: 1,
            cpu_total_ns: u64::MAX,
            cpus: 2,
            memory_used: 3,
            memory_limit: 4,
            net_rx: 5,
            net_tx: 6,
            block_read: 7,
            block_write: 8,
            processes: 9,
        }),
        M::Processes {
            more: true,
            processes: vec![
                ProcessInfo {
                    pid: 1,
                    ppid: 0,
                    uid: 0,
                    user: "root".into(),
                    cpu_time_ns: 10,
                    rss: 4096,
                    command: "sh -c echo ü".into(),
                },
                ProcessInfo::default(),
            ],
        },
        M::PathInfo(PathInfo {
            kind: PathKind::Symlink,
            mode: 0o7777,
            uid: 1000,
            gid: 100,
            size: 11,
            mtime: 1,
            link_target: "../x".into(),
        }),
        M::CopyOut(CopyOutRequest {
            path: "/etc".into(),
            name: ".".into(),
            window: 1,
        }),
        M::CopyOutRootfs(CopyOutRequest {
            path: "ü/..".into(),
            name: "ü".into(),
            window: u32::MAX,
        }),
        M::ExecDetached(
            ExecRequest {
                argv: vec!["ü".into(), String::new()],
                env: vec!["=".into()],
                ..Default::default()
            },
            ProcessLimits {
                oom_score_adj: Some(-1000),
                ..Default::default()
            },
        ),
        M::CopyFailed {
            reason: CopyFailure::Conflict,
            message: "no".into(),
        },
        M::InterfaceUp(InterfaceUp {
            interface: crate::config::InterfaceConfig {
                mac: "00:50:56:aa:bb:cc".into(),
                addresses: vec![
                    "10.0.9.2/24".parse().unwrap(),
                    "fd00::2/64".parse().unwrap(),
                ],
                gateway: Some("10.0.9.1".parse().unwrap()),
                routes: Vec::new(),
                mtu: None,
                dns: vec!["10.0.0.53".parse().unwrap()],
                search: vec!["example.test".into()],
            },
            hosts: vec!["10.0.9.3 db db.example.test".parse().unwrap()],
            wait_ms: 30_000,
        }),
        M::HostsSet {
            hosts: vec![
                "10.0.9.3 db".parse().unwrap(),
                "fd00::3 db6".parse().unwrap(),
            ],
        },
    ]
}

#[test]
fn exec_limited_checks_its_limits_as_the_config_does() {
    let plain = Message::ExecLimited(ExecRequest::default(), ProcessLimits::default());
    let p = plain.encode_payload();
    assert_eq!(Message::decode(kind::EXEC_LIMITED, &p).unwrap(), plain);
    let bad = |l: ProcessLimits| {
        let p = Message::ExecLimited(ExecRequest::default(), l).encode_payload();
        Message::decode(kind::EXEC_LIMITED, &p).unwrap_err()
    };
    let rlimit = |name: &str, soft, hard| ProcessLimits {
        rlimits: vec![Rlimit {
            name: name.into(),
            soft,
            hard,
        }],
        ..Default::default()
    };
    assert!(matches!(
        bad(rlimit("NOFILE", 2, 1)),
        DecodeError::Invalid(_)
    ));
    assert!(matches!(
        bad(rlimit("nofile", 1, 1)),
        DecodeError::Invalid(_)
    ));
    let caps = ProcessLimits {
        capabilities: Some(Capabilities {
            ambient: vec!["KILL".into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    assert!(matches!(bad(caps), DecodeError::Invalid(_)));
    let oom = ProcessLimits {
        oom_score_adj: Some(1001),
        ..Default::default()
    };
    assert!(matches!(bad(oom), DecodeError::Invalid(_)));
    // An absent adjustment is 0: any other value would decode to a message
    // that encodes differently (found by the link_frames fuzz target).
    let mut p = plain.encode_payload();
    let last = p.len() - 1;
    p[last] = 0xfb;
    assert!(matches!(
        Message::decode(kind::EXEC_LIMITED, &p),
        Err(DecodeError::Invalid(_))
    ));
    // A count larger than the payload could hold is refused before
    // anything is allocated.
    let mut p = plain.encode_payload();
    let groups_at = p.len() - 4 - 4 - 1 - 1 - 1 - 4;
    p[groups_at..groups_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        Message::decode(kind::EXEC_LIMITED, &p),
        Err(DecodeError::Truncated("groups"))
    ));
}

#[test]
fn every_message_round_trips_and_has_a_known_kind() {
    let all = every_message();
    let mut kinds: Vec<u8> = all.iter().map(|m| m.kind()).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), all.len(), "type numbers must be distinct");
    let known: Vec<u8> = (0..=u8::MAX).filter(|&k| is_known_kind(k)).collect();
    assert_eq!(kinds, known, "one message of every known type");
    for m in all.into_iter().chain(extremes()) {
        assert!(is_known_kind(m.kind()), "{}", m.name());
        let since = introduced_in(m.kind()).unwrap();
        assert!(
            (1..=crate::version::PROTOCOL_VERSION).contains(&since),
            "{} is introduced in version {since}",
            m.name()
        );
        assert_ne!(kind_name(m.kind()), "unknown");
        let p = m.encode_payload();
        assert!(p.len() <= MAX_PAYLOAD);
        assert_eq!(Message::decode(m.kind(), &p).unwrap(), m);
    }
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    for m in every_message().into_iter().chain(extremes()) {
        let p = m.encode_payload();
        for cut in 0..p.len() {
            if let Ok(d) = Message::decode(m.kind(), &p[..cut]) {
                panic!("{} decoded from a truncated payload: {d:?}", m.name());
            }
        }
        let mut longer = p.clone();
        longer.push(0);
        let want = if longer.len() > MAX_PAYLOAD {
            Err(DecodeError::Invalid(format!(
                "payload of {} bytes exceeds {MAX_PAYLOAD}",
                longer.len()
            )))
        } else {
            Err(DecodeError::Trailing(1))
        };
        assert_eq!(Message::decode(m.kind(), &longer), want, "{}", m.name());
    }
}

#[test]
fn huge_lengths_and_counts_do_not_allocate() {
    // argv count of 4 billion with 8 bytes behind it.
    let mut p = vec![0xff, 0xff, 0xff, 0xff];
    p.extend_from_slice(&[0; 8]);
    assert!(matches!(
        Message::decode(kind::EXEC, &p),
        Err(DecodeError::Truncated("argv"))
    ));
    assert!(matches!(
        Message::decode(kind::STDIN, &[0xff, 0xff, 0xff, 0xff, 1]),
        Err(DecodeError::Truncated("data"))
    ));
    assert!(Message::decode(kind::STDIN, &vec![0; MAX_PAYLOAD + 1]).is_err());
}

#[test]
fn invalid_fields_are_rejected() {
    assert!(Message::decode(kind::HELLO, b"VICPORX\0\0\0\x02\0\0\0\x02\0\0\0\0").is_err());
    assert!(Message::decode(kind::HELLO, b"VICPORT\0\0\0\x02\0\0\0\x02\0\0\0\0").is_ok());
    assert!(Message::decode(kind::HELLO, b"VICPORT\0\0\0\x03\0\0\0\x02\0\0\0\0").is_err());
    assert!(Message::decode(kind::WINDOW, &[9, 0, 0, 0, 1]).is_err());
    assert!(Message::decode(kind::RESIZE, &[0, 1, 0, 0, 0, 0, 0, 1]).is_err());
    assert!(Message::decode(kind::ERROR, &[0, 0, 0, 2, 0xff, 0xfe]).is_err());
    assert_eq!(
        Message::decode(0x7f, &[]),
        Err(DecodeError::UnknownKind(0x7f))
    );
    assert_eq!(introduced_in(0x7f), None);
    assert_eq!(introduced_in(0x09), None);
    let rt = Message::Shutdown {
        signal: Some(Signal::RTMAX),
        timeout_ms: 0,
    };
    assert_eq!(
        Message::decode(kind::SHUTDOWN, &rt.encode_payload()),
        Ok(rt)
    );
    // Signal numbers that are no protocol signal; 0 only where it
    // means "none".
    for n in [0i32, 32, 33, 65, -1] {
        let p = n.to_be_bytes();
        assert!(Message::decode(kind::SIGNAL, &p).is_err(), "{n}");
        let exit = [&[0, 0, 0, 1][..], &p].concat();
        assert_eq!(Message::decode(kind::EXIT, &exit).is_ok(), n == 0, "{n}");
    }
    let mut exec = Message::Exec(ExecRequest::default()).encode_payload();
    let tty_at = 4 + 4 + 4 + 4;
    exec[tty_at] = 2;
    assert!(Message::decode(kind::EXEC, &exec).is_err());
}

#[test]
fn pseudo_random_payloads_never_panic() {
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for i in 0..20_000u32 {
        let len = (i % 97) as usize;
        let mut p = Vec::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            p.push(x as u8);
        }
        let k = (x >> 8) as u8 % 0x50;
        let _ = Message::decode(k, &p);
    }
}

#[test]
fn new_enumerations_and_modes_are_checked() {
    let mut info = Message::PathInfo(PathInfo::default()).encode_payload();
    info[0] = 5;
    assert!(Message::decode(kind::PATH_INFO, &info).is_err(), "kind 5");
    let mut info = Message::PathInfo(PathInfo::default()).encode_payload();
    info[1..5].copy_from_slice(&0o10000u32.to_be_bytes());
    assert!(
        Message::decode(kind::PATH_INFO, &info).is_err(),
        "a file type in mode"
    );
    let failed = [7, 0, 0, 0, 0];
    assert!(Message::decode(kind::COPY_FAILED, &failed).is_err());
    // A count of processes the payload cannot hold is not allocated.
    let p = [0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
    assert_eq!(
        Message::decode(kind::PROCESSES, &p),
        Err(DecodeError::Truncated("processes"))
    );
    assert!(valid_copy_name("etc") && valid_copy_name(".") && valid_copy_name("a b"));
    for bad in ["", "..", "a/b", "/", "a\0b"] {
        assert!(!valid_copy_name(bad), "{bad:?}");
    }
}

#[test]
fn a_long_process_list_is_split_into_frames_that_fit() {
    let one = ProcessInfo {
        pid: 7,
        command: "x".repeat(MAX_DATA),
        user: "u".repeat(1000),
        ..Default::default()
    };
    let parts = split_processes(vec![one.clone(); 40]);
    assert!(parts.len() > 1, "{} parts", parts.len());
    let mut back = Vec::new();
    for (i, (more, list)) in parts.iter().enumerate() {
        assert_eq!(*more, i + 1 < parts.len());
        let m = Message::Processes {
            more: *more,
            processes: list.clone(),
        };
        let payload = m.encode_payload();
        assert!(payload.len() <= MAX_PAYLOAD, "{}", payload.len());
        match Message::decode(kind::PROCESSES, &payload).unwrap() {
            Message::Processes { processes, .. } => back.extend(processes),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(back.len(), 40);
    // Long strings are cut at the protocol's limits, whole characters; a
    // longer one than an encoder writes does not decode.
    assert_eq!(back[0].command.len(), guest::MAX_COMMAND);
    assert_eq!(back[0].user.len(), guest::MAX_USER);
    let mut p = Message::Processes {
        more: false,
        processes: vec![ProcessInfo::default()],
    }
    .encode_payload();
    // The user's length field, then 257 bytes of name.
    let at = 1 + 4 + 12;
    p.splice(at..at + 4, [0, 0, 1, 1].into_iter().chain([b'u'; 257]));
    assert!(matches!(
        Message::decode(kind::PROCESSES, &p),
        Err(DecodeError::Invalid(m)) if m.contains("user")
    ));
    let long = Message::CopyIn {
        path: "p".repeat(5000),
    };
    assert_eq!(
        Message::decode(kind::COPY_IN, &long.encode_payload()),
        Ok(Message::CopyIn {
            path: "p".repeat(4096)
        }),
        "the encoder cuts"
    );
    let mut raw = 5000u32.to_be_bytes().to_vec();
    raw.extend(std::iter::repeat_n(b'p', 5000));
    assert!(Message::decode(kind::COPY_IN, &raw).is_err());
    assert_eq!(split_processes(Vec::new()), vec![(false, Vec::new())]);
}

#[test]
fn copy_out_rootfs_carries_copy_outs_payload_with_its_limits() {
    let req = CopyOutRequest {
        path: "/var/lib".into(),
        name: "lib".into(),
        window: 7,
    };
    let plain = Message::CopyOut(req.clone()).encode_payload();
    assert_eq!(Message::CopyOutRootfs(req.clone()).encode_payload(), plain);
    assert_eq!(
        Message::decode(kind::COPY_OUT_ROOTFS, &plain),
        Ok(Message::CopyOutRootfs(req))
    );
    assert_eq!(introduced_in(kind::COPY_OUT_ROOTFS), Some(6));
    assert_eq!(kind_name(kind::COPY_OUT_ROOTFS), "CopyOutRootfs");
    let long = Message::CopyOutRootfs(CopyOutRequest {
        path: "p".repeat(5000),
        name: "n".into(),
        window: 1,
    });
    match Message::decode(kind::COPY_OUT_ROOTFS, &long.encode_payload()) {
        Ok(Message::CopyOutRootfs(r)) => assert_eq!(r.path.len(), 4096, "the encoder cuts"),
        other => panic!("{other:?}"),
    }
    let mut raw = 5000u32.to_be_bytes().to_vec();
    raw.extend(std::iter::repeat_n(b'p', 5000));
    raw.extend([0, 0, 0, 1, b'n', 0, 0, 0, 1]);
    assert!(Message::decode(kind::COPY_OUT_ROOTFS, &raw).is_err());
}

#[test]
fn exec_detached_carries_exec_limiteds_payload() {
    let req = ExecRequest {
        argv: vec!["sleep".into(), "60".into()],
        env: vec!["A=1".into()],
        cwd: "/tmp".into(),
        user: "1000".into(),
        window: 0,
        ..Default::default()
    };
    let limits = ProcessLimits {
        groups: vec![7],
        oom_score_adj: Some(100),
        ..Default::default()
    };
    let limited = Message::ExecLimited(req.clone(), limits.clone()).encode_payload();
    let detached = Message::ExecDetached(req.clone(), limits.clone());
    assert_eq!(detached.encode_payload(), limited);
    assert_eq!(Message::decode(kind::EXEC_DETACHED, &limited), Ok(detached));
    assert_eq!(introduced_in(kind::EXEC_DETACHED), Some(7));
    assert_eq!(kind_name(kind::EXEC_DETACHED), "ExecDetached");
    // The limits' checks are ExecLimited's: an OOM score out of range is
    // a decode error here too.
    let bad = Message::ExecLimited(
        req,
        ProcessLimits {
            oom_score_adj: Some(5000),
            ..Default::default()
        },
    )
    .encode_payload();
    assert!(Message::decode(kind::EXEC_LIMITED, &bad).is_err());
    assert!(Message::decode(kind::EXEC_DETACHED, &bad).is_err());
}

#[test]
fn relays_know_where_exchanges_open_and_end() {
    let sessions = [
        kind::EXEC,
        kind::EXEC_LIMITED,
        kind::ATTACH,
        kind::COPY_OUT,
        kind::COPY_OUT_ROOTFS,
        kind::COPY_IN,
    ];
    let requests = [
        kind::PING,
        kind::PRIMARY_STATUS,
        kind::SHUTDOWN,
        kind::STATS,
        kind::TOP,
        kind::PATH_STAT,
        kind::INTERFACE_UP,
        kind::INTERFACE_DOWN,
        kind::HOSTS_SET,
        kind::SIGNAL_ALL,
        kind::EXEC_DETACHED,
    ];
    // Every other type belongs to an open exchange or to the link.
    for k in (0..=u8::MAX).filter(|&k| is_known_kind(k)) {
        let want = if sessions.contains(&k) {
            Some(Opens::Session)
        } else if requests.contains(&k) {
            Some(Opens::Request)
        } else {
            None
        };
        assert_eq!(opens(k), want, "{}", kind_name(k));
    }
    let s = Opens::Session;
    assert!(ends(s, kind::EXIT, &[]));
    assert!(ends(s, kind::EXEC_FAILED, &[]));
    assert!(ends(s, kind::COPY_FAILED, &[]));
    assert!(!ends(s, kind::STARTED, &[]));
    assert!(!ends(s, kind::COPY_STARTED, &[]));
    assert!(!ends(s, kind::STDOUT, &[]));
    let more = Message::Processes {
        more: true,
        processes: vec![],
    };
    let last = Message::Processes {
        more: false,
        processes: vec![],
    };
    let r = Opens::Request;
    assert!(!ends(r, kind::PROCESSES, &more.encode_payload()));
    assert!(ends(r, kind::PROCESSES, &last.encode_payload()));
    assert!(ends(r, kind::STATS_REPORT, &[]));
    assert!(ends(r, kind::PATH_INFO, &[]));
    assert!(ends(r, kind::PRIMARY_STATE, &[]));
    assert!(ends(r, kind::NETWORK_APPLIED, &[]));
    assert!(ends(r, kind::SIGNALLED_ALL, &[]));
    assert!(ends(r, kind::ERROR, &[]));
}

#[test]
fn a_network_answer_longer_than_an_encoder_writes_does_not_decode() {
    let long = Message::NetworkApplied {
        interface: "e".repeat(5000),
    };
    assert_eq!(
        Message::decode(kind::NETWORK_APPLIED, &long.encode_payload()),
        Ok(Message::NetworkApplied {
            interface: "e".repeat(4096)
        }),
        "the encoder cuts"
    );
    let mut raw = 5000u32.to_be_bytes().to_vec();
    raw.extend(std::iter::repeat_n(b'e', 5000));
    assert!(Message::decode(kind::NETWORK_APPLIED, &raw).is_err());
}
