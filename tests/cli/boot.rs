//! The boot image that `vicport system bootstrap` builds, booted as the
//! platforms boot it. Its vSphere half: the ISO boots under QEMU's PC
//! machine from a CD-ROM, as a VM would from its datastore ISO, and its
//! tether reaches "ready" on a link and runs an exec. Format-if-blank: the
//! initramfs holds mke2fs with everything it needs, and on `-M microvm` the
//! tether formats a blank volume with its label. (The initramfs is booted
//! by every local-platform test too.) Under QEMU the tether takes its config
//! from fw_cfg; the virtio link port stands in for vSphere's serial port.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tether_protocol::client::wait_for_ready;
use tether_protocol::config::{DiskSource, DomainConfig, PortSpec, VolumeConfig};
use tether_protocol::message::ExecRequest;
use vicport::plumbing::bootstrap::{
    Accel, CmdlineOptions, MKE2FS_PACKAGES, host_tsc_khz, kernel_cmdline,
};

use vicport::plumbing::sock::tether_client;

use crate::support::{Env, shared_cache};

/// The boot image `system bootstrap` made current in the shared cache.
fn current_image(env: &Env) -> serde_json::Value {
    env.ensure_boot_image();
    serde_json::from_slice(&std::fs::read(shared_cache().join("boot/current.json")).unwrap())
        .unwrap()
}

/// One entry of a newc archive: its mode and data (a link's target).
pub struct CpioEntry {
    pub mode: u32,
    pub data: Vec<u8>,
}

const S_IFMT: u32 = 0o170000;
const S_IFREG: u32 = 0o100000;
const S_IFLNK: u32 = 0o120000;

/// The entries of a gzipped newc archive, by path, read independently of
/// the builder's own cpio code.
pub fn read_initramfs(path: &Path) -> BTreeMap<String, CpioEntry> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    let field = |at: usize, index: usize| {
        let text = std::str::from_utf8(&bytes[at + 6 + 8 * index..at + 14 + 8 * index]).unwrap();
        u32::from_str_radix(text, 16).unwrap() as usize
    };
    let pad = |n: usize| (n + 3) & !3;
    let mut entries = BTreeMap::new();
    let mut at = 0;
    loop {
        assert_eq!(&bytes[at..at + 6], b"070701", "newc magic at {at}");
        let (mode, size, name_len) = (field(at, 1), field(at, 6), field(at, 11));
        let name_at = at + 110;
        let name = String::from_utf8(bytes[name_at..name_at + name_len - 1].to_vec()).unwrap();
        let data_at = pad(name_at + name_len);
        if name == "TRAILER!!!" {
            return entries;
        }
        let data = bytes[data_at..data_at + size].to_vec();
        let previous = entries.insert(
            name.clone(),
            CpioEntry {
                mode: mode as u32,
                data,
            },
        );
        assert!(previous.is_none(), "{name} is in the initramfs twice");
        at = pad(data_at + size);
    }
}

#[test]
fn the_initramfs_holds_mke2fs_its_libraries_and_the_loader() {
    let env = Env::new();
    let current = current_image(&env);
    let dir = PathBuf::from(current["dir"].as_str().unwrap());
    let entries = read_initramfs(&dir.join("initramfs.img"));
    let file = |path: &str| {
        let entry = entries
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not in the initramfs"));
        assert_eq!(entry.mode & S_IFMT, S_IFREG, "{path} is not a regular file");
        assert_eq!(&entry.data[..4], b"\x7fELF", "{path} is not ELF");
        entry
    };
    let link = |path: &str| {
        let entry = entries
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not in the initramfs"));
        assert_eq!(entry.mode & S_IFMT, S_IFLNK, "{path} is not a link");
        String::from_utf8(entry.data.clone()).unwrap()
    };
    // What `readelf -d` shows for Debian 12's mke2fs and its libraries:
    // mke2fs needs libext2fs, libcom_err, libblkid, libuuid, libe2p and
    // libc through /lib64/ld-linux-x86-64.so.2; libc needs the loader.
    assert_eq!(file("sbin/mke2fs").mode & 0o777, 0o755);
    assert_eq!(link("sbin/mkfs.ext4"), "mke2fs");
    assert_eq!(
        link("lib64/ld-linux-x86-64.so.2"),
        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    );
    assert_eq!(
        file("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2").mode & 0o777,
        0o755,
        "the kernel runs the loader: it must be executable"
    );
    let libraries: Vec<&str> = entries
        .keys()
        .filter_map(|p| p.strip_prefix("lib/x86_64-linux-gnu/"))
        .collect();
    assert_eq!(
        libraries,
        [
            "ld-linux-x86-64.so.2",
            "libblkid.so.1",
            "libc.so.6",
            "libcom_err.so.2",
            "libe2p.so.2",
            "libext2fs.so.2",
            "libuuid.so.1",
        ]
    );
    for library in &libraries {
        file(&format!("lib/x86_64-linux-gnu/{library}"));
    }
    // Nothing else of the packages: no other programs, no gconv, no docs.
    let others: Vec<&String> = entries
        .keys()
        .filter(|p| p.starts_with("sbin/") || p.starts_with("usr/") || p.starts_with("lib64/"))
        .collect();
    assert_eq!(
        others,
        [
            "lib64/ld-linux-x86-64.so.2",
            "sbin/mke2fs",
            "sbin/mkfs.ext4"
        ]
    );

    // The manifest says where each came from, and every package of the
    // default list gives something: the list and the ELF agree.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["mke2fs"]["files"].as_array().unwrap();
    assert_eq!(files.len(), libraries.len() + 1);
    let mut from: Vec<&str> = files
        .iter()
        .map(|f| f["package"].as_str().unwrap())
        .collect();
    from.sort();
    from.dedup();
    let mut packages = MKE2FS_PACKAGES.to_vec();
    packages.sort();
    assert_eq!(from, packages);
    for f in files {
        let path = f["path"].as_str().unwrap().trim_start_matches('/');
        assert_eq!(
            entries[path].data.len() as u64,
            f["size"].as_u64().unwrap(),
            "{path}"
        );
    }
}

/// Kills QEMU when the test ends, pass or fail.
struct Guest(std::process::Child);

impl Drop for Guest {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_iso_boots_on_a_pc_to_tether_ready_and_runs_an_exec() {
    let env = Env::new();
    let iso = PathBuf::from(
        current_image(&env)["iso"]
            .as_str()
            .expect("bootstrap builds the ISO"),
    );

    let dir = env.root().join("pc");
    std::fs::create_dir_all(&dir).unwrap();
    let token = b"0123456789abcdef".to_vec();
    let mut config = DomainConfig::new(token.clone(), PortSpec::Virtio("org.vicport.link".into()));
    config.name = "iso".into();
    std::fs::write(dir.join("config"), config.encode()).unwrap();

    let started = Instant::now();
    let _guest = Guest(
        Command::new("qemu-system-x86_64")
            .current_dir(&dir)
            .args([
                "-M",
                "pc",
                "-accel",
                "tcg",
                "-m",
                "256M",
                "-nodefaults",
                "-nographic",
            ])
            .args(["-no-reboot", "-serial", "file:console.log", "-cdrom"])
            .arg(&iso)
            .args(["-device", "virtio-serial-pci"])
            .args([
                "-chardev",
                "socket,id=link,path=link.sock,server=on,wait=off",
            ])
            .args([
                "-device",
                "virtserialport,chardev=link,name=org.vicport.link",
            ])
            .args(["-fw_cfg", "name=opt/org.vicport/config,file=config"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting qemu-system-x86_64"),
    );
    let mut link = loop {
        match UnixStream::connect(dir.join("link.sock")) {
            Ok(s) => break s,
            Err(_) if started.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("QEMU's link socket: {e}"),
        }
    };
    link.set_read_timeout(Some(Duration::from_secs(180)))
        .unwrap();
    let version = wait_for_ready(&mut link).unwrap_or_else(|e| {
        panic!(
            "no tether ready from the ISO: {e}\nconsole:\n{}",
            std::fs::read_to_string(dir.join("console.log")).unwrap_or_default()
        )
    });
    assert_eq!(version, tether_protocol::PROTOCOL_VERSION);

    let client = tether_client(&link, &token).expect("the tether accepts its token");
    let session = client
        .exec(ExecRequest {
            argv: vec![
                "busybox".into(),
                "echo".into(),
                "booted from the ISO".into(),
            ],
            window: tether_protocol::DEFAULT_WINDOW,
            ..Default::default()
        })
        .unwrap();
    let out = session.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "booted from the ISO\n"
    );
}

/// The reported boot: the vSphere ISO under QEMU's PC machine, exactly as a
/// user ran it, with no config anywhere. The kernel line says
/// `vicport.platform=vsphere`, but CPUID says this is no VMware VM: the
/// tether must not touch the backdoor (its `in` faulted and killed PID 1,
/// the kernel panicked and the VM spun). It says why on the console and
/// powers off, and QEMU (`-no-reboot`) exits by itself.
#[test]
fn the_vsphere_iso_off_vmware_without_a_config_says_why_and_powers_off() {
    let env = Env::new();
    let iso = PathBuf::from(
        current_image(&env)["iso"]
            .as_str()
            .expect("bootstrap builds the ISO"),
    );
    let dir = env.root().join("iso-without-config");
    std::fs::create_dir_all(&dir).unwrap();
    let console = std::fs::File::create(dir.join("console.log")).unwrap();
    let started = Instant::now();
    let mut guest = Guest(
        Command::new("qemu-system-x86_64")
            .current_dir(&dir)
            .args(["-M", "pc", "-accel", "tcg", "-m", "512", "-nographic"])
            .args(["-no-reboot", "-cdrom"])
            .arg(&iso)
            .stdin(Stdio::null())
            .stdout(console)
            .stderr(Stdio::null())
            .spawn()
            .expect("starting qemu-system-x86_64"),
    );
    let status = loop {
        if let Some(status) = guest.0.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(180) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let console = std::fs::read_to_string(dir.join("console.log")).unwrap_or_default();
    let status = status.unwrap_or_else(|| {
        panic!("QEMU did not exit within 180 s: the VM hangs instead of powering off\n{console}")
    });
    assert!(status.success(), "QEMU ended with {status}\n{console}");
    for said in [
        "vicport.platform=vsphere",
        "not a VMware VM",
        "fw_cfg",
        "syncing and powering off",
    ] {
        assert!(
            console.contains(said),
            "the console lacks {said:?}:\n{console}"
        );
    }
    for never in ["Attempted to kill init", "fatal signal", "Kernel panic"] {
        assert!(
            !console.contains(never),
            "{never:?} on the console:\n{console}"
        );
    }
}

/// The blank disk's label: a volume name longer than ext4's 16 bytes.
const VOLUME_NAME: &str = "scratch-volume-for-format";
const EXT4_LABEL: &str = "scratch-volume-f";

#[test]
fn a_blank_volume_is_formatted_ext4_with_its_label_on_first_boot() {
    let env = Env::new();
    let current = current_image(&env);
    let dir = env.root().join("microvm");
    std::fs::create_dir_all(&dir).unwrap();
    let disk = dir.join("blank.img");
    std::fs::File::create(&disk)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();

    let token = b"fedcba9876543210".to_vec();
    let mut config = DomainConfig::new(token.clone(), PortSpec::Virtio("org.vicport.link".into()));
    config.name = "format".into();
    config.volumes.push(VolumeConfig {
        source: DiskSource::Serial("vol-blank".into()),
        path: "/data".into(),
        read_only: false,
        format: true,
        label: VOLUME_NAME.into(),
    });
    std::fs::write(dir.join("config"), config.encode()).unwrap();

    // The local platform's machine, under TCG: KVM can be present and still
    // hang guests on this kind of host.
    let cmdline = kernel_cmdline(&CmdlineOptions {
        hz: current["hz"].as_u64().unwrap() as u32,
        ..CmdlineOptions::local(Accel::Tcg, host_tsc_khz())
    });
    let started = Instant::now();
    let mut guest = Guest(
        Command::new("qemu-system-x86_64")
            .current_dir(&dir)
            .args(["-M", "microvm,rtc=on,isa-serial=on"])
            .args([
                "-accel",
                "tcg",
                "-cpu",
                vicport::plumbing::local::qemu::TCG_CPU,
                "-m",
                "256M",
            ])
            .args(["-nodefaults", "-no-user-config", "-nographic", "-no-reboot"])
            .args(["-serial", "file:console.log"])
            .arg("-kernel")
            .arg(current["kernel"].as_str().unwrap())
            .arg("-initrd")
            .arg(current["initramfs"].as_str().unwrap())
            .args(["-append", &cmdline])
            .args(["-fw_cfg", "name=opt/org.vicport/config,file=config"])
            .args(["-device", "virtio-serial-device"])
            .args([
                "-chardev",
                "socket,id=link,path=link.sock,server=on,wait=off",
            ])
            .args([
                "-device",
                "virtserialport,chardev=link,name=org.vicport.link",
            ])
            .args([
                "-drive",
                "id=vol,if=none,file=blank.img,format=raw",
                "-device",
                "virtio-blk-device,drive=vol,serial=vol-blank",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting qemu-system-x86_64"),
    );
    let console = || std::fs::read_to_string(dir.join("console.log")).unwrap_or_default();
    let mut link = loop {
        match UnixStream::connect(dir.join("link.sock")) {
            Ok(s) => break s,
            Err(_) if started.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("QEMU's link socket: {e}"),
        }
    };
    link.set_read_timeout(Some(Duration::from_secs(180)))
        .unwrap();
    wait_for_ready(&mut link)
        .unwrap_or_else(|e| panic!("no tether ready: {e}\nconsole:\n{}", console()));
    let client = tether_client(&link, &token).expect("the tether accepts its token");
    let run = |argv: &[&str]| {
        let session = client
            .exec(ExecRequest {
                argv: argv.iter().map(|a| a.to_string()).collect(),
                window: tether_protocol::DEFAULT_WINDOW,
                ..Default::default()
            })
            .unwrap();
        let out = session.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{argv:?}: {:?}\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };

    // Mounted ext4, read-write, at the volume's path.
    let mounts = run(&["busybox", "grep", " /data ", "/proc/mounts"]);
    let fields: Vec<&str> = mounts.split_whitespace().collect();
    assert_eq!(fields[1..3], ["/data", "ext4"], "{mounts}");
    assert!(fields[3].split(',').any(|o| o == "rw"), "{mounts}");
    // Writable: a file that outlives the domain.
    let written = run(&[
        "busybox",
        "sh",
        "-c",
        "echo written-in-the-guest > /data/f && busybox sync && busybox cat /data/f",
    ]);
    assert_eq!(written, "written-in-the-guest\n");
    assert!(
        console().contains("formatted blank"),
        "the tether says it formatted:\n{}",
        console()
    );

    // Power off (the tether unmounts first), then look at the disk on the host.
    client.shutdown(None, Duration::from_secs(5)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while guest.0.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "the guest did not power off:\n{}",
            console()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let dumpe2fs = Command::new("dumpe2fs")
        .arg("-h")
        .arg(&disk)
        .output()
        .unwrap();
    let header = String::from_utf8_lossy(&dumpe2fs.stdout);
    assert!(dumpe2fs.status.success(), "{header}");
    let field = |name: &str| {
        header
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in:\n{header}"))
    };
    assert_eq!(field("Filesystem volume name:"), EXT4_LABEL);
    assert_eq!(field("Filesystem state:"), "clean");
    let features = field("Filesystem features:");
    assert!(
        !features.contains("needs_recovery"),
        "the tether unmounts before power-off: {features}"
    );
    for feature in ["has_journal", "extent", "64bit", "metadata_csum"] {
        assert!(
            features.split_whitespace().any(|f| f == feature),
            "an ext4 file system has {feature}: {features}"
        );
    }
    let cat = Command::new("debugfs")
        .args(["-R", "cat /f"])
        .arg(&disk)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&cat.stdout),
        "written-in-the-guest\n"
    );
}

/// The kernel command line the local platform gives a TCG guest (with the
/// TSC presets that keep TCG boots from hanging at calibration).
fn tcg_cmdline(current: &serde_json::Value) -> String {
    use vicport::plumbing::bootstrap::{Accel, CmdlineOptions, host_tsc_khz, kernel_cmdline};
    let mut options = CmdlineOptions::local(Accel::Tcg, host_tsc_khz());
    options.hz = current["hz"].as_u64().unwrap_or(250) as u32;
    options.quiet = false;
    kernel_cmdline(&options)
}

/// Boot the initramfs on `-M microvm` with `config` (if any) in fw_cfg and a
/// console file; returns how QEMU ended and what the console showed.
fn boot_with_config(env: &Env, name: &str, config: Option<&str>) -> (bool, String) {
    let current: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared_cache().join("boot/current.json")).unwrap())
            .unwrap();
    let dir = env.root().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new("qemu-system-x86_64");
    cmd.current_dir(&dir)
        .args([
            "-M",
            "microvm,rtc=on,isa-serial=on",
            "-accel",
            "tcg",
            "-m",
            "256M",
        ])
        .args(["-nodefaults", "-no-user-config", "-nographic", "-no-reboot"])
        .args(["-serial", "file:console.log", "-kernel"])
        .arg(current["kernel"].as_str().unwrap())
        .arg("-initrd")
        .arg(current["initramfs"].as_str().unwrap())
        .args(["-append", &tcg_cmdline(&current)]);
    if let Some(text) = config {
        std::fs::write(dir.join("config"), text).unwrap();
        cmd.args(["-fw_cfg", "name=opt/org.vicport/config,file=config"]);
    }
    let mut guest = Guest(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting qemu-system-x86_64"),
    );
    let started = Instant::now();
    let powered_off = loop {
        if let Ok(Some(status)) = guest.0.try_wait() {
            break status.success();
        }
        if started.elapsed() > Duration::from_secs(120) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let console = std::fs::read_to_string(dir.join("console.log")).unwrap_or_default();
    (powered_off, console)
}

#[test]
fn a_missing_or_malformed_config_is_said_on_the_console_and_the_vm_powers_off() {
    let env = Env::new();
    env.ensure_boot_image();
    let (missing, malformed) = std::thread::scope(|s| {
        let missing = s.spawn(|| boot_with_config(&env, "missing", None));
        let malformed = s.spawn(|| {
            boot_with_config(
                &env,
                "malformed",
                Some("vicport.config=1\nthis line has no equals sign\n"),
            )
        });
        (missing.join().unwrap(), malformed.join().unwrap())
    });
    let (off, console) = missing;
    assert!(off, "no config: the VM must power off, not hang\n{console}");
    assert!(
        console.contains("tether:") && console.contains("powering off"),
        "{console}"
    );
    let (off, console) = malformed;
    assert!(
        off,
        "a malformed config: the VM must power off, not hang\n{console}"
    );
    assert!(
        console.contains("line 2"),
        "the message names the line:\n{console}"
    );
    assert!(console.contains("powering off"), "{console}");
}

/// A fresh machine's first domains: three `run`s at once on an empty cache
/// build the boot image once — one says it builds, the others that they
/// wait for it (one line each on stderr, as they are not on a terminal) —
/// and all three boot it. The packages are copied from the shared cache,
/// so the build only unpacks and packs.
#[test]
fn first_runs_on_a_fresh_cache_share_one_build_and_say_so() {
    use vicport::plumbing::bootstrap::current::{BUILDING, WAITING};
    let env = Env::new();
    env.ensure_boot_image();
    env.import_busybox();
    let cold = env.root().join("cold-cache");
    std::fs::create_dir_all(cold.join("debs")).unwrap();
    for entry in std::fs::read_dir(shared_cache().join("debs")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), cold.join("debs").join(entry.file_name())).unwrap();
    }
    let runs = (0..3).map(|_| {
        let mut cmd = env.booting(["run", "--rm", "busybox", "--", "true"]);
        cmd.env("VICPORT_CACHE_DIR", &cold);
        cmd
    });
    let outs = crate::support::run_all(runs);
    for out in &outs {
        out.code(0);
    }
    let said = |line: &str| {
        outs.iter()
            .filter(|o| o.stderr.lines().any(|l| l == format!("vicport: {line}")))
            .count()
    };
    let all: Vec<&str> = outs.iter().map(|o| o.stderr.as_str()).collect();
    assert_eq!(said(BUILDING), 1, "one builds: {all:#?}");
    assert_eq!(said(WAITING), 2, "the others wait: {all:#?}");
    let images: Vec<_> = std::fs::read_dir(cold.join("boot"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(images.len(), 1, "one image built: {images:?}");
    // With --quiet nothing is said (the image is there now anyway).
    let mut quiet = env.booting(["-q", "run", "--rm", "busybox", "--", "true"]);
    quiet.env("VICPORT_CACHE_DIR", &cold);
    let out = crate::support::run(quiet);
    out.code(0);
    assert_eq!(out.stderr, "", "{}", out.stderr);
}
