//! One conformance suite for both realizations of the port layer: the same
//! test bodies, through the binary, against the local platform (QEMU
//! microVMs, one boot in all) and against vSphere (vcsim, with the stock
//! simulator's behaviour of accepting any VM name, so that name uniqueness
//! is vicport's own doing). The policy they pin lives once, in the domain
//! layer (`src/plumbing/domain`), and is unit-tested there against a fake.

use std::process::Command;

use serde_json::Value;

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, Outcome, run, run_all};

/// A target the suite runs against, with the image `busybox` imported.
trait World {
    /// `vicport ARGS…` against the target.
    fn vicport(&self, args: &[&str]) -> Command;
    /// Run and return the JSON document on stdout (exit 0 asserted).
    fn json(&self, args: &[&str]) -> Value {
        let mut full = vec!["-o", "json"];
        full.extend_from_slice(args);
        let out = run(self.vicport(&full));
        out.code(0);
        out.json()
    }
    /// Run with `-o json`, asserting the exit code and, for errors, the
    /// JSON error kind.
    fn expect(&self, args: &[&str], code: i32, kind: &str) -> Outcome {
        let mut full = vec!["-o", "json"];
        full.extend_from_slice(args);
        let out = run(self.vicport(&full));
        out.code(code);
        if code != 0 {
            assert_eq!(out.json_error()["error"]["kind"], kind, "{args:?}");
        }
        out
    }
}

/// The local platform: QEMU microVMs from the real boot image.
struct Local {
    env: Env,
}

impl Local {
    fn new() -> Local {
        let env = Env::new();
        env.ensure_boot_image();
        env.import_busybox();
        Local { env }
    }
}

impl World for Local {
    fn vicport(&self, args: &[&str]) -> Command {
        self.env.booting(args)
    }
}

/// vSphere: the govmomi simulator, logged in as the current target.
struct Vsphere {
    env: Env,
    _vcsim: Vcsim,
}

impl Vsphere {
    fn new() -> Vsphere {
        let env = Env::new();
        // Stock vcsim takes a VM name its folder already has.
        let vcsim = Vcsim::with(Options {
            args: vec!["-duplicate-names=false".into()],
            ..Options::default()
        });
        crate::vsphere::log_in(&env, &vcsim);
        crate::vsphere::fake_boot_image(&env);
        crate::vsphere::import_busybox(&env, "busybox");
        Vsphere { env, _vcsim: vcsim }
    }
}

impl World for Vsphere {
    fn vicport(&self, args: &[&str]) -> Command {
        self.env.vicport(args)
    }
}

impl Drop for Vsphere {
    fn drop(&mut self) {
        crate::vsphere::log_out(&self.env);
    }
}

/// The same test body against both platforms.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(#[test] fn $name() { super::$name(&super::Local::new()) })*
        }
        mod vsphere {
            $(#[test] fn $name() { super::$name(&super::Vsphere::new()) })*
        }
    };
}

conformance!(
    names_are_unique_even_under_concurrent_creates,
    a_volume_is_joined_once,
    a_running_domain_changes_its_name_labels_and_networks_and_rm_needs_force,
    a_forced_volume_rm_leaves_stopped_domains,
);

fn create(w: &dyn World, name: &str, extra: &[&str]) -> Command {
    let mut args = vec!["domain", "create", "--name", name];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["busybox", "--", "sh", "-c", "sleep 600"]);
    w.vicport(&args)
}

fn names(w: &dyn World) -> Vec<String> {
    w.json(&["domain", "ls"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

fn names_are_unique_even_under_concurrent_creates(w: &dyn World) {
    run(create(w, "d1", &[])).code(0);
    let out = run(create(w, "d1", &["-o", "json"]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "taken");

    // Six creates of one name at once: one wins, the others exit 4, and
    // one domain has the name afterwards.
    let outcomes = run_all((0..6).map(|_| create(w, "race", &["-o", "json"])));
    let won = outcomes.iter().filter(|o| o.code == 0).count();
    assert_eq!(won, 1, "{outcomes:#?}");
    for o in outcomes.iter().filter(|o| o.code != 0) {
        o.code(4);
        assert_eq!(o.json_error()["error"]["kind"], "taken");
    }
    let mut all = names(w);
    all.sort();
    assert_eq!(all, ["d1", "race"]);

    // A rename to a name in use is refused the same way.
    w.expect(&["domain", "rename", "d1", "race"], 4, "taken");
    w.expect(&["domain", "rename", "d1", "d2"], 0, "");
    assert!(names(w).contains(&"d2".to_string()));
}

fn a_volume_is_joined_once(w: &dyn World) {
    w.expect(&["volume", "create", "v", "--size", "16MiB"], 0, "");
    let out = run(create(w, "d", &["-o", "json", "-v", "v:/a", "-v", "v:/b"]));
    out.code(2);
    assert_eq!(out.json_error()["error"]["kind"], "invalid_argument");
    let error = out.json_error();
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains(r#"joins volume "v" twice"#), "{message}");
    assert!(names(w).is_empty());
    assert_eq!(
        w.json(&["volume", "inspect", "v"])["used_by"],
        serde_json::json!([])
    );
}

fn a_running_domain_changes_its_name_labels_and_networks_and_rm_needs_force(w: &dyn World) {
    w.expect(
        &["network", "create", "conf-net", "--subnet", "10.231.0.0/24"],
        0,
        "",
    );
    w.expect(&["volume", "create", "cv", "--size", "16MiB"], 0, "");
    let out = run(w.vicport(&[
        "run",
        "-d",
        "--name",
        "web",
        "busybox",
        "--",
        "sh",
        "-c",
        "sleep 600",
    ]));
    out.code(0);
    assert_eq!(w.json(&["domain", "inspect", "web"])["state"], "running");

    // A running domain takes a network, but not an address in use: exit 4
    // (`taken`), and nothing half-added: no endpoint, no address held (the
    // same address goes to another domain at once), no NIC.
    run(create(w, "holder", &["--network", "conf-net:10.231.0.5"])).code(0);
    let out = w.expect(
        &[
            "network",
            "connect",
            "--ip",
            "10.231.0.5",
            "conf-net",
            "web",
        ],
        4,
        "taken",
    );
    assert!(out.stderr.contains("10.231.0.5"), "{}", out.stderr);
    let net = w.json(&["network", "inspect", "conf-net"]);
    let endpoints = net["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 1, "{net}");
    assert_eq!(endpoints[0]["domain"], "holder");
    assert_eq!(
        w.json(&["domain", "inspect", "web"])["networks"],
        serde_json::json!([])
    );
    w.expect(&["domain", "rm", "holder"], 0, "");
    let out = run(create(
        w,
        "holder2",
        &["-o", "json", "--network", "conf-net:10.231.0.5"],
    ));
    out.code(0);
    w.expect(&["domain", "rm", "holder2"], 0, "");
    // Its name and labels do.
    w.expect(&["domain", "label", "web", "tier=front"], 0, "");
    w.expect(&["domain", "rename", "web", "www"], 0, "");
    let info = w.json(&["domain", "inspect", "www"]);
    assert_eq!(info["labels"]["tier"], "front");
    assert_eq!(info["state"], "running");

    // rm of a running domain needs --force.
    w.expect(&["domain", "rm", "www"], 6, "invalid_state");
    // KILL ends it, whatever the guest does.
    let killed = w.json(&["domain", "kill", "www"]);
    assert_eq!(killed[0]["state"], "stopped", "{killed}");
    w.expect(&["domain", "kill", "www"], 6, "invalid_state");
    // Stopped, it takes devices again.
    w.expect(&["network", "connect", "conf-net", "www"], 0, "");
    w.expect(&["domain", "rm", "www"], 0, "");
    w.expect(&["network", "rm", "conf-net"], 0, "");
    w.expect(&["volume", "rm", "cv"], 0, "");
}

fn a_forced_volume_rm_leaves_stopped_domains(w: &dyn World) {
    w.expect(&["volume", "create", "data", "--size", "16MiB"], 0, "");
    w.expect(&["volume", "create", "logs", "--size", "16MiB"], 0, "");
    run(create(w, "d", &["-v", "data:/data", "-v", "logs:/logs:ro"])).code(0);
    let out = w.expect(&["volume", "rm", "data"], 4, "conflict");
    assert!(out.stderr.contains("in use by d"), "{}", out.stderr);
    w.expect(&["--yes", "volume", "rm", "--force", "data"], 0, "");
    let info = w.json(&["domain", "inspect", "d"]);
    assert_eq!(
        info["volumes"],
        serde_json::json!([{"volume": "logs", "path": "/logs", "read_only": true}])
    );
    assert!(
        w.json(&["volume", "ls"])
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["name"] != "data")
    );
}
