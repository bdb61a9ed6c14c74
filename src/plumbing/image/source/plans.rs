//! The plan of an OCI image layout or a docker-save archive: which of its
//! images (the one named, or the only one), its names, config and layers,
//! read through the source's [`Bundle`] and checked against their digests.

use super::*;

// ---- OCI ----------------------------------------------------------------------

const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
const ANNOTATION_CONTAINERD_NAME: &str = "io.containerd.image.name";

/// One image an archive offers (its manifest descriptor, or its docker
/// manifest.json entry) and the names it carries.
struct Candidate<T> {
    image: T,
    names: Vec<ImageRef>,
}

fn names_from_annotations(annotations: Option<&HashMap<String, String>>) -> Vec<ImageRef> {
    let Some(annotations) = annotations else {
        return Vec::new();
    };
    [ANNOTATION_REF_NAME, ANNOTATION_CONTAINERD_NAME]
        .iter()
        .filter_map(|k| annotations.get(*k))
        .filter_map(|v| ImageRef::parse(v).ok())
        .take(1)
        .collect()
}

/// An OCI layout's index, its `oci-layout` checked.
fn oci_index(bundle: &Bundle) -> Result<ImageIndex> {
    let layout: serde_json::Value = parse_json(&bundle.read_small("oci-layout")?, "oci-layout")?;
    if layout
        .get("imageLayoutVersion")
        .and_then(|v| v.as_str())
        .is_none()
    {
        return Err(Error::invalid("oci-layout has no imageLayoutVersion"));
    }
    parse_json(&bundle.read_small("index.json")?, "index.json")
}

/// How many images an OCI layout offers (its index's entries).
pub(super) fn count_oci(bundle: &Bundle) -> Result<usize> {
    Ok(oci_index(bundle)?.manifests().len())
}

/// How many images a docker-save archive holds.
pub(super) fn count_docker(bundle: &Bundle) -> Result<usize> {
    let entries: Vec<DockerEntry> =
        parse_json(&bundle.read_small("manifest.json")?, "manifest.json")?;
    Ok(entries.len())
}

pub(super) fn plan_oci(
    bundle: Bundle,
    want: Option<&ImageRef>,
    index: Option<usize>,
) -> Result<Plan> {
    let layout_index = oci_index(&bundle)?;
    // docker save (25+) writes an OCI layout with a manifest.json beside it;
    // its RepoTags are the names users expect.
    let docker_tags: Vec<DockerEntry> = if bundle.has("manifest.json") {
        parse_json(&bundle.read_small("manifest.json")?, "manifest.json").unwrap_or_default()
    } else {
        Vec::new()
    };

    let mut candidates = Vec::new();
    for desc in layout_index.manifests() {
        let names = names_from_annotations(desc.annotations().as_ref());
        let digest = manifest::descriptor_digest(desc).map_err(|e| e.context("index.json"))?;
        if manifest::is_index(desc.media_type()) {
            let what = format!("image index {digest}");
            let nested: ImageIndex =
                parse_json(&bundle.read_blob(&digest, Some(desc.size()), &what)?, &what)?;
            let host = manifest::host_platform();
            let chosen = manifest::pick_platform(&nested, &host).map_err(|offered| {
                Error::invalid(format!(
                    "{what} has no manifest for {host}; it offers {}",
                    manifest::offered(&offered)
                ))
            })?;
            candidates.push(Candidate {
                image: chosen.clone(),
                names,
            });
        } else {
            candidates.push(Candidate {
                image: desc.clone(),
                names,
            });
        }
    }
    let chosen = choose(candidates, want, index)?;
    let mdigest = manifest::descriptor_digest(&chosen.image)?;
    let what = format!("manifest {mdigest}");
    let manifest_bytes = bundle.read_blob(&mdigest, Some(chosen.image.size()), &what)?;
    let image: ImageManifest = parse_json(&manifest_bytes, &what)?;
    if !manifest::is_image_config(image.config().media_type()) {
        return Err(Error::invalid(format!(
            "{what} is not a container image (its config is {})",
            image.config().media_type()
        )));
    }
    let id = manifest::descriptor_digest(image.config()).map_err(|e| e.context(&what))?;
    let config_bytes =
        bundle.read_blob(&id, Some(image.config().size()), &format!("config {id}"))?;
    let doc: ImageConfiguration = parse_json(&config_bytes, &format!("config {id}"))?;
    let diff_ids = manifest::diff_ids(&doc, image.layers().len(), &id)?;
    let count = image.layers().len();
    let mut layers = Vec::new();
    for (i, (desc, diff_id)) in image.layers().iter().zip(diff_ids).enumerate() {
        let digest = manifest::descriptor_digest(desc).map_err(|e| e.context(&what))?;
        layers.push(Layer {
            member: blob_path(&digest),
            what: format!("layer {}/{count} ({digest})", i + 1),
            blob: Some((digest, Some(desc.size()))),
            diff_id,
        });
    }
    let mut names: Vec<ImageRef> = docker_tags
        .iter()
        .find(|e| e.config.ends_with(id.hex()))
        .map(|e| valid_tags(e.repo_tags.as_deref()))
        .unwrap_or_default();
    if names.is_empty() {
        names = chosen.names;
    }
    Ok(Plan {
        format: Format::Oci,
        id,
        config: manifest::runtime_config(&doc),
        created: doc.created().clone(),
        names,
        layers,
        bundle,
        whiteouts: true,
        config_blob: config_bytes,
        manifest_blob: Some((mdigest, manifest_bytes)),
    })
}

fn choose<T>(
    mut candidates: Vec<Candidate<T>>,
    want: Option<&ImageRef>,
    index: Option<usize>,
) -> Result<Candidate<T>> {
    if let Some(i) = index {
        let n = candidates.len();
        if i >= n {
            return Err(Error::invalid(format!(
                "the archive holds {n} images; there is no image {}",
                i + 1
            )));
        }
        return Ok(candidates.swap_remove(i));
    }
    match candidates.len() {
        0 => Err(Error::invalid("the archive holds no image")),
        1 => Ok(candidates.remove(0)),
        n => {
            if let Some(want) = want
                && let Some(i) = candidates.iter().position(|c| c.names.contains(want))
            {
                return Ok(candidates.remove(i));
            }
            let names: Vec<String> = candidates
                .iter()
                .flat_map(|c| c.names.iter().map(|r| r.to_string()))
                .collect();
            Err(Error::invalid(format!(
                "the archive holds {n} images ({}); vicport imports one at a time",
                if names.is_empty() {
                    "unnamed".to_string()
                } else {
                    names.join(", ")
                }
            ))
            .with_hint("name the one to import with --name NAME:TAG as the archive records it"))
        }
    }
}

// ---- docker save ----------------------------------------------------------------

/// One entry of docker-save's `manifest.json`: no crate types it (it is
/// Docker's own format, not OCI's), so a small serde struct does.
#[derive(Debug, Default, Deserialize)]
struct DockerEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

fn valid_tags(tags: Option<&[String]>) -> Vec<ImageRef> {
    tags.unwrap_or_default()
        .iter()
        .filter_map(|t| ImageRef::parse(t).ok())
        .collect()
}

/// The digest a member's name promises: `blobs/sha256/<hex>` or `<hex>.json`.
pub(super) fn digest_in_name(member: &str) -> Option<Digest> {
    let base = member.rsplit('/').next()?;
    let hex = base.strip_suffix(".json").unwrap_or(base);
    Digest::from_hex(hex)
}

pub(super) fn plan_docker(
    bundle: Bundle,
    want: Option<&ImageRef>,
    index: Option<usize>,
) -> Result<Plan> {
    let entries: Vec<DockerEntry> =
        parse_json(&bundle.read_small("manifest.json")?, "manifest.json")?;
    let candidates = entries
        .iter()
        .map(|e| Candidate {
            image: e,
            names: valid_tags(e.repo_tags.as_deref()),
        })
        .collect();
    let chosen = choose(candidates, want, index)?;
    let entry = chosen.image;

    let config_bytes = bundle.read_small(&entry.config)?;
    let id = Digest::of(&config_bytes);
    if let Some(named) = digest_in_name(&entry.config) {
        verify(&id, 0, &named, None, &format!("config {}", entry.config))?;
    }
    let doc: ImageConfiguration = parse_json(&config_bytes, &format!("config {}", entry.config))?;
    let diff_ids = manifest::diff_ids(&doc, entry.layers.len(), &id)?;
    let count = entry.layers.len();
    let layers = entry
        .layers
        .iter()
        .zip(diff_ids)
        .enumerate()
        .map(|(i, (member, diff_id))| Layer {
            member: member.clone(),
            blob: digest_in_name(member)
                .filter(|_| member.contains("blobs/sha256/"))
                .map(|d| (d, None)),
            what: format!("layer {}/{count} ({member})", i + 1),
            diff_id,
        })
        .collect();
    Ok(Plan {
        format: Format::DockerSave,
        id,
        config: manifest::runtime_config(&doc),
        created: doc.created().clone(),
        names: chosen.names,
        layers,
        bundle,
        whiteouts: true,
        config_blob: config_bytes,
        manifest_blob: None,
    })
}
