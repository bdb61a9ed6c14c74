//! A platform's placement: resolved once per platform value, kept beside
//! the session for the next process (per URL, user and placement
//! settings, for one vCenter instance), and checked by that process in one
//! call before it is trusted, resolved again when it no longer holds.

use std::path::{Path, PathBuf};

use sha2::Digest as _;

use crate::plumbing::error::{Error, Result};

use super::super::inventory::{self, Placement, PlacementSettings};
use super::VspherePlatform;

impl VspherePlatform {
    /// The resolved placement, once per platform value: the one an earlier
    /// process resolved with the same settings (kept beside the session)
    /// when one check finds that it still holds, else resolved anew.
    pub async fn placement(&self) -> Result<&Placement> {
        self.placement
            .get_or_try_init(|| async {
                let context = |e: Error| {
                    e.context(format!(
                        "resolving the placement of target {:?}",
                        self.target
                    ))
                };
                if let Some(kept) = self.kept_placement() {
                    match inventory::check(&self.session, kept).await {
                        Ok(Some(fresh)) => return Ok(fresh),
                        Ok(None) => self.kept_no_longer_holds(),
                        Err(e) => return Err(context(e)),
                    }
                }
                let placement = inventory::resolve(
                    &self.session,
                    &PlacementSettings {
                        datacenter: self.settings.datacenter.as_deref(),
                        datastore: self.settings.datastore.as_deref(),
                        resource_pool: self.settings.resource_pool.as_deref(),
                        folder: self.settings.folder.as_deref(),
                    },
                )
                .await
                .map_err(context)?;
                if let Some(f) = self.placement_file() {
                    let instance = &self.session.content().about.instance_uuid;
                    write_placement(&f, instance, &placement);
                }
                Ok(placement)
            })
            .await
    }

    /// The placement an earlier process kept for these settings, unless a
    /// check found that it no longer holds.
    pub(in crate::plumbing::vsphere) fn kept_placement(&self) -> Option<&Placement> {
        if self.kept_stale.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        self.kept
            .get_or_init(|| {
                let file = self.placement_file()?;
                read_placement(&file, &self.session.content().about.instance_uuid)
            })
            .as_ref()
    }

    /// A check found that the kept placement no longer holds: it is
    /// resolved again.
    pub(in crate::plumbing::vsphere) fn kept_no_longer_holds(&self) {
        tracing::debug!(target: "vicport::vsphere", "the kept placement no longer holds: resolving it again");
        self.kept_stale
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// A check made in another call (see `name_in_use`) found the kept
    /// placement to hold: it is the placement, without a check of its own.
    pub(in crate::plumbing::vsphere) fn kept_holds(&self, fresh: Placement) {
        let _ = self.placement.set(fresh);
    }

    /// Whether the placement is checked (or resolved) already.
    pub(in crate::plumbing::vsphere) fn placement_checked(&self) -> bool {
        self.placement.initialized()
    }

    /// The placement for datastore file look-ups before a create: the
    /// kept one as it is when it is not checked yet (a check may come in
    /// the same call as the name's; a look-up that finds nothing through
    /// it checks first and looks again), else the checked one. Returns
    /// whether it is checked.
    pub(in crate::plumbing::vsphere) async fn placement_for_files(
        &self,
    ) -> Result<(&Placement, bool)> {
        if let Some(p) = self.placement.get() {
            return Ok((p, true));
        }
        if let Some(kept) = self.kept_placement() {
            return Ok((kept, false));
        }
        Ok((self.placement().await?, true))
    }

    /// Where the placement of this target's URL, user and placement
    /// settings is kept: beside the session, when sessions are cached.
    fn placement_file(&self) -> Option<PathBuf> {
        let dir = self.session.cache_dir()?;
        let s = &self.settings;
        let key = format!(
            "{}\n{}\n{:?}\n{:?}\n{:?}\n{:?}",
            self.session.transport().url(),
            self.session.username(),
            s.datacenter,
            s.datastore,
            s.resource_pool,
            s.folder
        );
        let digest = sha2::Sha256::digest(key.as_bytes());
        Some(dir.join(format!(
            "vsphere-placement-{}.json",
            &hex::encode(digest)[..24]
        )))
    }
}

/// A placement as it is kept between processes: for one vCenter (its
/// instance UUID), with the format it was written in.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPlacement {
    format: u32,
    instance_uuid: String,
    placement: Placement,
}

/// The format of [`CachedPlacement`]; another is not read.
const PLACEMENT_FORMAT: u32 = 1;

fn read_placement(file: &Path, instance_uuid: &str) -> Option<Placement> {
    let data = std::fs::read(file).ok()?;
    serde_json::from_slice::<CachedPlacement>(&data)
        .ok()
        .filter(|c| c.format == PLACEMENT_FORMAT && c.instance_uuid == instance_uuid)
        .map(|c| c.placement)
}

/// A cache: failing to write it costs the next process a resolution.
fn write_placement(file: &Path, instance_uuid: &str, placement: &Placement) {
    let cached = CachedPlacement {
        format: PLACEMENT_FORMAT,
        instance_uuid: instance_uuid.to_string(),
        placement: placement.clone(),
    };
    let written = serde_json::to_vec(&cached)
        .map_err(|e| Error::other(e.to_string()))
        .and_then(|data| crate::plumbing::file::write_atomic(file, &data, 0o600));
    if let Err(e) = written {
        tracing::debug!(target: "vicport::vsphere", file = %file.display(), error = %e, "could not keep the placement");
    }
}
