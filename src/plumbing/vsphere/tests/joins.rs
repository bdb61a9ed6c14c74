//! A domain's devices: volumes and networks joining and leaving it, on a
//! vCenter (first-class disks, distributed port groups) and on a
//! standalone host (VMDKs, host port groups).

use super::*;

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
