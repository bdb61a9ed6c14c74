//! The guest side: the PID-1 init sequence behind a syscall seam, the
//! link server, sessions, the primary process, the reaper and the log;
//! and what looks into the domain: its usage and processes from /proc,
//! and copies in and out of the container as tar streams.
//!
//! [`Agent`] is what every link serves; an [`Ending`] says what happens when
//! the primary exits and when the domain stops (power off as PID 1, exit in
//! serve mode).

pub mod backdoor;
pub mod clock;
pub mod confine;
pub mod copy;
pub mod cri_log;
pub mod devices;
pub mod disk;
pub mod ifaddr;
pub mod init;
pub mod inroot;
pub mod inspect;
pub mod link_server;
pub mod modules;
pub mod mounts;
pub mod net;
pub mod netlive;
pub mod oom;
pub mod pid1;
pub mod pidns;
pub mod platform;
pub mod prefetch;
pub mod primary;
pub mod process;
pub mod reaper;
pub mod rootpath;
pub mod session;
pub mod shares;
pub mod signal_all;
pub mod signals;
pub mod sys;
pub mod tar;
pub mod timeline;
pub mod tree;
pub mod usage;
pub mod users;
pub mod vfork;

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use netlive::LiveNet;
use primary::Primary;
use process::ExecRoot;
use reaper::Reaper;
use session::{LinkWriter, lock};
use tether_protocol::Signal;
use tether_protocol::message::{Message, PrimaryPhase, PrimaryState};

/// Say something on the console (the tether's stderr: /dev/console when
/// it is PID 1). Never fails.
pub fn say(msg: &str) {
    let _ = writeln!(io::stderr(), "tether: {msg}");
}

/// What happens at the end of the domain's life (and when a host comes).
pub trait Ending: Send + Sync {
    /// A host said Hello and was answered: at boot, after a reconnect,
    /// or after the domain resumed from a saved state.
    fn host_connected(&self) {}
    /// The primary exited and all its output was delivered (PrimaryState
    /// was already broadcast).
    fn primary_exited(&self, agent: &Arc<Agent>, state: PrimaryState);
    /// Stop everything; never returns (power off, or exit the process).
    fn finish(&self, agent: &Agent) -> !;
}

/// Shared state of the tether, served on every link.
pub struct Agent {
    /// The link token Hello must carry.
    pub token: Vec<u8>,
    /// Where container processes run.
    pub root: ExecRoot,
    /// The central reaper.
    pub reaper: Arc<Reaper>,
    /// The primary process, if configured.
    pub primary: Option<Arc<Primary>>,
    /// Sent in HelloOk.
    pub description: String,
    links: Mutex<Vec<Weak<LinkWriter>>>,
    network: OnceLock<Arc<LiveNet>>,
    ending: Box<dyn Ending>,
    finishing: AtomicBool,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("root", &self.root)
            .field("primary", &self.primary)
            .finish_non_exhaustive()
    }
}

impl Agent {
    /// A host was answered HelloOk (see [`Ending::host_connected`]).
    pub fn host_connected(&self) {
        self.ending.host_connected();
    }

    /// An agent; wires the primary's exit to a PrimaryState broadcast and
    /// then to `ending`.
    pub fn new(
        token: Vec<u8>,
        root: ExecRoot,
        reaper: Arc<Reaper>,
        primary: Option<Arc<Primary>>,
        ending: Box<dyn Ending>,
    ) -> Arc<Self> {
        let agent = Arc::new(Agent {
            token,
            root,
            reaper,
            primary: primary.clone(),
            description: format!("vicport tether {}", env!("CARGO_PKG_VERSION")),
            links: Mutex::new(Vec::new()),
            network: OnceLock::new(),
            ending,
            finishing: AtomicBool::new(false),
        });
        if let Some(p) = primary {
            let weak = Arc::downgrade(&agent);
            p.on_exit(Box::new(move |state| {
                if let Some(a) = weak.upgrade() {
                    let at = timeline::now_ms();
                    say(&match state.signal {
                        Some(sig) => format!(
                            "primary process exited with code {} ({sig}) (at {at:.1} ms)",
                            state.exit_code
                        ),
                        None => format!(
                            "primary process exited with code {} (at {at:.1} ms)",
                            state.exit_code
                        ),
                    });
                    // A link port blocks writes while no host is connected:
                    // the end of the domain must never wait for it.
                    let b = a.clone();
                    let oom = b.primary.as_ref().and_then(|p| p.oom_victim());
                    if oom.is_some() {
                        say("the primary process was killed by the out-of-memory killer");
                    }
                    session::spawn_thread("broadcast", move || {
                        if let Some(pid) = oom {
                            b.broadcast(&Message::OomKilled { pid });
                        }
                        b.broadcast(&Message::PrimaryState(state))
                    });
                    a.ending.primary_exited(&a, state);
                }
            }));
        }
        agent
    }

    /// Give the agent the domain's network, for changes while it runs
    /// (once; later calls are ignored).
    pub fn set_network(&self, network: LiveNet) {
        let _ = self.network.set(Arc::new(network));
    }

    /// The domain's network, when this tether changes it at run time.
    pub fn network(&self) -> Option<Arc<LiveNet>> {
        self.network.get().cloned()
    }

    /// Remember a link for broadcasts.
    pub fn register_link(&self, link: &Arc<LinkWriter>) {
        let mut l = lock(&self.links);
        l.retain(|w| w.strong_count() > 0);
        l.push(Arc::downgrade(link));
    }

    /// Send `m` on session 0 of every established link.
    pub fn broadcast(&self, m: &Message) {
        let links: Vec<_> = lock(&self.links).iter().filter_map(Weak::upgrade).collect();
        for l in links {
            l.broadcast(m);
        }
    }

    /// The primary's state (phase Absent without one).
    pub fn primary_state(&self) -> PrimaryState {
        self.primary.as_ref().map(|p| p.state()).unwrap_or_default()
    }

    /// A signal the tether received: forward it to the running primary;
    /// with no running primary, TERM and INT end the domain.
    pub fn forward_signal(&self, sig: i32) {
        if let Some(p) = &self.primary {
            if p.signal(sig).is_ok() {
                return;
            }
        }
        if sig == libc::SIGTERM || sig == libc::SIGINT {
            self.finish();
        }
    }

    /// Graceful stop: signal the primary (`signal`, else its configured
    /// stop signal), give it `timeout`, kill it, then finish.
    pub fn shutdown(&self, signal: Option<Signal>, timeout: Duration) {
        if let Some(p) = &self.primary {
            if p.state().phase == PrimaryPhase::Running {
                let sig = signal.unwrap_or_else(|| p.stop_signal());
                match signals::native_or_error(sig) {
                    Ok(native) => {
                        let _ = p.signal(native);
                    }
                    Err(e) => say(&format!("cannot send the stop signal: {e}")),
                }
                if !p.wait_exited(timeout) {
                    say("primary did not stop in time; killing it");
                    let _ = p.signal(libc::SIGKILL);
                    p.wait_exited(Duration::from_secs(2));
                }
                // Give the host a moment to read the final PrimaryState.
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        self.finish()
    }

    /// End the domain (once; later callers park forever).
    pub fn finish(&self) -> ! {
        if self.finishing.swap(true, Ordering::SeqCst) {
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        self.ending.finish(self)
    }
}

/// Kill what the tether spawned (serve mode: never `kill(-1)`): TERM to
/// each known process group, `grace`, then KILL.
pub fn kill_known(reaper: &Reaper, grace: Duration) {
    let pids = reaper.known_pids();
    for &pid in &pids {
        // SAFETY: signalling process groups of our own children.
        unsafe { libc::kill(-pid, libc::SIGTERM) };
    }
    let end = std::time::Instant::now() + grace;
    while std::time::Instant::now() < end && !reaper.known_pids().is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    for pid in reaper.known_pids() {
        // SAFETY: as above.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
}
