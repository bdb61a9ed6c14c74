//! The OCI runtime spec's own conformance suite (opencontainers/runtime-tools
//! `validation/`, built offline by `../shared/peers/oci-validation`) run
//! against the built `vicport-runc`, one containerVM per test program. The
//! programs a VM runtime must pass are listed here; the README says why the
//! others do not apply, and which of these cannot pass and why.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::support::{Env, run};

/// Lifecycle, CLI and hooks programs: each must pass.
const LIFECYCLE: &[&str] = &[
    "config_updates_without_affect",
    "create",
    "state",
    "delete",
    "delete_only_create_resources",
    "kill",
    "kill_no_effect",
    "pidfile",
    "hooks_stdin",
    "prestart_fail",
    "poststart_fail",
    "poststop",
    "poststop_fail",
];

/// Programs that check the container from inside (`runtimetest` in the
/// guest): each must pass.
const INSIDE: &[&str] = &[
    "default",
    "hostname",
    "root_readonly_true",
    "process",
    "process_user",
    "process_oom_score_adj",
    "process_capabilities",
    "linux_masked_paths",
    "linux_readonly_paths",
    "linux_seccomp",
    "linux_sysctl",
    "linux_rootfs_propagation",
    "mounts",
    "linux_devices",
    "linux_uid_mappings",
];

/// Programs that pass by exiting 0 without a word of TAP (they only
/// check that `create` refuses a bad config, and say nothing then), which
/// the runner counts as failed for want of a plan: these pass on exit 0
/// with an empty TAP output.
const SILENT_ON_SUCCESS: &[&str] = &["process_rlimits_fail", "process_capabilities_fail"];

/// Programs that cannot pass, with the diagnostic each fails with (the
/// README says why). Each is run and must fail exactly so: a fix in the
/// suite or in vicport that makes one pass, or fail otherwise, is noticed
/// and the program moves up.
const CANNOT_PASS: &[(&str, &str)] = &[
    // The suite's own bugs, for every runtime (crun included):
    // asserts the opposite of its message (passes only if `start` of a
    // container without a process succeeds);
    (
        "start",
        "not ok 7 - `start` operation MUST generate an error if `process` was not set",
    ),
    // compares the output with "post-start1\n…" while its hooks write
    // "post-start1 called\n…";
    ("hooks", "Hooks MUST be called in the listed order"),
    // checks runtime-spec 1.0.1's timing (prestart in `start`), where
    // 1.0.2, which vicport implements as runc and crun do, runs it in
    // `create`;
    (
        "prestart",
        "Pre-start hooks MUST be called after the `start` operation is called",
    ),
    // runs the default process, /runtimetest, without putting it in the
    // bundle: runtimes that check the program at `create` (crun, runc,
    // vicport: podman's exit 127 relies on it) fail its first case;
    (
        "misc_props",
        "not ok 1 - implementations that are reading/processing this configuration file MUST NOT generate an error if they encounter an unknown annotation key",
    ),
    // runtimetest, built with Go 1.19, raises its own soft RLIMIT_NOFILE
    // to the hard limit before it checks it.
    (
        "process_rlimits",
        "not ok 13 - has expected soft RLIMIT_NOFILE",
    ),
];

/// Programs whose outcome is a race that the slower start of a process
/// in a TCG guest loses more often than not: `killsig` signals the
/// process as soon as `state` says running, before its shell has set its
/// trap; `poststart` wants the process's first write on disk before the
/// poststart hook's. Each is run and reported, and a failure is run once
/// more; it fails the test only if it fails otherwise.
const RACES: &[(&str, &str)] = &[
    (
        "killsig",
        "`kill` operation MUST send the specified signal to the container process",
    ),
    (
        "poststart",
        "The post-start hooks MUST be called after the user-specified process is executed",
    ),
];

/// Programs flaky for crun too (see the facts of the OCI runtime): a
/// failure is run once more.
const FLAKY_FOR_CRUN: &[&str] = &["killsig", "poststart_fail"];

/// The suite's runner: `VICPORT_OCI_VALIDATION`, else the shared peers'
/// next to the workspace.
fn runner() -> PathBuf {
    std::env::var_os("VICPORT_OCI_VALIDATION")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers/oci-validation")
        })
}

/// `vicport-runc` for `env`: a script that points vicport at the test's
/// directories (the suite passes its environment on, but no `--root`) and
/// runs the binary by that name.
fn runtime(env: &Env) -> PathBuf {
    crate::support::runtime::runc_wrapper(env, &env.root().join("runtime"), Some(&oci_root(env)))
}

fn oci_root(env: &Env) -> PathBuf {
    env.root().join("oci-root")
}

/// The suite's bundles in /tmp.
fn bundles() -> BTreeSet<PathBuf> {
    std::fs::read_dir("/tmp")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("ocitest"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Run `tests` through the runner; each program's line ("ok   NAME" or
/// "FAIL NAME (…) why").
fn suite(runtime: &Path, out: &Path, tests: &[&str]) -> Vec<(String, bool, String)> {
    let mut cmd = Command::new(runner());
    cmd.arg(runtime).args(tests).env("OUT", out).env(
        "OCI_VALIDATION_CACHE",
        crate::support::target_dir().join("oci-validation-cache"),
    );
    let outcome = run(cmd);
    assert!(
        outcome.stdout.contains(" passed, "),
        "the conformance suite did not run (exit {}):\n{}{}",
        outcome.code,
        outcome.stdout,
        outcome.stderr
    );
    outcome
        .stdout
        .lines()
        .filter_map(|l| {
            if let Some(name) = l.strip_prefix("ok   ") {
                return Some((name.trim().to_string(), true, String::new()));
            }
            let rest = l.strip_prefix("FAIL ")?;
            let (name, why) = rest.split_once(' ').unwrap_or((rest, ""));
            Some((name.to_string(), false, why.to_string()))
        })
        .collect()
}

/// Take away what the suite leaves behind: containers still recorded
/// (their VMs, shims and virtiofsd), its bundles, mounts in them.
fn clean(env: &Env, runtime: &Path, before: &BTreeSet<PathBuf>) {
    if let Ok(ids) = std::fs::read_dir(oci_root(env)) {
        for id in ids.filter_map(|e| e.ok()) {
            let mut cmd = Command::new(runtime);
            cmd.args(["delete", "--force"]).arg(id.file_name());
            run(cmd);
        }
    }
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mut points: Vec<&str> = mounts
        .lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter(|m| m.starts_with("/tmp/ocitest"))
        .collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    for m in points {
        let _ = Command::new("umount").args(["-l", m]).status();
    }
    for b in bundles().difference(before) {
        let _ = std::fs::remove_dir_all(b);
    }
}

/// Report what was measured or raced (shown with --nocapture).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn the_runtime_conformance_suite_passes_against_vicport_runc() {
    assert!(
        runner().exists(),
        "the conformance suite's runner {} is missing (set VICPORT_OCI_VALIDATION)",
        runner().display()
    );
    let env = Env::new();
    env.ensure_boot_image();
    let runtime = runtime(&env);
    // The TAP output outlives the test's world, to be read after a
    // failure (it is removed after a pass).
    let out = crate::support::target_dir()
        .join("oci-conformance")
        .join(crate::support::unique("run"));
    let began = Instant::now();
    // One run at a time: runs share the suite's build (in the target
    // directory, not each world's home) and /tmp/ocitest*.
    crate::support::locked("oci-conformance", || {
        check(&env, &runtime, &out, began);
    });
    let _ = std::fs::remove_dir_all(&out);
}

/// Run the suite and judge each program; panics naming those that failed.
fn check(env: &Env, runtime: &Path, out: &Path, began: Instant) {
    let before = bundles();

    let mut all: Vec<&str> = LIFECYCLE
        .iter()
        .chain(INSIDE)
        .chain(SILENT_ON_SUCCESS)
        .copied()
        .collect();
    all.extend(CANNOT_PASS.iter().chain(RACES).map(|(n, _)| *n));
    let first = suite(runtime, out, &all);
    let again: Vec<&str> = first
        .iter()
        .filter(|(n, ok, _)| !ok && FLAKY_FOR_CRUN.contains(&n.as_str()))
        .map(|(n, _, _)| n.as_str())
        .collect();
    let second = if again.is_empty() {
        Vec::new()
    } else {
        suite(runtime, &out.join("again"), &again)
    };
    clean(env, runtime, &before);
    let took = began.elapsed();
    say(&format!(
        "the conformance suite took {:.0} s",
        took.as_secs_f64()
    ));

    let passed = |name: &str| {
        second
            .iter()
            .chain(&first)
            .find(|(n, _, _)| n == name)
            .map(|(_, ok, why)| (*ok, why.clone()))
    };
    let mut failures = Vec::new();
    for name in LIFECYCLE.iter().chain(INSIDE) {
        match passed(name) {
            Some((true, _)) => {}
            Some((false, why)) => failures.push(format!("{name}: {why}")),
            None => failures.push(format!("{name}: not run")),
        }
    }
    for name in SILENT_ON_SUCCESS {
        let tap = std::fs::read_to_string(out.join(format!("{name}.tap"))).unwrap_or_default();
        match passed(name) {
            Some((true, _)) => {}
            Some((false, why)) if why.starts_with("(rc 0)") && tap.trim().is_empty() => {}
            Some((false, why)) => failures.push(format!("{name}: {why}")),
            None => failures.push(format!("{name}: not run")),
        }
    }
    let tap = |name: &str| {
        let again = out.join("again").join(format!("{name}.tap"));
        std::fs::read_to_string(&again)
            .or_else(|_| std::fs::read_to_string(out.join(format!("{name}.tap"))))
            .unwrap_or_default()
    };
    for (name, diagnostic) in CANNOT_PASS {
        match passed(name) {
            Some((false, _)) if tap(name).contains(diagnostic) => {}
            Some((true, _)) => failures.push(format!(
                "{name}: passes now: move it to the programs that must pass"
            )),
            _ => failures.push(format!(
                "{name}: did not fail with its known diagnostic {diagnostic:?}"
            )),
        }
    }
    for (name, diagnostic) in RACES {
        match passed(name) {
            Some((true, _)) => say(&format!("{name}: passed (it races)")),
            Some((false, _)) if tap(name).contains(diagnostic) => {
                say(&format!("{name}: lost its race"))
            }
            _ => failures.push(format!(
                "{name}: failed otherwise than by its race ({diagnostic:?})"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "conformance programs failed (TAP output in {}):\n{}",
        out.display(),
        failures.join("\n")
    );
}
