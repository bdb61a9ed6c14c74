//! Engine network namespaces: a container engine (podman, through
//! netavark or CNI) makes a network namespace with `eth0` on its bridge
//! before it runs the runtime, and names it in the bundle. A domain that
//! joins one gets a NIC per interface there, wired as Kata does: a tap
//! made inside the namespace, and a tc ingress qdisc on each side whose
//! filter redirects every frame to the other's egress (`mirred egress
//! redirect`), so the interface and the tap are one wire and the guest,
//! with the interface's MAC and addresses, is the endpoint the engine
//! made. QEMU runs in the namespace to open the tap; `ip` and `tc` run
//! there too. Nothing leaves the namespace: when the engine deletes it,
//! what was made in it goes too.

use std::fs::File;
use std::net::IpAddr;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use tether_protocol::config::{InterfaceConfig, IpPrefix, RouteConfig};

use crate::plumbing::error::{Error, ErrorKind, Result};

/// The taps made in a namespace are `vptap0`, `vptap1`, … (interfaces of
/// that prefix are never joined).
const TAP_PREFIX: &str = "vptap";

/// `NS_GET_NSTYPE` (linux/nsfs.h): `_IO(0xb7, 0x3)`.
const NS_GET_NSTYPE: libc::c_ulong = 0xb703;

/// One interface of an engine's namespace and the tap wired to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    /// The engine's interface (`eth0`).
    pub ifname: String,
    /// The tap QEMU opens.
    pub tap: String,
    /// The interface's MAC, which the guest's NIC takes.
    pub mac: String,
    /// Its MTU, which the tap takes.
    pub mtu: u32,
    /// Its addresses (link-local ones left out).
    pub addresses: Vec<IpPrefix>,
    /// The default route's gateway, when it goes through this interface
    /// (IPv4's when both families have one).
    pub gateway: Option<IpAddr>,
    /// The other routes through a gateway on this interface (the other
    /// family's default route among them; routes to the link itself come
    /// with its addresses).
    pub routes: Vec<RouteConfig>,
}

impl Port {
    /// What the tether is told about the guest's side.
    pub fn interface(&self) -> InterfaceConfig {
        InterfaceConfig {
            mac: self.mac.to_ascii_lowercase(),
            addresses: self.addresses.clone(),
            gateway: self.gateway,
            routes: self.routes.clone(),
            mtu: (self.mtu != 1500).then_some(self.mtu),
            // The engine gives the container its resolv.conf (a bind
            // mount, shared into the guest).
            dns: Vec::new(),
            search: Vec::new(),
        }
    }
}

/// What a monitor undoes when its QEMU has ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wiring {
    /// The namespace.
    pub path: PathBuf,
    /// (interface, tap) pairs wired.
    pub ports: Vec<(String, String)>,
}

/// Check that `path` is a network namespace (a bind-mounted `nsfs` file
/// such as `/run/netns/NAME`, or `/proc/PID/ns/net`).
pub fn check(path: &Path) -> Result<()> {
    let f = open(path)?;
    // SAFETY: ioctl(2) NS_GET_NSTYPE on a descriptor we hold; no memory.
    let kind = unsafe { libc::ioctl(f.as_raw_fd(), NS_GET_NSTYPE) };
    if kind == libc::CLONE_NEWNET {
        not_ours(path, &f)
    } else {
        Err(
            Error::invalid(format!("{} is not a network namespace", path.display()))
                .with_hint("name a network namespace file (/run/netns/NAME or /proc/PID/ns/net)"),
        )
    }
}

/// Refuse the namespace this process runs in (the host's, for an
/// engine): its interfaces are the host's own, and wiring them to a VM
/// would take the host's traffic.
fn not_ours(path: &Path, f: &File) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let theirs = f
        .metadata()
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let ours = std::fs::metadata("/proc/self/ns/net")
        .map_err(|e| Error::io("reading /proc/self/ns/net", e))?;
    if (theirs.dev(), theirs.ino()) != (ours.dev(), ours.ino()) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::NotSupported,
        format!(
            "{} is the host's network namespace: a containerVM has its own network stack and cannot share the host's",
            path.display()
        ),
    )
    .with_hint("give the container a network namespace of its own (podman: any --network but host)"))
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            Error::not_found("network namespace", &path.display().to_string())
        } else {
            Error::io(format!("opening network namespace {}", path.display()), e)
        };
        what.with_hint("the engine makes the namespace before `create`: give an existing one, or none for a container without a network")
    })
}

/// Run `program ARGS…` inside the namespace at `path`; its stdout.
fn run_in(path: &Path, program: &str, args: &[&str]) -> Result<String> {
    let ns = open(path)?;
    // tc is in /usr/sbin, which a user's PATH lacks (rootless podman).
    let mut cmd = Command::new(crate::plumbing::host::find_tool(program, "iproute2")?);
    cmd.args(args).env("LC_ALL", "C");
    enter_on_spawn(&mut cmd, &ns);
    let out = cmd.output().map_err(|e| {
        Error::io(
            format!("running {program} in network namespace {}", path.display()),
            e,
        )
        .with_hint("install iproute2")
    })?;
    drop(ns);
    if !out.status.success() {
        return Err(Error::other(format!(
            "{program} {} in network namespace {} failed: {}",
            args.join(" "),
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json(path: &Path, program: &str, args: &[&str]) -> Result<serde_json::Value> {
    let text = run_in(path, program, args)?;
    serde_json::from_str(&text)
        .map_err(|e| Error::other(format!("{program} {} printed no JSON: {e}", args.join(" "))))
}

/// The interfaces of the namespace at `path` a domain joins: every
/// Ethernet link but our own taps, by name, with their addresses and the
/// routes through their gateways. None (only `lo`) is a container without
/// a network.
pub fn read(path: &Path) -> Result<Vec<Port>> {
    check(path)?;
    let links = json(path, "ip", &["-j", "addr", "show"])?;
    let mut routes = Vec::new();
    for family in ["-4", "-6"] {
        let r = json(path, "ip", &["-j", family, "route", "show"])?;
        routes.extend(r.as_array().cloned().unwrap_or_default());
    }
    parse(&links, &routes)
}

/// A route of `ip -j route show` through a gateway: `dst` is `default`,
/// `NET/PREFIX` or a host address. None for a route to the link itself
/// (no gateway), a multipath one, or one `ip` printed otherwise.
fn gateway_route(r: &serde_json::Value) -> Option<RouteConfig> {
    let via: IpAddr = r["gateway"].as_str()?.parse().ok()?;
    let dest = match r["dst"].as_str()? {
        "default" => return Some(RouteConfig::default_via(via)),
        d if d.contains('/') => d.parse().ok()?,
        d => {
            let addr: IpAddr = d.parse().ok()?;
            IpPrefix {
                addr,
                prefix: if addr.is_ipv4() { 32 } else { 128 },
            }
        }
    };
    (dest.addr.is_ipv4() == via.is_ipv4()).then_some(RouteConfig { dest, via })
}

/// [`read`]'s work on `ip -j addr show` and `ip -j route show`.
pub fn parse(links: &serde_json::Value, routes: &[serde_json::Value]) -> Result<Vec<Port>> {
    let mut ports: Vec<Port> = Vec::new();
    for link in links.as_array().into_iter().flatten() {
        let ifname = link["ifname"].as_str().unwrap_or_default();
        if link["link_type"].as_str() != Some("ether") || ifname.starts_with(TAP_PREFIX) {
            continue;
        }
        let mac = link["address"].as_str().unwrap_or_default().to_string();
        let mut addresses = Vec::new();
        for a in link["addr_info"].as_array().into_iter().flatten() {
            if a["scope"].as_str() == Some("link") {
                continue;
            }
            let (Some(local), Some(prefix)) = (a["local"].as_str(), a["prefixlen"].as_u64()) else {
                continue;
            };
            let addr: IpAddr = local.parse().map_err(|_| {
                Error::other(format!("ip printed {local:?} as an address of {ifname}"))
            })?;
            addresses.push(IpPrefix {
                addr,
                prefix: prefix as u8,
            });
        }
        // The gateway: IPv4's default route, else IPv6's; every other
        // route through a gateway on this link as it is.
        let mut through: Vec<RouteConfig> = routes
            .iter()
            .filter(|r| r["dev"].as_str() == Some(ifname))
            .filter_map(gateway_route)
            .collect();
        let gateway = through
            .iter()
            .filter(|r| r.dest.prefix == 0)
            .min_by_key(|r| r.via.is_ipv6())
            .map(|r| r.via);
        if let Some(g) = gateway {
            through.retain(|r| !(r.dest.prefix == 0 && r.via == g));
        }
        ports.push(Port {
            ifname: ifname.to_string(),
            tap: String::new(),
            mac,
            mtu: link["mtu"].as_u64().unwrap_or(1500) as u32,
            addresses,
            gateway,
            routes: through,
        });
    }
    ports.sort_by(|a, b| a.ifname.cmp(&b.ifname));
    for (i, p) in ports.iter_mut().enumerate() {
        p.tap = format!("{TAP_PREFIX}{i}");
    }
    Ok(ports)
}

/// Make each port's tap in the namespace and wire it to its interface
/// both ways; on failure what was made is taken back.
pub fn wire(path: &Path, ports: &[Port]) -> Result<()> {
    let wiring = wiring(path, ports);
    for p in ports {
        let made = (|| {
            // A leftover of an earlier boot in the same namespace.
            let _ = run_in(path, "ip", &["link", "del", "dev", &p.tap]);
            let _ = run_in(path, "tc", &["qdisc", "del", "dev", &p.ifname, "ingress"]);
            let mtu = p.mtu.to_string();
            run_in(path, "ip", &["tuntap", "add", "dev", &p.tap, "mode", "tap"])?;
            run_in(
                path,
                "ip",
                &["link", "set", "dev", &p.tap, "mtu", &mtu, "up"],
            )?;
            redirect(path, &p.ifname, &p.tap)?;
            redirect(path, &p.tap, &p.ifname)
        })();
        if let Err(e) = made {
            unwire(&wiring);
            return Err(e.context(format!(
                "wiring interface {} of network namespace {} to the VM",
                p.ifname,
                path.display()
            )));
        }
    }
    Ok(())
}

/// Every frame that comes in on `from` goes out of `to`.
fn redirect(path: &Path, from: &str, to: &str) -> Result<()> {
    run_in(path, "tc", &["qdisc", "add", "dev", from, "ingress"])?;
    run_in(
        path,
        "tc",
        &[
            "filter", "add", "dev", from, "parent", "ffff:", "protocol", "all", "u32", "match",
            "u8", "0", "0", "action", "mirred", "egress", "redirect", "dev", to,
        ],
    )
    .map(drop)
}

/// What [`unwire`] takes back for `ports`.
pub fn wiring(path: &Path, ports: &[Port]) -> Wiring {
    Wiring {
        path: path.to_path_buf(),
        ports: ports
            .iter()
            .map(|p| (p.ifname.clone(), p.tap.clone()))
            .collect(),
    }
}

/// Delete the taps and the interfaces' ingress qdiscs (best effort: the
/// engine may have deleted the namespace already, and everything in it).
pub fn unwire(w: &Wiring) {
    if !w.path.exists() {
        return;
    }
    for (ifname, tap) in &w.ports {
        let _ = run_in(&w.path, "ip", &["link", "del", "dev", tap]);
        let _ = run_in(&w.path, "tc", &["qdisc", "del", "dev", ifname, "ingress"]);
    }
}

/// Make `cmd` start inside the namespace `ns` (held open by the caller
/// until it has spawned): QEMU, to open the taps made there.
pub fn enter_on_spawn(cmd: &mut Command, ns: &File) {
    use std::os::unix::process::CommandExt;
    let fd = ns.as_raw_fd();
    // SAFETY: setns(2) in the child before exec, on a descriptor the
    // caller keeps open until the spawn; it touches no memory.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setns(fd, libc::CLONE_NEWNET) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Open namespace `path` for [`enter_on_spawn`].
pub fn hold(path: &Path) -> Result<File> {
    open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_the_ethernet_links_with_their_addresses_and_routes() {
        // `ip -j addr show` in a podman
        // (netavark) namespace, with an IPv6 address and one of our taps.
        let links = serde_json::json!([
            {"ifindex": 1, "ifname": "lo", "mtu": 65536, "link_type": "loopback",
             "address": "00:00:00:00:00:00",
             "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host"}]},
            {"ifindex": 2, "ifname": "eth0", "mtu": 1500, "link_type": "ether",
             "address": "9A:0B:1C:2D:3E:4F",
             "addr_info": [
                {"family": "inet", "local": "10.88.0.5", "prefixlen": 16, "scope": "global"},
                {"family": "inet6", "local": "fd00::5", "prefixlen": 64, "scope": "global"},
                {"family": "inet6", "local": "fe80::980b:1cff:fe2d:3e4f", "prefixlen": 64, "scope": "link"}]},
            {"ifindex": 3, "ifname": "vptap0", "mtu": 1500, "link_type": "ether",
             "address": "aa:bb:cc:dd:ee:ff", "addr_info": []}
        ]);
        // `ip -j -4 route show` and `ip -j -6 route show`, with a route
        // added to the network (podman network create --route).
        let routes = [
            serde_json::json!({"dst": "default", "gateway": "10.88.0.1", "dev": "eth0", "flags": []}),
            serde_json::json!({"dst": "10.88.0.0/16", "dev": "eth0", "protocol": "kernel",
                               "scope": "link", "prefsrc": "10.88.0.5", "flags": []}),
            serde_json::json!({"dst": "10.99.0.0/24", "gateway": "10.88.0.254", "dev": "eth0", "flags": []}),
            serde_json::json!({"dst": "10.98.0.7", "gateway": "10.88.0.253", "dev": "eth0", "flags": []}),
            serde_json::json!({"dst": "fd00::/64", "dev": "eth0", "protocol": "kernel",
                               "metric": 256, "flags": [], "pref": "medium"}),
            serde_json::json!({"dst": "fe80::/64", "dev": "eth0", "protocol": "kernel",
                               "metric": 256, "flags": [], "pref": "medium"}),
            serde_json::json!({"dst": "default", "gateway": "fd00::1", "dev": "eth0",
                               "metric": 1024, "flags": [], "pref": "medium"}),
            serde_json::json!({"dst": "default", "gateway": "10.1.1.1", "dev": "vptap0", "flags": []}),
        ];
        let ports = parse(&links, &routes).unwrap();
        assert_eq!(ports.len(), 1);
        let p = &ports[0];
        assert_eq!(
            (p.ifname.as_str(), p.tap.as_str(), p.mtu),
            ("eth0", "vptap0", 1500)
        );
        let i = p.interface();
        assert_eq!(i.mac, "9a:0b:1c:2d:3e:4f");
        assert_eq!(
            i.addresses,
            [
                IpPrefix {
                    addr: "10.88.0.5".parse().unwrap(),
                    prefix: 16
                },
                IpPrefix {
                    addr: "fd00::5".parse().unwrap(),
                    prefix: 64
                },
            ]
        );
        assert_eq!(i.gateway, Some("10.88.0.1".parse().unwrap()));
        let routes: Vec<String> = i.routes.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            routes,
            [
                "10.99.0.0/24 via 10.88.0.254",
                "10.98.0.7/32 via 10.88.0.253",
                "::/0 via fd00::1"
            ]
        );
        assert!(i.dns.is_empty());
        // Only lo (`--network none`): nothing to join.
        let lo_only = serde_json::json!([links[0].clone()]);
        assert!(parse(&lo_only, &[]).unwrap().is_empty());
    }

    #[test]
    fn a_missing_path_another_kind_or_the_hosts_own_namespace_is_refused() {
        let e = check(Path::new("/run/netns/vicport-no-such-namespace")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(
            e.to_string()
                .contains("/run/netns/vicport-no-such-namespace"),
            "{e}"
        );
        let e = check(Path::new("/proc/self/ns/uts")).unwrap_err();
        assert!(e.to_string().contains("is not a network namespace"), "{e}");
        let e = check(Path::new("/proc/self/ns/net")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotSupported);
        assert!(
            e.to_string().contains("is the host's network namespace"),
            "{e}"
        );
    }
}
