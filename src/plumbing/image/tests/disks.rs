//! The disks an image is used through: the ext4 disk's requested size,
//! and the qcow2 overlay backed by it.

use super::*;

#[test]
fn requested_disk_size_is_honoured_and_too_small_refused() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let err = store
        .import_with(
            &fx.path,
            &ImportOptions {
                disk_size: Some(8 << 20),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_store_empty(&store);
    store
        .import_with(
            &fx.path,
            &ImportOptions {
                disk_size: Some(200 << 20),
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    let disk = disk_of(&store, &fx.id);
    assert_eq!(std::fs::metadata(&disk).unwrap().len(), 200 << 20);
    fsck_clean(&disk);
}

#[test]
fn qcow2_overlay_is_backed_by_the_image_disk() {
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    store.import(&fx.path, None, &NoProgress).unwrap();
    let disk = disk_of(&store, &fx.id);
    let overlay = dir.path().join("domain/overlay.qcow2");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    create_overlay(&disk, &overlay, None).unwrap();
    let out = Command::new("qemu-img")
        .args(["info", "--output", "json"])
        .arg(&overlay)
        .output()
        .unwrap();
    assert!(out.status.success());
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["format"], "qcow2");
    assert_eq!(info["backing-filename"], disk.to_str().unwrap());
    assert_eq!(info["backing-filename-format"], "raw");
    assert_eq!(
        info["virtual-size"],
        std::fs::metadata(&disk).unwrap().len()
    );

    let err = create_overlay(&disk, &overlay, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "never overwrites: {err}");
    let bigger = dir.path().join("domain/bigger.qcow2");
    create_overlay(&disk, &bigger, Some(1 << 30)).unwrap();
    let out = Command::new("qemu-img")
        .args(["info", "--output", "json"])
        .arg(&bigger)
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["virtual-size"], 1u64 << 30);
    assert!(create_overlay(&disk, &dir.path().join("small.qcow2"), Some(1 << 20)).is_err());
}
