//! Registries through the binary: Debian's docker-registry (distribution
//! 2.8) on 127.0.0.1, plain, with TLS from a test CA, with htpasswd basic
//! auth and with the token flow, fed by skopeo from OCI layouts made of
//! Debian's busybox-static. One test boots a VM: the push/pull round trip.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use vicport::plumbing::image::fixtures::{self, Entry, Layer};

use crate::support::registry::{Auth, Redirector, Registry};
use crate::support::{Env, Outcome, dir_names, on_a_terminal, run, run_with_stdin};

fn fixture_dir(env: &Env, name: &str) -> PathBuf {
    let dir = env.root().join("fixtures").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Push the busybox OCI layout to `reg` as `reference`; its image id.
fn seed_busybox(env: &Env, reg: &Registry, reference: &str) -> String {
    let layout = fixtures::oci_layout(&fixture_dir(env, "busybox")).unwrap();
    reg.push_with_skopeo(&format!("oci:{}", layout.path.display()), reference, false);
    layout.id
}

/// An OCI layout of one image made of `layers` at `dir`; its id.
fn layout_of(dir: &Path, layers: &[Layer], variant: &str) -> String {
    let (files, id) = fixtures::oci_files(layers, variant, None);
    fixtures::write_dir(dir, &files).unwrap();
    id
}

fn pull(env: &Env, args: &[&str]) -> Outcome {
    run(env.vicport(["-o", "json", "image", "pull"]).args(args))
}

fn image_ls(env: &Env) -> serde_json::Value {
    run(env.vicport(["-o", "json", "image", "ls"]))
        .code(0)
        .json()
}

/// The blob cache's copy of `digest`.
fn cached(env: &Env, digest: &str) -> PathBuf {
    env.root()
        .join("cache/vicport/blobs/sha256")
        .join(digest.trim_start_matches("sha256:"))
}

fn write_config(env: &Env, text: &str) {
    let path = env.root().join("config/vicport/config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn pulls_by_tag_and_digest_and_fetches_a_held_blob_never_again() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let id = seed_busybox(&env, &reg, "bb:1");
    let host = &reg.host;

    let out = pull(&env, &[&format!("{host}/bb:1")]);
    out.code(0);
    let first = out.json();
    assert_eq!(first["id"], id.as_str());
    assert_eq!(first["tags"], serde_json::json!([format!("{host}/bb:1")]));
    assert_eq!(first["reused_blobs"], 0);
    let layers = first["layers"].as_array().unwrap().len();
    assert!(
        first["fetched_bytes"].as_u64().unwrap() > 500_000,
        "{first}"
    );
    assert!(
        cached(&env, &id).is_file(),
        "the config is in the blob cache"
    );
    assert_eq!(image_ls(&env)[0]["id"], id.as_str());

    // Again, and under another tag: only the manifest moves.
    seed_busybox(&env, &reg, "bb:2");
    for tag in ["1", "2"] {
        let again = pull(&env, &[&format!("{host}/bb:{tag}")]).code(0).json();
        assert_eq!(again["id"], id.as_str());
        assert_eq!(again["reused_blobs"].as_u64().unwrap() as usize, layers + 1);
        assert!(again["fetched_bytes"].as_u64().unwrap() < 4096, "{again}");
    }

    // By digest, quietly: the id alone.
    let digest = first["manifest_digest"].as_str().unwrap();
    let out = run(env.vicport(["-q", "image", "pull", &format!("{host}/bb@{digest}")]));
    out.code(0);
    assert_eq!(out.stdout, format!("{id}\n"));

    // Unknown tag or repository: 3, naming it.
    let out = pull(&env, &[&format!("{host}/bb:nope")]);
    out.code(3);
    assert!(out.stderr.contains("bb:nope"), "{}", out.stderr);
    let out = pull(&env, &[&format!("{host}/nothere:1")]);
    out.code(3);
    assert!(out.stderr.contains("nothere"), "{}", out.stderr);
    // A malformed reference: 2.
    pull(&env, &["Not A Reference"]).code(2);

    // zstd layers (skopeo recompresses them on the way in).
    let layout = fixtures::oci_layout(&fixture_dir(&env, "zstd")).unwrap();
    reg.push_with_skopeo_args(
        &format!("oci:{}", layout.path.display()),
        "bb:zstd",
        &["--dest-compress-format=zstd"],
    );
    let zstd = Env::new();
    let doc = pull(&zstd, &[&format!("{host}/bb:zstd")]).code(0).json();
    assert_eq!(doc["id"], id.as_str());
}

#[test]
fn redirects_are_followed() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let id = seed_busybox(&env, &reg, "bb:1");
    let front = Redirector::start(&reg.host);
    let doc = pull(&env, &[&format!("{}/bb:1", front.host)])
        .code(0)
        .json();
    assert_eq!(doc["id"], id.as_str());
    // The ping, the manifest, the config and every layer went through it.
    let blobs = fixtures::busybox_layers().unwrap().len() + 1;
    let redirected = front.redirected.load(std::sync::atomic::Ordering::SeqCst);
    assert!(redirected >= blobs + 2, "{redirected} redirected");
}

#[test]
fn progress_shows_each_layer_on_a_terminal_and_nothing_on_a_pipe() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    seed_busybox(&env, &reg, "bb:1");
    let reference = format!("{}/bb:1", reg.host);
    let blobs = fixtures::busybox_layers().unwrap().len() + 1;

    let (screen, code) = on_a_terminal(env.vicport(["image", "pull", &reference]), (24, 120), &[]);
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(screen.matches(": pulled ").count(), blobs, "{screen}");
    let (screen, code) = on_a_terminal(env.vicport(["image", "pull", &reference]), (24, 120), &[]);
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(screen.matches(": already held").count(), blobs, "{screen}");

    // On a pipe: no progress at all, and -q prints the id alone.
    let other = Env::new();
    let out = run(other.vicport(["-q", "image", "pull", &reference]));
    out.code(0);
    assert_eq!(out.stderr, "");
    assert!(out.stdout.trim().starts_with("sha256:") && out.stdout.lines().count() == 1);
}

#[test]
fn a_registry_that_is_down_or_refuses_tls_is_unreachable_with_its_host() {
    let env = Env::new();
    let reg = Registry::start(true, Auth::Open);
    seed_busybox(&env, &reg, "bb:1");
    let host = reg.host.clone();
    let reference = format!("{host}/bb:1");

    // The test CA is not trusted: 5, naming the host.
    let out = pull(&env, &[&reference]);
    out.code(5);
    assert!(out.stderr.contains(&host), "{}", out.stderr);
    assert_eq!(image_ls(&env), serde_json::json!([]));

    // Not verifying, on the command line: pulled.
    pull(&env, &[&reference, "--tls-verify=false"]).code(0);

    // The CA in the config: pulled with verification (another store).
    let other = Env::new();
    let ca = other.root().join("ca.pem");
    std::fs::copy(reg.ca.as_ref().unwrap(), &ca).unwrap();
    write_config(
        &other,
        &format!("[registries.\"{host}\"]\nca_file = \"{}\"\n", ca.display()),
    );
    pull(&other, &[&reference]).code(0);
    // tls_verify = false in the config does the same.
    let third = Env::new();
    write_config(
        &third,
        &format!("[registries.\"{host}\"]\ntls_verify = false\n"),
    );
    pull(&third, &[&reference]).code(0);

    // Down: 5, naming the host.
    drop(reg);
    let out = pull(&other, &[&reference]);
    out.code(5);
    assert!(out.stderr.contains(&host), "{}", out.stderr);
}

/// `registry login HOST --username U --password-stdin`.
fn login(env: &Env, host: &str, user: &str, password: &str) -> Outcome {
    run_with_stdin(
        env.vicport([
            "registry",
            "login",
            host,
            "--username",
            user,
            "--password-stdin",
        ]),
        &format!("{password}\n"),
    )
}

/// Logins kept in the keyring, checked first, used by pull, forgotten by
/// logout; a login from an auth file is used read-only.
fn logins_work(reg: &Registry, user: &str, password: &str) {
    let env = Env::new();
    seed_busybox(&env, reg, "bb:1");
    let host = &reg.host;
    let reference = format!("{host}/bb:1");

    // Anonymous: refused, 5.
    let out = pull(&env, &[&reference]);
    out.code(5);
    assert!(out.stderr.contains(host), "{}", out.stderr);
    // Wrong password: refused at login, 5, nothing kept.
    login(&env, host, user, "wrong").code(5);
    pull(&env, &[&reference]).code(5);
    // Right: kept, and pull works.
    login(&env, host, user, password).code(0);
    pull(&env, &[&reference]).code(0);
    let out = run(env.vicport(["-o", "json", "registry", "logout", host]));
    out.code(0);
    assert_eq!(out.json()["removed"], true);
    pull(&env, &[&reference]).code(5);

    // Docker's auth file, through $REGISTRY_AUTH_FILE: read, not written.
    let file = env.root().join("auth.json");
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let text = format!(r#"{{"auths": {{"{host}": {{"auth": "{auth}"}}}}}}"#);
    std::fs::write(&file, &text).unwrap();
    let out = run(env
        .vicport(["-o", "json", "image", "pull", &reference])
        .env("REGISTRY_AUTH_FILE", &file));
    out.code(0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // And ~/.docker/config.json, in another store (so the manifest and
    // blobs need the login again).
    let other = Env::new();
    let docker = other.root().join("home/.docker");
    std::fs::create_dir_all(&docker).unwrap();
    std::fs::write(docker.join("config.json"), &text).unwrap();
    pull(&other, &[&reference]).code(0);
}

#[test]
fn basic_auth_logins_are_checked_kept_used_and_forgotten() {
    let reg = Registry::start(false, Auth::Basic("alice".into(), "open sesame".into()));
    logins_work(&reg, "alice", "open sesame");
}

#[test]
fn the_token_flow_gets_a_bearer_token_for_the_login() {
    let reg = Registry::start(false, Auth::Token("bob".into(), "t0ken-pass".into()));
    logins_work(&reg, "bob", "t0ken-pass");
}

#[test]
fn an_index_is_resolved_to_the_asked_platform() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let dir = fixture_dir(&env, "multi");
    let amd = layout_of(
        &dir.join("amd"),
        &fixtures::busybox_layers().unwrap(),
        "amd64",
    );
    let small = Layer {
        entries: vec![Entry::file("arch", 0o644, "arm64")],
        gzip: true,
    };
    let arm = layout_of(&dir.join("arm"), &[small], "arm64");
    // One layout with both, in an index that says which is which.
    let layout = dir.join("both");
    let mut manifests = Vec::new();
    for (sub, platform) in [
        (
            "amd",
            serde_json::json!({"os": "linux", "architecture": "amd64"}),
        ),
        (
            "arm",
            serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"}),
        ),
    ] {
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(sub).join("index.json")).unwrap())
                .unwrap();
        let mut desc = index["manifests"][0].clone();
        desc["platform"] = platform;
        manifests.push(desc);
        copy_dir(&dir.join(sub).join("blobs"), &layout.join("blobs"));
    }
    // skopeo copies one image of a layout: the index of both is a blob,
    // and the layout's index.json names it.
    let nested = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests,
    }))
    .unwrap();
    let nested_digest = fixtures::digest(&nested);
    std::fs::write(
        layout.join("blobs/sha256").join(&nested_digest[7..]),
        &nested,
    )
    .unwrap();
    std::fs::write(
        layout.join("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": nested_digest,
                "size": nested.len(),
                "annotations": {"org.opencontainers.image.ref.name": "multi"},
            }],
        }))
        .unwrap(),
    )
    .unwrap();
    reg.push_with_skopeo(&format!("oci:{}:multi", layout.display()), "multi:1", true);
    let reference = format!("{}/multi:1", reg.host);

    assert_eq!(pull(&env, &[&reference]).code(0).json()["id"], amd.as_str());
    let out = pull(&env, &[&reference, "--platform", "linux/arm64"]);
    assert_eq!(out.code(0).json()["id"], arm.as_str());
    let out = pull(&env, &[&reference, "--platform", "linux/s390x"]);
    out.code(3);
    assert!(
        out.stderr.contains("linux/amd64, linux/arm64/v8"),
        "{}",
        out.stderr
    );
    pull(&env, &[&reference, "--platform", "linux"]).code(2);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_tampered_blob_is_refused_and_nothing_is_stored() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let mut data = vec![0u8; 200_000];
    getrandom::fill(&mut data).unwrap();
    let layer = Layer {
        entries: vec![Entry::file("data", 0o644, data)],
        gzip: false,
    };
    let dir = fixture_dir(&env, "tamper");
    layout_of(&dir, std::slice::from_ref(&layer), "tamper");
    reg.push_with_skopeo(&format!("oci:{}", dir.display()), "t:1", false);
    // skopeo compressed the layer on the way in: the largest blob is it.
    let stored = reg.largest_blob();
    let digest = format!(
        "sha256:{}",
        stored
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
    );
    // Same length, other bytes: as a damaged or malicious server would serve.
    let mut bytes = std::fs::read(&stored).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&stored, &bytes).unwrap();

    let out = pull(&env, &[&format!("{}/t:1", reg.host)]);
    out.code(1);
    assert!(out.stderr.contains(&digest), "{}", out.stderr);
    assert_eq!(image_ls(&env), serde_json::json!([]));
    assert!(!cached(&env, &digest).exists(), "a bad blob was kept");
}

#[test]
fn a_hostile_layer_is_refused_as_import_refuses_it() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let outside = env.root().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let cases = [
        (
            "dotdot",
            vec![Entry::file("../../outside/x", 0o644, "escaped")],
        ),
        (
            "absolute",
            vec![Entry::file("/../../../outside/x", 0o644, "escaped")],
        ),
        (
            "symlink",
            vec![
                Entry::symlink("link", outside.to_str().unwrap()),
                Entry::file("link/x", 0o644, "escaped"),
            ],
        ),
    ];
    for (name, entries) in cases {
        let dir = fixture_dir(&env, name);
        let layer = Layer {
            entries,
            gzip: true,
        };
        layout_of(&dir, &[layer], name);
        let imported = run(env.vicport(["-o", "json", "image", "import"]).arg(&dir));
        assert_ne!(imported.code, 0, "{name} was imported");
        reg.push_with_skopeo(
            &format!("oci:{}", dir.display()),
            &format!("{name}:1"),
            false,
        );
        let pulled = pull(&env, &[&format!("{}/{name}:1", reg.host)]);
        pulled.code(imported.code);
        assert_eq!(
            pulled.json_error()["error"]["kind"],
            imported.json_error()["error"]["kind"]
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "{name}");
    }
    assert_eq!(image_ls(&env), serde_json::json!([]));
}

/// An image of three layers of 32 MiB of random bytes each, as an OCI
/// layout at `dir`; its id.
fn random_image(dir: &Path) -> String {
    layout_of(dir, &fixtures::random_layers(3, 32 << 20), "random")
}

#[test]
fn ctrl_c_mid_pull_exits_130_keeps_finished_blobs_and_the_next_pull_resumes() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let dir = fixture_dir(&env, "random");
    let id = random_image(&dir);
    reg.push_with_skopeo(&format!("oci:{}", dir.display()), "big:1", false);
    let reference = format!("{}/big:1", reg.host);

    let mut child = env
        .vicport(["-o", "json", "image", "pull", &reference])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until one blob is finished (the small config, besides the
    // manifest) and a layer is being written, then interrupt.
    let tmp = env.root().join("cache/vicport/blobs/tmp");
    let held = env.root().join("cache/vicport/blobs/sha256");
    let count = |dir: &Path| {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains('.')
            })
            .count()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&held) < 2 || std::fs::read_dir(&tmp).map_or(true, |mut d| d.next().is_none()) {
        assert!(Instant::now() < deadline, "no layer was ever being written");
        std::thread::sleep(Duration::from_millis(2));
    }
    // SAFETY: signalling our own child by its pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(image_ls(&env), serde_json::json!([]));
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "a half blob was left"
    );
    let kept = std::fs::read_dir(env.root().join("cache/vicport/blobs/sha256"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains('.')
        })
        .count();
    assert!(kept >= 1, "the manifest and finished blobs are kept");

    let out = pull(&env, &[&reference]);
    let doc = out.code(0).json();
    assert_eq!(doc["id"], id.as_str());
    assert!(doc["reused_blobs"].as_u64().unwrap() >= 1, "{doc}");
}

/// The names of the blobs the cache holds.
fn blobs_held(env: &Env) -> std::collections::BTreeSet<String> {
    dir_names(&env.root().join("cache/vicport/blobs/sha256"))
        .into_iter()
        .collect()
}

#[test]
fn prune_removes_dangling_then_unused_images_and_the_blobs_only_they_needed() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let layers = fixtures::random_layers(3, 64 << 10);
    let (shared, old, new) = (&layers[0], &layers[1], &layers[2]);
    let v1 = fixture_dir(&env, "v1");
    let old_id = layout_of(&v1, &[shared.clone(), old.clone()], "v1");
    let v2 = fixture_dir(&env, "v2");
    let new_id = layout_of(&v2, &[shared.clone(), new.clone()], "v2");
    let reference = format!("{}/app:1", reg.host);

    // A pull that moves a tag leaves the old image dangling.
    reg.push_with_skopeo(&format!("oci:{}", v1.display()), "app:1", false);
    pull(&env, &[&reference]).code(0);
    reg.push_with_skopeo(&format!("oci:{}", v2.display()), "app:1", false);
    pull(&env, &[&reference]).code(0);
    let listed = image_ls(&env);
    let tags_of = |id: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["tags"].clone())
    };
    assert_eq!(tags_of(&old_id), Some(serde_json::json!([])));
    assert_eq!(tags_of(&new_id), Some(serde_json::json!([reference])));
    // Two images of a manifest, a config and two layers each, one shared.
    let before = blobs_held(&env);
    assert_eq!(before.len(), 7, "{before:?}");

    // Without a terminal it asks for --yes, and changes nothing.
    let out = run(env.vicport(["image", "prune"]));
    out.code(2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(blobs_held(&env), before);
    assert_eq!(image_ls(&env).as_array().unwrap().len(), 2);

    // The dangling image goes with its manifest, config and own layer;
    // the tagged one keeps the layer they shared, and is still pushable.
    let doc = run(env.vicport(["-o", "json", "--yes", "image", "prune"]))
        .code(0)
        .json();
    assert_eq!(doc["images"][0]["id"], old_id.as_str(), "{doc}");
    assert_eq!(doc["images"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["blob_cache"]["blobs"], 3, "{doc}");
    assert_eq!(doc["blob_cache"]["records"], 1, "{doc}");
    assert!(
        doc["blob_cache"]["bytes"].as_u64().unwrap() > 64 << 10,
        "{doc}"
    );
    let after = blobs_held(&env);
    assert_eq!(after.len(), 4);
    assert!(after.is_subset(&before));
    assert!(!after.contains(&old_id[7..]) && after.contains(&new_id[7..]));
    let pushed = format!("{}/again/app:1", reg.host);
    run(env.vicport(["image", "push", &reference, &pushed])).code(0);
    // Nothing dangling is left: nothing goes, and a plain line says so.
    let out = run(env.vicport(["--yes", "image", "prune"]));
    assert_eq!(
        out.code(0).stdout,
        "blob cache: 0 blobs removed, 0 B reclaimed\n"
    );
    let out = run(env.vicport(["-q", "--yes", "image", "prune"]));
    assert_eq!(out.code(0).stdout, "", "-q: no ids, not an empty line");

    // --all: every unused image, and the cache is empty; `image rm`
    // collects too.
    let out = run(env.vicport(["-q", "--yes", "image", "prune", "--all"]));
    assert_eq!(out.code(0).stdout, format!("{new_id}\n"));
    assert!(blobs_held(&env).is_empty());
    assert_eq!(image_ls(&env), serde_json::json!([]));
    let doc = pull(&env, &[&reference]).code(0).json();
    assert_eq!(doc["reused_blobs"], 0, "a pruned blob is fetched again");
    assert_eq!(blobs_held(&env).len(), 4);
    run(env.vicport(["image", "rm", &reference])).code(0);
    assert!(blobs_held(&env).is_empty());
}

#[test]
fn an_image_imported_from_an_oci_layout_is_pushed_from_the_blob_cache() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let layout = fixtures::oci_layout(&fixture_dir(&env, "oci")).unwrap();
    let out = run(env
        .vicport(["-o", "json", "image", "import"])
        .arg(&layout.path)
        .args(["--name", "local/bb:1"]));
    out.code(0);
    let target = format!("{}/imported/bb:1", reg.host);
    let doc = run(env.vicport(["-o", "json", "image", "push", "local/bb:1", &target]))
        .code(0)
        .json();
    let blobs = fixtures::busybox_layers().unwrap().len() + 1;
    assert_eq!(doc["uploaded"].as_u64().unwrap() as usize, blobs, "{doc}");
    let other = Env::new();
    assert_eq!(
        pull(&other, &[&target]).code(0).json()["id"],
        layout.id.as_str()
    );
}

/// `image import PATH --name NAME` with the given cache directory, or the
/// world's own; the import's JSON.
fn import(env: &Env, path: &Path, name: &str, cache: Option<&Path>) -> serde_json::Value {
    let mut cmd = env.vicport(["-o", "json", "image", "import"]);
    cmd.arg(path).args(["--name", name]);
    if let Some(cache) = cache {
        cmd.env("VICPORT_CACHE_DIR", cache);
    }
    run(&mut cmd).code(0).json()
}

fn inspect(env: &Env, image: &str) -> serde_json::Value {
    run(env.vicport(["-o", "json", "image", "inspect", image]))
        .code(0)
        .json()
}

#[test]
fn rootfs_tar_and_docker_save_imports_are_pushed_and_come_back_the_same() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let host = &reg.host;
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), true).unwrap();
    let saved =
        fixtures::docker_archive(&fixture_dir(&env, "saved"), fixtures::DockerLayout::Legacy)
            .unwrap();
    let flat = import(&env, &tar.path, "flat:1", None);
    assert_eq!(flat["id"], tar.id.as_str());
    import(&env, &saved.path, "saved:1", None);

    // A rootfs tar: one uncompressed layer, the tar itself; a config made
    // of the import's defaults, whose digest is the pushed image's id (the
    // store's id stays the tar's digest).
    let out = run(env.vicport([
        "-o",
        "json",
        "image",
        "push",
        "flat:1",
        &format!("{host}/flat:1"),
    ]));
    let pushed = out.code(0).json();
    assert_eq!(pushed["uploaded"], 2, "{pushed}");
    let flat_id = pushed["image_id"].as_str().unwrap().to_string();
    assert_ne!(flat_id, tar.id);
    let manifest = reg.inspect_with_skopeo("flat:1", &["--raw"]);
    assert_eq!(
        manifest["mediaType"],
        "application/vnd.oci.image.manifest.v1+json"
    );
    assert_eq!(manifest["config"]["digest"], flat_id.as_str());
    assert_eq!(
        manifest["layers"],
        serde_json::json!([{
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": tar.id,
            "size": fixtures::tar_bytes(&fixtures::base_entries().unwrap()).len(),
        }])
    );
    let config = reg.inspect_with_skopeo("flat:1", &["--config"]);
    assert_eq!(config["rootfs"]["diff_ids"], serde_json::json!([tar.id]));
    assert_eq!(config["architecture"], "amd64");
    assert_eq!(config["os"], "linux");
    assert_eq!(config["config"]["Env"], flat["config"]["env"]);
    // Pushed again: the same manifest (the config has no time in it), and
    // nothing sent.
    let again = run(env.vicport([
        "-o",
        "json",
        "image",
        "push",
        "flat:1",
        &format!("{host}/flat:1"),
    ]))
    .code(0)
    .json();
    assert_eq!(again["digest"], pushed["digest"]);
    assert_eq!(again["uploaded"], 0, "{again}");

    // docker save: its config (so its id) and its layers as the archive
    // holds them, uncompressed.
    let out = run(env.vicport([
        "-o",
        "json",
        "image",
        "push",
        "saved:1",
        &format!("{host}/saved:1"),
    ]));
    let pushed_saved = out.code(0).json();
    assert_eq!(pushed_saved["image_id"], saved.id.as_str());
    let listed = inspect(&env, "saved:1");
    let manifest = reg.inspect_with_skopeo("saved:1", &["--raw"]);
    assert_eq!(manifest["config"]["digest"], saved.id.as_str());
    let layers: Vec<&serde_json::Value> = manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["digest"])
        .collect();
    let diff_ids: Vec<&serde_json::Value> = listed["layers"].as_array().unwrap().iter().collect();
    assert_eq!(layers, diff_ids);
    let seen = reg.inspect_with_skopeo("saved:1", &[]);
    assert_eq!(seen["Digest"], pushed_saved["digest"]);
    assert_eq!(seen["Env"], listed["config"]["env"]);

    // Into another state and cache: the same config and layers; the
    // docker-save image keeps its id, the rootfs one gets its config's.
    let other = Env::new();
    other.ensure_boot_image();
    let back = pull(&other, &[&format!("{host}/flat:1")]).code(0).json();
    assert_eq!(back["id"], flat_id.as_str());
    assert_eq!(back["config"], flat["config"]);
    assert_eq!(back["layers"], serde_json::json!([tar.id]));
    let back = pull(&other, &[&format!("{host}/saved:1")]).code(0).json();
    assert_eq!(back["id"], saved.id.as_str());
    assert_eq!(back["config"], listed["config"]);
    assert_eq!(back["layers"], listed["layers"]);
    // And they run, with their files.
    let out = run(other.booting([
        "run",
        "--rm",
        &format!("{host}/flat:1"),
        "--",
        "/bin/sh",
        "-c",
        "cat /etc/motd /home/user/notes /srv/ro/file; echo $PATH",
    ]));
    out.code(0);
    assert_eq!(
        out.stdout,
        "welcome\nmine\nread only\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    );
    // The fixture's entrypoint is `/bin/sh -c`: the command is one word.
    let out = run(other.booting([
        "run",
        "--rm",
        &format!("{host}/saved:1"),
        "--",
        "pwd; echo $FIXTURE; cat /etc/hostname; ./hello.sh; test -e /etc/motd || echo no motd",
    ]));
    out.code(0);
    assert_eq!(
        out.stdout,
        "/opt/app\n1\nfixture\nhello from vicport\nno motd\n"
    );
}

#[test]
fn an_image_stored_before_imports_kept_blobs_is_refused_until_imported_again() {
    let env = Env::new();
    let reg = Registry::start(false, Auth::Open);
    let tar = fixtures::rootfs_tar(&fixture_dir(&env, "rootfs"), false).unwrap();
    // Imported with another cache: this machine's cache holds none of it,
    // as for an image imported before vicport kept blobs.
    let elsewhere = env.root().join("another-cache");
    import(&env, &tar.path, "old:1", Some(&elsewhere));
    let target = format!("{}/old:1", reg.host);
    let out = run(env.vicport(["-o", "json", "image", "push", "old:1", &target]));
    out.code(3);
    let error = out.json_error();
    assert_eq!(error["error"]["kind"], "not_found");
    let text = error.to_string();
    assert!(text.contains("old:1") && text.contains(&tar.id), "{text}");
    assert!(text.contains("import it again"), "{text}");

    // Imported again: the stored image is reused, its blobs kept; pushed.
    import(&env, &tar.path, "old:1", None);
    let doc = run(env.vicport(["-o", "json", "image", "push", "old:1", &target]))
        .code(0)
        .json();
    assert_eq!(doc["uploaded"], 2, "{doc}");
    let config = reg.inspect_with_skopeo("old:1", &["--config"]);
    assert_eq!(config["rootfs"]["diff_ids"], serde_json::json!([tar.id]));
}

#[test]
fn a_pushed_image_round_trips_through_another_registry_and_runs() {
    let env = Env::new();
    let first = Registry::start(false, Auth::Open);
    let second = Registry::start(false, Auth::Basic("carol".into(), "pw".into()));
    let id = seed_busybox(&env, &first, "bb:1");
    let source = format!("{}/bb:1", first.host);
    pull(&env, &[&source]).code(0);

    // To another repository of the same registry: every blob is mounted
    // or already there, nothing uploaded.
    let out = run(env.vicport([
        "-o",
        "json",
        "image",
        "push",
        &source,
        &format!("{}/copy:1", first.host),
    ]));
    let doc = out.code(0).json();
    assert_eq!(doc["uploaded"], 0, "{doc}");
    // To a registry with a login: uploaded once, skipped the second time.
    login(&env, &second.host, "carol", "pw").code(0);
    let target = format!("{}/moved/bb:2", second.host);
    let doc = run(env.vicport(["-o", "json", "image", "push", &source, &target]))
        .code(0)
        .json();
    assert!(doc["uploaded"].as_u64().unwrap() >= 2, "{doc}");
    let doc = run(env.vicport(["-o", "json", "image", "push", &source, &target]))
        .code(0)
        .json();
    assert_eq!(doc["uploaded"], 0, "{doc}");
    // An image the store does not have: 3.
    let out = run(env.vicport(["-o", "json", "image", "push", "nothere", &target]));
    out.code(3);

    // Another state and cache directory pulls it and runs it.
    let other = Env::new();
    other.ensure_boot_image();
    login(&other, &second.host, "carol", "pw").code(0);
    assert_eq!(pull(&other, &[&target]).code(0).json()["id"], id.as_str());
    // The fixture's entrypoint is `/bin/sh -c`: the command is one word.
    let out = run(other.booting(["run", "--rm", &target, "--", "echo hi"]));
    out.code(0);
    assert_eq!(out.stdout, "hi\n");
    run(other.vicport(["registry", "logout", &second.host])).code(0);
    run(env.vicport(["registry", "logout", &second.host])).code(0);
}
