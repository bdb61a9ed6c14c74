//! The static tether as `/init` of a real QEMU microVM (TCG is fine): boot,
//! modules, fw_cfg config, root disk by label, a volume by serial, chroot,
//! hostname, exec and tty over the virtio-serial link, attach with
//! wait_for_attach, the CRI log port, and power-off when the primary exits.
//!
//! Ignored by default: it needs root, qemu-system-x86, busybox-static,
//! e2fsprogs, cpio, a Debian cloud kernel package extracted into
//! `TETHER_TEST_KERNEL` (its `boot/` and `lib/modules/`), and the static
//! build in `TETHER_BIN`. Run it with
//! `TETHER_BIN=... TETHER_TEST_KERNEL=... cargo test -p tether --test qemu_boot -- --ignored`.

mod common;

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{connect, sh};
use tether_protocol::client::{ClientError, Output, wait_for_ready};
use tether_protocol::config::{DiskSource, DomainConfig, PortSpec, ProcessConfig, VolumeConfig};
use tether_protocol::message::{AttachRequest, ExecRequest, PrimaryPhase};

const MODULES: [&str; 6] = [
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_mmio.ko",
    "kernel/drivers/char/virtio_console.ko",
    "kernel/drivers/block/virtio_blk.ko",
    "kernel/drivers/firmware/qemu_fw_cfg.ko",
];

fn run(cmd: &str) {
    let st = Command::new("sh").arg("-c").arg(cmd).status().unwrap();
    assert!(st.success(), "{cmd}");
}

fn tsc_khz() -> u64 {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    let mhz: f64 = info
        .lines()
        .find_map(|l| l.strip_prefix("cpu MHz").and_then(|r| r.split(':').nth(1)))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(2000.0);
    (mhz * 1000.0) as u64
}

#[test]
#[ignore = "boots a QEMU guest; needs TETHER_BIN (static) and TETHER_TEST_KERNEL"]
fn boots_as_pid1_under_qemu() {
    let kernel_root =
        PathBuf::from(std::env::var("TETHER_TEST_KERNEL").expect("TETHER_TEST_KERNEL"));
    let tether_bin = std::env::var("TETHER_BIN").expect("TETHER_BIN (the static build)");
    let release = std::fs::read_dir(kernel_root.join("lib/modules"))
        .unwrap()
        .flatten()
        .next()
        .expect("a kernel release under lib/modules")
        .file_name()
        .into_string()
        .unwrap();
    let vmlinuz = kernel_root.join(format!("boot/vmlinuz-{release}"));
    let dir = std::env::temp_dir().join(format!("tether-qemu-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = |p: &str| dir.join(p);
    let ds = |p: &str| d(p).to_string_lossy().into_owned();

    // The initramfs: the tether as /init, the modules and their manifest.
    let initrd = d("initrd");
    std::fs::create_dir_all(initrd.join("dev")).unwrap();
    std::fs::copy(&tether_bin, initrd.join("init")).unwrap();
    let mut manifest = String::new();
    for m in MODULES {
        let to = initrd.join(format!("lib/modules/{release}/{m}"));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(kernel_root.join(format!("lib/modules/{release}/{m}")), &to).unwrap();
        manifest.push_str(m);
        manifest.push('\n');
    }
    std::fs::write(initrd.join("lib/modules/vicport.modules"), manifest).unwrap();
    let console =
        std::ffi::CString::new(initrd.join("dev/console").to_string_lossy().as_bytes()).unwrap();
    // SAFETY: mknod with a valid path (the test runs as root).
    let rc = unsafe { libc::mknod(console.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(5, 1)) };
    assert_eq!(rc, 0, "mknod /dev/console in the initramfs");
    run(&format!(
        "cd {} && find . | cpio -o -H newc --quiet > {}",
        initrd.display(),
        ds("initrd.img")
    ));

    // The container root: busybox, a user, a group.
    let rootfs = d("rootfs");
    std::fs::create_dir_all(rootfs.join("bin")).unwrap();
    std::fs::create_dir_all(rootfs.join("etc")).unwrap();
    std::fs::copy("/bin/busybox", rootfs.join("bin/busybox")).unwrap();
    for applet in [
        "sh", "cat", "echo", "id", "hostname", "stty", "test", "sleep", "ls",
    ] {
        std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(applet)).unwrap();
    }
    std::fs::write(
        rootfs.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(
        rootfs.join("etc/group"),
        "root:x:0:\napp:x:1000:\nextra:x:2000:app\n",
    )
    .unwrap();
    run(&format!(
        "mkfs.ext4 -q -d {} -L vicport-root {} 64M",
        rootfs.display(),
        ds("root.img")
    ));
    // A volume found by its virtio serial.
    std::fs::create_dir_all(d("volume")).unwrap();
    std::fs::write(d("volume/hello"), "data-ok\n").unwrap();
    run(&format!(
        "mkfs.ext4 -q -d {} -L data {} 16M",
        ds("volume"),
        ds("vol.img")
    ));

    let token = vec![0x5a; 16];
    let mut cfg = DomainConfig::new(token.clone(), PortSpec::Virtio("org.vicport.link".into()));
    cfg.name = "vm1".into();
    cfg.log = Some(PortSpec::Virtio("org.vicport.log".into()));
    cfg.root = Some(DiskSource::Label("vicport-root".into()));
    cfg.volumes.push(VolumeConfig {
        source: DiskSource::Serial("vol-data".into()),
        path: "/data".into(),
        read_only: true,
        format: false,
        label: "data".into(),
    });
    cfg.process = ProcessConfig {
        argv: vec![
            "/bin/sh".into(),
            "-c".into(),
            "echo primary-start; cat /data/hello; echo $(id -u):$(id -g):$(id -G); exit 7".into(),
        ],
        user: "app".into(),
        wait_for_attach: true,
        ..Default::default()
    };
    std::fs::write(d("config"), cfg.encode()).unwrap();

    let khz = tsc_khz();
    let mut qemu = Command::new("qemu-system-x86_64")
        .args([
            "-M",
            "microvm,rtc=on",
            "-m",
            "512",
            "-no-reboot",
            "-display",
            "none",
        ])
        .args(["-serial", &format!("file:{}", ds("console.log"))])
        .args([
            "-kernel",
            &vmlinuz.to_string_lossy(),
            "-initrd",
            &ds("initrd.img"),
        ])
        .args([
            "-append",
            &format!(
                "console=ttyS0 quiet panic=-1 tsc_early_khz={khz} lpj={}",
                khz * 1000 / 250
            ),
        ])
        .args([
            "-fw_cfg",
            &format!("name=opt/org.vicport/config,file={}", ds("config")),
        ])
        .args([
            "-drive",
            &format!("id=root,file={},format=raw,if=none", ds("root.img")),
        ])
        .args(["-device", "virtio-blk-device,drive=root"])
        .args([
            "-drive",
            &format!("id=vol,file={},format=raw,if=none", ds("vol.img")),
        ])
        .args(["-device", "virtio-blk-device,drive=vol,serial=vol-data"])
        .args(["-device", "virtio-serial-device"])
        .args([
            "-chardev",
            &format!("socket,id=link,path={},server=on,wait=off", ds("link.sock")),
        ])
        .args([
            "-device",
            "virtserialport,chardev=link,name=org.vicport.link",
        ])
        .args([
            "-chardev",
            &format!("file,id=log,path={}", ds("output.log")),
        ])
        .args(["-device", "virtserialport,chardev=log,name=org.vicport.log"])
        .stdin(Stdio::null())
        .spawn()
        .expect("qemu-system-x86_64");
    let console = || std::fs::read_to_string(d("console.log")).unwrap_or_default();

    let mut stream = None;
    let start = Instant::now();
    while stream.is_none() && start.elapsed() < Duration::from_secs(10) {
        stream = UnixStream::connect(d("link.sock")).ok();
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stream = stream.expect("QEMU's link socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    assert_eq!(
        wait_for_ready(&mut stream).unwrap_or_else(|e| panic!("{e}\n{}", console())),
        tether_protocol::PROTOCOL_VERSION
    );
    assert!(console().contains("tether ready"), "{}", console());

    // A wrong token is refused; the right one works on the same port.
    let bad = connect(&stream, b"wrong");
    assert!(matches!(bad, Err(ClientError::Refused(_))), "{bad:?}");
    let client = connect(&stream, &token).unwrap();
    let out = client
        .exec(sh(
            "hostname; test -e /newroot && echo leak || echo isolated; cat /etc/hosts",
        ))
        .unwrap();
    let out = out.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("vm1\nisolated\n"), "{text}");
    assert!(text.contains("127.0.1.1\tvm1"), "{text}");
    let tty = client
        .exec(ExecRequest {
            tty: true,
            rows: 30,
            cols: 100,
            ..sh("stty size")
        })
        .unwrap()
        .wait_with_output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&tty.stdout).trim(), "30 100");
    let missing = client.exec(ExecRequest {
        argv: vec!["not-there".into()],
        ..sh("")
    });
    assert!(
        matches!(missing, Err(ClientError::ExecFailed { code: 127, .. })),
        "{missing:?}"
    );

    // The host goes away (a monitor restart) and comes back: the tether
    // closes that link's sessions and serves the next Hello on the port.
    let sleeper = client.exec(sh("sleep 300")).unwrap();
    let sleeper_pid = sleeper.pid();
    std::mem::forget(sleeper);
    drop(client);
    drop(stream);
    std::thread::sleep(Duration::from_millis(500));
    let stream = UnixStream::connect(d("link.sock")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let client = connect(&stream, &token).unwrap();
    let again = client
        .exec(sh(&format!(
            "echo again; test -e /proc/{sleeper_pid} && echo sleeper-alive || echo sleeper-gone"
        )))
        .unwrap()
        .wait_with_output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "again\nsleeper-gone\n"
    );

    assert_eq!(
        client.primary_status().unwrap().phase,
        PrimaryPhase::Waiting
    );
    let attached = client
        .attach(AttachRequest {
            stdin: false,
            rows: 0,
            cols: 0,
            window: tether_protocol::DEFAULT_WINDOW,
        })
        .unwrap();
    let mut primary_out = Vec::new();
    while let Some(o) = attached.read_output().unwrap() {
        if let Output::Stdout(b) = o {
            primary_out.extend(b);
        }
    }
    assert_eq!(
        String::from_utf8_lossy(&primary_out),
        "primary-start\ndata-ok\n1000:1000:1000 2000\n"
    );
    assert_eq!(attached.exit_status().unwrap().code, 7);
    let st = client.wait_primary_exit(Duration::from_secs(30)).unwrap();
    assert_eq!(st.exit_code, 7);

    // The domain powers off by itself.
    let end = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = qemu.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > end {
            let _ = qemu.kill();
            panic!("the VM did not power off\n{}", console());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    assert!(console().contains("reboot: Power down"), "{}", console());
    let log = std::fs::read_to_string(d("output.log")).unwrap();
    assert!(
        log.contains(" stdout F primary-start\n") && log.contains(" stdout F data-ok\n"),
        "{log}"
    );
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
