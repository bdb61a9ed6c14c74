//! The CLI's conventions through the binary: help, usage errors, targets,
//! credentials, JSON documents, exit codes and broken pipes.

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, on_a_terminal, run, run_all, run_with_stdin, unique};

#[test]
fn help_lists_every_noun_and_exits_0() {
    let env = Env::new();
    let out = run(env.vicport(["--help"]));
    out.code(0);
    for noun in [
        "domain", "volume", "network", "image", "target", "system", "run", "exec", "events",
        "login", "logout",
    ] {
        assert!(
            out.stdout.contains(&format!("\n  {noun} ")),
            "{noun} missing:\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("Exit codes:"));
    let out = run(env.vicport(["--version"]));
    out.code(0);
    assert!(out.stdout.starts_with("vicport "), "{}", out.stdout);
}

#[test]
fn usage_errors_exit_2_with_clap_message() {
    let env = Env::new();
    let out = run(env.vicport(["--bogus"]));
    out.code(2);
    assert!(
        out.stderr.contains("unexpected argument '--bogus'"),
        "{}",
        out.stderr
    );
    let out = run(env.vicport(["-o", "yaml", "target", "ls"]));
    out.code(2);
    assert!(
        out.stderr.contains("invalid value 'yaml'"),
        "{}",
        out.stderr
    );
    let out = run(env.vicport(["domain"]));
    out.code(2);
}

#[test]
fn invalid_names_exit_2_before_anything_is_written() {
    let env = Env::new();
    for bad in ["Bad", "a/b", "a..b", &"x".repeat(64)] {
        let out = run(env.vicport(["target", "add", bad, "--url", "https://vc/sdk"]));
        out.code(2);
        assert!(out.stderr.contains("invalid target name"), "{}", out.stderr);
    }
    assert!(!env.config_file().exists());
}

#[test]
fn target_lifecycle_with_json() {
    let env = Env::new();
    let out = run(env.vicport([
        "-o",
        "json",
        "target",
        "add",
        "vc1",
        "--url",
        "https://vc.example.com",
        "--username",
        "admin",
        "--datacenter",
        "DC0",
        "--insecure",
    ]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["name"], "vc1");
    assert_eq!(doc["platform"], "vsphere");
    assert_eq!(doc["url"], "https://vc.example.com/sdk");
    assert_eq!(doc["insecure"], true);
    assert_eq!(doc["current"], false);

    let out = run(env.vicport(["-o", "json", "target", "ls"]));
    out.code(0);
    let list = out.json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["local", "vc1"]);
    assert_eq!(list[0]["current"], true);

    run(env.vicport(["target", "use", "vc1"])).code(0);
    let out = run(env.vicport(["-o", "json", "target", "show"]));
    out.code(0);
    assert_eq!(out.json()["name"], "vc1");
    assert_eq!(out.json()["current"], true);
    assert_eq!(out.json()["password_stored"], false);

    let out = run(env.vicport(["-q", "target", "ls"]));
    assert_eq!(out.stdout, "local\nvc1\n");

    let out = run(env.vicport(["target", "ls"]));
    out.code(0);
    let vc1 = out.stdout.lines().find(|l| l.starts_with("vc1")).unwrap();
    assert!(
        vc1.contains("https://vc.example.com/sdk") && vc1.trim_end().ends_with('*'),
        "{vc1}"
    );

    run(env.vicport(["target", "rm", "vc1"])).code(0);
    let out = run(env.vicport(["-o", "json", "target", "show"]));
    assert_eq!(
        out.json()["name"],
        "local",
        "removing the current target falls back to local"
    );
}

#[test]
fn target_conflicts_and_unknowns() {
    let env = Env::new();
    run(env.vicport(["target", "add", "vc1", "--url", "https://vc/sdk"])).code(0);
    let out = run(env.vicport([
        "-o",
        "json",
        "target",
        "add",
        "vc1",
        "--url",
        "https://other/sdk",
    ]));
    out.code(4);
    assert_eq!(out.json_error()["error"]["kind"], "taken");
    run(env.vicport(["target", "add", "local", "--url", "https://vc/sdk"])).code(4);
    run(env.vicport(["target", "rm", "local"])).code(4);

    let out = run(env.vicport(["-o", "json", "target", "use", "nope"]));
    out.code(3);
    let err = out.json_error();
    assert_eq!(err["error"]["kind"], "not_found");
    assert!(
        err["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("local, vc1"),
        "{err}"
    );
    let out = run(env.vicport(["-T", "nope", "system", "info"]));
    out.code(3);
    assert!(out.stderr.contains("local, vc1"), "{}", out.stderr);
    run(env.vicport(["target", "rm", "nope"])).code(3);

    let out = run(env.vicport([
        "target",
        "add",
        "vc2",
        "--url",
        "https://vc/sdk",
        "--thumbprint",
        "zz",
    ]));
    out.code(2);
    run(env.vicport(["target", "add", "vc2", "--url", "vc-no-scheme"])).code(2);
    run(env.vicport([
        "target",
        "add",
        "vc2",
        "--url",
        "https://vc",
        "--thumbprint",
        &"AB".repeat(32),
        "--insecure",
    ]))
    .code(2);
    run(env.vicport([
        "target",
        "add",
        "lab",
        "--platform",
        "local",
        "--url",
        "https://vc",
    ]))
    .code(2);
    run(env.vicport([
        "target",
        "add",
        "lab",
        "--platform",
        "local",
        "--dir",
        "/tmp/lab",
    ]))
    .code(0);
}

#[test]
fn config_file_is_0600_and_malformed_file_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    run(env.vicport(["target", "add", "vc1", "--url", "https://vc/sdk"])).code(0);
    let mode = std::fs::metadata(env.config_file())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let broken = "[targets.vc1]\nplatform = \"vsphere\"\nurl = \"https://vc/sdk\"\nport = [\n";
    std::fs::write(env.config_file(), broken).unwrap();
    let out = run(env.vicport(["target", "add", "vc2", "--url", "https://vc2/sdk"]));
    out.code(2);
    assert!(
        out.stderr
            .contains(&env.config_file().display().to_string()),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("line "), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(env.config_file()).unwrap(), broken);
    run(env.vicport(["target", "ls"])).code(2);
}

#[test]
fn concurrent_target_adds_lose_nothing() {
    let env = Env::new();
    let adds = (0..8).map(|i| {
        env.vicport([
            "target",
            "add",
            &format!("t{i}"),
            "--url",
            &format!("https://vc{i}/sdk"),
        ])
    });
    for out in run_all(adds) {
        out.code(0);
    }
    let out = run(env.vicport(["-o", "json", "target", "ls"]));
    assert_eq!(out.json().as_array().unwrap().len(), 9, "{}", out.stdout);
}

#[test]
fn login_checks_the_password_and_keeps_it_in_the_keyring_only() {
    let env = Env::new();
    let vc = Vcsim::start();
    let mut add = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(vc.target_args());
    run(env.vicport(&add)).code(0);

    // A wrong password: exit 5, nothing stored, no session cached.
    let out = run_with_stdin(
        env.vicport(["-o", "json", "login", "vc1", "--password-stdin"]),
        "wrong-password\n",
    );
    out.code(5);
    assert_eq!(out.json_error()["error"]["kind"], "unreachable");
    let out = run(env.vicport(["-o", "json", "target", "show", "vc1"]));
    assert_eq!(out.json()["password_stored"], false);
    assert!(
        walk(&env.root().join("cache")).is_empty(),
        "a refused login leaves no session"
    );

    let out = run_with_stdin(
        env.vicport(["-o", "json", "login", "vc1", "--password-stdin"]),
        &format!("{}\n", vc.password),
    );
    out.code(0);
    assert_eq!(out.json()["keyring"], "keyutils");
    assert!(!out.stdout.contains(&vc.password) && !out.stderr.contains(&vc.password));

    // A second process finds it: the secret outlives the process that stored it.
    let out = run(env.vicport(["-o", "json", "target", "show", "vc1"]));
    assert_eq!(out.json()["password_stored"], true, "{}", out.stdout);
    // The config file and the cached session never hold it.
    for entry in walk(env.root()) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&vc.password),
            "the password is in {}",
            entry.display()
        );
    }
    // The session was cached with mode 0600.
    use std::os::unix::fs::PermissionsExt;
    let sessions = walk(&env.root().join("cache"));
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(
        std::fs::metadata(&sessions[0])
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );

    let out = run(env.vicport(["-o", "json", "logout", "vc1"]));
    out.code(0);
    assert_eq!(out.json()["removed"], true);
    assert!(
        walk(&env.root().join("cache")).is_empty(),
        "logout removes the session"
    );
    let out = run(env.vicport(["-o", "json", "target", "show", "vc1"]));
    assert_eq!(out.json()["password_stored"], false);
    let out = run(env.vicport(["-o", "json", "logout", "vc1"]));
    assert_eq!(out.json()["removed"], false);
}

#[test]
fn an_unreachable_target_exits_5() {
    let env = Env::new();
    let host = unique("vc");
    run(env.vicport([
        "target",
        "add",
        "vc1",
        "--url",
        &format!("https://{host}.invalid/sdk"),
        "--username",
        "u",
    ]))
    .code(0);
    let out = run_with_stdin(
        env.vicport([
            "-o",
            "json",
            "--timeout",
            "5s",
            "login",
            "vc1",
            "--password-stdin",
        ]),
        "pw\n",
    );
    out.code(5);
    assert_eq!(out.json_error()["error"]["kind"], "unreachable");
    let out = run(env.vicport(["-T", "vc1", "--timeout", "5s", "system", "info"]));
    out.code(5);
}

#[test]
fn login_without_terminal_or_password_is_refused() {
    let env = Env::new();
    run(env.vicport([
        "target",
        "add",
        "vc1",
        "--url",
        "https://vc/sdk",
        "--username",
        "u",
    ]))
    .code(0);
    let out = run_with_stdin(env.vicport(["login", "vc1"]), "");
    out.code(2);
    assert!(out.stderr.contains("--password-stdin"), "{}", out.stderr);
    let out = run(env.vicport(["login", "local"]));
    out.code(2);
    assert!(out.stderr.contains("needs no login"), "{}", out.stderr);
    run(env.vicport(["target", "add", "vc2", "--url", "https://vc/sdk"])).code(0);
    let out = run_with_stdin(env.vicport(["login", "vc2", "--password-stdin"]), "pw\n");
    out.code(2);
    assert!(out.stderr.contains("--username"), "{}", out.stderr);
}

#[test]
fn unsupported_operations_say_so_with_exit_1() {
    // Networks on a cluster of several hosts need a distributed switch:
    // without one (vcsim with no port groups has none), vicport says so
    // rather than make host port groups that only some hosts would have.
    let env = Env::new();
    let vc = Vcsim::with(Options {
        args: vec!["-pg".into(), "0".into()],
        ..Options::default()
    });
    let mut add = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(vc.target_args());
    run(env.vicport(&add)).code(0);
    let out = run(env
        .vicport([
            "-T",
            "vc1",
            "-o",
            "json",
            "network",
            "create",
            "n1",
            "--subnet",
            "10.1.0.0/24",
        ])
        .env("VICPORT_PASSWORD", &vc.password));
    out.code(1);
    assert_eq!(out.stdout, "", "no fake data on stdout");
    let err = out.json_error();
    assert_eq!(err["error"]["kind"], "not_supported");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("distributed switch"),
        "{err}"
    );
    assert!(
        err["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("distributed switch"),
        "{err}"
    );
    let out = run(env
        .vicport(["-T", "vc1", "-o", "json", "network", "ls"])
        .env("VICPORT_PASSWORD", &vc.password));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]), "nothing half-made");
}

#[test]
fn system_info_is_one_json_object() {
    let env = Env::new();
    let out = run(env.vicport(["-o", "json", "system", "info"]));
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["target"], "local");
    assert_eq!(doc["platform"], "local");
    assert_eq!(
        doc["details"]["state_dir"],
        env.state_dir().display().to_string()
    );
}

#[test]
fn broken_pipe_on_stdout_is_not_an_error() {
    use std::process::Stdio;
    let env = Env::new();
    let mut child = env
        .vicport(["system", "completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

#[test]
fn on_a_terminal_login_prompts_for_the_password_and_rm_asks_to_confirm() {
    let env = Env::new();
    // A password that no prompt or message could contain by chance.
    let vc = Vcsim::with(Options {
        args: vec!["-password".into(), "Qz7-tty-secret".into()],
        ..Options::default()
    });
    assert_eq!(vc.password, "Qz7-tty-secret");
    let mut add = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(vc.target_args());
    run(env.vicport(&add)).code(0);
    let (screen, code) = on_a_terminal(
        env.vicport(["login", "vc1"]),
        (24, 80),
        &[("Password for", &format!("{}\r", vc.password))],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        !screen.contains(&vc.password),
        "the password is not echoed: {screen}"
    );
    let out = run(env.vicport(["-o", "json", "target", "show", "vc1"]));
    assert_eq!(out.json()["password_stored"], true);
    run(env.vicport(["logout", "vc1"])).code(0);

    // A destructive operation asks on a terminal; "n" changes nothing.
    let dir = env.root().join("fixture");
    std::fs::create_dir_all(&dir).unwrap();
    let tar = vicport::plumbing::image::fixtures::rootfs_tar(&dir, false).unwrap();
    run(env
        .vicport(["image", "import"])
        .arg(&tar.path)
        .args(["--name", "bb"]))
    .code(0);
    run(env.vicport(["domain", "create", "--name", "d", "bb", "--", "true"])).code(0);
    let (screen, code) = on_a_terminal(
        env.vicport(["image", "rm", "--force", "bb"]),
        (24, 80),
        &[("?", "n")],
    );
    assert_eq!(code, Some(130), "declined: {screen}");
    run(env.vicport(["domain", "inspect", "d"])).code(0);
    let (screen, code) = on_a_terminal(
        env.vicport(["image", "rm", "--force", "bb"]),
        (24, 80),
        &[("?", "y")],
    );
    assert_eq!(code, Some(0), "confirmed: {screen}");
    run(env.vicport(["domain", "inspect", "d"])).code(3);
}
