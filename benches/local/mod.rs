//! Rows of the local benchmark kept apart from its main flow: a bare
//! boot and power-off (the baseline of `run --rm`), 8 `run --rm` at once
//! against 8 one after another, and the tether's boot timeline as
//! `domain inspect` shows it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Spawn-to-exit time of QEMU booting the trivial init, which says its line
/// and powers off: a bare boot and power-off.
pub fn boot_and_power_off(mut child: std::process::Child, started: Instant) -> Duration {
    loop {
        if let Some(status) = child.try_wait().expect("waiting for QEMU") {
            assert!(status.success(), "QEMU ended with {status}");
            return started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the trivial init did not power off within 120 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// How long `count` commands take all started at once, and one after
/// another (interleaved over `rounds`): (at once, in sequence).
pub fn concurrent_and_sequential(
    make: &dyn Fn() -> Command,
    count: usize,
    rounds: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut at_once, mut in_turn) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        for _ in 0..count {
            super::common::run_ok(make().stdout(Stdio::null()));
        }
        in_turn.push(started.elapsed());
        let started = Instant::now();
        let children: Vec<_> = (0..count)
            .map(|_| {
                make()
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("starting vicport")
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().expect("waiting for vicport");
            assert!(
                out.status.success(),
                "a concurrent run failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        at_once.push(started.elapsed());
    }
    (at_once, in_turn)
}

/// The boot timeline `domain inspect` shows for a domain: (step, ms since
/// the kernel started, ms the step took).
pub fn boot_timeline(mut vicport: Command, name: &str) -> Vec<(String, f64, f64)> {
    let out = super::common::run_ok(vicport.args(["-o", "json", "domain", "inspect", name]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("inspect's JSON");
    v["boot_timeline"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .map(|s| {
                    (
                        s["step"].as_str().unwrap_or_default().to_string(),
                        s["at_ms"].as_f64().unwrap_or_default(),
                        s["took_ms"].as_f64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The per-step medians of several timelines, as a report line.
pub fn timeline_line(timelines: &[Vec<(String, f64, f64)>]) -> String {
    let Some(first) = timelines.first() else {
        return "no boot timeline (the console had none)".into();
    };
    let mut parts = Vec::new();
    for (i, (step, _, _)) in first.iter().enumerate() {
        let mut took: Vec<f64> = timelines
            .iter()
            .filter_map(|t| t.get(i).map(|s| s.2))
            .collect();
        took.sort_by(f64::total_cmp);
        parts.push(format!("{step} {:.1}", took[took.len() / 2]));
    }
    parts.join(", ")
}
