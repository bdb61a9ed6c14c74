//! vicport against a vSphere endpoint: the govmomi simulator (vcsim), built
//! from Debian's sources by tests/vcsim and started once per test.
//!
//! vcsim runs the API, not guests: nothing boots from the CD-ROM, no tether
//! answers on a domain's serial port. So:
//! - the boot ISO is a small stand-in file, recorded as the test's current
//!   boot image in its cache ([`fake_boot_image`]); it is uploaded like the
//!   real one (the real ISO boots under QEMU in the boot image's own tests);
//! - where a test needs a guest's tether, a `tether serve` process built
//!   from this workspace listens on 127.0.0.1 at the domain's link port,
//!   with the domain's token and the config document vicport wrote into
//!   its guestinfo: vcsim's hosts have 127.0.0.1 as their management
//!   address, so the link vicport opens to "the host" reaches it.
//!
//! Tests that only need domains to exist (networks, logs) make them
//! through the library, from an image imported through the binary.
//!
//! One file per concern (sessions, domains, images, volumes, networks,
//! logs, events, the link, faults, round trips, the guest under QEMU);
//! this file holds what they share: logging in, the stand-in boot image,
//! the library's view of the simulator, and readers of `--debug` output.

mod domains;
mod events;
mod faults;
mod images;
mod link;
mod logs;
mod networks;
mod qemu;
mod round_trips;
mod sessions;
mod stand_in;
mod volumes;

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vicport::plumbing::domain::Realize;
use vicport::plumbing::image::fixtures;
use vicport::plumbing::spec::{DomainSpec, Handle, PowerChange};
use vicport::plumbing::vsphere::xml::MoRef;
use vicport::plumbing::vsphere::{VspherePlatform, VsphereSettings, vim};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run, run_with_stdin};

pub(crate) use stand_in::StandIn;

/// `target add vc1` for the simulator, `login --password-stdin`, and make
/// it the current target.
pub(crate) fn log_in(env: &Env, v: &Vcsim) {
    let mut add: Vec<std::ffi::OsString> = vec!["target".into(), "add".into(), "vc1".into()];
    add.extend(v.target_args());
    run(env.vicport(&add)).code(0);
    run_with_stdin(
        env.vicport(["login", "vc1", "--password-stdin"]),
        &format!("{}\n", v.password),
    )
    .code(0);
    run(env.vicport(["target", "use", "vc1"])).code(0);
}

/// The simulator's directory of one image on its datastore, if any.
fn image_dir(v: &Vcsim, id: &str) -> Option<PathBuf> {
    let hex = id.trim_start_matches("sha256:");
    walk(v.dir())
        .into_iter()
        .find(|p| p.is_dir() && p.ends_with(format!("vicport-images/{hex}")))
}

/// Forget the password again (the keyring outlives the test).
pub(crate) fn log_out(env: &Env) {
    run(env.vicport(["logout", "vc1"])).code(0);
}

/// The test's cache directory (what vicport uses under XDG_CACHE_HOME).
pub(crate) fn cache_dir(env: &Env) -> PathBuf {
    env.root().join("cache/vicport")
}

/// Record a boot image whose ISO is a small stand-in as the current one in
/// the test's cache, the way `vicport system bootstrap` records the real
/// one; returns the ISO's path.
pub(crate) fn fake_boot_image(env: &Env) -> PathBuf {
    let dir = cache_dir(env).join("boot/fake");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("vmlinuz"), b"not a kernel").unwrap();
    std::fs::write(dir.join("initramfs.img"), b"not an initramfs").unwrap();
    let iso = dir.join("bootstrap.iso");
    std::fs::write(
        &iso,
        b"a stand-in for the boot ISO: vcsim boots nothing\n".repeat(100),
    )
    .unwrap();
    let current = serde_json::json!({
        "dir": dir,
        "kernel": dir.join("vmlinuz"),
        "initramfs": dir.join("initramfs.img"),
        "iso": iso,
        "kernel_version": "6.1.0-fake",
        "hz": 250,
    });
    std::fs::write(
        cache_dir(env).join("boot/current.json"),
        serde_json::to_vec(&current).unwrap(),
    )
    .unwrap();
    iso
}

/// A fresh directory for fixtures under the test's root.
fn fixture_dir(env: &Env, name: &str) -> PathBuf {
    let dir = env.root().join("fixtures").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Import the busybox rootfs tar as `name` through the binary; its id.
pub(crate) fn import_busybox(env: &Env, name: &str) -> String {
    let tar = fixtures::rootfs_tar(&fixture_dir(env, "rootfs"), false).unwrap();
    let out = run(env
        .vicport(["-o", "json", "image", "import"])
        .arg(&tar.path)
        .args(["--name", name]));
    out.code(0);
    let id = out.json()["id"].as_str().unwrap().to_string();
    assert_eq!(id, tar.id);
    id
}

/// The library's platform for the simulator, on a runtime of its own,
/// with the test's cache (its boot image).
pub(crate) fn library(v: &Vcsim, env: &Env) -> (tokio::runtime::Runtime, VspherePlatform) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let p = rt.block_on(async {
        let mut s = VsphereSettings::new(v.url.clone());
        s.username = Some(v.username.clone());
        let password = v.password.clone();
        let mut p =
            VspherePlatform::connect("lib", s, Arc::new(move || Ok(password.clone())), None)
                .await
                .unwrap();
        p.set_cache_dir(cache_dir(env));
        p
    });
    (rt, p)
}

/// Make domains of the image `busybox` (imported through the binary) with
/// the library; `on` powers them on.
fn make_domains(env: &Env, v: &Vcsim, names: &[&str], on: bool) {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        for name in names {
            let mut spec = DomainSpec::new(*name, "busybox:latest");
            spec.process.argv = vec!["sh".into()];
            let mut h = Handle::new_domain(spec);
            if on {
                h.set_power(PowerChange::On);
            }
            p.domains().commit(h).await.unwrap();
        }
    });
}

/// A domain's extraConfig, read through the library.
pub(crate) fn guestinfo(
    v: &Vcsim,
    env: &Env,
    domain: &str,
) -> std::collections::BTreeMap<String, String> {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let info = p.inspect_domain(domain).await.unwrap();
        let vm = MoRef::new("VirtualMachine", info.platform_ref.id);
        let o = vim::retrieve_one(p.session(), &vm, &["config.extraConfig"])
            .await
            .unwrap();
        vim::option_values(&o.props["config.extraConfig"])
    })
}

/// The vim25 and datastore requests one invocation made, and the bytes it
/// moved, from its `--debug` summary (`method=datastore PUT calls=3`,
/// `counter=datastore bytes written bytes=4096`).
fn requests(stderr: &str) -> std::collections::BTreeMap<String, u64> {
    stderr
        .lines()
        .filter_map(|l| {
            let (key, value) = if l.contains("vim25 requests") {
                ("method=", " calls=")
            } else if l.contains("vim25 transfer") {
                ("counter=", " bytes=")
            } else {
                return None;
            };
            let rest = &l[l.find(key)? + key.len()..];
            let (what, n) = rest.split_once(value)?;
            Some((what.to_string(), n.trim().parse().ok()?))
        })
        .collect()
}

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

fn names(doc: &serde_json::Value) -> Vec<String> {
    doc.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

/// Wait until `child` exits, at most `wait`.
fn exit_within(child: Child, wait: Duration) -> std::process::Output {
    let pid = child.id();
    let t = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(wait) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // SAFETY: kill(2) of our own child process.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("vicport did not exit within {:?}", t.elapsed());
        }
    }
}
