//! The platform trait: the port layer's primitives, implemented once per
//! platform (`local`, `vsphere`). Nothing above this trait knows which one it
//! talks to; an operation a platform does not offer answers `NotSupported`.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::LogLine;
use crate::plumbing::name::ImageRef;
use crate::plumbing::spec::{
    DomainFilter, DomainInfo, DomainSpec, DomainSummary, Handle, ImageInfo, NetworkInfo,
    NetworkSpec, SystemInfo, VolumeInfo, VolumeSpec,
};

/// Reports progress of long operations (imports, uploads, downloads). The
/// porcelain draws bars on a terminal; plumbing only reports.
pub trait Progress: Send + Sync {
    /// A new phase starts; `total` in bytes or steps when known.
    fn phase(&self, name: &str, total: Option<u64>);
    /// `n` more units of the current phase are done.
    fn advance(&self, n: u64);
    /// One item of the current phase is done (a layer pulled or already
    /// held): a line a terminal shows above the bar.
    fn note(&self, _message: &str) {}
    /// Set when the user asked to stop (Ctrl-C): long operations check it
    /// and stop cleanly, leaving nothing half-made.
    fn cancel_flag(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        None
    }
}

/// Progress that goes nowhere (no terminal, `--quiet`, tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
}

/// What `domain logs` asks for.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// Only the last N lines.
    pub tail: Option<usize>,
    /// Keep following the log until the domain stops.
    pub follow: bool,
}

/// One lifecycle event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// RFC 3339 time.
    pub time: String,
    /// `domain`, `volume`, `network`, `image`.
    pub object: String,
    /// The object's name.
    pub name: String,
    /// `create`, `start`, `stop`, `die`, `remove`, `rename`, `update`, ...
    pub action: String,
    /// Extra attributes, e.g. `exit_code`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// The port layer's primitives. Every method has a default that answers
/// "not supported on this target", so a platform grows one capability at a
/// time and never fakes one.
#[async_trait]
pub trait Platform: Send + Sync {
    /// The target's name, for messages.
    fn target(&self) -> &str;

    /// Facts about the platform and its placement.
    async fn info(&self) -> Result<SystemInfo>;

    // ---- domains ----------------------------------------------------------

    /// A handle for a new domain from `spec` (validated, not yet created).
    async fn new_handle(&self, spec: DomainSpec) -> Result<Handle> {
        spec.validate()?;
        Ok(Handle::new_domain(spec))
    }

    /// Snapshot a domain's definition and version (by name, id or id prefix).
    async fn get_handle(&self, _domain: &str) -> Result<Handle> {
        Err(self.unsupported("domain handles"))
    }

    /// Turn a handle into the fewest platform operations. A stale version is
    /// a `Conflict`.
    async fn commit(&self, _handle: Handle) -> Result<DomainInfo> {
        Err(self.unsupported("domain commit"))
    }

    /// List domains, fetching only what the list shows.
    async fn list_domains(&self, _filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        Err(self.unsupported("domain ls"))
    }

    /// Everything about one domain.
    async fn inspect_domain(&self, _domain: &str) -> Result<DomainInfo> {
        Err(self.unsupported("domain inspect"))
    }

    /// Graceful stop: the stop signal through the tether, `timeout` to exit,
    /// then power off.
    async fn stop_domain(&self, _domain: &str, _timeout: Duration) -> Result<DomainInfo> {
        Err(self.unsupported("domain stop"))
    }

    /// Send a signal to the primary process (KILL powers the domain off).
    async fn kill_domain(&self, _domain: &str, _signal: i32) -> Result<()> {
        Err(self.unsupported("domain kill"))
    }

    /// Remove a domain; a running one only with `force`.
    async fn remove_domain(&self, _domain: &str, _force: bool) -> Result<()> {
        Err(self.unsupported("domain rm"))
    }

    /// Wait until the domain is no longer up; returns its final state.
    async fn wait_domain(&self, _domain: &str, _timeout: Option<Duration>) -> Result<DomainInfo> {
        Err(self.unsupported("domain wait"))
    }

    /// Deliver the domain's log lines to `sink` until it returns `false`, the
    /// log ends, or (following) the domain stops.
    async fn logs(
        &self,
        _domain: &str,
        _options: &LogOptions,
        _sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        Err(self.unsupported("domain logs"))
    }

    /// An authenticated link client to the domain's tether, for exec,
    /// attach and graceful stop.
    async fn link(&self, _domain: &str) -> Result<tether::link::client::Client> {
        Err(self.unsupported("exec and attach"))
    }

    /// Deliver lifecycle events to `sink` until it returns `false` (or, when
    /// not following, until the recorded events are exhausted).
    async fn events(
        &self,
        _follow: bool,
        _sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
    ) -> Result<()> {
        Err(self.unsupported("events"))
    }

    // ---- images -----------------------------------------------------------

    /// Import an OCI layout, docker-save archive or rootfs tar.
    async fn import_image(
        &self,
        _source: &Path,
        _reference: Option<ImageRef>,
        _progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        Err(self.unsupported("image import"))
    }

    /// All images.
    async fn list_images(&self) -> Result<Vec<ImageInfo>> {
        Err(self.unsupported("image ls"))
    }

    /// One image, by reference or id prefix.
    async fn inspect_image(&self, _image: &str) -> Result<ImageInfo> {
        Err(self.unsupported("image inspect"))
    }

    /// The image a new domain would be made from, for its defaults: like
    /// `inspect_image`, but `used_by` may be left empty, so a platform can
    /// skip the search for users (a round trip per domain on vSphere).
    async fn image_for_domain(&self, image: &str) -> Result<ImageInfo> {
        self.inspect_image(image).await
    }

    /// Remove an image; with `force`, the domains using it are removed first.
    async fn remove_image(&self, _image: &str, _force: bool) -> Result<()> {
        Err(self.unsupported("image rm"))
    }

    // ---- volumes ----------------------------------------------------------

    /// Create a volume.
    async fn create_volume(&self, _spec: VolumeSpec) -> Result<VolumeInfo> {
        Err(self.unsupported("volume create"))
    }

    /// All volumes.
    async fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        Err(self.unsupported("volume ls"))
    }

    /// One volume.
    async fn inspect_volume(&self, _name: &str) -> Result<VolumeInfo> {
        Err(self.unsupported("volume inspect"))
    }

    /// Remove a volume; refused while a domain uses it unless `force`.
    async fn remove_volume(&self, _name: &str, _force: bool) -> Result<()> {
        Err(self.unsupported("volume rm"))
    }

    // ---- networks ---------------------------------------------------------

    /// Create a network.
    async fn create_network(&self, _spec: NetworkSpec) -> Result<NetworkInfo> {
        Err(self.unsupported("network create"))
    }

    /// All networks.
    async fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        Err(self.unsupported("network ls"))
    }

    /// One network.
    async fn inspect_network(&self, _name: &str) -> Result<NetworkInfo> {
        Err(self.unsupported("network inspect"))
    }

    /// Remove a network; refused while in use.
    async fn remove_network(&self, _name: &str) -> Result<()> {
        Err(self.unsupported("network rm"))
    }

    // ---- helpers ----------------------------------------------------------

    /// The error for an operation this platform does not offer.
    fn unsupported(&self, operation: &str) -> Error {
        Error::not_supported(operation, self.target())
    }
}
