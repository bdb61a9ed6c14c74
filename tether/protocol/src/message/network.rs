//! The payloads of the run-time network messages (protocol version 3): an
//! interface brought up or taken down while the domain runs, and the
//! domain's `/etc/hosts` entries for its peers. They carry the config
//! document's own shapes ([`InterfaceConfig`], [`HostEntry`]), in the same
//! text forms as the document (`10.0.0.2/24`, `10.0.0.3 db db.test`).

use std::net::IpAddr;

use crate::codec::{Dec, DecodeError, Enc};
use crate::config::{HostEntry, InterfaceConfig, IpPrefix, is_mac};

/// Bring up an interface that joined the running domain: the guest finds
/// it by its MAC (waiting up to `wait_ms` for the device to appear) and
/// configures it as the boot config would.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceUp {
    /// The interface, as the config document's `net.N.*` has it.
    pub interface: InterfaceConfig,
    /// The domain's peers for `/etc/hosts` after the change (they replace
    /// the config's `hosts.N` entries).
    pub hosts: Vec<HostEntry>,
    /// How long the guest waits for a NIC with that MAC to appear.
    pub wait_ms: u32,
}

/// Take down the interface with `mac`: its addresses go, it goes down, and
/// `/etc/hosts` gets `hosts` (the NIC itself leaves afterwards).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterfaceDown {
    /// The interface's MAC address.
    pub mac: String,
    /// The domain's peers for `/etc/hosts` after the change.
    pub hosts: Vec<HostEntry>,
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(T::to_string).collect()
}

fn mac(d: &mut Dec<'_>) -> Result<String, DecodeError> {
    let mac = d.string("mac")?;
    if !is_mac(&mac) {
        return Err(DecodeError::Invalid(format!(
            "`{mac}` is not a MAC address"
        )));
    }
    Ok(mac)
}

fn parsed<T: std::str::FromStr>(d: &mut Dec<'_>, what: &'static str) -> Result<Vec<T>, DecodeError>
where
    T::Err: std::fmt::Display,
{
    d.strings(what)?
        .iter()
        .map(|s| {
            s.parse::<T>()
                .map_err(|e| DecodeError::Invalid(format!("{what}: `{s}`: {e}")))
        })
        .collect()
}

/// `hosts`: a string list of `ADDRESS NAME [NAME...]`.
pub(super) fn encode_hosts(e: &mut Enc, hosts: &[HostEntry]) {
    e.strs(&strings(hosts));
}

pub(super) fn decode_hosts(d: &mut Dec<'_>) -> Result<Vec<HostEntry>, DecodeError> {
    parsed(d, "hosts")
}

/// mac, addresses, gateway ("" for none), dns, search, hosts, wait_ms
/// (no further routes or MTU: a network joined live has its gateway only,
/// on Ethernet's MTU).
pub(super) fn encode_up(e: &mut Enc, m: &InterfaceUp) {
    let i = &m.interface;
    e.str(&i.mac)
        .strs(&strings(&i.addresses))
        .str(&i.gateway.map(|g| g.to_string()).unwrap_or_default())
        .strs(&strings(&i.dns))
        .strs(&i.search);
    encode_hosts(e, &m.hosts);
    e.u32(m.wait_ms);
}

pub(super) fn decode_up(d: &mut Dec<'_>) -> Result<InterfaceUp, DecodeError> {
    let mac = mac(d)?;
    let addresses: Vec<IpPrefix> = parsed(d, "addresses")?;
    let gateway = match d.string("gateway")?.as_str() {
        "" => None,
        g => Some(
            g.parse::<IpAddr>()
                .map_err(|_| DecodeError::Invalid(format!("gateway `{g}` is not an address")))?,
        ),
    };
    let dns: Vec<IpAddr> = parsed(d, "dns")?;
    let search = d.strings("search")?;
    let hosts = decode_hosts(d)?;
    let wait_ms = d.u32("wait_ms")?;
    Ok(InterfaceUp {
        interface: InterfaceConfig {
            mac,
            addresses,
            gateway,
            routes: Vec::new(),
            mtu: None,
            dns,
            search,
        },
        hosts,
        wait_ms,
    })
}

/// mac, hosts.
pub(super) fn encode_down(e: &mut Enc, m: &InterfaceDown) {
    e.str(&m.mac);
    encode_hosts(e, &m.hosts);
}

pub(super) fn decode_down(d: &mut Dec<'_>) -> Result<InterfaceDown, DecodeError> {
    Ok(InterfaceDown {
        mac: mac(d)?,
        hosts: decode_hosts(d)?,
    })
}
