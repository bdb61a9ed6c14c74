//! The vSphere platform against a real peer: one vcsim per test.

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

fn session_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vcsim_answers_retrieve_service_content() {
    let v = Vcsim::start();
    let body = xml::envelope(
        "<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>",
    );
    let text = reqwest::Client::new()
        .post(&v.url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "urn:vim25/6.5")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = xml::parse(&text).unwrap();
    let about = doc.find("about").expect(&text);
    assert_eq!(about.child_text("apiType"), Some("VirtualCenter"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_session_is_reused_by_the_next_client() {
    let v = Vcsim::start();
    let cache = tempfile::tempdir().unwrap();
    let counters = RequestCounters::default();
    let first = connect(&v, Some(cache.path()), &counters).await.unwrap();
    first.list_domains(&DomainFilter::default()).await.unwrap();
    let files = session_files(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        !text.contains(&v.password),
        "the password leaked into {text}"
    );
    drop(first);

    // The second client never asks for the password.
    let second = VspherePlatform::connect_counting(
        "vc",
        settings(&v),
        Arc::new(|| -> Result<String> { panic!("the password was asked for") }),
        Some(cache.path().to_path_buf()),
        counters.clone(),
    )
    .await
    .unwrap();
    second.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(counters.get("Login"), 1, "{:?}", counters.snapshot());
    assert_eq!(
        second.current_user().await.unwrap().as_deref(),
        Some("user")
    );

    // Logging out without a password ends the session on the server.
    assert!(logout(&settings(&v), cache.path()).await.unwrap());
    assert!(session_files(cache.path()).is_empty());
    assert_eq!(second.current_user().await.unwrap(), None);
    assert!(!logout(&settings(&v), cache.path()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standalone_esx_host_is_a_target_too() {
    let v = Vcsim::with(Options {
        args: vec!["-esx".into()],
        ..Options::default()
    });
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let d = p.info().await.unwrap().details;
    assert_eq!(d["api_type"], "HostAgent");
    assert_eq!(d["datacenter"], "ha-datacenter");
    assert!(d.contains_key("host"), "{d:?}");
    seed_image(&p).await;
    let mut h = new_domain("solo");
    h.set_power(PowerChange::On);
    assert_eq!(
        p.domains().commit(h).await.unwrap().state,
        DomainState::Running
    );
    p.domains().remove("solo", true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_unreachable_and_leaves_no_session() {
    let v = Vcsim::with(Options {
        args: vec!["-password".into(), "right".into()],
        ..Options::default()
    });
    let cache = tempfile::tempdir().unwrap();
    let err = VspherePlatform::connect(
        "vc",
        settings(&v),
        password("wrong-secret"),
        Some(cache.path().to_path_buf()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    assert!(!err.to_string().contains("wrong-secret"), "{err}");
    assert!(err.to_string().contains("refused the login"), "{err}");
    assert!(session_files(cache.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_session_logs_in_once_more() {
    let v = Vcsim::start();
    let cache = tempfile::tempdir().unwrap();
    let counters = RequestCounters::default();
    let first = connect(&v, Some(cache.path()), &counters).await.unwrap();
    let file = session_files(cache.path()).remove(0);
    let saved = std::fs::read(&file).unwrap();
    // End the session on the server, then put the dead cookie back.
    first.logout().await.unwrap();
    std::fs::write(&file, &saved).unwrap();

    let counters = RequestCounters::default();
    let second = connect(&v, Some(cache.path()), &counters).await.unwrap();
    assert_eq!(counters.get("Login"), 0);
    second.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(counters.get("Login"), 1, "{:?}", counters.snapshot());
    // The cache now holds the new session.
    assert_ne!(std::fs::read(&file).unwrap(), saved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_certificate_is_refused_with_its_thumbprints() {
    let v = Vcsim::with(Options {
        tls: true,
        ..Options::default()
    });
    let sha256 = v.sha256.clone().unwrap();
    let sha1 = v.sha1.clone().unwrap();
    let err = VspherePlatform::connect("vc", settings(&v), password(&v.password), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    assert!(err.to_string().contains(&sha256), "{err}");
    assert!(err.to_string().contains(&sha1), "{err}");
    assert!(
        err.hint()
            .unwrap()
            .contains(&format!("--thumbprint {sha256}"))
    );

    // A wrong pin is refused too.
    let mut s = settings(&v);
    s.thumbprint =
        Some(sha256.replace(&sha256[..2], if &sha256[..2] == "00" { "11" } else { "00" }));
    let err = VspherePlatform::connect("vc", s, password(&v.password), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_thumbprints_and_insecure_are_accepted() {
    let v = Vcsim::with(Options {
        tls: true,
        ..Options::default()
    });
    let pins = [
        v.sha256.clone().unwrap(),
        v.sha256.clone().unwrap().replace(':', "").to_lowercase(),
        v.sha1.clone().unwrap(),
    ];
    for pin in pins {
        let mut s = settings(&v);
        s.thumbprint = Some(pin.clone());
        let p = VspherePlatform::connect("vc", s, password(&v.password), None)
            .await
            .unwrap_or_else(|e| panic!("{pin}: {e}"));
        p.list_domains(&DomainFilter::default()).await.unwrap();
    }
    let mut s = settings(&v);
    s.insecure = true;
    VspherePlatform::connect("vc", s, password(&v.password), None)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placement_defaults_to_the_only_one_and_refuses_ambiguity() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let info = p.info().await.unwrap();
    assert_eq!(info.platform, "vsphere");
    let d = &info.details;
    assert_eq!(d["api_type"], "VirtualCenter");
    assert_eq!(d["datacenter"], "DC0");
    assert_eq!(d["cluster"], "DC0_C0");
    assert_eq!(d["resource_pool"], "Resources");
    assert_eq!(d["datastore"], "LocalDS_0");
    assert_eq!(d["folder"], "/DC0/vm");
    assert_eq!(d["hosts"].split(',').count(), 3, "{d:?}");
    assert!(d["datastore_free_bytes"].parse::<u64>().unwrap() > 0);
    assert!(
        d.contains_key("cpu_mhz") && d.contains_key("memory_bytes"),
        "{d:?}"
    );

    let two = Vcsim::with(Options {
        args: vec![
            "-ds".into(),
            "2".into(),
            "-standalone-host".into(),
            "1".into(),
        ],
        ..Options::default()
    });
    let p = connect(&two, None, &counters).await.unwrap();
    let err = p.info().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(
        err.to_string().contains("DC0_C0") && err.to_string().contains("DC0_H0"),
        "{err}"
    );

    let mut s = settings(&two);
    s.resource_pool = Some("DC0_C0".into());
    let p = VspherePlatform::connect("vc", s.clone(), password(&two.password), None)
        .await
        .unwrap();
    let err = p.info().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(
        err.to_string().contains("LocalDS_0") && err.to_string().contains("LocalDS_1"),
        "{err}"
    );

    s.datastore = Some("LocalDS_1".into());
    let p = VspherePlatform::connect("vc", s.clone(), password(&two.password), None)
        .await
        .unwrap();
    assert_eq!(p.info().await.unwrap().details["datastore"], "LocalDS_1");

    s.datastore = Some("/DC0/datastore/LocalDS_0".into());
    s.resource_pool = Some("/DC0/host/DC0_H0".into());
    let p = VspherePlatform::connect("vc", s.clone(), password(&two.password), None)
        .await
        .unwrap();
    let d = p.info().await.unwrap().details;
    assert_eq!(
        (d["datastore"].as_str(), d["host"].as_str()),
        ("LocalDS_0", "DC0_H0")
    );

    s.datastore = Some("nope".into());
    let p = VspherePlatform::connect("vc", s, password(&two.password), None)
        .await
        .unwrap();
    let err = p.info().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(
        err.hint().unwrap().contains("LocalDS_1"),
        "{:?}",
        err.hint()
    );

    let dcs = Vcsim::with(Options {
        args: vec!["-dc".into(), "2".into()],
        ..Options::default()
    });
    let p = connect(&dcs, None, &counters).await.unwrap();
    let err = p.info().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.to_string().contains("DC1"), "{err}");

    // A datacenter inside a folder, and a folder inside its VM folder,
    // by name and by inventory path.
    let nested = Vcsim::with(Options {
        args: vec!["-folder".into(), "1".into()],
        ..Options::default()
    });
    let mut s = settings(&nested);
    s.folder = Some("F0".into());
    s.resource_pool = Some("/F0/DC0/host/F0/DC0_C0".into());
    let p = VspherePlatform::connect("vc", s.clone(), password(&nested.password), None)
        .await
        .unwrap();
    let d = p.info().await.unwrap().details;
    assert_eq!(
        (
            d["datacenter"].as_str(),
            d["folder"].as_str(),
            d["cluster"].as_str()
        ),
        ("DC0", "/F0/DC0/vm/F0", "DC0_C0")
    );
    assert_eq!(p.datacenter().await.unwrap().path, "F0/DC0");
    s.folder = Some("/F0/DC0/vm/F0".into());
    let p = VspherePlatform::connect("vc", s, password(&nested.password), None)
        .await
        .unwrap();
    assert_eq!(p.info().await.unwrap().details["folder"], "/F0/DC0/vm/F0");
}

async fn assert_no_domains(p: &VspherePlatform) {
    let rows = p.list_domains(&DomainFilter::default()).await.unwrap();
    assert!(rows.is_empty(), "{rows:?}");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_start_inspect_stop_and_remove() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let mut s = settings(&v);
    s.network = Some("DC0_DVPG0".into());
    let mut p =
        VspherePlatform::connect_counting("vc", s, password(&v.password), None, counters.clone())
            .await
            .unwrap();
    p.set_boot_iso(BOOT_ISO);
    let image = seed_image(&p).await;
    p.create_network(net_spec("backend", "10.0.9.0/24"))
        .await
        .unwrap();

    let mut h = new_domain("web");
    h.spec
        .networks
        .push(crate::plumbing::spec::NetworkEndpoint::parse("backend").unwrap());
    let id = h.id.clone();
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(
        counters.get("CreateVM_Task"),
        1,
        "{:?}",
        counters.snapshot()
    );
    assert_eq!(counters.get("ReconfigVM_Task"), 0);
    assert_eq!(info.state, DomainState::Created);
    assert_eq!(info.id, id);
    assert_eq!(info.platform_ref.platform, "vsphere");
    assert!(
        info.platform_ref.id.starts_with("vm-"),
        "{:?}",
        info.platform_ref
    );
    assert_eq!(info.platform_ref.path, "/DC0/vm/web");
    assert_eq!(info.labels["tier"], "front");
    assert!(info.networks[0].mac.is_some(), "{:?}", info.networks);

    // Every device and key went in with the create.
    let vm = xml::MoRef::new("VirtualMachine", info.platform_ref.id.clone());
    let o = vim::retrieve_one(
        p.session(),
        &vm,
        &[
            "config.hardware.device",
            "config.extraConfig",
            "config.annotation",
        ],
    )
    .await
    .unwrap();
    let devices: Vec<devices::Device> = o.props["config.hardware.device"]
        .children
        .iter()
        .map(devices::Device::read)
        .collect();
    let backings: Vec<_> = devices.iter().filter_map(|d| d.backing.clone()).collect();
    assert!(
        backings.contains(&devices::Backing::Iso {
            file: "[LocalDS_0] vicport/bootstrap.iso".into()
        }),
        "{backings:?}"
    );
    assert!(
        backings.contains(&devices::Backing::SerialFile {
            file: "[LocalDS_0] web/output.log".into()
        }),
        "{backings:?}"
    );
    let extra = vim::option_values(&o.props["config.extraConfig"]);
    let port = &extra[keys::LINK_PORT];
    assert!(
        backings.contains(&devices::Backing::SerialUri {
            uri: format!("tcp://:{port}"),
            direction: "server".into()
        }),
        "{backings:?}"
    );
    // The root disk is a new child of the image's disk.
    let root = devices
        .iter()
        .find(|d| matches!(d.kind, devices::Kind::Disk { .. }))
        .expect("a root disk");
    match &root.backing {
        Some(devices::Backing::Disk { file, parent, .. }) => {
            assert_eq!(parent.as_deref(), Some(image.disk.as_str()));
            assert_eq!(
                image.disk,
                format!("[LocalDS_0] vicport-images/{}/disk.vmdk", "5e".repeat(32))
            );
            assert!(file.starts_with("[LocalDS_0] web/"), "{file}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(root.unit, Some(0));
    // Console, link and log on COM1..3 of the SIO controller.
    let serial: Vec<(Option<i32>, Option<i32>, devices::Backing)> = devices
        .iter()
        .filter(|d| d.kind == devices::Kind::Serial)
        .map(|d| (d.controller_key, d.unit, d.backing.clone().unwrap()))
        .collect();
    assert_eq!(
        serial,
        [
            (
                Some(400),
                Some(0),
                devices::Backing::SerialFile {
                    file: "[LocalDS_0] web/console.log".into()
                }
            ),
            (
                Some(400),
                Some(1),
                devices::Backing::SerialUri {
                    uri: format!("tcp://:{port}"),
                    direction: "server".into()
                }
            ),
            (
                Some(400),
                Some(2),
                devices::Backing::SerialFile {
                    file: "[LocalDS_0] web/output.log".into()
                }
            ),
        ]
    );
    assert!(
        backings
            .iter()
            .any(|b| matches!(b, devices::Backing::DvPort { .. })),
        "{backings:?}"
    );
    assert_eq!(extra[keys::IMAGE_ID], image.id);
    // The tether's config document: what the guest reads at boot.
    let config = guest::decode(&extra[keys::CONFIG]).unwrap();
    assert_eq!(config.id, id.0);
    assert_eq!(config.name, "web");
    assert_eq!(hex::encode(&config.token), extra[keys::TOKEN]);
    assert_eq!(config.token.len(), 32);
    assert_eq!(config.link, tether_protocol::config::PortSpec::Serial(1));
    assert_eq!(
        config.log,
        Some(tether_protocol::config::PortSpec::Serial(2))
    );
    assert_eq!(
        config.root,
        Some(tether_protocol::config::DiskSource::Label(
            "vicport-root".into()
        ))
    );
    assert!(!config.process.wait_for_attach);
    assert_eq!(config.interfaces.len(), 1);
    assert_eq!(
        Some(config.interfaces[0].mac.clone()),
        info.networks[0].mac.clone().map(|m| m.to_ascii_lowercase())
    );
    assert_eq!(
        config.interfaces[0].addresses[0].to_string(),
        format!("{}/24", info.networks[0].ip.unwrap())
    );
    assert_eq!(
        config.interfaces[0].gateway,
        Some("10.0.9.1".parse().unwrap())
    );
    assert!(o.text("config.annotation").unwrap().contains("vicport"));

    // A second domain of the same name is a conflict (vSphere's DuplicateName
    // in the folder; the harness enforces it as vCenter does).
    let err = p.domains().commit(new_domain("web")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "{err}");
    assert!(
        err.to_string().contains("\"web\" is already in use"),
        "{err}"
    );

    let mut h = p.domains().handle("web").await.unwrap();
    h.set_power(PowerChange::On);
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(info.state, DomainState::Running);
    assert!(info.started_at.is_some());

    let by_prefix = p.inspect_domain(&id.0[..10]).await.unwrap();
    assert_eq!(by_prefix.name, "web");

    let err = p.domains().remove("web", false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState, "{err}");

    // No tether answers on vcsim: the stop powers the domain off.
    let t = Instant::now();
    let info = p
        .domains()
        .stop("web", Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(info.state, DomainState::Stopped);
    assert!(t.elapsed() < Duration::from_secs(8), "{:?}", t.elapsed());

    p.domains().remove("web", false).await.unwrap();
    let err = p.inspect_domain("web").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_no_domains(&p).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_labels_kill_wait_and_forced_remove() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    let mut h = new_domain("db");
    h.set_power(PowerChange::On);
    p.domains().commit(h).await.unwrap();

    let mut h = p.domains().handle("db").await.unwrap();
    h.spec.name = "db2".into();
    h.spec.labels.insert("zone".into(), "a".into());
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(
        (info.name.as_str(), info.labels["zone"].as_str()),
        ("db2", "a")
    );
    assert_eq!(counters.get("Rename_Task"), 1);
    assert_eq!(
        p.inspect_domain("db2").await.unwrap().platform_ref.path,
        "/DC0/vm/db2"
    );

    let waiter = {
        let p = p.clone();
        tokio::spawn(async move { p.domains().wait("db2", Some(Duration::from_secs(20))).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiter.is_finished());
    p.domains()
        .kill("db2", tether_protocol::Signal::KILL)
        .await
        .unwrap();
    let info = waiter.await.unwrap().unwrap();
    assert_eq!(info.state, DomainState::Stopped);

    let err = p.domains().wait("nope", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);

    let mut h = p.domains().handle("db2").await.unwrap();
    h.set_power(PowerChange::On);
    p.domains().commit(h).await.unwrap();
    p.domains().remove("db2", true).await.unwrap();
    assert_no_domains(&p).await;

    let err = p
        .domains()
        .commit(new_domain("Bad Name"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

/// Create `n` vicport-looking VMs with bare CreateVM_Task calls, the first
/// `broken` of them without their spec key. vcsim runs tasks before it
/// answers, so they exist once the call returns.
async fn raw_vms(p: &VspherePlatform, prefix: &str, n: usize, broken: usize) {
    let placement = p.placement().await.unwrap().clone();
    for i in 0..n {
        let name = format!("{prefix}{i:04}");
        let mut extra = vec![(keys::ID, crate::plumbing::spec::DomainId::random().0)];
        if i >= broken {
            let spec = DomainSpec::new(name.clone(), "busybox");
            extra.push((keys::SPEC, serde_json::to_string(&spec).unwrap()));
            extra.push((keys::CREATED, "2024-01-01T00:00:00Z".to_string()));
        }
        vim::start_task(p.session(), "CreateVM_Task", &placement.folder.moref, |w| {
            w.open("config").text("name", &name);
            w.open("files")
                .text("vmPathName", "[LocalDS_0]")
                .close("files");
            for (k, v) in &extra {
                w.open_typed("extraConfig", "OptionValue")
                    .text("key", k)
                    .typed_text("value", "xsd:string", v)
                    .close("extraConfig");
            }
            w.close("config");
            w.moref("pool", &placement.pool.moref);
        })
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_500_domains_across_pages_and_only_vicports() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let mut p = connect(&v, None, &counters).await.unwrap();
    raw_vms(&p, "d", 510, 0).await;
    p.set_page_size(50);
    let before = counters.snapshot();
    let rows = p.list_domains(&DomainFilter::default()).await.unwrap();
    let after = counters.snapshot();
    let delta = |m: &str| after.get(m).copied().unwrap_or(0) - before.get(m).copied().unwrap_or(0);
    assert_eq!(rows.len(), 510);
    assert!(rows.iter().all(|r| r.state == DomainState::Created));
    assert_eq!(delta("RetrievePropertiesEx"), 1, "{after:?}");
    assert!(delta("ContinueRetrievePropertiesEx") >= 10, "{after:?}");
    // The model's own VMs (DC0_C0_RP0_VM0, ...) are not vicport's.
    assert!(rows.iter().all(|r| r.name.starts_with('d')), "{rows:?}");
    let err = p.inspect_domain("DC0_C0_RP0_VM0").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = p
        .domains()
        .remove("DC0_C0_RP0_VM0", true)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_made_domain_lists_as_broken_and_can_be_removed() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    raw_vms(&p, "half", 1, 1).await;
    let rows = p.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, DomainState::Broken);
    let info = p.inspect_domain("half0000").await.unwrap();
    assert_eq!(info.state, DomainState::Broken);
    assert!(info.state_reason.is_some());
    let err = p.domains().handle("half0000").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    p.domains().remove("half0000", false).await.unwrap();
    assert_no_domains(&p).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_label_changes_all_land() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    p.domains().commit(new_domain("busy")).await.unwrap();

    // A stale handle is a conflict.
    let h1 = p.domains().handle("busy").await.unwrap();
    let mut h2 = p.domains().handle("busy").await.unwrap();
    let mut h = h1;
    h.spec.labels.insert("first".into(), "1".into());
    p.domains().commit(h).await.unwrap();
    h2.spec.labels.insert("second".into(), "2".into());
    let err = p.domains().commit(h2).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StaleHandle, "{err}");

    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let p = p.clone();
        set.spawn(async move {
            retry_stale_with(RetryPolicy::default(), |_| {
                let p = p.clone();
                async move {
                    let mut h = p.domains().handle("busy").await?;
                    h.spec.labels.insert(format!("k{i}"), format!("v{i}"));
                    p.domains().commit(h).await
                }
            })
            .await
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    let labels = p.inspect_domain("busy").await.unwrap().labels;
    for i in 0..20 {
        assert_eq!(
            labels.get(&format!("k{i}")).map(String::as_str),
            Some(format!("v{i}").as_str()),
            "{labels:?}"
        );
    }
    assert_eq!(labels["first"], "1");
    assert!(!labels.contains_key("second"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vcsim_killed_during_a_create_is_a_clear_error() {
    let mut v = Vcsim::with(Options {
        args: vec!["-delay".into(), "CreateVM_Task=3000".into()],
        ..Options::default()
    });
    let counters = RequestCounters::default();
    let mut s = settings(&v);
    s.timeout = Duration::from_secs(5);
    let mut p =
        VspherePlatform::connect_counting("vc", s, password(&v.password), None, counters.clone())
            .await
            .unwrap();
    p.set_boot_iso(BOOT_ISO);
    seed_image(&p).await;
    let p = Arc::new(p);
    let create = {
        let p = p.clone();
        tokio::spawn(async move { p.domains().commit(new_domain("doomed")).await })
    };
    // Wait until the create is on the wire, then kill the server.
    let t = Instant::now();
    while counters.get("CreateVM_Task") == 0 {
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    v.kill();
    let t = Instant::now();
    let err = create.await.unwrap().unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(6), "{:?}", t.elapsed());
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    assert!(
        err.to_string().contains("creating domain \"doomed\""),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("broken"), "{:?}", err.hint());
}

/// A tiny HTTP server answering every request with `response`.
async fn http_server(response: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut seen = Vec::new();
                // Read the head and the body (Content-Length) before answering.
                loop {
                    let Ok(n) = conn.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&seen);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if body.len() >= len {
                            break;
                        }
                    }
                }
                let _ = conn.write_all(response.as_bytes()).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    format!("http://{addr}/sdk")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_foreign_servers_are_unreachable() {
    let cases = [
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html><body>hi</body></html",
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 60\r\nConnection: close\r\n\r\n<soapenv:Envelope><soapenv:Body><RetrieveServiceContentResp",
        "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 74\r\nConnection: close\r\n\r\n<Envelope><Body><RetrieveServiceContentResponse/></Body></Envelope>      ",
        "garbage that is not HTTP\r\n\r\n",
    ];
    for response in cases {
        let url = http_server(response).await;
        let mut s = VsphereSettings::new(url);
        s.username = Some("u".into());
        s.timeout = Duration::from_secs(5);
        let err = VspherePlatform::connect("vc", s, password("p"), None)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unreachable, "{response:?}: {err}");
        assert!(err.hint().is_some(), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_or_silent_server_fails_in_bounded_time() {
    // Nothing listens on a port we just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // A server that accepts and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            held.push(conn);
        }
    });
    for url in [
        format!("https://127.0.0.1:{port}/sdk"),
        format!("http://{silent_addr}/sdk"),
    ] {
        let mut s = VsphereSettings::new(url.clone());
        s.username = Some("u".into());
        s.timeout = Duration::from_secs(1);
        let t = Instant::now();
        let err = VspherePlatform::connect("vc", s, password("p"), None)
            .await
            .unwrap_err();
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "{url}: {:?}",
            t.elapsed()
        );
        assert_eq!(err.kind(), ErrorKind::Unreachable, "{url}: {err}");
    }
}

/// The local directory behind a vcsim datastore (its `summary.url`).
async fn datastore_dir(p: &VspherePlatform) -> std::path::PathBuf {
    let ds = p.placement().await.unwrap().datastore.named.moref.clone();
    let o = vim::retrieve_one(p.session(), &ds, &["summary.url"])
        .await
        .unwrap();
    std::path::PathBuf::from(o.text("summary.url").unwrap())
}

/// Counts what a progress reporter was told.
#[derive(Default)]
struct Recorded {
    phases: std::sync::Mutex<Vec<(String, Option<u64>)>>,
    done: std::sync::atomic::AtomicU64,
    on_advance: Option<Box<dyn Fn() + Send + Sync>>,
}

impl crate::plumbing::platform::Progress for Recorded {
    fn phase(&self, name: &str, total: Option<u64>) {
        self.phases.lock().unwrap().push((name.to_string(), total));
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        if let Some(f) = &self.on_advance {
            f();
        }
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datastore_files_upload_read_move_and_delete() {
    use datastore::{ByteRange, DatastorePath};
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let root = datastore_dir(&p).await;
    let files = p.files().await.unwrap();

    // 3 MiB and a bit of non-repeating bytes, streamed up in pieces.
    let local = tempfile::tempdir().unwrap();
    let src = local.path().join("disk.img");
    let data: Vec<u8> = (0..(3 << 20) + 12345u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&src, &data).unwrap();
    let dest = DatastorePath::parse("[LocalDS_0] images/busybox/disk.img").unwrap();
    let progress = Recorded::default();
    let size = files.upload(&src, &dest, &progress).await.unwrap();
    assert_eq!(size, data.len() as u64);
    assert_eq!(
        std::fs::read(root.join("images/busybox/disk.img")).unwrap(),
        data,
        "the bytes arrived on the datastore"
    );
    assert_eq!(
        names_in(&root.join("images/busybox")),
        ["disk.img"],
        "no temporary file is left"
    );
    assert_eq!(
        progress.phases.lock().unwrap()[0],
        ("uploading disk.img".to_string(), Some(size))
    );
    assert_eq!(
        progress.done.load(std::sync::atomic::Ordering::SeqCst),
        size
    );
    assert_eq!(counters.get("MoveDatastoreFile_Task"), 1);

    // Stat, ranges, a download.
    let stat = files.stat(&dest).await.unwrap().unwrap();
    assert_eq!(stat.size, size);
    assert!(files.exists(&dest).await.unwrap());
    let missing = DatastorePath::parse("[LocalDS_0] images/nope").unwrap();
    assert_eq!(files.stat(&missing).await.unwrap(), None);
    assert_eq!(files.read(&missing, ByteRange::All).await.unwrap(), None);
    let tail = files
        .read(&dest, ByteRange::Last(100))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tail.start, size - 100);
    assert_eq!(tail.data, &data[data.len() - 100..]);
    assert_eq!(tail.total, Some(size));
    let mid = files
        .read(&dest, ByteRange::Span(1000, 1010))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((mid.start, mid.data.as_slice()), (1000, &data[1000..1010]));
    let past = files
        .read(&dest, ByteRange::From(size))
        .await
        .unwrap()
        .unwrap();
    assert!(past.data.is_empty());
    let back = local.path().join("back.img");
    files
        .download(&dest, &back, &crate::plumbing::platform::NoProgress)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&back).unwrap(), data);

    // Directories: a second mkdir of one is a conflict (a lock).
    let dir = DatastorePath::parse("[LocalDS_0] locks/a").unwrap();
    files.mkdir(&dir, true).await.unwrap();
    let err = files.mkdir(&dir, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "{err}");
    let listed = files
        .list(
            &p.placement().await.unwrap().datastore.named.moref,
            &DatastorePath::parse("[LocalDS_0] locks").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].is_dir && listed[0].name == "a", "{listed:?}");

    // Delete, and a second delete is not found.
    files.delete(&dest).await.unwrap();
    assert!(!root.join("images/busybox/disk.img").exists());
    let err = files.delete(&dest).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    // An upload that breaks off leaves nothing that looks complete: here
    // the local file shrinks while it is read.
    let shrink = src.clone();
    let progress = Recorded {
        on_advance: Some(Box::new(move || {
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .open(&shrink)
                .and_then(|f| f.set_len(1000));
        })),
        ..Recorded::default()
    };
    let err = files.upload(&src, &dest, &progress).await.unwrap_err();
    assert!(!root.join("images/busybox/disk.img").exists(), "{err}");
    assert_eq!(names_in(&root.join("images/busybox")), Vec::<String>::new());

    // The datastore interface wants the session's cookie (the harness
    // checks it as vCenter does).
    let url = format!(
        "{}/folder/images?dcPath=DC0&dsName=LocalDS_0",
        v.url.trim_end_matches("/sdk")
    );
    let status = reqwest::Client::new()
        .put(url)
        .body("x")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domains_join_and_leave_volumes_and_networks() {
    use crate::plumbing::spec::{NetworkEndpoint, VolumeMount};
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    seed_image(&p).await;
    let root = datastore_dir(&p).await;
    assert_eq!(p.volume_backing(), volumes::VolumeBacking::Fcd);

    let vol = p.create_volume(vol_spec("data", 64 << 20)).await.unwrap();
    assert_eq!(vol.backing, "fcd");
    let net = p
        .create_network(net_spec("backend", "10.0.9.0/24"))
        .await
        .unwrap();
    assert_eq!(net.backing, "dvportgroup");

    let seed = p.create_volume(vol_spec("seed", 16 << 20)).await.unwrap();

    // A volume is one disk: mounted at two paths, it is refused before
    // anything is made.
    let mut twice = new_domain("twice");
    twice.spec.volumes = vec![
        VolumeMount::parse("data:/a").unwrap(),
        VolumeMount::parse("data:/b").unwrap(),
    ];
    let before = counters.snapshot();
    let err = p.domains().commit(twice).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        counters.snapshot().get("CreateVM_Task"),
        before.get("CreateVM_Task")
    );

    // A new domain joins both in its one CreateVM.
    let mut h = new_domain("web");
    h.spec
        .volumes
        .push(VolumeMount::parse("data:/var/lib/data").unwrap());
    h.spec
        .volumes
        .push(VolumeMount::parse("seed:/srv/ro:ro").unwrap());
    h.spec
        .networks
        .push(NetworkEndpoint::parse("backend").unwrap());
    let before = counters.snapshot();
    let info = p.domains().commit(h).await.unwrap();
    let after = counters.snapshot();
    let delta = |m: &str| after.get(m).copied().unwrap_or(0) - before.get(m).copied().unwrap_or(0);
    assert_eq!(delta("CreateVM_Task"), 1);
    assert_eq!(delta("ReconfigVM_Task"), 0);
    let ip = info.networks[0].ip.unwrap();
    assert_eq!(ip, "10.0.9.2".parse::<std::net::IpAddr>().unwrap());
    let mac = info.networks[0].mac.clone().unwrap();
    assert!(mac.starts_with("00:50:56:"), "{mac}");

    let (devices, extra) = vm_config(&p, "web").await;
    let controller = devices
        .iter()
        .find(|d| matches!(d.kind, devices::Kind::PvScsi { .. }))
        .unwrap()
        .key;
    let disk = devices
        .iter()
        .find(|d| matches!(&d.backing, Some(devices::Backing::Disk { file, .. }) if *file == vol.platform_ref.path))
        .unwrap_or_else(|| panic!("no volume disk in {devices:?}"));
    assert_eq!(disk.controller_key, Some(controller));
    assert_eq!(disk.unit, Some(1));
    assert!(
        matches!(&disk.kind, devices::Kind::Disk { vdisk_id: Some(id), .. } if *id == vol.platform_ref.id),
        "{disk:?}"
    );
    let pg_key = match &p
        .network_store()
        .await
        .unwrap()
        .find("backend")
        .await
        .unwrap()
        .portgroup
    {
        networks::PortGroup::Distributed { key, .. } => key.clone(),
        other => panic!("{other:?}"),
    };
    let nic = devices
        .iter()
        .find(|d| matches!(d.kind, devices::Kind::Vmxnet3 { .. }))
        .unwrap();
    assert_eq!(
        nic.kind,
        devices::Kind::Vmxnet3 {
            mac: Some(mac.clone())
        }
    );
    assert!(
        matches!(&nic.backing, Some(devices::Backing::DvPort { portgroup_key, .. }) if *portgroup_key == pg_key),
        "{nic:?}"
    );
    let records: Vec<keys::VolumeDisk> = serde_json::from_str(&extra[keys::VOLUMES]).unwrap();
    assert_eq!(records.len(), 2, "{records:?}");
    assert!(records.iter().all(|r| r.scsi_bus == 0));
    assert!(
        records
            .iter()
            .any(|r| r.path == "/srv/ro" && r.read_only && r.file == seed.platform_ref.path)
    );
    let ifaces: Vec<keys::Interface> = serde_json::from_str(&extra[keys::INTERFACES]).unwrap();
    assert_eq!(ifaces.len(), 1);
    assert_eq!(ifaces[0].address, "10.0.9.2/24");
    assert_eq!(ifaces[0].mac, mac);
    assert_eq!(ifaces[0].gateway, Some("10.0.9.1".parse().unwrap()));
    assert_eq!(
        ifaces[0].dns,
        ["10.0.0.53".parse::<std::net::IpAddr>().unwrap()]
    );
    // The tether finds the volume's disk by its SCSI place and the NIC by
    // its MAC: the config document says so.
    let config = guest::decode(&extra[keys::CONFIG]).unwrap();
    let sources: Vec<(String, tether_protocol::config::DiskSource, bool, bool)> = config
        .volumes
        .iter()
        .map(|v| (v.path.clone(), v.source.clone(), v.read_only, v.format))
        .collect();
    assert_eq!(
        sources,
        [
            (
                "/srv/ro".to_string(),
                tether_protocol::config::DiskSource::Scsi { bus: 0, unit: 2 },
                true,
                false
            ),
            (
                "/var/lib/data".to_string(),
                tether_protocol::config::DiskSource::Scsi { bus: 0, unit: 1 },
                false,
                true
            ),
        ]
    );
    assert_eq!(config.interfaces[0].mac, mac.to_ascii_lowercase());
    assert_eq!(config.interfaces[0].dns, ifaces[0].dns);

    // Who uses what.
    assert_eq!(p.inspect_volume("data").await.unwrap().used_by, ["web"]);
    let n = p.inspect_network("backend").await.unwrap();
    assert_eq!(n.endpoints.len(), 1);
    assert_eq!(n.endpoints[0].domain, "web");
    assert_eq!(n.endpoints[0].ip, Some(ip));
    assert_eq!(n.endpoints[0].mac.as_deref(), Some(mac.as_str()));
    let id = info.id.0.clone();
    assert_eq!(
        stored_pool(&p, "backend").await.allocated.get(&ip),
        Some(&id)
    );
    let err = p.domains().remove_volume("data", false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let err = p.remove_network("backend").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");

    // Leaving both is one ReconfigVM; the address is free again.
    let mut h = p.domains().handle("web").await.unwrap();
    h.spec.volumes.clear();
    h.leave_network("backend").unwrap();
    let before = counters.get("ReconfigVM_Task");
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(counters.get("ReconfigVM_Task") - before, 1);
    assert!(info.networks.is_empty() && info.volumes.is_empty());
    let (devices, extra) = vm_config(&p, "web").await;
    assert!(
        !devices
            .iter()
            .any(|d| matches!(d.kind, devices::Kind::Vmxnet3 { .. }))
    );
    assert!(
        !devices
            .iter()
            .any(|d| d.unit == Some(1) && d.controller_key == Some(controller))
    );
    assert_eq!(extra[keys::VOLUMES], "[]");
    assert_eq!(extra[keys::INTERFACES], "[]");
    let config = guest::decode(&extra[keys::CONFIG]).unwrap();
    assert!(config.volumes.is_empty() && config.interfaces.is_empty());
    assert!(
        p.inspect_network("backend")
            .await
            .unwrap()
            .endpoints
            .is_empty()
    );
    assert_eq!(stored_pool(&p, "backend").await.holders().count(), 0);
    assert!(p.inspect_volume("data").await.unwrap().used_by.is_empty());

    // Joining again on the existing domain: one ReconfigVM each time.
    let mut h = p.domains().handle("web").await.unwrap();
    h.join_volume(VolumeMount::parse("data:/data").unwrap())
        .unwrap();
    h.join_network(NetworkEndpoint::parse("backend:10.0.9.77").unwrap())
        .unwrap();
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(info.networks[0].ip, Some("10.0.9.77".parse().unwrap()));
    let (devices, _) = vm_config(&p, "web").await;
    assert!(devices.iter().any(|d| matches!(&d.backing, Some(devices::Backing::Disk { file, .. }) if *file == vol.platform_ref.path)));

    // Removing the domain detaches the volume first (vSphere deletes the
    // disks of a VM it destroys) and frees the address.
    let fcd_file = datastore::DatastorePath::parse(&vol.platform_ref.path).unwrap();
    p.domains().remove("web", false).await.unwrap();
    assert!(
        root.join(&fcd_file.path).exists(),
        "the volume's disk survived"
    );
    assert_eq!(stored_pool(&p, "backend").await.holders().count(), 0);
    assert!(p.inspect_volume("data").await.unwrap().used_by.is_empty());
    p.domains().remove_volume("data", false).await.unwrap();
    assert!(!root.join(&fcd_file.path).exists());
    p.remove_network("backend").await.unwrap();
    assert!(p.list_networks().await.unwrap().is_empty());
    let err = p.inspect_network("backend").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_commit_leaves_no_address_behind() {
    use crate::plumbing::spec::NetworkEndpoint;
    // Port group changes take a while here, so that another writer can
    // change the domain between its snapshot and its reconfigure.
    let v = Vcsim::with(Options {
        args: vec!["-delay".into(), "ReconfigureDVPortgroup_Task=1500".into()],
        ..Options::default()
    });
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    p.create_network(net_spec("backend", "10.0.9.0/24"))
        .await
        .unwrap();
    p.domains().commit(new_domain("web")).await.unwrap();

    let connect = {
        let p = p.clone();
        tokio::spawn(async move {
            let mut h = p.domains().handle("web").await?;
            h.join_network(NetworkEndpoint::parse("backend")?)?;
            p.domains().commit(h).await
        })
    };
    // While its address is being given, someone else changes the domain.
    let t = Instant::now();
    while counters.get("ReconfigureDVPortgroup_Task") == 0 {
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut h = p.domains().handle("web").await.unwrap();
    h.spec.labels.insert("moved".into(), "on".into());
    p.domains().commit(h).await.unwrap();
    let err = connect.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StaleHandle, "{err}");
    // The address was given for the commit, and taken back when it failed.
    assert_eq!(counters.get("ReconfigureDVPortgroup_Task"), 2);
    assert_eq!(stored_pool(&p, "backend").await.holders().count(), 0);
    assert!(
        p.inspect_network("backend")
            .await
            .unwrap()
            .endpoints
            .is_empty()
    );
    assert!(p.inspect_domain("web").await.unwrap().networks.is_empty());

    // A network that does not exist is refused before anything changes.
    let mut h = p.domains().handle("web").await.unwrap();
    h.join_network(NetworkEndpoint::parse("nope").unwrap())
        .unwrap();
    let err = p.domains().commit(h).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    // An address that is taken is a conflict, and not retried for ever.
    let mut h = p.domains().handle("web").await.unwrap();
    h.join_network(NetworkEndpoint::parse("backend:10.0.9.1").unwrap())
        .unwrap();
    let t = Instant::now();
    let err = p.domains().commit(h).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Taken, "{err}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_connects_get_fifty_addresses() {
    use crate::plumbing::spec::NetworkEndpoint;
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    p.create_network(net_spec("busy", "10.0.9.0/24"))
        .await
        .unwrap();
    let mut ids = std::collections::BTreeMap::new();
    for i in 0..50 {
        let info = p
            .domains()
            .commit(new_domain(&format!("d{i:02}")))
            .await
            .unwrap();
        ids.insert(info.id.0.clone(), info.name.clone());
    }
    let mut set = tokio::task::JoinSet::new();
    for i in 0..50 {
        let p = p.clone();
        set.spawn(async move {
            retry_stale_with(RetryPolicy::default(), |_| {
                let p = p.clone();
                async move {
                    let mut h = p.domains().handle(&format!("d{i:02}")).await?;
                    h.join_network(NetworkEndpoint::parse("busy")?)?;
                    p.domains().commit(h).await
                }
            })
            .await
        });
    }
    let mut ips = std::collections::BTreeSet::new();
    while let Some(r) = set.join_next().await {
        let info = r.unwrap().unwrap();
        assert!(ips.insert(info.networks[0].ip.unwrap()), "{info:?}");
    }
    assert_eq!(ips.len(), 50);
    // All of them are recorded on the port group, each by its domain.
    let pool = stored_pool(&p, "busy").await;
    let holders: std::collections::BTreeMap<_, _> =
        pool.holders().map(|(ip, h)| (*ip, h.clone())).collect();
    assert_eq!(holders.len(), 50);
    assert_eq!(
        holders
            .keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        ips
    );
    assert!(holders.values().all(|h| ids.contains_key(h)));
    let endpoints = p.inspect_network("busy").await.unwrap().endpoints;
    assert_eq!(endpoints.len(), 50);
    assert!(counters.get("ReconfigureDVPortgroup_Task") >= 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standalone_host_has_vmdk_volumes_and_host_port_groups() {
    use crate::plumbing::spec::{NetworkEndpoint, VolumeMount};
    let v = Vcsim::with(Options {
        args: vec!["-esx".into()],
        ..Options::default()
    });
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    seed_image(&p).await;
    let root = datastore_dir(&p).await;
    // vcsim's ESX model names a HostVStorageObjectManager, which vicport
    // does not use: volumes are VMDKs.
    assert_eq!(p.volume_backing(), volumes::VolumeBacking::Vmdk);
    let vol = p.create_volume(vol_spec("data", 8 << 20)).await.unwrap();
    assert_eq!(vol.backing, "vmdk");
    assert_eq!(vol.store, "[LocalDS_0]");
    assert_eq!(vol.labels["app"], "db");
    assert!(root.join("vicport-volumes/data/data.vmdk").exists());
    let sidecar: volumes::VolumeRecord = serde_json::from_slice(
        &std::fs::read(root.join("vicport-volumes/data/volume.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(sidecar.labels["app"], "db");
    assert_eq!(sidecar.file, "[LocalDS_0] vicport-volumes/data/data.vmdk");
    assert_eq!(counters.get("CreateVirtualDisk_Task"), 1);
    assert_eq!(counters.get("CreateDisk_Task"), 0);

    let net = p
        .create_network(net_spec("backend", "10.0.9.0/24"))
        .await
        .unwrap();
    assert_eq!(net.backing, "portgroup");
    assert!(root.join("vicport-networks/backend.json").exists());
    assert_eq!(counters.get("AddPortGroup"), 1);

    let mut h = new_domain("solo");
    h.spec
        .volumes
        .push(VolumeMount::parse("data:/data").unwrap());
    h.spec
        .networks
        .push(NetworkEndpoint::parse("backend").unwrap());
    let info = p.domains().commit(h).await.unwrap();
    assert_eq!(info.networks[0].ip, Some("10.0.9.2".parse().unwrap()));
    let (devices, _) = vm_config(&p, "solo").await;
    assert!(devices.iter().any(|d| matches!(&d.backing,
        Some(devices::Backing::Network { name }) if name == "vicport-backend")));
    assert!(devices.iter().any(|d| matches!(&d.backing,
        Some(devices::Backing::Disk { file, .. }) if *file == sidecar.file)));
    // The pool is in the datastore document, changed under its lock.
    assert_eq!(stored_pool(&p, "backend").await.holders().count(), 1);
    assert!(!root.join("vicport-networks/backend.lock").exists());
    let mut h = p.domains().handle("solo").await.unwrap();
    h.leave_network("backend").unwrap();
    p.domains().commit(h).await.unwrap();
    assert_eq!(stored_pool(&p, "backend").await.holders().count(), 0);

    // A lock somebody left behind is a conflict, with what to do.
    std::fs::create_dir(root.join("vicport-networks/backend.lock")).unwrap();
    let mut h = p.domains().handle("solo").await.unwrap();
    h.join_network(NetworkEndpoint::parse("backend").unwrap())
        .unwrap();
    let err = p.domains().commit(h).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StaleHandle, "{err}");
    assert!(
        err.hint().unwrap().contains("backend.lock"),
        "{:?}",
        err.hint()
    );
    std::fs::remove_dir(root.join("vicport-networks/backend.lock")).unwrap();

    p.domains().remove("solo", false).await.unwrap();
    assert!(root.join("vicport-volumes/data/data.vmdk").exists());
    p.domains().remove_volume("data", false).await.unwrap();
    assert!(!root.join("vicport-volumes/data").exists());
    p.remove_network("backend").await.unwrap();
    assert!(!root.join("vicport-networks/backend.json").exists());
    assert!(p.list_networks().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_checks_port_group_config_versions() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    p.create_network(net_spec("n", "10.0.9.0/24"))
        .await
        .unwrap();
    let net = p.network_store().await.unwrap().find("n").await.unwrap();
    let networks::PortGroup::Distributed { portgroup, .. } = &net.portgroup else {
        panic!("{net:?}")
    };
    let read = || async {
        vim::retrieve_one(
            p.session(),
            portgroup,
            &[
                "config.configVersion",
                "config.numPorts",
                "config.description",
            ],
        )
        .await
        .unwrap()
    };
    let o = read().await;
    let version = o.text("config.configVersion").unwrap().to_string();
    let session = p.session();
    let reconfigure = |version: Option<String>| async move {
        vim::run_task(session, "ReconfigureDVPortgroup_Task", portgroup, |w| {
            w.open("spec");
            if let Some(v) = &version {
                w.text("configVersion", v);
            }
            w.text("description", "x").close("spec");
        })
        .await
    };
    let err = reconfigure(Some("stale".into())).await.unwrap_err();
    assert_eq!(
        err.fault_kind(),
        Some(&FaultKind::ConcurrentAccess),
        "{err}"
    );
    let err = reconfigure(None).await.unwrap_err();
    assert_eq!(err.fault_kind(), Some(&FaultKind::InvalidArgument), "{err}");
    reconfigure(Some(version.clone())).await.unwrap();
    let o = read().await;
    assert_ne!(o.text("config.configVersion").unwrap(), version);
    assert_eq!(o.text("config.description"), Some("x"));
    assert_eq!(
        o.number("config.numPorts"),
        Some(8),
        "unset fields are kept"
    );
    let err = reconfigure(Some(version)).await.unwrap_err();
    assert_eq!(
        err.fault_kind(),
        Some(&FaultKind::ConcurrentAccess),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_ls_is_one_retrieve() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    seed_image(&p).await;
    for name in ["a", "b"] {
        p.domains().commit(new_domain(name)).await.unwrap();
    }
    // A fresh platform (as a new vicport process has): no placement yet.
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let before = counters.snapshot();
    let rows = p.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(rows.len(), 2);
    let after = counters.snapshot();
    let delta: std::collections::BTreeMap<_, _> = after
        .iter()
        .map(|(k, n)| (k.as_str(), n - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(delta, [("RetrievePropertiesEx", 1)].into());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_tail_by_ranges_and_follow_until_power_off() {
    use crate::plumbing::platform::LogOptions;
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    let mut h = new_domain("web");
    h.set_power(PowerChange::On);
    p.domains().commit(h).await.unwrap();
    // No guest runs on vcsim: the test writes what the tether would, CRI
    // lines, into the file the serial port is backed by, in the VM's
    // directory on the simulator's datastore.
    let log = datastore_dir(&p).await.join("web/output.log");
    let line = |i: usize| format!("2026-11-28T10:00:00.{i:09}Z stdout F line {i}\n");
    let mut text = String::new();
    for i in 0..20000 {
        text.push_str(&line(i));
    }
    std::fs::write(&log, &text).unwrap();

    let collect = |tail: Option<usize>| {
        let p = p.clone();
        async move {
            let mut got = Vec::new();
            p.logs(
                "web",
                &LogOptions {
                    tail,
                    follow: false,
                },
                &mut |l| {
                    got.push(l.text);
                    Ok(true)
                },
            )
            .await
            .unwrap();
            got
        }
    };
    let before = counters.get("datastore bytes read");
    assert_eq!(
        collect(Some(3)).await,
        ["line 19997", "line 19998", "line 19999"]
    );
    let read = counters.get("datastore bytes read") - before;
    assert!(
        read < text.len() as u64 / 4,
        "a tail read {read} of {} bytes",
        text.len()
    );
    assert_eq!(collect(None).await.len(), 20000);
    assert_eq!(collect(Some(0)).await.len(), 0);

    // Follow: new lines arrive until the domain powers off.
    let follower = {
        let p = p.clone();
        tokio::spawn(async move {
            let mut got = Vec::new();
            p.logs(
                "web",
                &LogOptions {
                    tail: Some(1),
                    follow: true,
                },
                &mut |l| {
                    got.push(l.text);
                    Ok(true)
                },
            )
            .await
            .map(|()| got)
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(line(20000).as_bytes()).unwrap();
        // A line written in two pieces arrives once, whole.
        let last = line(20001);
        f.write_all(&last.as_bytes()[..10]).unwrap();
        f.flush().unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await;
        f.write_all(&last.as_bytes()[10..]).unwrap();
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        !follower.is_finished(),
        "follow ended while the domain runs"
    );
    p.domains()
        .kill("web", tether_protocol::Signal::KILL)
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), follower)
        .await
        .expect("follow ends once the domain is off")
        .unwrap()
        .unwrap();
    assert_eq!(got, ["line 19999", "line 20000", "line 20001"]);

    // A domain that never wrote a log has an empty one.
    p.domains().commit(new_domain("quiet")).await.unwrap();
    let mut n = 0;
    p.logs("quiet", &LogOptions::default(), &mut |_| {
        n += 1;
        Ok(true)
    })
    .await
    .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tag_changes_all_land_and_the_lock_is_released() {
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    let image = seed_image(&p).await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..12 {
        let p = p.clone();
        let id = image.id.clone();
        set.spawn(async move {
            p.images()
                .await
                .unwrap()
                .retag(&[format!("tag{i}:v{i}")], &id, &[])
                .await
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    let tags = p.images().await.unwrap().tags().await.unwrap();
    let mut want: Vec<String> = (0..12).map(|i| format!("tag{i}:v{i}")).collect();
    want.push("busybox:latest".into());
    want.sort();
    assert_eq!(tags.tags_of(&image.id), want);
    let dir = datastore_dir(&p).await.join("vicport-images");
    assert!(dir.join("tags.json").is_file());
    assert!(!dir.join("tags.lock").exists(), "the lock was left behind");
    let info = p.inspect_image("tag3:v3").await.unwrap();
    assert_eq!(info.id, image.id);
    // Removing one of several tags keeps the image.
    p.domains().remove_image("tag3:v3", false).await.unwrap();
    let err = p.inspect_image("tag3:v3").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(p.inspect_image(&image.id).await.unwrap().tags.len(), 12);
}

/// A folder named `name` in `parent`, made directly (vcsim has none but
/// the datacenter's VM folder).
async fn make_folder(p: &VspherePlatform, parent: &xml::MoRef, name: &str) -> xml::MoRef {
    p.session()
        .call("CreateFolder", parent, |w| {
            w.text("name", name);
        })
        .await
        .unwrap()
        .child("returnval")
        .and_then(xml::Node::as_moref)
        .unwrap()
}

/// Create a domain, not started.
async fn create_stopped(p: &VspherePlatform, name: &str) {
    let mut spec = DomainSpec::new(name, "busybox:latest");
    spec.process.argv = vec!["sh".into()];
    p.domains().commit(Handle::new_domain(spec)).await.unwrap();
}

/// The folder a domain's VM is in.
async fn folder_of(p: &VspherePlatform, domain: &str) -> xml::MoRef {
    let info = p.inspect_domain(domain).await.unwrap();
    let vm = xml::MoRef::new("VirtualMachine", info.platform_ref.id);
    vim::retrieve_one(p.session(), &vm, &["parent"])
        .await
        .unwrap()
        .moref("parent")
        .unwrap()
}

/// The placement one client resolved is kept beside the session: the next
/// client checks it in one call instead of searching the inventory, and
/// resolves it again when a folder it names was renamed (another took its
/// name) or removed, so a domain never lands where the setting no longer
/// points.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_placement_is_checked_and_resolved_again_when_it_changed() {
    let v = Vcsim::start();
    let cache = tempfile::tempdir().unwrap();
    let setup = connect(&v, None, &RequestCounters::default())
        .await
        .unwrap();
    seed_image(&setup).await;
    let vm_folder = setup.placement().await.unwrap().folder.moref.clone();
    let first = make_folder(&setup, &vm_folder, "domains").await;
    let mut s = settings(&v);
    s.folder = Some("domains".into());
    let client = |counters: RequestCounters| {
        let s = s.clone();
        let (password, cache) = (password(&v.password), cache.path().to_path_buf());
        async move {
            let mut p = VspherePlatform::connect_counting("vc", s, password, Some(cache), counters)
                .await
                .unwrap();
            p.set_boot_iso(BOOT_ISO);
            p
        }
    };

    // The first client searches the inventory and keeps what it found.
    let counters = RequestCounters::default();
    let p = client(counters.clone()).await;
    assert_eq!(p.placement().await.unwrap().folder.moref, first);
    assert_eq!(counters.get("CreateContainerView"), 1);
    drop(p);
    // The next one checks it: one call.
    let counters = RequestCounters::default();
    let p = client(counters.clone()).await;
    let placement = p.placement().await.unwrap();
    assert_eq!(placement.folder.moref, first);
    assert_eq!(placement.folder_path, "/DC0/vm/domains");
    assert_eq!(counters.get("CreateContainerView"), 0);
    assert_eq!(counters.round_trips(), 1, "{:?}", counters.snapshot());
    create_stopped(&p, "a").await;
    assert_eq!(folder_of(&p, "a").await, first);
    drop(p);

    // Renamed, and another folder took its name: the kept placement no
    // longer holds, and the domain goes to the folder named so now.
    setup
        .vm_task("Rename_Task", &first, "rename", |w| {
            w.text("newName", "old");
        })
        .await
        .unwrap();
    let second = make_folder(&setup, &vm_folder, "domains").await;
    let counters = RequestCounters::default();
    let p = client(counters.clone()).await;
    create_stopped(&p, "b").await;
    assert_eq!(folder_of(&p, "b").await, second);
    assert_eq!(counters.get("CreateContainerView"), 1, "resolved again");
    drop(p);

    // Removed (with its domain), another made: the check finds the kept
    // folder gone and resolves again.
    setup
        .vm_task("Destroy_Task", &second, "destroy", |_| {})
        .await
        .unwrap();
    let third = make_folder(&setup, &vm_folder, "domains").await;
    let counters = RequestCounters::default();
    let p = client(counters.clone()).await;
    create_stopped(&p, "c").await;
    assert_eq!(folder_of(&p, "c").await, third);
    assert_eq!(counters.get("CreateContainerView"), 1, "resolved again");
    // And that is kept for the next.
    drop(p);
    let counters = RequestCounters::default();
    let p = client(counters.clone()).await;
    assert_eq!(p.placement().await.unwrap().folder.moref, third);
    assert_eq!(counters.get("CreateContainerView"), 0);
    v.check_requests();
}
