//! Network setup of the domain: loopback, interfaces found by MAC with
//! their IPv4 addresses and default route, and the container's
//! `/etc/hosts` and `/etc/resolv.conf`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use super::sys::Sys;
use tether_protocol::config::DomainConfig;

/// Interface names by lower-case MAC, from `/sys/class/net/*/address`.
pub fn interfaces_by_mac(sys: &dyn Sys) -> HashMap<String, String> {
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

/// Bring up loopback and every configured interface. Errors name the
/// interface; IPv6 addresses are reported as not configured (warnings).
pub fn configure(sys: &dyn Sys, cfg: &DomainConfig, wait: Duration) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    sys.link_up("lo")
        .map_err(|e| format!("cannot bring up lo: {e}"))?;
    let mut routed = false;
    for iface in &cfg.interfaces {
        let mut waited = Duration::ZERO;
        let name = loop {
            if let Some(n) = interfaces_by_mac(sys).remove(&iface.mac) {
                break n;
            }
            if waited >= wait {
                return Err(format!(
                    "no network interface with MAC {} (is its driver in the module manifest?)",
                    iface.mac
                ));
            }
            sys.sleep(Duration::from_millis(100));
            waited += Duration::from_millis(100);
        };
        for a in &iface.addresses {
            match a.addr {
                IpAddr::V4(v4) => sys
                    .add_ipv4(&name, v4, a.prefix)
                    .map_err(|e| format!("cannot set {a} on {name} ({}): {e}", iface.mac))?,
                IpAddr::V6(_) => warnings.push(format!(
                    "IPv6 address {a} on {name} not configured: not supported by this tether"
                )),
            }
        }
        sys.link_up(&name)
            .map_err(|e| format!("cannot bring up {name} ({}): {e}", iface.mac))?;
        if let (Some(IpAddr::V4(gw)), false) = (iface.gateway, routed) {
            sys.add_default_route(gw)
                .map_err(|e| format!("cannot add the default route via {gw} on {name}: {e}"))?;
            routed = true;
        }
    }
    Ok(warnings)
}

/// The container's `/etc/hosts`.
pub fn hosts_file(cfg: &DomainConfig, hostname: &str) -> String {
    let mut s = String::from("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    let own = cfg
        .interfaces
        .iter()
        .flat_map(|i| i.addresses.iter())
        .map(|a| a.addr)
        .next()
        .map(|a| a.to_string())
        .unwrap_or_else(|| "127.0.1.1".into());
    s.push_str(&format!("{own}\t{hostname}\n"));
    for h in &cfg.hosts {
        s.push_str(&format!("{}\t{}\n", h.address, h.names.join(" ")));
    }
    s
}

/// The container's `/etc/resolv.conf` (None without DNS settings).
pub fn resolv_conf(cfg: &DomainConfig) -> Option<String> {
    let mut servers: Vec<IpAddr> = Vec::new();
    let mut search: Vec<&str> = Vec::new();
    for i in &cfg.interfaces {
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
    fn hosts_and_resolv() {
        let c = cfg();
        let h = hosts_file(&c, "web");
        assert!(
            h.contains("10.1.0.5\tweb\n") && h.contains("10.1.0.9\tdb\n"),
            "{h}"
        );
        assert_eq!(
            resolv_conf(&c).unwrap(),
            "search svc.test\nnameserver 10.1.0.1\n"
        );
        assert_eq!(
            resolv_conf(&DomainConfig::new(vec![], PortSpec::File("x".into()))),
            None
        );
    }
}
