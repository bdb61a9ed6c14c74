//! `… prune`: remove what nothing uses — domains that are not running
//! (a suspended one holds its saved state: it stays),
//! networks and volumes no domain joins, dangling or unused images — after
//! one confirmation, then collect the blob cache. One engine for
//! `domain prune`, `network prune`, `volume prune`, `image prune` and
//! `system prune`.
//!
//! What to remove is read first and each removal is the ordinary one (no
//! force), so whatever a concurrent command starts to use meanwhile (a
//! domain started, a volume joined) refuses and is skipped, not removed.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::commands::image::human_size;
use crate::commands::prelude::{Context, OutputFormat};
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::image::blobs::BlobCache;
use crate::plumbing::image::gc::Collected;
use crate::plumbing::spec::{DomainFilter, DomainState, ImageInfo, label_filter, labels_match};

/// `--filter label=KEY[=VALUE]`, shared by every prune.
#[derive(Debug, Args, Default)]
pub struct PruneFilter {
    /// Only objects with this label: label=KEY or label=KEY=VALUE; repeatable
    #[arg(long = "filter", value_name = "label=KEY[=VALUE]")]
    pub filters: Vec<String>,
}

impl PruneFilter {
    fn labels(&self) -> Result<Vec<(String, Option<String>)>> {
        self.filters
            .iter()
            .map(|text| {
                let label = text.strip_prefix("label=").ok_or_else(|| {
                    Error::invalid(format!("invalid prune filter {text:?}"))
                        .with_hint("use label=KEY or label=KEY=VALUE")
                })?;
                Ok(label_filter(label))
            })
            .collect()
    }
}

/// Which images a prune takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Images {
    /// Untagged images no domain uses.
    Dangling,
    /// Every image no domain uses.
    Unused,
}

/// What a prune covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub domains: bool,
    pub networks: bool,
    pub volumes: bool,
    pub images: Option<Images>,
}

/// An image a prune removed.
#[derive(Debug, Serialize)]
pub struct PrunedImage {
    pub id: String,
    pub tags: Vec<String>,
}

/// What a prune removed: only the kinds it covered appear in JSON.
#[derive(Debug, Default, Serialize)]
pub struct Pruned {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<PrunedImage>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob_cache: Option<Collected>,
}

/// What a prune will remove, read before it asks.
struct Doomed {
    domains: Vec<(String, String)>,
    networks: Vec<String>,
    volumes: Vec<String>,
    images: Vec<ImageInfo>,
}

/// Whether a domain in `state` is one a prune removes.
pub fn prunable(state: DomainState) -> bool {
    matches!(
        state,
        DomainState::Created | DomainState::Stopped | DomainState::Broken
    )
}

/// Read what `scope` covers.
async fn survey(
    ctx: &mut Context,
    scope: Scope,
    labels: &[(String, Option<String>)],
) -> Result<Doomed> {
    let mut doomed = Doomed {
        domains: Vec::new(),
        networks: Vec::new(),
        volumes: Vec::new(),
        images: Vec::new(),
    };
    if scope.domains {
        let filter = DomainFilter {
            labels: labels.to_vec(),
            ..DomainFilter::default()
        };
        doomed.domains = ctx
            .domains()
            .await?
            .list(&filter)
            .await?
            .into_iter()
            .filter(|d| prunable(d.state))
            .map(|d| (d.id.to_string(), d.name))
            .collect();
    }
    // A domain this prune removes no longer holds its networks, volumes
    // and image.
    let going: Vec<&str> = doomed.domains.iter().map(|(_, n)| n.as_str()).collect();
    let unused = |users: &[String]| users.iter().all(|u| going.contains(&u.as_str()));
    if scope.networks {
        doomed.networks = ctx
            .platform()
            .await?
            .list_networks()
            .await?
            .into_iter()
            .filter(|n| {
                let users: Vec<String> = n.endpoints.iter().map(|e| e.domain.clone()).collect();
                unused(&users) && labels_match(&n.labels, labels)
            })
            .map(|n| n.name)
            .collect();
    }
    if scope.volumes {
        doomed.volumes = ctx
            .platform()
            .await?
            .list_volumes()
            .await?
            .into_iter()
            .filter(|v| unused(&v.used_by) && labels_match(&v.labels, labels))
            .map(|v| v.name)
            .collect();
    }
    if let Some(images) = scope.images {
        doomed.images = ctx
            .platform()
            .await?
            .list_images()
            .await?
            .into_iter()
            .filter(|i| {
                unused(&i.used_by)
                    && (images == Images::Unused || i.tags.is_empty())
                    && labels_match(&i.config.labels, labels)
            })
            .collect();
    }
    Ok(doomed)
}

/// The confirmation question for `doomed`.
fn question(scope: Scope, doomed: &Doomed) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if scope.domains {
        parts.push(count(
            doomed.domains.len(),
            "domain that is not running",
            "domains that are not running",
        ));
    }
    if scope.networks {
        parts.push(count(
            doomed.networks.len(),
            "unused network",
            "unused networks",
        ));
    }
    if scope.volumes {
        parts.push(count(
            doomed.volumes.len(),
            "unused volume (and its data)",
            "unused volumes (and their data)",
        ));
    }
    if let Some(images) = scope.images {
        let (one, many) = match images {
            Images::Dangling => ("dangling image", "dangling images"),
            Images::Unused => ("unused image", "unused images"),
        };
        parts.push(count(doomed.images.len(), one, many));
        parts.push("what the blob cache keeps for images no longer stored".to_string());
    }
    format!("remove {}?", parts.join(", "))
}

/// Whether a removal's error means something started to use the object,
/// or removed it, since the survey: then it is skipped.
fn raced(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Conflict | ErrorKind::NotFound | ErrorKind::InvalidState
    )
}

/// Survey, ask, remove, collect, and print what went.
pub async fn run(ctx: &mut Context, scope: Scope, filter: &PruneFilter) -> Result<()> {
    let labels = filter.labels()?;
    let doomed = survey(ctx, scope, &labels).await?;
    ctx.confirm(&question(scope, &doomed))?;
    let mut pruned = Pruned::default();
    if scope.domains {
        let gone = each(doomed.domains, async |(id, _)| {
            ctx.domains().await?.remove(id, false).await.map(drop)
        })
        .await?;
        pruned.domains = Some(gone.into_iter().map(|(_, name)| name).collect());
    }
    if scope.networks {
        let gone = each(doomed.networks, async |name| {
            ctx.platform().await?.remove_network(name).await
        })
        .await?;
        pruned.networks = Some(gone);
    }
    if scope.volumes {
        let gone = each(doomed.volumes, async |name| {
            ctx.domains().await?.remove_volume(name, false).await
        })
        .await?;
        pruned.volumes = Some(gone);
    }
    if scope.images.is_some() {
        let gone = each(doomed.images, async |image| {
            ctx.domains().await?.remove_image(&image.id, false).await
        })
        .await?;
        let gone = gone
            .into_iter()
            .map(|image| PrunedImage {
                id: image.id,
                tags: image.tags,
            })
            .collect();
        pruned.images = Some(gone);
        pruned.blob_cache = Some(
            BlobCache::in_cache_dir(&ctx.dirs.cache)
                .collect(&image_stores(ctx)?, true)?
                .unwrap_or_default(),
        );
    }
    print(ctx, &pruned)
}

/// Remove each of `items` with `remove`, skipping what a concurrent
/// command took up or removed first; what went.
async fn each<T>(items: Vec<T>, mut remove: impl AsyncFnMut(&T) -> Result<()>) -> Result<Vec<T>> {
    let mut gone = Vec::new();
    for item in items {
        match remove(&item).await {
            Ok(()) => gone.push(item),
            Err(e) if raced(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(gone)
}

/// JSON: the object; `-q`: what went, one per line; else a line each and
/// the blob cache's total.
fn print(ctx: &mut Context, pruned: &Pruned) -> Result<()> {
    let mut ids: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let kinds = [
        ("domain", &pruned.domains),
        ("network", &pruned.networks),
        ("volume", &pruned.volumes),
    ];
    for (kind, names) in kinds {
        for name in names.iter().flatten() {
            ids.push(name.clone());
            lines.push(format!("removed {kind} {name}"));
        }
    }
    for image in pruned.images.iter().flatten() {
        ids.push(image.id.clone());
        lines.push(format!("deleted image {}", image.id));
    }
    if let Some(cache) = &pruned.blob_cache {
        lines.push(format!(
            "blob cache: {} removed, {} reclaimed",
            match cache.blobs {
                1 => "1 blob".to_string(),
                n => format!("{n} blobs"),
            },
            human_size(cache.bytes)
        ));
        for missing in &cache.missing_stores {
            lines.push(format!(
                "blob cache: kept the blobs of the {} image(s) image store {} held: it is missing (a disk not mounted?); if it is gone for good, remove {} and prune again",
                missing.images, missing.path, missing.registration
            ));
        }
    }
    if ctx.out.format != OutputFormat::Json && ids.is_empty() && (ctx.out.quiet || lines.is_empty())
    {
        return Ok(()); // nothing went: -q prints no ids, not an empty line
    }
    ctx.out.action(pruned, &ids.join("\n"), &lines.join("\n"))
}

/// The image stores the collector marks from, besides those registered
/// (an unreadable config stops the collection: its targets' stores would
/// go unmarked).
pub fn image_stores(ctx: &Context) -> Result<Vec<PathBuf>> {
    let config = ctx.config_file().load()?;
    Ok(crate::plumbing::target::image_stores(&config, &ctx.dirs))
}

/// After `image rm`: collect the blob cache unless a pull or import holds
/// it (the next collection gets it then). The images are gone already,
/// so a failure here is only a warning.
pub fn collect_after_rm(ctx: &Context) {
    let cache = BlobCache::in_cache_dir(&ctx.dirs.cache);
    match image_stores(ctx).and_then(|stores| cache.collect(&stores, false)) {
        Ok(Some(done)) => {
            tracing::debug!(
                target: "vicport::image",
                blobs = done.blobs,
                bytes = done.bytes,
                records = done.records,
                "blob cache collected"
            );
            for missing in &done.missing_stores {
                tracing::debug!(
                    target: "vicport::image",
                    store = %missing.path,
                    images = missing.images,
                    "missing image store: its blobs kept"
                );
            }
        }
        Ok(None) => tracing::debug!(
            target: "vicport::image",
            "blob cache busy with a pull or import; not collected"
        ),
        Err(e) => tracing::warn!("the images are removed; collecting the blob cache failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_labels_only() {
        let f = PruneFilter {
            filters: vec!["label=ci".into(), "label=job=7".into()],
        };
        assert_eq!(
            f.labels().unwrap(),
            vec![
                ("ci".to_string(), None),
                ("job".to_string(), Some("7".to_string()))
            ]
        );
        let bad = PruneFilter {
            filters: vec!["until=24h".into()],
        };
        let err = bad.labels().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("until=24h"), "{err}");
    }

    #[test]
    fn only_domains_that_are_not_up_are_pruned() {
        for (state, want) in [
            (DomainState::Created, true),
            (DomainState::Starting, false),
            (DomainState::Running, false),
            (DomainState::Stopping, false),
            (DomainState::Stopped, true),
            (DomainState::Suspended, false),
            (DomainState::Broken, true),
        ] {
            assert_eq!(prunable(state), want, "{state}");
        }
    }

    #[test]
    fn the_question_counts_what_goes() {
        let doomed = Doomed {
            domains: vec![("1".into(), "a".into())],
            networks: vec!["n1".into(), "n2".into()],
            volumes: Vec::new(),
            images: Vec::new(),
        };
        let scope = Scope {
            domains: true,
            networks: true,
            volumes: false,
            images: Some(Images::Dangling),
        };
        assert_eq!(
            question(scope, &doomed),
            "remove 1 domain that is not running, 2 unused networks, 0 dangling images, \
             what the blob cache keeps for images no longer stored?"
        );
    }
}
