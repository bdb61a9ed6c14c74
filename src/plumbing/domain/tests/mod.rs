//! The domain layer's policy, tested once, against a recording realization
//! (no platform underneath): what a commit sends, what it refuses, what
//! stop, kill, rm and the forced removals of volumes and images do. Both
//! real realizations are checked against the same behaviour through the
//! binary in `tests/cli/conformance.rs`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use tether_protocol::config::IpPrefix;

use super::guest::Interface;
use super::realize::{GiveUp, Patience};
use super::{Current, Domains, Plan, PlatformUsage, Realize, Start};
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::platform::Platform;
use crate::plumbing::spec::{
    DomainFilter, DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, EndpointInfo,
    GuestSettings, ImageConfig, ImageInfo, NetworkEndpoint, NetworkInfo, PlatformRef, PowerChange,
    SystemInfo, Version, VolumeInfo, VolumeMount,
};

/// One domain the fake holds.
#[derive(Debug, Clone)]
struct Held {
    id: DomainId,
    spec: DomainSpec,
    version: u64,
    state: DomainState,
}

mod usage;

/// A realization that keeps domains in memory and records every call.
#[derive(Default)]
struct Fake {
    /// A guest whose tether answers the links (none: links fail).
    guest: Option<std::sync::Arc<usage::ScriptedGuest>>,
    domains: Mutex<Vec<Held>>,
    calls: Mutex<Vec<String>>,
    plans: Mutex<Vec<Plan>>,
    /// Errors the next `change` calls answer with, first first.
    change_errors: Mutex<Vec<Error>>,
    volumes: Vec<&'static str>,
    networks: Vec<NetworkInfo>,
    removes_stopped: bool,
    /// The memory target the last `set_memory_target` set, in bytes.
    balloon: Mutex<Option<u64>>,
}

impl Fake {
    fn with(domains: &[(&str, DomainState)]) -> Fake {
        let fake = Fake {
            volumes: vec!["data", "logs"],
            networks: vec![network("front", "10.0.9.0/24", &[("db", "10.0.9.3")])],
            ..Fake::default()
        };
        for (name, state) in domains {
            let mut spec = DomainSpec::new(*name, "busybox:latest");
            spec.process.argv = vec!["sh".into()];
            fake.domains.lock().unwrap().push(Held {
                id: DomainId(format!("{name:0<64}").replace(|c: char| !c.is_ascii_hexdigit(), "0")),
                spec,
                version: 1,
                state: *state,
            });
        }
        fake
    }

    fn call(&self, what: impl Into<String>) {
        self.calls.lock().unwrap().push(what.into());
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn held(&self, domain: &str) -> Result<Held> {
        self.domains
            .lock()
            .unwrap()
            .iter()
            .find(|d| d.spec.name == domain || d.id.0 == domain)
            .cloned()
            .ok_or_else(|| Error::not_found("domain", domain))
    }

    fn set_state(&self, id: &DomainId, state: DomainState) {
        for d in self.domains.lock().unwrap().iter_mut() {
            if d.id == *id {
                d.state = state;
            }
        }
    }

    fn info(d: &Held) -> DomainInfo {
        DomainInfo {
            id: d.id.clone(),
            name: d.spec.name.clone(),
            state: d.state,
            state_reason: None,
            image: d.spec.image.clone(),
            image_id: None,
            created: String::new(),
            labels: d.spec.labels.clone(),
            cpus: d.spec.cpus,
            memory_mb: d.spec.memory_mb,
            hostname: None,
            process: d.spec.process.clone(),
            networks: d.spec.networks.clone(),
            ports: d.spec.ports.clone(),
            volumes: d.spec.volumes.clone(),
            exit_code: None,
            oom_killed: None,
            started_at: None,
            finished_at: None,
            restart: d.spec.restart,
            restart_count: 0,
            version: Version(d.version.to_string()),
            platform_ref: PlatformRef {
                platform: "fake".into(),
                id: d.id.0.clone(),
                path: String::new(),
            },
            boot_timeline: Vec::new(),
            guest: GuestSettings::of(&d.spec),
        }
    }
}

fn network(name: &str, subnet: &str, endpoints: &[(&str, &str)]) -> NetworkInfo {
    NetworkInfo {
        name: name.into(),
        subnet: subnet.parse().unwrap(),
        gateway: None,
        ip_range: None,
        dns: Vec::new(),
        internal: false,
        labels: BTreeMap::new(),
        created: String::new(),
        backing: "fake".into(),
        endpoints: endpoints
            .iter()
            .map(|(d, ip)| EndpointInfo {
                domain: (*d).into(),
                ip: Some(ip.parse().unwrap()),
                mac: None,
            })
            .collect(),
        platform_ref: PlatformRef {
            platform: "fake".into(),
            id: name.into(),
            path: String::new(),
        },
    }
}

#[async_trait]
impl Realize for Fake {
    async fn current(&self, domain: &str) -> Result<Current> {
        let d = self.held(domain)?;
        Ok(Current {
            id: d.id,
            name: d.spec.name.clone(),
            spec: Some(d.spec),
            version: Version(d.version.to_string()),
            state: d.state,
        })
    }

    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo> {
        Ok(Fake::info(&self.held(domain)?))
    }

    async fn list_domains(&self, _filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        Ok(self
            .domains
            .lock()
            .unwrap()
            .iter()
            .map(|d| Fake::info(d).summary())
            .collect())
    }

    async fn name_in_use(&self, name: &str, except: Option<&DomainId>) -> Result<bool> {
        Ok(self
            .domains
            .lock()
            .unwrap()
            .iter()
            .any(|d| d.spec.name == name && Some(&d.id) != except))
    }

    async fn check_new(&self, spec: &DomainSpec) -> Result<()> {
        self.call(format!("check_new {}", spec.name));
        Ok(())
    }

    async fn create(&self, plan: &Plan) -> Result<DomainInfo> {
        self.call(format!("create {}", plan.spec.name));
        self.plans.lock().unwrap().push(plan.clone());
        let held = Held {
            id: plan.id.clone(),
            spec: plan.spec.clone(),
            version: 1,
            state: if plan.powers_on() {
                DomainState::Running
            } else {
                DomainState::Created
            },
        };
        self.domains.lock().unwrap().push(held.clone());
        Ok(Fake::info(&held))
    }

    async fn change(&self, plan: &Plan) -> Result<DomainInfo> {
        self.call(format!("change {}", plan.spec.name));
        if let Some(e) = self.change_errors.lock().unwrap().pop() {
            return Err(e);
        }
        self.plans.lock().unwrap().push(plan.clone());
        let mut all = self.domains.lock().unwrap();
        let d = all.iter_mut().find(|d| d.id == plan.id).unwrap();
        d.spec = plan.spec.clone();
        d.version += 1;
        match plan.power {
            Some(PowerChange::On) => d.state = DomainState::Running,
            Some(PowerChange::Off) => d.state = DomainState::Stopped,
            None => {}
        }
        Ok(Fake::info(d))
    }

    async fn stopping_by_hand(&self, id: &DomainId, by_hand: bool) -> Result<()> {
        let what = if by_hand {
            "stopping_by_hand"
        } else {
            "not_by_hand"
        };
        self.call(format!("{what} {}", id.short()));
        Ok(())
    }

    async fn power_off(&self, id: &DomainId) -> Result<()> {
        self.call(format!("power_off {}", id.short()));
        self.set_state(id, DomainState::Stopped);
        Ok(())
    }

    async fn wait_down(
        &self,
        id: &DomainId,
        _timeout: Option<Duration>,
        _give_up: GiveUp<'_>,
    ) -> Result<bool> {
        self.call(format!("wait_down {}", id.short()));
        let d = self.held(&id.0)?;
        Ok(!d.state.is_up())
    }

    async fn link(
        &self,
        id: &DomainId,
        _patience: Patience,
    ) -> Result<tether_protocol::client::Client> {
        self.call(format!("link {}", id.short()));
        match &self.guest {
            Some(g) => g.connect(),
            None => Err(Error::unreachable("no tether here")),
        }
    }

    async fn usage(&self, id: &DomainId) -> Result<PlatformUsage> {
        self.call(format!("usage {}", id.short()));
        Ok(usage::platform_usage())
    }

    async fn interfaces(&self, id: &DomainId) -> Result<Vec<(String, Interface)>> {
        self.call(format!("interfaces {}", id.short()));
        let d = self.held(&id.0)?;
        Ok(d.spec
            .networks
            .iter()
            .map(|e| {
                let interface = Interface {
                    mac: e.mac.clone().unwrap_or_else(|| "00:50:56:00:00:01".into()),
                    address: IpPrefix {
                        addr: e.ip.unwrap_or_else(|| "10.0.9.2".parse().unwrap()),
                        prefix: 24,
                    },
                    gateway: None,
                    dns: Vec::new(),
                };
                (e.network.clone(), interface)
            })
            .collect())
    }

    async fn destroy(&self, id: &DomainId) -> Result<()> {
        self.call(format!("destroy {}", id.short()));
        self.domains.lock().unwrap().retain(|d| d.id != *id);
        Ok(())
    }

    fn removes_stopped_domains(&self) -> bool {
        self.removes_stopped
    }

    async fn freeze(&self, id: &DomainId, frozen: bool) -> Result<()> {
        self.call(format!("freeze {} {frozen}", id.short()));
        let state = if frozen {
            DomainState::Paused
        } else {
            DomainState::Running
        };
        self.set_state(id, state);
        Ok(())
    }

    async fn suspend(&self, id: &DomainId) -> Result<()> {
        self.call(format!("suspend {}", id.short()));
        self.set_state(id, DomainState::Suspended);
        Ok(())
    }

    async fn set_memory_target(&self, id: &DomainId, bytes: u64) -> Result<()> {
        self.call(format!("set_memory_target {} {}", id.short(), bytes >> 20));
        *self.balloon.lock().unwrap() = Some(bytes);
        Ok(())
    }

    async fn memory_actual(&self, id: &DomainId) -> Result<Option<u64>> {
        self.call(format!("memory_actual {}", id.short()));
        Ok(*self.balloon.lock().unwrap())
    }
}

#[async_trait]
impl Platform for Fake {
    fn target(&self) -> &str {
        "fake"
    }

    async fn info(&self) -> Result<SystemInfo> {
        Err(self.unsupported("system info"))
    }

    async fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        if !self.volumes.contains(&name) {
            return Err(Error::not_found("volume", name));
        }
        let used_by = self
            .domains
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.spec.volumes.iter().any(|m| m.volume == name))
            .map(|d| d.spec.name.clone())
            .collect();
        Ok(VolumeInfo {
            name: name.into(),
            size_bytes: 1 << 30,
            store: String::new(),
            backing: "fake".into(),
            labels: BTreeMap::new(),
            created: String::new(),
            used_by,
            platform_ref: PlatformRef {
                platform: "fake".into(),
                id: name.into(),
                path: String::new(),
            },
        })
    }

    async fn remove_volume(&self, name: &str) -> Result<()> {
        self.call(format!("remove_volume {name}"));
        Ok(())
    }

    async fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        Ok(self.networks.clone())
    }

    async fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        self.networks
            .iter()
            .find(|n| n.name == name)
            .cloned()
            .ok_or_else(|| Error::not_found("network", name))
    }

    async fn inspect_image(&self, image: &str) -> Result<ImageInfo> {
        Ok(ImageInfo {
            id: "sha256:00".into(),
            tags: vec![image.into()],
            size_bytes: 0,
            created: String::new(),
            config: ImageConfig::default(),
            layers: Vec::new(),
            used_by: self
                .domains
                .lock()
                .unwrap()
                .iter()
                .map(|d| d.spec.name.clone())
                .collect(),
        })
    }

    async fn remove_image(&self, image: &str) -> Result<()> {
        self.call(format!("remove_image {image}"));
        Ok(())
    }
}

fn spec(name: &str) -> DomainSpec {
    let mut s = DomainSpec::new(name, "busybox:latest");
    s.process.argv = vec!["sh".into()];
    s
}

#[tokio::test]
async fn a_new_domain_needs_a_free_name_and_a_valid_spec() {
    let fake = Fake::with(&[("web", DomainState::Created)]);
    let d = Domains::new(&fake);
    let e = d.create(spec("web"), None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Taken);
    assert_eq!(e.exit_code(), 4);
    let mut bad = spec("db");
    bad.memory_mb = 1;
    assert_eq!(
        d.create(bad, None).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert!(fake.calls().iter().all(|c| !c.starts_with("create")));

    let info = d.create(spec("db"), Some(Start::Attached)).await.unwrap();
    assert_eq!(info.state, DomainState::Running);
    let plan = fake.plans.lock().unwrap().pop().unwrap();
    assert!(plan.hold_primary && plan.powers_on() && plan.version.is_none());
}

#[tokio::test]
async fn joins_must_exist_and_addresses_fit_their_subnet() {
    let fake = Fake::with(&[]);
    let d = Domains::new(&fake);
    let mut s = spec("web");
    s.volumes = vec![VolumeMount::parse("nope:/nope").unwrap()];
    let e = d.create(s, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.hint().unwrap().contains("vicport volume create nope"),
        "{e:?}"
    );

    let mut s = spec("web");
    s.networks = vec![NetworkEndpoint::parse("front:10.1.0.5").unwrap()];
    let e = d.create(s, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        e.to_string(),
        "address 10.1.0.5 is not in network \"front\"'s subnet 10.0.9.0/24"
    );
    assert!(fake.plans.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_domain_that_powers_on_learns_its_peers() {
    let fake = Fake::with(&[]);
    let d = Domains::new(&fake);
    let mut s = spec("web");
    s.networks = vec![NetworkEndpoint::parse("front").unwrap()];
    d.create(s, Some(Start::Detached)).await.unwrap();
    let plan = fake.plans.lock().unwrap().pop().unwrap();
    assert_eq!(plan.hosts.len(), 1);
    assert_eq!(plan.hosts[0].names, ["db"]);
    assert_eq!(plan.hosts[0].address.to_string(), "10.0.9.3");
    assert!(!plan.hold_primary);

    // Its own lines (--add-host) come first, so that a name there wins;
    // without a network they are all it gets.
    let mut s = spec("app");
    s.networks = vec![NetworkEndpoint::parse("front").unwrap()];
    s.extra_hosts = vec![crate::plumbing::spec::ExtraHost::parse("db:192.0.2.7").unwrap()];
    d.create(s, Some(Start::Detached)).await.unwrap();
    let plan = fake.plans.lock().unwrap().pop().unwrap();
    let lines: Vec<String> = plan.hosts.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["192.0.2.7 db", "10.0.9.3 db"]);
    let mut s = spec("alone");
    s.extra_hosts = vec![crate::plumbing::spec::ExtraHost::parse("db:192.0.2.7").unwrap()];
    d.create(s, Some(Start::Detached)).await.unwrap();
    let plan = fake.plans.lock().unwrap().pop().unwrap();
    assert_eq!(plan.hosts.len(), 1);
}

#[tokio::test]
async fn a_stale_handle_is_refused_before_the_platform_is_asked() {
    let fake = Fake::with(&[("web", DomainState::Created)]);
    let d = Domains::new(&fake);
    let mut stale = d.handle("web").await.unwrap();
    d.rename("web", "web2").await.unwrap();
    stale.spec.labels.insert("a".into(), "1".into());
    let before = fake.calls().len();
    let e = d.commit(stale).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StaleHandle);
    assert_eq!(e.exit_code(), 4);
    assert_eq!(fake.calls().len(), before);
}

#[tokio::test]
async fn a_running_domain_takes_a_new_name_and_labels_only() {
    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    let info = d
        .label("web", &[("tier".into(), "front".into())], &[])
        .await
        .unwrap();
    assert_eq!(info.labels["tier"], "front");
    let e = d
        .update("web", |h| {
            h.spec
                .volumes
                .push(VolumeMount::parse("data:/data").unwrap());
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert_eq!(e.exit_code(), 6);
    let changes = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("change"))
        .count();
    assert_eq!(changes, 1, "{:?}", fake.calls());
}

#[tokio::test]
async fn a_running_domain_whose_tether_cannot_configure_a_joined_nic_is_put_back() {
    // The fake's tether never answers: the NIC the commit added is removed
    // again by a second change, and the connect fails saying so.
    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    let e = d
        .connect("web", NetworkEndpoint::parse("front").unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable, "{e}");
    assert!(e.hint().unwrap().starts_with("nothing changed"), "{e:?}");
    let calls: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("change") || c.starts_with("link") || c.starts_with("interfaces"))
        .collect();
    assert_eq!(
        calls,
        [
            "change web",
            "interfaces 0eb000000000",
            "link 0eb000000000",
            "change web"
        ]
    );
    let plans = fake.plans.lock().unwrap();
    assert_eq!(plans[0].change.networks_joined.len(), 1);
    assert_eq!(plans[1].change.networks_left.len(), 1);
    assert!(plans[1].spec.networks.is_empty());
    assert!(fake.held("web").unwrap().spec.networks.is_empty());
}

#[tokio::test]
async fn a_running_domain_whose_tether_cannot_take_a_nic_down_keeps_it() {
    // Disconnecting asks the tether first: unreachable, nothing changes.
    let fake = Fake::with(&[("web", DomainState::Stopped)]);
    let d = Domains::new(&fake);
    d.connect("web", NetworkEndpoint::parse("front").unwrap())
        .await
        .unwrap();
    let id = fake.held("web").unwrap().id;
    fake.set_state(&id, DomainState::Running);
    let before = fake.plans.lock().unwrap().len();
    let e = d.disconnect("web", "front").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable, "{e}");
    assert!(e.hint().unwrap().contains("domain stop web"), "{e:?}");
    assert_eq!(fake.plans.lock().unwrap().len(), before);
    assert_eq!(fake.held("web").unwrap().spec.networks.len(), 1);
}

#[tokio::test]
async fn starting_a_running_domain_changes_nothing() {
    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    assert_eq!(d.start("web").await.unwrap().state, DomainState::Running);
    assert!(fake.calls().iter().all(|c| !c.starts_with("change")));
}

#[tokio::test]
async fn updates_retry_stale_handles_only() {
    let fake = Fake::with(&[("web", DomainState::Created)]);
    fake.change_errors
        .lock()
        .unwrap()
        .extend([Error::stale("moved"), Error::stale("moved")]);
    let d = Domains::new(&fake);
    d.rename("web", "www").await.unwrap();
    let changes = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("change"))
        .count();
    assert_eq!(changes, 3);

    let fake = Fake::with(&[("web", DomainState::Created)]);
    fake.change_errors
        .lock()
        .unwrap()
        .push(Error::name_taken("domain", "www"));
    let d = Domains::new(&fake);
    assert_eq!(
        d.rename("web", "www").await.unwrap_err().kind(),
        ErrorKind::Taken
    );
    let changes = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("change"))
        .count();
    assert_eq!(changes, 1);
}

#[tokio::test]
async fn without_a_tether_stop_and_kill_power_off_and_other_signals_fail() {
    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    assert_eq!(
        d.stop("web", Duration::from_secs(1)).await.unwrap().state,
        DomainState::Stopped
    );
    assert!(fake.calls().iter().any(|c| c.starts_with("power_off")));

    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    let e = d
        .kill("web", tether_protocol::Signal::TERM)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable);
    assert!(fake.calls().iter().all(|c| !c.starts_with("power_off")));
    assert_eq!(
        d.kill("web", tether_protocol::Signal::KILL)
            .await
            .unwrap()
            .state,
        DomainState::Stopped
    );
    assert!(fake.calls().iter().any(|c| c.starts_with("power_off")));

    let e = d
        .kill("web", tether_protocol::Signal::KILL)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
}

#[tokio::test]
async fn kill_all_asks_the_tether_and_an_older_one_only_for_kill() {
    use tether_protocol::Signal;
    let (fake, guest) = usage::with_guest(&[("web", DomainState::Running)], vec![]);
    let d = Domains::new(&fake);
    let (info, reached) = d.kill_all("web", Signal::HUP).await.unwrap();
    assert_eq!((info.state, reached), (DomainState::Running, Some(1)));
    assert_eq!(*guest.signalled_all.lock().unwrap(), [Signal::HUP]);
    assert!(fake.calls().iter().all(|c| !c.starts_with("power_off")));
    // KILL: counted, and whatever is still up is powered off.
    let (info, reached) = d.kill_all("web", Signal::KILL).await.unwrap();
    assert_eq!((info.state, reached), (DomainState::Stopped, Some(1)));
    assert!(fake.calls().iter().any(|c| c.starts_with("power_off")));

    // A tether of protocol version 4 has no SignalAll: refused, naming
    // the versions and how to boot the current tether; nothing sent.
    let (fake, guest) = usage::with_guest_of(4, &[("web", DomainState::Running)], vec![]);
    let d = Domains::new(&fake);
    let e = d.kill_all("web", Signal::TERM).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported);
    assert!(
        e.to_string()
            .contains("protocol version 4: signalling all its processes needs version 5"),
        "{e}"
    );
    assert!(
        e.hint().unwrap().contains("vicport domain stop web"),
        "{e:?}"
    );
    assert!(guest.signalled_all.lock().unwrap().is_empty());
    assert!(fake.calls().iter().all(|c| !c.starts_with("power_off")));
    // ... but KILL ends every process all the same: the domain powers off.
    let (info, reached) = d.kill_all("web", Signal::KILL).await.unwrap();
    assert_eq!((info.state, reached), (DomainState::Stopped, None));
    assert!(fake.calls().iter().any(|c| c.starts_with("power_off")));
}

#[tokio::test]
async fn a_suspended_domain_resumes_on_start_and_its_state_goes_on_stop_or_rm() {
    let fake = Fake::with(&[
        ("web", DomainState::Running),
        ("old", DomainState::Stopped),
        ("boot", DomainState::Starting),
    ]);
    let d = Domains::new(&fake);
    // Only a running domain is suspended.
    for (name, hint) in [("old", "domain start old"), ("boot", "wait until")] {
        let e = d.suspend(name).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidState, "{name}");
        assert!(e.hint().unwrap().contains(hint), "{e:?}");
    }
    assert_eq!(
        d.suspend("web").await.unwrap().state,
        DomainState::Suspended
    );
    let e = d.suspend("web").await.unwrap_err();
    assert!(e.hint().unwrap().contains("suspended already"), "{e:?}");
    // Its hardware stays as saved; its name and labels change.
    let e = d
        .update("web", |h| {
            h.spec.memory_mb = 1024;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(e.to_string().contains("suspended"), "{e}");
    assert!(e.hint().unwrap().contains("domain stop web"), "{e:?}");
    let mut h = d.handle("web").await.unwrap();
    h.spec.labels.insert("tier".into(), "front".into());
    d.commit(h).await.unwrap();
    // start resumes it (the platform's power-on); stop discards the state.
    assert_eq!(d.start("web").await.unwrap().state, DomainState::Running);
    d.suspend("web").await.unwrap();
    let calls = fake.calls().len();
    let info = d.stop("web", Duration::from_secs(1)).await.unwrap();
    assert_eq!(info.state, DomainState::Stopped);
    assert!(
        fake.calls()[calls..]
            .iter()
            .any(|c| c.starts_with("power_off"))
    );
    // rm of a suspended domain: the state goes first, then the domain.
    d.start("web").await.unwrap();
    d.suspend("web").await.unwrap();
    d.remove("web", false).await.unwrap();
    let calls = fake.calls();
    let off = calls
        .iter()
        .rposition(|c| c.starts_with("power_off"))
        .unwrap();
    let gone = calls.iter().position(|c| c.starts_with("destroy")).unwrap();
    assert!(off < gone, "{calls:?}");
}

#[tokio::test]
async fn wait_goes_on_through_a_suspend_until_the_domain_stops() {
    let fake = std::sync::Arc::new(Fake::with(&[("web", DomainState::Suspended)]));
    let id = fake.held("web").unwrap().id;
    let d = Domains::new(&*fake);
    // Still suspended when its time is up: an error that says so.
    let e = d
        .wait("web", Some(Duration::from_millis(300)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("it is suspended"), "{e}");
    assert!(e.hint().unwrap().contains("domain start"), "{e:?}");
    // Stopped while `wait` waits (`domain stop` of a suspended domain):
    // it returns then, with the stopped state, not at once with the
    // suspended one.
    let other = std::sync::Arc::clone(&fake);
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        other.set_state(&id, DomainState::Stopped);
    });
    let info = d.wait("web", Some(Duration::from_secs(10))).await.unwrap();
    later.await.unwrap();
    assert_eq!(info.state, DomainState::Stopped);
}

#[tokio::test]
async fn a_paused_domain_takes_no_signal_link_or_network_change_and_stop_wakes_it() {
    let fake = Fake::with(&[("web", DomainState::Running), ("old", DomainState::Stopped)]);
    fake.domains.lock().unwrap()[0].spec.networks =
        vec![NetworkEndpoint::parse("front:10.0.0.2").unwrap()];
    let d = Domains::new(&fake);
    let e = d.pause("old").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert_eq!(d.pause("web").await.unwrap().state, DomainState::Paused);
    // Left as it is when paused already; unpause of a running one too.
    d.pause("web").await.unwrap();
    assert_eq!(
        fake.calls()
            .iter()
            .filter(|c| c.starts_with("freeze"))
            .count(),
        1
    );
    for e in [
        d.kill("web", tether_protocol::Signal::TERM)
            .await
            .unwrap_err(),
        d.link("web").await.map(drop).unwrap_err(),
        d.suspend("web").await.unwrap_err(),
        d.update("web", |h| {
            h.spec.networks.clear();
            Ok(())
        })
        .await
        .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::InvalidState, "{e}");
        assert!(e.hint().unwrap().contains("domain unpause web"), "{e:?}");
    }
    // Its name and labels change.
    let mut h = d.handle("web").await.unwrap();
    h.spec.labels.insert("tier".into(), "front".into());
    d.commit(h).await.unwrap();
    assert_eq!(d.resume("web").await.unwrap().state, DomainState::Running);
    d.resume("web").await.unwrap();
    // KILL needs no guest: off at once, not woken first.
    d.pause("web").await.unwrap();
    let calls = fake.calls().len();
    let info = d.kill("web", tether_protocol::Signal::KILL).await.unwrap();
    assert_eq!(info.state, DomainState::Stopped);
    let calls = fake.calls()[calls..].to_vec();
    assert!(
        calls.iter().any(|c| c.starts_with("power_off")),
        "{calls:?}"
    );
    assert!(!calls.iter().any(|c| c.starts_with("freeze")), "{calls:?}");
    // A stop wakes it first: its guest stops gracefully only if it runs.
    d.start("web").await.unwrap();
    d.pause("web").await.unwrap();
    let calls = fake.calls().len();
    let info = d.stop("web", Duration::from_secs(1)).await.unwrap();
    assert_eq!(info.state, DomainState::Stopped);
    let calls = fake.calls()[calls..].to_vec();
    assert!(
        calls[0].starts_with("freeze") && calls[0].ends_with("false"),
        "{calls:?}"
    );
}

#[tokio::test]
async fn rm_of_a_running_domain_needs_force() {
    let fake = Fake::with(&[("web", DomainState::Running)]);
    let d = Domains::new(&fake);
    let e = d.remove("web", false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(fake.calls().iter().all(|c| !c.starts_with("destroy")));
    d.remove("web", true).await.unwrap();
    let calls = fake.calls();
    let off = calls
        .iter()
        .position(|c| c.starts_with("power_off"))
        .unwrap();
    let gone = calls.iter().position(|c| c.starts_with("destroy")).unwrap();
    assert!(off < gone, "{calls:?}");
}

#[tokio::test]
async fn a_stopped_auto_remove_domain_is_removed_by_whoever_sees_it_unless_its_platform_does() {
    for platform_removes in [false, true] {
        let mut fake = Fake::with(&[("job", DomainState::Stopped)]);
        fake.removes_stopped = platform_removes;
        fake.domains.lock().unwrap()[0].spec.auto_remove = true;
        let d = Domains::new(&fake);
        let info = d.wait("job", None).await.unwrap();
        assert_eq!(info.state, DomainState::Stopped);
        let destroyed = fake.calls().iter().any(|c| c.starts_with("destroy"));
        assert_eq!(destroyed, !platform_removes);
    }
}

#[tokio::test]
async fn a_forced_volume_rm_leaves_stopped_domains_and_never_running_ones() {
    let fake = Fake::with(&[("a", DomainState::Stopped), ("b", DomainState::Created)]);
    for d in fake.domains.lock().unwrap().iter_mut() {
        d.spec.volumes = vec![VolumeMount::parse("data:/data").unwrap()];
    }
    let d = Domains::new(&fake);
    let e = d.remove_volume("data", false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(e.to_string(), "volume \"data\" is in use by a, b");
    d.remove_volume("data", true).await.unwrap();
    assert!(
        fake.domains
            .lock()
            .unwrap()
            .iter()
            .all(|d| d.spec.volumes.is_empty())
    );
    assert!(fake.calls().contains(&"remove_volume data".to_string()));

    let fake = Fake::with(&[("a", DomainState::Running)]);
    fake.domains.lock().unwrap()[0].spec.volumes = vec![VolumeMount::parse("data:/data").unwrap()];
    let d = Domains::new(&fake);
    let e = d.remove_volume("data", true).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(
        e.hint()
            .unwrap()
            .contains("never takes a volume from a running domain")
    );
    assert!(!fake.calls().contains(&"remove_volume data".to_string()));
}

#[tokio::test]
async fn a_forced_image_rm_removes_its_domains_first() {
    let fake = Fake::with(&[("a", DomainState::Running), ("b", DomainState::Stopped)]);
    let d = Domains::new(&fake);
    d.remove_image("busybox:latest", true).await.unwrap();
    let calls = fake.calls();
    assert_eq!(calls.iter().filter(|c| c.starts_with("destroy")).count(), 2);
    assert_eq!(calls.last().unwrap(), "remove_image busybox:latest");
}

#[tokio::test]
async fn a_running_domains_memory_moves_within_its_boot_size() {
    let fake = Fake::with(&[("web", DomainState::Running), ("db", DomainState::Stopped)]);
    let d = Domains::new(&fake);
    let boot = DomainSpec::DEFAULT_MEMORY_MB;
    let (info, memory) = d.set_memory("web", Some(boot - 64)).await.unwrap();
    assert_eq!(info.state, DomainState::Running);
    assert_eq!(
        memory,
        super::memory::MemoryTarget {
            boot_mb: boot,
            target_mb: boot - 64,
            actual_mb: Some(boot - 64),
        }
    );
    assert!(memory.settled());
    assert!(
        fake.calls().iter().any(|c| c.starts_with("set_memory_target ")
            && c.ends_with(&format!(" {}", boot - 64))),
        "{:?}",
        fake.calls()
    );
    // None: back to all it booted with.
    let (_, memory) = d.set_memory("web", None).await.unwrap();
    assert_eq!((memory.target_mb, memory.actual_mb), (boot, Some(boot)));

    // More than it booted with, too little, or a stopped domain: refused
    // before the platform is asked.
    let before = fake.calls().len();
    let e = d.set_memory("web", Some(boot + 1)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported);
    assert!(
        e.to_string().contains(&format!("booted with {boot} MiB")),
        "{e}"
    );
    let e = d.set_memory("web", Some(32)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = d.set_memory("db", Some(128)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(
        fake.calls()[before..]
            .iter()
            .all(|c| !c.starts_with("set_memory_target")),
        "{:?}",
        fake.calls()
    );
}

#[tokio::test]
async fn a_restart_stops_then_starts_and_refuses_a_running_auto_remove_domain() {
    let fake = Fake::with(&[("web", DomainState::Running), ("job", DomainState::Running)]);
    fake.domains.lock().unwrap()[1].spec.auto_remove = true;
    let d = Domains::new(&fake);
    let info = d.restart("web", Duration::from_secs(1)).await.unwrap();
    assert_eq!(info.state, DomainState::Running);
    let calls = fake.calls();
    let off = calls.iter().position(|c| c.starts_with("power_off"));
    let on = calls.iter().rposition(|c| c.starts_with("change"));
    assert!(
        matches!((off, on), (Some(a), Some(b)) if a < b),
        "{calls:?}"
    );

    let before = fake.calls().len();
    let e = d.restart("job", Duration::from_secs(1)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(e.to_string().contains("--rm"), "{e}");
    assert!(
        fake.calls()[before..]
            .iter()
            .all(|c| !c.starts_with("power_off")),
        "{:?}",
        fake.calls()
    );
    assert_eq!(
        d.platform.current("job").await.unwrap().state,
        DomainState::Running
    );

    // A stopped domain just starts.
    fake.set_state(&fake.held("web").unwrap().id, DomainState::Stopped);
    let info = d.restart("web", Duration::from_secs(1)).await.unwrap();
    assert_eq!(info.state, DomainState::Running);
}

#[tokio::test]
async fn stops_and_stopping_kills_are_by_hand_and_a_policy_hears_of_them() {
    let by_hand = |fake: &Fake| {
        fake.calls()
            .iter()
            .filter(|c| c.starts_with("stopping_by_hand"))
            .count()
    };
    // A stop, a KILL, the stop signal and rm --force are stops by hand.
    let fake = Fake::with(&[("a", DomainState::Running), ("b", DomainState::Running)]);
    let d = Domains::new(&fake);
    d.stop("a", Duration::from_secs(1)).await.unwrap();
    assert_eq!(by_hand(&fake), 1);
    d.kill("b", tether_protocol::Signal::KILL).await.unwrap();
    assert_eq!(by_hand(&fake), 2);
    let fake = Fake::with(&[("c", DomainState::Running), ("e", DomainState::Running)]);
    let d = Domains::new(&fake);
    // No tether answers the fake's domains: the signal fails, but it was
    // meant as a stop.
    let _ = d.kill("c", tether_protocol::Signal::TERM).await;
    assert_eq!(by_hand(&fake), 1, "TERM is its stop signal");
    assert!(
        fake.calls().last().unwrap().starts_with("not_by_hand"),
        "but it was not delivered: {:?}",
        fake.calls()
    );
    let _ = d.kill("c", tether_protocol::Signal::HUP).await;
    assert_eq!(by_hand(&fake), 1, "HUP is not");
    d.remove("e", true).await.unwrap();
    assert_eq!(by_hand(&fake), 2);
    // A stopped domain waiting for its policy's restart is stopped by
    // hand too; one without a policy is left alone.
    let fake = Fake::with(&[("f", DomainState::Stopped), ("g", DomainState::Stopped)]);
    fake.domains.lock().unwrap()[0].spec.restart =
        crate::plumbing::spec::Restart::parse("always").unwrap();
    let d = Domains::new(&fake);
    d.stop("f", Duration::from_secs(1)).await.unwrap();
    d.stop("g", Duration::from_secs(1)).await.unwrap();
    assert_eq!(
        fake.calls()
            .iter()
            .filter(|c| c.starts_with("stopping_by_hand"))
            .cloned()
            .collect::<Vec<_>>(),
        [format!(
            "stopping_by_hand {}",
            fake.domains.lock().unwrap()[0].id.short()
        )]
    );
}

/// An exec starts from the domain's process, as docker's: its environment
/// first (the exec's entries after, so they win), its working directory
/// and user where the exec gives none, its limits; `privileged` lifts the
/// capabilities and no_new_privileges, and keeps the rlimits.
#[tokio::test]
async fn an_exec_starts_from_the_domains_process() {
    use crate::plumbing::spec::{Capabilities, Rlimit};
    let fake = Fake::with(&[("web", DomainState::Running), ("db", DomainState::Stopped)]);
    {
        let mut held = fake.domains.lock().unwrap();
        let p = &mut held[0].spec.process;
        p.env = vec!["PATH=/image".into(), "MODE=run".into()];
        p.cwd = Some("/app".into());
        p.user = Some("1000:1000".into());
        p.limits.capabilities = Some(Capabilities {
            bounding: vec!["CAP_KILL".into()],
            ..Capabilities::default()
        });
        p.limits.no_new_privileges = true;
        p.limits.groups = vec![10, 20];
        p.limits.rlimits = vec![Rlimit {
            name: "NOFILE".into(),
            soft: 512,
            hard: 1024,
        }];
    }
    let d = Domains::new(&fake);
    let request = |env: &[&str], cwd: &str, user: &str| tether_protocol::message::ExecRequest {
        argv: vec!["true".into()],
        env: env.iter().map(|e| e.to_string()).collect(),
        cwd: cwd.into(),
        user: user.into(),
        tty: false,
        rows: 0,
        cols: 0,
        stdin: false,
        window: tether_protocol::DEFAULT_WINDOW,
    };
    let web = d.exec_target("web").await.unwrap();
    let mut r = request(&["MODE=exec"], "", "");
    let limits = Domains::prepare_exec(&web, &mut r, false);
    assert_eq!(r.env, ["PATH=/image", "MODE=run", "MODE=exec"]);
    assert_eq!((r.cwd.as_str(), r.user.as_str()), ("/app", "1000:1000"));
    assert!(limits.capabilities.is_some() && limits.no_new_privileges);
    assert_eq!((limits.rlimits.len(), limits.groups.len()), (1, 2));

    let mut r = request(&[], "/tmp", "root");
    let limits = Domains::prepare_exec(&web, &mut r, true);
    assert_eq!((r.cwd.as_str(), r.user.as_str()), ("/tmp", "root"));
    assert!(limits.capabilities.is_none() && !limits.no_new_privileges);
    // Another user: its own groups, not the domain's.
    assert_eq!((limits.rlimits.len(), limits.groups.len()), (1, 0));

    let e = d.exec_target("nope").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = d.exec_target("db").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(e.to_string().contains("is stopped, not running"), "{e}");
}
