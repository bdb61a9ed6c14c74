//! The host side of local bridge networks: the bridge (`vp-<id8>`) with
//! the gateway address, its own nftables table for outbound NAT and for
//! isolation from every other vicport bridge, and one tap per endpoint;
//! and which backing a new network gets.

use std::fs;
use std::path::Path;
use std::process::Command;

use ipnet::IpNet;
use sha2::{Digest, Sha256};

use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::spec::{DomainId, NetworkEndpoint};

use super::{BACKING_ENV, Backing, NetworkRecord, NetworkStore};

/// The tap of domain `domain`'s endpoint on network `network_id`: unique
/// on the host, and found again from the two ids alone (≤ 15 bytes).
pub fn tap_name(domain: &DomainId, network_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.0.as_bytes());
    h.update(b"/");
    h.update(network_id.as_bytes());
    format!("vt{}", &hex::encode(h.finalize())[..12])
}

/// Which backing a new network gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackingKind {
    Bridge,
    Socket,
}

/// The backing new networks get: [`BACKING_ENV`], else a bridge as root.
pub fn chosen_backing() -> Result<BackingKind> {
    match std::env::var(BACKING_ENV).ok().as_deref() {
        None | Some("") => Ok(if crate::plumbing::paths::is_system_root() {
            BackingKind::Bridge
        } else {
            BackingKind::Socket
        }),
        Some("bridge") => Ok(BackingKind::Bridge),
        Some("socket") => Ok(BackingKind::Socket),
        Some(other) => Err(Error::invalid(format!(
            "{BACKING_ENV}={other:?} is not a network backing"
        ))
        .with_hint("use bridge or socket, or unset it")),
    }
}

/// The nftables table of a bridge network: no forwarding between it and any
/// other vicport bridge (`vp-*`), nor anywhere at all when internal; outbound
/// NAT for its subnet otherwise.
pub fn ruleset(record: &NetworkRecord, bridge: &str) -> String {
    let table = record.table();
    let mut forward = Vec::new();
    if record.spec.internal {
        forward.push(format!("iifname \"{bridge}\" oifname != \"{bridge}\" drop"));
        forward.push(format!("oifname \"{bridge}\" iifname != \"{bridge}\" drop"));
    } else {
        forward.push(format!(
            "iifname \"{bridge}\" oifname != \"{bridge}\" oifname \"vp-*\" drop"
        ));
        forward.push(format!(
            "oifname \"{bridge}\" iifname != \"{bridge}\" iifname \"vp-*\" drop"
        ));
    }
    let mut s = format!(
        "add table ip {table}\ndelete table ip {table}\ntable ip {table} {{\n\
         \tchain forward {{\n\t\ttype filter hook forward priority filter; policy accept;\n"
    );
    for rule in forward {
        s.push_str(&format!("\t\t{rule}\n"));
    }
    s.push_str("\t}\n");
    if !record.spec.internal {
        s.push_str(&format!(
            "\tchain postrouting {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\
             \t\tip saddr {} oifname != \"{bridge}\" masquerade\n\t}}\n",
            record.spec.subnet
        ));
    }
    s.push_str("}\n");
    s
}

/// Refuse a subnet that overlaps an address of a host interface: routing
/// it to a bridge would cut the host off from that network.
pub(super) fn check_host_overlap(subnet: &IpNet) -> Result<()> {
    let out = Command::new(ip_tool())
        .args(["-j", "-4", "addr", "show"])
        .env("LC_ALL", "C")
        .output()
        .io_context(|| "listing the host's addresses (ip -j addr)".into())?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "ip -j addr show failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let links: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::other(format!("ip -j addr show printed no JSON: {e}")))?;
    for link in links.as_array().into_iter().flatten() {
        let ifname = link["ifname"].as_str().unwrap_or("?");
        for a in link["addr_info"].as_array().into_iter().flatten() {
            let (Some(local), Some(prefix)) = (a["local"].as_str(), a["prefixlen"].as_u64()) else {
                continue;
            };
            let Ok(net) = format!("{local}/{prefix}").parse::<IpNet>() else {
                continue;
            };
            let net = net.trunc();
            if net.contains(&subnet.network()) || subnet.contains(&net.network()) {
                return Err(Error::taken(format!(
                    "subnet {subnet} overlaps {local}/{prefix} on host interface {ifname}"
                ))
                .with_hint("choose a subnet this host does not use"));
            }
        }
    }
    Ok(())
}

fn ip_tool() -> &'static str {
    ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("ip")
}

/// Run `ip ARGS…`; a failure carries its stderr.
pub(super) fn ip(args: &[&str]) -> Result<()> {
    let out = Command::new(ip_tool())
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .io_context(|| "running ip (install iproute2)".into())?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let e = Error::other(format!("ip {} failed: {err}", args.join(" ")));
    Err(if crate::plumbing::paths::is_system_root() {
        e
    } else {
        e.with_hint("bridge networks need root; without root networks use QEMU's socket backing")
    })
}

pub(super) fn link_exists(name: &str) -> bool {
    Path::new("/sys/class/net").join(name).exists()
}

pub(super) fn nft_apply(script: &str) -> Result<()> {
    use std::io::Write;
    let nft = ["/usr/sbin/nft", "/sbin/nft"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("nft");
    let mut child = Command::new(nft)
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::io("running nft", e).with_hint("install nftables (apt-get install nftables)")
        })?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(script.as_bytes())
        .io_context(|| "writing the nftables rules".into())?;
    let out = child
        .wait_with_output()
        .io_context(|| "waiting for nft".into())?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "nft failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

pub(super) fn enable_forwarding() -> Result<()> {
    let path = "/proc/sys/net/ipv4/ip_forward";
    if fs::read_to_string(path).is_ok_and(|v| v.trim() == "1") {
        return Ok(());
    }
    fs::write(path, b"1").io_context(|| format!("enabling IPv4 forwarding ({path})"))
}

/// Remove a bridge network's host side: its nftables table and the bridge.
pub(super) fn remove_bridge(record: &NetworkRecord, bridge: &str) -> Result<()> {
    let table = record.table();
    if nft_apply(&format!("add table ip {table}\ndelete table ip {table}\n")).is_err() {
        tracing::debug!("no nftables table {table} to remove");
    }
    if link_exists(bridge) {
        ip(&["link", "del", "dev", bridge])?;
    }
    Ok(())
}

/// Best-effort removal of a network's host side (a failed create).
pub(super) fn teardown(record: &NetworkRecord) {
    if let Backing::Bridge { bridge } = &record.backing {
        let _ = remove_bridge(record, bridge);
    }
}

/// Create `tap` on `bridge`, up, replacing a leftover of the same name.
pub fn create_tap(tap: &str, bridge: &str) -> Result<()> {
    if link_exists(tap) {
        ip(&["link", "del", "dev", tap])?;
    }
    ip(&["tuntap", "add", "dev", tap, "mode", "tap"])?;
    let attached = ip(&["link", "set", "dev", tap, "master", bridge, "up"]);
    if attached.is_err() {
        delete_tap(tap);
    }
    attached
}

/// Delete a tap if it exists (best effort: a domain's end never fails on it).
pub fn delete_tap(tap: &str) {
    if link_exists(tap) {
        if let Err(e) = ip(&["link", "del", "dev", tap]) {
            tracing::warn!("deleting tap {tap}: {e}");
        }
    }
}

/// The taps a domain's endpoints would have, on the networks that exist.
pub fn taps_of(
    domain: &DomainId,
    endpoints: &[NetworkEndpoint],
    networks: &NetworkStore,
) -> Vec<String> {
    endpoints
        .iter()
        .filter_map(|e| networks.load(&e.network).ok())
        .filter(|r| matches!(r.backing, Backing::Bridge { .. }))
        .map(|r| tap_name(domain, &r.id))
        .collect()
}
