//! A config's pid namespace (`pidns=true`) in serve mode with `--root`:
//! the primary is PID 1 of a namespace of its own and sees that
//! namespace's /proc; a signal it has no handler for is dropped, as the
//! kernel does for an init (so a graceful stop of a plain shell ends in
//! KILL, 137, as under runc), one it handles arrives; an exec joins the
//! namespace; before the primary starts it runs in the guest's, after
//! the primary exited it fails with 126.
//! Needs root (chroot, CLONE_NEWPID, mount) and `busybox-static`; the
//! init's /proc is mounted on the test's own root directory and
//! unmounted by the test.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use tether_protocol::Signal;
use tether_protocol::client::ClientError;
use tether_protocol::config::{DomainConfig, PortSpec, ProcessConfig};
use tether_protocol::message::{AttachRequest, PrimaryPhase};

/// A busybox root with /proc to mount on; unmounted and removed on drop.
struct Root(PathBuf);

impl Root {
    fn new(name: &str) -> Root {
        // SAFETY: geteuid has no preconditions.
        let euid = unsafe { libc::geteuid() };
        assert_eq!(
            euid, 0,
            "this test needs root (chroot, CLONE_NEWPID, mount)"
        );
        let busybox = Path::new("/bin/busybox");
        assert!(
            busybox.exists(),
            "this test needs busybox-static (/bin/busybox)"
        );
        let root = std::env::temp_dir().join(format!("tether-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for d in ["bin", "etc", "proc"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::copy(busybox, root.join("bin/busybox")).unwrap();
        for applet in ["sh", "ls", "sleep", "echo", "cat"] {
            std::os::unix::fs::symlink("busybox", root.join("bin").join(applet)).unwrap();
        }
        std::fs::write(root.join("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n").unwrap();
        Root(root)
    }

    fn config(&self, script: &str, wait_for_attach: bool) -> String {
        let mut c = DomainConfig::new(TOKEN.to_vec(), PortSpec::File("/dev/null".into()));
        c.log = Some(PortSpec::File(self.log().to_string_lossy().into_owned()));
        c.pid_namespace = true;
        c.process = ProcessConfig {
            argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
            wait_for_attach,
            ..Default::default()
        };
        let path = self.0.join("config");
        std::fs::write(&path, c.encode()).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn log(&self) -> PathBuf {
        self.0.join("output.log")
    }

    fn logged(&self, text: &str) -> bool {
        std::fs::read_to_string(self.log())
            .unwrap_or_default()
            .contains(text)
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let proc =
            std::ffi::CString::new(self.0.join("proc").to_string_lossy().as_bytes()).unwrap();
        // SAFETY: detaching whatever the init mounted on our directory's
        // /proc (nothing if it did not start).
        while unsafe { libc::umount2(proc.as_ptr(), libc::MNT_DETACH) } == 0 {}
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_primary_is_the_init_of_its_pid_namespace() {
    let root = Root::new("pidns");
    let cfg = root.config(
        "trap 'echo got USR1' USR1; echo \"init $$\"; while :; do sleep 0.05; done",
        false,
    );
    let t = Tether::start(&["--root", root.0.to_str().unwrap(), "--config", &cfg]);
    let c = t.client();
    assert!(wait_for(Duration::from_secs(5), || root.logged("init 1")));
    let host_pid = c.primary_status().unwrap().pid;
    assert!(
        host_pid > 1,
        "the tether reports the host's pid: {host_pid}"
    );

    // An exec joins the namespace, and its /proc is the namespace's: the
    // init, the exec, the loop's sleep; not the tether.
    let out = c
        .exec(sh("echo $$; cat /proc/1/cmdline; echo; ls /proc"))
        .unwrap()
        .wait_with_output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let own: u32 = lines.next().unwrap().parse().unwrap();
    assert!((2..100).contains(&own), "the exec's pid in it: {text}");
    assert!(
        lines.next().unwrap().starts_with("/bin/sh\0-c\0trap"),
        "{text}"
    );
    let pids: Vec<&str> = lines
        .filter(|l| l.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert!(pids.contains(&"1"), "{text}");
    assert!(!pids.contains(&t.pid().to_string().as_str()), "{text}");

    // A handled signal arrives; TERM, unhandled, is dropped: a graceful
    // stop waits, then kills.
    let s = c
        .attach(AttachRequest {
            window: tether_protocol::DEFAULT_WINDOW,
            ..Default::default()
        })
        .unwrap();
    s.signal(Signal::USR1).unwrap();
    assert!(wait_for(Duration::from_secs(5), || root.logged("got USR1")));
    s.signal(Signal::TERM).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(c.primary_status().unwrap().phase, PrimaryPhase::Running);
    c.shutdown(Some(Signal::TERM), Duration::from_millis(500))
        .unwrap();
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!((st.exit_code, st.signal), (137, Some(Signal::KILL)));
}

#[test]
fn an_exec_before_the_primary_starts_runs_in_the_guests_and_one_after_it_exits_fails() {
    let root = Root::new("pidns-early");
    let cfg = root.config("echo started", true);
    let t = Tether::start(&["--root", root.0.to_str().unwrap(), "--config", &cfg]);
    let c = t.client();
    // No namespace yet (an OCI startContainer hook runs now): the
    // guest's, where it is not PID 1.
    let out = c.exec(sh("echo $$")).unwrap().wait_with_output().unwrap();
    assert_eq!(out.status.code, 0);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let pid: u32 = text.lines().next().unwrap().parse().unwrap();
    assert!(pid > 1, "{text}");
    // Started, and exited: its namespace ended with it.
    let s = c
        .attach(AttachRequest {
            window: tether_protocol::DEFAULT_WINDOW,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(s.wait().unwrap().code, 0);
    match c.exec(sh("true")) {
        Err(ClientError::ExecFailed { code, message }) => {
            assert_eq!(code, 126);
            assert!(message.contains("has exited"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn signal_all_reaches_every_process_and_the_init_keeps_its_rule() {
    let root = Root::new("pidns-all");
    // Busybox's shell reads a background job's stdin from /dev/null.
    std::fs::create_dir(root.0.join("dev")).unwrap();
    let null = std::ffi::CString::new(root.0.join("dev/null").to_str().unwrap()).unwrap();
    // SAFETY: mknod(2) of the character device 1:3 at a path we own.
    let rc = unsafe { libc::mknod(null.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    assert_eq!(rc, 0, "{}", std::io::Error::last_os_error());
    let cfg = root.config(
        "sleep 300 & sleep 300 & wait; echo children gone; sleep 0.2",
        false,
    );
    let t = Tether::start(&["--root", root.0.to_str().unwrap(), "--config", &cfg]);
    let c = t.client();
    let exec = c.exec(sh("exec sleep 301")).unwrap();
    let sleeps = || {
        c.top()
            .unwrap()
            .iter()
            .filter(|p| p.command.starts_with("sleep 30"))
            .count()
    };
    let ok = wait_for(Duration::from_secs(5), || sleeps() == 3);
    assert!(ok, "{:?}", c.top());
    // The init (the primary), its two children, the exec: four. The init
    // has no handler for TERM and drops it, as the kernel has it for the
    // init of a pid namespace; the others die of it, so its `wait` ends.
    assert_eq!(c.signal_all(Signal::TERM).unwrap(), 4);
    let st = exec.wait().unwrap();
    assert_eq!((st.code, st.signal), (143, Some(Signal::TERM)));
    let st = c.wait_primary_exit(Duration::from_secs(5)).unwrap();
    assert_eq!(st.exit_code, 0);
    assert!(root.logged("children gone"));
}
