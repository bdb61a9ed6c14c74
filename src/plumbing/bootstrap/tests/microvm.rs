//! The boot image of the microvm flavour, from a kernel build already in
//! the cache (compiling one takes minutes: `tests/cli/microvm.rs` does).

use super::super::microvm::tests::fake_build;
use super::super::microvm::{self as kernel, KernelInputs};
use super::*;

/// Where every tool and module the local platform needs is built in.
const BUILTIN: &[&str] = &[
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_mmio.ko",
    "kernel/drivers/virtio/virtio_pci.ko",
    "kernel/drivers/virtio/virtio_balloon.ko",
    "kernel/drivers/block/virtio_blk.ko",
    "kernel/drivers/net/virtio_net.ko",
    "kernel/drivers/char/virtio_console.ko",
    "kernel/drivers/firmware/qemu_fw_cfg.ko",
    "kernel/fs/ext4/ext4.ko",
    "kernel/fs/overlayfs/overlay.ko",
    "kernel/fs/fuse/fuse.ko",
    "kernel/fs/fuse/virtiofs.ko",
];

struct Cached {
    dir: tempfile::TempDir,
}

impl Cached {
    /// A source package and, in the cache, a finished build of it whose
    /// `modules.builtin` lists `builtin`.
    fn new(builtin: &[&str]) -> Cached {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("linux-source.deb");
        std::fs::write(&source, b"stands in for linux-source-6.1").unwrap();
        std::fs::write(dir.path().join("tether"), static_executable(b"tether v1")).unwrap();
        let inputs = KernelInputs {
            builder: kernel::KERNEL_BUILDER.into(),
            source: FileDigest::of_file(&source).unwrap(),
            fragment: cache::sha256(kernel::FRAGMENT.as_bytes()),
            compiler: kernel::compiler().unwrap(),
        };
        let key = inputs.key();
        fake_build(
            &dir.path().join("cache/kernels").join(&key),
            inputs,
            builtin,
        );
        Cached { dir }
    }

    fn request(&self) -> BootstrapRequest {
        let path = |name: &str| self.dir.path().join(name);
        let mut request = BootstrapRequest::microvm(path("cache"), path("tether"));
        request.kernel = KernelSource::Microvm(PackageSource::Deb(path("linux-source.deb")));
        request.busybox = None;
        request.mke2fs = None;
        request
    }
}

#[test]
fn a_microvm_image_has_the_built_kernel_and_no_module() {
    let cached = Cached::new(BUILTIN);
    let image = build(&cached.request(), &NoProgress).unwrap();
    let manifest = &image.manifest;
    assert_eq!(manifest.kernel.flavour, Flavour::Microvm);
    assert_eq!(manifest.kernel.version, "6.1.192-vicport-microvm");
    assert_eq!(manifest.kernel.package.package, kernel::SOURCE_PACKAGE);
    assert_eq!(manifest.kernel.hz, Some(250));
    assert!(manifest.modules.is_empty());
    let mut wanted: Vec<&str> = kernel::MICROVM_MODULES.to_vec();
    wanted.sort();
    assert_eq!(manifest.kernel.builtin_modules, wanted);
    // The kernel file QEMU boots is the build's.
    assert_eq!(manifest.outputs.kernel.file, "vmlinuz");
    assert_eq!(
        std::fs::read(&image.kernel).unwrap(),
        b"bzImage of the kernel"
    );
    let KernelInput::Microvm {
        build,
        kernel: file,
    } = &manifest.inputs.kernel
    else {
        panic!("{:?}", manifest.inputs.kernel);
    };
    assert_eq!(file.sha256, cache::sha256(b"bzImage of the kernel"));
    assert!(
        cached.dir.path().join("cache/kernels").join(build).is_dir(),
        "the input names the kernel build"
    );
    assert!(image.iso.is_none());
    // The tether finds an empty load list, and no module file.
    let entries = unpacked(&image);
    let list = entries
        .iter()
        .find(|e| e.name == MODULE_LIST)
        .expect("the module list");
    assert!(list.data.is_empty());
    assert!(!entries.iter().any(|e| e.name.ends_with(".ko")));
}

#[test]
fn a_microvm_kernel_lacking_a_driver_or_asked_for_an_iso_is_refused() {
    let without_virtiofs: Vec<&str> = BUILTIN
        .iter()
        .copied()
        .filter(|m| !m.ends_with("virtiofs.ko"))
        .collect();
    let cached = Cached::new(&without_virtiofs);
    let err = build(&cached.request(), &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.to_string()
            .contains("virtiofs is not in linux-source-6.1 and not built into its kernel"),
        "{err}"
    );

    let cached = Cached::new(BUILTIN);
    let mut request = cached.request();
    request.iso = Some(IsoOptions::default());
    let err = build(&request, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("vSphere ISO"), "{err}");
}
