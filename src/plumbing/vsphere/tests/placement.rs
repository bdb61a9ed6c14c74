//! Placement in the inventory: the default when there is one choice, the
//! refusal when there are several, and the placement a client keeps for
//! the next (checked, resolved again when it changed).

use super::*;

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
