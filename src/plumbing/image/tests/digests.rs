//! An import checks what it reads: layer, diff_id and config digests, and
//! tars cut short.

use super::*;

#[test]
fn layer_digest_mismatch_is_refused_naming_the_blob() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    // Layer 2 is the uncompressed one: change a byte of etc/hostname's data.
    let layers = fixtures::busybox_layers().unwrap();
    let blob = fixtures::digest(&layers[1].blob());
    let path = fx.path.join("blobs/sha256").join(&blob[7..]);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"fixture\n").unwrap();
    bytes[at] = b'F';
    std::fs::write(&path, bytes).unwrap();

    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&fx.path, None, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let msg = err.to_string();
    assert!(
        msg.contains("digest mismatch") && msg.contains(&blob),
        "{msg}"
    );
    assert!(err.hint().is_some());
    assert_store_empty(&store);
}

#[test]
fn diff_id_mismatch_is_refused() {
    let dir = tempdir();
    let fx = fixtures::docker_archive(dir.path(), DockerLayout::Legacy).unwrap();
    // The legacy layout has no layer digests: only the config's diff_ids
    // can catch a changed layer.tar.
    let mut bytes = std::fs::read(&fx.path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"fixture\n").unwrap();
    bytes[at] = b'F';
    std::fs::write(&fx.path, bytes).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store.import(&fx.path, None, &NoProgress).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("digest mismatch on layer 2/3") && msg.contains("uncompressed"),
        "{msg}"
    );
    assert_store_empty(&store);
}

#[test]
fn config_digest_mismatch_is_refused() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let path = fx.path.join("blobs/sha256").join(&fx.id[7..]);
    let config = std::fs::read_to_string(&path)
        .unwrap()
        .replace("FIXTURE=1", "FIXTURE=2");
    std::fs::write(&path, config).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let msg = store
        .import(&fx.path, None, &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&format!("digest mismatch on config {}", fx.id)),
        "{msg}"
    );
    assert_store_empty(&store);
}

#[test]
fn truncated_tars_are_refused() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let full = std::fs::read(&fx.path).unwrap();
    let gz = fixtures::gzip(&full);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // Cut at a block boundary: only the missing end marker tells.
        ("at-boundary.tar", full[..full.len() - 1024].to_vec()),
        (
            "mid-file.tar",
            full[..(full.len() / 2) / 512 * 512 + 100].to_vec(),
        ),
        ("cut.tar.gz", gz[..gz.len() / 2].to_vec()),
    ];
    let store = ImageStore::new(dir.path().join("store"));
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = store.import(&path, None, &NoProgress).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}: {err}");
        assert!(err.to_string().contains("truncated"), "{name}: {err}");
        assert_store_empty(&store);
    }
}
