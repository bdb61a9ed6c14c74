//! The guest side of the vSphere mapping on a real kernel: QEMU stands in
//! for ESXi, built from exactly the VM vicport described to vcsim.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vicport::plumbing::vsphere::{guest, keys};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run};

use super::{cache_dir, guestinfo, import_busybox, log_in, log_out, walk};

/// The real boot image (built once for all tests in the shared cache)
/// recorded as the current one in the test's own cache.
fn real_boot_image(env: &Env) -> PathBuf {
    env.ensure_boot_image();
    let current = crate::support::shared_cache().join("boot/current.json");
    let text = std::fs::read(&current).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&text).unwrap();
    std::fs::create_dir_all(cache_dir(env).join("boot")).unwrap();
    std::fs::write(cache_dir(env).join("boot/current.json"), &text).unwrap();
    PathBuf::from(doc["iso"].as_str().expect("the boot image has its ISO"))
}

/// A minimal QMP client for the test's own QEMU.
struct Qmp(std::io::BufReader<std::os::unix::net::UnixStream>);

impl Qmp {
    fn connect(path: &Path) -> Qmp {
        let s = std::os::unix::net::UnixStream::connect(path).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut q = Qmp(std::io::BufReader::new(s));
        q.line();
        q.run(r#"{"execute":"qmp_capabilities"}"#);
        q
    }

    fn line(&mut self) -> serde_json::Value {
        use std::io::BufRead as _;
        let mut l = String::new();
        self.0.read_line(&mut l).unwrap();
        serde_json::from_str(&l).unwrap()
    }

    /// Run a command; its answer must be a success.
    fn run(&mut self, command: &str) {
        use std::io::Write as _;
        self.0
            .get_mut()
            .write_all(format!("{command}\n").as_bytes())
            .unwrap();
        loop {
            let v = self.line();
            if v.get("return").is_some() {
                return;
            }
            assert!(v.get("error").is_none(), "{command}: {v}");
        }
    }
}

/// A QEMU guest killed on drop.
struct Qemu(Child);

impl Drop for Qemu {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The guest side of the vSphere mapping, on a real kernel: vcsim holds
/// the domain vicport made (root disk as a child of the image's disk, the
/// ISO on the CD-ROM, console/link/log serial ports, a volume on the
/// paravirtual SCSI controller, a vmxnet3 NIC, the tether's config), and
/// QEMU stands in for ESXi, built from exactly that: the ISO vicport
/// uploaded (`-M pc -cdrom`), a qcow2 child of the image disk vicport
/// uploaded at SCSI unit 0 of a `pvscsi` controller, the volume's disk at
/// unit 1, a `vmxnet3` NIC with the MAC, COM1 and COM3 writing the console and
/// the log into the VM's directory on vcsim's datastore, COM2 a TCP server
/// on 127.0.0.1 at the link port, and the config document from guestinfo
/// in fw_cfg (QEMU has no VMware backdoor; the tether reads fw_cfg when
/// the CPUID vendor is not VMware's). Then exec, logs, a network joining
/// and leaving the running domain (QEMU hot-plugs the vmxnet3 NIC vcsim
/// added, over QMP, as ESXi would) and stop go through the binary, to the
/// real tether.
#[test]
fn the_guest_vicport_describes_boots_under_qemu_and_answers_through_the_binary() {
    let env = Env::new();
    let iso = real_boot_image(&env);
    let v = Vcsim::start();
    log_in(&env, &v);
    let image = import_busybox(&env, "busybox");
    run(env.vicport(["network", "create", "net1", "--subnet", "10.77.0.0/24"])).code(0);
    run(env.vicport(["network", "create", "net2", "--subnet", "10.78.0.0/24"])).code(0);
    run(env.vicport(["volume", "create", "data", "--size", "16MiB"])).code(0);
    let script = "echo hello from the guest; echo to-stderr >&2; while :; do sleep 1; done";
    run(env.vicport([
        "run",
        "-d",
        "--name",
        "g",
        "--network",
        "net1",
        "-v",
        "data:/data",
        "busybox",
        "--",
        "sh",
        "-c",
        script,
    ]))
    .code(0);

    // What vcsim holds.
    let extra = guestinfo(&v, &env, "g");
    let config_doc = guest::decode(&extra[keys::CONFIG]).unwrap();
    let port: u16 = extra[keys::LINK_PORT].parse().unwrap();
    let mac = config_doc.interfaces[0].mac.clone();
    let files = walk(v.dir());
    let hex = image.trim_start_matches("sha256:");
    let parent = files
        .iter()
        .find(|p| p.ends_with(format!("vicport-images/{hex}/disk-flat.vmdk")))
        .expect("the image's disk on the datastore")
        .clone();
    let uploaded_iso = files
        .iter()
        .find(|p| p.file_name() == Some("bootstrap.iso".as_ref()))
        .expect("the ISO on the datastore")
        .clone();
    assert_eq!(
        std::fs::metadata(&uploaded_iso).unwrap().len(),
        std::fs::metadata(&iso).unwrap().len()
    );
    let vm_dir = files
        .iter()
        .find(|p| p.is_dir() && p.file_name() == Some("g".as_ref()))
        .expect("the VM's directory")
        .clone();

    // QEMU, as ESXi would run that VM.
    let work = env.root().join("qemu");
    std::fs::create_dir_all(&work).unwrap();
    let root = work.join("root.qcow2");
    let st = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2", "-F", "raw", "-b"])
        .arg(&parent)
        .arg(&root)
        .status()
        .unwrap();
    assert!(st.success());
    // Formatted here: the boot image has no mkfs.ext4 yet, so a blank
    // volume would stop the boot (format-if-blank needs it in the guest).
    let volume = work.join("data.img");
    std::fs::File::create(&volume)
        .unwrap()
        .set_len(16 << 20)
        .unwrap();
    let st = Command::new("mkfs.ext4")
        .args(["-q", "-F"])
        .arg(&volume)
        .status()
        .unwrap();
    assert!(st.success());
    let config_file = work.join("config");
    std::fs::write(&config_file, config_doc.encode()).unwrap();
    let arg = |s: String| std::ffi::OsString::from(s);
    let qemu = Command::new("qemu-system-x86_64")
        .args(["-M", "pc", "-accel", "tcg", "-m", "512", "-smp", "1"])
        .args(["-no-reboot", "-nographic", "-nodefaults", "-boot", "d"])
        .arg("-cdrom")
        .arg(&uploaded_iso)
        .args(["-device", "pvscsi,id=pvscsi0"])
        .arg("-drive")
        .arg(arg(format!(
            "file={},if=none,id=root,format=qcow2",
            root.display()
        )))
        .args([
            "-device",
            "scsi-hd,drive=root,bus=pvscsi0.0,scsi-id=0,lun=0",
        ])
        .arg("-drive")
        .arg(arg(format!(
            "file={},if=none,id=vol,format=raw",
            volume.display()
        )))
        .args(["-device", "scsi-hd,drive=vol,bus=pvscsi0.0,scsi-id=1,lun=0"])
        .args(["-netdev", "user,id=n0,restrict=on"])
        .arg("-device")
        .arg(arg(format!("vmxnet3,netdev=n0,mac={mac}")))
        .arg("-chardev")
        .arg(arg(format!(
            "file,id=com1,path={}",
            vm_dir.join("console.log").display()
        )))
        .args(["-serial", "chardev:com1"])
        .arg("-chardev")
        .arg(arg(format!(
            "socket,id=com2,host=127.0.0.1,port={port},server=on,wait=off"
        )))
        .args(["-serial", "chardev:com2"])
        .arg("-chardev")
        .arg(arg(format!(
            "file,id=com3,path={}",
            vm_dir.join("output.log").display()
        )))
        .args(["-serial", "chardev:com3"])
        .arg("-fw_cfg")
        .arg(arg(format!(
            "name=opt/org.vicport/config,file={}",
            config_file.display()
        )))
        .arg("-qmp")
        .arg(arg(format!(
            "unix:{},server=on,wait=off",
            work.join("qmp.sock").display()
        )))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work.join("qemu.log")).unwrap())
        .spawn()
        .unwrap();
    let mut qemu = Qemu(qemu);
    let console = || {
        let text = std::fs::read_to_string(vm_dir.join("console.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let qemu_log = std::fs::read_to_string(work.join("qemu.log")).unwrap_or_default();
        format!(
            "{}\n--- qemu\n{qemu_log}",
            lines[lines.len().saturating_sub(60)..].join("\n")
        )
    };

    // exec waits for the tether to boot (the domain started a moment ago).
    let out = run(env.vicport(["exec", "g", "--", "cat", "/proc/cmdline"]));
    assert_eq!(out.code, 0, "{}\n--- console\n{}", out.stderr, console());
    assert!(
        out.stdout.contains("vicport.platform=vsphere"),
        "{}",
        out.stdout
    );
    // The volume by its SCSI place (target 1), the NIC by its MAC. The
    // kernel names disks in the order its asynchronous scan finds them, so
    // the volume may be sda or sdb: its sysfs address is what is stable.
    let out = run(env.vicport([
        "exec",
        "g",
        "--",
        "sh",
        "-c",
        "set -- $(grep ' /data ' /proc/mounts); echo $1 $3; \
         basename $(readlink /sys/block/${1#/dev/}/device)",
    ]));
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].starts_with("/dev/sd") && lines[0].ends_with(" ext4"),
        "{}",
        out.stdout
    );
    assert!(lines[1].ends_with(":0:1:0"), "{}", out.stdout);
    let out = run(env.vicport([
        "exec",
        "g",
        "--",
        "sh",
        "-c",
        "for n in /sys/class/net/*; do cat $n/address; done; cat /proc/net/fib_trie",
    ]));
    out.code(0);
    assert!(out.stdout.contains(&mac), "{}", out.stdout);
    assert!(out.stdout.contains("10.77.0.2"), "{}", out.stdout);
    let out = run(env.vicport([
        "exec",
        "g",
        "--",
        "sh",
        "-c",
        "echo x > /data/f && cat /data/f",
    ]));
    out.code(0);
    assert_eq!(out.stdout, "x\n");

    // The log port carries the primary's output, the console the kernel's.
    let out = run(env.vicport(["logs", "g"]));
    out.code(0);
    assert_eq!(out.stdout, "hello from the guest\n", "{}", out.stderr);
    assert_eq!(out.stderr, "to-stderr\n");
    let log = std::fs::read_to_string(vm_dir.join("output.log")).unwrap();
    assert!(
        !log.contains("Linux version"),
        "kernel messages in the log:\n{log}"
    );
    assert!(console().contains("tether ready"), "{}", console());

    // A network joins the running domain: vcsim's reconfigure adds the
    // vmxnet3 NIC, and QEMU (as ESXi would) hot-plugs one with that MAC
    // into the guest, where the tether finds and configures it.
    let connect = env
        .vicport(["-o", "json", "network", "connect", "net2", "g"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let added = loop {
        let macs = crate::vsphere_live::nics(&v, &env, "g");
        if let Some(m) = macs.into_iter().find(|m| *m != mac) {
            break m;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "no NIC was added");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut qmp = Qmp::connect(&work.join("qmp.sock"));
    qmp.run(r#"{"execute":"netdev_add","arguments":{"type":"user","id":"n1","restrict":true}}"#);
    qmp.run(&format!(
        r#"{{"execute":"device_add","arguments":{{"driver":"vmxnet3","id":"hot1","netdev":"n1","mac":"{added}"}}}}"#
    ));
    let out = connect.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n--- console\n{}",
        String::from_utf8_lossy(&out.stderr),
        console()
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ip"], "10.78.0.2");
    let addrs = "for n in /sys/class/net/*; do cat $n/address; done; cat /proc/net/fib_trie; cat /etc/resolv.conf";
    let out = run(env.vicport(["exec", "g", "--", "sh", "-c", addrs]));
    out.code(0);
    assert!(out.stdout.contains(&added), "{}", out.stdout);
    assert!(out.stdout.contains("10.78.0.2"), "{}", out.stdout);

    // It leaves: the tether takes it down, vcsim's reconfigure removes the
    // NIC, and QEMU unplugs it from the guest.
    run(env.vicport(["network", "disconnect", "net2", "g"])).code(0);
    assert_eq!(
        crate::vsphere_live::nics(&v, &env, "g"),
        std::slice::from_ref(&mac)
    );
    let out = run(env.vicport(["exec", "g", "--", "sh", "-c", "cat /proc/net/fib_trie"]));
    out.code(0);
    assert!(!out.stdout.contains("10.78.0.2"), "{}", out.stdout);
    qmp.run(r#"{"execute":"device_del","arguments":{"id":"hot1"}}"#);
    let t = Instant::now();
    loop {
        let out = run(env.vicport([
            "exec",
            "g",
            "--",
            "sh",
            "-c",
            "cat /sys/class/net/*/address",
        ]));
        if !out.stdout.contains(&added) {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the NIC stayed in the guest"
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    // A graceful stop through the link: the tether powers the guest off.
    let out = run(env.vicport(["-o", "json", "domain", "stop", "-t", "2", "g"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    let t = Instant::now();
    while qemu.0.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the guest did not power off\n{}",
            console()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    run(env.vicport(["domain", "rm", "g"])).code(0);
    log_out(&env);
}
