//! Images from and to registries over the distribution API (Docker Registry
//! HTTP API v2 / OCI distribution), with oci-client: pull into the blob
//! cache and on through the target's own import, push from the cache.
//!
//! A pulled image is imported from an OCI layout view of the cache, so it is
//! built (and, on vSphere, uploaded once per digest) exactly as an imported
//! one: the same id (its config's digest), the same safety checks.

mod auth;
mod client;
mod pull;
mod push;
mod reference;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::plumbing::config::RegistrySettings;
use crate::plumbing::error::Result;
use crate::plumbing::image::Digest;
use crate::plumbing::image::blobs::ManifestRecord;
use crate::plumbing::image::manifest::Platform;
use crate::plumbing::image::outgoing::outgoing;
use crate::plumbing::platform::{self, Progress};
use crate::plumbing::spec::ImageInfo;

pub use crate::plumbing::image::blobs::BlobCache;
pub use auth::{Login, Source as LoginSource};
pub use client::Transport;
pub use reference::RegistryRef;

/// How to reach registries: the `[registries]` table and the command
/// line's `--tls-verify`.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    pub registries: BTreeMap<String, RegistrySettings>,
    pub tls_verify: Option<bool>,
}

impl Reach {
    fn transport(&self, host: &str) -> Result<Transport> {
        Transport::for_host(self.registries.get(host), self.tls_verify)
    }
}

/// What `image pull` did.
#[derive(Debug, Clone, Serialize)]
pub struct Pulled {
    /// The image as the target's store now holds it.
    #[serde(flatten)]
    pub image: ImageInfo,
    /// The image manifest's digest in the registry.
    pub manifest_digest: String,
    /// Bytes fetched from the registry.
    pub fetched_bytes: u64,
    /// Blobs the cache already held.
    pub reused_blobs: usize,
}

/// Pull `reference` for `platform_wanted` and import it into `target`.
pub async fn pull(
    target: &dyn platform::Platform,
    reference: &str,
    platform_wanted: &Platform,
    reach: &Reach,
    cache_dir: &Path,
    progress: &dyn Progress,
) -> Result<Pulled> {
    let reference = RegistryRef::parse(reference)?;
    let transport = reach.transport(reference.host())?;
    let session = client::open(&reference, &transport).await?;
    let cache = BlobCache::in_cache_dir(cache_dir);
    // Fetched blobs are recorded only after the import: hold the cache
    // against a collection until then.
    let _cache_lock = cache.lock_shared()?;
    let started = std::time::Instant::now();
    let fetched = pull::fetch(&session, &reference, platform_wanted, &cache, progress).await?;
    let fetch_ms = started.elapsed().as_secs_f64() * 1000.0;
    let view = View::new(cache_dir)?;
    cache.layout_view(&view.0, &fetched.manifest)?;
    let image = target
        .import_image(&view.0, reference.store_ref(), None, progress)
        .await
        .map_err(|e| e.context(format!("pulling {reference}")))?;
    // After the import, which records the manifest without an origin.
    cache.record_image(
        &fetched.config,
        &ManifestRecord {
            manifest: fetched.manifest_digest.to_string(),
            source: Some(format!("{}/{}", reference.host(), reference.repository())),
        },
    )?;
    tracing::debug!(
        target: "vicport::registry",
        fetched_bytes = fetched.fetched_bytes,
        fetch_ms,
        import_ms = started.elapsed().as_secs_f64() * 1000.0 - fetch_ms,
        "pull"
    );
    Ok(Pulled {
        image,
        manifest_digest: fetched.manifest_digest.to_string(),
        fetched_bytes: fetched.fetched_bytes,
        reused_blobs: fetched.reused_blobs,
    })
}

/// A private directory for one pull's layout view, removed when dropped.
struct View(std::path::PathBuf);

impl View {
    fn new(cache_dir: &Path) -> Result<Self> {
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).expect("the OS random source is available");
        let dir = cache_dir
            .join("blobs/views")
            .join(format!("pull-{}", hex::encode(nonce)));
        crate::plumbing::file::create_private_dir(&dir)?;
        Ok(View(dir))
    }
}

impl Drop for View {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Push the image `image` of `target` to `reference`.
pub async fn push(
    target: &dyn platform::Platform,
    image: &str,
    reference: &str,
    reach: &Reach,
    cache_dir: &Path,
    progress: &dyn Progress,
) -> Result<Pushed> {
    let reference = RegistryRef::parse(reference)?;
    let info = target.inspect_image(image).await?;
    let id = Digest::parse(&info.id)?;
    let cache = BlobCache::in_cache_dir(cache_dir);
    let _cache_lock = cache.lock_shared()?;
    let outgoing = outgoing(image, &id, cache.image_record(&id), &cache, "pushed")?;
    let transport = reach.transport(reference.host())?;
    let session = client::open(&reference, &transport).await?;
    push::push(&session, &reference, outgoing, &cache, progress).await
}

/// Check `login` against `host` and keep it in the OS keyring.
pub async fn login(host: &str, login: Login, reach: &Reach) -> Result<&'static str> {
    let transport = reach.transport(host)?;
    client::connect(host, &transport, Some(login.clone())).await?;
    Ok(auth::store(host, &login)?.as_str())
}

/// Forget vicport's login for `host`; `false` when it had none.
pub fn logout(host: &str) -> Result<bool> {
    auth::forget(host)
}

pub use push::Pushed;
