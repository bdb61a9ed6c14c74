//! The domain's interfaces while it runs (protocol version 3): an
//! interface that joins is configured as boot would have, one that leaves
//! is taken down before its NIC goes, and the container's `/etc/hosts` and
//! `/etc/resolv.conf` follow. Also serve mode's stand-in, which records
//! what a guest would do instead of touching the host's interfaces.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::net::{self, Defaults, NetOps};
use super::say;
use super::session::lock;
use tether_protocol::config::{DnsConfig, HostEntry, InterfaceConfig, RouteConfig};
use tether_protocol::message::{InterfaceDown, InterfaceUp};

#[derive(Debug, Default)]
struct State {
    /// The configured interfaces, boot's first.
    interfaces: Vec<InterfaceConfig>,
    /// The peers' /etc/hosts entries.
    hosts: Vec<HostEntry>,
    /// The domain's own resolver settings.
    dns: DnsConfig,
}

/// The running domain's network, changed by the link.
pub struct LiveNet {
    ops: Arc<dyn NetOps>,
    /// The container's root, where its `/etc` is (None: the tether runs
    /// in no container root and writes no files).
    root: Option<String>,
    hostname: String,
    state: Mutex<State>,
}

impl std::fmt::Debug for LiveNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveNet")
            .field("root", &self.root)
            .field("state", &*lock(&self.state))
            .finish_non_exhaustive()
    }
}

impl LiveNet {
    /// The network as boot left it: `interfaces` configured, `hosts` in
    /// `/etc/hosts`; the container's files under `root`.
    pub fn new(
        ops: Arc<dyn NetOps>,
        root: Option<String>,
        hostname: String,
        interfaces: Vec<InterfaceConfig>,
        hosts: Vec<HostEntry>,
        dns: DnsConfig,
    ) -> LiveNet {
        LiveNet {
            ops,
            root,
            hostname,
            state: Mutex::new(State {
                interfaces,
                hosts,
                dns,
            }),
        }
    }

    /// Configure an interface that joined: wait for its NIC, set it up,
    /// route through it when the domain has no default route, rewrite the
    /// files. On an error nothing of it stays. Its guest name.
    pub fn up(&self, m: &InterfaceUp) -> Result<String, String> {
        let mut iface = m.interface.clone();
        iface.mac = iface.mac.to_ascii_lowercase();
        let mut st = lock(&self.state);
        if st.interfaces.iter().any(|i| i.mac == iface.mac) {
            // Asked again (a retry): it is configured.
            return net::wait_for(&*self.ops, &iface.mac, Duration::ZERO);
        }
        let defaults = Defaults::missing(&*self.ops);
        let wait = Duration::from_millis(m.wait_ms.into());
        // Its driver may be among the modules loading after the boot.
        super::modules::wait_settled(wait);
        let name = net::bring_up(&*self.ops, &iface, wait, defaults)?;
        let previous_hosts = std::mem::replace(&mut st.hosts, m.hosts.clone());
        st.interfaces.push(iface);
        if let Err(e) = self.write_files(&st) {
            let iface = st.interfaces.pop().unwrap_or_default();
            st.hosts = previous_hosts;
            net::take_down(&*self.ops, &name, &iface);
            return Err(e);
        }
        say(&format!(
            "interface {name} ({}) configured",
            m.interface.mac
        ));
        Ok(name)
    }

    /// Take down the interface that leaves, move the default route when it
    /// went with it, rewrite the files. Its guest name ("" when it was not
    /// configured).
    pub fn down(&self, m: &InterfaceDown) -> Result<String, String> {
        let mac = m.mac.to_ascii_lowercase();
        let mut st = lock(&self.state);
        let Some(at) = st.interfaces.iter().position(|i| i.mac == mac) else {
            st.hosts = m.hosts.clone();
            self.write_files(&st)?;
            return Ok(String::new());
        };
        let name = self.ops.interface_by_mac(&mac).unwrap_or_default();
        if !name.is_empty() {
            net::take_down(&*self.ops, &name, &st.interfaces[at]);
        }
        st.interfaces.remove(at);
        st.hosts = m.hosts.clone();
        self.move_defaults(&st);
        self.write_files(&st)?;
        say(&format!("interface {name} ({mac}) taken down"));
        Ok(name)
    }

    /// A family's default route went with an interface: the first other
    /// interface with one of that family takes it.
    fn move_defaults(&self, st: &State) {
        let mut missing = Defaults::missing(&*self.ops);
        for iface in &st.interfaces {
            for r in net::routes_of(iface).iter().filter(|r| r.dest.prefix == 0) {
                if !missing.allows(&r.via) {
                    continue;
                }
                let moved = match r.via {
                    IpAddr::V4(g) => self.ops.add_default_route(g),
                    IpAddr::V6(_) => match self.ops.interface_by_mac(&iface.mac) {
                        Some(name) => self.ops.add_route(&name, r),
                        None => continue,
                    },
                };
                match moved {
                    Ok(()) => missing = missing.without(&r.via),
                    Err(e) => say(&format!("cannot move the default route to {}: {e}", r.via)),
                }
            }
        }
    }

    /// Replace the peers' entries of `/etc/hosts`.
    pub fn set_hosts(&self, hosts: &[HostEntry]) -> Result<(), String> {
        let mut st = lock(&self.state);
        st.hosts = hosts.to_vec();
        self.write_files(&st)
    }

    fn write_files(&self, st: &State) -> Result<(), String> {
        let Some(root) = &self.root else {
            return Ok(());
        };
        let hosts = net::hosts_file(&st.interfaces, &st.hosts, &self.hostname);
        let resolv = net::resolv_conf(&st.interfaces, &st.dns).unwrap_or_default();
        for (path, data) in [("/etc/hosts", hosts), ("/etc/resolv.conf", resolv)] {
            // The container's processes run: its links are followed inside
            // its root, by the kernel, so none can lead the write astray.
            self.ops
                .write_in_root(root, path, data.as_bytes())
                .map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        Ok(())
    }
}

/// Serve mode's stand-in for a guest's interfaces (`tether serve
/// --net-record FILE`): every MAC asked for "appears" as `simN`, and each
/// operation, and each file the guest would write, is appended to the
/// record instead of done, so that a test can see what the tether was
/// told without it touching the host's interfaces.
#[derive(Debug)]
pub struct RecordedNet {
    record: PathBuf,
    names: Mutex<HashMap<String, String>>,
    /// Whether a default route of IPv4 (`[0]`) and of IPv6 was added.
    default_route: Mutex<[bool; 2]>,
}

impl RecordedNet {
    /// A stand-in appending to `record`.
    pub fn new(record: PathBuf) -> RecordedNet {
        RecordedNet {
            record,
            names: Mutex::new(HashMap::new()),
            default_route: Mutex::new([false; 2]),
        }
    }

    fn note(&self, line: &str) -> io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.record)?;
        writeln!(f, "{line}")
    }
}

impl NetOps for RecordedNet {
    fn interface_by_mac(&self, mac: &str) -> Option<String> {
        let mut names = lock(&self.names);
        let n = names.len();
        Some(
            names
                .entry(mac.to_ascii_lowercase())
                .or_insert_with(|| format!("sim{n}"))
                .clone(),
        )
    }
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
        self.note(&format!("add_ipv4 {ifname} {addr}/{prefix}"))
    }
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()> {
        self.note(&format!("clear_ipv4 {ifname}"))
    }
    fn link_up(&self, ifname: &str) -> io::Result<()> {
        self.note(&format!("link_up {ifname}"))
    }
    fn link_down(&self, ifname: &str) -> io::Result<()> {
        self.note(&format!("link_down {ifname}"))
    }
    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()> {
        self.note(&format!("mtu {ifname} {mtu}"))
    }
    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
        self.note(&format!("add_ipv6 {ifname} {addr}/{prefix}"))
    }
    fn clear_ipv6(&self, ifname: &str) -> io::Result<()> {
        self.note(&format!("clear_ipv6 {ifname}"))
    }
    fn has_default_route(&self, v6: bool) -> bool {
        lock(&self.default_route)[usize::from(v6)]
    }
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()> {
        lock(&self.default_route)[0] = true;
        self.note(&format!("default_route {gateway}"))
    }
    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()> {
        if route.dest.prefix == 0 {
            lock(&self.default_route)[usize::from(route.via.is_ipv6())] = true;
        }
        self.note(&format!("route {ifname} {route}"))
    }
    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()> {
        let text = String::from_utf8_lossy(data);
        let body: String = text.lines().map(|l| format!("  {l}\n")).collect();
        self.note(&format!(
            "write {root}{path}\n{}",
            body.trim_end_matches('\n')
        ))
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    fn iface(mac: &str, ip: &str, gw: Option<&str>) -> InterfaceConfig {
        InterfaceConfig {
            mac: mac.into(),
            addresses: vec![ip.parse().unwrap()],
            gateway: gw.map(|g| g.parse().unwrap()),
            routes: Vec::new(),
            mtu: None,
            dns: vec!["10.9.0.53".parse().unwrap()],
            search: vec![],
        }
    }

    fn live(sys: &Arc<FakeSys>) -> LiveNet {
        LiveNet::new(
            sys.clone(),
            Some("/newroot".into()),
            "web".into(),
            vec![iface("52:54:00:00:00:01", "10.8.0.2/24", Some("10.8.0.1"))],
            vec![],
            DnsConfig::default(),
        )
    }

    #[test]
    fn the_domains_own_name_servers_outlast_the_networks_changes() {
        let sys = Arc::new(FakeSys::new());
        sys.add_file("/sys/class/net/eth1/address", "00:50:56:aa:bb:cc\n");
        sys.add_file("/proc/net/route", "Iface\tDestination\tGateway\n");
        let own = DnsConfig {
            servers: vec!["10.0.0.53".parse().unwrap()],
            options: vec!["ndots:2".into()],
            ..Default::default()
        };
        let net = LiveNet::new(
            sys.clone(),
            Some("/newroot".into()),
            "web".into(),
            vec![],
            vec![],
            own,
        );
        let up = InterfaceUp {
            interface: iface("00:50:56:aa:bb:cc", "10.9.0.2/24", Some("10.9.0.1")),
            hosts: vec![],
            wait_ms: 0,
        };
        net.up(&up).unwrap();
        // The network's server (10.9.0.53) gives way to the domain's own.
        let resolv = String::from_utf8(sys.file("/newroot/etc/resolv.conf").unwrap()).unwrap();
        assert_eq!(resolv, "nameserver 10.0.0.53\noptions ndots:2\n");
    }

    #[test]
    fn an_interface_joins_leaves_and_the_files_follow() {
        let sys = Arc::new(FakeSys::new());
        sys.add_file("/sys/class/net/eth0/address", "52:54:00:00:00:01\n");
        sys.add_file("/sys/class/net/eth1/address", "00:50:56:AA:BB:CC\n");
        sys.add_file(
            "/proc/net/route",
            "Iface\tDestination\tGateway\neth0\t00000000\t0100080A\n",
        );
        let net = live(&sys);
        let up = InterfaceUp {
            interface: iface("00:50:56:aa:bb:cc", "10.9.0.2/24", Some("10.9.0.1")),
            hosts: vec!["10.9.0.3 db".parse().unwrap()],
            wait_ms: 0,
        };
        assert_eq!(net.up(&up).unwrap(), "eth1");
        // A default route exists: none is added through the new interface.
        assert_eq!(
            sys.calls(),
            [
                "add_ipv4 eth1 10.9.0.2/24",
                "link_up eth1",
                "write /newroot/etc/hosts",
                "write /newroot/etc/resolv.conf"
            ]
        );
        let hosts = String::from_utf8(sys.file("/newroot/etc/hosts").unwrap()).unwrap();
        assert!(hosts.contains("10.8.0.2\tweb\n"), "{hosts}");
        assert!(hosts.ends_with("10.9.0.3\tdb\n"), "{hosts}");
        // Asked again: configured already, nothing more is done.
        assert_eq!(net.up(&up).unwrap(), "eth1");
        assert_eq!(sys.calls().len(), 4);

        // The boot interface leaves, and with it the default route: it
        // moves to the joined one.
        sys.add_file("/proc/net/route", "Iface\tDestination\tGateway\n");
        let down = InterfaceDown {
            mac: "52:54:00:00:00:01".into(),
            hosts: vec![],
        };
        assert_eq!(net.down(&down).unwrap(), "eth0");
        assert_eq!(
            sys.calls()[4..],
            [
                "clear_ipv4 eth0",
                "link_down eth0",
                "default_route 10.9.0.1",
                "write /newroot/etc/hosts",
                "write /newroot/etc/resolv.conf"
            ]
        );
        let hosts = String::from_utf8(sys.file("/newroot/etc/hosts").unwrap()).unwrap();
        assert!(
            hosts.contains("10.9.0.2\tweb\n") && !hosts.contains("db"),
            "{hosts}"
        );
        // An unknown MAC is no error (a retry).
        assert_eq!(net.down(&down).unwrap(), "");
    }

    #[test]
    fn a_joined_ipv6_interface_routes_the_family_the_domain_lacks() {
        let sys = Arc::new(FakeSys::new());
        sys.add_file("/sys/class/net/eth1/address", "00:50:56:aa:bb:cc\n");
        sys.add_file(
            "/proc/net/route",
            "Iface\tDestination\tGateway\neth0\t00000000\t0100080A\n",
        );
        let net = live(&sys);
        let mut iface = iface("00:50:56:aa:bb:cc", "fd01::7/64", Some("fd01::1"));
        iface.routes = vec!["0.0.0.0/0 via 10.9.0.1".parse().unwrap()];
        let up = InterfaceUp {
            interface: iface.clone(),
            hosts: vec![],
            wait_ms: 0,
        };
        assert_eq!(net.up(&up).unwrap(), "eth1");
        // IPv4 is routed through eth0 already; IPv6 was not.
        assert_eq!(
            sys.calls()[..3],
            [
                "add_ipv6 eth1 fd01::7/64",
                "link_up eth1",
                "route eth1 ::/0 via fd01::1"
            ]
        );
        let down = InterfaceDown {
            mac: iface.mac.clone(),
            hosts: vec![],
        };
        assert_eq!(net.down(&down).unwrap(), "eth1");
        assert_eq!(
            sys.calls()[5..8],
            ["clear_ipv4 eth1", "clear_ipv6 eth1", "link_down eth1"]
        );
    }

    #[test]
    fn a_nic_that_never_appears_is_an_error_and_leaves_nothing() {
        let sys = Arc::new(FakeSys::new());
        let net = live(&sys);
        let up = InterfaceUp {
            interface: iface("00:50:56:aa:bb:cd", "10.9.0.2/24", None),
            hosts: vec![],
            wait_ms: 300,
        };
        let e = net.up(&up).unwrap_err();
        assert!(
            e.contains("00:50:56:aa:bb:cd") && e.contains("300 ms"),
            "{e}"
        );
        assert!(
            sys.calls().iter().all(|c| c.starts_with("sleep")),
            "{:?}",
            sys.calls()
        );
        assert_eq!(lock(&net.state).interfaces.len(), 1);
    }

    #[test]
    fn a_failed_file_write_takes_the_interface_down_again() {
        let sys = Arc::new(FakeSys::new());
        sys.add_file("/sys/class/net/eth1/address", "00:50:56:aa:bb:cc\n");
        sys.fail("write /newroot/etc/hosts", libc::EROFS);
        let net = live(&sys);
        let up = InterfaceUp {
            interface: iface("00:50:56:aa:bb:cc", "10.9.0.2/24", None),
            hosts: vec![],
            wait_ms: 0,
        };
        let e = net.up(&up).unwrap_err();
        assert!(e.contains("cannot write /etc/hosts"), "{e}");
        let calls = sys.calls();
        assert_eq!(
            calls[calls.len() - 2..],
            ["clear_ipv4 eth1", "link_down eth1"]
        );
        assert_eq!(lock(&net.state).interfaces.len(), 1);
    }
}
