//! The pieces of a VM's config spec that vicport writes: the SCSI
//! controller, the root and volume disks, serial ports, NICs, the vicport
//! keys in extraConfig, and the tether's volume and interface records.

use std::collections::BTreeMap;

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{DomainSpec, NetworkEndpoint};

use super::devices::{Backing, Device, DeviceChange, Kind};
use super::guest;
use super::images::ImageMarker;
use super::keys::{Interface, VolumeDisk};
use super::networks::Net;
use super::volumes::VolumeRecord;
use super::xml::XmlWriter;

/// The key and bus of the SCSI controller a new domain gets.
pub(super) const NEW_CONTROLLER_KEY: i32 = -100;
pub(super) const NEW_CONTROLLER_BUS: i32 = 0;

pub(super) fn scsi_controller() -> DeviceChange {
    DeviceChange::add(Device {
        key: NEW_CONTROLLER_KEY,
        kind: Kind::PvScsi {
            bus: NEW_CONTROLLER_BUS,
        },
        backing: None,
        controller_key: None,
        unit: None,
        start_connected: false,
    })
}

/// The root disk: a new child (delta) disk of the image's disk, made in
/// the VM's directory, with the image's capacity.
pub(super) fn root_disk(datastore: &str, image: &ImageMarker) -> DeviceChange {
    DeviceChange {
        operation: super::devices::Operation::Add,
        create_file: true,
        device: Device {
            key: -101,
            kind: Kind::Disk {
                capacity_kb: (image.disk_size_bytes / 1024) as i64,
                vdisk_id: None,
            },
            backing: Some(Backing::Disk {
                file: format!("[{datastore}]"),
                thin: true,
                parent: Some(image.disk.clone()),
            }),
            controller_key: Some(NEW_CONTROLLER_KEY),
            unit: Some(0),
            start_connected: false,
        },
    }
}

/// A serial port at `unit` of the VM's SIO controller (see [`guest`]).
pub(super) fn serial_port(key: i32, unit: i32, backing: Backing) -> DeviceChange {
    DeviceChange::add(Device {
        key,
        kind: Kind::Serial,
        backing: Some(backing),
        controller_key: Some(guest::SIO_CONTROLLER_KEY),
        unit: Some(unit),
        start_connected: true,
    })
}

/// A volume's existing disk on a SCSI controller: its file, and for a
/// First Class Disk its id.
pub(super) fn volume_disk(key: i32, controller: i32, unit: i32, v: &VolumeRecord) -> Device {
    Device {
        key,
        kind: Kind::Disk {
            capacity_kb: (v.size_bytes / 1024) as i64,
            vdisk_id: v.fcd_id.clone(),
        },
        backing: Some(Backing::Disk {
            file: v.file.clone(),
            thin: true,
            parent: None,
        }),
        controller_key: Some(controller),
        unit: Some(unit),
        start_connected: false,
    }
}

/// SCSI units not in `used`, in order (7 is the controller's own).
pub(super) fn free_units(used: &[i32]) -> impl Iterator<Item = i32> + '_ {
    (0..16).filter(move |u| *u != 7 && !used.contains(u))
}

pub(super) fn too_many_volumes(name: &str) -> Error {
    Error::invalid(format!(
        "domain {name:?} would have more disks than its SCSI controller takes (15)"
    ))
    .with_hint("join fewer volumes")
}

/// The tether's volume records of `spec`'s mounts whose disks are in
/// `placed` (record, controller key, unit, device key).
pub(super) fn volume_records(
    spec: &DomainSpec,
    placed: &[(&VolumeRecord, i32, i32, i32)],
    bus: i32,
) -> Vec<VolumeDisk> {
    let mut out: Vec<VolumeDisk> = spec
        .volumes
        .iter()
        .filter_map(|m| {
            let (v, _, unit, _) = placed.iter().find(|(v, ..)| v.name == m.volume)?;
            Some(VolumeDisk {
                volume: m.volume.clone(),
                path: m.path.clone(),
                read_only: m.read_only,
                backing: v.backing.as_str().to_string(),
                file: v.file.clone(),
                scsi_bus: bus,
                scsi_unit: *unit,
                format_if_blank: true,
            })
        })
        .collect();
    out.sort_by(|x, y| x.path.cmp(&y.path));
    out
}

/// The tether's interface records of endpoints on `nets` (same order).
pub(super) fn interface_records(
    endpoints: &[NetworkEndpoint],
    nets: &[Net],
) -> Result<Vec<Interface>> {
    endpoints
        .iter()
        .zip(nets)
        .map(|(e, net)| {
            let (Some(ip), Some(mac)) = (e.ip, e.mac.clone()) else {
                return Err(Error::other(format!(
                    "the endpoint on network {:?} has no address or MAC",
                    e.network
                )));
            };
            let pool = &net.doc.pool;
            Ok(Interface {
                network: e.network.clone(),
                mac,
                address: format!("{ip}/{}", pool.subnet.prefix_len()),
                gateway: (!net.doc.spec.internal).then_some(pool.gateway),
                dns: net.doc.spec.dns.clone(),
            })
        })
        .collect()
}

pub(super) fn nic(key: i32, endpoint: &NetworkEndpoint, backing: Backing) -> Device {
    Device {
        key,
        kind: Kind::Vmxnet3 {
            mac: endpoint.mac.clone(),
        },
        backing: Some(backing),
        controller_key: None,
        unit: None,
        start_connected: true,
    }
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::other(format!("encoding a record: {e}")))
}

pub(super) fn spec_json(spec: &DomainSpec) -> Result<String> {
    serde_json::to_string(spec).map_err(|e| Error::other(format!("encoding the domain spec: {e}")))
}

pub(super) fn write_extra_config(w: &mut XmlWriter, extra: &BTreeMap<String, String>) {
    for (k, v) in extra {
        w.open_typed("extraConfig", "OptionValue")
            .text("key", k)
            .typed_text("value", "xsd:string", v)
            .close("extraConfig");
    }
}
