//! Domains as VMs: create, start, inspect, stop, rename, label, kill,
//! wait and remove; listing (pages, only vicport's, broken ones, one
//! retrieve); concurrent changes; the simulator dying mid-create.

use super::*;

async fn assert_no_domains(p: &VspherePlatform) {
    let rows = p.list_domains(&DomainFilter::default()).await.unwrap();
    assert!(rows.is_empty(), "{rows:?}");
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
