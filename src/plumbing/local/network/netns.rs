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
//!
//! One engine dials the container from inside the namespace: podman's
//! port handler for rootless containers and slirp4netns (rootlessport)
//! runs its child there and connects to the container's address, which
//! is the namespace's own and would stay on `lo`. For those interfaces
//! the address leaves the namespace's local table and is routed to the
//! VM's tap from a helper address of the same subnet (its last host
//! address), whose frames the tap's filter lets through to the namespace
//! instead of redirecting them ([`Dial`]).

use std::fs::File;
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use tether_protocol::config::{InterfaceConfig, IpPrefix, RouteConfig};

use crate::plumbing::error::{Error, ErrorKind, Result};

/// The taps made in a namespace are `vptap0`, `vptap1`, … (interfaces of
/// that prefix are never joined).
const TAP_PREFIX: &str = "vptap";

/// The tap podman gives slirp4netns in a container's namespace (libpod
/// passes this name; pasta, which forwards ports itself, takes the
/// host's interface name).
const SLIRP_TAP: &str = "tap0";

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
    /// The engine's port handler dials this interface's addresses from
    /// inside the namespace: slirp4netns's tap, and a rootless engine's
    /// bridge (veth) interfaces.
    pub dialed: bool,
}

/// How the namespace reaches the guest at one of its interface's IPv4
/// addresses: that address is routed to the VM's tap from `helper`,
/// placed on the tap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Dial {
    /// The guest's address (the interface's).
    pub addr: Ipv4Addr,
    /// The namespace's source address on the tap, in the same subnet so
    /// that the guest answers it on the link.
    pub helper: Ipv4Addr,
}

/// The helper for `addr/prefix`: the subnet's last host address, or one
/// below it when that is the address itself or a gateway in `avoid`. None
/// for a subnet without room (/31, /32).
pub fn helper(addr: Ipv4Addr, prefix: u8, avoid: &[IpAddr]) -> Option<Ipv4Addr> {
    if prefix > 30 {
        return None;
    }
    let host_bits = 32 - u32::from(prefix);
    let hosts = ((1u64 << host_bits) - 1) as u32;
    let network = u32::from(addr) & !hosts;
    (1..=3)
        .map(|back| (network | hosts) - back)
        .filter(|h| *h > network)
        .map(Ipv4Addr::from)
        .find(|h| *h != addr && !avoid.contains(&IpAddr::V4(*h)))
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

    /// The addresses the namespace dials the guest at, with their
    /// helpers: IPv4 ones of a dialed interface.
    pub fn dials(&self) -> Vec<Dial> {
        if !self.dialed {
            return Vec::new();
        }
        let gateways: Vec<IpAddr> = self
            .gateway
            .into_iter()
            .chain(self.routes.iter().map(|r| r.via))
            .collect();
        self.addresses
            .iter()
            .filter_map(|a| match a.addr {
                IpAddr::V4(addr) => {
                    helper(addr, a.prefix, &gateways).map(|helper| Dial { addr, helper })
                }
                IpAddr::V6(_) => None,
            })
            .collect()
    }
}

/// What a monitor undoes when its QEMU has ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wiring {
    /// The namespace.
    pub path: PathBuf,
    /// (interface, tap) pairs wired.
    pub ports: Vec<(String, String)>,
    /// (interface, dial) pairs: the addresses taken out of the local
    /// table, put back on unwire.
    #[serde(default)]
    pub dials: Vec<(String, Dial)>,
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
    let links = json(path, "ip", &["-j", "-d", "addr", "show"])?;
    let mut routes = Vec::new();
    for family in ["-4", "-6"] {
        let r = json(path, "ip", &["-j", family, "route", "show"])?;
        routes.extend(r.as_array().cloned().unwrap_or_default());
    }
    // A rootless engine (vicport is root of a user namespace over files
    // it does not own) forwards ports from inside the namespace.
    parse(&links, &routes, !crate::plumbing::paths::is_system_root())
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

/// [`read`]'s work on `ip -j -d addr show` and `ip -j route show`, for a
/// `rootless` engine or not.
pub fn parse(
    links: &serde_json::Value,
    routes: &[serde_json::Value],
    rootless: bool,
) -> Result<Vec<Port>> {
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
            // A tap is a user-space network's: slirp4netns's is dialed;
            // another (pasta's) forwards ports itself, as frames, and its
            // subnet is the host's, where the helper could be a real
            // machine. A veth is dialed when the engine is rootless.
            dialed: match link["linkinfo"]["info_kind"].as_str() {
                Some("tun") => ifname == SLIRP_TAP,
                _ => rootless,
            },
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
        let made = (|| -> Result<()> {
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
            redirect(path, &p.tap, &p.ifname)?;
            for d in p.dials() {
                dial(path, &p.ifname, &p.tap, d)?;
            }
            Ok(())
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

/// Route the namespace's own connections to `d.addr` to the VM on `tap`:
/// the address out of the local table (it stays on `ifname`, where the
/// engine and a later [`read`] find it), the helper on the tap with a
/// route to the address from it, and the tap's frames for the helper
/// (IPv4 to it, ARP about it) passed to the namespace ahead of the
/// redirect.
fn dial(path: &Path, ifname: &str, tap: &str, d: Dial) -> Result<()> {
    let addr = d.addr.to_string();
    let helper = d.helper.to_string();
    // Gone already when an earlier boot in this namespace was not unwired.
    let _ = run_in(
        path,
        "ip",
        &[
            "route", "del", "local", &addr, "dev", ifname, "table", "local",
        ],
    );
    // The guest's frames come from an address the namespace holds (on
    // `ifname`): without accept_local the kernel takes them for spoofed
    // and drops them (ARP requests for the helper among them).
    sysctl_in(path, &format!("ipv4/conf/{tap}/accept_local"), "1")?;
    run_in(
        path,
        "ip",
        &["addr", "add", &format!("{helper}/32"), "dev", tap],
    )?;
    run_in(
        path,
        "ip",
        &[
            "route",
            "add",
            &format!("{addr}/32"),
            "dev",
            tap,
            "src",
            &helper,
        ],
    )?;
    let pass = |prio: &str, protocol: &str, what: &[&str]| {
        let mut args = vec![
            "filter", "add", "dev", tap, "parent", "ffff:", "prio", prio, "protocol", protocol,
            "u32",
        ];
        args.extend_from_slice(what);
        // A class and no action: the match ends the filter chain with
        // "ok", and the frame goes on to the namespace. (No `action
        // pass`: gact is a module that kernels without modules, and
        // namespaces that may not load them, lack.)
        args.extend_from_slice(&["flowid", "ffff:1"]);
        run_in(path, "tc", &args).map(drop)
    };
    pass("1", "ip", &["match", "ip", "dst", &format!("{helper}/32")])?;
    // ARP's target address is 24 bytes into an Ethernet ARP packet.
    let target = format!("0x{:08x}", u32::from(d.helper));
    pass(
        "2",
        "arp",
        &["match", "u32", &target, "0xffffffff", "at", "24"],
    )
}

/// Write `value` to `/proc/sys/net/KEY` of the namespace at `path`, from
/// a thread that joins it (`/proc/sys/net` shows the calling thread's
/// namespace; the process's other threads stay where they are).
fn sysctl_in(path: &Path, key: &str, value: &str) -> Result<()> {
    let ns = open(path)?;
    let file = format!("/proc/sys/net/{key}");
    let value = value.to_string();
    let written = std::thread::scope(|s| {
        s.spawn(|| {
            // SAFETY: setns(2) of this thread alone, on a descriptor held
            // open for the call; it touches no memory.
            if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            std::fs::write(&file, &value)
        })
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("the thread panicked")))
    });
    written.map_err(|e| {
        Error::io(
            format!("writing {file} in network namespace {}", path.display()),
            e,
        )
    })
}

/// Put `d.addr` back in the namespace's local table (the tap, deleted,
/// takes the helper and its route with it).
fn undial(path: &Path, ifname: &str, d: Dial) {
    let addr = d.addr.to_string();
    let _ = run_in(
        path,
        "ip",
        &[
            "route", "replace", "local", &addr, "dev", ifname, "table", "local", "proto", "kernel",
            "scope", "host", "src", &addr,
        ],
    );
}

/// What [`unwire`] takes back for `ports`.
pub fn wiring(path: &Path, ports: &[Port]) -> Wiring {
    Wiring {
        path: path.to_path_buf(),
        ports: ports
            .iter()
            .map(|p| (p.ifname.clone(), p.tap.clone()))
            .collect(),
        dials: ports
            .iter()
            .flat_map(|p| p.dials().into_iter().map(|d| (p.ifname.clone(), d)))
            .collect(),
    }
}

/// Delete the taps and the interfaces' ingress qdiscs, and put dialed
/// addresses back (best effort: the engine may have deleted the namespace
/// already, and everything in it).
pub fn unwire(w: &Wiring) {
    if !w.path.exists() {
        return;
    }
    for (ifname, tap) in &w.ports {
        let _ = run_in(&w.path, "ip", &["link", "del", "dev", tap]);
        let _ = run_in(&w.path, "tc", &["qdisc", "del", "dev", ifname, "ingress"]);
    }
    for (ifname, d) in &w.dials {
        undial(&w.path, ifname, *d);
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
        let ports = parse(&links, &routes, false).unwrap();
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
        let shown: Vec<String> = i.routes.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            shown,
            [
                "10.99.0.0/24 via 10.88.0.254",
                "10.98.0.7/32 via 10.88.0.253",
                "::/0 via fd00::1"
            ]
        );
        assert!(i.dns.is_empty());
        // A veth of netavark's: the engine never dials it from inside.
        assert!(!p.dialed && p.dials().is_empty());
        // A rootless engine's: its port handler dials it from inside.
        let rootless = parse(&links, &routes, true).unwrap();
        assert_eq!(
            rootless[0].dials(),
            [Dial {
                addr: "10.88.0.5".parse().unwrap(),
                helper: "10.88.255.254".parse().unwrap()
            }]
        );
        // Only lo (`--network none`): nothing to join.
        let lo_only = serde_json::json!([links[0].clone()]);
        assert!(parse(&lo_only, &[], false).unwrap().is_empty());
    }

    #[test]
    fn slirp4netns_tap_is_dialed_from_a_helper_at_the_end_of_its_subnet() {
        // `ip -j -d addr show` in rootless podman's namespace with
        // slirp4netns (abridged), and its default route.
        let tap = |name: &str| {
            serde_json::json!({"ifindex": 2, "ifname": name, "mtu": 65520, "link_type": "ether",
             "address": "6a:1e:3c:4f:00:01",
             "linkinfo": {"info_kind": "tun", "info_data": {"type": "tap"}},
             "addr_info": [
                {"family": "inet", "local": "10.0.2.100", "prefixlen": 24, "scope": "global"},
                {"family": "inet6", "local": "fd00::6a1e", "prefixlen": 64, "scope": "global"}]})
        };
        let routes = [
            serde_json::json!({"dst": "default", "gateway": "10.0.2.2", "dev": "tap0", "flags": []}),
        ];
        let ports = parse(&serde_json::json!([tap("tap0")]), &routes, false).unwrap();
        assert!(ports[0].dialed);
        assert_eq!(
            ports[0].dials(),
            [Dial {
                addr: "10.0.2.100".parse().unwrap(),
                helper: "10.0.2.254".parse().unwrap()
            }]
        );
        let w = wiring(Path::new("/run/netns/c1"), &ports);
        assert_eq!(w.dials, [("tap0".to_string(), ports[0].dials()[0])]);
        // A tap of another name (pasta's takes the host's interface name
        // and forwards ports itself) is not, rootless or not.
        for rootless in [false, true] {
            let ports = parse(&serde_json::json!([tap("eth0")]), &[], rootless).unwrap();
            assert!(!ports[0].dialed && ports[0].dials().is_empty());
        }
        // A record written before dials existed reads as none.
        let old: Wiring =
            serde_json::from_str(r#"{"path":"/run/netns/c1","ports":[["eth0","vptap0"]]}"#)
                .unwrap();
        assert!(old.dials.is_empty());
    }

    #[test]
    fn the_helper_avoids_the_address_and_the_gateway_and_needs_room() {
        let h = |a: &str, p: u8, g: Option<&str>| {
            let avoid: Vec<IpAddr> = g.iter().map(|g| g.parse().unwrap()).collect();
            helper(a.parse().unwrap(), p, &avoid).map(|h| h.to_string())
        };
        assert_eq!(
            h("10.0.2.100", 24, Some("10.0.2.2")).as_deref(),
            Some("10.0.2.254")
        );
        assert_eq!(h("10.0.2.254", 24, None).as_deref(), Some("10.0.2.253"));
        assert_eq!(
            h("10.0.2.254", 24, Some("10.0.2.253")).as_deref(),
            Some("10.0.2.252")
        );
        assert_eq!(
            h("10.88.0.5", 16, Some("10.88.0.1")).as_deref(),
            Some("10.88.255.254")
        );
        assert_eq!(h("192.168.7.1", 30, None).as_deref(), Some("192.168.7.2"));
        assert_eq!(h("192.168.7.2", 30, Some("192.168.7.1")), None);
        assert_eq!(h("192.168.7.2", 31, None), None);
        assert_eq!(h("192.168.7.2", 32, None), None);
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
