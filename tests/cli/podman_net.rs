//! Podman's networks through containerVMs: podman (netavark backend, its
//! network configs private to the test) makes each container's network
//! namespace with `eth0` on its bridge, and the VM's NIC is wired to that
//! `eth0`. Published ports reach the VM from the host, containers on one
//! network reach each other by address and by name (aardvark-dns), and
//! `--network none` leaves the guest only `lo`. Root only (as in CI).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::podman::Podman;
use crate::support::{Env, free_port, run};

/// Podman with the netavark backend, its networks' configs in the test's
/// directory, and a default network whose subnet is the test's.
fn podman(env: &Env, subnet: &str) -> Podman {
    assert!(
        Path::new("/usr/lib/podman/netavark").exists()
            && Path::new("/usr/lib/podman/aardvark-dns").exists(),
        "these tests need Debian's netavark and aardvark-dns: scripts/install-deps --tests"
    );
    let configs = env.root().join("podman-networks");
    std::fs::create_dir_all(&configs).unwrap();
    Podman::with_conf(
        env,
        &format!(
            "[network]\nnetwork_backend = \"netavark\"\nnetwork_config_dir = \"{}\"\n\
             default_subnet = \"{subnet}\"\n",
            configs.display()
        ),
    )
}

/// `GET /` on 127.0.0.1:`port` until an answer comes (the server in the
/// VM may still be starting), at most `wait`; the whole response.
pub(crate) fn http_get(port: u16, wait: Duration) -> String {
    let deadline = Instant::now() + wait;
    let mut last = String::new();
    while Instant::now() < deadline {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(mut s) => {
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                let _ = s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n");
                let mut out = String::new();
                match s.read_to_string(&mut out) {
                    Ok(_) if !out.is_empty() => return out,
                    Ok(_) => last = "an empty answer".into(),
                    Err(e) => last = e.to_string(),
                }
            }
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("no HTTP answer on 127.0.0.1:{port} within {wait:?}: {last}");
}

/// The shell line a container serves `text` with on port 80.
pub(crate) fn serve(text: &str) -> String {
    format!(
        "mkdir -p /tmp/www && echo {text} > /tmp/www/index.html && exec busybox httpd -f -p 80 -h /tmp/www"
    )
}

/// A container's IPv4 address, as podman gave it.
fn address_of(p: &Podman, name: &str) -> String {
    first_of(p, name, "IPAddress")
}

/// A container's global IPv6 address, as podman gave it.
fn ipv6_address_of(p: &Podman, name: &str) -> String {
    first_of(p, name, "GlobalIPv6Address")
}

/// `field` of the container's first network in `podman inspect`.
fn first_of(p: &Podman, name: &str, field: &str) -> String {
    let format = format!("{{{{range .NetworkSettings.Networks}}}}{{{{.{field}}}}} {{{{end}}}}");
    let out = p.run(["inspect", "--format", &format, name]);
    out.code(0);
    let value = out.stdout.split_whitespace().next().unwrap_or_default();
    assert!(!value.is_empty(), "no {field} for {name}: {}", out.stdout);
    value.to_string()
}

#[test]
fn a_published_port_reaches_the_vm_and_network_none_leaves_only_lo() {
    let env = Env::new();
    let p = podman(&env, "10.231.7.0/24");
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:80");
    p.run([
        "run",
        "-d",
        "--name",
        "web",
        "-p",
        &publish,
        "localhost/bb",
        "sh",
        "-c",
        &serve("hello-from-the-vm"),
    ])
    .code(0);
    let answer = http_get(port, Duration::from_secs(90));
    assert!(answer.starts_with("HTTP/1."), "{answer}");
    assert!(answer.contains("hello-from-the-vm"), "{answer}");

    // The guest's NIC is the engine's endpoint: its address and MAC.
    let ip = address_of(&p, "web");
    assert!(ip.starts_with("10.231.7."), "{ip}");
    let out = p.run(["exec", "web", "busybox", "ip", "-o", "addr", "show"]);
    out.code(0);
    assert!(
        out.stdout.contains(&format!("inet {ip}/24")),
        "{}",
        out.stdout
    );
    let mac = p.run([
        "inspect",
        "--format",
        "{{range .NetworkSettings.Networks}}{{.MacAddress}}{{end}}",
        "web",
    ]);
    mac.code(0);
    let mac = mac.stdout.trim().to_ascii_lowercase();
    assert!(!mac.is_empty());
    let out = p.run(["exec", "web", "busybox", "ip", "-o", "link", "show"]);
    out.code(0);
    assert!(out.stdout.contains(&mac), "{mac}: {}", out.stdout);
    let out = p.run(["exec", "web", "busybox", "ip", "route"]);
    out.code(0);
    assert!(
        out.stdout.contains("default via 10.231.7.1"),
        "{}",
        out.stdout
    );
    // Stopped and started again: podman makes the namespace afresh, and
    // the new VM is wired into it.
    p.run(["stop", "-t", "0", "web"]).code(0);
    p.run(["start", "web"]).code(0);
    let answer = http_get(port, Duration::from_secs(90));
    assert!(answer.contains("hello-from-the-vm"), "{answer}");
    p.run(["rm", "-f", "-t", "0", "web"]).code(0);

    // --network none: loopback only.
    let out = p.run([
        "run",
        "--rm",
        "--network",
        "none",
        "localhost/bb",
        "busybox",
        "ip",
        "-o",
        "link",
        "show",
    ]);
    out.code(0);
    let links: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split(':').nth(1).map(str::trim))
        .collect();
    assert_eq!(links, ["lo"], "{}", out.stdout);
}

#[test]
fn containers_on_one_network_reach_each_other_by_address_and_name() {
    let env = Env::new();
    let p = podman(&env, "10.231.8.0/24");
    let net = "vpnet";
    // Dual-stack, on a smaller MTU: each guest gets its IPv4 and IPv6
    // addresses, both default routes and the network's MTU.
    p.run([
        "network",
        "create",
        "--subnet",
        "10.231.9.0/24",
        "--subnet",
        "fd42:231:9::/64",
        "--opt",
        "mtu=1400",
        net,
    ])
    .code(0);
    for name in ["alpha", "beta"] {
        p.run([
            "run",
            "-d",
            "--name",
            name,
            "--network",
            net,
            "localhost/bb",
            "sh",
            "-c",
            &serve(&format!("i-am-{name}")),
        ])
        .code(0);
    }
    let beta = address_of(&p, "beta");
    let alpha = address_of(&p, "alpha");
    assert!(beta.starts_with("10.231.9."), "{beta}");
    let beta6 = ipv6_address_of(&p, "beta");
    assert!(beta6.starts_with("fd42:231:9:"), "{beta6}");
    let out = p.run(["exec", "alpha", "busybox", "ip", "-6", "route"]);
    out.code(0);
    assert!(
        out.stdout.contains("default via fd42:231:9::1 dev eth0"),
        "{}",
        out.stdout
    );
    let out = p.run(["exec", "alpha", "busybox", "ip", "link", "show", "eth0"]);
    out.code(0);
    assert!(out.stdout.contains(" mtu 1400 "), "{}", out.stdout);
    // By name (aardvark-dns on the bridge's gateway), then by address,
    // both ways, and by IPv6 address; the servers may still be starting.
    for (from, to, want) in [
        ("alpha", "beta".to_string(), "i-am-beta"),
        ("alpha", beta.clone(), "i-am-beta"),
        ("alpha", format!("[{beta6}]"), "i-am-beta"),
        ("beta", "alpha".to_string(), "i-am-alpha"),
        ("beta", alpha.clone(), "i-am-alpha"),
    ] {
        let url = format!("http://{to}/");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let out = p.run(["exec", from, "busybox", "wget", "-q", "-O", "-", &url]);
            if out.code == 0 && out.stdout.contains(want) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{from} → {url}: {} {}",
                out.stdout,
                out.stderr
            );
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    p.run(["rm", "-f", "-t", "0", "alpha", "beta"]).code(0);
    p.run(["network", "rm", net]).code(0);
}

#[test]
fn a_network_namespace_that_does_not_exist_fails_create_and_leaves_nothing() {
    let env = Env::new();
    let dir = env.root().join("bundle");
    let rootfs = dir.join("rootfs");
    std::fs::create_dir_all(&rootfs).unwrap();
    let tar = vicport::plumbing::image::fixtures::rootfs_tar(&dir, false).unwrap();
    assert!(
        std::process::Command::new("tar")
            .arg("-xf")
            .arg(&tar.path)
            .arg("-C")
            .arg(&rootfs)
            .status()
            .unwrap()
            .success()
    );
    let missing = format!("/run/netns/{}", crate::support::unique("vicport-gone"));
    let config = serde_json::json!({
        "ociVersion": "1.0.2",
        "process": {"user": {"uid": 0, "gid": 0}, "args": ["/bin/sh"], "cwd": "/",
                    "env": ["PATH=/bin"]},
        "root": {"path": "rootfs"},
        "linux": {"namespaces": [{"type": "pid"}, {"type": "network", "path": missing}]},
    });
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let root = env.root().join("oci-root");
    let mut cmd = env.booting(["oci", "--root"]);
    cmd.arg(&root)
        .args(["create", "--bundle"])
        .arg(&dir)
        .arg("c1");
    let out = run(cmd);
    out.code(1);
    assert!(
        out.stderr
            .contains("config.json: linux.namespaces[1].path: network namespace")
            && out.stderr.contains(&missing)
            && out.stderr.contains("not found"),
        "{}",
        out.stderr
    );
    // Nothing made: no container record, no domain.
    assert_eq!(std::fs::read_dir(&root).map(|d| d.count()).unwrap_or(0), 0);
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    assert_eq!(out.json(), serde_json::json!([]));
}

/// The boot id of the container's kernel: another one after a reboot.
fn boot_id(p: &Podman, name: &str) -> String {
    let out = p.run(["exec", name, "cat", "/proc/sys/kernel/random/boot_id"]);
    out.code(0);
    out.stdout.trim().to_string()
}

#[test]
fn a_checkpointed_container_restores_with_its_kernel_address_and_published_port() {
    assert!(
        Path::new("/usr/sbin/criu").exists(),
        "podman asks criu its version before a checkpoint: scripts/install-deps --tests"
    );
    let env = Env::new();
    let p = podman(&env, "10.231.10.0/24");
    // A network of its own, on a bridge of its own (named in its config:
    // podman 4.3 has no --interface-name), so that the other tests'
    // networks run beside it.
    p.run(["network", "create", "--subnet", "10.231.11.0/24", "ckpnet"])
        .code(0);
    let config = env.root().join("podman-networks/ckpnet.json");
    let mut net: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&config).unwrap()).unwrap();
    net["network_interface"] = "vpck0".into();
    std::fs::write(&config, net.to_string()).unwrap();
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:80");
    p.run([
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "ckpnet",
        "-p",
        &publish,
        "localhost/bb",
        "sh",
        "-c",
        &serve("saved-and-restored"),
    ])
    .code(0);
    assert!(http_get(port, Duration::from_secs(90)).contains("saved-and-restored"));
    let (boot, ip) = (boot_id(&p, "web"), address_of(&p, "web"));

    // podman's checkpoint and restore, in place: the same guest (its
    // kernel's boot id) in a network namespace podman made afresh with
    // the same address, and the published port reaches it again.
    p.run(["container", "checkpoint", "web"]).code(0);
    let status = p.run(["inspect", "--format", "{{.State.Status}}", "web"]);
    assert_eq!(status.stdout.trim(), "exited", "{}", status.stdout);
    assert!(domains(&env).is_empty(), "the VM is gone until the restore");
    p.run(["container", "restore", "web"]).code(0);
    assert!(http_get(port, Duration::from_secs(30)).contains("saved-and-restored"));
    assert_eq!(boot_id(&p, "web"), boot);
    assert_eq!(address_of(&p, "web"), ip);

    // Exported while it runs on (podman passes --leave-running twice),
    // removed, and imported: the same guest again.
    let archive = env.root().join("web.tar.gz");
    let export = format!("--export={}", archive.display());
    p.run(["container", "checkpoint", "--leave-running", &export, "web"])
        .code(0);
    assert!(http_get(port, Duration::from_secs(30)).contains("saved-and-restored"));
    p.run(["rm", "-f", "-t", "0", "web"]).code(0);
    let import = format!("--import={}", archive.display());
    p.run(["container", "restore", &import]).code(0);
    assert!(http_get(port, Duration::from_secs(30)).contains("saved-and-restored"));
    assert_eq!(boot_id(&p, "web"), boot);

    // Under a new name podman gives it a new address and MAC, which the
    // saved guest does not have: refused, naming them, and nothing is
    // left of it in vicport.
    let other = format!("127.0.0.1:{}:80", free_port());
    let out = p.run([
        "container",
        "restore",
        &import,
        "--name",
        "web2",
        "--publish",
        &other,
    ]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot start from the checkpoint") && out.stderr.contains("mac="),
        "{}",
        out.stderr
    );
    assert_eq!(domains(&env).len(), 1, "{:?}", domains(&env));
    p.run(["rm", "-f", "-t", "0", "web2"]).code(0);
    p.run(["rm", "-f", "-t", "0", "web"]).code(0);
}

fn domains(env: &Env) -> Vec<serde_json::Value> {
    let out = run(env.vicport(["-o", "json", "domain", "ls"]));
    out.code(0);
    out.json().as_array().unwrap().clone()
}
