//! Published ports: a port of this host forwarded to a port of a domain's
//! address on its first network (`--publish [HOST_IP:][HOST_PORT:]PORT[/PROTO]`,
//! docker's `-p`); without a host port, one the host chooses at each start.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};

/// A transport protocol a port is published for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    /// `tcp` or `udp`, as nftables and docker spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// One published port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortMapping {
    /// The host address it is published on; `None`: every address of the
    /// host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<Ipv4Addr>,
    /// The host's port; 0: one the host chooses at each start.
    pub host_port: u16,
    /// The domain's port.
    pub port: u16,
    pub protocol: Protocol,
}

const HINT: &str =
    "use [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp], e.g. 8080:80, 127.0.0.1:8080:80/tcp or 80";

impl PortMapping {
    /// Parse `[HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]`; a host port left out
    /// (`80`, `127.0.0.1::80`) is 0, chosen by the host.
    pub fn parse(spec: &str) -> Result<Self> {
        let bad = |why: String| {
            Error::invalid(format!("invalid published port {spec:?}: {why}")).with_hint(HINT)
        };
        let (ports, protocol) = match spec.rsplit_once('/') {
            None => (spec, Protocol::Tcp),
            Some((p, "tcp")) => (p, Protocol::Tcp),
            Some((p, "udp")) => (p, Protocol::Udp),
            Some((_, other)) => return Err(bad(format!("{other:?} is not tcp or udp"))),
        };
        let parts: Vec<&str> = ports.split(':').collect();
        let (host_ip, host_port, port) = match parts[..] {
            [p] => (None, "", p),
            [h, p] => (None, h, p),
            [ip, h, p] => {
                let ip = ip
                    .parse::<Ipv4Addr>()
                    .map_err(|_| bad(format!("{ip:?} is not an IPv4 address")))?;
                (Some(ip), h, p)
            }
            _ => return Err(bad("too many ':'".into())),
        };
        let number = |what: &str, text: &str| {
            text.parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| bad(format!("{what} {text:?} is not a port number (1-65535)")))
        };
        let host_port = match (host_port, parts.len()) {
            // `IP::PORT` and `PORT`; `:PORT` is a typo.
            ("", 1 | 3) => 0,
            (h, _) => number("host port", h)?,
        };
        Ok(PortMapping {
            host_ip: host_ip.filter(|ip| !ip.is_unspecified()),
            host_port,
            port: number("port", port)?,
            protocol,
        })
    }

    /// Whether `self` and `other` would need the same host port: same
    /// protocol and port, and an address in common (ports the host chooses
    /// never do).
    pub fn overlaps(&self, other: &PortMapping) -> bool {
        self.host_port != 0
            && self.protocol == other.protocol
            && self.host_port == other.host_port
            && (self.host_ip.is_none() || other.host_ip.is_none() || self.host_ip == other.host_ip)
    }
}

impl PortMapping {
    /// `ports` as one line, `0.0.0.0:8080->80/tcp, …`.
    pub fn list(ports: &[PortMapping]) -> String {
        ports
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for PortMapping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ip = self.host_ip.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let host = match self.host_port {
            0 => "*".to_string(),
            p => p.to_string(),
        };
        write!(f, "{ip}:{host}->{}/{}", self.port, self.protocol.as_str())
    }
}

/// Check a domain's published ports: no host port twice, and a network to
/// publish them to. `domain` names it (`domain "web"`).
pub fn validate_ports(domain: &str, ports: &[PortMapping], networks: usize) -> Result<()> {
    if ports.is_empty() {
        return Ok(());
    }
    if networks == 0 {
        return Err(Error::invalid(format!(
            "{domain} publishes ports ({}) but joins no network",
            ports[0]
        ))
        .with_hint("join a network with --network NET: ports go to the domain's address on its first network"));
    }
    for (i, a) in ports.iter().enumerate() {
        if let Some(b) = ports[..i].iter().find(|b| b.overlaps(a)) {
            return Err(Error::invalid(format!(
                "{domain} publishes host port {}/{} twice ({b} and {a})",
                a.host_port,
                a.protocol.as_str()
            ))
            .with_hint("publish each host port once"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    #[test]
    fn parses_docker_forms_and_refuses_the_rest_by_name() {
        let p = PortMapping::parse("8080:80").unwrap();
        assert_eq!(
            p,
            PortMapping {
                host_ip: None,
                host_port: 8080,
                port: 80,
                protocol: Protocol::Tcp
            }
        );
        assert_eq!(p.to_string(), "0.0.0.0:8080->80/tcp");
        let p = PortMapping::parse("127.0.0.1:5353:53/udp").unwrap();
        assert_eq!(p.host_ip, Some(Ipv4Addr::LOCALHOST));
        assert_eq!(p.protocol, Protocol::Udp);
        assert_eq!(p.to_string(), "127.0.0.1:5353->53/udp");
        // 0.0.0.0 is every address, as no address.
        assert_eq!(PortMapping::parse("0.0.0.0:1:2/tcp").unwrap().host_ip, None);
        let chosen = PortMapping::parse("80").unwrap();
        assert_eq!((chosen.host_port, chosen.port), (0, 80));
        assert_eq!(chosen.to_string(), "0.0.0.0:*->80/tcp");
        let chosen = PortMapping::parse("127.0.0.1::53/udp").unwrap();
        assert_eq!(chosen.to_string(), "127.0.0.1:*->53/udp");
        for (bad, why) in [
            (":80", "host port \"\""),
            ("8080:80/sctp", "\"sctp\" is not tcp or udp"),
            ("::1:8080:80", "too many"),
            ("localhost:8080:80", "not an IPv4 address"),
            ("0:80", "host port \"0\""),
            ("8080:65536", "port \"65536\""),
            ("8080:", "port \"\""),
        ] {
            let e = PortMapping::parse(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
            let text = e.to_string();
            assert!(text.contains(bad) && text.contains(why), "{bad}: {text}");
        }
    }

    #[test]
    fn a_host_port_is_published_once_and_only_with_a_network() {
        let p = |s| PortMapping::parse(s).unwrap();
        assert!(validate_ports("domain \"web\"", &[p("8080:80"), p("8080:80/udp")], 1).is_ok());
        assert!(
            validate_ports(
                "domain \"web\"",
                &[p("127.0.0.1:8080:80"), p("127.0.0.2:8080:81")],
                1
            )
            .is_ok()
        );
        let twice = validate_ports("domain \"web\"", &[p("8080:80"), p("127.0.0.1:8080:81")], 1)
            .unwrap_err();
        assert!(
            twice.to_string().contains("host port 8080/tcp twice"),
            "{twice}"
        );
        let alone = validate_ports("domain \"web\"", &[p("8080:80")], 0).unwrap_err();
        assert_eq!(alone.kind(), ErrorKind::InvalidArgument);
        assert!(alone.to_string().contains("joins no network"), "{alone}");
        assert!(validate_ports("domain \"web\"", &[], 0).is_ok());
        // Ports the host chooses are different ports.
        assert!(validate_ports("domain \"web\"", &[p("80"), p("81"), p("0.0.0.0::82")], 1).is_ok());
    }
}
