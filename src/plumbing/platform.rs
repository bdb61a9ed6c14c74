//! The platform trait: the port layer's primitives, implemented once per
//! platform (`local`, `vsphere`); domains through the domain layer's
//! `Realize`. Nothing above this trait knows which platform it talks to; an
//! operation a platform does not offer answers `NotSupported`.

use std::path::Path;

use async_trait::async_trait;

use crate::plumbing::domain::Realize;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::LogLine;
use crate::plumbing::name::ImageRef;
use crate::plumbing::spec::{
    ImageInfo, NetworkInfo, NetworkSpec, SystemInfo, VolumeInfo, VolumeSpec,
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
    /// The operation ended: clear what is shown (a spinner, a bar).
    fn done(&self) {}
    /// Set when the user asked to stop (Ctrl-C): long operations check it
    /// and stop cleanly, leaving nothing half-made.
    fn cancel_flag(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        None
    }
}

/// A progress a platform keeps for later operations (its first-use build),
/// shared with the caller that gave it.
#[derive(Clone)]
pub struct SharedProgress(pub std::sync::Arc<dyn Progress>);

impl Default for SharedProgress {
    fn default() -> Self {
        SharedProgress(std::sync::Arc::new(NoProgress))
    }
}

impl std::fmt::Debug for SharedProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedProgress")
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

/// The port layer's primitives on one platform. Domains are realized
/// through the [`Realize`] supertrait and driven by the domain layer
/// ([`crate::plumbing::domain::Domains`]), which holds their policy; images,
/// volumes and networks are here. Every method has a default that answers
/// "not supported on this target", so a platform grows one capability at a
/// time and never fakes one.
#[async_trait]
pub trait Platform: Realize {
    /// The target's name, for messages.
    fn target(&self) -> &str;

    /// Where a build this platform makes on first use (the boot image)
    /// reports what it does; by default nowhere.
    fn set_build_progress(&mut self, _progress: std::sync::Arc<dyn Progress>) {}

    /// Facts about the platform and its placement.
    async fn info(&self) -> Result<SystemInfo>;

    /// The requests this value has sent to a remote platform so far, named
    /// by what they went to (`vsphere`), for `--debug`'s last line; `None`
    /// for a platform that makes no requests.
    fn round_trips(&self) -> Option<(&'static str, u64)> {
        None
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

    /// Import an OCI layout, docker-save archive or rootfs tar: the image
    /// `reference` names (and under it), else the one at `index` in an
    /// archive of several, else its only one.
    async fn import_image(
        &self,
        _source: &Path,
        _reference: Option<ImageRef>,
        _index: Option<usize>,
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

    /// Remove an image, refused while domains use it (the domain layer
    /// removes them first for `image rm --force`).
    async fn remove_image(&self, _image: &str) -> Result<()> {
        Err(self.unsupported("image rm"))
    }

    /// Point `reference` at an image (by reference or id prefix); a
    /// reference that named another image moves, leaving that one
    /// without it.
    async fn tag_image(&self, _image: &str, _reference: &ImageRef) -> Result<ImageInfo> {
        Err(self.unsupported("image tag"))
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

    /// A volume a domain is about to join: like `inspect_volume`, but
    /// `used_by` may be left empty, so a platform can skip the search.
    async fn find_volume(&self, name: &str) -> Result<VolumeInfo> {
        self.inspect_volume(name).await
    }

    /// Remove a volume, refused while a domain joins it (the domain layer
    /// detaches it from stopped domains first for `volume rm --force`).
    async fn remove_volume(&self, _name: &str) -> Result<()> {
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

    /// A network a domain is about to join: like `inspect_network`, but
    /// `endpoints` may be left empty.
    async fn find_network(&self, name: &str) -> Result<NetworkInfo> {
        self.inspect_network(name).await
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
