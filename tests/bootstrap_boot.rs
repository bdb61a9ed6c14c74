//! SLOW tests of the boot image builder (`src/plumbing/bootstrap`) with real
//! peers: Debian's cloud kernel, busybox-static and mke2fs's packages,
//! booted under QEMU.
//!
//! Ignored by default because they download the packages with apt (about
//! 32 MB) and boot two guests under TCG. Run them with
//!
//! ```text
//! cargo test --test bootstrap_boot -- --ignored --nocapture
//! ```
//!
//! Offline: `VICPORT_KERNEL_DEB=/path/linux-image-…-cloud-amd64_….deb` and
//! `VICPORT_BUSYBOX_DEB=/path/busybox-static_….deb` use those files instead
//! of apt. `VICPORT_TEST_ACCEL=kvm|tcg` skips the KVM probe boot.
//! `VICPORT_TEST_CACHE=/dir` keeps the cache somewhere else than
//! `$CARGO_TARGET_TMPDIR/bootstrap-cache` (the default, kept between runs).

#![allow(clippy::print_stderr)] // the tests report what they measured

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use vicport::plumbing::bootstrap::{
    self, Accel, BootImage, BootstrapRequest, CmdlineOptions, IsoOptions, KernelSource,
    PackageSource, cmdline::loops_per_jiffy, host_tsc_khz, kernel_cmdline,
};
use vicport::plumbing::platform::{NoProgress, Progress};

const MARK: &str = "VICPORT-TEST-INIT: ";

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bootstrap-boot");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cache_dir() -> PathBuf {
    std::env::var_os("VICPORT_TEST_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("bootstrap-cache"))
}

/// The stand-in tether: a static Rust program from the fixtures.
fn test_init() -> &'static Path {
    static INIT: OnceLock<PathBuf> = OnceLock::new();
    INIT.get_or_init(|| {
        let source =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bootstrap/test_init.rs");
        let out = scratch().join("test_init");
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let output = Command::new(rustc)
            .args([
                "--edition",
                "2024",
                "-O",
                "-C",
                "target-feature=+crt-static",
                "-C",
                "strip=symbols",
                "-o",
            ])
            .arg(&out)
            .arg(&source)
            .output()
            .expect("rustc runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        out
    })
}

fn source(env: &str, package: &str) -> PackageSource {
    match std::env::var_os(env) {
        Some(path) => PackageSource::Deb(path.into()),
        None => PackageSource::Apt(package.into()),
    }
}

/// The cmdline presets for TCG: the ISO gets them too, as a vSphere admin
/// would pass only `quiet`.
fn tcg_presets(hz: u32) -> Vec<String> {
    let khz = host_tsc_khz();
    vec![
        "quiet".into(),
        format!("tsc_early_khz={khz}"),
        format!("lpj={}", loops_per_jiffy(khz, hz)),
    ]
}

fn request(cache: &Path) -> BootstrapRequest {
    let mut request = BootstrapRequest::new(cache, test_init());
    request.kernel = KernelSource::Package(source("VICPORT_KERNEL_DEB", bootstrap::KERNEL_PACKAGE));
    request.busybox = Some(source("VICPORT_BUSYBOX_DEB", bootstrap::BUSYBOX_PACKAGE));
    request.iso = Some(IsoOptions {
        extra_cmdline: tcg_presets(bootstrap::cmdline::DEFAULT_HZ),
        ..IsoOptions::default()
    });
    request
}

/// Counts phases, to show what a build did.
#[derive(Default)]
struct Phases(Mutex<Vec<String>>);

impl Progress for Phases {
    fn phase(&self, name: &str, _total: Option<u64>) {
        self.0.lock().unwrap().push(name.to_string());
    }
    fn advance(&self, _n: u64) {}
}

/// The real image, built once per test run.
fn image() -> &'static BootImage {
    static IMAGE: OnceLock<BootImage> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let phases = Phases::default();
        let started = Instant::now();
        let image = bootstrap::build(&request(&cache_dir()), &phases)
            .unwrap_or_else(|e| panic!("build failed: {e}\nhint: {}", e.hint().unwrap_or("-")));
        eprintln!(
            "built {} in {:.1?} (cached: {}, phases: {:?})",
            image.dir.display(),
            started.elapsed(),
            image.cached,
            phases.0.lock().unwrap()
        );
        image
    })
}

/// A QEMU run: console lines, whether QEMU exited by itself, and when the
/// first and last marked lines appeared.
struct Run {
    lines: Vec<String>,
    exited: bool,
    first_mark: Option<Duration>,
    total: Duration,
}

impl Run {
    fn marks(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| l.split_once(MARK).map(|(_, rest)| rest.trim()))
            .collect()
    }
}

/// Run QEMU with the console on stdout until it exits, or kill it after
/// `timeout`.
fn run_qemu(args: &[String], timeout: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new("qemu-system-x86_64")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qemu-system-x86_64 runs (apt-get install qemu-system-x86)");
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let first_mark = Arc::new(Mutex::new(None));
    let reader = {
        let lines = Arc::clone(&lines);
        let first_mark = Arc::clone(&first_mark);
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).split(b'\n').map_while(Result::ok) {
                let line = String::from_utf8_lossy(&line).trim_end().to_string();
                if line.contains(MARK) {
                    first_mark.lock().unwrap().get_or_insert(started.elapsed());
                }
                lines.lock().unwrap().push(line);
            }
        })
    };
    let exited = loop {
        if child.try_wait().unwrap().is_some() {
            break true;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let total = started.elapsed();
    reader.join().unwrap();
    let lines = lines.lock().unwrap().clone();
    let first_mark = *first_mark.lock().unwrap();
    Run {
        lines,
        exited,
        first_mark,
        total,
    }
}

fn microvm_args(image: &BootImage, accel: Accel, disk: Option<&Path>) -> Vec<String> {
    let mut options = CmdlineOptions::local(accel, host_tsc_khz());
    options.hz = image
        .manifest
        .kernel
        .hz
        .unwrap_or(bootstrap::cmdline::DEFAULT_HZ);
    if disk.is_some() {
        options.extra.push("vicport.test.disk".into());
    }
    let mut args: Vec<String> = [
        "-M",
        "microvm,rtc=on",
        "-accel",
        if accel == Accel::Kvm { "kvm" } else { "tcg" },
        "-m",
        "512",
        "-no-reboot",
        "-nographic",
        "-nodefaults",
        "-serial",
        "stdio",
    ]
    .map(String::from)
    .to_vec();
    args.extend([
        "-kernel".into(),
        image.kernel.display().to_string(),
        "-initrd".into(),
        image.initramfs.display().to_string(),
        "-append".into(),
        kernel_cmdline(&options),
    ]);
    if let Some(disk) = disk {
        args.extend([
            "-drive".into(),
            format!("id=vol,file={},format=raw,if=none", disk.display()),
            "-device".into(),
            "virtio-blk-device,drive=vol".into(),
        ]);
    }
    args
}

/// KVM only if a real boot under it reaches /init: `/dev/kvm` can be there
/// and answer ioctls (nested PVM) while guests hang.
fn accel() -> Accel {
    static ACCEL: OnceLock<Accel> = OnceLock::new();
    *ACCEL.get_or_init(|| match std::env::var("VICPORT_TEST_ACCEL").as_deref() {
        Ok("kvm") => Accel::Kvm,
        Ok("tcg") => Accel::Tcg,
        _ if std::fs::File::options()
            .read(true)
            .write(true)
            .open("/dev/kvm")
            .is_err() =>
        {
            Accel::Tcg
        }
        _ => {
            let run = run_qemu(
                &microvm_args(image(), Accel::Kvm, None),
                Duration::from_secs(10),
            );
            let works = run.marks().iter().any(|m| m.starts_with("bye"));
            eprintln!(
                "KVM probe: {} after {:.1?}",
                if works {
                    "works"
                } else {
                    "no init output, using TCG"
                },
                run.total
            );
            if works { Accel::Kvm } else { Accel::Tcg }
        }
    })
}

fn report(what: &str, run: &Run) {
    eprintln!(
        "{what}: /init spoke after {:.1?}, QEMU {} after {:.1?}",
        run.first_mark.unwrap_or_default(),
        if run.exited { "exited" } else { "was killed" },
        run.total
    );
    for mark in run.marks() {
        eprintln!("  {mark}");
    }
}

#[test]
#[ignore = "slow, needs the network (or VICPORT_KERNEL_DEB/VICPORT_BUSYBOX_DEB): cargo test --test bootstrap_boot -- --ignored"]
fn real_image_is_reproducible_and_cached() {
    let first = image();
    let manifest = &first.manifest;
    assert!(manifest.kernel.package.package.starts_with("linux-image-"));
    assert!(
        manifest.kernel.version.ends_with("-cloud-amd64"),
        "{}",
        manifest.kernel.version
    );
    eprintln!(
        "kernel {} from {} {}; HZ {:?}; built in: {:?}",
        manifest.kernel.version,
        manifest.kernel.package.package,
        manifest.kernel.package.version,
        manifest.kernel.hz,
        manifest.kernel.builtin_modules
    );
    eprintln!(
        "load order: {}",
        manifest
            .modules
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("xorriso: {}", manifest.xorriso.as_ref().unwrap().join(" "));
    for output in [
        &manifest.outputs.kernel,
        &manifest.outputs.initramfs,
        manifest.outputs.iso.as_ref().unwrap(),
    ] {
        eprintln!(
            "  {} {} bytes sha256 {}",
            output.file, output.size, output.sha256
        );
    }
    let names: Vec<&str> = manifest.modules.iter().map(|m| m.name.as_str()).collect();
    for wanted in [
        "virtio_ring",
        "virtio",
        "failover",
        "net_failover",
        "virtio_net",
        "scsi_mod",
        "vsock",
        "vmw_vmci",
    ] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    let at = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(at("failover") < at("net_failover") && at("net_failover") < at("virtio_net"));
    assert!(at("scsi_mod") < at("vmw_pvscsi") && at("vsock") < at("vmw_vsock_vmci_transport"));

    // Once more with the same inputs: nothing is done.
    let phases = Phases::default();
    let started = Instant::now();
    let again = bootstrap::build(&request(&cache_dir()), &phases).unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "second build: {elapsed:.1?}, cached {}, phases {:?}",
        again.cached,
        phases.0.lock().unwrap()
    );
    assert!(again.cached);
    assert_eq!(again.dir, first.dir);
    assert!(
        phases
            .0
            .lock()
            .unwrap()
            .iter()
            .all(|p| p.starts_with("resolve ")),
        "{:?}",
        phases.0.lock().unwrap()
    );

    // The same .deb files in an empty cache: byte-identical outputs.
    let other_cache = scratch().join("cache-b");
    let _ = std::fs::remove_dir_all(&other_cache);
    let mut from_files = request(&other_cache);
    let debs = cache_dir().join("debs");
    let deb_of = |package: &str, env: &str| match source(env, package) {
        PackageSource::Deb(path) => path,
        PackageSource::Apt(_) => {
            let prefix = if package == bootstrap::KERNEL_PACKAGE {
                "linux-image-"
            } else {
                "busybox-static_"
            };
            let pick = |name: &str| {
                name.starts_with(prefix)
                    && name.ends_with(".deb")
                    && (package != bootstrap::KERNEL_PACKAGE || name.contains("-cloud-amd64_"))
            };
            let mut found: Vec<PathBuf> = std::fs::read_dir(&debs)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| pick(&p.file_name().unwrap().to_string_lossy()))
                .collect();
            found.sort();
            found.pop().expect("the first build cached the .deb")
        }
    };
    from_files.kernel = KernelSource::Package(PackageSource::Deb(deb_of(
        bootstrap::KERNEL_PACKAGE,
        "VICPORT_KERNEL_DEB",
    )));
    from_files.busybox = Some(PackageSource::Deb(deb_of(
        bootstrap::BUSYBOX_PACKAGE,
        "VICPORT_BUSYBOX_DEB",
    )));
    let started = Instant::now();
    let second = bootstrap::build(&from_files, &NoProgress).unwrap();
    eprintln!(
        "rebuild in an empty cache from the same .debs: {:.1?}",
        started.elapsed()
    );
    assert!(!second.cached);
    assert_eq!(second.manifest.key, first.manifest.key);
    for file in ["vmlinuz", "initramfs.img", "bootstrap.iso", "manifest.json"] {
        let a = std::fs::read(first.dir.join(file)).unwrap();
        let b = std::fs::read(second.dir.join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between two builds of the same inputs"
        );
    }
    std::fs::remove_dir_all(&other_cache).unwrap();
}

#[test]
#[ignore = "slow, needs the network (or VICPORT_KERNEL_DEB/VICPORT_BUSYBOX_DEB) and boots QEMU: cargo test --test bootstrap_boot -- --ignored"]
fn microvm_boots_the_initramfs_loads_every_module_and_formats_a_volume() {
    let image = image();
    let accel = accel();
    let disk = scratch().join("volume.img");
    std::fs::File::create(&disk)
        .unwrap()
        .set_len(32 << 20)
        .unwrap();
    let run = run_qemu(
        &microvm_args(image, accel, Some(&disk)),
        Duration::from_secs(180),
    );
    report(&format!("microvm ({accel:?})"), &run);
    let marks = run.marks();
    assert!(
        marks.contains(&"hello"),
        "no line from /init:\n{}",
        run.lines.join("\n")
    );
    let expected = format!("modules loaded {n}/{n}", n = image.manifest.modules.len());
    assert!(
        marks.contains(&expected.as_str()),
        "{marks:?}\n{}",
        run.lines.join("\n")
    );
    assert!(marks.contains(&"fw_cfg present"), "{marks:?}");
    assert!(marks.contains(&"volume ok"), "{marks:?}");
    assert!(marks.iter().any(|m| m.starts_with("bye")), "{marks:?}");
    assert!(run.exited, "the guest did not power off");
}

#[test]
#[ignore = "slow, needs the network (or VICPORT_KERNEL_DEB/VICPORT_BUSYBOX_DEB) and boots QEMU: cargo test --test bootstrap_boot -- --ignored"]
fn pc_boots_the_iso() {
    let image = image();
    let accel = accel();
    let iso = image.iso.as_ref().expect("the request asks for the ISO");
    let args: Vec<String> = [
        "-M",
        "pc",
        "-accel",
        if accel == Accel::Kvm { "kvm" } else { "tcg" },
        "-m",
        "512",
        "-no-reboot",
        "-nographic",
        "-nodefaults",
        "-serial",
        "stdio",
        "-boot",
        "d",
        "-cdrom",
    ]
    .map(String::from)
    .into_iter()
    .chain([iso.display().to_string()])
    .collect();
    let run = run_qemu(&args, Duration::from_secs(180));
    report(&format!("ISO on pc ({accel:?})"), &run);
    let marks = run.marks();
    assert!(
        marks.contains(&"hello"),
        "no line from /init:\n{}",
        run.lines.join("\n")
    );
    let expected = format!("modules loaded {n}/{n}", n = image.manifest.modules.len());
    assert!(
        marks.contains(&expected.as_str()),
        "{marks:?}\n{}",
        run.lines.join("\n")
    );
    assert!(marks.iter().any(|m| m.starts_with("bye")), "{marks:?}");
    assert!(run.exited, "the guest did not power off");
}
