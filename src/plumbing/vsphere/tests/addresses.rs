//! Networks' address leases: none left behind by a failed commit, fifty
//! concurrent connects, and the port group config versions the harness
//! checks.

use super::*;

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
