//! `image push`: an image's config and layers, as the blob cache holds
//! them, to a registry under an OCI manifest. A blob the registry has is
//! not sent again (asked first), and one held by the repository the image
//! was pulled from on the same registry is mounted, not uploaded.

use oci_client::RegistryOperation;
use oci_client::client::BlobResponse;
use oci_spec::image::{ImageManifest, MediaType};
use serde::Serialize;

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::image::Digest;
use crate::plumbing::image::manifest::{self, parse_json};
use crate::plumbing::platform::Progress;

use super::client::{Session, map_error};
use super::reference::RegistryRef;
use crate::plumbing::image::blobs::{BlobCache, ManifestRecord};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// What `image push` did.
#[derive(Debug, Clone, Serialize)]
pub struct Pushed {
    /// Where it went.
    pub reference: String,
    /// The pushed manifest's digest.
    pub digest: String,
    /// The pushed image's id: its config's digest, the id a pull of it
    /// gets. The store's id, except for a rootfs tar import, whose id is
    /// its tar's digest (vicport made its config).
    pub image_id: String,
    /// Blobs uploaded.
    pub uploaded: usize,
    /// Blobs the registry already had (or mounted from the source repository).
    pub skipped: usize,
    /// Bytes uploaded.
    pub uploaded_bytes: u64,
}

/// What a push sends: an OCI manifest of blobs the cache holds.
#[derive(Debug)]
pub struct Outgoing {
    manifest: ImageManifest,
    config: Digest,
    /// `HOST/REPOSITORY` the image was pulled from.
    source: Option<String>,
}

/// What to push for the stored image `image` (whose id is `id`; its
/// manifest and origin as `record` says): refused, naming the image and
/// the way out, when the cache does not hold all of it.
pub fn outgoing(
    image: &str,
    id: &Digest,
    record: Option<ManifestRecord>,
    cache: &BlobCache,
) -> Result<Outgoing> {
    let not_held = || {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "image {image} ({id}) cannot be pushed: its layers and config are not in this machine's blob cache"
            ),
        )
        .with_hint(
            "it was imported before vicport kept them, or with another cache directory: import it again (vicport image import ARCHIVE) or pull it again on this machine, then push",
        )
    };
    let record = record.ok_or_else(not_held)?;
    let manifest_digest = Digest::parse(&record.manifest)?;
    if !cache.has(&manifest_digest) {
        return Err(not_held());
    }
    let stored: ImageManifest = parse_json(
        &cache.read(&manifest_digest)?,
        &format!("manifest {manifest_digest} of image {image}"),
    )?;
    let blobs: Vec<Digest> = manifest::blob_digests(&stored).collect::<Result<_>>()?;
    let config = blobs[0].clone();
    if !blobs.iter().all(|blob| cache.has(blob)) {
        return Err(not_held());
    }
    Ok(Outgoing {
        manifest: to_oci(&stored)?,
        config,
        source: record.source,
    })
}

/// Push `outgoing` (from `cache`) to `reference`.
pub async fn push(
    session: &Session,
    reference: &RegistryRef,
    outgoing: Outgoing,
    cache: &BlobCache,
    progress: &dyn Progress,
) -> Result<Pushed> {
    let Outgoing {
        manifest: oci,
        config,
        source,
    } = outgoing;
    let body = serde_json::to_vec(&oci).expect("JSON");

    let host = &session.host;
    let client_ref = reference.as_client();
    session
        .client
        .auth(client_ref, &session.auth, RegistryOperation::Push)
        .await
        .map_err(|e| map_error(e, host, &format!("pushing to {reference}")))?;
    let mut blobs = vec![oci.config().clone()];
    blobs.extend(oci.layers().iter().cloned());
    let total: u64 = blobs.iter().map(|b| b.size()).sum();
    progress.phase(&format!("pushing {}", reference.repository()), Some(total));
    let mount_from = source
        .as_deref()
        .and_then(|source| source.strip_prefix(&format!("{host}/")))
        .filter(|repo| *repo != reference.repository())
        .map(|repo| RegistryRef::parse(&format!("{host}/{repo}")))
        .transpose()?;
    let mut pushed = Pushed {
        reference: reference.to_string(),
        digest: Digest::of(&body).to_string(),
        image_id: config.to_string(),
        uploaded: 0,
        skipped: 0,
        uploaded_bytes: 0,
    };
    for blob in &blobs {
        let digest = manifest::descriptor_digest(blob)?;
        let what = format!("blob {digest}");
        if exists(session, reference, &digest).await? {
            pushed.skipped += 1;
            progress.note(&format!("{what}: already in the registry"));
        } else if let Some(from) = &mount_from
            && session
                .client
                .mount_blob(client_ref, from.as_client(), &digest.to_string())
                .await
                .is_ok()
        {
            pushed.skipped += 1;
            progress.note(&format!("{what}: mounted from {}", from.repository()));
        } else {
            let data = cache.read(&digest)?;
            session
                .client
                .push_blob(client_ref, &data, &digest.to_string())
                .await
                .map_err(|e| map_error(e, host, &format!("uploading {what}")))?;
            pushed.uploaded += 1;
            pushed.uploaded_bytes += data.len() as u64;
        }
        progress.advance(blob.size());
    }
    session
        .client
        .push_manifest_raw(
            client_ref,
            body,
            OCI_MANIFEST.parse().expect("header value"),
        )
        .await
        .map_err(|e| map_error(e, host, &format!("the manifest of {reference}")))?;
    Ok(pushed)
}

/// Whether the registry holds `digest` in the target repository: a 1-byte
/// ranged GET through the client's authentication (oci-client 0.15 has no
/// HEAD for blobs); "unknown blob" is no.
async fn exists(session: &Session, reference: &RegistryRef, digest: &Digest) -> Result<bool> {
    let found = session
        .client
        .pull_blob_stream_partial(
            reference.as_client(),
            digest.to_string().as_str(),
            0,
            Some(1),
        )
        .await;
    match found {
        Ok(BlobResponse::Full(_) | BlobResponse::Partial(_)) => Ok(true),
        Err(e) => {
            let error = map_error(e, &session.host, &format!("blob {digest}"));
            if error.kind() == ErrorKind::NotFound {
                Ok(false)
            } else {
                Err(error)
            }
        }
    }
}

/// The stored manifest as an OCI image manifest: Docker's media types
/// become OCI's (the blobs, and so the image id, stay the same).
fn to_oci(stored: &ImageManifest) -> Result<ImageManifest> {
    let mut oci = stored.clone();
    oci.set_media_type(Some(MediaType::ImageManifest));
    let mut config = stored.config().clone();
    config.set_media_type(MediaType::ImageConfig);
    oci.set_config(config);
    let layers = stored
        .layers()
        .iter()
        .map(|layer| {
            let mut layer = layer.clone();
            let oci_type = match layer.media_type().to_string().as_str() {
                "application/vnd.docker.image.rootfs.diff.tar.gzip" => MediaType::ImageLayerGzip,
                "application/vnd.docker.image.rootfs.diff.tar" => MediaType::ImageLayer,
                _ => layer.media_type().clone(),
            };
            layer.set_media_type(oci_type);
            layer
        })
        .collect();
    oci.set_layers(layers);
    Ok(oci)
}
