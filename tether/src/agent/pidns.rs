//! A pid namespace of the container's own (`pidns` in the config: an OCI
//! bundle that lists a `pid` namespace). The primary is its init, PID 1,
//! as under runc, so the kernel's rules for an init hold in the guest
//! too: a signal from outside the namespace that it has no handler for is
//! dropped (KILL and STOP excepted: `podman stop` of a shell waits, then
//! kills, and reports 137), its orphans are its own to reap, and its exit
//! ends every process in the namespace.
//!
//! A proc mount shows the namespace of the process that mounts it, so
//! the init mounts the container's /proc itself, before it enters the
//! root, and makes the masks and read-only paths under /proc again on
//! it ([`proc_mounts`]: planned here, made by the child, which only makes
//! system calls). Every exec joins the namespace: the spawning thread's
//! children go there (`setns`) for the one clone ([`within`]). An exec
//! before the primary starts (an OCI startContainer hook, which runc runs
//! before the process's exec) has no namespace to join and runs in the
//! guest's; one after the primary exited fails, as the kernel refuses a
//! namespace without its init.

use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Mutex, OnceLock};

use super::confine::Protection;
use super::mounts::options;
use super::session::lock;
use super::sys::{MountCall, flags};
use tether_protocol::config::GuestMount;

/// The container's pid namespace: how its /proc is made, and the
/// namespace once its init has started.
#[derive(Debug)]
pub struct PidNamespace {
    proc_mounts: Vec<MountCall>,
    ns: Mutex<Phase>,
}

/// Where the namespace is in its life.
#[derive(Debug)]
enum Phase {
    /// Its init has not started.
    Before,
    /// Its init started: the namespace.
    Started(OwnedFd),
    /// Its init exited before the namespace could be held.
    Ended,
}

/// Where an exec runs.
#[derive(Debug)]
pub enum ExecIn {
    /// In the guest's namespace: the init has not started.
    Guest,
    /// In this one (a descriptor of its own); the clone fails (ENOMEM) if
    /// its init has exited since.
    Join(OwnedFd),
    /// Nowhere: the init exited, and the namespace with it.
    Ended,
}

impl PartialEq for PidNamespace {
    fn eq(&self, other: &Self) -> bool {
        self.proc_mounts == other.proc_mounts
    }
}

impl Eq for PidNamespace {}

impl PidNamespace {
    /// A namespace whose init will make `proc_mounts`.
    pub fn new(proc_mounts: Vec<MountCall>) -> Self {
        PidNamespace {
            proc_mounts,
            ns: Mutex::new(Phase::Before),
        }
    }

    /// What the init mounts, in order.
    pub fn proc_mounts(&self) -> &[MountCall] {
        &self.proc_mounts
    }

    /// Note the namespace of its init `pid`, just started. An init that
    /// has already exited leaves none: its namespace ended with it.
    pub fn started(&self, pid: i32) {
        *lock(&self.ns) = match fs::File::open(format!("/proc/{pid}/ns/pid")) {
            Ok(f) => Phase::Started(OwnedFd::from(f)),
            Err(_) => Phase::Ended,
        };
    }

    /// Where an exec runs now.
    pub fn for_exec(&self) -> ExecIn {
        match &*lock(&self.ns) {
            Phase::Before => ExecIn::Guest,
            Phase::Started(fd) => fd.try_clone().map_or(ExecIn::Ended, ExecIn::Join),
            Phase::Ended => ExecIn::Ended,
        }
    }
}

/// The mounts that give the init its /proc under the container's root
/// `root`: proc with the options of the config's `/proc` mount (nosuid,
/// noexec and nodev if it lists none), then the protections under /proc.
pub fn proc_mounts(
    root: &str,
    mounts: &[GuestMount],
    protections: &[Protection],
) -> Vec<MountCall> {
    let (fl, data) = match mounts
        .iter()
        .find(|m| m.fstype == "proc" && m.path == "/proc")
    {
        Some(m) => options(&m.options),
        None => (flags::NOSUID | flags::NOEXEC | flags::NODEV, String::new()),
    };
    let mut out = vec![MountCall {
        source: "proc".into(),
        target: format!("{root}/proc"),
        fstype: "proc".into(),
        flags: fl,
        data,
    }];
    for p in protections {
        if p.path == "/proc" || p.path.starts_with("/proc/") {
            out.extend(p.calls.iter().cloned());
        }
    }
    out
}

/// The tether's own pid namespace.
fn own() -> io::Result<&'static OwnedFd> {
    static OWN: OnceLock<Option<OwnedFd>> = OnceLock::new();
    OWN.get_or_init(|| fs::File::open("/proc/self/ns/pid").ok().map(OwnedFd::from))
        .as_ref()
        .ok_or_else(|| io::Error::other("cannot open the tether's own /proc/self/ns/pid"))
}

fn setns(fd: &OwnedFd) -> io::Result<()> {
    // SAFETY: setns on a namespace descriptor; it changes only where this
    // thread's new children go.
    if unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWPID) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Run `f` with the children the calling thread makes in it going to
/// the namespace `ns`, then back to the tether's own.
pub fn within<T>(ns: &OwnedFd, f: impl FnOnce() -> T) -> io::Result<T> {
    let own = own()?;
    setns(ns)?;
    let out = f();
    // The tether's active namespace: entering it again cannot be refused
    // to PID 1, and a thread left pointing elsewhere would put every
    // later child of it in the container's.
    setns(own).expect("return to the tether's own pid namespace");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protection(path: &str, masked: bool, target: &str) -> Protection {
        Protection {
            path: path.into(),
            masked,
            calls: if masked {
                vec![MountCall::bind("/dev/null", target, 0)]
            } else {
                vec![
                    MountCall::bind(target, target, flags::REC),
                    MountCall::read_only(target),
                ]
            },
        }
    }

    #[test]
    fn the_inits_proc_takes_the_configs_options_and_the_protections_under_it() {
        let mounts = [GuestMount {
            fstype: "proc".into(),
            source: String::new(),
            path: "/proc".into(),
            options: vec!["nosuid".into(), "noexec".into(), "hidepid=2".into()],
        }];
        let protections = [
            protection("/proc/kcore", true, "/newroot/proc/kcore"),
            protection("/sys/firmware", true, "/newroot/sys/firmware"),
            protection("/proc/sys", false, "/newroot/proc/sys"),
            protection("/procfoo", true, "/newroot/procfoo"),
        ];
        let calls = proc_mounts("/newroot", &mounts, &protections);
        assert_eq!(
            calls[0],
            MountCall {
                source: "proc".into(),
                target: "/newroot/proc".into(),
                fstype: "proc".into(),
                flags: flags::NOSUID | flags::NOEXEC,
                data: "hidepid=2".into(),
            }
        );
        let targets: Vec<&str> = calls[1..].iter().map(|c| c.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "/newroot/proc/kcore",
                "/newroot/proc/sys",
                "/newroot/proc/sys"
            ]
        );
        assert_eq!(calls[3], MountCall::read_only("/newroot/proc/sys"));

        // No /proc listed: the runtime spec's usual options.
        let calls = proc_mounts("/newroot", &[], &[]);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].flags, flags::NOSUID | flags::NOEXEC | flags::NODEV);
        assert_eq!(calls[0].data, "");
    }
}
