//! Volumes on vSphere: first-class disks on a vCenter, VMDKs on a
//! standalone host, and only the fields the server's API version has.

use std::path::Path;

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run};

use super::{log_in, log_out, names, walk};

/// The names of the simulator's volume directories.
fn volume_dirs(v: &Vcsim) -> Vec<String> {
    walk(v.dir())
        .into_iter()
        .filter(|p| p.parent().and_then(Path::file_name) == Some("vicport-volumes".as_ref()))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
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
