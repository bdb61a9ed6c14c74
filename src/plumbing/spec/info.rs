//! What platforms report about domains: a row of `domain ls`, where a
//! domain lives, everything `domain inspect` shows, and list filters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

/// One row of `domain ls`: only what the list shows, so platforms can fetch
/// exactly these properties in one round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainSummary {
    pub id: DomainId,
    pub name: String,
    pub state: DomainState,
    pub image: String,
    /// RFC 3339 creation time.
    pub created: String,
    pub labels: BTreeMap<String, String>,
    /// Published ports (as `DomainInfo::ports`).
    #[serde(default)]
    pub ports: Vec<PortMapping>,
}

/// Where a domain lives on its platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformRef {
    /// `local` or `vsphere`.
    pub platform: String,
    /// The platform's identifier (a managed object id such as `vm-42`, or the
    /// local definition directory).
    pub id: String,
    /// A human path (inventory path, or state directory path).
    pub path: String,
}

/// What a domain's guest is given besides its process, volumes and
/// networks (`--read-only`, host paths, `--tmpfs`, `--add-host`, `--dns`…,
/// `--sysctl`), as its spec holds it; `domain inspect` shows what is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GuestSettings {
    /// Its root filesystem is read-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// Host directories and files shared into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<HostShare>,
    /// Filesystems the guest makes in it (`--tmpfs`; an OCI bundle's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guest_mounts: Vec<GuestMount>,
    /// Its own `/etc/hosts` lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_hosts: Vec<ExtraHost>,
    /// Its own resolver settings.
    #[serde(default, skip_serializing_if = "DnsSettings::is_empty")]
    pub dns: DnsSettings,
    /// Kernel parameters the guest sets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sysctl: BTreeMap<String, String>,
}

impl GuestSettings {
    /// Those of `spec`.
    pub fn of(spec: &DomainSpec) -> Self {
        GuestSettings {
            read_only: spec.read_only,
            shares: spec.shares.clone(),
            guest_mounts: spec.guest_mounts.clone(),
            extra_hosts: spec.extra_hosts.clone(),
            dns: spec.dns.clone(),
            sysctl: spec.sysctl.clone(),
        }
    }
}

/// Everything `domain inspect` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainInfo {
    pub id: DomainId,
    pub name: String,
    pub state: DomainState,
    /// Why the domain is in this state, when the platform knows (e.g. "qemu
    /// was killed by signal 9").
    pub state_reason: Option<String>,
    pub image: String,
    /// The id (`sha256:…`) of the image the domain was made from, which
    /// its tag may no longer name; none for a root that is a host
    /// directory, or when the platform did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    pub created: String,
    pub labels: BTreeMap<String, String>,
    pub cpus: u32,
    pub memory_mb: u64,
    pub hostname: Option<String>,
    pub process: ProcessSpec,
    pub networks: Vec<NetworkEndpoint>,
    /// Host ports forwarded to the domain while it runs (`--publish`).
    #[serde(default)]
    pub ports: Vec<PortMapping>,
    pub volumes: Vec<VolumeMount>,
    pub exit_code: Option<i32>,
    /// Whether the guest's out-of-memory killer ended the primary process
    /// (its exit code is then 137), when the platform knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_killed: Option<bool>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Its restart policy (`--restart`), when it has one.
    #[serde(default, skip_serializing_if = "super::Restart::is_no")]
    pub restart: Restart,
    /// How many times its policy started it again since it was last
    /// started by hand.
    #[serde(default, skip_serializing_if = "super::restart::is_zero")]
    pub restart_count: u32,
    pub version: Version,
    pub platform_ref: PlatformRef,
    /// When each step of the guest's last boot ended (local domains, once
    /// the tether has said so on the console; empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boot_timeline: Vec<BootStep>,
    /// What its guest is given besides (only what is set is shown).
    #[serde(flatten)]
    pub guest: GuestSettings,
}

/// Fail with `InvalidState` (exit 6) unless domain `name`, in `state`, is
/// powered on.
pub fn require_up(name: &str, state: DomainState) -> Result<()> {
    if state.is_up() {
        return Ok(());
    }
    Err(
        Error::invalid_state(format!("domain {name:?} is {state}, not running"))
            .with_hint(format!("start it with `vicport domain start {name}`")),
    )
}

impl DomainInfo {
    /// Fail with `InvalidState` (exit 6) unless the domain is powered on.
    pub fn require_up(&self) -> Result<()> {
        require_up(&self.name, self.state)
    }

    /// The list row of this domain.
    pub fn summary(&self) -> DomainSummary {
        DomainSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            state: self.state,
            image: self.image.clone(),
            created: self.created.clone(),
            labels: self.labels.clone(),
            ports: self.ports.clone(),
        }
    }
}

/// Filters for `domain ls`.
#[derive(Debug, Clone, Default)]
pub struct DomainFilter {
    /// Only names containing this.
    pub name: Option<String>,
    /// Only domains in this state.
    pub state: Option<DomainState>,
    /// Only domains carrying all these labels (value `None` = any value).
    pub labels: Vec<(String, Option<String>)>,
}

impl DomainFilter {
    /// Whether a row passes the filter.
    pub fn matches(&self, d: &DomainSummary) -> bool {
        self.name.as_deref().is_none_or(|n| d.name.contains(n))
            && self.state.is_none_or(|s| d.state == s)
            && labels_match(&d.labels, &self.labels)
    }
}

/// Whether `labels` carry every one of `wanted` (value `None` = any value).
pub fn labels_match(
    labels: &BTreeMap<String, String>,
    wanted: &[(String, Option<String>)],
) -> bool {
    wanted.iter().all(|(k, v)| match (labels.get(k), v) {
        (Some(have), Some(want)) => have == want,
        (Some(_), None) => true,
        (None, _) => false,
    })
}

/// A label filter's `KEY` or `KEY=VALUE` (after `label=`).
pub fn label_filter(text: &str) -> (String, Option<String>) {
    match text.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(v.to_string())),
        None => (text.to_string(), None),
    }
}
