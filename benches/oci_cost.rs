//! What a containerVM costs against a process container, measured in one
//! run (issue 15, item 6):
//!
//! - `podman --runtime vicport run --rm IMG true` against `vicport run --rm
//!   IMG -- true` (podman and conmon's overhead on top of vicport's own
//!   run; the goal is ≤ 1.2×) and against `podman --runtime crun run --rm
//!   IMG true` (the price of a VM), interleaved rounds, medians;
//! - host memory per running containerVM under podman: the resident (RSS)
//!   and proportional (PSS) memory of every process vicport runs for it
//!   (the shim conmon watches and its descendants: the monitor, QEMU,
//!   virtiofsd), summed, 20 s after `run -d`; medians of several, against
//!   Kata Containers' published ~123 MB per container.
//!
//! Podman runs with `--network=none`, its own storage, and a private
//! containers.conf with the rlimits this kind of host allows; crun needs
//! a v1 hugetlb hierarchy here (see the OCI facts notes).
//!
//! `cargo bench --bench oci_cost`; `VICPORT_BENCH_ROUNDS` (5) timing
//! rounds, `VICPORT_COST_CONTAINERS` (3) memory repetitions. The table
//! goes to stdout and to `target/bench/oci_cost.md`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::host::{Mem, accelerator, clean, crun_hybrid_cgroups, mem_of};
use common::{env_usize, median, rounds, run_ok, static_tether, target_dir};
use vicport::plumbing::image::fixtures;

/// Kata Containers' published host memory per container (QEMU, shim and
/// virtiofsd), MB.
const KATA_MB: f64 = 123.0;

/// How long a running containerVM settles before its memory is read.
const SETTLE: Duration = Duration::from_secs(20);

/// podman's image (the busybox root filesystem).
const IMAGE: &str = "localhost/cost-busybox:latest";

struct World {
    dir: PathBuf,
    state: PathBuf,
    cache: PathBuf,
    tether: PathBuf,
}

impl World {
    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("VICPORT_STATE_DIR", self.state.clone()),
            ("VICPORT_CACHE_DIR", self.cache.clone()),
            ("VICPORT_TETHER", self.tether.clone()),
            ("XDG_CONFIG_HOME", self.dir.join("config")),
        ]
    }

    fn vicport(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vicport"));
        cmd.envs(self.env())
            .env_remove("VICPORT_TARGET")
            .env_remove("VICPORT_OUTPUT")
            .stdout(Stdio::null());
        cmd
    }

    /// `podman --runtime RUNTIME …` with this run's storage and config.
    fn podman(&self, runtime: &str) -> Command {
        let p = self.dir.join("podman");
        let mut cmd = Command::new("podman");
        cmd.env("CONTAINERS_CONF", p.join("containers.conf"))
            .env("TMPDIR", p.join("tmp"))
            .arg("--root")
            .arg(p.join("storage"))
            .arg("--runroot")
            .arg(p.join("run"))
            .arg("--tmpdir")
            .arg(p.join("tmp"))
            .args(["--cgroup-manager", "cgroupfs", "--events-backend", "file"])
            .args(["--runtime", runtime])
            .stdout(Stdio::null());
        cmd
    }

    /// vicport-runc for podman: a script that gives it this run's
    /// directories, and containers.conf naming it `vicport`.
    fn register(&self) {
        let p = self.dir.join("podman");
        std::fs::create_dir_all(p.join("tmp")).unwrap();
        std::fs::create_dir_all(p.join("bin")).unwrap();
        let runc = p.join("bin/vicport-runc");
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_vicport"), &runc).unwrap();
        let mut script = String::from("#!/bin/sh\n");
        for (k, v) in self.env() {
            script.push_str(&format!("export {k}='{}'\n", v.display()));
        }
        script.push_str(&format!(
            "exec '{}' --root '{}' \"$@\"\n",
            runc.display(),
            p.join("oci-root").display()
        ));
        let wrapper = p.join("vicport");
        std::fs::write(&wrapper, script).unwrap();
        std::fs::set_permissions(
            &wrapper,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        std::fs::write(
            p.join("containers.conf"),
            format!(
                "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n\
                 [engine]\nruntime_supports_json = [\"crun\", \"runc\", \"vicport\"]\n\
                 runtime_supports_kvm = [\"vicport\"]\n\
                 [engine.runtimes]\nvicport = [\"{}\"]\n",
                wrapper.display()
            ),
        )
        .unwrap();
    }
}

/// One timed command that must succeed.
fn timed(cmd: &mut Command) -> Duration {
    let started = Instant::now();
    run_ok(cmd);
    started.elapsed()
}

/// `pid`'s descendants (not itself).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // pid (comm) state ppid …: comm may hold spaces, so after the ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u32>().ok());
        if let Some(pp) = ppid {
            parent_of.push((p, pp));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let at = found[i];
        found.extend(
            parent_of
                .iter()
                .filter(|(_, pp)| *pp == at)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// The memory of one running containerVM under podman: every process
/// below its conmon (the shim and what it runs), and their names.
fn containervm_memory(w: &World, name: &str) -> (Mem, Vec<String>) {
    run_ok(w.podman("vicport").args([
        "run",
        "-d",
        "--network=none",
        "--name",
        name,
        IMAGE,
        "/bin/busybox",
        "sleep",
        "36000",
    ]));
    std::thread::sleep(SETTLE);
    let out = run_ok(
        w.podman("vicport")
            .args([
                "inspect",
                "--format",
                "{{.State.ConmonPid}} {{.State.Status}}",
                name,
            ])
            .stdout(Stdio::piped()),
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let (conmon, status) = said.trim().split_once(' ').unwrap_or_default();
    assert_eq!(status, "running", "{name} does not run: {said}");
    let pids = descendants(conmon.parse().unwrap());
    let mut names: Vec<String> = pids
        .iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/comm")).ok())
        .map(|c| c.trim().to_string())
        .collect();
    names.sort();
    names.dedup();
    let mem = mem_of(&pids);
    run_ok(w.podman("vicport").args(["rm", "-f", "-t", "0", name]));
    (mem, names)
}

fn median_kib(v: &[u64]) -> u64 {
    let mut v = v.to_vec();
    v.sort_unstable();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let r = rounds(5);
    let n = env_usize("VICPORT_COST_CONTAINERS", 3);
    let dir = target_dir().join("bench/oci_cost");
    clean(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let w = World {
        state: dir.join("state"),
        cache: target_dir().join("test-cache"),
        tether: static_tether(),
        dir: dir.clone(),
    };
    eprintln!("the boot image and the busybox image (vicport and podman)...");
    run_ok(
        w.vicport()
            .args(["-q", "system", "bootstrap", "--no-iso", "--kernel", "cloud"]),
    );
    let rootfs = fixtures::rootfs_tar(&dir, false).unwrap();
    run_ok(
        w.vicport()
            .args(["image", "import"])
            .arg(&rootfs.path)
            .args(["--name", "busybox"]),
    );
    w.register();
    crun_hybrid_cgroups();
    // The fixture's tar gives its hard link /bin/true mode 0644, which
    // podman's import applies to the inode it shares with busybox (crun:
    // "open executable: Permission denied"); GNU tar, extracting and
    // writing it again, gives the link the file's mode.
    let tree = dir.join("podman-rootfs");
    std::fs::create_dir_all(&tree).unwrap();
    run_ok(
        Command::new("tar")
            .arg("-xf")
            .arg(&rootfs.path)
            .arg("-C")
            .arg(&tree),
    );
    let podman_tar = dir.join("podman-rootfs.tar");
    run_ok(
        Command::new("tar")
            .arg("-C")
            .arg(&tree)
            .arg("-cf")
            .arg(&podman_tar)
            .arg("."),
    );
    run_ok(
        w.podman("crun")
            .args(["import", "--change", "ENV PATH=/bin"])
            .arg(&podman_tar)
            .arg(IMAGE),
    );
    let accel = accelerator(&mut w.vicport());

    eprintln!("`run --rm … true` three ways, {r} rounds interleaved...");
    let (mut engine, mut own, mut crun) = (Vec::new(), Vec::new(), Vec::new());
    let podman_rm = |runtime: &str| {
        let mut cmd = w.podman(runtime);
        cmd.args([
            "run",
            "--rm",
            "--network=none",
            IMAGE,
            "/bin/busybox",
            "true",
        ]);
        cmd
    };
    // One of each first, unmeasured: podman's first run sets up its
    // storage, vicport's its caches.
    run_ok(&mut podman_rm("crun"));
    run_ok(&mut podman_rm("vicport"));
    run_ok(
        w.vicport()
            .args(["run", "--rm", "busybox", "--", "/bin/busybox", "true"]),
    );
    for _ in 0..r {
        engine.push(timed(&mut podman_rm("vicport")));
        own.push(timed(w.vicport().args([
            "run",
            "--rm",
            "busybox",
            "--",
            "/bin/busybox",
            "true",
        ])));
        crun.push(timed(&mut podman_rm("crun")));
    }

    eprintln!(
        "{n} running containerVMs under podman, one at a time, {}s settled...",
        SETTLE.as_secs()
    );
    let (mut rss, mut pss, mut names) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let (m, who) = containervm_memory(&w, &format!("cost{i}"));
        rss.push(m.rss);
        pss.push(m.pss);
        names = who;
    }
    let _ = w.podman("vicport").args(["rm", "-f", "--all"]).output();

    let (e, o, c) = (median(&engine), median(&own), median(&crun));
    let (rss, pss) = (
        median_kib(&rss) as f64 / 1024.0,
        median_kib(&pss) as f64 / 1024.0,
    );
    let mb = |mib: f64| mib * 1.048576;
    let mut table = format!(
        "The cost of a containerVM; accelerator {accel}; medians of {r} interleaved rounds and of {n} containers:\n\n\
         | measurement | vicport | baseline | ratio |\n|---|---|---|---|\n"
    );
    table.push_str(&format!(
        "| `podman --runtime vicport run --rm IMG true` against `vicport run --rm IMG -- true` (the engine's overhead) | {:.0} ms | {:.0} ms | {:.2} |\n",
        ms(e), ms(o), e.as_secs_f64() / o.as_secs_f64()
    ));
    table.push_str(&format!(
        "| `podman --runtime vicport run --rm IMG true` against `podman --runtime crun run --rm IMG true` (the price of a VM) | {:.0} ms | {:.0} ms | {:.1} |\n",
        ms(e), ms(c), e.as_secs_f64() / c.as_secs_f64()
    ));
    table.push_str(&format!(
        "| host memory per running containerVM, RSS summed ({}) against Kata's published ~{KATA_MB:.0} MB | {:.1} MB | {KATA_MB:.0} MB | {:.2} |\n",
        names.join(", "), mb(rss), mb(rss) / KATA_MB
    ));
    table.push_str(&format!(
        "| the same, PSS summed (shared pages split among the processes that map them) | {:.1} MB | {KATA_MB:.0} MB | {:.2} |\n",
        mb(pss), mb(pss) / KATA_MB
    ));
    println!("{table}");
    let out = target_dir().join("bench/oci_cost.md");
    std::fs::write(&out, &table).unwrap();
    eprintln!("written to {}", out.display());
    let _ = w.podman("crun").args(["rm", "-f", "--all"]).output();
    clean(&dir);
}
