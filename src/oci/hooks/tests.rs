use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

fn sh(script: &str) -> Hook {
    Hook {
        path: PathBuf::from("/bin/sh"),
        args: vec!["sh".into(), "-c".into(), script.into()],
        env: vec![],
        timeout: None,
    }
}

fn quoted(p: &Path) -> String {
    format!("'{}'", p.display())
}

#[test]
fn a_hook_reads_the_state_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("state");
    run(&sh(&format!("cat > {}", quoted(&out))), br#"{"id":"c1"}"#).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), r#"{"id":"c1"}"#);
}

#[test]
fn a_hook_gets_exactly_its_args_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seen");
    let hook = Hook {
        path: PathBuf::from("/bin/sh"),
        args: vec![
            "my-hook".into(),
            "-c".into(),
            format!(
                r#"{{ head -c 7 /proc/$$/cmdline; echo " $0 $1 [$A] [$HOME]"; }} > {o}; env | sort >> {o}"#,
                o = quoted(&out)
            ),
            "zero".into(),
            "one".into(),
        ],
        env: vec!["A=1=2".into()],
        timeout: None,
    };
    run(&hook, b"{}").unwrap();
    let seen = std::fs::read_to_string(&out).unwrap();
    let mut lines = seen.lines();
    assert_eq!(lines.next(), Some("my-hook zero one [1=2] []"));
    // Nothing of the runtime's environment leaks in (sh adds PWD, SHLVL).
    let vars: Vec<&str> = lines
        .map(|l| l.split('=').next().unwrap())
        .filter(|k| !["PWD", "SHLVL", "_"].contains(k))
        .collect();
    assert_eq!(vars, ["A"]);
}

#[test]
fn a_hook_without_args_runs_by_its_path() {
    run(
        &Hook {
            path: PathBuf::from("/bin/true"),
            args: vec![],
            env: vec![],
            timeout: None,
        },
        b"{}",
    )
    .unwrap();
}

#[test]
fn a_failing_hook_says_its_status_and_last_stderr_line() {
    let why = run(&sh("echo one >&2; echo 'the reason' >&2; exit 3"), b"{}").unwrap_err();
    assert_eq!(why, "exit status 3: the reason");
    let why = run(&sh("kill -9 $$"), b"{}").unwrap_err();
    assert_eq!(why, "killed by signal 9");
}

#[test]
fn a_missing_program_is_a_failure() {
    let hook = Hook {
        path: PathBuf::from("/nonexistent/hook"),
        args: vec![],
        env: vec![],
        timeout: None,
    };
    assert!(
        run(&hook, b"{}")
            .unwrap_err()
            .starts_with("cannot run it: ")
    );
}

#[test]
fn a_hook_past_its_timeout_is_killed() {
    let mut hook = sh("sleep 30");
    hook.timeout = Some(1);
    let began = Instant::now();
    let why = run(&hook, b"{}").unwrap_err();
    assert_eq!(why, "it ran past its timeout of 1 s and was killed");
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "{:?}",
        began.elapsed()
    );
}

#[test]
fn a_hook_that_ignores_stdin_or_leaves_a_child_is_not_held() {
    // A large state it never reads, and a grandchild keeping stderr open.
    let state = vec![b'x'; 1 << 20];
    let began = Instant::now();
    run(&sh("(sleep 5 >&2 &) ; exit 0"), &state).unwrap();
    assert!(
        began.elapsed() < Duration::from_secs(4),
        "{:?}",
        began.elapsed()
    );
}

#[test]
fn run_all_stops_at_the_first_failure_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("order");
    let hooks = [
        sh(&format!("echo a >> {}", quoted(&out))),
        sh("exit 1"),
        sh(&format!("echo c >> {}", quoted(&out))),
    ];
    let e = run_all("prestart", &hooks, b"{}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the prestart hook #1 (/bin/sh) failed: exit status 1"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a\n");
}

#[test]
fn run_warning_runs_every_hook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("order");
    let hooks = [sh("exit 1"), sh(&format!("echo b >> {}", quoted(&out)))];
    let warnings = run_warning("poststop", &hooks, b"{}");
    assert_eq!(
        warnings,
        ["warning: the poststop hook #0 (/bin/sh) failed: exit status 1"]
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "b\n");
}

fn spec_hooks(json: serde_json::Value) -> Result<Hooks> {
    let h: oci_spec::runtime::Hooks = serde_json::from_value(json).unwrap();
    Hooks::from_spec(Path::new("/b/config.json"), Some(&h))
}

#[test]
fn hooks_are_read_from_the_spec_in_order() {
    let h = spec_hooks(serde_json::json!({
        "prestart": [{"path": "/p1"}, {"path": "/p2", "args": ["p2", "x"], "env": ["K=V"], "timeout": 3}],
        "createRuntime": [{"path": "/cr"}],
        "createContainer": [{"path": "/cc"}],
        "startContainer": [{"path": "/sc"}],
        "poststart": [{"path": "/ps"}],
        "poststop": [{"path": "/pt"}],
    }))
    .unwrap();
    assert_eq!(h.prestart.len(), 2);
    assert_eq!(h.prestart[1].args, ["p2", "x"]);
    assert_eq!(h.prestart[1].env, ["K=V"]);
    assert_eq!(h.prestart[1].timeout, Some(3));
    for (list, path) in [
        (&h.create_runtime, "/cr"),
        (&h.create_container, "/cc"),
        (&h.start_container, "/sc"),
        (&h.poststart, "/ps"),
        (&h.poststop, "/pt"),
    ] {
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].path, Path::new(path));
    }
    assert_eq!(
        Hooks::from_spec(Path::new("/b/config.json"), None).unwrap(),
        Hooks::default()
    );
}

#[test]
fn bad_hooks_are_refused_naming_the_field() {
    let e = spec_hooks(serde_json::json!({"poststart": [{"path": "/ok"}, {"path": "rel/hook"}]}))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"/b/config.json: hooks.poststart[1]: path "rel/hook" is not absolute (a hook's path must be)"#
    );
    let e = spec_hooks(serde_json::json!({"createRuntime": [{"path": "/h", "timeout": 0}]}))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "/b/config.json: hooks.createRuntime[0]: timeout 0: must be above zero seconds, or left out"
    );
}
