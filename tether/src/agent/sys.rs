//! The syscall seam of PID 1: every side effect of the init sequence goes
//! through [`Sys`], with the real Linux implementation and a recording fake
//! that lets the sequence be unit-tested without root or a VM.

use std::collections::{BTreeMap, HashMap};
use std::ffi::CString;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::sync::Mutex;
use std::time::Duration;

use tether_protocol::config::{DeviceNode, RouteConfig};

use super::backdoor::{Backdoor, IoPortBackdoor};
use super::ifaddr;
use super::session::lock;

/// `mount(2)` flags used by the tether.
pub mod flags {
    #![allow(missing_docs)]
    pub const RDONLY: u64 = libc::MS_RDONLY;
    pub const NOSUID: u64 = libc::MS_NOSUID;
    pub const NODEV: u64 = libc::MS_NODEV;
    pub const NOEXEC: u64 = libc::MS_NOEXEC;
    pub const BIND: u64 = libc::MS_BIND;
    pub const REC: u64 = libc::MS_REC;
    pub const SHARED: u64 = libc::MS_SHARED;
    pub const SLAVE: u64 = libc::MS_SLAVE;
    pub const PRIVATE: u64 = libc::MS_PRIVATE;
    pub const UNBINDABLE: u64 = libc::MS_UNBINDABLE;
    pub const REMOUNT: u64 = libc::MS_REMOUNT;
    pub const RELATIME: u64 = libc::MS_RELATIME;
    pub const STRICTATIME: u64 = libc::MS_STRICTATIME;
    pub const NOATIME: u64 = libc::MS_NOATIME;
}

/// Every side effect PID 1 has.
pub trait Sys: Send + Sync {
    /// `mount(2)`.
    fn mount(
        &self,
        source: &str,
        target: &str,
        fstype: &str,
        flags: u64,
        data: &str,
    ) -> io::Result<()>;
    /// `umount2(2)` with MNT_DETACH.
    fn umount(&self, target: &str) -> io::Result<()>;
    /// `mkdir -p`.
    fn mkdir_all(&self, path: &str) -> io::Result<()>;
    /// `symlink(2)`: `link` pointing at `target`.
    fn symlink(&self, target: &str, link: &str) -> io::Result<()>;
    /// `finit_module(2)` of a `.ko` file.
    fn finit_module(&self, path: &str) -> io::Result<()>;
    /// `uname -r`.
    fn kernel_release(&self) -> io::Result<String>;
    /// `sethostname(2)`.
    fn sethostname(&self, name: &str) -> io::Result<()>;
    /// Read a whole file (/proc, /sys, config, manifests).
    fn read_file(&self, path: &str) -> io::Result<Vec<u8>>;
    /// Read `len` bytes at `offset` (superblocks).
    fn read_at(&self, path: &str, offset: u64, len: usize) -> io::Result<Vec<u8>>;
    /// Write a whole file.
    fn write_file(&self, path: &str, data: &[u8]) -> io::Result<()>;
    /// Write a whole file of the container: its `path` (made 0644 if
    /// missing) resolved inside `root` as the container would resolve it,
    /// every link on the way followed there and nowhere else.
    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()>;
    /// The target of the symbolic link at `path`; None for anything else
    /// that is there.
    fn read_link(&self, path: &str) -> io::Result<Option<String>>;
    /// Names in a directory, sorted.
    fn read_dir(&self, path: &str) -> io::Result<Vec<String>>;
    /// Whether a path exists.
    fn exists(&self, path: &str) -> bool;
    /// Whether a path is a directory (following symbolic links).
    fn is_dir(&self, path: &str) -> bool;
    /// Set IFF_UP on an interface (SIOCSIFFLAGS).
    fn link_up(&self, ifname: &str) -> io::Result<()>;
    /// Clear IFF_UP on an interface (SIOCSIFFLAGS): routes through it go.
    fn link_down(&self, ifname: &str) -> io::Result<()>;
    /// Delete an interface's IPv4 address (SIOCSIFADDR 0.0.0.0 deletes it).
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()>;
    /// Assign an IPv4 address and netmask (SIOCSIFADDR, SIOCSIFNETMASK).
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()>;
    /// Set an interface's MTU (SIOCSIFMTU).
    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()>;
    /// Assign an IPv6 address, without duplicate address detection.
    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()>;
    /// Delete an interface's IPv6 addresses but its link-local one.
    fn clear_ipv6(&self, ifname: &str) -> io::Result<()>;
    /// Add the IPv4 default route (SIOCADDRT).
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()>;
    /// Add a route of either family through `ifname` (SIOCADDRT).
    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()>;
    /// `kill(2)`.
    fn kill(&self, pid: i32, sig: i32) -> io::Result<()>;
    /// `sync(2)`.
    fn sync(&self);
    /// `syncfs(2)` of the filesystem mounted at `path`.
    fn syncfs(&self, path: &str) -> io::Result<()>;
    /// `reboot(RB_POWER_OFF)`.
    fn power_off(&self) -> io::Result<()>;
    /// Sleep (the fake only records it).
    fn sleep(&self, d: Duration);
    /// Run a helper program to completion (mkfs), before the reaper starts,
    /// with stdin at end of file and stdout/stderr on the console.
    fn run(&self, argv: &[&str]) -> io::Result<i32>;
    /// The CPUID hypervisor vendor (leaf 0x40000000), if a hypervisor is present.
    fn hypervisor_vendor(&self) -> Option<String>;
    /// Permission for this process to use I/O port `port` (`ioperm(2)`).
    fn io_permission(&self, port: u16) -> io::Result<()>;
    /// The VMware backdoor I/O port; only touch it after checking the vendor
    /// (`platform::vmware_backdoor` does).
    fn backdoor(&self) -> Option<Box<dyn Backdoor>>;
    /// Make /dev/console the tether's stdin, stdout and stderr.
    fn reopen_console(&self) -> io::Result<()>;
    /// Remove a file or a directory tree (a missing path is fine).
    fn remove_all(&self, path: &str) -> io::Result<()>;
    /// `rmdir(2)` of an empty directory: unlike `remove_all`, it never
    /// removes what a directory holds (a mount still on it, say).
    fn remove_dir(&self, path: &str) -> io::Result<()>;
    /// `mknod(2)` of `node` at `path`, then its mode (the umask left out)
    /// and owner set as it says.
    fn make_node(&self, path: &str, node: &DeviceNode) -> io::Result<()>;
    /// Start reading the program `argv0` (found with the environment
    /// `env` in the container's `root`) into the page cache, in the
    /// background ([`super::prefetch`]).
    fn prefetch(&self, root: &str, argv0: &str, env: &[String], cwd: &str);
}

/// Make the mount at `target` read-only (a bind remount).
pub fn remount_read_only(sys: &dyn Sys, target: &str) -> io::Result<()> {
    MountCall::read_only(target).run(sys)
}

/// One `mount(2)` call, planned: made now through [`Sys`], or later by a
/// process that must make it itself (the init of a pid namespace mounts
/// its /proc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountCall {
    pub source: String,
    pub target: String,
    /// "" for a bind or a remount.
    pub fstype: String,
    pub flags: u64,
    /// "" for none.
    pub data: String,
}

impl MountCall {
    /// Bind `source` at `target` (`extra` flags added to MS_BIND).
    pub fn bind(source: &str, target: &str, extra: u64) -> Self {
        MountCall {
            source: source.into(),
            target: target.into(),
            fstype: String::new(),
            flags: flags::BIND | extra,
            data: String::new(),
        }
    }

    /// The bind remount that makes the mount at `target` read-only.
    pub fn read_only(target: &str) -> Self {
        MountCall {
            source: String::new(),
            target: target.into(),
            fstype: String::new(),
            flags: flags::BIND | flags::REMOUNT | flags::RDONLY,
            data: String::new(),
        }
    }

    /// Make it through `sys`.
    pub fn run(&self, sys: &dyn Sys) -> io::Result<()> {
        sys.mount(
            &self.source,
            &self.target,
            &self.fstype,
            self.flags,
            &self.data,
        )
    }
}

fn cs(s: &str) -> io::Result<CString> {
    CString::new(s)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, format!("{s:?} contains NUL")))
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// The real thing.
#[derive(Debug, Default)]
pub struct LinuxSys;

impl Sys for LinuxSys {
    fn mount(
        &self,
        source: &str,
        target: &str,
        fstype: &str,
        flags: u64,
        data: &str,
    ) -> io::Result<()> {
        let (s, t, f, d) = (cs(source)?, cs(target)?, cs(fstype)?, cs(data)?);
        // SAFETY: valid C strings; data may be null.
        check(unsafe {
            libc::mount(
                s.as_ptr(),
                t.as_ptr(),
                if fstype.is_empty() {
                    std::ptr::null()
                } else {
                    f.as_ptr()
                },
                flags as libc::c_ulong,
                if data.is_empty() {
                    std::ptr::null()
                } else {
                    d.as_ptr().cast()
                },
            )
        })
    }

    fn umount(&self, target: &str) -> io::Result<()> {
        let t = cs(target)?;
        // SAFETY: valid C string.
        check(unsafe { libc::umount2(t.as_ptr(), libc::MNT_DETACH) })
    }

    fn mkdir_all(&self, path: &str) -> io::Result<()> {
        fs::create_dir_all(path)
    }

    fn symlink(&self, target: &str, link: &str) -> io::Result<()> {
        std::os::unix::fs::symlink(target, link)
    }

    fn finit_module(&self, path: &str) -> io::Result<()> {
        let f = fs::File::open(path)?;
        let empty = c"";
        // SAFETY: finit_module with an open fd and an empty parameter string.
        let rc = unsafe { libc::syscall(libc::SYS_finit_module, f.as_raw_fd(), empty.as_ptr(), 0) };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    fn kernel_release(&self) -> io::Result<String> {
        // SAFETY: utsname is plain data filled by uname.
        let mut u: libc::utsname = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointer.
        check(unsafe { libc::uname(&mut u) })?;
        let bytes: Vec<u8> = u
            .release
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn sethostname(&self, name: &str) -> io::Result<()> {
        // SAFETY: pointer and length of a valid slice.
        check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) })
    }

    fn read_file(&self, path: &str) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn read_at(&self, path: &str, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let f = fs::File::open(path)?;
        let mut buf = vec![0; len];
        f.read_exact_at(&mut buf, offset)?;
        Ok(buf)
    }

    fn write_file(&self, path: &str, data: &[u8]) -> io::Result<()> {
        fs::write(path, data)
    }

    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()> {
        super::inroot::Root::open(std::path::Path::new(root))?.write_file(path.as_bytes(), data)
    }

    fn read_link(&self, path: &str) -> io::Result<Option<String>> {
        if !fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Ok(None);
        }
        fs::read_link(path)?
            .into_os_string()
            .into_string()
            .map(Some)
            .map_err(|t| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{path} links to {t:?}, a name that is not UTF-8"),
                )
            })
    }

    fn read_dir(&self, path: &str) -> io::Result<Vec<String>> {
        let mut v: Vec<String> = fs::read_dir(path)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        Ok(v)
    }

    fn exists(&self, path: &str) -> bool {
        std::path::Path::new(path).exists()
    }

    fn is_dir(&self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }

    fn link_up(&self, ifname: &str) -> io::Result<()> {
        ifaddr::set_up(ifname, true)
    }

    fn link_down(&self, ifname: &str) -> io::Result<()> {
        ifaddr::set_up(ifname, false)
    }

    fn clear_ipv4(&self, ifname: &str) -> io::Result<()> {
        ifaddr::clear_ipv4(ifname)
    }

    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
        ifaddr::add_ipv4(ifname, addr, prefix)
    }

    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()> {
        ifaddr::set_mtu(ifname, mtu)
    }

    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
        ifaddr::add_ipv6(ifname, addr, prefix)
    }

    fn clear_ipv6(&self, ifname: &str) -> io::Result<()> {
        ifaddr::clear_ipv6(ifname)
    }

    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()> {
        ifaddr::add_default_route(gateway)
    }

    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()> {
        ifaddr::add_route(ifname, route)
    }

    fn kill(&self, pid: i32, sig: i32) -> io::Result<()> {
        // SAFETY: kill(2).
        check(unsafe { libc::kill(pid, sig) })
    }

    fn sync(&self) {
        // SAFETY: sync(2) has no arguments.
        unsafe { libc::sync() };
    }

    fn syncfs(&self, path: &str) -> io::Result<()> {
        // Only a directory or a regular file is opened: opening a FIFO
        // could block, a device could act on it; neither holds data of
        // this guest's to flush.
        let kind = fs::symlink_metadata(path)?.file_type();
        if !(kind.is_dir() || kind.is_file()) {
            return Ok(());
        }
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
            .open(path)?;
        // SAFETY: a valid descriptor of a file on that filesystem.
        check(unsafe { libc::syncfs(file.as_raw_fd()) })
    }

    fn power_off(&self) -> io::Result<()> {
        // SAFETY: reboot(2); only PID 1 with CAP_SYS_BOOT gets here.
        check(unsafe { libc::reboot(libc::RB_POWER_OFF) })
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }

    fn run(&self, argv: &[&str]) -> io::Result<i32> {
        let (prog, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
        // No stdin: a helper that would ask a question (mke2fs does when
        // stdin is a terminal) gets end of file instead of waiting forever
        // on the console.
        let st = std::process::Command::new(prog)
            .args(args)
            .stdin(std::process::Stdio::null())
            .status()?;
        Ok(st.code().unwrap_or(128))
    }

    fn hypervisor_vendor(&self) -> Option<String> {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::__cpuid;
            let leaf1 = __cpuid(1);
            if leaf1.ecx & (1 << 31) == 0 {
                return None;
            }
            let v = __cpuid(0x4000_0000);
            let mut b = Vec::with_capacity(12);
            for r in [v.ebx, v.ecx, v.edx] {
                b.extend_from_slice(&r.to_le_bytes());
            }
            Some(
                String::from_utf8_lossy(&b)
                    .trim_end_matches('\0')
                    .to_string(),
            )
        }
        #[cfg(not(target_arch = "x86_64"))]
        None
    }

    fn io_permission(&self, port: u16) -> io::Result<()> {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: ioperm(2) changes this thread's I/O bitmap only.
            check(unsafe { libc::ioperm(libc::c_ulong::from(port), 1, 1) })
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = port;
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "no I/O ports on this architecture",
            ))
        }
    }

    fn backdoor(&self) -> Option<Box<dyn Backdoor>> {
        IoPortBackdoor::new().map(|b| Box::new(b) as Box<dyn Backdoor>)
    }

    fn reopen_console(&self) -> io::Result<()> {
        let f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/console")?;
        for target in 0..3 {
            // SAFETY: dup2 onto the standard descriptors.
            check(unsafe { libc::dup2(f.as_raw_fd(), target) })?;
        }
        Ok(())
    }

    fn remove_all(&self, path: &str) -> io::Result<()> {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
            Ok(m) if m.is_dir() => fs::remove_dir_all(path),
            Ok(_) => fs::remove_file(path),
        }
    }

    fn remove_dir(&self, path: &str) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn make_node(&self, path: &str, node: &DeviceNode) -> io::Result<()> {
        let p = cs(path)?;
        let kind = match node.kind {
            'b' => libc::S_IFBLK,
            'p' => libc::S_IFIFO,
            _ => libc::S_IFCHR,
        };
        let dev = libc::makedev(node.major, node.minor);
        // SAFETY: valid C string; plain system calls.
        unsafe {
            check(libc::mknod(p.as_ptr(), kind | node.mode, dev))?;
            check(libc::chmod(p.as_ptr(), node.mode))?;
            check(libc::chown(p.as_ptr(), node.uid, node.gid))
        }
    }

    fn prefetch(&self, root: &str, argv0: &str, env: &[String], cwd: &str) {
        let (root, argv0, env, cwd) = (
            root.to_string(),
            argv0.to_string(),
            env.to_vec(),
            cwd.to_string(),
        );
        super::session::spawn_thread("prefetch", move || {
            super::prefetch::read_ahead(&super::prefetch::plan(
                std::path::Path::new(&root),
                &argv0,
                &env,
                &cwd,
            ));
        });
    }
}

/// A recording fake: a small in-memory filesystem for reads, and a log of
/// every side effect in order.
#[derive(Default)]
pub struct FakeSys {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    /// Symbolic links: path, target.
    links: Mutex<HashMap<String, String>>,
    calls: Mutex<Vec<String>>,
    failures: Mutex<HashMap<String, i32>>,
    /// What `hypervisor_vendor` answers.
    pub vendor: Option<String>,
    /// The backdoor handed out (once).
    pub backdoor: Mutex<Option<Box<dyn Backdoor>>>,
    /// `uname -r`.
    pub release: String,
}

impl std::fmt::Debug for FakeSys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeSys")
            .field("calls", &*lock(&self.calls))
            .finish_non_exhaustive()
    }
}

impl FakeSys {
    /// An empty fake with kernel release `6.1.0-test`.
    pub fn new() -> Self {
        FakeSys {
            release: "6.1.0-test".into(),
            ..Default::default()
        }
    }

    /// Put a file into the fake filesystem.
    pub fn add_file(&self, path: &str, data: impl Into<Vec<u8>>) {
        lock(&self.files).insert(path.into(), data.into());
    }

    /// Put a symbolic link into the fake filesystem.
    pub fn add_link(&self, path: &str, target: &str) {
        lock(&self.links).insert(path.into(), target.into());
    }

    /// With a CPUID hypervisor vendor.
    pub fn with_vendor(vendor: &str) -> Self {
        FakeSys {
            vendor: Some(vendor.into()),
            ..Self::new()
        }
    }

    /// Take a file out of the fake filesystem.
    pub fn remove_file(&self, path: &str) {
        lock(&self.files).remove(path);
    }

    /// Make the call whose record starts with `prefix` fail with `errno`.
    pub fn fail(&self, prefix: &str, errno: i32) {
        lock(&self.failures).insert(prefix.into(), errno);
    }

    /// The recorded side effects.
    pub fn calls(&self) -> Vec<String> {
        lock(&self.calls).clone()
    }

    /// A file's content (written or added).
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        lock(&self.files).get(path).cloned()
    }

    fn record(&self, call: String) -> io::Result<()> {
        let failing = lock(&self.failures)
            .iter()
            .find(|(p, _)| call.starts_with(p.as_str()))
            .map(|(_, e)| *e);
        lock(&self.calls).push(call);
        match failing {
            Some(e) => Err(io::Error::from_raw_os_error(e)),
            None => Ok(()),
        }
    }
}

fn not_found(path: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{path}: not in the fake filesystem"),
    )
}

impl Sys for FakeSys {
    fn mount(
        &self,
        source: &str,
        target: &str,
        fstype: &str,
        flags: u64,
        data: &str,
    ) -> io::Result<()> {
        self.record(format!(
            "mount {source} {target} {fstype} {flags:#x} {data}"
        ))
    }
    fn umount(&self, target: &str) -> io::Result<()> {
        self.record(format!("umount {target}"))
    }
    fn mkdir_all(&self, path: &str) -> io::Result<()> {
        self.record(format!("mkdir {path}"))
    }
    fn symlink(&self, target: &str, link: &str) -> io::Result<()> {
        self.record(format!("symlink {link} -> {target}"))
    }
    fn finit_module(&self, path: &str) -> io::Result<()> {
        self.record(format!("finit_module {path}"))
    }
    fn kernel_release(&self) -> io::Result<String> {
        Ok(self.release.clone())
    }
    fn sethostname(&self, name: &str) -> io::Result<()> {
        self.record(format!("sethostname {name}"))
    }
    fn read_file(&self, path: &str) -> io::Result<Vec<u8>> {
        lock(&self.files)
            .get(path)
            .cloned()
            .ok_or_else(|| not_found(path))
    }
    fn read_at(&self, path: &str, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let f = lock(&self.files);
        let data = f.get(path).ok_or_else(|| not_found(path))?;
        let start = offset as usize;
        data.get(start..start + len)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::UnexpectedEof, format!("{path}: short read"))
            })
    }
    fn write_file(&self, path: &str, data: &[u8]) -> io::Result<()> {
        self.record(format!("write {path}"))?;
        lock(&self.files).insert(path.into(), data.to_vec());
        Ok(())
    }
    fn write_in_root(&self, root: &str, path: &str, data: &[u8]) -> io::Result<()> {
        let at = super::rootpath::resolve(self, root, path)?;
        self.write_file(&at, data)
    }
    fn read_link(&self, path: &str) -> io::Result<Option<String>> {
        if let Some(target) = lock(&self.links).get(path) {
            return Ok(Some(target.clone()));
        }
        if self.exists(path) {
            Ok(None)
        } else {
            Err(not_found(path))
        }
    }
    fn read_dir(&self, path: &str) -> io::Result<Vec<String>> {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let f = lock(&self.files);
        let mut names: Vec<String> = f
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or("").to_string())
            .collect();
        names.dedup();
        if names.is_empty() {
            return Err(not_found(path));
        }
        Ok(names)
    }
    fn exists(&self, path: &str) -> bool {
        let f = lock(&self.files);
        let prefix = format!("{}/", path.trim_end_matches('/'));
        f.contains_key(path) || f.keys().any(|k| k.starts_with(&prefix))
    }
    fn is_dir(&self, path: &str) -> bool {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        lock(&self.files).keys().any(|k| k.starts_with(&prefix))
    }
    fn link_up(&self, ifname: &str) -> io::Result<()> {
        self.record(format!("link_up {ifname}"))
    }
    fn link_down(&self, ifname: &str) -> io::Result<()> {
        self.record(format!("link_down {ifname}"))
    }
    fn clear_ipv4(&self, ifname: &str) -> io::Result<()> {
        self.record(format!("clear_ipv4 {ifname}"))
    }
    fn add_ipv4(&self, ifname: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
        self.record(format!("add_ipv4 {ifname} {addr}/{prefix}"))
    }
    fn set_mtu(&self, ifname: &str, mtu: u32) -> io::Result<()> {
        self.record(format!("mtu {ifname} {mtu}"))
    }
    fn add_ipv6(&self, ifname: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
        self.record(format!("add_ipv6 {ifname} {addr}/{prefix}"))
    }
    fn clear_ipv6(&self, ifname: &str) -> io::Result<()> {
        self.record(format!("clear_ipv6 {ifname}"))
    }
    fn add_default_route(&self, gateway: Ipv4Addr) -> io::Result<()> {
        self.record(format!("default_route {gateway}"))
    }
    fn add_route(&self, ifname: &str, route: &RouteConfig) -> io::Result<()> {
        self.record(format!("route {ifname} {route}"))
    }
    fn kill(&self, pid: i32, sig: i32) -> io::Result<()> {
        self.record(format!("kill {pid} {sig}"))
    }
    fn sync(&self) {
        let _ = self.record("sync".into());
    }
    fn syncfs(&self, path: &str) -> io::Result<()> {
        self.record(format!("syncfs {path}"))
    }
    fn power_off(&self) -> io::Result<()> {
        self.record("power_off".into())
    }
    fn sleep(&self, d: Duration) {
        let _ = self.record(format!("sleep {}ms", d.as_millis()));
    }
    fn run(&self, argv: &[&str]) -> io::Result<i32> {
        self.record(format!("run {}", argv.join(" "))).map(|_| 0)
    }
    fn hypervisor_vendor(&self) -> Option<String> {
        self.vendor.clone()
    }
    fn io_permission(&self, port: u16) -> io::Result<()> {
        self.record(format!("ioperm {port:#x}"))
    }
    fn backdoor(&self) -> Option<Box<dyn Backdoor>> {
        let _ = self.record("backdoor".into());
        lock(&self.backdoor).take()
    }
    fn reopen_console(&self) -> io::Result<()> {
        self.record("console".into())
    }

    fn remove_all(&self, path: &str) -> io::Result<()> {
        self.record(format!("remove {path}"))?;
        let prefix = format!("{}/", path.trim_end_matches('/'));
        lock(&self.files).retain(|k, _| k != path && !k.starts_with(&prefix));
        Ok(())
    }

    fn remove_dir(&self, path: &str) -> io::Result<()> {
        self.record(format!("rmdir {path}"))
    }

    fn make_node(&self, path: &str, node: &DeviceNode) -> io::Result<()> {
        self.record(format!(
            "mknod {path} {} {}:{} {:04o} {}:{}",
            node.kind, node.major, node.minor, node.mode, node.uid, node.gid
        ))
    }

    fn prefetch(&self, root: &str, argv0: &str, env: &[String], cwd: &str) {
        let _ = self.record(format!(
            "prefetch {root} {argv0} {} in {cwd}",
            env.join(" ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_containers_file_is_written_where_its_links_lead_inside_its_root() {
        let root = std::env::temp_dir().join(format!("tether-inroot-{}", std::process::id()));
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::create_dir_all(root.join("run/net")).unwrap();
        std::os::unix::fs::symlink("/run/net/resolv.conf", root.join("etc/resolv.conf")).unwrap();
        std::os::unix::fs::symlink("../../../../../../tmp", root.join("etc/up")).unwrap();
        let sys = LinuxSys;
        let r = root.to_string_lossy();
        sys.write_in_root(&r, "/etc/resolv.conf", b"nameserver 10.0.0.1\n")
            .unwrap();
        assert_eq!(
            fs::read(root.join("run/net/resolv.conf")).unwrap(),
            b"nameserver 10.0.0.1\n"
        );
        // Made 0644 when missing; replaced whole when there.
        sys.write_in_root(&r, "/etc/hosts", b"long first content\n")
            .unwrap();
        sys.write_in_root(&r, "/etc/hosts", b"short\n").unwrap();
        assert_eq!(fs::read(root.join("etc/hosts")).unwrap(), b"short\n");
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(root.join("etc/hosts"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
        // `..` through a link stops at the root: this lands in its /tmp.
        let name = format!("tether-inroot-escape-{}", std::process::id());
        sys.write_in_root(&r, &format!("/etc/up/{name}"), b"x")
            .unwrap_err();
        assert!(!std::path::Path::new("/tmp").join(&name).exists());
        fs::create_dir(root.join("tmp")).unwrap();
        sys.write_in_root(&r, &format!("/etc/up/{name}"), b"x")
            .unwrap();
        assert!(root.join("tmp").join(&name).exists());
        assert!(!std::path::Path::new("/tmp").join(&name).exists());
        // The same paths as the boot resolves them.
        assert_eq!(
            super::super::rootpath::resolve(&sys, &r, "/etc/resolv.conf").unwrap(),
            format!("{r}/run/net/resolv.conf")
        );
        assert_eq!(sys.read_link(&format!("{r}/etc/hosts")).unwrap(), None);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn syncfs_flushes_directories_and_files_and_never_opens_a_fifo() {
        let dir = std::env::temp_dir().join(format!("tether-syncfs-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("data");
        fs::write(&file, b"x").unwrap();
        let fifo = dir.join("fifo");
        let c = cs(&fifo.to_string_lossy()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let sys = LinuxSys;
        sys.syncfs(&dir.to_string_lossy()).unwrap();
        sys.syncfs(&file.to_string_lossy()).unwrap();
        // Opening a FIFO for reading would wait for a writer: skipped.
        sys.syncfs(&fifo.to_string_lossy()).unwrap();
        assert!(sys.syncfs(&dir.join("missing").to_string_lossy()).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
