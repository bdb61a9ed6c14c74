//! How much host memory a containerVM costs, measured in one run:
//!
//! - 16 idle busybox domains (`vicport run -d busybox -- busybox sleep`), started
//!   one after the other on the local platform: per domain, the sum of
//!   QEMU's and its monitor's resident memory (RSS), their proportional
//!   share (PSS: shared pages split among the processes that map them),
//!   and the host's used memory (MemTotal - MemAvailable) before and
//!   after, all read once the guests have settled; and QEMU's RSS split
//!   into the guest's RAM, TCG's translation cache and the rest. Once with
//!   the cloud kernel, once with the microVM kernel;
//! - the same for `podman run -d` with crun (a process container), as the
//!   reference line;
//! - what TCG's smaller translation cache costs: `vicport run --rm busybox
//!   -- true` with vicport's tb-size against QEMU's default (1 GiB),
//!   interleaved rounds, as a ratio.
//!
//! `cargo bench --bench density`; `VICPORT_DENSITY_DOMAINS` (16),
//! `VICPORT_BENCH_ROUNDS` (5). The table goes to stdout and to
//! `target/bench/density.md`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::host::{Mem, accelerator, clean, crun_hybrid_cgroups, mem_of, probe};
use common::{env_usize, median, rounds, run_ok, static_tether, target_dir};
use vicport::plumbing::image::fixtures;
use vicport::plumbing::local::qemu::TCG_TB_SIZE_MB;

/// How long the guests get to settle (boot, free what the boot used, and
/// report it) before memory is read.
const SETTLE: Duration = Duration::from_secs(30);

/// Where a QEMU's resident memory is, KiB.
#[derive(Debug, Default, Clone, Copy)]
struct QemuSplit {
    /// The guest's RAM (the mapping as large as `-m`).
    guest: u64,
    /// TCG's translation cache (the executable anonymous mappings).
    tcg: u64,
    /// Everything else: QEMU's heap, code and libraries, ROM copies of the
    /// kernel and initramfs.
    rest: u64,
}

impl std::ops::AddAssign for QemuSplit {
    fn add_assign(&mut self, o: QemuSplit) {
        self.guest += o.guest;
        self.tcg += o.tcg;
        self.rest += o.rest;
    }
}

/// The split of a QEMU whose guest has `memory_kib` of RAM, from smaps.
fn qemu_split(pid: u32, memory_kib: u64) -> Option<QemuSplit> {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).ok()?;
    let mut split = QemuSplit::default();
    let (mut header, mut size) = (String::new(), 0);
    for line in smaps.lines() {
        if let Some(kib) = line.strip_prefix("Size:") {
            size = kib.trim().trim_end_matches(" kB").parse().unwrap_or(0);
        } else if let Some(kib) = line.strip_prefix("Rss:") {
            let rss: u64 = kib.trim().trim_end_matches(" kB").parse().unwrap_or(0);
            let perms = header.split_whitespace().nth(1).unwrap_or("");
            if size == memory_kib {
                split.guest += rss;
            } else if perms.starts_with("rwx") {
                split.tcg += rss;
            } else {
                split.rest += rss;
            }
        } else if line
            .split_whitespace()
            .next()
            .is_some_and(|f| f.contains('-'))
        {
            header = line.to_string();
        }
    }
    Some(split)
}

fn is_qemu(pid: u32) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .is_ok_and(|p| p.to_string_lossy().contains("qemu-system"))
}

/// The host's used memory, KiB: what MemAvailable says is not available.
fn host_used() -> u64 {
    probe::host_used_kib().expect("reading /proc/meminfo")
}

/// Every live process whose command line or working directory mentions
/// `path`.
fn processes_under(path: &Path) -> Vec<u32> {
    probe::processes_under(path)
        .into_iter()
        .map(|(pid, _)| pid)
        .collect()
}

/// What `n` idle containers cost, per container.
struct Cost {
    n: usize,
    mem: Mem,
    host_used: u64,
    /// vicport's domains: QEMU's RSS, split.
    split: Option<QemuSplit>,
}

impl Cost {
    fn per(&self, v: u64) -> String {
        format!("{:.1} MiB", v as f64 / 1024.0 / self.n as f64)
    }
}

struct World {
    dir: PathBuf,
    state: PathBuf,
    cache: PathBuf,
    tether: PathBuf,
}

impl World {
    fn vicport(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vicport"));
        cmd.env("VICPORT_STATE_DIR", &self.state)
            .env("VICPORT_CACHE_DIR", &self.cache)
            .env("VICPORT_TETHER", &self.tether)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env_remove("VICPORT_TARGET")
            .env_remove("VICPORT_OUTPUT")
            .env_remove("VICPORT_TCG_TB_SIZE")
            .stdout(Stdio::null());
        cmd
    }
}

fn vicport_domains(w: &World, n: usize) -> Cost {
    let before = host_used();
    for i in 0..n {
        run_ok(w.vicport().args([
            "run",
            "-d",
            "--name",
            &format!("idle{i}"),
            "busybox",
            "--",
            "busybox",
            "sleep",
            "36000",
        ]));
    }
    std::thread::sleep(SETTLE);
    // Every domain still runs: an idle one, not one whose process ended.
    let listed = run_ok(
        w.vicport()
            .args(["-o", "json", "domain", "ls"])
            .stdout(Stdio::piped()),
    )
    .stdout;
    let listed: serde_json::Value = serde_json::from_slice(&listed).unwrap();
    let running = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "running")
        .count();
    assert_eq!(running, n, "idle domains that still run: {listed}");
    let pids = processes_under(&w.state.join("domains"));
    assert!(!pids.is_empty(), "no QEMU or monitor found for the domains");
    let memory_kib = vicport::plumbing::spec::DomainSpec::DEFAULT_MEMORY_MB * 1024;
    let mut split = QemuSplit::default();
    for pid in pids.iter().filter(|p| is_qemu(**p)) {
        split += qemu_split(*pid, memory_kib).unwrap_or_default();
    }
    let cost = Cost {
        n,
        mem: mem_of(&pids),
        host_used: host_used().saturating_sub(before),
        split: Some(split),
    };
    let names: Vec<String> = (0..n).map(|i| format!("idle{i}")).collect();
    run_ok(w.vicport().args(["domain", "rm", "-f"]).args(&names));
    cost
}

/// Podman with crun, in its own storage, with the rlimits this kind of
/// machine allows (see the OCI facts notes).
fn podman(dir: &Path) -> Command {
    let conf = dir.join("containers.conf");
    if !conf.exists() {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(
            &conf,
            "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n",
        )
        .unwrap();
    }
    let mut cmd = Command::new("podman");
    cmd.arg("--root")
        .arg(dir.join("root"))
        .arg("--runroot")
        .arg(dir.join("runroot"))
        .args(["--runtime", "crun", "--cgroup-manager", "cgroupfs"])
        .env("CONTAINERS_CONF", &conf)
        .stdout(Stdio::null());
    cmd
}

/// The reference line: `n` idle process containers under podman with
/// crun (conmon + the process), or, where podman cannot start one on this
/// host, under crun alone (the process), said in the table.
fn reference_containers(dir: &Path, n: usize) -> Option<(String, Cost)> {
    if Command::new("crun").arg("--version").output().is_err() {
        eprintln!("crun is not installed: no reference line");
        return None;
    }
    crun_hybrid_cgroups();
    std::fs::create_dir_all(dir).unwrap();
    let rootfs = fixtures::rootfs_tar(dir, false).unwrap();
    let podman_works = Command::new("podman").arg("--version").output().is_ok()
        && podman(dir)
            .arg("import")
            .arg(&rootfs.path)
            .arg(IMAGE)
            .status()
            .is_ok_and(|s| s.success())
        && {
            let out = podman(dir)
                .args(["run", "--rm", IMAGE, "/bin/busybox", "true"])
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            if !out.status.success() {
                eprintln!(
                    "podman cannot run a container here ({}): measuring crun alone",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            out.status.success()
        };
    let before = host_used();
    let label = if podman_works {
        for i in 0..n {
            run_ok(podman(dir).args([
                "run",
                "-d",
                "--name",
                &format!("idle{i}"),
                IMAGE,
                "/bin/busybox",
                "sleep",
                "36000",
            ]));
        }
        "podman + crun (conmon + process)"
    } else {
        let bundle = crun_bundle(dir, &rootfs.path);
        for i in 0..n {
            // The container keeps what it inherits open: no pipes to wait on.
            let started = Command::new("crun")
                .arg("--root")
                .arg(dir.join("crun-state"))
                .args(["run", "--detach", "--bundle"])
                .arg(&bundle)
                .arg(format!("density-idle{i}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(started.success(), "crun could not start a container");
        }
        "crun alone (the process; podman could not run here)"
    };
    std::thread::sleep(Duration::from_secs(5));
    // conmon (under podman's run root) and the containers' processes.
    let pids = processes_under(&dir.join("runroot"))
        .into_iter()
        .chain(sleepers())
        .collect::<Vec<_>>();
    let cost = Cost {
        n,
        mem: mem_of(&pids),
        host_used: host_used().saturating_sub(before),
        split: None,
    };
    if podman_works {
        let _ = podman(dir).args(["rm", "-f", "--all"]).output();
    } else {
        for i in 0..n {
            let _ = Command::new("crun")
                .arg("--root")
                .arg(dir.join("crun-state"))
                .args(["delete", "--force", &format!("density-idle{i}")])
                .output();
        }
    }
    Some((label.to_string(), cost))
}

/// An OCI bundle running `busybox sleep 36000`, from `crun spec`.
fn crun_bundle(dir: &Path, rootfs_tar: &Path) -> PathBuf {
    let bundle = dir.join("bundle");
    let _ = std::fs::remove_dir_all(&bundle);
    std::fs::create_dir_all(bundle.join("rootfs")).unwrap();
    run_ok(
        Command::new("tar")
            .arg("-xf")
            .arg(rootfs_tar)
            .arg("-C")
            .arg(bundle.join("rootfs")),
    );
    run_ok(Command::new("crun").arg("spec").current_dir(&bundle));
    let path = bundle.join("config.json");
    let mut spec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    spec["process"]["terminal"] = false.into();
    spec["process"]["args"] = serde_json::json!(["/bin/busybox", "sleep", "36000"]);
    std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
    bundle
}

/// The podman reference's image: the busybox root filesystem.
const IMAGE: &str = "localhost/density-busybox:latest";

/// The `busybox sleep 36000` processes of the podman containers.
fn sleepers() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c == b"/bin/busybox\x00sleep\x0036000\x00")
        })
        .collect()
}

fn run_rm(w: &World, tb_size: Option<u32>) -> Duration {
    let mut cmd = w.vicport();
    cmd.args(["run", "--rm", "busybox", "--", "true"]);
    if let Some(mb) = tb_size {
        cmd.env("VICPORT_TCG_TB_SIZE", mb.to_string());
    }
    let started = Instant::now();
    run_ok(&mut cmd);
    started.elapsed()
}

fn main() {
    let n = env_usize("VICPORT_DENSITY_DOMAINS", 16);
    let r = rounds(5);
    let dir = target_dir().join("bench/density");
    clean(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let w = World {
        state: dir.join("state"),
        cache: target_dir().join("test-cache"),
        tether: static_tether(),
        dir: dir.clone(),
    };
    eprintln!(
        "the boot images (the microVM kernel compiles once, minutes) and the busybox image..."
    );
    let use_kernel = |flavour: &str| {
        run_ok(
            w.vicport()
                .args(["-q", "system", "bootstrap", "--no-iso", "--kernel", flavour]),
        );
    };
    use_kernel("microvm");
    use_kernel("cloud");
    let rootfs = fixtures::rootfs_tar(&dir, false).unwrap();
    run_ok(
        w.vicport()
            .args(["image", "import"])
            .arg(&rootfs.path)
            .args(["--name", "busybox"]),
    );
    let accel = accelerator(&mut w.vicport());

    eprintln!("{n} idle vicport domains, cloud kernel...");
    let ours = vicport_domains(&w, n);
    eprintln!("{n} idle vicport domains, microvm kernel...");
    use_kernel("microvm");
    let micro = vicport_domains(&w, n);
    use_kernel("cloud");
    eprintln!("{n} idle process containers (crun)...");
    let reference = reference_containers(&dir.join("reference"), n);

    eprintln!("run --rm with tb-size {TCG_TB_SIZE_MB} MiB and 1 GiB, {r} rounds interleaved...");
    let (mut small, mut large) = (Vec::new(), Vec::new());
    for _ in 0..r {
        large.push(run_rm(&w, Some(1024)));
        small.push(run_rm(&w, None));
    }

    let ksm = std::fs::read_to_string("/sys/kernel/mm/ksm/run")
        .map(|v| if v.trim() == "1" { "on" } else { "off" })
        .unwrap_or("absent");
    let mut table = String::new();
    table.push_str(&format!(
        "Host memory per idle container, {n} started one after the other; accelerator {accel}; KSM {ksm}; settled {}s:\n\n",
        SETTLE.as_secs()
    ));
    table
        .push_str("| containers | RSS (sum) | PSS (sum) | host used memory |\n|---|---|---|---|\n");
    for (what, cost) in [("cloud kernel", &ours), ("microvm kernel", &micro)] {
        table.push_str(&format!(
            "| vicport domains, {what} (QEMU + monitor) | {} | {} | {} |\n",
            cost.per(cost.mem.rss),
            cost.per(cost.mem.pss),
            cost.per(cost.host_used)
        ));
    }
    if let Some((label, p)) = &reference {
        table.push_str(&format!(
            "| {label} | {} | {} | {} |\n",
            p.per(p.mem.rss),
            p.per(p.mem.pss),
            p.per(p.host_used)
        ));
    }
    table.push_str("\nQEMU's resident memory per domain, by what holds it:\n\n| kernel | guest RAM | TCG translation cache | QEMU itself (heap, code, ROM copies) |\n|---|---|---|---|\n");
    for (what, cost) in [("cloud", &ours), ("microvm", &micro)] {
        let split = cost.split.unwrap_or_default();
        table.push_str(&format!(
            "| {what} | {} | {} | {} |\n",
            cost.per(split.guest),
            cost.per(split.tcg),
            cost.per(split.rest)
        ));
    }
    let (s, l) = (median(&small), median(&large));
    table.push_str(&format!(
        "\n`vicport run --rm busybox -- true`, medians of {r}: tb-size {TCG_TB_SIZE_MB} MiB {:.0} ms, 1 GiB {:.0} ms, ratio {:.2}\n",
        s.as_secs_f64() * 1000.0,
        l.as_secs_f64() * 1000.0,
        s.as_secs_f64() / l.as_secs_f64()
    ));
    println!("{table}");
    let out = target_dir().join("bench/density.md");
    std::fs::write(&out, &table).unwrap();
    eprintln!("written to {}", out.display());
    clean(&dir);
}
