//! A real registry for tests: Debian's `docker-registry` (distribution 2.8)
//! serving `127.0.0.1:<free port>` from a temporary directory, plain HTTP or
//! TLS with a CA the test makes (openssl), open, with htpasswd basic auth
//! (`htpasswd -B`), or with the token flow against a small token issuer
//! this process runs (JWTs signed with a test key, the signing certificate
//! in the header's `x5c`, as the registry's `rootcertbundle` expects). It
//! is killed when dropped. Images go in with `skopeo copy`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;

/// Who may use the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Open,
    /// htpasswd basic auth with this user and password.
    Basic(String, String),
    /// The token flow: the issuer gives tokens to this user and password.
    Token(String, String),
}

/// A running registry.
pub struct Registry {
    child: Child,
    dir: tempfile::TempDir,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The test CA's certificate, when it serves TLS.
    pub ca: Option<PathBuf>,
    pub auth: Auth,
    issuer: Option<Issuer>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed certificate and key (P-256) named `name` in `dir`, with
/// `san` as its subject alternative names.
fn self_signed(dir: &Path, name: &str, san: &str) {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &cert,
            "-days",
            "2",
            "-subj",
            &format!("/CN=vicport test {name}"),
            "-addext",
            san,
        ],
    );
}

/// A test CA and a server certificate it signed for 127.0.0.1.
fn make_tls(dir: &Path) {
    self_signed(dir, "ca", "basicConstraints=critical,CA:TRUE");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
}

impl Registry {
    /// Start one; `tls` makes it serve HTTPS with a fresh test CA.
    pub fn start(tls: bool, auth: Auth) -> Registry {
        let dir = tempfile::Builder::new()
            .prefix("vicport-registry-")
            .tempdir()
            .unwrap();
        let port = super::free_port();
        let host = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog: {{level: error}}\n\
             storage: {{filesystem: {{rootdirectory: {}}}, delete: {{enabled: true}}}}\n\
             http:\n  addr: {host}\n",
            dir.path().join("data").display()
        );
        let mut ca = None;
        if tls {
            make_tls(dir.path());
            config.push_str(&format!(
                "  tls: {{certificate: {}, key: {}}}\n",
                dir.path().join("server.pem").display(),
                dir.path().join("server.key").display()
            ));
            ca = Some(dir.path().join("ca.pem"));
        }
        let mut issuer = None;
        match &auth {
            Auth::Open => {}
            Auth::Basic(user, password) => {
                let out = Command::new("htpasswd")
                    .args(["-Bbn", user, password])
                    .output()
                    .expect("htpasswd is installed (apache2-utils)");
                assert!(out.status.success());
                std::fs::write(dir.path().join("htpasswd"), &out.stdout).unwrap();
                config.push_str(&format!(
                    "auth: {{htpasswd: {{realm: vicport-test, path: {}}}}}\n",
                    dir.path().join("htpasswd").display()
                ));
            }
            Auth::Token(user, password) => {
                self_signed(dir.path(), "token", "keyUsage=digitalSignature");
                let started = Issuer::start(dir.path(), user, password);
                config.push_str(&format!(
                    "auth: {{token: {{realm: \"http://{}/token\", service: {SERVICE}, issuer: {ISSUER}, rootcertbundle: {}}}}}\n",
                    started.addr,
                    dir.path().join("token.pem").display()
                ));
                issuer = Some(started);
            }
        }
        std::fs::write(dir.path().join("config.yml"), &config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("docker-registry is installed (apt-get install docker-registry)");
        let registry = Registry {
            child,
            dir,
            host,
            ca,
            auth,
            issuer,
        };
        registry.wait_ready();
        registry
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(&self.host).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the registry did not listen on {}:\n{}",
            self.host,
            self.log()
        );
    }

    /// What the registry logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// The largest blob in the registry's storage (`…/<hex>/data`).
    pub fn largest_blob(&self) -> PathBuf {
        let root = self.dir.path().join("data/docker/registry/v2/blobs/sha256");
        let mut blobs = Vec::new();
        for prefix in std::fs::read_dir(&root).unwrap() {
            for blob in std::fs::read_dir(prefix.unwrap().path()).unwrap() {
                let data = blob.unwrap().path().join("data");
                let size = std::fs::metadata(&data).unwrap().len();
                blobs.push((size, data));
            }
        }
        blobs.into_iter().max().expect("the registry holds blobs").1
    }

    /// skopeo's flags for this registry as a destination.
    fn skopeo_dest(&self) -> Vec<String> {
        let mut args = vec![];
        match &self.ca {
            Some(ca) => args.push(format!("--dest-cert-dir={}", self.cert_dir(ca).display())),
            None => args.push("--dest-tls-verify=false".into()),
        }
        if let Auth::Basic(u, p) | Auth::Token(u, p) = &self.auth {
            args.push(format!("--dest-creds={u}:{p}"));
        }
        args
    }

    /// A directory with the CA as skopeo's `--cert-dir` wants it (`*.crt`).
    fn cert_dir(&self, ca: &Path) -> PathBuf {
        let dir = self.dir.path().join("skopeo-certs");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(ca, dir.join("ca.crt")).unwrap();
        dir
    }

    /// `skopeo inspect EXTRA… docker://HOST/REFERENCE` (`--raw` gives the
    /// manifest, `--config` the image config), as JSON: an independent
    /// reader of what vicport pushed.
    pub fn inspect_with_skopeo(&self, reference: &str, extra: &[&str]) -> serde_json::Value {
        let mut args = vec![];
        match &self.ca {
            Some(ca) => args.push(format!("--cert-dir={}", self.cert_dir(ca).display())),
            None => args.push("--tls-verify=false".into()),
        }
        if let Auth::Basic(u, p) | Auth::Token(u, p) = &self.auth {
            args.push(format!("--creds={u}:{p}"));
        }
        let out = Command::new("skopeo")
            .args(["inspect", "--retry-times=2"])
            .args(extra)
            .args(args)
            .arg(format!("docker://{}/{reference}", self.host))
            .stdin(Stdio::null())
            .output()
            .expect("skopeo is installed");
        assert!(
            out.status.success(),
            "skopeo inspect {reference}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
        serde_json::from_slice(&out.stdout).expect("skopeo inspect prints JSON")
    }

    /// `skopeo copy [--all] SOURCE docker://HOST/REFERENCE`.
    pub fn push_with_skopeo(&self, source: &str, reference: &str, all: bool) {
        self.push_with_skopeo_args(source, reference, if all { &["--all"] } else { &[] });
    }

    /// `skopeo copy EXTRA… SOURCE docker://HOST/REFERENCE`.
    pub fn push_with_skopeo_args(&self, source: &str, reference: &str, extra: &[&str]) {
        let mut cmd = Command::new("skopeo");
        cmd.args(["copy", "-q", "--retry-times=2"]).args(extra);
        let out = cmd
            .args(self.skopeo_dest())
            .arg(source)
            .arg(format!("docker://{}/{reference}", self.host))
            .stdin(Stdio::null())
            .output()
            .expect("skopeo is installed");
        assert!(
            out.status.success(),
            "skopeo copy {source}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(issuer) = &self.issuer {
            issuer.stop.store(true, Ordering::SeqCst);
            let _ = std::net::TcpStream::connect(&issuer.addr);
        }
    }
}

/// A front on 127.0.0.1 that answers every request with a `307` to the
/// same path on `to` (as registries on object storage redirect blob
/// reads), counting what it redirected; stops when dropped.
pub struct Redirector {
    pub host: String,
    pub redirected: Arc<std::sync::atomic::AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Redirector {
    pub fn start(to: &str) -> Redirector {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let redirected = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped, to) = (redirected.clone(), stop.clone(), to.to_string());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let path = request_line.split_whitespace().nth(1).unwrap_or("/");
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{to}{path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                );
            }
        });
        Redirector {
            host,
            redirected,
            stop,
        }
    }
}

impl Drop for Redirector {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(&self.host);
    }
}

const SERVICE: &str = "vicport-test-registry";
const ISSUER: &str = "vicport-test-issuer";

/// The token service: `GET /token?service=…&scope=…` with basic auth of
/// the one user; a JWT granting what the scopes ask for, or 401.
struct Issuer {
    addr: String,
    stop: Arc<AtomicBool>,
}

impl Issuer {
    fn start(dir: &Path, user: &str, password: &str) -> Issuer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let key =
            jsonwebtoken::EncodingKey::from_ec_pem(&std::fs::read(dir.join("token.key")).unwrap())
                .expect("the token key is a PKCS#8 EC key");
        let pem = std::fs::read_to_string(dir.join("token.pem")).unwrap();
        let der_b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let _ = answer(stream, &key, &der_b64, &expected);
            }
        });
        Issuer { addr, stop }
    }
}

fn answer(
    mut stream: std::net::TcpStream,
    key: &jsonwebtoken::EncodingKey,
    x5c: &str,
    expected_auth: &str,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut authorization = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            authorization = Some(value.trim().to_string());
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let reply = |status: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    if authorization.as_deref() != Some(expected_auth) {
        stream.write_all(
            reply("401 Unauthorized", r#"{"details":"wrong credentials"}"#).as_bytes(),
        )?;
        return Ok(());
    }
    let mut access = Vec::new();
    for pair in query.split('&') {
        let Some(scope) = pair.strip_prefix("scope=") else {
            continue;
        };
        let scope = scope
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%2F", "/");
        let parts: Vec<&str> = scope.split(':').collect();
        if parts.len() == 3 {
            access.push(serde_json::json!({
                "type": parts[0], "name": parts[1],
                "actions": parts[2].split(',').collect::<Vec<_>>(),
            }));
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = serde_json::json!({
        "iss": ISSUER, "sub": "tester", "aud": SERVICE,
        "exp": now + 600, "nbf": now - 10, "iat": now,
        "jti": format!("{now}-{}", access.len()), "access": access,
    });
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.x5c = Some(vec![x5c.to_string()]);
    let token = jsonwebtoken::encode(&header, &claims, key).expect("signing a token");
    let body =
        serde_json::json!({"token": token, "access_token": token, "expires_in": 600}).to_string();
    stream.write_all(reply("200 OK", &body).as_bytes())
}
