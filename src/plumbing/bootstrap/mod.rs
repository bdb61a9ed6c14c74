//! The boot image builder: a guest kernel, the modules the tether needs,
//! the static tether as /init, packed into an initramfs and an ISO.
//!
//! [`build`] takes a kernel of one of two flavours — Debian's cloud kernel
//! (a package of a kernel and its modules), or vicport's microVM kernel
//! (compiled from Debian's kernel source with everything built in, see
//! [`microvm`]) — and busybox-static, and mke2fs with its shared libraries
//! and loader, from apt or from given `.deb` files; reads them in-process
//! (ar, tar, xz, ELF), resolves the module closure from the modules' own
//! `.modinfo` and mke2fs's libraries from its dynamic section, writes a
//! reproducible newc initramfs and, for vSphere, a reproducible ISOLINUX
//! ISO. Results are cached under `<cache>/boot/<sha256 of the inputs>/`.

mod apt;
mod cache;
pub mod cmdline;
mod cpio;
pub mod current;
mod deb;
mod dynamic;
mod dynlink;
mod elf;
mod error;
mod initramfs;
mod iso;
mod kconfig;
mod manifest;
pub mod microvm;
mod modules;
mod packages;
mod request;

use std::io::{BufWriter, Write};
use std::path::Path;

pub use cmdline::{Accel, CmdlineOptions, Console, host_tsc_khz, kernel_cmdline};
pub use error::BootstrapError;
pub use initramfs::Compression;
pub use iso::{ISOLINUX_BIN, LDLINUX_C32};
pub use manifest::*;
pub use modules::{DEFAULT_MODULES, ModuleInfo};
use packages::{
    KernelPackage, LocatedDeb, built_kernel, locate, unpack_busybox, unpack_kernel, unpack_mke2fs,
};
pub use request::*;

use crate::plumbing::error::Result;
use crate::plumbing::platform::Progress;
use error::BuildResult;

/// The builder's identity, part of every cache key. The last number is the
/// output format: bump it whenever the same inputs would give other bytes.
pub const BUILDER: &str = concat!("vicport-bootstrap/", env!("CARGO_PKG_VERSION"), "/2");

/// Debian's metapackage for the current cloud kernel.
pub const KERNEL_PACKAGE: &str = "linux-image-cloud-amd64";
/// Debian's statically linked busybox.
pub const BUSYBOX_PACKAGE: &str = "busybox-static";
/// Debian 12's packages of mke2fs (e2fsprogs) and of the shared libraries
/// and loader it needs: libext2fs and libe2p (libext2fs2), libcom_err
/// (libcom-err2), libblkid (libblkid1), libuuid (libuuid1), libc and the
/// loader (libc6). The build checks them against mke2fs's `DT_NEEDED`: a
/// library in none of them fails the build with its name.
pub const MKE2FS_PACKAGES: [&str; 6] = [
    "e2fsprogs",
    "libext2fs2",
    "libcom-err2",
    "libblkid1",
    "libuuid1",
    "libc6",
];
/// Where mke2fs is in the initramfs (and in e2fsprogs).
pub const MKE2FS: &str = "sbin/mke2fs";
/// The name the tether runs it by: a symbolic link to mke2fs, which takes
/// the file system type from its own name (as in e2fsprogs).
pub const MKFS_EXT4: &str = "sbin/mkfs.ext4";
/// Where the initramfs keeps shared libraries and the loader: the first of
/// the loader's own search directories.
pub const LIBRARY_DIR: &str = "lib/x86_64-linux-gnu";

/// Where the guest finds the module load order, relative to the initramfs
/// root: one path per line, relative to `/lib/modules/<kernel version>/`,
/// dependencies first, then `:` and the names of the modules it needs
/// (`kernel/drivers/net/virtio_net.ko: net_failover virtio virtio_ring`).
pub const MODULE_LIST: &str = "lib/modules/vicport.modules";
/// Where the guest finds the [`ImageDescription`].
pub const IMAGE_DESCRIPTION: &str = "etc/vicport/image.json";

/// Build (or find in the cache) the boot image that `request` describes.
/// Progress phases: `resolve <package>`, `download <package>`,
/// `unpack <package>`, for the microVM kernel `configure kernel` and
/// `compile kernel`, then `pack initramfs`, `build ISO`.
///
/// Blocking (decompression, hashing, apt, make and xorriso subprocesses):
/// from async code, call it on a blocking thread
/// (`tokio::task::spawn_blocking`). A microVM kernel that is not in the
/// cache takes minutes to compile; builds of it wait for each other (one
/// compile at a time per cache).
pub fn build(request: &BootstrapRequest, progress: &dyn Progress) -> Result<BootImage> {
    let _compiling = match request.kernel {
        KernelSource::Package(_) => None,
        KernelSource::Microvm(_) => Some(crate::plumbing::file::Lock::exclusive(
            &request.cache_dir.join("kernels/build.lock"),
        )?),
    };
    build_image(request, progress).map_err(Into::into)
}

fn read_file(path: &Path) -> BuildResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| BootstrapError::io(format!("reading {}", path.display()), e))
}

/// The tether and busybox must run as-is in a guest with nothing else:
/// ELF64 x86-64, no program interpreter.
pub(super) fn check_static_executable(path: &Path, bytes: &[u8]) -> BuildResult<()> {
    let bad = |reason: String| BootstrapError::BadExecutable {
        path: path.to_path_buf(),
        reason,
    };
    let elf = elf::Elf::parse(bytes).map_err(|e| bad(e.to_string()))?;
    if elf.machine != elf::EM_X86_64 {
        return Err(bad(format!(
            "it is built for ELF machine {}, not x86-64",
            elf.machine
        )));
    }
    if !matches!(elf.kind, elf::ET_EXEC | elf::ET_DYN) {
        return Err(bad("it is not an executable".into()));
    }
    if elf.has_interpreter().map_err(|e| bad(e.to_string()))? {
        return Err(bad(
            "it is dynamically linked, and the initramfs has no libc".into(),
        ));
    }
    Ok(())
}

fn build_image(request: &BootstrapRequest, progress: &dyn Progress) -> BuildResult<BootImage> {
    let mtime = u32::try_from(request.source_date_epoch).map_err(|_| {
        BootstrapError::Invalid("source_date_epoch does not fit in a cpio mtime (32 bits)".into())
    })?;
    let mut wanted: Vec<String> = request
        .modules
        .iter()
        .map(|m| modules::normalize(m))
        .collect();
    wanted.sort();
    wanted.dedup();
    if wanted.iter().any(|m| m.is_empty()) {
        return Err(BootstrapError::Invalid(
            "empty module name in the module list".into(),
        ));
    }
    let boot_dir = request.cache_dir.join("boot");
    let debs_dir = request.cache_dir.join("debs");

    let tether = read_file(&request.tether)?;
    check_static_executable(&request.tether, &tether)?;
    let kernel_source = match &request.kernel {
        KernelSource::Package(source) => {
            KernelFrom::Package(locate(source, Some("linux-image-"), &debs_dir, progress)?)
        }
        KernelSource::Microvm(source) => {
            if request.iso.is_some() {
                return Err(BootstrapError::Invalid(
                    "the vSphere ISO boots the cloud kernel (vmxnet3, pvscsi, the VMware backdoor): build the microvm flavour without an ISO".into(),
                ));
            }
            let deb = locate(source, None, &debs_dir, progress)?;
            KernelFrom::Built(Box::new(microvm::build(
                &request.cache_dir.join("kernels"),
                &deb,
                progress,
            )?))
        }
    };
    let busybox_deb = request
        .busybox
        .as_ref()
        .map(|source| locate(source, None, &debs_dir, progress))
        .transpose()?;
    let mke2fs_debs = request
        .mke2fs
        .as_ref()
        .map(|sources| {
            if sources.is_empty() {
                return Err(BootstrapError::Invalid(
                    "the mke2fs package list is empty: give e2fsprogs and its libraries' packages, or none at all".into(),
                ));
            }
            sources
                .iter()
                .map(|source| locate(source, None, &debs_dir, progress))
                .collect::<BuildResult<Vec<_>>>()
        })
        .transpose()?;
    let iso_inputs = request
        .iso
        .as_ref()
        .map(|options| -> BuildResult<IsoInputs> {
            let cmdline = iso_cmdline(options);
            if cmdline.contains(['\n', '\r']) {
                return Err(BootstrapError::Invalid(
                    "the ISO's kernel command line has a line break".into(),
                ));
            }
            let digest = |path: &Path, what: &str| {
                if path.is_file() {
                    FileDigest::of_file(path)
                } else {
                    Err(BootstrapError::Missing {
                        what: what.into(),
                        path: path.to_path_buf(),
                        hint: iso::TOOLS_HINT,
                    })
                }
            };
            Ok(IsoInputs {
                cmdline,
                isolinux_bin: digest(
                    &options.isolinux_bin,
                    "isolinux.bin (Debian package isolinux)",
                )?,
                ldlinux_c32: digest(
                    &options.ldlinux_c32,
                    "ldlinux.c32 (Debian package syslinux-common)",
                )?,
                xorriso: iso::xorriso_version()?,
            })
        })
        .transpose()?;
    let inputs = Inputs {
        builder: BUILDER.into(),
        kernel: kernel_source.input(),
        busybox_deb: busybox_deb.as_ref().map(|b| b.digest.clone()),
        mke2fs_debs: mke2fs_debs
            .as_ref()
            .map(|debs| debs.iter().map(|d| d.digest.clone()).collect()),
        tether: FileDigest::of(&tether),
        modules: wanted.clone(),
        compression: request.compression,
        source_date_epoch: request.source_date_epoch,
        iso: iso_inputs,
    };
    let key = cache::key_of(&inputs);
    let final_dir = boot_dir.join(&key);
    if let Some(image) = load_cached(&final_dir)? {
        return Ok(image);
    }

    cache::remove_abandoned(&boot_dir);
    let scratch = cache::TempDir::new(&boot_dir, &key[..16])?;

    let kernel = match &kernel_source {
        KernelFrom::Package(deb) => unpack_kernel(&deb.path, progress)?,
        KernelFrom::Built(built) => built_kernel(built)?,
    };
    let resolution = modules::resolve(
        &kernel.modules,
        &kernel.builtin,
        &wanted,
        &kernel.control.package,
    )?;
    for module in &resolution.load_order {
        let vermagic = module.vermagic.clone().unwrap_or_default();
        if vermagic.split_whitespace().next() != Some(kernel.version.as_str()) {
            return Err(BootstrapError::Vermagic {
                module: module.name.clone(),
                vermagic,
                kernel: kernel.version.clone(),
            });
        }
    }
    let busybox = busybox_deb
        .as_ref()
        .map(|deb| unpack_busybox(&deb.path, progress))
        .transpose()?;
    let mke2fs = mke2fs_debs
        .as_ref()
        .map(|debs| unpack_mke2fs(debs, progress))
        .transpose()?;

    let kernel_facts = KernelFacts {
        flavour: request.kernel.flavour(),
        version: kernel.version.clone(),
        package: PackageFacts {
            package: kernel.control.package.clone(),
            version: kernel.control.version.clone(),
        },
        hz: kernel.hz,
        builtin_modules: resolution.builtin.clone(),
    };

    // The kernel.
    let kernel_path = scratch.path().join("vmlinuz");
    cache::write_synced(&kernel_path, &kernel.vmlinuz)?;

    // The initramfs.
    let description = ImageDescription {
        builder: BUILDER.into(),
        kernel: kernel_facts.clone(),
        modules: resolution.load_order.clone(),
        tether: inputs.tether.clone(),
        busybox: busybox.as_ref().map(|_| "/bin/busybox".to_string()),
        mkfs_ext4: mke2fs.as_ref().map(|_| format!("/{MKFS_EXT4}")),
    };
    let mut tree = initramfs_tree(
        tether,
        busybox.as_ref().map(|(_, bytes)| bytes.clone()),
        &kernel,
        &resolution.load_order,
        &description,
    )
    .map_err(|e| BootstrapError::Invalid(format!("assembling the initramfs: {e}")))?;
    let mke2fs_facts = mke2fs
        .map(|(packages, closure)| add_program(&mut tree, packages, closure))
        .transpose()?;
    let entries = tree.paths().count() as u64;
    progress.phase("pack initramfs", Some(entries));
    let initramfs_path = scratch.path().join("initramfs.img");
    write_initramfs(&tree, &initramfs_path, mtime, request.compression)?;
    progress.advance(entries);

    // The ISO.
    let mut xorriso = None;
    if let (Some(options), Some(iso_inputs)) = (&request.iso, &inputs.iso) {
        progress.phase("build ISO", None);
        let parts = iso::Parts {
            kernel: &kernel_path,
            initramfs: &initramfs_path,
            isolinux_bin: &options.isolinux_bin,
            ldlinux_c32: &options.ldlinux_c32,
        };
        xorriso = Some(write_iso(
            scratch.path(),
            &parts,
            &iso_inputs.cmdline,
            request.source_date_epoch,
        )?);
        progress.advance(1);
    }

    let output = |file: &str| -> BuildResult<OutputFile> {
        let digest = FileDigest::of_file(&scratch.path().join(file))?;
        Ok(OutputFile {
            file: file.into(),
            sha256: digest.sha256,
            size: digest.size,
        })
    };
    let manifest = Manifest {
        key: key.clone(),
        kernel: kernel_facts,
        busybox: busybox.map(|(control, _)| PackageFacts {
            package: control.package,
            version: control.version,
        }),
        mke2fs: mke2fs_facts,
        modules: resolution.load_order,
        xorriso,
        outputs: Outputs {
            kernel: output("vmlinuz")?,
            initramfs: output("initramfs.img")?,
            iso: if inputs.iso.is_some() {
                Some(output("bootstrap.iso")?)
            } else {
                None
            },
        },
        inputs,
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).expect("serializes");
    manifest_json.push(b'\n');
    cache::write_synced(&scratch.path().join("manifest.json"), &manifest_json)?;

    let published = scratch.publish(&final_dir)?;
    let mut image = image_at(&final_dir, manifest);
    image.cached = !published;
    Ok(image)
}

/// The kernel of a build, located.
enum KernelFrom {
    Package(LocatedDeb),
    Built(Box<microvm::BuiltKernel>),
}

impl KernelFrom {
    fn input(&self) -> KernelInput {
        match self {
            KernelFrom::Package(deb) => KernelInput::Package(deb.digest.clone()),
            KernelFrom::Built(built) => KernelInput::Microvm {
                build: built.manifest.key.clone(),
                kernel: FileDigest {
                    sha256: built.manifest.kernel.sha256.clone(),
                    size: built.manifest.kernel.size,
                },
            },
        }
    }
}

/// The files of the initramfs: the directories the tether mounts on,
/// `/dev/console` for init's first output, the tether as `/init`, busybox,
/// the modules at their package paths, the load order and the description.
fn initramfs_tree(
    tether: Vec<u8>,
    busybox: Option<Vec<u8>>,
    kernel: &KernelPackage,
    load_order: &[ModuleInfo],
    description: &ImageDescription,
) -> std::io::Result<initramfs::Tree> {
    let mut tree = initramfs::Tree::new();
    for (dir, mode) in [
        ("dev", 0o755),
        ("proc", 0o555),
        ("sys", 0o555),
        ("run", 0o755),
        ("tmp", 0o1777),
        ("newroot", 0o755),
        ("etc/vicport", 0o755),
    ] {
        tree.dir(dir, mode)?;
    }
    tree.char_device("dev/console", 0o600, 5, 1)?;
    tree.file("init", 0o755, tether)?;
    if let Some(bytes) = busybox {
        tree.file("bin/busybox", 0o755, bytes)?;
    }
    // Each line names what the module needs by the names the guest makes of
    // their paths, so that it loads what is independent at once.
    let guest_name: std::collections::BTreeMap<&str, String> = load_order
        .iter()
        .map(|m| (m.name.as_str(), modules::name_from_path(&m.path)))
        .collect();
    let mut module_list = String::new();
    for module in load_order {
        let bytes = kernel.module_bytes[&module.name].clone();
        tree.file(
            &format!("lib/modules/{}/{}", kernel.version, module.path),
            0o644,
            bytes,
        )?;
        module_list.push_str(&module.path);
        module_list.push(':');
        for dep in &module.depends {
            if let Some(name) = guest_name.get(modules::normalize(dep).as_str()) {
                module_list.push(' ');
                module_list.push_str(name);
            }
        }
        module_list.push('\n');
    }
    tree.file(MODULE_LIST, 0o644, module_list.into_bytes())?;
    let mut json = serde_json::to_vec_pretty(description).expect("serializes");
    json.push(b'\n');
    tree.file(IMAGE_DESCRIPTION, 0o644, json)?;
    Ok(tree)
}

/// Put a dynamically linked program into the initramfs the way the loader
/// finds it: the program at [`MKE2FS`] with [`MKFS_EXT4`] linking to it,
/// the loader and every library in [`LIBRARY_DIR`] under the name it is
/// looked up by, and the program's interpreter path (`/lib64/…`) linking to
/// the loader there, as Debian's libc6 has it.
fn add_program(
    tree: &mut initramfs::Tree,
    packages: Vec<PackageFacts>,
    closure: dynlink::Closure,
) -> BuildResult<Mke2fsFacts> {
    let assemble =
        |e: std::io::Error| BootstrapError::Invalid(format!("assembling the initramfs: {e}"));
    let mut files = Vec::new();
    let mut links = Vec::new();
    let mut add = |tree: &mut initramfs::Tree,
                   path: String,
                   mode: u32,
                   object: &dynlink::Object|
     -> BuildResult<()> {
        files.push(PackagedFile {
            path: format!("/{path}"),
            package: object.package.clone(),
            source: format!("/{}", object.path),
            size: object.data.len() as u64,
        });
        tree.file(&path, mode, object.data.clone())
            .map_err(assemble)
    };
    add(tree, MKE2FS.to_string(), 0o755, &closure.program)?;
    let (_, program_name) = MKE2FS.rsplit_once('/').expect("a path with a directory");
    tree.symlink(MKFS_EXT4, program_name).map_err(assemble)?;
    links.push((format!("/{MKFS_EXT4}"), program_name.to_string()));

    let interpreter = &closure.interpreter;
    let loader_name = interpreter
        .name
        .rsplit_once('/')
        .map_or(interpreter.name.as_str(), |(_, name)| name);
    let loader = format!("{LIBRARY_DIR}/{loader_name}");
    // The kernel opens the interpreter for execution: it must be executable.
    add(tree, loader.clone(), 0o755, interpreter)?;
    if interpreter.name.trim_start_matches('/') != loader {
        tree.symlink(&interpreter.name, &format!("/{loader}"))
            .map_err(assemble)?;
        links.push((interpreter.name.clone(), format!("/{loader}")));
    }
    for library in &closure.libraries {
        let path = format!("{LIBRARY_DIR}/{}", library.name);
        if path == loader {
            // libc needs the loader by its soname: the file already there.
            if library.data != interpreter.data {
                return Err(BootstrapError::Invalid(format!(
                    "{} needs /{path} from {}, but its program interpreter {} is another file",
                    closure.program.name, library.package, interpreter.name
                )));
            }
            continue;
        }
        add(tree, path, 0o644, library)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    links.sort();
    Ok(Mke2fsFacts {
        packages,
        files,
        links,
    })
}

/// Write `<dir>/bootstrap.iso` through a staged tree in `<dir>/iso-stage`;
/// returns the xorriso command with the temporary paths replaced by
/// `<stage>` and `bootstrap.iso`, as the manifest records it.
fn write_iso(
    dir: &Path,
    parts: &iso::Parts<'_>,
    cmdline: &str,
    epoch: u64,
) -> BuildResult<Vec<String>> {
    let stage = dir.join("iso-stage");
    let iso_path = dir.join("bootstrap.iso");
    let args = iso::build(&stage, &iso_path, parts, cmdline, epoch)?;
    std::fs::remove_dir_all(&stage)
        .map_err(|e| BootstrapError::io(format!("removing {}", stage.display()), e))?;
    std::fs::File::open(&iso_path)
        .and_then(|f| f.sync_all())
        .map_err(|e| BootstrapError::io(format!("syncing {}", iso_path.display()), e))?;
    let stage_text = stage.display().to_string();
    let iso_text = iso_path.display().to_string();
    Ok(std::iter::once("xorriso".to_string())
        .chain(args.into_iter().map(|arg| {
            if arg == stage_text {
                "<stage>".into()
            } else if arg == iso_text {
                "bootstrap.iso".into()
            } else {
                arg
            }
        }))
        .collect())
}

fn image_at(dir: &Path, manifest: Manifest) -> BootImage {
    BootImage {
        dir: dir.to_path_buf(),
        kernel: dir.join(&manifest.outputs.kernel.file),
        initramfs: dir.join(&manifest.outputs.initramfs.file),
        iso: manifest.outputs.iso.as_ref().map(|iso| dir.join(&iso.file)),
        manifest_path: dir.join("manifest.json"),
        manifest,
        cached: false,
    }
}

/// The finished image in `dir`, if there is one. A directory that is there
/// but does not hold what its manifest says (someone edited the cache) is
/// moved aside and rebuilt.
fn load_cached(dir: &Path) -> BuildResult<Option<BootImage>> {
    let manifest_path = dir.join("manifest.json");
    let Ok(text) = std::fs::read(&manifest_path) else {
        if dir.exists() {
            discard(dir)?;
        }
        return Ok(None);
    };
    let manifest: Option<Manifest> = serde_json::from_slice(&text).ok();
    let intact = manifest.as_ref().is_some_and(|m| {
        let outputs = [
            Some(&m.outputs.kernel),
            Some(&m.outputs.initramfs),
            m.outputs.iso.as_ref(),
        ];
        outputs.into_iter().flatten().all(|out| {
            std::fs::metadata(dir.join(&out.file)).is_ok_and(|meta| meta.len() == out.size)
        })
    });
    match manifest {
        Some(manifest) if intact => {
            let mut image = image_at(dir, manifest);
            image.cached = true;
            Ok(Some(image))
        }
        _ => {
            discard(dir)?;
            Ok(None)
        }
    }
}

fn discard(dir: &Path) -> BuildResult<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let aside = cache::TempDir::new(parent, "stale")?;
    let target = aside.path().join("image");
    std::fs::rename(dir, &target).map_err(|e| {
        BootstrapError::io(format!("moving the damaged {} aside", dir.display()), e)
    })?;
    drop(aside);
    Ok(())
}

fn write_initramfs(
    tree: &initramfs::Tree,
    path: &Path,
    mtime: u32,
    compression: Compression,
) -> BuildResult<()> {
    let err = |e| BootstrapError::io(format!("writing {}", path.display()), e);
    let file = std::fs::File::create(path).map_err(err)?;
    let mut out = tree
        .write(BufWriter::with_capacity(1 << 20, file), mtime, compression)
        .map_err(err)?;
    out.flush().map_err(err)?;
    let file = out.into_inner().map_err(|e| err(e.into_error()))?;
    file.sync_all().map_err(err)
}

/// What the builder takes from a kernel package.
#[cfg(test)]
mod tests;
