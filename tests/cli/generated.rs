//! The committed completions and man pages are what the one CLI definition
//! generates: regenerate them with `.ci/regenerate` when this fails.

use vicport::commands::system::{SHELLS, completion, completion_file, man_pages, source_dir};

#[test]
fn committed_completions_are_current() {
    for shell in SHELLS {
        let path = source_dir("completions").join(completion_file(shell));
        let committed = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run .ci/regenerate", path.display()));
        assert!(
            committed == completion(shell),
            "{} is stale; run .ci/regenerate",
            path.display()
        );
    }
}

#[test]
fn committed_man_pages_are_current() {
    let pages = man_pages().unwrap();
    assert!(pages.iter().any(|(n, _)| n == "vicport.1"));
    assert!(pages.iter().any(|(n, _)| n == "vicport-domain-create.1"));
    let mut expected: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    expected.sort();
    let mut committed: Vec<String> = std::fs::read_dir(source_dir("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".1"))
        .collect();
    committed.sort();
    assert_eq!(
        committed, expected,
        "man/ has other pages than the CLI; run .ci/regenerate"
    );
    for (name, roff) in pages {
        let path = source_dir("man").join(&name);
        assert!(
            std::fs::read(&path).unwrap() == roff,
            "{} is stale; run .ci/regenerate",
            path.display()
        );
    }
    let top = std::fs::read_to_string(source_dir("man").join("vicport.1")).unwrap();
    assert!(
        top.contains("EXIT STATUS"),
        "vicport.1 documents the exit codes"
    );
}

/// The README's exit-code table is the one table the code has
/// (`ErrorKind::ALL`); `VICPORT_REGENERATE=1` (as `.ci/regenerate` sets it)
/// rewrites it.
#[test]
fn the_readme_exit_code_table_is_current() {
    const BEGIN: &str =
        "<!-- exit-codes: generated from ErrorKind::ALL by .ci/regenerate; do not edit -->\n";
    const END: &str = "<!-- exit-codes:end -->";
    let path = source_dir("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("the README marks its exit-code table")
        + BEGIN.len();
    let end = start + readme[start..].find(END).expect("the table's end marker");
    let table = vicport::plumbing::error::exit_status::markdown();
    if std::env::var_os("VICPORT_REGENERATE").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == table,
        "README.md's exit-code table is stale; run .ci/regenerate"
    );
}
