//! The vSphere platform: a vim25 SOAP client, sessions, inventory, and the
//! mapping of domains, images, volumes and networks onto VMs, disks and
//! port groups, with the tether link over the hosts' network serial ports.

use std::time::Duration;

pub mod boot;
mod change;
pub mod client;
mod create;
pub mod datastore;
pub mod devices;
pub mod events;
pub mod fault;
pub mod guest;
pub mod images;
pub mod inventory;
pub mod keys;
pub mod known;
mod leases;
pub mod legacy_rsa;
pub mod link;
pub mod logs;
mod lookup;
pub mod networks;
pub mod platform;
mod realize;
pub mod relay;
pub mod session;
pub mod tls;
pub mod usage;
pub mod vim;
mod vm_spec;
pub mod volumes;
pub mod xml;

#[cfg(test)]
#[path = "../../../tests/cli/support/vcsim.rs"]
pub(crate) mod vcsim;

#[cfg(test)]
mod tests;

pub use client::RequestCounters;
pub use fault::{Fault, FaultKind, SoapError};
pub use platform::VspherePlatform;
pub use session::PasswordSource;

/// End the cached session of `settings`' (URL, user) on the server and
/// remove its cache file, without asking for a password. Returns whether a
/// cached session existed.
pub async fn logout(
    settings: &VsphereSettings,
    cache_dir: &std::path::Path,
) -> crate::plumbing::Result<bool> {
    let transport = client::Transport::new(
        &settings.url,
        platform::trust(settings)?,
        settings.timeout,
        RequestCounters::default(),
    )?;
    let Some(user) = settings.username.as_deref() else {
        return Ok(false);
    };
    session::logout_cached(&transport, user, cache_dir).await
}

/// A vSphere target's settings, as the CLI's target config gives them.
/// Every placement setting is a name or an inventory path; unset means "the
/// only one there is".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VsphereSettings {
    /// `https://vcenter.example.com/sdk` (`https://` and `/sdk` are added
    /// when missing).
    pub url: String,
    pub username: Option<String>,
    pub datacenter: Option<String>,
    pub datastore: Option<String>,
    /// A resource pool, or a cluster or standalone host (its root pool).
    pub resource_pool: Option<String>,
    /// The VM folder domains live in; the datacenter's VM folder by default.
    pub folder: Option<String>,
    /// The distributed switch new networks' port groups go on (or a
    /// distributed port group naming its switch; on a standalone host
    /// without one, the standard switch); unset means the only one there is.
    pub network: Option<String>,
    /// A pinned certificate thumbprint: SHA-256, or SHA-1 (colon form).
    pub thumbprint: Option<String>,
    /// Accept any certificate (encrypted, not authenticated).
    pub insecure: bool,
    /// Longest wait for one request.
    pub timeout: Duration,
}

impl VsphereSettings {
    /// The default per-request timeout.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// Settings for `url` with defaults for everything else.
    pub fn new(url: impl Into<String>) -> Self {
        VsphereSettings {
            url: url.into(),
            username: None,
            datacenter: None,
            datastore: None,
            resource_pool: None,
            folder: None,
            network: None,
            thumbprint: None,
            insecure: false,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }
}
