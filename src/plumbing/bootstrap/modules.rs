//! Kernel module resolution: from the modules a guest needs to the closure
//! over their `depends=` lists, ordered dependencies first, deterministically.

use std::collections::{BTreeMap, BTreeSet};

use super::error::{BootstrapError, BuildResult};

/// The modules a containerVM needs, by module name. Dependencies (virtio,
/// virtio_ring, failover, net_failover, scsi_mod, ...) follow from the
/// modules' own metadata; `ext4` is listed so that a kernel without it built
/// in still gets it as a module (Debian's cloud kernel builds it in).
pub const DEFAULT_MODULES: &[&str] = &[
    // local platform: QEMU microVM devices and the config channel
    "virtio_mmio",
    "virtio_pci",
    "virtio_blk",
    "virtio_net",
    "virtio_console",
    "qemu_fw_cfg",
    // free page reporting: the host takes back what the guest frees
    "virtio_balloon",
    // vSphere devices
    "vmxnet3",
    "vmw_pvscsi",
    "sd_mod",
    // the vsock transports (tether link)
    "vsock",
    "vmw_vsock_virtio_transport",
    "vmw_vsock_vmci_transport",
    "vmw_vmci",
    // filesystems: the container root and volumes
    "overlay",
    "ext4",
    // host directories shared into the guest (local platform: virtio-fs)
    "virtiofs",
];

/// One module found in a kernel package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModuleInfo {
    /// Module name, underscores (`pvpanic_pci`).
    pub name: String,
    /// Path relative to `/lib/modules/<version>/`, as the guest will see it
    /// (a package's `.ko.xz` or `.ko.gz` is stored decompressed, as `.ko`).
    pub path: String,
    /// Names of the modules it needs loaded first.
    #[serde(default)]
    pub depends: Vec<String>,
    /// What it was built for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vermagic: Option<String>,
}

/// Module names are spelled with underscores; file names and requests may
/// use dashes (`crc32c-intel.ko` is `crc32c_intel`).
pub fn normalize(name: &str) -> String {
    name.trim().replace('-', "_")
}

/// The module name of a path like `kernel/fs/ext4/ext4.ko` (`modules.builtin`).
pub fn name_from_path(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file
        .strip_suffix(".ko")
        .or_else(|| file.strip_suffix(".ko.xz"))
        .or_else(|| file.strip_suffix(".ko.gz"))
        .or_else(|| file.strip_suffix(".ko.zst"))
        .unwrap_or(file);
    normalize(stem)
}

/// The resolved module set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Modules to load, each after everything it depends on.
    pub load_order: Vec<ModuleInfo>,
    /// Requested modules the kernel has built in (nothing to load).
    pub builtin: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Visiting,
    Done,
}

/// Resolve `wanted` against the package's modules and the kernel's built-in
/// list. The order depends only on the *set* of wanted names and on the
/// modules' metadata: requests are sorted, each module's dependencies are
/// visited in name order, and a module is emitted after its dependencies
/// (depth-first post-order). Every missing module is reported at once, with
/// the module that needs it.
pub fn resolve(
    available: &BTreeMap<String, ModuleInfo>,
    builtin: &BTreeSet<String>,
    wanted: &[String],
    package: &str,
) -> BuildResult<Resolution> {
    let wanted: BTreeSet<String> = wanted.iter().map(|w| normalize(w)).collect();
    let mut marks: BTreeMap<String, Mark> = BTreeMap::new();
    let mut order = Vec::new();
    let mut missing = Vec::new();
    let mut builtin_hits = Vec::new();
    for name in &wanted {
        if available.contains_key(name) {
            let mut stack = Vec::new();
            visit(
                name,
                available,
                builtin,
                &mut marks,
                &mut stack,
                &mut order,
                &mut missing,
            )?;
        } else if builtin.contains(name) {
            builtin_hits.push(name.clone());
        } else {
            missing.push((name.clone(), None));
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Err(BootstrapError::MissingModules {
            package: package.to_string(),
            missing,
        });
    }
    Ok(Resolution {
        load_order: order.into_iter().map(|n| available[&n].clone()).collect(),
        builtin: builtin_hits,
    })
}

fn visit(
    name: &str,
    available: &BTreeMap<String, ModuleInfo>,
    builtin: &BTreeSet<String>,
    marks: &mut BTreeMap<String, Mark>,
    stack: &mut Vec<String>,
    order: &mut Vec<String>,
    missing: &mut Vec<(String, Option<String>)>,
) -> BuildResult<()> {
    match marks.get(name) {
        Some(Mark::Done) => return Ok(()),
        Some(Mark::Visiting) => {
            let start = stack.iter().position(|s| s == name).unwrap_or(0);
            let mut cycle = stack[start..].to_vec();
            cycle.push(name.to_string());
            return Err(BootstrapError::DependencyCycle { cycle });
        }
        None => {}
    }
    marks.insert(name.to_string(), Mark::Visiting);
    stack.push(name.to_string());
    let mut depends: Vec<String> = available[name]
        .depends
        .iter()
        .map(|d| normalize(d))
        .collect();
    depends.sort();
    depends.dedup();
    for dep in &depends {
        if available.contains_key(dep) {
            visit(dep, available, builtin, marks, stack, order, missing)?;
        } else if !builtin.contains(dep) {
            missing.push((dep.clone(), Some(name.to_string())));
        }
    }
    stack.pop();
    marks.insert(name.to_string(), Mark::Done);
    order.push(name.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(entries: &[(&str, &[&str])]) -> BTreeMap<String, ModuleInfo> {
        entries
            .iter()
            .map(|(name, deps)| {
                (
                    name.to_string(),
                    ModuleInfo {
                        name: name.to_string(),
                        path: format!("kernel/{name}.ko"),
                        depends: deps.iter().map(|d| d.to_string()).collect(),
                        vermagic: None,
                    },
                )
            })
            .collect()
    }

    fn names(resolution: &Resolution) -> Vec<&str> {
        resolution
            .load_order
            .iter()
            .map(|m| m.name.as_str())
            .collect()
    }

    fn wanted(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    /// The shape of Debian 6.1's virtio and network modules.
    fn debian_like() -> BTreeMap<String, ModuleInfo> {
        index(&[
            ("virtio_ring", &[]),
            ("virtio", &["virtio_ring"]),
            ("virtio_mmio", &["virtio", "virtio_ring"]),
            ("virtio_net", &["virtio_ring", "virtio", "net_failover"]),
            ("net_failover", &["failover"]),
            ("failover", &[]),
            ("vsock", &[]),
            (
                "vmw_vsock_virtio_transport",
                &[
                    "virtio",
                    "vmw_vsock_virtio_transport_common",
                    "virtio_ring",
                    "vsock",
                ],
            ),
            ("vmw_vsock_virtio_transport_common", &["vsock"]),
        ])
    }

    #[test]
    fn dependencies_come_first_in_a_deterministic_order() {
        let available = debian_like();
        let builtin = BTreeSet::from(["ext4".to_string()]);
        let got = resolve(
            &available,
            &builtin,
            &wanted(&[
                "virtio_net",
                "vmw_vsock_virtio_transport",
                "virtio_mmio",
                "ext4",
            ]),
            "pkg",
        )
        .unwrap();
        assert_eq!(
            names(&got),
            [
                "virtio_ring",
                "virtio",
                "virtio_mmio",
                "failover",
                "net_failover",
                "virtio_net",
                "vsock",
                "vmw_vsock_virtio_transport_common",
                "vmw_vsock_virtio_transport",
            ]
        );
        assert_eq!(got.builtin, ["ext4"]);
        // Every module comes after all of its dependencies.
        for (i, module) in got.load_order.iter().enumerate() {
            for dep in &module.depends {
                let at = got.load_order.iter().position(|m| &m.name == dep).unwrap();
                assert!(at < i, "{dep} must precede {}", module.name);
            }
        }
        // The request's order and spelling do not matter.
        let again = resolve(
            &available,
            &builtin,
            &wanted(&[
                "ext4",
                "virtio-mmio",
                "vmw_vsock_virtio_transport",
                "virtio_net",
                "virtio_net",
            ]),
            "pkg",
        )
        .unwrap();
        assert_eq!(got, again);
    }

    #[test]
    fn missing_modules_are_all_named_with_who_needs_them() {
        let mut available = debian_like();
        available.remove("failover");
        let err = resolve(
            &available,
            &BTreeSet::new(),
            &wanted(&["virtio_net", "vmxnet3"]),
            "linux-image-6.1.0-56-cloud-amd64",
        )
        .unwrap_err();
        match err {
            BootstrapError::MissingModules { package, missing } => {
                assert_eq!(package, "linux-image-6.1.0-56-cloud-amd64");
                assert_eq!(
                    missing,
                    [
                        ("failover".to_string(), Some("net_failover".to_string())),
                        ("vmxnet3".to_string(), None),
                    ]
                );
            }
            other => panic!("expected MissingModules, got {other:?}"),
        }
    }

    #[test]
    fn cycles_are_reported_with_their_path() {
        let available = index(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &[])]);
        let err = resolve(&available, &BTreeSet::new(), &wanted(&["d", "a"]), "pkg").unwrap_err();
        match err {
            BootstrapError::DependencyCycle { cycle } => assert_eq!(cycle, ["a", "b", "c", "a"]),
            other => panic!("expected DependencyCycle, got {other:?}"),
        }
        let self_loop = index(&[("a", &["a"])]);
        assert!(matches!(
            resolve(&self_loop, &BTreeSet::new(), &wanted(&["a"]), "pkg"),
            Err(BootstrapError::DependencyCycle { .. })
        ));
    }

    #[test]
    fn names_from_paths() {
        assert_eq!(
            name_from_path("kernel/arch/x86/crypto/crc32c-intel.ko"),
            "crc32c_intel"
        );
        assert_eq!(name_from_path("kernel/fs/ext4/ext4.ko.xz"), "ext4");
        assert_eq!(normalize(" vmw-pvscsi "), "vmw_pvscsi");
    }
}
