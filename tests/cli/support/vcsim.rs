//! A vCenter simulator per test: builds `tests/vcsim` (govmomi's simulator,
//! Debian's Go, offline) once per version of its sources under the target
//! dir, starts it with a temporary directory, and kills it on drop (or,
//! should the test's process end without dropping it, when the thread that
//! started it ends).
//!
//! Every SOAP request the simulator is sent, by the library or by a vicport
//! process, is logged by it and checked against the vim25 schema of the API
//! version it announces ([`vim25`]) when it is dropped: a test that sent a
//! request a real vCenter of that version would refuse fails there.
//!
//! Used by the CLI tests (`tests/cli`) and, through `#[path]`, by the
//! library's vSphere tests; it depends on std, libc, tempfile, and (for the
//! schema check) quick-xml and serde_json.

#![allow(dead_code)]

#[path = "vim25.rs"]
pub mod vim25;

use std::ffi::OsString;
use std::fs;
use std::io::Read as _;
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Go main's directory.
fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vcsim")
}

/// Cargo's target dir (CARGO_TARGET_DIR, else `target/` in the package).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// FNV-1a of the Go sources (every `.go` file, by name): the cached
/// binary's name changes with them.
fn source_hash() -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(source_dir())
        .expect("reading tests/vcsim")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "go"))
        .collect();
    files.sort();
    let mut h: u64 = 0xcbf29ce484222325;
    for file in files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .as_encoded_bytes()
            .to_vec();
        let text = fs::read(&file).expect("reading a tests/vcsim source");
        for b in name.into_iter().chain(text) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Build the simulator unless these sources' binary exists; a file lock
/// keeps parallel test processes from building it twice at once.
pub fn binary() -> PathBuf {
    let dir = target_dir().join("vcsim");
    fs::create_dir_all(&dir).expect("creating the vcsim build dir");
    let bin = dir.join(format!("vcsim-{}", source_hash()));
    if bin.exists() {
        return bin;
    }
    let lock = fs::File::create(dir.join("build.lock")).expect("creating the build lock");
    // SAFETY: flock on a file descriptor we own, released when `lock` drops.
    let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "locking {}", dir.join("build.lock").display());
    if bin.exists() {
        return bin;
    }
    let tmp = dir.join(format!("vcsim.tmp{}", std::process::id()));
    let out = Command::new("go")
        .args(["build", "-o"])
        .arg(&tmp)
        .arg(".")
        .current_dir(source_dir())
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("GOCACHE", dir.join("gocache"))
        .env("GOFLAGS", "")
        .output()
        .expect("running `go build` (install golang-go and golang-github-vmware-govmomi-dev)");
    assert!(
        out.status.success(),
        "building tests/vcsim failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::rename(&tmp, &bin).expect("moving the vcsim binary into place");
    bin
}

/// Options for one simulator.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Serve HTTPS with a fresh self-signed certificate.
    pub tls: bool,
    /// Extra flags, e.g. `["-dc", "2"]` or `["-delay", "CreateVM_Task=2000"]`.
    pub args: Vec<String>,
    /// The vim25 version ServiceContent.about announces (vcsim's own, 6.5,
    /// when unset); requests are checked against this version's schema.
    pub api_version: Option<String>,
    /// With `tls`: an RSA key of this many bits instead of ECDSA P-256.
    pub rsa_bits: Option<u32>,
}

/// A running simulator, killed on drop.
#[derive(Debug)]
pub struct Vcsim {
    child: Option<Child>,
    dir: tempfile::TempDir,
    /// The SDK URL without credentials, e.g. `https://127.0.0.1:40123/sdk`.
    pub url: String,
    pub username: String,
    pub password: String,
    /// With TLS: the certificate's thumbprints, colon form.
    pub sha256: Option<String>,
    pub sha1: Option<String>,
    /// The vim25 version it announces.
    pub api_version: String,
}

impl Vcsim {
    /// A plain-HTTP vCenter with one datacenter, one cluster of 3 hosts, no
    /// standalone host, one datastore, one distributed port group.
    pub fn start() -> Self {
        Self::with(Options::default())
    }

    /// A simulator with these options. Unless overridden, there is no
    /// standalone host, so the cluster is the only compute resource.
    pub fn with(options: Options) -> Self {
        let bin = binary();
        let dir = tempfile::tempdir().expect("creating the simulator's temp dir");
        let url_file = dir.path().join("url");
        let mut cmd = Command::new(bin);
        cmd.arg("-url-file").arg(&url_file);
        if !options.args.iter().any(|a| a == "-standalone-host") {
            cmd.args(["-standalone-host", "0"]);
        }
        // A username of its own: keyring entries are keyed by user and URL,
        // and a port a finished simulator used comes round again, so with
        // one username a test would find an earlier test's password.
        if !options.args.iter().any(|a| a == "-username") {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("the clock is after 1970")
                .as_nanos();
            cmd.arg("-username")
                .arg(format!("user-{}-{nanos}", std::process::id()));
        }
        if options.tls {
            cmd.arg("-tls").arg("-cert-dir").arg(dir.path());
            if let Some(bits) = options.rsa_bits {
                cmd.arg("-rsa-bits").arg(bits.to_string());
            }
        }
        if let Some(v) = &options.api_version {
            cmd.arg("-api-version").arg(v);
        }
        cmd.arg("-request-log").arg(dir.path().join("requests.log"));
        cmd.args(&options.args)
            .env("TMPDIR", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.path().join("vcsim.log")).expect("creating vcsim.log"));
        // Killed with the thread that started it (a test's), should its
        // process end without dropping it: killed, aborted, or a copy of
        // the test binary started as something else and killed as that.
        let parent = std::process::id();
        // SAFETY: prctl and getppid are async-signal-safe, and nothing in
        // the closure allocates.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // Its parent ended already: nothing would kill it.
                if libc::getppid() as u32 != parent {
                    return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("starting vcsim");
        let deadline = Instant::now() + Duration::from_secs(60);
        let line = loop {
            if let Ok(text) = fs::read_to_string(&url_file) {
                if text.ends_with('\n') {
                    break text.trim().to_string();
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut log = String::new();
                let _ = fs::File::open(dir.path().join("vcsim.log"))
                    .and_then(|mut f| f.read_to_string(&mut log));
                panic!("vcsim exited with {status} before it was ready:\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "vcsim did not write its URL in 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // scheme://user:pass@host:port/sdk
        let (scheme, rest) = line.split_once("://").expect("a URL with a scheme");
        let (creds, hostpath) = rest.split_once('@').expect("a URL with credentials");
        let (username, password) = creds.split_once(':').expect("user:pass");
        let read = |name: &str| {
            fs::read_to_string(dir.path().join(name))
                .ok()
                .map(|s| s.trim().to_string())
        };
        Vcsim {
            api_version: read("api-version").expect("vcsim wrote the API version it announces"),
            sha256: read("thumbprint-sha256"),
            sha1: read("thumbprint-sha1"),
            child: Some(child),
            url: format!("{scheme}://{hostpath}"),
            username: username.to_string(),
            password: password.to_string(),
            dir,
        }
    }

    /// The simulator's temp dir (datastores live under it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The `host:port` it listens on.
    pub fn addr(&self) -> String {
        let rest = self
            .url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.url);
        rest.split('/').next().unwrap_or(rest).to_string()
    }

    /// Kill it now (e.g. in the middle of an operation).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stop (SIGSTOP) or continue (SIGCONT) it: a server that hangs.
    pub fn freeze(&self, frozen: bool) {
        if let Some(child) = &self.child {
            let sig = if frozen { libc::SIGSTOP } else { libc::SIGCONT };
            // SAFETY: signalling our own child process by its pid.
            unsafe { libc::kill(child.id() as libc::pid_t, sig) };
        }
    }

    /// Its log so far (stderr).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("vcsim.log")).unwrap_or_default()
    }

    /// Every SOAP request it was sent so far.
    pub fn requests(&self) -> Vec<vim25::Request> {
        let data = fs::read(self.dir.path().join("requests.log")).unwrap_or_default();
        vim25::read_log(&data)
    }

    /// Panic with every request so far that a vCenter announcing
    /// [`Self::api_version`] would refuse.
    pub fn check_requests(&self) {
        let requests = self.requests();
        let violations = vim25::check_all(&requests, &self.api_version);
        if !violations.is_empty() {
            panic!(
                "{} of the {} requests sent to vcsim break the vim25 {} schema:\n{}",
                violations.len(),
                requests.len(),
                self.api_version,
                violations.join("\n")
            );
        }
    }

    /// Arguments of `vicport target add` for this simulator (no password).
    pub fn target_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            "--url".into(),
            self.url.clone().into(),
            "--username".into(),
            self.username.clone().into(),
        ];
        if let Some(t) = &self.sha256 {
            args.push("--thumbprint".into());
            args.push(t.into());
        }
        args
    }
}

impl Drop for Vcsim {
    fn drop(&mut self) {
        self.freeze(false);
        self.kill();
        // A test that already failed says why; else its requests must pass.
        if !std::thread::panicking() {
            self.check_requests();
        }
    }
}
