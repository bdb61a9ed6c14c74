//! Network setup of the domain: loopback, interfaces found by MAC with
//! their IPv4 and IPv6 addresses and routes, and the container's
//! `/etc/hosts` and `/etc/resolv.conf`. At boot ([`configure`]) and while
//! the domain runs (`netlive`), through the [`NetOps`] seam.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use super::sys::Sys;
use tether_protocol::config::{DnsConfig, DomainConfig, HostEntry, InterfaceConfig, RouteConfig};

/// What configuring interfaces needs: every [`Sys`] has it; serve mode's
/// stand-in for a guest has it without touching the host's interfaces.
pub trait NetOps: Send + Sync {
    /// The name of the interface whose MAC is `mac` (lower case), if any.
    fn interface_by_mac(&self, mac: &str) -> Option<String>;
    /// Assign an IPv4 address.
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()>;
    /// Delete an interface's IPv4 address.
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()>;
    /// Set an interface's MTU.
    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()>;
    /// Assign an IPv6 address (without duplicate address detection).
    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()>;
    /// Delete an interface's IPv6 addresses but its link-local one.
    fn clear_ipv6(&self, ifname: &str) -> io::Result<()>;
    /// Set an interface up.
    fn link_up(&self, ifname: &str) -> io::Result<()>;
    /// Set an interface down.
    fn link_down(&self, ifname: &str) -> io::Result<()>;
    /// Whether there is a default route of IPv6 (`v6`) or IPv4.
    fn has_default_route(&self, v6: bool) -> bool;
    /// Add the IPv4 default route.
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()>;
    /// Add a route through `ifname` (either family; an IPv6 default route).
    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()>;
    /// Write a whole file of the container under `root`
    /// ([`Sys::write_in_root`]).
    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()>;
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
    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()> {
        Sys::set_mtu(self, ifname, mtu)
    }
    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
        Sys::add_ipv6(self, ifname, addr, prefix)
    }
    fn clear_ipv6(&self, ifname: &str) -> io::Result<()> {
        Sys::clear_ipv6(self, ifname)
    }
    fn link_up(&self, ifname: &str) -> io::Result<()> {
        Sys::link_up(self, ifname)
    }
    fn link_down(&self, ifname: &str) -> io::Result<()> {
        Sys::link_down(self, ifname)
    }
    fn has_default_route(&self, v6: bool) -> bool {
        if v6 {
            return self
                .read_file("/proc/net/ipv6_route")
                .map(|t| has_ipv6_default(&String::from_utf8_lossy(&t)))
                .unwrap_or(false);
        }
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
    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()> {
        Sys::add_route(self, ifname, route)
    }
    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()> {
        Sys::write_in_root(self, root, path, data)
    }
    fn sleep(&self, d: Duration) {
        Sys::sleep(self, d)
    }
}

/// Whether `/proc/net/ipv6_route` (DEST PLEN SRC SPLEN NEXTHOP METRIC
/// REFCNT USE FLAGS DEV, hex) holds a default route: `::/0` through an
/// interface, not the kernel's own unreachable `::/0` on `lo`.
pub fn has_ipv6_default(table: &str) -> bool {
    const RTF_REJECT: u32 = 0x0200;
    table.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() >= 10
            && f[0].bytes().all(|b| b == b'0')
            && f[1] == "00"
            && f[9] != "lo"
            && u32::from_str_radix(f[8], 16).is_ok_and(|flags| flags & RTF_REJECT == 0)
    })
}

/// Which families' default routes an interface may add: each family's
/// first interface with one gets it (a second default would race the
/// first for the same destinations).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Defaults {
    /// IPv4's.
    pub v4: bool,
    /// IPv6's.
    pub v6: bool,
}

impl Defaults {
    /// The families whose default route the guest lacks now.
    pub fn missing(ops: &(impl NetOps + ?Sized)) -> Defaults {
        Defaults {
            v4: !ops.has_default_route(false),
            v6: !ops.has_default_route(true),
        }
    }

    /// The families `iface` has a default route of.
    pub fn of(iface: &InterfaceConfig) -> Defaults {
        let mut d = Defaults::default();
        for r in routes_of(iface).iter().filter(|r| r.dest.prefix == 0) {
            d.set(&r.via);
        }
        d
    }

    /// Whether the family of `via` is among these.
    pub fn allows(self, via: &IpAddr) -> bool {
        if via.is_ipv4() { self.v4 } else { self.v6 }
    }

    /// These without the family of `via`.
    pub fn without(mut self, via: &IpAddr) -> Defaults {
        if via.is_ipv4() {
            self.v4 = false;
        } else {
            self.v6 = false;
        }
        self
    }

    fn set(&mut self, via: &IpAddr) {
        if via.is_ipv4() {
            self.v4 = true;
        } else {
            self.v6 = true;
        }
    }
}

/// Every route of an interface: the default route through its gateway,
/// then the further ones.
pub fn routes_of(iface: &InterfaceConfig) -> Vec<RouteConfig> {
    iface
        .gateway
        .map(RouteConfig::default_via)
        .into_iter()
        .chain(iface.routes.iter().copied())
        .collect()
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

/// Configure one interface, found by MAC within `wait`: its MTU, its
/// addresses, up, its routes, a default route only of the families `defaults`
/// allows. Returns its name. On an error nothing stays configured on it.
pub fn bring_up(
    ops: &(impl NetOps + ?Sized),
    iface: &InterfaceConfig,
    wait: Duration,
    defaults: Defaults,
) -> Result<String, String> {
    let name = wait_for(ops, &iface.mac, wait)?;
    let result = (|| {
        if let Some(mtu) = iface.mtu {
            ops.set_mtu(&name, mtu)
                .map_err(|e| format!("cannot set MTU {mtu} on {name} ({}): {e}", iface.mac))?;
        }
        for a in &iface.addresses {
            match a.addr {
                IpAddr::V4(v4) => ops.add_ipv4(&name, v4, a.prefix),
                IpAddr::V6(v6) => ops.add_ipv6(&name, v6, a.prefix),
            }
            .map_err(|e| format!("cannot set {a} on {name} ({}): {e}", iface.mac))?;
        }
        ops.link_up(&name)
            .map_err(|e| format!("cannot bring up {name} ({}): {e}", iface.mac))?;
        for r in routes_of(iface) {
            if r.dest.prefix == 0 && !defaults.allows(&r.via) {
                continue;
            }
            let added = match r.via {
                IpAddr::V4(gw) if r.dest.prefix == 0 => ops.add_default_route(gw),
                _ => ops.add_route(&name, &r),
            };
            match added {
                // The same route is there already: the kernel made it from
                // a router advertisement that came in once the link was up
                // (slirp4netns sends them for its IPv6 default route).
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
                other => other.map_err(|e| format!("cannot add the route {r} on {name}: {e}"))?,
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(name),
        Err(e) => {
            take_down(ops, &name, iface);
            Err(e)
        }
    }
}

/// Take an interface down and delete its addresses (best effort: the NIC
/// may be gone already); routes through it go with its link.
pub fn take_down(ops: &(impl NetOps + ?Sized), name: &str, iface: &InterfaceConfig) {
    let _ = ops.clear_ipv4(name);
    if iface.addresses.iter().any(|a| a.addr.is_ipv6()) {
        let _ = ops.clear_ipv6(name);
    }
    let _ = ops.link_down(name);
}

/// Bring up loopback and every configured interface. Errors name the
/// interface.
pub fn configure(sys: &dyn Sys, cfg: &DomainConfig, wait: Duration) -> Result<(), String> {
    sys.link_up("lo")
        .map_err(|e| format!("cannot bring up lo: {e}"))?;
    let mut routed = Defaults::default();
    for iface in &cfg.interfaces {
        let allowed = Defaults {
            v4: !routed.v4,
            v6: !routed.v6,
        };
        bring_up(sys, iface, wait, allowed)?;
        let has = Defaults::of(iface);
        routed.v4 |= has.v4;
        routed.v6 |= has.v6;
    }
    Ok(())
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

/// The container's `/etc/resolv.conf` (None without DNS settings): the
/// interfaces' servers and search domains, unless the domain's own
/// (`own`) name some, which then stand alone; its options are its own.
pub fn resolv_conf(interfaces: &[InterfaceConfig], own: &DnsConfig) -> Option<String> {
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
    if !own.servers.is_empty() {
        servers = own.servers.clone();
    }
    if !own.search.is_empty() {
        search = own.search.iter().map(String::as_str).collect();
    }
    if servers.is_empty() && search.is_empty() && own.options.is_empty() {
        return None;
    }
    let mut s = String::new();
    if !search.is_empty() {
        s.push_str(&format!("search {}\n", search.join(" ")));
    }
    for d in servers {
        s.push_str(&format!("nameserver {d}\n"));
    }
    if !own.options.is_empty() {
        s.push_str(&format!("options {}\n", own.options.join(" ")));
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
            routes: Vec::new(),
            mtu: None,
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
        configure(&sys, &cfg(), Duration::ZERO).unwrap();
        assert_eq!(
            sys.calls(),
            [
                "link_up lo",
                "add_ipv4 eth0 10.1.0.5/16",
                "add_ipv6 eth0 fd00::5/64",
                "link_up eth0",
                "default_route 10.1.0.1"
            ]
        );
    }

    #[test]
    fn each_family_takes_its_first_default_route_and_every_other_route() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:aa:bb:cc\n");
        sys.add_file("/sys/class/net/eth1/address", "52:54:00:aa:bb:cd\n");
        let mut c = cfg();
        c.interfaces[0].routes = vec![
            "::/0 via fd00::1".parse().unwrap(),
            "10.8.0.0/16 via 10.1.0.254".parse().unwrap(),
        ];
        c.interfaces.push(InterfaceConfig {
            mac: "52:54:00:aa:bb:cd".into(),
            addresses: vec!["fd01::7/64".parse().unwrap()],
            gateway: Some("fd01::1".parse().unwrap()),
            routes: vec![
                "0.0.0.0/0 via 10.2.0.1".parse().unwrap(),
                "fd09::/48 via fd01::2".parse().unwrap(),
            ],
            mtu: Some(9000),
            ..InterfaceConfig::default()
        });
        configure(&sys, &c, Duration::ZERO).unwrap();
        assert_eq!(
            sys.calls()[1..],
            [
                "add_ipv4 eth0 10.1.0.5/16",
                "add_ipv6 eth0 fd00::5/64",
                "link_up eth0",
                "default_route 10.1.0.1",
                "route eth0 ::/0 via fd00::1",
                "route eth0 10.8.0.0/16 via 10.1.0.254",
                // eth1's default routes: both families have one already.
                "mtu eth1 9000",
                "add_ipv6 eth1 fd01::7/64",
                "link_up eth1",
                "route eth1 fd09::/48 via fd01::2",
            ]
        );
        assert_eq!(
            Defaults::of(&c.interfaces[1]),
            Defaults { v4: true, v6: true }
        );
    }

    #[test]
    fn a_route_the_kernel_made_already_is_kept_and_another_failure_is_not() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:aa:bb:cc\n");
        let mut c = cfg();
        c.interfaces[0].routes = vec![
            "::/0 via fe80::2".parse().unwrap(),
            "10.8.0.0/16 via 10.1.0.254".parse().unwrap(),
        ];
        // A router advertisement made the IPv6 default route first.
        sys.fail("route eth0 ::/0", libc::EEXIST);
        configure(&sys, &c, Duration::ZERO).unwrap();
        assert!(
            sys.calls()
                .contains(&"route eth0 10.8.0.0/16 via 10.1.0.254".to_string()),
            "{:?}",
            sys.calls()
        );
        let sys = FakeSys::new();
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:aa:bb:cc\n");
        sys.fail("route eth0 ::/0", libc::ENETUNREACH);
        let e = configure(&sys, &c, Duration::ZERO).unwrap_err();
        assert!(
            e.contains("cannot add the route ::/0 via fe80::2 on eth0"),
            "{e}"
        );
    }

    #[test]
    fn an_ipv6_default_route_is_one_through_an_interface() {
        let lo_only = "\
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
";
        assert!(!has_ipv6_default(lo_only));
        let routed = format!(
            "{lo_only}00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n"
        );
        assert!(has_ipv6_default(&routed));
        assert!(!has_ipv6_default(""));
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
        let e = bring_up(
            &sys,
            &cfg().interfaces[0],
            Duration::ZERO,
            Defaults::missing(&sys),
        )
        .unwrap_err();
        assert!(e.contains("cannot bring up eth1"), "{e}");
        assert_eq!(
            sys.calls(),
            [
                "add_ipv4 eth1 10.1.0.5/16",
                "add_ipv6 eth1 fd00::5/64",
                "link_up eth1",
                "clear_ipv4 eth1",
                "clear_ipv6 eth1",
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
        let none = DnsConfig::default();
        assert_eq!(
            resolv_conf(&c.interfaces, &none).unwrap(),
            "search svc.test\nnameserver 10.1.0.1\n"
        );
        assert_eq!(resolv_conf(&[], &none), None);
        // The domain's own servers replace the networks'; its search
        // domains too, when it names some; its options are added.
        let servers = DnsConfig {
            servers: vec!["9.9.9.9".parse().unwrap(), "fd00::53".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            resolv_conf(&c.interfaces, &servers).unwrap(),
            "search svc.test\nnameserver 9.9.9.9\nnameserver fd00::53\n"
        );
        let own = DnsConfig {
            search: vec!["a.example".into(), "b.example".into()],
            options: vec!["ndots:2".into()],
            ..servers
        };
        assert_eq!(
            resolv_conf(&c.interfaces, &own).unwrap(),
            "search a.example b.example\nnameserver 9.9.9.9\nnameserver fd00::53\noptions ndots:2\n"
        );
        // Without a network: the domain's settings alone.
        assert_eq!(
            resolv_conf(&[], &own).unwrap(),
            "search a.example b.example\nnameserver 9.9.9.9\nnameserver fd00::53\noptions ndots:2\n"
        );
    }
}
