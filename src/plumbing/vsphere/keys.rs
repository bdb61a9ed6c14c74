//! The `guestinfo.vicport.*` extraConfig keys that make a VM a vicport
//! domain, and the reading of a domain's state and definition from them.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::plumbing::spec::{DomainId, DomainSpec, DomainState};

/// Prefix of every vicport key.
pub const PREFIX: &str = "guestinfo.vicport.";
/// The domain's id: its presence makes a VM vicport's.
pub const ID: &str = "guestinfo.vicport.id";
/// The domain spec, JSON.
pub const SPEC: &str = "guestinfo.vicport.spec";
/// RFC 3339 creation time.
pub const CREATED: &str = "guestinfo.vicport.created";
/// RFC 3339 time of the last start; its presence means "has run".
pub const STARTED_AT: &str = "guestinfo.vicport.started_at";
/// RFC 3339 time the primary process exited (written by the tether).
pub const FINISHED_AT: &str = "guestinfo.vicport.finished_at";
/// The primary process's exit code (written by the tether).
pub const EXIT_CODE: &str = "guestinfo.vicport.exit_code";
/// The TCP port of the tether link's network serial port.
pub const LINK_PORT: &str = "guestinfo.vicport.link_port";
/// The tether's config document, base64, opaque here.
pub const CONFIG: &str = "guestinfo.vicport.config";
/// The volumes' disks, JSON ([`VolumeDisk`]s): for the tether, which SCSI
/// disk is which volume, where to mount it and how.
pub const VOLUMES: &str = "guestinfo.vicport.volumes";
/// The network interfaces, JSON ([`Interface`]s): for the tether, which NIC
/// (by MAC) gets which address, gateway and DNS servers.
pub const INTERFACES: &str = "guestinfo.vicport.interfaces";
/// The tether link's token, hex: what the host says Hello with. The config
/// document carries it too; here the host reads it without decoding that.
pub const TOKEN: &str = "guestinfo.vicport.token";
/// The id (`sha256:...`) of the image whose disk is the root disk's parent.
pub const IMAGE_ID: &str = "guestinfo.vicport.image_id";
/// Written by the tether when the primary process exits (see the tether's
/// PROTOCOL.md): its exit code, and unix nanosecond start and end times.
pub const STATUS_EXIT_CODE: &str = "guestinfo.vicport.status.exit_code";
pub const STATUS_STARTED_AT: &str = "guestinfo.vicport.status.started_at";
pub const STATUS_FINISHED_AT: &str = "guestinfo.vicport.status.finished_at";
/// `true` when the guest's OOM killer ended the primary process.
pub const STATUS_OOM_KILLED: &str = "guestinfo.vicport.status.oom_killed";
/// The status keys a new run clears.
pub const STATUS_KEYS: [&str; 6] = [
    STATUS_EXIT_CODE,
    STATUS_STARTED_AT,
    STATUS_FINISHED_AT,
    STATUS_OOM_KILLED,
    EXIT_CODE,
    FINISHED_AT,
];

/// One volume mount as the tether needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeDisk {
    pub volume: String,
    /// The absolute mount path in the guest.
    pub path: String,
    pub read_only: bool,
    /// `fcd` or `vmdk`.
    pub backing: String,
    /// The disk file, `[ds] path.vmdk`.
    pub file: String,
    /// The disk's place: SCSI bus (the controller's bus number) and unit.
    pub scsi_bus: i32,
    pub scsi_unit: i32,
    /// A blank disk is formatted (ext4) on its first mount.
    pub format_if_blank: bool,
}

/// One network interface as the tether needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    pub network: String,
    /// The NIC's MAC address (the tether finds the NIC by it).
    pub mac: String,
    /// `address/prefix`, e.g. `10.0.9.2/24`.
    pub address: String,
    /// The default route; `None` on an internal network.
    pub gateway: Option<IpAddr>,
    pub dns: Vec<IpAddr>,
}

/// What the keys say about a VM.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: DomainId,
    /// `None` when the spec is missing or unreadable: a broken domain.
    pub spec: Option<DomainSpec>,
    pub created: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub exit_code: Option<i32>,
    /// What the tether said of an OOM kill (tethers before protocol 4
    /// say nothing).
    pub oom_killed: Option<bool>,
    pub link_port: Option<u16>,
    pub volumes: Vec<VolumeDisk>,
    pub interfaces: Vec<Interface>,
    /// The link token, hex.
    pub token: Option<String>,
    /// The image the root disk is a child of.
    pub image_id: Option<String>,
    /// The tether's config document as stored (base64).
    pub config: Option<String>,
    /// Whether any status key of an earlier run is set.
    pub has_status: bool,
}

impl Record {
    /// Read the vicport keys; `None` when the VM is not vicport's.
    pub fn read(extra: &BTreeMap<String, String>) -> Option<Self> {
        let id = extra.get(ID)?;
        let spec = extra
            .get(SPEC)
            .and_then(|s| serde_json::from_str::<DomainSpec>(s).ok());
        Some(Record {
            id: DomainId(id.clone()),
            spec,
            created: extra.get(CREATED).cloned(),
            started_at: extra.get(STARTED_AT).cloned(),
            finished_at: extra
                .get(STATUS_FINISHED_AT)
                .and_then(|v| from_unix_nanos(v))
                .or_else(|| extra.get(FINISHED_AT).cloned()),
            exit_code: extra
                .get(STATUS_EXIT_CODE)
                .or_else(|| extra.get(EXIT_CODE))
                .and_then(|v| v.parse().ok()),
            oom_killed: extra.get(STATUS_OOM_KILLED).and_then(|v| v.parse().ok()),
            link_port: extra.get(LINK_PORT).and_then(|v| v.parse().ok()),
            token: extra.get(TOKEN).cloned(),
            image_id: extra.get(IMAGE_ID).cloned(),
            config: extra.get(CONFIG).cloned(),
            has_status: STATUS_KEYS.iter().any(|k| extra.contains_key(*k)),
            volumes: extra
                .get(VOLUMES)
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default(),
            interfaces: extra
                .get(INTERFACES)
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default(),
        })
    }

    /// Whether the VM carries a whole vicport record: a valid id, a spec
    /// that reads, and the creation time. One CreateVM_Task writes them
    /// together; a VM with only some of them is half-made.
    pub fn is_complete(&self) -> bool {
        let valid_id = self.id.0.len() == 64 && self.id.0.chars().all(|c| c.is_ascii_hexdigit());
        valid_id && self.spec.is_some() && self.created.is_some()
    }

    /// The state from the power state, and why when it is not obvious.
    pub fn state(&self, power: &str) -> (DomainState, Option<String>) {
        if !self.is_complete() {
            return (
                DomainState::Broken,
                Some("the VM lacks vicport's definition keys (an interrupted create?)".into()),
            );
        }
        match power {
            "poweredOn" => (DomainState::Running, None),
            "poweredOff" if self.started_at.is_some() => (DomainState::Stopped, None),
            "poweredOff" => (DomainState::Created, None),
            "suspended" => (DomainState::Suspended, None),
            other => (
                DomainState::Broken,
                Some(format!("the VM's power state is {other:?}")),
            ),
        }
    }
}

/// RFC 3339 with seconds from unix nanoseconds (the tether's times); `None`
/// for 0 or text that is not a number.
pub fn from_unix_nanos(text: &str) -> Option<String> {
    let nanos: u64 = text.trim().parse().ok().filter(|n| *n > 0)?;
    Some(crate::plumbing::spec::timestamp(
        std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos),
    ))
}

/// RFC 3339 with seconds from a vSphere `dateTime`, or the text as it is.
pub fn rfc3339(text: &str) -> String {
    humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
        .or_else(|_| humantime::parse_rfc3339(text))
        .map(crate::plumbing::spec::timestamp)
        .unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn vms_without_the_id_are_not_domains() {
        assert!(Record::read(&extra(&[("guestinfo.other", "x")])).is_none());
    }

    #[test]
    fn the_tethers_status_keys_are_read() {
        let id = "a".repeat(64);
        let e = extra(&[
            (ID, &id),
            (STATUS_EXIT_CODE, "137"),
            (STATUS_FINISHED_AT, "1700000000000000000"),
            (STATUS_OOM_KILLED, "true"),
        ]);
        let r = Record::read(&e).unwrap();
        assert_eq!(r.exit_code, Some(137));
        assert_eq!(r.oom_killed, Some(true));
        assert_eq!(r.finished_at.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert!(r.has_status);
        assert_eq!(from_unix_nanos("0"), None);
        assert!(!Record::read(&extra(&[(ID, &id)])).unwrap().has_status);
    }

    #[test]
    fn states_follow_power_and_started_flag() {
        let id = "a".repeat(64);
        let spec = serde_json::to_string(&DomainSpec::new("web", "busybox")).unwrap();
        let mut e = extra(&[(ID, &id), (SPEC, &spec), (CREATED, "2024-01-01T00:00:00Z")]);
        let r = Record::read(&e).unwrap();
        assert_eq!(r.state("poweredOff").0, DomainState::Created);
        assert_eq!(r.state("poweredOn").0, DomainState::Running);
        e.insert(STARTED_AT.into(), "2024-01-01T00:00:00Z".into());
        assert_eq!(
            Record::read(&e).unwrap().state("poweredOff").0,
            DomainState::Stopped
        );
        assert_eq!(
            Record::read(&e).unwrap().state("suspended"),
            (DomainState::Suspended, None)
        );
        e.remove(SPEC);
        assert_eq!(
            Record::read(&e).unwrap().state("poweredOn").0,
            DomainState::Broken
        );
        // Without its creation time the record is not whole either.
        e.insert(SPEC.into(), spec);
        assert_eq!(
            Record::read(&e).unwrap().state("poweredOff").0,
            DomainState::Stopped
        );
        e.remove(CREATED);
        assert_eq!(
            Record::read(&e).unwrap().state("poweredOff").0,
            DomainState::Broken
        );
    }

    #[test]
    fn vsphere_times_become_rfc3339_seconds() {
        assert_eq!(
            rfc3339("2024-05-01T10:20:30.123456Z"),
            "2024-05-01T10:20:30Z"
        );
        assert_eq!(rfc3339("garbage"), "garbage");
    }
}
