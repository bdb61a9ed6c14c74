//! Every import keeps a pushable manifest and its blobs in the cache.

use super::*;

/// The manifest the cache holds for the image `id`, with every blob it
/// names held and verified against its digest and size.
fn held_manifest(cache: &blobs::BlobCache, id: &str) -> manifest::ImageManifest {
    let id = Digest::parse(id).unwrap();
    let record = cache.image_record(&id).expect("a manifest recorded by id");
    let digest = Digest::parse(&record.manifest).unwrap();
    let manifest: manifest::ImageManifest =
        serde_json::from_slice(&cache.read(&digest).unwrap()).unwrap();
    for desc in std::iter::once(manifest.config()).chain(manifest.layers()) {
        let blob = cache
            .read(&manifest::descriptor_digest(desc).unwrap())
            .unwrap();
        assert_eq!(Digest::of(&blob).to_string(), desc.digest().to_string());
        assert_eq!(blob.len() as u64, desc.size());
    }
    manifest
}

#[test]
fn every_import_keeps_a_pushable_manifest_and_its_blobs_in_the_cache() {
    use oci_spec::image::MediaType;
    let dir = tempdir();
    let cache = blobs::BlobCache::in_cache_dir(&dir.path().join("cache"));
    let options = ImportOptions {
        blob_cache: Some(cache.clone()),
        ..ImportOptions::default()
    };
    let store = ImageStore::new(dir.path().join("store"));

    // docker save, both layouts: the config is the id, the layers are the
    // uncompressed tars as the archive holds them.
    for layout in [DockerLayout::Legacy, DockerLayout::Blobs] {
        let fx = fixtures::docker_archive(dir.path(), layout).unwrap();
        let info = store.import_with(&fx.path, &options, &NoProgress).unwrap();
        let manifest = held_manifest(&cache, &info.id);
        assert_eq!(manifest.config().digest().to_string(), fx.id, "{layout:?}");
        let layers: Vec<String> = manifest
            .layers()
            .iter()
            .map(|l| l.digest().to_string())
            .collect();
        assert_eq!(layers, info.layers, "{layout:?}: blobs are the diff_ids");
        assert!(
            manifest
                .layers()
                .iter()
                .all(|l| l.media_type() == &MediaType::ImageLayer)
        );
    }

    // A gzip rootfs tar: its uncompressed tar is the one layer, under a
    // config made of the import's defaults; the id stays the tar's digest.
    let fx = fixtures::rootfs_tar(dir.path(), true).unwrap();
    let info = store.import_with(&fx.path, &options, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
    let manifest = held_manifest(&cache, &fx.id);
    assert_eq!(manifest.layers().len(), 1);
    assert_eq!(manifest.layers()[0].digest().to_string(), fx.id);
    assert_eq!(manifest.layers()[0].media_type(), &MediaType::ImageLayer);
    let config_digest = manifest::descriptor_digest(manifest.config()).unwrap();
    let config: oci_spec::image::ImageConfiguration =
        serde_json::from_slice(&cache.read(&config_digest).unwrap()).unwrap();
    assert_eq!(manifest::runtime_config(&config), info.config);
    assert_eq!(config.rootfs().diff_ids(), &vec![fx.id.clone()]);
    assert_eq!(config.architecture().to_string(), manifest::host_arch());

    // Stored before imports kept blobs (no cache then): importing it again
    // keeps them, the image itself untouched; the same manifest as above.
    let old = tempdir();
    let old_cache = blobs::BlobCache::in_cache_dir(&old.path().join("cache"));
    let store = ImageStore::new(old.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = store.resolve(&fx.id).unwrap().disk;
    let built = std::fs::metadata(&disk).unwrap().modified().unwrap();
    assert!(
        old_cache
            .image_record(&Digest::parse(&fx.id).unwrap())
            .is_none()
    );
    let again = ImportOptions {
        blob_cache: Some(old_cache.clone()),
        ..ImportOptions::default()
    };
    assert_eq!(
        store.import_with(&fx.path, &again, &NoProgress).unwrap().id,
        fx.id
    );
    assert_eq!(held_manifest(&old_cache, &fx.id), manifest);
    assert_eq!(std::fs::metadata(&disk).unwrap().modified().unwrap(), built);
}
