//! Published ports of a local domain (`--publish`): an nftables table of
//! the domain's own (`vicport_pub_<id16>`) that forwards each host port to
//! the domain's address on its first network, a bridge network, while it
//! runs; and the host ports held by its monitor meanwhile, so that no
//! program of the host (or another domain) can take them unnoticed.
//!
//! Connections to any address of the host are forwarded, from outside
//! (`prerouting`) and from the host itself (`output`), 127.0.0.1 included:
//! the bridge gets `route_localnet` and such connections reach the domain
//! from the gateway's address. A domain that connects to a published port
//! of its own network's gateway also comes from the gateway (hairpin);
//! from outside, the client's address is kept. IPv4 only, as bridge
//! networks are.

use std::net::{IpAddr, Ipv4Addr, TcpListener, UdpSocket};
use std::os::fd::OwnedFd;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::local::store::Definition;
use crate::plumbing::spec::{DomainId, PortMapping, Protocol};

use super::host::nft_apply;
use super::{Backing, NetworkRecord, NetworkStore};

/// What a running domain publishes, as its start made it and its monitor
/// holds and removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The domain's nftables table.
    pub table: String,
    pub ports: Vec<PortMapping>,
    /// The domain's address on its first network.
    pub target: Ipv4Addr,
    /// That network's bridge and subnet, and the domain's tap on it.
    pub bridge: String,
    pub subnet: IpNet,
    pub tap: String,
}

/// The nftables table of domain `id`'s published ports.
pub fn table_of(id: &DomainId) -> String {
    format!("vicport_pub_{}", &id.0[..id.0.len().min(16)])
}

/// A domain that publishes ports has a bridge network that leads somewhere
/// for its first.
pub fn check_network(domain: &str, record: &NetworkRecord) -> Result<()> {
    let name = &record.spec.name;
    if !matches!(record.backing, Backing::Bridge { .. }) {
        return Err(Error::new(
            ErrorKind::NotSupported,
            format!(
                "domain {domain:?} publishes ports to network {name:?}, a socket network (QEMU's multicast, made without root), which the host does not reach"
            ),
        )
        .with_hint("publish ports to a bridge network: create one as root"));
    }
    if record.spec.internal {
        return Err(Error::invalid(format!(
            "domain {domain:?} publishes ports to network {name:?}, which is internal (nothing outside it reaches it)"
        ))
        .with_hint("join a network that is not internal first, or leave out --publish"));
    }
    Ok(())
}

impl Published {
    /// What `def` publishes, with the addresses its commit assigned; None
    /// when it publishes nothing.
    pub fn of(def: &Definition, networks: &NetworkStore) -> Result<Option<Self>> {
        let spec = &def.spec;
        let Some(first) = spec.networks.first().filter(|_| !spec.ports.is_empty()) else {
            return Ok(None);
        };
        let record = networks.load(&first.network)?;
        check_network(&spec.name, &record)?;
        let Backing::Bridge { bridge } = &record.backing else {
            unreachable!("checked above")
        };
        let Some(IpAddr::V4(target)) = first.ip else {
            return Err(Error::other(format!(
                "domain {:?} has no IPv4 address on network {:?}",
                spec.name, first.network
            )));
        };
        Ok(Some(Published {
            table: table_of(&def.id),
            ports: spec.ports.clone(),
            target,
            bridge: bridge.clone(),
            subnet: record.spec.subnet,
            tap: super::tap_name(&def.id, &record.id),
        }))
    }

    /// The table, replacing one of the same name (a start after a crash).
    pub fn ruleset(&self) -> String {
        let (table, bridge, target) = (&self.table, &self.bridge, self.target);
        let mut dnat = String::new();
        for p in &self.ports {
            let to = match p.host_ip {
                Some(ip) => format!("ip daddr {ip}"),
                None => "fib daddr type local".to_string(),
            };
            dnat.push_str(&format!(
                "\t\t{to} {proto} dport {} dnat to {target}:{}\n",
                p.host_port,
                p.port,
                proto = p.protocol.as_str()
            ));
        }
        format!(
            "add table ip {table}\ndelete table ip {table}\ntable ip {table} {{\n\
             \tchain prerouting {{\n\t\ttype nat hook prerouting priority -100; policy accept;\n{dnat}\t}}\n\
             \tchain output {{\n\t\ttype nat hook output priority -100; policy accept;\n{dnat}\t}}\n\
             \tchain postrouting {{\n\t\ttype nat hook postrouting priority 100; policy accept;\n\
             \t\toifname \"{bridge}\" ip saddr 127.0.0.0/8 ip daddr {target} masquerade\n\
             \t\toifname \"{bridge}\" ip saddr {subnet} ip daddr {target} ct status dnat masquerade\n\
             \t}}\n}}\n",
            subnet = self.subnet
        )
    }

    /// Make the table, let the bridge carry 127.0.0.1's connections, and
    /// let the domain's tap take back what came from it: with
    /// `br_netfilter` (which container engines load) a connection of the
    /// domain to its own published port is forwarded by the bridge, back
    /// out of the port it came in on.
    pub fn apply(&self) -> Result<()> {
        let sysctl = format!("/proc/sys/net/ipv4/conf/{}/route_localnet", self.bridge);
        std::fs::write(&sysctl, b"1").map_err(|e| {
            Error::io(
                format!("letting bridge {} carry 127.0.0.1 ({sysctl})", self.bridge),
                e,
            )
        })?;
        super::ip(&[
            "link",
            "set",
            "dev",
            &self.tap,
            "type",
            "bridge_slave",
            "hairpin",
            "on",
        ])?;
        nft_apply(&self.ruleset()).map_err(|e| e.context("publishing ports (nftables)"))
    }

    /// Take each host port (a listening TCP socket that never accepts, a
    /// bound UDP one: what is forwarded never reaches them), or fail with
    /// the first that is in use; `holder` names a domain that publishes a
    /// port too. A port for the host to choose (0) becomes the one it chose.
    pub fn reserve(
        &mut self,
        holder: &dyn Fn(&PortMapping) -> Option<String>,
    ) -> Result<Vec<OwnedFd>> {
        self.ports
            .iter_mut()
            .map(|p| {
                let ip = p.host_ip.unwrap_or(Ipv4Addr::UNSPECIFIED);
                let taken = match p.protocol {
                    Protocol::Tcp => TcpListener::bind((ip, p.host_port))
                        .and_then(|s| Ok((s.local_addr()?.port(), OwnedFd::from(s)))),
                    Protocol::Udp => UdpSocket::bind((ip, p.host_port))
                        .and_then(|s| Ok((s.local_addr()?.port(), OwnedFd::from(s)))),
                };
                let (port, fd) = taken.map_err(|e| refusal(p, e, holder(p)))?;
                p.host_port = port;
                Ok(fd)
            })
            .collect()
    }
}

/// Why host port `p` could not be taken.
fn refusal(p: &PortMapping, e: std::io::Error, holder: Option<String>) -> Error {
    let what = format!(
        "host port {}/{}{}",
        p.host_port,
        p.protocol.as_str(),
        p.host_ip.map(|ip| format!(" on {ip}")).unwrap_or_default()
    );
    match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            let by = match holder {
                Some(d) => format!("domain {d:?} publishes it"),
                None => "a program of this host holds it".into(),
            };
            Error::taken(format!("{what} is in use: {by}"))
                .with_hint("publish another host port, or stop what holds it")
        }
        std::io::ErrorKind::AddrNotAvailable => Error::invalid(format!(
            "{what}: {} is not an address of this host",
            p.host_ip.unwrap_or(Ipv4Addr::UNSPECIFIED)
        ))
        .with_hint("publish on one of this host's addresses, or on all (HOST_PORT:PORT)"),
        std::io::ErrorKind::PermissionDenied => {
            Error::io(format!("taking {what}"), e).with_hint("ports below 1024 need root")
        }
        _ => Error::io(format!("taking {what}"), e),
    }
}

/// Remove a domain's table of published ports, if there is one.
pub fn remove(table: &str) {
    if nft_apply(&format!("add table ip {table}\ndelete table ip {table}\n")).is_err() {
        tracing::debug!("no nftables table {table} to remove");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(ports: &[&str]) -> Published {
        Published {
            table: "vicport_pub_0123456789abcdef".into(),
            ports: ports
                .iter()
                .map(|p| PortMapping::parse(p).unwrap())
                .collect(),
            target: Ipv4Addr::new(10, 9, 0, 2),
            bridge: "vp-1234abcd".into(),
            subnet: "10.9.0.0/24".parse().unwrap(),
            tap: "vt0123456789ab".into(),
        }
    }

    #[test]
    fn the_table_forwards_each_port_from_outside_and_from_the_host() {
        let rules = published(&["8080:80", "127.0.0.1:5353:53/udp"]).ruleset();
        // Replaces a table of the same name, in one nft transaction.
        assert!(rules.starts_with(
            "add table ip vicport_pub_0123456789abcdef\ndelete table ip vicport_pub_0123456789abcdef\n"
        ));
        for hook in ["prerouting", "output"] {
            let chain = rules.split(&format!("chain {hook} {{")).nth(1).unwrap();
            let chain = chain.split('}').next().unwrap();
            assert!(
                chain.contains(&format!("type nat hook {hook} priority -100;")),
                "{chain}"
            );
            assert!(
                chain.contains("fib daddr type local tcp dport 8080 dnat to 10.9.0.2:80"),
                "{chain}"
            );
            assert!(
                chain.contains("ip daddr 127.0.0.1 udp dport 5353 dnat to 10.9.0.2:53"),
                "{chain}"
            );
        }
        // 127.0.0.1's connections and the network's own (hairpin) come
        // from the gateway; others keep their address.
        assert!(
            rules.contains(
                "oifname \"vp-1234abcd\" ip saddr 127.0.0.0/8 ip daddr 10.9.0.2 masquerade"
            )
        );
        assert!(rules.contains(
            "oifname \"vp-1234abcd\" ip saddr 10.9.0.0/24 ip daddr 10.9.0.2 ct status dnat masquerade"
        ));
        assert_eq!(rules.matches("masquerade").count(), 2);
    }

    #[test]
    fn a_port_in_use_is_refused_naming_its_holder() {
        let held = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = held.local_addr().unwrap().port();
        let mut p = published(&[&format!("127.0.0.1:{port}:80")]);
        let e = p.reserve(&|_| None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        assert!(
            e.to_string().contains(&format!(
                "host port {port}/tcp on 127.0.0.1 is in use: a program of this host holds it"
            )),
            "{e}"
        );
        let e = p.reserve(&|_| Some("web".into())).unwrap_err();
        assert!(e.to_string().contains("domain \"web\" publishes it"), "{e}");
        drop(held);
        // Free: taken, and held until the descriptors are dropped.
        let fds = p.reserve(&|_| None).unwrap();
        assert_eq!(fds.len(), 1);
        assert!(TcpListener::bind(("127.0.0.1", port)).is_err());
        drop(fds);
        assert!(TcpListener::bind(("127.0.0.1", port)).is_ok());
        let elsewhere = published(&["203.0.113.9:8080:80"])
            .reserve(&|_| None)
            .unwrap_err();
        assert_eq!(elsewhere.kind(), ErrorKind::InvalidArgument);
        // A port for the host to choose: the one it chose, held.
        let mut chosen = published(&["127.0.0.1::80", "127.0.0.1::53/udp"]);
        let fds = chosen.reserve(&|_| None).unwrap();
        let (tcp, udp) = (chosen.ports[0].host_port, chosen.ports[1].host_port);
        assert!(tcp != 0 && udp != 0, "{:?}", chosen.ports);
        assert!(TcpListener::bind(("127.0.0.1", tcp)).is_err());
        assert!(UdpSocket::bind(("127.0.0.1", udp)).is_err());
        assert!(
            chosen
                .ruleset()
                .contains(&format!("tcp dport {tcp} dnat to 10.9.0.2:80"))
        );
        drop(fds);
    }
}
