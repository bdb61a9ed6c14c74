//! PID 1's life: boot, then the agent on the link, under one rule: PID 1
//! never exits without powering off (the kernel would panic with "Attempted
//! to kill init" and the VM would spin). Every error, panic or fault that
//! ends it is said on the console, then the disks are synced and the VM
//! powers off.

use std::any::Any;
use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use super::cri_log::{CriLog, WriteDebug};
use super::init::{boot, open_port, power_down};
use super::link_server::{OnEof, serve_link};
use super::netlive::LiveNet;
use super::platform::{self, Platform};
use super::primary::Primary;
use super::reaper::{self, Reaper};
use super::session::spawn_thread;
use super::sys::{LinuxSys, Sys};
use super::{Agent, Ending, say};
use tether_protocol::message::PrimaryState;

// A panic must unwind to the guard below: with panic=abort PID 1 would die
// without a word and the kernel would panic.
#[cfg(panic = "abort")]
compile_error!("the tether must be built with panic=unwind: PID 1 catches panics to power off");

/// Run as PID 1. Never returns: the VM powers off.
pub fn run() -> ! {
    let sys: Arc<dyn Sys> = Arc::new(LinuxSys);
    fault::install();
    {
        let sys = sys.clone();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            let name = thread.name().unwrap_or("unnamed");
            say(&format!("panic in PID 1 (thread {name}): {info}"));
            // The main thread's panic unwinds to `guarded`; another thread's
            // leaves the tether without one of its parts.
            if name != "main" {
                give_up(&*sys, &format!("a panic in the tether's thread {name}"));
                halt();
            }
        }));
    }
    let work_sys = sys.clone();
    guarded(&*sys, move || serve(work_sys));
    halt()
}

/// Run PID 1's work. Whatever ends it (an error, a panic) is said on the
/// console, the disks are synced and the VM is powered off; returns the
/// reason once power-off was asked for (a real power-off does not return).
pub fn guarded(sys: &dyn Sys, work: impl FnOnce() -> Result<Infallible, String>) -> String {
    let why = match std::panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(Err(e)) => e,
        Ok(Ok(never)) => match never {},
        Err(payload) => format!("panic: {}", panic_text(&*payload)),
    };
    give_up(sys, &why);
    why
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Say why, sync, power off.
fn give_up(sys: &dyn Sys, why: &str) {
    say(why);
    say("cannot continue: syncing and powering off");
    sys.sync();
    if let Err(e) = sys.power_off() {
        say(&format!("power off failed: {e}; halting"));
    }
}

/// Run the calling thread only when nothing else wants the CPU
/// (`SCHED_IDLE`; module loading runs in the caller's context).
fn idle_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: sched_setscheduler on the calling thread (0) with a valid
    // parameter; a failure leaves the priority as it was.
    if unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } != 0 {
        say(&format!(
            "cannot lower the priority of the late module loads: {}",
            std::io::Error::last_os_error()
        ));
    }
}

fn halt() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// Boot, then serve the link until the domain ends (which powers off).
fn serve(sys: Arc<dyn Sys>) -> Result<Infallible, String> {
    if let Err(e) = reaper::block_signals() {
        say(&format!("cannot block signals: {e}"));
    }
    let boot = boot(&*sys).map_err(|e| format!("boot failed: {e}"))?;
    let cfg = &boot.config;
    let link = open_port(&*sys, &cfg.link).map_err(|e| format!("link port: {e}"))?;
    let link_w = link
        .try_clone()
        .map_err(|e| format!("link port {}: {e}", cfg.link))?;
    let log = cfg
        .log
        .as_ref()
        .and_then(|spec| match open_port(&*sys, spec) {
            Ok(f) => Some(CriLog::new(Box::new(f) as Box<dyn WriteDebug>)),
            Err(e) => {
                say(&format!(
                    "log port: {e}; the primary's output is not logged"
                ));
                None
            }
        });
    let reaper = Arc::new(Reaper::new());
    let primary = (!cfg.process.argv.is_empty())
        .then(|| Primary::new(cfg.process.clone(), boot.root.clone(), reaper.clone(), log));
    let ending = Pid1Ending {
        sys: sys.clone(),
        platform: boot.platform,
        mounts: boot.mounts.clone(),
        discarded_root: (cfg.root_discarded && cfg.root.is_some() && boot.root.chroot)
            .then(|| super::init::NEWROOT.to_string()),
    };
    let agent = Agent::new(
        cfg.token.clone(),
        boot.root.clone(),
        reaper,
        primary.clone(),
        Box::new(ending),
    );
    let root = boot.root.chroot.then(|| super::init::NEWROOT.to_string());
    agent.set_network(LiveNet::new(
        Arc::new(LinuxSys),
        root,
        boot.hostname.clone(),
        cfg.interfaces.clone(),
        cfg.hosts.clone(),
        cfg.dns.clone(),
    ));
    {
        let agent = agent.clone();
        spawn_thread("signals", move || {
            reaper::run_signal_loop(&agent.reaper.clone(), &|sig| agent.forward_signal(sig))
        });
    }
    // The timeline goes out before the primary starts: nothing in the
    // container has written to the console yet.
    let mut timeline = boot.timeline.clone();
    timeline.mark("ready");
    say(&timeline.line());
    match &primary {
        Some(p) if !p.waits_for_attach() => {
            let _ = p.start();
        }
        Some(_) => say("primary process waits for the first attach"),
        None => say("no primary process configured"),
    }
    // Stamped, as the lines of the domain's end are, so that the console
    // shows where a short-lived domain's time goes after the boot.
    say(&format!(
        "tether ready (at {:.1} ms)",
        super::timeline::now_ms()
    ));
    {
        let (sys, chroot) = (sys.clone(), boot.root.chroot);
        let (loader, vmware) = (boot.modules, boot.vmware);
        spawn_thread("modules", move || {
            // What is left (the balloon, drivers for later hot-plugs) must
            // not take the vCPU from the primary starting now.
            idle_priority();
            super::init::finish_boot(&*sys, loader, vmware, chroot)
        });
    }
    spawn_thread("clock", super::clock::watch);
    serve_link(&agent, link, Box::new(link_w), OnEof::Retry);
    agent.finish()
}

/// PID 1's ending: report the status, give the host time to read it, and
/// power off.
struct Pid1Ending {
    sys: Arc<dyn Sys>,
    platform: Platform,
    mounts: Vec<String>,
    /// The root's mount point when its disk is thrown away with the
    /// domain (`root.discarded`).
    discarded_root: Option<String>,
}

impl Ending for Pid1Ending {
    /// The guest's clock follows the RTC again: after a resume it is
    /// behind by as long as the domain slept.
    fn host_connected(&self) {
        spawn_thread("clock", || {
            super::clock::resync();
        });
    }

    fn primary_exited(&self, agent: &Arc<Agent>, state: PrimaryState) {
        let oom_killed = agent
            .primary
            .as_ref()
            .is_some_and(|p| p.oom_victim().is_some());
        if let Err(e) = platform::write_status(&*self.sys, self.platform, &state, oom_killed) {
            say(&format!("cannot write the exit status to guestinfo: {e}"));
        }
        let a = agent.clone();
        spawn_thread("power-off", move || {
            // Give the host up to ~2 s to read the final state; a host that
            // has read it says so with a Shutdown, which ends the domain at
            // once (see `Agent::shutdown`).
            std::thread::sleep(Duration::from_secs(2));
            a.finish()
        });
    }

    fn finish(&self, _agent: &Agent) -> ! {
        say(&format!(
            "stopping: killing remaining processes, syncing, powering off (at {:.1} ms)",
            super::timeline::now_ms()
        ));
        power_down(
            &*self.sys,
            &self.mounts,
            Duration::from_secs(2),
            self.discarded_root.as_deref(),
        );
        halt()
    }
}

/// The last resort for faults: a signal such as SIGSEGV (an `in` on an I/O
/// port the hypervisor does not answer, a bug) would kill PID 1 without a
/// word. Its handler says so on the console, syncs and powers off, with
/// async-signal-safe calls only.
mod fault {
    /// The signals that kill a process that does not handle them because
    /// of what it did (abort: a runtime error or a double panic).
    pub const FATAL: [i32; 6] = [
        libc::SIGSEGV,
        libc::SIGBUS,
        libc::SIGILL,
        libc::SIGFPE,
        libc::SIGABRT,
        libc::SIGSYS,
    ];

    /// The console line for `sig`, written into `buf`; returns its length.
    pub fn message(sig: i32, buf: &mut [u8; 128]) -> usize {
        let mut digits = [0u8; 11];
        let mut n = sig.unsigned_abs();
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut len = 0;
        let head: &[u8] = b"tether: fatal signal ";
        let tail: &[u8] = b" in PID 1 (a fault in the tether itself); syncing and powering off\n";
        for piece in [head, &digits[at..], tail] {
            buf[len..len + piece.len()].copy_from_slice(piece);
            len += piece.len();
        }
        len
    }

    extern "C" fn on_fatal(sig: libc::c_int) {
        let mut buf = [0u8; 128];
        let len = message(sig, &mut buf);
        // SAFETY: write, sync, reboot and pause are async-signal-safe; the
        // buffer is on this handler's stack.
        unsafe {
            libc::write(2, buf.as_ptr().cast(), len);
            libc::sync();
            libc::reboot(libc::RB_POWER_OFF);
            loop {
                libc::pause();
            }
        }
    }

    /// Handle every fatal signal in PID 1 (on the alternate signal stack
    /// the Rust runtime gives each thread, so a stack overflow is caught).
    pub fn install() {
        for sig in FATAL {
            // SAFETY: a zeroed sigaction with a handler that only makes
            // async-signal-safe calls; sigemptyset initialises the mask.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_fatal as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                if libc::sigaction(sig, &action, std::ptr::null_mut()) != 0 {
                    super::say(&format!(
                        "cannot handle signal {sig}: {}",
                        std::io::Error::last_os_error()
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::platform::FW_CFG_CONFIG;
    use crate::agent::sys::FakeSys;

    #[test]
    fn an_error_is_said_then_synced_and_powered_off() {
        let sys = FakeSys::new();
        let why = guarded(&sys, || Err("boot failed: no config".into()));
        assert_eq!(why, "boot failed: no config");
        assert_eq!(sys.calls(), ["sync", "power_off"]);
    }

    #[test]
    fn a_panic_is_caught_said_and_powered_off() {
        let sys = FakeSys::new();
        let why = guarded(&sys, || panic!("index out of bounds"));
        assert_eq!(why, "panic: index out of bounds");
        assert_eq!(sys.calls(), ["sync", "power_off"]);
        let why = guarded(&sys, || panic!("{} is {}", "config", 7));
        assert_eq!(why, "panic: config is 7");
    }

    #[test]
    fn a_failed_power_off_is_said_not_fatal_to_the_guard() {
        let sys = FakeSys::new();
        sys.fail("power_off", libc::EPERM);
        let why = guarded(&sys, || Err("boot failed".into()));
        assert_eq!(why, "boot failed");
        assert_eq!(sys.calls(), ["sync", "power_off"]);
    }

    #[test]
    fn the_vsphere_image_without_a_config_off_vmware_powers_off_untouched() {
        // The reported boot, against the fake: vicport.platform=vsphere,
        // QEMU's TCG vendor, nothing in fw_cfg. The boot fails with the
        // reason, the backdoor is never asked for, and the VM powers off.
        let sys = FakeSys::with_vendor("TCGTCGTCGTCG");
        sys.add_file(
            "/proc/cmdline",
            "console=ttyS0 vicport.platform=vsphere quiet",
        );
        let why = guarded(&sys, || {
            boot(&sys).map(|_| unreachable!("booted without a config"))
        });
        assert!(
            why.contains("not a VMware VM") && why.contains("TCGTCGTCGTCG"),
            "{why}"
        );
        let calls = sys.calls();
        assert!(
            !calls
                .iter()
                .any(|c| c == "backdoor" || c.starts_with("ioperm")),
            "{calls:?}"
        );
        assert_eq!(calls[calls.len() - 2..], ["sync", "power_off"]);
        assert!(!sys.exists(FW_CFG_CONFIG));
    }

    #[test]
    fn the_fault_message_names_the_signal() {
        let mut buf = [0u8; 128];
        let len = fault::message(libc::SIGSEGV, &mut buf);
        assert_eq!(
            std::str::from_utf8(&buf[..len]).unwrap(),
            "tether: fatal signal 11 in PID 1 (a fault in the tether itself); syncing and powering off\n"
        );
        let len = fault::message(libc::SIGSYS, &mut buf);
        assert!(std::str::from_utf8(&buf[..len]).unwrap().contains(" 31 "));
        let len = fault::message(0, &mut buf);
        assert!(std::str::from_utf8(&buf[..len]).unwrap().contains(" 0 "));
    }
}
