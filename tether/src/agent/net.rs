//! Network setup of the domain: loopback, interfaces found by MAC with
//! their IPv4 addresses and default route, and the container's
//! `/etc/hosts` and `/etc/resolv.conf`. At boot ([`configure`]) and while
//! the domain runs (`netlive`), through the [`NetOps`] seam.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::sys::Sys;
use tether_protocol::config::{DomainConfig, HostEntry, InterfaceConfig};

/// What configuring interfaces needs: every [`Sys`] has it; serve mode's
/// stand-in for a guest has it without touching the host's interfaces.
pub trait NetOps: Send + Sync {
    /// The name of the interface whose MAC is `mac` (lower case), if any.
    fn interface_by_mac(&self, mac: &str) -> Option<String>;
    /// Assign an IPv4 address.
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()>;
    /// Delete an interface's IPv4 address.
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()>;
    /// Set an interface up.
    fn link_up(&self, ifname: &str) -> io::Result<()>;
    /// Set an interface down.
    fn link_down(&self, ifname: &str) -> io::Result<()>;
    /// Whether there is a default route.
    fn has_default_route(&self) -> bool;
    /// Add the default route.
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()>;
    /// Write a whole file.
    fn write_file(&self, path: &str, data: &[u8]) -> io::Result<()>;
    /// Sleep while waiting for an interface.
    fn sleep(&self, d: Duration);
}

impl<T: Sys + ?Sized> NetOps for T {
    fn interface_by_mac(&self, mac: &str) -> Option<String> {
        interfaces_by_mac(self).remove(&mac.to_ascii_lowercase())
    }
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
        Sys::add_ipv4(self, ifname, addr, prefix)
    }
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()> {
        Sys::clear_ipv4(self, ifname)
    }
    fn link_up(&self, ifname: &str) -> io::Result<()> {
        Sys::link_up(self, ifname)
    }
    fn link_down(&self, ifname: &str) -> io::Result<()> {
        Sys::link_down(self, ifname)
    }
    fn has_default_route(&self) -> bool {
        // /proc/net/route: Iface Destination Gateway ...; 00000000 is default.
        self.read_file("/proc/net/route")
            .map(|t| {
                String::from_utf8_lossy(&t)
                    .lines()
                    .skip(1)
                    .any(|l| l.split_whitespace().nth(1) == Some("00000000"))
            })
            .unwrap_or(false)
    }
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()> {
        Sys::add_default_route(self, gateway)
    }
    fn write_file(&self, path: &str, data: &[u8]) -> io::Result<()> {
        Sys::write_file(self, path, data)
    }
    fn sleep(&self, d: Duration) {
        Sys::sleep(self, d)
    }
}

/// Interface names by lower-case MAC, from `/sys/class/net/*/address`.
pub fn interfaces_by_mac(sys: &(impl Sys + ?Sized)) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for name in sys.read_dir("/sys/class/net").unwrap_or_default() {
        if let Ok(mac) = sys.read_file(&format!("/sys/class/net/{name}/address")) {
            out.insert(
                String::from_utf8_lossy(&mac).trim().to_ascii_lowercase(),
                name,
            );
        }
    }
    out
}

/// Wait up to `wait` for the interface with `mac` to appear; its name.
pub fn wait_for(ops: &(impl NetOps + ?Sized), mac: &str, wait: Duration) -> Result<String, String> {
    let step = Duration::from_millis(100);
    let mut waited = Duration::ZERO;
    loop {
        if let Some(n) = ops.interface_by_mac(mac) {
            return Ok(n);
        }
        if waited >= wait {
            return Err(format!(
                "no network interface with MAC {mac} appeared within {} ms (is its driver in the module manifest?)",
                wait.as_millis()
            ));
        }
        ops.sleep(step);
        waited += step;
    }
}

/// Configure one interface, found by MAC within `wait`: its IPv4
/// addresses, up, and the default route through its gateway when `route`.
/// Returns its name and warnings (IPv6 addresses are not configured). On
/// an error nothing stays configured on it.
pub fn bring_up(
    ops: &(impl NetOps + ?Sized),
    iface: &InterfaceConfig,
    wait: Duration,
    route: bool,
) -> Result<(String, Vec<String>), String> {
    let name = wait_for(ops, &iface.mac, wait)?;
    let mut warnings = Vec::new();
    let result = (|| {
        for a in &iface.addresses {
            match a.addr {
                IpAddr::V4(v4) => ops
                    .add_ipv4(&name, v4, a.prefix)
                    .map_err(|e| format!("cannot set {a} on {name} ({}): {e}", iface.mac))?,
                IpAddr::V6(_) => warnings.push(format!(
                    "IPv6 address {a} on {name} not configured: not supported by this tether"
                )),
            }
        }
        ops.link_up(&name)
            .map_err(|e| format!("cannot bring up {name} ({}): {e}", iface.mac))?;
        if let (Some(IpAddr::V4(gw)), true) = (iface.gateway, route) {
            ops.add_default_route(gw)
                .map_err(|e| format!("cannot add the default route via {gw} on {name}: {e}"))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok((name, warnings)),
        Err(e) => {
            take_down(ops, &name);
            Err(e)
        }
    }
}

/// Take an interface down and delete its IPv4 address (best effort: the
/// NIC may be gone already).
pub fn take_down(ops: &(impl NetOps + ?Sized), name: &str) {
    let _ = ops.clear_ipv4(name);
    let _ = ops.link_down(name);
}

/// Bring up loopback and every configured interface. Errors name the
/// interface; IPv6 addresses are reported as not configured (warnings).
pub fn configure(sys: &dyn Sys, cfg: &DomainConfig, wait: Duration) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    sys.link_up("lo")
        .map_err(|e| format!("cannot bring up lo: {e}"))?;
    let mut routed = false;
    for iface in &cfg.interfaces {
        let route = !routed && matches!(iface.gateway, Some(IpAddr::V4(_)));
        let (_, w) = bring_up(sys, iface, wait, route)?;
        routed |= route;
        warnings.extend(w);
    }
    Ok(warnings)
}

/// The container's `/etc/hosts`: loopback, this domain's first address
/// with its hostname, then the peers.
pub fn hosts_file(interfaces: &[InterfaceConfig], hosts: &[HostEntry], hostname: &str) -> String {
    let mut s = String::from("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    let own = interfaces
        .iter()
        .flat_map(|i| i.addresses.iter())
        .map(|a| a.addr)
        .next()
        .map(|a| a.to_string())
        .unwrap_or_else(|| "127.0.1.1".into());
    s.push_str(&format!("{own}\t{hostname}\n"));
    for h in hosts {
        s.push_str(&format!("{}\t{}\n", h.address, h.names.join(" ")));
    }
    s
}

/// The container's `/etc/resolv.conf` (None without DNS settings).
pub fn resolv_conf(interfaces: &[InterfaceConfig]) -> Option<String> {
    let mut servers: Vec<IpAddr> = Vec::new();
    let mut search: Vec<&str> = Vec::new();
    for i in interfaces {
        for d in &i.dns {
            if !servers.contains(d) {
                servers.push(*d);
            }
        }
        for s in &i.search {
            if !search.contains(&s.as_str()) {
                search.push(s);
            }
        }
    }
    if servers.is_empty() && search.is_empty() {
        return None;
    }
    let mut s = String::new();
    if !search.is_empty() {
        s.push_str(&format!("search {}\n", search.join(" ")));
    }
    for d in servers {
        s.push_str(&format!("nameserver {d}\n"));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;
    use tether_protocol::config::{HostEntry, InterfaceConfig, PortSpec};

    fn cfg() -> DomainConfig {
        let mut c = DomainConfig::new(vec![1], PortSpec::Virtio("l".into()));
        c.interfaces.push(InterfaceConfig {
            mac: "52:54:00:aa:bb:cc".into(),
            addresses: vec![
                "10.1.0.5/16".parse().unwrap(),
                "fd00::5/64".parse().unwrap(),
            ],
            gateway: Some("10.1.0.1".parse().unwrap()),
            dns: vec!["10.1.0.1".parse().unwrap()],
            search: vec!["svc.test".into()],
        });
        c.hosts.push(HostEntry {
            address: "10.1.0.9".parse().unwrap(),
            names: vec!["db".into()],
        });
        c
    }

    #[test]
    fn configures_by_mac() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/net/lo/address", "00:00:00:00:00:00\n");
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:AA:BB:CC\n");
        let w = configure(&sys, &cfg(), Duration::ZERO).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(
            sys.calls(),
            [
                "link_up lo",
                "add_ipv4 eth0 10.1.0.5/16",
                "link_up eth0",
                "default_route 10.1.0.1"
            ]
        );
    }

    #[test]
    fn a_missing_interface_is_an_error_naming_the_mac() {
        let sys = FakeSys::new();
        let e = configure(&sys, &cfg(), Duration::ZERO).unwrap_err();
        assert!(e.contains("52:54:00:aa:bb:cc"), "{e}");
    }

    #[test]
    fn a_failed_bring_up_leaves_nothing_configured() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/net/eth1/address", "52:54:00:aa:bb:cc\n");
        sys.fail("link_up eth1", libc::ENODEV);
        let e = bring_up(&sys, &cfg().interfaces[0], Duration::ZERO, true).unwrap_err();
        assert!(e.contains("cannot bring up eth1"), "{e}");
        assert_eq!(
            sys.calls(),
            [
                "add_ipv4 eth1 10.1.0.5/16",
                "link_up eth1",
                "clear_ipv4 eth1",
                "link_down eth1"
            ]
        );
    }

    #[test]
    fn hosts_and_resolv() {
        let c = cfg();
        let h = hosts_file(&c.interfaces, &c.hosts, "web");
        assert!(
            h.contains("10.1.0.5\tweb\n") && h.contains("10.1.0.9\tdb\n"),
            "{h}"
        );
        assert_eq!(
            resolv_conf(&c.interfaces).unwrap(),
            "search svc.test\nnameserver 10.1.0.1\n"
        );
        assert_eq!(resolv_conf(&[]), None);
    }
}
