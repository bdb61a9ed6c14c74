//! `logs` and `events` with `--since` and `--until`, without a VM: a
//! created domain's log written in the tether's format, and the events a
//! state directory records.

use crate::support::{Env, Outcome, run};

/// `key` of each JSON line of a command that succeeded.
fn field(out: &Outcome, key: &str) -> Vec<String> {
    out.code(0)
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()[key].clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn logs_and_events_keep_what_falls_in_the_window() {
    let env = Env::new();
    env.import_busybox();
    let out = run(env.vicport([
        "-q", "domain", "create", "--name", "quiet", "busybox", "--", "true",
    ]));
    let id = out.code(0).stdout.trim().to_string();
    // What the tether writes on its log port (CRI lines), one a minute.
    let log = "2025-12-07T05:29:00.000000001Z stdout F one\n\
               2025-12-07T05:30:00Z stderr F two\n\
               2025-12-07T05:31:00.5Z stdout F three\n\
               2025-12-07T05:32:00Z stdout F four\n";
    std::fs::write(
        env.state_dir().join("domains").join(&id).join("output.log"),
        log,
    )
    .unwrap();
    let lines = |args: &[&str]| {
        field(
            &run(env.vicport(["-o", "json", "logs"]).args(args).arg("quiet")),
            "text",
        )
    };
    assert_eq!(lines(&[]), ["one", "two", "three", "four"]);
    // --since is inclusive, --until exclusive; every form of a time.
    assert_eq!(
        lines(&["--since", "2025-12-07T05:30:00Z"]),
        ["two", "three", "four"]
    );
    assert_eq!(
        lines(&[
            "--since",
            "2025-12-07 06:30:00+01:00",
            "--until",
            "1765085520"
        ]),
        ["two", "three"]
    );
    assert_eq!(
        lines(&["--until", "2025-12-07T05:29:00Z"]),
        Vec::<String>::new()
    );
    assert_eq!(lines(&["--since", "10m"]), Vec::<String>::new());
    // Of the last two lines, those in the window.
    assert_eq!(
        lines(&["--tail", "2", "--since", "2025-12-07T05:32:00Z"]),
        ["four"]
    );
    // The table form keeps the streams apart, as without a window.
    let out = run(env.vicport([
        "logs",
        "--since",
        "2025-12-07T05:30:00Z",
        "--until",
        "2025-12-07T05:31:00Z",
        "quiet",
    ]));
    assert_eq!(
        (out.code(0).stdout.as_str(), out.stderr.as_str()),
        ("", "two\n")
    );

    // Events: the import and the create, stamped now.
    let actions = |args: &[&str]| {
        field(
            &run(env.vicport(["-o", "json", "events"]).args(args)),
            "action",
        )
    };
    assert_eq!(actions(&["--since", "1h"]), ["import", "create"]);
    assert_eq!(actions(&["--until", "1h"]), Vec::<String>::new());
    assert_eq!(
        actions(&[
            "--since",
            "2025-12-07T05:30:00Z",
            "--until",
            "2099-01-01T00:00:00Z"
        ]),
        ["import", "create"]
    );

    // Bad input: a usage error (2) naming the value, and --until with
    // --follow (which would wait past it).
    let out = run(env.vicport(["logs", "--since", "yesterday", "quiet"]));
    out.code(2);
    assert!(
        out.stderr.contains("\"yesterday\" is not a time"),
        "{}",
        out.stderr
    );
    let out = run(env.vicport(["events", "--follow", "--until", "1m"]));
    out.code(2);
    assert!(out.stderr.contains("--until"), "{}", out.stderr);
}
