//! Images on the datastore: concurrent tag changes and their lock.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tag_changes_all_land_and_the_lock_is_released() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    let image = seed_image(&p).await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..12 {
        let p = p.clone();
        let id = image.id.clone();
        set.spawn(async move {
            p.images()
                .await
                .unwrap()
                .retag(&[format!("tag{i}:v{i}")], &id, &[])
                .await
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    let tags = p.images().await.unwrap().tags().await.unwrap();
    let mut want: Vec<String> = (0..12).map(|i| format!("tag{i}:v{i}")).collect();
    want.push("busybox:latest".into());
    want.sort();
    assert_eq!(tags.tags_of(&image.id), want);
    let dir = datastore_dir(&p).await.join("vicport-images");
    assert!(dir.join("tags.json").is_file());
    assert!(!dir.join("tags.lock").exists(), "the lock was left behind");
    let info = p.inspect_image("tag3:v3").await.unwrap();
    assert_eq!(info.id, image.id);
    // Removing one of several tags keeps the image.
    p.domains().remove_image("tag3:v3", false).await.unwrap();
    let err = p.inspect_image("tag3:v3").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(p.inspect_image(&image.id).await.unwrap().tags.len(), 12);
}
