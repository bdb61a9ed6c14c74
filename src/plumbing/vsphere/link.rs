//! The tether link of a vSphere domain: its network-backed serial port
//! listens in server mode on the ESXi host that runs the VM, so vicport
//! connects over TCP to that host's management address on the domain's
//! port (`guestinfo.vicport.link_port`) and says Hello with the domain's
//! token. The host's firewall must let the connection in: its
//! `remoteSerialPort` ruleset is enabled through HostFirewallSystem when
//! it is off.

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs as _};
use std::time::{Duration, Instant};

use tether_protocol::client::{Client, ClientError};

use crate::plumbing::error::{Error, Result};

use super::session::Session;
use super::vim::{self, ObjectContent};
use super::xml::{MoRef, Node};

/// The host firewall ruleset that lets TCP in to network serial ports.
pub const FIREWALL_RULESET: &str = "remoteSerialPort";

/// How long one Hello may wait for its answer before vicport says Hello
/// again on a new connection (a booting tether may not read yet).
const HELLO_WAIT: Duration = Duration::from_secs(3);
/// How long one TCP connect may take.
const CONNECT_WAIT: Duration = Duration::from_secs(5);
/// Between attempts.
const RETRY_PAUSE: Duration = Duration::from_millis(300);

/// Where a domain's tether listens, and how to authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The host's address (management IP, else its name).
    pub host: String,
    pub port: u16,
    /// The host's name in the inventory, for messages.
    pub host_name: String,
    /// The token, raw.
    pub token: Vec<u8>,
}

/// The management address of a host, from its properties
/// `config.virtualNicManagerInfo.netConfig` (the VMkernel NICs selected
/// for management), else `config.network.vnic` (`vmk0`), else its name.
pub fn management_address(host: &ObjectContent) -> String {
    let ip_of = |nic: &Node| {
        nic.path(&["spec", "ip", "ipAddress"])
            .map(|n| n.text.trim().to_string())
            .filter(|ip| ip.parse::<IpAddr>().is_ok_and(|a| !a.is_unspecified()))
    };
    if let Some(configs) = host.props.get("config.virtualNicManagerInfo.netConfig") {
        for c in &configs.children {
            if c.child_text("nicType") != Some("management") {
                continue;
            }
            for selected in c.children("selectedVnic") {
                let found = c
                    .children("candidateVnic")
                    .find(|n| n.child_text("key") == Some(selected.text.as_str()))
                    .and_then(ip_of);
                if let Some(ip) = found {
                    return ip;
                }
            }
        }
    }
    if let Some(vnics) = host.props.get("config.network.vnic") {
        let mut nics: Vec<&Node> = vnics.children.iter().collect();
        nics.sort_by_key(|n| n.child_text("device") != Some("vmk0"));
        if let Some(ip) = nics.into_iter().find_map(ip_of) {
            return ip;
        }
    }
    host.text("name").unwrap_or_default().to_string()
}

/// The host properties [`management_address`] and the firewall need.
pub const HOST_PROPS: &[&str] = &[
    "name",
    "config.virtualNicManagerInfo.netConfig",
    "config.network.vnic",
    "configManager.firewallSystem",
];

/// Enable the `remoteSerialPort` ruleset of a host's firewall when it is
/// off. Returns whether it was enabled now.
pub async fn open_firewall(s: &Session, firewall: &MoRef) -> Result<bool> {
    let fw = vim::retrieve_one(s, firewall, &["firewallInfo"]).await?;
    let enabled = fw
        .props
        .get("firewallInfo")
        .into_iter()
        .flat_map(|info| info.children("ruleset"))
        .find(|r| r.child_text("key") == Some(FIREWALL_RULESET))
        .map(|r| r.child_text("enabled") == Some("true"));
    match enabled {
        Some(true) => Ok(false),
        // Unknown to this host: nothing to enable (and nothing to fear).
        None => Ok(false),
        Some(false) => {
            s.call("EnableRuleset", firewall, |w| {
                w.text("id", FIREWALL_RULESET);
            })
            .await
            .map_err(|e| {
                Error::from(e).context(format!(
                    "enabling the host firewall ruleset {FIREWALL_RULESET}"
                ))
            })?;
            Ok(true)
        }
    }
}

/// Connect and say Hello, again and again until `deadline`: a tether that
/// boots opens its port late and may miss a Hello, a host's serial port
/// listens only while the VM runs. A Hello that reached the port before
/// the tether made it raw is dropped, or arrives mangled and is refused:
/// a refusal is tried again too, and reported if it is the last word.
pub fn connect(endpoint: &Endpoint, deadline: Instant) -> Result<Client> {
    let mut refused = None;
    loop {
        let last = match attempt(endpoint) {
            Ok(client) => return Ok(client),
            Err(Attempt::Refused(why)) => {
                refused = Some(why.clone());
                why
            }
            Err(Attempt::Again(why)) => why,
        };
        if Instant::now() + RETRY_PAUSE >= deadline {
            if let Some(reason) = refused {
                return Err(Error::unreachable(format!(
                    "the domain's tether refused the link: {reason}"
                ))
                .with_hint("the domain's token does not match its tether's: recreate the domain"));
            }
            return Err(Error::unreachable(format!(
                "cannot reach the tether at {}:{} (host {}): {last}",
                endpoint.host, endpoint.port, endpoint.host_name
            ))
            .with_hint(format!(
                "the domain may still be booting (see console.log in its directory on the datastore), or the host's firewall ruleset {FIREWALL_RULESET} or the network between here and the host blocks port {}",
                endpoint.port
            )));
        }
        std::thread::sleep(RETRY_PAUSE);
    }
}

enum Attempt {
    /// Worth trying again.
    Again(String),
    /// The tether refused the Hello (tried again as well).
    Refused(String),
}

/// A TCP connection to the domain's serial port, nothing said yet.
pub fn open(endpoint: &Endpoint) -> std::result::Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = (endpoint.host.as_str(), endpoint.port)
        .to_socket_addrs()
        .map_err(|e| format!("resolving {}: {e}", endpoint.host))?
        .collect();
    let addr = addrs
        .first()
        .ok_or_else(|| format!("{} has no address", endpoint.host))?;
    let stream =
        TcpStream::connect_timeout(addr, CONNECT_WAIT).map_err(|e| format!("connecting: {e}"))?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

fn attempt(endpoint: &Endpoint) -> std::result::Result<Client, Attempt> {
    let stream = open(endpoint).map_err(Attempt::Again)?;
    stream
        .set_read_timeout(Some(HELLO_WAIT))
        .map_err(|e| Attempt::Again(format!("setting a timeout: {e}")))?;
    let handshake = Client::connect_tcp(&stream, &endpoint.token).map_err(|e| match e {
        ClientError::Refused(r) => Attempt::Refused(r),
        other => Attempt::Again(other.to_string()),
    })?;
    stream
        .set_read_timeout(None)
        .map_err(|e| Attempt::Again(format!("clearing the timeout: {e}")))?;
    Ok(handshake)
}

/// A link client failure as an error.
pub fn link_error(e: ClientError) -> Error {
    match e {
        ClientError::Refused(r) => Error::unreachable(format!("the domain refused the link: {r}")),
        ClientError::Timeout(what) => {
            Error::unreachable(format!("no answer from the domain to {what}"))
        }
        other => Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::vsphere::xml;

    fn host(props: &str) -> ObjectContent {
        let doc = xml::parse(&format!(
            "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{props}</r>"
        ))
        .unwrap();
        let mut o = ObjectContent::default();
        for p in &doc.children {
            o.props
                .insert(p.attr("path").unwrap().to_string(), p.clone());
        }
        o
    }

    #[test]
    fn the_management_nic_wins_then_vmk0_then_the_name() {
        let nic = |key: &str, dev: &str, ip: &str| {
            format!(
                "<candidateVnic><device>{dev}</device><key>{key}</key><spec><ip><ipAddress>{ip}</ipAddress></ip></spec></candidateVnic>"
            )
        };
        let o = host(&format!(
            "<v path=\"name\">esx1.example.com</v>\
             <v path=\"config.virtualNicManagerInfo.netConfig\">\
               <VirtualNicManagerNetConfig><nicType>vmotion</nicType>{}<selectedVnic>vm.k1</selectedVnic></VirtualNicManagerNetConfig>\
               <VirtualNicManagerNetConfig><nicType>management</nicType>{}{}<selectedVnic>m.k2</selectedVnic></VirtualNicManagerNetConfig>\
             </v>",
            nic("vm.k1", "vmk1", "10.0.0.1"),
            nic("m.k1", "vmk0", "10.0.0.2"),
            nic("m.k2", "vmk2", "10.0.0.3"),
        ));
        assert_eq!(management_address(&o), "10.0.0.3");
        let o = host(
            "<v path=\"name\">esx1</v><v path=\"config.network.vnic\">\
               <HostVirtualNic><device>vmk1</device><spec><ip><ipAddress>10.1.0.1</ipAddress></ip></spec></HostVirtualNic>\
               <HostVirtualNic><device>vmk0</device><spec><ip><ipAddress>10.1.0.2</ipAddress></ip></spec></HostVirtualNic>\
             </v>",
        );
        assert_eq!(management_address(&o), "10.1.0.2");
        let o = host(
            "<v path=\"name\">esx1.example.com</v><v path=\"config.network.vnic\">\
               <HostVirtualNic><device>vmk0</device><spec><ip><ipAddress>0.0.0.0</ipAddress></ip></spec></HostVirtualNic></v>",
        );
        assert_eq!(management_address(&o), "esx1.example.com");
    }

    #[test]
    fn a_refusal_is_tried_again_and_reported_at_the_deadline() {
        use tether_protocol::frame::write_frame;
        use tether_protocol::message::{Message, kind};
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        {
            let accepted = accepted.clone();
            std::thread::spawn(move || {
                for mut conn in l.incoming().flatten() {
                    accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let refused = Message::Refused {
                        reason: "wrong token for this domain".into(),
                    };
                    let _ = write_frame(&mut conn, kind::REFUSED, 0, &refused.encode_payload());
                }
            });
        }
        let e = Endpoint {
            host: "127.0.0.1".into(),
            port,
            host_name: "esx1".into(),
            token: vec![1; 32],
        };
        let err = connect(&e, Instant::now() + Duration::from_millis(1500)).unwrap_err();
        assert!(err.to_string().contains("wrong token"), "{err}");
        assert!(
            accepted.load(std::sync::atomic::Ordering::SeqCst) >= 2,
            "the refusal was not tried again"
        );
    }

    #[test]
    fn nothing_listening_is_unreachable_by_the_deadline() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let e = Endpoint {
            host: "127.0.0.1".into(),
            port,
            host_name: "esx1".into(),
            token: vec![1; 32],
        };
        let t = Instant::now();
        let err = connect(&e, Instant::now() + Duration::from_millis(800)).unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
        assert_eq!(err.kind(), crate::plumbing::error::ErrorKind::Unreachable);
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
    }
}
