//! Endurance: many exec sessions on one domain, and many
//! create/start/stop/rm cycles, on both platforms, leave nothing behind and
//! make nothing grow — open fds, processes, the monitor's or relay's
//! memory, the state directory, host interfaces, nftables rules, a
//! network's address pool. Locally the domains are real QEMU microVMs; on
//! vSphere, vcsim with a `tether serve` standing in for each guest.
//!
//! CI runs a bounded size (100 execs, a few cycles). The full size is a
//! benchmark, run by hand and reported in the README:
//!
//! ```text
//! VICPORT_ENDURANCE=full cargo test --release --test cli endurance:: -- --nocapture --test-threads 1
//! ```
//!
//! (1000 execs, 100 cycles; the figures are printed and written to
//! `target/bench/endurance-{local,vsphere}.md`). `VICPORT_ENDURANCE_EXECS=N`
//! sets the number of execs alone.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::probe;
use crate::support::{Env, is_root, json, run, run_all, target_dir};
use crate::vsphere::{StandIn, cache_dir, log_out};

/// Exec sessions and cycles: CI's bounded run, or the full benchmark;
/// `VICPORT_ENDURANCE_EXECS` sets the number of execs alone (a longer run
/// tells a leak, which keeps growing, from allocator arenas settling).
fn sizes() -> (usize, usize) {
    let (execs, cycles) = if std::env::var("VICPORT_ENDURANCE").as_deref() == Ok("full") {
        (1000, 100)
    } else {
        (100, 4)
    };
    let execs = match std::env::var("VICPORT_ENDURANCE_EXECS") {
        Ok(n) => n
            .parse()
            .unwrap_or_else(|_| panic!("VICPORT_ENDURANCE_EXECS={n:?} is not a number of execs")),
        Err(_) => execs,
    };
    (execs, cycles)
}

/// Execs run this many at a time (engines exec concurrently too).
const EXEC_PARALLEL: usize = 4;

/// Execs before the first measurement: a quarter of the run, at least 20.
/// The allocator's arenas for concurrent sessions settle over the first
/// few hundred execs (the full run grew 1312 KiB over its first 250 and
/// 252 KiB over the 750 after them; 8000 execs grew 264 KiB in all), so
/// a leak shows as growth after them, not during them.
fn warm_up(execs: usize) -> usize {
    (execs / 4).max(20)
}
/// Growth of a long-lived process's resident memory that is not a leak:
/// allocator arenas settling, a few pages of buffers.
const RSS_SLACK_KIB: u64 = 1024;

/// The figures of one run, as a Markdown table for the README.
#[derive(Default)]
struct Report {
    rows: Vec<(String, String, String)>,
    /// What grew: the test fails with it once every figure is written.
    grown: Vec<String>,
}

impl Report {
    fn row(&mut self, what: &str, before: impl ToString, after: impl ToString) {
        self.rows
            .push((what.into(), before.to_string(), after.to_string()));
    }

    /// Report a long-lived process's memory over `n` execs that took
    /// `took` (sampled after each quarter of them, to tell a warm-up from
    /// steady growth), and fail (at the end) if it grew by more than the
    /// slack.
    fn memory_kept(&mut self, who: &str, pid: u32, rss0: u64, quarters: &[u64], took: Duration) {
        let rss1 = probe::rss_kib(pid).unwrap();
        let peak = probe::hwm_kib(pid).unwrap_or(0);
        self.row(
            &format!("{who} RSS (KiB)"),
            rss0,
            format!("{rss1} (peak {peak})"),
        );
        let samples: Vec<String> = quarters.iter().map(u64::to_string).collect();
        self.row(
            &format!("{who} RSS after each quarter of the execs (KiB)"),
            "",
            samples.join(", "),
        );
        self.row(
            "exec wall time",
            "",
            format!("{:.1} s, {EXEC_PARALLEL} at a time", took.as_secs_f64()),
        );
        if rss1 > rss0 + RSS_SLACK_KIB {
            self.grown.push(format!(
                "the {who} grew from {rss0} KiB to {rss1} KiB over the execs (after each quarter: {})",
                samples.join(", ")
            ));
        }
    }

    /// Write the figures, then fail if anything grew.
    fn finish(&self, platform: &str, heading: &str) {
        self.write(platform, heading);
        assert!(self.grown.is_empty(), "{}", self.grown.join("; "));
    }

    fn write(&self, platform: &str, heading: &str) {
        let mut md = format!("{heading}\n\n| | before | after |\n|---|---|---|\n");
        for (what, before, after) in &self.rows {
            let _ = writeln!(md, "| {what} | {before} | {after} |");
        }
        #[allow(clippy::print_stdout)] // the benchmark's figures, shown with --nocapture
        {
            println!("{md}");
        }
        let dir = target_dir().join("bench");
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("endurance-{platform}.md")), md);
        }
    }
}

/// Run `n` execs of `true` on `domain`, `EXEC_PARALLEL` at a time; every
/// one succeeds.
fn execs(env: &Env, domain: &str, n: usize) {
    let mut left = n;
    while left > 0 {
        let batch = left.min(EXEC_PARALLEL);
        let cmds = (0..batch).map(|i| {
            // Alternate a plain exec and one with stdin, output and an exit
            // code, so that every kind of stream is opened and closed.
            if (left + i) % 2 == 0 {
                env.vicport(["exec", domain, "--", "true"])
            } else {
                env.vicport([
                    "exec",
                    domain,
                    "--",
                    "sh",
                    "-c",
                    "echo out; echo err >&2; exit 3",
                ])
            }
        });
        for out in run_all(cmds) {
            assert!(
                [0, 3].contains(&out.code),
                "exec exited {}: {}",
                out.code,
                out.stderr
            );
        }
        left -= batch;
    }
}

/// [`execs`] in four quarters: `pid`'s resident memory after each.
fn execs_sampled(env: &Env, domain: &str, n: usize, pid: u32) -> Vec<u64> {
    let mut samples = Vec::new();
    for q in 0..4 {
        execs(env, domain, n * (q + 1) / 4 - n * q / 4);
        samples.push(probe::rss_kib(pid).unwrap());
    }
    samples
}

/// Poll `f` until it holds (the last process of a command may still be
/// closing its end of a socket when the command has returned).
fn settles(what: &str, mut f: impl FnMut() -> bool, detail: impl Fn() -> String) {
    let t = Instant::now();
    while !f() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{what} did not settle: {}",
            detail()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `f`'s value once it has stayed the same for half a second: what a
/// process holds between commands, not while the last one still closes.
fn steady<T: PartialEq + Copy>(mut f: impl FnMut() -> T) -> T {
    let t = Instant::now();
    let mut last = f();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = f();
        if now == last || t.elapsed() > Duration::from_secs(20) {
            return now;
        }
        last = now;
    }
}

/// A local domain's directory and its monitor's pid.
fn local_domain(env: &Env, name: &str) -> (PathBuf, u32) {
    let id = json(env, &["domain", "inspect", name])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = env.state_dir().join("domains").join(&id);
    let rt: Value =
        serde_json::from_slice(&std::fs::read(dir.join("runtime.json")).unwrap()).unwrap();
    (dir, rt["monitor_pid"].as_u64().unwrap() as u32)
}

/// The host side of a bridge network: its bridge and its nftables table's
/// text, and its address pool.
fn network_host_side(env: &Env, name: &str) -> (Option<String>, String, String) {
    let dir = env.state_dir().join("networks").join(name);
    let record: Value =
        serde_json::from_slice(&std::fs::read(dir.join("network.json")).unwrap()).unwrap();
    let bridge = record["backing"]["bridge"].as_str().map(str::to_string);
    let table = std::process::Command::new("nft")
        .args([
            "list",
            "table",
            "ip",
            &format!("vicport_{}", record["id"].as_str().unwrap()),
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let pool = std::fs::read_to_string(dir.join("pool.json")).unwrap();
    (bridge, table, pool)
}

#[test]
fn local_execs_and_lifecycle_cycles_leak_nothing() {
    let (n_execs, n_cycles) = sizes();
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    let mut report = Report::default();

    // Exec sessions on one running domain: the monitor, which relays every
    // session, keeps its fds, its memory and its processes.
    let forever = "while true; do busybox sleep 1; done";
    run(env.booting([
        "run", "-d", "--name", "e1", "busybox", "--", "sh", "-c", forever,
    ]))
    .code(0);
    let (dir, monitor) = local_domain(&env, "e1");
    execs(&env, "e1", warm_up(n_execs)); // buffers, the sessions' arenas and tables
    let fds0 = steady(|| probe::fds(monitor).unwrap());
    let rss0 = probe::rss_kib(monitor).unwrap();
    let procs0 = probe::processes_under(env.root());
    let entries0 = probe::dir_entries(&dir);
    let t = Instant::now();
    let quarters = execs_sampled(&env, "e1", n_execs, monitor);
    let took = t.elapsed();
    settles(
        "the monitor's fds",
        || probe::fds(monitor).is_some_and(|n| n <= fds0),
        || probe::fd_targets(monitor),
    );
    let procs1 = probe::processes_under(env.root());
    report.row(
        &format!("monitor fds ({n_execs} execs)"),
        fds0,
        probe::fds(monitor).unwrap(),
    );
    report.row("processes of the domain", procs0.len(), procs1.len());
    report.memory_kept("monitor", monitor, rss0, &quarters, took);
    assert_eq!(procs1, procs0, "processes after {n_execs} execs");
    assert_eq!(
        probe::dir_entries(&dir),
        entries0,
        "files in {}",
        dir.display()
    );
    run(env.vicport(["domain", "rm", "--force", "e1"])).code(0);
    settles(
        "the domain's processes",
        || probe::processes_under(env.root()).is_empty(),
        || format!("{:?}", probe::processes_under(env.root())),
    );

    // Cycles: create, start, stop, rm — on a network (a bridge with taps
    // and an nftables table as root, a socket network otherwise) and with a
    // volume, so that every host object a domain makes is made and undone.
    json(
        &env,
        &["network", "create", "en", "--subnet", "10.209.0.0/24"],
    );
    run(env.vicport(["volume", "create", "ev", "--size", "16MiB"])).code(0);
    let state = env.state_dir();
    let journal = ["events.jsonl"];
    let bytes0 = probe::dir_bytes(&state, &journal);
    let entries0 = probe::dir_entries(&state);
    let (bridge, table0, pool0) = network_host_side(&env, "en");
    let links0 = probe::links();
    let t = Instant::now();
    let mut taps = BTreeSet::new();
    for i in 0..n_cycles {
        let name = format!("c{i}");
        run(env.booting([
            "domain",
            "create",
            "--name",
            &name,
            "--network",
            "en",
            "-v",
            "ev:/v",
            "busybox",
            "--",
            "sh",
            "-c",
            forever,
        ]))
        .code(0);
        let id = json(&env, &["domain", "inspect", &name])["id"]
            .as_str()
            .unwrap()
            .to_string();
        let network_id: Value =
            serde_json::from_slice(&std::fs::read(state.join("networks/en/network.json")).unwrap())
                .unwrap();
        taps.insert(vicport::plumbing::local::network::tap_name(
            &vicport::plumbing::spec::DomainId(id),
            network_id["id"].as_str().unwrap(),
        ));
        run(env.booting(["domain", "start", &name])).code(0);
        run(env.vicport(["domain", "stop", "-t", "5", &name])).code(0);
        run(env.vicport(["domain", "rm", &name])).code(0);
    }
    let took = t.elapsed();
    settles(
        "the cycles' processes",
        || probe::processes_under(env.root()).is_empty(),
        || format!("{:?}", probe::processes_under(env.root())),
    );
    let bytes1 = probe::dir_bytes(&state, &journal);
    let entries1 = probe::dir_entries(&state);
    let (bridge1, table1, pool1) = network_host_side(&env, "en");
    let links1 = probe::links();
    let journal_bytes = std::fs::metadata(state.join("events.jsonl")).map_or(0, |m| m.len());
    report.row(
        &format!("state directory, bytes ({n_cycles} cycles; journal aside)"),
        bytes0,
        bytes1,
    );
    report.row("state directory, entries", entries0, entries1);
    report.row("event journal, bytes (rotates at 4 MiB)", "", journal_bytes);
    report.row(
        "the network's taps left on the host",
        "",
        taps.iter().filter(|t| links1.contains(*t)).count(),
    );
    report.row(
        "nftables table of the network, lines",
        table0.lines().count(),
        table1.lines().count(),
    );
    report.row(
        "cycle wall time",
        "",
        format!("{:.1} s each", took.as_secs_f64() / n_cycles as f64),
    );
    assert_eq!(bytes1, bytes0, "the state directory grew");
    assert_eq!(entries1, entries0, "files left in the state directory");
    let left: Vec<_> = taps.iter().filter(|t| links1.contains(*t)).collect();
    assert!(left.is_empty(), "taps left on the host: {left:?}");
    for tap in &taps {
        assert!(!links0.contains(tap));
    }
    assert_eq!(bridge1, bridge);
    if let Some(b) = &bridge {
        assert!(links1.contains(b), "the network's bridge {b} went away");
    }
    assert_eq!(table1, table0, "the network's nftables rules changed");
    assert_eq!(pool1, pool0, "addresses did not go back to the pool");
    report.finish(
        "local",
        &format!(
            "Local platform ({}, {} cores): {n_execs} execs on one domain, then {n_cycles} create/start/stop/rm cycles",
            if is_root() { "root, bridge network" } else { "rootless, socket network" },
            std::thread::available_parallelism().map_or(0, |n| n.get())
        ),
    );
    run(env.vicport(["volume", "rm", "ev"])).code(0);
    run(env.vicport(["network", "rm", "en"])).code(0);
}

/// The relay processes of a world (their command line names its cache).
fn relays(env: &Env) -> Vec<u32> {
    let cache = cache_dir(env);
    probe::processes_under(&cache)
        .into_iter()
        .map(|(pid, _)| pid)
        .collect()
}

#[test]
fn vsphere_execs_and_lifecycle_cycles_leak_nothing() {
    let (n_execs, n_cycles) = sizes();
    let (env, v) = crate::vsphere_live::world();
    let mut report = Report::default();

    // Exec sessions through one domain's relay.
    run(env.vicport([
        "run",
        "-d",
        "--name",
        "e1",
        "busybox",
        "--",
        "sh",
        "-c",
        "sleep 600",
    ]))
    .code(0);
    let guest = StandIn::start(&env, &v, "e1");
    execs(&env, "e1", warm_up(n_execs));
    let relay = match relays(&env)[..] {
        [pid] => pid,
        ref other => panic!("expected one relay, found {other:?}"),
    };
    let fds0 = steady(|| probe::fds(relay).unwrap());
    let rss0 = probe::rss_kib(relay).unwrap();
    let guest_fds0 = steady(|| probe::fds(guest.pid()).unwrap());
    let t = Instant::now();
    let quarters = execs_sampled(&env, "e1", n_execs, relay);
    let took = t.elapsed();
    settles(
        "the relay's fds",
        || probe::fds(relay).is_some_and(|n| n <= fds0),
        || probe::fd_targets(relay),
    );
    settles(
        "the stand-in tether's fds",
        || probe::fds(guest.pid()).is_some_and(|n| n <= guest_fds0),
        || probe::fd_targets(guest.pid()),
    );
    assert_eq!(relays(&env), [relay], "one relay all along");
    report.row(
        &format!("relay fds ({n_execs} execs)"),
        fds0,
        probe::fds(relay).unwrap(),
    );
    report.row(
        "stand-in tether fds",
        guest_fds0,
        probe::fds(guest.pid()).unwrap(),
    );
    report.memory_kept("relay", relay, rss0, &quarters, took);
    run(env.vicport(["domain", "stop", "-t", "2", "e1"])).code(0);
    drop(guest);
    run(env.vicport(["domain", "rm", "e1"])).code(0);
    settles(
        "the relay",
        || relays(&env).is_empty(),
        || format!("{:?}", relays(&env)),
    );

    // Cycles: the client side keeps nothing per domain once it is removed
    // (relay directories, cached facts), and vCenter keeps no VM.
    let cache = cache_dir(&env);
    let bytes0 = probe::dir_bytes(&cache, &[]);
    let entries0 = probe::dir_entries(&cache);
    let t = Instant::now();
    for i in 0..n_cycles {
        let name = format!("c{i}");
        run(env.vicport([
            "domain",
            "create",
            "--name",
            &name,
            "busybox",
            "--",
            "sh",
            "-c",
            "sleep 600",
        ]))
        .code(0);
        run(env.vicport(["domain", "start", &name])).code(0);
        let guest = StandIn::start(&env, &v, &name);
        run(env.vicport(["exec", &name, "--", "true"])).code(0);
        run(env.vicport(["domain", "stop", "-t", "2", &name])).code(0);
        drop(guest);
        run(env.vicport(["domain", "rm", &name])).code(0);
    }
    let took = t.elapsed();
    settles(
        "the cycles' relays",
        || relays(&env).is_empty(),
        || format!("{:?}", relays(&env)),
    );
    let bytes1 = probe::dir_bytes(&cache, &[]);
    let entries1 = probe::dir_entries(&cache);
    report.row(
        &format!("client cache, bytes ({n_cycles} cycles)"),
        bytes0,
        bytes1,
    );
    report.row("client cache, entries", entries0, entries1);
    report.row(
        "cycle wall time",
        "",
        format!("{:.2} s each", took.as_secs_f64() / n_cycles as f64),
    );
    assert_eq!(
        entries1,
        entries0,
        "files left in {}: {}",
        cache.display(),
        probe::tree(&cache)
    );
    assert_eq!(bytes1, bytes0, "{} grew", cache.display());
    assert_eq!(json(&env, &["domain", "ls"]), serde_json::json!([]));
    report.finish(
        "vsphere",
        &format!(
            "vSphere (vcsim, a `tether serve` per guest): {n_execs} execs on one domain, then {n_cycles} create/start/exec/stop/rm cycles"
        ),
    );
    log_out(&env);
}
