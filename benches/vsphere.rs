//! vicport's vSphere client against the govmomi baseline (the Go SDK under
//! govc, built from Debian's sources), on the same vcsim, in one run:
//!
//! - create+start N domains at parallelism P: vicport's library (one
//!   process, P concurrent commits) and vicport's binary (N `run -d`
//!   processes, P at a time) against govmomi (one process, P goroutines,
//!   CreateVM_Task + PowerOnVM_Task per VM with a config like vicport's);
//! - `vicport -o json domain ls` over M domains against govmomi's paged
//!   ContainerView listing, both as processes;
//! - scaling: S `vicport domain create` processes at once against S one
//!   after another (the fraction of linear).
//!
//! Every contestant gets a fresh simulator. `cargo bench --bench vsphere`
//! prints a Markdown table (also in `target/bench/vsphere.md`). Set
//! `VICPORT_BENCH_CREATES` (default 200), `VICPORT_BENCH_LIST` (default
//! 1000), `VICPORT_BENCH_ROUNDS` (default 5), `VICPORT_BENCH_SCALE` (default
//! 50), `VICPORT_BENCH_CREATE_ROUNDS` and `VICPORT_BENCH_SCALE_ROUNDS`
//! (default 3).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vicport::plumbing::image::fixtures;
use vicport::plumbing::spec::{DomainSpec, Handle, PowerChange};
use vicport::plumbing::vsphere::{VspherePlatform, VsphereSettings};

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn go_build(package: &str, out: &Path) {
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(out)
        .arg(format!("./{package}"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("GOCACHE", target_dir().join("bench/gocache"))
        .status()
        .expect("running go build (golang-go, golang-github-vmware-govmomi-dev)");
    assert!(status.success(), "go build ./{package}");
}

/// A running simulator, killed on drop.
struct Sim {
    child: Child,
    url: String,
    user: String,
    password: String,
    _dir: tempfile::TempDir,
}

impl Sim {
    fn start(bin: &Path) -> Sim {
        let dir = tempfile::tempdir().unwrap();
        let url_file = dir.path().join("url");
        let child = Command::new(bin)
            .arg("-url-file")
            .arg(&url_file)
            .args(["-standalone-host", "0"])
            .env("TMPDIR", dir.path())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("vcsim.log")).unwrap())
            .spawn()
            .expect("starting vcsim");
        let deadline = Instant::now() + Duration::from_secs(30);
        let line = loop {
            if let Ok(t) = std::fs::read_to_string(&url_file) {
                if t.ends_with('\n') {
                    break t.trim().to_string();
                }
            }
            assert!(Instant::now() < deadline, "vcsim did not start");
            std::thread::sleep(Duration::from_millis(20));
        };
        let (scheme, rest) = line.split_once("://").unwrap();
        let (creds, hostpath) = rest.split_once('@').unwrap();
        let (user, password) = creds.split_once(':').unwrap();
        Sim {
            child,
            url: format!("{scheme}://{hostpath}"),
            user: user.into(),
            password: password.into(),
            _dir: dir,
        }
    }

    fn full_url(&self) -> String {
        let (scheme, rest) = self.url.split_once("://").unwrap();
        format!("{scheme}://{}:{}@{rest}", self.user, self.password)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A vicport world (config, cache, state) pointed at one simulator.
struct World {
    root: tempfile::TempDir,
    password: String,
}

impl World {
    fn new(sim: &Sim) -> World {
        let w = World {
            root: tempfile::tempdir_in(target_dir().join("bench")).unwrap(),
            password: sim.password.clone(),
        };
        run_ok(&mut w.vicport(&[
            "target",
            "add",
            "vc",
            "--url",
            &sim.url,
            "--username",
            &sim.user,
            "--use",
        ]));
        w
    }

    fn vicport(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vicport"));
        cmd.args(args)
            .env("HOME", self.root.path())
            .env("XDG_CONFIG_HOME", self.root.path().join("config"))
            .env("XDG_CACHE_HOME", self.root.path().join("cache"))
            .env("VICPORT_STATE_DIR", self.root.path().join("state"))
            .env("VICPORT_PASSWORD", &self.password)
            .env("VICPORT_KEYRING", "keyutils")
            .env_remove("VICPORT_TARGET")
            .env_remove("VICPORT_OUTPUT");
        cmd
    }

    fn cache(&self) -> PathBuf {
        self.root.path().join("cache/vicport")
    }

    /// A busybox image on the simulator's datastore, and a boot image
    /// whose ISO stands in for the real one (vcsim boots nothing; the real
    /// ISO's size would only add one upload to the first create).
    fn prepare(&self) {
        let dir = self.root.path().join("fixture");
        std::fs::create_dir_all(&dir).unwrap();
        let boot = self.cache().join("boot/stand-in");
        std::fs::create_dir_all(&boot).unwrap();
        for f in ["vmlinuz", "initramfs.img", "bootstrap.iso"] {
            std::fs::write(boot.join(f), f.repeat(64)).unwrap();
        }
        let current = serde_json::json!({
            "dir": boot, "kernel": boot.join("vmlinuz"), "initramfs": boot.join("initramfs.img"),
            "iso": boot.join("bootstrap.iso"), "kernel_version": "stand-in", "hz": 250,
        });
        std::fs::write(self.cache().join("boot/current.json"), current.to_string()).unwrap();
        let tar = fixtures::rootfs_tar(&dir, false).unwrap();
        let mut import = self.vicport(&["image", "import"]);
        import.arg(&tar.path).args(["--name", "busybox"]);
        run_ok(&mut import);
    }
}

fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("running a benchmark step");
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

async fn library(sim: &Sim, world: &World) -> VspherePlatform {
    let mut s = VsphereSettings::new(sim.url.clone());
    s.username = Some(sim.user.clone());
    let password = sim.password.clone();
    let mut p = VspherePlatform::connect(
        "bench",
        s,
        Arc::new(move || Ok(password.clone())),
        Some(world.cache().join("sessions")),
    )
    .await
    .expect("connecting");
    p.set_cache_dir(world.cache());
    p
}

/// Create (and with `start`, power on) `names` through the library with
/// `parallel` concurrent commits; returns the time, the requests made, and
/// the requests per domain by method.
fn library_creates(
    sim: &Sim,
    world: &World,
    names: Vec<String>,
    parallel: usize,
    start: bool,
) -> (Duration, u64, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let p = Arc::new(library(sim, world).await);
        // Placement, the image and the ISO are resolved once, as govmomi's
        // baseline resolves its placement once: warm them with one domain
        // outside the timing.
        let warm = names.len();
        commit(&p, format!("warm-{warm}"), start).await;
        let before = requests(&p);
        let before_by_method = p.request_counts().snapshot();
        let queue_len = names.len();
        let queue = Arc::new(std::sync::Mutex::new(names));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..parallel {
            let (p, queue) = (p.clone(), queue.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let next = queue.lock().unwrap().pop();
                    let Some(name) = next else { break };
                    commit(&p, name, start).await;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let after = p.request_counts().snapshot();
        let count = queue_len as f64;
        let per_method: Vec<String> = after
            .iter()
            .filter(|(m, _)| !m.contains("bytes"))
            .filter_map(|(m, n)| {
                let d = n - before_by_method.get(m).copied().unwrap_or(0);
                (d > 0).then(|| format!("{m} {}", d as f64 / count))
            })
            .collect();
        (
            started.elapsed(),
            requests(&p) - before,
            per_method.join(", "),
        )
    })
}

/// Round trips so far: every vim25 and datastore request.
fn requests(p: &VspherePlatform) -> u64 {
    p.request_counts().round_trips()
}

async fn commit(p: &VspherePlatform, name: String, start: bool) {
    let mut spec = DomainSpec::new(name, "busybox:latest");
    spec.process.argv = vec!["sh".into()];
    let mut h = Handle::new_domain(spec);
    if start {
        h.set_power(PowerChange::On);
    }
    p.domains().commit(h).await.expect("a commit");
}

/// Create and start `creates` domains with `vicport run -d` processes,
/// `parallel` at a time, on a fresh simulator; returns the time and the
/// requests the first such process makes and every later one.
fn cli_creates(vcsim: &Path, creates: usize, parallel: usize) -> (Duration, (u64, u64)) {
    let sim = Sim::start(vcsim);
    let world = World::new(&sim);
    world.prepare();
    // Two runs outside the timing, for their request counts: the first
    // resolves the placement and uploads the boot ISO, the second is what
    // every timed one does.
    let trips = |name: &str| -> u64 {
        let out = run_ok(&mut world.vicport(&[
            "--debug", "run", "-d", "--name", name, "busybox", "--", "sh",
        ]));
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find_map(|l| l.strip_prefix("vsphere: ")?.strip_suffix(" round trips"))
            .and_then(|n| n.parse().ok())
            .expect("`--debug` ends with the round trips made")
    };
    let requests = (trips("warm"), trips("warm2"));
    let started = Instant::now();
    let mut next = 0;
    let mut running: Vec<Child> = Vec::new();
    while next < creates || !running.is_empty() {
        while running.len() < parallel && next < creates {
            let name = format!("c{next}");
            running.push(
                world
                    .vicport(&["-q", "run", "-d", "--name", &name, "busybox", "--", "sh"])
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            next += 1;
        }
        let done = running.remove(0).wait().unwrap();
        assert!(done.success());
    }
    (started.elapsed(), requests)
}

/// How creates scale with concurrency: `n` `vicport domain create`
/// processes one after another, and `n` at once, each on a fresh
/// simulator (warmed by one create outside the timing: the session, the
/// placement and the boot ISO are in place). Returns (one after another,
/// all at once).
fn scaling(vcsim: &Path, n: usize) -> (Duration, Duration) {
    let create = |world: &World, name: &str| {
        let mut cmd = world.vicport(&[
            "-q", "domain", "create", "--name", name, "busybox", "--", "sh",
        ]);
        cmd.stdout(Stdio::null());
        cmd
    };
    let fresh = || {
        let sim = Sim::start(vcsim);
        let world = World::new(&sim);
        world.prepare();
        run_ok(&mut create(&world, "warm"));
        (sim, world)
    };
    let (sim, world) = fresh();
    let started = Instant::now();
    for i in 0..n {
        run_ok(&mut create(&world, &format!("s{i}")));
    }
    let one_by_one = started.elapsed();
    drop((world, sim));

    let (sim, world) = fresh();
    let started = Instant::now();
    let children: Vec<Child> = (0..n)
        .map(|i| create(&world, &format!("p{i}")).spawn().unwrap())
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a concurrent create failed");
    }
    let at_once = started.elapsed();
    let out = run_ok(&mut world.vicport(&["-o", "json", "domain", "ls"]));
    let listed = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        n + 1,
        "every create made its domain"
    );
    drop((world, sim));
    (one_by_one, at_once)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let creates = env_usize("VICPORT_BENCH_CREATES", 200);
    let listed = env_usize("VICPORT_BENCH_LIST", 1000);
    let rounds = env_usize("VICPORT_BENCH_ROUNDS", 5);
    let parallel = env_usize("VICPORT_BENCH_PARALLEL", 8);
    std::fs::create_dir_all(target_dir().join("bench")).unwrap();
    eprintln!("building vcsim and the govmomi baseline...");
    let vcsim = target_dir().join("bench/vcsim");
    let baseline = target_dir().join("bench/govmomi-baseline");
    go_build("tests/vcsim", &vcsim);
    go_build("benches/govmomi", &baseline);

    let mut report = String::new();
    report.push_str(&format!(
        "vcsim (govmomi 0.24 from Debian) on this machine; create+start {creates} at parallelism {parallel} (medians of {} interleaved rounds); list {listed} (medians of {rounds} rounds).\n\n",
        env_usize("VICPORT_BENCH_CREATE_ROUNDS", 3)
    ));
    report.push_str("| measurement | vicport | govmomi | ratio |\n|---|---|---|---|\n");

    // Interleaved rounds, each contestant on a fresh simulator: the
    // machine's load changes under a long run, and this spreads it evenly.
    let create_rounds = env_usize("VICPORT_BENCH_CREATE_ROUNDS", 3);
    let (mut go_times, mut lib_times, mut cli_times) = (Vec::new(), Vec::new(), Vec::new());
    let (mut lib_requests, mut lib_methods, mut cli_requests) = (0, String::new(), (0, 0));
    for round in 0..create_rounds {
        eprintln!("create+start {creates}, round {}: govmomi...", round + 1);
        go_times.push({
            let sim = Sim::start(&vcsim);
            let started = Instant::now();
            run_ok(Command::new(&baseline).args([
                "-url",
                &sim.full_url(),
                "-mode",
                "create",
                "-n",
                &creates.to_string(),
                "-parallel",
                &parallel.to_string(),
            ]));
            started.elapsed()
        });
        eprintln!(
            "create+start {creates}, round {}: vicport's library...",
            round + 1
        );
        let sim = Sim::start(&vcsim);
        let world = World::new(&sim);
        world.prepare();
        let names = (0..creates).map(|i| format!("b{i}")).collect();
        let (time, requests, methods) = library_creates(&sim, &world, names, parallel, true);
        lib_times.push(time);
        (lib_requests, lib_methods) = (requests, methods);
        drop((world, sim));
        eprintln!(
            "create+start {creates}, round {}: vicport's binary...",
            round + 1
        );
        let (time, requests) = cli_creates(&vcsim, creates, parallel);
        cli_times.push(time);
        cli_requests = requests;
    }
    let (lib_create, cli_create, go_create) =
        (median(lib_times), median(cli_times), median(go_times));
    report.push_str(&format!(
        "| create+start {creates}, library, {parallel} concurrent commits | {} | {} | {:.2} |\n",
        ms(lib_create),
        ms(go_create),
        lib_create.as_secs_f64() / go_create.as_secs_f64()
    ));
    report.push_str(&format!(
        "| create+start {creates}, `vicport run -d` processes, {parallel} at a time | {} | {} | {:.2} |\n",
        ms(cli_create),
        ms(go_create),
        cli_create.as_secs_f64() / go_create.as_secs_f64()
    ));

    let scale = env_usize("VICPORT_BENCH_SCALE", 50);
    let scale_rounds = env_usize("VICPORT_BENCH_SCALE_ROUNDS", 3);
    let (mut serial, mut concurrent) = (Vec::new(), Vec::new());
    for round in 0..scale_rounds {
        eprintln!("scaling: {scale} creates, round {}...", round + 1);
        let (a, b) = scaling(&vcsim, scale);
        serial.push(a);
        concurrent.push(b);
    }
    let (serial, concurrent) = (median(serial), median(concurrent));
    report.push_str(&format!(
        "| {scale} `vicport domain create` processes at once: fraction of linear | {} | {} one after another (vicport) | {:.2} |\n",
        ms(concurrent),
        ms(serial),
        serial.as_secs_f64() / concurrent.as_secs_f64()
    ));

    eprintln!("list {listed}...");
    let sim = Sim::start(&vcsim);
    let world = World::new(&sim);
    world.prepare();
    let _ = library_creates(
        &sim,
        &world,
        (0..listed).map(|i| format!("l{i}")).collect(),
        parallel,
        false,
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let out = run_ok(&mut world.vicport(&["-o", "json", "domain", "ls"]));
        ours.push(started.elapsed());
        let n = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            n,
            listed + 1,
            "vicport lists every domain (and the warm-up one)"
        );
        let started = Instant::now();
        let out = run_ok(Command::new(&baseline).args(["-url", &sim.full_url(), "-mode", "ls"]));
        theirs.push(started.elapsed());
        let n = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len();
        assert_eq!(n, listed + 1, "govmomi lists every domain");
    }
    let (a, b) = (median(ours), median(theirs));
    report.push_str(&format!(
        "| `domain ls -o json` of {listed} (a process each) | {} | {} | {:.2} |\n",
        ms(a),
        ms(b),
        a.as_secs_f64() / b.as_secs_f64()
    ));
    report.push_str(&format!(
        "\nRound trips per create+start: {:.1} through the library (placement and the ISO resolved once per process; by method: {lib_methods}), {} for one `vicport run -d` process (which also checks its kept placement, reads the tag index and looks for other domains of its name before the create; the first process, which resolves the placement and puts the boot ISO on the datastore, made {}). The scaling row's ratio is {scale} x one create over {scale} at once: 1.0 is linear (each create costs what it costs alone), above 1 the creates overlap, below 1 they slow each other down. {} cores here.\n",
        lib_requests as f64 / creates as f64,
        cli_requests.1,
        cli_requests.0,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ));
    print!("{report}");
    std::fs::write(target_dir().join("bench/vsphere.md"), &report).unwrap();
}
