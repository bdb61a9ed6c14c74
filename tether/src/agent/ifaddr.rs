//! The interface ioctls behind [`Sys`](super::sys::Sys)'s network calls:
//! flags, IPv4 and IPv6 addresses, routes of either family. ioctls rather
//! than rtnetlink: each call is one request with no reply to parse, and
//! the static tether carries no netlink code.

use std::ffi::CString;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use tether_protocol::config::RouteConfig;

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn ifreq(name: &str) -> io::Result<libc::ifreq> {
    if name.is_empty() || name.len() >= libc::IFNAMSIZ {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad interface name {name:?}"),
        ));
    }
    // SAFETY: ifreq is plain data; all-zero is valid.
    let mut r: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, s) in r.ifr_name.iter_mut().zip(name.bytes()) {
        *d = s as libc::c_char;
    }
    Ok(r)
}

fn sockaddr_v4(a: Ipv4Addr) -> libc::sockaddr {
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr {
            s_addr: u32::from(a).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: sockaddr_in and sockaddr have the same size on Linux.
    unsafe { std::mem::transmute::<libc::sockaddr_in, libc::sockaddr>(sin) }
}

fn in6(a: Ipv6Addr) -> libc::in6_addr {
    libc::in6_addr {
        s6_addr: a.octets(),
    }
}

fn socket(family: libc::c_int) -> io::Result<OwnedFd> {
    // SAFETY: plain socket(2); the fd is owned right away.
    let fd = unsafe { libc::socket(family, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    check(fd)?;
    // SAFETY: fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `struct in6_rtmsg` (linux/ipv6_route.h), the argument of an IPv6
/// SIOCADDRT (libc's has private fields).
#[repr(C)]
struct In6Rtmsg {
    dst: libc::in6_addr,
    src: libc::in6_addr,
    gateway: libc::in6_addr,
    kind: u32,
    dst_len: u16,
    src_len: u16,
    metric: u32,
    info: libc::c_ulong,
    flags: u32,
    ifindex: libc::c_int,
}

/// Netmask of a prefix length.
pub fn netmask(prefix: u8) -> Ipv4Addr {
    let p = u32::from(prefix.min(32));
    Ipv4Addr::from(if p == 0 { 0 } else { u32::MAX << (32 - p) })
}

fn index(ifname: &str) -> io::Result<libc::c_int> {
    let name = CString::new(ifname)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in an interface name"))?;
    // SAFETY: a valid C string.
    let i = unsafe { libc::if_nametoindex(name.as_ptr()) };
    if i == 0 {
        return Err(io::Error::last_os_error());
    }
    libc::c_int::try_from(i).map_err(|_| io::Error::other("interface index out of range"))
}

/// Set (`up`) or clear IFF_UP on an interface (SIOCSIFFLAGS).
pub fn set_up(ifname: &str, up: bool) -> io::Result<()> {
    let s = socket(libc::AF_INET)?;
    let mut r = ifreq(ifname)?;
    let bits = (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
    // SAFETY: SIOCGIFFLAGS/SIOCSIFFLAGS on a valid ifreq.
    unsafe {
        check(libc::ioctl(s.as_raw_fd(), libc::SIOCGIFFLAGS, &mut r))?;
        if up {
            r.ifr_ifru.ifru_flags |= bits;
        } else {
            r.ifr_ifru.ifru_flags &= !bits;
        }
        check(libc::ioctl(s.as_raw_fd(), libc::SIOCSIFFLAGS, &r))
    }
}

/// Set an interface's MTU (SIOCSIFMTU).
pub fn set_mtu(ifname: &str, mtu: u32) -> io::Result<()> {
    let s = socket(libc::AF_INET)?;
    let mut r = ifreq(ifname)?;
    r.ifr_ifru.ifru_mtu = libc::c_int::try_from(mtu)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, format!("MTU {mtu}")))?;
    // SAFETY: SIOCSIFMTU with a valid ifreq.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCSIFMTU, &r) })
}

/// Delete an interface's IPv4 address (SIOCSIFADDR 0.0.0.0 deletes it).
pub fn clear_ipv4(ifname: &str) -> io::Result<()> {
    let s = socket(libc::AF_INET)?;
    let mut r = ifreq(ifname)?;
    r.ifr_ifru.ifru_addr = sockaddr_v4(Ipv4Addr::UNSPECIFIED);
    // SAFETY: SIOCSIFADDR with a valid ifreq; the kernel deletes the
    // primary address when it is set to 0.0.0.0.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCSIFADDR, &r) })
}

/// Assign an IPv4 address and netmask (SIOCSIFADDR, SIOCSIFNETMASK).
pub fn add_ipv4(ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
    let s = socket(libc::AF_INET)?;
    let mut r = ifreq(ifname)?;
    r.ifr_ifru.ifru_addr = sockaddr_v4(addr);
    // SAFETY: SIOCSIFADDR with a valid ifreq.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCSIFADDR, &r) })?;
    let mut r = ifreq(ifname)?;
    r.ifr_ifru.ifru_netmask = sockaddr_v4(netmask(prefix));
    // SAFETY: SIOCSIFNETMASK with a valid ifreq.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCSIFNETMASK, &r) })
}

/// Assign an IPv6 address (SIOCSIFADDR on an IPv6 socket). Duplicate
/// address detection is turned off on the interface first: the platform
/// gave this address to this MAC alone (an engine's namespace did its
/// detection when it took it), and a detecting address is unusable for a
/// second or more, when the container's program starts.
pub fn add_ipv6(ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
    if !ifname.contains(['/', '.']) {
        let dad = format!("/proc/sys/net/ipv6/conf/{ifname}/accept_dad");
        // Without it (no IPv6 in the kernel) the ioctl below says so.
        let _ = std::fs::write(dad, "0");
    }
    let s = socket(libc::AF_INET6)?;
    let r = libc::in6_ifreq {
        ifr6_addr: in6(addr),
        ifr6_prefixlen: u32::from(prefix),
        ifr6_ifindex: index(ifname)?,
    };
    // SAFETY: SIOCSIFADDR with a valid in6_ifreq on an AF_INET6 socket.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCSIFADDR, &r) })
}

/// The IPv6 addresses of interface `index` in `/proc/net/if_inet6`
/// (ADDR INDEX PLEN SCOPE FLAGS NAME, hex) but link-local ones.
pub fn ipv6_addresses(table: &str, index: u32) -> Vec<(Ipv6Addr, u8)> {
    const LINK_SCOPE: u32 = 0x20;
    table
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 6 || u32::from_str_radix(f[1], 16).ok()? != index {
                return None;
            }
            if u32::from_str_radix(f[3], 16).ok()? == LINK_SCOPE {
                return None;
            }
            let addr = u128::from_str_radix(f[0], 16).ok()?;
            let plen = u8::from_str_radix(f[2], 16).ok()?;
            Some((Ipv6Addr::from(addr), plen))
        })
        .collect()
}

/// Delete an interface's IPv6 addresses but its link-local one
/// (SIOCDIFADDR each).
pub fn clear_ipv6(ifname: &str) -> io::Result<()> {
    let i = index(ifname)?;
    let table = std::fs::read_to_string("/proc/net/if_inet6")?;
    let s = socket(libc::AF_INET6)?;
    for (addr, plen) in ipv6_addresses(&table, i as u32) {
        let r = libc::in6_ifreq {
            ifr6_addr: in6(addr),
            ifr6_prefixlen: u32::from(plen),
            ifr6_ifindex: i,
        };
        // SAFETY: SIOCDIFADDR with a valid in6_ifreq on an AF_INET6 socket.
        check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCDIFADDR, &r) })?;
    }
    Ok(())
}

/// Add the IPv4 default route (SIOCADDRT).
pub fn add_default_route(gateway: Ipv4Addr) -> io::Result<()> {
    let s = socket(libc::AF_INET)?;
    // SAFETY: rtentry is plain data; all-zero is valid.
    let mut rt: libc::rtentry = unsafe { std::mem::zeroed() };
    rt.rt_dst = sockaddr_v4(Ipv4Addr::UNSPECIFIED);
    rt.rt_genmask = sockaddr_v4(Ipv4Addr::UNSPECIFIED);
    rt.rt_gateway = sockaddr_v4(gateway);
    rt.rt_flags = libc::RTF_UP | libc::RTF_GATEWAY;
    // SAFETY: SIOCADDRT with a valid rtentry.
    check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCADDRT, &rt) })
}

/// Add a route through `ifname` (SIOCADDRT: an `rtentry` naming the
/// device for IPv4, an `in6_rtmsg` with its index for IPv6).
pub fn add_route(ifname: &str, route: &RouteConfig) -> io::Result<()> {
    let host = route.dest.prefix == if route.via.is_ipv4() { 32 } else { 128 };
    let flags = libc::RTF_UP | libc::RTF_GATEWAY | if host { libc::RTF_HOST } else { 0 };
    match (route.dest.network(), route.via) {
        (IpAddr::V4(dest), IpAddr::V4(via)) => {
            let s = socket(libc::AF_INET)?;
            let dev = CString::new(ifname).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidInput, "NUL in an interface name")
            })?;
            // SAFETY: rtentry is plain data; all-zero is valid.
            let mut rt: libc::rtentry = unsafe { std::mem::zeroed() };
            rt.rt_dst = sockaddr_v4(dest);
            rt.rt_genmask = sockaddr_v4(netmask(route.dest.prefix));
            rt.rt_gateway = sockaddr_v4(via);
            rt.rt_flags = flags;
            // The kernel only reads the name; `dev` outlives the call.
            rt.rt_dev = dev.as_ptr().cast_mut();
            // SAFETY: SIOCADDRT with a valid rtentry.
            check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCADDRT, &rt) })
        }
        (IpAddr::V6(dest), IpAddr::V6(via)) => {
            let s = socket(libc::AF_INET6)?;
            let rt = In6Rtmsg {
                dst: in6(dest),
                src: in6(Ipv6Addr::UNSPECIFIED),
                gateway: in6(via),
                kind: 0,
                dst_len: u16::from(route.dest.prefix),
                src_len: 0,
                // 0: the kernel's metric for routes added by hand (1024).
                metric: 0,
                info: 0,
                flags: u32::from(flags),
                ifindex: index(ifname)?,
            };
            // SAFETY: SIOCADDRT with a valid in6_rtmsg on an AF_INET6 socket.
            check(unsafe { libc::ioctl(s.as_raw_fd(), libc::SIOCADDRT, &rt) })
        }
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("route {route}: the destination and gateway are of two families"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netmasks() {
        assert_eq!(netmask(0), Ipv4Addr::UNSPECIFIED);
        assert_eq!(netmask(24), Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(netmask(32), Ipv4Addr::BROADCAST);
        assert_eq!(netmask(40), Ipv4Addr::BROADCAST);
    }

    #[test]
    fn global_ipv6_addresses_are_read_from_if_inet6() {
        let table = "\
fd420231000900000000000000000005 02 40 00 80       eth0
fe80000000000000980b1cfffe2d3e4f 02 40 20 80       eth0
00000000000000000000000000000001 01 80 10 80       lo
fd000000000000000000000000000007 03 30 00 80       eth1
";
        assert_eq!(
            ipv6_addresses(table, 2),
            [("fd42:231:9::5".parse().unwrap(), 64)]
        );
        assert_eq!(ipv6_addresses(table, 3), [("fd00::7".parse().unwrap(), 48)]);
        assert!(ipv6_addresses(table, 9).is_empty());
        assert!(ipv6_addresses("garbage\n", 2).is_empty());
    }
}
