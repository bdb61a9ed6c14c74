//! The local platform: containerVMs as QEMU microVMs on this host, each
//! owned by a detached per-domain monitor process.

use std::collections::BTreeMap;
use std::path::PathBuf;

use async_trait::async_trait;

use crate::plumbing::error::Result;
use crate::plumbing::platform::Platform;
use crate::plumbing::spec::SystemInfo;
use qemu::QEMU;

pub mod events;
pub mod qemu;
pub mod qmp;
pub mod runtime;
pub mod sock;
pub mod store;

/// The local platform rooted at a state directory.
#[derive(Debug)]
pub struct LocalPlatform {
    target: String,
    state: PathBuf,
    cache: PathBuf,
}

impl LocalPlatform {
    /// Open the local platform with its state and cache directories (created
    /// on first write, not here: reading commands leave no trace).
    pub fn open(target: &str, state: PathBuf, cache: PathBuf) -> Result<Self> {
        Ok(LocalPlatform {
            target: target.to_string(),
            state,
            cache,
        })
    }
}

/// The first line of `qemu-system-x86_64 --version`, if QEMU is installed.
fn qemu_version() -> Option<String> {
    let out = std::process::Command::new(QEMU)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}

#[async_trait]
impl Platform for LocalPlatform {
    fn target(&self) -> &str {
        &self.target
    }

    async fn info(&self) -> Result<SystemInfo> {
        let mut details = BTreeMap::new();
        details.insert("state_dir".into(), self.state.display().to_string());
        details.insert("cache_dir".into(), self.cache.display().to_string());
        details.insert(
            "qemu".into(),
            qemu_version().unwrap_or_else(|| format!("{QEMU} not found (install qemu-system-x86)")),
        );
        details.insert(
            "kvm_device".into(),
            if std::path::Path::new("/dev/kvm").exists() {
                "present".into()
            } else {
                "absent".into()
            },
        );
        Ok(SystemInfo {
            target: self.target.clone(),
            platform: "local".into(),
            vicport_version: env!("CARGO_PKG_VERSION").into(),
            details,
        })
    }
}
