//! The whole builder on small synthetic packages: offline and fast. The real
//! Debian packages and QEMU boots are in `tests/bootstrap_boot.rs`.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;

use super::cpio::{S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, read_archive};
use super::deb::tests::archive;
use super::dynamic::tests::synthetic as dynamic_elf;
use super::elf::tests::synthetic_module;
use super::*;
use crate::plumbing::error::ErrorKind;
use crate::plumbing::platform::NoProgress;

mod microvm;

const VERSION: &str = "6.1.0-test-cloud-amd64";

/// Records the phases it is told about.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Progress for Recorder {
    fn phase(&self, name: &str, _total: Option<u64>) {
        self.0.lock().unwrap().push(name.to_string());
    }
    fn advance(&self, _n: u64) {}
}

impl Recorder {
    fn phases(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut &data[..], &mut out).unwrap();
    out
}

fn tar_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_path(path).unwrap();
        header.set_cksum();
        builder.append(&header, &data[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

fn deb(package: &str, version: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    deb_of_data(package, version, tar_of(files))
}

fn deb_of_data(package: &str, version: &str, data: Vec<u8>) -> Vec<u8> {
    let control = format!("Package: {package}\nVersion: {version}\nArchitecture: amd64\n");
    let control = tar_of(&[("./control".to_string(), control.into_bytes())]);
    archive(&[
        ("debian-binary", b"2.0\n"),
        ("control.tar.xz", &xz(&control)),
        ("data.tar.xz", &xz(&data)),
    ])
}

/// One entry of [`deb_with_links`]: a path, and either contents (a regular
/// file) or a symbolic link's target.
pub(crate) type DebEntry<'a> = (String, Vec<u8>, Option<&'a str>);

/// A package of regular files and symbolic links, in the given order.
pub(crate) fn deb_with_links(package: &str, version: &str, entries: &[DebEntry<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data, target) in entries {
        let mut header = tar::Header::new_gnu();
        match target {
            Some(target) => {
                header.set_size(0);
                header.set_mode(0o777);
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_link_name(target).unwrap();
            }
            None => {
                header.set_size(data.len() as u64);
                header.set_mode(0o644);
                header.set_entry_type(tar::EntryType::Regular);
            }
        }
        header.set_path(path).unwrap();
        header.set_cksum();
        builder.append(&header, &data[..]).unwrap();
    }
    deb_of_data(package, version, builder.into_inner().unwrap())
}

const LOADER: &str = "/lib64/ld-linux-x86-64.so.2";

/// mke2fs's packages in miniature, as Debian 12 lays them out: the program
/// and its link, a library behind a versioned link, libc with the loader
/// (and a library nobody needs), each `(package, entries)`.
fn mke2fs_packages(mke2fs_needs: &[&str]) -> Vec<(&'static str, Vec<DebEntry<'static>>)> {
    let file = |path: &str, data: Vec<u8>| (path.to_string(), data, None);
    let link = |path: &str, target: &'static str| (path.to_string(), Vec::new(), Some(target));
    vec![
        (
            "e2fsprogs",
            vec![
                file("./etc/mke2fs.conf", b"[defaults]\n".to_vec()),
                file(
                    "./sbin/mke2fs",
                    dynamic_elf(Some(LOADER), mke2fs_needs, b"mke2fs"),
                ),
                link("./sbin/mkfs.ext4", "mke2fs"),
                file(
                    "./sbin/e2fsck",
                    dynamic_elf(Some(LOADER), &["libc.so.6"], b"fsck"),
                ),
            ],
        ),
        (
            "libext2fs2",
            vec![
                file(
                    "./lib/x86_64-linux-gnu/libext2fs.so.2.4",
                    dynamic_elf(None, &["libc.so.6"], b"ext2fs"),
                ),
                link("./lib/x86_64-linux-gnu/libext2fs.so.2", "libext2fs.so.2.4"),
            ],
        ),
        (
            "libc6",
            vec![
                file(
                    "./lib/x86_64-linux-gnu/libc.so.6",
                    dynamic_elf(None, &["ld-linux-x86-64.so.2"], b"libc"),
                ),
                file(
                    "./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                    dynamic_elf(None, &[], b"ld.so"),
                ),
                link(
                    "./lib64/ld-linux-x86-64.so.2",
                    "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                ),
                file(
                    "./lib/x86_64-linux-gnu/libm.so.6",
                    dynamic_elf(None, &[], b"m"),
                ),
            ],
        ),
    ]
}

fn module(name: &str, depends: &[&str], vermagic: &str) -> Vec<u8> {
    let modinfo = format!(
        "license=GPL\0depends={}\0name={name}\0vermagic={vermagic} SMP preempt mod_unload modversions \0",
        depends.join(",")
    );
    synthetic_module(
        &[(".text", &[0x90; 16]), (".modinfo", modinfo.as_bytes())],
        false,
    )
}

/// A static x86-64 "executable": an ELF header of type EXEC, no program
/// interpreter, plus a payload so different binaries differ.
fn static_executable(payload: &[u8]) -> Vec<u8> {
    let mut elf = synthetic_module(&[(".text", payload)], false);
    elf[0x10..0x12].copy_from_slice(&elf::ET_EXEC.to_le_bytes());
    elf
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        let m = |rel: &str| format!("./lib/modules/{VERSION}/kernel/{rel}");
        let kernel_files = vec![
            (
                format!("./boot/vmlinuz-{VERSION}"),
                b"MZ not really a bzImage".to_vec(),
            ),
            (
                format!("./boot/config-{VERSION}"),
                b"CONFIG_X=y\nCONFIG_HZ=250\n".to_vec(),
            ),
            (
                format!("./lib/modules/{VERSION}/modules.builtin"),
                b"kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c_generic.ko\n".to_vec(),
            ),
            (
                m("drivers/net/net_failover.ko"),
                module("net_failover", &["failover"], VERSION),
            ),
            (
                m("drivers/net/virtio_net.ko"),
                module(
                    "virtio_net",
                    &["virtio_ring", "virtio", "net_failover"],
                    VERSION,
                ),
            ),
            (
                m("drivers/virtio/virtio.ko"),
                module("virtio", &["virtio_ring"], VERSION),
            ),
            (
                m("drivers/virtio/virtio_ring.ko"),
                module("virtio_ring", &[], VERSION),
            ),
            // Compressed, and with a dash in the file name.
            (
                m("net/core/fail-over.ko.xz"),
                xz(&module("failover", &[], VERSION)),
            ),
            (m("sound/unneeded.ko"), module("unneeded", &[], VERSION)),
            ("./usr/share/doc/x/changelog".to_string(), b"text".to_vec()),
        ];
        fixture.write(
            "kernel.deb",
            deb("linux-image-test", "6.1.1-1", &kernel_files),
        );
        fixture.write(
            "busybox.deb",
            deb(
                "busybox-static",
                "1:1.35.0-4",
                &[("./bin/busybox".to_string(), static_executable(b"busybox"))],
            ),
        );
        fixture.write("tether", static_executable(b"tether v1"));
        fixture.write_mke2fs_packages(&["libext2fs.so.2", "libc.so.6"]);
        fixture
    }

    /// Write mke2fs's packages, with mke2fs needing `needs`.
    fn write_mke2fs_packages(&self, needs: &[&str]) {
        for (package, entries) in mke2fs_packages(needs) {
            self.write(
                &format!("{package}.deb"),
                deb_with_links(package, "1.47.0-2", &entries),
            );
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: Vec<u8>) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    fn request(&self, cache: &str) -> BootstrapRequest {
        let mut request = BootstrapRequest::new(self.path(cache), self.path("tether"));
        request.kernel = KernelSource::Package(PackageSource::Deb(self.path("kernel.deb")));
        request.busybox = Some(PackageSource::Deb(self.path("busybox.deb")));
        request.mke2fs = Some(
            ["e2fsprogs", "libext2fs2", "libc6"]
                .iter()
                .map(|p| PackageSource::Deb(self.path(&format!("{p}.deb"))))
                .collect(),
        );
        request.modules = vec!["virtio_net".into(), "ext4".into()];
        request.iso = None;
        request.source_date_epoch = 1_700_000_000;
        request
    }
}

fn unpacked(image: &BootImage) -> Vec<cpio::Entry> {
    let bytes = std::fs::read(&image.initramfs).unwrap();
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut plain)
        .unwrap();
    read_archive(&plain).unwrap()
}

#[test]
fn builds_the_initramfs_the_tether_expects() {
    let fixture = Fixture::new();
    let recorder = Recorder::default();
    let image = build(&fixture.request("cache"), &recorder).unwrap();
    assert!(!image.cached);
    assert_eq!(
        recorder.phases(),
        [
            "unpack linux-image-test",
            "unpack busybox-static",
            "unpack e2fsprogs",
            "unpack libext2fs2",
            "unpack libc6",
            "pack initramfs"
        ]
    );
    assert_eq!(
        std::fs::read(&image.kernel).unwrap(),
        b"MZ not really a bzImage"
    );
    assert_eq!(
        image.dir,
        fixture.path("cache").join("boot").join(&image.manifest.key)
    );

    let entries = unpacked(&image);
    let find = |name: &str| {
        entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} missing from the initramfs"))
    };
    assert_eq!(find("init").data, static_executable(b"tether v1"));
    assert_eq!(find("init").header.mode, S_IFREG | 0o755);
    assert_eq!(find("bin/busybox").data, static_executable(b"busybox"));
    let console = find("dev/console");
    assert_eq!(
        (
            console.file_type(),
            console.header.rdev_major,
            console.header.rdev_minor
        ),
        (S_IFCHR, 5, 1)
    );
    for dir in ["dev", "proc", "sys", "run", "tmp", "newroot", "etc"] {
        assert_eq!(find(dir).file_type(), S_IFDIR, "{dir}");
    }
    // Dependencies first; the .xz module is stored decompressed as .ko.
    let list = String::from_utf8(find("lib/modules/vicport.modules").data.clone()).unwrap();
    assert_eq!(
        list,
        "kernel/net/core/fail-over.ko:\n\
         kernel/drivers/net/net_failover.ko: fail_over\n\
         kernel/drivers/virtio/virtio_ring.ko:\n\
         kernel/drivers/virtio/virtio.ko: virtio_ring\n\
         kernel/drivers/net/virtio_net.ko: virtio_ring virtio net_failover\n"
    );
    for line in list.lines() {
        let path = line.split(':').next().unwrap();
        let entry = find(&format!("lib/modules/{VERSION}/{path}"));
        assert!(elf::parse_modinfo(&entry.data).is_ok(), "{path}");
    }
    assert!(!entries.iter().any(|e| e.name.contains("unneeded")));
    assert!(!entries.iter().any(|e| e.name.contains("usr/share")));

    // mke2fs where the tether looks, its libraries and loader where the
    // loader looks, links as in Debian; nothing that mke2fs does not need.
    let packaged = |name: &str, payload: &[u8], needs: &[&str], interpreter: Option<&str>| {
        let entry = find(name);
        assert_eq!(
            entry.data,
            dynamic_elf(interpreter, needs, payload),
            "{name}"
        );
        entry.header.mode
    };
    assert_eq!(
        packaged(
            "sbin/mke2fs",
            b"mke2fs",
            &["libext2fs.so.2", "libc.so.6"],
            Some(LOADER)
        ),
        S_IFREG | 0o755
    );
    assert_eq!(
        packaged(
            "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            b"ld.so",
            &[],
            None
        ),
        S_IFREG | 0o755
    );
    assert_eq!(
        packaged(
            "lib/x86_64-linux-gnu/libext2fs.so.2",
            b"ext2fs",
            &["libc.so.6"],
            None
        ),
        S_IFREG | 0o644
    );
    packaged(
        "lib/x86_64-linux-gnu/libc.so.6",
        b"libc",
        &["ld-linux-x86-64.so.2"],
        None,
    );
    for (link, target) in [
        ("sbin/mkfs.ext4", "mke2fs"),
        (
            "lib64/ld-linux-x86-64.so.2",
            "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        ),
    ] {
        let entry = find(link);
        assert_eq!(entry.file_type(), S_IFLNK, "{link}");
        assert_eq!(entry.data, target.as_bytes(), "{link}");
    }
    for absent in ["libm", "e2fsck", "mke2fs.conf", "libext2fs.so.2.4"] {
        assert!(!entries.iter().any(|e| e.name.contains(absent)), "{absent}");
    }

    let description: ImageDescription =
        serde_json::from_slice(&find("etc/vicport/image.json").data).unwrap();
    assert_eq!(description.kernel.version, VERSION);
    assert_eq!(description.kernel.hz, Some(250));
    assert_eq!(description.kernel.builtin_modules, ["ext4"]);
    assert_eq!(description.kernel.package.package, "linux-image-test");
    assert_eq!(
        description.tether.sha256,
        cache::sha256(&static_executable(b"tether v1"))
    );
    assert_eq!(description.modules.len(), 5);
    assert_eq!(description.busybox.as_deref(), Some("/bin/busybox"));
    assert_eq!(description.mkfs_ext4.as_deref(), Some("/sbin/mkfs.ext4"));

    // Fixed metadata on every entry, inodes in order.
    for (i, entry) in entries.iter().enumerate() {
        assert_eq!(entry.header.mtime, 1_700_000_000, "{}", entry.name);
        assert_eq!((entry.header.uid, entry.header.gid), (0, 0));
        assert_eq!(entry.header.ino, i as u32 + 1);
    }

    // The manifest tells the truth about the files.
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(&image.manifest_path).unwrap()).unwrap();
    assert_eq!(manifest, image.manifest);
    assert_eq!(manifest.key, cache::key_of(&manifest.inputs));
    assert_eq!(
        manifest.outputs.initramfs.sha256,
        cache::sha256(&std::fs::read(&image.initramfs).unwrap())
    );
    assert_eq!(
        manifest.inputs.kernel,
        KernelInput::Package(FileDigest::of(
            &std::fs::read(fixture.path("kernel.deb")).unwrap()
        ))
    );
    assert_eq!(manifest.kernel.flavour, Flavour::Cloud);
    assert_eq!(manifest.busybox.as_ref().unwrap().version, "1:1.35.0-4");
    let mke2fs = manifest.mke2fs.as_ref().unwrap();
    let files: Vec<(&str, &str, &str)> = mke2fs
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.package.as_str(), f.source.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            (
                "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                "libc6",
                "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
            ),
            (
                "/lib/x86_64-linux-gnu/libc.so.6",
                "libc6",
                "/lib/x86_64-linux-gnu/libc.so.6"
            ),
            (
                "/lib/x86_64-linux-gnu/libext2fs.so.2",
                "libext2fs2",
                "/lib/x86_64-linux-gnu/libext2fs.so.2.4"
            ),
            ("/sbin/mke2fs", "e2fsprogs", "/sbin/mke2fs"),
        ]
    );
    assert_eq!(mke2fs.packages.len(), 3);
    assert_eq!(manifest.inputs.mke2fs_debs.as_ref().unwrap().len(), 3);
    assert!(manifest.outputs.iso.is_none() && image.iso.is_none());
}

#[test]
fn the_second_build_comes_from_the_cache() {
    let fixture = Fixture::new();
    let first = build(&fixture.request("cache"), &NoProgress).unwrap();
    let recorder = Recorder::default();
    let second = build(&fixture.request("cache"), &recorder).unwrap();
    assert!(second.cached);
    assert!(recorder.phases().is_empty(), "{:?}", recorder.phases());
    assert_eq!(first.manifest, second.manifest);
    assert_eq!(first.initramfs, second.initramfs);
    let boot: Vec<String> = std::fs::read_dir(fixture.path("cache/boot"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        boot,
        std::slice::from_ref(&first.manifest.key),
        "nothing but the finished image"
    );

    // A damaged cache entry is rebuilt, not served.
    std::fs::write(&first.initramfs, b"truncated").unwrap();
    let third = build(&fixture.request("cache"), &NoProgress).unwrap();
    assert!(!third.cached);
    assert_eq!(
        std::fs::read(&third.initramfs).unwrap().len() as u64,
        third.manifest.outputs.initramfs.size
    );
}

#[test]
fn same_inputs_give_the_same_bytes_in_another_cache() {
    let fixture = Fixture::new();
    let a = build(&fixture.request("cache-a"), &NoProgress).unwrap();
    let b = build(&fixture.request("cache-b"), &NoProgress).unwrap();
    assert!(!b.cached);
    assert_eq!(a.manifest.key, b.manifest.key);
    for (x, y) in [
        (&a.kernel, &b.kernel),
        (&a.initramfs, &b.initramfs),
        (&a.manifest_path, &b.manifest_path),
    ] {
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }

    // Any input change is a new key and other bytes.
    fixture.write("tether", static_executable(b"tether v2"));
    let c = build(&fixture.request("cache-a"), &NoProgress).unwrap();
    assert_ne!(c.manifest.key, a.manifest.key);
    assert_ne!(
        std::fs::read(&c.initramfs).unwrap(),
        std::fs::read(&a.initramfs).unwrap()
    );
    let mut later = fixture.request("cache-a");
    later.source_date_epoch += 1;
    assert_ne!(
        build(&later, &NoProgress).unwrap().manifest.key,
        c.manifest.key
    );
    let mut without_busybox = fixture.request("cache-a");
    without_busybox.busybox = None;
    let d = build(&without_busybox, &NoProgress).unwrap();
    assert!(!unpacked(&d).iter().any(|e| e.name == "bin/busybox"));

    // The mke2fs packages are inputs too.
    let mut without_mke2fs = fixture.request("cache-a");
    without_mke2fs.mke2fs = None;
    let e = build(&without_mke2fs, &NoProgress).unwrap();
    assert_ne!(e.manifest.key, c.manifest.key);
    assert!(e.manifest.mke2fs.is_none());
    let names: Vec<String> = unpacked(&e).into_iter().map(|e| e.name).collect();
    assert!(
        !names.iter().any(|n| n.starts_with("sbin")
            || n.starts_with("lib64")
            || n.starts_with("lib/x86_64")),
        "{names:?}"
    );
    fixture.write_mke2fs_packages(&["libext2fs.so.2", "libc.so.6", "libm.so.6"]);
    let f = build(&fixture.request("cache-a"), &NoProgress).unwrap();
    assert_ne!(f.manifest.key, c.manifest.key);
    assert!(
        unpacked(&f)
            .iter()
            .any(|e| e.name == "lib/x86_64-linux-gnu/libm.so.6")
    );
}

#[test]
fn failures_name_the_problem_and_leave_nothing_that_looks_complete() {
    let fixture = Fixture::new();
    let mut request = fixture.request("cache");
    request.modules = vec!["virtio_net".into(), "vmxnet3".into()];
    let err = build(&request, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        "kernel module vmxnet3 is not in linux-image-test and not built into its kernel"
    );
    assert!(err.hint().is_some());
    let leftovers = std::fs::read_dir(fixture.path("cache/boot"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "a failed build leaves no directory behind");

    // A dynamically linked tether is refused before any work.
    let mut request = fixture.request("cache");
    request.tether = std::env::current_exe().unwrap();
    let err = build(&request, &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("dynamically linked"), "{err}");

    // Modules built for another kernel are refused.
    let stray = deb(
        "linux-image-test",
        "6.1.1-1",
        &[
            (format!("./boot/vmlinuz-{VERSION}"), b"k".to_vec()),
            (
                format!("./lib/modules/{VERSION}/kernel/a.ko"),
                module("a", &[], "5.10.0-other"),
            ),
        ],
    );
    fixture.write("stray.deb", stray);
    let mut request = fixture.request("cache");
    request.kernel = KernelSource::Package(PackageSource::Deb(fixture.path("stray.deb")));
    request.modules = vec!["a".into()];
    let err = build(&request, &NoProgress).unwrap_err();
    assert!(
        err.to_string().contains("built for \"5.10.0-other"),
        "{err}"
    );

    // A metapackage-like .deb without a kernel.
    fixture.write(
        "meta.deb",
        deb(
            "linux-image-cloud-amd64",
            "1",
            &[("./usr/share/doc/x".into(), vec![])],
        ),
    );
    request.kernel = KernelSource::Package(PackageSource::Deb(fixture.path("meta.deb")));
    let err = build(&request, &NoProgress).unwrap_err();
    assert!(err.to_string().contains("has no /boot/vmlinuz-*"), "{err}");

    // mke2fs needs a library that none of its packages has.
    fixture.write_mke2fs_packages(&["libext2fs.so.2", "libblkid.so.1", "libc.so.6"]);
    let err = build(&fixture.request("cache"), &NoProgress).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        "libblkid.so.1 (needed by /sbin/mke2fs) is in none of the packages e2fsprogs, libext2fs2, libc6"
    );
    assert!(err.hint().unwrap().contains("package"), "{err:?}");
    let mut request = fixture.request("cache");
    request.mke2fs = Some(Vec::new());
    assert_eq!(
        build(&request, &NoProgress).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let leftovers = std::fs::read_dir(fixture.path("cache/boot"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "a failed build leaves no directory behind");
}

#[test]
fn the_iso_is_built_and_reproducible_too() {
    let fixture = Fixture::new();
    let mut request = fixture.request("cache-a");
    request.iso = Some(IsoOptions {
        extra_cmdline: vec!["quiet".into()],
        ..IsoOptions::default()
    });
    let a = build(&request, &NoProgress).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    request.cache_dir = fixture.path("cache-b");
    let b = build(&request, &NoProgress).unwrap();
    let iso_a = std::fs::read(a.iso.as_ref().unwrap()).unwrap();
    let iso_b = std::fs::read(b.iso.as_ref().unwrap()).unwrap();
    assert!(iso_a == iso_b, "two builds of the same ISO differ");
    assert_eq!(
        a.manifest.inputs.iso.as_ref().unwrap().cmdline,
        "console=ttyS0 vicport.platform=vsphere quiet"
    );
    let command = a.manifest.xorriso.as_ref().unwrap().join(" ");
    assert!(command.contains("-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table <stage>"), "{command}");
    // The boot files and the config are on it.
    let cfg = isolinux_cfg_on(&iso_a);
    assert!(
        cfg.contains("APPEND console=ttyS0 vicport.platform=vsphere quiet"),
        "{cfg}"
    );
}

/// Find isolinux.cfg's text in the ISO's bytes (it is stored uncompressed).
fn isolinux_cfg_on(iso: &[u8]) -> String {
    let needle = b"SERIAL 0 115200\n";
    let at = iso
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("isolinux.cfg on the ISO");
    String::from_utf8_lossy(&iso[at..at + 200]).into_owned()
}
