//! `image push`: an image's config and layers, as the blob cache holds
//! them, to a registry under an OCI manifest. A blob the registry has is
//! not sent again (asked first), and one held by the repository the image
//! was pulled from on the same registry is mounted, not uploaded.

use oci_client::RegistryOperation;
use oci_client::client::BlobResponse;
use serde::Serialize;

use crate::plumbing::error::{ErrorKind, Result};
use crate::plumbing::image::Digest;
use crate::plumbing::image::blobs::BlobCache;
use crate::plumbing::image::manifest;
use crate::plumbing::image::outgoing::Outgoing;
use crate::plumbing::platform::Progress;

use super::client::{Session, map_error};
use super::reference::RegistryRef;

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
