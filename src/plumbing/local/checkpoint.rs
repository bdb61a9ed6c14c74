//! Checkpointing a local domain into a directory of the caller's, and
//! starting a domain from it: what `domain suspend` does, with the saved
//! state kept apart from the domain so that it outlives it and can be
//! moved (an OCI runtime's `checkpoint` and `restore`, which podman's
//! `container checkpoint` and `container restore` drive).
//!
//! ```text
//! DIR/state.bin     what QEMU saved: the guest's memory and devices
//! DIR/domain.json   the link token, the hardware and the config document
//!                   the guest booted with; written last
//! ```
//! A restore starts a defined, stopped domain from it: that domain's own
//! start plan (its paths, taps and network namespace, which may be new)
//! with the saved state loaded instead of a boot. The saved guest keeps
//! what it booted with, so the domain must describe the same hardware
//! and the same network identity (MAC and addresses); anything else is
//! refused before QEMU starts, naming the difference. The guest also
//! keeps its link token: the domain takes the checkpoint's.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tether_protocol::config::{DomainConfig, InterfaceConfig};

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::{create_private_dir, remove_file_if_exists, write_atomic};
use crate::plumbing::local::monitor;
use crate::plumbing::local::qemu::files as qemu_files;
use crate::plumbing::local::qmp::Qmp;
use crate::plumbing::spec::now;

use super::suspend::{migrate_to_file, wait_ended};

/// The saved guest, in a checkpoint directory.
pub const STATE: &str = "state.bin";
/// The checkpoint's record, in a checkpoint directory.
pub const RECORD: &str = "domain.json";

/// What `domain.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// When it was saved.
    pub saved_at: String,
    /// The link token the guest holds (hex).
    pub token: String,
    /// QEMU's options that make the guest's hardware ([`hardware`]).
    pub hardware: Vec<String>,
    /// The tether's config document the guest booted with.
    pub config: String,
}

/// The options of a QEMU command line that make the guest's hardware
/// (machine, CPU, memory, devices and their backing objects), each as
/// "OPTION VALUE": what a saved guest needs unchanged. Paths, the kernel,
/// the accelerator and the host's end of each device are left out.
pub fn hardware(qemu_args: &[String]) -> Vec<String> {
    const MAKES_HARDWARE: [&str; 8] = [
        "-M", "-machine", "-cpu", "-smp", "-m", "-object", "-device", "-global",
    ];
    qemu_args
        .windows(2)
        .filter(|w| MAKES_HARDWARE.contains(&w[0].as_str()))
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

/// The checkpoint in `dir`.
pub fn read(dir: &Path) -> Result<Checkpoint> {
    let path = dir.join(RECORD);
    let bytes = std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorKind::NotFound,
                format!("{} holds no checkpoint of a domain", dir.display()),
            )
            .with_hint("give the directory a checkpoint was written to")
        } else {
            Error::io(format!("reading {}", path.display()), e)
        }
    })?;
    let record: Checkpoint = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid(format!("{} is damaged: {e}", path.display())))?;
    if !dir.join(STATE).is_file() {
        return Err(Error::invalid(format!(
            "the checkpoint in {} has lost its saved state ({STATE})",
            dir.display()
        )));
    }
    Ok(record)
}

/// The saved state's path in `dir`, absolute (QEMU runs elsewhere).
pub fn state_file(dir: &Path) -> Result<PathBuf> {
    let state = dir.join(STATE);
    std::path::absolute(&state).io_context(|| format!("resolving {}", state.display()))
}

/// Save the running (or paused) domain in `dir` into `to`, which is made
/// if missing and whose earlier checkpoint is replaced. With
/// `leave_running` the guest then goes on (a paused one stays paused);
/// without, QEMU quits and this returns once the monitor has recorded the
/// end of the run.
pub fn save(dir: &Path, name: &str, to: &Path, leave_running: bool) -> Result<()> {
    let launch = monitor::read_launch(&dir.join(monitor::LAUNCH))?;
    let config_path = dir.join(qemu_files::CONFIG);
    let config = std::fs::read_to_string(&config_path)
        .io_context(|| format!("reading {}", config_path.display()))?;
    create_private_dir(to)?;
    // The record first: without it the rest is not a checkpoint.
    remove_file_if_exists(&to.join(RECORD))?;
    remove_file_if_exists(&to.join(STATE))?;
    let part = to.join(format!("{STATE}.part"));
    let mut qmp = Qmp::connect(dir)?;
    let was_running = qmp.status()? == "running";
    let go_on = |qmp: &mut Qmp| {
        if was_running {
            let _ = qmp.execute("cont", serde_json::json!({}));
        }
    };
    let saved = (|| {
        if was_running {
            qmp.execute("stop", serde_json::json!({}))?;
        }
        migrate_to_file(&mut qmp, &part, &format!("checkpointing domain {name:?}"))?;
        std::fs::rename(&part, to.join(STATE))
            .io_context(|| format!("keeping {}", part.display()))?;
        let record = Checkpoint {
            saved_at: now(),
            token: launch.token.clone(),
            hardware: hardware(&launch.qemu_args),
            config,
        };
        write_atomic(
            &to.join(RECORD),
            &serde_json::to_vec_pretty(&record).expect("a record serializes"),
            0o600,
        )
    })();
    if let Err(e) = saved {
        let _ = std::fs::remove_file(&part);
        let _ = std::fs::remove_file(to.join(STATE));
        go_on(&mut qmp);
        return Err(e);
    }
    if leave_running {
        go_on(&mut qmp);
        return Ok(());
    }
    if let Err(e) = qmp.quit() {
        // QEMU runs on, stopped: the guest goes on as it was, and the
        // checkpoint (whole) stays for the caller.
        if let Ok(mut q) = Qmp::connect(dir) {
            go_on(&mut q);
        }
        return Err(e.context(format!("powering off domain {name:?} after its checkpoint")));
    }
    wait_ended(dir, name, "checkpoint")
}

/// Why a domain whose QEMU command line is `qemu_args` and whose config
/// document is `config` cannot take the checkpoint `saved`, if it cannot.
pub fn mismatch(saved: &Checkpoint, qemu_args: &[String], config: &DomainConfig) -> Option<String> {
    let ours = hardware(qemu_args);
    if ours != saved.hardware {
        let first = saved
            .hardware
            .iter()
            .zip(&ours)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("`{a}` where this domain has `{b}`"))
            .unwrap_or_else(|| {
                format!(
                    "{} hardware options where this domain has {}",
                    saved.hardware.len(),
                    ours.len()
                )
            });
        return Some(format!("its guest has other hardware: {first}"));
    }
    let theirs = match DomainConfig::decode(&saved.config) {
        Ok(c) => c.interfaces,
        Err(e) => return Some(format!("its config document is damaged: {e}")),
    };
    let identity = |i: &InterfaceConfig| (i.mac.clone(), i.addresses.clone(), i.gateway);
    let same = theirs.len() == config.interfaces.len()
        && theirs
            .iter()
            .zip(&config.interfaces)
            .all(|(a, b)| identity(a) == identity(b));
    if !same {
        let show = |list: &[InterfaceConfig]| {
            if list.is_empty() {
                return "none".to_string();
            }
            list.iter()
                .map(|i| {
                    let addresses: Vec<String> =
                        i.addresses.iter().map(|a| a.to_string()).collect();
                    format!("{} {}", i.mac, addresses.join(","))
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        return Some(format!(
            "its guest's network identity differs: it has {}, this domain {}",
            show(&theirs),
            show(&config.interfaces)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use tether_protocol::config::PortSpec;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn hardware_keeps_the_guests_devices_and_leaves_out_host_paths() {
        let args = s(&[
            "-M",
            "microvm,rtc=on",
            "-accel",
            "tcg,tb-size=32",
            "-cpu",
            "max",
            "-smp",
            "2",
            "-m",
            "512M",
            "-kernel",
            "/cache/boot/1/vmlinuz",
            "-chardev",
            "socket,id=fs0,path=fs0.sock",
            "-device",
            "vhost-user-fs-device,chardev=fs0,tag=r",
            "-netdev",
            "tap,id=n,ifname=vp0",
            "-device",
            "virtio-net-pci,netdev=n,mac=52:54:00:00:00:01",
            "-object",
            "memory-backend-memfd,id=mem,size=512M,share=on",
            "-no-reboot",
        ]);
        assert_eq!(
            hardware(&args),
            s(&[
                "-M microvm,rtc=on",
                "-cpu max",
                "-smp 2",
                "-m 512M",
                "-device vhost-user-fs-device,chardev=fs0,tag=r",
                "-device virtio-net-pci,netdev=n,mac=52:54:00:00:00:01",
                "-object memory-backend-memfd,id=mem,size=512M,share=on",
            ])
        );
    }

    fn config(interfaces: Vec<InterfaceConfig>) -> DomainConfig {
        let mut c = DomainConfig::new(vec![0xab], PortSpec::Virtio("org.vicport.link".into()));
        c.interfaces = interfaces;
        c
    }

    fn interface(mac: &str, address: &str) -> InterfaceConfig {
        InterfaceConfig {
            mac: mac.into(),
            addresses: vec![address.parse().unwrap()],
            gateway: None,
            routes: Vec::new(),
            mtu: None,
            dns: Vec::new(),
            search: Vec::new(),
        }
    }

    #[test]
    fn a_restore_needs_the_same_hardware_and_network_identity() {
        let args = s(&[
            "-m",
            "512M",
            "-device",
            "virtio-net-pci,mac=52:54:00:00:00:01",
        ]);
        let ours = config(vec![interface("52:54:00:00:00:01", "10.88.0.5/16")]);
        let saved = Checkpoint {
            saved_at: now(),
            token: "ab".into(),
            hardware: hardware(&args),
            config: ours.encode(),
        };
        assert_eq!(mismatch(&saved, &args, &ours), None);

        let bigger = s(&[
            "-m",
            "1024M",
            "-device",
            "virtio-net-pci,mac=52:54:00:00:00:01",
        ]);
        let why = mismatch(&saved, &bigger, &ours).unwrap();
        assert!(
            why.contains("`-m 512M` where this domain has `-m 1024M`"),
            "{why}"
        );
        let fewer = s(&["-m", "512M"]);
        let why = mismatch(&saved, &fewer, &ours).unwrap();
        assert!(
            why.contains("2 hardware options where this domain has 1"),
            "{why}"
        );

        // Another address on the same MAC (podman restores with a new
        // name get new ones): the guest would keep the old one.
        let moved = config(vec![interface("52:54:00:00:00:01", "10.88.0.9/16")]);
        let why = mismatch(&saved, &args, &moved).unwrap();
        assert!(
            why.contains(
                "it has 52:54:00:00:00:01 10.88.0.5/16, this domain 52:54:00:00:00:01 10.88.0.9/16"
            ),
            "{why}"
        );
        let why = mismatch(&saved, &args, &config(Vec::new())).unwrap();
        assert!(why.ends_with("this domain none"), "{why}");
    }

    #[test]
    fn a_directory_without_a_whole_checkpoint_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("holds no checkpoint"), "{e}");
        let record = Checkpoint {
            saved_at: now(),
            token: "ab".into(),
            hardware: Vec::new(),
            config: String::new(),
        };
        std::fs::write(
            dir.path().join(RECORD),
            serde_json::to_vec(&record).unwrap(),
        )
        .unwrap();
        let e = read(dir.path()).unwrap_err();
        assert!(e.to_string().contains("lost its saved state"), "{e}");
        std::fs::write(dir.path().join(STATE), b"QEVM").unwrap();
        assert_eq!(read(dir.path()).unwrap(), record);
        std::fs::write(dir.path().join(RECORD), b"{").unwrap();
        assert!(
            read(dir.path())
                .unwrap_err()
                .to_string()
                .contains("is damaged")
        );
    }
}
