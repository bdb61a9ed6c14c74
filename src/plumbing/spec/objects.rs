//! What the port layer says about the objects beside domains: volumes,
//! networks and their endpoints, images and their runtime defaults, and
//! the platform itself.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::PlatformRef;

/// A volume to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeSpec {
    pub name: String,
    pub size_bytes: u64,
    pub labels: BTreeMap<String, String>,
    /// A store: a directory (local) or datastore path (vSphere); `None` = default.
    pub store: Option<String>,
}

/// What `volume inspect` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolumeInfo {
    pub name: String,
    pub size_bytes: u64,
    pub store: String,
    /// How the platform represents it (`ext4-image`, `fcd`, `vmdk`).
    pub backing: String,
    pub labels: BTreeMap<String, String>,
    pub created: String,
    /// Names of the domains that join it.
    pub used_by: Vec<String>,
    pub platform_ref: PlatformRef,
}

/// A network to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkSpec {
    pub name: String,
    pub subnet: ipnet::IpNet,
    pub gateway: Option<IpAddr>,
    pub ip_range: Option<ipnet::IpNet>,
    pub dns: Vec<IpAddr>,
    pub internal: bool,
    pub labels: BTreeMap<String, String>,
}

/// What `network inspect` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkInfo {
    pub name: String,
    pub subnet: ipnet::IpNet,
    pub gateway: Option<IpAddr>,
    pub ip_range: Option<ipnet::IpNet>,
    pub dns: Vec<IpAddr>,
    pub internal: bool,
    pub labels: BTreeMap<String, String>,
    pub created: String,
    /// How the platform represents it (`bridge`, `socket`, `dvportgroup`, ...).
    pub backing: String,
    /// Endpoints: domain name and address.
    pub endpoints: Vec<EndpointInfo>,
    pub platform_ref: PlatformRef,
}

/// One domain's address on a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointInfo {
    pub domain: String,
    pub ip: Option<IpAddr>,
    pub mac: Option<String>,
}

/// What `image ls` / `image inspect` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// `sha256:` digest of the image's config (or of the rootfs tar for plain
    /// rootfs imports).
    pub id: String,
    /// `name:tag` references pointing at it.
    pub tags: Vec<String>,
    pub size_bytes: u64,
    pub created: String,
    pub config: ImageConfig,
    /// Layer digests, bottom first.
    pub layers: Vec<String>,
    /// Names of the domains created from it.
    pub used_by: Vec<String>,
}

/// The runtime defaults an image carries (OCI config subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub stop_signal: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// The ports it says it listens on (`EXPOSE`), as `PORT/PROTO`
    /// (`80/tcp`): what `run -P` publishes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<String>,
}

/// What `system info` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub target: String,
    pub platform: String,
    pub vicport_version: String,
    /// Platform facts as ordered key/value pairs (product, accelerator,
    /// placement, capacity, ...).
    pub details: BTreeMap<String, String>,
}
