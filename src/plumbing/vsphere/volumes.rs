//! Volumes on vSphere: a First Class Disk where the target offers the
//! vCenter VStorageObjectManager, else a VMDK made by the VirtualDiskManager.
//! Each volume owns a directory `[ds] vicport-volumes/<name>/`: making it
//! reserves the name (MakeDirectory fails for the second of two), and its
//! `volume.json` sidecar, written last and atomically, marks the volume as
//! vicport's and complete, with its labels.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::name;
use crate::plumbing::spec::{self, PlatformRef, VolumeInfo, VolumeSpec};

use super::datastore::{DatastorePath, Files};
use super::events;
use super::fault::FaultKind;
use super::session::{ServiceContent, Session};
use super::vim;
use super::xml::{MoRef, Node};

/// The datastore directory every volume's directory is in.
pub const VOLUME_DIR: &str = "vicport-volumes";
/// The sidecar in a volume's directory.
pub const SIDECAR: &str = "volume.json";
/// First Class Disks vicport makes are named `vicport-<volume>`.
pub const FCD_PREFIX: &str = "vicport-";

/// How a volume is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VolumeBacking {
    /// A First Class Disk (VStorageObjectManager).
    Fcd,
    /// A plain VMDK file in the volume's directory.
    Vmdk,
}

impl VolumeBacking {
    /// `fcd` or `vmdk`, as `volume inspect` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeBacking::Fcd => "fcd",
            VolumeBacking::Vmdk => "vmdk",
        }
    }

    /// The backing the target offers: a First Class Disk on a vCenter of
    /// API 6.5 or later whose ServiceContent has the vCenter
    /// VStorageObjectManager; else a VMDK. (ESXi's own
    /// HostVStorageObjectManager has other methods; vicport does not use it.)
    pub fn for_target(content: &ServiceContent) -> Self {
        let vcenter_fcd = content
            .vstorage_object_manager
            .as_ref()
            .is_some_and(|m| m.kind == "VcenterVStorageObjectManager");
        if content.is_vcenter() && api_at_least(&content.about.api_version, 6, 5) && vcenter_fcd {
            VolumeBacking::Fcd
        } else {
            VolumeBacking::Vmdk
        }
    }
}

/// Whether a vim25 version string (`6.5`, `7.0.3.0`) is at least
/// `major.minor`.
pub fn api_at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (ma, mi) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (ma, mi) >= (major, minor)
}

/// Whether a server of vim25 `version` knows `VslmCreateSpec.keepAfterDeleteVm`
/// (API 6.7 and later).
pub fn keeps_after_delete_vm(version: &str) -> bool {
    api_at_least(version, 6, 7)
}

/// The sidecar: what vicport knows about a volume beyond its disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeRecord {
    /// The sidecar format's version; its presence marks the volume as
    /// vicport's.
    pub vicport: u32,
    pub name: String,
    pub size_bytes: u64,
    pub backing: VolumeBacking,
    /// The disk file, `[ds] path.vmdk`.
    pub file: String,
    /// The First Class Disk's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fcd_id: Option<String>,
    pub datastore: String,
    pub labels: BTreeMap<String, String>,
    pub created: String,
}

/// The sidecar format written now.
const RECORD_VERSION: u32 = 1;

/// Where a volume lives.
#[derive(Debug, Clone, Copy)]
pub struct VolumeStore<'a> {
    pub session: &'a Session,
    pub files: Files<'a>,
    pub datastore: &'a MoRef,
    pub datastore_name: &'a str,
    pub datacenter: &'a MoRef,
    pub datacenter_name: &'a str,
}

impl<'a> VolumeStore<'a> {
    /// Record a create or remove of volume `name` in the event history.
    async fn post_event(&self, name: &str, action: &str, backing: VolumeBacking) {
        let place = events::VolumePlace {
            datacenter: self.datacenter,
            datacenter_name: self.datacenter_name,
            datastore: self.datastore,
            datastore_name: self.datastore_name,
        };
        events::post_volume_event(self.session, place, name, action, backing.as_str()).await;
    }

    fn dir(&self) -> DatastorePath {
        DatastorePath::new(self.datastore_name, VOLUME_DIR)
    }

    fn volume_dir(&self, name: &str) -> DatastorePath {
        self.dir().join(name)
    }

    /// A volume's sidecar; `None` when the volume has none (it does not
    /// exist, or its create was interrupted).
    pub async fn record(&self, name: &str) -> Result<Option<VolumeRecord>> {
        let Some(data) = self
            .files
            .read_all(&self.volume_dir(name).join(SIDECAR))
            .await?
        else {
            return Ok(None);
        };
        Ok(serde_json::from_slice::<VolumeRecord>(&data)
            .ok()
            .filter(|r| r.vicport >= 1 && r.name == name))
    }

    /// A volume that must exist.
    pub async fn require(&self, name: &str) -> Result<VolumeRecord> {
        name::validate("volume", name)?;
        self.record(name).await?.ok_or_else(|| {
            Error::not_found("volume", name)
                .with_hint("see `vicport volume ls`, or create it with `vicport volume create`")
        })
    }

    /// Every complete vicport volume: the directories under
    /// `vicport-volumes/` that hold a sidecar.
    pub async fn records(&self) -> Result<Vec<VolumeRecord>> {
        let entries = self.files.list(self.datastore, &self.dir()).await?;
        let mut out = Vec::new();
        for e in entries.iter().filter(|e| e.is_dir) {
            if name::validate("volume", &e.name).is_err() {
                continue;
            }
            if let Some(r) = self.record(&e.name).await? {
                out.push(r);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Make a volume: refuse a size of 0 or beyond the datastore's free
    /// space before anything is made, reserve the name, make the disk, and
    /// write the sidecar last.
    pub async fn create(&self, spec: &VolumeSpec, backing: VolumeBacking) -> Result<VolumeRecord> {
        name::validate("volume", &spec.name)?;
        if spec.size_bytes == 0 {
            return Err(Error::invalid(format!(
                "volume {:?}: a size of 0 is not a volume",
                spec.name
            ))
            .with_hint("give --size, e.g. --size 1GiB"));
        }
        let size_mb = spec.size_bytes.div_ceil(1 << 20);
        let size_bytes = size_mb << 20;
        let ds = vim::retrieve_one(self.session, self.datastore, &["summary.freeSpace"]).await?;
        if let Some(free) = ds.number("summary.freeSpace") {
            if size_bytes > free.max(0) as u64 {
                return Err(Error::invalid(format!(
                    "volume {:?}: {size_bytes} bytes do not fit in datastore {} ({free} bytes free)",
                    spec.name, self.datastore_name
                ))
                .with_hint("give a smaller --size, or free space on the datastore"));
            }
        }

        self.files.mkdir_p(&self.dir()).await?;
        let dir = self.volume_dir(&spec.name);
        if let Err(e) = self.files.mkdir(&dir, false).await {
            return Err(if super::datastore::already_exists(&e) {
                Error::taken(format!("volume {:?} already exists", spec.name)).with_hint(
                    "choose another name; if `vicport volume ls` does not show it, its create was interrupted: remove it with `vicport volume rm`",
                )
            } else {
                e
            });
        }
        let made = async {
            let (file, fcd_id) = match backing {
                VolumeBacking::Fcd => {
                    let (id, file) = self.create_fcd(&spec.name, size_mb).await?;
                    (file, Some(id))
                }
                VolumeBacking::Vmdk => {
                    let file = dir.join(&format!("{}.vmdk", spec.name));
                    self.create_vmdk(&file, size_mb).await?;
                    (file.to_string(), None)
                }
            };
            let record = VolumeRecord {
                vicport: RECORD_VERSION,
                name: spec.name.clone(),
                size_bytes,
                backing,
                file,
                fcd_id,
                datastore: self.datastore_name.to_string(),
                labels: spec.labels.clone(),
                created: spec::now(),
            };
            let json = serde_json::to_vec_pretty(&record)
                .map_err(|e| Error::other(format!("encoding the volume record: {e}")))?;
            if let Err(e) = self.files.write(&dir.join(SIDECAR), json).await {
                self.delete_disk(&record).await.ok();
                return Err(e);
            }
            self.post_event(&record.name, "create", backing).await;
            Ok(record)
        }
        .await;
        if made.is_err() {
            if let Err(e) = self.files.delete(&dir).await {
                tracing::debug!(target: "vicport::vsphere", dir = %dir, error = %e, "removing a half-made volume");
            }
        }
        made.map_err(|e| e.context(format!("creating volume {:?}", spec.name)))
    }

    async fn create_fcd(&self, name: &str, size_mb: u64) -> Result<(String, String)> {
        let vsom = self
            .session
            .content()
            .vstorage_object_manager
            .clone()
            .ok_or_else(|| Error::other("the target has no VStorageObjectManager"))?;
        let fcd_name = format!("{FCD_PREFIX}{name}");
        // keepAfterDeleteVm exists from API 6.7; a 6.5 vCenter refuses the
        // whole request for it ("Unexpected element tag"). There a disk is
        // kept anyway: vicport detaches volumes before it destroys a VM.
        let keep = keeps_after_delete_vm(&self.session.content().about.api_version);
        let result = vim::run_task(self.session, "CreateDisk_Task", &vsom, |w| {
            w.open("spec").text("name", &fcd_name);
            if keep {
                w.text("keepAfterDeleteVm", "true");
            }
            w.open_typed("backingSpec", "VslmCreateSpecDiskFileBackingSpec")
                .moref("datastore", self.datastore)
                .text("provisioningType", "thin")
                .close("backingSpec");
            w.text("capacityInMB", size_mb.to_string());
            w.close("spec");
        })
        .await?;
        let obj = result.ok_or_else(|| Error::other("CreateDisk_Task returned no disk"))?;
        let fcd = read_fcd(&obj)
            .ok_or_else(|| Error::other("CreateDisk_Task returned a disk without id or file"))?;
        Ok((fcd.id, fcd.file))
    }

    async fn create_vmdk(&self, file: &DatastorePath, size_mb: u64) -> Result<()> {
        let vdm = self
            .session
            .content()
            .virtual_disk_manager
            .clone()
            .ok_or_else(|| {
                Error::not_supported("VMDK volumes (no VirtualDiskManager)", "this target")
            })?;
        let name = file.to_string();
        vim::run_task(self.session, "CreateVirtualDisk_Task", &vdm, |w| {
            w.text("name", &name).moref("datacenter", self.datacenter);
            w.open_typed("spec", "FileBackedVirtualDiskSpec")
                .text("diskType", "thin")
                .text("adapterType", "lsiLogic")
                .text("capacityKb", (size_mb * 1024).to_string())
                .close("spec");
        })
        .await
        .map(drop)
        .map_err(Error::from)
    }

    /// Check that a First Class Disk is still there; its capacity in bytes.
    pub async fn fcd_capacity(&self, record: &VolumeRecord) -> Result<Option<u64>> {
        let (Some(id), Some(vsom)) = (
            record.fcd_id.as_deref(),
            self.session.content().vstorage_object_manager.clone(),
        ) else {
            return Ok(None);
        };
        let res = self
            .session
            .call("RetrieveVStorageObject", &vsom, |w| {
                w.open("id").text("id", id).close("id");
                w.moref("datastore", self.datastore);
            })
            .await;
        match res {
            Ok(node) => Ok(node
                .child("returnval")
                .and_then(|r| r.path(&["config", "capacityInMB"]))
                .and_then(|n| n.text.parse::<u64>().ok())
                .map(|mb| mb << 20)),
            Err(e) if matches!(e.fault_kind(), Some(FaultKind::NotFound)) => {
                Err(Error::invalid_state(format!(
                    "volume {:?} is broken: its First Class Disk {id} is gone",
                    record.name
                ))
                .with_hint("remove it with `vicport volume rm`"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Delete a volume's disk; one that is gone already is fine.
    async fn delete_disk(&self, record: &VolumeRecord) -> Result<()> {
        let result = match (record.backing, record.fcd_id.as_deref()) {
            (VolumeBacking::Fcd, Some(id)) => {
                let vsom = self
                    .session
                    .content()
                    .vstorage_object_manager
                    .clone()
                    .ok_or_else(|| Error::other("the target has no VStorageObjectManager"))?;
                vim::run_task(self.session, "DeleteVStorageObject_Task", &vsom, |w| {
                    w.open("id").text("id", id).close("id");
                    w.moref("datastore", self.datastore);
                })
                .await
            }
            _ => {
                let vdm = self
                    .session
                    .content()
                    .virtual_disk_manager
                    .clone()
                    .ok_or_else(|| Error::other("the target has no VirtualDiskManager"))?;
                vim::run_task(self.session, "DeleteVirtualDisk_Task", &vdm, |w| {
                    w.text("name", &record.file)
                        .moref("datacenter", self.datacenter);
                })
                .await
            }
        };
        match result {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.fault_kind(),
                    Some(FaultKind::FileNotFound | FaultKind::NotFound)
                ) =>
            {
                Ok(())
            }
            // vcsim answers an unknown FCD id with InvalidArgument.
            Err(e)
                if record.backing == VolumeBacking::Fcd
                    && matches!(e.fault_kind(), Some(FaultKind::InvalidArgument)) =>
            {
                Ok(())
            }
            Err(e) => Err(Error::from(e).context(format!("deleting volume {:?}", record.name))),
        }
    }

    /// Remove a volume: its disk, then its directory with the sidecar. A
    /// half-made volume (a directory without sidecar) is removed too.
    pub async fn remove(&self, name: &str) -> Result<()> {
        name::validate("volume", name)?;
        let dir = self.volume_dir(name);
        let record = self.record(name).await?;
        match &record {
            Some(record) => self.delete_disk(record).await?,
            None => {
                // No sidecar: a half-made volume, or none at all.
                let entries = self.files.list(self.datastore, &self.dir()).await?;
                if !entries.iter().any(|e| e.is_dir && e.name == name) {
                    return Err(Error::not_found("volume", name)
                        .with_hint("see `vicport volume ls` for the volumes of this target"));
                }
                let vmdk = dir.join(&format!("{name}.vmdk"));
                let _ = self
                    .delete_disk(&VolumeRecord {
                        vicport: RECORD_VERSION,
                        name: name.to_string(),
                        size_bytes: 0,
                        backing: VolumeBacking::Vmdk,
                        file: vmdk.to_string(),
                        fcd_id: None,
                        datastore: self.datastore_name.to_string(),
                        labels: BTreeMap::new(),
                        created: String::new(),
                    })
                    .await;
            }
        }
        match self.files.delete(&dir).await {
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // A half-made volume was never announced: its removal is not either.
        if let Some(record) = record {
            self.post_event(name, "remove", record.backing).await;
        }
        Ok(())
    }
}

/// What `volume ls/inspect` show for a record.
pub fn info(record: &VolumeRecord, used_by: Vec<String>) -> VolumeInfo {
    VolumeInfo {
        name: record.name.clone(),
        size_bytes: record.size_bytes,
        store: format!("[{}]", record.datastore),
        backing: record.backing.as_str().to_string(),
        labels: record.labels.clone(),
        created: record.created.clone(),
        used_by,
        platform_ref: PlatformRef {
            platform: "vsphere".into(),
            id: record.fcd_id.clone().unwrap_or_else(|| record.file.clone()),
            path: record.file.clone(),
        },
    }
}

/// A First Class Disk's id and backing file from a `VStorageObject`.
struct Fcd {
    id: String,
    file: String,
}

fn read_fcd(obj: &Node) -> Option<Fcd> {
    let config = obj.child("config")?;
    Some(Fcd {
        id: config.path(&["id", "id"])?.text.clone(),
        file: config.path(&["backing", "filePath"])?.text.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_compare() {
        assert!(api_at_least("6.5", 6, 5));
        assert!(api_at_least("7.0.3.0", 6, 5));
        assert!(!api_at_least("6.0", 6, 5));
        assert!(!api_at_least("", 6, 5));
    }

    #[test]
    fn records_round_trip() {
        let r = VolumeRecord {
            vicport: 1,
            name: "data".into(),
            size_bytes: 1 << 20,
            backing: VolumeBacking::Fcd,
            file: "[ds] fcd/x.vmdk".into(),
            fcd_id: Some("x".into()),
            datastore: "ds".into(),
            labels: BTreeMap::from([("a".into(), "1".into())]),
            created: "2026-01-01T00:00:00Z".into(),
        };
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains("\"backing\":\"fcd\""), "{text}");
        assert_eq!(serde_json::from_str::<VolumeRecord>(&text).unwrap(), r);
        let i = info(&r, vec!["web".into()]);
        assert_eq!((i.backing.as_str(), i.store.as_str()), ("fcd", "[ds]"));
    }
}
