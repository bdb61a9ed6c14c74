//! Run-time network messages (protocol version 3) against `tether serve`:
//! with `--net-record` the tether stands in for a guest's interfaces and
//! records what it would do; without, it says it changes none; a
//! version-2 link does not carry them.

mod common;

use std::time::Duration;

use common::*;
use tether_protocol::client::ClientError;
use tether_protocol::config::InterfaceConfig;

fn iface() -> InterfaceConfig {
    InterfaceConfig {
        mac: "00:50:56:AA:BB:CC".into(),
        addresses: vec!["10.9.0.2/24".parse().unwrap()],
        gateway: Some("10.9.0.1".parse().unwrap()),
        routes: Vec::new(),
        mtu: None,
        dns: vec!["10.9.0.53".parse().unwrap()],
        search: vec![],
    }
}

#[test]
fn an_interface_comes_up_and_goes_down_and_hosts_follow() {
    let dir = std::env::temp_dir().join(format!("tether-net-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let record = dir.join("net.record");
    let _ = std::fs::remove_file(&record);
    let t = Tether::start(&["--net-record", record.to_str().unwrap()]);
    let c = t.client();
    let peers = ["10.9.0.3 db".parse().unwrap()];
    let name = c
        .interface_up(&iface(), &peers, Duration::from_secs(1))
        .unwrap();
    assert_eq!(name, "sim0");
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(
        text.starts_with(
            "add_ipv4 sim0 10.9.0.2/24\nlink_up sim0\ndefault_route 10.9.0.1\nwrite /etc/hosts\n"
        ),
        "{text}"
    );
    assert!(text.contains("  10.9.0.3\tdb\n"), "{text}");
    assert!(
        text.contains("write /etc/resolv.conf\n  nameserver 10.9.0.53\n"),
        "{text}"
    );

    c.set_hosts(&["10.9.0.4 cache".parse().unwrap()]).unwrap();
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(text.ends_with("  nameserver 10.9.0.53\n"), "{text}");
    assert!(text.contains("  10.9.0.4\tcache\n"), "{text}");

    assert_eq!(c.interface_down("00:50:56:aa:bb:cc", &[]).unwrap(), "sim0");
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(text.contains("clear_ipv4 sim0\nlink_down sim0\n"), "{text}");
    // Taken down twice: the tether no longer has it, which is no error.
    assert_eq!(c.interface_down("00:50:56:aa:bb:cc", &[]).unwrap(), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_a_stand_in_the_tether_says_it_changes_no_interfaces() {
    let t = Tether::start(&[]);
    let c = t.client();
    match c.interface_up(&iface(), &[], Duration::from_millis(100)) {
        Err(ClientError::Remote(m)) => assert!(m.contains("--net-record"), "{m}"),
        other => panic!("expected a remote error, got {other:?}"),
    }
    // The link goes on.
    c.ping().unwrap();
}

#[test]
fn a_version_2_link_does_not_carry_them() {
    use tether_protocol::Versions;
    use tether_protocol::message::{InterfaceUp, Message};
    let t = Tether::start(&[]);
    let mut raw = t.raw();
    raw.send(
        0,
        &Message::Hello {
            versions: Versions { min: 2, max: 2 },
            token: TOKEN.to_vec(),
        },
    );
    raw.recv_until(|_, m| matches!(m, Message::HelloOk { version: 2, .. }));
    raw.send(
        9,
        &Message::InterfaceUp(InterfaceUp {
            interface: InterfaceConfig {
                mac: "00:50:56:aa:bb:cc".into(),
                ..Default::default()
            },
            hosts: vec![],
            wait_ms: 0,
        }),
    );
    let (s, m) = raw.recv_until(|_, m| matches!(m, Message::Error { .. }));
    assert_eq!(s, 9);
    let Message::Error { message } = m else {
        unreachable!()
    };
    assert!(
        message.contains("unknown message type 0x40") && message.contains("version 2"),
        "{message}"
    );
}
