//! A domain's lifecycle on vSphere through the binary: create, inspect,
//! start, rename, label, kill, wait, rm; and a VM that lacks part of its
//! vicport record lists as broken.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vicport::plumbing::vsphere::xml::MoRef;
use vicport::plumbing::vsphere::{keys, vim};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run};

use super::{cache_dir, fake_boot_image, import_busybox, library, log_in, log_out, names, walk};

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

    // A stopped domain's sizes change in one ReconfigVM_Task, read back
    // from the VM's hardware.
    let out = run(env.vicport([
        "-o", "json", "domain", "update", "--memory", "768MiB", "--cpus", "1", "web",
    ]));
    out.code(0);
    let doc = run(env.vicport(["-o", "json", "domain", "inspect", "web"])).json();
    assert_eq!(
        (doc["cpus"].as_u64(), doc["memory_mb"].as_u64()),
        (Some(1), Some(768))
    );

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
    // A running vSphere domain's memory does not move (no balloon of
    // vicport's to drive there), and it says so.
    let out = run(env.vicport([
        "-o", "json", "domain", "update", "--memory", "512MiB", "web2",
    ]));
    out.code(1);
    assert_eq!(out.json_error()["error"]["kind"], "not_supported");
    // Nor are host ports forwarded to a vSphere domain: nothing is made.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "create",
        "--name",
        "published",
        "--network",
        "front",
        "-p",
        "8080:80",
        "busybox",
        "--",
        "sh",
    ]));
    out.fails(1, "not_supported", "does not forward host ports");
    // Nor host paths: they are on this host, the domain on another.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "create",
        "--name",
        "shared",
        "-v",
        "/tmp:/host",
        "busybox",
        "--",
        "sh",
    ]));
    out.fails(
        1,
        "not_supported",
        "has its root or shares in host directories",
    );
    // Nor a restart policy: nothing on this host watches the VM.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "create",
        "--name",
        "restarting",
        "--restart",
        "always",
        "busybox",
        "--",
        "sh",
    ]));
    out.fails(1, "not_supported", "restart policies (--restart always)");
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "update",
        "--restart",
        "always",
        "web2",
    ]));
    out.fails(1, "not_supported", "restart policies (--restart always)");
    run(env.vicport(["domain", "inspect", "shared"])).code(3);
    run(env.vicport(["domain", "inspect", "published"])).code(3);
    run(env.vicport(["domain", "inspect", "restarting"])).code(3);

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

    // run -d: created and started in one go, its id printed; the guest's
    // settings are kept with the VM and read back from it.
    let out = run(env.vicport([
        "run",
        "-d",
        "--name",
        "bg",
        "--read-only",
        "--dns",
        "10.0.9.53",
        "--add-host",
        "db:10.0.9.5",
        "busybox",
        "--",
        "sleep",
        "100",
    ]));
    out.code(0);
    let bg = out.stdout.trim().to_string();
    assert_eq!(bg.len(), 64, "{}", out.stdout);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", &bg[..12]]));
    assert_eq!(out.json()["state"], "running");
    assert_eq!(out.json()["name"], "bg");
    assert_eq!(out.json()["read_only"], true);
    assert_eq!(out.json()["dns"]["servers"][0], "10.0.9.53");
    assert_eq!(out.json()["extra_hosts"][0]["name"], "db");
    // Suspended by vSphere (SuspendVM_Task); started, it resumes; stopped
    // while suspended, its saved state goes.
    let out = run(env.vicport(["-o", "json", "domain", "suspend", "bg"]));
    assert_eq!(out.code(0).json()[0]["state"], "suspended");
    let suspends = || {
        v.requests()
            .iter()
            .filter(|r| r.method() == "SuspendVM_Task")
            .count()
    };
    assert_eq!(suspends(), 1);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", "bg"]));
    assert_eq!(out.json()["state"], "suspended", "read back from vSphere");
    run(env.vicport(["domain", "suspend", "bg"])).code(6);
    run(env.vicport(["domain", "update", "--cpus", "2", "bg"])).code(6);
    let out = run(env.vicport(["-o", "json", "domain", "start", "bg"]));
    assert_eq!(out.code(0).json()[0]["state"], "running");
    // Pausing (vCPUs stopped, the VM on) is not something vSphere offers.
    let out = run(env.vicport(["domain", "pause", "bg"]));
    out.code(1);
    assert!(out.stderr.contains("not supported"), "{}", out.stderr);
    run(env.vicport(["domain", "suspend", "bg"])).code(0);
    let out = run(env.vicport(["-o", "json", "domain", "stop", "bg"]));
    assert_eq!(out.code(0).json()[0]["state"], "stopped");
    assert_eq!(suspends(), 2);
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
