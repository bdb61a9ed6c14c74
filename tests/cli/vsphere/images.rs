//! Images on vSphere: uploaded to the datastore once, listed, inspected,
//! removed; pulled ones and pushed ones from this machine's blob cache.

use vicport::plumbing::image::fixtures;

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run};

use super::{
    cache_dir, fake_boot_image, fixture_dir, image_dir, import_busybox, log_in, log_out, requests,
};

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

    // tag: another reference, kept in the datastore's index with the rest.
    let doc = run(env.vicport(["-o", "json", "image", "tag", fixtures::OCI_REF, "vc/bb:2"]))
        .code(0)
        .json();
    assert!(
        doc["tags"].as_array().unwrap().contains(&"vc/bb:2".into()),
        "{doc}"
    );
    let out = run(env.vicport(["-o", "json", "image", "inspect", "vc/bb:2"]));
    assert_eq!(out.code(0).json()["id"], oci.id.as_str());
    run(env.vicport(["image", "tag", "nope", "vc/bb:3"])).code(3);

    // save: the vSphere image, from the blob cache here, by its new tag.
    let archive = env.root().join("vc-bb.tar");
    let saved = run(env
        .vicport(["-o", "json", "image", "save", "vc/bb:2", "--file"])
        .arg(&archive))
    .code(0)
    .json();
    assert_eq!(saved["images"][0]["id"], oci.id.as_str());
    assert_eq!(saved["images"][0]["tags"], serde_json::json!(["vc/bb:2"]));
    assert!(archive.is_file());

    // prune --all: an image a domain uses stays; unused, it goes from
    // the datastore and from the copy built here, and the blob cache
    // then holds nothing.
    run(env.vicport([
        "domain",
        "create",
        "--name",
        "keeper",
        fixtures::OCI_REF,
        "--",
        "sh",
    ]))
    .code(0);
    let doc = run(env.vicport(["-o", "json", "--yes", "image", "prune", "--all"]))
        .code(0)
        .json();
    assert_eq!(doc["images"], serde_json::json!([]), "{doc}");
    assert!(oci_dir.join("image.json").is_file());
    run(env.vicport(["domain", "rm", "keeper"])).code(0);
    let doc = run(env.vicport(["-o", "json", "--yes", "image", "prune", "--all"]))
        .code(0)
        .json();
    assert_eq!(doc["images"][0]["id"], oci.id.as_str(), "{doc}");
    assert!(image_dir(&v, &oci.id).is_none());
    let built = cache_dir(&env).join("vsphere-images/images");
    assert_eq!(std::fs::read_dir(&built).unwrap().count(), 0);
    let blobs = cache_dir(&env).join("blobs/sha256");
    assert_eq!(std::fs::read_dir(&blobs).unwrap().count(), 0);
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
