//! When vSphere fails under a command: the simulator killed, stopped or
//! frozen mid-operation, and Ctrl-C during an upload. Bounded exits with
//! the documented codes, and nothing left that looks whole.

use std::process::Stdio;
use std::time::{Duration, Instant};

use vicport::plumbing::image::fixtures;
use vicport::plumbing::vsphere::{guest, keys};

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run};

use super::{
    exit_within, fake_boot_image, fixture_dir, guestinfo, image_dir, import_busybox, log_in,
    log_out, names, requests, walk,
};

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
