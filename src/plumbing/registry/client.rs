//! A connection to one registry: TLS as configured (the system's roots, a
//! CA file, or no verification), plain HTTP where it is allowed (loopback
//! hosts and `tls_verify = false`, after TLS failed), the login, and
//! oci-client's errors turned into vicport's kinds and exit codes.

use std::path::Path;
use std::time::Duration;

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;

use crate::plumbing::config::RegistrySettings;
use crate::plumbing::error::{Error, ErrorKind, Result};

use super::auth::{self, Login};
use super::reference::RegistryRef;

/// How many blobs move at once.
pub const PARALLEL_BLOBS: usize = 4;

/// Where the system keeps its CA bundle (Debian's ca-certificates), unless
/// `SSL_CERT_FILE` says otherwise.
const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// A registry, reached and authenticated.
#[derive(Clone)]
pub struct Session {
    pub client: oci_client::Client,
    pub auth: RegistryAuth,
    pub host: String,
    /// `https` or `http`.
    pub scheme: &'static str,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("host", &self.host)
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

/// TLS and transport settings for one host.
#[derive(Debug, Clone, Default)]
pub struct Transport {
    pub verify: bool,
    /// PEM certificates: the system's, then the configured CA file's.
    pub roots: Vec<Vec<u8>>,
}

impl Transport {
    /// The settings for `host`: its `[registries."HOST"]` table, and the
    /// command line's `--tls-verify` over it.
    pub fn for_host(settings: Option<&RegistrySettings>, tls_verify: Option<bool>) -> Result<Self> {
        let verify = tls_verify
            .or(settings.and_then(|s| s.tls_verify))
            .unwrap_or(true);
        let system = std::env::var_os("SSL_CERT_FILE")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| SYSTEM_BUNDLE.into());
        let mut roots = std::fs::read(&system)
            .map(|pem| split_pem(&pem))
            .unwrap_or_default();
        if let Some(ca) = settings.and_then(|s| s.ca_file.as_deref()) {
            let pem = read_ca(ca)?;
            roots.extend(split_pem(&pem));
        }
        Ok(Transport { verify, roots })
    }

    fn reqwest(&self) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .danger_accept_invalid_certs(!self.verify);
        for pem in &self.roots {
            if let Ok(cert) = reqwest::Certificate::from_pem(pem) {
                builder = builder.add_root_certificate(cert);
            }
        }
        builder
            .build()
            .map_err(|e| Error::other(format!("building the HTTP client: {e}")))
    }
}

fn read_ca(path: &Path) -> Result<Vec<u8>> {
    let pem = std::fs::read(path).map_err(|e| {
        Error::invalid(format!("cannot read the CA file {}: {e}", path.display()))
            .with_hint("fix ca_file in the [registries] table of vicport's config")
    })?;
    if split_pem(&pem).is_empty() {
        return Err(Error::invalid(format!(
            "the CA file {} holds no PEM certificate",
            path.display()
        ))
        .with_hint("fix ca_file in the [registries] table of vicport's config"));
    }
    Ok(pem)
}

/// The certificates of a PEM bundle, one PEM block each.
fn split_pem(pem: &[u8]) -> Vec<Vec<u8>> {
    const END: &str = "-----END CERTIFICATE-----";
    let text = String::from_utf8_lossy(pem);
    text.split_inclusive(END)
        .filter_map(|block| {
            let start = block.find("-----BEGIN CERTIFICATE-----")?;
            block
                .ends_with(END)
                .then(|| block.as_bytes()[start..].to_vec())
        })
        .collect()
}

/// Whether plain HTTP may be tried for `host`: loopback registries, as
/// Docker and podman allow them.
fn is_loopback(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    name == "localhost"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
        || name == "[::1]"
}

/// The full error text, causes included (rustls says why a certificate was
/// refused only in a source).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// `GET /v2/` answered as a registry answers it (200, or 401 with a
/// challenge); the response, for the login check.
async fn ping(http: &reqwest::Client, url: &str) -> std::result::Result<reqwest::Response, String> {
    let response = http.get(url).send().await.map_err(|e| chain(&e))?;
    let status = response.status();
    let is_registry = status.is_success()
        || status == reqwest::StatusCode::UNAUTHORIZED
        || response
            .headers()
            .contains_key("docker-distribution-api-version");
    if is_registry {
        Ok(response)
    } else {
        Err(format!("{url} answered {status}, not as a registry does"))
    }
}

fn unreachable(host: &str, why: &str) -> Error {
    Error::unreachable(format!("registry {host} is unreachable: {why}")).with_hint(format!(
        "check that {host} runs a registry; for a private CA set ca_file, or tls_verify = false, in [registries.\"{host}\"] of vicport's config (or pass --tls-verify=false)"
    ))
}

/// Reach `host`: find its scheme, and check `login` when one is given.
pub async fn connect(host: &str, transport: &Transport, login: Option<Login>) -> Result<Session> {
    let http = transport.reqwest()?;
    let https_url = format!("https://{host}/v2/");
    let (scheme, response) = match ping(&http, &https_url).await {
        Ok(response) => ("https", response),
        Err(tls_error) if !transport.verify || is_loopback(host) => {
            match ping(&http, &format!("http://{host}/v2/")).await {
                Ok(response) => ("http", response),
                Err(_) => return Err(unreachable(host, &tls_error)),
            }
        }
        Err(tls_error) => return Err(unreachable(host, &tls_error)),
    };
    if let Some(login) = &login {
        check_login(&http, host, response, login).await?;
    }
    let config = ClientConfig {
        protocol: if scheme == "http" {
            ClientProtocol::Http
        } else {
            ClientProtocol::Https
        },
        accept_invalid_certificates: !transport.verify,
        extra_root_certificates: transport
            .roots
            .iter()
            .map(|pem| Certificate {
                encoding: CertificateEncoding::Pem,
                data: pem.clone(),
            })
            .collect(),
        max_concurrent_download: PARALLEL_BLOBS,
        max_concurrent_upload: PARALLEL_BLOBS,
        connect_timeout: Some(Duration::from_secs(15)),
        read_timeout: Some(Duration::from_secs(120)),
        platform_resolver: None,
        ..ClientConfig::default()
    };
    let client = oci_client::Client::try_from(config)
        .map_err(|e| Error::other(format!("building the registry client for {host}: {e}")))?;
    let auth = match login {
        Some(login) => RegistryAuth::Basic(login.username, login.password),
        None => RegistryAuth::Anonymous,
    };
    Ok(Session {
        client,
        auth,
        host: host.to_string(),
        scheme,
    })
}

/// Check a login as `docker login` does: the registry's own answer to basic
/// credentials, or, when it challenges for a bearer token, the token
/// service's answer to them (with no scope).
async fn check_login(
    http: &reqwest::Client,
    host: &str,
    ping: reqwest::Response,
    login: &Login,
) -> Result<()> {
    let refused = || {
        Error::unreachable(format!(
            "registry {host} refused the credentials of {}",
            login.username
        ))
        .with_hint(format!(
            "check the user name and password, then `vicport registry login {host}` again"
        ))
    };
    if ping.status().is_success() {
        return Ok(());
    }
    let challenge = ping
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bearer = http_auth::parser::ChallengeParser::new(&challenge)
        .filter_map(|c| c.ok())
        .find(|c| c.scheme.eq_ignore_ascii_case("bearer"));
    let request = match bearer {
        Some(bearer) => {
            let param = |name: &str| {
                bearer
                    .params
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_unescaped())
            };
            let realm = param("realm").ok_or_else(|| {
                Error::other(format!("registry {host} asks for a token without a realm"))
            })?;
            let mut request = http.get(&realm);
            if let Some(service) = param("service") {
                request = request.query(&[("service", service)]);
            }
            request
        }
        None => http.get(ping.url().clone()),
    };
    let answer = request
        .basic_auth(&login.username, Some(&login.password))
        .send()
        .await
        .map_err(|e| unreachable(host, &chain(&e)))?;
    match answer.status() {
        s if s.is_success() => Ok(()),
        reqwest::StatusCode::UNAUTHORIZED | reqwest::StatusCode::FORBIDDEN => Err(refused()),
        s => Err(Error::unreachable(format!(
            "registry {host} answered {s} to the login"
        ))),
    }
}

/// Reach the registry of `reference` (Docker Hub's `docker.io` at its API
/// host) with the login vicport or the user's auth files hold for it.
pub async fn open(reference: &RegistryRef, transport: &Transport) -> Result<Session> {
    let login = auth::find(reference.host())?.map(|(login, _)| login);
    connect(reference.endpoint(), transport, login).await
}

/// oci-client's error as vicport's: a missing repository, tag or blob is
/// not found (3), refused credentials and transport failures unreachable
/// (5), other bytes than promised other (1). `what` names the object.
pub fn map_error(e: OciDistributionError, host: &str, what: &str) -> Error {
    use OciDistributionError as E;
    let denied = || {
        Error::unreachable(format!(
            "registry {host} denied access to {what}: authentication failed"
        ))
        .with_hint(format!(
            "log in with `vicport registry login {host}`, or check the user's rights"
        ))
    };
    let missing = || {
        Error::new(
            ErrorKind::NotFound,
            format!("{what} not found in registry {host}"),
        )
        .with_hint("check the repository name and tag (the registry knows no such one)")
    };
    match e {
        E::UnauthorizedError { .. } | E::AuthenticationFailure(_) => denied(),
        E::ImageManifestNotFoundError(_) => missing(),
        E::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
            if codes.iter().any(|c| {
                matches!(
                    c,
                    OciErrorCode::ManifestUnknown
                        | OciErrorCode::NameUnknown
                        | OciErrorCode::BlobUnknown
                        | OciErrorCode::NotFound
                )
            }) {
                missing()
            } else if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Unauthorized | OciErrorCode::Denied))
            {
                denied()
            } else {
                let messages: Vec<String> = envelope
                    .errors
                    .iter()
                    .map(|e| format!("{:?}: {}", e.code, e.message))
                    .collect();
                Error::other(format!(
                    "registry {host} refused {what}: {}",
                    messages.join("; ")
                ))
            }
        }
        E::ServerError { code: 404, .. } => missing(),
        E::ServerError {
            code: 401 | 403, ..
        } => denied(),
        E::ServerError { code, message, .. } => Error::other(format!(
            "registry {host} answered {code} for {what}: {}",
            message.trim()
        )),
        E::DigestError(digest) => Error::other(format!(
            "{what} from registry {host} does not match its digest ({digest}); nothing was stored"
        ))
        .with_hint("the registry served other bytes than it promised; tell its operator"),
        E::RequestError(e) if e.is_connect() || e.is_timeout() => unreachable(host, &chain(&e)),
        E::IoError(e) => Error::other(format!("{what} from registry {host}: {}", chain(&e))),
        other => Error::other(format!("{what} from registry {host}: {}", chain(&other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_and_pem_bundles() {
        for host in ["127.0.0.1:5000", "localhost:5000", "localhost", "127.3.2.1"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "registry.example.com",
            "10.0.0.1:5000",
            "localhost.example:1",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        let one = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        let bundle = format!("# a comment\n{one}\n\n{one}\ntrailing");
        assert_eq!(split_pem(bundle.as_bytes()).len(), 2);
        assert_eq!(split_pem(one.as_bytes())[0], one.as_bytes());
        assert!(split_pem(b"nothing").is_empty());
    }
}
