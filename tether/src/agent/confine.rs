//! What a container may see and do beyond its user: masked and read-only
//! paths (mounts made once at boot, through [`Sys`]), and a process's
//! limits turned from the config's names into Linux's numbers before the
//! fork, so that the child only makes system calls.

use std::ffi::CString;

use super::sys::{MountCall, Sys, flags};
use tether_protocol::config::ProcessLimits;

pub use tether_protocol::config::CAPABILITIES;

/// A capability's number.
pub fn capability(name: &str) -> Option<u32> {
    CAPABILITIES
        .iter()
        .position(|c| *c == name)
        .map(|n| n as u32)
}

/// A resource limit's `RLIMIT_*` number by its name without the prefix.
// glibc's constants are u32 already, musl's are c_int.
#[allow(clippy::unnecessary_cast)]
pub fn resource(name: &str) -> Option<u32> {
    Some(match name {
        "CPU" => libc::RLIMIT_CPU,
        "FSIZE" => libc::RLIMIT_FSIZE,
        "DATA" => libc::RLIMIT_DATA,
        "STACK" => libc::RLIMIT_STACK,
        "CORE" => libc::RLIMIT_CORE,
        "RSS" => libc::RLIMIT_RSS,
        "NPROC" => libc::RLIMIT_NPROC,
        "NOFILE" => libc::RLIMIT_NOFILE,
        "MEMLOCK" => libc::RLIMIT_MEMLOCK,
        "AS" => libc::RLIMIT_AS,
        "LOCKS" => libc::RLIMIT_LOCKS,
        "SIGPENDING" => libc::RLIMIT_SIGPENDING,
        "MSGQUEUE" => libc::RLIMIT_MSGQUEUE,
        "NICE" => libc::RLIMIT_NICE,
        "RTPRIO" => libc::RLIMIT_RTPRIO,
        "RTTIME" => libc::RLIMIT_RTTIME,
        _ => return None,
    } as u32)
}

/// Capability sets as the kernel takes them (two 32-bit words each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CapMasks {
    /// The effective set.
    pub effective: [u32; 2],
    /// The permitted set.
    pub permitted: [u32; 2],
    /// The inheritable set.
    pub inheritable: [u32; 2],
}

/// The capabilities part of a [`Limits`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CapPlan {
    /// Dropped from the bounding set.
    pub drop_bounding: Vec<u32>,
    /// Set with capset.
    pub masks: CapMasks,
    /// Raised in the ambient set.
    pub ambient: Vec<u32>,
}

/// A process's limits, ready for a forked child.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Limits {
    /// (resource, soft, hard).
    pub rlimits: Vec<(u32, u64, u64)>,
    /// The capabilities to set, if any.
    pub caps: Option<CapPlan>,
    /// Set no_new_privs.
    pub no_new_privileges: bool,
    /// What to write to /proc/self/oom_score_adj.
    pub oom_score_adj: Option<CString>,
    /// Supplementary groups instead of the group file's (empty: those).
    pub groups: Vec<u32>,
}

fn mask(names: &[String]) -> Result<([u32; 2], Vec<u32>), String> {
    let mut m = [0u32; 2];
    let mut numbers = Vec::new();
    for n in names {
        let c = capability(n).ok_or_else(|| format!("unknown capability {n}"))?;
        m[(c / 32) as usize] |= 1 << (c % 32);
        numbers.push(c);
    }
    Ok((m, numbers))
}

/// Turn the config's limits into numbers; `last_cap` is the kernel's
/// highest capability (`/proc/sys/kernel/cap_last_cap`).
pub fn plan(limits: &ProcessLimits, last_cap: u32) -> Result<Limits, String> {
    let mut out = Limits {
        no_new_privileges: limits.no_new_privileges,
        oom_score_adj: limits
            .oom_score_adj
            .map(|a| CString::new(a.to_string()).expect("a number has no NUL")),
        groups: limits.groups.clone(),
        ..Limits::default()
    };
    for r in &limits.rlimits {
        let n = resource(&r.name).ok_or_else(|| format!("unknown resource limit {}", r.name))?;
        out.rlimits.push((n, r.soft, r.hard));
    }
    if let Some(caps) = &limits.capabilities {
        let (_, bounding) = mask(&caps.bounding)?;
        let (effective, _) = mask(&caps.effective)?;
        let (permitted, _) = mask(&caps.permitted)?;
        let (inheritable, _) = mask(&caps.inheritable)?;
        let (_, ambient) = mask(&caps.ambient)?;
        out.caps = Some(CapPlan {
            drop_bounding: (0..=last_cap).filter(|c| !bounding.contains(c)).collect(),
            masks: CapMasks {
                effective,
                permitted,
                inheritable,
            },
            ambient,
        });
    }
    Ok(out)
}

/// The kernel's highest capability number.
pub fn last_cap() -> u32 {
    // The kernel's, fixed while it runs: read once, not on every exec.
    static LAST: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *LAST.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(CAPABILITIES.len() as u32 - 1)
    })
}

/// A path the config hides or makes read-only, and the mounts that do it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protection {
    /// As the config names it (in the container).
    pub path: String,
    /// Hidden (else made read-only).
    pub masked: bool,
    /// Made in order.
    pub calls: Vec<MountCall>,
}

impl Protection {
    /// What a failed call says.
    pub fn failure(&self, e: &std::io::Error) -> String {
        if self.masked {
            format!("cannot mask {}: {e}", self.path)
        } else {
            format!("cannot make {} read-only: {e}", self.path)
        }
    }
}

/// What hiding the path `p` (or making it read-only) takes under the
/// container's root `root` as it is now; None if it does not exist there
/// (a masked directory above it hides it). A directory is hidden by an
/// empty read-only tmpfs, a file by /dev/null.
fn protection(sys: &dyn Sys, root: &str, p: &str, masked: bool) -> Option<Protection> {
    let target = format!("{root}{p}");
    if !sys.exists(&target) {
        return None;
    }
    let calls = if !masked {
        vec![
            MountCall::bind(&target, &target, flags::REC),
            MountCall::read_only(&target),
        ]
    } else if sys.is_dir(&target) {
        vec![MountCall {
            source: "tmpfs".into(),
            target,
            fstype: "tmpfs".into(),
            flags: flags::RDONLY,
            data: "size=0".into(),
        }]
    } else {
        vec![MountCall::bind("/dev/null", &target, 0)]
    };
    Some(Protection {
        path: p.to_string(),
        masked,
        calls,
    })
}

/// Hide `masked` and make `readonly` read-only, under the container's
/// root `root`, in order; a path that does not exist when its turn comes
/// is skipped. What was made, in order (to be made again on a fresh
/// /proc: [`super::pidns`]).
pub fn mask_and_protect(
    sys: &dyn Sys,
    root: &str,
    masked: &[String],
    readonly: &[String],
) -> Result<Vec<Protection>, String> {
    let paths = masked
        .iter()
        .map(|p| (p, true))
        .chain(readonly.iter().map(|p| (p, false)));
    let mut made = Vec::new();
    for (p, masked) in paths {
        let Some(protection) = protection(sys, root, p, masked) else {
            continue;
        };
        for call in &protection.calls {
            call.run(sys).map_err(|e| protection.failure(&e))?;
        }
        made.push(protection);
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;
    use tether_protocol::config::{Capabilities, Rlimit};

    #[test]
    fn every_limit_name_the_host_accepts_has_a_number_here() {
        for name in tether_protocol::config::RLIMITS {
            assert!(resource(name).is_some(), "{name}");
        }
    }

    #[test]
    fn names_become_numbers() {
        assert_eq!(capability("CAP_CHOWN"), Some(0));
        assert_eq!(capability("CAP_SYS_ADMIN"), Some(21));
        assert_eq!(capability("CAP_CHECKPOINT_RESTORE"), Some(40));
        assert_eq!(capability("CAP_NOPE"), None);
        // RLIMIT_NOFILE is 7 on Linux.
        assert_eq!(resource("NOFILE"), Some(7));
        assert_eq!(resource("nofile"), None);

        let limits = ProcessLimits {
            groups: vec![10],
            rlimits: vec![Rlimit {
                name: "NOFILE".into(),
                soft: 64,
                hard: 128,
            }],
            capabilities: Some(Capabilities {
                bounding: vec!["CAP_CHOWN".into(), "CAP_KILL".into(), "CAP_BPF".into()],
                effective: vec!["CAP_KILL".into(), "CAP_BPF".into()],
                permitted: vec!["CAP_KILL".into(), "CAP_BPF".into()],
                inheritable: vec![],
                ambient: vec!["CAP_KILL".into()],
            }),
            no_new_privileges: true,
            oom_score_adj: Some(-17),
        };
        let p = plan(&limits, 40).unwrap();
        assert_eq!(p.rlimits, [(7, 64, 128)]);
        let caps = p.caps.unwrap();
        // Every capability but the three bounding ones is dropped.
        assert_eq!(caps.drop_bounding.len(), 41 - 3);
        assert!(!caps.drop_bounding.contains(&5) && caps.drop_bounding.contains(&21));
        // KILL is 5 (word 0), BPF is 39 (word 1, bit 7).
        assert_eq!(caps.masks.effective, [1 << 5, 1 << 7]);
        assert_eq!(caps.masks.inheritable, [0, 0]);
        assert_eq!(caps.ambient, [5]);
        assert_eq!(p.oom_score_adj.unwrap().to_str().unwrap(), "-17");
        assert!(p.no_new_privileges);
        // An older kernel knows fewer: nothing above its last is dropped.
        assert_eq!(
            plan(&limits, 37).unwrap().caps.unwrap().drop_bounding.len(),
            38 - 2
        );

        let mut bad = limits.clone();
        bad.rlimits[0].name = "FILES".into();
        assert_eq!(plan(&bad, 40).unwrap_err(), "unknown resource limit FILES");
        let mut bad = limits;
        bad.capabilities.as_mut().unwrap().ambient = vec!["CAP_WIZARDRY".into()];
        assert_eq!(
            plan(&bad, 40).unwrap_err(),
            "unknown capability CAP_WIZARDRY"
        );
    }

    #[test]
    fn masked_paths_are_covered_and_readonly_ones_remounted() {
        let sys = FakeSys::new();
        sys.add_file("/newroot/proc/kcore", "");
        sys.add_file("/newroot/proc/acpi/x", "");
        sys.add_file("/newroot/proc/sys/kernel/x", "");
        let made = mask_and_protect(
            &sys,
            "/newroot",
            &[
                "/proc/kcore".into(),
                "/proc/acpi".into(),
                "/proc/missing".into(),
            ],
            &["/proc/sys".into(), "/proc/gone".into()],
        )
        .unwrap();
        let mounts: Vec<&str> = made.iter().map(|p| p.calls[0].target.as_str()).collect();
        assert_eq!(
            sys.calls(),
            [
                "mount /dev/null /newroot/proc/kcore  0x1000 ",
                "mount tmpfs /newroot/proc/acpi tmpfs 0x1 size=0",
                "mount /newroot/proc/sys /newroot/proc/sys  0x5000 ",
                "mount  /newroot/proc/sys  0x1021 ",
            ]
        );
        assert_eq!(
            mounts,
            [
                "/newroot/proc/kcore",
                "/newroot/proc/acpi",
                "/newroot/proc/sys"
            ]
        );
        sys.fail("mount tmpfs", libc::EPERM);
        let e = mask_and_protect(&sys, "/newroot", &["/proc/acpi".into()], &[]).unwrap_err();
        assert!(e.starts_with("cannot mask /proc/acpi"), "{e}");
    }

    /// A masked directory hides what lies below it, and the paths below
    /// are then skipped, not failed: the runtime-tools suite masks
    /// `/masked-dir` and `/masked-dir/masked-subdir` together. On the
    /// real kernel, which the recording fake does not model; needs root.
    #[test]
    #[allow(clippy::print_stderr)]
    fn a_path_under_a_masked_directory_is_skipped() {
        use crate::agent::sys::LinuxSys;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting needs root, as the tether has in a VM");
            return;
        }
        let root = std::env::temp_dir().join(format!("tether-masks-{}", std::process::id()));
        std::fs::create_dir_all(root.join("d/sub")).unwrap();
        std::fs::write(root.join("d/sub/f"), "secret").unwrap();
        std::fs::write(root.join("file"), "secret").unwrap();
        let prefix = root.to_string_lossy().into_owned();
        let made = mask_and_protect(
            &LinuxSys,
            &prefix,
            &[
                "/d".into(),
                "/d/sub".into(),
                "/d/sub/f".into(),
                "/file".into(),
            ],
            &["/d/sub".into()],
        );
        let read = std::fs::read_to_string(root.join("file"));
        for target in ["/file", "/d"] {
            let t = CString::new(format!("{prefix}{target}")).unwrap();
            // SAFETY: detaching what the test mounted.
            unsafe { libc::umount2(t.as_ptr(), libc::MNT_DETACH) };
        }
        std::fs::remove_dir_all(&root).unwrap();
        let paths: Vec<String> = made.unwrap().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["/d", "/file"]);
        assert_eq!(read.unwrap(), "");
    }
}
