//! Kernel modules from the image's manifest `/lib/modules/vicport.modules`:
//! one path per line relative to `/lib/modules/<release>/`, ordered
//! dependencies-first by the image builder, each optionally followed by
//! `:` and the names of the modules it needs (`kernel/a.ko: b c`), loaded
//! with `finit_module`.
//!
//! The boot loads only what the domain needs, in three phases: before the
//! config, the platform's own devices ([`early`]); once the config is
//! read, what its spec uses ([`for_spec`]: disks, shares, networks,
//! overlay mounts); after the tether is ready, the rest it may use later
//! ([`later`]: the balloon, a network driver for interfaces that join).
//! Within a phase, modules whose dependencies are loaded load at once, on
//! threads. A manifest without `:` lists (an older builder's) loads in its
//! order, one after another.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::sys::Sys;
use tether_protocol::config::DomainConfig;

/// Where the image builder puts the manifest.
pub const MANIFEST: &str = "/lib/modules/vicport.modules";

/// One manifest line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to `/lib/modules/<release>/`.
    pub path: String,
    /// The module's name (underscores).
    pub name: String,
    /// The modules it needs, by name; None on a line without `:`.
    pub deps: Option<Vec<String>>,
}

/// The module name of a path (`kernel/net/vmw_vsock/vsock.ko` is `vsock`;
/// dashes are underscores).
pub fn name_of(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".ko").unwrap_or(file).replace('-', "_")
}

/// Parse the manifest: blank lines and `#` comments are skipped; absolute
/// paths and `..` are refused (line named).
pub fn parse_manifest(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (path, deps) = match l.split_once(':') {
            Some((p, d)) => (
                p.trim(),
                Some(d.split_whitespace().map(|n| n.replace('-', "_")).collect()),
            ),
            None => (l, None),
        };
        if path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(format!(
                "{MANIFEST} line {}: `{path}` must be relative to /lib/modules/<release>/",
                i + 1
            ));
        }
        out.push(Entry {
            path: path.to_string(),
            name: name_of(path),
            deps,
        });
    }
    Ok(out)
}

/// What loading modules did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ModuleReport {
    /// Loaded now.
    pub loaded: Vec<String>,
    /// Already loaded (EEXIST).
    pub present: Vec<String>,
    /// Missing or failed, with why.
    pub failed: Vec<(String, String)>,
}

impl ModuleReport {
    /// One console line: `kernel modules (phase): 3 loaded, ...`.
    pub fn summary(&self, phase: &str) -> String {
        format!(
            "kernel modules ({phase}): {} loaded, {} already present, {} failed",
            self.loaded.len(),
            self.present.len(),
            self.failed.len()
        )
    }
}

/// The platform's devices and ports, needed before the config is read
/// (QEMU: fw_cfg holds the config, virtio-serial the link). VMware needs
/// none: guestinfo is read through the backdoor, the link is a UART.
const QEMU_EARLY: [&str; 4] = ["virtio_mmio", "virtio_pci", "qemu_fw_cfg", "virtio_console"];
/// Disk controllers and disks, for a root disk or volumes.
const QEMU_BLOCK: [&str; 1] = ["virtio_blk"];
const VMWARE_BLOCK: [&str; 2] = ["vmw_pvscsi", "sd_mod"];
/// NICs.
const QEMU_NET: [&str; 1] = ["virtio_net"];
const VMWARE_NET: [&str; 1] = ["vmxnet3"];
/// Modules nothing in the guest uses (the tether's link and log are
/// serial ports, never vsock): never loaded.
const UNUSED: [&str; 6] = [
    "vsock",
    "vsock_loopback",
    "vmw_vsock_virtio_transport",
    "vmw_vsock_virtio_transport_common",
    "vmw_vsock_vmci_transport",
    "vmw_vmci",
];

/// Whether a module the boot knows nothing about (or the platform's own)
/// loads before the config: every module but those [`for_spec`] and
/// [`later`] decide on, and the unused ones.
pub fn early(name: &str, vmware: bool) -> bool {
    let known = QEMU_EARLY
        .iter()
        .chain(&QEMU_BLOCK)
        .chain(&VMWARE_BLOCK)
        .chain(&QEMU_NET)
        .chain(&VMWARE_NET)
        .chain(&UNUSED)
        .chain(&["virtiofs", "overlay", "ext4", "virtio_balloon"])
        .any(|k| *k == name);
    if known {
        !vmware && QEMU_EARLY.contains(&name)
    } else {
        true
    }
}

/// Whether the domain's spec uses a module: a disk driver for a root disk
/// or volumes, ext4 for them, virtio-fs for shares, overlay for overlay
/// mounts, the NIC driver for interfaces.
pub fn for_spec(name: &str, vmware: bool, cfg: &DomainConfig) -> bool {
    let disks = cfg.root.is_some() || !cfg.volumes.is_empty();
    let (block, net): (&[&str], &[&str]) = if vmware {
        (&VMWARE_BLOCK, &VMWARE_NET)
    } else {
        (&QEMU_BLOCK, &QEMU_NET)
    };
    (disks && (block.contains(&name) || name == "ext4"))
        || (!cfg.interfaces.is_empty() && net.contains(&name))
        || (name == "virtiofs" && !vmware && (cfg.root_share.is_some() || !cfg.shares.is_empty()))
        || (name == "overlay" && cfg.mounts.iter().any(|m| m.fstype == "overlay"))
}

/// Whether a module loads after the tether is ready: the balloon (free
/// page reporting), and the NIC driver, for interfaces that join the
/// running domain (a no-op when the spec loaded it already).
pub fn later(name: &str, vmware: bool) -> bool {
    if vmware {
        VMWARE_NET.contains(&name)
    } else {
        name == "virtio_balloon" || QEMU_NET.contains(&name)
    }
}

/// The manifest and what has been loaded from it so far.
#[derive(Debug, Default)]
pub struct Loader {
    release: String,
    entries: Vec<Entry>,
    /// Entries some other entry needs: loaded only for those.
    needed_by_others: BTreeSet<String>,
    /// Entries tried already (loaded or failed).
    tried: BTreeSet<usize>,
}

impl Loader {
    /// Read the manifest and the kernel release; what is missing is said on
    /// the console and loads nothing.
    pub fn open(sys: &dyn Sys) -> Loader {
        let text = match sys.read_file(MANIFEST) {
            Ok(t) => String::from_utf8_lossy(&t).into_owned(),
            Err(e) => {
                super::say(&format!(
                    "no module manifest {MANIFEST}: {e}; loading no modules"
                ));
                return Loader::default();
            }
        };
        let entries = match parse_manifest(&text) {
            Ok(l) => l,
            Err(e) => {
                super::say(&e);
                return Loader::default();
            }
        };
        let release = match sys.kernel_release() {
            Ok(r) => r,
            Err(e) => {
                super::say(&format!(
                    "cannot read the kernel release: {e}; loading no modules"
                ));
                return Loader::default();
            }
        };
        let needed_by_others = entries
            .iter()
            .flat_map(|e| e.deps.iter().flatten().cloned())
            .collect();
        Loader {
            release,
            entries,
            needed_by_others,
            tried: BTreeSet::new(),
        }
    }

    /// Load the modules `want` picks (by name, among those no other module
    /// needs) with what they need, skipping what was tried before.
    pub fn load(&mut self, sys: &dyn Sys, want: impl Fn(&str) -> bool) -> ModuleReport {
        let index: BTreeMap<&str, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        let mut set = BTreeSet::new();
        let mut stack: Vec<usize> = (0..self.entries.len())
            .filter(|i| {
                let e = &self.entries[*i];
                !self.needed_by_others.contains(&e.name) && want(&e.name)
            })
            .collect();
        while let Some(i) = stack.pop() {
            if self.tried.contains(&i) || !set.insert(i) {
                continue;
            }
            for d in self.entries[i].deps.iter().flatten() {
                if let Some(&j) = index.get(d.as_str()) {
                    stack.push(j);
                }
            }
        }
        self.tried.extend(&set);
        let ordered = self.entries.iter().all(|e| e.deps.is_none());
        let results: Vec<(usize, Result<(), String>)> = if ordered {
            set.iter().map(|&i| (i, self.load_one(sys, i))).collect()
        } else {
            self.load_parallel(sys, &set, &index)
        };
        let mut report = ModuleReport::default();
        for (i, r) in results {
            let path = self.entries[i].path.clone();
            match r {
                Ok(()) => report.loaded.push(path),
                Err(e) if e == "EEXIST" => report.present.push(path),
                Err(e) => report.failed.push((path, e)),
            }
        }
        report
    }

    /// Load `set` as a dataflow: each module on its own thread once what
    /// it needs (within the set) has been tried. Results in manifest order.
    fn load_parallel(
        &self,
        sys: &dyn Sys,
        set: &BTreeSet<usize>,
        index: &BTreeMap<&str, usize>,
    ) -> Vec<(usize, Result<(), String>)> {
        let done: Mutex<BTreeMap<usize, Result<(), String>>> = Mutex::new(BTreeMap::new());
        let changed = Condvar::new();
        std::thread::scope(|s| {
            for &i in set {
                let waits: Vec<usize> = self.entries[i]
                    .deps
                    .iter()
                    .flatten()
                    .filter_map(|d| index.get(d.as_str()).copied())
                    .filter(|j| set.contains(j))
                    .collect();
                let (done, changed) = (&done, &changed);
                s.spawn(move || {
                    let mut g = super::session::lock(done);
                    while !waits.iter().all(|j| g.contains_key(j)) {
                        g = changed
                            .wait_timeout(g, Duration::from_secs(1))
                            .map(|(g, _)| g)
                            .unwrap_or_else(|e| e.into_inner().0);
                    }
                    drop(g);
                    let r = self.load_one(sys, i);
                    super::session::lock(done).insert(i, r);
                    changed.notify_all();
                });
            }
        });
        done.into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    }

    /// `finit_module` one entry: Ok, Err("EEXIST") when loaded already, or
    /// why it failed (said on the console).
    fn load_one(&self, sys: &dyn Sys, i: usize) -> Result<(), String> {
        let path = format!("/lib/modules/{}/{}", self.release, self.entries[i].path);
        match sys.finit_module(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => Err("EEXIST".into()),
            Err(e) => {
                // finit_module says ENOENT for unknown symbols too.
                let why = if e.raw_os_error() == Some(libc::ENOENT) && sys.exists(&path) {
                    "unknown symbols: a module it depends on is missing or listed after it (see dmesg)".to_string()
                } else {
                    e.to_string()
                };
                super::say(&format!("cannot load kernel module {path}: {why}"));
                Err(why)
            }
        }
    }
}

/// Load every module of the manifest (serve mode and tests).
pub fn load_manifest(sys: &dyn Sys) -> ModuleReport {
    Loader::open(sys).load(sys, |_| true)
}

/// Whether the modules of the last phase ([`later`]) are loaded; interfaces
/// that join wait for it before they look for their NIC. Settled unless a
/// boot deferred modules ([`unsettle`]).
static SETTLED: (Mutex<bool>, Condvar) = (Mutex::new(true), Condvar::new());

/// Say that modules are deferred to a later phase.
pub fn unsettle() {
    *super::session::lock(&SETTLED.0) = false;
}

/// Say that the last phase is done.
pub fn settle() {
    *super::session::lock(&SETTLED.0) = true;
    SETTLED.1.notify_all();
}

/// Wait up to `wait` for [`settle`]; true if settled.
pub fn wait_settled(wait: Duration) -> bool {
    let g = super::session::lock(&SETTLED.0);
    let (g, _) = SETTLED
        .1
        .wait_timeout_while(g, wait, |s| !*s)
        .unwrap_or_else(|e| e.into_inner());
    *g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    #[test]
    fn manifest_parsing() {
        let l = parse_manifest("# deps first\nkernel/a.ko\n\n  kernel/b-c.ko: a x-y \n").unwrap();
        let paths: Vec<&str> = l.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, vec!["kernel/a.ko", "kernel/b-c.ko"]);
        assert_eq!(l[0].deps, None);
        assert_eq!(l[1].name, "b_c");
        assert_eq!(l[1].deps, Some(vec!["a".to_string(), "x_y".to_string()]));
        assert!(
            parse_manifest("ok.ko\n/abs.ko\n")
                .unwrap_err()
                .contains("line 2")
        );
        assert!(parse_manifest("../x.ko\n").is_err());
    }

    #[test]
    fn loads_in_order_tolerating_eexist_and_reporting_failures() {
        let sys = FakeSys::new();
        sys.add_file(
            MANIFEST,
            "kernel/virtio.ko\nkernel/virtio_ring.ko\nkernel/missing.ko\nkernel/virtio_blk.ko\n",
        );
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/virtio_ring.ko",
            libc::EEXIST,
        );
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/missing.ko",
            libc::ENOENT,
        );
        // Present but with unresolved symbols: the kernel says ENOENT too.
        sys.add_file("/lib/modules/6.1.0-test/kernel/virtio_blk.ko", "ko");
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/virtio_blk.ko",
            libc::ENOENT,
        );
        let r = load_manifest(&sys);
        assert_eq!(r.loaded, vec!["kernel/virtio.ko"]);
        assert_eq!(r.present, vec!["kernel/virtio_ring.ko"]);
        assert_eq!(r.failed.len(), 2);
        assert_eq!(r.failed[0].0, "kernel/missing.ko");
        assert!(r.failed[0].1.contains("No such file"), "{:?}", r.failed);
        assert_eq!(r.failed[1].0, "kernel/virtio_blk.ko");
        assert!(r.failed[1].1.contains("unknown symbols"), "{:?}", r.failed);
        assert_eq!(
            sys.calls(),
            [
                "finit_module /lib/modules/6.1.0-test/kernel/virtio.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/virtio_ring.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/missing.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/virtio_blk.ko",
            ]
        );
    }

    #[test]
    fn an_empty_manifest_loads_nothing_and_fails_nothing() {
        // What the image builder writes for a kernel with every driver
        // built in (the microvm flavour): an empty file.
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, "");
        assert_eq!(load_manifest(&sys), ModuleReport::default());
        assert!(sys.calls().is_empty(), "{:?}", sys.calls());
    }

    #[test]
    fn a_missing_manifest_loads_nothing() {
        let sys = FakeSys::new();
        assert_eq!(load_manifest(&sys), ModuleReport::default());
        assert!(sys.calls().is_empty());
    }

    /// The cloud kernel's manifest as the builder writes it (a part).
    const CLOUD: &str = "kernel/drivers/virtio/virtio.ko:
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_mmio.ko: virtio virtio_ring
kernel/drivers/firmware/qemu_fw_cfg.ko:
kernel/drivers/char/virtio_console.ko: virtio virtio_ring
kernel/drivers/block/virtio_blk.ko: virtio virtio_ring
kernel/net/core/failover.ko:
kernel/drivers/net/net_failover.ko: failover
kernel/drivers/net/virtio_net.ko: net_failover virtio virtio_ring
kernel/fs/fuse/fuse.ko:
kernel/fs/fuse/virtiofs.ko: fuse virtio virtio_ring
kernel/fs/overlayfs/overlay.ko:
kernel/drivers/virtio/virtio_balloon.ko: virtio virtio_ring
kernel/net/vmw_vsock/vsock.ko:
kernel/drivers/scsi/vmw_pvscsi.ko:
kernel/drivers/net/vmxnet3/vmxnet3.ko:
kernel/drivers/misc/something_new.ko:
";

    fn loaded(sys: &FakeSys) -> Vec<String> {
        sys.calls()
            .iter()
            .filter_map(|c| c.strip_prefix("finit_module /lib/modules/6.1.0-test/"))
            .map(name_of)
            .collect()
    }

    #[test]
    fn phases_load_only_what_the_platform_and_the_spec_use_each_after_its_dependencies() {
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, CLOUD);
        let mut l = Loader::open(&sys);
        let r = l.load(&sys, |m| early(m, false));
        assert!(r.failed.is_empty(), "{r:?}");
        let mut got = loaded(&sys);
        let pos = |v: &[String], n: &str| v.iter().position(|m| m == n).unwrap();
        // Dependencies load before what needs them, whatever the threads did.
        assert!(pos(&got, "virtio") < pos(&got, "virtio_mmio"), "{got:?}");
        assert!(
            pos(&got, "virtio_ring") < pos(&got, "virtio_console"),
            "{got:?}"
        );
        got.sort();
        assert_eq!(
            got,
            [
                "qemu_fw_cfg",
                "something_new",
                "virtio",
                "virtio_console",
                "virtio_mmio",
                "virtio_ring"
            ]
        );
        // A spec with a root disk and nothing else: the disk driver alone
        // (virtio and virtio_ring are loaded already).
        let mut cfg = DomainConfig::new(vec![1], tether_protocol::config::PortSpec::Serial(1));
        cfg.root = Some(tether_protocol::config::DiskSource::Label("r".into()));
        let r = l.load(&sys, |m| for_spec(m, false, &cfg));
        assert_eq!(r.loaded, ["kernel/drivers/block/virtio_blk.ko"]);
        // After ready: the balloon and the NIC driver with its own.
        let r = l.load(&sys, |m| later(m, false));
        let mut names: Vec<String> = r.loaded.iter().map(|p| name_of(p)).collect();
        names.sort();
        assert_eq!(
            names,
            ["failover", "net_failover", "virtio_balloon", "virtio_net"]
        );
        // Never: virtio-fs and overlay (unused by this spec), vsock, VMware's.
        for never in [
            "virtiofs",
            "fuse",
            "overlay",
            "vsock",
            "vmw_pvscsi",
            "vmxnet3",
        ] {
            assert!(!loaded(&sys).iter().any(|m| m == never), "{never} loaded");
        }
    }

    #[test]
    fn a_spec_with_shares_networks_and_overlay_mounts_loads_their_modules() {
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, CLOUD);
        let mut l = Loader::open(&sys);
        l.load(&sys, |m| early(m, false));
        let mut cfg = DomainConfig::new(vec![1], tether_protocol::config::PortSpec::Serial(1));
        cfg.shares = vec![tether_protocol::config::ShareConfig {
            tag: "t".into(),
            subpath: String::new(),
            path: "/s".into(),
            read_only: false,
        }];
        cfg.interfaces = vec![Default::default()];
        cfg.mounts = vec![tether_protocol::config::GuestMount {
            fstype: "overlay".into(),
            source: String::new(),
            path: "/x".into(),
            options: vec![],
        }];
        let r = l.load(&sys, |m| for_spec(m, false, &cfg));
        let mut names: Vec<String> = r.loaded.iter().map(|p| name_of(p)).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "failover",
                "fuse",
                "net_failover",
                "overlay",
                "virtio_net",
                "virtiofs"
            ]
        );
        // On VMware: no virtio at all before the config.
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, CLOUD);
        let r = Loader::open(&sys).load(&sys, |m| early(m, true));
        assert_eq!(r.loaded, ["kernel/drivers/misc/something_new.ko"]);
    }

    #[test]
    fn what_a_failed_dependency_leaves_is_still_tried_and_reported() {
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, CLOUD);
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/drivers/virtio/virtio.ko",
            libc::EEXIST,
        );
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/drivers/virtio/virtio_ring.ko",
            libc::EINVAL,
        );
        let r = Loader::open(&sys).load(&sys, |m| m == "virtio_mmio");
        assert_eq!(r.present, ["kernel/drivers/virtio/virtio.ko"]);
        assert_eq!(r.failed.len(), 1, "{r:?}");
        assert_eq!(r.loaded, ["kernel/drivers/virtio/virtio_mmio.ko"]);
    }
}
