//! Staging areas: private, left by nothing when an import is cancelled,
//! cleaned after a killed importer, and usable by an unprivileged user.
//! Two tests run an ignored test of this file in a child process, by its
//! path ([`child_test`]).

use super::*;

#[test]
fn cancel_stops_the_import_and_leaves_nothing() {
    let dir = tempdir();
    let fx = fixtures::oci_layout(dir.path()).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let cancel = Arc::new(AtomicBool::new(false));
    struct CancelAtLayer2(Arc<AtomicBool>);
    impl Progress for CancelAtLayer2 {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name.starts_with("layer 2/") {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        fn advance(&self, _: u64) {}
    }
    let options = ImportOptions {
        cancel: Some(cancel.clone()),
        ..Default::default()
    };
    let err = store
        .import_with(&fx.path, &options, &CancelAtLayer2(cancel.clone()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
    assert!(cancel.load(Ordering::SeqCst));
    assert_store_empty(&store);
}

#[test]
fn leftovers_of_a_dead_import_are_cleaned_and_live_ones_kept() {
    let dir = tempdir();
    let store = ImageStore::new(dir.path().join("store"));
    let tmp = dir.path().join("store/tmp");
    // A dead importer's staging area: nobody holds its lock.
    let dead = tmp.join("deadbeefdeadbeef");
    std::fs::create_dir_all(dead.join("rootfs/etc")).unwrap();
    std::fs::write(dead.join("rootfs/etc/passwd"), "x").unwrap();
    // A live one: locked, as a running import holds it.
    let live = tmp.join("0123456789abcdef");
    std::fs::create_dir_all(&live).unwrap();
    let held = std::fs::File::open(&live).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();

    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    assert!(!dead.exists(), "the dead import's staging area is gone");
    assert!(live.exists(), "a running import's staging area is kept");
    drop(held);
}

/// The path libtest knows a test of this file by (`module_path!()` without
/// the crate's name), to run it alone in a child process.
fn child_test(name: &str) -> String {
    let module = module_path!();
    let module = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{module}::{name}")
}

const UNPRIVILEGED_DIR: &str = "VICPORT_TEST_UNPRIVILEGED_DIR";

/// Import the layered OCI fixture as an unprivileged user. As root, this
/// test runs `unprivileged_import` in a child process with uid/gid 65534.
#[test]
fn import_as_an_unprivileged_user_gives_the_same_disk() {
    let dir = tempdir();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&work, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        // The test binary may live where uid 65534 cannot reach it (a clone
        // under /root): run a copy from the temporary directory.
        let exe = dir.path().join("tests-bin");
        std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
        std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        // Another test thread forking while the copy's descriptor was open
        // can keep it open in its child for a moment: ETXTBSY, try again.
        let out = (0..50)
            .find_map(|_| {
                match Command::new(&exe)
                    .current_dir(&work)
                    .args([
                        "--exact",
                        child_test("unprivileged_import").as_str(),
                        "--include-ignored",
                        "--nocapture",
                    ])
                    .env(UNPRIVILEGED_DIR, &work)
                    .env("PATH", "/usr/local/bin:/usr/bin:/bin")
                    .uid(65534)
                    .gid(65534)
                    .output()
                {
                    Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        None
                    }
                    other => Some(other.unwrap()),
                }
            })
            .expect("the copied test binary stays busy");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "child failed: {text}");
        assert!(
            text.contains("1 passed"),
            "the child ran the import: {text}"
        );
    } else {
        run_unprivileged_import(&work);
    }
    let store = ImageStore::new(work.join("store"));
    let disk = disk_of(&store, fixtures::OCI_REF);
    let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&disk).unwrap());
    assert_ne!(owner, 0, "the disk was built by the unprivileged user");
    assert_layered_tree(&disk);
}

use std::os::unix::process::CommandExt;

#[test]
#[ignore = "run by import_as_an_unprivileged_user_gives_the_same_disk"]
fn unprivileged_import() {
    let work = PathBuf::from(std::env::var_os(UNPRIVILEGED_DIR).expect("run by the parent test"));
    run_unprivileged_import(&work);
}

fn run_unprivileged_import(work: &Path) {
    assert!(!is_root());
    let fx = fixtures::oci_layout(work).unwrap();
    let store = ImageStore::new(work.join("store"));
    let info = store.import(&fx.path, None, &NoProgress).unwrap();
    assert_eq!(info.id, fx.id);
}

const HANG_DIR: &str = "VICPORT_TEST_HANG_DIR";

/// A real importer killed mid-import (SIGKILL: no destructor runs) leaves
/// its staging area behind; the next import removes it.
#[test]
fn a_killed_import_is_cleaned_up_by_the_next_one() {
    let dir = tempdir();
    /// Kills the child however the test ends.
    struct Child(std::process::Child);
    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            child_test("import_then_hang").as_str(),
            "--include-ignored",
        ])
        .env(HANG_DIR, dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(Child)
        .unwrap();
    let marker = dir.path().join("hanging");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !marker.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the child never got to build the disk"
        );
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "the child exited early"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(child);
    let tmp = dir.path().join("store/tmp");
    let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().collect();
    assert_eq!(
        leftovers.len(),
        1,
        "the killed import left its staging area"
    );

    let store = ImageStore::new(dir.path().join("store"));
    assert!(store.list().unwrap().is_empty(), "nothing looks imported");
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    store.import(&fx.path, None, &NoProgress).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn staging_areas_are_private() {
    struct CheckStaging(PathBuf, std::sync::Mutex<Vec<u32>>);
    impl Progress for CheckStaging {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name == "building disk" {
                for entry in std::fs::read_dir(&self.0).unwrap().flatten() {
                    let mode = std::os::unix::fs::PermissionsExt::mode(
                        &entry.metadata().unwrap().permissions(),
                    );
                    self.1.lock().unwrap().push(mode & 0o777);
                }
            }
        }
        fn advance(&self, _: u64) {}
    }
    let dir = tempdir();
    let fx = fixtures::rootfs_tar(dir.path(), false).unwrap();
    let store = ImageStore::new(dir.path().join("store"));
    let check = CheckStaging(dir.path().join("store/tmp"), Default::default());
    store.import(&fx.path, None, &check).unwrap();
    assert_eq!(check.1.into_inner().unwrap(), vec![0o700]);
}

#[test]
#[ignore = "run by a_killed_import_is_cleaned_up_by_the_next_one"]
fn import_then_hang() {
    struct HangAtDisk(PathBuf);
    impl Progress for HangAtDisk {
        fn phase(&self, name: &str, _: Option<u64>) {
            if name == "building disk" {
                std::fs::write(&self.0, "").unwrap();
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(60));
                }
            }
        }
        fn advance(&self, _: u64) {}
    }
    let dir = PathBuf::from(std::env::var_os(HANG_DIR).expect("run by the parent test"));
    let fx = fixtures::oci_layout(&dir).unwrap();
    let store = ImageStore::new(dir.join("store"));
    let _ = store.import(&fx.path, None, &HangAtDisk(dir.join("hanging")));
}
