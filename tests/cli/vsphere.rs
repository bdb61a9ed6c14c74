//! vicport against a vSphere endpoint: the govmomi simulator (vcsim), built
//! from Debian's sources by tests/vcsim and started once per test.
//!
//! vcsim runs the API, not guests: nothing boots from the CD-ROM, no tether
//! answers on a domain's serial port. So:
//! - the boot ISO is a small stand-in file, recorded as the test's current
//!   boot image in its cache ([`fake_boot_image`]); it is uploaded like the
//!   real one (the real ISO boots under QEMU in the boot image's own tests);
//! - where a test needs a guest's tether, a `tether serve` process built
//!   from this workspace listens on 127.0.0.1 at the domain's link port,
//!   with the domain's token and the config document vicport wrote into
//!   its guestinfo: vcsim's hosts have 127.0.0.1 as their management
//!   address, so the link vicport opens to "the host" reaches it.
//!
//! Tests that only need domains to exist (networks, logs) make them
//! through the library, from an image imported through the binary.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vicport::plumbing::domain::Realize;
use vicport::plumbing::image::fixtures;
use vicport::plumbing::spec::{DomainSpec, Handle, PowerChange};
use vicport::plumbing::vsphere::xml::MoRef;
use vicport::plumbing::vsphere::{VspherePlatform, VsphereSettings, guest, keys, vim};

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run, run_all, run_with_stdin, tether};

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
pub(crate) fn log_in(env: &Env, v: &Vcsim) {
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
pub(crate) fn log_out(env: &Env) {
    run(env.vicport(["logout", "vc1"])).code(0);
}

/// The test's cache directory (what vicport uses under XDG_CACHE_HOME).
pub(crate) fn cache_dir(env: &Env) -> PathBuf {
    env.root().join("cache/vicport")
}

/// Record a boot image whose ISO is a small stand-in as the current one in
/// the test's cache, the way `vicport system bootstrap` records the real
/// one; returns the ISO's path.
pub(crate) fn fake_boot_image(env: &Env) -> PathBuf {
    let dir = cache_dir(env).join("boot/fake");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("vmlinuz"), b"not a kernel").unwrap();
    std::fs::write(dir.join("initramfs.img"), b"not an initramfs").unwrap();
    let iso = dir.join("bootstrap.iso");
    std::fs::write(
        &iso,
        b"a stand-in for the boot ISO: vcsim boots nothing\n".repeat(100),
    )
    .unwrap();
    let current = serde_json::json!({
        "dir": dir,
        "kernel": dir.join("vmlinuz"),
        "initramfs": dir.join("initramfs.img"),
        "iso": iso,
        "kernel_version": "6.1.0-fake",
        "hz": 250,
    });
    std::fs::write(
        cache_dir(env).join("boot/current.json"),
        serde_json::to_vec(&current).unwrap(),
    )
    .unwrap();
    iso
}

/// A fresh directory for fixtures under the test's root.
fn fixture_dir(env: &Env, name: &str) -> PathBuf {
    let dir = env.root().join("fixtures").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Import the busybox rootfs tar as `name` through the binary; its id.
pub(crate) fn import_busybox(env: &Env, name: &str) -> String {
    let tar = fixtures::rootfs_tar(&fixture_dir(env, "rootfs"), false).unwrap();
    let out = run(env
        .vicport(["-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", name]));
    out.code(0);
    let id = out.json()["id"].as_str().unwrap().to_string();
    assert_eq!(id, tar.id);
    id
}

/// The library's platform for the simulator, on a runtime of its own,
/// with the test's cache (its boot image).
pub(crate) fn library(v: &Vcsim, env: &Env) -> (tokio::runtime::Runtime, VspherePlatform) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = rt.block_on(async {
        let mut s = VsphereSettings::new(v.url.clone());
        s.username = Some(v.username.clone());
        let password = v.password.clone();
        let mut p =
            VspherePlatform::connect("lib", s, Arc::new(move || Ok(password.clone())), None)
                .await
                .unwrap();
        p.set_cache_dir(cache_dir(env));
        p
    });
    (rt, p)
}

/// Make domains of the image `busybox` (imported through the binary) with
/// the library; `on` powers them on.
fn make_domains(env: &Env, v: &Vcsim, names: &[&str], on: bool) {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        for name in names {
            let mut spec = DomainSpec::new(*name, "busybox:latest");
            spec.process.argv = vec!["sh".into()];
            let mut h = Handle::new_domain(spec);
            if on {
                h.set_power(PowerChange::On);
            }
            p.domains().commit(h).await.unwrap();
        }
    });
}

/// A domain's extraConfig, read through the library.
pub(crate) fn guestinfo(
    v: &Vcsim,
    env: &Env,
    domain: &str,
) -> std::collections::BTreeMap<String, String> {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let info = p.inspect_domain(domain).await.unwrap();
        let vm = MoRef::new("VirtualMachine", info.platform_ref.id);
        let o = vim::retrieve_one(p.session(), &vm, &["config.extraConfig"])
            .await
            .unwrap();
        vim::option_values(&o.props["config.extraConfig"])
    })
}

/// The vim25 and datastore requests one invocation made, and the bytes it
/// moved, from its `--debug` summary (`method=datastore PUT calls=3`,
/// `counter=datastore bytes written bytes=4096`).
fn requests(stderr: &str) -> std::collections::BTreeMap<String, u64> {
    stderr
        .lines()
        .filter_map(|l| {
            let (key, value) = if l.contains("vim25 requests") {
                ("method=", " calls=")
            } else if l.contains("vim25 transfer") {
                ("counter=", " bytes=")
            } else {
                return None;
            };
            let rest = &l[l.find(key)? + key.len()..];
            let (what, n) = rest.split_once(value)?;
            Some((what.to_string(), n.trim().parse().ok()?))
        })
        .collect()
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
        (vec!["data", "--size", "1GiB"], 4, "taken"),
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

/// `volume create` on a vCenter announcing `api`: the CreateDisk_Task
/// request vicport sent, after the harness has checked every request
/// against that version's schema.
fn create_disk_request(api: &str) -> String {
    let env = Env::new();
    let v = Vcsim::with(Options {
        api_version: Some(api.into()),
        ..Options::default()
    });
    assert_eq!(v.api_version, api);
    log_in(&env, &v);
    let out = run(env.vicport(["-o", "json", "system", "info"]));
    out.code(0);
    assert_eq!(out.json()["details"]["api_version"], api);
    let out = run(env.vicport(["-o", "json", "volume", "create", "data", "--size", "16MiB"]));
    out.code(0);
    assert_eq!(out.json()["backing"], "fcd");
    run(env.vicport(["volume", "rm", "data"])).code(0);
    log_out(&env);
    let requests = v.requests();
    let creates: Vec<_> = requests
        .iter()
        .filter(|r| r.method() == "CreateDisk_Task")
        .collect();
    assert_eq!(creates.len(), 1, "one CreateDisk_Task");
    assert_eq!(creates[0].action, format!("urn:vim25/{api}"));
    v.check_requests();
    creates[0].body.clone()
}

/// vCenter 6.5 refuses `VslmCreateSpec.keepAfterDeleteVm` (API 6.7 and
/// later): it is sent only to a server that knows it.
#[test]
fn volume_create_sends_only_what_the_servers_api_version_has() {
    let old = create_disk_request("6.5");
    assert!(!old.contains("keepAfterDeleteVm"), "{old}");
    for api in ["6.7", "8.0.2.0"] {
        let new = create_disk_request(api);
        assert!(
            new.contains("<keepAfterDeleteVm>true</keepAfterDeleteVm>"),
            "{api}: {new}"
        );
    }
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
        (vec!["other", "--subnet", "10.0.0.0/16"], 4, "taken"),
        (vec!["backend", "--subnet", "10.1.0.0/16"], 4, "taken"),
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

    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    make_domains(&env, &v, &["web"], false);
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

    // A running domain whose tether does not answer (no guest runs here)
    // keeps its networks: the NIC a connect adds is taken back, and a
    // disconnect asks the tether first. Exit 5, and nothing changed: no
    // address taken, no NIC added or removed. (With a tether: see
    // `vsphere_live`.)
    make_domains(&env, &v, &["api"], true);
    for args in [
        ["network", "connect", "backend", "api"],
        ["network", "disconnect", "backend", "web"],
    ] {
        if args[1] == "disconnect" {
            run(env.vicport(["domain", "start", "web"])).code(0);
        }
        let mut cmd = vec!["-o", "json"];
        cmd.extend(args);
        let out = run(env.vicport(&cmd));
        out.code(5);
        let err = out.json_error();
        assert_eq!(err["error"]["kind"], "unreachable", "{err}");
        assert!(
            err["error"]["hint"]
                .as_str()
                .unwrap()
                .contains("domain stop"),
            "{err}"
        );
    }
    let out = run(env.vicport(["-o", "json", "network", "inspect", "backend"]));
    assert_eq!(
        out.json()["endpoints"],
        serde_json::json!([{"domain": "web", "ip": "10.0.9.2", "mac": mac}])
    );
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "api"]));
    assert_eq!(out.json()["networks"], serde_json::json!([]));
    run(env.vicport(["domain", "kill", "web"])).code(0);

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
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    make_domains(&env, &v, &refs, false);
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

#[test]
fn domain_ls_is_one_round_trip() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    make_domains(&env, &v, &["a", "b", "c"], false);
    let out = run(env.vicport(["--debug", "-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["a", "b", "c"]);
    assert_eq!(
        requests(&out.stderr),
        [("RetrievePropertiesEx".to_string(), 1)].into(),
        "{}",
        out.stderr
    );
    assert_eq!(round_trips(&out.stderr), 1);
    log_out(&env);
}

/// The round trips `--debug` reports last (`vsphere: N round trips`).
fn round_trips(stderr: &str) -> u64 {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("vsphere: ")?.strip_suffix(" round trips"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no round trips line in:\n{stderr}"))
}

/// A `vicport run -d` after the first (which logs in, resolves the
/// placement and uploads the boot ISO) makes at most 12 round trips (it
/// made 23; 11 now), and `--debug` counts them as the simulator saw them.
#[test]
fn run_detached_takes_at_most_twelve_round_trips() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    run(env.vicport(["run", "-d", "--name", "first", "busybox", "--", "sh"])).code(0);
    for name in ["second", "third"] {
        let before = v.requests().len() as u64;
        let out = run(env.vicport([
            "--debug", "run", "-d", "--name", name, "busybox", "--", "sh",
        ]));
        out.code(0);
        let trips = round_trips(&out.stderr);
        let by_method = requests(&out.stderr);
        let datastore: u64 = by_method
            .iter()
            .filter(|(m, _)| m.starts_with("datastore ") && !m.contains("bytes"))
            .map(|(_, n)| n)
            .sum();
        let soap = v.requests().len() as u64 - before;
        assert_eq!(trips, soap + datastore, "{}", out.stderr);
        assert!(trips <= 12, "{trips} round trips: {by_method:?}");
        // What they were: no login, no placement search, no read-back.
        for method in ["Login", "CreateContainerView", "RetrieveServiceContent"] {
            assert_eq!(by_method.get(method), None, "{method}: {by_method:?}");
        }
        assert_eq!(by_method.get("CreatePropertyCollector"), Some(&1));
        assert_eq!(by_method.get("datastore GET"), Some(&1), "the tag index");
        assert_eq!(by_method.get("datastore HEAD"), None, "the ISO is known");
    }
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["first", "second", "third"]);
    assert!(
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "running"),
        "{}",
        out.json()
    );
    v.check_requests();
    log_out(&env);
}

/// The folder a domain's VM is in, asked through the library.
fn folder_of(env: &Env, v: &Vcsim, domain: &str) -> MoRef {
    let out = run(env.vicport(["-o", "json", "domain", "inspect", domain]));
    out.code(0);
    let id = out.json()["platform_ref"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (rt, p) = library(v, env);
    rt.block_on(async {
        vim::retrieve_one(p.session(), &MoRef::new("VirtualMachine", id), &["parent"])
            .await
            .unwrap()
            .moref("parent")
            .unwrap()
    })
}

/// `run -d` checks the placement an earlier process kept in the same call
/// as its name look-up; when the folder it names was renamed since and
/// another took the name, the placement is resolved again and the domain
/// lands in the folder named so now.
#[test]
fn run_detached_follows_a_folder_that_changed_since_the_last_process() {
    let env = Env::new();
    let v = Vcsim::start();
    let (rt, p) = library(&v, &env);
    let folder = |name: &str| {
        rt.block_on(async {
            let vm_folder = p.placement().await.unwrap().folder.moref.clone();
            p.session()
                .call("CreateFolder", &vm_folder, |w| {
                    w.text("name", name);
                })
                .await
                .unwrap()
                .child("returnval")
                .and_then(vicport::plumbing::vsphere::xml::Node::as_moref)
                .unwrap()
        })
    };
    let first = folder("domains");
    let mut add: Vec<std::ffi::OsString> = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(v.target_args());
    add.extend(["--folder".into(), "domains".into()]);
    run(env.vicport(&add)).code(0);
    run_with_stdin(
        env.vicport(["login", "vc1", "--password-stdin"]),
        &format!("{}\n", v.password),
    )
    .code(0);
    run(env.vicport(["target", "use", "vc1"])).code(0);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    run(env.vicport(["run", "-d", "--name", "a", "busybox", "--", "sh"])).code(0);
    let out = run(env.vicport(["--debug", "run", "-d", "--name", "b", "busybox", "--", "sh"]));
    out.code(0);
    assert_eq!(requests(&out.stderr).get("CreateContainerView"), None);
    assert!(round_trips(&out.stderr) <= 12, "{}", out.stderr);
    assert_eq!(folder_of(&env, &v, "a"), first);
    assert_eq!(folder_of(&env, &v, "b"), first);

    rt.block_on(async {
        vim::run_task(p.session(), "Rename_Task", &first, |w| {
            w.text("newName", "old");
        })
        .await
        .unwrap();
    });
    let second = folder("domains");
    let out = run(env.vicport(["--debug", "run", "-d", "--name", "c", "busybox", "--", "sh"]));
    out.code(0);
    assert_eq!(
        requests(&out.stderr).get("CreateContainerView"),
        Some(&1),
        "resolved again: {}",
        out.stderr
    );
    assert_eq!(folder_of(&env, &v, "c"), second);
    // What it resolved is kept for the next one.
    let out = run(env.vicport(["--debug", "run", "-d", "--name", "d", "busybox", "--", "sh"]));
    out.code(0);
    assert_eq!(requests(&out.stderr).get("CreateContainerView"), None);
    assert_eq!(folder_of(&env, &v, "d"), second);
    v.check_requests();
    log_out(&env);
}

#[test]
fn logs_tail_and_print_the_domains_output() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    make_domains(&env, &v, &["web"], false);
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
    make_domains(&env, &v, &["live"], true);
    let log = walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.file_name() == Some("live".as_ref()))
        .expect("the VM's directory")
        .join("output.log");
    std::fs::write(&log, "2026-11-28T10:00:00Z stdout F first\n").unwrap();
    let follower = env
        .vicport(["logs", "--follow", "live"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"2026-11-28T10:00:01Z stdout F second\n")
            .unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    let (rt, p) = library(&v, &env);
    rt.block_on(p.domains().kill("live", tether_protocol::Signal::KILL))
        .unwrap();
    let out = follower.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "first\nsecond\n");
    log_out(&env);
}

/// The simulator's directory of one image on its datastore, if any.
fn image_dir(v: &Vcsim, id: &str) -> Option<PathBuf> {
    let hex = id.trim_start_matches("sha256:");
    walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.ends_with(format!("vicport-images/{hex}")))
}

#[test]
fn images_are_uploaded_once_listed_inspected_and_removed() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);

    // A rootfs tar: built here, uploaded as a VMDK, the marker last.
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    let out = run(env
        .vicport(["--debug", "-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["id"], tar.id.as_str());
    assert_eq!(doc["tags"], serde_json::json!(["busybox:latest"]));
    assert_eq!(doc["used_by"], serde_json::json!([]));
    let first = requests(&out.stderr);
    assert!(
        first.get("datastore PUT").copied().unwrap_or(0) >= 4,
        "{first:?}"
    );
    let dir = image_dir(&v, &tar.id).expect("the image's directory on the datastore");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["disk-flat.vmdk", "disk.vmdk", "image.json"]);
    // The flat extent is the ext4 disk built here, byte for byte.
    let hex = tar.id.trim_start_matches("sha256:");
    let built = cache_dir(&env).join(format!("vsphere-images/images/{hex}/disk.ext4"));
    let flat = std::fs::read(dir.join("disk-flat.vmdk")).unwrap();
    assert_eq!(flat, std::fs::read(&built).unwrap());
    assert!(
        first.get("datastore bytes written").copied().unwrap_or(0) >= flat.len() as u64,
        "{first:?}"
    );
    let descriptor = std::fs::read_to_string(dir.join("disk.vmdk")).unwrap();
    assert!(
        descriptor.contains(&format!("RW {} VMFS \"disk-flat.vmdk\"", flat.len() / 512)),
        "{descriptor}"
    );
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("image.json")).unwrap()).unwrap();
    assert_eq!(marker["id"], tar.id.as_str());
    assert_eq!(marker["disk_size_bytes"], flat.len() as u64);
    assert_eq!(
        marker["disk"],
        format!("[LocalDS_0] vicport-images/{hex}/disk.vmdk")
    );

    // The same image again: nothing is uploaded, nothing written.
    let out = run(env
        .vicport(["--debug", "-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"]));
    out.code(0);
    assert_eq!(out.json()["id"], tar.id.as_str());
    let second = requests(&out.stderr);
    assert_eq!(second.get("datastore PUT"), None, "{second:?}");
    assert_eq!(second.get("datastore bytes written"), None, "{second:?}");
    // Another tag for it is one small write of the tag index.
    let out = run(env
        .vicport(["--debug", "-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", "tools/bb:1"]));
    out.code(0);
    assert_eq!(
        out.json()["tags"],
        serde_json::json!(["busybox:latest", "tools/bb:1"])
    );
    let third = requests(&out.stderr);
    assert_eq!(third.get("datastore PUT"), Some(&1), "{third:?}");

    // Another machine (its own cache, so its own local build) with a
    // target on the same datastore finds the image there: no upload.
    let other = Env::new();
    log_in(&other, &v);
    let out = run(other
        .vicport(["--debug", "-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"]));
    out.code(0);
    assert_eq!(out.json()["id"], tar.id.as_str());
    assert_eq!(
        out.json()["tags"],
        serde_json::json!(["busybox:latest", "tools/bb:1"])
    );
    let elsewhere = requests(&out.stderr);
    assert_eq!(elsewhere.get("datastore PUT"), None, "{elsewhere:?}");
    // (Its password is the same keyring entry as this one's: the URL and
    // user are the same. The log_out at the end removes it.)

    // An OCI layout, with the reference it records and its config.
    let oci = fixtures::oci_layout(&fixture_dir(&env, "oci")).unwrap();
    let out = run(env
        .vicport(["-o", "json", "image", "import"])
        .arg(&oci.path));
    out.code(0);
    assert_eq!(out.json()["id"], oci.id.as_str());
    assert_eq!(out.json()["tags"], serde_json::json!([fixtures::OCI_REF]));
    assert!(image_dir(&v, &oci.id).unwrap().join("image.json").is_file());

    let out = run(env.vicport(["-o", "json", "image", "ls"]));
    out.code(0);
    let mut ids: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    let mut want = vec![tar.id.clone(), oci.id.clone()];
    want.sort();
    assert_eq!(ids, want);
    let out = run(env.vicport(["image", "ls"]));
    out.code(0);
    assert!(out.stdout.contains("fixture/busybox:oci"), "{}", out.stdout);
    let out = run(env.vicport(["-o", "json", "image", "inspect", fixtures::OCI_REF]));
    out.code(0);
    let doc = out.json();
    assert_eq!(
        doc["config"]["entrypoint"],
        serde_json::json!(["/bin/sh", "-c"])
    );
    assert_eq!(doc["config"]["workdir"], "/opt/app");
    assert_eq!(doc["layers"].as_array().unwrap().len(), 3, "{doc}");
    // By id prefix too; unknown images are not found.
    let out = run(env.vicport(["-o", "json", "image", "inspect", &oci.id[7..19]]));
    out.code(0);
    assert_eq!(out.json()["id"], oci.id.as_str());
    run(env.vicport(["image", "inspect", "nope"])).code(3);

    // In use: refused; by one of two tags, only the tag goes.
    run(env.vicport(["domain", "create", "--name", "web", "busybox", "--", "sh"])).code(0);
    let out = run(env.vicport(["-o", "json", "image", "inspect", "busybox"]));
    assert_eq!(out.json()["used_by"], serde_json::json!(["web"]));
    let out = run(env.vicport(["-o", "json", "image", "rm", &tar.id]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "conflict");
    assert!(dir.join("image.json").is_file());
    run(env.vicport(["image", "rm", "tools/bb:1"])).code(0);
    let out = run(env.vicport(["-o", "json", "image", "inspect", &tar.id]));
    assert_eq!(out.json()["tags"], serde_json::json!(["busybox:latest"]));
    // --force asks first; without a terminal it needs --yes.
    run(env.vicport(["image", "rm", "--force", "busybox"])).code(2);
    let out = run(env.vicport(["-o", "json", "image", "rm", "--force", "--yes", "busybox"]));
    out.code(0);
    assert_eq!(out.json()[0]["removed_domains"], serde_json::json!(["web"]));
    assert!(
        image_dir(&v, &tar.id).is_none(),
        "the image's files are gone"
    );
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    run(env.vicport(["image", "inspect", "busybox"])).code(3);

    // An upload cut off before its marker never looks complete; the next
    // import uploads again.
    let oci_dir = image_dir(&v, &oci.id).unwrap();
    std::fs::remove_file(oci_dir.join("image.json")).unwrap();
    let out = run(env.vicport(["-o", "json", "image", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    run(env.vicport(["image", "inspect", fixtures::OCI_REF])).code(3);
    let out = run(env.vicport(["--debug", "image", "import"]).arg(&oci.path));
    out.code(0);
    assert!(
        requests(&out.stderr)
            .get("datastore PUT")
            .copied()
            .unwrap_or(0)
            >= 3,
        "{}",
        out.stderr
    );
    assert!(oci_dir.join("image.json").is_file());
    log_out(&env);
}

#[test]
fn domains_from_images_through_the_binary() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    let iso = fake_boot_image(&env);
    let image = import_busybox(&env, "busybox");

    // Bad input fails before any call to the target (no vim25 request).
    for args in [
        vec!["domain", "create", "--name", "Bad", "busybox", "--", "sh"],
        vec!["domain", "create", "--name", "a/b", "busybox", "--", "sh"],
        vec!["run", "-d", "--name", "..x", "busybox", "--", "sh"],
        vec![
            "domain",
            "create",
            "--name",
            &"x".repeat(64),
            "busybox",
            "--",
            "sh",
        ],
        vec![
            "domain", "create", "--name", "ok", "-m", "lots", "busybox", "--", "sh",
        ],
        vec!["domain", "rename", "web", "No Spaces"],
    ] {
        let mut cmd = vec!["--debug", "-o", "json"];
        cmd.extend(&args);
        let out = run(env.vicport(&cmd));
        out.code(2);
        assert!(
            !out.stderr.contains("vim25 request"),
            "{args:?} called the target:\n{}",
            out.stderr
        );
    }

    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "create",
        "--name",
        "web",
        "-l",
        "tier=front",
        "--cpus",
        "2",
        "-m",
        "512MiB",
        "busybox",
        "--",
        "sh",
        "-c",
        "echo hi",
    ]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["name"], "web");
    assert_eq!(doc["state"], "created");
    let id = doc["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 64);

    // The boot ISO went to the datastore once, under its content hash.
    let isos: Vec<PathBuf> = walk(v.dir())
        .into_iter()
        .filter(|p| p.file_name() == Some("bootstrap.iso".as_ref()))
        .collect();
    assert_eq!(isos.len(), 1, "{isos:?}");
    assert_eq!(
        std::fs::read(&isos[0]).unwrap(),
        std::fs::read(&iso).unwrap()
    );
    let hash = isos[0]
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert_eq!(hash.len(), 64);
    assert!(isos[0].ends_with(format!("vicport/boot/{hash}/bootstrap.iso")));
    // Its hash is remembered here, so the next create does not read it all.
    let record: serde_json::Value = serde_json::from_slice(
        &std::fs::read(cache_dir(&env).join("boot/iso-sha256.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["sha256"], hash.as_str());

    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    let rows = out.json();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let row = &rows[0];
    for field in ["id", "name", "state", "image", "created", "labels"] {
        assert!(row.get(field).is_some(), "{field} in {row}");
    }
    assert_eq!(row["id"], id.as_str());
    assert_eq!(row["image"], "busybox:latest");
    assert_eq!(row["labels"]["tier"], "front");
    assert!(row["created"].as_str().unwrap().ends_with('Z'), "{row}");

    let out = run(env.vicport(["-o", "json", "domain", "inspect", "web"]));
    out.code(0);
    let doc = out.json();
    for field in [
        "id",
        "name",
        "state",
        "image",
        "created",
        "labels",
        "cpus",
        "memory_mb",
        "networks",
        "volumes",
        "exit_code",
        "started_at",
        "finished_at",
        "platform_ref",
    ] {
        assert!(doc.get(field).is_some(), "{field} in {doc}");
    }
    assert_eq!(doc["cpus"], 2);
    assert_eq!(doc["memory_mb"], 512);
    assert_eq!(doc["networks"], serde_json::json!([]));
    assert_eq!(doc["volumes"], serde_json::json!([]));
    assert_eq!(doc["exit_code"], serde_json::Value::Null);
    assert_eq!(doc["started_at"], serde_json::Value::Null);
    assert_eq!(
        doc["process"]["argv"],
        serde_json::json!(["sh", "-c", "echo hi"])
    );
    assert_eq!(doc["platform_ref"]["platform"], "vsphere");
    assert!(
        doc["platform_ref"]["id"]
            .as_str()
            .unwrap()
            .starts_with("vm-"),
        "{doc}"
    );
    assert_eq!(doc["platform_ref"]["path"], "/DC0/vm/web");

    // Its root disk is a child of the image's disk; its CD-ROM the ISO.
    let (rt, p) = library(&v, &env);
    let vm = MoRef::new(
        "VirtualMachine",
        doc["platform_ref"]["id"].as_str().unwrap(),
    );
    let devices = rt
        .block_on(vim::retrieve_one(
            p.session(),
            &vm,
            &["config.hardware.device"],
        ))
        .unwrap();
    let text = format!("{:?}", devices.props["config.hardware.device"]);
    let hex = image.trim_start_matches("sha256:");
    assert!(
        text.contains(&format!("[LocalDS_0] vicport-images/{hex}/disk.vmdk")),
        "no parent disk in {text}"
    );
    assert!(text.contains(&format!("[LocalDS_0] vicport/boot/{hash}/bootstrap.iso")));
    drop(p);
    drop(rt);

    // Start, and a running domain is not removed without --force.
    let out = run(env.vicport(["-o", "json", "domain", "start", "web"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "running");
    let out = run(env.vicport(["-o", "json", "domain", "rm", "web"]));
    out.code(6);
    assert_eq!(out.json_error()["error"]["kind"], "invalid_state");
    // Starting it again changes nothing.
    let started =
        run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json()["started_at"].clone();
    assert!(started.is_string(), "{started}");
    std::thread::sleep(Duration::from_millis(1100));
    run(env.vicport(["domain", "start", "web"])).code(0);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "web"]));
    assert_eq!(out.json()["state"], "running");
    assert_eq!(out.json()["started_at"], started);

    // Labels and names.
    let out = run(env.vicport([
        "-o", "json", "domain", "label", "web", "zone=a", "--rm", "tier",
    ]));
    out.code(0);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "web"]));
    assert_eq!(out.json()["labels"], serde_json::json!({"zone": "a"}));
    run(env.vicport(["domain", "rename", "web", "web2"])).code(0);
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "ls",
        "-f",
        "label=zone=a",
        "-f",
        "state=running",
    ]));
    assert_eq!(names(&out.json()), ["web2"]);
    let out = run(env.vicport(["-o", "json", "domain", "ls", "-f", "name=nope"]));
    assert_eq!(out.json(), serde_json::json!([]));
    run(env.vicport(["domain", "inspect", "web"])).code(3);

    // Another signal than KILL needs the tether: none answers on vcsim.
    let out = run(env.vicport(["-o", "json", "domain", "kill", "-s", "USR1", "web2"]));
    out.code(5);
    assert_eq!(out.json_error()["error"]["kind"], "unreachable");
    // KILL powers off; wait returns at once then.
    let out = run(env.vicport(["-o", "json", "domain", "kill", "web2"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    let out = run(env.vicport(["-o", "json", "domain", "wait", "web2"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    run(env.vicport(["domain", "kill", "web2"])).code(6);

    // Started again and stopped: without a tether, powered off at once.
    run(env.vicport(["domain", "start", "web2"])).code(0);
    let t = Instant::now();
    let out = run(env.vicport(["-o", "json", "domain", "stop", "-t", "2", "web2"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "web2"]));
    assert!(
        out.json()["started_at"].as_str().is_some(),
        "{}",
        out.stdout
    );

    // run -d: created and started in one go, its id printed.
    let out = run(env.vicport(["run", "-d", "--name", "bg", "busybox", "--", "sleep", "100"]));
    out.code(0);
    let bg = out.stdout.trim().to_string();
    assert_eq!(bg.len(), 64, "{}", out.stdout);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", &bg[..12]]));
    assert_eq!(out.json()["state"], "running");
    assert_eq!(out.json()["name"], "bg");
    // Only one ISO upload for all of it.
    let isos = walk(v.dir())
        .into_iter()
        .filter(|p| p.file_name() == Some("bootstrap.iso".as_ref()))
        .count();
    assert_eq!(isos, 1);

    let out = run(env.vicport(["-o", "json", "domain", "rm", "--force", "bg", "web2"]));
    out.code(0);
    assert_eq!(names(&out.json()), ["bg", "web2"]);
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    log_out(&env);
}

/// A `tether serve` process standing in for a domain's guest: it listens
/// on 127.0.0.1 at the domain's link port (vcsim's hosts' management
/// address is 127.0.0.1), with the token and the config document vicport
/// wrote into the domain's guestinfo. Killed on drop.
pub(crate) struct StandIn {
    child: Child,
    pub(crate) config: tether_protocol::config::DomainConfig,
}

impl StandIn {
    pub(crate) fn start(env: &Env, v: &Vcsim, domain: &str) -> StandIn {
        Self::start_with(env, v, domain, &[])
    }

    /// With more `tether serve` arguments (`--root DIR`, `--net-record FILE`).
    pub(crate) fn start_with(env: &Env, v: &Vcsim, domain: &str, more: &[&str]) -> StandIn {
        Self::spawn(env, v, domain, "tcp", more)
    }

    /// One line shared by every connection, as a serial port's: a second
    /// client's Hello ends the first one's link.
    pub(crate) fn start_line(env: &Env, v: &Vcsim, domain: &str) -> StandIn {
        Self::spawn(env, v, domain, "serial-tcp", &[])
    }

    fn spawn(env: &Env, v: &Vcsim, domain: &str, scheme: &str, more: &[&str]) -> StandIn {
        let extra = guestinfo(v, env, domain);
        let config = guest::decode(&extra[keys::CONFIG]).unwrap();
        let port: u16 = extra[keys::LINK_PORT].parse().unwrap();
        assert_eq!(
            tether_protocol::config::hex_encode(&config.token),
            extra[keys::TOKEN]
        );
        let file = env.root().join(format!("{domain}.config"));
        std::fs::write(&file, config.encode()).unwrap();
        let child = Command::new(tether())
            .args(["serve", "--listen", &format!("{scheme}:127.0.0.1:{port}")])
            .args(["--token", &extra[keys::TOKEN]])
            .arg("--config")
            .arg(&file)
            .args(more)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(env.root().join(format!("{domain}.tether.log"))).unwrap())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "tether serve did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        StandIn { child, config }
    }

    /// The stand-in's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has exited (within `wait`).
    pub(crate) fn exited_within(&mut self, wait: Duration) -> bool {
        let t = Instant::now();
        loop {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            if t.elapsed() > wait {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a host's firewall lets network serial ports in.
fn serial_ruleset_enabled(v: &Vcsim, env: &Env, domain: &str) -> bool {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let info = p.inspect_domain(domain).await.unwrap();
        let vm = MoRef::new("VirtualMachine", info.platform_ref.id);
        let host = vim::retrieve_one(p.session(), &vm, &["runtime.host"])
            .await
            .unwrap()
            .moref("runtime.host")
            .unwrap();
        let fw = vim::retrieve_one(p.session(), &host, &["configManager.firewallSystem"])
            .await
            .unwrap()
            .moref("configManager.firewallSystem")
            .unwrap();
        let info = vim::retrieve_one(p.session(), &fw, &["firewallInfo"])
            .await
            .unwrap();
        info.props["firewallInfo"]
            .children("ruleset")
            .find(|r| r.child_text("key") == Some("remoteSerialPort"))
            .map(|r| r.child_text("enabled") == Some("true"))
            .unwrap()
    })
}

/// exec, attach, kill with a signal and a graceful stop through the link
/// client, against a `tether serve` standing in for the guest (no guest
/// runs on vcsim; see [`StandIn`]).
#[test]
fn exec_attach_kill_and_stop_through_the_tether_link() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    let script = "trap 'echo got-usr1' USR1; echo ready; while :; do sleep 0.1; done";
    run(env.vicport([
        "run", "-d", "--name", "web", "busybox", "--", "sh", "-c", script,
    ]))
    .code(0);
    assert!(
        !serial_ruleset_enabled(&v, &env, "web"),
        "vcsim starts with it off"
    );
    let mut guest = StandIn::start(&env, &v, "web");
    // What vicport told the guest.
    assert_eq!(guest.config.name, "web");
    assert_eq!(guest.config.process.argv, ["sh", "-c", script]);
    assert!(
        !guest.config.process.wait_for_attach,
        "run -d does not hold the primary"
    );
    assert_eq!(
        guest.config.link,
        tether_protocol::config::PortSpec::Serial(1)
    );

    // exec: output, stderr, exit code; the firewall opened on the way.
    let out = run(env.vicport([
        "--debug",
        "exec",
        "web",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
    ]));
    out.code(3);
    assert_eq!(out.stdout, "out\n");
    assert!(out.stderr.contains("err\n"), "{}", out.stderr);
    assert_eq!(
        requests(&out.stderr).get("EnableRuleset"),
        Some(&1),
        "{}",
        out.stderr
    );
    assert!(serial_ruleset_enabled(&v, &env, "web"));
    let out = run(env.vicport(["--debug", "exec", "web", "--", "true"]));
    out.code(0);
    assert_eq!(requests(&out.stderr).get("EnableRuleset"), None);
    let out = run_with_stdin(
        env.vicport(["exec", "-i", "web", "--", "cat"]),
        "hello\nworld\n",
    );
    out.code(0);
    assert_eq!(out.stdout, "hello\nworld\n");
    run(env.vicport(["exec", "web", "--", "/no/such/program"])).code(127);

    // attach sees the primary's output from now on; a signal through kill
    // reaches it.
    let attach = env
        .vicport(["domain", "attach", "web"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    run(env.vicport(["domain", "kill", "-s", "USR1", "web"])).code(0);
    std::thread::sleep(Duration::from_millis(1000));

    // A graceful stop: the stop signal through the link, the tether ends
    // the domain (here: the stand-in exits), vicport powers it off.
    let out = run(env.vicport(["-o", "json", "domain", "stop", "-t", "5", "web"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    assert!(
        guest.exited_within(Duration::from_secs(5)),
        "the tether was not shut down"
    );
    let attached = attach.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&attached.stdout);
    assert!(stdout.contains("got-usr1"), "{stdout}");
    // The primary was ended by SIGTERM: 128 + 15.
    assert_eq!(
        attached.status.code(),
        Some(143),
        "{}",
        String::from_utf8_lossy(&attached.stderr)
    );
    run(env.vicport(["exec", "web", "--", "true"])).code(6);
    drop(guest);

    // An attached run --rm: the primary waits for the attach, so all of
    // its output arrives; run exits with its code once the domain is off
    // (here the test powers it off, as the guest would), and removes it.
    let mut runner = env
        .vicport([
            "run",
            "--rm",
            "--name",
            "fg",
            "busybox",
            "--",
            "sh",
            "-c",
            "echo hello from fg; exit 7",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    loop {
        let out = run(env.vicport(["-o", "json", "domain", "inspect", "fg"]));
        if out.code == 0 && out.json()["state"] == "running" {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "fg never ran");
        std::thread::sleep(Duration::from_millis(200));
    }
    // vicport is trying the link by now; the guest comes up a moment later.
    std::thread::sleep(Duration::from_millis(1500));
    let fg = StandIn::start(&env, &v, "fg");
    assert!(
        fg.config.process.wait_for_attach,
        "an attached run holds the primary"
    );
    let mut line = String::new();
    {
        use std::io::BufRead as _;
        let mut stdout = std::io::BufReader::new(runner.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
    }
    assert_eq!(line, "hello from fg\n");
    run(env.vicport(["domain", "kill", "fg"])).code(0);
    let out = exit_within(runner, Duration::from_secs(60));
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(env.vicport(["domain", "inspect", "fg"])).code(3);
    log_out(&env);
}

#[test]
fn a_persisted_session_is_reused_by_the_next_invocation() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    let sessions = cache_dir(&env).join("sessions");
    let out = run(env.vicport(["--debug", "domain", "ls"]));
    out.code(0);
    let first = requests(&out.stderr);
    assert!(first.contains_key("RetrievePropertiesEx"), "{first:?}");
    let cached: Vec<PathBuf> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&cached[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The next invocations reuse it: no Login.
    for _ in 0..2 {
        let out = run(env.vicport(["--debug", "domain", "ls"]));
        out.code(0);
        let next = requests(&out.stderr);
        assert_eq!(next.get("Login"), None, "{next:?}");
        assert!(next.contains_key("RetrievePropertiesEx"), "{next:?}");
    }
    // Without the cached session, the next one logs in again.
    std::fs::remove_file(&cached[0]).unwrap();
    let out = run(env.vicport(["--debug", "domain", "ls"]));
    out.code(0);
    assert_eq!(
        requests(&out.stderr).get("Login"),
        Some(&1),
        "{}",
        out.stderr
    );
    log_out(&env);
}

#[test]
fn a_vm_without_its_whole_vicport_record_is_broken_and_rm_removes_it() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    // What an interrupted writer could leave: a VM with vicport's id key
    // and nothing else of its record.
    let (rt, p) = library(&v, &env);
    rt.block_on(async {
        let placement = p.placement().await.unwrap().clone();
        vim::start_task(p.session(), "CreateVM_Task", &placement.folder.moref, |w| {
            w.open("config").text("name", "half");
            w.open("files")
                .text("vmPathName", "[LocalDS_0]")
                .close("files");
            w.open_typed("extraConfig", "OptionValue")
                .text("key", keys::ID)
                .typed_text("value", "xsd:string", "ab".repeat(32))
                .close("extraConfig");
            w.close("config");
            w.moref("pool", &placement.pool.moref);
        })
        .await
        .unwrap();
    });
    drop(p);
    drop(rt);
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(out.json()[0]["name"], "half");
    assert_eq!(out.json()[0]["state"], "broken");
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "half"]));
    out.code(0);
    assert_eq!(out.json()["state"], "broken");
    assert!(
        out.json()["state_reason"]
            .as_str()
            .unwrap()
            .contains("interrupted")
    );
    // Only rm applies.
    run(env.vicport(["domain", "start", "half"])).code(6);
    run(env.vicport(["domain", "label", "half", "a=b"])).code(6);
    run(env.vicport(["domain", "rm", "half"])).code(0);
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    log_out(&env);
}

/// Wait until `child` exits, at most `wait`.
fn exit_within(child: Child, wait: Duration) -> std::process::Output {
    let pid = child.id();
    let t = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(wait) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // SAFETY: kill(2) of our own child process.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("vicport did not exit within {:?}", t.elapsed());
        }
    }
}

#[test]
fn vcsim_killed_or_stopped_during_a_create_exits_5_and_leaves_no_healthy_looking_domain() {
    let env = Env::new();
    // Killed: the CreateVM_Task is held for 5 s by the simulator, which is
    // killed while vicport waits for its answer.
    let mut v = Vcsim::with(Options {
        args: vec!["-delay".into(), "CreateVM_Task=5000".into()],
        ..Options::default()
    });
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    let create = env
        .vicport([
            "-o", "json", "domain", "create", "--name", "doomed", "busybox", "--", "sh",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    v.kill();
    let out = exit_within(create, Duration::from_secs(30));
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "unreachable");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("creating domain \"doomed\""),
        "{err}"
    );
    assert!(
        err["error"]["hint"].as_str().unwrap().contains("broken"),
        "{err}"
    );
    // The simulator never made the VM: no directory of it on its datastore.
    assert!(
        !walk(v.dir()).iter().any(|p| p.ends_with("doomed")),
        "{:?}",
        walk(v.dir())
    );
    drop(v);

    // Stopped (SIGSTOP) in the middle of a create: vicport gives up after
    // its timeout with exit 5. Once the simulator runs again it finishes
    // the create it held, and what it made is a whole domain (one
    // CreateVM_Task carries the whole record), never a half-made one that
    // looks healthy (those list as broken: the test above).
    let env = Env::new();
    let v = Vcsim::with(Options {
        args: vec!["-delay".into(), "CreateVM_Task=3000".into()],
        ..Options::default()
    });
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    let create = env
        .vicport([
            "-o",
            "json",
            "--timeout",
            "4s",
            "domain",
            "create",
            "--name",
            "doomed",
            "busybox",
            "--",
            "sh",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    v.freeze(true);
    let out = exit_within(create, Duration::from_secs(30));
    v.freeze(false);
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "unreachable");
    std::thread::sleep(Duration::from_millis(4000));
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    // vcsim finishes the held CreateVM_Task once it runs again.
    assert_eq!(names(&out.json()), ["doomed"], "{}", out.stdout);
    for row in out.json().as_array().unwrap() {
        let name = row["name"].as_str().unwrap();
        let state = row["state"].as_str().unwrap();
        if state == "broken" {
            continue;
        }
        // Listed as a domain: then all of it is there.
        assert_eq!(state, "created", "{row}");
        let extra = guestinfo(&v, &env, name);
        for key in [
            keys::SPEC,
            keys::CREATED,
            keys::TOKEN,
            keys::LINK_PORT,
            keys::IMAGE_ID,
        ] {
            assert!(extra.contains_key(key), "{key} missing from {name}");
        }
        guest::decode(&extra[keys::CONFIG]).unwrap();
    }
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    for name in names(&out.json()) {
        run(env.vicport(["domain", "rm", &name])).code(0);
    }
    log_out(&env);
}

#[test]
fn ctrl_c_during_an_upload_leaves_no_complete_looking_image_and_exits_130() {
    let env = Env::new();
    // Ctrl-C is sent once the disk's upload has begun (its temporary file
    // appears). Moves on the datastore take 2 s here, so the import cannot
    // finish first: the signal lands in the stream or between the upload's
    // steps, and both stop it before the marker.
    let v = Vcsim::with(Options {
        args: vec!["-delay".into(), "MoveDatastoreFile_Task=2000".into()],
        ..Options::default()
    });
    log_in(&env, &v);
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    let child = env
        .vicport(["image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while !walk(v.dir()).iter().any(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".disk-flat.vmdk."))
    }) {
        assert!(t.elapsed() < Duration::from_secs(60), "no upload started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = exit_within(child, Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let dir = image_dir(&v, &tar.id).expect("the upload had begun");
    assert!(
        !dir.join("image.json").exists(),
        "an interrupted upload looks complete"
    );
    let out = run(env.vicport(["-o", "json", "image", "ls"]));
    assert_eq!(out.json(), serde_json::json!([]));
    run(env.vicport(["image", "inspect", "busybox"])).code(3);
    // The next import uploads it whole.
    let out = run(env
        .vicport(["--debug", "-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", "busybox"]));
    out.code(0);
    assert!(
        requests(&out.stderr)
            .get("datastore PUT")
            .copied()
            .unwrap_or(0)
            >= 3,
        "{}",
        out.stderr
    );
    assert!(dir.join("image.json").is_file());
    assert!(
        !walk(&dir)
            .iter()
            .any(|p| p.to_string_lossy().contains(".part")),
        "{:?}",
        walk(&dir)
    );
    log_out(&env);
}

/// The real boot image (built once for all tests in the shared cache)
/// recorded as the current one in the test's own cache.
fn real_boot_image(env: &Env) -> PathBuf {
    env.ensure_boot_image();
    let current = crate::support::shared_cache().join("boot/current.json");
    let text = std::fs::read(&current).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&text).unwrap();
    std::fs::create_dir_all(cache_dir(env).join("boot")).unwrap();
    std::fs::write(cache_dir(env).join("boot/current.json"), &text).unwrap();
    PathBuf::from(doc["iso"].as_str().expect("the boot image has its ISO"))
}

/// A minimal QMP client for the test's own QEMU.
struct Qmp(std::io::BufReader<std::os::unix::net::UnixStream>);

impl Qmp {
    fn connect(path: &Path) -> Qmp {
        let s = std::os::unix::net::UnixStream::connect(path).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut q = Qmp(std::io::BufReader::new(s));
        q.line();
        q.run(r#"{"execute":"qmp_capabilities"}"#);
        q
    }

    fn line(&mut self) -> serde_json::Value {
        use std::io::BufRead as _;
        let mut l = String::new();
        self.0.read_line(&mut l).unwrap();
        serde_json::from_str(&l).unwrap()
    }

    /// Run a command; its answer must be a success.
    fn run(&mut self, command: &str) {
        use std::io::Write as _;
        self.0
            .get_mut()
            .write_all(format!("{command}\n").as_bytes())
            .unwrap();
        loop {
            let v = self.line();
            if v.get("return").is_some() {
                return;
            }
            assert!(v.get("error").is_none(), "{command}: {v}");
        }
    }
}

/// A QEMU guest killed on drop.
struct Qemu(Child);

impl Drop for Qemu {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The guest side of the vSphere mapping, on a real kernel: vcsim holds
/// the domain vicport made (root disk as a child of the image's disk, the
/// ISO on the CD-ROM, console/link/log serial ports, a volume on the
/// paravirtual SCSI controller, a vmxnet3 NIC, the tether's config), and
/// QEMU stands in for ESXi, built from exactly that: the ISO vicport
/// uploaded (`-M pc -cdrom`), a qcow2 child of the image disk vicport
/// uploaded at SCSI unit 0 of a `pvscsi` controller, the volume's disk at
/// unit 1, a `vmxnet3` NIC with the MAC, COM1 and COM3 writing the console and
/// the log into the VM's directory on vcsim's datastore, COM2 a TCP server
/// on 127.0.0.1 at the link port, and the config document from guestinfo
/// in fw_cfg (QEMU has no VMware backdoor; the tether reads fw_cfg when
/// the CPUID vendor is not VMware's). Then exec, logs, a network joining
/// and leaving the running domain (QEMU hot-plugs the vmxnet3 NIC vcsim
/// added, over QMP, as ESXi would) and stop go through the binary, to the
/// real tether.
#[test]
fn the_guest_vicport_describes_boots_under_qemu_and_answers_through_the_binary() {
    let env = Env::new();
    let iso = real_boot_image(&env);
    let v = Vcsim::start();
    log_in(&env, &v);
    let image = import_busybox(&env, "busybox");
    run(env.vicport(["network", "create", "net1", "--subnet", "10.77.0.0/24"])).code(0);
    run(env.vicport(["network", "create", "net2", "--subnet", "10.78.0.0/24"])).code(0);
    run(env.vicport(["volume", "create", "data", "--size", "16MiB"])).code(0);
    let script = "echo hello from the guest; echo to-stderr >&2; while :; do sleep 1; done";
    run(env.vicport([
        "run",
        "-d",
        "--name",
        "g",
        "--network",
        "net1",
        "-v",
        "data:/data",
        "busybox",
        "--",
        "sh",
        "-c",
        script,
    ]))
    .code(0);

    // What vcsim holds.
    let extra = guestinfo(&v, &env, "g");
    let config_doc = guest::decode(&extra[keys::CONFIG]).unwrap();
    let port: u16 = extra[keys::LINK_PORT].parse().unwrap();
    let mac = config_doc.interfaces[0].mac.clone();
    let files = walk(v.dir());
    let hex = image.trim_start_matches("sha256:");
    let parent = files
        .iter()
        .find(|p| p.ends_with(format!("vicport-images/{hex}/disk-flat.vmdk")))
        .expect("the image's disk on the datastore")
        .clone();
    let uploaded_iso = files
        .iter()
        .find(|p| p.file_name() == Some("bootstrap.iso".as_ref()))
        .expect("the ISO on the datastore")
        .clone();
    assert_eq!(
        std::fs::metadata(&uploaded_iso).unwrap().len(),
        std::fs::metadata(&iso).unwrap().len()
    );
    let vm_dir = files
        .iter()
        .find(|p| p.is_dir() && p.file_name() == Some("g".as_ref()))
        .expect("the VM's directory")
        .clone();

    // QEMU, as ESXi would run that VM.
    let work = env.root().join("qemu");
    std::fs::create_dir_all(&work).unwrap();
    let root = work.join("root.qcow2");
    let st = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2", "-F", "raw", "-b"])
        .arg(&parent)
        .arg(&root)
        .status()
        .unwrap();
    assert!(st.success());
    // Formatted here: the boot image has no mkfs.ext4 yet, so a blank
    // volume would stop the boot (format-if-blank needs it in the guest).
    let volume = work.join("data.img");
    std::fs::File::create(&volume)
        .unwrap()
        .set_len(16 << 20)
        .unwrap();
    let st = Command::new("mkfs.ext4")
        .args(["-q", "-F"])
        .arg(&volume)
        .status()
        .unwrap();
    assert!(st.success());
    let config_file = work.join("config");
    std::fs::write(&config_file, config_doc.encode()).unwrap();
    let arg = |s: String| std::ffi::OsString::from(s);
    let qemu = Command::new("qemu-system-x86_64")
        .args(["-M", "pc", "-accel", "tcg", "-m", "512", "-smp", "1"])
        .args(["-no-reboot", "-nographic", "-nodefaults", "-boot", "d"])
        .arg("-cdrom")
        .arg(&uploaded_iso)
        .args(["-device", "pvscsi,id=pvscsi0"])
        .arg("-drive")
        .arg(arg(format!(
            "file={},if=none,id=root,format=qcow2",
            root.display()
        )))
        .args([
            "-device",
            "scsi-hd,drive=root,bus=pvscsi0.0,scsi-id=0,lun=0",
        ])
        .arg("-drive")
        .arg(arg(format!(
            "file={},if=none,id=vol,format=raw",
            volume.display()
        )))
        .args(["-device", "scsi-hd,drive=vol,bus=pvscsi0.0,scsi-id=1,lun=0"])
        .args(["-netdev", "user,id=n0,restrict=on"])
        .arg("-device")
        .arg(arg(format!("vmxnet3,netdev=n0,mac={mac}")))
        .arg("-chardev")
        .arg(arg(format!(
            "file,id=com1,path={}",
            vm_dir.join("console.log").display()
        )))
        .args(["-serial", "chardev:com1"])
        .arg("-chardev")
        .arg(arg(format!(
            "socket,id=com2,host=127.0.0.1,port={port},server=on,wait=off"
        )))
        .args(["-serial", "chardev:com2"])
        .arg("-chardev")
        .arg(arg(format!(
            "file,id=com3,path={}",
            vm_dir.join("output.log").display()
        )))
        .args(["-serial", "chardev:com3"])
        .arg("-fw_cfg")
        .arg(arg(format!(
            "name=opt/org.vicport/config,file={}",
            config_file.display()
        )))
        .arg("-qmp")
        .arg(arg(format!(
            "unix:{},server=on,wait=off",
            work.join("qmp.sock").display()
        )))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work.join("qemu.log")).unwrap())
        .spawn()
        .unwrap();
    let mut qemu = Qemu(qemu);
    let console = || {
        let text = std::fs::read_to_string(vm_dir.join("console.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let qemu_log = std::fs::read_to_string(work.join("qemu.log")).unwrap_or_default();
        format!(
            "{}\n--- qemu\n{qemu_log}",
            lines[lines.len().saturating_sub(60)..].join("\n")
        )
    };

    // exec waits for the tether to boot (the domain started a moment ago).
    let out = run(env.vicport(["exec", "g", "--", "cat", "/proc/cmdline"]));
    assert_eq!(out.code, 0, "{}\n--- console\n{}", out.stderr, console());
    assert!(
        out.stdout.contains("vicport.platform=vsphere"),
        "{}",
        out.stdout
    );
    // The volume by its SCSI place; the NIC by its MAC.
    let out = run(env.vicport(["exec", "g", "--", "sh", "-c", "grep ' /data ' /proc/mounts"]));
    out.code(0);
    assert!(
        out.stdout.starts_with("/dev/sdb /data ext4 "),
        "{}",
        out.stdout
    );
    let out = run(env.vicport([
        "exec",
        "g",
        "--",
        "sh",
        "-c",
        "for n in /sys/class/net/*; do cat $n/address; done; cat /proc/net/fib_trie",
    ]));
    out.code(0);
    assert!(out.stdout.contains(&mac), "{}", out.stdout);
    assert!(out.stdout.contains("10.77.0.2"), "{}", out.stdout);
    let out = run(env.vicport([
        "exec",
        "g",
        "--",
        "sh",
        "-c",
        "echo x > /data/f && cat /data/f",
    ]));
    out.code(0);
    assert_eq!(out.stdout, "x\n");

    // The log port carries the primary's output, the console the kernel's.
    let out = run(env.vicport(["logs", "g"]));
    out.code(0);
    assert_eq!(out.stdout, "hello from the guest\n", "{}", out.stderr);
    assert_eq!(out.stderr, "to-stderr\n");
    let log = std::fs::read_to_string(vm_dir.join("output.log")).unwrap();
    assert!(
        !log.contains("Linux version"),
        "kernel messages in the log:\n{log}"
    );
    assert!(console().contains("tether ready"), "{}", console());

    // A network joins the running domain: vcsim's reconfigure adds the
    // vmxnet3 NIC, and QEMU (as ESXi would) hot-plugs one with that MAC
    // into the guest, where the tether finds and configures it.
    let connect = env
        .vicport(["-o", "json", "network", "connect", "net2", "g"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let added = loop {
        let macs = crate::vsphere_live::nics(&v, &env, "g");
        if let Some(m) = macs.into_iter().find(|m| *m != mac) {
            break m;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "no NIC was added");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut qmp = Qmp::connect(&work.join("qmp.sock"));
    qmp.run(r#"{"execute":"netdev_add","arguments":{"type":"user","id":"n1","restrict":true}}"#);
    qmp.run(&format!(
        r#"{{"execute":"device_add","arguments":{{"driver":"vmxnet3","id":"hot1","netdev":"n1","mac":"{added}"}}}}"#
    ));
    let out = connect.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n--- console\n{}",
        String::from_utf8_lossy(&out.stderr),
        console()
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ip"], "10.78.0.2");
    let addrs = "for n in /sys/class/net/*; do cat $n/address; done; cat /proc/net/fib_trie; cat /etc/resolv.conf";
    let out = run(env.vicport(["exec", "g", "--", "sh", "-c", addrs]));
    out.code(0);
    assert!(out.stdout.contains(&added), "{}", out.stdout);
    assert!(out.stdout.contains("10.78.0.2"), "{}", out.stdout);

    // It leaves: the tether takes it down, vcsim's reconfigure removes the
    // NIC, and QEMU unplugs it from the guest.
    run(env.vicport(["network", "disconnect", "net2", "g"])).code(0);
    assert_eq!(
        crate::vsphere_live::nics(&v, &env, "g"),
        std::slice::from_ref(&mac)
    );
    let out = run(env.vicport(["exec", "g", "--", "sh", "-c", "cat /proc/net/fib_trie"]));
    out.code(0);
    assert!(!out.stdout.contains("10.78.0.2"), "{}", out.stdout);
    qmp.run(r#"{"execute":"device_del","arguments":{"id":"hot1"}}"#);
    let t = Instant::now();
    loop {
        let out = run(env.vicport([
            "exec",
            "g",
            "--",
            "sh",
            "-c",
            "cat /sys/class/net/*/address",
        ]));
        if !out.stdout.contains(&added) {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the NIC stayed in the guest"
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    // A graceful stop through the link: the tether powers the guest off.
    let out = run(env.vicport(["-o", "json", "domain", "stop", "-t", "2", "g"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    let t = Instant::now();
    while qemu.0.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the guest did not power off\n{}",
            console()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    run(env.vicport(["domain", "rm", "g"])).code(0);
    log_out(&env);
}

/// `target add NAME` for the simulator, with `extra` flags.
fn add_target(env: &Env, v: &Vcsim, name: &str, extra: &[&str]) {
    let mut args = vec![
        "target",
        "add",
        name,
        "--url",
        &v.url,
        "--username",
        &v.username,
    ];
    args.extend_from_slice(extra);
    run(env.vicport(args)).code(0);
}

/// `-o json login NAME --password-stdin` with a 10 s timeout.
fn login_json(env: &Env, v: &Vcsim, name: &str) -> crate::support::Outcome {
    run_with_stdin(
        env.vicport([
            "-o",
            "json",
            "--timeout",
            "10s",
            "login",
            name,
            "--password-stdin",
        ]),
        &format!("{}\n", v.password),
    )
}

#[test]
fn certificates_are_verified_pinned_or_trusted_only_when_asked() {
    let env = Env::new();
    let v = Vcsim::with(Options {
        tls: true,
        ..Default::default()
    });
    let sha256 = v.sha256.clone().expect("the TLS simulator's thumbprint");
    let sha1 = v
        .sha1
        .clone()
        .expect("the TLS simulator's SHA-1 thumbprint");
    let login = |name: &str| login_json(&env, &v, name);
    // An unknown certificate: exit 5, with its thumbprints and how to trust it.
    add_target(&env, &v, "plain", &[]);
    let out = login("plain");
    out.code(5);
    let err = out.json_error();
    let message = format!("{} {}", err["error"]["message"], err["error"]["hint"]);
    assert!(message.contains(&sha256), "{message}");
    assert!(message.contains("--thumbprint"), "{message}");
    // Pinned by SHA-256 or by the SHA-1 form vCenter shows, or trusted
    // blindly when asked: all log in.
    for (name, flag, value) in [
        ("pinned", "--thumbprint", sha256.as_str()),
        ("pinned1", "--thumbprint", sha1.as_str()),
    ] {
        add_target(&env, &v, name, &[flag, value]);
        login(name).code(0);
        run(env.vicport(["-T", name, "system", "info"])).code(0);
    }
    add_target(&env, &v, "blind", &["--insecure"]);
    login("blind").code(0);
    // A wrong pin is refused.
    let wrong = sha256.replace(&sha256[..2], if &sha256[..2] == "00" { "11" } else { "00" });
    add_target(&env, &v, "wrong", &["--thumbprint", &wrong]);
    login("wrong").code(5);
    for name in ["pinned", "pinned1", "blind"] {
        run(env.vicport(["logout", name])).code(0);
    }
}

/// Stock vcsim and old ESXi hosts serve 1024-bit RSA certificates, whose
/// handshake signature ring refuses: pinned or `--insecure` targets take
/// them (the signature still checked), verified ones never do.
#[test]
fn a_1024_bit_rsa_certificate_is_taken_only_pinned_or_insecure() {
    for tls_max in ["1.3", "1.2"] {
        let env = Env::new();
        let v = Vcsim::with(Options {
            tls: true,
            rsa_bits: Some(1024),
            args: vec!["-tls-max".into(), tls_max.into()],
            ..Default::default()
        });
        let sha256 = v.sha256.clone().expect("the TLS simulator's thumbprint");
        let pem = std::fs::read_to_string(v.dir().join("cert.pem")).unwrap();
        assert!(pem.contains("BEGIN CERTIFICATE"), "{pem}");
        let add = |name: &str, extra: &[&str]| add_target(&env, &v, name, extra);
        let login = |name: &str| login_json(&env, &v, name);
        add("pinned", &["--thumbprint", &sha256]);
        add("blind", &["--insecure"]);
        add("verified", &[]);
        for name in ["pinned", "blind"] {
            let out = login(name);
            assert_eq!(out.code, 0, "TLS {tls_max}, {name}: {}", out.stderr);
            let out = run(env.vicport(["-o", "json", "-T", name, "system", "info"]));
            out.code(0);
            assert_eq!(out.json()["details"]["api_type"], "VirtualCenter");
        }
        // Verified: still refused, with the certificate's thumbprint and
        // how to trust it, not a handshake failure.
        let out = login("verified");
        out.code(5);
        let err = out.json_error();
        assert_eq!(err["error"]["kind"], "unreachable");
        let message = format!("{} {}", err["error"]["message"], err["error"]["hint"]);
        assert!(message.contains(&sha256), "{message}");
        assert!(message.contains("--thumbprint"), "{message}");
        assert!(!message.contains("BadSignature"), "{message}");
        for name in ["pinned", "blind"] {
            run(env.vicport(["logout", name])).code(0);
        }
    }
}

#[test]
fn a_frozen_vcsim_during_ls_is_a_bounded_exit_5_and_the_next_ls_works() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    run(env.vicport(["domain", "ls"])).code(0);
    v.freeze(true);
    let started = Instant::now();
    let out = run(env.vicport(["-o", "json", "--timeout", "2s", "domain", "ls"]));
    v.freeze(false);
    out.code(5);
    assert_eq!(out.stdout, "", "no partial list");
    assert_eq!(out.json_error()["error"]["kind"], "unreachable");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "bounded by --timeout"
    );
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    assert!(out.json().is_array());
    log_out(&env);
}

#[test]
fn events_show_the_domains_lifecycle_and_follow_new_ones_until_ctrl_c() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    run(env.vicport(["run", "-d", "--name", "web", "busybox", "--", "sh"])).code(0);

    // The history: this domain's steps, and nothing of vcsim's own VMs.
    let parse = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
                assert_eq!(e["object"], "domain", "{l}");
                assert!(e["time"].as_str().unwrap().starts_with("20"), "{l}");
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let out = run(env.vicport(["-o", "json", "events"]));
    out.code(0);
    let history = parse(&out.stdout);
    assert_eq!(
        history,
        [
            ("create".into(), "web".into()),
            ("start".into(), "web".into())
        ]
    );

    // Following: the history first, then what happens, as it happens.
    let (follow, rx) = follow_events(&env);
    let mut seen = Vec::new();
    let next = |seen: &mut Vec<(String, String)>| {
        seen.extend(parse(&next_event(&rx, seen)));
    };
    next(&mut seen);
    next(&mut seen);
    run(env.vicport(["domain", "create", "--name", "db", "busybox", "--", "sh"])).code(0);
    run(env.vicport(["domain", "kill", "web"])).code(0);
    run(env.vicport(["domain", "rm", "web"])).code(0);
    for _ in 0..3 {
        next(&mut seen);
    }
    assert_eq!(
        seen,
        [
            ("create".into(), "web".into()),
            ("start".into(), "web".into()),
            ("create".into(), "db".into()),
            ("die".into(), "web".into()),
            ("remove".into(), "web".into()),
        ]
    );
    interrupt_follow(follow);
    log_out(&env);
}

/// `vicport --debug -o json events --follow`, its stdout's lines sent to
/// the receiver as they come.
fn follow_events(env: &Env) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut follow = env
        .vicport(["--debug", "-o", "json", "events", "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = follow.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (follow, rx)
}

/// The next line of a follow, within 30 s.
fn next_event(rx: &std::sync::mpsc::Receiver<String>, seen: &dyn std::fmt::Debug) -> String {
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("no event after {seen:?}"))
}

/// Ctrl-C ends a follow cleanly: exit 130, its collector destroyed. Its
/// `--debug` request counts.
fn interrupt_follow(follow: Child) -> std::collections::BTreeMap<String, u64> {
    // SAFETY: kill(2) of our own child process.
    unsafe { libc::kill(follow.id() as i32, libc::SIGINT) };
    let out = exit_within(follow, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(130));
    let calls = requests(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(calls.get("DestroyCollector"), Some(&1), "{calls:?}");
    calls
}

/// A distributed port group made by someone else, named as vicport names
/// its own but without vicport's document.
fn foreign_portgroup(v: &Vcsim, env: &Env, name: &str) {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let s = p.session();
        let root = s.content().root_folder.clone();
        let switches =
            vim::retrieve_in_container(s, &root, "DistributedVirtualSwitch", &["name"], None)
                .await
                .unwrap();
        vim::run_task(s, "AddDVPortgroup_Task", &switches[0].obj, |w| {
            w.open("spec")
                .text("name", name)
                .text("type", "earlyBinding")
                .close("spec");
        })
        .await
        .unwrap();
    });
}

/// `events` lines as (object, action, name).
fn event_lines(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("object"), s("action"), s("name"))
        })
        .collect()
}

fn ev(object: &str, action: &str, name: &str) -> (String, String, String) {
    (object.into(), action.into(), name.into())
}

#[test]
fn events_show_vicports_volumes_and_networks_and_a_follow_reads_small_pages() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    foreign_portgroup(&v, &env, "vicport-foreign");
    // A history longer than a followed page (20 events).
    let mut want = Vec::new();
    for i in 0..11 {
        run(env.vicport(["volume", "create", &format!("v{i}"), "--size", "1MiB"])).code(0);
        want.push(ev("volume", "create", &format!("v{i}")));
    }
    for i in 1..11 {
        run(env.vicport(["volume", "rm", &format!("v{i}")])).code(0);
        want.push(ev("volume", "remove", &format!("v{i}")));
    }
    run(env.vicport(["network", "create", "backend", "--subnet", "10.0.7.0/24"])).code(0);
    want.push(ev("network", "create", "backend"));

    let out = run(env.vicport(["-o", "json", "events"]));
    out.code(0);
    assert_eq!(event_lines(&out.stdout), want);
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["attributes"]["backing"], "fcd", "{first}");
    assert_eq!(first["attributes"]["datastore"], "LocalDS_0", "{first}");
    assert_eq!(first["attributes"]["user"], v.username, "{first}");

    // Following: the history, then each change as it happens.
    let (follow, rx) = follow_events(&env);
    let mut seen = Vec::new();
    while seen.len() < want.len() {
        seen.extend(event_lines(&next_event(&rx, &seen)));
    }
    assert_eq!(seen, want);
    run(env.vicport(["network", "rm", "backend"])).code(0);
    run(env.vicport(["volume", "rm", "v0"])).code(0);
    run(env.vicport(["volume", "create", "late", "--size", "1MiB"])).code(0);
    let mut new = Vec::new();
    while new.len() < 3 {
        new.extend(event_lines(&next_event(&rx, &new)));
    }
    assert_eq!(
        new,
        [
            ev("network", "remove", "backend"),
            ev("volume", "remove", "v0"),
            ev("volume", "create", "late"),
        ]
    );
    let calls = interrupt_follow(follow);
    // Each update of the follow was a small page, not the history again.
    let pages = calls.get("event pages followed").copied().unwrap_or(0);
    let followed = calls.get("events followed").copied().unwrap_or(0);
    assert!(pages >= 1, "{calls:?}");
    assert!(followed <= 20 * pages, "{calls:?}");
    log_out(&env);
}

#[test]
fn a_pulled_image_goes_to_the_datastore_once_like_an_imported_one() {
    use crate::support::registry::{Auth, Registry};
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    let reg = Registry::start(false, Auth::Open);
    let layout = fixtures::oci_layout(&fixture_dir(&env, "oci")).unwrap();
    reg.push_with_skopeo(&format!("oci:{}", layout.path.display()), "bb:1", false);
    let reference = format!("{}/bb:1", reg.host);

    let out = run(env.vicport(["--debug", "-o", "json", "image", "pull", &reference]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["id"], layout.id.as_str());
    assert_eq!(doc["tags"], serde_json::json!([reference.clone()]));
    let first = requests(&out.stderr);
    assert!(
        first.get("datastore PUT").copied().unwrap_or(0) >= 4,
        "{first:?}"
    );
    let dir = image_dir(&v, &layout.id).expect("the image's directory on the datastore");
    assert!(dir.join("image.json").is_file());

    // Again: the blobs are held and the image is on the datastore, so
    // nothing moves but the manifest.
    let out = run(env.vicport(["--debug", "-o", "json", "image", "pull", &reference]));
    out.code(0);
    assert!(out.json()["fetched_bytes"].as_u64().unwrap() < 4096);
    let second = requests(&out.stderr);
    assert_eq!(second.get("datastore bytes written"), None, "{second:?}");
    let listed = run(env.vicport(["-o", "json", "image", "ls"]))
        .code(0)
        .json();
    assert_eq!(listed[0]["tags"], serde_json::json!([reference]));
}

#[test]
fn images_on_a_vsphere_target_are_pushed_from_this_machines_blob_cache() {
    use crate::support::registry::{Auth, Registry};
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    let reg = Registry::start(false, Auth::Open);
    let host = &reg.host;
    let layout = fixtures::oci_layout(&fixture_dir(&env, "oci")).unwrap();
    reg.push_with_skopeo(&format!("oci:{}", layout.path.display()), "bb:1", false);
    let source = format!("{host}/bb:1");
    run(env.vicport(["-o", "json", "image", "pull", &source])).code(0);

    // A pulled image, to another repository of the same registry: every
    // blob mounted from the one it came from, none uploaded.
    let copy = format!("{host}/copy/bb:2");
    let out = run(env.vicport(["-o", "json", "image", "push", &source, &copy]));
    let pushed = out.code(0).json();
    assert_eq!(pushed["uploaded"], 0, "{pushed}");
    assert_eq!(pushed["image_id"], layout.id.as_str());
    let manifest = reg.inspect_with_skopeo("copy/bb:2", &["--raw"]);
    assert_eq!(manifest["config"]["digest"], layout.id.as_str());
    let seen = reg.inspect_with_skopeo("copy/bb:2", &[]);
    assert_eq!(seen["Digest"], pushed["digest"]);

    // A rootfs tar imported onto the target: pushed under its made config.
    let id = import_busybox(&env, "flat:1");
    let out = run(env.vicport([
        "-o",
        "json",
        "image",
        "push",
        "flat:1",
        &format!("{host}/flat:1"),
    ]));
    let flat = out.code(0).json();
    assert_eq!(flat["uploaded"], 2, "{flat}");
    let config = reg.inspect_with_skopeo("flat:1", &["--config"]);
    assert_eq!(config["rootfs"]["diff_ids"], serde_json::json!([id]));

    // Both come back into a local state with the ids push said.
    let local = Env::new();
    for (reference, id) in [
        (&copy, &pushed["image_id"]),
        (&format!("{host}/flat:1"), &flat["image_id"]),
    ] {
        let out = run(local.vicport(["-o", "json", "image", "pull", reference]));
        assert_eq!(&out.code(0).json()["id"], id, "{reference}");
    }

    // From another machine's cache (the datastore holds disks, not blobs):
    // 3, naming the image and the fix.
    let out = run(env
        .vicport([
            "-o",
            "json",
            "image",
            "push",
            "flat:1",
            &format!("{host}/flat:2"),
        ])
        .env("VICPORT_CACHE_DIR", env.root().join("another-machine")));
    out.code(3);
    let text = out.json_error().to_string();
    assert!(
        text.contains("flat:1") && text.contains("import it again"),
        "{text}"
    );
    log_out(&env);
}
