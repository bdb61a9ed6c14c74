//! The tether's config document, built once from a domain's spec for every
//! platform: a platform supplies only where things are (its ports, disks and
//! interfaces: the [`Locators`]), never what the guest is told to do.

use std::net::IpAddr;

use tether_protocol::config::{
    DiskSource, DomainConfig, HostEntry, InterfaceConfig, IpPrefix, PortSpec, RootShare,
    ShareConfig, VolumeConfig,
};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{DomainId, DomainSpec};

/// ext4 keeps the first 16 bytes of a label.
pub const LABEL_MAX: usize = 16;

/// Where a domain's ports, disks and interfaces are on its platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locators {
    /// The tether link's port.
    pub link: PortSpec,
    /// The CRI log's port.
    pub log: Option<PortSpec>,
    /// The root: a disk (the image's ext4, or a child of it), or the tag
    /// of the shared root directory.
    pub root: RootLocator,
    /// One disk per mount of the spec, in the spec's order.
    pub volumes: Vec<DiskSource>,
    /// One share per host share of the spec, in the spec's order.
    pub shares: Vec<ShareLocator>,
    /// One interface per endpoint of the spec, in the spec's order.
    pub interfaces: Vec<Interface>,
}

/// Where a domain's root filesystem is on its platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootLocator {
    /// A root disk.
    Disk(DiskSource),
    /// The tag of the shared host directory (the spec's `root_dir`).
    Share(String),
}

/// Where one of the spec's host shares is on the platform: the tag of a
/// shared directory, and the path inside it ("" for all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareLocator {
    /// The shared directory's tag.
    pub tag: String,
    /// What inside it the share is.
    pub subpath: String,
}

/// A domain's interface on one of its networks: what the network says
/// about the endpoint's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// The NIC's MAC address.
    pub mac: String,
    /// The endpoint's address with the network's prefix length.
    pub address: IpPrefix,
    /// The default route through this network, when it has one.
    pub gateway: Option<IpAddr>,
    /// The network's DNS servers.
    pub dns: Vec<IpAddr>,
}

/// The domain's hostname: the one asked for, else its short id.
pub fn hostname(id: &DomainId, spec: &DomainSpec) -> String {
    spec.hostname
        .clone()
        .unwrap_or_else(|| id.short().to_string())
}

/// The label a volume's file system gets: the volume's name, cut to ext4's
/// 16 bytes at a character boundary (the tether cuts the same way, so both
/// ends agree whatever the name).
pub fn volume_label(name: &str) -> String {
    let mut end = name.len().min(LABEL_MAX);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// The config document of domain `id` with `spec`, its link `token`, its
/// platform's `locators`, and `hosts` for its /etc/hosts (the other domains
/// on its networks). `hold_primary` makes the primary wait for the first
/// attach, so an attached `run` sees all of its output.
///
/// Volumes: a blank disk (a new volume: zeros where signatures live) is
/// formatted ext4, labelled with the volume's name, by the tether at its
/// first read-write mount, on every platform; a disk that holds anything
/// but ext4 stops the boot and is left as it is.
pub fn config(
    id: &DomainId,
    spec: &DomainSpec,
    token: &[u8],
    locators: &Locators,
    hosts: &[HostEntry],
    hold_primary: bool,
) -> Result<DomainConfig> {
    if locators.volumes.len() != spec.volumes.len()
        || locators.interfaces.len() != spec.networks.len()
        || locators.shares.len() != spec.shares.len()
        || matches!(locators.root, RootLocator::Share(_)) != spec.root_dir.is_some()
    {
        return Err(Error::other(format!(
            "domain {:?}: {} volume, {} interface and {} share locators and a {} root for {} mounts, {} endpoints, {} shares and a {} root",
            spec.name,
            locators.volumes.len(),
            locators.interfaces.len(),
            locators.shares.len(),
            match locators.root {
                RootLocator::Disk(_) => "disk",
                RootLocator::Share(_) => "shared",
            },
            spec.volumes.len(),
            spec.networks.len(),
            spec.shares.len(),
            if spec.root_dir.is_some() {
                "shared"
            } else {
                "disk"
            },
        )));
    }
    let mut c = DomainConfig::new(token.to_vec(), locators.link.clone());
    c.id = id.to_string();
    c.name = spec.name.clone();
    c.hostname = hostname(id, spec);
    c.log = locators.log.clone();
    match &locators.root {
        RootLocator::Disk(disk) => {
            c.root = Some(disk.clone());
            // Removed as it stops: the guest need not flush the root disk.
            c.root_discarded = spec.auto_remove;
            c.root_read_only = spec.read_only;
        }
        RootLocator::Share(tag) => {
            c.root_share = Some(RootShare {
                tag: tag.clone(),
                read_only: spec.read_only || spec.root_dir.as_ref().is_some_and(|r| r.read_only),
            })
        }
    }
    c.shares = spec
        .shares
        .iter()
        .zip(&locators.shares)
        .map(|(s, at)| ShareConfig {
            tag: at.tag.clone(),
            subpath: at.subpath.clone(),
            path: s.path.clone(),
            read_only: s.read_only,
        })
        .collect();
    // Bound in the spec's order (an OCI bundle's mounts are made in the
    // order listed), except that a share inside another's path comes
    // after it: a stable sort by depth.
    c.shares
        .sort_by_key(|s| s.path.split('/').filter(|c| !c.is_empty()).count());
    c.process = spec.tether_process(hold_primary)?;
    c.volumes = spec
        .volumes
        .iter()
        .zip(&locators.volumes)
        .map(|(m, source)| VolumeConfig {
            source: source.clone(),
            path: m.path.clone(),
            read_only: m.read_only,
            // A read-only mount never writes, not even a file system.
            format: !m.read_only,
            label: volume_label(&m.volume),
        })
        .collect();
    // Mounted in this order: a volume inside another's path comes after it.
    c.volumes.sort_by(|a, b| a.path.cmp(&b.path));
    c.interfaces = locators.interfaces.iter().map(interface_config).collect();
    c.hosts = hosts.to_vec();
    c.dns = spec.dns.to_config();
    c.masked_paths = spec.masked_paths.clone();
    c.readonly_paths = spec.readonly_paths.clone();
    c.sysctl = spec
        .sysctl
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    c.root_propagation = spec.root_propagation.clone();
    c.devices = spec
        .devices
        .iter()
        .map(|d| tether_protocol::config::DeviceNode {
            kind: d.kind,
            major: d.major,
            minor: d.minor,
            mode: d.mode,
            uid: d.uid,
            gid: d.gid,
            path: d.path.clone(),
        })
        .collect();
    let map = |m: &[crate::plumbing::spec::IdMap]| {
        m.iter()
            .map(|m| tether_protocol::config::IdMap {
                container: m.container,
                host: m.host,
                size: m.size,
            })
            .collect()
    };
    c.uid_map = map(&spec.uid_map);
    c.gid_map = map(&spec.gid_map);
    c.pid_namespace = spec.pid_namespace;
    c.mounts = spec
        .guest_mounts
        .iter()
        .map(|m| tether_protocol::config::GuestMount {
            fstype: m.fstype.clone(),
            source: m.source.clone(),
            path: m.path.clone(),
            options: m.options.clone(),
        })
        .collect();
    Ok(c)
}

/// What the tether is told about an interface, at boot (`net.N.*`) and
/// when it joins a running domain (InterfaceUp).
pub fn interface_config(i: &Interface) -> InterfaceConfig {
    InterfaceConfig {
        mac: i.mac.to_ascii_lowercase(),
        addresses: vec![i.address],
        gateway: i.gateway,
        routes: Vec::new(),
        mtu: None,
        dns: i.dns.clone(),
        search: Vec::new(),
    }
}

/// A domain's link token from its stored hex form.
pub fn token(name: &str, hex_token: &str) -> Result<Vec<u8>> {
    hex::decode(hex_token)
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::invalid_state(format!("domain {name:?} has a damaged link token")).with_hint(
                format!("remove it and create it again: `vicport domain rm {name}`"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::spec::{NetworkEndpoint, VolumeMount};

    fn locators(volumes: usize, interfaces: usize) -> Locators {
        Locators {
            link: PortSpec::Virtio("org.vicport.link".into()),
            log: Some(PortSpec::Virtio("org.vicport.log".into())),
            root: RootLocator::Disk(DiskSource::Serial("vicport-root".into())),
            shares: Vec::new(),
            volumes: (0..volumes)
                .map(|i| DiskSource::Scsi {
                    bus: 0,
                    unit: i as u32 + 1,
                })
                .collect(),
            interfaces: (0..interfaces)
                .map(|i| Interface {
                    mac: format!("00:50:56:AA:BB:0{i}"),
                    address: IpPrefix {
                        addr: format!("10.0.9.{}", i + 2).parse().unwrap(),
                        prefix: 24,
                    },
                    gateway: Some("10.0.9.1".parse().unwrap()),
                    dns: vec!["10.0.0.53".parse().unwrap()],
                })
                .collect(),
        }
    }

    #[test]
    fn the_document_follows_the_spec_and_the_locators() {
        let id = DomainId("ab".repeat(32));
        let mut s = DomainSpec::new("web", "busybox:latest");
        s.process.argv = vec!["/bin/sh".into(), "-c".into(), "echo hi".into()];
        s.stop_signal = "SIGINT".into();
        s.volumes = vec![
            VolumeMount::parse("a-volume-with-a-long-name:/data").unwrap(),
            VolumeMount::parse("seed:/seed:ro").unwrap(),
        ];
        s.networks = vec![NetworkEndpoint::parse("backend").unwrap()];
        let hosts = [HostEntry {
            address: "10.0.9.3".parse().unwrap(),
            names: vec!["db".into()],
        }];
        let c = config(&id, &s, &[0x0f; 32], &locators(2, 1), &hosts, true).unwrap();
        let back = DomainConfig::decode(&c.encode()).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.hostname, "abababababab");
        assert_eq!(back.token, vec![0x0f; 32]);
        assert!(back.process.wait_for_attach);
        assert_eq!(back.process.stop_signal, tether_protocol::Signal::INT);
        assert_eq!(back.volumes[0].label, "a-volume-with-a-");
        assert!(back.volumes[0].format && !back.volumes[0].read_only);
        assert!(!back.volumes[1].format && back.volumes[1].read_only);
        assert_eq!(back.volumes[1].source, DiskSource::Scsi { bus: 0, unit: 2 });
        assert_eq!(back.interfaces[0].mac, "00:50:56:aa:bb:00");
        assert_eq!(back.interfaces[0].addresses[0].to_string(), "10.0.9.2/24");
        assert_eq!(back.hosts, hosts);
        assert!(!back.root_discarded);

        // Removed as it stops (`run --rm`): the guest is told its root disk
        // goes with it, and need not flush it.
        s.auto_remove = true;
        let c = config(&id, &s, &[0x0f; 32], &locators(2, 1), &hosts, true).unwrap();
        let back = DomainConfig::decode(&c.encode()).unwrap();
        assert!(back.root_discarded);
        assert!(c.encode().contains("\nroot.discarded=true\n"));
        assert!(!back.pid_namespace);

        // A pid namespace of its own (an OCI bundle's) is the guest's to make.
        s.pid_namespace = true;
        let c = config(&id, &s, &[0x0f; 32], &locators(2, 1), &hosts, true).unwrap();
        assert!(c.encode().contains("\npidns=true\n"));

        // `--read-only`: the guest mounts the root disk read-only.
        assert!(!back.root_read_only);
        s.read_only = true;
        let c = config(&id, &s, &[0x0f; 32], &locators(2, 1), &hosts, true).unwrap();
        assert!(DomainConfig::decode(&c.encode()).unwrap().root_read_only);

        // `--dns` and its kin: the guest's resolver settings.
        assert!(back.dns.is_empty());
        s.dns.servers = vec!["10.0.0.53".parse().unwrap()];
        s.dns.options = vec!["ndots:2".into()];
        let c = config(&id, &s, &[0x0f; 32], &locators(2, 1), &hosts, true).unwrap();
        let dns = DomainConfig::decode(&c.encode()).unwrap().dns;
        assert_eq!(
            (dns.servers, dns.options),
            (s.dns.servers.clone(), s.dns.options.clone())
        );

        let e = config(&id, &s, &[1], &locators(1, 1), &[], false).unwrap_err();
        assert!(
            e.to_string()
                .contains("1 volume, 1 interface and 0 share locators"),
            "{e}"
        );
    }

    #[test]
    fn labels_are_cut_to_16_bytes_at_a_character() {
        assert_eq!(volume_label("data"), "data");
        assert_eq!(volume_label("0123456789abcdefgh"), "0123456789abcdef");
        // 'é' is two bytes: the 16th byte would split one.
        assert_eq!(volume_label("ééééééééé"), "éééééééé");
    }

    #[test]
    fn a_damaged_token_is_refused() {
        assert_eq!(token("web", "0a0b").unwrap(), [10, 11]);
        for bad in ["", "zz", "abc"] {
            let e = token("web", bad).unwrap_err();
            assert!(e.hint().unwrap().contains("domain rm web"), "{e}");
        }
    }

    #[test]
    fn a_shared_root_and_shares_reach_the_document() {
        use crate::plumbing::spec::{HostRoot, HostShare};
        let id = DomainId("cd".repeat(32));
        let mut s = DomainSpec::new("c1", "");
        s.process.argv = vec!["/bin/sh".into()];
        s.root_dir = Some(HostRoot {
            path: "/var/lib/c1/rootfs".into(),
            read_only: true,
        });
        s.shares = vec![
            HostShare {
                source: "/run/c1/hosts".into(),
                path: "/etc/hosts".into(),
                read_only: false,
            },
            HostShare {
                source: "/srv/data".into(),
                path: "/data".into(),
                read_only: true,
            },
        ];
        let mut at = locators(0, 0);
        at.root = RootLocator::Share("vicport-root".into());
        at.shares = vec![
            ShareLocator {
                tag: "vicport-share-0".into(),
                subpath: "hosts".into(),
            },
            ShareLocator {
                tag: "vicport-share-1".into(),
                subpath: String::new(),
            },
        ];
        let c = config(&id, &s, &[1], &at, &[], true).unwrap();
        assert_eq!(c.root, None);
        assert_eq!(
            c.root_share,
            Some(RootShare {
                tag: "vicport-root".into(),
                read_only: true
            })
        );
        // Shallower first (/data before /etc/hosts), else in the spec's order.
        assert_eq!(c.shares[0].path, "/data");
        assert_eq!(c.shares[0].tag, "vicport-share-1");
        assert!(c.shares[0].read_only);
        assert_eq!(c.shares[1].subpath, "hosts");
        assert_eq!(DomainConfig::decode(&c.encode()).unwrap(), c);
        // A writable shared root made read-only by `--read-only`.
        s.root_dir.as_mut().unwrap().read_only = false;
        let rw = config(&id, &s, &[1], &at, &[], true).unwrap();
        assert!(!rw.root_share.unwrap().read_only);
        s.read_only = true;
        let ro = config(&id, &s, &[1], &at, &[], true).unwrap();
        assert!(ro.root_share.unwrap().read_only && !ro.root_read_only);
        // A disk locator for a shared root is the platform's mistake.
        let e = config(&id, &s, &[1], &locators(0, 0), &[], true).unwrap_err();
        assert!(e.to_string().contains("a disk root for"), "{e}");
    }
}
