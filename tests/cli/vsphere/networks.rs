//! Networks on vSphere: port groups that domains join and leave, and the
//! addresses fifty concurrent connects are given.

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run, run_all};

use super::{fake_boot_image, import_busybox, log_in, log_out, make_domains, names};

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

    // system prune: the domains that are not running (web; api runs),
    // then the networks and images nothing uses any more (api's image
    // stays).
    run(env.vicport(["network", "create", "spare", "--subnet", "10.0.10.0/24"])).code(0);
    let doc = run(env.vicport(["-o", "json", "--yes", "system", "prune", "--all"]))
        .code(0)
        .json();
    let names = |key: &str| {
        let mut names: Vec<String> = doc[key]
            .as_array()
            .unwrap_or_else(|| panic!("no {key} in {doc}"))
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("domains"), ["web"], "{doc}");
    assert_eq!(names("networks"), ["spare"], "{doc}");
    assert_eq!(doc["images"], serde_json::json!([]), "{doc}");
    let ls = |noun: &str| run(env.vicport(["-o", "json", noun, "ls"])).code(0).json();
    assert_eq!(ls("domain")[0]["name"], "api");
    assert_eq!(ls("domain")[0]["state"], "running");
    assert_eq!(ls("network"), serde_json::json!([]));
    assert_eq!(ls("image").as_array().unwrap().len(), 1);
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
