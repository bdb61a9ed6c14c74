//! Which hypervisor the domain runs on and how its config and ports are
//! reached: QEMU's fw_cfg and virtio-serial, or vSphere's guestinfo (over
//! the backdoor RPC) and serial ports.

use std::time::Duration;

use super::backdoor;
use super::sys::Sys;
use tether_protocol::config::PortSpec;
use tether_protocol::message::PrimaryState;

/// The config blob in fw_cfg.
pub const FW_CFG_CONFIG: &str = "/sys/firmware/qemu_fw_cfg/by_name/opt/org.vicport/config/raw";
/// fw_cfg's sysfs directory (present once qemu_fw_cfg is loaded).
pub const FW_CFG_DIR: &str = "/sys/firmware/qemu_fw_cfg";
/// The guestinfo key holding the base64 config document.
pub const GUESTINFO_CONFIG: &str = "guestinfo.vicport.config";

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

/// Detect the platform: the command line, else fw_cfg (QEMU), else the
/// CPUID vendor "VMwareVMware" (vSphere). The backdoor is not touched.
///
/// The vSphere boot ISO says `vicport.platform=vsphere`, but the same ISO
/// also boots under QEMU (`-M pc -cdrom`, its own boot test): where the
/// CPUID vendor is not VMware's there is no backdoor to read guestinfo
/// from, so a config in fw_cfg wins there.
pub fn detect(sys: &dyn Sys, wait: Duration) -> Result<Platform, String> {
    let cmdline = sys.read_file("/proc/cmdline").unwrap_or_default();
    if let Some(p) = from_cmdline(&String::from_utf8_lossy(&cmdline)) {
        let p = p?;
        if p == Platform::Vsphere && sys.hypervisor_vendor().as_deref() != Some("VMwareVMware") {
            let mut waited = Duration::ZERO;
            while !sys.exists(FW_CFG_CONFIG) && waited < wait {
                sys.sleep(Duration::from_millis(100));
                waited += Duration::from_millis(100);
            }
            if sys.exists(FW_CFG_CONFIG) {
                return Ok(Platform::Qemu);
            }
        }
        return Ok(p);
    }
    if sys.hypervisor_vendor().as_deref() == Some("VMwareVMware") {
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
            let mut bd = sys
                .backdoor()
                .ok_or("no VMware backdoor on this architecture")?;
            let v = backdoor::info_get(&mut *bd, GUESTINFO_CONFIG)
                .map_err(|e| format!("cannot read {GUESTINFO_CONFIG}: {e}"))?
                .ok_or_else(|| format!("{GUESTINFO_CONFIG} is not set on this VM"))?;
            let raw = base64_decode(&v).map_err(|e| format!("{GUESTINFO_CONFIG}: {e}"))?;
            String::from_utf8(raw).map_err(|_| format!("{GUESTINFO_CONFIG} is not UTF-8"))
        }
    }
}

/// Report the primary's exit in guestinfo (vSphere only; best effort).
pub fn write_status(sys: &dyn Sys, platform: Platform, state: &PrimaryState) -> Result<(), String> {
    if platform != Platform::Vsphere {
        return Ok(());
    }
    let mut bd = sys.backdoor().ok_or("no VMware backdoor")?;
    for (k, v) in [
        ("exit_code", state.exit_code.to_string()),
        ("started_at", state.started_at.to_string()),
        ("finished_at", state.finished_at.to_string()),
    ] {
        backdoor::info_set(&mut *bd, &format!("guestinfo.vicport.status.{k}"), &v)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
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
        let sys = FakeSys::new();
        sys.add_file(
            "/proc/cmdline",
            "console=ttyS0 vicport.platform=vsphere quiet",
        );
        assert_eq!(detect(&sys, Duration::ZERO), Ok(Platform::Vsphere));
        // The vSphere ISO booted by QEMU with a config in fw_cfg.
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
    fn vsphere_config_and_status_through_guestinfo() {
        let mut hv = FakeHypervisor::default();
        hv.guestinfo
            .insert(GUESTINFO_CONFIG.into(), "dmljcG9ydC5jb25maWc9MQo=".into());
        let sys = FakeSys::new();
        *sys.backdoor.lock().unwrap() = Some(Box::new(hv));
        assert_eq!(
            read_config(&sys, Platform::Vsphere).unwrap(),
            "vicport.config=1\n"
        );
        let sys = FakeSys::new();
        *sys.backdoor.lock().unwrap() = Some(Box::new(FakeHypervisor::default()));
        let e = read_config(&sys, Platform::Vsphere).unwrap_err();
        assert!(e.contains("not set"), "{e}");
    }

    #[test]
    fn status_is_written_on_vsphere_only() {
        let sys = FakeSys::new();
        let st = PrimaryState {
            phase: PrimaryPhase::Exited,
            exit_code: 3,
            ..Default::default()
        };
        write_status(&sys, Platform::Qemu, &st).unwrap();
        assert!(
            write_status(&sys, Platform::Vsphere, &st).is_err(),
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
        write_status(&sys, Platform::Vsphere, &st).unwrap();
        let hv = hv.lock().unwrap();
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.exit_code"], "137");
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
