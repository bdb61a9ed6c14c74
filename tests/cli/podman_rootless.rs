//! Rootless podman: a user's own podman (its user namespace, its storage in
//! the user's home, slirp4netns or a network of its own, ports published
//! by rootlessport) runs containerVMs through vicport, as root's does.
//! Inside that user namespace vicport runs as root, but not as the
//! host's: its records go to the user's runtime directory and its domains
//! to the user's data directory.
//!
//! The test makes a user of its own (with subordinate ids, as `useradd`
//! gives) and removes it, its processes and its files at the end. The
//! user's copy of vicport and of the boot image are the ones under test,
//! in its home. On machines without udev `/dev/net/tun` is root's only,
//! where Debian's udev makes it everyone's: slirp4netns and vicport need
//! to open it as the user, so the test opens it up meanwhile and puts its
//! mode back. Root only (as in CI).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::podman_net::{http_get, serve};
use crate::support::{Env, Outcome, free_port, run, shared_cache};

const USER: &str = "vicport-rootless";

/// The test's user and what it was given; all removed on drop.
struct User {
    home: PathBuf,
    runtime_dir: PathBuf,
    tun_mode: Option<u32>,
}

fn must(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Remove the user, its processes (podman's pause process, slirp4netns)
/// and its files, if they exist.
fn remove_user() {
    let _ = Command::new("pkill").args(["-KILL", "-u", USER]).status();
    std::thread::sleep(Duration::from_millis(200));
    let _ = Command::new("userdel")
        .args(["--remove", USER])
        .stderr(std::process::Stdio::null())
        .status();
}

impl User {
    fn new(env: &Env) -> User {
        assert!(
            Path::new("/usr/bin/newuidmap").exists() && Path::new("/usr/bin/slirp4netns").exists(),
            "rootless podman needs uidmap and slirp4netns: scripts/install-deps --engines"
        );
        env.ensure_boot_image();
        // What an earlier run that died left.
        remove_user();
        must(Command::new("useradd").args(["--create-home", "--shell", "/bin/sh", USER]));
        // Subordinate ids: useradd gives them where /etc/subuid exists;
        // elsewhere the test gives a range no one else has here.
        let has = |file: &str| {
            std::fs::read_to_string(file)
                .unwrap_or_default()
                .lines()
                .any(|l| l.starts_with(&format!("{USER}:")))
        };
        if !has("/etc/subuid") || !has("/etc/subgid") {
            must(Command::new("usermod").args([
                "--add-subuids",
                "3000000-3065535",
                "--add-subgids",
                "3000000-3065535",
                USER,
            ]));
        }
        let id = |flag: &str| -> u32 {
            let out = Command::new("id").args([flag, USER]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        let (uid, gid) = (id("-u"), id("-g"));
        let home = PathBuf::from(format!("/home/{USER}"));
        let runtime_dir = PathBuf::from(format!("/run/user/{uid}"));
        std::fs::create_dir_all(&runtime_dir).unwrap();
        std::fs::set_permissions(&runtime_dir, PermissionsExt::from_mode(0o700)).unwrap();

        // vicport, under the runtime's name too (it starts its shim as
        // `vicport`), where the user can run it.
        let bin = home.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy(assert_cmd::cargo::cargo_bin("vicport"), bin.join("vicport")).unwrap();
        std::os::unix::fs::symlink("vicport", bin.join("vicport-runc")).unwrap();
        // The boot image the tests built, as the user's current one, in
        // the user's default cache (vicport is given no environment).
        let current: serde_json::Value = serde_json::from_slice(
            &std::fs::read(shared_cache().join("boot/current.json")).unwrap(),
        )
        .unwrap();
        let image = home.join(".cache/vicport/boot/image");
        std::fs::create_dir_all(&image).unwrap();
        let mut record = current.clone();
        record["dir"] = image.display().to_string().into();
        record["iso"] = serde_json::Value::Null;
        record.as_object_mut().unwrap().remove("tether");
        for (key, name) in [("kernel", "vmlinuz"), ("initramfs", "initramfs.img")] {
            std::fs::copy(current[key].as_str().unwrap(), image.join(name)).unwrap();
            record[key] = image.join(name).display().to_string().into();
        }
        std::fs::write(
            home.join(".cache/vicport/boot/current.json"),
            serde_json::to_vec_pretty(&record).unwrap(),
        )
        .unwrap();
        // The user's podman: vicport as a runtime, nothing else changed.
        let conf = home.join(".config/containers");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(
            conf.join("containers.conf"),
            format!(
                "[engine]\nruntime_supports_json = [\"crun\", \"runc\", \"vicport\"]\n\
                 runtime_supports_kvm = [\"vicport\"]\n\
                 [engine.runtimes]\nvicport = [\"{}\"]\n\
                 [network]\nnetwork_backend = \"netavark\"\n",
                bin.join("vicport-runc").display()
            ),
        )
        .unwrap();
        // An image: Debian's busybox-static and the applets the test uses
        // (no device nodes, which a user's storage cannot make).
        let rootfs = home.join("rootfs");
        for d in ["bin", "etc", "tmp"] {
            std::fs::create_dir_all(rootfs.join(d)).unwrap();
        }
        std::fs::set_permissions(rootfs.join("tmp"), PermissionsExt::from_mode(0o1777)).unwrap();
        std::fs::write(rootfs.join("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n").unwrap();
        std::fs::copy(
            vicport::plumbing::image::fixtures::busybox().unwrap(),
            rootfs.join("bin/busybox"),
        )
        .unwrap();
        for applet in ["sh", "cat", "ls", "mkdir", "echo", "id", "ip", "wget"] {
            std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(applet)).unwrap();
        }
        must(
            Command::new("tar")
                .arg("-C")
                .arg(&rootfs)
                .arg("-cf")
                .arg(home.join("bb.tar"))
                .arg("."),
        );
        must(
            Command::new("chown")
                .args(["-R", &format!("{uid}:{gid}")])
                .arg(&home)
                .arg(&runtime_dir),
        );
        let tun = Path::new("/dev/net/tun");
        let tun_mode = std::fs::metadata(tun).ok().map(|m| m.permissions().mode());
        if tun_mode.is_some_and(|m| m & 0o666 != 0o666) {
            std::fs::set_permissions(tun, PermissionsExt::from_mode(0o666)).unwrap();
        }
        let user = User {
            home,
            runtime_dir,
            tun_mode,
        };
        user.podman(&[
            "import",
            "--change",
            "CMD [\"/bin/sh\"]",
            "--change",
            "ENV PATH=/bin",
            "bb.tar",
            "localhost/bb:latest",
        ])
        .code(0);
        user
    }

    /// `podman --runtime vicport ARGS…` as the user, from its home, with a
    /// login's environment (no sbin on its PATH).
    fn podman_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("/usr/sbin/runuser");
        cmd.current_dir(&self.home)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &self.home)
            .env("XDG_RUNTIME_DIR", &self.runtime_dir)
            .args(["-u", USER, "--", "podman"])
            .args(["--cgroup-manager", "cgroupfs", "--events-backend", "file"])
            .args(["--runtime", "vicport"])
            .args(args);
        cmd
    }

    fn podman(&self, args: &[&str]) -> Outcome {
        run(self.podman_cmd(args))
    }

    /// Run container `name` (on `network`, or podman's default) serving
    /// `text` on port 80, published on a free port of 127.0.0.1, and
    /// fetch its page from the host; the port.
    fn serve_published(&self, name: &str, network: Option<&str>, text: &str) -> u16 {
        let port = free_port();
        let publish = format!("127.0.0.1:{port}:80");
        let script = serve(text);
        let mut args = vec!["run", "-d", "--name", name];
        if let Some(n) = network {
            args.extend(["--network", n]);
        }
        args.extend(["-p", &publish, "localhost/bb", "sh", "-c", &script]);
        self.podman(&args).code(0);
        let answer = http_get(port, Duration::from_secs(60));
        assert!(answer.contains(text), "{answer}");
        port
    }
}

impl Drop for User {
    fn drop(&mut self) {
        for args in [
            &["rm", "--all", "--force", "--time", "0"][..],
            &["system", "reset", "--force"],
        ] {
            let _ = self.podman_cmd(args).output();
        }
        remove_user();
        let _ = std::fs::remove_dir_all(&self.runtime_dir);
        if let Some(mode) = self.tun_mode {
            let _ = std::fs::set_permissions("/dev/net/tun", PermissionsExt::from_mode(mode));
        }
    }
}

#[test]
fn a_users_rootless_podman_runs_containervms_with_slirp4netns_and_a_published_port() {
    let env = Env::new();
    let user = User::new(&env);

    // No network: a VM (the guest's kernel command line), only `lo`, and
    // the container's root user.
    let out = user.podman(&[
        "run",
        "--rm",
        "--network",
        "none",
        "localhost/bb",
        "sh",
        "-c",
        "cat /proc/cmdline; ls /sys/class/net; id -u",
    ]);
    out.code(0);
    assert!(
        out.stdout.contains("vicport.platform=qemu"),
        "{}",
        out.stdout
    );
    let tail: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(tail, ["lo", "0"], "{}", out.stdout);
    // Kept where the user may write: records in its runtime directory,
    // domains in its data directory (the --rm one is gone from both).
    assert!(user.runtime_dir.join("vicport-oci").is_dir());
    let domains = user.home.join(".local/share/vicport/domains");
    assert!(domains.is_dir(), "no {}", domains.display());

    // slirp4netns with podman's own port handler (rootlessport), as a
    // plain `-p` gives: its child dials slirp's address from inside the
    // namespace, which vicport routes to the VM. The guest's eth0 has
    // slirp's address.
    let port = user.serve_published("web", None, "served-rootless");
    let out = user.podman(&[
        "exec",
        "web",
        "sh",
        "-c",
        "cat /proc/cmdline; ip -4 -o addr show eth0",
    ]);
    out.code(0);
    assert!(
        out.stdout.contains("vicport.platform=qemu"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("inet 10.0.2.100/24"), "{}", out.stdout);
    // A second request: the connection of the first was closed cleanly
    // and the path stays up.
    let answer = http_get(port, Duration::from_secs(10));
    assert!(answer.contains("served-rootless"), "{answer}");
    user.podman(&["rm", "--force", "--time", "0", "web"])
        .code(0);

    // slirp4netns's own port handler, which writes the connection to the
    // tap as frames from slirp's gateway.
    user.serve_published(
        "web2",
        Some("slirp4netns:port_handler=slirp4netns"),
        "served-by-slirp",
    );
    user.podman(&["rm", "--force", "--time", "0", "web2"])
        .code(0);

    // A network of the user's own: netavark's bridge in podman's rootless
    // network namespace. A published port (rootlessport's child dials the
    // container's address from inside the container's namespace, as with
    // slirp4netns) and a second container that reaches the first by name
    // (aardvark-dns).
    user.podman(&["network", "create", "usernet"]).code(0);
    user.serve_published("srv", Some("usernet"), "served-on-usernet");
    let out = user.podman(&[
        "run",
        "--rm",
        "--network",
        "usernet",
        "localhost/bb",
        "wget",
        "-q",
        "-O-",
        "http://srv/",
    ]);
    out.code(0);
    assert!(out.stdout.contains("served-on-usernet"), "{}", out.stdout);
    user.podman(&["rm", "--force", "--time", "0", "srv"])
        .code(0);

    // Nothing of the user's is left running but podman's own pause
    // process: no QEMU, no virtiofsd, no shim.
    let out = run({
        let mut c = Command::new("ps");
        c.args(["-u", USER, "-o", "comm="]);
        c
    });
    for leftover in ["qemu-system-x86", "virtiofsd", "vicport"] {
        assert!(
            !out.stdout.lines().any(|l| l.starts_with(leftover)),
            "{}",
            out.stdout
        );
    }
}
