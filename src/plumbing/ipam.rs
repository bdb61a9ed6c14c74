//! IP address management for networks, independent of the platform that
//! stores its state: subnet checks (valid, not overlapping another network),
//! the gateway and the allocatable range, and allocation that never hands out
//! an address twice. Platforms keep a `Pool` next to the network (a file
//! under a lock locally, the port group's own metadata on vSphere) and
//! change it only by read-modify-write under their concurrency control.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::NetworkSpec;

/// A network's addresses and who holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    pub subnet: IpNet,
    pub gateway: IpAddr,
    /// Addresses are handed out from here (defaults to the subnet).
    pub range: IpNet,
    /// Address → holder (a domain id).
    pub allocated: BTreeMap<IpAddr, String>,
}

/// Check a network spec on its own and against the subnets of the networks
/// that exist, and fill in its gateway. Returns the pool for the new network.
pub fn plan(spec: &NetworkSpec, existing: &[(String, IpNet)]) -> Result<Pool> {
    let subnet = spec.subnet.trunc();
    if subnet != spec.subnet {
        return Err(
            Error::invalid(format!("subnet {} has host bits set", spec.subnet))
                .with_hint(format!("did you mean {subnet}?")),
        );
    }
    let IpNet::V4(v4) = subnet else {
        return Err(Error::invalid(format!(
            "subnet {subnet}: only IPv4 subnets are supported"
        )));
    };
    if v4.prefix_len() > 30 || v4.prefix_len() < 8 {
        return Err(Error::invalid(format!(
            "subnet {subnet} must have a prefix between /8 and /30"
        ))
        .with_hint("e.g. --subnet 10.0.9.0/24"));
    }
    if v4.addr().is_loopback() || v4.addr().is_multicast() || v4.addr().is_unspecified() {
        return Err(Error::invalid(format!(
            "subnet {subnet} is not a unicast network"
        )));
    }
    for (name, other) in existing {
        if other.contains(&subnet.network()) || subnet.contains(&other.network()) {
            return Err(Error::taken(format!(
                "subnet {subnet} overlaps network {name:?} ({other})"
            ))
            .with_hint("choose a subnet that no other network uses"));
        }
    }
    let gateway = match spec.gateway {
        Some(g) => {
            if !usable(&subnet, g) {
                return Err(Error::invalid(format!(
                    "gateway {g} is not a host address of subnet {subnet}"
                )));
            }
            g
        }
        None => first_host(&subnet),
    };
    let range = match spec.ip_range {
        Some(r) => {
            if r.trunc() != r {
                return Err(Error::invalid(format!("ip range {r} has host bits set")));
            }
            if !subnet.contains(&r) {
                return Err(Error::invalid(format!(
                    "ip range {r} is not inside subnet {subnet}"
                )));
            }
            r
        }
        None => subnet,
    };
    let mut pool = Pool {
        subnet,
        gateway,
        range,
        allocated: BTreeMap::new(),
    };
    pool.allocated.insert(gateway, "gateway".into());
    if pool.free_count() == 0 {
        return Err(Error::invalid(format!(
            "ip range {range} leaves no address for domains"
        )));
    }
    Ok(pool)
}

/// Whether `ip` is a host address of `subnet` (not its network or
/// broadcast address).
fn usable(subnet: &IpNet, ip: IpAddr) -> bool {
    subnet.contains(&ip) && ip != subnet.network() && ip != subnet.broadcast()
}

fn first_host(subnet: &IpNet) -> IpAddr {
    subnet
        .hosts()
        .next()
        .expect("a /30 or larger subnet has hosts")
}

impl Pool {
    /// How many addresses of the range are still free.
    pub fn free_count(&self) -> usize {
        self.range
            .hosts()
            .filter(|ip| usable(&self.subnet, *ip) && !self.allocated.contains_key(ip))
            .count()
    }

    /// Give `holder` an address: `requested` when it is free and inside the
    /// subnet, else the lowest free one of the range. A holder that already
    /// has an address gets the same one again.
    pub fn allocate(&mut self, holder: &str, requested: Option<IpAddr>) -> Result<IpAddr> {
        if let Some((ip, _)) = self.allocated.iter().find(|(_, h)| *h == holder) {
            return match requested {
                Some(r) if r != *ip => Err(Error::taken(format!(
                    "{holder} already has address {ip} on this network"
                ))),
                _ => Ok(*ip),
            };
        }
        if let Some(ip) = requested {
            if !usable(&self.subnet, ip) {
                return Err(Error::invalid(format!(
                    "address {ip} is not a host address of subnet {}",
                    self.subnet
                )));
            }
            if let Some(other) = self.allocated.get(&ip) {
                return Err(
                    Error::taken(format!("address {ip} is already taken (by {other})"))
                        .with_hint("leave out the address to get a free one"),
                );
            }
            self.allocated.insert(ip, holder.to_string());
            return Ok(ip);
        }
        let ip = self
            .range
            .hosts()
            .find(|ip| usable(&self.subnet, *ip) && !self.allocated.contains_key(ip))
            .ok_or_else(|| {
                Error::conflict(format!("no free address left in {}", self.range))
                    .with_hint("disconnect domains, or create a network with a larger subnet")
            })?;
        self.allocated.insert(ip, holder.to_string());
        Ok(ip)
    }

    /// Release whatever `holder` holds.
    pub fn release(&mut self, holder: &str) {
        self.allocated.retain(|_, h| h != holder);
    }

    /// The holders (gateway excluded).
    pub fn holders(&self) -> impl Iterator<Item = (&IpAddr, &String)> {
        self.allocated.iter().filter(|(ip, _)| **ip != self.gateway)
    }
}

/// A locally administered, unicast MAC address for an interface, derived
/// from random bytes (QEMU's 52:54:00 prefix, so it reads as a VM NIC).
pub fn random_mac() -> String {
    let mut b = [0u8; 3];
    getrandom::fill(&mut b).expect("the OS random source is available");
    format!("52:54:00:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    fn spec(subnet: &str) -> NetworkSpec {
        NetworkSpec {
            name: "n".into(),
            subnet: subnet.parse().unwrap(),
            gateway: None,
            ip_range: None,
            dns: vec![],
            internal: false,
            labels: Default::default(),
        }
    }

    #[test]
    fn gateway_defaults_to_the_first_host() {
        let pool = plan(&spec("10.0.9.0/24"), &[]).unwrap();
        assert_eq!(pool.gateway, "10.0.9.1".parse::<IpAddr>().unwrap());
        assert_eq!(pool.free_count(), 253);
    }

    #[test]
    fn bad_subnets_are_refused() {
        for (s, kind) in [
            ("10.0.9.5/24", ErrorKind::InvalidArgument),
            ("10.0.0.0/31", ErrorKind::InvalidArgument),
            ("127.0.0.0/8", ErrorKind::InvalidArgument),
            ("fd00::/64", ErrorKind::InvalidArgument),
        ] {
            assert_eq!(plan(&spec(s), &[]).unwrap_err().kind(), kind, "{s}");
        }
        let existing = vec![("a".to_string(), "10.0.0.0/16".parse().unwrap())];
        let e = plan(&spec("10.0.9.0/24"), &existing).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        assert!(e.to_string().contains("overlaps network \"a\""));
        let e = plan(&spec("10.0.0.0/8"), &existing).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        plan(&spec("10.1.0.0/16"), &existing).unwrap();
    }

    #[test]
    fn gateway_and_range_are_checked() {
        let mut s = spec("10.0.9.0/24");
        s.gateway = Some("10.0.8.1".parse().unwrap());
        assert!(plan(&s, &[]).is_err());
        s.gateway = Some("10.0.9.255".parse().unwrap());
        assert!(plan(&s, &[]).is_err());
        s.gateway = Some("10.0.9.254".parse().unwrap());
        s.ip_range = Some("10.0.10.0/28".parse().unwrap());
        assert!(plan(&s, &[]).is_err());
        s.ip_range = Some("10.0.9.16/28".parse().unwrap());
        let mut pool = plan(&s, &[]).unwrap();
        assert_eq!(
            pool.allocate("d1", None).unwrap(),
            "10.0.9.17".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn allocation_never_repeats_and_honours_requests() {
        let mut pool = plan(&spec("10.0.9.0/29"), &[]).unwrap();
        // .1 is the gateway; .2-.6 are for domains.
        let req: IpAddr = "10.0.9.5".parse().unwrap();
        assert_eq!(pool.allocate("a", Some(req)).unwrap(), req);
        let e = pool.allocate("b", Some(req)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        let e = pool
            .allocate("b", Some("10.0.9.7".parse().unwrap()))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "broadcast");
        let e = pool
            .allocate("b", Some("10.0.8.7".parse().unwrap()))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "outside");
        let mut seen = std::collections::BTreeSet::new();
        seen.insert(req);
        for h in ["b", "c", "d", "e"] {
            assert!(seen.insert(pool.allocate(h, None).unwrap()));
        }
        assert_eq!(
            pool.allocate("f", None).unwrap_err().kind(),
            ErrorKind::Conflict
        );
        // Idempotent for the same holder.
        assert_eq!(pool.allocate("a", None).unwrap(), req);
        pool.release("a");
        assert_eq!(pool.allocate("f", None).unwrap(), req);
        assert_eq!(pool.holders().count(), 5);
    }

    #[test]
    fn macs_are_unicast_and_local_looking() {
        let m = random_mac();
        assert!(m.starts_with("52:54:00:"));
        assert_eq!(m.len(), 17);
    }
}
