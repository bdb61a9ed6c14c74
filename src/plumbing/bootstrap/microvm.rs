//! vicport's microVM guest kernel: Debian's `linux-source-6.1` compiled
//! with `microvm.config` over `make tinyconfig`, everything built in and no
//! modules; cached under `<cache>/kernels/<sha256 of the inputs>/`.
//!
//! The inputs are the source package's digest, the config fragment, the
//! builder's version and the compiler's: the same inputs make the same
//! kernel, which is then built once. The source tree (1.5 GB unpacked) and
//! the objects live in a scratch directory that is removed when the build
//! ends; the cache keeps the kernel (a bzImage), its `.config`,
//! `modules.builtin`, make's log and a manifest.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::error::{BootstrapError, BuildResult};
use super::kconfig::{self, Fragment};
use super::packages::LocatedDeb;
use super::{FileDigest, OutputFile, PackageFacts, cache, deb, modules};
use crate::plumbing::platform::Progress;

/// Debian's kernel source package the fragment is written for.
pub const SOURCE_PACKAGE: &str = "linux-source-6.1";
/// The config fragment laid over `make tinyconfig`.
pub const FRAGMENT: &str = include_str!("microvm.config");
/// The kernel builder's identity, part of the cache key. The last number
/// is the build's format: bump it whenever the same inputs would give
/// another kernel (another make target or flags).
pub const KERNEL_BUILDER: &str = concat!("vicport-kernel/", env!("CARGO_PKG_VERSION"), "/1");
/// What the local platform's tether needs of the kernel, all built in: the
/// boot image builder checks them against the kernel's `modules.builtin`.
pub const MICROVM_MODULES: &[&str] = &[
    "virtio_mmio",
    "virtio_pci",
    "virtio_blk",
    "virtio_net",
    "virtio_console",
    "virtio_balloon",
    "qemu_fw_cfg",
    "ext4",
    "overlay",
    "fuse",
    "virtiofs",
];
/// The make target: a bzImage, booted as the cloud kernel's is.
const MAKE_TARGET: &str = "bzImage";
/// Where the build leaves it, under the object directory.
const BUILT_IMAGE: &str = "arch/x86/boot/bzImage";
/// Its name in the cache, and in the boot image.
pub const KERNEL_FILE: &str = "vmlinuz";
/// What a build needs on the host: (program or header, Debian package).
pub const BUILD_TOOLS: &[(&str, &str)] = &[
    ("make", "make"),
    ("gcc", "gcc"),
    ("ld", "binutils"),
    ("bc", "bc"),
    ("bison", "bison"),
    ("flex", "flex"),
    ("tar", "tar"),
    ("xz", "xz-utils"),
    // objtool, which every x86-64 build runs, reads ELF with libelf.
    ("/usr/include/gelf.h", "libelf-dev"),
];
/// What to do when a build tool is missing.
pub const TOOLS_HINT: &str = "install the kernel build tools: apt-get install build-essential bc bison flex libelf-dev xz-utils (scripts/install-deps --tests does), or boot the cloud kernel (`vicport system bootstrap --kernel cloud`)";
/// The member of the source package that holds the tree.
const TARBALL: &str = "usr/src/linux-source-6.1.tar.xz";
/// The tree's top directory in the tarball.
const TREE: &str = "linux-source-6.1";

/// Everything that decides the kernel; the cache key is its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelInputs {
    pub builder: String,
    /// The source package (`linux-source-6.1_….deb`).
    pub source: FileDigest,
    /// sha256 of the config fragment.
    pub fragment: String,
    /// `gcc --version`'s first line.
    pub compiler: String,
}

impl KernelInputs {
    /// The cache key.
    pub fn key(&self) -> String {
        cache::key_of(self)
    }
}

/// `manifest.json` of a built kernel's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelManifest {
    pub key: String,
    pub inputs: KernelInputs,
    pub source: PackageFacts,
    /// `make kernelrelease` (`uname -r` in the guest).
    pub release: String,
    pub hz: Option<u32>,
    /// Wall-clock seconds the compile took (`make -jN bzImage` in the
    /// configured tree).
    pub build_seconds: u64,
    /// Wall-clock seconds before it: unpacking the source and configuring.
    #[serde(default)]
    pub prepare_seconds: u64,
    /// `make -j` of that build.
    pub jobs: usize,
    pub kernel: OutputFile,
    pub config: OutputFile,
    pub modules_builtin: OutputFile,
}

/// A built kernel in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltKernel {
    pub dir: PathBuf,
    pub kernel: PathBuf,
    pub manifest: KernelManifest,
    /// Module names built into it (from `modules.builtin`).
    pub builtin: Vec<String>,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// The parsed fragment; it is part of vicport, so a fragment that does not
/// parse is a bug in this build of vicport.
pub fn fragment() -> BuildResult<Fragment> {
    Fragment::parse(FRAGMENT)
        .map_err(|e| BootstrapError::Invalid(format!("vicport's microvm.config: {e}")))
}

/// The first host tool or header of [`BUILD_TOOLS`] that is missing.
pub fn missing_tool(path_var: Option<&std::ffi::OsStr>) -> Option<(&'static str, &'static str)> {
    let dirs: Vec<PathBuf> = path_var
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    BUILD_TOOLS.iter().copied().find(|(tool, _)| {
        if tool.starts_with('/') {
            !Path::new(tool).is_file()
        } else {
            !dirs.iter().any(|d| d.join(tool).is_file())
        }
    })
}

fn check_tools() -> BuildResult<()> {
    match missing_tool(std::env::var_os("PATH").as_deref()) {
        None => Ok(()),
        Some((tool, package)) => Err(BootstrapError::Missing {
            what: format!("{tool} (Debian package {package}), needed to build the microvm kernel"),
            path: PathBuf::from(tool),
            hint: TOOLS_HINT,
        }),
    }
}

pub(super) fn compiler() -> BuildResult<String> {
    let out = Command::new("gcc")
        .arg("--version")
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| BootstrapError::io("running gcc --version", e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .next()
        .filter(|l| out.status.success() && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .ok_or_else(|| BootstrapError::Tool {
            tool: "gcc --version".into(),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
}

/// The microVM kernel of `source` (a located `linux-source-6.1` package):
/// from the cache, or built now. Progress phases: `unpack <package>`,
/// `configure kernel`, `compile kernel` (in seconds, open-ended).
/// Blocking, and long: a build takes minutes.
pub(super) fn build(
    kernels_dir: &Path,
    source: &LocatedDeb,
    progress: &dyn Progress,
) -> BuildResult<BuiltKernel> {
    let fragment = fragment()?;
    // Before the key: the compiler's version is part of it.
    check_tools()?;
    let inputs = KernelInputs {
        builder: KERNEL_BUILDER.into(),
        source: source.digest.clone(),
        fragment: cache::sha256(FRAGMENT.as_bytes()),
        compiler: compiler()?,
    };
    let key = inputs.key();
    let final_dir = kernels_dir.join(&key);
    if let Some(kernel) = load_cached(&final_dir)? {
        return Ok(kernel);
    }
    cache::remove_abandoned(kernels_dir);
    let out = cache::TempDir::new(kernels_dir, &key[..16])?;
    let work = cache::TempDir::new(kernels_dir, &format!("{}-tree", &key[..16]))?;
    let tree = work.path().join(TREE);
    let objects = work.path().join("build");

    let preparing = Instant::now();
    let control = unpack(&source.path, work.path(), progress)?;
    if !tree.join("Makefile").is_file() {
        return Err(BootstrapError::bad_package(
            &source.path,
            format!("{TARBALL} has no {TREE}/Makefile"),
        ));
    }

    progress.phase("configure kernel", None);
    // make's output, kept beside the cache entries when a build fails (the
    // scratch directories go) and in the entry when it succeeds.
    let log = kernels_dir.join(format!("build-{}.log", &key[..16]));
    let _ = std::fs::remove_file(&log);
    make(&tree, &objects, &["tinyconfig"], &log, progress)?;
    let config_path = objects.join(".config");
    let tiny = read_text(&config_path)?;
    cache::write_synced(&config_path, fragment.apply(&tiny).as_bytes())?;
    make(&tree, &objects, &["olddefconfig"], &log, progress)?;
    let resolved = read_text(&config_path)?;
    let mismatches = fragment.check(&resolved);
    if !mismatches.is_empty() {
        return Err(BootstrapError::KernelConfig {
            package: format!("{} {}", control.package, control.version),
            mismatches: mismatches.iter().map(ToString::to_string).collect(),
        });
    }

    let prepare_seconds = preparing.elapsed().as_secs();
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    progress.phase("compile kernel", None);
    let started = Instant::now();
    make(
        &tree,
        &objects,
        &[&format!("-j{jobs}"), MAKE_TARGET],
        &log,
        progress,
    )?;
    let build_seconds = started.elapsed().as_secs();
    let release = make_output(&tree, &objects, "kernelrelease")?;

    for (from, to) in [
        (objects.join(BUILT_IMAGE), KERNEL_FILE),
        (config_path, "config"),
        (objects.join("modules.builtin"), "modules.builtin"),
        (log.clone(), "build.log"),
    ] {
        let target = out.path().join(to);
        std::fs::copy(&from, &target).map_err(|e| {
            BootstrapError::io(
                format!("copying {} to {}", from.display(), target.display()),
                e,
            )
        })?;
    }
    drop(work);
    let _ = std::fs::remove_file(&log);
    let output = |file: &str| -> BuildResult<OutputFile> {
        let digest = FileDigest::of_file(&out.path().join(file))?;
        Ok(OutputFile {
            file: file.into(),
            sha256: digest.sha256,
            size: digest.size,
        })
    };
    let manifest = KernelManifest {
        key: key.clone(),
        inputs,
        source: PackageFacts {
            package: control.package,
            version: control.version,
        },
        release,
        hz: kconfig::hz(&resolved),
        build_seconds,
        prepare_seconds,
        jobs,
        kernel: output(KERNEL_FILE)?,
        config: output("config")?,
        modules_builtin: output("modules.builtin")?,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).expect("serializes");
    json.push(b'\n');
    cache::write_synced(&out.path().join("manifest.json"), &json)?;
    let published = out.publish(&final_dir)?;
    let mut kernel = load_cached(&final_dir)?.ok_or_else(|| {
        BootstrapError::Invalid(format!("{} vanished after its build", final_dir.display()))
    })?;
    kernel.cached = !published;
    Ok(kernel)
}

fn read_text(path: &Path) -> BuildResult<String> {
    std::fs::read_to_string(path)
        .map_err(|e| BootstrapError::io(format!("reading {}", path.display()), e))
}

/// Unpack the source package's tarball into `dir` with tar and xz (the
/// tree is 1.5 GB; xz is several times faster than decoding in-process).
fn unpack(deb_path: &Path, dir: &Path, progress: &dyn Progress) -> BuildResult<deb::Control> {
    let mut found = false;
    let control = deb::walk(deb_path, progress, &mut |path, _size, reader| {
        if path != TARBALL {
            return Ok(());
        }
        found = true;
        let mut child = Command::new("tar")
            .args(["-xJf", "-", "--no-same-owner", "-C"])
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| BootstrapError::io("running tar", e))?;
        let mut stdin = child.stdin.take().expect("piped");
        let copied = std::io::copy(reader, &mut stdin);
        drop(stdin);
        let output = child
            .wait_with_output()
            .map_err(|e| BootstrapError::io("waiting for tar", e))?;
        if !output.status.success() {
            return Err(BootstrapError::Tool {
                tool: format!("tar -xJ of {TARBALL}"),
                status: output.status.to_string(),
                stderr: last_lines(&output.stderr, 5),
            });
        }
        copied.map_err(|e| BootstrapError::io(format!("unpacking {TARBALL}"), e))?;
        Ok(())
    })?;
    if !found {
        return Err(BootstrapError::bad_package(
            deb_path,
            format!(
                "{} has no {TARBALL}: pass Debian's {SOURCE_PACKAGE}",
                control.package
            ),
        ));
    }
    Ok(control)
}

fn last_lines(text: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" / ")
}

/// The environment that makes a build depend on its inputs only: a fixed
/// timestamp, user and host in the kernel's version string.
fn kbuild(command: &mut Command, tree: &Path, objects: &Path) {
    command
        .arg("-C")
        .arg(tree)
        .arg(format!("O={}", objects.display()))
        .env("LC_ALL", "C")
        .env("KBUILD_BUILD_TIMESTAMP", "1970-01-01")
        .env("KBUILD_BUILD_USER", "vicport")
        .env("KBUILD_BUILD_HOST", "vicport")
        .env("KBUILD_BUILD_VERSION", "1")
        .env_remove("ARCH")
        .env_remove("CROSS_COMPILE")
        .env_remove("KCONFIG_CONFIG");
}

/// Run make with `args`, its output appended to `log`; ended early when
/// the user cancels. A failure carries the log's last lines and its path.
fn make(
    tree: &Path,
    objects: &Path,
    args: &[&str],
    log: &Path,
    progress: &dyn Progress,
) -> BuildResult<()> {
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| BootstrapError::io(format!("opening {}", log.display()), e))?;
    let err_file = log_file
        .try_clone()
        .map_err(|e| BootstrapError::io(format!("opening {}", log.display()), e))?;
    let mut command = Command::new("make");
    kbuild(&mut command, tree, objects);
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(err_file)
        .spawn()
        .map_err(|e| BootstrapError::io("running make", e))?;
    let status = wait(&mut child, progress)?;
    if status.success() {
        return Ok(());
    }
    let mut text = Vec::new();
    if let Ok(mut f) = std::fs::File::open(log) {
        let _ = f.read_to_end(&mut text);
    }
    Err(BootstrapError::Tool {
        tool: format!("make {} (the microvm kernel)", args.join(" ")),
        status: status.to_string(),
        stderr: format!("{} (whole log: {})", last_lines(&text, 8), log.display()),
    })
}

/// Wait for `child`, killing it when the user cancels.
fn wait(child: &mut Child, progress: &dyn Progress) -> BuildResult<std::process::ExitStatus> {
    let cancel = progress.cancel_flag();
    loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| BootstrapError::io("waiting for make", e))?
        {
            return Ok(status);
        }
        if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(BootstrapError::Invalid(
                "the kernel build was interrupted".into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn make_output(tree: &Path, objects: &Path, target: &str) -> BuildResult<String> {
    let mut command = Command::new("make");
    kbuild(&mut command, tree, objects);
    let out = command
        .args(["-s", target])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| BootstrapError::io("running make", e))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || text.is_empty() || text.contains(char::is_whitespace) {
        return Err(BootstrapError::Tool {
            tool: format!("make {target}"),
            status: out.status.to_string(),
            stderr: last_lines(&out.stderr, 5),
        });
    }
    Ok(text)
}

/// The kernel in `dir`, if a finished build is there. A directory whose
/// files do not match its manifest is removed (it is rebuilt).
fn load_cached(dir: &Path) -> BuildResult<Option<BuiltKernel>> {
    let Ok(text) = std::fs::read(dir.join("manifest.json")) else {
        return Ok(None);
    };
    let manifest: Option<KernelManifest> = serde_json::from_slice(&text).ok();
    let intact = manifest.as_ref().is_some_and(|m| {
        [&m.kernel, &m.config, &m.modules_builtin]
            .iter()
            .all(|out| {
                std::fs::metadata(dir.join(&out.file)).is_ok_and(|meta| meta.len() == out.size)
            })
    });
    let Some(manifest) = manifest.filter(|_| intact) else {
        let _ = std::fs::remove_dir_all(dir);
        return Ok(None);
    };
    let builtin_text = read_text(&dir.join(&manifest.modules_builtin.file))?;
    let builtin = builtin_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(modules::name_from_path)
        .collect();
    Ok(Some(BuiltKernel {
        dir: dir.to_path_buf(),
        kernel: dir.join(&manifest.kernel.file),
        manifest,
        builtin,
        cached: true,
    }))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn inputs() -> KernelInputs {
        KernelInputs {
            builder: KERNEL_BUILDER.into(),
            source: FileDigest {
                sha256: "5259c57c".into(),
                size: 139_330_232,
            },
            fragment: cache::sha256(FRAGMENT.as_bytes()),
            compiler: "gcc (Debian 12.2.0-14+deb12u1) 12.2.0".into(),
        }
    }

    #[test]
    fn the_key_changes_with_every_input() {
        let base = inputs();
        assert_eq!(base.key(), inputs().key());
        let mut changed = Vec::new();
        let mut other = inputs();
        other.source.sha256 = "0000".into();
        changed.push(other);
        let mut other = inputs();
        other.fragment = cache::sha256(format!("{FRAGMENT}CONFIG_X=y\n").as_bytes());
        changed.push(other);
        let mut other = inputs();
        other.builder.push('x');
        changed.push(other);
        let mut other = inputs();
        other.compiler = "gcc (Debian 14.2.0-19) 14.2.0".into();
        changed.push(other);
        for other in changed {
            assert_ne!(other.key(), base.key(), "{other:?}");
        }
    }

    #[test]
    fn the_fragment_builds_in_what_the_local_guest_needs() {
        let fragment = fragment().unwrap();
        let get = |symbol: &str| {
            fragment
                .settings
                .iter()
                .find(|(s, _)| s == symbol)
                .map(|(_, v)| v.clone())
        };
        let yes = Some(kconfig::Setting::Value("y".into()));
        for symbol in [
            // microvm's devices and the tether's config channel
            "CONFIG_VIRTIO_MMIO",
            "CONFIG_VIRTIO_BLK",
            "CONFIG_VIRTIO_NET",
            "CONFIG_VIRTIO_CONSOLE",
            "CONFIG_VIRTIO_BALLOON",
            "CONFIG_FW_CFG_SYSFS",
            // power-off, vCPUs and device discovery on microvm
            "CONFIG_ACPI",
            "CONFIG_SMP",
            // what the tether mounts
            "CONFIG_DEVTMPFS",
            "CONFIG_TMPFS",
            "CONFIG_CGROUPS",
            "CONFIG_EXT4_FS",
            "CONFIG_OVERLAY_FS",
            "CONFIG_VIRTIO_FS",
            "CONFIG_UNIX98_PTYS",
            "CONFIG_BLK_DEV_INITRD",
            "CONFIG_RD_GZIP",
            "CONFIG_SERIAL_8250_CONSOLE",
            "CONFIG_KERNEL_LZ4",
            // NICs on microvm's PCIe root ports, hot-plugged
            "CONFIG_PCI",
            "CONFIG_PCIEPORTBUS",
            "CONFIG_HOTPLUG_PCI_PCIE",
            "CONFIG_VIRTIO_PCI",
        ] {
            assert_eq!(get(symbol), yes, "{symbol}");
        }
        // No modules: the kernel is one file and the initramfs holds none.
        assert_ne!(get("CONFIG_MODULES"), yes);
        assert!(
            !FRAGMENT.lines().any(|l| l.trim_end().ends_with("=m")),
            "microvm.config builds something as a module"
        );
    }

    #[test]
    fn missing_tools_are_named_with_their_package() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            missing_tool(Some(dir.path().as_os_str())),
            Some(("make", "make"))
        );
        for (tool, _) in BUILD_TOOLS.iter().filter(|(t, _)| !t.starts_with('/')) {
            std::fs::write(dir.path().join(tool), "").unwrap();
        }
        let missing = missing_tool(Some(dir.path().as_os_str()));
        if Path::new("/usr/include/gelf.h").is_file() {
            assert_eq!(missing, None);
        } else {
            assert_eq!(missing, Some(("/usr/include/gelf.h", "libelf-dev")));
        }
    }

    /// A finished build of `inputs` in `dir`, as [`build`] leaves it, with
    /// `builtin` as its `modules.builtin`.
    pub(in crate::plumbing::bootstrap) fn fake_build(
        dir: &Path,
        inputs: KernelInputs,
        builtin: &[&str],
    ) -> KernelManifest {
        std::fs::create_dir_all(dir).unwrap();
        let file = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.join(name), bytes).unwrap();
            OutputFile {
                file: name.into(),
                sha256: cache::sha256(bytes),
                size: bytes.len() as u64,
            }
        };
        let builtin: String = builtin.iter().map(|path| format!("{path}\n")).collect();
        let manifest = KernelManifest {
            key: inputs.key(),
            inputs,
            source: PackageFacts {
                package: SOURCE_PACKAGE.into(),
                version: "6.1.192-3".into(),
            },
            release: "6.1.192-vicport-microvm".into(),
            hz: Some(250),
            build_seconds: 300,
            prepare_seconds: 40,
            jobs: 2,
            kernel: file(KERNEL_FILE, b"bzImage of the kernel"),
            config: file("config", b"CONFIG_HZ=250\n"),
            modules_builtin: file("modules.builtin", builtin.as_bytes()),
        };
        std::fs::write(
            dir.join("manifest.json"),
            serde_json::to_vec(&manifest).unwrap(),
        )
        .unwrap();
        manifest
    }

    #[test]
    fn a_damaged_cache_entry_is_not_used() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("k");
        fake_build(
            &dir,
            inputs(),
            &[
                "kernel/drivers/virtio/virtio_mmio.ko",
                "kernel/fs/ext4/ext4.ko",
            ],
        );
        let kernel = load_cached(&dir).unwrap().unwrap();
        assert_eq!(kernel.builtin, ["virtio_mmio", "ext4"]);
        assert_eq!(kernel.kernel, dir.join(KERNEL_FILE));
        // A truncated kernel: the entry goes, to be rebuilt.
        std::fs::write(dir.join(KERNEL_FILE), b"bzImage").unwrap();
        assert!(load_cached(&dir).unwrap().is_none());
        assert!(!dir.exists());
    }
}
