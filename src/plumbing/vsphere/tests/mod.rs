//! The vSphere platform against a real peer: one vcsim per test.
//!
//! One file per module under test (sessions and trust, inventory and
//! placement, domains, the datastore, devices, networks and their leases,
//! logs, images); this file holds what they share: connecting to the
//! simulator, a seeded image, specs, and readers of what vcsim stored.

mod addresses;
mod datastore_files;
mod domain_logs;
mod domains;
mod image_tags;
mod joins;
mod placement;
mod sessions;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::vcsim::{Options, Vcsim};
use super::*;
use crate::plumbing::domain::Realize;
use crate::plumbing::error::{ErrorKind, Result};
use crate::plumbing::platform::Platform;
use crate::plumbing::retry::{RetryPolicy, retry_stale_with};
use crate::plumbing::spec::{DomainFilter, DomainSpec, DomainState, Handle, PowerChange};

fn settings(v: &Vcsim) -> VsphereSettings {
    VsphereSettings {
        username: Some(v.username.clone()),
        ..VsphereSettings::new(v.url.clone())
    }
}

fn password(p: &str) -> Arc<dyn PasswordSource> {
    let p = p.to_string();
    Arc::new(move || Ok(p.clone()))
}

async fn connect(
    v: &Vcsim,
    cache: Option<&Path>,
    counters: &RequestCounters,
) -> Result<VspherePlatform> {
    let mut p = VspherePlatform::connect_counting(
        "vc",
        settings(v),
        password(&v.password),
        cache.map(Path::to_path_buf),
        counters.clone(),
    )
    .await?;
    p.set_boot_iso(BOOT_ISO);
    Ok(p)
}

/// The CD-ROM of the tests' domains: no guest boots on vcsim, so the
/// library tests name an ISO instead of uploading one (the CLI tests
/// upload one).
const BOOT_ISO: &str = "[LocalDS_0] vicport/bootstrap.iso";

/// Put an image tagged `busybox:latest` on the simulator's datastore the
/// way `image import` does after its local build (publish: the disk, its
/// descriptor, the marker last, the tag), with a 1 MiB stand-in for the
/// ext4 disk: no guest reads it on vcsim.
async fn seed_image(p: &VspherePlatform) -> images::ImageMarker {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk.ext4");
    std::fs::write(&disk, vec![0u8; 1 << 20]).unwrap();
    let id = format!("sha256:{}", "5e".repeat(32));
    let info = crate::plumbing::spec::ImageInfo {
        id: id.clone(),
        tags: vec![],
        size_bytes: 4096,
        created: crate::plumbing::spec::now(),
        config: Default::default(),
        layers: vec![],
        used_by: vec![],
    };
    let stored = crate::plumbing::image::StoredImage {
        id,
        dir: dir.path().to_path_buf(),
        disk,
        config: Default::default(),
        info,
    };
    let names = [crate::plumbing::name::ImageRef::parse("busybox:latest").unwrap()];
    p.images()
        .await
        .unwrap()
        .publish(&stored, &names, &crate::plumbing::platform::NoProgress)
        .await
        .unwrap()
        .0
}

fn net_spec(name: &str, subnet: &str) -> crate::plumbing::spec::NetworkSpec {
    crate::plumbing::spec::NetworkSpec {
        name: name.into(),
        subnet: subnet.parse().unwrap(),
        gateway: None,
        ip_range: None,
        dns: vec!["10.0.0.53".parse().unwrap()],
        internal: false,
        labels: Default::default(),
    }
}

fn new_domain(name: &str) -> Handle {
    let mut spec = DomainSpec::new(name, "busybox:latest");
    spec.labels.insert("tier".into(), "front".into());
    Handle::new_domain(spec)
}

/// The local directory behind a vcsim datastore (its `summary.url`).
async fn datastore_dir(p: &VspherePlatform) -> std::path::PathBuf {
    let ds = p.placement().await.unwrap().datastore.named.moref.clone();
    let o = vim::retrieve_one(p.session(), &ds, &["summary.url"])
        .await
        .unwrap();
    std::path::PathBuf::from(o.text("summary.url").unwrap())
}

fn vol_spec(name: &str, size: u64) -> crate::plumbing::spec::VolumeSpec {
    crate::plumbing::spec::VolumeSpec {
        name: name.into(),
        size_bytes: size,
        labels: [("app".to_string(), "db".to_string())].into(),
        store: None,
    }
}

/// The devices of a domain's VM and its extraConfig.
async fn vm_config(
    p: &VspherePlatform,
    name: &str,
) -> (
    Vec<devices::Device>,
    std::collections::BTreeMap<String, String>,
) {
    let info = p.inspect_domain(name).await.unwrap();
    let vm = xml::MoRef::new("VirtualMachine", info.platform_ref.id.clone());
    let o = vim::retrieve_one(
        p.session(),
        &vm,
        &["config.hardware.device", "config.extraConfig"],
    )
    .await
    .unwrap();
    let devices = o.props["config.hardware.device"]
        .children
        .iter()
        .map(devices::Device::read)
        .collect();
    (devices, vim::option_values(&o.props["config.extraConfig"]))
}

/// A network's pool as it is stored on its port group.
async fn stored_pool(p: &VspherePlatform, name: &str) -> crate::plumbing::ipam::Pool {
    let net = p.network_store().await.unwrap().find(name).await.unwrap();
    let networks::PortGroup::Distributed { portgroup, .. } = &net.portgroup else {
        return net.doc.pool;
    };
    let o = vim::retrieve_one(p.session(), portgroup, &["config.description"])
        .await
        .unwrap();
    let doc: networks::NetworkDoc =
        serde_json::from_str(o.text("config.description").unwrap()).unwrap();
    doc.pool
}
