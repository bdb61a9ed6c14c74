//! The packages a boot image is made of: located (a given `.deb`, or
//! apt's candidate fetched and checked), then read in-process — the
//! kernel's modules and config, busybox, mke2fs with its libraries.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::deb::Control;
use super::error::{BootstrapError, BuildResult};
use super::{
    FileDigest, MKE2FS, ModuleInfo, PackageFacts, PackageSource, apt, check_static_executable, deb,
    dynlink, elf, modules,
};
use crate::plumbing::platform::Progress;

/// A located `.deb` and its digest.
pub(super) struct LocatedDeb {
    pub(super) path: PathBuf,
    pub(super) digest: FileDigest,
}

pub(super) fn locate(
    source: &PackageSource,
    follow: Option<&str>,
    debs_dir: &Path,
    progress: &dyn Progress,
) -> BuildResult<LocatedDeb> {
    match source {
        PackageSource::Deb(path) => {
            if !path.is_file() {
                return Err(BootstrapError::Missing {
                    what: "package file".into(),
                    path: path.clone(),
                    hint: "check the path, or leave it out to fetch the package with apt",
                });
            }
            Ok(LocatedDeb {
                digest: FileDigest::of_file(path)?,
                path: path.clone(),
            })
        }
        PackageSource::Apt(package) => {
            progress.phase(&format!("resolve {package}"), None);
            let candidate = apt::resolve(package, follow)?;
            let path = apt::fetch(&candidate, debs_dir, progress)?;
            let size = std::fs::metadata(&path)
                .map_err(|e| BootstrapError::io(format!("reading {}", path.display()), e))?
                .len();
            Ok(LocatedDeb {
                path,
                digest: FileDigest {
                    sha256: candidate.sha256,
                    size,
                },
            })
        }
    }
}

/// Read the mke2fs packages (only the directories that hold programs,
/// libraries and the loader) and resolve mke2fs's closure in them.
pub(super) fn unpack_mke2fs(
    debs: &[LocatedDeb],
    progress: &dyn Progress,
) -> BuildResult<(Vec<PackageFacts>, dynlink::Closure)> {
    let keep = |path: &str| {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        dynlink::LIBRARY_DIRS.contains(&dir)
            || ["sbin", "usr/sbin", "lib64", "usr/lib64"].contains(&dir)
    };
    let mut root = dynlink::PackageRoot::new();
    for deb in debs {
        root.add_package(&deb.path, progress, &keep)?;
    }
    let closure = dynlink::closure(&root, &format!("/{MKE2FS}"))?;
    let packages = root
        .packages()
        .iter()
        .map(|control| PackageFacts {
            package: control.package.clone(),
            version: control.version.clone(),
        })
        .collect();
    Ok((packages, closure))
}

/// A kernel package, read.
pub(super) struct KernelPackage {
    pub(super) control: Control,
    pub(super) version: String,
    pub(super) vmlinuz: Vec<u8>,
    pub(super) hz: Option<u32>,
    /// Every module in the package, by name.
    pub(super) modules: BTreeMap<String, ModuleInfo>,
    /// Their contents (decompressed). All are kept because a module's
    /// dependencies can come before it in the tar stream, and only the
    /// complete set tells which are needed; for Debian 6.1 that is ~90 MiB,
    /// held for the few seconds of a build, instead of a second xz pass.
    pub(super) module_bytes: BTreeMap<String, Vec<u8>>,
    pub(super) builtin: BTreeSet<String>,
}

/// Where a package keeps `lib/modules/<version>/<rest>` (Debian 12 uses
/// `/lib`, merged-/usr releases `/usr/lib`).
pub(super) fn split_module_path(path: &str) -> Option<(&str, &str)> {
    let rest = path
        .strip_prefix("lib/modules/")
        .or_else(|| path.strip_prefix("usr/lib/modules/"))?;
    rest.split_once('/')
}

pub(super) fn unpack_kernel(
    deb_path: &Path,
    progress: &dyn Progress,
) -> BuildResult<KernelPackage> {
    let mut vmlinuz: Vec<(String, Vec<u8>)> = Vec::new();
    let mut hz = None;
    let mut modules: BTreeMap<String, ModuleInfo> = BTreeMap::new();
    let mut module_bytes = BTreeMap::new();
    let mut module_versions = BTreeSet::new();
    let mut builtin = BTreeSet::new();
    let read_all = |reader: &mut dyn Read, size: u64, path: &str| -> BuildResult<Vec<u8>> {
        let mut bytes = Vec::with_capacity(size as usize);
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| BootstrapError::bad_package(deb_path, format!("reading {path}: {e}")))?;
        Ok(bytes)
    };
    let control = deb::walk(deb_path, progress, &mut |path, size, reader| {
        if let Some(version) = path.strip_prefix("boot/vmlinuz-") {
            vmlinuz.push((version.to_string(), read_all(reader, size, path)?));
        } else if path.starts_with("boot/config-") {
            let text = String::from_utf8_lossy(&read_all(reader, size, path)?).into_owned();
            hz = text
                .lines()
                .find_map(|l| l.strip_prefix("CONFIG_HZ="))
                .and_then(|v| v.trim().parse().ok());
        } else if let Some((version, rest)) = split_module_path(path) {
            if rest == "modules.builtin" {
                module_versions.insert(version.to_string());
                let text = String::from_utf8_lossy(&read_all(reader, size, path)?).into_owned();
                builtin.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(modules::name_from_path),
                );
                return Ok(());
            }
            let (guest_path, compressed) = match rest {
                r if r.ends_with(".ko") => (r.to_string(), None),
                r if r.ends_with(".ko.xz") => (r.trim_end_matches(".xz").to_string(), Some("xz")),
                r if r.ends_with(".ko.gz") => (r.trim_end_matches(".gz").to_string(), Some("gz")),
                r if r.ends_with(".ko.zst") => {
                    return Err(BootstrapError::bad_package(
                        deb_path,
                        format!(
                            "{path} is zstd-compressed; modules compressed with xz or gzip, or not at all, are supported"
                        ),
                    ));
                }
                _ => return Ok(()),
            };
            module_versions.insert(version.to_string());
            let raw = read_all(reader, size, path)?;
            let bytes = match compressed {
                None => raw,
                Some(kind) => {
                    decompress_module(&raw, kind).map_err(|e| BootstrapError::BadModule {
                        path: path.to_string(),
                        reason: e,
                    })?
                }
            };
            let info = elf::parse_modinfo(&bytes).map_err(|e| BootstrapError::BadModule {
                path: path.to_string(),
                reason: e.to_string(),
            })?;
            let name = info
                .name
                .map(|n| modules::normalize(&n))
                .unwrap_or_else(|| modules::name_from_path(rest));
            if let Some(other) = modules.get(&name) {
                return Err(BootstrapError::BadModule {
                    path: path.to_string(),
                    reason: format!("a second module named {name} (the first is {})", other.path),
                });
            }
            module_bytes.insert(name.clone(), bytes);
            modules.insert(
                name.clone(),
                ModuleInfo {
                    name,
                    path: guest_path,
                    depends: info.depends,
                    vermagic: info.vermagic,
                },
            );
        }
        Ok(())
    })?;

    let (version, vmlinuz) = match vmlinuz.len() {
        1 => vmlinuz.pop().expect("one"),
        0 => {
            return Err(BootstrapError::bad_package(
                deb_path,
                format!("{} has no /boot/vmlinuz-*", control.package),
            ));
        }
        _ => {
            let names: Vec<&str> = vmlinuz.iter().map(|(v, _)| v.as_str()).collect();
            return Err(BootstrapError::bad_package(
                deb_path,
                format!("more than one kernel: {}", names.join(", ")),
            ));
        }
    };
    if let Some(other) = module_versions.iter().find(|v| **v != version) {
        return Err(BootstrapError::bad_package(
            deb_path,
            format!("modules for {other} do not belong to kernel {version}"),
        ));
    }
    Ok(KernelPackage {
        control,
        version,
        vmlinuz,
        hz,
        modules,
        module_bytes,
        builtin,
    })
}

pub(super) fn decompress_module(raw: &[u8], kind: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match kind {
        "xz" => lzma_rs::xz_decompress(&mut &raw[..], &mut out).map_err(|e| format!("xz: {e}"))?,
        _ => {
            flate2::read::GzDecoder::new(raw)
                .read_to_end(&mut out)
                .map_err(|e| format!("gzip: {e}"))?;
        }
    }
    Ok(out)
}

pub(super) fn unpack_busybox(
    deb_path: &Path,
    progress: &dyn Progress,
) -> BuildResult<(Control, Vec<u8>)> {
    let mut found = None;
    let control = deb::walk(deb_path, progress, &mut |path, size, reader| {
        if path == "bin/busybox" || path == "usr/bin/busybox" {
            let mut bytes = Vec::with_capacity(size as usize);
            reader.read_to_end(&mut bytes).map_err(|e| {
                BootstrapError::bad_package(deb_path, format!("reading {path}: {e}"))
            })?;
            found = Some(bytes);
        }
        Ok(())
    })?;
    let bytes = found.ok_or_else(|| {
        BootstrapError::bad_package(deb_path, format!("{} has no /bin/busybox", control.package))
    })?;
    check_static_executable(&deb_path.join("bin/busybox"), &bytes)?;
    Ok((control, bytes))
}
