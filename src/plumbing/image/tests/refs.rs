//! The store's references: re-imports, concurrent imports, removal while
//! in use, look-ups by reference, id and prefix.

use super::*;

#[test]
fn reimport_reuses_the_stored_image_and_adds_the_tag() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &fx.id);
    let before = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&disk).unwrap());

    struct Phases(std::sync::Mutex<Vec<String>>);
    impl Progress for Phases {
        fn phase(&self, name: &str, _: Option<u64>) {
            self.0.lock().unwrap().push(name.to_string());
        }
        fn advance(&self, _: u64) {}
    }
    let phases = Phases(Default::default());
    let again = ImageRef::parse("again:1").unwrap();
    let info = store.import(&fx.path, Some(again), &phases).unwrap();
    assert_eq!(info.id, fx.id);
    assert_eq!(info.tags, vec!["again:1", fixtures::OCI_REF]);
    let after = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&disk).unwrap());
    assert_eq!(before, after, "the disk was not rebuilt");
    let phases = phases.0.into_inner().unwrap();
    assert!(
        !phases
            .iter()
            .any(|p| p.starts_with("layer") || p == "building disk"),
        "{phases:?}"
    );
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn concurrent_imports_are_all_recorded() {
    let dir = tempdir();
    let rootfs = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let oci = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let jobs = [
        (rootfs.path.clone(), "one:1"),
        (oci.path.clone(), "two:1"),
        (oci.path.clone(), "three:1"),
        (rootfs.path.clone(), "four:1"),
    ];
    std::thread::scope(|s| {
        for (path, name) in &jobs {
            let store = store.clone();
            s.spawn(move || {
                store
                    .import(path, Some(ImageRef::parse(name).unwrap()), &NoProgress)
                    .unwrap()
            });
        }
    });
    let images = store.list().unwrap();
    assert_eq!(images.len(), 2, "{images:?}");
    assert_eq!(store.inspect("one:1").unwrap().id, rootfs.id);
    assert_eq!(store.inspect("four:1").unwrap().id, rootfs.id);
    assert_eq!(store.inspect("two:1").unwrap().id, oci.id);
    assert_eq!(store.inspect("three:1").unwrap().id, oci.id);
    let tmp: Vec<_> = std::fs::read_dir(store.root().join("tmp"))
        .unwrap()
        .collect();
    assert!(tmp.is_empty());
}

#[test]
fn remove_is_refused_while_in_use_and_untags_first() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store
        .import(
            &fx.path,
            Some(ImageRef::parse("bb:1").unwrap()),
            &NoProgress,
        )
        .unwrap();
    store
        .tag("bb:1", &ImageRef::parse("bb:2").unwrap())
        .unwrap();

    // One of two tags: only the tag goes, even while in use.
    let removed = store.remove("bb:2", &|_| vec!["web".into()]).unwrap();
    assert_eq!(
        removed,
        Removed {
            untagged: vec!["bb:2".into()],
            deleted: None
        }
    );
    assert_eq!(store.inspect(&fx.id).unwrap().tags, vec!["bb:1"]);

    let asked = std::sync::Mutex::new(Vec::new());
    let err = store
        .remove("bb:1", &|id| {
            asked.lock().unwrap().push(id.to_string());
            vec!["web".into(), "db".into()]
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.exit_code(), 4);
    assert!(err.to_string().contains("web, db"), "{err}");
    assert_eq!(asked.into_inner().unwrap(), vec![fx.id.clone()]);
    assert!(store.resolve("bb:1").unwrap().disk.is_file(), "still there");

    let removed = store.remove("bb:1", &|_| Vec::new()).unwrap();
    assert_eq!(removed.deleted.as_deref(), Some(fx.id.as_str()));
    assert_eq!(removed.untagged, vec!["bb:1"]);
    assert_store_empty(&store);
    let err = store.resolve("bb:1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.hint().unwrap().contains("vicport image ls"));
}

#[test]
fn lookups_by_reference_id_and_prefix() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.resolve("nothing").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.hint().unwrap().contains("vicport image import"));
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(store.resolve(&fx.id).unwrap().id, fx.id);
    assert_eq!(store.resolve(&fx.id[7..]).unwrap().id, fx.id);
    assert_eq!(store.inspect(&fx.id[7..15]).unwrap().id, fx.id);
    assert_eq!(
        store.resolve("sha256:ffff").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let removed = store.remove(&fx.id[7..19], &|_| Vec::new()).unwrap();
    assert_eq!(removed.deleted.as_deref(), Some(fx.id.as_str()));
}
