//! `cargo bench --bench registry`: `vicport image pull` against
//! `skopeo copy docker://… oci:DIR` of the same image from the same local
//! registry (Debian's docker-registry on 127.0.0.1), side by side in one
//! run. The image is three layers of 32 MiB of random bytes. Reported:
//! the transfer (vicport's fetch into its blob cache vs skopeo's copy into
//! an OCI layout, each from empty), the root disk build that follows a
//! pull (shown apart: skopeo builds none), and a second pull of the same
//! image (the blobs held: only the manifest moves). Medians of
//! `VICPORT_BENCH_ROUNDS` rounds (default 3); the table goes to
//! `target/bench/registry.md`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{rounds, run_ok, target_dir};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vicport::plumbing::image::fixtures;

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A plain registry on 127.0.0.1, killed on drop.
struct Registry {
    child: Child,
    host: String,
}

impl Registry {
    fn start(dir: &Path) -> Registry {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let host = format!("127.0.0.1:{port}");
        let config = dir.join("registry.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog: {{level: error}}\nstorage: {{filesystem: {{rootdirectory: {}}}}}\nhttp: {{addr: {host}}}\n",
                dir.join("data").display()
            ),
        )
        .unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry is installed");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&host).is_err() {
            assert!(Instant::now() < deadline, "the registry did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry { child, host }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `vicport` (release build) in its own config, state and cache.
fn vicport(home: &Path) -> Command {
    let bin = target_dir().join("release/vicport");
    let mut cmd = Command::new(bin);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("VICPORT_STATE_DIR", home.join("state"))
        .env("VICPORT_KEYRING", "keyutils")
        .env_remove("VICPORT_TARGET");
    cmd
}

/// `(fetched_bytes, fetch_ms, import_ms)` from `pull`'s --debug line.
fn pull_figures(stderr: &str) -> (u64, f64, f64) {
    let line = stderr
        .lines()
        .find(|l| l.contains("vicport::registry") && l.contains("fetch_ms"))
        .unwrap_or_else(|| panic!("no pull figures in:\n{stderr}"));
    let field = |name: &str| -> f64 {
        let at = line.find(&format!("{name}=")).expect("field") + name.len() + 1;
        line[at..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (
        field("fetched_bytes") as u64,
        field("fetch_ms"),
        field("import_ms"),
    )
}

fn main() {
    let work = tempfile::Builder::new()
        .prefix("vicport-bench-registry-")
        .tempdir()
        .unwrap();
    run_ok(Command::new("cargo").args(["build", "--release", "--quiet", "--bin", "vicport"]));
    let reg = Registry::start(work.path());
    let layers = fixtures::random_layers(3, 32 << 20);
    let (files, _) = fixtures::oci_files(&layers, "bench", None);
    let layout = work.path().join("layout");
    fixtures::write_dir(&layout, &files).unwrap();
    run_ok(Command::new("skopeo").args([
        "copy",
        "-q",
        "--dest-tls-verify=false",
        &format!("oci:{}", layout.display()),
        &format!("docker://{}/big:1", reg.host),
    ]));
    let reference = format!("{}/big:1", reg.host);

    let (mut skopeo, mut fetch, mut build, mut total, mut again, mut again_bytes) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut image_bytes = 0;
    for round in 0..rounds(3) {
        let dest = work.path().join(format!("skopeo-{round}"));
        let started = Instant::now();
        run_ok(Command::new("skopeo").args([
            "copy",
            "-q",
            "--src-tls-verify=false",
            &format!("docker://{reference}"),
            &format!("oci:{}:big", dest.display()),
        ]));
        skopeo.push(started.elapsed().as_secs_f64() * 1000.0);

        let home = work.path().join(format!("vicport-{round}"));
        let started = Instant::now();
        let out = run_ok(vicport(&home).args(["--debug", "-q", "image", "pull", &reference]));
        total.push(started.elapsed().as_secs_f64() * 1000.0);
        let (bytes, fetch_ms, import_ms) = pull_figures(&String::from_utf8_lossy(&out.stderr));
        image_bytes = bytes;
        fetch.push(fetch_ms);
        build.push(import_ms);

        let started = Instant::now();
        let out = run_ok(vicport(&home).args(["--debug", "-q", "image", "pull", &reference]));
        again.push(started.elapsed().as_secs_f64() * 1000.0);
        again_bytes.push(pull_figures(&String::from_utf8_lossy(&out.stderr)).0 as f64);
        let _ = std::fs::remove_dir_all(&home);
        let _ = std::fs::remove_dir_all(&dest);
    }
    let (skopeo, fetch, build, total, again) = (
        median(&skopeo),
        median(&fetch),
        median(&build),
        median(&total),
        median(&again),
    );
    let table = format!(
        "| measurement | vicport | baseline | baseline time | ratio |\n\
         |---|---|---|---|---|\n\
         | transfer: 3 x 32 MiB layers into an empty blob cache | {fetch:.0} ms | `skopeo copy docker://… oci:DIR` | {skopeo:.0} ms | {:.2} |\n\
         | the root disk build after it (ext4, apart) | {build:.0} ms | - | - | - |\n\
         | the whole `vicport image pull` process | {total:.0} ms | `skopeo copy` | {skopeo:.0} ms | {:.2} |\n\
         | a second pull of the same image ({} bytes fetched) | {again:.0} ms | `skopeo copy` | {skopeo:.0} ms | {:.2} |\n",
        fetch / skopeo,
        total / skopeo,
        median(&again_bytes) as u64,
        again / skopeo,
    );
    let report = format!(
        "Registry pull, {} rounds (medians), image of {} bytes fetched on the first pull:\n\n{table}",
        rounds(3),
        image_bytes
    );
    println!("{report}");
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("registry.md"), &report).unwrap();
}
