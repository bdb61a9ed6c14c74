//! What the benchmarks that compare with process containers share: a
//! process's memory from /proc, crun's cgroup needs on this kind of host,
//! and removing a run's directory with the mounts podman leaves in it.

use std::path::Path;
use std::process::Command;

/// The endurance tests' readers of /proc, shared rather than copied.
#[path = "../../tests/cli/support/probe.rs"]
pub mod probe;

/// One process's memory, KiB.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mem {
    pub rss: u64,
    pub pss: u64,
}

impl std::ops::AddAssign for Mem {
    fn add_assign(&mut self, o: Mem) {
        self.rss += o.rss;
        self.pss += o.pss;
    }
}

/// A process's resident (VmRSS) and proportional (smaps_rollup Pss)
/// memory.
pub fn proc_mem(pid: u32) -> Option<Mem> {
    Some(Mem {
        rss: probe::rss_kib(pid)?,
        pss: probe::pss_kib(pid)?,
    })
}

/// The sum of the processes' memory.
pub fn mem_of(pids: &[u32]) -> Mem {
    let mut total = Mem::default();
    for pid in pids {
        if let Some(m) = proc_mem(*pid) {
            total += m;
        }
    }
    total
}

/// crun refuses this kernel's hybrid cgroups while `hugetlb` is left in
/// the unified hierarchy; a v1 hugetlb hierarchy takes it out (see the
/// OCI facts notes). Made only where it is missing, as root.
pub fn crun_hybrid_cgroups() {
    let unified =
        std::fs::read_to_string("/sys/fs/cgroup/unified/cgroup.controllers").unwrap_or_default();
    if !unified.split_whitespace().any(|c| c == "hugetlb") {
        return;
    }
    let _ = std::fs::create_dir_all("/sys/fs/cgroup/hugetlb");
    let out = Command::new("mount")
        .args([
            "-t",
            "cgroup",
            "-o",
            "hugetlb",
            "cgroup",
            "/sys/fs/cgroup/hugetlb",
        ])
        .output();
    if !out.is_ok_and(|o| o.status.success()) {
        eprintln!("could not mount the hugetlb cgroup hierarchy: crun may refuse to run");
    }
}

/// Remove what an earlier run left in `dir`: podman's storage keeps its
/// overlay directory mounted after podman exits, and a directory that
/// cannot be removed would leave the earlier run's domains in the state.
pub fn clean(dir: &Path) {
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut points: Vec<&str> = mounts
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .filter(|p| Path::new(p).starts_with(dir))
        .collect();
    points.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in points {
        let _ = Command::new("umount").arg(p).status();
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .unwrap_or_else(|e| panic!("removing {} from an earlier run: {e}", dir.display()));
    }
}

/// The accelerator `vicport system info` reports (`vicport` points at
/// the run's directories).
pub fn accelerator(vicport: &mut Command) -> String {
    let out = super::run_ok(
        vicport
            .args(["-o", "json", "system", "info"])
            .stdout(std::process::Stdio::piped()),
    )
    .stdout;
    serde_json::from_slice::<serde_json::Value>(&out).unwrap()["details"]["accelerator"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}
