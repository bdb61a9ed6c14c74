//! vicport's benchmarks: every measurement is taken side by side with a
//! baseline measured in the same run on the same machine, and reported as a
//! ratio (these machines are noisy; absolute times from another run mean
//! little). `cargo bench --bench vicport` prints a Markdown table and writes
//! it to `target/bench/latest.md`.
//!
//! Local platform (QEMU, the accelerator vicport chooses):
//! - boot to "tether ready" vs the same kernel booting a trivial static init;
//! - the same with the microVM kernel vs the cloud kernel (interleaved);
//! - `vicport run --rm IMG -- true` vs that bare-kernel boot, and with the
//!   microVM kernel vs the cloud kernel (interleaved);
//! - exec of `true` over the link vs a Ping on the same link, and
//!   `vicport exec DOMAIN -- true` vs `vicport --version`, and in a
//!   microVM-kernel domain vs a cloud-kernel one;
//! - `vicport --version` vs spawning `/bin/true`; `domain ls` of 100
//!   domains vs `vicport --version`;
//! - peak memory of `vicport domain ls` and of a domain's monitor.
//!
//! - 8 `vicport run --rm IMG -- true` at once vs the same 8 one after
//!   another (the host's core count beside it);
//! - the tether's boot timeline (`domain inspect`), per-step medians.
//!
//! Set `VICPORT_BENCH_ROUNDS` to change the number of rounds (default 5).
//! The microVM kernel's rows need that kernel compiled (minutes, once, into
//! the cache): `VICPORT_BENCH_MICROVM=1` includes them.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;
mod local;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{median, rounds, run_ok, static_tether, target_dir};
use vicport::plumbing::bootstrap::{self, BootImage, BootstrapRequest, CmdlineOptions};
use vicport::plumbing::image::fixtures;
use vicport::plumbing::local::qemu::{self, Accel};
use vicport::plumbing::platform::NoProgress;

/// One line of the report.
struct Row {
    what: String,
    ours: Vec<Duration>,
    baseline_name: String,
    baseline: Vec<Duration>,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn trivial_init(work: &Path) -> PathBuf {
    let out = work.join("trivial-init");
    run_ok(
        Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args([
                "--edition",
                "2024",
                "-O",
                "-C",
                "target-feature=+crt-static",
                "-o",
            ])
            .arg(&out)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/trivial_init.rs")),
    );
    out
}

fn image(cache: &Path, init: &Path) -> BootImage {
    let mut request = BootstrapRequest::new(cache, init);
    request.iso = None;
    bootstrap::build(&request, &NoProgress).expect("building a boot image")
}

/// The microVM kernel's boot image (its kernel compiled once into the
/// cache: minutes the first time).
fn microvm_image(cache: &Path, init: &Path) -> BootImage {
    bootstrap::build(&BootstrapRequest::microvm(cache, init), &NoProgress)
        .expect("building the microvm boot image")
}

/// Make `flavour` the boot image new domains boot.
fn use_kernel(env: &BenchEnv, flavour: &str) {
    run_ok(vicport(env).args(["-q", "system", "bootstrap", "--no-iso", "--kernel", flavour]));
}

/// QEMU as the local platform runs it, with a serial console and a link
/// port on unix sockets in `dir`, and (for the tether) a config.
fn qemu(dir: &Path, image: &BootImage, accel: Accel, config: Option<&str>) -> std::process::Child {
    let mut options = CmdlineOptions::local(accel, bootstrap::host_tsc_khz());
    options.hz = image
        .manifest
        .kernel
        .hz
        .unwrap_or(bootstrap::cmdline::DEFAULT_HZ);
    options.extra = qemu::HOTPLUG_CMDLINE
        .iter()
        .map(|p| p.to_string())
        .collect();
    let cmdline = bootstrap::kernel_cmdline(&options);
    std::fs::write(dir.join("config"), config.unwrap_or("")).unwrap();
    // As the local platform runs QEMU (the same translation cache).
    let tcg = format!("tcg,tb-size={}", qemu::TCG_TB_SIZE_MB);
    let accel_args: [&str; 4] = match accel {
        Accel::Kvm => ["-accel", "kvm", "-cpu", "host"],
        Accel::Tcg => ["-accel", &tcg, "-cpu", qemu::TCG_CPU],
    };
    Command::new(qemu::QEMU)
        .current_dir(dir)
        .args([
            // The machine and command line of a local domain (a PCIe host
            // bridge for NICs; none is plugged here).
            "-M",
            qemu::MACHINE,
            "-m",
            "256M",
            "-smp",
            "1",
        ])
        .args(accel_args)
        .args(["-nodefaults", "-no-user-config", "-nographic", "-no-reboot"])
        .arg("-kernel")
        .arg(&image.kernel)
        .arg("-initrd")
        .arg(&image.initramfs)
        .args(["-append", &cmdline])
        .args([
            "-chardev",
            "socket,id=ser,path=serial.sock,server=on,wait=off",
        ])
        .args(["-serial", "chardev:ser"])
        .args(["-device", "virtio-serial-device"])
        .args([
            "-chardev",
            "socket,id=link,path=link.sock,server=on,wait=off",
        ])
        .args([
            "-device",
            "virtserialport,chardev=link,name=org.vicport.link",
        ])
        .args(["-fw_cfg", "name=opt/org.vicport/config,file=config"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting QEMU")
}

fn connect(path: &Path, started: Instant) -> UnixStream {
    loop {
        if let Ok(s) = UnixStream::connect(path) {
            return s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no socket {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Spawn-to-marker time of the trivial init.
fn boot_trivial(work: &Path, image: &BootImage, accel: Accel) -> Duration {
    let dir = tempfile::tempdir_in(work).unwrap();
    let started = Instant::now();
    let mut child = qemu(dir.path(), image, accel, None);
    let mut serial = connect(&dir.path().join("serial.sock"), started);
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let took = loop {
        let n = serial.read(&mut buf).expect("reading the serial console");
        assert!(n > 0, "the trivial init never said it was ready");
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(18).any(|w| w == b"TRIVIAL-INIT-READY") {
            break started.elapsed();
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    took
}

/// Spawn-to-Ready time of the tether (config in fw_cfg, link on virtio).
fn boot_tether(work: &Path, image: &BootImage, accel: Accel) -> Duration {
    let dir = tempfile::tempdir_in(work).unwrap();
    let mut config = tether_protocol::config::DomainConfig::new(
        b"bench-token".to_vec(),
        tether_protocol::config::PortSpec::Virtio("org.vicport.link".into()),
    );
    config.name = "bench".into();
    let started = Instant::now();
    let mut child = qemu(dir.path(), image, accel, Some(&config.encode()));
    let mut link = connect(&dir.path().join("link.sock"), started);
    tether_protocol::client::wait_for_ready(&mut link).expect("the tether's Ready");
    let took = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    took
}

/// Power off and remove the domains an earlier run left in `run` (one
/// that failed half-way), before its directory goes: a QEMU whose
/// directory is gone runs on where `vicport` cannot reach it.
fn remove_leftovers(run: &Path, cache: &Path) {
    let env = BenchEnv {
        state: run.join("state"),
        cache: cache.to_path_buf(),
        tether: PathBuf::new(),
    };
    if !env.state.join("domains").is_dir() {
        return;
    }
    let Ok(out) = vicport(&env).args(["-q", "domain", "ls"]).output() else {
        return;
    };
    for id in String::from_utf8_lossy(&out.stdout).lines() {
        let _ = vicport(&env)
            .args(["-q", "domain", "rm", "--force", id])
            .stdout(Stdio::null())
            .status();
    }
}

/// A `vicport` command in the bench's own world.
fn vicport(env: &BenchEnv) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vicport"));
    cmd.env("VICPORT_STATE_DIR", &env.state)
        .env("VICPORT_CACHE_DIR", &env.cache)
        .env("VICPORT_TETHER", &env.tether)
        .env("XDG_CONFIG_HOME", env.state.join("config"))
        .env_remove("VICPORT_TARGET")
        .env_remove("VICPORT_OUTPUT");
    cmd
}

struct BenchEnv {
    state: PathBuf,
    cache: PathBuf,
    tether: PathBuf,
}

fn timed(cmd: &mut Command) -> Duration {
    let started = Instant::now();
    run_ok(cmd.stdout(Stdio::null()));
    started.elapsed()
}

/// Peak resident memory (KiB) of a vicport command, as it reports it with
/// `--debug` (its own VmHWM: rusage would count the parent's pages, which a
/// child shares until it execs).
fn peak_rss_kib(cmd: &mut Command) -> u64 {
    let out = cmd.arg("--debug").output().expect("running vicport");
    let text = String::from_utf8_lossy(&out.stderr);
    text.split("peak_rss_kib=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no peak_rss_kib in --debug output:\n{text}"))
}

fn vm_hwm_kib(pid: u32) -> Option<i64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let n = rounds(5);
    let work = target_dir().join("bench");
    remove_leftovers(&work.join("run"), &target_dir().join("test-cache"));
    let _ = std::fs::remove_dir_all(work.join("run"));
    std::fs::create_dir_all(work.join("run")).unwrap();
    let run_dir = work.join("run");
    let cache = target_dir().join("test-cache");
    eprintln!("building the static tether, the trivial init and the boot images...");
    let tether_bin = static_tether();
    let trivial = trivial_init(&run_dir);
    let tether_image = image(&cache, &tether_bin);
    let trivial_image = image(&cache, &trivial);
    let with_microvm = std::env::var("VICPORT_BENCH_MICROVM").as_deref() == Ok("1");
    let microvm = with_microvm.then(|| microvm_image(&cache, &tether_bin));
    let (accel, why) = qemu::choose_accel(&cache, &tether_image.kernel, &tether_image.initramfs)
        .expect("choosing an accelerator");
    eprintln!("accelerator: {} ({why})", accel.as_str());

    let mut rows = Vec::new();

    eprintln!("boot to ready, {n} rounds each, interleaved...");
    let (mut ours, mut base, mut micro) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        base.push(boot_trivial(&run_dir, &trivial_image, accel));
        ours.push(boot_tether(&run_dir, &tether_image, accel));
        if let Some(m) = &microvm {
            micro.push(boot_tether(&run_dir, m, accel));
        }
    }
    rows.push(Row {
        what: "boot to tether ready".into(),
        ours: ours.clone(),
        baseline_name: "same kernel, trivial static init".into(),
        baseline: base.clone(),
    });
    if microvm.is_some() {
        rows.push(Row {
            what: "boot to tether ready, microvm kernel".into(),
            ours: micro,
            baseline_name: "the same with the cloud kernel".into(),
            baseline: ours,
        });
    }

    // The local platform through the binary.
    let env = BenchEnv {
        state: run_dir.join("state"),
        cache: cache.clone(),
        tether: tether_bin.clone(),
    };
    let fixture_dir = run_dir.join("fixture");
    std::fs::create_dir_all(&fixture_dir).unwrap();
    let rootfs = fixtures::rootfs_tar(&fixture_dir, false).unwrap();
    run_ok(
        vicport(&env)
            .args(["image", "import"])
            .arg(&rootfs.path)
            .args(["--name", "bench"]),
    );

    eprintln!("run --rm -- true, {n} rounds each, cloud and microvm interleaved...");
    let (mut ours, mut micro, mut bare) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        // Its baseline, interleaved with it: the load of a shared machine
        // moves over minutes.
        let dir = tempfile::tempdir_in(&run_dir).unwrap();
        let started = Instant::now();
        let child = qemu(dir.path(), &trivial_image, accel, None);
        bare.push(local::boot_and_power_off(child, started));
        use_kernel(&env, "cloud");
        ours.push(timed(
            vicport(&env).args(["run", "--rm", "bench", "--", "true"]),
        ));
        if microvm.is_some() {
            use_kernel(&env, "microvm");
            micro.push(timed(
                vicport(&env).args(["run", "--rm", "bench", "--", "true"]),
            ));
        }
    }
    use_kernel(&env, "cloud");
    rows.push(Row {
        what: "`vicport run --rm IMG -- true`".into(),
        ours: ours.clone(),
        baseline_name: "same kernel, trivial init: boot and power-off (QEMU exits), interleaved"
            .into(),
        baseline: bare,
    });
    if microvm.is_some() {
        rows.push(Row {
            what: "`vicport run --rm IMG -- true`, microvm kernel".into(),
            ours: micro,
            baseline_name: "the same with the cloud kernel".into(),
            baseline: ours,
        });
    }

    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let scale_rounds = n.div_ceil(2);
    eprintln!("8 run --rm at once vs one after another, {scale_rounds} rounds...");
    let (at_once, in_turn) = local::concurrent_and_sequential(
        &|| {
            let mut c = vicport(&env);
            c.args(["run", "--rm", "bench", "--", "true"]);
            c
        },
        8,
        scale_rounds,
    );
    rows.push(Row {
        what: format!("8 `vicport run --rm IMG -- true` at once ({cores} host cores)"),
        ours: at_once,
        baseline_name: "the same 8 one after another".into(),
        baseline: in_turn,
    });

    eprintln!("exec round trips...");
    let service = |name: &str| {
        run_ok(vicport(&env).args([
            "run",
            "-d",
            "--name",
            name,
            "bench",
            "--",
            "sh",
            "-c",
            "while true; do busybox sleep 1; done",
        ]));
    };
    // One domain per kernel: a domain boots the image current at its start.
    if microvm.is_some() {
        use_kernel(&env, "microvm");
        service("svc-microvm");
        use_kernel(&env, "cloud");
    }
    // The boot timeline of a few cloud-kernel domains, then the one that
    // serves the exec rows.
    let mut timelines = Vec::new();
    for i in 0..n.min(3) {
        let name = format!("tl{i}");
        service(&name);
        timelines.push(local::boot_timeline(vicport(&env), &name));
        run_ok(vicport(&env).args(["domain", "rm", "--force", &name]));
    }
    // Suspend and resume against stop and boot, on one domain, each step
    // after the other: suspend, resume, stop, boot.
    service("nap");
    let (mut suspend, mut resume, mut stop, mut boot) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        suspend.push(timed(vicport(&env).args(["domain", "suspend", "nap"])));
        resume.push(timed(vicport(&env).args(["domain", "start", "nap"])));
        stop.push(timed(vicport(&env).args(["domain", "stop", "nap"])));
        boot.push(timed(vicport(&env).args(["domain", "start", "nap"])));
    }
    run_ok(vicport(&env).args(["domain", "rm", "--force", "nap"]));
    rows.push(Row {
        what: "`vicport domain start` of a suspended domain (resume)".into(),
        ours: resume,
        baseline_name: "`vicport domain start` of a stopped one (boot to ready)".into(),
        baseline: boot,
    });
    rows.push(Row {
        what: "`vicport domain suspend` (256 MiB saved)".into(),
        ours: suspend,
        baseline_name: "`vicport domain stop` of the same domain".into(),
        baseline: stop,
    });
    service("svc");
    let mut version = Vec::new();
    let (mut exec, mut exec_micro) = (Vec::new(), Vec::new());
    for _ in 0..(n * 4) {
        version.push(timed(vicport(&env).arg("--version")));
        exec.push(timed(vicport(&env).args(["exec", "svc", "--", "true"])));
        if microvm.is_some() {
            exec_micro.push(timed(vicport(&env).args([
                "exec",
                "svc-microvm",
                "--",
                "true",
            ])));
        }
    }
    rows.push(Row {
        what: "`vicport exec DOMAIN -- true`".into(),
        ours: exec.clone(),
        baseline_name: "`vicport --version`".into(),
        baseline: version.clone(),
    });
    if microvm.is_some() {
        run_ok(vicport(&env).args(["domain", "rm", "--force", "svc-microvm"]));
        rows.push(Row {
            what: "`vicport exec DOMAIN -- true`, microvm kernel".into(),
            ours: exec_micro,
            baseline_name: "the same in a cloud-kernel domain".into(),
            baseline: exec,
        });
    }
    // The link itself: an exec of `true` vs a Ping the tether answers, both
    // through the monitor to the guest and back.
    let (link_exec, link_ping) = link_round_trips(&env, n * 10);
    rows.push(Row {
        what: "exec of `true` over the link".into(),
        ours: link_exec,
        baseline_name: "a Ping the tether answers, same link".into(),
        baseline: link_ping,
    });
    let monitor_hwm = monitor_pid(&env).and_then(vm_hwm_kib);
    run_ok(vicport(&env).args(["domain", "rm", "--force", "svc"]));

    eprintln!("start-up...");
    let mut true_spawn = Vec::new();
    for _ in 0..(n * 4) {
        true_spawn.push(timed(&mut Command::new("true")));
    }
    rows.push(Row {
        what: "`vicport --version`".into(),
        ours: version.clone(),
        baseline_name: "spawning `true`".into(),
        baseline: true_spawn,
    });
    for i in 0..100 {
        run_ok(vicport(&env).args([
            "domain",
            "create",
            "--name",
            &format!("d{i}"),
            "bench",
            "--",
            "true",
        ]));
    }
    let mut ls = Vec::new();
    for _ in 0..(n * 4) {
        ls.push(timed(vicport(&env).args(["-o", "json", "domain", "ls"])));
    }
    rows.push(Row {
        what: "`vicport domain ls` (100 domains)".into(),
        ours: ls,
        baseline_name: "`vicport --version`".into(),
        baseline: version,
    });
    let ls_rss = peak_rss_kib(vicport(&env).args(["-o", "json", "domain", "ls"]));
    let version_rss = peak_rss_kib(vicport(&env).args(["target", "ls"]));

    let mut report = String::new();
    let kernel = &tether_image.manifest.kernel.version;
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let micro_text = microvm.as_ref().map_or_else(
        || " (microvm rows skipped: VICPORT_BENCH_MICROVM=1 includes them)".to_string(),
        |m| {
            let k = &m.manifest.kernel;
            format!(
                " and {} (microvm, from {} {})",
                k.version, k.package.package, k.package.version
            )
        },
    );
    report.push_str(&format!(
        "Machine: {cpu}, {cores} cores; accelerator: {} ({why}); guest kernel {kernel} (cloud){micro_text}; {n} rounds (medians); load average at the end: {}.\n\n",
        accel.as_str(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    ));
    report.push_str(
        "| measurement | vicport | baseline | baseline time | ratio |\n|---|---|---|---|---|\n",
    );
    for r in &rows {
        let (a, b) = (median(&r.ours), median(&r.baseline));
        report.push_str(&format!(
            "| {} | {} | {} | {} | {:.2} |\n",
            r.what,
            ms(a),
            r.baseline_name,
            ms(b),
            a.as_secs_f64() / b.as_secs_f64()
        ));
    }
    report.push_str(&format!(
        "\nPeak memory: `vicport domain ls` (100 domains) {} KiB, `vicport target ls` {} KiB (ratio {:.2}); a domain's monitor {}.\n",
        ls_rss,
        version_rss,
        ls_rss as f64 / version_rss as f64,
        monitor_hwm.map_or("not measured".to_string(), |k| format!("{k} KiB"))
    ));
    report.push_str(&format!(
        "\nBoot timeline of {} cloud-kernel domains (`domain inspect`, medians, ms each step took): {}.\n",
        timelines.len(),
        local::timeline_line(&timelines)
    ));
    if let Some(m) = &microvm {
        report.push_str(&microvm_facts(&cache, m, &tether_image));
    }
    print!("{report}");
    std::fs::write(work.join("latest.md"), &report).unwrap();
    let _ = std::io::stdout().flush();
}

/// The microVM kernel's build time (as recorded when it was compiled into
/// this cache) and the two boot images' sizes.
fn microvm_facts(cache: &Path, microvm: &BootImage, cloud: &BootImage) -> String {
    let build = match &microvm.manifest.inputs.kernel {
        bootstrap::KernelInput::Microvm { build, .. } => build.clone(),
        other => panic!("not a microvm image: {other:?}"),
    };
    let path = cache.join("kernels").join(build).join("manifest.json");
    let kernel: bootstrap::microvm::KernelManifest =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let size = |i: &BootImage| {
        format!(
            "kernel {:.1} MiB, initramfs {:.1} MiB",
            mib(i.manifest.outputs.kernel.size),
            mib(i.manifest.outputs.initramfs.size)
        )
    };
    format!(
        "\nMicroVM kernel {}: compiled in {} s (`make -j{} bzImage`) after {} s unpacking and configuring, when it was built into this cache; boot images: microvm {}, cloud {}.\n",
        kernel.release,
        kernel.build_seconds,
        kernel.jobs,
        kernel.prepare_seconds,
        size(microvm),
        size(cloud)
    )
}

fn monitor_pid(env: &BenchEnv) -> Option<u32> {
    let domains = env.state.join("domains");
    std::fs::read_dir(domains)
        .ok()?
        .flatten()
        .find_map(|entry| {
            let text = std::fs::read_to_string(entry.path().join("runtime.json")).ok()?;
            let v: serde_json::Value = serde_json::from_str(&text).ok()?;
            v["monitor_pid"].as_u64().map(|pid| pid as u32)
        })
}

/// Round trips through the monitor to the tether of domain "svc" and back:
/// an exec of `true`, and a Ping the tether (not the monitor) answers.
fn link_round_trips(env: &BenchEnv, n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let domains = env.state.join("domains");
    let dir = std::fs::read_dir(&domains)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.join("monitor.sock").exists())
        .expect("a running domain");
    let def: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("definition.json")).unwrap()).unwrap();
    let token = hex::decode(def["token"].as_str().unwrap()).unwrap();
    let stream = vicport::plumbing::sock::connect(&dir.join("monitor.sock")).unwrap();
    let client = vicport::plumbing::sock::tether_client(&stream, &token).unwrap();
    let (mut exec, mut ping) = (Vec::new(), Vec::new());
    for _ in 0..n {
        ping.push(client.ping_tether().unwrap());
        let started = Instant::now();
        let session = client
            .exec(tether_protocol::message::ExecRequest {
                argv: vec!["true".into()],
                window: tether_protocol::DEFAULT_WINDOW,
                ..Default::default()
            })
            .unwrap();
        assert!(session.wait().unwrap().success());
        exec.push(started.elapsed());
    }
    (exec, ping)
}
