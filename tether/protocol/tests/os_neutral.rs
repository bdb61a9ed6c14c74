//! Proof that the protocol crate stays OS-neutral: its sources and manifest
//! name no OS interface and it has no dependencies, so a tether for another
//! guest OS builds it unchanged. Runs with `cargo test --workspace`.

use std::path::{Path, PathBuf};

/// Text that marks code as specific to an OS, found anywhere in a line
/// once its whitespace is removed.
const FORBIDDEN_TEXT: [&str; 6] = [
    "std::os",
    "cfg(unix)",
    "cfg(windows)",
    "cfg(target_os",
    "cfg(target_family",
    "core::os",
];

/// Crates that are OS interfaces, found as whole words.
const FORBIDDEN_WORDS: [&str; 3] = ["libc", "nix", "rustix"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// What is wrong with one source or manifest text, one entry per finding.
fn violations(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        for f in FORBIDDEN_TEXT {
            if squeezed.contains(f) {
                found.push(format!("line {}: `{f}` in {line:?}", i + 1));
            }
        }
        let words = line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        for w in words {
            if FORBIDDEN_WORDS.contains(&w) {
                found.push(format!("line {}: `{w}` in {line:?}", i + 1));
            }
        }
    }
    found
}

/// Dependency tables of a manifest that have entries: `[dependencies]`,
/// `[build-dependencies]`, `[target.'…'.dependencies]`, and so on.
fn dependency_entries(manifest: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut table: Option<String> = None;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            let name = line.trim_matches(|c| c == '[' || c == ']').to_string();
            let deps = name.ends_with("dependencies") || name.contains("dependencies.");
            table = deps.then_some(name);
        } else if let (Some(t), false) = (&table, line.is_empty()) {
            found.push(format!("[{t}] {line}"));
        }
    }
    found
}

#[test]
fn the_sources_name_no_os_interface() {
    let mut files = Vec::new();
    rust_files(&crate_dir().join("src"), &mut files);
    assert!(
        files.len() >= 5,
        "expected the crate's sources, found {files:?}"
    );
    let mut all = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        all.extend(
            violations(&text)
                .into_iter()
                .map(|v| format!("{}: {v}", f.display())),
        );
    }
    let manifest = std::fs::read_to_string(crate_dir().join("Cargo.toml")).unwrap();
    all.extend(
        violations(&manifest)
            .into_iter()
            .map(|v| format!("Cargo.toml: {v}")),
    );
    assert!(
        all.is_empty(),
        "tether-protocol must stay OS-neutral (OS-specific code belongs in a tether):\n{}",
        all.join("\n")
    );
}

#[test]
fn the_crate_has_no_dependencies_and_no_build_script() {
    let manifest = std::fs::read_to_string(crate_dir().join("Cargo.toml")).unwrap();
    let deps = dependency_entries(&manifest);
    assert!(
        deps.is_empty(),
        "tether-protocol must have no dependencies:\n{}",
        deps.join("\n")
    );
    assert!(!crate_dir().join("build.rs").exists(), "no build script");
}

#[test]
fn the_checks_catch_what_they_are_for() {
    for bad in [
        "use std::os::fd::AsRawFd;",
        "use std :: os :: unix::net::UnixStream;",
        "#[cfg(unix)]",
        "#[cfg( target_os = \"linux\" )]",
        "let r = unsafe { libc::kill(1, 9) };",
        "use nix::unistd;",
        "rustix::fs::open()",
    ] {
        assert!(!violations(bad).is_empty(), "{bad} was not caught");
    }
    for fine in [
        "/// Times are unix nanoseconds.",
        "let phoenix = 1; // nixie",
        "use std::net::TcpStream;",
        "use std::io::{Read, Write};",
    ] {
        assert_eq!(violations(fine), Vec::<String>::new(), "{fine}");
    }
    let manifest =
        "[package]\nname = \"x\"\n\n[dependencies]\n# none\n\n[lints]\nworkspace = true\n";
    assert!(dependency_entries(manifest).is_empty());
    for bad in [
        "[dependencies]\nlibc = \"0.2\"\n",
        "[target.'cfg(unix)'.dependencies]\nnix = \"0.29\"\n",
        "[build-dependencies]\ncc = \"1\"\n",
        "[dependencies.serde]\nversion = \"1\"\n",
    ] {
        assert_eq!(dependency_entries(bad).len(), 1, "{bad}");
    }
}
