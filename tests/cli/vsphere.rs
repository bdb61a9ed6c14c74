//! vicport against a vSphere endpoint: the govmomi simulator (vcsim), built
//! from Debian's sources by tests/vcsim and started once per test.
//!
//! `domain create` needs an image, and the vSphere image store does not
//! exist yet: where a test needs a domain, it makes one through the library
//! (`VspherePlatform::commit` of a new handle), then drives everything else
//! through the binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use vicport::plumbing::platform::Platform;
use vicport::plumbing::spec::{DomainSpec, Handle, PowerChange};
use vicport::plumbing::vsphere::{VspherePlatform, VsphereSettings};

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run, run_all, run_with_stdin};

/// The simulator every vSphere test talks to starts and speaks vim25.
#[test]
fn vcsim_starts_and_serves_the_sdk() {
    let v = Vcsim::start();
    let body = "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let text = rt.block_on(async {
        reqwest::Client::new()
            .post(&v.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/6.5")
            .body(body)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert!(text.contains("<apiType>VirtualCenter</apiType>"), "{text}");
}

/// `target add vc1` for the simulator, `login --password-stdin`, and make
/// it the current target.
fn log_in(env: &Env, v: &Vcsim) {
    let mut add: Vec<std::ffi::OsString> = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(v.target_args());
    run(env.vicport(&add)).code(0);
    run_with_stdin(
        env.vicport(["login", "vc1", "--password-stdin"]),
        &format!("{}\n", v.password),
    )
    .code(0);
    run(env.vicport(["target", "use", "vc1"])).code(0);
}

/// Forget the password again (the keyring outlives the test).
fn log_out(env: &Env) {
    run(env.vicport(["logout", "vc1"])).code(0);
}

/// The library's platform for the simulator, on a runtime of its own.
fn library(v: &Vcsim) -> (tokio::runtime::Runtime, VspherePlatform) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = rt.block_on(async {
        let mut s = VsphereSettings::new(v.url.clone());
        s.username = Some(v.username.clone());
        let password = v.password.clone();
        VspherePlatform::connect("lib", s, Arc::new(move || Ok(password.clone())), None)
            .await
            .unwrap()
    });
    (rt, p)
}

/// Make domains through the library (the image store that `domain create`
/// needs is not there yet); `on` powers them on.
fn make_domains(v: &Vcsim, names: &[&str], on: bool) {
    let (rt, p) = library(v);
    rt.block_on(async {
        for name in names {
            let mut h = Handle::new_domain(DomainSpec::new(*name, "busybox:latest"));
            if on {
                h.set_power(PowerChange::On);
            }
            p.commit(h).await.unwrap();
        }
    });
}

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The names of the simulator's volume directories.
fn volume_dirs(v: &Vcsim) -> Vec<String> {
    walk(v.dir())
        .into_iter()
        .filter(|p| p.parent().and_then(Path::file_name) == Some("vicport-volumes".as_ref()))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn names(doc: &serde_json::Value) -> Vec<String> {
    doc.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn volumes_are_first_class_disks_on_vcenter() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);

    let out = run(env.vicport([
        "-o", "json", "volume", "create", "data", "--size", "64MiB", "-l", "app=db",
    ]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["name"], "data");
    assert_eq!(doc["size_bytes"], 64 << 20);
    assert_eq!(doc["store"], "[LocalDS_0]");
    assert_eq!(doc["backing"], "fcd");
    assert_eq!(doc["labels"]["app"], "db");
    assert_eq!(doc["used_by"], serde_json::json!([]));
    assert!(doc["created"].as_str().unwrap().contains('T'), "{doc}");
    assert_eq!(doc["platform_ref"]["platform"], "vsphere");
    assert!(
        doc["platform_ref"]["path"]
            .as_str()
            .unwrap()
            .starts_with("[LocalDS_0] "),
        "{doc}"
    );

    // Refused before anything is made: exit codes and no new directory.
    for (args, code, kind) in [
        (vec!["data", "--size", "1GiB"], 4, "conflict"),
        (vec!["zero", "--size", "0"], 2, "invalid_argument"),
        (vec!["huge", "--size", "100TiB"], 2, "invalid_argument"),
        (vec!["Bad", "--size", "1MiB"], 2, "invalid_argument"),
        (vec!["a/b", "--size", "1MiB"], 2, "invalid_argument"),
        (
            vec!["x", "--size", "1MiB", "--store", "[OtherDS]"],
            2,
            "invalid_argument",
        ),
    ] {
        let mut cmd = vec!["-o", "json", "volume", "create"];
        cmd.extend(&args);
        let out = run(env.vicport(&cmd));
        out.code(code);
        assert_eq!(out.json_error()["error"]["kind"], kind, "{args:?}");
    }
    assert_eq!(volume_dirs(&v), ["data"]);

    let out = run(env.vicport(["-o", "json", "volume", "ls"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["data"]);
    let out = run(env.vicport(["volume", "ls"]));
    out.code(0);
    let row = out.stdout.lines().find(|l| l.starts_with("data")).unwrap();
    assert!(row.contains("[LocalDS_0]") && row.contains("fcd"), "{row}");
    let out = run(env.vicport(["-o", "json", "volume", "inspect", "data"]));
    out.code(0);
    assert_eq!(out.json()["backing"], "fcd");
    assert_eq!(out.json()["size_bytes"], 64 << 20);

    let out = run(env.vicport(["-o", "json", "volume", "rm", "data"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([{"name": "data"}]));
    assert!(volume_dirs(&v).is_empty());
    let out = run(env.vicport(["-o", "json", "volume", "inspect", "data"]));
    out.code(3);
    assert_eq!(out.json_error()["error"]["kind"], "not_found");
    run(env.vicport(["volume", "rm", "data"])).code(3);
    let out = run(env.vicport(["-o", "json", "volume", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    log_out(&env);
}

#[test]
fn volumes_are_vmdks_on_a_standalone_host() {
    let env = Env::new();
    let v = Vcsim::with(Options {
        args: vec!["-esx".into()],
        ..Options::default()
    });
    log_in(&env, &v);
    let out = run(env.vicport(["-o", "json", "volume", "create", "logs", "--size", "16MiB"]));
    out.code(0);
    assert_eq!(out.json()["backing"], "vmdk");
    assert_eq!(
        out.json()["platform_ref"]["path"],
        "[LocalDS_0] vicport-volumes/logs/logs.vmdk"
    );
    assert!(
        walk(v.dir())
            .iter()
            .any(|p| p.ends_with("vicport-volumes/logs/logs.vmdk")),
        "the disk is on the datastore"
    );
    let out = run(env.vicport(["-o", "json", "volume", "ls"]));
    assert_eq!(names(&out.json()), ["logs"]);
    run(env.vicport(["volume", "rm", "logs"])).code(0);
    assert!(volume_dirs(&v).is_empty());
    log_out(&env);
}

#[test]
fn networks_connect_and_disconnect_domains() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    let out = run(env.vicport([
        "-o",
        "json",
        "network",
        "create",
        "backend",
        "--subnet",
        "10.0.9.0/24",
        "--dns",
        "10.0.0.53",
        "-l",
        "tier=back",
    ]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["name"], "backend");
    assert_eq!(doc["subnet"], "10.0.9.0/24");
    assert_eq!(doc["gateway"], "10.0.9.1");
    assert_eq!(doc["dns"], serde_json::json!(["10.0.0.53"]));
    assert_eq!(doc["internal"], false);
    assert_eq!(doc["labels"]["tier"], "back");
    assert_eq!(doc["backing"], "dvportgroup");
    assert_eq!(doc["endpoints"], serde_json::json!([]));
    assert_eq!(doc["platform_ref"]["path"], "vicport-backend");

    for (args, code, kind) in [
        (vec!["other", "--subnet", "10.0.0.0/16"], 4, "conflict"),
        (vec!["backend", "--subnet", "10.1.0.0/16"], 4, "conflict"),
        (
            vec!["hostbits", "--subnet", "10.2.0.5/24"],
            2,
            "invalid_argument",
        ),
        (
            vec!["tiny", "--subnet", "10.3.0.0/31"],
            2,
            "invalid_argument",
        ),
        (
            vec!["Bad", "--subnet", "10.4.0.0/24"],
            2,
            "invalid_argument",
        ),
    ] {
        let mut cmd = vec!["-o", "json", "network", "create"];
        cmd.extend(&args);
        let out = run(env.vicport(&cmd));
        out.code(code);
        assert_eq!(out.json_error()["error"]["kind"], kind, "{args:?}");
    }
    run(env.vicport(["network", "create", "x", "--subnet", "nonsense"])).code(2);
    let out = run(env.vicport(["-o", "json", "network", "ls"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["backend"]);

    make_domains(&v, &["web"], false);
    let out = run(env.vicport(["-o", "json", "network", "connect", "backend", "web"]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["domain"], "web");
    assert_eq!(doc["network"], "backend");
    assert_eq!(doc["ip"], "10.0.9.2");
    let mac = doc["mac"].as_str().unwrap().to_string();
    assert!(mac.starts_with("00:50:56:"), "{doc}");
    // Connecting twice is a conflict.
    run(env.vicport(["network", "connect", "backend", "web"])).code(4);

    let out = run(env.vicport(["-o", "json", "network", "inspect", "backend"]));
    out.code(0);
    assert_eq!(
        out.json()["endpoints"],
        serde_json::json!([{"domain": "web", "ip": "10.0.9.2", "mac": mac}])
    );
    let out = run(env.vicport(["network", "ls"]));
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("backend"))
        .unwrap();
    assert!(row.ends_with('1'), "{row}");
    let out = run(env.vicport(["-o", "json", "network", "rm", "backend"]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "conflict");

    let out = run(env.vicport(["-o", "json", "network", "disconnect", "backend", "web"]));
    out.code(0);
    assert_eq!(
        out.json(),
        serde_json::json!({"domain": "web", "network": "backend"})
    );
    run(env.vicport(["network", "disconnect", "backend", "web"])).code(3);
    let out = run(env.vicport(["-o", "json", "network", "inspect", "backend"]));
    assert_eq!(out.json()["endpoints"], serde_json::json!([]));
    let out = run(env.vicport(["-o", "json", "network", "rm", "backend"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([{"name": "backend"}]));
    let out = run(env.vicport(["-o", "json", "network", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    run(env.vicport(["network", "inspect", "backend"])).code(3);
    log_out(&env);
}

#[test]
fn fifty_concurrent_connects_through_the_binary_get_fifty_addresses() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    run(env.vicport(["network", "create", "busy", "--subnet", "10.0.9.0/24"])).code(0);
    let domains: Vec<String> = (0..50).map(|i| format!("d{i:02}")).collect();
    let refs: Vec<&str> = domains.iter().map(String::as_str).collect();
    make_domains(&v, &refs, false);
    let connects = domains
        .iter()
        .map(|d| env.vicport(["-o", "json", "network", "connect", "busy", d]));
    let mut ips = std::collections::BTreeSet::new();
    for out in run_all(connects) {
        out.code(0);
        let doc = out.json();
        assert!(ips.insert(doc["ip"].as_str().unwrap().to_string()), "{doc}");
    }
    assert_eq!(ips.len(), 50);
    let out = run(env.vicport(["-o", "json", "network", "inspect", "busy"]));
    let endpoints = out.json()["endpoints"].as_array().unwrap().clone();
    assert_eq!(endpoints.len(), 50);
    let shown: std::collections::BTreeSet<String> = endpoints
        .iter()
        .map(|e| e["ip"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown, ips);
    log_out(&env);
}

/// The vim25 calls one invocation made, from its `--debug` summary.
fn calls(stderr: &str) -> std::collections::BTreeMap<String, u64> {
    stderr
        .lines()
        .filter(|l| l.contains("vim25 requests"))
        .filter_map(|l| {
            let field = |name: &str| {
                l.split_whitespace()
                    .find_map(|w| w.strip_prefix(name))
                    .map(str::to_string)
            };
            Some((field("method=")?, field("calls=")?.parse().ok()?))
        })
        .collect()
}

#[test]
fn domain_ls_is_one_round_trip() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    make_domains(&v, &["a", "b", "c"], false);
    let out = run(env.vicport(["--debug", "-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["a", "b", "c"]);
    assert_eq!(
        calls(&out.stderr),
        [
            ("CreateContainerView".to_string(), 1),
            ("DestroyView".to_string(), 1),
            ("RetrievePropertiesEx".to_string(), 1),
        ]
        .into(),
        "{}",
        out.stderr
    );
    log_out(&env);
}

#[test]
fn logs_tail_and_print_the_domains_output() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    make_domains(&v, &["web"], false);
    // No guest runs on vcsim: write what the tether would write, CRI lines,
    // into the file the domain's serial port is backed by (its directory on
    // the simulator's datastore).
    let dir = walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.file_name() == Some("web".as_ref()))
        .expect("the VM's directory");
    let mut text = String::new();
    for i in 0..1000 {
        let stream = if i % 10 == 9 { "stderr" } else { "stdout" };
        text.push_str(&format!(
            "2026-11-28T10:00:00.{i:09}Z {stream} F line {i}\n"
        ));
    }
    std::fs::write(dir.join("output.log"), text).unwrap();

    let out = run(env.vicport(["logs", "--tail", "3", "web"]));
    out.code(0);
    assert_eq!(out.stdout, "line 997\nline 998\n");
    assert_eq!(out.stderr, "line 999\n");
    let out = run(env.vicport(["domain", "logs", "-n", "1", "--timestamps", "web"]));
    assert_eq!(out.stderr, "2026-11-28T10:00:00.000000999Z line 999\n");
    let out = run(env.vicport(["-o", "json", "logs", "--tail", "2", "web"]));
    out.code(0);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["stream"], "stderr");
    assert_eq!(lines[1]["text"], "line 999");
    assert_eq!(lines[1]["partial"], false);
    let out = run(env.vicport(["logs", "web"]));
    assert_eq!(out.stdout.lines().count(), 900);
    run(env.vicport(["logs", "nope"])).code(3);

    // --follow prints what is added until the domain powers off.
    make_domains(&v, &["live"], true);
    let log = walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.file_name() == Some("live".as_ref()))
        .expect("the VM's directory")
        .join("output.log");
    std::fs::write(&log, "2026-11-28T10:00:00Z stdout F first\n").unwrap();
    let follower = env
        .vicport(["logs", "--follow", "live"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"2026-11-28T10:00:01Z stdout F second\n")
            .unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (rt, p) = library(&v);
    rt.block_on(p.kill_domain("live", 9)).unwrap();
    let out = follower.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "first\nsecond\n");
    log_out(&env);
}
