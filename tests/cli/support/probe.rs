//! What a long run must not leak, read from the host: a process's open
//! fds and resident memory, the processes that belong to a test's world
//! (their command line or working directory is under its root), a
//! directory's size, the host's network interfaces and nftables tables.
//! Used by the endurance tests, which compare these before and after, and
//! (through `#[path]`) by the benchmarks' `common::host`.

use std::collections::BTreeSet;
use std::path::Path;

/// Open file descriptors of `pid` (None: it is gone).
pub fn fds(pid: u32) -> Option<usize> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()
        .map(|d| d.count())
}

/// What `pid`'s fds lead to, for a failure's message.
pub fn fd_targets(pid: u32) -> String {
    let mut t: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| std::fs::read_link(e.path()).ok())
                .map(|l| l.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    t.sort();
    t.join(", ")
}

/// Resident memory of `pid` in KiB (None: it is gone).
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// Peak resident memory of `pid` in KiB.
pub fn hwm_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

/// Proportional resident memory of `pid` in KiB (its shared pages split
/// among the processes that map them).
pub fn pss_kib(pid: u32) -> Option<u64> {
    kib_field(
        &std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?,
        "Pss:",
    )
}

/// The host's used memory in KiB: what MemAvailable says is not available.
pub fn host_used_kib() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    Some(kib_field(&info, "MemTotal:")?.saturating_sub(kib_field(&info, "MemAvailable:")?))
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    kib_field(
        &std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?,
        field,
    )
}

/// The number after `field` (`VmRSS:   1234 kB`) in a /proc text.
fn kib_field(text: &str, field: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// The live processes (zombies excluded) whose command line mentions
/// `root` or whose working directory is under it: a world's monitors,
/// QEMUs, relays and daemons. Pid and command name.
pub fn processes_under(root: &Path) -> Vec<(u32, String)> {
    let needle = root.as_os_str().as_encoded_bytes();
    let mut found = Vec::new();
    let Ok(proc) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in proc.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (name, rest) = match stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(") ")) {
            Some(x) => x,
            None => continue,
        };
        if rest.starts_with('Z') || rest.starts_with('X') {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let mentions = cmdline.windows(needle.len()).any(|w| w == needle);
        let inside =
            std::fs::read_link(entry.path().join("cwd")).is_ok_and(|c| c.starts_with(root));
        if mentions || inside {
            found.push((pid, name.to_string()));
        }
    }
    found.sort();
    found
}

/// Bytes of the regular files under `dir`, but those whose name starts
/// with one of `except` (files that are bounded by design, such as the
/// event journal, which rotates).
pub fn dir_bytes(dir: &Path, except: &[&str]) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut total = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if except.iter().any(|x| name.starts_with(x)) {
            continue;
        }
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if meta.is_dir() {
            total += dir_bytes(&e.path(), except);
        } else if meta.is_file() {
            total += meta.len();
        }
    }
    total
}

/// Entries under `dir` (recursively): files, sockets and directories.
pub fn dir_entries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let sub = e.path();
                    1 + if sub.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                        dir_entries(&sub)
                    } else {
                        0
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The paths under `dir`, one per line, for a failure's message.
pub fn tree(dir: &Path) -> String {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            out.push(e.path().display().to_string());
            if e.path().symlink_metadata().is_ok_and(|m| m.is_dir()) {
                walk(&e.path(), out);
            }
        }
    }
    walk(dir, &mut out);
    out.sort();
    out.join("\n")
}

/// The host's network interfaces.
pub fn links() -> BTreeSet<String> {
    std::fs::read_dir("/sys/class/net")
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The host's nftables tables (`family name`), empty where nft cannot be
/// asked (not root, not installed).
pub fn nft_tables() -> BTreeSet<String> {
    std::process::Command::new("nft")
        .args(["list", "tables"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter_map(|l| l.strip_prefix("table "))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Total lines of the host's nftables ruleset (0 where it cannot be read).
pub fn nft_rule_lines() -> usize {
    std::process::Command::new("nft")
        .args(["list", "ruleset"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
        .unwrap_or(0)
}
