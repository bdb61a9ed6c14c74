//! Opening a target's platform, and logging in to and out of it: the one
//! place that knows which platform implementation serves which kind of
//! target.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::plumbing::config::{Target, VsphereTarget};
use crate::plumbing::credentials;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::local::LocalPlatform;
use crate::plumbing::paths::Dirs;
use crate::plumbing::platform::Platform;
use crate::plumbing::vsphere::{PasswordSource, VspherePlatform, VsphereSettings};

/// Open the platform behind target `name`.
pub async fn open(
    name: &str,
    target: &Target,
    dirs: &Dirs,
    timeout: Duration,
) -> Result<Box<dyn Platform>> {
    match target {
        Target::Local(local) => {
            let state = local
                .state_dir
                .clone()
                .unwrap_or_else(|| dirs.state.clone());
            Ok(Box::new(LocalPlatform::open(
                name,
                state,
                dirs.cache.clone(),
            )?))
        }
        Target::Vsphere(v) => {
            let settings = vsphere_settings(v, timeout);
            let password = keyring_password(name, v);
            let mut platform =
                VspherePlatform::connect(name, settings, password, Some(session_dir(dirs))).await?;
            // Images are built, and the boot ISO found, in the cache.
            platform.set_cache_dir(dirs.cache.clone());
            Ok(Box::new(platform))
        }
    }
}

/// Every image store on this host that the configured targets use and
/// that keeps blobs in the cache: each local target's, and the one
/// vSphere images are built in (the blob cache's collector marks from
/// them).
pub fn image_stores(config: &crate::plumbing::config::Config, dirs: &Dirs) -> Vec<PathBuf> {
    let mut stores = vec![
        crate::plumbing::local::image_store_dir(&dirs.state),
        dirs.cache
            .join(crate::plumbing::vsphere::platform::IMAGE_BUILD_DIR),
    ];
    for target in config.targets.values() {
        if let Target::Local(local) = target
            && let Some(state) = &local.state_dir
        {
            stores.push(crate::plumbing::local::image_store_dir(state));
        }
    }
    stores
}

/// Where vSphere sessions are cached (one 0600 file per URL and user).
pub fn session_dir(dirs: &Dirs) -> PathBuf {
    dirs.cache.join("sessions")
}

/// The vSphere client's settings for a configured target.
pub fn vsphere_settings(v: &VsphereTarget, timeout: Duration) -> VsphereSettings {
    VsphereSettings {
        url: v.url.clone(),
        username: v.username.clone(),
        datacenter: v.datacenter.clone(),
        datastore: v.datastore.clone(),
        resource_pool: v.resource_pool.clone(),
        folder: v.folder.clone(),
        network: v.network.clone(),
        thumbprint: v.thumbprint.clone(),
        insecure: v.insecure,
        timeout,
    }
}

/// The password of a target's user from VICPORT_PASSWORD or the keyring,
/// asked for only when a login is needed (a cached session needs none).
fn keyring_password(name: &str, v: &VsphereTarget) -> Arc<dyn PasswordSource> {
    let (target, url, user) = (
        name.to_string(),
        v.url.clone(),
        v.username.clone().unwrap_or_default(),
    );
    Arc::new(move || {
        // The keyring may block (D-Bus); keep it off the async workers.
        tokio::task::block_in_place(|| credentials::password_for(&target, &url, &user))
    })
}

/// Log in to vSphere target `name` as `username` with `password`, and keep
/// the password in the OS keyring only once vSphere accepted it: any cached
/// session ends first, then a fresh login proves the password (and caches
/// the new session). A refused password is exit 5 and stores nothing.
pub async fn login(
    name: &str,
    target: &VsphereTarget,
    username: &str,
    password: String,
    dirs: &Dirs,
    timeout: Duration,
) -> Result<credentials::Store> {
    let mut settings = vsphere_settings(target, timeout);
    settings.username = Some(username.to_string());
    let sessions = session_dir(dirs);
    crate::plumbing::vsphere::logout(&settings, &sessions).await?;
    let given = password.clone();
    let source: Arc<dyn PasswordSource> = Arc::new(move || Ok(given.clone()));
    VspherePlatform::connect(name, settings, source, Some(sessions)).await?;
    let (url, user) = (target.url.clone(), username.to_string());
    tokio::task::spawn_blocking(move || credentials::store(&url, &user, &password))
        .await
        .map_err(|e| Error::other(format!("the keyring task failed: {e}")))?
}

/// End target `name`'s cached session on the server when it can be reached
/// (a target that is gone must not keep the password), and remove the
/// password from the keyring. Whether a password was stored.
pub async fn logout(
    name: &str,
    target: &VsphereTarget,
    username: &str,
    dirs: &Dirs,
    timeout: Duration,
) -> Result<bool> {
    let settings = vsphere_settings(target, timeout);
    if let Err(e) = crate::plumbing::vsphere::logout(&settings, &session_dir(dirs)).await {
        tracing::warn!("could not end the session on target {name:?}: {e}");
    }
    let (url, user) = (target.url.clone(), username.to_string());
    tokio::task::spawn_blocking(move || credentials::delete(&url, &user))
        .await
        .map_err(|e| Error::other(format!("the keyring task failed: {e}")))?
}
