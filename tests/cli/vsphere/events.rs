//! `events` on vSphere: a domain's lifecycle, vicport's volumes and
//! networks (and nothing of others'), and `--follow` until Ctrl-C.

use std::process::{Child, Stdio};
use std::time::Duration;

use vicport::plumbing::vsphere::vim;

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run};

use super::{exit_within, fake_boot_image, import_busybox, library, log_in, log_out, requests};

#[test]
fn events_show_the_domains_lifecycle_and_follow_new_ones_until_ctrl_c() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    run(env.vicport(["run", "-d", "--name", "web", "busybox", "--", "sh"])).code(0);

    // The history: this domain's steps, and nothing of vcsim's own VMs.
    let parse = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
                assert_eq!(e["object"], "domain", "{l}");
                assert!(e["time"].as_str().unwrap().starts_with("20"), "{l}");
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let out = run(env.vicport(["-o", "json", "events"]));
    out.code(0);
    let history = parse(&out.stdout);
    assert_eq!(
        history,
        [
            ("create".into(), "web".into()),
            ("start".into(), "web".into())
        ]
    );

    // Following: the history first, then what happens, as it happens.
    let (follow, rx) = follow_events(&env);
    let mut seen = Vec::new();
    let next = |seen: &mut Vec<(String, String)>| {
        seen.extend(parse(&next_event(&rx, seen)));
    };
    next(&mut seen);
    next(&mut seen);
    run(env.vicport(["domain", "create", "--name", "db", "busybox", "--", "sh"])).code(0);
    run(env.vicport(["domain", "kill", "web"])).code(0);
    run(env.vicport(["domain", "rm", "web"])).code(0);
    for _ in 0..3 {
        next(&mut seen);
    }
    assert_eq!(
        seen,
        [
            ("create".into(), "web".into()),
            ("start".into(), "web".into()),
            ("create".into(), "db".into()),
            ("die".into(), "web".into()),
            ("remove".into(), "web".into()),
        ]
    );
    interrupt_follow(follow);
    log_out(&env);
}

/// `vicport --debug -o json events --follow`, its stdout's lines sent to
/// the receiver as they come.
fn follow_events(env: &Env) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut follow = env
        .vicport(["--debug", "-o", "json", "events", "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = follow.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (follow, rx)
}

/// The next line of a follow, within 30 s.
fn next_event(rx: &std::sync::mpsc::Receiver<String>, seen: &dyn std::fmt::Debug) -> String {
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("no event after {seen:?}"))
}

/// Ctrl-C ends a follow cleanly: exit 130, its collector destroyed. Its
/// `--debug` request counts.
fn interrupt_follow(follow: Child) -> std::collections::BTreeMap<String, u64> {
    // SAFETY: kill(2) of our own child process.
    unsafe { libc::kill(follow.id() as i32, libc::SIGINT) };
    let out = exit_within(follow, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(130));
    let calls = requests(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(calls.get("DestroyCollector"), Some(&1), "{calls:?}");
    calls
}

/// A distributed port group made by someone else, named as vicport names
/// its own but without vicport's document.
fn foreign_portgroup(v: &Vcsim, env: &Env, name: &str) {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let s = p.session();
        let root = s.content().root_folder.clone();
        let switches =
            vim::retrieve_in_container(s, &root, "DistributedVirtualSwitch", &["name"], None)
                .await
                .unwrap();
        vim::run_task(s, "AddDVPortgroup_Task", &switches[0].obj, |w| {
            w.open("spec")
                .text("name", name)
                .text("type", "earlyBinding")
                .close("spec");
        })
        .await
        .unwrap();
    });
}

/// `events` lines as (object, action, name).
fn event_lines(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("object"), s("action"), s("name"))
        })
        .collect()
}

fn ev(object: &str, action: &str, name: &str) -> (String, String, String) {
    (object.into(), action.into(), name.into())
}

#[test]
fn events_show_vicports_volumes_and_networks_and_a_follow_reads_small_pages() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    foreign_portgroup(&v, &env, "vicport-foreign");
    // A history longer than a followed page (20 events).
    let mut want = Vec::new();
    for i in 0..11 {
        run(env.vicport(["volume", "create", &format!("v{i}"), "--size", "1MiB"])).code(0);
        want.push(ev("volume", "create", &format!("v{i}")));
    }
    for i in 1..11 {
        run(env.vicport(["volume", "rm", &format!("v{i}")])).code(0);
        want.push(ev("volume", "remove", &format!("v{i}")));
    }
    run(env.vicport(["network", "create", "backend", "--subnet", "10.0.7.0/24"])).code(0);
    want.push(ev("network", "create", "backend"));

    let out = run(env.vicport(["-o", "json", "events"]));
    out.code(0);
    assert_eq!(event_lines(&out.stdout), want);
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["attributes"]["backing"], "fcd", "{first}");
    assert_eq!(first["attributes"]["datastore"], "LocalDS_0", "{first}");
    assert_eq!(first["attributes"]["user"], v.username, "{first}");

    // Following: the history, then each change as it happens.
    let (follow, rx) = follow_events(&env);
    let mut seen = Vec::new();
    while seen.len() < want.len() {
        seen.extend(event_lines(&next_event(&rx, &seen)));
    }
    assert_eq!(seen, want);
    run(env.vicport(["network", "rm", "backend"])).code(0);
    run(env.vicport(["volume", "rm", "v0"])).code(0);
    run(env.vicport(["volume", "create", "late", "--size", "1MiB"])).code(0);
    let mut new = Vec::new();
    while new.len() < 3 {
        new.extend(event_lines(&next_event(&rx, &new)));
    }
    assert_eq!(
        new,
        [
            ev("network", "remove", "backend"),
            ev("volume", "remove", "v0"),
            ev("volume", "create", "late"),
        ]
    );
    let calls = interrupt_follow(follow);
    // Each update of the follow was a small page, not the history again.
    let pages = calls.get("event pages followed").copied().unwrap_or(0);
    let followed = calls.get("events followed").copied().unwrap_or(0);
    assert!(pages >= 1, "{calls:?}");
    assert!(followed <= 20 * pages, "{calls:?}");
    log_out(&env);
}
