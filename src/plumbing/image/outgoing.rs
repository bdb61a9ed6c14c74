//! What the blob cache holds of a stored image, as one OCI image
//! manifest: what `image push` sends to a registry and `image save` writes
//! into an archive. Refused, naming the image and the way out, when the
//! cache does not hold all of it (an image imported before vicport kept
//! blobs, or with another cache directory).

use oci_spec::image::{ImageManifest, MediaType};

use crate::plumbing::error::{Error, ErrorKind, Result};

use super::Digest;
use super::blobs::{BlobCache, ManifestRecord};
use super::manifest::{self, parse_json};

/// An image as the cache holds it: an OCI manifest of blobs it has.
#[derive(Debug)]
pub struct Outgoing {
    /// The manifest, with OCI media types (the blobs, and so the image id,
    /// are the stored ones).
    pub manifest: ImageManifest,
    /// The config's digest: the image id.
    pub config: Digest,
    /// `HOST/REPOSITORY` the image was pulled from.
    pub source: Option<String>,
}

/// What the cache holds of the stored image `image` (whose id is `id`; its
/// manifest and origin as `record` says), for `action` ("pushed",
/// "saved"): refused, naming the image and the way out, when the cache
/// does not hold all of it.
pub fn outgoing(
    image: &str,
    id: &Digest,
    record: Option<ManifestRecord>,
    cache: &BlobCache,
    action: &str,
) -> Result<Outgoing> {
    let not_held = || {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "image {image} ({id}) cannot be {action}: its layers and config are not in this machine's blob cache"
            ),
        )
        .with_hint(
            "it was imported before vicport kept them, or with another cache directory: import it again (vicport image import ARCHIVE) or pull it again on this machine, then try again",
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
