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

/// The blob names the cache holds.
fn blob_names(cache_dir: &Path) -> std::collections::BTreeSet<String> {
    crate::plumbing::file::entry_names(&cache_dir.join("blobs/sha256"))
        .unwrap()
        .into_iter()
        .collect()
}

/// A blob cache under `dir`, and import options that keep blobs in it.
fn keeping(dir: &Path) -> (PathBuf, blobs::BlobCache, ImportOptions) {
    let cache_dir = dir.join("cache");
    let cache = blobs::BlobCache::in_cache_dir(&cache_dir);
    let options = ImportOptions {
        blob_cache: Some(cache.clone()),
        ..ImportOptions::default()
    };
    (cache_dir, cache, options)
}

#[test]
fn a_collection_keeps_what_any_store_holds_and_removes_the_rest() {
    let dir = tempdir();
    let (cache_dir, cache, options) = keeping(dir.path());
    let layers = fixtures::random_layers(3, 4096);
    let (shared, only_a, only_b) = (&layers[0], &layers[1], &layers[2]);
    let layout = |name: &str, layers: &[fixtures::Layer]| {
        let (files, id) = fixtures::oci_files(layers, name, None);
        let path = dir.path().join(name);
        fixtures::write_dir(&path, &files).unwrap();
        (path, id)
    };
    let (a_path, a) = layout("a", &[shared.clone(), only_a.clone()]);
    let (b_path, b) = layout("b", &[shared.clone(), only_b.clone()]);
    let blob = |l: &fixtures::Layer| fixtures::digest(&l.blob())[7..].to_string();
    let one = ImageStore::new(dir.path().join("one"));
    let two = ImageStore::new(dir.path().join("two"));
    one.import_with(&a_path, &options, &NoProgress).unwrap();
    one.import_with(&b_path, &options, &NoProgress).unwrap();
    two.import_with(&b_path, &options, &NoProgress).unwrap();
    // Each image: its manifest, config and layers; the shared layer once.
    let all = blob_names(&cache_dir);
    assert_eq!(all.len(), 2 * 2 + 3, "{all:?}");
    let a_manifest = cache
        .image_record(&Digest::parse(&a).unwrap())
        .unwrap()
        .manifest;

    // Nothing is unused yet; interrupted writers' leftovers go.
    std::fs::create_dir_all(cache_dir.join("blobs/tmp")).unwrap();
    std::fs::write(cache_dir.join("blobs/tmp/dead.123"), b"partial").unwrap();
    std::fs::create_dir_all(cache_dir.join("blobs/views/pull-1")).unwrap();
    let done = cache.collect(&[], true).unwrap().unwrap();
    assert_eq!((done.blobs, done.records, done.bytes), (0, 0, 7));
    assert_eq!(blob_names(&cache_dir), all);

    // A removed: its own layer, config and manifest go, and its record;
    // the layer it shared with B stays. B is still whole (pushable).
    one.remove(&a, &|_| Vec::new()).unwrap();
    let done = cache.collect(&[], true).unwrap().unwrap();
    assert_eq!((done.blobs, done.records), (3, 1), "{done:?}");
    let left = blob_names(&cache_dir);
    assert!(!left.contains(&blob(only_a)));
    assert!(!left.contains(&a[7..]));
    assert!(!left.contains(&a_manifest[7..]));
    assert!(left.contains(&blob(shared)));
    assert!(cache.image_record(&Digest::parse(&a).unwrap()).is_none());
    held_manifest(&cache, &b);

    // B removed from one store: the other still holds it.
    one.remove(&b, &|_| Vec::new()).unwrap();
    assert_eq!(cache.collect(&[], true).unwrap().unwrap().blobs, 0);
    held_manifest(&cache, &b);

    // A store given as a root counts though it never registered (it
    // wrote before stores did), and is registered with what it holds.
    let entries = |name: &str| -> Vec<PathBuf> {
        std::fs::read_dir(cache_dir.join("blobs/stores"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                text.lines().next().unwrap().ends_with(name)
            })
            .collect()
    };
    assert_eq!(entries("/two").len(), 1);
    for entry in entries("/two") {
        std::fs::remove_file(entry).unwrap();
    }
    let done = cache.collect(&[two.root().to_path_buf()], true).unwrap();
    assert_eq!(done.unwrap().blobs, 0);
    let registered = std::fs::read_to_string(&entries("/two")[0]).unwrap();
    assert!(registered.lines().any(|l| l == &b[7..]), "{registered}");
    // Its directory missing (a disk not mounted, say): what it held when
    // last seen stays, and the collection names it and its registration.
    std::fs::rename(two.root(), dir.path().join("elsewhere")).unwrap();
    let done = cache
        .collect(&[two.root().to_path_buf()], true)
        .unwrap()
        .unwrap();
    assert_eq!(done.blobs, 0, "{done:?}");
    assert_eq!(done.missing_stores.len(), 1, "{done:?}");
    assert_eq!(done.missing_stores[0].images, 1);
    held_manifest(&cache, &b);
    // Back: counted as before; removed for good, with its registration
    // removed by hand: what it held goes.
    std::fs::rename(dir.path().join("elsewhere"), two.root()).unwrap();
    let done = cache.collect(&[], true).unwrap().unwrap();
    assert_eq!((done.blobs, done.missing_stores.len()), (0, 0));
    std::fs::remove_dir_all(two.root()).unwrap();
    let missing = cache.collect(&[], true).unwrap().unwrap().missing_stores;
    std::fs::remove_file(&missing[0].registration).unwrap();
    let done = cache.collect(&[], true).unwrap().unwrap();
    assert_eq!(done.blobs, 4);
    assert!(blob_names(&cache_dir).is_empty());
    assert!(entries("/one").len() == 1 && entries("/two").is_empty());
    // A registration that never learnt what its store held (an older
    // vicport's) and whose store is gone claims nothing, and goes.
    let old = cache_dir.join("blobs/stores/0123456789abcdef");
    std::fs::write(&old, dir.path().join("gone").to_string_lossy().as_bytes()).unwrap();
    let done = cache.collect(&[], true).unwrap().unwrap();
    assert!(done.missing_stores.is_empty());
    assert!(!old.exists());

    // A pull or import in flight holds the cache: a collection that does
    // not wait removes nothing and says so.
    one.import_with(&a_path, &options, &NoProgress).unwrap();
    one.remove(&a, &|_| Vec::new()).unwrap();
    let held = cache.lock_shared().unwrap();
    assert_eq!(cache.collect(&[], false).unwrap(), None);
    assert_eq!(blob_names(&cache_dir).len(), 4);
    drop(held);
    assert_eq!(cache.collect(&[], false).unwrap().unwrap().blobs, 4);
}

#[test]
fn a_store_that_cannot_be_read_stops_a_collection_before_it_removes_anything() {
    let dir = tempdir();
    let (cache_dir, cache, options) = keeping(dir.path());
    let (files, id) = fixtures::oci_files(&fixtures::random_layers(1, 1024), "x", None);
    fixtures::write_dir(&dir.path().join("x"), &files).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store
        .import_with(&dir.path().join("x"), &options, &NoProgress)
        .unwrap();
    store.remove(&id, &|_| Vec::new()).unwrap();
    // A store whose images cannot be listed (here: not a directory).
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("images"), b"").unwrap();
    let err = cache
        .collect(std::slice::from_ref(&broken), true)
        .unwrap_err();
    assert!(err.to_string().contains("broken"), "{err}");
    assert_eq!(blob_names(&cache_dir).len(), 3);
    std::fs::remove_dir_all(&broken).unwrap();
    assert_eq!(cache.collect(&[broken], true).unwrap().unwrap().blobs, 3);
}
