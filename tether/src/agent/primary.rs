//! The primary process: started at boot or at the first attach
//! (`wait_for_attach`), its output logged as CRI lines and copied to every
//! attached session, its exit reported to them and to the agent.

use std::os::fd::OwnedFd;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cri_log::CriLog;
use super::oom::OomWatch;
use super::process::{self, Command, ExecRoot, SpawnError};
use super::reaper::Reaper;
use super::session::{
    ExitWatch, OutputTarget, SessionCore, StdinMsg, lock, run_pump, run_stdin, spawn_thread,
};
use tether_protocol::config::ProcessConfig;
use tether_protocol::frame::MAX_DATA;
use tether_protocol::message::{
    AttachRequest, ExitStatus, Message, PrimaryPhase, PrimaryState, Stream,
};

/// Called once with the final state when the primary has exited and all
/// its output was delivered.
pub type ExitHook = Box<dyn Fn(PrimaryState) + Send + Sync>;

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

#[derive(Debug)]
struct PState {
    phase: PrimaryPhase,
    pid: i32,
    exit: ExitStatus,
    started_at: u64,
    finished_at: u64,
    sinks: Vec<Arc<SessionCore>>,
    stdin: Option<mpsc::Sender<StdinMsg>>,
    pty: Option<Arc<OwnedFd>>,
    pending: u32,
    /// The OOM-kill count as it started.
    oom: OomWatch,
    /// The guest's OOM killer ended it.
    oom_killed: bool,
}

/// The primary process of the domain.
pub struct Primary {
    cfg: ProcessConfig,
    root: ExecRoot,
    reaper: Arc<Reaper>,
    log: Option<CriLog>,
    st: Mutex<PState>,
    cond: Condvar,
    watch: Arc<ExitWatch>,
    hook: OnceLock<ExitHook>,
}

impl std::fmt::Debug for Primary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Primary")
            .field("argv", &self.cfg.argv)
            .field("state", &self.state())
            .finish()
    }
}

/// What an attach found.
#[derive(Debug)]
pub enum Attached {
    /// Started (now or earlier) and running: its pid; Started was sent.
    Running(u32),
    /// Already exited; Started and Exit were sent.
    Exited,
}

impl Primary {
    /// A primary in the Waiting phase.
    pub fn new(
        cfg: ProcessConfig,
        root: ExecRoot,
        reaper: Arc<Reaper>,
        log: Option<CriLog>,
    ) -> Arc<Self> {
        Arc::new(Primary {
            cfg,
            root,
            reaper,
            log,
            st: Mutex::new(PState {
                phase: PrimaryPhase::Waiting,
                pid: 0,
                exit: ExitStatus::default(),
                started_at: 0,
                finished_at: 0,
                sinks: Vec::new(),
                stdin: None,
                pty: None,
                pending: 0,
                oom: OomWatch::default(),
                oom_killed: false,
            }),
            cond: Condvar::new(),
            watch: Arc::new(ExitWatch::default()),
            hook: OnceLock::new(),
        })
    }

    /// Set what happens when it has exited (once).
    pub fn on_exit(&self, hook: ExitHook) {
        let _ = self.hook.set(hook);
    }

    /// The configured stop signal.
    pub fn stop_signal(&self) -> tether_protocol::Signal {
        self.cfg.stop_signal
    }

    /// Whether it waits for the first attach.
    pub fn waits_for_attach(&self) -> bool {
        self.cfg.wait_for_attach
    }

    /// The current state.
    pub fn state(&self) -> PrimaryState {
        let s = lock(&self.st);
        PrimaryState {
            phase: s.phase,
            pid: s.pid.max(0) as u32,
            exit_code: s.exit.code,
            signal: s.exit.signal,
            started_at: s.started_at,
            finished_at: s.finished_at,
        }
    }

    /// Start it if it is still waiting.
    pub fn start(self: &Arc<Self>) -> Result<(), SpawnError> {
        let mut st = lock(&self.st);
        self.start_locked(&mut st)
    }

    fn start_locked(self: &Arc<Self>, st: &mut PState) -> Result<(), SpawnError> {
        if st.phase != PrimaryPhase::Waiting {
            return Ok(());
        }
        let cmd = Command {
            argv: self.cfg.argv.clone(),
            env: self.cfg.env.clone(),
            cwd: self.cfg.cwd.clone(),
            user: self.cfg.user.clone(),
            tty: self.cfg.tty,
            rows: 24,
            cols: 80,
            stdin: self.cfg.stdin,
            limits: self.cfg.limits.clone(),
            init: true,
            detached: false,
        };
        let me = self.clone();
        // The exit callback may run inside spawn (fast exit) while we hold
        // the state lock: hand it to a thread.
        let on_exit = Box::new(move |status: i32| {
            spawn_thread("primary-exit", move || me.exited(status));
        });
        st.started_at = now_ns();
        st.oom = OomWatch::start();
        match process::spawn(&cmd, &self.root, &self.reaper, on_exit) {
            Err(e) => {
                super::say(&format!("primary process failed to start: {e}"));
                if let Some(log) = &self.log {
                    log.write(true, format!("{e}\n").as_bytes());
                }
                st.phase = PrimaryPhase::Exited;
                st.exit = ExitStatus {
                    code: e.code,
                    signal: None,
                };
                st.finished_at = now_ns();
                let state = PrimaryState {
                    phase: st.phase,
                    pid: 0,
                    exit_code: e.code,
                    signal: None,
                    started_at: st.started_at,
                    finished_at: st.finished_at,
                };
                self.cond.notify_all();
                let me = self.clone();
                spawn_thread("primary-hook", move || {
                    if let Some(h) = me.hook.get() {
                        h(state)
                    }
                });
                Err(e)
            }
            Ok(child) => {
                st.phase = PrimaryPhase::Running;
                st.pid = child.pid;
                st.pty = child.pty.clone();
                st.pending =
                    1 + u32::from(child.stdout.is_some()) + u32::from(child.stderr.is_some());
                if let Some(fd) = child.stdin {
                    let (tx, rx) = mpsc::channel();
                    st.stdin = Some(tx);
                    let pty = child.pty.is_some();
                    spawn_thread("primary-stdin", move || run_stdin(fd, pty, rx));
                }
                let outs = (child.stdout.map(|o| (o, Stream::Stdout)).into_iter())
                    .chain(child.stderr.map(|e| (e, Stream::Stderr)));
                for (fd, stream) in outs {
                    let me = self.clone();
                    let target: Arc<dyn OutputTarget> = self.clone();
                    let watch = self.watch.clone();
                    spawn_thread("primary-pump", move || {
                        run_pump(fd, stream, target, watch, move || me.part_done())
                    });
                }
                self.cond.notify_all();
                Ok(())
            }
        }
    }

    fn exited(self: &Arc<Self>, status: i32) {
        self.watch.set();
        let mut st = lock(&self.st);
        st.exit = super::signals::exit_status(status);
        st.oom_killed = st.oom.killed(status);
        drop(st);
        self.part_done();
    }

    /// Its pid, if the guest's OOM killer ended it.
    pub fn oom_victim(&self) -> Option<u32> {
        let st = lock(&self.st);
        st.oom_killed.then_some(st.pid.max(0) as u32)
    }

    /// What an attached session hears of its end: OomKilled first if the
    /// OOM killer ended it (on links that speak it), then Exit.
    fn send_end(st: &PState, core: &SessionCore) {
        if st.oom_killed {
            core.send(&Message::OomKilled {
                pid: st.pid.max(0) as u32,
            });
        }
        core.send(&Message::Exit(st.exit));
    }

    fn part_done(self: &Arc<Self>) {
        let mut st = lock(&self.st);
        st.pending = st.pending.saturating_sub(1);
        if st.pending > 0 {
            return;
        }
        st.phase = PrimaryPhase::Exited;
        st.finished_at = now_ns();
        st.stdin = None;
        let sinks = std::mem::take(&mut st.sinks);
        for s in &sinks {
            Self::send_end(&st, s);
        }
        drop(st);
        for s in sinks {
            s.finish();
        }
        self.cond.notify_all();
        let state = self.state();
        if let Some(h) = self.hook.get() {
            h(state);
        }
    }

    /// Attach `core` (its session's frames go out through it). Starts the
    /// primary if it was waiting. Sends Started (and Exit if it already
    /// exited) on `core` before any output can reach it.
    pub fn attach(
        self: &Arc<Self>,
        core: &Arc<SessionCore>,
        req: &AttachRequest,
    ) -> Result<Attached, String> {
        let mut st = lock(&self.st);
        if req.stdin && !self.cfg.stdin {
            return Err("the primary process was not started with stdin open".into());
        }
        let stdin_window = if req.stdin {
            tether_protocol::DEFAULT_WINDOW
        } else {
            0
        };
        match st.phase {
            PrimaryPhase::Exited => {
                core.send(&Message::Started {
                    pid: st.pid.max(0) as u32,
                    stdin_window,
                });
                Self::send_end(&st, core);
                Ok(Attached::Exited)
            }
            PrimaryPhase::Absent => Err("this tether has no primary process".into()),
            PrimaryPhase::Waiting | PrimaryPhase::Running => {
                st.sinks.push(core.clone());
                if let Err(e) = self.start_locked(&mut st) {
                    st.sinks.retain(|s| !Arc::ptr_eq(s, core));
                    core.send(&Message::ExecFailed {
                        code: e.code,
                        message: e.message,
                    });
                    return Ok(Attached::Exited);
                }
                if let Some(p) = &st.pty {
                    let _ = process::set_winsize(p, req.rows, req.cols);
                }
                core.send(&Message::Started {
                    pid: st.pid as u32,
                    stdin_window,
                });
                Ok(Attached::Running(st.pid as u32))
            }
        }
    }

    /// Stop copying output to `core`.
    pub fn detach(&self, core: &Arc<SessionCore>) {
        lock(&self.st).sinks.retain(|s| !Arc::ptr_eq(s, core));
        core.close();
    }

    /// Forward stdin data from an attached session.
    pub fn stdin(&self, data: Vec<u8>, from: Arc<SessionCore>) -> Result<(), String> {
        match &lock(&self.st).stdin {
            Some(tx) => {
                let _ = tx.send(StdinMsg::Data(data, from));
                Ok(())
            }
            None => Err("the primary process's stdin is closed".into()),
        }
    }

    /// Close the primary's stdin.
    pub fn close_stdin(&self) {
        let mut st = lock(&self.st);
        if let Some(tx) = &st.stdin {
            let _ = tx.send(StdinMsg::Close);
        }
        if st.pty.is_none() {
            st.stdin = None;
        }
    }

    /// Resize the primary's terminal.
    pub fn resize(&self, rows: u16, cols: u16) -> Result<(), String> {
        match &lock(&self.st).pty {
            Some(p) => {
                process::set_winsize(p, rows, cols).map_err(|e| format!("resize failed: {e}"))
            }
            None => Err("the primary process has no terminal".into()),
        }
    }

    /// Signal the primary process (its pid, as Docker does).
    pub fn signal(&self, signo: i32) -> Result<(), String> {
        let st = lock(&self.st);
        if st.phase != PrimaryPhase::Running {
            return Err("the primary process is not running".into());
        }
        // SAFETY: kill(2) on a pid we spawned and have not reaped.
        if unsafe { libc::kill(st.pid, signo) } != 0 {
            return Err(format!(
                "signal {signo} failed: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(())
    }

    /// Wait until it exited (true) or `timeout` passed.
    pub fn wait_exited(&self, timeout: Duration) -> bool {
        let st = lock(&self.st);
        let (st, _) = self
            .cond
            .wait_timeout_while(st, timeout, |s| s.phase != PrimaryPhase::Exited)
            .unwrap_or_else(|e| e.into_inner());
        st.phase == PrimaryPhase::Exited
    }
}

impl OutputTarget for Primary {
    fn budget(&self, stream: Stream) -> Option<usize> {
        let waiting_on = {
            let mut st = lock(&self.st);
            st.sinks.retain(|s| !s.is_closed());
            match st.sinks.iter().find(|s| s.credit(stream) == 0) {
                None => {
                    let min = st.sinks.iter().map(|s| s.credit(stream)).min();
                    return Some(min.unwrap_or(MAX_DATA as u64).min(MAX_DATA as u64) as usize);
                }
                Some(s) => s.clone(),
            }
        };
        waiting_on.wait_credit(stream, Duration::from_millis(100));
        Some(0)
    }

    fn deliver(&self, stream: Stream, data: &[u8]) {
        let st = lock(&self.st);
        if let Some(log) = &self.log {
            log.write(stream == Stream::Stderr, data);
        }
        for s in &st.sinks {
            s.send_output(stream, data);
        }
    }

    fn eof(&self, stream: Stream) {
        if let Some(log) = &self.log {
            log.finish(stream == Stream::Stderr);
        }
    }
}
