//! The OCI image documents (index, manifest, config, descriptor) as the
//! `oci-spec` crate types them, and what vicport reads from them: the
//! platform an index offers, the layers' diff_ids, the runtime defaults;
//! and the config and manifest vicport makes for an import that came
//! without them. Shared by the importer and the registry client.

use std::collections::BTreeMap;

use oci_spec::image::{Descriptor, ImageConfiguration, MediaType};
use serde::Serialize;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::ImageConfig;

use super::digest::Digest;

pub use oci_spec::image::{ImageIndex, ImageManifest};

/// The largest JSON document (index, manifest, config) vicport reads.
pub const MAX_JSON: u64 = 32 << 20;

/// Docker's schema 2 manifest list: an index by another name.
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Docker's image config.
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

/// Parse a JSON document, naming it in the error.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::invalid(format!("{what} is not valid: {e}"))
            .with_hint("the archive is corrupt or not an image; export it again")
    })
}

/// Whether a descriptor points at an index (OCI) or manifest list (Docker).
pub fn is_index(media_type: &MediaType) -> bool {
    match media_type {
        MediaType::ImageIndex => true,
        MediaType::Other(other) => other == DOCKER_MANIFEST_LIST,
        _ => false,
    }
}

/// Whether a config media type is a container image's config (an empty one,
/// as some writers leave it, is taken as one).
pub fn is_image_config(media_type: &MediaType) -> bool {
    match media_type {
        MediaType::ImageConfig => true,
        MediaType::Other(other) => other.is_empty() || other == DOCKER_CONFIG,
        _ => false,
    }
}

/// A descriptor's digest as vicport verifies it (sha256 only).
pub fn descriptor_digest(desc: &Descriptor) -> Result<Digest> {
    Digest::parse(desc.digest().as_ref())
}

/// The digests of the blobs an image manifest names: its config first,
/// then its layers, bottom first.
pub fn blob_digests(manifest: &ImageManifest) -> impl Iterator<Item = Result<Digest>> + '_ {
    std::iter::once(manifest.config())
        .chain(manifest.layers())
        .map(descriptor_digest)
}

/// The platform this host runs: `linux/<its architecture>`.
pub fn host_platform() -> Platform {
    Platform {
        os: "linux".into(),
        architecture: host_arch().into(),
        variant: None,
    }
}

/// The platform name OCI uses for this host's architecture.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    }
}

/// An OS/architecture[/variant] an index entry is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// Parse `OS/ARCH[/VARIANT]` (`linux/arm64/v8`).
    pub fn parse(text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.split('/').collect();
        let valid = (2..=3).contains(&parts.len())
            && parts.iter().all(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
        if !valid {
            return Err(Error::invalid(format!(
                "invalid platform {text:?}: expected OS/ARCH or OS/ARCH/VARIANT"
            ))
            .with_hint("for example linux/amd64 or linux/arm64/v8"));
        }
        Ok(Platform {
            os: parts[0].to_string(),
            architecture: parts[1].to_string(),
            variant: parts.get(2).map(|v| v.to_string()),
        })
    }

    fn of(desc: &Descriptor) -> Option<Platform> {
        desc.platform().as_ref().map(|p| Platform {
            os: p.os().to_string(),
            architecture: p.architecture().to_string(),
            variant: p.variant().clone().filter(|v| !v.is_empty()),
        })
    }

    /// Whether an entry for `offered` serves this platform: the same OS and
    /// architecture, and the same variant when this one names one.
    fn served_by(&self, offered: &Platform) -> bool {
        self.os == offered.os
            && self.architecture == offered.architecture
            && (self.variant.is_none() || self.variant == offered.variant)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// The entry of `index` for `want`; else the platforms it offers, for the
/// caller's error.
pub fn pick_platform<'a>(
    index: &'a ImageIndex,
    want: &Platform,
) -> std::result::Result<&'a Descriptor, Vec<String>> {
    let manifests = index.manifests();
    manifests
        .iter()
        .find(|m| Platform::of(m).is_some_and(|p| want.served_by(&p)))
        .ok_or_else(|| {
            manifests
                .iter()
                .filter_map(Platform::of)
                .map(|p| p.to_string())
                .collect()
        })
}

/// The platforms a [`pick_platform`] miss offered, as a message fragment.
pub fn offered(platforms: &[String]) -> String {
    if platforms.is_empty() {
        "none".to_string()
    } else {
        platforms.join(", ")
    }
}

/// The config's layer diff_ids, checked against the manifest's layer count.
pub fn diff_ids(doc: &ImageConfiguration, layers: usize, id: &Digest) -> Result<Vec<Digest>> {
    let rootfs = doc.rootfs();
    if !rootfs.typ().is_empty() && rootfs.typ() != "layers" {
        return Err(Error::invalid(format!(
            "config {id}: rootfs type {:?} is not \"layers\"",
            rootfs.typ()
        )));
    }
    if rootfs.diff_ids().len() != layers {
        return Err(Error::invalid(format!(
            "config {id} lists {} layer diff_ids but the manifest has {layers} layers",
            rootfs.diff_ids().len()
        )));
    }
    rootfs
        .diff_ids()
        .iter()
        .map(|d| Digest::parse(d).map_err(|e| e.context(format!("config {id}"))))
        .collect()
}

/// The runtime defaults an image config carries.
pub fn runtime_config(doc: &ImageConfiguration) -> ImageConfig {
    let Some(rc) = doc.config() else {
        return ImageConfig::default();
    };
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    ImageConfig {
        entrypoint: rc.entrypoint().clone().unwrap_or_default(),
        cmd: rc.cmd().clone().unwrap_or_default(),
        env: rc.env().clone().unwrap_or_default(),
        workdir: nonempty(rc.working_dir()),
        user: nonempty(rc.user()),
        stop_signal: nonempty(rc.stop_signal()),
        labels: rc
            .labels()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect(),
        exposed_ports: {
            let mut ports = rc.exposed_ports().clone().unwrap_or_default();
            ports.sort();
            ports.dedup();
            ports
        },
    }
}

/// The OCI media type of a layer blob whose bytes start with `head`:
/// gzip, zstd, or a plain tar.
pub fn layer_media_type(head: &[u8]) -> MediaType {
    if head.starts_with(&[0x1f, 0x8b]) {
        MediaType::ImageLayerGzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        MediaType::ImageLayerZstd
    } else {
        MediaType::ImageLayer
    }
}

/// An OCI image config as vicport makes it: a struct, not a map, so the
/// same input always gives the same bytes (and so the same digest).
#[derive(Serialize)]
struct MadeConfig<'a> {
    architecture: &'a str,
    os: &'a str,
    config: MadeRuntime<'a>,
    rootfs: MadeRootfs,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct MadeRuntime<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    env: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    entrypoint: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    cmd: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    working_dir: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_signal: Option<&'a str>,
}

#[derive(Serialize)]
struct MadeRootfs {
    #[serde(rename = "type")]
    typ: &'static str,
    diff_ids: Vec<String>,
}

/// The config of an image that came without one (a rootfs tar): its
/// runtime defaults, this host's platform and its layers' diff_ids. It has
/// no `created` time, so the same tar on the same architecture always
/// makes the same config: the same image id wherever it is pushed from.
pub fn made_config(runtime: &ImageConfig, diff_ids: &[Digest]) -> Vec<u8> {
    let doc = MadeConfig {
        architecture: host_arch(),
        os: "linux",
        config: MadeRuntime {
            user: runtime.user.as_deref(),
            env: &runtime.env,
            entrypoint: &runtime.entrypoint,
            cmd: &runtime.cmd,
            working_dir: runtime.workdir.as_deref(),
            labels: &runtime.labels,
            stop_signal: runtime.stop_signal.as_deref(),
        },
        rootfs: MadeRootfs {
            typ: "layers",
            diff_ids: diff_ids.iter().map(Digest::to_string).collect(),
        },
    };
    serde_json::to_vec(&doc).expect("JSON")
}

/// An OCI image manifest for a config and layers held as blobs (an import
/// that came without a manifest: a docker-save archive or a rootfs tar).
pub fn made_manifest(config: &Digest, config_size: u64, layers: Vec<Descriptor>) -> Vec<u8> {
    let config = Descriptor::new(MediaType::ImageConfig, config_size, oci_digest(config));
    let manifest = oci_spec::image::ImageManifestBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageManifest)
        .config(config)
        .layers(layers)
        .build()
        .expect("every required field is set");
    serde_json::to_vec(&manifest).expect("JSON")
}

/// vicport's digest as oci-spec types it.
pub fn oci_digest(digest: &Digest) -> oci_spec::image::Digest {
    digest
        .to_string()
        .parse()
        .expect("a sha256 digest is an OCI digest")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_config_reads_back_and_is_the_same_bytes_every_time() {
        let runtime = ImageConfig {
            entrypoint: vec!["/bin/sh".into(), "-c".into()],
            cmd: vec!["echo hi".into()],
            env: vec!["PATH=/bin".into()],
            workdir: Some("/srv".into()),
            labels: [("a".to_string(), "1".to_string()), ("b".into(), "2".into())]
                .into_iter()
                .collect(),
            ..ImageConfig::default()
        };
        let diff_id = Digest::of(b"layer");
        let bytes = made_config(&runtime, std::slice::from_ref(&diff_id));
        assert_eq!(bytes, made_config(&runtime, std::slice::from_ref(&diff_id)));
        let doc: ImageConfiguration = parse_json(&bytes, "made config").unwrap();
        assert_eq!(runtime_config(&doc), runtime);
        assert_eq!(doc.architecture().to_string(), host_arch());
        assert_eq!(doc.os().to_string(), "linux");
        assert_eq!(doc.created(), &None);
        let id = Digest::of(&bytes);
        assert_eq!(diff_ids(&doc, 1, &id).unwrap(), vec![diff_id.clone()]);

        let layer = Descriptor::new(MediaType::ImageLayer, 5, oci_digest(&diff_id));
        let manifest: ImageManifest = parse_json(
            &made_manifest(&id, bytes.len() as u64, vec![layer.clone()]),
            "made manifest",
        )
        .unwrap();
        assert_eq!(manifest.schema_version(), 2);
        assert_eq!(manifest.media_type(), &Some(MediaType::ImageManifest));
        assert_eq!(descriptor_digest(manifest.config()).unwrap(), id);
        assert_eq!(manifest.config().size(), bytes.len() as u64);
        assert!(is_image_config(manifest.config().media_type()));
        assert_eq!(manifest.layers(), &vec![layer]);
    }

    #[test]
    fn layer_media_types_by_their_first_bytes() {
        assert_eq!(
            layer_media_type(&[0x1f, 0x8b, 8]),
            MediaType::ImageLayerGzip
        );
        assert_eq!(
            layer_media_type(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            MediaType::ImageLayerZstd
        );
        assert_eq!(layer_media_type(b"etc/\0\0"), MediaType::ImageLayer);
        assert_eq!(layer_media_type(b""), MediaType::ImageLayer);
    }

    #[test]
    fn platforms_match_with_or_without_a_variant() {
        let platform = |os: &str, architecture: &str, variant: Option<&str>| Platform {
            os: os.into(),
            architecture: architecture.into(),
            variant: variant.map(str::to_string),
        };
        let index: ImageIndex = serde_json::from_value(serde_json::json!({
            "schemaVersion": 2,
            "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "digest": format!("sha256:{}", "a".repeat(64)), "size": 1,
                 "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "digest": format!("sha256:{}", "b".repeat(64)), "size": 2,
                 "platform": {"os": "linux", "architecture": "amd64"}},
            ]
        }))
        .unwrap();
        let pick = |p: Platform| pick_platform(&index, &p).map(|d| d.size());
        assert_eq!(pick(platform("linux", "arm64", None)), Ok(1));
        assert_eq!(pick(platform("linux", "arm64", Some("v8"))), Ok(1));
        assert_eq!(pick(platform("linux", "amd64", None)), Ok(2));
        assert_eq!(
            pick(platform("linux", "arm64", Some("v7"))),
            Err(vec![
                "linux/arm64/v8".to_string(),
                "linux/amd64".to_string()
            ])
        );
    }
}
