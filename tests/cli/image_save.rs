//! `image save` through the binary: archives and layout directories that
//! Debian's skopeo reads as `oci-archive:`, `oci:` and `docker-archive:`
//! (the same manifests, configs and layers), that `image import` takes
//! back to the same image, and the refusals (a terminal-less JSON run
//! without a file, a directory in use, a damaged cache, an unknown image)
//! that leave nothing behind. No VM.

use std::path::{Path, PathBuf};
use std::process::Command;

use vicport::plumbing::image::fixtures::{self, OCI_REF};

use crate::support::{Env, dir_names, run};

/// `skopeo inspect` of `source`: its JSON (scripts/test installs skopeo).
fn skopeo_inspect(source: &str) -> serde_json::Value {
    run(Command::new("skopeo").args(["inspect", "--no-tags", source]))
        .code(0)
        .json()
}

/// An image of two random layers imported as `name`; its id.
fn import_layers(env: &Env, name: &str) -> String {
    let dir = env
        .root()
        .join("fixtures")
        .join(name.replace([':', '/'], "-"));
    let (files, id) = fixtures::oci_files(&fixtures::random_layers(2, 4096), "save", None);
    fixtures::write_dir(&dir, &files).unwrap();
    run(env.vicport(["image", "import", "--name", name]).arg(&dir)).code(0);
    id
}

fn import_busybox_layout(env: &Env) -> String {
    let dir = env.root().join("fixtures/busybox");
    std::fs::create_dir_all(&dir).unwrap();
    let layout = fixtures::oci_layout(&dir).unwrap();
    run(env.vicport(["image", "import"]).arg(&layout.path)).code(0);
    layout.id
}

fn layer_digests(env: &Env, image: &str) -> Vec<String> {
    let info = run(env.vicport(["-o", "json", "image", "inspect", image]))
        .code(0)
        .json();
    info["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_saved_archive_reads_in_skopeo_and_imports_back_to_the_same_image() {
    let env = Env::new();
    let id = import_busybox_layout(&env);
    let out_dir = env.root().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let file = out_dir.join("busybox.tar");

    let saved = run(env
        .vicport(["-o", "json", "image", "save", OCI_REF, "--file"])
        .arg(&file))
    .code(0)
    .json();
    assert_eq!(saved["format"], "oci-archive");
    assert_eq!(saved["images"][0]["id"], id.as_str());
    assert_eq!(saved["images"][0]["tags"][0], OCI_REF);
    assert_eq!(
        dir_names(&out_dir),
        vec!["busybox.tar"],
        "no temporary file left"
    );

    // skopeo reads it as an OCI archive (by the reference, as recorded)
    // and as a docker archive (manifest.json): the same config and layers.
    let oci = skopeo_inspect(&format!("oci-archive:{}:{OCI_REF}", file.display()));
    assert_eq!(oci["Digest"], saved["images"][0]["manifest"]);
    let docker = skopeo_inspect(&format!("docker-archive:{}", file.display()));
    let config = run(Command::new("skopeo")
        .args(["inspect", "--config", "--raw"])
        .arg(format!("docker-archive:{}", file.display())))
    .code(0)
    .stdout
    .clone();
    assert_eq!(
        fixtures::digest(config.as_bytes()),
        id,
        "docker-archive's config is the image's"
    );
    // docker-archive names layers by their uncompressed digests.
    let config: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert_eq!(docker["Layers"], config["rootfs"]["diff_ids"]);
    assert_eq!(
        docker["Layers"].as_array().unwrap().len(),
        oci["Layers"].as_array().unwrap().len()
    );

    // podman loads it (into storage of its own).
    let storage = env.root().join("podman");
    let podman = |args: &[&str]| {
        let out = run(Command::new("podman")
            .arg("--root")
            .arg(storage.join("root"))
            .arg("--runroot")
            .arg(storage.join("run"))
            .args(["--storage-driver", "vfs", "--events-backend", "none"])
            .args(args));
        out.code(0).stdout.clone()
    };
    podman(&["load", "-i", file.to_str().unwrap()]);
    let loaded = podman(&[
        "images",
        "--no-trunc",
        "--format",
        "{{.ID}} {{.Repository}}:{{.Tag}}",
    ]);
    assert_eq!(
        loaded.trim(),
        format!("{id} localhost/{OCI_REF}"),
        "podman has the image by its id and name"
    );

    // To standard output: the same bytes (the archive is reproducible).
    let piped = env.vicport(["image", "save", OCI_REF]).output().unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert_eq!(piped.stdout, std::fs::read(&file).unwrap());

    // A reader that goes away early: the save fails (the archive it got is
    // incomplete), unlike `vicport image ls | head`.
    let mut early = env
        .vicport(["image", "save", OCI_REF])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 512];
    std::io::Read::read_exact(early.stdout.as_mut().unwrap(), &mut head).unwrap();
    drop(early.stdout.take());
    let early = early.wait_with_output().unwrap();
    assert_eq!(early.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("incomplete"),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );
    assert!(piped.stdout.len() > 1 << 20, "bigger than a pipe's buffer");

    // Removed, the cache collected, then imported again from the archive:
    // the same id under the same name, its layers the same.
    let layers = layer_digests(&env, OCI_REF);
    run(env.vicport(["image", "rm", OCI_REF])).code(0);
    run(env.vicport(["image", "prune", "--all", "--yes"])).code(0);
    let back = run(env.vicport(["-o", "json", "image", "import"]).arg(&file))
        .code(0)
        .json();
    assert_eq!(back["id"], id.as_str());
    assert_eq!(back["tags"][0], OCI_REF);
    assert_eq!(layer_digests(&env, OCI_REF), layers);
    // ... and it can be saved again: the cache holds its blobs again.
    let again = env.vicport(["image", "save", OCI_REF]).output().unwrap();
    assert_eq!(again.stdout, piped.stdout);
}

#[test]
fn several_images_share_blobs_in_one_archive_and_a_directory_layout() {
    let env = Env::new();
    let busybox = import_busybox_layout(&env);
    let other = import_layers(&env, "local/other:1");
    run(env.vicport(["image", "tag", "local/other:1", "local/other:2"])).code(0);
    let out = env.root().join("out");
    std::fs::create_dir_all(&out).unwrap();

    // By id: every tag it has; by a tag: that tag.
    let dir = out.join("layout");
    let saved = run(env
        .vicport([
            "-o",
            "json",
            "image",
            "save",
            &other[7..19],
            OCI_REF,
            "--dir",
        ])
        .arg(&dir))
    .code(0)
    .json();
    assert_eq!(saved["format"], "oci-dir");
    assert_eq!(saved["images"][0]["id"], other.as_str());
    assert_eq!(
        saved["images"][0]["tags"],
        serde_json::json!(["local/other:1", "local/other:2"])
    );
    assert_eq!(saved["images"][1]["id"], busybox.as_str());
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["manifests"].as_array().unwrap().len(), 3, "{index}");
    // Each blob once: two manifests, two configs, 2 + busybox's layers.
    let blobs = dir_names(&dir.join("blobs/sha256")).len();
    assert_eq!(saved["blobs"], blobs);
    for reference in ["local/other:1", "local/other:2", OCI_REF] {
        let seen = skopeo_inspect(&format!("oci:{}:{reference}", dir.display()));
        assert!(seen["Layers"].as_array().is_some_and(|l| !l.is_empty()));
    }

    // The same image twice is written once.
    let twice = out.join("twice.tar");
    let saved = run(env
        .vicport([
            "-o",
            "json",
            "image",
            "save",
            "local/other:1",
            "local/other:2",
            "--file",
        ])
        .arg(&twice))
    .code(0)
    .json();
    assert_eq!(saved["images"].as_array().unwrap().len(), 1, "{saved}");
    assert_eq!(saved["blobs"], 4);

    // A layout of several images: import takes one, by --name.
    run(env.vicport(["image", "rm", "local/other:1", "local/other:2"])).code(0);
    run(env.vicport(["image", "import"]).arg(&dir)).code(2);
    let back = run(env
        .vicport(["-o", "json", "image", "import", "--name", "local/other:2"])
        .arg(&dir))
    .code(0)
    .json();
    assert_eq!(back["id"], other.as_str());

    // --all: every image, each under the names it records (an image named
    // twice is one image with both tags).
    run(env.vicport(["image", "rm", "local/other:2", OCI_REF])).code(0);
    assert_eq!(
        run(env.vicport(["-o", "json", "image", "ls"]))
            .code(0)
            .json(),
        serde_json::json!([])
    );
    let all = run(env
        .vicport(["-o", "json", "image", "import", "--all"])
        .arg(&dir))
    .code(0)
    .json();
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    assert_eq!(all[0]["id"], other.as_str());
    assert_eq!(
        all[0]["tags"],
        serde_json::json!(["local/other:1", "local/other:2"])
    );
    assert_eq!(all[1]["id"], busybox.as_str());
    assert_eq!(all[1]["tags"], serde_json::json!([OCI_REF]));
    run(env
        .vicport(["image", "import", "--all", "--name", "x:1"])
        .arg(&dir))
    .code(2);
}

#[test]
fn a_rootfs_import_is_saved_with_the_config_vicport_made_for_it() {
    let env = Env::new();
    env.import_busybox();
    let id = run(env.vicport(["-o", "json", "image", "inspect", "busybox"]))
        .code(0)
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let file = env.root().join("busybox.tar");
    let saved = run(env
        .vicport(["-o", "json", "image", "save", "busybox", "--file"])
        .arg(&file))
    .code(0)
    .json();
    // Its id is its tar's digest; the archive's image is its config's.
    assert_eq!(saved["images"][0]["id"], id.as_str());
    let config = saved["images"][0]["config"].as_str().unwrap().to_string();
    assert_ne!(config, id);
    run(env.vicport(["image", "rm", "busybox"])).code(0);
    let back = run(env.vicport(["-o", "json", "image", "import"]).arg(&file))
        .code(0)
        .json();
    assert_eq!(back["id"], config.as_str());
    assert_eq!(back["tags"][0], "busybox:latest");
}

#[test]
fn a_save_that_cannot_finish_leaves_nothing_and_says_why() {
    let env = Env::new();
    let id = import_layers(&env, "local/img:1");
    let out = env.root().join("out");
    std::fs::create_dir_all(&out).unwrap();

    // An unknown image: not found, nothing written.
    let file = out.join("x.tar");
    let failed = run(env
        .vicport(["image", "save", "nope:1", "--file"])
        .arg(&file));
    failed.code(3);
    assert!(failed.stderr.contains("nope"), "{}", failed.stderr);

    // JSON on standard output leaves no room for the archive.
    let failed = run(env.vicport(["-o", "json", "image", "save", "local/img:1"]));
    failed.code(2);
    assert!(failed.stderr.contains("--file"), "{}", failed.stderr);

    // A directory that holds something is not written into.
    let busy = out.join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("keep"), "mine").unwrap();
    let failed = run(env
        .vicport(["image", "save", "local/img:1", "--dir"])
        .arg(&busy));
    failed.code(4);
    assert!(failed.stderr.contains("not empty"), "{}", failed.stderr);
    assert_eq!(dir_names(&busy), vec!["keep"]);

    // A directory that does not exist for the file: named.
    let failed = run(env
        .vicport(["image", "save", "local/img:1", "--file"])
        .arg(out.join("missing/x.tar")));
    failed.code(3);
    assert!(failed.stderr.contains("missing"), "{}", failed.stderr);

    // A damaged blob in the cache: refused naming it; an old archive at
    // the destination stays as it was, and no temporary file is left.
    std::fs::write(&file, "an older archive").unwrap();
    let layer = largest_blob(&env.root().join("cache/vicport/blobs/sha256"));
    let mut bytes = std::fs::read(&layer).unwrap();
    bytes[100] ^= 0xff;
    std::fs::write(&layer, bytes).unwrap();
    let failed = run(env
        .vicport(["image", "save", "local/img:1", "--file"])
        .arg(&file));
    failed.code(1);
    let name = layer.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        failed.stderr.contains(&name) && failed.stderr.contains("damaged"),
        "{}",
        failed.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "an older archive");
    assert_eq!(dir_names(&out), vec!["busy", "x.tar"]);
    let failed = run(env
        .vicport(["image", "save", "local/img:1", "--dir"])
        .arg(out.join("d")));
    failed.code(1);
    assert_eq!(dir_names(&out), vec!["busy", "x.tar"]);
    assert!(id.starts_with("sha256:"));
}

/// The biggest file in `dir` (a layer, not a config or manifest).
fn largest_blob(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap()
}

#[test]
fn a_store_that_is_missing_keeps_its_images_blobs_through_a_prune() {
    let env = Env::new();
    let state = env.root().join("other-state");
    run(env
        .vicport(["target", "add", "other", "--platform", "local", "--dir"])
        .arg(&state))
    .code(0);
    let dir = env.root().join("fixtures/other");
    let (files, _) = fixtures::oci_files(&fixtures::random_layers(2, 4096), "other", None);
    fixtures::write_dir(&dir, &files).unwrap();
    run(env
        .vicport(["-T", "other", "image", "import", "--name", "far/img:1"])
        .arg(&dir))
    .code(0);

    // Its state away (a disk not mounted): a prune on another target
    // keeps what that store held, and says so.
    let away = env.root().join("unmounted");
    std::fs::rename(&state, &away).unwrap();
    let pruned = run(env.vicport(["-o", "json", "--yes", "image", "prune", "--all"]))
        .code(0)
        .json();
    let missing = &pruned["blob_cache"]["missing_stores"];
    assert_eq!(missing.as_array().map(Vec::len), Some(1), "{pruned}");
    assert_eq!(missing[0]["images"], 1);
    assert!(
        missing[0]["path"]
            .as_str()
            .unwrap()
            .starts_with(state.to_str().unwrap()),
        "{pruned}"
    );
    assert_eq!(pruned["blob_cache"]["blobs"], 0, "{pruned}");
    let out = run(env.vicport(["--yes", "image", "prune", "--all"]));
    assert!(out.code(0).stdout.contains("is missing"), "{}", out.stdout);

    // Back: the image is whole (its blobs are there to save it).
    std::fs::rename(&away, &state).unwrap();
    run(env
        .vicport(["-T", "other", "image", "save", "far/img:1", "--file"])
        .arg(env.root().join("far.tar")))
    .code(0);
}

#[test]
fn import_all_takes_docker_save_archives_and_rootfs_tars_too() {
    let env = Env::new();
    let dir = env.root().join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    for layout in [
        fixtures::DockerLayout::Legacy,
        fixtures::DockerLayout::Blobs,
    ] {
        let archive = fixtures::docker_archive(&dir, layout).unwrap();
        let all = run(env
            .vicport(["-o", "json", "image", "import", "--all"])
            .arg(&archive.path))
        .code(0)
        .json();
        assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
        assert_eq!(all[0]["id"], archive.id.as_str());
        assert_eq!(all[0]["tags"], serde_json::json!([fixtures::DOCKER_REF]));
    }
    // A rootfs tar holds one image, without a name.
    let tar = fixtures::rootfs_tar(&dir, true).unwrap();
    let all = run(env
        .vicport(["-o", "json", "image", "import", "--all"])
        .arg(&tar.path))
    .code(0)
    .json();
    assert_eq!(all[0]["id"], tar.id.as_str(), "{all}");
    // Not an image at all: refused, naming it; nothing imported.
    let junk = dir.join("junk");
    std::fs::create_dir_all(&junk).unwrap();
    let out = run(env.vicport(["image", "import", "--all"]).arg(&junk));
    out.code(2);
    assert!(out.stderr.contains("junk"), "{}", out.stderr);
}
