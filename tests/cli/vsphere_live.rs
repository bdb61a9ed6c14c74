//! vSphere domains while they run, against vcsim with a `tether serve`
//! standing in for each guest (see `vsphere::StandIn`): many commands on
//! one domain through its relay, a relay killed under a session, and
//! networks joining and leaving a running domain (the stand-in records
//! what a guest would configure: `tether serve --net-record`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use vicport::plumbing::domain::Realize;
use vicport::plumbing::vsphere::xml::MoRef;
use vicport::plumbing::vsphere::{keys, vim};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run, run_all};
use crate::vsphere::{
    StandIn, cache_dir, fake_boot_image, import_busybox, library, log_in, log_out,
};

/// The relay directory of `domain`.
fn relay_dir(env: &Env, domain: &str) -> PathBuf {
    let out = run(env.vicport(["-o", "json", "domain", "inspect", domain]));
    out.code(0);
    let id = out.json()["id"].as_str().unwrap().to_string();
    cache_dir(env).join("relays").join(id)
}

/// The pids of the relays that said they relay `domain`, from its log.
fn relay_pids(env: &Env, domain: &str) -> Vec<i32> {
    let log = std::fs::read_to_string(relay_dir(env, domain).join("relay.log")).unwrap_or_default();
    log.lines()
        .filter_map(|l| l.split("(pid ").nth(1))
        .filter_map(|p| p.trim_end_matches(')').parse().ok())
        .collect()
}

/// The MACs of a domain's vmxnet3 NICs, as vcsim has them.
pub(crate) fn nics(v: &Vcsim, env: &Env, domain: &str) -> Vec<String> {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let info = p.inspect_domain(domain).await.unwrap();
        let vm = MoRef::new("VirtualMachine", info.platform_ref.id);
        let o = vim::retrieve_one(p.session(), &vm, &["config.hardware.device"])
            .await
            .unwrap();
        o.props["config.hardware.device"]
            .children
            .iter()
            .filter(|d| d.xsi_type.as_deref() == Some("VirtualVmxnet3"))
            .filter_map(|d| d.child_text("macAddress").map(str::to_string))
            .collect()
    })
}

/// A test's own vcsim, logged in, with the image `busybox` and a boot ISO.
pub(crate) fn world() -> (Env, Vcsim) {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    (env, v)
}

fn start_domain(env: &Env, name: &str, net: Option<&str>) {
    let mut args = vec!["run", "-d", "--name", name];
    if let Some(n) = net {
        args.extend(["--network", n]);
    }
    args.extend(["busybox", "--", "sh", "-c", "sleep 600"]);
    run(env.vicport(&args)).code(0);
}

/// Eight `exec`s at once on one domain go through one relay process; a
/// relay killed with SIGKILL fails the session it carried (exit 125, not
/// silence) and the next command starts a new relay.
#[test]
fn eight_concurrent_execs_share_one_relay_and_a_killed_relay_fails_its_sessions() {
    let (env, v) = world();
    start_domain(&env, "web", None);
    let _guest = StandIn::start(&env, &v, "web");

    let execs = (0..8).map(|i| {
        env.vicport([
            "exec",
            "web",
            "--",
            "sh",
            "-c",
            &format!("sleep 1; echo exec-{i}"),
        ])
    });
    for (i, out) in run_all(execs).into_iter().enumerate() {
        out.code(0);
        assert_eq!(out.stdout, format!("exec-{i}\n"), "{}", out.stderr);
    }
    let pids = relay_pids(&env, "web");
    assert_eq!(pids.len(), 1, "one relay for all eight: {pids:?}");
    let dir = relay_dir(&env, "web");
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(dir.join("relay.sock")), 0o600);
    assert_eq!(mode(dir.clone()), 0o700);

    // A session in flight when its relay is SIGKILLed: an error, exit 125.
    let long = env
        .vicport(["exec", "web", "--", "sh", "-c", "echo started; sleep 30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: kill(2) of the relay process this test's vicport started.
    unsafe { libc::kill(pids[0], libc::SIGKILL) };
    let t = Instant::now();
    let out = long.wait_with_output().unwrap();
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    assert_eq!(
        out.status.code(),
        Some(125),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "started\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("link"), "{stderr}");

    // The next command starts a new relay.
    let out = run(env.vicport(["exec", "web", "--", "echo", "again"]));
    out.code(0);
    assert_eq!(out.stdout, "again\n");
    let pids = relay_pids(&env, "web");
    assert_eq!(pids.len(), 2, "{pids:?}");

    // The relay goes when the domain powers off: its link ends.
    run(env.vicport(["domain", "stop", "-t", "2", "web"])).code(0);
    relay_ended(&env, "web", pids[1], "the link to the domain closed");
    log_out(&env);
}

/// Wait for relay `pid` of `domain` to exit, and its log to say `why`.
fn relay_ended(env: &Env, domain: &str, pid: i32, why: &str) {
    let t = Instant::now();
    while alive(pid) {
        assert!(t.elapsed() < Duration::from_secs(20), "relay {pid} stayed");
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(relay_dir(env, domain).join("relay.log")).unwrap();
    assert!(log.contains(&format!("relay ends: {why}")), "{log}");
}

/// Whether a process runs (a zombie does not).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

/// Another client host's Hello on the domain's serial line (a stand-in
/// that gives every connection the same line) ends this host's link: the
/// relay's session ends with exit 125 saying why, and the next command
/// takes the line back through a new relay, which exits when idle.
#[test]
fn another_client_host_taking_the_line_over_is_reported_to_the_relays_clients() {
    use std::io::Write as _;
    let (env, v) = world();
    start_domain(&env, "web", None);
    let _guest = StandIn::start_line(&env, &v, "web");
    let long = env
        .vicport(["exec", "web", "--", "sh", "-c", "echo started; sleep 30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2000));

    // Another client host says Hello on the same line.
    let extra = crate::vsphere::guestinfo(&v, &env, "web");
    let port: u16 = extra[keys::LINK_PORT].parse().unwrap();
    let mut other = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let hello = tether_protocol::Message::Hello {
        versions: tether_protocol::Versions::SUPPORTED,
        token: hex::decode(&extra[keys::TOKEN]).unwrap(),
    };
    other.write_all(&hello.to_frame(0)).unwrap();

    let out = long.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(125), "{stderr}");
    assert!(
        stderr.contains("another client host took the domain's link over"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "started\n");

    // This host takes it back; that relay goes after a second without
    // clients.
    let out = run(env
        .vicport(["exec", "web", "--", "echo", "back"])
        .env("VICPORT_RELAY_IDLE", "1s"));
    out.code(0);
    assert_eq!(out.stdout, "back\n");
    let pids = relay_pids(&env, "web");
    assert_eq!(pids.len(), 2, "{pids:?}");
    relay_ended(&env, "web", pids[1], "idle");
    drop(other);
    log_out(&env);
}

/// `network connect` and `disconnect` of a running domain: one
/// reconfigure adds the vmxnet3 NIC, then the tether configures it (here
/// the stand-in records it); a peer learns the new name; an address in use
/// is exit 4 with nothing half-added; a domain whose tether does not
/// answer gets its NIC and address taken back.
#[test]
fn networks_join_and_leave_running_domains() {
    let (env, v) = world();
    run(env.vicport(["network", "create", "backend", "--subnet", "10.0.9.0/24"])).code(0);
    start_domain(&env, "db", Some("backend"));
    start_domain(&env, "web", None);
    let record = |d: &str| env.root().join(format!("{d}.net"));
    let read = |d: &str| std::fs::read_to_string(record(d)).unwrap_or_default();
    let _db = StandIn::start_with(
        &env,
        &v,
        "db",
        &["--net-record", record("db").to_str().unwrap()],
    );
    let _web = StandIn::start_with(
        &env,
        &v,
        "web",
        &["--net-record", record("web").to_str().unwrap()],
    );
    assert_eq!(nics(&v, &env, "web"), Vec::<String>::new());

    let out = run(env.vicport(["-o", "json", "network", "connect", "backend", "web"]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["ip"], "10.0.9.3");
    let mac = doc["mac"].as_str().unwrap().to_string();
    assert_eq!(nics(&v, &env, "web"), [mac]);
    let web = read("web");
    assert!(
        web.starts_with(
            "add_ipv4 sim0 10.0.9.3/24\nlink_up sim0\ndefault_route 10.0.9.1\nwrite /etc/hosts\n"
        ),
        "{web}"
    );
    assert!(web.contains("  10.0.9.2\tdb\n"), "{web}");
    // The peer on the network learned the new name.
    let db = read("db");
    assert!(db.contains("  10.0.9.3\tweb\n"), "{db}");
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "web"]));
    assert_eq!(out.json()["state"], "running");
    assert_eq!(out.json()["networks"][0]["ip"], "10.0.9.3");

    // An address in use: exit 4, no NIC, no address held.
    start_domain(&env, "api", None);
    let out = run(env.vicport([
        "-o", "json", "network", "connect", "--ip", "10.0.9.3", "backend", "api",
    ]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "taken");
    assert_eq!(nics(&v, &env, "api"), Vec::<String>::new());
    let endpoints = |env: &Env| {
        let out = run(env.vicport(["-o", "json", "network", "inspect", "backend"]));
        let mut names: Vec<String> = out.json()["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["domain"].as_str().unwrap(),
                    e["ip"].as_str().unwrap()
                )
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(endpoints(&env), ["db 10.0.9.2", "web 10.0.9.3"]);

    // No tether answers for api: the NIC the reconfigure added is taken
    // back, and its address is free again.
    let t = Instant::now();
    let out = run(env.vicport(["-o", "json", "network", "connect", "backend", "api"]));
    out.code(5);
    let err = out.json_error();
    assert_eq!(err["error"]["kind"], "unreachable", "{err}");
    assert!(
        err["error"]["hint"]
            .as_str()
            .unwrap()
            .starts_with("nothing changed"),
        "{err}"
    );
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    assert_eq!(nics(&v, &env, "api"), Vec::<String>::new());
    assert_eq!(endpoints(&env), ["db 10.0.9.2", "web 10.0.9.3"]);

    // Disconnect: the tether takes the interface down, then the NIC goes
    // and the address returns to the pool; the peer forgets the name.
    let out = run(env.vicport(["-o", "json", "network", "disconnect", "backend", "web"]));
    out.code(0);
    let web = read("web");
    assert!(web.contains("clear_ipv4 sim0\nlink_down sim0\n"), "{web}");
    assert_eq!(nics(&v, &env, "web"), Vec::<String>::new());
    assert_eq!(endpoints(&env), ["db 10.0.9.2"]);
    let db = read("db");
    let last_hosts = db.rsplit("write /etc/hosts\n").next().unwrap();
    assert!(!last_hosts.contains("web"), "{db}");
    // The address is free again: the next connect gets it.
    run(env.vicport(["domain", "kill", "api"])).code(0);
    let out = run(env.vicport(["-o", "json", "network", "connect", "backend", "api"]));
    out.code(0);
    assert_eq!(out.json()["ip"], "10.0.9.3");
    log_out(&env);
}
