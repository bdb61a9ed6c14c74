//! The client's side of protocol version 3's run-time network messages:
//! an interface brought up or taken down while the domain runs, and the
//! domain's `/etc/hosts` entries for its peers.

use std::time::Duration;

use super::{Client, ClientError};
use crate::config::{HostEntry, InterfaceConfig};
use crate::message::{InterfaceDown, InterfaceUp, Message};

impl Client {
    /// Bring up an interface that joined the running domain (protocol
    /// version 3): the tether waits up to `wait` for a NIC with its MAC,
    /// configures it, and rewrites `/etc/hosts` with `hosts`. Returns the
    /// guest's name for the interface.
    pub fn interface_up(
        &self,
        interface: &InterfaceConfig,
        hosts: &[HostEntry],
        wait: Duration,
    ) -> Result<String, ClientError> {
        let m = Message::InterfaceUp(InterfaceUp {
            interface: interface.clone(),
            hosts: hosts.to_vec(),
            wait_ms: wait.as_millis().min(u32::MAX as u128) as u32,
        });
        self.network_request(&m, "InterfaceUp", self.timeout + wait)
    }

    /// Take down the interface with `mac` before its NIC leaves (protocol
    /// version 3), and rewrite `/etc/hosts` with `hosts`.
    pub fn interface_down(&self, mac: &str, hosts: &[HostEntry]) -> Result<String, ClientError> {
        let m = Message::InterfaceDown(InterfaceDown {
            mac: mac.to_string(),
            hosts: hosts.to_vec(),
        });
        self.network_request(&m, "InterfaceDown", self.timeout)
    }

    /// Replace the domain's `/etc/hosts` entries for its peers (protocol
    /// version 3).
    pub fn set_hosts(&self, hosts: &[HostEntry]) -> Result<(), ClientError> {
        let m = Message::HostsSet {
            hosts: hosts.to_vec(),
        };
        self.network_request(&m, "HostsSet", self.timeout).map(drop)
    }

    fn network_request(
        &self,
        m: &Message,
        what: &str,
        timeout: Duration,
    ) -> Result<String, ClientError> {
        match self.shared.request(m, what, timeout)? {
            Message::NetworkApplied { interface } => Ok(interface),
            other => Err(ClientError::Protocol(format!(
                "{} in answer to {what}",
                other.name()
            ))),
        }
    }
}
