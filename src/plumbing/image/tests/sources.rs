//! What an import reads: rootfs tars (plain, gzip), OCI layouts (directory,
//! tar, several images, an index), docker-save archives, zstd layers, and
//! what is not an image at all.

use super::*;

#[test]
fn plain_rootfs_tar_imports_with_owners_modes_and_devices() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert!(info.tags.is_empty(), "no name given, none recorded");
    assert_eq!(info.layers, vec![fx.id.clone()]);
    assert_eq!(info.config.env, vec![DEFAULT_PATH_ENV.to_string()]);
    assert!(info.config.cmd.is_empty() && info.config.entrypoint.is_empty());
    let disk = disk_of(&store, &fx.id);
    assert_base_tree(&disk);
    assert_eq!(
        cat(&disk, "/etc/motd"),
        "welcome\n",
        "no whiteouts in a rootfs tar"
    );
    assert!(std::fs::metadata(&disk).unwrap().len() >= MIN_DISK_SIZE);
    // The files next to the disk.
    let stored = store.resolve(&fx.id[7..19]).unwrap();
    let config: crate::plumbing::spec::ImageConfig =
        serde_json::from_slice(&std::fs::read(stored.dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(config, info.config);
    assert!(stored.dir.join("image.json").is_file());
}

#[test]
fn gzip_rootfs_tar_imports_under_the_given_name() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), true).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let name = ImageRef::parse("tools/busybox").unwrap();
    let info = store.import(&fx.path, Some(name), &NoProgress).unwrap();
    assert_eq!(info.id, fx.id, "the id is the uncompressed tar's digest");
    assert_eq!(info.tags, vec!["tools/busybox:latest"]);
    assert_base_tree(&disk_of(&store, "tools/busybox"));
}

#[test]
fn oci_layout_directory_imports_with_whiteouts_and_opaque_dirs() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec![fixtures::OCI_REF]);
    assert_fixture_config(&info);
    assert_layered_tree(&disk_of(&store, fixtures::OCI_REF));
}

#[test]
fn oci_layout_tar_imports() {
    let dir = tempdir();
    let fx = fixtures::oci_archive(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec![fixtures::OCI_REF]);
    assert_layered_tree(&disk_of(&store, &fx.id));
}

#[test]
fn docker_save_archives_import_in_both_layouts() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    for layout in [DockerLayout::Legacy, DockerLayout::Blobs] {
        let fx = fixtures::docker_archive(dir.path(), layout).unwrap();
        let info = store.import(&fx.path, None, &NoProgress).unwrap();
        assert_eq!(info.id, fx.id, "{layout:?}");
        assert_fixture_config(&info);
        assert_layered_tree(&disk_of(&store, &fx.id));
    }
    // Both recorded the same RepoTag: it points at the last import.
    let images = store.list().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        store.inspect(fixtures::DOCKER_REF).unwrap().tags,
        vec![fixtures::DOCKER_REF]
    );
}

#[test]
fn docker_oci_archive_takes_its_name_from_repo_tags() {
    let dir = tempdir();
    let fx = fixtures::docker_oci_archive(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(
        info.tags,
        vec![fixtures::DOCKER_REF],
        "not the bare \"latest\""
    );
    assert_layered_tree(&disk_of(&store, fixtures::DOCKER_REF));
}

/// An OCI layout whose index.json lists several images: `fixture/multi:a`
/// and `fixture/multi:b` (one layer each, /name holding a or b).
fn multi_image_layout(dir: &Path) -> PathBuf {
    let mut all = fixtures::Files::new();
    let mut manifests = Vec::new();
    for which in ["a", "b"] {
        let layer = fixtures::Layer {
            entries: vec![Entry::file("name", 0o644, which)],
            gzip: true,
        };
        let reference = format!("fixture/multi:{which}");
        let (files, _) = fixtures::oci_files(&[layer], which, Some(&reference));
        for (name, bytes) in files {
            if name == "index.json" {
                let index: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                manifests.push(index["manifests"][0].clone());
            } else if name != "oci-layout" || which == "a" {
                all.push((name, bytes));
            }
        }
    }
    let index = serde_json::json!({"schemaVersion": 2, "manifests": manifests});
    all.push(("index.json".into(), serde_json::to_vec(&index).unwrap()));
    let path = dir.join("multi");
    fixtures::write_dir(&path, &all).unwrap();
    path
}

#[test]
fn an_archive_of_several_images_needs_a_name() {
    let dir = tempdir();
    let layout = multi_image_layout(dir.path());
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&layout, None, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        err.to_string().contains("fixture/multi:a, fixture/multi:b"),
        "{err}"
    );
    assert_store_empty(&store);
    let b = ImageRef::parse("fixture/multi:b").unwrap();
    let info = store.import(&layout, Some(b), &NoProgress).unwrap();
    assert_eq!(info.tags, vec!["fixture/multi:b"]);
    assert_eq!(cat(&disk_of(&store, "fixture/multi:b"), "/name"), "b");
}

#[test]
fn an_image_index_is_resolved_to_this_hosts_platform() {
    let dir = tempdir();
    let layer = fixtures::Layer {
        entries: vec![Entry::file("platform", 0o644, "host")],
        gzip: false,
    };
    let (mut files, _) = fixtures::oci_files(&[layer], "index", None);
    let index_at = files.iter().position(|(n, _)| n == "index.json").unwrap();
    let index: serde_json::Value = serde_json::from_slice(&files[index_at].1).unwrap();
    let mut host = index["manifests"][0].clone();
    host["platform"] = serde_json::json!({"os": "linux", "architecture": manifest::host_arch()});
    let other = serde_json::json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": fixtures::digest(b"not stored"),
        "size": 10,
        "platform": {"os": "linux", "architecture": "s390x"},
    });
    let nested = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [other, host],
    }))
    .unwrap();
    let nested_digest = fixtures::digest(&nested);
    files.push((
        format!("blobs/sha256/{}", &nested_digest[7..]),
        nested.clone(),
    ));
    files[index_at].1 = serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": nested_digest,
        "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": "fixture/index:1"},
    }]}))
    .unwrap();
    let path = dir.path().join("index");
    fixtures::write_dir(&path, &files).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&path, None, &NoProgress).unwrap();
    assert_eq!(info.tags, vec!["fixture/index:1"]);
    assert_eq!(
        cat(&disk_of(&store, "fixture/index:1"), "/platform"),
        "host"
    );
}

#[test]
fn not_an_image_is_refused() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let empty_dir = dir.path().join("empty");
    std::fs::create_dir(&empty_dir).unwrap();
    for source in [&junk, &empty_dir] {
        let err = store.import(source, None, &NoProgress).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert!(err.to_string().contains("is not an image"), "{err}");
        assert_store_empty(&store);
    }
    let err = store
        .import(&dir.path().join("missing.tar"), None, &NoProgress)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn zstd_layers_are_decompressed_and_a_damaged_one_is_refused() {
    let dir = tempdir();
    let mut layer = fixtures::Layer {
        entries: vec![Entry::file("a", 0o644, "a")],
        gzip: false,
    };
    layer.gzip = false;
    // The same layer as a real zstd frame (as registries serve
    // `…layer.v1.tar+zstd`).
    let (mut files, _) = fixtures::oci_files(std::slice::from_ref(&layer), "zstd", None);
    let blob = fixtures::digest(&layer.blob());
    let zstd = ruzstd::encoding::compress_to_vec(
        &layer.blob()[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let zdigest = fixtures::digest(&zstd);
    for (name, bytes) in files.iter_mut() {
        if name.ends_with(&blob[7..]) {
            *name = format!("blobs/sha256/{}", &zdigest[7..]);
            *bytes = zstd.clone();
        } else if !name.starts_with("blobs/") {
            continue;
        } else if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(bytes)
            && v.get("layers").is_some()
        {
            v["layers"][0]["digest"] = zdigest.clone().into();
            v["layers"][0]["size"] = zstd.len().into();
            *bytes = serde_json::to_vec(&v).unwrap();
        }
    }
    // The manifest changed: point the index at its new digest.
    let manifest = files
        .iter()
        .find(|(n, b)| {
            n.starts_with("blobs/")
                && serde_json::from_slice::<serde_json::Value>(b)
                    .is_ok_and(|v| v.get("layers").is_some())
        })
        .map(|(_, b)| b.clone())
        .unwrap();
    let mdigest = fixtures::digest(&manifest);
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": mdigest, "size": manifest.len()}]});
    let oci = dir.path().join("zstd");
    for (name, bytes) in &files {
        let p = oci.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::write(oci.join("blobs/sha256").join(&mdigest[7..]), &manifest).unwrap();
    std::fs::write(oci.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();

    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&oci, None, &NoProgress).unwrap();
    let stored = store.resolve(&info.id).unwrap();
    assert_eq!(cat(&stored.disk, "/a"), "a");

    // A damaged zstd layer is refused, naming the layer, and leaves nothing.
    let mut damaged = zstd.clone();
    let last = damaged.len() - 1;
    damaged[last / 2] ^= 0xff;
    std::fs::write(oci.join("blobs/sha256").join(&zdigest[7..]), &damaged).unwrap();
    let store = ImageStore::new(dir.path().join("store2"));
    let err = store.import(&oci, None, &NoProgress).unwrap_err();
    assert!(
        err.to_string().contains(&format!("layer 1/1 ({zdigest})")),
        "{err}"
    );
    assert_store_empty(&store);
}
