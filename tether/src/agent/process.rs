//! Starting container processes: fork/exec with pipes or a pty, chroot,
//! user and groups, PATH lookup, and a CLOEXEC errno pipe that tells 127
//! (not found) from 126 (cannot be invoked).
//!
//! Everything the child needs is prepared before the child starts
//! ([`vfork::spawn`]: it shares the tether's memory until it execs; one
//! that gets a user namespace is a copy, [`vfork::fork`]); the child only
//! makes system calls.

use std::ffi::CString;
use std::fmt;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::Arc;

use super::confine::{self, Limits};
use super::pidns::{self, ExecIn, PidNamespace};
use super::reaper::{Entry, ExitCallback, Reaper};
use super::{users, vfork};
use tether_protocol::config::{IdMap, ProcessLimits};

/// The PATH used when the environment has none.
pub use tether_protocol::lookup::DEFAULT_PATH;
use tether_protocol::lookup::candidates;

/// Where container processes run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRoot {
    /// The container's root directory (its /etc/passwd is read from here).
    pub path: PathBuf,
    /// chroot into `path` before exec (false: run in the tether's root).
    pub chroot: bool,
    /// Each process runs in a user namespace of its own with these uid
    /// and gid maps, written by the tether (both empty: the guest's).
    pub uid_map: Vec<IdMap>,
    pub gid_map: Vec<IdMap>,
    /// A pid namespace of the container's own: the primary is its init
    /// and every exec joins it (None: the guest's).
    pub pid_ns: Option<Arc<PidNamespace>>,
}

impl ExecRoot {
    /// The tether's own root, no chroot.
    pub fn host() -> Self {
        ExecRoot {
            path: PathBuf::from("/"),
            chroot: false,
            uid_map: Vec::new(),
            gid_map: Vec::new(),
            pid_ns: None,
        }
    }
}

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Command {
    /// Program and arguments.
    pub argv: Vec<String>,
    /// `NAME=value` entries.
    pub env: Vec<String>,
    /// Working directory inside the root ("" = /).
    pub cwd: String,
    /// `user[:group]` ("" = root).
    pub user: String,
    /// Use a pseudo-terminal.
    pub tty: bool,
    /// Terminal rows.
    pub rows: u16,
    /// Terminal columns.
    pub cols: u16,
    /// Give the process a stdin pipe (else /dev/null).
    pub stdin: bool,
    /// Groups, resource limits, capabilities (the default: none set).
    pub limits: ProcessLimits,
    /// The primary: the init of the root's pid namespace, if it has one
    /// (else the process joins that namespace).
    pub init: bool,
    /// No stdio to pump: stdin, stdout and stderr are /dev/null (a
    /// detached exec; `tty` and `stdin` are then refused).
    pub detached: bool,
}

/// A started process's ends of its stdio.
#[derive(Debug)]
pub struct Child {
    /// Its pid (also its process group and session id).
    pub pid: i32,
    /// Where to write its stdin (the pty master with a tty).
    pub stdin: Option<OwnedFd>,
    /// Its stdout (the pty master with a tty; None when detached).
    pub stdout: Option<OwnedFd>,
    /// Its stderr (None with a tty).
    pub stderr: Option<OwnedFd>,
    /// The pty master, for resizes.
    pub pty: Option<Arc<OwnedFd>>,
}

/// A process that could not be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnError {
    /// 127: command not found; 126: found but cannot be invoked (or the
    /// process could not be set up).
    pub code: i32,
    /// What failed, on what.
    pub message: String,
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SpawnError {}

fn fail(code: i32, message: String) -> SpawnError {
    SpawnError { code, message }
}

fn cstr(s: &str, what: &str) -> Result<CString, SpawnError> {
    CString::new(s).map_err(|_| fail(126, format!("{what} contains a NUL byte")))
}

// Child failure stages reported over the errno pipe.
const STAGE_EXEC: u8 = 1;
const STAGE_CHROOT: u8 = 2;
const STAGE_CHDIR: u8 = 3;
const STAGE_IDENTITY: u8 = 4;
const STAGE_STDIO: u8 = 5;
const STAGE_OOM: u8 = 6;
const STAGE_RLIMIT: u8 = 7;
const STAGE_CAPS: u8 = 8;
const STAGE_NO_NEW_PRIVS: u8 = 9;
const STAGE_USERNS: u8 = 10;
const STAGE_PROC: u8 = 11;

fn last_errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: fds points to two ints.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 returned two fresh descriptors we now own.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Open a pty pair: (master, slave), both CLOEXEC, with the given size.
pub fn open_pty(rows: u16, cols: u16) -> io::Result<(OwnedFd, OwnedFd)> {
    // SAFETY: plain libc calls; every returned fd is checked and owned.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        if m < 0 {
            return Err(io::Error::last_os_error());
        }
        let master = OwnedFd::from_raw_fd(m);
        if libc::grantpt(m) != 0 || libc::unlockpt(m) != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut name = [0 as libc::c_char; 128];
        let rc = libc::ptsname_r(m, name.as_mut_ptr(), name.len());
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        let s = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        if s < 0 {
            return Err(io::Error::last_os_error());
        }
        let slave = OwnedFd::from_raw_fd(s);
        set_winsize(&master, rows, cols)?;
        Ok((master, slave))
    }
}

/// TIOCSWINSZ on a pty master.
pub fn set_winsize(fd: &OwnedFd, rows: u16, cols: u16) -> io::Result<()> {
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads a winsize from a valid pointer.
    if unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn env_get<'a>(env: &'a [String], key: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find_map(|e| e.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

/// Start `cmd` under `root`, registering it with `reaper`; `on_exit` gets
/// its wait status. Only returns once the child has exec'd (or failed to).
pub fn spawn(
    cmd: &Command,
    root: &ExecRoot,
    reaper: &Reaper,
    on_exit: ExitCallback,
) -> Result<Child, SpawnError> {
    let Some(program) = cmd.argv.first().filter(|p| !p.is_empty()) else {
        return Err(fail(127, "no command given".into()));
    };
    let read = |name: &str| fs::read_to_string(root.path.join(name)).unwrap_or_default();
    let ident = users::resolve(
        &cmd.user,
        &users::parse_passwd(&read("etc/passwd")),
        &users::parse_group(&read("etc/group")),
    )
    .map_err(|e| fail(126, format!("cannot run {program}: {e}")))?;

    let limits = confine::plan(&cmd.limits, confine::last_cap())
        .map_err(|e| fail(126, format!("cannot run {program}: {e}")))?;
    let mut env = tether_protocol::env::merged(&cmd.env);
    if env_get(&env, "PATH").is_none() {
        env.push(format!("PATH={DEFAULT_PATH}"));
    }
    if env_get(&env, "HOME").is_none() {
        env.push(format!("HOME={}", ident.home));
    }
    if cmd.tty && env_get(&env, "TERM").is_none() {
        env.push("TERM=xterm".into());
    }
    let cwd = if cmd.cwd.is_empty() { "/" } else { &cmd.cwd };
    // Found as the host's create-time check finds it: absolute paths in
    // the container, whose root the child enters before it execs.
    let candidates: Vec<CString> = candidates(program, &env, cwd)
        .iter()
        .map(|c| cstr(c, "the program path"))
        .collect::<Result<_, _>>()?;
    let argv: Vec<CString> = cmd
        .argv
        .iter()
        .map(|a| cstr(a, "an argument"))
        .collect::<Result<_, _>>()?;
    let envp: Vec<CString> = env
        .iter()
        .map(|e| cstr(e, "an environment entry"))
        .collect::<Result<_, _>>()?;
    let mut argv_p: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_p.push(std::ptr::null());
    let mut envp_p: Vec<*const libc::c_char> = envp.iter().map(|a| a.as_ptr()).collect();
    envp_p.push(std::ptr::null());
    // The primary mounts its namespace's /proc; an exec joins it (or runs
    // in the guest's before the primary starts: a startContainer hook).
    let ended = || {
        fail(
            126,
            format!(
                "cannot run {program}: the container's process has exited, and its pid namespace with it"
            ),
        )
    };
    // The namespace this process is the init of.
    let init_of = root.pid_ns.as_ref().filter(|_| cmd.init);
    let (proc_mounts, join) = match (&root.pid_ns, init_of) {
        (None, _) => (Vec::new(), None),
        (_, Some(ns)) => (raw_mounts(ns.proc_mounts())?, None),
        (Some(ns), None) => match ns.for_exec() {
            ExecIn::Guest => (Vec::new(), None),
            ExecIn::Join(fd) => (Vec::new(), Some(fd)),
            ExecIn::Ended => return Err(ended()),
        },
    };
    let root_c = cstr(&root.path.to_string_lossy(), "the root path")?;
    let cwd_c = cstr(cwd, "the working directory")?;
    let slash = cstr("/", "/")?;

    let io_err =
        |what: &str, e: io::Error| fail(126, format!("cannot start {program}: {what}: {e}"));
    // Parent ends and child ends of stdio.
    let (stdin_p, stdout_p, stderr_p, pty, child_in, child_out, child_err);
    if cmd.detached {
        if cmd.tty || cmd.stdin {
            return Err(fail(
                126,
                format!(
                    "cannot run {program} detached with a terminal or stdin: no one would be at its other end"
                ),
            ));
        }
        let null = |write: bool| {
            fs::OpenOptions::new()
                .read(!write)
                .write(write)
                .open("/dev/null")
                .map(OwnedFd::from)
                .map_err(|e| io_err("open /dev/null", e))
        };
        child_in = null(false)?;
        child_out = null(true)?;
        child_err = null(true)?;
        (stdin_p, stdout_p, stderr_p, pty) = (None, None, None, None);
    } else if cmd.tty {
        let (master, slave) = open_pty(cmd.rows, cmd.cols).map_err(|e| io_err("open pty", e))?;
        let master = Arc::new(master);
        let dup = |fd: &OwnedFd| fd.try_clone().map_err(|e| io_err("dup pty", e));
        stdin_p = Some(dup(&master)?);
        stdout_p = Some(dup(&master)?);
        stderr_p = None;
        child_in = dup(&slave)?;
        child_out = dup(&slave)?;
        child_err = slave;
        pty = Some(master);
    } else {
        if cmd.stdin {
            let (r, w) = pipe().map_err(|e| io_err("stdin pipe", e))?;
            child_in = r;
            stdin_p = Some(w);
        } else {
            let null = fs::File::open("/dev/null").map_err(|e| io_err("open /dev/null", e))?;
            child_in = OwnedFd::from(null);
            stdin_p = None;
        }
        let (r, w) = pipe().map_err(|e| io_err("stdout pipe", e))?;
        stdout_p = Some(r);
        child_out = w;
        let (r, w) = pipe().map_err(|e| io_err("stderr pipe", e))?;
        stderr_p = Some(r);
        child_err = w;
        pty = None;
    }
    let (err_r, err_w) = pipe().map_err(|e| io_err("errno pipe", e))?;
    let groups: Vec<libc::gid_t> = if limits.groups.is_empty() {
        ident.groups.clone()
    } else {
        limits.groups.clone()
    };
    let oom_path = cstr("/proc/self/oom_score_adj", "a path")?;
    // The child unshares its user namespace and says so on `ready`; the
    // tether writes its maps and lets it go on with a byte on `go`.
    let userns = if root.uid_map.is_empty() {
        None
    } else {
        let ready = pipe().map_err(|e| io_err("user namespace pipe", e))?;
        let go = pipe().map_err(|e| io_err("user namespace pipe", e))?;
        Some((ready, go))
    };

    let child_fds = ChildFds {
        stdio: [
            child_in.as_raw_fd(),
            child_out.as_raw_fd(),
            child_err.as_raw_fd(),
        ],
        tty: cmd.tty,
        errno: err_w.as_raw_fd(),
    };
    let plan = ChildPlan {
        chroot: root.chroot.then_some(root_c.as_ptr()),
        slash: slash.as_ptr(),
        cwd: cwd_c.as_ptr(),
        uid: ident.uid,
        gid: ident.gid,
        groups: &groups,
        candidates: &candidates,
        argv: argv_p.as_ptr(),
        envp: envp_p.as_ptr(),
        limits: &limits,
        oom_path: oom_path.as_ptr(),
        proc_mounts: &proc_mounts,
        userns: userns
            .as_ref()
            .map(|(ready, go)| (ready.1.as_raw_fd(), go.0.as_raw_fd())),
    };

    let mut table = reaper.lock();
    // SAFETY: we are the new child, sharing memory with the suspended
    // parent: child_main makes system calls only and never returns.
    let mut child = || unsafe { child_main(&child_fds, &plan) };
    // A child that unshares a user namespace needs a memory of its own
    // (the kernel refuses CLONE_NEWUSER to a process that shares it), and
    // it waits for its maps while the tether writes them: a copy, not a
    // vfork that would suspend the tether until it execs.
    let new_pid = if init_of.is_some() {
        libc::CLONE_NEWPID
    } else {
        0
    };
    let mut clone = || {
        if plan.userns.is_some() {
            // SAFETY: as above; the copy's child_main never returns.
            unsafe { vfork::fork(&mut child, new_pid) }
        } else {
            // SAFETY: see above and `vfork::spawn`.
            unsafe { vfork::spawn(&mut child, new_pid) }
        }
    };
    let spawned = match &join {
        Some(ns) => match pidns::within(ns, clone) {
            Ok(spawned) => spawned,
            Err(e) => {
                drop(table);
                return Err(io_err("joining the container's pid namespace", e));
            }
        },
        None => clone(),
    };
    let pid = match spawned {
        Ok(pid) => pid,
        // A namespace whose init has exited takes no more processes.
        Err(e) if join.is_some() && e.raw_os_error() == Some(libc::ENOMEM) => {
            drop(table);
            return Err(ended());
        }
        Err(e) => {
            drop(table);
            return Err(io_err("clone", e));
        }
    };
    table.insert(pid, Entry::Pending(None));
    drop(table);
    if let Some(ns) = init_of {
        ns.started(pid);
    }
    drop((child_in, child_out, child_err, err_w));
    if let Some(((ready_r, ready_w), (go_r, go_w))) = userns {
        drop((ready_w, go_r));
        if let Err(e) = map_user_namespace(pid, root, &ready_r, &go_w) {
            // SAFETY: our own child, not yet reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            reaper.claim(pid, Box::new(|_| {}));
            return Err(fail(126, format!("cannot start {program}: {e}")));
        }
    }

    let mut report = [0u8; 5];
    let mut got = 0;
    while got < report.len() {
        // SAFETY: reading into the unfilled tail of a local buffer.
        let n = unsafe {
            libc::read(
                err_r.as_raw_fd(),
                report[got..].as_mut_ptr().cast(),
                report.len() - got,
            )
        };
        if n < 0 && last_errno() == libc::EINTR {
            continue;
        }
        if n <= 0 {
            break;
        }
        got += n as usize;
    }
    if got == 0 {
        reaper.claim(pid, on_exit);
        return Ok(Child {
            pid,
            stdin: stdin_p,
            stdout: stdout_p,
            stderr: stderr_p,
            pty,
        });
    }
    reaper.claim(pid, Box::new(|_| {}));
    let errno = i32::from_be_bytes([report[1], report[2], report[3], report[4]]);
    let e = io::Error::from_raw_os_error(errno);
    Err(match report[0] {
        STAGE_EXEC if errno == libc::ENOENT || errno == libc::ENOTDIR => fail(
            127,
            if program.contains('/') {
                format!("{program}: no such file or directory")
            } else {
                format!("{program}: executable file not found in $PATH")
            },
        ),
        STAGE_EXEC => fail(126, format!("{program}: cannot execute: {e}")),
        STAGE_CHROOT => fail(
            126,
            format!("cannot chroot to {}: {e}", root.path.display()),
        ),
        STAGE_CHDIR => fail(126, format!("cannot change directory to {cwd}: {e}")),
        STAGE_IDENTITY => fail(
            126,
            format!(
                "cannot switch to user `{}` (uid {}): {e}",
                cmd.user, ident.uid
            ),
        ),
        STAGE_OOM => fail(126, format!("cannot set the OOM score adjustment: {e}")),
        STAGE_RLIMIT => fail(126, format!("cannot set a resource limit (setrlimit): {e}")),
        STAGE_CAPS => fail(126, format!("cannot set the capabilities: {e}")),
        STAGE_NO_NEW_PRIVS => fail(126, format!("cannot set no_new_privs: {e}")),
        STAGE_USERNS => fail(126, format!("cannot make a user namespace: {e}")),
        STAGE_PROC => fail(
            126,
            format!("cannot mount the container's /proc in its pid namespace: {e}"),
        ),
        _ => fail(126, format!("cannot set up stdio for {program}: {e}")),
    })
}

struct ChildFds {
    stdio: [RawFd; 3],
    tty: bool,
    errno: RawFd,
}

struct ChildPlan<'a> {
    chroot: Option<*const libc::c_char>,
    slash: *const libc::c_char,
    cwd: *const libc::c_char,
    uid: u32,
    gid: u32,
    groups: &'a [libc::gid_t],
    candidates: &'a [CString],
    argv: *const *const libc::c_char,
    envp: *const *const libc::c_char,
    limits: &'a Limits,
    oom_path: *const libc::c_char,
    /// Made first: the /proc of the pid namespace the process is init of.
    proc_mounts: &'a [RawMount],
    /// (ready to write, go to read) when the process gets a user namespace.
    userns: Option<(RawFd, RawFd)>,
}

/// A [`MountCall`](super::sys::MountCall) ready for the child.
struct RawMount {
    source: CString,
    target: CString,
    fstype: Option<CString>,
    flags: libc::c_ulong,
    data: Option<CString>,
}

impl RawMount {
    fn fstype_ptr(&self) -> *const libc::c_char {
        self.fstype
            .as_ref()
            .map_or(std::ptr::null(), |f| f.as_ptr())
    }

    fn data_ptr(&self) -> *const libc::c_void {
        self.data
            .as_ref()
            .map_or(std::ptr::null(), |d| d.as_ptr().cast())
    }
}

fn raw_mounts(calls: &[super::sys::MountCall]) -> Result<Vec<RawMount>, SpawnError> {
    let optional = |s: &str, what: &str| -> Result<Option<CString>, SpawnError> {
        (!s.is_empty()).then(|| cstr(s, what)).transpose()
    };
    calls
        .iter()
        .map(|c| {
            Ok(RawMount {
                source: cstr(&c.source, "a mount source")?,
                target: cstr(&c.target, "a mount point")?,
                fstype: optional(&c.fstype, "a filesystem type")?,
                flags: c.flags as libc::c_ulong,
                data: optional(&c.data, "mount options")?,
            })
        })
        .collect()
}

/// Write the maps of the child `pid` once it has unshared its user
/// namespace (a byte on `ready`), then let it go on (a byte on `go`). A
/// child that failed before says nothing: its report follows.
fn map_user_namespace(pid: i32, root: &ExecRoot, ready: &OwnedFd, go: &OwnedFd) -> io::Result<()> {
    let mut byte = [0u8; 1];
    loop {
        // SAFETY: reading one byte into a local buffer.
        let n = unsafe { libc::read(ready.as_raw_fd(), byte.as_mut_ptr().cast(), 1) };
        if n < 0 && last_errno() == libc::EINTR {
            continue;
        }
        if n != 1 {
            return Ok(());
        }
        break;
    }
    for (file, map) in [("uid_map", &root.uid_map), ("gid_map", &root.gid_map)] {
        let text: String = map.iter().map(|m| format!("{m}\n")).collect();
        fs::write(format!("/proc/{pid}/{file}"), text.as_bytes()).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "writing its {file} ({}): {e}",
                    text.trim().replace('\n', ", ")
                ),
            )
        })?;
    }
    // SAFETY: writing one byte from a local buffer.
    if unsafe { libc::write(go.as_raw_fd(), byte.as_ptr().cast(), 1) } != 1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The child: set up and exec, or report (stage, errno) and exit.
///
/// # Safety
/// Only to be called in the new child of [`vfork::spawn`]; never returns.
unsafe fn child_main(fds: &ChildFds, plan: &ChildPlan<'_>) -> ! {
    // SAFETY: async-signal-safe libc calls on prepared data only.
    unsafe {
        let report = |stage: u8| -> ! {
            let e = (*libc::__errno_location()).to_be_bytes();
            let buf = [stage, e[0], e[1], e[2], e[3]];
            libc::write(fds.errno, buf.as_ptr().cast(), buf.len());
            libc::_exit(127);
        };
        // Every disposition back to default: a signal the tether's own
        // parent ignored (SIGINT under a background shell, SIGPIPE from the
        // Rust runtime) must not stay ignored in the container's process,
        // where `trap` could not even undo it. Before the mask opens: a
        // tether handler must never run here, in the tether's memory.
        for sig in 1..65 {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::setsid();
        if fds.tty && libc::ioctl(fds.stdio[0], libc::TIOCSCTTY, 0) != 0 {
            report(STAGE_STDIO);
        }
        for (target, &fd) in fds.stdio.iter().enumerate() {
            let target = target as RawFd;
            if fd == target {
                libc::fcntl(fd, libc::F_SETFD, 0);
            } else if libc::dup2(fd, target) < 0 {
                report(STAGE_STDIO);
            }
        }
        let limits = plan.limits;
        // The OOM score while /proc is the tether's, before the chroot.
        if let Some(adj) = &limits.oom_score_adj {
            let fd = libc::open(plan.oom_path, libc::O_WRONLY | libc::O_CLOEXEC);
            let text = adj.as_bytes();
            if fd < 0 || libc::write(fd, text.as_ptr().cast(), text.len()) < 0 {
                report(STAGE_OOM);
            }
            libc::close(fd);
        }
        for &(resource, soft, hard) in &limits.rlimits {
            let rl = libc::rlimit {
                rlim_cur: soft as libc::rlim_t,
                rlim_max: hard as libc::rlim_t,
            };
            if libc::setrlimit(resource as _, &rl) != 0 {
                report(STAGE_RLIMIT);
            }
        }
        // Before the chroot, and before a user namespace: the mounts are
        // made with the guest's root's powers, on the tether's paths.
        for m in plan.proc_mounts {
            if libc::mount(
                m.source.as_ptr(),
                m.target.as_ptr(),
                m.fstype_ptr(),
                m.flags,
                m.data_ptr(),
            ) != 0
            {
                report(STAGE_PROC);
            }
        }
        // Before the chroot: a chrooted process cannot make one.
        if let Some((ready, go)) = plan.userns {
            let mut byte = [1u8; 1];
            if libc::unshare(libc::CLONE_NEWUSER) != 0
                || libc::write(ready, byte.as_ptr().cast(), 1) != 1
            {
                report(STAGE_USERNS);
            }
            if libc::read(go, byte.as_mut_ptr().cast(), 1) != 1 {
                *libc::__errno_location() = libc::ECHILD;
                report(STAGE_USERNS);
            }
        }
        if let Some(root) = plan.chroot {
            if libc::chroot(root) != 0 || libc::chdir(plan.slash) != 0 {
                report(STAGE_CHROOT);
            }
        }
        if libc::chdir(plan.cwd) != 0 {
            report(STAGE_CHDIR);
        }
        if let Some(caps) = &limits.caps {
            for &c in &caps.drop_bounding {
                if libc::prctl(libc::PR_CAPBSET_DROP, c as libc::c_ulong, 0, 0, 0) != 0
                    && *libc::__errno_location() != libc::EINVAL
                {
                    report(STAGE_CAPS);
                }
            }
            // Keep the permitted set across setuid; capset trims it below.
            libc::prctl(libc::PR_SET_KEEPCAPS, 1, 0, 0, 0);
        }
        // In a user namespace of its own it holds every capability there,
        // whatever its (unmapped) ids show.
        if libc::geteuid() == 0 || plan.userns.is_some() {
            if vfork::setgroups(plan.groups.len(), plan.groups.as_ptr()) != 0
                || vfork::setgid(plan.gid) != 0
                || vfork::setuid(plan.uid) != 0
            {
                report(STAGE_IDENTITY);
            }
        } else if plan.uid != libc::getuid() {
            *libc::__errno_location() = libc::EPERM;
            report(STAGE_IDENTITY);
        }
        if let Some(caps) = &limits.caps {
            if !set_capabilities(caps) {
                report(STAGE_CAPS);
            }
        }
        if limits.no_new_privileges && libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            report(STAGE_NO_NEW_PRIVS);
        }
        let mut saved = libc::ENOENT;
        for c in plan.candidates {
            libc::execve(c.as_ptr(), plan.argv, plan.envp);
            let e = *libc::__errno_location();
            if e != libc::ENOENT && e != libc::ENOTDIR && saved == libc::ENOENT {
                saved = e;
            }
        }
        *libc::__errno_location() = saved;
        report(STAGE_EXEC)
    }
}

/// capset(2) of the effective, permitted and inheritable sets, then the
/// ambient capabilities raised; in the new child (system calls only).
/// False, with errno set, when a call failed.
///
/// # Safety
/// Only in the new child, like `child_main`.
unsafe fn set_capabilities(caps: &confine::CapPlan) -> bool {
    /// `_LINUX_CAPABILITY_VERSION_3`: two 32-bit words per set.
    const VERSION_3: u32 = 0x2008_0522;
    #[repr(C)]
    struct Header {
        version: u32,
        pid: libc::c_int,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let m = caps.masks;
    let header = Header {
        version: VERSION_3,
        pid: 0,
    };
    let data = [0, 1].map(|i| Data {
        effective: m.effective[i],
        permitted: m.permitted[i],
        inheritable: m.inheritable[i],
    });
    // SAFETY: capset with a version-3 header and two data words.
    unsafe {
        if libc::syscall(libc::SYS_capset, &header, data.as_ptr()) != 0 {
            return false;
        }
        caps.ambient.iter().all(|&c| {
            libc::prctl(
                libc::PR_CAP_AMBIENT,
                libc::PR_CAP_AMBIENT_RAISE as libc::c_ulong,
                c as libc::c_ulong,
                0,
                0,
            ) == 0
        })
    }
}
