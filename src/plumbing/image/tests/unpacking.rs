//! Layer entries land inside the root: `..` refused, absolute names
//! relativized.

use super::*;

#[test]
fn path_traversal_is_refused_and_leaves_nothing() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    // Hostile entries aim at a sentinel directory, never at the host's real
    // files: a regression must not be able to damage the machine running
    // the tests. The /etc case writes only a name that does not exist there.
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("passwd"), "sentinel\n").unwrap();
    let outside_abs = outside.to_str().unwrap();
    let probe = "vicport-traversal-probe";
    assert!(!Path::new("/etc").join(probe).exists());
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "dotdot.tar",
            vec![Entry::file("../x", 0o644, "escaped")],
            "'..'",
        ),
        (
            "absdotdot.tar",
            vec![Entry::file("/../../x", 0o644, "escaped")],
            "'..'",
        ),
        (
            "symlink-etc.tar",
            vec![
                Entry::symlink("link", "/etc"),
                Entry::file(&format!("link/{probe}"), 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "symlink.tar",
            vec![
                Entry::symlink("link", outside_abs),
                Entry::file("link/passwd", 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "symlink-dotdot.tar",
            vec![
                Entry::dir("a/", 0o755),
                Entry::symlink("a/up", "../../../.."),
                Entry::file("a/up/x", 0o644, "escaped"),
            ],
            "symlink",
        ),
        (
            "hardlink.tar",
            vec![
                Entry::file("ok", 0o644, "fine"),
                Entry::hardlink("h", "../x"),
            ],
            "hard link",
        ),
        (
            "hardlink-through-symlink.tar",
            vec![
                Entry::symlink("etc", outside_abs),
                Entry::hardlink("h", "etc/passwd"),
            ],
            "symlink",
        ),
    ];
    for (name, entries, why) in cases {
        let path = fixtures::tar_of(dir.path(), name, &entries).unwrap();
        let result = store.import(&path, None, &NoProgress);
        let escaped = Path::new("/etc").join(probe);
        if escaped.exists() {
            std::fs::remove_file(&escaped).unwrap();
            panic!("{name} wrote {}", escaped.display());
        }
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        let msg = err.to_string();
        assert!(msg.contains(why), "{name}: {msg}");
        assert!(msg.contains("entry"), "{name} names the entry: {msg}");
        assert_store_empty(&store);
        for x in [
            dir.path().join("x"),
            dir.path().join("store/x"),
            outside.join("x"),
        ] {
            assert!(!x.exists(), "{name} wrote {}", x.display());
        }
        assert_eq!(
            std::fs::read_to_string(outside.join("passwd")).unwrap(),
            "sentinel\n"
        );
        let links = std::os::unix::fs::MetadataExt::nlink(
            &std::fs::metadata(outside.join("passwd")).unwrap(),
        );
        assert_eq!(links, 1, "{name} linked to a file outside");
    }
}

#[test]
fn absolute_names_land_inside_the_root() {
    let dir = tempdir();
    let path = fixtures::tar_of(
        dir.path(),
        "abs.tar",
        &[
            Entry::dir("/etc/", 0o755),
            Entry::file("/etc/hostname", 0o644, "inside\n"),
        ],
    )
    .unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let info = store.import(&path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &info.id);
    assert_eq!(cat(&disk, "/etc/hostname"), "inside\n");
    fsck_clean(&disk);
}
