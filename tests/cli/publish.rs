//! Published ports (`--publish`) of local domains through the binary: bad
//! input and a host port in use need no guest; one booted domain serves
//! HTTP to this host through its published ports (127.0.0.1, the host's
//! own address, and back to itself through its gateway). As root, on
//! bridge networks of 10.22x.0.0/24; without root only the refusals.

use std::net::TcpListener;
use std::path::Path;

use serde_json::Value;

use crate::support::{Env, is_root, json, run};

/// A TCP port nothing on this host holds now.
fn free_port() -> u16 {
    TcpListener::bind(("0.0.0.0", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The nftables tables on this host.
fn nft_tables() -> String {
    let out = std::process::Command::new("nft")
        .args(["list", "tables"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The domain's table of published ports, as `nft list tables` names it.
fn table_of(id: &str) -> String {
    format!("vicport_pub_{}", &id[..16])
}

/// The ports attached to a network's bridge.
fn bridge_ports(env: &Env, network: &str) -> Vec<String> {
    let bridge = json(env, &["network", "inspect", network])["platform_ref"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::read_dir(Path::new("/sys/class/net").join(bridge).join("brif"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn published_ports_refuse_bad_input_and_a_host_port_in_use() {
    let env = Env::new();
    env.import_busybox();
    let create = |args: &[&str]| {
        let mut cmd = env.vicport(["-o", "json", "domain", "create"]);
        cmd.args(args).args(["busybox", "--", "true"]);
        run(cmd)
    };
    // Refused before anything is asked of the platform (exit 2).
    for (args, says) in [
        (&["-p", ":80"][..], "host port \"\" is not a port number"),
        (&["-p", "8080:80/sctp"], "\"sctp\" is not tcp or udp"),
        (&["-p", "localhost:8080:80"], "not an IPv4 address"),
        (&["-p", "8080:0"], "is not a port number"),
        (
            &["-p", "8080:80"],
            "publishes ports (0.0.0.0:8080->80/tcp) but joins no network",
        ),
        (
            &[
                "--name",
                "w",
                "--network",
                "n",
                "-p",
                "8080:80",
                "-p",
                "8080:81",
            ],
            "domain \"w\" publishes host port 8080/tcp twice",
        ),
    ] {
        let out = create(args);
        out.fails(2, "invalid_argument", says);
    }
    assert!(
        json(&env, &["domain", "ls"]).as_array().unwrap().is_empty(),
        "nothing was made"
    );

    // Ports go to a bridge network that leads somewhere.
    let sock = run(env
        .vicport(["network", "create", "s", "--subnet", "10.221.0.0/24"])
        .env("VICPORT_NETWORK_BACKING", "socket"));
    sock.code(0);
    let out = create(&["--name", "ws", "--network", "s", "-p", "8080:80"]);
    out.fails(1, "not_supported", "a socket network");
    if !is_root() {
        return;
    }
    run(env.vicport([
        "network",
        "create",
        "inside",
        "--internal",
        "--subnet",
        "10.222.0.0/24",
    ]))
    .code(0);
    let out = create(&["--name", "wi", "--network", "inside", "-p", "8080:80"]);
    out.code(2);
    assert!(out.stderr.contains("which is internal"), "{}", out.stderr);

    // A host port a program holds: the start fails before the boot image
    // or anything else is made, and leaves the domain as it was.
    run(env.vicport(["network", "create", "front", "--subnet", "10.223.0.0/24"])).code(0);
    let port = free_port();
    let published = format!("{port}:80");
    let web = create(&["--name", "web", "--network", "front", "-p", &published]);
    web.code(0);
    let id = web.json()["id"].as_str().unwrap().to_string();
    let ports = &json(&env, &["domain", "inspect", "web"])["ports"];
    assert_eq!(
        ports,
        &serde_json::json!([{"host_port": port, "port": 80, "protocol": "tcp"}])
    );
    // `domain port`: the same, as docker's port shows it, and one port.
    assert_eq!(json(&env, &["domain", "port", "web"]), *ports);
    let out = run(env.vicport(["domain", "port", "web", "80/tcp"]));
    assert_eq!(
        out.code(0).stdout,
        format!("PORT    HOST\n80/tcp  0.0.0.0:{port}\n")
    );
    let out = run(env.vicport(["-o", "json", "domain", "port", "web", "80/udp"]));
    out.fails(3, "not_found", "domain \"web\" publishes no port 80/udp");
    run(env.vicport(["domain", "port", "web", "80/sctp"])).code(2);
    let holder = TcpListener::bind(("0.0.0.0", port)).unwrap();
    let out = run(env.vicport(["-o", "json", "domain", "start", "web"]));
    out.fails(
        4,
        "taken",
        &format!("host port {port}/tcp is in use: a program of this host holds it"),
    );
    drop(holder);
    assert_eq!(
        json(&env, &["domain", "inspect", "web"])["state"],
        "created"
    );
    assert!(bridge_ports(&env, "front").is_empty(), "no tap is left");
    assert!(!nft_tables().contains(&table_of(&id)), "no table is left");
    // On a host address that is not this host's (exit 2).
    let wrong = create(&[
        "--name",
        "wrong",
        "--network",
        "front",
        "-p",
        "203.0.113.9:8080:80",
    ]);
    wrong.code(0);
    let out = run(env.vicport(["domain", "start", "wrong"]));
    out.code(2);
    assert!(
        out.stderr
            .contains("203.0.113.9 is not an address of this host"),
        "{}",
        out.stderr
    );

    // The network its ports go to stays while it publishes them (exit 4).
    let out = run(env.vicport(["-o", "json", "network", "disconnect", "front", "web"]));
    out.fails(
        4,
        "conflict",
        &format!("publishes ports (0.0.0.0:{port}->80/tcp) to its address on network \"front\""),
    );
    run(env.vicport(["domain", "rm", "web", "wrong"])).code(0);

    // -P publishes what the image exposes (8080/tcp and 53/udp in the
    // fixture's config) on ports chosen at each start, besides -p's,
    // which wins for its port; an image that exposes nothing, nothing.
    let dir = env.root().join("fixtures/exposed");
    std::fs::create_dir_all(&dir).unwrap();
    let layout = vicport::plumbing::image::fixtures::oci_layout(&dir).unwrap();
    run(env
        .vicport(["image", "import"])
        .arg(&layout.path)
        .args(["--name", "exposing"]))
    .code(0);
    let image = json(&env, &["image", "inspect", "exposing"]);
    assert_eq!(
        image["config"]["exposed_ports"],
        serde_json::json!(["53/udp", "8080/tcp"]),
        "{image}"
    );
    let mut cmd = env.vicport(["-o", "json", "domain", "create", "-P"]);
    cmd.args(["exposing", "--", "true"]);
    run(cmd).fails(2, "invalid_argument", "joins no network");
    let mut cmd = env.vicport(["domain", "create", "--name", "all", "-P"]);
    cmd.args([
        "--network",
        "front",
        "-p",
        "9090:8080",
        "exposing",
        "--",
        "true",
    ]);
    run(cmd).code(0);
    assert_eq!(
        json(&env, &["domain", "inspect", "all"])["ports"],
        serde_json::json!([
            {"host_port": 9090, "port": 8080, "protocol": "tcp"},
            {"host_port": 0, "port": 53, "protocol": "udp"},
        ])
    );
    let mut cmd = env.vicport(["domain", "create", "--name", "none", "-P"]);
    cmd.args(["--network", "front", "busybox", "--", "true"]);
    run(cmd).code(0);
    let none = json(&env, &["domain", "inspect", "none"]);
    assert!(
        none.get("ports")
            .is_none_or(|p| p.as_array().is_some_and(Vec::is_empty)),
        "{none}"
    );
    run(env.vicport(["domain", "rm", "all", "none"])).code(0);
}

#[test]
fn a_published_port_reaches_the_domain_from_this_host_and_from_itself() {
    if !is_root() {
        return; // bridge networks need root; the refusal is tested above
    }
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    run(env.vicport(["network", "create", "pub", "--subnet", "10.224.0.0/24"])).code(0);
    let (all, local) = (free_port(), free_port());
    let forwarded = |doc: &Value| -> Vec<(u64, u64)> {
        doc["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["host_port"].as_u64().unwrap(),
                    p["port"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let serve = "busybox mkdir -p /www && echo served-by-the-domain > /www/index.html && exec busybox httpd -f -p 80 -h /www";
    let out = run(env.booting([
        "-o",
        "json",
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "pub",
        "-p",
        &format!("{all}:80"),
        "-p",
        &format!("127.0.0.1:{local}:80"),
        "-p",
        "127.0.0.1::80",
        "busybox",
        "--",
        "sh",
        "-c",
        serve,
    ]));
    out.code(0);
    let id = out.json()["id"].as_str().unwrap().to_string();
    let get = |url: &str| {
        std::process::Command::new("busybox")
            .args(["wget", "-q", "-O", "-", url])
            .output()
            .unwrap()
    };
    // httpd is up once it answers on its own address.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let guest = json(&env, &["domain", "inspect", "web"])["networks"][0]["ip"]
        .as_str()
        .unwrap()
        .to_string();
    while !get(&format!("http://{guest}/")).status.success() {
        assert!(std::time::Instant::now() < deadline, "httpd never answered");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let page = |url: &str| {
        let out = get(url);
        assert!(out.status.success(), "{url}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        page(&format!("http://127.0.0.1:{all}/")),
        "served-by-the-domain\n"
    );
    assert_eq!(
        page(&format!("http://127.0.0.1:{local}/")),
        "served-by-the-domain\n"
    );
    // The port the host chose, as `domain inspect` shows it while it runs.
    let ports = forwarded(&json(&env, &["domain", "inspect", "web"]));
    assert_eq!(ports[..2], [(u64::from(all), 80), (u64::from(local), 80)]);
    let chosen = ports[2].0;
    assert!(chosen != 0 && ports[2].1 == 80, "{ports:?}");
    assert_eq!(
        forwarded(&serde_json::json!({"ports": json(&env, &["domain", "port", "web"])})),
        ports,
        "domain port shows the chosen host port too"
    );
    // `domain ls` shows them too, in JSON and in its PORTS column.
    assert_eq!(forwarded(&json(&env, &["domain", "ls"])[0]), ports);
    let table = run(env.vicport(["domain", "ls"]));
    assert!(
        table.stdout.contains(&format!(
            "0.0.0.0:{all}->80/tcp, 127.0.0.1:{local}->80/tcp, 127.0.0.1:{chosen}->80/tcp"
        )),
        "{}",
        table.stdout
    );
    assert_eq!(
        page(&format!("http://127.0.0.1:{chosen}/")),
        "served-by-the-domain\n"
    );
    // The host's own address, when it has one besides loopback and
    // vicport's bridges.
    let addrs = std::process::Command::new("ip")
        .args(["-j", "-4", "addr", "show", "scope", "global"])
        .output()
        .unwrap();
    let addrs: Value = serde_json::from_slice(&addrs.stdout).unwrap();
    let host_ip = addrs
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["ifname"].as_str().unwrap_or("").starts_with("vp-"))
        .flat_map(|l| l["addr_info"].as_array().cloned().unwrap_or_default())
        .find_map(|a| a["local"].as_str().map(str::to_string));
    if let Some(ip) = &host_ip {
        assert_eq!(
            page(&format!("http://{ip}:{all}/")),
            "served-by-the-domain\n"
        );
        // Published on 127.0.0.1 alone: not on the host's address.
        assert!(!get(&format!("http://{ip}:{local}/")).status.success());
    }
    // From the domain itself, through its gateway (hairpin).
    let out = run(env.booting([
        "exec",
        "web",
        "--",
        "busybox",
        "wget",
        "-q",
        "-O",
        "-",
        &format!("http://10.224.0.1:{all}/"),
    ]));
    out.code(0);
    assert_eq!(out.stdout, "served-by-the-domain\n");

    // The host port is held while the domain runs: another domain that
    // publishes it is refused, naming the holder; so is a program.
    let other = run(env.vicport([
        "domain",
        "create",
        "--name",
        "other",
        "--network",
        "pub",
        "-p",
        &format!("{all}:81"),
        "busybox",
        "--",
        "true",
    ]));
    other.code(0);
    let out = run(env.booting(["domain", "start", "other"]));
    out.code(4);
    assert!(
        out.stderr.contains(&format!(
            "host port {all}/tcp is in use: domain \"web\" publishes it"
        )),
        "{}",
        out.stderr
    );
    assert!(TcpListener::bind(("0.0.0.0", all)).is_err());

    // Stopped: the table and the host ports are gone.
    assert!(nft_tables().contains(&table_of(&id)));
    run(env.booting(["domain", "stop", "web"])).code(0);
    assert!(!nft_tables().contains(&table_of(&id)), "the table is gone");
    drop(TcpListener::bind(("0.0.0.0", all)).expect("the host port is free again"));
    drop(TcpListener::bind(("127.0.0.1", local)).expect("the host port is free again"));
    assert!(!get(&format!("http://127.0.0.1:{all}/")).status.success());
    // Stopped, the port for the host to choose is 0 again.
    let ports = forwarded(&json(&env, &["domain", "inspect", "web"]));
    assert_eq!(ports[2], (0, 80));
}
