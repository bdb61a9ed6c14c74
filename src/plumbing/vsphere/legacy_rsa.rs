//! Handshake signatures from 1024-bit RSA keys, for pinned and insecure
//! connections only: stock vcsim and old ESXi hosts serve such certificates,
//! and ring (rustls' verifier) refuses RSA keys under 2048 bits.
//!
//! Trusting a certificate by its thumbprint (or not at all) skips the
//! chain, not the proof that the peer holds the certificate's key: the
//! TLS 1.2 ServerKeyExchange or TLS 1.3 CertificateVerify signature is
//! still checked here, with the pure-Rust `rsa` crate for keys of 1024 to
//! 2047 bits and with ring for larger ones. Keys under 1024 bits are
//! refused. Verified (webpki) connections never use this: a 1024-bit
//! certificate stays unacceptable there.

use std::sync::OnceLock;

use rsa::RsaPublicKey;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::signature::Verifier as _;
use rsa::traits::PublicKeyParts as _;
use rustls::SignatureScheme;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use sha2::{Sha256, Sha384, Sha512};

/// The smallest RSA key accepted at all: 512-bit keys are factored in hours.
pub const MIN_BITS: usize = 1024;
/// From this size on, ring verifies (as for every verified connection).
const RING_MIN_BITS: usize = 2048;

#[derive(Debug, Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Debug, Clone, Copy)]
enum Padding {
    /// RSASSA-PKCS1-v1_5 (TLS 1.2).
    Pkcs1,
    /// RSASSA-PSS with a salt as long as the hash (TLS 1.2 and 1.3).
    Pss,
}

/// One RSA signature scheme: ring's algorithm for keys of 2048 bits and
/// more, the `rsa` crate's for 1024 to 2047 bits.
#[derive(Debug)]
struct LegacyRsa {
    ring: &'static dyn SignatureVerificationAlgorithm,
    padding: Padding,
    hash: Hash,
}

impl LegacyRsa {
    fn verify_small(
        &self,
        key: RsaPublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), rsa::signature::Error> {
        use rsa::{pkcs1v15, pss};
        match self.padding {
            Padding::Pkcs1 => {
                let sig = pkcs1v15::Signature::try_from(signature)?;
                match self.hash {
                    Hash::Sha256 => {
                        pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(message, &sig)
                    }
                    Hash::Sha384 => {
                        pkcs1v15::VerifyingKey::<Sha384>::new(key).verify(message, &sig)
                    }
                    Hash::Sha512 => {
                        pkcs1v15::VerifyingKey::<Sha512>::new(key).verify(message, &sig)
                    }
                }
            }
            Padding::Pss => {
                let sig = pss::Signature::try_from(signature)?;
                match self.hash {
                    Hash::Sha256 => pss::VerifyingKey::<Sha256>::new(key).verify(message, &sig),
                    Hash::Sha384 => pss::VerifyingKey::<Sha384>::new(key).verify(message, &sig),
                    Hash::Sha512 => pss::VerifyingKey::<Sha512>::new(key).verify(message, &sig),
                }
            }
        }
    }
}

impl SignatureVerificationAlgorithm for LegacyRsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // `public_key` is the certificate's RSAPublicKey (PKCS#1 DER).
        let key = RsaPublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)?;
        let bits = key.n().bits();
        if bits >= RING_MIN_BITS {
            return self.ring.verify_signature(public_key, message, signature);
        }
        if bits < MIN_BITS {
            return Err(InvalidSignature);
        }
        self.verify_small(key, message, signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.ring.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.ring.signature_alg_id()
    }

    fn fips(&self) -> bool {
        false
    }
}

macro_rules! scheme {
    ($name:ident, $ring:ident, $padding:ident, $hash:ident) => {
        static $name: &[&dyn SignatureVerificationAlgorithm] = &[&LegacyRsa {
            ring: webpki::ring::$ring,
            padding: Padding::$padding,
            hash: Hash::$hash,
        }];
    };
}

scheme!(PKCS1_SHA256, RSA_PKCS1_2048_8192_SHA256, Pkcs1, Sha256);
scheme!(PKCS1_SHA384, RSA_PKCS1_2048_8192_SHA384, Pkcs1, Sha384);
scheme!(PKCS1_SHA512, RSA_PKCS1_2048_8192_SHA512, Pkcs1, Sha512);
scheme!(PSS_SHA256, RSA_PSS_2048_8192_SHA256_LEGACY_KEY, Pss, Sha256);
scheme!(PSS_SHA384, RSA_PSS_2048_8192_SHA384_LEGACY_KEY, Pss, Sha384);
scheme!(PSS_SHA512, RSA_PSS_2048_8192_SHA512_LEGACY_KEY, Pss, Sha512);

/// `strict`'s algorithms with each RSA scheme also taking 1024-bit keys:
/// for the handshake signatures of pinned and insecure connections.
pub fn with_legacy_rsa(strict: &WebPkiSupportedAlgorithms) -> WebPkiSupportedAlgorithms {
    type Mapping = Vec<(
        SignatureScheme,
        &'static [&'static dyn SignatureVerificationAlgorithm],
    )>;
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    let mapping = MAPPING.get_or_init(|| {
        strict
            .mapping
            .iter()
            .map(|&(scheme, algs)| {
                let legacy = match scheme {
                    SignatureScheme::RSA_PKCS1_SHA256 => PKCS1_SHA256,
                    SignatureScheme::RSA_PKCS1_SHA384 => PKCS1_SHA384,
                    SignatureScheme::RSA_PKCS1_SHA512 => PKCS1_SHA512,
                    SignatureScheme::RSA_PSS_SHA256 => PSS_SHA256,
                    SignatureScheme::RSA_PSS_SHA384 => PSS_SHA384,
                    SignatureScheme::RSA_PSS_SHA512 => PSS_SHA512,
                    _ => algs,
                };
                (scheme, legacy)
            })
            .collect()
    });
    WebPkiSupportedAlgorithms {
        all: strict.all,
        mapping,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPrivateKey;
    use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Signer as _};

    fn key(bits: usize) -> (RsaPrivateKey, Vec<u8>) {
        let private = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits).unwrap();
        let der = rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(&private.to_public_key())
            .unwrap()
            .into_vec();
        (private, der)
    }

    fn algorithm(scheme: SignatureScheme) -> &'static dyn SignatureVerificationAlgorithm {
        let provider = rustls::crypto::ring::default_provider();
        let algs = with_legacy_rsa(&provider.signature_verification_algorithms);
        algs.mapping.iter().find(|(s, _)| *s == scheme).unwrap().1[0]
    }

    #[test]
    fn a_1024_bit_key_verifies_pss_and_pkcs1_and_refuses_a_forgery() {
        let (private, public) = key(1024);
        let message = b"the handshake transcript";
        let pss = rsa::pss::SigningKey::<Sha256>::new(private.clone())
            .sign_with_rng(&mut rsa::rand_core::OsRng, message)
            .to_vec();
        let pkcs1 = rsa::pkcs1v15::SigningKey::<Sha256>::new(private)
            .sign(message)
            .to_vec();
        let pss_alg = algorithm(SignatureScheme::RSA_PSS_SHA256);
        let pkcs1_alg = algorithm(SignatureScheme::RSA_PKCS1_SHA256);
        assert!(pss_alg.verify_signature(&public, message, &pss).is_ok());
        assert!(pkcs1_alg.verify_signature(&public, message, &pkcs1).is_ok());
        // Another message, another scheme, another key: refused.
        assert!(pss_alg.verify_signature(&public, b"other", &pss).is_err());
        assert!(pss_alg.verify_signature(&public, message, &pkcs1).is_err());
        let (_, other) = key(1024);
        assert!(pss_alg.verify_signature(&other, message, &pss).is_err());
        // ring alone refuses the 1024-bit key, which is why this exists.
        assert!(
            webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY
                .verify_signature(&public, message, &pss)
                .is_err()
        );
    }

    #[test]
    fn keys_under_1024_bits_are_refused_and_2048_goes_to_ring() {
        let message = b"m";
        let (small, public) = key(768);
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(small)
            .sign(message)
            .to_vec();
        let alg = algorithm(SignatureScheme::RSA_PKCS1_SHA256);
        assert!(alg.verify_signature(&public, message, &sig).is_err());
        let (big, public) = key(2048);
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(big)
            .sign(message)
            .to_vec();
        assert!(alg.verify_signature(&public, message, &sig).is_ok());
    }
}
