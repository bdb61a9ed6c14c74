//! The virtual devices of a containerVM as vim25 values: written with their
//! `xsi:type` (controllers, disk, CD-ROM with ISO backing, serial ports with
//! file or URI backing, vmxnet3 NICs) and read back from `config.hardware.device`.

use super::xml::{Node, XmlWriter};

/// A device's backing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backing {
    /// A flat VMDK; `parent` makes it a child (delta) disk of another.
    Disk {
        file: String,
        thin: bool,
        parent: Option<String>,
    },
    /// An ISO image on a datastore.
    Iso { file: String },
    /// A serial port writing to a datastore file.
    SerialFile { file: String },
    /// A network serial port: `tcp://:PORT` and `server`, or a client URI.
    SerialUri { uri: String, direction: String },
    /// A standard port group, by name.
    Network { name: String },
    /// A distributed port group.
    DvPort {
        switch_uuid: String,
        portgroup_key: String,
    },
}

/// What a device is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A paravirtual SCSI controller on `bus`.
    PvScsi {
        bus: i32,
    },
    /// A disk of `capacity_kb`; `vdisk_id` when it is a First Class Disk.
    Disk {
        capacity_kb: i64,
        vdisk_id: Option<String>,
    },
    Cdrom,
    Serial,
    /// A vmxnet3 NIC; `mac` when set by hand or assigned.
    Vmxnet3 {
        mac: Option<String>,
    },
    /// A device vicport does not model, by its vim25 type.
    Other(String),
}

/// One virtual device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Negative for a new device; vSphere assigns the real key.
    pub key: i32,
    pub kind: Kind,
    pub backing: Option<Backing>,
    pub controller_key: Option<i32>,
    pub unit: Option<i32>,
    /// Connect at power on (CD-ROM, NIC, serial ports).
    pub start_connected: bool,
}

impl Device {
    fn vim_type(&self) -> &str {
        match &self.kind {
            Kind::PvScsi { .. } => "ParaVirtualSCSIController",
            Kind::Disk { .. } => "VirtualDisk",
            Kind::Cdrom => "VirtualCdrom",
            Kind::Serial => "VirtualSerialPort",
            Kind::Vmxnet3 { .. } => "VirtualVmxnet3",
            Kind::Other(t) => t,
        }
    }

    /// Write as `<name xsi:type="...">`, fields in schema order.
    pub fn write(&self, w: &mut XmlWriter, name: &str) {
        w.open_typed(name, self.vim_type());
        w.text("key", self.key.to_string());
        if let Some(b) = &self.backing {
            write_backing(w, b);
        }
        if self.start_connected {
            w.open("connectable")
                .text("startConnected", "true")
                .text("allowGuestControl", "false")
                .text("connected", "true")
                .close("connectable");
        }
        if let Some(c) = self.controller_key {
            w.text("controllerKey", c.to_string());
        }
        if let Some(u) = self.unit {
            w.text("unitNumber", u.to_string());
        }
        match &self.kind {
            Kind::PvScsi { bus } => {
                w.text("busNumber", bus.to_string())
                    .text("hotAddRemove", "true")
                    .text("sharedBus", "noSharing");
            }
            Kind::Disk {
                capacity_kb,
                vdisk_id,
            } => {
                w.text("capacityInKB", capacity_kb.to_string());
                if let Some(id) = vdisk_id {
                    w.open("vDiskId").text("id", id).close("vDiskId");
                }
            }
            Kind::Serial => {
                w.text("yieldOnPoll", "true");
            }
            Kind::Vmxnet3 { mac } => match mac {
                Some(m) => {
                    w.text("addressType", "manual").text("macAddress", m);
                }
                None => {
                    w.text("addressType", "generated");
                }
            },
            Kind::Cdrom | Kind::Other(_) => {}
        }
        w.close(name);
    }

    /// Read one element of `config.hardware.device`.
    pub fn read(node: &Node) -> Device {
        let ty = node.xsi_type.clone().unwrap_or_default();
        let int = |name: &str| node.child_text(name).and_then(|t| t.parse().ok());
        let kind = match ty.as_str() {
            "ParaVirtualSCSIController" => Kind::PvScsi {
                bus: int("busNumber").unwrap_or(0),
            },
            "VirtualDisk" => Kind::Disk {
                capacity_kb: node
                    .child_text("capacityInKB")
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0),
                vdisk_id: node.path(&["vDiskId", "id"]).map(|n| n.text.clone()),
            },
            "VirtualCdrom" => Kind::Cdrom,
            "VirtualSerialPort" => Kind::Serial,
            "VirtualVmxnet3" => Kind::Vmxnet3 {
                mac: node.child_text("macAddress").map(str::to_string),
            },
            other => Kind::Other(other.to_string()),
        };
        Device {
            key: int("key").unwrap_or(0),
            kind,
            backing: node.child("backing").and_then(read_backing),
            controller_key: int("controllerKey"),
            unit: int("unitNumber"),
            start_connected: node
                .path(&["connectable", "startConnected"])
                .map(|n| n.text.as_str())
                == Some("true"),
        }
    }
}

fn write_backing(w: &mut XmlWriter, b: &Backing) {
    match b {
        Backing::Disk { file, thin, parent } => {
            w.open_typed("backing", "VirtualDiskFlatVer2BackingInfo")
                .text("fileName", file)
                .text("diskMode", "persistent")
                .text("thinProvisioned", if *thin { "true" } else { "false" });
            if let Some(p) = parent {
                w.open_typed("parent", "VirtualDiskFlatVer2BackingInfo")
                    .text("fileName", p)
                    .text("diskMode", "persistent")
                    .close("parent");
            }
            w.close("backing");
        }
        Backing::Iso { file } => {
            w.open_typed("backing", "VirtualCdromIsoBackingInfo")
                .text("fileName", file)
                .close("backing");
        }
        Backing::SerialFile { file } => {
            w.open_typed("backing", "VirtualSerialPortFileBackingInfo")
                .text("fileName", file)
                .close("backing");
        }
        Backing::SerialUri { uri, direction } => {
            w.open_typed("backing", "VirtualSerialPortURIBackingInfo")
                .text("serviceURI", uri)
                .text("direction", direction)
                .close("backing");
        }
        Backing::Network { name } => {
            w.open_typed("backing", "VirtualEthernetCardNetworkBackingInfo")
                .text("deviceName", name)
                .close("backing");
        }
        Backing::DvPort {
            switch_uuid,
            portgroup_key,
        } => {
            w.open_typed(
                "backing",
                "VirtualEthernetCardDistributedVirtualPortBackingInfo",
            )
            .open("port")
            .text("switchUuid", switch_uuid)
            .text("portgroupKey", portgroup_key)
            .close("port")
            .close("backing");
        }
    }
}

fn read_backing(b: &Node) -> Option<Backing> {
    let text = |name: &str| b.child_text(name).unwrap_or_default().to_string();
    Some(match b.xsi_type.as_deref()? {
        "VirtualDiskFlatVer2BackingInfo" => Backing::Disk {
            file: text("fileName"),
            thin: b.child_text("thinProvisioned") == Some("true"),
            parent: b.path(&["parent", "fileName"]).map(|n| n.text.clone()),
        },
        "VirtualCdromIsoBackingInfo" => Backing::Iso {
            file: text("fileName"),
        },
        "VirtualSerialPortFileBackingInfo" => Backing::SerialFile {
            file: text("fileName"),
        },
        "VirtualSerialPortURIBackingInfo" => Backing::SerialUri {
            uri: text("serviceURI"),
            direction: text("direction"),
        },
        "VirtualEthernetCardNetworkBackingInfo" => Backing::Network {
            name: text("deviceName"),
        },
        "VirtualEthernetCardDistributedVirtualPortBackingInfo" => Backing::DvPort {
            switch_uuid: b
                .path(&["port", "switchUuid"])
                .map(|n| n.text.clone())
                .unwrap_or_default(),
            portgroup_key: b
                .path(&["port", "portgroupKey"])
                .map(|n| n.text.clone())
                .unwrap_or_default(),
        },
        _ => return None,
    })
}

/// What a device change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Add,
    Remove,
    Edit,
}

/// One entry of `deviceChange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceChange {
    pub operation: Operation,
    /// Create the backing file (a new disk).
    pub create_file: bool,
    pub device: Device,
}

impl DeviceChange {
    /// Add a device.
    pub fn add(device: Device) -> Self {
        DeviceChange {
            operation: Operation::Add,
            create_file: false,
            device,
        }
    }

    /// Remove a device (a disk's file is kept).
    pub fn remove(device: Device) -> Self {
        DeviceChange {
            operation: Operation::Remove,
            create_file: false,
            device,
        }
    }

    /// Write as `<deviceChange>`.
    pub fn write(&self, w: &mut XmlWriter) {
        w.open("deviceChange");
        w.text(
            "operation",
            match self.operation {
                Operation::Add => "add",
                Operation::Remove => "remove",
                Operation::Edit => "edit",
            },
        );
        if self.create_file {
            w.text("fileOperation", "create");
        }
        self.device.write(w, "device");
        w.close("deviceChange");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::vsphere::xml;

    #[test]
    fn devices_round_trip_through_xml() {
        let devices = [
            Device {
                key: -100,
                kind: Kind::PvScsi { bus: 0 },
                backing: None,
                controller_key: Some(100),
                unit: None,
                start_connected: false,
            },
            Device {
                key: -101,
                kind: Kind::Disk {
                    capacity_kb: 1024,
                    vdisk_id: Some("fcd-1".into()),
                },
                backing: Some(Backing::Disk {
                    file: "[ds] web/web.vmdk".into(),
                    thin: true,
                    parent: Some("[ds] images/busybox.vmdk".into()),
                }),
                controller_key: Some(-100),
                unit: Some(0),
                start_connected: false,
            },
            Device {
                key: -200,
                kind: Kind::Cdrom,
                backing: Some(Backing::Iso {
                    file: "[ds] vicport/bootstrap.iso".into(),
                }),
                controller_key: Some(200),
                unit: Some(0),
                start_connected: true,
            },
            Device {
                key: -301,
                kind: Kind::Serial,
                backing: Some(Backing::SerialUri {
                    uri: "tcp://:2377".into(),
                    direction: "server".into(),
                }),
                controller_key: None,
                unit: None,
                start_connected: true,
            },
            Device {
                key: -400,
                kind: Kind::Vmxnet3 {
                    mac: Some("00:50:56:00:00:01".into()),
                },
                backing: Some(Backing::DvPort {
                    switch_uuid: "u-u-i-d".into(),
                    portgroup_key: "dvportgroup-1".into(),
                }),
                controller_key: None,
                unit: None,
                start_connected: true,
            },
        ];
        for d in devices {
            let mut w = XmlWriter::new();
            d.write(&mut w, "device");
            let text = format!(
                "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{}</r>",
                w.finish()
            );
            let node = xml::parse(&text).unwrap();
            assert_eq!(Device::read(&node.children[0]), d, "{text}");
        }
    }
}
