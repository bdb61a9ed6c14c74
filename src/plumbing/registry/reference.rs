//! Registry references (`HOST[:PORT]/NAME[:TAG]`, `NAME@sha256:…`), parsed
//! by the distribution reference grammar (oci-spec's `Reference`, which also
//! fills in Docker Hub's `docker.io/library/` for a bare name).

use oci_client::Reference;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::image::Digest;
use crate::plumbing::name::ImageRef;

/// A parsed reference to an image in a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    inner: Reference,
}

impl RegistryRef {
    /// Parse `[HOST[:PORT]/]NAME[:TAG][@sha256:HEX]`.
    pub fn parse(text: &str) -> Result<Self> {
        let inner: Reference = text.parse().map_err(|e| {
            Error::invalid(format!("invalid registry reference {text:?}: {e}")).with_hint(
                "use HOST[:PORT]/NAME[:TAG] or HOST[:PORT]/NAME@sha256:DIGEST, e.g. 127.0.0.1:5000/bb:1",
            )
        })?;
        if let Some(digest) = inner.digest() {
            Digest::parse(digest).map_err(|e| e.context(format!("reference {text:?}")))?;
        }
        Ok(RegistryRef { inner })
    }

    /// The registry's host (and port), as the reference spells it.
    pub fn host(&self) -> &str {
        self.inner.registry()
    }

    /// Where its API answers: the host, or Docker Hub's API host for
    /// `docker.io` (as the client library resolves it).
    pub fn endpoint(&self) -> &str {
        self.inner.resolve_registry()
    }

    /// The repository within the registry (`library/busybox`).
    pub fn repository(&self) -> &str {
        self.inner.repository()
    }

    /// The digest the reference pins, if it does.
    pub fn digest(&self) -> Option<Digest> {
        self.inner.digest().and_then(|d| Digest::parse(d).ok())
    }

    /// The same repository at `digest`.
    pub fn at(&self, digest: &Digest) -> RegistryRef {
        RegistryRef {
            inner: Reference::with_digest(
                self.inner.registry().to_string(),
                self.inner.repository().to_string(),
                digest.to_string(),
            ),
        }
    }

    /// The client library's reference.
    pub fn as_client(&self) -> &Reference {
        &self.inner
    }

    /// The name the image store records for a pull by tag
    /// (`127.0.0.1:5000/bb:1`); `None` for a pull by digest alone.
    pub fn store_ref(&self) -> Option<ImageRef> {
        if self.inner.digest().is_some() && self.inner.tag().is_none() {
            return None;
        }
        let tag = self.inner.tag().unwrap_or("latest");
        ImageRef::parse(&format!("{}/{}:{tag}", self.host(), self.repository())).ok()
    }
}

impl std::fmt::Display for RegistryRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.inner.whole())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_by_tag_and_by_digest() {
        let r = RegistryRef::parse("127.0.0.1:5000/bb:1").unwrap();
        assert_eq!((r.host(), r.repository()), ("127.0.0.1:5000", "bb"));
        assert_eq!(r.store_ref().unwrap().to_string(), "127.0.0.1:5000/bb:1");
        let hex = "a".repeat(64);
        let r = RegistryRef::parse(&format!("localhost:5000/x/bb@sha256:{hex}")).unwrap();
        assert_eq!(r.digest().unwrap().hex(), hex);
        assert_eq!(r.store_ref(), None);
        assert_eq!(r.to_string(), format!("localhost:5000/x/bb@sha256:{hex}"));
        let r = RegistryRef::parse("busybox").unwrap();
        assert_eq!(
            r.store_ref().unwrap().to_string(),
            "docker.io/library/busybox:latest"
        );
        assert!(RegistryRef::parse("Bad Name").is_err());
        assert!(RegistryRef::parse("h:5000/bb@sha256:short").is_err());
    }
}
