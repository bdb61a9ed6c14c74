//! The whole builder on small synthetic packages: offline and fast. The real
//! Debian packages and QEMU boots are in `tests/bootstrap_boot.rs`.

use std::io::Read;
use std::sync::Mutex;

use super::ar::tests::archive;
use super::cpio::{S_IFCHR, S_IFDIR, S_IFREG, read_archive};
use super::elf::tests::synthetic_module;
use super::*;
use crate::plumbing::error::ErrorKind;
use crate::plumbing::platform::NoProgress;

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
    let control = format!("Package: {package}\nVersion: {version}\nArchitecture: amd64\n");
    let control = tar_of(&[("./control".to_string(), control.into_bytes())]);
    archive(&[
        ("debian-binary", b"2.0\n"),
        ("control.tar.xz", &xz(&control)),
        ("data.tar.xz", &xz(&tar_of(files))),
    ])
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
        fixture
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: Vec<u8>) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    fn request(&self, cache: &str) -> BootstrapRequest {
        let mut request = BootstrapRequest::new(self.path(cache), self.path("tether"));
        request.kernel = PackageSource::Deb(self.path("kernel.deb"));
        request.busybox = Some(PackageSource::Deb(self.path("busybox.deb")));
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
        "kernel/net/core/fail-over.ko\n\
         kernel/drivers/net/net_failover.ko\n\
         kernel/drivers/virtio/virtio_ring.ko\n\
         kernel/drivers/virtio/virtio.ko\n\
         kernel/drivers/net/virtio_net.ko\n"
    );
    for path in list.lines() {
        let entry = find(&format!("lib/modules/{VERSION}/{path}"));
        assert!(elf::parse_modinfo(&entry.data).is_ok(), "{path}");
    }
    assert!(!entries.iter().any(|e| e.name.contains("unneeded")));
    assert!(!entries.iter().any(|e| e.name.contains("usr/share")));

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
        manifest.inputs.kernel_deb.sha256,
        cache::sha256(&std::fs::read(fixture.path("kernel.deb")).unwrap())
    );
    assert_eq!(manifest.busybox.as_ref().unwrap().version, "1:1.35.0-4");
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
    request.kernel = PackageSource::Deb(fixture.path("stray.deb"));
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
    request.kernel = PackageSource::Deb(fixture.path("meta.deb"));
    let err = build(&request, &NoProgress).unwrap_err();
    assert!(err.to_string().contains("has no /boot/vmlinuz-*"), "{err}");
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
