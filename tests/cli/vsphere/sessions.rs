//! Talking to vSphere at all: the simulator's SDK, `target add` and
//! `login`, which certificates are trusted (verified, pinned, insecure,
//! 1024-bit RSA), and the session one invocation keeps for the next.

use std::path::PathBuf;

use crate::support::vcsim::{Options, Vcsim};
use crate::support::{Env, run, run_with_stdin};

use super::{cache_dir, log_in, log_out, requests};

/// The simulator every vSphere test talks to starts and speaks vim25.
#[test]
fn vcsim_starts_and_serves_the_sdk() {
    let v = Vcsim::start();
    let body = "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let text = rt.block_on(async {
        reqwest::Client::new()
            .post(&v.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/6.5")
            .body(body)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert!(text.contains("<apiType>VirtualCenter</apiType>"), "{text}");
}

/// `target add NAME` for the simulator, with `extra` flags.
fn add_target(env: &Env, v: &Vcsim, name: &str, extra: &[&str]) {
    let mut args = vec![
        "target",
        "add",
        name,
        "--url",
        &v.url,
        "--username",
        &v.username,
    ];
    args.extend_from_slice(extra);
    run(env.vicport(args)).code(0);
}

/// `-o json login NAME --password-stdin` with a 10 s timeout.
fn login_json(env: &Env, v: &Vcsim, name: &str) -> crate::support::Outcome {
    run_with_stdin(
        env.vicport([
            "-o",
            "json",
            "--timeout",
            "10s",
            "login",
            name,
            "--password-stdin",
        ]),
        &format!("{}\n", v.password),
    )
}

#[test]
fn certificates_are_verified_pinned_or_trusted_only_when_asked() {
    let env = Env::new();
    let v = Vcsim::with(Options {
        tls: true,
        ..Default::default()
    });
    let sha256 = v.sha256.clone().expect("the TLS simulator's thumbprint");
    let sha1 = v
        .sha1
        .clone()
        .expect("the TLS simulator's SHA-1 thumbprint");
    let login = |name: &str| login_json(&env, &v, name);
    // An unknown certificate: exit 5, with its thumbprints and how to trust it.
    add_target(&env, &v, "plain", &[]);
    let out = login("plain");
    out.code(5);
    let err = out.json_error();
    let message = format!("{} {}", err["error"]["message"], err["error"]["hint"]);
    assert!(message.contains(&sha256), "{message}");
    assert!(message.contains("--thumbprint"), "{message}");
    // Pinned by SHA-256 or by the SHA-1 form vCenter shows, or trusted
    // blindly when asked: all log in.
    for (name, flag, value) in [
        ("pinned", "--thumbprint", sha256.as_str()),
        ("pinned1", "--thumbprint", sha1.as_str()),
    ] {
        add_target(&env, &v, name, &[flag, value]);
        login(name).code(0);
        run(env.vicport(["-T", name, "system", "info"])).code(0);
    }
    add_target(&env, &v, "blind", &["--insecure"]);
    login("blind").code(0);
    // A wrong pin is refused.
    let wrong = sha256.replace(&sha256[..2], if &sha256[..2] == "00" { "11" } else { "00" });
    add_target(&env, &v, "wrong", &["--thumbprint", &wrong]);
    login("wrong").code(5);
    for name in ["pinned", "pinned1", "blind"] {
        run(env.vicport(["logout", name])).code(0);
    }
}

/// Stock vcsim and old ESXi hosts serve 1024-bit RSA certificates, whose
/// handshake signature ring refuses: pinned or `--insecure` targets take
/// them (the signature still checked), verified ones never do.
#[test]
fn a_1024_bit_rsa_certificate_is_taken_only_pinned_or_insecure() {
    for tls_max in ["1.3", "1.2"] {
        let env = Env::new();
        let v = Vcsim::with(Options {
            tls: true,
            rsa_bits: Some(1024),
            args: vec!["-tls-max".into(), tls_max.into()],
            ..Default::default()
        });
        let sha256 = v.sha256.clone().expect("the TLS simulator's thumbprint");
        let pem = std::fs::read_to_string(v.dir().join("cert.pem")).unwrap();
        assert!(pem.contains("BEGIN CERTIFICATE"), "{pem}");
        let add = |name: &str, extra: &[&str]| add_target(&env, &v, name, extra);
        let login = |name: &str| login_json(&env, &v, name);
        add("pinned", &["--thumbprint", &sha256]);
        add("blind", &["--insecure"]);
        add("verified", &[]);
        for name in ["pinned", "blind"] {
            let out = login(name);
            assert_eq!(out.code, 0, "TLS {tls_max}, {name}: {}", out.stderr);
            let out = run(env.vicport(["-o", "json", "-T", name, "system", "info"]));
            out.code(0);
            assert_eq!(out.json()["details"]["api_type"], "VirtualCenter");
        }
        // Verified: still refused, with the certificate's thumbprint and
        // how to trust it, not a handshake failure.
        let out = login("verified");
        out.code(5);
        let err = out.json_error();
        assert_eq!(err["error"]["kind"], "unreachable");
        let message = format!("{} {}", err["error"]["message"], err["error"]["hint"]);
        assert!(message.contains(&sha256), "{message}");
        assert!(message.contains("--thumbprint"), "{message}");
        assert!(!message.contains("BadSignature"), "{message}");
        for name in ["pinned", "blind"] {
            run(env.vicport(["logout", name])).code(0);
        }
    }
}

#[test]
fn a_persisted_session_is_reused_by_the_next_invocation() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    let sessions = cache_dir(&env).join("sessions");
    let out = run(env.vicport(["--debug", "domain", "ls"]));
    out.code(0);
    let first = requests(&out.stderr);
    assert!(first.contains_key("RetrievePropertiesEx"), "{first:?}");
    let cached: Vec<PathBuf> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&cached[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The next invocations reuse it: no Login.
    for _ in 0..2 {
        let out = run(env.vicport(["--debug", "domain", "ls"]));
        out.code(0);
        let next = requests(&out.stderr);
        assert_eq!(next.get("Login"), None, "{next:?}");
        assert!(next.contains_key("RetrievePropertiesEx"), "{next:?}");
    }
    // Without the cached session, the next one logs in again.
    std::fs::remove_file(&cached[0]).unwrap();
    let out = run(env.vicport(["--debug", "domain", "ls"]));
    out.code(0);
    assert_eq!(
        requests(&out.stderr).get("Login"),
        Some(&1),
        "{}",
        out.stderr
    );
    log_out(&env);
}
