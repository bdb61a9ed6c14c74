//! What a command costs in round trips to vSphere, and the placement a
//! process keeps for the next one (checked, resolved again when it moved).

use vicport::plumbing::vsphere::vim;
use vicport::plumbing::vsphere::xml::MoRef;

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run, run_with_stdin};

use super::{
    fake_boot_image, import_busybox, library, log_in, log_out, make_domains, names, requests,
};

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
