//! Datastore files: upload (with progress), read, move and delete.

use super::*;

/// Counts what a progress reporter was told.
#[derive(Default)]
struct Recorded {
    phases: std::sync::Mutex<Vec<(String, Option<u64>)>>,
    done: std::sync::atomic::AtomicU64,
    on_advance: Option<Box<dyn Fn() + Send + Sync>>,
}

impl crate::plumbing::platform::Progress for Recorded {
    fn phase(&self, name: &str, total: Option<u64>) {
        self.phases.lock().unwrap().push((name.to_string(), total));
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        if let Some(f) = &self.on_advance {
            f();
        }
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datastore_files_upload_read_move_and_delete() {
    use datastore::{ByteRange, DatastorePath};
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let root = datastore_dir(&p).await;
    let files = p.files().await.unwrap();

    // 3 MiB and a bit of non-repeating bytes, streamed up in pieces.
    let local = tempfile::tempdir().unwrap();
    let src = local.path().join("disk.img");
    let data: Vec<u8> = (0..(3 << 20) + 12345u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&src, &data).unwrap();
    let dest = DatastorePath::parse("[LocalDS_0] images/busybox/disk.img").unwrap();
    let progress = Recorded::default();
    let size = files.upload(&src, &dest, &progress).await.unwrap();
    assert_eq!(size, data.len() as u64);
    assert_eq!(
        std::fs::read(root.join("images/busybox/disk.img")).unwrap(),
        data,
        "the bytes arrived on the datastore"
    );
    assert_eq!(
        names_in(&root.join("images/busybox")),
        ["disk.img"],
        "no temporary file is left"
    );
    assert_eq!(
        progress.phases.lock().unwrap()[0],
        ("uploading disk.img".to_string(), Some(size))
    );
    assert_eq!(
        progress.done.load(std::sync::atomic::Ordering::SeqCst),
        size
    );
    assert_eq!(counters.get("MoveDatastoreFile_Task"), 1);

    // Stat, ranges, a download.
    let stat = files.stat(&dest).await.unwrap().unwrap();
    assert_eq!(stat.size, size);
    assert!(files.exists(&dest).await.unwrap());
    let missing = DatastorePath::parse("[LocalDS_0] images/nope").unwrap();
    assert_eq!(files.stat(&missing).await.unwrap(), None);
    assert_eq!(files.read(&missing, ByteRange::All).await.unwrap(), None);
    let tail = files
        .read(&dest, ByteRange::Last(100))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tail.start, size - 100);
    assert_eq!(tail.data, &data[data.len() - 100..]);
    assert_eq!(tail.total, Some(size));
    let mid = files
        .read(&dest, ByteRange::Span(1000, 1010))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((mid.start, mid.data.as_slice()), (1000, &data[1000..1010]));
    let past = files
        .read(&dest, ByteRange::From(size))
        .await
        .unwrap()
        .unwrap();
    assert!(past.data.is_empty());
    let back = local.path().join("back.img");
    files
        .download(&dest, &back, &crate::plumbing::platform::NoProgress)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&back).unwrap(), data);

    // Directories: a second mkdir of one is a conflict (a lock).
    let dir = DatastorePath::parse("[LocalDS_0] locks/a").unwrap();
    files.mkdir(&dir, true).await.unwrap();
    let err = files.mkdir(&dir, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "{err}");
    let listed = files
        .list(
            &p.placement().await.unwrap().datastore.named.moref,
            &DatastorePath::parse("[LocalDS_0] locks").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].is_dir && listed[0].name == "a", "{listed:?}");

    // Delete, and a second delete is not found.
    files.delete(&dest).await.unwrap();
    assert!(!root.join("images/busybox/disk.img").exists());
    let err = files.delete(&dest).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    // An upload that breaks off leaves nothing that looks complete: here
    // the local file shrinks while it is read.
    let shrink = src.clone();
    let progress = Recorded {
        on_advance: Some(Box::new(move || {
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .open(&shrink)
                .and_then(|f| f.set_len(1000));
        })),
        ..Recorded::default()
    };
    let err = files.upload(&src, &dest, &progress).await.unwrap_err();
    assert!(!root.join("images/busybox/disk.img").exists(), "{err}");
    assert_eq!(names_in(&root.join("images/busybox")), Vec::<String>::new());

    // The datastore interface wants the session's cookie (the harness
    // checks it as vCenter does).
    let url = format!(
        "{}/folder/images?dcPath=DC0&dsName=LocalDS_0",
        v.url.trim_end_matches("/sdk")
    );
    let status = reqwest::Client::new()
        .put(url)
        .body("x")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
}
