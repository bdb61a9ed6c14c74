//! SLOW, ignored by default: the microvm flavour end to end. `vicport
//! system bootstrap --kernel microvm` compiles the microVM kernel from
//! Debian's linux-source-6.1 (minutes on two cores the first time; then
//! cached: a second bootstrap does not compile again), the boot image
//! holds no module, a domain boots it, runs `echo` and powers off (ACPI on
//! microvm), and two domains on a rootless network run and ping each
//! other through `exec`, also over a network they join while running
//! (NICs hot-plugged into PCIe root ports: pciehp and virtio-pci, built
//! in). And beside a current microvm image, vSphere domains get the cloud
//! kernel's ISO, built once.
//!
//! ```text
//! cargo test --test cli microvm:: -- --include-ignored
//! ```
//!
//! It keeps its own cache (`target/test-cache-microvm`, kept between runs)
//! so that the boot image it makes current is not the one the other
//! tests boot.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::boot::read_initramfs;
use crate::support::{Env, Outcome, run, target_dir, tether};

/// Long enough for a TCG boot on a busy machine; a guest that halts
/// instead of powering off never ends `run --rm`, and fails here.
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

fn microvm_cache() -> PathBuf {
    let dir = target_dir().join("test-cache-microvm");
    std::fs::create_dir_all(&dir).expect("creating the microvm test cache");
    dir
}

/// Removes the test's domains and networks, also when it fails: no QEMU
/// is left behind.
struct Cleanup<'a>(&'a Env);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let ids = run(booting(self.0, ["-q", "domain", "ls"])).stdout;
        let ids: Vec<&str> = ids.lines().filter(|l| !l.is_empty()).collect();
        if !ids.is_empty() {
            run(booting(self.0, ["domain", "rm", "-f"]).args(&ids));
        }
        let nets = run(booting(self.0, ["-q", "network", "ls"])).stdout;
        for n in nets.lines().filter(|l| !l.is_empty()) {
            run(booting(self.0, ["network", "rm"]).arg(n));
        }
    }
}

/// The modification time of every kernel build's manifest in the cache.
fn kernel_builds() -> Vec<(PathBuf, std::time::SystemTime)> {
    kernel_builds_in(&microvm_cache())
}

fn kernel_builds_in(cache: &std::path::Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut builds: Vec<_> = std::fs::read_dir(cache.join("kernels"))
        .expect("the kernel builds")
        .filter_map(|e| {
            let manifest = e.ok()?.path().join("manifest.json");
            let modified = std::fs::metadata(&manifest).ok()?.modified().ok()?;
            Some((manifest, modified))
        })
        .collect();
    builds.sort();
    builds
}

fn booting<const N: usize>(env: &Env, args: [&str; N]) -> Command {
    let mut cmd = env.vicport(args);
    cmd.env("VICPORT_TETHER", tether())
        .env("VICPORT_CACHE_DIR", microvm_cache());
    cmd
}

/// Run `cmd`, killing it after `timeout`.
fn run_within(mut cmd: Command, timeout: Duration) -> Outcome {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vicport runs");
    let started = Instant::now();
    while child.try_wait().expect("waiting for vicport").is_none() {
        if started.elapsed() > timeout {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{cmd:?} did not end within {timeout:?}:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
#[ignore = "slow: compiles a kernel (minutes) and boots it; cargo test --test cli microvm:: -- --include-ignored"]
#[allow(clippy::print_stderr)] // it says how long the build and the cached run took
fn the_microvm_kernel_is_built_once_and_boots_domains_that_run_and_talk() {
    let env = Env::new();
    let _cleanup = Cleanup(&env);
    let bootstrap = || {
        let started = Instant::now();
        let built = run(booting(
            &env,
            ["-o", "json", "system", "bootstrap", "--kernel", "microvm"],
        ));
        built.code(0);
        (built.json(), started.elapsed())
    };
    let (image, took) = bootstrap();
    eprintln!("microvm boot image in {took:.1?}");
    assert_eq!(image["flavour"], "microvm");
    assert_eq!(image["modules"], 0, "{image}");
    assert!(image["iso"].is_null(), "{image}");
    let release = image["kernel_version"].as_str().unwrap().to_string();
    assert!(release.ends_with("-vicport-microvm"), "{release}");
    let kernel = PathBuf::from(image["kernel"].as_str().unwrap());
    let bytes = std::fs::read(&kernel).unwrap();
    assert_eq!(
        &bytes[0x202..0x206],
        b"HdrS",
        "a bzImage, as the cloud kernel is"
    );

    // The second time, nothing is compiled: the kernel build in the cache
    // is the same, untouched, and so is the boot image.
    let builds = kernel_builds();
    assert_eq!(builds.len(), 1, "{builds:?}");
    let (again, took) = bootstrap();
    eprintln!("again in {took:.1?}");
    assert_eq!(again["cached"], true, "{again}");
    assert_eq!(again["dir"], image["dir"]);
    assert_eq!(kernel_builds(), builds);

    // No module in the initramfs, and an empty load list for the tether.
    let dir = PathBuf::from(image["dir"].as_str().unwrap());
    let entries = read_initramfs(&dir.join("initramfs.img"));
    let modules: Vec<&String> = entries.keys().filter(|p| p.ends_with(".ko")).collect();
    assert!(modules.is_empty(), "{modules:?}");
    assert_eq!(
        entries
            .get("lib/modules/vicport.modules")
            .map(|e| e.data.len()),
        Some(0)
    );

    env.import_busybox();
    let ran = run_within(
        booting(
            &env,
            [
                "run",
                "--rm",
                "busybox",
                "--",
                "sh",
                "-c",
                "echo hello from $(uname -r)",
            ],
        ),
        RUN_TIMEOUT,
    );
    ran.code(0);
    assert_eq!(ran.stdout, format!("hello from {release}\n"));
    // --rm: the guest powered off and the domain is gone.
    let left = run(booting(&env, ["-o", "json", "domain", "ls"]));
    assert_eq!(left.code(0).json(), serde_json::json!([]));

    // Two domains on a rootless network (QEMU's multicast socket: no
    // bridge, no root), and an exec in one that pings the other.
    run(booting(
        &env,
        ["network", "create", "s", "--subnet", "10.206.0.0/24"],
    )
    .env("VICPORT_NETWORK_BACKING", "socket"))
    .code(0);
    for (name, ip) in [("m1", "s:10.206.0.11"), ("m2", "s:10.206.0.12")] {
        run_within(
            booting(
                &env,
                [
                    "run",
                    "-d",
                    "--name",
                    name,
                    "--network",
                    ip,
                    "busybox",
                    "--",
                    "sh",
                    "-c",
                    "while true; do busybox sleep 1; done",
                ],
            ),
            RUN_TIMEOUT,
        )
        .code(0);
    }
    let ping = run(booting(
        &env,
        [
            "exec",
            "m1",
            "--",
            "busybox",
            "ping",
            "-c",
            "1",
            "-W",
            "5",
            "10.206.0.12",
        ],
    ));
    assert_eq!(ping.code, 0, "{}{}", ping.stdout, ping.stderr);

    // A network joins the running domains: a NIC hot-plugged into a PCIe
    // root port, taken by the kernel's pciehp and virtio-pci.
    run(booting(
        &env,
        ["network", "create", "t", "--subnet", "10.207.0.0/24"],
    )
    .env("VICPORT_NETWORK_BACKING", "socket"))
    .code(0);
    for (name, ip) in [("m1", "10.207.0.11"), ("m2", "10.207.0.12")] {
        run(booting(&env, ["network", "connect", "t", name, "--ip", ip])).code(0);
    }
    let ping = run(booting(
        &env,
        [
            "exec",
            "m1",
            "--",
            "busybox",
            "ping",
            "-c",
            "1",
            "-W",
            "5",
            "10.207.0.12",
        ],
    ));
    assert_eq!(ping.code, 0, "{}{}", ping.stdout, ping.stderr);
    run(booting(&env, ["domain", "rm", "-f", "m1", "m2"])).code(0);
}

/// `src` hard-linked into `dst`, recursively (cache entries are written
/// once and never changed in place).
fn link_tree(src: &std::path::Path, dst: &std::path::Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let (from, to) = (entry.path(), dst.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            link_tree(&from, &to);
        } else if !to.exists() {
            std::fs::hard_link(&from, &to).unwrap();
        }
    }
}

#[test]
#[ignore = "slow: needs the microvm test's kernel build, and builds the cloud kernel's ISO; cargo test --test cli microvm:: -- --include-ignored"]
fn vsphere_boots_the_cloud_kernels_iso_beside_a_current_microvm_image() {
    let env = Env::new();
    // The kernel build of the test above (made now, or waited for, if it
    // is not there yet) and the packages, in this test's own cache (the
    // one vSphere targets use: XDG_CACHE_HOME); not the build lock, whose
    // inode the two caches would then share.
    run(booting(
        &env,
        ["-q", "system", "bootstrap", "--kernel", "microvm"],
    ))
    .code(0);
    let cache = crate::vsphere::cache_dir(&env);
    link_tree(&microvm_cache().join("debs"), &cache.join("debs"));
    for (build, _) in kernel_builds() {
        let dir = build.parent().unwrap();
        link_tree(dir, &cache.join("kernels").join(dir.file_name().unwrap()));
    }
    let mut bootstrap = env.vicport(["system", "bootstrap", "--kernel", "microvm"]);
    bootstrap.env("VICPORT_TETHER", tether());
    run(&mut bootstrap).code(0);
    let builds = kernel_builds_in(&cache);
    let flavour = |file: &str| -> Option<serde_json::Value> {
        let bytes = std::fs::read(cache.join("boot").join(file)).ok()?;
        Some(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["flavour"].clone())
    };
    assert_eq!(flavour("current.json"), Some("microvm".into()));

    let v = crate::support::vcsim::Vcsim::start();
    crate::vsphere::log_in(&env, &v);
    crate::vsphere::import_busybox(&env, "busybox");
    let create = |name: &str| {
        let mut cmd = env.vicport(["domain", "create", "--name", name, "busybox", "--", "sh"]);
        cmd.env("VICPORT_TETHER", tether());
        run(&mut cmd).code(0);
    };
    create("first");
    // The cloud kernel's image, with its ISO, beside the microvm image,
    // which stays current for local domains.
    assert_eq!(flavour("current.json"), Some("microvm".into()));
    assert_eq!(flavour("vsphere.json"), Some("cloud".into()));
    let record = cache.join("boot/vsphere.json");
    let built = std::fs::metadata(&record).unwrap().modified().unwrap();
    // The next create finds it: nothing is built again.
    create("second");
    assert_eq!(
        std::fs::metadata(&record).unwrap().modified().unwrap(),
        built
    );
    assert_eq!(kernel_builds_in(&cache), builds);
    crate::vsphere::log_out(&env);
}
