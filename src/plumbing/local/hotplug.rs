//! NICs that join or leave a running local domain: QMP `netdev_add` and
//! `device_add` of a `virtio-net-pci` on a free PCIe root port (see
//! `qemu::SPARE_NIC_PORTS`), with its tap; `device_del` (the guest's
//! `pciehp` lets it go) and `netdev_del` to remove it. Run as steps of the
//! domain's commit, under its lock: a NIC is plugged once its address is
//! taken and before the definition is written, and a failed write unplugs
//! it again, so a commit never leaves half a NIC.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::NetworkEndpoint;

use super::network::{self, Backing, EndpointSteps, NetworkStore};
use super::qemu::{self, Nic, NicBackend};
use super::qmp::{Qmp, QmpError};
use super::store::{CommitSteps, Definition};

/// How long the guest may take to let a NIC go (`pciehp` waits 5 s after
/// the attention button before it powers the slot off).
const UNPLUG_WAIT: Duration = Duration::from_secs(20);

/// A NIC and the tap it needs on a bridge, if any.
#[derive(Debug, Clone)]
struct Plug {
    nic: Nic,
    tap: Option<(String, String)>,
}

/// The NIC of `endpoint` (address and MAC given) of domain `def`.
fn plug_of(networks: &NetworkStore, def: &Definition, ep: &NetworkEndpoint) -> Result<Plug> {
    let record = networks.load(&ep.network)?;
    let mac = ep
        .mac
        .clone()
        .ok_or_else(|| Error::other(format!("the endpoint on {:?} has no MAC", ep.network)))?;
    Ok(match &record.backing {
        Backing::Bridge { bridge } => {
            networks.ensure(&record)?;
            let tap = network::tap_name(&def.id, &record.id);
            Plug {
                nic: Nic {
                    mac,
                    backend: NicBackend::Tap {
                        ifname: tap.clone(),
                    },
                },
                tap: Some((tap, bridge.clone())),
            }
        }
        Backing::Socket { group } => Plug {
            nic: Nic {
                mac,
                backend: NicBackend::Multicast {
                    group: group.clone(),
                },
            },
            tap: None,
        },
    })
}

/// Plug `p` into the running QEMU of `dir`: its tap, its backend, the
/// device on the first free root port. Nothing stays when it fails.
fn plug(dir: &Path, p: &Plug) -> Result<()> {
    if let Some((tap, bridge)) = &p.tap {
        network::create_tap(tap, bridge)?;
    }
    let plugged = (|| {
        let mut qmp = Qmp::connect(dir)?;
        let (device, netdev) = qemu::nic_ids(&p.nic.mac);
        let mut backend = json!({"id": netdev});
        match &p.nic.backend {
            NicBackend::Tap { ifname } => {
                backend["type"] = json!("tap");
                backend["ifname"] = json!(ifname);
                backend["script"] = json!("no");
                backend["downscript"] = json!("no");
            }
            NicBackend::Multicast { group } => {
                backend["type"] = json!("socket");
                backend["mcast"] = json!(group);
            }
        }
        qmp.execute("netdev_add", backend)?;
        let ports = free_ports(&mut qmp)?;
        let Some(port) = ports.first() else {
            let _ = qmp.execute("netdev_del", json!({"id": netdev}));
            return Err(Error::invalid_state(format!(
                "the domain has no free PCIe port left for another NIC ({} spare ones are made at start)",
                qemu::SPARE_NIC_PORTS
            ))
            .with_hint("stop the domain and connect it then: a start makes ports for every network"));
        };
        let added = qmp.execute(
            "device_add",
            json!({"driver": "virtio-net-pci", "id": device, "netdev": netdev,
                   "mac": p.nic.mac, "bus": port}),
        );
        if let Err(e) = added {
            let _ = qmp.execute("netdev_del", json!({"id": netdev}));
            return Err(e);
        }
        Ok(())
    })();
    if plugged.is_err() {
        if let Some((tap, _)) = &p.tap {
            network::delete_tap(tap);
        }
    }
    plugged.map_err(|e| e.context("hot-plugging the NIC"))
}

/// The root ports for NICs that hold no device, in order.
fn free_ports(qmp: &mut Qmp) -> Result<Vec<String>> {
    let busy: Vec<String> = qmp
        .execute("query-pci", json!({}))?
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|bus| bus["devices"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| {
            let bridge = d.get("pci_bridge")?;
            let devices = bridge["devices"].as_array()?;
            (!devices.is_empty()).then(|| d["qdev_id"].as_str().unwrap_or("").to_string())
        })
        .collect();
    let mut free = Vec::new();
    for n in 0.. {
        let port = qemu::nic_port(n);
        let exists = qmp
            .execute(
                "qom-get",
                json!({"path": format!("/machine/peripheral/{port}"), "property": "chassis"}),
            )
            .is_ok();
        if !exists {
            break;
        }
        if !busy.contains(&port) {
            free.push(port);
        }
    }
    Ok(free)
}

/// Take the NIC with `mac` out of the running QEMU of `dir`, and its tap.
fn unplug(dir: &Path, mac: &str, tap: Option<&str>) -> Result<()> {
    let mut qmp = Qmp::connect(dir)?;
    let (device, netdev) = qemu::nic_ids(mac);
    match qmp.execute("device_del", json!({"id": device})) {
        Ok(_) => qmp
            .wait_event(
                "DEVICE_DELETED",
                |d: &Value| d["device"].as_str() == Some(&device),
                UNPLUG_WAIT,
            )
            .map_err(|e| {
                e.context(format!("the guest did not let NIC {mac} go"))
                    .with_hint("stop the domain and disconnect it then")
            })?,
        // Not there (a retry): only its backend may be left.
        Err(e) if matches!(QmpError::of(&e), Some(QmpError::Refused { class, .. }) if class == "DeviceNotFound") =>
            {}
        Err(e) => return Err(e.context(format!("removing NIC {mac}"))),
    }
    let _ = qmp.execute("netdev_del", json!({"id": netdev}));
    if let Some(tap) = tap {
        network::delete_tap(tap);
    }
    Ok(())
}

/// The commit steps of a running domain's network change: the endpoint
/// steps (addresses), then the NICs plugged and unplugged.
#[derive(Debug)]
pub struct LiveSteps<'a> {
    endpoints: EndpointSteps<'a>,
    networks: &'a NetworkStore,
    dir: PathBuf,
    plugged: Vec<Plug>,
}

impl<'a> LiveSteps<'a> {
    /// Steps for a commit of the running domain in `dir`.
    pub fn new(endpoints: EndpointSteps<'a>, networks: &'a NetworkStore, dir: PathBuf) -> Self {
        LiveSteps {
            endpoints,
            networks,
            dir,
            plugged: Vec::new(),
        }
    }

    fn unplug_plugged(&mut self) {
        for p in self.plugged.drain(..).rev() {
            let tap = p.tap.as_ref().map(|(t, _)| t.as_str());
            if let Err(e) = unplug(&self.dir, &p.nic.mac, tap) {
                tracing::warn!("taking back NIC {}: {e}", p.nic.mac);
            }
        }
    }
}

impl CommitSteps for LiveSteps<'_> {
    fn prepare(&mut self, current: &Definition, next: &mut Definition) -> Result<()> {
        self.endpoints.prepare(current, next)?;
        let joined: Vec<NetworkEndpoint> = next
            .spec
            .networks
            .iter()
            .filter(|e| !current.spec.networks.iter().any(|o| o.network == e.network))
            .cloned()
            .collect();
        let left: Vec<NetworkEndpoint> = current
            .spec
            .networks
            .iter()
            .filter(|e| !next.spec.networks.iter().any(|o| o.network == e.network))
            .cloned()
            .collect();
        let done = (|| {
            for ep in &joined {
                let p = plug_of(self.networks, next, ep)?;
                plug(&self.dir, &p)?;
                self.plugged.push(p);
            }
            for ep in &left {
                let tap = self
                    .networks
                    .load(&ep.network)
                    .ok()
                    .filter(|r| matches!(r.backing, Backing::Bridge { .. }))
                    .map(|r| network::tap_name(&current.id, &r.id));
                if let Some(mac) = &ep.mac {
                    unplug(&self.dir, mac, tap.as_deref())?;
                }
            }
            Ok(())
        })();
        if let Err(e) = done {
            self.unplug_plugged();
            self.endpoints.abort(next);
            return Err(e);
        }
        Ok(())
    }

    fn abort(&mut self, next: &Definition) {
        self.unplug_plugged();
        self.endpoints.abort(next);
    }

    fn written(&mut self, current: &Definition, next: &Definition) {
        self.plugged.clear();
        self.endpoints.written(current, next);
    }
}
