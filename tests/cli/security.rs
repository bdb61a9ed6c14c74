//! Security properties, checked through the binary: secrets never in a
//! child's argv, in `--debug` output or in a file; hostile image archives
//! refused with nothing written outside the store.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use vicport::plumbing::image::fixtures::{self, Entry};

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run, run_with_stdin};

/// Stand-ins, first on PATH, for every program vicport runs by name: each
/// records its arguments and fails. Whatever vicport spawns, its argv is
/// in the record.
fn argv_recorders(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let bin = env.root().join("shims");
    std::fs::create_dir_all(&bin).unwrap();
    let record = env.root().join("argv.log");
    for program in [
        "qemu-system-x86_64",
        "qemu-img",
        "mkfs.ext4",
        "mke2fs",
        "debugfs",
        "e2fsck",
        "apt-get",
        "apt-cache",
        "xorriso",
        "ip",
        "iptables",
        "nft",
        "sh",
        "env",
    ] {
        let shim = bin.join(program);
        std::fs::write(
            &shim,
            format!(
                "#!/bin/sh\necho \"$0 $*\" >> {}\nexit 1\n",
                record.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (bin, record)
}

#[test]
fn the_password_is_never_in_argv_debug_output_or_files() {
    let env = Env::new();
    // A password that no message could contain by chance.
    let vc = Vcsim::with(Options {
        args: vec!["-password".into(), "Zq7-unlikely-Secret-41".into()],
        ..Default::default()
    });
    assert_eq!(vc.password, "Zq7-unlikely-Secret-41");
    let (shims, record) = argv_recorders(&env);
    let path = format!("{}:/usr/bin:/bin", shims.display());
    let mut add = vec!["target".into(), "add".into(), "vc".into()];
    add.extend(vc.target_args());
    run(env.vicport(&add)).code(0);

    let out = run_with_stdin(
        env.vicport(["--debug", "login", "vc", "--password-stdin"])
            .env("PATH", &path),
        &format!("{}\n", vc.password),
    );
    out.code(0);
    assert!(
        out.stderr.contains("vim25"),
        "--debug traces the calls: {}",
        out.stderr
    );
    assert!(!out.stderr.contains(&vc.password), "{}", out.stderr);
    assert!(!out.stdout.contains(&vc.password));

    // With the password in the environment (CI), through every vSphere
    // command that works without a guest.
    for args in [
        vec!["--debug", "-T", "vc", "system", "info"],
        vec!["--debug", "-T", "vc", "domain", "ls"],
        vec!["--debug", "-T", "vc", "volume", "ls"],
        vec!["--debug", "-T", "vc", "network", "ls"],
    ] {
        let out = run(env
            .vicport(&args)
            .env("PATH", &path)
            .env("VICPORT_PASSWORD", &vc.password));
        assert!(
            !out.stderr.contains(&vc.password),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stdout.contains(&vc.password), "{args:?}");
    }
    let argv = std::fs::read_to_string(&record).unwrap_or_default();
    assert!(
        !argv.contains(&vc.password),
        "a child got the password: {argv}"
    );

    for file in walk(env.root()) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&vc.password),
            "the password is in {}",
            file.display()
        );
    }
    // The session cache and the config file are private.
    for file in walk(&env.root().join("cache"))
        .into_iter()
        .chain([env.config_file()])
    {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn hostile_image_archives_are_refused_and_write_nothing_outside() {
    let env = Env::new();
    let dir = env.root().join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let outside = env.root().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let cases: Vec<(&str, Vec<Entry>)> = vec![
        (
            "dotdot.tar",
            vec![Entry::file("../../outside/x", 0o644, "escaped")],
        ),
        (
            "absolute.tar",
            vec![Entry::file("/../../../outside/x", 0o644, "escaped")],
        ),
        (
            "symlink.tar",
            vec![
                Entry::symlink("link", outside.to_str().unwrap()),
                Entry::file("link/x", 0o644, "escaped"),
            ],
        ),
        (
            "hardlink.tar",
            vec![
                Entry::file("inside", 0o644, "x"),
                Entry::hardlink("h", "../../outside/x"),
            ],
        ),
    ];
    for (name, entries) in cases {
        let tar = fixtures::tar_of(&dir, name, &entries).unwrap();
        let out = run(env.vicport(["-o", "json", "image", "import"]).arg(&tar));
        // Refused as a malformed image (exit 2), never half imported.
        out.code(2);
        assert_eq!(
            out.json_error()["error"]["kind"],
            "invalid_argument",
            "{name}"
        );
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            0,
            "{name} wrote outside the store"
        );
    }
    assert_eq!(
        run(env.vicport(["-o", "json", "image", "ls"])).json(),
        serde_json::json!([])
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files.extend(walk(&p));
            } else {
                files.push(p);
            }
        }
    }
    files
}
