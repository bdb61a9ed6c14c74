//! The image importer on arbitrary archives: format detection, OCI and
//! docker-save manifests, digest checks, layer tars with whiteouts. Any input
//! is imported or refused with an error, never a panic, and nothing it
//! writes may land outside the store's directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicport::plumbing::image::ImageStore;
use vicport::plumbing::platform::NoProgress;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = dir.path().join("input.tar");
    std::fs::write(&input, data).expect("writing the input");
    let store_root = dir.path().join("store");
    let store = ImageStore::new(&store_root);
    let _ = store.import(&input, None, &NoProgress);
    // Whatever happened, only the input and the store exist in the temp dir.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listing the temp dir")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    names.sort();
    assert!(
        names.iter().all(|n| n == "input.tar" || n == "store"),
        "the import wrote outside its store: {names:?}"
    );
});
