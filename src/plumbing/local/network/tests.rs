//! The network store without root (socket backing) and the host side's
//! pure parts (rule sets, tap names).

use super::*;
use crate::plumbing::error::ErrorKind;
use crate::plumbing::spec::DomainSpec;

fn spec(name: &str, subnet: &str) -> NetworkSpec {
    NetworkSpec {
        name: name.into(),
        subnet: subnet.parse().unwrap(),
        gateway: None,
        ip_range: None,
        dns: vec![],
        internal: false,
        labels: Default::default(),
    }
}

/// Socket-backed networks need nothing from the host, so the store's
/// logic is testable without root.
fn create(nets: &NetworkStore, spec: &NetworkSpec) -> Result<NetworkRecord> {
    nets.create_as(spec, BackingKind::Socket)
}

fn domain(store: &DomainStore, name: &str, networks: &[NetworkEndpoint]) -> Definition {
    let mut d = Definition {
        version: 1,
        id: DomainId::random(),
        created: now(),
        spec: DomainSpec::new(name, "busybox:latest"),
        image_id: "sha256:00".into(),
        token: "ab".into(),
    };
    d.spec.networks = networks.to_vec();
    store.create(&mut d, |_, _| Ok(())).unwrap();
    d
}

#[test]
fn create_refuses_overlaps_and_duplicates() {
    let state = tempfile::tempdir().unwrap();
    let nets = NetworkStore::new(state.path());
    let r = create(&nets, &spec("front", "10.20.0.0/24")).unwrap();
    assert_eq!(r.gateway(), "10.20.0.1".parse::<IpAddr>().unwrap());
    assert_eq!(r.backing.as_str(), "socket");
    assert_eq!(r.route(), None, "a socket network leads nowhere");
    let e = create(&nets, &spec("back", "10.20.0.0/16")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Taken);
    let e = create(&nets, &spec("front", "10.21.0.0/24")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Taken);
    let e = create(&nets, &spec("bad", "10.22.0.1/24")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let b = create(&nets, &spec("back", "10.21.0.0/24")).unwrap();
    assert_ne!(r.backing, b.backing, "each network has its own group");
    assert_eq!(nets.list().unwrap().len(), 2);
}

#[test]
fn joins_allocate_and_leftovers_are_given_back() {
    let state = tempfile::tempdir().unwrap();
    let nets = NetworkStore::new(state.path());
    let domains = DomainStore::new(state.path());
    create(&nets, &spec("n", "10.30.0.0/29")).unwrap();

    let mut ep = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
    let a = domain(&domains, "a", &[]);
    nets.join(&domains, &a.id, &mut ep).unwrap();
    assert_eq!(ep.ip, Some("10.30.0.5".parse().unwrap()));
    assert!(ep.mac.is_some());
    // a's definition never got the endpoint (a failed commit): the next
    // join reclaims the address.
    let b = domain(&domains, "b", &[]);
    let mut want = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
    nets.join(&domains, &b.id, &mut want).unwrap();
    assert_eq!(want.ip, ep.ip);

    // b commits it; now it is taken for real.
    let mut bd = domains.load(&b.id).unwrap();
    bd.spec.networks.push(want.clone());
    domains.commit(bd, &b.handle_version()).unwrap();
    let c = domain(&domains, "c", &[]);
    let mut taken = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
    let e = nets.join(&domains, &c.id, &mut taken).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Taken);
    let mut outside = NetworkEndpoint::parse("n:10.31.0.5").unwrap();
    let e = nets.join(&domains, &c.id, &mut outside).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let mut gone = NetworkEndpoint::parse("nope").unwrap();
    let e = nets.join(&domains, &c.id, &mut gone).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // In use: refused.
    assert_eq!(
        nets.remove("n", &domains).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    // b disconnects: its address is free at once.
    let bd = domains.load(&b.id).unwrap();
    let mut next = bd.clone();
    next.spec.networks.clear();
    domains
        .commit_with(
            next,
            &bd.handle_version(),
            &mut EndpointSteps::new(&nets, &domains),
        )
        .unwrap();
    let pool = nets.load_pool("n").unwrap();
    assert_eq!(pool.holders().count(), 0, "{pool:?}");
    // c takes it but never commits: a leftover, which does not keep
    // the network from going.
    let mut again = NetworkEndpoint::parse("n:10.30.0.5").unwrap();
    nets.join(&domains, &c.id, &mut again).unwrap();
    nets.remove("n", &domains).unwrap();
    assert!(nets.list().unwrap().is_empty());
}

#[test]
fn concurrent_joins_never_share_an_address() {
    let state = tempfile::tempdir().unwrap();
    let nets = NetworkStore::new(state.path());
    let domains = DomainStore::new(state.path());
    create(&nets, &spec("n", "10.40.0.0/24")).unwrap();
    let defs: Vec<Definition> = (0..24)
        .map(|i| domain(&domains, &format!("d{i}"), &[]))
        .collect();
    let threads: Vec<_> = defs
        .into_iter()
        .map(|d| {
            let nets = nets.clone();
            let domains = domains.clone();
            std::thread::spawn(move || {
                let mut next = d.clone();
                next.spec
                    .networks
                    .push(NetworkEndpoint::parse("n").unwrap());
                let mut steps = EndpointSteps::new(&nets, &domains);
                let written = domains
                    .commit_with(next, &d.handle_version(), &mut steps)
                    .unwrap();
                written.spec.networks[0].ip.unwrap()
            })
        })
        .collect();
    let ips: BTreeSet<IpAddr> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(ips.len(), 24);
    assert_eq!(endpoints_of("n", &domains.load_all().unwrap().0).len(), 24);
}

#[test]
fn bridge_rules_isolate_and_nat() {
    let mut r = NetworkRecord {
        id: "0123456789abcdef".into(),
        spec: spec("n", "10.50.0.0/24"),
        created: now(),
        backing: Backing::Bridge {
            bridge: "vp-01234567".into(),
        },
    };
    r.spec.gateway = Some("10.50.0.1".parse().unwrap());
    let s = ruleset(&r, "vp-01234567");
    assert!(s.starts_with("add table ip vicport_0123456789abcdef\ndelete table"));
    assert!(s.contains("iifname \"vp-01234567\" oifname != \"vp-01234567\" oifname \"vp-*\" drop"));
    assert!(s.contains("ip saddr 10.50.0.0/24 oifname != \"vp-01234567\" masquerade"));
    assert_eq!(r.route(), r.spec.gateway);
    r.spec.internal = true;
    let s = ruleset(&r, "vp-01234567");
    assert!(!s.contains("masquerade"));
    assert!(s.contains("iifname \"vp-01234567\" oifname != \"vp-01234567\" drop"));
    assert_eq!(r.route(), None);
}

#[test]
fn tap_names_are_short_and_stable() {
    let d = DomainId("ab".repeat(32));
    let t = tap_name(&d, "0123456789abcdef");
    assert!(t.len() <= 15 && t.starts_with("vt"), "{t}");
    assert_eq!(t, tap_name(&d, "0123456789abcdef"));
    assert_ne!(t, tap_name(&d, "fedcba9876543210"));
}
