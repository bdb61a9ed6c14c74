//! Looking into running domains through the binary: `domain stats`,
//! `domain top`, `domain cp`, and `domain diff`, `export` and `commit`
//! (with a boot of the committed image), on a real local domain (one boot
//! covers all of them) and on vSphere (vcsim for the VM's side: its quickStats and
//! performance counters; a `tether serve` standing in for the guest, with
//! a root directory of its own, for the guest's side).

use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, Outcome, dir_names, run};
use crate::vsphere::{StandIn, fake_boot_image, import_busybox, log_in, log_out};

/// Set a file's modification time (seconds since 1970).
fn set_mtime(path: &Path, secs: u64) {
    std::fs::File::open(path)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .unwrap();
}

/// A small tree on the host: a file (0640, a fixed time), a link that
/// points out of wherever it lands, and a subdirectory.
fn host_tree(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("f"), "from the host\n").unwrap();
    std::fs::set_permissions(dir.join("f"), std::fs::Permissions::from_mode(0o640)).unwrap();
    set_mtime(&dir.join("f"), 1_600_000_000);
    std::fs::write(dir.join("sub/g"), "deeper\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("link")).unwrap();
}

/// The JSON lines of a `-o json` stats run.
fn stats_lines(out: &Outcome) -> Vec<serde_json::Value> {
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `vicport ARGS` with `input` on stdin, its stdout as bytes.
fn run_bytes(mut cmd: Command, input: &[u8]) -> (i32, Vec<u8>, String) {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A tar of one file `name` holding `data`.
fn one_file_tar(name: &str, data: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(data.len() as u64);
    h.set_mode(0o600);
    h.set_mtime(1_500_000_000);
    h.set_cksum();
    b.append_data(&mut h, name, data).unwrap();
    b.into_inner().unwrap()
}

/// The entries of a tar: name and content.
fn tar_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = tar::Archive::new(bytes);
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.path().unwrap().display().to_string(), data)
        })
        .collect()
}

/// What every platform does the same: with `env` holding a running domain
/// `name` whose container has /tmp, copies both ways keep modes, times and
/// links, land where `docker cp` puts them, and name what is missing.
fn copies_both_ways(env: &Env, name: &str, read_in_domain: &dyn Fn(&str) -> String) {
    let host = env.root().join("host");
    host_tree(&host.join("tree"));
    run(env
        .vicport(["domain", "cp"])
        .arg(host.join("tree"))
        .arg(format!("{name}:/tmp")))
    .code(0);
    assert_eq!(read_in_domain("/tmp/tree/f"), "from the host\n");
    // Onto an existing directory: inside it.
    let out = run(env
        .vicport(["-o", "json", "domain", "cp"])
        .arg(host.join("tree"))
        .arg(format!("{name}:/tmp/tree")));
    out.code(0);
    assert_eq!(out.json()["domain"], name);
    assert!(
        out.json()["bytes"].as_u64().unwrap() > 1024,
        "{}",
        out.stdout
    );
    assert_eq!(read_in_domain("/tmp/tree/tree/sub/g"), "deeper\n");
    // Back out, to a name that does not exist yet: modes, times, links kept.
    run(env
        .vicport(["domain", "cp", &format!("{name}:/tmp/tree")])
        .arg(host.join("back")))
    .code(0);
    let f = std::fs::metadata(host.join("back/f")).unwrap();
    assert_eq!((f.mode() & 0o7777, f.mtime()), (0o640, 1_600_000_000));
    assert_eq!(
        std::fs::read_to_string(host.join("back/tree/sub/g")).unwrap(),
        "deeper\n"
    );
    assert_eq!(
        std::fs::read_link(host.join("back/link")).unwrap(),
        Path::new("/etc/passwd"),
        "a link is copied as a link, in and out"
    );
    // A file onto an existing file replaces it.
    std::fs::write(host.join("other"), "replaced\n").unwrap();
    run(env
        .vicport(["domain", "cp"])
        .arg(host.join("other"))
        .arg(format!("{name}:/tmp/tree/f")))
    .code(0);
    assert_eq!(read_in_domain("/tmp/tree/f"), "replaced\n");

    // `-`: a tar stream on stdin and on stdout.
    let (code, _, err) = run_bytes(
        env.vicport(["domain", "cp", "-", &format!("{name}:/tmp")]),
        &one_file_tar("streamed", b"via stdin\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(read_in_domain("/tmp/streamed"), "via stdin\n");
    let (code, tar, err) = run_bytes(
        env.vicport(["domain", "cp", &format!("{name}:/tmp/streamed"), "-"]),
        b"",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        tar_entries(&tar),
        [("streamed".to_string(), b"via stdin\n".to_vec())]
    );

    // What does not exist: exit 3, named, in the domain and on the host.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "cp",
        &format!("{name}:/no/such/file"),
        ".",
    ]));
    out.code(3);
    assert_eq!(out.json_error()["error"]["kind"], "not_found");
    assert!(out.stderr.contains("/no/such/file"), "{}", out.stderr);
    let out = run(env.vicport([
        "domain",
        "cp",
        "./no-such-host-file",
        &format!("{name}:/tmp"),
    ]));
    out.code(3);
    assert!(out.stderr.contains("no-such-host-file"), "{}", out.stderr);
    let out = run(env
        .vicport(["domain", "cp"])
        .arg(host.join("other"))
        .arg(format!("{name}:/no/dir/x")));
    out.code(3);
    assert!(out.stderr.contains("/no/dir"), "{}", out.stderr);
    // Usage errors.
    run(env.vicport(["domain", "cp", "a", "b"])).code(2);
    run(env.vicport(["domain", "cp", &format!("{name}:/a"), &format!("{name}:/b")])).code(2);
    run(env
        .vicport(["domain", "cp"])
        .arg(host.join("tree"))
        .arg(format!("{name}:/tmp/tree/f")))
    .code(2);
}

/// A stopped domain: stats shows its state and zeros; top is refused
/// with exit 6, and so are cp, diff, commit and export where the platform
/// reaches a root only while the domain runs (vSphere).
fn stopped_domain_refuses_copies(env: &Env, name: &str) {
    stopped_domain_refuses_processes(env, name);
    std::fs::write(env.root().join("late"), "x").unwrap();
    let out = run(env
        .vicport(["-o", "json", "domain", "cp"])
        .arg(env.root().join("late"))
        .arg(format!("{name}:/tmp")));
    out.code(6);
    assert_eq!(out.json_error()["error"]["kind"], "invalid_state");
    run(env.vicport(["domain", "cp", &format!("{name}:/tmp"), "."])).code(6);
    run(env.vicport(["domain", "diff", name])).code(6);
    run(env.vicport(["domain", "commit", name, "never:1"])).code(6);
    let out = run(env
        .vicport(["domain", "export", name, "-f"])
        .arg(env.root().join("never.tar")));
    out.code(6);
    assert!(!env.root().join("never.tar").exists());
}

/// A stopped domain's stats (its state and zeros), and top refused with
/// exit 6.
fn stopped_domain_refuses_processes(env: &Env, name: &str) {
    let out = run(env.vicport(["-o", "json", "domain", "stats", "--no-stream", name]));
    out.code(0);
    let row = &stats_lines(&out)[0];
    assert_eq!(row["state"], "stopped");
    assert_eq!(row["source"], "none");
    for field in [
        "cpu_percent",
        "memory_used",
        "memory_limit",
        "net_rx",
        "pids",
        "host_memory",
    ] {
        assert_eq!(row[field].as_f64(), Some(0.0), "{field}: {row}");
    }
    run(env.vicport(["domain", "top", name])).code(6);
}

/// A stopped local domain's root disk is reached without starting it (a
/// VM of its own boots it): diff, export and commit see what its runs
/// wrote there, cp writes into it and reads from it, the domain stays
/// stopped, and no such VM is left, even when its CLI was killed.
fn stopped_root_is_read(env: &Env, name: &str) {
    // A boot finds the boot image in the shared cache, and diff and commit
    // compare with the image's blobs in that same cache: the image goes
    // there too (a user has one cache for both).
    env.import_busybox_by(env.booting(["image", "import"]));
    let out = run(env.booting(["-o", "json", "domain", "diff", name]));
    let changes = change_lines(&out);
    for want in [
        "added /planted",
        "added /srv/app/conf",
        "deleted /var/cache/old",
    ] {
        assert!(changes.iter().any(|c| c == want), "{want}: {changes:?}");
    }
    let file = env.root().join("stopped.tar");
    let out = run(env.booting(["domain", "export", name, "-f"]).arg(&file));
    out.code(0);
    assert_eq!(out.stderr, "", "no progress off a terminal");
    let tree = tree_of(&std::fs::read(&file).unwrap());
    assert_eq!(tree["planted"], b"inside\n");
    assert_eq!(tree["srv/app/conf"], b"v1\n");
    assert!(!tree.contains_key("scratch/x"), "a tmpfs's file exported");
    let out = run(env.booting(["-o", "json", "domain", "commit", name, "stopped:1"]));
    out.code(0);
    assert_eq!(out.json()["changes"], changes.len(), "{}", out.stdout);
    let out = run(env.vicport(["-o", "json", "domain", "inspect", name]));
    assert_eq!(out.code(0).json()["state"], "stopped", "{}", out.stdout);
    let readers = env.state_dir().join("readers");
    assert_eq!(
        dir_names(&readers),
        Vec::<String>::new(),
        "a reader was left"
    );
    let ls = run(env.vicport(["-o", "json", "domain", "ls"]));
    assert_eq!(
        ls.code(0).json().as_array().map(Vec::len),
        Some(1),
        "{}",
        ls.stdout
    );

    // An export killed while its reader boots leaves that VM, which
    // reads the domain's disk; the domain's next start sweeps it.
    let mut export = env.booting(["domain", "export", name, "-f"]);
    let mut export = export
        .arg(env.root().join("killed.tar"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let qemu_of_reader = || {
        let vm = dir_names(&readers).first()?.clone();
        let vms = readers.join(vm).join("domains");
        let id = dir_names(&vms).into_iter().find(|n| !n.starts_with('.'))?;
        std::fs::read_to_string(vms.join(id).join("qemu.pid")).ok()
    };
    let started = std::time::Instant::now();
    let pid = loop {
        if let Some(pid) = qemu_of_reader() {
            break pid.trim().parse::<i32>().unwrap();
        }
        assert!(started.elapsed().as_secs() < 30, "no reader started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    export.kill().unwrap();
    export.wait().unwrap();
    assert!(
        Path::new(&format!("/proc/{pid}")).exists(),
        "the reader's QEMU stays"
    );
    run(env.booting(["domain", "start", name])).code(0);
    assert_eq!(
        dir_names(&readers),
        Vec::<String>::new(),
        "a reader was left"
    );
    assert!(
        !Path::new(&format!("/proc/{pid}/cwd")).exists(),
        "the reader's QEMU runs on"
    );
    run(env.vicport(["domain", "stop", "-t", "2", name])).code(0);

    // cp both ways: into the disk itself (its guest shuts down cleanly
    // before the copy counts), and back out of it.
    std::fs::write(env.root().join("copied"), "into a stopped domain\n").unwrap();
    run(env
        .booting(["domain", "cp"])
        .arg(env.root().join("copied"))
        .arg(format!("{name}:/etc/")))
    .code(0);
    // On a terminal the boot is said (a spinner); off one, nothing.
    let back = env.root().join("back");
    let mut cp = env.booting(["domain", "cp", &format!("{name}:/etc/copied")]);
    cp.arg(&back);
    let (screen, code) = crate::support::on_a_terminal(cp, (24, 100), &[]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains(&format!("booting domain \"{name}\"'s disk on its own")),
        "{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "into a stopped domain\n"
    );
    // A mount is there only while the domain runs: refused, nothing boots.
    let out = run(env.booting(["domain", "cp", &format!("{name}:/scratch/x"), "."]));
    out.code(6);
    assert!(
        out.stderr.contains("/scratch/x in domain") && out.stderr.contains("tmpfs at /scratch"),
        "{}",
        out.stderr
    );
    let out = run(env
        .booting(["domain", "cp"])
        .arg(env.root().join("copied"))
        .arg(format!("{name}:/ro/sub/..")));
    out.code(6);
    assert!(out.stderr.contains("host path"), "{}", out.stderr);
    // A read-only root takes no copy, even stopped.
    run(env.vicport([
        "domain",
        "create",
        "--read-only",
        "--name",
        "sealed",
        "busybox",
        "--",
        "true",
    ]))
    .code(0);
    let out = run(env
        .booting(["domain", "cp"])
        .arg(env.root().join("copied"))
        .arg("sealed:/"));
    out.code(6);
    assert!(
        out.stderr.contains("read-only (--read-only)"),
        "{}",
        out.stderr
    );
    run(env.vicport(["domain", "rm", "sealed"])).code(0);
    assert_eq!(
        dir_names(&readers),
        Vec::<String>::new(),
        "a reader was left"
    );
}

/// The names and contents of a tar's files (`./` dropped), and its
/// directories (with a trailing `/`).
fn tree_of(tar: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut a = tar::Archive::new(tar);
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = String::from_utf8_lossy(&e.path_bytes())
                .trim_start_matches("./")
                .to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            if e.header().entry_type().is_dir() {
                (format!("{}/", name.trim_end_matches('/')), data)
            } else {
                (name, data)
            }
        })
        .collect()
}

/// `domain diff -o json`'s changes as `KIND /path` lines.
fn change_lines(out: &Outcome) -> Vec<String> {
    out.code(0);
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["kind"].as_str().unwrap(),
                c["path"].as_str().unwrap()
            )
        })
        .collect()
}

/// A running domain's root as an image: what it changed (not what its
/// mounts hold), the archive of it, and a new image of it that boots with
/// the changes.
fn root_as_an_image(env: &Env, name: &str) {
    run(env.vicport([
        "exec",
        name,
        "--",
        "sh",
        "-c",
        "echo changed > /etc/motd && busybox rm -r /var/cache/old && \
         busybox mkdir -p /srv/app && echo v1 > /srv/app/conf && echo gone > /scratch/x",
    ]))
    .code(0);
    let out = run(env.vicport(["-o", "json", "domain", "diff", name]));
    let changes = change_lines(&out);
    // The mount points the tether made are the domain's (as docker's
    // volume mount points are); their contents, the runtime's files and
    // /proc, /sys, /dev are not.
    assert_eq!(
        changes,
        [
            "changed /etc",
            "changed /etc/motd",
            "added /ro",
            "added /scratch",
            "changed /srv",
            "added /srv/app",
            "added /srv/app/conf",
            "changed /var",
            "changed /var/cache",
            "deleted /var/cache/old",
        ],
        "{}",
        out.stdout
    );
    let out = run(env.vicport(["domain", "diff", name]));
    out.code(0);
    assert!(
        out.stdout.starts_with("KIND") && out.stdout.contains("D     /var/cache/old"),
        "{}",
        out.stdout
    );

    // The archive: the root disk, not the mounts.
    let file = env.root().join("root.tar");
    run(env.vicport(["domain", "export", name, "-f"]).arg(&file)).code(0);
    let tree = tree_of(&std::fs::read(&file).unwrap());
    assert_eq!(tree["srv/app/conf"], b"v1\n");
    assert_eq!(tree["etc/motd"], b"changed\n");
    assert_eq!(tree["bin/busybox"], std::fs::read("/bin/busybox").unwrap());
    assert!(tree.contains_key("ro/") && tree.contains_key("scratch/"));
    for absent in ["ro/hostfile", "scratch/x", "var/cache/old/", "proc/self/"] {
        assert!(!tree.contains_key(absent), "{absent} exported");
    }
    let streamed = run_bytes(env.vicport(["domain", "export", name]), b"");
    assert_eq!(streamed.0, 0, "{}", streamed.2);
    assert_eq!(
        tree_of(&streamed.1).keys().collect::<Vec<_>>(),
        tree.keys().collect::<Vec<_>>()
    );

    // The new image: its base's layers and one more, which boots with the
    // changes.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "commit",
        name,
        "snap:1",
        "-m",
        "first snapshot",
        "-c",
        r#"CMD ["sh", "-c", "busybox cat /srv/app/conf /etc/motd; busybox ls -A /var/cache; busybox ls /scratch /ro; echo $MODE $RUN_VAR; pwd"]"#,
        "-c",
        "ENV MODE=snap",
    ]));
    out.code(0);
    let c = out.json();
    assert_eq!(c["changes"], changes.len(), "{c}");
    assert!(
        c["image"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "snap:1"),
        "{c}"
    );
    assert!(c["layer_bytes"].as_u64().unwrap() > 0, "{c}");
    let base = run(env.vicport(["-o", "json", "image", "inspect", "busybox"]));
    let base_layers = base.json()["layers"].as_array().map_or(0, |l| l.len());
    let snap = run(env.vicport(["-o", "json", "image", "inspect", "snap:1"]));
    snap.code(0);
    assert_eq!(
        snap.json()["layers"].as_array().map(|l| l.len()),
        Some(base_layers + 1),
        "{}",
        snap.stdout
    );
    // Its history: the commit's step first, with its message and the
    // layer it wrote; the base's steps after it.
    let history = run(env.vicport(["-o", "json", "image", "history", "snap:1"]));
    let steps = history.code(0).json();
    let steps = steps.as_array().unwrap();
    assert_eq!(
        steps[0]["layer"],
        snap.json()["layers"][base_layers],
        "{}",
        history.stdout
    );
    assert_eq!(steps[0]["comment"], "first snapshot", "{}", history.stdout);
    assert!(steps[0]["size"].as_u64().unwrap() > 0, "{}", history.stdout);
    let base_steps = run(env.vicport(["-o", "json", "image", "history", "busybox"])).json();
    assert_eq!(steps[1..], base_steps.as_array().unwrap()[..]);
    let out = run(env.booting(["run", "--rm", "snap:1"]));
    out.code(0);
    // The domain's environment and working directory went into the
    // image (as docker's commit keeps the container's), the --changes
    // over them.
    assert_eq!(
        out.stdout, "v1\nchanged\n/ro:\n\n/scratch:\nsnap from-run\n/scratch\n",
        "{}",
        out.stderr
    );
    run(env.vicport(["domain", "commit", name, "Bad:Ref!"])).code(2);
    let out = run(env.vicport([
        "domain",
        "commit",
        name,
        "never:2",
        "-c",
        "ONBUILD RUN make",
    ]));
    out.code(2);
    assert!(
        out.stderr.contains("ONBUILD is not an instruction"),
        "{}",
        out.stderr
    );
    run(env.vicport(["image", "inspect", "never:2"])).code(3);
}

/// One local boot: stats from the guest and the host, top, copies both
/// ways through the monitor's relay, paths that never leave the
/// container's root, and a stopped domain's answers.
#[test]
fn a_local_domain_shows_its_usage_and_processes_and_takes_copies() {
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    std::fs::create_dir(env.root().join("ro")).unwrap();
    std::fs::write(env.root().join("ro/hostfile"), "host\n").unwrap();
    run(env.booting([
        "run",
        "-d",
        "--name",
        "box",
        "-v",
        &format!("{}:/ro:ro", env.root().join("ro").display()),
        "--tmpfs",
        "/scratch",
        "--cap-drop",
        "NET_RAW",
        "--ulimit",
        "nofile=512:1024",
        "-e",
        "RUN_VAR=from-run",
        "-e",
        "OVERRIDDEN=run",
        "-w",
        "/scratch",
        "busybox",
        "--",
        "sh",
        "-c",
        "busybox sleep 1000",
    ]))
    .code(0);

    let out = run(env.vicport(["-o", "json", "domain", "stats", "--no-stream", "box"]));
    out.code(0);
    let rows = stats_lines(&out);
    assert_eq!(rows.len(), 1, "{}", out.stdout);
    let r = &rows[0];
    assert_eq!(
        (
            r["name"].as_str(),
            r["state"].as_str(),
            r["source"].as_str()
        ),
        (Some("box"), Some("running"), Some("guest"))
    );
    // 256 MiB given; the guest sees a little less (the kernel's own).
    let limit = r["memory_limit"].as_u64().unwrap();
    assert!(limit > 150 << 20 && limit <= 256 << 20, "{r}");
    assert!(r["memory_used"].as_u64().unwrap() > 0, "{r}");
    assert!(r["pids"].as_u64().unwrap() >= 1, "{r}");
    assert!(
        r["block_read"].as_u64().unwrap() > 0,
        "the root disk was read at boot: {r}"
    );
    let cpu = r["cpu_percent"].as_f64().unwrap();
    assert!((0.0..=100.0 * 8.0).contains(&cpu), "{r}");
    // The host's memory for it: QEMU's and the monitor's resident memory.
    let host = r["host_memory"].as_u64().unwrap();
    assert!(host > 10 << 20, "{r}");
    assert_eq!(r["platform"]["host_memory"].as_u64(), Some(host));
    assert_eq!(r["platform"]["memory_limit"].as_u64(), Some(256 << 20));
    // Without names: every running domain; a table by default off a terminal.
    let out = run(env.vicport(["domain", "stats"]));
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].contains("CPU %") && lines[0].contains("HOST MEM"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].contains("box") && lines[1].contains("running"),
        "{}",
        out.stdout
    );
    run(env.vicport(["domain", "stats", "--no-stream", "nope"])).code(3);

    let out = run(env.vicport(["-o", "json", "domain", "top", "box"]));
    out.code(0);
    let procs = out.json();
    let sleeper = procs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["command"]
                .as_str()
                .is_some_and(|c| c.contains("sleep 1000"))
        })
        .unwrap_or_else(|| panic!("no sleep in {procs}"));
    assert_eq!(sleeper["user"], "root");
    assert!(sleeper["rss"].as_u64().unwrap() > 0, "{sleeper}");
    assert!(
        procs.as_array().unwrap().iter().all(|p| p["pid"] != 1),
        "the tether (PID 1) is not the container's: {procs}"
    );
    let out = run(env.vicport(["domain", "top", "box"]));
    out.code(0);
    assert!(
        out.stdout.starts_with("PID") && out.stdout.contains("sleep 1000"),
        "{}",
        out.stdout
    );

    root_as_an_image(&env, "box");
    // A restart boots the same root disk again: what was written there
    // stays, the --tmpfs does not.
    let out = run(env.booting(["-o", "json", "domain", "restart", "-t", "2", "box"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "running", "{}", out.stdout);
    let out = run(env.vicport([
        "exec",
        "box",
        "--",
        "sh",
        "-c",
        "busybox cat /srv/app/conf; busybox ls -A /scratch",
    ]));
    assert_eq!(out.stdout, "v1\n", "{}", out.stderr);

    // exec's environment as docker's: the domain's command's first, then
    // env files in order, then -e, a bare KEY taking this environment's
    // value; the working directory the command's. A missing file is a
    // usage error before the domain is reached.
    let env_file = env.root().join("exec.env");
    std::fs::write(&env_file, "# comment\nFROM_FILE=1\nOVERRIDDEN=file\n").unwrap();
    let mut cmd = env.vicport(["exec", "--env-file"]);
    cmd.arg(&env_file)
        .args([
            "-e",
            "OVERRIDDEN=flag",
            "-e",
            "FROM_HERE",
            "box",
            "--",
            "busybox",
            "env",
        ])
        .env("FROM_HERE", "here");
    let out = run(cmd);
    out.code(0);
    let mut vars: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| {
            ["FROM_", "OVERRIDDEN=", "RUN_VAR="]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    vars.sort_unstable();
    assert_eq!(
        vars,
        [
            "FROM_FILE=1",
            "FROM_HERE=here",
            "OVERRIDDEN=flag",
            "RUN_VAR=from-run"
        ],
        "{}",
        out.stdout
    );
    let out = run(env.vicport([
        "exec",
        "--env-file",
        "/nonexistent.env",
        "box",
        "--",
        "true",
    ]));
    out.code(2);
    assert!(out.stderr.contains("/nonexistent.env"), "{}", out.stderr);

    // An exec has the limits the domain's process was created with
    // (--cap-drop, --ulimit) and its working directory, as docker's does;
    // --privileged gives it every capability, the rlimits staying.
    let all: u64 = (1 << 41) - 1;
    let limits = |extra: &[&str]| {
        let mut cmd = env.vicport(["exec"]);
        cmd.args(extra).args([
            "box",
            "--",
            "sh",
            "-c",
            "busybox grep CapEff /proc/self/status; ulimit -n; pwd",
        ]);
        let out = run(cmd);
        out.code(0);
        out.stdout
    };
    assert_eq!(
        limits(&[]),
        format!("CapEff:\t{:016x}\n512\n/scratch\n", all & !(1 << 13))
    );
    assert_eq!(
        limits(&["--privileged"]),
        format!("CapEff:\t{all:016x}\n512\n/scratch\n")
    );

    // exec --detach: the process runs on in the background after the
    // command has printed its pid, with the guest's /dev/null for stdio.
    let out = run(env.vicport([
        "-o", "json", "exec", "-d", "box", "--", "busybox", "sleep", "300",
    ]));
    let pid = out.code(0).json()["pid"].as_u64().unwrap();
    let out = run(env.vicport(["-o", "json", "domain", "top", "box"]));
    assert!(
        out.code(0)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["pid"] == pid && p["command"] == "busybox sleep 300"),
        "{pid}: {}",
        out.stdout
    );
    let out = run(env.vicport([
        "exec",
        "-d",
        "box",
        "--",
        "sh",
        "-c",
        "fds=\"$(busybox readlink /proc/$$/fd/0) $(busybox readlink /proc/$$/fd/1) $(busybox readlink /proc/$$/fd/2)\"; \
         echo \"$fds $(busybox grep CapEff /proc/self/status | busybox cut -f 2)\" > /tmp/detached.part; busybox mv /tmp/detached.part /tmp/detached",
    ]));
    assert!(
        out.code(0).stdout.trim().parse::<u32>().is_ok(),
        "{}",
        out.stdout
    );
    crate::support::wait_for_output(
        || {
            env.vicport([
                "exec",
                "box",
                "--",
                "sh",
                "-c",
                "cat /tmp/detached 2>/dev/null; true",
            ])
        },
        &format!("/dev/null /dev/null /dev/null {:016x}\n", all & !(1 << 13)),
        std::time::Duration::from_secs(20),
        "the detached process's record of its stdio and capabilities",
    );
    run(env.vicport(["exec", "-d", "box", "--", "no-such-program"])).code(127);
    run(env.vicport(["exec", "-d", "-i", "box", "--", "true"])).code(2);

    let read = |path: &str| {
        let out = run(env.vicport(["exec", "box", "--", "cat", path]));
        out.code(0);
        out.stdout
    };
    copies_both_ways(&env, "box", &read);
    let out = run(env.vicport([
        "exec",
        "box",
        "--",
        "busybox",
        "stat",
        "-c",
        "%a %Y",
        "/tmp/tree/sub/g",
    ]));
    let host_g = std::fs::metadata(env.root().join("host/tree/sub/g")).unwrap();
    assert_eq!(out.stdout, format!("644 {}\n", host_g.mtime()));

    // Links in the domain lead back into the container, never to the
    // tether's own root (which has /init: the container has none).
    run(env.vicport([
        "exec",
        "box",
        "--",
        "busybox",
        "ln",
        "-s",
        "/../../..",
        "/tmp/up",
    ]))
    .code(0);
    std::fs::write(env.root().join("planted"), "inside\n").unwrap();
    run(env
        .vicport(["domain", "cp"])
        .arg(env.root().join("planted"))
        .arg("box:/tmp/up/"))
    .code(0);
    assert_eq!(read("/planted"), "inside\n");
    let out = run(env.vicport(["domain", "cp", "box:/tmp/up/init", "."]));
    out.code(3);
    assert!(out.stderr.contains("/tmp/up/init"), "{}", out.stderr);

    // Into a read-only mount: refused, with what to do instead.
    let out = run(env
        .vicport(["domain", "cp"])
        .arg(env.root().join("planted"))
        .arg("box:/ro/"));
    out.code(1);
    assert!(
        out.stderr.contains("Read-only file system")
            && out
                .stderr
                .contains("/ro/ in domain \"box\" is on a read-only filesystem")
            && out.stderr.contains("copy into a writable volume"),
        "{}",
        out.stderr
    );
    assert!(!env.root().join("ro/planted").exists());

    // A suspended domain's disk is in the middle of a run: not read.
    run(env.vicport(["domain", "suspend", "box"])).code(0);
    let out = run(env
        .booting(["domain", "export", "box", "-f"])
        .arg(env.root().join("never.tar")));
    out.code(6);
    assert!(
        out.stderr.contains("domain \"box\" is suspended") && out.stderr.contains("resume it"),
        "{}",
        out.stderr
    );
    assert!(!env.root().join("never.tar").exists());
    // Resumed, then stopped: the guest flushes what it wrote (a stop of
    // the suspended domain would discard that with its memory).
    run(env.booting(["domain", "start", "box"])).code(0);
    run(env.vicport(["domain", "stop", "-t", "2", "box"])).code(0);
    stopped_domain_refuses_processes(&env, "box");
    stopped_root_is_read(&env, "box");
    run(env.vicport(["domain", "rm", "box"])).code(0);
}

/// A container root for the stand-in guest: busybox and a user database.
fn stand_in_root(dir: &Path) {
    for d in ["bin", "etc", "tmp"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::copy("/bin/busybox", dir.join("bin/busybox")).unwrap();
    for applet in ["sh", "sleep", "cat"] {
        std::os::unix::fs::symlink("busybox", dir.join("bin").join(applet)).unwrap();
    }
    std::fs::write(dir.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n").unwrap();
}

/// vSphere: the VM's quickStats and real-time counters from vcsim, the
/// guest's numbers, processes and files from a `tether serve` standing in
/// for the guest (in a root directory of its own); a stopped VM's zeros,
/// and copies into it refused with exit 6.
#[test]
fn a_vsphere_domain_shows_its_usage_and_processes_and_takes_copies() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    run(env.vicport([
        "run",
        "-d",
        "--name",
        "web",
        "busybox",
        "--",
        "sh",
        "-c",
        "sleep 1000",
    ]))
    .code(0);
    let root = env.root().join("guest-root");
    stand_in_root(&root);
    let mut guest = StandIn::start_with(&env, &v, "web", &["--root", root.to_str().unwrap()]);

    let out = run(env.vicport(["-o", "json", "domain", "stats", "--no-stream", "web"]));
    out.code(0);
    let r = &stats_lines(&out)[0];
    assert_eq!(
        (r["state"].as_str(), r["source"].as_str()),
        (Some("running"), Some("guest")),
        "{r}"
    );
    assert!(r["pids"].as_u64().unwrap() >= 1, "{r}");
    assert!(r["memory_limit"].as_u64().unwrap() > 0, "{r}");
    // The VM's side, from vcsim: its configured memory, and the
    // performance counters (vcsim leaves quickStats at zero: not measured).
    let p = &r["platform"];
    assert_eq!(p["memory_limit"].as_u64(), Some(256 << 20), "{p}");
    assert!(p["cpu_percent"].as_f64().is_some(), "{p}");
    assert!(p["host_memory"].as_u64().unwrap() > 0, "mem.consumed: {p}");
    // vcsim's VMs have network counters, but no aggregate disk ones.
    assert!(
        p["net_rx_rate"].as_u64().is_some() && p["net_tx_rate"].as_u64().is_some(),
        "{p}"
    );
    assert_eq!(r["host_memory"], p["host_memory"]);

    // A stream: a JSON line per domain every second, on one link.
    let mut stream = env
        .vicport(["-o", "json", "domain", "stats", "--stream", "web"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(stream.stdout.take().unwrap()).lines();
        for _ in 0..3 {
            let line = lines.next().unwrap().unwrap();
            let sample: serde_json::Value = serde_json::from_str(&line).unwrap();
            assert_eq!(
                (sample["name"].as_str(), sample["source"].as_str()),
                (Some("web"), Some("guest")),
                "{line}"
            );
        }
    }
    stream.kill().unwrap();
    stream.wait().unwrap();

    let out = run(env.vicport(["-o", "json", "domain", "top", "web"]));
    out.code(0);
    let procs = out.json();
    assert!(
        procs.as_array().unwrap().iter().any(|p| p["command"]
            .as_str()
            .is_some_and(|c| c.contains("sleep 1000"))),
        "{procs}"
    );

    let read =
        |path: &str| std::fs::read_to_string(root.join(path.trim_start_matches('/'))).unwrap();
    copies_both_ways(&env, "web", &read);
    // exec --detach through the domain's relay: the process outlives the
    // command.
    let out = run(env.vicport([
        "exec",
        "-d",
        "web",
        "--",
        "sh",
        "-c",
        "sleep 1; echo bg > /tmp/bg.part; mv /tmp/bg.part /tmp/bg",
    ]));
    assert!(
        out.code(0).stdout.trim().parse::<u32>().is_ok(),
        "{}",
        out.stdout
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !root.join("tmp/bg").exists() {
        assert!(std::time::Instant::now() < deadline, "no /tmp/bg");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(read("/tmp/bg"), "bg\n");
    // The guest's link inside the root led back into it.
    std::os::unix::fs::symlink("/", root.join("tmp/esc")).unwrap();
    std::fs::write(env.root().join("planted"), "inside\n").unwrap();
    run(env
        .vicport(["domain", "cp"])
        .arg(env.root().join("planted"))
        .arg("web:/tmp/esc/"))
    .code(0);
    assert_eq!(read("/planted"), "inside\n");

    // The root as an image, on vSphere: the stand-in's root against the
    // imported image's layers, and the new image imported into the
    // datastore.
    let out = run(env.vicport(["-o", "json", "domain", "diff", "web"]));
    let changes = change_lines(&out);
    // The stand-in's root is not the image's: its own busybox and applets.
    for want in [
        "deleted /var",
        "added /planted",
        "changed /bin/busybox",
        "added /bin/sleep",
        "deleted /bin/true",
    ] {
        assert!(changes.iter().any(|c| c == want), "{want}: {changes:?}");
    }
    let file = env.root().join("web.tar");
    run(env.vicport(["domain", "export", "web", "-f"]).arg(&file)).code(0);
    let tree = tree_of(&std::fs::read(&file).unwrap());
    assert_eq!(tree["planted"], b"inside\n");
    let out = run(env.vicport(["-o", "json", "domain", "commit", "web", "webshot"]));
    out.code(0);
    assert_eq!(out.json()["changes"], changes.len());
    let out = run(env.vicport(["-o", "json", "image", "inspect", "webshot:latest"]));
    out.code(0);
    assert_eq!(
        out.json()["layers"].as_array().map(|l| l.len()),
        Some(2),
        "{}",
        out.stdout
    );
    let history = run(env.vicport(["-o", "json", "image", "history", "webshot"])).json();
    assert_eq!(
        (
            history[0]["created_by"].as_str(),
            history.as_array().map(Vec::len)
        ),
        (Some("vicport domain commit web"), Some(2)),
        "{history}"
    );

    run(env.vicport(["domain", "stop", "-t", "2", "web"])).code(0);
    assert!(guest.exited_within(std::time::Duration::from_secs(5)));
    stopped_domain_refuses_copies(&env, "web");
    log_out(&env);
}
