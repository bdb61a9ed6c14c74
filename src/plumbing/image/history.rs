//! An image's history (`image history`): the steps its config records,
//! newest first, each with the layer it made and that layer's size as the
//! blob cache holds it. Steps that made no layer (`ENV`, `CMD`) have none;
//! an image whose config records no history gets one step per layer, at
//! the image's time (as `domain commit` fills in the history it extends).

use oci_spec::image::{ImageConfiguration, ImageManifest};
use serde::Serialize;

use crate::plumbing::error::{Error, Result};

use super::Digest;
use super::blobs::BlobCache;
use super::manifest::parse_json;
use super::outgoing::outgoing;

/// One step of an image's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The layer it made (None: it changed only the config).
    pub layer: Option<String>,
    /// That layer's size as stored (compressed or not, as it came).
    pub size: u64,
    /// When (RFC 3339), as the image says.
    pub created: Option<String>,
    /// What made it (a Dockerfile line, `vicport domain commit …`).
    pub created_by: Option<String>,
    /// Who.
    pub author: Option<String>,
    /// The commit message, or the builder's comment.
    pub comment: Option<String>,
}

/// The history of the stored image `image` (id `id`), read from the blob
/// cache under `cache`: refused, naming the image and the way out, when
/// the cache does not hold it.
pub fn history(image: &str, id: &Digest, cache: &BlobCache) -> Result<Vec<Step>> {
    let held = outgoing(image, id, cache.image_record(id), cache, "shown")?;
    let config: ImageConfiguration = parse_json(
        &cache.read(&held.config)?,
        &format!("config {} of image {image}", held.config),
    )?;
    steps(image, &config, &held.manifest)
}

/// The steps of `config`'s history over `manifest`'s layers, newest first.
fn steps(image: &str, config: &ImageConfiguration, manifest: &ImageManifest) -> Result<Vec<Step>> {
    let layers = manifest.layers();
    let mut out = Vec::new();
    let mut next = 0;
    match config.history() {
        Some(history) if !history.is_empty() => {
            for h in history {
                let layer = if h.empty_layer().unwrap_or(false) {
                    None
                } else {
                    let l = layers.get(next).ok_or_else(|| {
                        Error::other(format!(
                            "image {image}'s history names more layers than its manifest's {}",
                            layers.len()
                        ))
                    })?;
                    next += 1;
                    Some(l)
                };
                out.push(Step {
                    layer: layer.map(|l| l.digest().to_string()),
                    size: layer.map_or(0, |l| l.size()),
                    created: h.created().clone(),
                    created_by: h.created_by().clone(),
                    author: h.author().clone(),
                    comment: h.comment().clone(),
                });
            }
            // Layers the history does not account for (a tool that wrote
            // none for them) are still the image's.
            for l in &layers[next..] {
                out.push(Step {
                    layer: Some(l.digest().to_string()),
                    size: l.size(),
                    created: None,
                    created_by: None,
                    author: None,
                    comment: None,
                });
            }
        }
        _ => {
            for l in layers {
                out.push(Step {
                    layer: Some(l.digest().to_string()),
                    size: l.size(),
                    created: config.created().clone(),
                    created_by: None,
                    author: None,
                    comment: None,
                });
            }
        }
    }
    out.reverse();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(layers: &[(&str, u64)]) -> ImageManifest {
        let layers: Vec<serde_json::Value> = layers
            .iter()
            .map(|(d, size)| {
                serde_json::json!({
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": format!("sha256:{}", d.repeat(64)),
                    "size": size
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": format!("sha256:{}", "c".repeat(64)),
                "size": 10
            },
            "layers": layers
        }))
        .unwrap()
    }

    fn config(history: serde_json::Value) -> ImageConfiguration {
        serde_json::from_value(serde_json::json!({
            "architecture": "amd64",
            "os": "linux",
            "created": "2026-01-01T00:00:00Z",
            "author": "someone",
            "rootfs": {"type": "layers", "diff_ids": []},
            "history": history
        }))
        .unwrap()
    }

    #[test]
    fn steps_pair_with_layers_newest_first_and_config_steps_have_none() {
        let m = manifest(&[("a", 100), ("b", 200)]);
        let c = config(serde_json::json!([
            {"created": "2026-01-01T00:00:00Z", "created_by": "ADD rootfs.tar /"},
            {"created": "2026-01-02T00:00:00Z", "created_by": "ENV A=1", "empty_layer": true},
            {"created": "2026-01-03T00:00:00Z", "created_by": "vicport domain commit web", "author": "me", "comment": "fix"}
        ]));
        let s = steps("x", &c, &m).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].layer, Some(format!("sha256:{}", "b".repeat(64))));
        assert_eq!((s[0].size, s[0].comment.as_deref()), (200, Some("fix")));
        assert_eq!(s[0].author.as_deref(), Some("me"));
        assert_eq!((s[1].layer.as_deref(), s[1].size), (None, 0));
        assert_eq!(s[1].created_by.as_deref(), Some("ENV A=1"));
        assert_eq!(s[2].size, 100);
    }

    #[test]
    fn without_history_each_layer_is_a_step_and_a_short_history_keeps_the_rest() {
        let m = manifest(&[("a", 1), ("b", 2)]);
        let s = steps("x", &config(serde_json::json!([])), &m).unwrap();
        assert_eq!(
            s.iter().map(|s| s.size).collect::<Vec<_>>(),
            [2, 1],
            "{s:?}"
        );
        assert_eq!(s[0].created.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(s[0].author, None, "the image's author wrote no step");
        let short = config(serde_json::json!([{"created_by": "ADD a"}]));
        let s = steps("x", &short, &m).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].size, s[0].created_by.as_deref()), (2, None));
        assert_eq!((s[1].size, s[1].created_by.as_deref()), (1, Some("ADD a")));
        // More steps with layers than layers: the image is inconsistent.
        let long = config(serde_json::json!([{}, {}, {}]));
        let e = steps("x", &long, &m).unwrap_err();
        assert!(e.to_string().contains("more layers"), "{e}");
    }
}
