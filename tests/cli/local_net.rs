//! Volumes and networks of the local platform through the binary. The
//! lifecycle and bad-input tests need no guest; persistence, reachability
//! and networks joining running domains boot real QEMU microVMs (five boots
//! in all). As root,
//! networks are Linux bridges with taps and nftables rules on this host;
//! the tests use subnets of 10.2xx.0.0/16 that nothing else here uses, and
//! remove what they made even when they fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Env, dir_names, is_root, json, run, run_all};

/// The backing networks get on this host.
fn expected_backing() -> &'static str {
    if is_root() { "bridge" } else { "socket" }
}

#[test]
fn volume_lifecycle_refuses_bad_input_and_volumes_in_use() {
    let env = Env::new();
    env.import_busybox();

    let v = json(
        &env,
        &[
            "volume", "create", "data", "--size", "64MiB", "--label", "tier=db",
        ],
    );
    assert_eq!(v["name"], "data");
    assert_eq!(v["size_bytes"], 64 << 20);
    assert_eq!(v["backing"], "ext4-image");
    assert_eq!(v["labels"], serde_json::json!({"tier": "db"}));
    assert_eq!(v["used_by"], serde_json::json!([]));
    let store = env.state_dir().join("volumes");
    assert_eq!(v["store"], store.display().to_string());
    let disk = PathBuf::from(v["platform_ref"]["path"].as_str().unwrap());
    assert_eq!(disk, store.join("data/disk.ext4"));
    // A sparse, blank image: full size, no blocks, zeros where a file
    // system's signatures would be (the tether formats it ext4 at its
    // first read-write mount, as on every platform).
    let meta = std::fs::metadata(&disk).unwrap();
    assert_eq!(meta.len(), 64 << 20);
    assert!(
        std::os::unix::fs::MetadataExt::blocks(&meta) * 512 < 1 << 20,
        "not sparse"
    );
    let head = std::fs::read(&disk).unwrap();
    assert!(head[..1 << 20].iter().all(|&b| b == 0), "not blank");
    assert_eq!(json(&env, &["volume", "inspect", "data"]), v);
    assert_eq!(json(&env, &["volume", "ls"]), serde_json::json!([v]));

    // Bad input: a clear error with its code, and nothing made.
    let file = env.root().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let file = file.display().to_string();
    let missing = env.root().join("missing").display().to_string();
    let long = "v".repeat(64);
    for (args, code, says) in [
        (vec!["x", "--size", "0"], 2, "size of 0"),
        (vec!["x", "--size", "100T"], 2, "free"),
        (vec!["x", "--size", "1K"], 2, "too small"),
        (vec!["x", "--size", "lots"], 2, "invalid size"),
        (vec!["a/b"], 2, "not allowed"),
        (vec![".."], 2, "volume name"),
        (vec!["a..b"], 2, "'..'"),
        (vec![long.as_str()], 2, "63"),
        (vec!["data"], 4, "already exists"),
        (vec!["x", "--store", file.as_str()], 2, "not a directory"),
        (vec!["x", "--store", missing.as_str()], 2, "cannot be used"),
    ] {
        let out = run(env.vicport(["volume", "create"]).args(&args));
        out.code(code);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    assert_eq!(dir_names(&store), [".lock", "data"]);
    assert_eq!(json(&env, &["volume", "ls"]).as_array().unwrap().len(), 1);

    // Another store: the disk lives there, the store is recorded.
    let outside = env.root().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let o = json(
        &env,
        &[
            "volume",
            "create",
            "logs",
            "--size",
            "16MiB",
            "--store",
            outside.to_str().unwrap(),
        ],
    );
    assert_eq!(o["store"], outside.display().to_string());
    let outside_disk = PathBuf::from(o["platform_ref"]["path"].as_str().unwrap());
    assert!(outside_disk.starts_with(&outside) && outside_disk.is_file());

    // Domains join volumes that exist, and nothing else.
    let out = run(env.vicport([
        "domain", "create", "--name", "d1", "-v", "nope:/x", "busybox", "--", "true",
    ]));
    out.code(3);
    assert!(
        out.stderr.contains("volume \"nope\" not found"),
        "{}",
        out.stderr
    );
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "d1",
        "-v",
        "data:/data",
        "-v",
        "logs:/logs:ro",
        "busybox",
        "--",
        "true",
    ]))
    .code(0);
    let info = json(&env, &["domain", "inspect", "d1"]);
    assert_eq!(info["volumes"][1]["read_only"], true);
    assert_eq!(
        json(&env, &["volume", "inspect", "data"])["used_by"],
        serde_json::json!(["d1"])
    );

    // In use: refused, naming the user; --force asks first, then takes it
    // out of the stopped domain (which keeps its other volume) and removes
    // it.
    let out = run(env.vicport(["volume", "rm", "data"]));
    out.code(4);
    assert!(out.stderr.contains("d1"), "{}", out.stderr);
    run(env.vicport(["volume", "rm", "--force", "data"])).code(2);
    run(env.vicport(["--yes", "volume", "rm", "--force", "data"])).code(0);
    assert!(!store.join("data").exists());
    let info = json(&env, &["domain", "inspect", "d1"]);
    assert_eq!(info["volumes"].as_array().unwrap().len(), 1, "{info}");
    assert_eq!(info["volumes"][0]["volume"], "logs");

    run(env.vicport(["domain", "rm", "d1"])).code(0);
    run(env.vicport(["volume", "rm", "logs"])).code(0);
    assert!(!outside_disk.exists());
    assert!(dir_names(&outside).is_empty());
    assert_eq!(json(&env, &["volume", "ls"]), serde_json::json!([]));
    run(env.vicport(["volume", "inspect", "logs"])).code(3);
}

#[test]
fn a_volume_keeps_its_data_across_domains_and_read_only_refuses_writes() {
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    run(env.vicport(["volume", "create", "data", "--size", "32MiB"])).code(0);

    let out = run(env.booting([
        "run",
        "--rm",
        "-v",
        "data:/data",
        "busybox",
        "--",
        "sh",
        "-c",
        "echo persisted > /data/f",
    ]));
    out.code(0);

    let out = run(env.booting([
        "run",
        "--rm",
        "-v",
        "data:/data:ro",
        "busybox",
        "--",
        "sh",
        "-c",
        "cat /data/f; busybox touch /data/x; echo touch=$?",
    ]));
    out.code(0);
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("persisted"), "{}", out.stderr);
    let touch = lines.next().unwrap_or_default();
    assert!(
        touch.starts_with("touch=") && touch != "touch=0",
        "a write to a read-only volume must fail: {touch:?}\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Read-only file system"),
        "{}",
        out.stderr
    );
    // Both domains removed themselves: the volume is free.
    assert_eq!(
        json(&env, &["volume", "inspect", "data"])["used_by"],
        serde_json::json!([])
    );
    run(env.vicport(["volume", "rm", "data"])).code(0);
}

#[test]
fn network_lifecycle_addresses_and_bad_input() {
    let env = Env::new();
    env.import_busybox();

    let n = json(
        &env,
        &[
            "network",
            "create",
            "front",
            "--subnet",
            "10.201.0.0/24",
            "--dns",
            "10.201.0.1",
        ],
    );
    assert_eq!(n["subnet"], "10.201.0.0/24");
    assert_eq!(n["gateway"], "10.201.0.1");
    assert_eq!(n["backing"], expected_backing());
    assert_eq!(n["endpoints"], serde_json::json!([]));
    let bridge = n["platform_ref"]["id"].as_str().unwrap().to_string();
    if is_root() {
        assert!(bridge.starts_with("vp-") && bridge.len() <= 15, "{bridge}");
        let sys = PathBuf::from("/sys/class/net").join(&bridge);
        assert!(sys.join("bridge").is_dir(), "{bridge} is a bridge");
    }

    for (args, code) in [
        (vec!["other", "--subnet", "10.201.0.0/16"], 4),
        (vec!["other", "--subnet", "10.201.0.128/25"], 4),
        (vec!["front", "--subnet", "10.209.0.0/24"], 4),
        (vec!["other", "--subnet", "10.202.0.5/24"], 2),
        (vec!["other", "--subnet", "not-a-cidr"], 2),
        (vec!["other", "--subnet", "10.202.0.0/31"], 2),
        (
            vec![
                "other",
                "--subnet",
                "10.202.0.0/24",
                "--gateway",
                "10.9.9.9",
            ],
            2,
        ),
        (vec!["Other", "--subnet", "10.202.0.0/24"], 2),
    ] {
        let out = run(env.vicport(["network", "create"]).args(&args));
        out.code(code);
    }
    assert_eq!(json(&env, &["network", "ls"]).as_array().unwrap().len(), 1);

    // --network at create: the next free address and a MAC.
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "d1",
        "--network",
        "front",
        "busybox",
        "--",
        "true",
    ]))
    .code(0);
    let ep = &json(&env, &["domain", "inspect", "d1"])["networks"][0];
    assert_eq!(ep["ip"], "10.201.0.2");
    let mac = ep["mac"].as_str().unwrap().to_string();
    assert_eq!(mac.len(), 17);
    // Taken, outside, unknown: refused, nothing created.
    for (net, code) in [
        ("front:10.201.0.2", 4),
        ("front:10.99.0.2", 2),
        ("front:10.201.0.255", 2),
        ("back", 3),
    ] {
        let out = run(env.vicport([
            "domain",
            "create",
            "--name",
            "d2",
            "--network",
            net,
            "busybox",
            "--",
            "true",
        ]));
        out.code(code);
    }
    assert_eq!(
        run(env.vicport(["-q", "domain", "ls"]))
            .stdout
            .lines()
            .count(),
        1
    );

    // connect/disconnect a created domain, with the same rules; a real
    // conflict is final at once (not retried like a stale handle).
    run(env.vicport(["domain", "create", "--name", "d2", "busybox", "--", "true"])).code(0);
    run(env.vicport(["network", "connect", "front", "d2", "--ip", "10.99.0.9"])).code(2);
    let started = Instant::now();
    let out = run(env.vicport(["network", "connect", "front", "d2", "--ip", "10.201.0.2"]));
    out.code(4);
    assert!(out.stderr.contains("already taken"), "{}", out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    run(env.vicport(["network", "connect", "nope", "d2"])).code(3);
    let c = json(
        &env,
        &["network", "connect", "front", "d2", "--ip", "10.201.0.77"],
    );
    assert_eq!(c["ip"], "10.201.0.77");
    run(env.vicport(["network", "connect", "front", "d2"])).code(4);
    let info = json(&env, &["network", "inspect", "front"]);
    let endpoints: Vec<(String, String)> = info["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["domain"].as_str().unwrap().to_string(),
                e["ip"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        endpoints,
        [
            ("d1".to_string(), "10.201.0.2".to_string()),
            ("d2".to_string(), "10.201.0.77".to_string())
        ]
    );
    assert_eq!(info["endpoints"][0]["mac"], mac);

    // In use: not removable.
    let out = run(env.vicport(["network", "rm", "front"]));
    out.code(4);
    assert!(
        out.stderr.contains("d1") && out.stderr.contains("d2"),
        "{}",
        out.stderr
    );

    // Disconnect and rm give the addresses back.
    run(env.vicport(["network", "disconnect", "front", "d1"])).code(0);
    run(env.vicport(["network", "disconnect", "front", "d1"])).code(3);
    assert_eq!(
        json(&env, &["domain", "inspect", "d1"])["networks"],
        serde_json::json!([])
    );
    run(env.vicport(["domain", "rm", "d2"])).code(0);
    let c = json(
        &env,
        &["network", "connect", "front", "d1", "--ip", "10.201.0.77"],
    );
    assert_eq!(c["ip"], "10.201.0.77", "d2's address is free again");
    run(env.vicport(["domain", "rm", "d1"])).code(0);
    assert_eq!(
        json(&env, &["network", "inspect", "front"])["endpoints"],
        serde_json::json!([])
    );
    run(env.vicport(["network", "rm", "front"])).code(0);
    run(env.vicport(["network", "inspect", "front"])).code(3);
    if is_root() {
        assert!(!Path::new("/sys/class/net").join(&bridge).exists());
        let table = std::process::Command::new("nft")
            .args(["list", "tables"])
            .output()
            .unwrap();
        let id = &bridge[3..];
        assert!(
            !String::from_utf8_lossy(&table.stdout).contains(&format!("vicport_{id}")),
            "the nftables table is gone"
        );
    }
}

#[test]
fn fifty_concurrent_connects_get_fifty_distinct_addresses() {
    let env = Env::new();
    env.import_busybox();
    run(env.vicport(["network", "create", "many", "--subnet", "10.205.0.0/24"])).code(0);
    let names: Vec<String> = (0..50).map(|i| format!("d{i:02}")).collect();
    // Created (not started) domains, ten at a time.
    for chunk in names.chunks(10) {
        let creates = chunk
            .iter()
            .map(|n| env.vicport(["domain", "create", "--name", n, "busybox", "--", "true"]));
        for out in run_all(creates) {
            out.code(0);
        }
    }
    let connects = names
        .iter()
        .map(|n| env.vicport(["-o", "json", "network", "connect", "many", n]));
    let mut ips = BTreeSet::new();
    for out in run_all(connects) {
        out.code(0);
        ips.insert(out.json()["ip"].as_str().unwrap().to_string());
    }
    assert_eq!(ips.len(), 50, "{ips:?}");
    let info = json(&env, &["network", "inspect", "many"]);
    let endpoints = info["endpoints"].as_array().unwrap();
    let listed: BTreeSet<String> = endpoints
        .iter()
        .map(|e| e["ip"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, ips);
    let macs: BTreeSet<&str> = endpoints
        .iter()
        .map(|e| e["mac"].as_str().unwrap())
        .collect();
    assert_eq!(macs.len(), 50);
    let pool: Value = serde_json::from_slice(
        &std::fs::read(env.state_dir().join("networks/many/pool.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        pool["allocated"].as_object().unwrap().len(),
        51,
        "50 domains and the gateway"
    );
}

#[test]
fn domains_on_one_network_reach_each_other_and_not_another() {
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    // As root: bridges `a` and `b` with taps and nftables isolation. `s` is
    // the rootless backing (QEMU's multicast socket network), forced here so
    // that both backings carry real traffic in the same three boots.
    let a = json(
        &env,
        &["network", "create", "a", "--subnet", "10.202.0.0/24"],
    );
    let b = json(
        &env,
        &["network", "create", "b", "--subnet", "10.203.0.0/24"],
    );
    let s = run(env
        .vicport([
            "-o",
            "json",
            "network",
            "create",
            "s",
            "--subnet",
            "10.204.0.0/24",
        ])
        .env("VICPORT_NETWORK_BACKING", "socket"));
    s.code(0);
    assert_eq!(s.json()["backing"], "socket");
    assert_eq!(a["backing"], expected_backing());
    run(env.vicport(["volume", "create", "shared", "--size", "16MiB"])).code(0);

    let forever = "while true; do busybox sleep 1; done";
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "a1",
        "--network",
        "a",
        "--network",
        "s",
        "-v",
        "shared:/s",
        "busybox",
        "--",
        "sh",
        "-c",
        forever,
    ]))
    .code(0);
    // Three boots at once: a1 (defined above), a2 and b1.
    let starts = vec![
        env.booting(["domain", "start", "a1"]),
        env.booting([
            "run",
            "-d",
            "--name",
            "a2",
            "--network",
            "a:10.202.0.50",
            "busybox",
            "--",
            "sh",
            "-c",
            forever,
        ]),
        env.booting([
            "run",
            "-d",
            "--name",
            "b1",
            "--network",
            "b",
            "--network",
            "s",
            "busybox",
            "--",
            "sh",
            "-c",
            forever,
        ]),
    ];
    let children: Vec<_> = starts
        .into_iter()
        .map(|mut c| {
            c.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ip_of = |domain: &str, net: &str| -> String {
        let info = json(&env, &["domain", "inspect", domain]);
        info["networks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["network"] == net)
            .unwrap()["ip"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let a1 = ip_of("a1", "a");
    let b1 = ip_of("b1", "b");
    let a1_s = ip_of("a1", "s");
    let ping = |from: &str, to: &str| {
        run(env.vicport([
            "exec", from, "--", "busybox", "ping", "-c", "1", "-W", "3", to,
        ]))
    };

    // One network: reachable by address, and by name (hosts entries).
    ping("a1", "10.202.0.50").code(0);
    let out = ping("a2", "a1");
    out.code(0);
    assert!(out.stdout.contains(&a1), "{}", out.stdout);
    ping("a1", "10.202.0.1").code(0);
    // Another network: not reachable, either way, although the host routes
    // both subnets.
    // (busybox ping exits 1 when no reply came.)
    ping("b1", &a1).code(1);
    ping("a2", &b1).code(1);
    // The socket network joins a1 and b1 on their own subnet.
    ping("b1", &a1_s).code(0);

    if is_root() {
        let bridge = a["platform_ref"]["id"].as_str().unwrap();
        let ports = dir_names(&Path::new("/sys/class/net").join(bridge).join("brif"));
        assert_eq!(ports.len(), 2, "a tap per endpoint on {bridge}: {ports:?}");
    }

    // While they run, networks join and leave: a NIC hot-plugged into a2
    // for b, configured by its tether; b1 (its peer there) learns its name.
    let out = run(env.vicport(["-o", "json", "network", "connect", "b", "a2"]));
    out.code(0);
    let a2_b = out.json()["ip"].as_str().unwrap().to_string();
    ping("a2", &b1).code(0);
    let out = ping("b1", "a2");
    out.code(0);
    assert!(out.stdout.contains(&a2_b), "{}", out.stdout);
    if is_root() {
        let bridge = b["platform_ref"]["id"].as_str().unwrap();
        let ports = dir_names(&Path::new("/sys/class/net").join(bridge).join("brif"));
        assert_eq!(
            ports.len(),
            2,
            "a tap for the joined NIC on {bridge}: {ports:?}"
        );
    }
    // An address in use: exit 4, nothing half-added.
    let out = run(env.vicport(["-o", "json", "network", "connect", "--ip", &a1_s, "s", "a2"]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "taken");
    let nets: Vec<String> = json(&env, &["domain", "inspect", "a2"])["networks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["network"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(nets, ["a", "b"]);
    // a2 leaves a: the interface goes in the guest, the NIC and its tap
    // leave, the address returns to the pool; a1 forgets the name.
    run(env.vicport(["network", "disconnect", "a", "a2"])).code(0);
    let out = run(env.vicport(["exec", "a2", "--", "busybox", "ip", "-4", "addr"]));
    out.code(0);
    assert!(!out.stdout.contains("10.202.0.50"), "{}", out.stdout);
    assert!(out.stdout.contains(&a2_b), "{}", out.stdout);
    ping("a1", "10.202.0.50").code(1);
    let out = run(env.vicport(["exec", "a1", "--", "cat", "/etc/hosts"]));
    // By name, not by substring: a1's own entry is its id's prefix, which
    // holds "a2" about one time in 25.
    let names = |hosts: &str| -> Vec<String> {
        hosts
            .lines()
            .flat_map(|l| l.split_whitespace().skip(1).map(str::to_string))
            .collect()
    };
    assert!(
        !names(&out.stdout).contains(&"a2".to_string()),
        "{}",
        out.stdout
    );
    if is_root() {
        let bridge = a["platform_ref"]["id"].as_str().unwrap();
        let ports = dir_names(&Path::new("/sys/class/net").join(bridge).join("brif"));
        assert_eq!(ports.len(), 1, "a2's tap left {bridge}: {ports:?}");
    }
    // Nothing in use is removed, a read-write volume has one running user.
    run(env.vicport(["network", "rm", "a"])).code(4);
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "a3",
        "-v",
        "shared:/s",
        "busybox",
        "--",
        "true",
    ]))
    .code(0);
    let out = run(env.booting(["domain", "start", "a3"]));
    out.code(6);
    assert!(out.stderr.contains("a1"), "{}", out.stderr);
    run(env.vicport(["volume", "rm", "shared"])).code(4);
    let out = run(env.vicport(["--yes", "volume", "rm", "--force", "shared"]));
    out.code(6);
    assert!(out.stderr.contains("running"), "{}", out.stderr);

    // Gone domains give back their taps and addresses; then the networks go.
    run(env.vicport(["domain", "rm", "-f", "a1", "a2", "b1", "a3"])).code(0);
    if is_root() {
        let bridge = a["platform_ref"]["id"].as_str().unwrap();
        let ports = dir_names(&Path::new("/sys/class/net").join(bridge).join("brif"));
        assert!(ports.is_empty(), "taps left on {bridge}: {ports:?}");
    }
    for n in ["a", "b", "s"] {
        assert_eq!(
            json(&env, &["network", "inspect", n])["endpoints"],
            serde_json::json!([])
        );
    }
    run(env.vicport(["network", "rm", "a", "b", "s"])).code(0);
    let _ = b;
    run(env.vicport(["volume", "rm", "shared"])).code(0);
}

/// The names in a prune's JSON list `key`.
fn pruned(doc: &Value, key: &str) -> BTreeSet<String> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {doc}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn prunes_remove_what_nothing_uses_and_keep_the_rest() {
    let env = Env::new();
    let dir = env.root().join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let tar = vicport::plumbing::image::fixtures::rootfs_tar(&dir, false).unwrap();
    let oci = vicport::plumbing::image::fixtures::oci_layout(&dir).unwrap();
    // The tar's image is left dangling when its tag moves to the layout's.
    for path in [&tar.path, &oci.path] {
        run(env
            .vicport(["image", "import"])
            .arg(path)
            .args(["--name", "app:1"]))
        .code(0);
    }
    for (n, subnet) in [
        ("n1", "10.211.0.0/24"),
        ("n2", "10.212.0.0/24"),
        ("n3", "10.213.0.0/24"),
    ] {
        run(env.vicport(["network", "create", n, "--subnet", subnet])).code(0);
    }
    for v in ["v1", "v2", "v3"] {
        run(env.vicport(["volume", "create", v, "--size", "16MiB"])).code(0);
    }
    let create = |name: &str, extra: &[&str], net: &str, vol: &str| {
        run(env
            .vicport([
                "domain",
                "create",
                "--name",
                name,
                "--network",
                net,
                "--volume",
            ])
            .arg(format!("{vol}:/data"))
            .args(extra)
            .args(["app:1", "--", "true"]))
        .code(0);
    };
    create("a", &["--label", "job=1"], "n1", "v1");
    create("b", &[], "n2", "v2");

    // Without a terminal a prune asks for --yes, and changes nothing; a
    // filter other than label= is refused.
    let out = run(env.vicport(["domain", "prune"]));
    out.code(2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    run(env.vicport(["--yes", "domain", "prune", "--filter", "until=1h"])).code(2);
    assert_eq!(json(&env, &["domain", "ls"]).as_array().unwrap().len(), 2);

    // Each noun: only what matches, only what nothing uses. A network and
    // a volume only the pruned domain used go next.
    let doc = json(
        &env,
        &["--yes", "domain", "prune", "--filter", "label=job=1"],
    );
    assert_eq!(pruned(&doc, "domains"), set(&["a"]), "{doc}");
    assert!(
        doc.get("images").is_none() && doc.get("blob_cache").is_none(),
        "{doc}"
    );
    let doc = json(&env, &["--yes", "network", "prune"]);
    assert_eq!(pruned(&doc, "networks"), set(&["n1", "n3"]), "{doc}");
    let doc = json(&env, &["--yes", "volume", "prune"]);
    assert_eq!(pruned(&doc, "volumes"), set(&["v1", "v3"]), "{doc}");
    let left = dir_names(&env.state_dir().join("volumes"));
    assert!(
        left.contains(&"v2".to_string()) && !left.contains(&"v1".to_string()),
        "{left:?}"
    );

    // system prune: the domains first, then what only they used; volumes
    // only with --volumes, tagged images only with --all.
    let doc = json(&env, &["--yes", "system", "prune"]);
    assert_eq!(pruned(&doc, "domains"), set(&["b"]), "{doc}");
    assert_eq!(pruned(&doc, "networks"), set(&["n2"]), "{doc}");
    assert!(doc.get("volumes").is_none(), "{doc}");
    assert_eq!(doc["images"][0]["id"], tar.id.as_str(), "{doc}");
    assert_eq!(doc["images"].as_array().unwrap().len(), 1, "{doc}");
    assert!(doc["blob_cache"]["blobs"].as_u64().unwrap() > 0, "{doc}");
    let out = run(env.vicport(["-q", "--yes", "system", "prune", "--all", "--volumes"]));
    assert_eq!(out.code(0).stdout, format!("v2\n{}\n", oci.id));
    for noun in ["domain", "network", "volume", "image"] {
        assert_eq!(json(&env, &[noun, "ls"]), serde_json::json!([]), "{noun}");
    }
    if is_root() {
        let bridges = dir_names(Path::new("/sys/class/net"));
        assert!(
            !bridges.iter().any(|b| b.starts_with("vp-n")),
            "a pruned network's bridge is gone: {bridges:?}"
        );
    }
    // Nothing left: nothing printed, exit 0.
    let out = run(env.vicport(["--yes", "system", "prune", "--all", "--volumes"]));
    assert_eq!(
        out.code(0).stdout,
        "blob cache: 0 blobs removed, 0 B reclaimed\n"
    );
}
