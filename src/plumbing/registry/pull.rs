//! `image pull`: resolve a reference to one image manifest (picking the
//! platform from an index or manifest list), fetch the config and layers the
//! blob cache does not hold yet, several at once, each verified as it
//! streams, and hand the importer an OCI layout view of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::{StreamExt, TryStreamExt};
use oci_spec::image::{Descriptor, ImageIndex, ImageManifest};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::image::Digest;
use crate::plumbing::image::manifest::{self, Platform, parse_json};
use crate::plumbing::platform::Progress;

use super::client::{PARALLEL_BLOBS, Session, map_error};
use super::reference::RegistryRef;
use crate::plumbing::image::blobs::BlobCache;

/// Every manifest media type vicport reads, as the `Accept` header lists
/// them (a registry answers a request without it with schema 1).
pub const MANIFEST_TYPES: &[&str] = &[
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];

/// What a fetch left in the cache.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The image manifest's descriptor (media type, digest, size), for the
    /// layout view's index.
    pub manifest: serde_json::Value,
    /// The image manifest's digest.
    pub manifest_digest: Digest,
    /// The config's digest: the image id.
    pub config: Digest,
    /// Bytes fetched from the registry (manifests, config and layers).
    pub fetched_bytes: u64,
    /// Blobs that were already held and not fetched.
    pub reused_blobs: usize,
}

/// Fetch `reference` for `platform` into `cache`.
pub async fn fetch(
    session: &Session,
    reference: &RegistryRef,
    platform: &Platform,
    cache: &BlobCache,
    progress: &dyn Progress,
) -> Result<Fetched> {
    let cancel = progress.cancel_flag();
    let mut fetched_bytes = 0u64;
    let (mut bytes, mut digest) = manifest_raw(session, reference, &reference.to_string()).await?;
    fetched_bytes += bytes.len() as u64;
    let mut media_type = media_type_of(&bytes);
    if manifest::is_index(&media_type.as_str().into()) || is_index_document(&bytes) {
        let what = format!("image index {reference}");
        let index: ImageIndex = parse_json(&bytes, &what)?;
        let chosen = manifest::pick_platform(&index, platform).map_err(|offered| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "{reference} has no image for {platform}; it offers {}",
                    manifest::offered(&offered)
                ),
            )
            .with_hint("pick one of those with --platform OS/ARCH[/VARIANT]")
        })?;
        let want = manifest::descriptor_digest(chosen)?;
        cache.put(&digest, &bytes)?;
        let entry = reference.at(&want);
        (bytes, digest) =
            manifest_raw(session, &entry, &format!("manifest {want} of {reference}")).await?;
        fetched_bytes += bytes.len() as u64;
        if digest != want {
            return Err(Error::other(format!(
                "manifest {want} of {reference} does not match its digest (its bytes hash to {digest}); nothing was stored"
            )));
        }
        media_type = chosen.media_type().to_string();
    }
    let what = format!("manifest {digest} of {reference}");
    let image: ImageManifest = parse_json(&bytes, &what)?;
    if !manifest::is_image_config(image.config().media_type()) {
        return Err(Error::invalid(format!(
            "{reference} is not a container image (its config is {})",
            image.config().media_type()
        )));
    }
    cache.put(&digest, &bytes)?;
    let config = manifest::descriptor_digest(image.config())?;

    let mut wanted: Vec<&Descriptor> = vec![image.config()];
    wanted.extend(image.layers());
    let mut missing = Vec::new();
    let mut reused_blobs = 0;
    for desc in wanted {
        let blob = manifest::descriptor_digest(desc)?;
        if cache.has(&blob) {
            reused_blobs += 1;
            progress.note(&format!("{}: already held", short(&blob)));
        } else if !missing.iter().any(|(d, _)| d == &blob) {
            missing.push((blob, desc.size()));
        }
    }
    let total: u64 = missing.iter().map(|(_, size)| size).sum();
    progress.phase(&format!("pulling {}", short_ref(reference)), Some(total));
    let results: Vec<u64> = futures_util::stream::iter(missing)
        .map(|(blob, size)| {
            let cancel = cancel.clone();
            async move { fetch_blob(session, reference, cache, &blob, size, cancel, progress).await }
        })
        .buffer_unordered(PARALLEL_BLOBS)
        .try_collect()
        .await?;
    fetched_bytes += results.iter().sum::<u64>();
    let descriptor = serde_json::json!({
        "mediaType": if media_type.is_empty() {
            "application/vnd.oci.image.manifest.v1+json".to_string()
        } else {
            media_type
        },
        "digest": digest.to_string(),
        "size": bytes.len(),
    });
    Ok(Fetched {
        manifest: descriptor,
        manifest_digest: digest,
        config,
        fetched_bytes,
        reused_blobs,
    })
}

/// `sha256:0123456789ab`.
fn short(digest: &Digest) -> String {
    format!("sha256:{}", &digest.hex()[..12])
}

fn short_ref(reference: &RegistryRef) -> String {
    format!("{}/{}", reference.host(), reference.repository())
}

/// A manifest's bytes and their digest, checked against the digest the
/// reference pins.
async fn manifest_raw(
    session: &Session,
    reference: &RegistryRef,
    what: &str,
) -> Result<(Vec<u8>, Digest)> {
    let (bytes, _) = session
        .client
        .pull_manifest_raw(reference.as_client(), &session.auth, MANIFEST_TYPES)
        .await
        .map_err(|e| map_error(e, &session.host, what))?;
    if bytes.len() as u64 > manifest::MAX_JSON {
        return Err(Error::invalid(format!("{what} is larger than 32 MiB")));
    }
    let digest = Digest::of(&bytes);
    if let Some(want) = reference.digest()
        && want != digest
    {
        return Err(Error::other(format!(
            "{what} does not match its digest (its bytes hash to {digest}); nothing was stored"
        )));
    }
    Ok((bytes, digest))
}

/// The document's own `mediaType`, if it states one.
fn media_type_of(bytes: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Typed {
        #[serde(rename = "mediaType", default)]
        media_type: String,
    }
    serde_json::from_slice::<Typed>(bytes)
        .map(|t| t.media_type)
        .unwrap_or_default()
}

/// An index without a `mediaType` (allowed by OCI) still has `manifests`.
fn is_index_document(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .is_ok_and(|v| v.get("manifests").is_some() && v.get("layers").is_none())
}

/// Stream one blob into the cache; the bytes fetched.
async fn fetch_blob(
    session: &Session,
    reference: &RegistryRef,
    cache: &BlobCache,
    blob: &Digest,
    size: u64,
    cancel: Option<Arc<AtomicBool>>,
    progress: &dyn Progress,
) -> Result<u64> {
    let what = format!("blob {blob}");
    let host = &session.host;
    let digest = blob.to_string();
    let mut stream = session
        .client
        .pull_blob_stream(reference.as_client(), digest.as_str())
        .await
        .map_err(|e| map_error(e, host, &what))?;
    let mut writer = cache.writer(blob, size)?;
    let mut fetched = 0u64;
    while let Some(chunk) = stream.stream.next().await {
        if cancel.as_ref().is_some_and(|c| c.load(Ordering::SeqCst)) {
            return Err(Error::interrupted(&format!("pulling {reference}")));
        }
        let chunk = chunk.map_err(|e| stream_error(e, host, blob))?;
        writer.write(&chunk)?;
        fetched += chunk.len() as u64;
        progress.advance(chunk.len() as u64);
    }
    writer.finish()?;
    progress.note(&format!("{}: pulled {fetched} bytes", short(blob)));
    Ok(fetched)
}

/// A failure in the middle of a blob: the client's digest check (other
/// bytes than promised) or the transport.
fn stream_error(e: std::io::Error, host: &str, blob: &Digest) -> Error {
    let digest_failed = e
        .get_ref()
        .is_some_and(|inner| inner.is::<oci_client::errors::DigestError>());
    if digest_failed {
        Error::other(format!(
            "blob {blob} from registry {host} does not match its digest ({e}); nothing was stored"
        ))
        .with_hint("the registry served other bytes than it promised; tell its operator")
    } else {
        Error::unreachable(format!("registry {host}: fetching blob {blob} failed: {e}"))
            .with_hint("pull again: the blobs already fetched are kept")
    }
}
