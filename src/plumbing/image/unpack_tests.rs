//! Applying layer entries to a tree, without a store: path components,
//! opaque markers and whiteouts across layers, entries replacing each
//! other.

use super::*;

#[test]
fn components_refuse_dotdot_and_relativize_absolute_paths() {
    assert_eq!(
        components(b"/a/./b//c").unwrap(),
        vec![&b"a"[..], b"b", b"c"]
    );
    assert_eq!(components(b"./").unwrap(), Vec::<&[u8]>::new());
    assert!(components(b"../x").is_err());
    assert!(components(b"/../../x").is_err());
    assert!(components(b"a/../b").is_err());
}

use crate::plumbing::image::fixtures::{Entry, tar_bytes};
use crate::plumbing::platform::NoProgress;

/// Apply `layers` (with whiteouts) into a fresh tree.
fn tree_of(layers: &[Vec<Entry>]) -> (tempfile::TempDir, Tree) {
    let dir = tempfile::tempdir().unwrap();
    let mut tree = Tree::create(&dir.path().join("rootfs")).unwrap();
    let ctl = Control {
        progress: &NoProgress,
        cancel: None,
    };
    for (i, layer) in layers.iter().enumerate() {
        let bytes = tar_bytes(layer);
        let mut reader = HashingReader::new(bytes.as_slice());
        let applied = tree
            .apply(&mut reader, true, &format!("layer {i}"), &ctl)
            .unwrap();
        assert!(applied.terminated);
    }
    tree.finish().unwrap();
    (dir, tree)
}

fn paths(tree: &Tree) -> Vec<String> {
    tree.records
        .keys()
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect()
}

#[test]
fn opaque_marker_after_its_own_layers_children_keeps_them() {
    let (_dir, tree) = tree_of(&[
        vec![
            Entry::dir("d/", 0o755),
            Entry::file("d/old", 0o644, "old"),
            Entry::dir("d/sub/", 0o755),
            Entry::file("d/sub/old2", 0o644, "old"),
        ],
        vec![
            Entry::dir("d/sub/", 0o750),
            Entry::file("d/sub/new", 0o644, "new"),
            Entry::file("d/.wh..wh..opq", 0o644, ""),
        ],
    ]);
    assert_eq!(paths(&tree), ["", "d", "d/sub", "d/sub/new"]);
    assert!(tree.path().join("d/sub/new").is_file());
    assert!(!tree.path().join("d/old").exists());
    assert!(!tree.path().join("d/sub/old2").exists());
    assert_eq!(tree.records[&b"d/sub".to_vec()].mode, 0o750);
}

#[test]
fn whiteouts_remove_lower_subtrees_but_not_their_own_layers_entries() {
    let (_dir, tree) = tree_of(&[
        vec![
            Entry::dir("gone/", 0o755),
            Entry::file("gone/a", 0o644, "a"),
            Entry::file("kept", 0o644, "lower"),
        ],
        vec![
            Entry::file(".wh.gone", 0o644, ""),
            Entry::file("kept", 0o600, "upper"),
            Entry::file(".wh.kept", 0o644, ""),
            Entry::file(".wh.never-there", 0o644, ""),
        ],
    ]);
    assert_eq!(paths(&tree), ["", "kept"]);
    assert_eq!(
        std::fs::read_to_string(tree.path().join("kept")).unwrap(),
        "upper"
    );
    assert_eq!(tree.records[&b"kept".to_vec()].mode, 0o600);
}

#[test]
fn entries_replace_each_other_across_types() {
    let (_dir, tree) = tree_of(&[
        vec![
            Entry::file("f-to-dir", 0o644, "x"),
            Entry::dir("dir-to-f/", 0o755),
            Entry::file("dir-to-f/child", 0o644, "x"),
            Entry::file("target", 0o640, "t").owned(5, 6),
        ],
        vec![
            Entry::dir("f-to-dir/", 0o700),
            Entry::file("dir-to-f", 0o644, "now a file"),
            Entry::hardlink("link", "target"),
            Entry::symlink("sym", "/does/not/matter"),
        ],
    ]);
    assert!(tree.path().join("f-to-dir").is_dir());
    assert!(tree.path().join("dir-to-f").is_file());
    assert_eq!(
        paths(&tree),
        ["", "dir-to-f", "f-to-dir", "link", "sym", "target"]
    );
    let link = &tree.records[&b"link".to_vec()];
    assert_eq!((link.uid, link.gid, link.mode), (5, 6, 0o640));
    assert_eq!(
        std::fs::read_link(tree.path().join("sym")).unwrap(),
        Path::new("/does/not/matter")
    );
}
