//! The boot image's vSphere half: the ISO that `vicport system bootstrap`
//! builds boots under QEMU's PC machine from a CD-ROM, as a VM would from
//! its datastore ISO, and its tether reaches "ready" on a link and runs an
//! exec. (The initramfs on `-M microvm` is booted by every local-platform
//! test.) Under QEMU the tether takes its config from fw_cfg; the virtio
//! link port stands in for vSphere's network serial port.

use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tether::config::{DomainConfig, PortSpec};
use tether::link::client::{Client, wait_for_ready};
use tether::link::message::ExecRequest;

use crate::support::{Env, shared_cache};

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
    env.ensure_boot_image();
    let current: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared_cache().join("boot/current.json")).unwrap())
            .unwrap();
    let iso = PathBuf::from(current["iso"].as_str().expect("bootstrap builds the ISO"));

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
    assert_eq!(version, tether::link::frame::PROTOCOL_VERSION);

    let client = Client::connect(link, &token).expect("the tether accepts its token");
    let session = client
        .exec(ExecRequest {
            argv: vec![
                "busybox".into(),
                "echo".into(),
                "booted from the ISO".into(),
            ],
            window: tether::link::DEFAULT_WINDOW,
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
