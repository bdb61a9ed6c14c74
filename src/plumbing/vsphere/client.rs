//! The vim25 SOAP transport: one POST per call to the SDK endpoint over
//! reqwest and rustls, faults read into [`SoapError`], and a per-method
//! request counter that `--debug` shows through tracing.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};

use crate::plumbing::error::{Error, Result};

use super::fault::{Fault, FaultKind, SoapError};
use super::tls::{self, Trust, Verifier};
use super::xml::{self, MoRef, Node, XmlWriter};

/// The cookie vSphere keeps a session in.
pub const SESSION_COOKIE: &str = "vmware_soap_session";

/// The vim25 version sent before the server's is known. 6.5 is the oldest
/// vSphere vicport talks to; afterwards the server's own `apiVersion` is used.
const INITIAL_API_VERSION: &str = "6.5";

/// How many times each vim25 method was called, shared by everything that
/// talks to one target (clone it to share).
#[derive(Debug, Clone, Default)]
pub struct RequestCounters(Arc<Mutex<BTreeMap<String, u64>>>);

impl RequestCounters {
    /// Count one call of `method`, returning the new count.
    fn bump(&self, method: &str) -> u64 {
        self.add(method, 1)
    }

    /// Add `n` to the count of `what` (e.g. bytes moved), returning the new
    /// count.
    pub fn add(&self, what: &str, n: u64) -> u64 {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let count = map.entry(what.to_string()).or_default();
        *count += n;
        *count
    }

    /// Calls of `method` so far.
    pub fn get(&self, method: &str) -> u64 {
        self.snapshot().get(method).copied().unwrap_or(0)
    }

    /// Round trips so far: every vim25 call and datastore request (the
    /// byte counters are not requests).
    pub fn round_trips(&self) -> u64 {
        self.snapshot()
            .iter()
            .filter(|(what, _)| !what.contains("bytes"))
            .map(|(_, n)| n)
            .sum()
    }

    /// All counts, by method name.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Log the counts at debug level (what `--debug` prints at the end):
    /// calls per method, and the datastore's byte counts as bytes.
    pub fn log(&self) {
        for (what, n) in self.snapshot() {
            if what.contains("bytes") {
                tracing::debug!(target: "vicport::vsphere", counter = %what, bytes = n, "vim25 transfer");
            } else {
                tracing::debug!(target: "vicport::vsphere", method = %what, calls = n, "vim25 requests");
            }
        }
    }
}

/// Normalise a target URL to its SDK endpoint: `https://` when no scheme is
/// given, `/sdk` when no path is, and no credentials in it.
pub fn sdk_url(text: &str) -> Result<reqwest::Url> {
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let bad = |why: &str| {
        Error::invalid(format!("invalid vSphere URL {text:?}: {why}"))
            .with_hint("use https://HOST/sdk, e.g. https://vcenter.example.com/sdk")
    };
    let mut url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be https (or http)"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("the host is missing"));
    }
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if url.path().is_empty() || url.path() == "/" {
        url.set_path("/sdk");
    }
    Ok(url)
}

/// The body of a vim25 request: `<Method xmlns="urn:vim25"><_this/>...`.
pub fn request(method: &str, this: &MoRef, args: impl FnOnce(&mut XmlWriter)) -> String {
    let mut w = XmlWriter::new();
    w.open(&format!("{method} xmlns=\"urn:vim25\""));
    w.moref("_this", this);
    args(&mut w);
    w.close(method);
    w.finish()
}

/// One connection to a vSphere SDK endpoint.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    url: reqwest::Url,
    verifier: Option<Arc<Verifier>>,
    timeout: Duration,
    counters: RequestCounters,
    api_version: RwLock<String>,
}

impl Transport {
    /// A transport to `url` (see [`sdk_url`]) checking certificates per
    /// `trust`, failing any call that takes longer than `timeout`.
    pub fn new(
        url: &str,
        trust: Trust,
        timeout: Duration,
        counters: RequestCounters,
    ) -> Result<Self> {
        let url = sdk_url(url)?;
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("vicport/", env!("CARGO_PKG_VERSION")));
        let mut verifier = None;
        if url.scheme() == "https" {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let v = Verifier::new(trust, &provider)?;
            builder = builder.use_preconfigured_tls(tls::client_config(v.clone(), provider)?);
            verifier = Some(v);
        }
        let http = builder
            .build()
            .map_err(|e| Error::other(format!("setting up the HTTP client: {e}")))?;
        Ok(Transport {
            http,
            url,
            verifier,
            timeout,
            counters,
            api_version: RwLock::new(INITIAL_API_VERSION.into()),
        })
    }

    /// The SDK URL.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How long one WaitForUpdatesEx may ask the server to wait: half the
    /// timeout, from 1 to 30 s. Such a call may take that much longer.
    pub fn max_wait(&self) -> Duration {
        (self.timeout / 2).clamp(Duration::from_secs(1), Duration::from_secs(30))
    }

    /// The request counters.
    pub fn counters(&self) -> &RequestCounters {
        &self.counters
    }

    /// A request to the datastore file interface,
    /// `/folder/<path>?dcPath=<datacenter>&dsName=<datastore>`, on the SDK's
    /// host, carrying `cookie`. Counted as `datastore <METHOD>`.
    pub fn datastore_request(
        &self,
        method: reqwest::Method,
        dc_path: &str,
        datastore: &str,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut url = self.url.clone();
        url.set_path("/folder");
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.extend(path.split('/').filter(|s| !s.is_empty()));
        }
        url.query_pairs_mut()
            .clear()
            .append_pair("dcPath", dc_path)
            .append_pair("dsName", datastore);
        self.counters.bump(&format!("datastore {method}"));
        tracing::debug!(target: "vicport::vsphere", %method, %url, "datastore request");
        let mut req = self.http.request(method, url);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req
    }

    /// A failed datastore request as a [`SoapError`] (transport failures
    /// and untrusted certificates read like those of SOAP calls).
    pub fn http_error(&self, e: &reqwest::Error) -> SoapError {
        self.transport_error(e)
    }

    /// Use the server's vim25 version from now on.
    pub fn set_api_version(&self, version: &str) {
        if !version.is_empty() {
            *self.api_version.write().unwrap_or_else(|p| p.into_inner()) = version.to_string();
        }
    }

    /// POST one request body; returns the response element (the Body's
    /// child, `{method}Response`) and the session cookie the server set.
    pub async fn call(
        &self,
        method: &str,
        body: &str,
        cookie: Option<&str>,
    ) -> Result<(Node, Option<String>), SoapError> {
        let n = self.counters.bump(method);
        tracing::debug!(target: "vicport::vsphere", method, n, url = %self.url, "vim25 request");
        let action = format!(
            "urn:vim25/{}",
            self.api_version.read().unwrap_or_else(|p| p.into_inner())
        );
        let mut req = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", action)
            .body(xml::envelope(body));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        if method == "WaitForUpdatesEx" {
            // The server may hold it for maxWaitSeconds before it answers.
            req = req.timeout(self.timeout + self.max_wait());
        }
        let response = req.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let set_cookie = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(session_cookie);
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_string();
        let text = response
            .text()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let not_soap = |reason: String| SoapError::NotSoap {
            url: self.url.to_string(),
            reason,
        };
        let describe = || {
            let start: String = text.chars().take(80).collect();
            format!("HTTP {status}, content type {content_type}, body starts with {start:?}")
        };
        let doc = xml::parse(&text).map_err(|e| not_soap(format!("{} ({e})", describe())))?;
        let body_el = (doc.name == "Envelope")
            .then(|| doc.child("Body"))
            .flatten()
            .ok_or_else(|| not_soap(format!("{}: no SOAP envelope", describe())))?;
        let first = body_el
            .children
            .first()
            .ok_or_else(|| not_soap(format!("{}: an empty SOAP body", describe())))?;
        if first.name == "Fault" {
            let message = first.child_text("faultstring").unwrap_or_default();
            let fault = match first.child("detail").and_then(|d| d.children.first()) {
                Some(value) => Fault::from_value(value, message),
                None => Fault {
                    kind: FaultKind::Other("SOAP fault".into()),
                    message: message.to_string(),
                    detail: first.child_text("faultcode").map(str::to_string),
                },
            };
            return Err(SoapError::Fault {
                method: method.to_string(),
                fault,
            });
        }
        if !status.is_success() {
            return Err(not_soap(describe()));
        }
        if first.name != format!("{method}Response") {
            return Err(not_soap(format!(
                "{method} was answered with {:?}",
                first.name
            )));
        }
        Ok((first.clone(), set_cookie))
    }

    fn transport_error(&self, e: &reqwest::Error) -> SoapError {
        let url = self.url.to_string();
        if let Some(v) = &self.verifier {
            if let Some((der, reason)) = v.refused.lock().unwrap_or_else(|p| p.into_inner()).take()
            {
                let (sha256, sha1) = tls::thumbprints(&der);
                return SoapError::UntrustedCertificate {
                    url,
                    reason,
                    sha256,
                    sha1,
                };
            }
        }
        let reason = if e.is_timeout() {
            format!("no answer within {} s", self.timeout.as_secs_f32())
        } else {
            let mut chain = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let text = cause.to_string();
                if !chain.contains(&text) {
                    chain.push_str(": ");
                    chain.push_str(&text);
                }
                source = cause.source();
            }
            chain
        };
        SoapError::Transport { url, reason }
    }
}

/// `vmware_soap_session="..."` from a Set-Cookie header value.
fn session_cookie(header: &str) -> Option<String> {
    let pair = header.split(';').next()?.trim();
    let (name, value) = pair.split_once('=')?;
    (name == SESSION_COOKIE && !value.is_empty()).then(|| pair.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_scheme_and_sdk_path() {
        assert_eq!(
            sdk_url("vc.example.com").unwrap().as_str(),
            "https://vc.example.com/sdk"
        );
        assert_eq!(
            sdk_url("https://u:p@vc.example.com/").unwrap().as_str(),
            "https://vc.example.com/sdk"
        );
        assert_eq!(
            sdk_url("http://127.0.0.1:8989/sdk").unwrap().as_str(),
            "http://127.0.0.1:8989/sdk"
        );
        assert!(sdk_url("ftp://x/").is_err());
        assert!(sdk_url("https://").is_err());
    }

    #[test]
    fn session_cookie_is_taken_from_set_cookie() {
        assert_eq!(
            session_cookie("vmware_soap_session=\"abc\"; Path=/; HttpOnly; Secure;").as_deref(),
            Some("vmware_soap_session=\"abc\"")
        );
        assert_eq!(session_cookie("other=1; Path=/"), None);
    }

    #[test]
    fn requests_carry_this_and_escaped_arguments() {
        let body = request(
            "Login",
            &MoRef::new("SessionManager", "SessionManager"),
            |w| {
                w.text("userName", "a&b");
            },
        );
        assert_eq!(
            body,
            "<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">SessionManager</_this>\
             <userName>a&amp;b</userName></Login>"
        );
    }
}
