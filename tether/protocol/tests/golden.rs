//! PROTOCOL.md's golden vectors, read out of the document itself: every
//! message type's frame against both the encoder (encode == the bytes) and
//! the decoder (decode(the bytes) == the message), the frame header, and
//! the config document example. Round trips alone would let a symmetric
//! mistake through; the document is what another tether is written from.

use std::collections::BTreeMap;

use tether_protocol as protocol;
use tether_protocol::Signal;
use tether_protocol::config::{
    DiskSource, DomainConfig, HostEntry, InterfaceConfig, PortSpec, ProcessConfig, VolumeConfig,
};
use tether_protocol::frame::{Frame, FrameError, FrameReader, encode_frame};
use tether_protocol::message::{Message, is_known_kind, kind_name};

#[path = "golden/messages.rs"]
mod vectors;
use vectors::messages;

fn protocol_md() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../PROTOCOL.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The bodies of the fenced blocks whose info string is `golden NAME`, by
/// NAME; a name given twice is a mistake in the document.
fn golden_blocks(doc: &str) -> BTreeMap<String, String> {
    let mut blocks = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match &mut current {
            None => {
                if let Some(name) = line.strip_prefix("```golden ") {
                    current = Some((name.trim().to_string(), String::new()));
                }
            }
            Some((name, body)) => {
                if line.trim_end() == "```" {
                    let name = std::mem::take(name);
                    let body = std::mem::take(body);
                    assert!(
                        blocks.insert(name.clone(), body).is_none(),
                        "PROTOCOL.md has two golden blocks named {name}"
                    );
                    current = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unterminated golden block");
    blocks
}

/// The bytes of a hex block: `#` starts a comment, whitespace is layout.
fn hex_bytes(name: &str, body: &str) -> Vec<u8> {
    let digits: String = body
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    assert!(
        digits.len() % 2 == 0 && digits.chars().all(|c| c.is_ascii_hexdigit()),
        "golden {name}: not an even number of hex digits: {digits}"
    );
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn read_one_frame(name: &str, bytes: &[u8]) -> Frame {
    let mut r = FrameReader::new(bytes);
    let f = r
        .read_frame(&|_| true)
        .unwrap_or_else(|e| panic!("golden {name}: {e}"));
    assert!(
        matches!(r.read_frame(&|_| true), Err(FrameError::Eof)),
        "golden {name}: bytes after the frame"
    );
    f
}

#[test]
fn every_message_type_has_a_vector_that_both_directions_agree_with() {
    let doc = protocol_md();
    let blocks = golden_blocks(&doc);
    let all = messages();

    // Every type this crate knows, and nothing else, has a vector.
    let known: Vec<&str> = (0..=u8::MAX)
        .filter(|&k| is_known_kind(k))
        .map(kind_name)
        .collect();
    let ours: Vec<&str> = all.iter().map(|(_, m)| m.name()).collect();
    assert_eq!(ours, known, "this test's list against the known types");
    let documented: Vec<&str> = blocks
        .keys()
        .map(String::as_str)
        .filter(|n| !["frame", "config"].contains(n))
        .collect();
    let mut sorted = known.clone();
    sorted.sort();
    assert_eq!(documented, sorted, "golden message blocks in PROTOCOL.md");

    for (session, m) in all {
        let name = m.name();
        let golden = hex_bytes(name, &blocks[name]);
        let encoded = m.to_frame(session);
        assert_eq!(
            hex(&encoded),
            hex(&golden),
            "the encoder disagrees with PROTOCOL.md's {name}"
        );
        let f = read_one_frame(name, &golden);
        assert_eq!((f.kind, f.session), (m.kind(), session), "{name}");
        assert_eq!(
            Message::decode(f.kind, &f.payload).unwrap_or_else(|e| panic!("golden {name}: {e}")),
            m,
            "the decoder disagrees with PROTOCOL.md's {name}"
        );
    }
}

#[test]
fn the_frame_header_vector() {
    let blocks = golden_blocks(&protocol_md());
    let golden = hex_bytes("frame", &blocks["frame"]);
    let mut encoded = Vec::new();
    encode_frame(0x15, 3, &[1, 2, 3], &mut encoded);
    assert_eq!(hex(&encoded), hex(&golden));
    assert_eq!(
        read_one_frame("frame", &golden),
        Frame {
            kind: 0x15,
            session: 3,
            payload: vec![1, 2, 3],
        }
    );
}

/// What PROTOCOL.md's config example holds.
fn config() -> DomainConfig {
    let mut c = DomainConfig::new(vec![0x8c, 0x1e, 0x0b, 0x42], PortSpec::Serial(1));
    c.id = "5f0c21aa".into();
    c.name = "web".into();
    c.hostname = "web-1".into();
    c.log = Some(PortSpec::Serial(2));
    c.root = Some(DiskSource::Label("vicport-root".into()));
    c.process = ProcessConfig {
        argv: vec!["/bin/sh".into(), "-c".into(), "echo hello\nexit 3".into()],
        env: vec![
            "PATH=/usr/bin:/bin".into(),
            "GREETING=tab\there".into(),
            "WINPATH=C:\\tmp".into(),
        ],
        cwd: "/srv".into(),
        user: "www:www".into(),
        tty: false,
        stdin: true,
        wait_for_attach: true,
        stop_signal: Signal::INT,
        ..ProcessConfig::default()
    };
    c.volumes = vec![
        VolumeConfig {
            source: DiskSource::Scsi { bus: 0, unit: 1 },
            path: "/data".into(),
            read_only: false,
            format: true,
            label: "data".into(),
        },
        VolumeConfig {
            source: DiskSource::Label("config".into()),
            path: "/etc/app".into(),
            read_only: true,
            format: false,
            label: String::new(),
        },
    ];
    c.interfaces = vec![InterfaceConfig {
        mac: "00:50:56:aa:bb:cc".into(),
        addresses: vec![
            "10.0.0.2/24".parse().unwrap(),
            "fd00::2/64".parse().unwrap(),
        ],
        gateway: Some("10.0.0.1".parse().unwrap()),
        routes: Vec::new(),
        mtu: None,
        dns: vec!["10.0.0.1".parse().unwrap()],
        search: vec!["example.test".into()],
    }];
    c.hosts = vec![HostEntry {
        address: "10.0.0.3".parse().unwrap(),
        names: vec!["db".into(), "db.example.test".into()],
    }];
    c
}

#[test]
fn the_config_document_example() {
    let blocks = golden_blocks(&protocol_md());
    let text = &blocks["config"];
    let c = config();
    assert_eq!(
        c.encode(),
        *text,
        "the encoder disagrees with PROTOCOL.md's example"
    );
    assert_eq!(
        DomainConfig::decode(text).unwrap_or_else(|e| panic!("PROTOCOL.md's example: {e}")),
        c,
        "the decoder disagrees with PROTOCOL.md's example"
    );
}

#[test]
fn the_block_reader_catches_mistakes_in_the_document() {
    let doc = "text\n```golden A\n00 01  # a comment 0xff\n0203\n```\n```golden B\n```\n";
    let blocks = golden_blocks(doc);
    assert_eq!(hex_bytes("A", &blocks["A"]), vec![0, 1, 2, 3]);
    assert_eq!(blocks["B"], "");
    let twice = "```golden A\n00\n```\n```golden A\n01\n```\n";
    assert!(std::panic::catch_unwind(|| golden_blocks(twice)).is_err());
    assert!(std::panic::catch_unwind(|| hex_bytes("odd", "0")).is_err());
    assert!(std::panic::catch_unwind(|| hex_bytes("bad", "zz")).is_err());
}
