//! Where a vSphere containerVM's tether finds things: the locators of its
//! ports, disks and interfaces (from the domain's volume and interface
//! records) for the domain layer's config document, which goes into
//! `guestinfo.vicport.config` (base64), and the serial ports vicport gives
//! every domain.
//!
//! Serial ports, in unit order on the VM's SIO controller (COM1..COM3).
//! The config document names them logically (`serial:N`, the unit); the
//! Linux tether opens `ttySN`:
//!
//! | unit | config     | Linux guest | backing                        | for                |
//! |------|------------|-------------|--------------------------------|--------------------|
//! | 0    | -          | `ttyS0`     | file `[ds] <vm>/console.log`   | the kernel console |
//! | 1    | `serial:1` | `ttyS1`     | network, server, `tcp://:PORT` | the tether link    |
//! | 2    | `serial:2` | `ttyS2`     | file `[ds] <vm>/output.log`    | the CRI log        |
//!
//! The boot ISO says `console=ttyS0`, so kernel messages (and the tether's
//! own) go to COM1 and never into the link's frames or the container's log.

use base64::Engine as _;
use tether_protocol::config::{DiskSource, DomainConfig, IpPrefix, PortSpec};

use crate::plumbing::domain::guest::{Interface as GuestInterface, Locators, RootLocator};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::image::ROOT_LABEL;
use crate::plumbing::spec::DomainSpec;

use super::keys::{Interface, VolumeDisk};

/// The VM's SIO controller: where serial ports are attached.
pub const SIO_CONTROLLER_KEY: i32 = 400;
/// COM1: the kernel console.
pub const CONSOLE_UNIT: i32 = 0;
/// COM2: the tether link.
pub const LINK_UNIT: i32 = 1;
/// COM3: the log.
pub const LOG_UNIT: i32 = 2;
/// The link's port as the config document names it: the serial port at
/// the link's unit (COM2; the Linux tether opens `/dev/ttyS1`).
pub const LINK_PORT: PortSpec = PortSpec::Serial(LINK_UNIT as u32);
/// The log's port as the config document names it (COM3).
pub const LOG_PORT: PortSpec = PortSpec::Serial(LOG_UNIT as u32);
/// The file the console port writes, in the VM's directory.
pub const CONSOLE_FILE: &str = "console.log";
/// The file the log port writes, in the VM's directory.
pub const LOG_FILE: &str = "output.log";

/// Where a vSphere domain's ports, disks and interfaces are, from its
/// volume and interface records: the link and the log on COM2 and COM3,
/// the root disk by its label, volumes by their SCSI place, interfaces by
/// MAC.
pub fn locators(
    spec: &DomainSpec,
    volumes: &[VolumeDisk],
    interfaces: &[Interface],
) -> Result<Locators> {
    let volumes = spec
        .volumes
        .iter()
        .map(|m| {
            let v = volumes
                .iter()
                .find(|v| v.volume == m.volume)
                .ok_or_else(|| {
                    Error::other(format!(
                        "domain {:?} has no disk record for volume {:?}",
                        spec.name, m.volume
                    ))
                })?;
            Ok(DiskSource::Scsi {
                bus: u32::try_from(v.scsi_bus).map_err(|_| bad_place(v))?,
                unit: u32::try_from(v.scsi_unit).map_err(|_| bad_place(v))?,
            })
        })
        .collect::<Result<_>>()?;
    let interfaces = spec
        .networks
        .iter()
        .map(|e| {
            let i = interfaces
                .iter()
                .find(|i| i.network == e.network)
                .ok_or_else(|| {
                    Error::other(format!(
                        "domain {:?} has no interface record for network {:?}",
                        spec.name, e.network
                    ))
                })?;
            let address: IpPrefix = i.address.parse().map_err(|e| {
                Error::other(format!(
                    "the interface on network {:?} has a bad address: {e}",
                    i.network
                ))
            })?;
            Ok(GuestInterface {
                mac: i.mac.clone(),
                address,
                gateway: i.gateway,
                dns: i.dns.clone(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(Locators {
        link: LINK_PORT,
        log: Some(LOG_PORT),
        root: RootLocator::Disk(DiskSource::Label(ROOT_LABEL.into())),
        volumes,
        shares: Vec::new(),
        interfaces,
    })
}

fn bad_place(v: &VolumeDisk) -> Error {
    Error::other(format!(
        "volume {:?} has no valid SCSI place ({}:{})",
        v.volume, v.scsi_bus, v.scsi_unit
    ))
}

/// The document as `guestinfo.vicport.config` carries it.
pub fn encode(config: &DomainConfig) -> String {
    base64::engine::general_purpose::STANDARD.encode(config.encode())
}

/// Read `guestinfo.vicport.config` back (what the tether does at boot).
pub fn decode(value: &str) -> Result<DomainConfig> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| Error::other(format!("guestinfo.vicport.config is not base64: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::other("guestinfo.vicport.config is not UTF-8"))?;
    DomainConfig::decode(&text).map_err(|e| Error::other(format!("guestinfo.vicport.config: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locators_name_the_vsphere_ports_disks_and_nics() {
        use crate::plumbing::domain::guest;
        use crate::plumbing::spec::{DomainId, NetworkEndpoint, VolumeMount};
        let id = DomainId("ab".repeat(32));
        let mut s = DomainSpec::new("web", "busybox:latest");
        s.process.argv = vec!["/bin/sh".into(), "-c".into(), "echo hi".into()];
        s.volumes = vec![VolumeMount::parse("data:/data:ro").unwrap()];
        s.networks = vec![NetworkEndpoint::parse("backend").unwrap()];
        s.guest_mounts = vec![crate::plumbing::spec::GuestMount::shm(1 << 20)];
        let volumes = [VolumeDisk {
            volume: "data".into(),
            path: "/data".into(),
            read_only: true,
            backing: "fcd".into(),
            file: "[ds] x.vmdk".into(),
            scsi_bus: 0,
            scsi_unit: 1,
            format_if_blank: true,
        }];
        let nics = [Interface {
            network: "backend".into(),
            mac: "00:50:56:AA:BB:CC".into(),
            address: "10.0.9.2/24".into(),
            gateway: Some("10.0.9.1".parse().unwrap()),
            dns: vec!["10.0.0.53".parse().unwrap()],
        }];
        let at = locators(&s, &volumes, &nics).unwrap();
        let c = guest::config(&id, &s, &[0x0f; 32], &at, &[], true).unwrap();
        let back = decode(&encode(&c)).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.link, PortSpec::Serial(1));
        assert_eq!(back.log, Some(PortSpec::Serial(2)));
        let text = c.encode();
        assert!(text.contains("\nlink=serial:1\nlog=serial:2\n"), "{text}");
        assert_eq!(back.root, Some(DiskSource::Label("vicport-root".into())));
        assert_eq!(back.volumes[0].source, DiskSource::Scsi { bus: 0, unit: 1 });
        assert!(back.volumes[0].read_only);
        assert_eq!(back.interfaces[0].mac, "00:50:56:aa:bb:cc");
        assert_eq!(back.interfaces[0].addresses[0].to_string(), "10.0.9.2/24");
        // A guest mount keeps the source its mount table shows.
        assert_eq!(
            (
                back.mounts[0].fstype.as_str(),
                back.mounts[0].source.as_str()
            ),
            ("tmpfs", "shm")
        );

        let e = locators(&s, &[], &nics).unwrap_err();
        assert!(
            e.to_string().contains("no disk record for volume \"data\""),
            "{e}"
        );
    }
}
