//! Which hypervisor the domain runs on and how its config and ports are
//! reached: QEMU's fw_cfg and virtio-serial, or vSphere's guestinfo (over
//! the backdoor RPC) and serial ports.

use std::time::Duration;

use super::backdoor::{self, Backdoor};
use super::sys::Sys;
use tether_protocol::config::PortSpec;
use tether_protocol::message::PrimaryState;

/// The config blob in fw_cfg.
pub const FW_CFG_CONFIG: &str = "/sys/firmware/qemu_fw_cfg/by_name/opt/org.vicport/config/raw";
/// fw_cfg's sysfs directory (present once qemu_fw_cfg is loaded).
pub const FW_CFG_DIR: &str = "/sys/firmware/qemu_fw_cfg";
/// The guestinfo key holding the base64 config document.
pub const GUESTINFO_CONFIG: &str = "guestinfo.vicport.config";
/// The CPUID hypervisor vendor of a VMware VM: the only place the backdoor
/// exists (elsewhere its `in` instruction faults).
pub const VMWARE_VENDOR: &str = "VMwareVMware";

/// The hypervisor platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// QEMU (local microVMs).
    Qemu,
    /// VMware vSphere.
    Vsphere,
}

/// `vicport.platform=qemu|vsphere` on the kernel command line.
pub fn from_cmdline(cmdline: &str) -> Option<Result<Platform, String>> {
    cmdline
        .split_whitespace()
        .find_map(|w| w.strip_prefix("vicport.platform="))
        .map(|v| match v {
            "qemu" => Ok(Platform::Qemu),
            "vsphere" => Ok(Platform::Vsphere),
            other => Err(format!(
                "vicport.platform={other} on the kernel command line: expected qemu or vsphere"
            )),
        })
}

/// The CPUID hypervisor vendor as a message shows it.
fn vendor_text(vendor: &Option<String>) -> String {
    match vendor {
        Some(v) => format!("{v:?}"),
        None => "none (no hypervisor bit)".into(),
    }
}

/// Whether CPUID says this is a VMware VM.
pub fn is_vmware(sys: &dyn Sys) -> bool {
    sys.hypervisor_vendor().as_deref() == Some(VMWARE_VENDOR)
}

/// Whether the machine has VMware's devices (a PCI device of vendor
/// 0x15ad: pvscsi, vmxnet3, …): on vSphere, and under QEMU emulating
/// them. The device drivers to load follow the devices, not the CPUID
/// vendor or where the config came from.
pub fn has_vmware_devices(sys: &dyn Sys) -> bool {
    sys.read_dir(PCI_DEVICES)
        .unwrap_or_default()
        .iter()
        .any(|d| {
            sys.read_file(&format!("{PCI_DEVICES}/{d}/vendor"))
                .is_ok_and(|v| String::from_utf8_lossy(&v).trim() == VMWARE_PCI_VENDOR)
        })
}

const PCI_DEVICES: &str = "/sys/bus/pci/devices";
const VMWARE_PCI_VENDOR: &str = "0x15ad";

/// Detect the platform: the command line, else fw_cfg (QEMU), else the
/// CPUID vendor "VMwareVMware" (vSphere). The backdoor is not touched.
///
/// The vSphere boot ISO says `vicport.platform=vsphere`, but the same ISO
/// also boots under QEMU (`-M pc -cdrom`, its own boot test): where the
/// CPUID vendor is not VMware's there is no backdoor to read guestinfo
/// from, so a config in fw_cfg wins there, and without one the boot cannot
/// go on (the backdoor's `in` would fault and kill PID 1).
pub fn detect(sys: &dyn Sys, wait: Duration) -> Result<Platform, String> {
    let cmdline = sys.read_file("/proc/cmdline").unwrap_or_default();
    if let Some(p) = from_cmdline(&String::from_utf8_lossy(&cmdline)) {
        let p = p?;
        if p == Platform::Vsphere && !is_vmware(sys) {
            let mut waited = Duration::ZERO;
            while !sys.exists(FW_CFG_CONFIG) && waited < wait {
                sys.sleep(Duration::from_millis(100));
                waited += Duration::from_millis(100);
            }
            if sys.exists(FW_CFG_CONFIG) {
                return Ok(Platform::Qemu);
            }
            return Err(format!(
                "the kernel command line says vicport.platform=vsphere, but this is not a VMware VM (CPUID hypervisor vendor {}), so there is no guestinfo to read the config from, and QEMU's fw_cfg has none either ({FW_CFG_CONFIG}): boot this image as a containerVM that vicport created on vSphere, or under QEMU with -fw_cfg name=opt/org.vicport/config,file=CONFIG",
                vendor_text(&sys.hypervisor_vendor())
            ));
        }
        return Ok(p);
    }
    if is_vmware(sys) {
        return Ok(Platform::Vsphere);
    }
    let mut waited = Duration::ZERO;
    loop {
        if sys.exists(FW_CFG_DIR) {
            return Ok(Platform::Qemu);
        }
        if waited >= wait {
            return Err(format!(
                "unknown platform: no {FW_CFG_DIR} (is qemu_fw_cfg in the module manifest?), CPUID vendor {:?}, and no vicport.platform= on the kernel command line",
                sys.hypervisor_vendor().unwrap_or_default()
            ));
        }
        sys.sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
}

/// Read the config document text from the platform.
pub fn read_config(sys: &dyn Sys, platform: Platform) -> Result<String, String> {
    match platform {
        Platform::Qemu => {
            let raw = sys
                .read_file(FW_CFG_CONFIG)
                .map_err(|e| format!("cannot read the config from fw_cfg {FW_CFG_CONFIG}: {e}"))?;
            String::from_utf8(raw).map_err(|_| "the fw_cfg config is not UTF-8".into())
        }
        Platform::Vsphere => {
            let mut bd = vmware_backdoor(sys)?;
            let v = backdoor::info_get(&mut *bd, GUESTINFO_CONFIG)
                .map_err(|e| format!("cannot read {GUESTINFO_CONFIG}: {e}"))?
                .ok_or_else(|| format!("{GUESTINFO_CONFIG} is not set on this VM"))?;
            let raw = base64_decode(&v).map_err(|e| format!("{GUESTINFO_CONFIG}: {e}"))?;
            String::from_utf8(raw).map_err(|_| format!("{GUESTINFO_CONFIG} is not UTF-8"))
        }
    }
}

/// Report the primary's exit in guestinfo (vSphere only; best effort):
/// its code, times, and whether the guest's OOM killer ended it.
pub fn write_status(
    sys: &dyn Sys,
    platform: Platform,
    state: &PrimaryState,
    oom_killed: bool,
) -> Result<(), String> {
    if platform != Platform::Vsphere {
        return Ok(());
    }
    let mut bd = vmware_backdoor(sys)?;
    for (k, v) in [
        ("exit_code", state.exit_code.to_string()),
        ("started_at", state.started_at.to_string()),
        ("finished_at", state.finished_at.to_string()),
        ("oom_killed", oom_killed.to_string()),
    ] {
        backdoor::info_set(&mut *bd, &format!("guestinfo.vicport.status.{k}"), &v)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The VMware backdoor, only on a VMware VM: anywhere else its `in`
/// instruction faults, and a fault kills PID 1. First the calling thread
/// asks for I/O permission on the port (`ioperm` is per thread); where the
/// kernel refuses it (lockdown), VMware still answers the backdoor from
/// user mode, as it does for open-vm-tools.
pub fn vmware_backdoor(sys: &dyn Sys) -> Result<Box<dyn Backdoor>, String> {
    let vendor = sys.hypervisor_vendor();
    if vendor.as_deref() != Some(VMWARE_VENDOR) {
        return Err(format!(
            "this is not a VMware VM (CPUID hypervisor vendor {}): there is no VMware backdoor to reach guestinfo through",
            vendor_text(&vendor)
        ));
    }
    if let Err(e) = sys.io_permission(backdoor::PORT) {
        super::say(&format!(
            "no I/O permission for the VMware backdoor port {:#x} ({e}); using it from user mode, as VMware allows",
            backdoor::PORT
        ));
    }
    sys.backdoor()
        .ok_or_else(|| "no VMware backdoor on this architecture".into())
}

/// The device path of a port: serial port N is `/dev/ttySN` (the 8250
/// driver numbers the UARTs as the machine does: COM1 is ttyS0), a named
/// virtio-serial port is found by `/sys/class/virtio-ports/*/name`.
pub fn port_path(sys: &dyn Sys, spec: &PortSpec, wait: Duration) -> Result<String, String> {
    match spec {
        PortSpec::Serial(n) => Ok(format!("/dev/ttyS{n}")),
        PortSpec::File(p) => Ok(p.clone()),
        PortSpec::Virtio(name) => {
            let mut waited = Duration::ZERO;
            loop {
                for port in sys.read_dir("/sys/class/virtio-ports").unwrap_or_default() {
                    let n = sys
                        .read_file(&format!("/sys/class/virtio-ports/{port}/name"))
                        .unwrap_or_default();
                    if String::from_utf8_lossy(&n).trim() == name {
                        return Ok(format!("/dev/{port}"));
                    }
                }
                if waited >= wait {
                    return Err(format!(
                        "no virtio-serial port named {name} (is virtio_console in the module manifest?)"
                    ));
                }
                sys.sleep(Duration::from_millis(100));
                waited += Duration::from_millis(100);
            }
        }
    }
}

/// Standard base64 (padding optional, whitespace ignored).
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    let mut pad = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            _ => return Err(format!("invalid base64 character {:?}", c as char)),
        };
        if pad > 0 {
            return Err("base64 data after padding".into());
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if bits >= 6 || pad > 2 {
        return Err("truncated base64".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::backdoor::{Backdoor, FakeHypervisor, Regs};
    use crate::agent::sys::FakeSys;
    use tether_protocol::message::PrimaryPhase;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("dmljcG9ydA==").unwrap(), b"vicport");
        assert_eq!(base64_decode("dmljcG9y\ndA").unwrap(), b"vicport");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("dm*j").is_err());
        assert!(base64_decode("d").is_err());
        assert!(base64_decode("dg==dg").is_err());
    }

    #[test]
    fn detection_order() {
        // The vSphere ISO booted by QEMU with a config in fw_cfg.
        let sys = FakeSys::with_vendor("TCGTCGTCGTCG");
        sys.add_file(
            "/proc/cmdline",
            "console=ttyS0 vicport.platform=vsphere quiet",
        );
        sys.add_file(FW_CFG_CONFIG, "x");
        assert_eq!(detect(&sys, Duration::ZERO), Ok(Platform::Qemu));
        // Under VMware's CPUID vendor the command line stands.
        let sys = FakeSys::with_vendor("VMwareVMware");
        sys.add_file("/proc/cmdline", "vicport.platform=vsphere");
        sys.add_file(FW_CFG_CONFIG, "x");
        assert_eq!(detect(&sys, Duration::ZERO), Ok(Platform::Vsphere));
        let sys = FakeSys::new();
        sys.add_file("/proc/cmdline", "vicport.platform=xen");
        assert!(detect(&sys, Duration::ZERO).unwrap_err().contains("xen"));
        let sys = FakeSys::new();
        sys.add_file(FW_CFG_CONFIG, "x");
        assert_eq!(detect(&sys, Duration::ZERO), Ok(Platform::Qemu));
        let sys = FakeSys::with_vendor("VMwareVMware");
        assert_eq!(detect(&sys, Duration::ZERO), Ok(Platform::Vsphere));
        let sys = FakeSys::with_vendor("KVMKVMKVM");
        assert!(
            detect(&sys, Duration::from_millis(200))
                .unwrap_err()
                .contains("KVMKVMKVM")
        );
        assert_eq!(sys.calls(), ["sleep 100ms", "sleep 100ms"]);
    }

    #[test]
    fn the_vsphere_image_elsewhere_without_a_config_stops_before_the_backdoor() {
        // The reported boot: the vSphere ISO under QEMU (TCG, KVM, or no
        // hypervisor bit at all) with nothing in fw_cfg.
        for vendor in [Some("TCGTCGTCGTCG"), Some("KVMKVMKVM"), None] {
            let sys = match vendor {
                Some(v) => FakeSys::with_vendor(v),
                None => FakeSys::new(),
            };
            sys.add_file(
                "/proc/cmdline",
                "console=ttyS0 vicport.platform=vsphere quiet",
            );
            *sys.backdoor.lock().unwrap() = Some(Box::new(FakeHypervisor::default()));
            let e = detect(&sys, Duration::from_millis(300)).unwrap_err();
            assert!(
                e.contains("vicport.platform=vsphere")
                    && e.contains("not a VMware VM")
                    && e.contains(&vendor.map_or("no hypervisor bit".into(), |v| format!("{v:?}")))
                    && e.contains("fw_cfg"),
                "{e}"
            );
            // It waited for fw_cfg, and never asked for the backdoor.
            assert_eq!(sys.calls(), ["sleep 100ms", "sleep 100ms", "sleep 100ms"]);
            assert!(sys.backdoor.lock().unwrap().is_some());
        }
    }

    #[test]
    fn the_backdoor_is_reached_only_on_a_vmware_vm_with_io_permission() {
        for vendor in ["TCGTCGTCGTCG", "KVMKVMKVM", "Microsoft Hv", "vmwarevmware"] {
            let sys = FakeSys::with_vendor(vendor);
            *sys.backdoor.lock().unwrap() = Some(Box::new(FakeHypervisor::default()));
            let e = read_config(&sys, Platform::Vsphere).unwrap_err();
            assert!(e.contains("not a VMware VM") && e.contains(vendor), "{e}");
            let st = PrimaryState::default();
            assert!(write_status(&sys, Platform::Vsphere, &st, false).is_err());
            assert_eq!(sys.calls(), Vec::<String>::new(), "{vendor}");
        }
        let sys = FakeSys::new();
        let e = read_config(&sys, Platform::Vsphere).unwrap_err();
        assert!(e.contains("no hypervisor bit"), "{e}");
        assert_eq!(sys.calls(), Vec::<String>::new());

        // On VMware: permission for the port first, then the port.
        let sys = FakeSys::with_vendor(VMWARE_VENDOR);
        *sys.backdoor.lock().unwrap() = Some(Box::new(FakeHypervisor::default()));
        let e = read_config(&sys, Platform::Vsphere).unwrap_err();
        assert!(e.contains("not set"), "{e}");
        assert_eq!(sys.calls(), ["ioperm 0x5658", "backdoor"]);
        // A kernel that refuses ioperm (lockdown): VMware answers anyway.
        let sys = FakeSys::with_vendor(VMWARE_VENDOR);
        sys.fail("ioperm", libc::EPERM);
        let mut hv = FakeHypervisor::default();
        hv.guestinfo
            .insert(GUESTINFO_CONFIG.into(), "dmljcG9ydC5jb25maWc9MQo=".into());
        *sys.backdoor.lock().unwrap() = Some(Box::new(hv));
        assert_eq!(
            read_config(&sys, Platform::Vsphere).unwrap(),
            "vicport.config=1\n"
        );
        assert_eq!(sys.calls(), ["ioperm 0x5658", "backdoor"]);
    }

    #[test]
    fn vsphere_config_and_status_through_guestinfo() {
        let mut hv = FakeHypervisor::default();
        hv.guestinfo
            .insert(GUESTINFO_CONFIG.into(), "dmljcG9ydC5jb25maWc9MQo=".into());
        let sys = FakeSys::with_vendor(VMWARE_VENDOR);
        *sys.backdoor.lock().unwrap() = Some(Box::new(hv));
        assert_eq!(
            read_config(&sys, Platform::Vsphere).unwrap(),
            "vicport.config=1\n"
        );
        let sys = FakeSys::with_vendor(VMWARE_VENDOR);
        *sys.backdoor.lock().unwrap() = Some(Box::new(FakeHypervisor::default()));
        let e = read_config(&sys, Platform::Vsphere).unwrap_err();
        assert!(e.contains("not set"), "{e}");
    }

    #[test]
    fn status_is_written_on_vsphere_only() {
        let sys = FakeSys::with_vendor(VMWARE_VENDOR);
        let st = PrimaryState {
            phase: PrimaryPhase::Exited,
            exit_code: 3,
            ..Default::default()
        };
        write_status(&sys, Platform::Qemu, &st, false).unwrap();
        assert!(sys.calls().is_empty(), "QEMU: no backdoor");
        assert!(
            write_status(&sys, Platform::Vsphere, &st, false).is_err(),
            "no backdoor in this fake"
        );
    }

    /// Lets the test look into the fake hypervisor after the code under
    /// test has used it.
    struct SharedHv(std::sync::Arc<std::sync::Mutex<FakeHypervisor>>);

    impl Backdoor for SharedHv {
        fn call(&mut self, r: Regs) -> Regs {
            self.0.lock().unwrap().call(r)
        }
    }

    #[test]
    fn vsphere_status_lands_in_guestinfo() {
        let hv = std::sync::Arc::new(std::sync::Mutex::new(FakeHypervisor::default()));
        let sys = FakeSys::with_vendor("VMwareVMware");
        *sys.backdoor.lock().unwrap() = Some(Box::new(SharedHv(hv.clone())));
        let st = PrimaryState {
            phase: PrimaryPhase::Exited,
            exit_code: 137,
            signal: Some(tether_protocol::Signal::KILL),
            started_at: 11,
            finished_at: 22,
            pid: 5,
        };
        write_status(&sys, Platform::Vsphere, &st, true).unwrap();
        let hv = hv.lock().unwrap();
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.exit_code"], "137");
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.oom_killed"], "true");
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.started_at"], "11");
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.finished_at"], "22");
        assert_eq!(hv.open_channels(), 0);
    }

    #[test]
    fn virtio_port_by_name() {
        let sys = FakeSys::new();
        sys.add_file("/sys/class/virtio-ports/vport0p1/name", "org.vicport.log\n");
        sys.add_file(
            "/sys/class/virtio-ports/vport0p2/name",
            "org.vicport.link\n",
        );
        let spec = PortSpec::Virtio("org.vicport.link".into());
        assert_eq!(
            port_path(&sys, &spec, Duration::ZERO).unwrap(),
            "/dev/vport0p2"
        );
        let missing = PortSpec::Virtio("nope".into());
        assert!(port_path(&sys, &missing, Duration::ZERO).is_err());
        assert_eq!(
            port_path(&sys, &PortSpec::Serial(1), Duration::ZERO).unwrap(),
            "/dev/ttyS1"
        );
    }
}
