//! TLS trust for the vSphere SDK: the webpki root store (Mozilla's roots,
//! compiled in) by default, a pinned certificate thumbprint (SHA-256, or the
//! SHA-1 colon form vCenter shows), or no verification when asked. The
//! handshake signature is checked in every case (1024-bit RSA keys are
//! taken only when the certificate is pinned or not verified).

use std::sync::{Arc, Mutex};

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::plumbing::error::{Error, Result};

use super::legacy_rsa;

/// A certificate thumbprint to pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Thumbprint {
    /// SHA-256 of the DER certificate.
    Sha256([u8; 32]),
    /// SHA-1 of the DER certificate (what older vCenter UIs show).
    Sha1([u8; 20]),
}

impl Thumbprint {
    /// Parse `AB:CD:...` (any case, colons optional): 32 bytes are SHA-256,
    /// 20 bytes SHA-1.
    pub fn parse(text: &str) -> Result<Self> {
        let hexdigits: String = text
            .trim()
            .trim_start_matches("sha256:")
            .chars()
            .filter(|c| *c != ':')
            .collect();
        let bad = || {
            Error::invalid(format!("invalid certificate thumbprint {text:?}")).with_hint(
                "give the SHA-256 (or SHA-1) thumbprint as hex pairs, e.g. AB:CD:..., as shown by the connection error",
            )
        };
        let bytes = hex::decode(&hexdigits).map_err(|_| bad())?;
        match bytes.len() {
            32 => Ok(Thumbprint::Sha256(bytes.try_into().map_err(|_| bad())?)),
            20 => Ok(Thumbprint::Sha1(bytes.try_into().map_err(|_| bad())?)),
            _ => Err(bad()),
        }
    }

    /// Whether the DER certificate has this thumbprint.
    pub fn matches(&self, der: &[u8]) -> bool {
        match self {
            Thumbprint::Sha256(want) => Sha256::digest(der).as_slice() == want,
            Thumbprint::Sha1(want) => Sha1::digest(der).as_slice() == want,
        }
    }
}

/// `AB:CD:...`: the colon form vCenter shows.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The SHA-256 and SHA-1 thumbprints of a DER certificate, colon form.
pub fn thumbprints(der: &[u8]) -> (String, String) {
    (
        colon_hex(&Sha256::digest(der)),
        colon_hex(&Sha1::digest(der)),
    )
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// A chain to a webpki root, valid for the host name.
    WebPki,
    /// Exactly this certificate (by thumbprint), whoever issued it.
    Pinned(Thumbprint),
    /// Anything (`insecure`): the connection is encrypted, not authenticated.
    Insecure,
}

/// The verifier: checks per [`Trust`], and remembers the last certificate it
/// refused so the error can show its thumbprints.
#[derive(Debug)]
pub struct Verifier {
    trust: Trust,
    webpki: Arc<rustls::client::WebPkiServerVerifier>,
    algorithms: WebPkiSupportedAlgorithms,
    /// The DER of the last refused certificate and why it was refused.
    pub refused: Mutex<Option<(Vec<u8>, String)>>,
}

impl Verifier {
    /// A verifier for `trust`.
    pub fn new(trust: Trust, provider: &Arc<CryptoProvider>) -> Result<Arc<Self>> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
            roots.into(),
            provider.clone(),
        )
        .build()
        .map_err(|e| Error::other(format!("setting up TLS verification: {e}")))?;
        // The handshake's signature is always checked; a certificate
        // trusted by thumbprint or not at all may have a 1024-bit RSA key.
        let algorithms = match trust {
            Trust::WebPki => provider.signature_verification_algorithms,
            Trust::Pinned(_) | Trust::Insecure => {
                legacy_rsa::with_legacy_rsa(&provider.signature_verification_algorithms)
            }
        };
        Ok(Arc::new(Verifier {
            trust,
            webpki,
            algorithms,
            refused: Mutex::new(None),
        }))
    }

    fn refuse(&self, der: &[u8], why: String) -> rustls::Error {
        *self.refused.lock().unwrap_or_else(|p| p.into_inner()) = Some((der.to_vec(), why.clone()));
        rustls::Error::General(why)
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.trust {
            Trust::Insecure => Ok(ServerCertVerified::assertion()),
            Trust::Pinned(t) if t.matches(end_entity) => Ok(ServerCertVerified::assertion()),
            Trust::Pinned(_) => {
                Err(self.refuse(end_entity, "its thumbprint is not the pinned one".into()))
            }
            Trust::WebPki => self
                .webpki
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                .map_err(|e| self.refuse(end_entity, e.to_string())),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        // Even a pinned or insecure peer must prove it holds the key.
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A rustls client configuration using `verifier`, for reqwest's
/// `use_preconfigured_tls`.
pub fn client_config(
    verifier: Arc<Verifier>,
    provider: Arc<CryptoProvider>,
) -> Result<rustls::ClientConfig> {
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::other(format!("setting up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_parse_in_both_lengths_and_forms() {
        let der = b"not really a certificate";
        let (s256, s1) = thumbprints(der);
        assert_eq!(s256.len(), 32 * 3 - 1);
        assert!(Thumbprint::parse(&s256).unwrap().matches(der));
        assert!(Thumbprint::parse(&s1).unwrap().matches(der));
        let plain = s256.replace(':', "").to_lowercase();
        assert!(Thumbprint::parse(&plain).unwrap().matches(der));
        assert!(!Thumbprint::parse(&s256).unwrap().matches(b"other"));
        for bad in ["", "zz", "AB:CD", &"AB:".repeat(31)] {
            assert!(Thumbprint::parse(bad).is_err(), "{bad}");
        }
    }
}
