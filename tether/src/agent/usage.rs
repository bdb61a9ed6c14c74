//! What Stats and Top answer, read from Linux's /proc and /sys through the
//! syscall seam (so the parsing is tested against fixture text): CPU time
//! from /proc/stat, memory from /proc/meminfo, network bytes from
//! /proc/net/dev, disk bytes from /sys/block/*/stat, and the container's
//! processes: the tether's descendants, from /proc/PID/{stat,status,cmdline}.

use std::collections::{BTreeMap, HashMap};

use tether_protocol::message::{ProcessInfo, StatsReport};

use super::sys::Sys;
use super::users;

/// The units /proc counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Units {
    /// Nanoseconds per clock tick (`sysconf(_SC_CLK_TCK)`).
    pub tick_ns: u64,
    /// Bytes per page.
    pub page: u64,
}

impl Units {
    /// This system's.
    pub fn here() -> Units {
        // SAFETY: sysconf has no preconditions.
        let (hz, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        Units {
            tick_ns: 1_000_000_000 / hz.max(1) as u64,
            page: page.max(1) as u64,
        }
    }
}

fn text(sys: &dyn Sys, path: &str) -> Result<String, String> {
    sys.read_file(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| format!("reading {path}: {e}"))
}

/// One line of /proc/PID/stat, the fields a process listing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcStat {
    /// pid.
    pub pid: u32,
    /// The command name (without parentheses).
    pub comm: String,
    /// Parent pid.
    pub ppid: u32,
    /// User and system time, ticks.
    pub ticks: u64,
    /// Resident pages.
    pub rss_pages: u64,
    /// The state letter (`R`, `S`, `Z`, ...).
    pub state: char,
    /// When it started, in clock ticks after boot: with the pid, what
    /// tells a process from a later one that reused its pid.
    pub start: u64,
}

/// Parse /proc/PID/stat. The name is in parentheses and may hold spaces
/// and parentheses itself: it ends at the last `)`.
pub fn parse_proc_stat(line: &str) -> Option<ProcStat> {
    let open = line.find('(')?;
    let close = line.rfind(')')?;
    let pid = line[..open].trim().parse().ok()?;
    let comm = line.get(open + 1..close)?.to_string();
    // Fields from the state on (field 3 of proc(5) is index 0 here).
    let f: Vec<&str> = line[close + 1..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    Some(ProcStat {
        pid,
        comm,
        ppid: num(1)? as u32,
        ticks: num(11)? + num(12)?,
        rss_pages: num(21)?,
        state: f.first()?.chars().next()?,
        start: num(19)?,
    })
}

/// Every process's stat line, by pid (processes that end meanwhile are
/// left out).
pub fn all_processes(sys: &dyn Sys) -> Result<BTreeMap<u32, ProcStat>, String> {
    let names = sys
        .read_dir("/proc")
        .map_err(|e| format!("listing /proc: {e}"))?;
    let mut out = BTreeMap::new();
    for name in names {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(line) = sys.read_file(&format!("/proc/{name}/stat")) else {
            continue;
        };
        if let Some(p) = parse_proc_stat(&String::from_utf8_lossy(&line)) {
            out.insert(p.pid, p);
        }
    }
    Ok(out)
}

/// The processes below `me` (its children, theirs, ...), in pid order:
/// the container's, since every one of them was started by the tether or
/// (orphaned) handed to it. Kernel threads are nobody's descendants here.
pub fn descendants(all: &BTreeMap<u32, ProcStat>, me: u32) -> Vec<&ProcStat> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for p in all.values() {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    let mut found = Vec::new();
    let mut queue = vec![me];
    while let Some(pid) = queue.pop() {
        for &c in children.get(&pid).map(Vec::as_slice).unwrap_or_default() {
            if c != me && !found.contains(&c) {
                found.push(c);
                queue.push(c);
            }
        }
    }
    found.sort_unstable();
    found.iter().filter_map(|pid| all.get(pid)).collect()
}

/// CPU time from the `cpu` line of /proc/stat: (busy, total) ticks, and
/// the number of `cpuN` lines.
pub fn parse_cpu(stat: &str) -> Option<(u64, u64, u32)> {
    let mut busy_total = None;
    let mut cpus = 0;
    for line in stat.lines() {
        let mut f = line.split_whitespace();
        match f.next() {
            Some("cpu") => {
                let v: Vec<u64> = f.filter_map(|x| x.parse().ok()).collect();
                // user nice system idle iowait irq softirq steal (guest
                // time is already in user and nice).
                let at = |i: usize| v.get(i).copied().unwrap_or(0);
                let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
                busy_total = Some((busy, busy + at(3) + at(4)));
            }
            Some(name) if name.starts_with("cpu") => cpus += 1,
            _ => {}
        }
    }
    busy_total.map(|(b, t)| (b, t, cpus))
}

/// (used, total) bytes from /proc/meminfo: used is what is not available
/// (MemAvailable; on old kernels free + buffers + cached).
pub fn parse_meminfo(text: &str) -> Option<(u64, u64)> {
    let mut kb: HashMap<&str, u64> = HashMap::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        if let (Some(k), Some(v)) = (f.next(), f.next()) {
            if let Ok(v) = v.parse() {
                kb.insert(k.trim_end_matches(':'), v);
            }
        }
    }
    let total = *kb.get("MemTotal")?;
    let available = kb.get("MemAvailable").copied().unwrap_or_else(|| {
        ["MemFree", "Buffers", "Cached"]
            .iter()
            .filter_map(|k| kb.get(k))
            .sum()
    });
    Some((total.saturating_sub(available) * 1024, total * 1024))
}

/// (received, sent) bytes of every interface but loopback, from
/// /proc/net/dev.
pub fn parse_net_dev(text: &str) -> (u64, u64) {
    let (mut rx, mut tx) = (0, 0);
    for line in text.lines().skip(2) {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let f: Vec<u64> = rest
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() >= 16 {
            rx += f[0];
            tx += f[8];
        }
    }
    (rx, tx)
}

/// (read, written) bytes of one disk, from /sys/block/DEV/stat (sectors
/// of 512 bytes, whatever the disk's own sector size).
pub fn parse_block_stat(text: &str) -> Option<(u64, u64)> {
    let f: Vec<u64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    Some((*f.get(2)? * 512, *f.get(6)? * 512))
}

/// The domain's usage, for Stats; `me` is the tether's pid.
pub fn stats(sys: &dyn Sys, me: u32, units: Units) -> Result<StatsReport, String> {
    let (busy, total, cpus) =
        parse_cpu(&text(sys, "/proc/stat")?).ok_or("/proc/stat has no cpu line")?;
    let (memory_used, memory_limit) =
        parse_meminfo(&text(sys, "/proc/meminfo")?).ok_or("/proc/meminfo has no MemTotal")?;
    let (net_rx, net_tx) = parse_net_dev(&text(sys, "/proc/net/dev").unwrap_or_default());
    let (mut block_read, mut block_write) = (0, 0);
    for dev in sys.read_dir("/sys/block").unwrap_or_default() {
        // Loop and RAM disks are not the domain's disks; device-mapper and
        // RAID devices would count their members' bytes twice.
        if ["loop", "ram", "dm-", "md"]
            .iter()
            .any(|p| dev.starts_with(p))
        {
            continue;
        }
        if let Some((r, w)) = sys
            .read_file(&format!("/sys/block/{dev}/stat"))
            .ok()
            .and_then(|b| parse_block_stat(&String::from_utf8_lossy(&b)))
        {
            block_read += r;
            block_write += w;
        }
    }
    let all = all_processes(sys)?;
    Ok(StatsReport {
        cpu_busy_ns: busy * units.tick_ns,
        cpu_total_ns: total * units.tick_ns,
        cpus,
        memory_used,
        memory_limit,
        net_rx,
        net_tx,
        block_read,
        block_write,
        processes: descendants(&all, me).len() as u32,
    })
}

/// The effective uid from /proc/PID/status.
pub fn parse_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// A command line from /proc/PID/cmdline (arguments separated by NULs);
/// a process without one (a zombie) shows its name in brackets.
pub fn command_line(cmdline: &[u8], comm: &str) -> String {
    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    if args.is_empty() {
        format!("[{comm}]")
    } else {
        args.join(" ")
    }
}

/// The container's processes, for Top: `me` is the tether's pid, `passwd`
/// the container's /etc/passwd (for user names).
pub fn processes(
    sys: &dyn Sys,
    me: u32,
    passwd: &str,
    units: Units,
) -> Result<Vec<ProcessInfo>, String> {
    let names: HashMap<u32, String> = users::parse_passwd(passwd)
        .into_iter()
        .map(|e| (e.uid, e.name))
        .collect();
    let all = all_processes(sys)?;
    let mut out = Vec::new();
    for p in descendants(&all, me) {
        let uid = sys
            .read_file(&format!("/proc/{}/status", p.pid))
            .ok()
            .and_then(|s| parse_uid(&String::from_utf8_lossy(&s)));
        // Gone since the listing.
        let Some(uid) = uid else { continue };
        let cmdline = sys
            .read_file(&format!("/proc/{}/cmdline", p.pid))
            .unwrap_or_default();
        out.push(ProcessInfo {
            pid: p.pid,
            ppid: p.ppid,
            uid,
            user: names.get(&uid).cloned().unwrap_or_default(),
            cpu_time_ns: p.ticks * units.tick_ns,
            rss: p.rss_pages * units.page,
            command: command_line(&cmdline, &p.comm),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    const UNITS: Units = Units {
        tick_ns: 10_000_000,
        page: 4096,
    };

    fn stat_line(pid: u32, comm: &str, ppid: u32, utime: u64, stime: u64, rss: u64) -> String {
        format!(
            "{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 4194560 100 0 0 0 {utime} {stime} 0 0 20 0 1 0 500 1000000 {rss} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"
        )
    }

    /// A guest: the tether (1), kthreadd (2) and a kernel thread, a shell
    /// the tether started (10) with a child (11) whose name has spaces and
    /// parentheses, and a zombie (12).
    fn guest() -> FakeSys {
        let sys = FakeSys::new();
        sys.add_file("/proc/stat", "cpu  100 5 50 800 40 3 2 0 7 0\ncpu0 50 2 25 400 20 1 1 0 3 0\ncpu1 50 3 25 400 20 2 1 0 4 0\nintr 1 2 3\nctxt 99\n");
        sys.add_file(
            "/proc/meminfo",
            "MemTotal:         502604 kB\nMemFree:          400000 kB\nMemAvailable:     452604 kB\nBuffers:            1000 kB\n",
        );
        sys.add_file(
            "/proc/net/dev",
            "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n  eth0:    5000      40    0    0    0     0          0         0     2500      20    0    0    0     0       0          0\n  eth1:     100       1    0    0    0     0          0         0       50       1    0    0    0     0       0          0\n",
        );
        sys.add_file(
            "/sys/block/vda/stat",
            "     120        0     4096       50       30        0      256       10        0       60       60\n",
        );
        sys.add_file("/sys/block/loop0/stat", "1 0 999999 0 1 0 999999 0 0 0 0\n");
        sys.add_file("/sys/block/vdb/stat", "1 0 8 0 1 0 16 0 0 0 0\n");
        sys.add_file("/proc/1/stat", stat_line(1, "init", 0, 10, 5, 300));
        sys.add_file("/proc/2/stat", stat_line(2, "kthreadd", 0, 0, 0, 0));
        sys.add_file("/proc/3/stat", stat_line(3, "kworker/0:0", 2, 0, 1, 0));
        sys.add_file("/proc/10/stat", stat_line(10, "sh", 1, 20, 30, 100));
        sys.add_file(
            "/proc/10/status",
            "Name:\tsh\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
        );
        sys.add_file("/proc/10/cmdline", "/bin/sh\0-c\0sleep 100\0");
        sys.add_file(
            "/proc/11/stat",
            stat_line(11, "my (odd) name", 10, 1, 1, 50),
        );
        sys.add_file("/proc/11/status", "Uid:\t1000\t1000\t1000\t1000\n");
        sys.add_file("/proc/11/cmdline", "sleep\x00100\x00");
        sys.add_file(
            "/proc/12/stat",
            stat_line(12, "gone", 10, 0, 0, 0).replace(" S ", " Z "),
        );
        sys.add_file("/proc/12/status", "Uid:\t7\t7\t7\t7\n");
        sys.add_file("/proc/12/cmdline", "");
        sys.add_file("/proc/self/stat", stat_line(1, "init", 0, 10, 5, 300));
        sys.add_file(
            "/proc/meminfo-old",
            "MemTotal: 100 kB\nMemFree: 10 kB\nBuffers: 5 kB\nCached: 20 kB\n",
        );
        sys
    }

    #[test]
    fn stats_sum_the_guests_counters() {
        let sys = guest();
        let s = stats(&sys, 1, UNITS).unwrap();
        // busy = user + nice + system + irq + softirq + steal.
        assert_eq!(s.cpu_busy_ns, 160 * 10_000_000);
        assert_eq!(s.cpu_total_ns, (160 + 800 + 40) * 10_000_000);
        assert_eq!(s.cpus, 2);
        assert_eq!(
            (s.memory_used, s.memory_limit),
            (50_000 * 1024, 502_604 * 1024)
        );
        // Loopback left out.
        assert_eq!((s.net_rx, s.net_tx), (5100, 2550));
        // vda and vdb; the loop device left out.
        assert_eq!(
            (s.block_read, s.block_write),
            ((4096 + 8) * 512, (256 + 16) * 512)
        );
        // The shell, its child and the zombie; not the tether, not kernel
        // threads.
        assert_eq!(s.processes, 3);
    }

    #[test]
    fn top_lists_the_tethers_descendants_with_users_and_commands() {
        let sys = guest();
        let passwd = "root:x:0:0:root:/root:/bin/sh\nwww:x:1000:1000::/home/www:/bin/sh\n";
        let list = processes(&sys, 1, passwd, UNITS).unwrap();
        let rows: Vec<(u32, u32, &str, u64, u64, &str)> = list
            .iter()
            .map(|p| {
                (
                    p.pid,
                    p.ppid,
                    p.user.as_str(),
                    p.cpu_time_ns,
                    p.rss,
                    p.command.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    10,
                    1,
                    "root",
                    500_000_000,
                    100 * 4096,
                    "/bin/sh -c sleep 100"
                ),
                (11, 10, "www", 20_000_000, 50 * 4096, "sleep 100"),
                (12, 10, "", 0, 0, "[gone]"),
            ]
        );
        assert_eq!(list[2].uid, 7);
        // In serve mode the tether is not PID 1: only its own descendants.
        let list = processes(&sys, 10, passwd, UNITS).unwrap();
        assert_eq!(list.iter().map(|p| p.pid).collect::<Vec<_>>(), [11, 12]);
    }

    #[test]
    fn proc_parsing_survives_odd_names_and_old_kernels() {
        let p = parse_proc_stat(&stat_line(5, "a) (b", 4, 1, 2, 3)).unwrap();
        assert_eq!(
            (p.pid, p.comm.as_str(), p.ppid, p.ticks, p.rss_pages),
            (5, "a) (b", 4, 3, 3)
        );
        assert_eq!((p.state, p.start), ('S', 500));
        assert_eq!(parse_proc_stat("garbage"), None);
        assert_eq!(parse_proc_stat("5 (x) S"), None);
        let old = String::from_utf8(guest().file("/proc/meminfo-old").unwrap()).unwrap();
        assert_eq!(parse_meminfo(&old), Some(((100 - 35) * 1024, 100 * 1024)));
        assert_eq!(parse_meminfo("nothing"), None);
        assert_eq!(parse_cpu("intr 1\n"), None);
        assert_eq!(parse_block_stat("1 2"), None);
        assert_eq!(parse_uid("Name: x\n"), None);
        assert_eq!(command_line(b"a\0\0b\0", "x"), "a b");
    }

    #[test]
    fn a_missing_proc_is_an_error_naming_the_file() {
        let sys = FakeSys::new();
        let e = stats(&sys, 1, UNITS).unwrap_err();
        assert!(e.contains("/proc/stat"), "{e}");
    }
}
