//! How the local platform realizes the domain layer's plans: definitions
//! written atomically under the domain's lock (names unique under the
//! store's), a qcow2 overlay per domain, addresses from the networks'
//! pools, and starts through the per-domain monitor.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::plumbing::domain::realize::{GiveUp, Patience};
use crate::plumbing::domain::{Current, Plan, PlatformUsage, Realize};
use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::image::create_overlay;
use crate::plumbing::spec::{
    DomainFilter, DomainId, DomainInfo, DomainState, DomainSummary, GuestSettings, PlatformRef,
    PortMapping, PowerChange, Version, random_hex,
};

use super::LocalPlatform;
use super::hotplug::LiveSteps;
use super::network;
use super::qemu::files as qemu_files;
use super::runtime::{self, files as runtime_files};
use super::start::{self, power_off};
use super::store::{CommitSteps, Definition};
use super::watch::DirWatch;
use crate::plumbing::sock;

impl LocalPlatform {
    fn info_of(&self, def: &Definition) -> Result<DomainInfo> {
        let dir = self.domains.dir(&def.id);
        let (state, state_reason, rt) = runtime::state(&dir)?;
        let rt = rt.unwrap_or_default();
        Ok(DomainInfo {
            id: def.id.clone(),
            name: def.spec.name.clone(),
            state,
            state_reason,
            image: def.spec.image.clone(),
            image_id: Some(def.image_id.clone()).filter(|id| !id.is_empty()),
            created: def.created.clone(),
            labels: def.spec.labels.clone(),
            cpus: def.spec.cpus,
            memory_mb: def.spec.memory_mb,
            hostname: Some(crate::plumbing::domain::guest::hostname(&def.id, &def.spec)),
            process: def.spec.process.clone(),
            networks: def.spec.networks.clone(),
            ports: Self::ports_of(def, &dir, state),
            volumes: def.spec.volumes.clone(),
            exit_code: if state == DomainState::Stopped {
                rt.exit_code
            } else {
                None
            },
            oom_killed: (state == DomainState::Stopped && rt.exit_code.is_some())
                .then_some(rt.oom_killed),
            started_at: rt.started_at.clone(),
            finished_at: rt.finished_at.clone().filter(|_| !state.is_up()),
            restart: def.spec.restart,
            restart_count: super::restart::load(&dir).count,
            version: def.handle_version(),
            platform_ref: PlatformRef {
                platform: "local".into(),
                id: def.id.to_string(),
                path: dir.display().to_string(),
            },
            boot_timeline: start::boot_timeline(&dir),
            guest: GuestSettings::of(&def.spec),
        })
    }

    /// A domain's published ports: while it runs, the host ports its start
    /// chose (the launch plan's); else as defined (0: chosen at start).
    fn ports_of(def: &Definition, dir: &Path, state: DomainState) -> Vec<PortMapping> {
        let running = (!def.spec.ports.is_empty() && state.is_up())
            .then(|| super::monitor::read_launch(&dir.join(super::monitor::LAUNCH)).ok())
            .flatten()
            .and_then(|l| l.published);
        match running {
            Some(p) => p.ports,
            None => def.spec.ports.clone(),
        }
    }

    fn broken_summary(&self, id: &DomainId) -> DomainSummary {
        DomainSummary {
            id: id.clone(),
            name: format!("<broken {}>", id.short()),
            state: DomainState::Broken,
            image: "-".into(),
            created: "-".into(),
            labels: BTreeMap::new(),
            ports: Vec::new(),
        }
    }

    /// A link client to a running domain's tether, through its monitor.
    pub(super) fn client(&self, def: &Definition) -> Result<tether_protocol::client::Client> {
        let dir = self.domains.dir(&def.id);
        let (state, reason, _) = runtime::state(&dir)?;
        if !state.is_up() {
            return Err(Error::invalid_state(format!(
                "domain {:?} is {state}, not running",
                def.spec.name
            ))
            .with_hint(format!(
                "start it with `vicport domain start {}`",
                def.spec.name
            )));
        }
        if !runtime::monitor_alive(&dir)? {
            return Err(Error::invalid_state(format!(
                "domain {:?} runs without its monitor: {}",
                def.spec.name,
                reason.unwrap_or_default()
            ))
            .with_hint(format!(
                "stop and start it again: `vicport domain stop {}`",
                def.spec.name
            )));
        }
        let stream = sock::connect(&dir.join(runtime_files::MONITOR_SOCK))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .io_context(|| "setting a timeout".into())?;
        let token = crate::plumbing::domain::guest::token(&def.spec.name, &def.token)?;
        let client = sock::tether_client(&stream, &token)?;
        stream
            .set_read_timeout(None)
            .io_context(|| "clearing the timeout".into())?;
        Ok(client)
    }

    /// Remove a domain's directory, its taps and its addresses.
    pub(super) fn remove_by_id(&self, id: &DomainId) -> Result<()> {
        let def = self.domains.load(id).ok();
        self.domains.remove(id)?;
        if let Some(def) = def {
            network::forget_domain(&self.networks, &def);
        }
        Ok(())
    }

    fn create_domain(&self, plan: &Plan) -> Result<Definition> {
        // A domain on a host root directory has no image and no disk.
        let image = match plan.spec.root_dir {
            None => Some(self.images.resolve(&plan.spec.image)?),
            Some(_) => None,
        };
        let mut def = Definition {
            version: 1,
            id: plan.id.clone(),
            created: crate::plumbing::spec::now(),
            spec: plan.spec.clone(),
            image_id: image.as_ref().map(|i| i.id.clone()).unwrap_or_default(),
            token: random_hex(32),
        };
        self.domains.sweep();
        let (networks, domains) = (&self.networks, &self.domains);
        let created = tokio::task::block_in_place(|| {
            self.domains.create_checked(
                &mut def,
                |staging, def| {
                    if let Some(image) = &image {
                        create_overlay(&image.disk, &staging.join(qemu_files::ROOT_DISK), None)
                            .map_err(|e| image_gone(&image.disk, &def.spec.image).unwrap_or(e))?;
                    }
                    // Addresses are taken while the domain is in flight
                    // (staging), and given back if it never lands.
                    network::join_new(networks, domains, def)
                },
                // An `image rm` or `volume rm` that ran meanwhile (they
                // hold the store's lock) took what the domain was to use:
                // it does not land.
                |def| {
                    if let Some(gone) = image
                        .as_ref()
                        .and_then(|i| image_gone(&i.disk, &def.spec.image))
                    {
                        return Err(gone);
                    }
                    self.check_joined_exist(def)
                },
            )
        });
        if let Err(e) = created {
            for ep in &def.spec.networks {
                self.networks.release(&ep.network, &def.id);
            }
            return Err(e);
        }
        self.journal.record("domain", &def.spec.name, "create", &[]);
        Ok(def)
    }

    /// Under the store's lock: the volumes and networks a new domain joins
    /// are still there (a removal may have won the race).
    fn check_joined_exist(&self, def: &Definition) -> Result<()> {
        for m in &def.spec.volumes {
            self.volumes.load(&m.volume)?;
        }
        for ep in &def.spec.networks {
            self.networks.load(&ep.network)?;
        }
        Ok(())
    }

    fn change_domain(&self, plan: &Plan, version: &Version) -> Result<Definition> {
        let current = self.domains.load(&plan.id)?;
        let next = Definition {
            spec: plan.spec.clone(),
            ..current.clone()
        };
        let written = if plan.change.is_empty() {
            if current.handle_version() != *version {
                return Err(Error::stale(format!(
                    "domain {:?} changed since its handle was taken",
                    current.spec.name
                )));
            }
            current.clone()
        } else {
            let steps = network::EndpointSteps::new(&self.networks, &self.domains);
            let dir = self.domains.dir(&plan.id);
            // A running domain's NICs follow its networks at once.
            let mut steps: Box<dyn CommitSteps + '_> =
                if plan.change.touches_networks() && runtime::state(&dir)?.0.is_up() {
                    Box::new(LiveSteps::new(steps, &self.networks, dir))
                } else {
                    Box::new(steps)
                };
            tokio::task::block_in_place(|| self.domains.commit_with(next, version, &mut *steps))?
        };
        let name = written.spec.name.clone();
        if plan.change.renamed {
            self.journal.record(
                "domain",
                &name,
                "rename",
                &[("old_name", current.spec.name.clone())],
            );
        } else if plan.change.labels || plan.change.restart {
            self.journal.record("domain", &name, "update", &[]);
        }
        for ep in &plan.change.networks_joined {
            let ip = written
                .spec
                .networks
                .iter()
                .find(|e| e.network == ep.network)
                .and_then(|e| e.ip)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            self.journal.record(
                "network",
                &ep.network,
                "connect",
                &[("domain", name.clone()), ("ip", ip)],
            );
        }
        for ep in &plan.change.networks_left {
            self.journal.record(
                "network",
                &ep.network,
                "disconnect",
                &[("domain", name.clone())],
            );
        }
        Ok(written)
    }

    /// The plan's power change, then the domain as it is.
    fn power(&self, def: &Definition, plan: &Plan) -> Result<DomainInfo> {
        match plan.power {
            Some(PowerChange::On) => {
                tokio::task::block_in_place(|| self.start(def, plan.hold_primary, &plan.hosts))?
            }
            Some(PowerChange::Off) => {
                let dir = self.domains.dir(&def.id);
                tokio::task::block_in_place(|| power_off(&dir))?;
            }
            None => {}
        }
        self.info_of(def)
    }
}

/// Not found, when the image's disk is no longer there (an `image rm`
/// won a race with the domain's create).
fn image_gone(disk: &Path, image: &str) -> Option<Error> {
    (!disk.is_file()).then(|| {
        Error::not_found("image", image).with_hint("it was removed while the domain was created")
    })
}

#[async_trait]
impl Realize for LocalPlatform {
    async fn current(&self, domain: &str) -> Result<Current> {
        let id = self.domains.resolve(domain)?;
        let dir = self.domains.dir(&id);
        match self.domains.load(&id) {
            Ok(def) => Ok(Current {
                name: def.spec.name.clone(),
                version: def.handle_version(),
                state: runtime::state(&dir)?.0,
                spec: Some(def.spec),
                id,
            }),
            Err(e) if e.kind() == ErrorKind::InvalidState => {
                let (state, _, _) = runtime::state(&dir)?;
                Ok(Current {
                    name: id.short().to_string(),
                    version: Version(String::new()),
                    state: if state.is_up() {
                        state
                    } else {
                        DomainState::Broken
                    },
                    spec: None,
                    id,
                })
            }
            Err(e) => Err(e),
        }
    }

    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo> {
        let id = self.domains.resolve(domain)?;
        self.info_of(&self.domains.load(&id)?)
    }

    async fn list_domains(&self, filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        let (defs, broken) = self.domains.load_all()?;
        let mut rows = Vec::with_capacity(defs.len() + broken.len());
        for d in &defs {
            let dir = self.domains.dir(&d.id);
            let (state, _, _) = runtime::state(&dir)?;
            rows.push(DomainSummary {
                id: d.id.clone(),
                name: d.spec.name.clone(),
                state,
                image: d.spec.image.clone(),
                created: d.created.clone(),
                labels: d.spec.labels.clone(),
                ports: Self::ports_of(d, &dir, state),
            });
        }
        rows.extend(broken.iter().map(|id| self.broken_summary(id)));
        rows.retain(|r| filter.matches(r));
        rows.sort_by(|a, b| b.created.cmp(&a.created).then(a.name.cmp(&b.name)));
        Ok(rows)
    }

    async fn name_in_use(&self, name: &str, except: Option<&DomainId>) -> Result<bool> {
        Ok(self
            .domains
            .find_by_name(name)?
            .is_some_and(|id| Some(&id) != except))
    }

    async fn check_new(&self, spec: &crate::plumbing::spec::DomainSpec) -> Result<()> {
        Self::check_host_limits(spec)?;
        for path in spec
            .root_dir
            .iter()
            .map(|r| &r.path)
            .chain(spec.shares.iter().map(|s| &s.source))
        {
            if !path.exists() {
                return Err(Error::invalid(format!(
                    "domain {:?}: {} does not exist",
                    spec.name,
                    path.display()
                ))
                .with_hint("give an existing host directory or file"));
            }
        }
        if let (Some(first), false) = (spec.networks.first(), spec.ports.is_empty()) {
            // A network that does not exist is named by the commit's check.
            if let Ok(record) = self.networks.load(&first.network) {
                network::publish::check_network(&spec.name, &record)?;
            }
        }
        match spec.root_dir {
            None => self.images.resolve(&spec.image).map(drop),
            Some(_) => Ok(()),
        }
    }

    async fn create(&self, plan: &Plan) -> Result<DomainInfo> {
        self.ensure_state()?;
        let def = self.create_domain(plan)?;
        self.power(&def, plan)
    }

    async fn change(&self, plan: &Plan) -> Result<DomainInfo> {
        let version = plan
            .version
            .as_ref()
            .ok_or_else(|| Error::other("a change needs the version it was made at"))?;
        self.ensure_state()?;
        let def = self.change_domain(plan, version)?;
        self.power(&def, plan)
    }

    async fn power_off(&self, id: &DomainId) -> Result<()> {
        let dir = self.domains.dir(id);
        tokio::task::block_in_place(|| power_off(&dir))
    }

    async fn suspend(&self, id: &DomainId) -> Result<()> {
        let def = self.domains.load(id)?;
        tokio::task::block_in_place(|| self.suspend_domain(&def))
    }

    async fn checkpoint(&self, id: &DomainId, dir: &Path, leave_running: bool) -> Result<()> {
        let def = self.domains.load(id)?;
        tokio::task::block_in_place(|| self.checkpoint_domain(&def, dir, leave_running))
    }

    async fn restore(&self, id: &DomainId, dir: &Path) -> Result<()> {
        let def = self.domains.load(id)?;
        tokio::task::block_in_place(|| self.restore_from(&def, dir))
    }

    async fn wait_down(
        &self,
        id: &DomainId,
        timeout: Option<Duration>,
        give_up: GiveUp<'_>,
    ) -> Result<bool> {
        let dir = self.domains.dir(id);
        let started = Instant::now();
        tokio::task::block_in_place(|| {
            // The monitor records the stop in runtime.json (or removes
            // the directory, with --rm).
            let watch = DirWatch::new(&[&dir]);
            loop {
                let (state, _, _) = runtime::state(&dir)?;
                if !state.is_up() {
                    return Ok(true);
                }
                if timeout.is_some_and(|t| started.elapsed() > t) || give_up() {
                    return Ok(false);
                }
                watch.wait(Duration::from_millis(50));
            }
        })
    }

    async fn wait_for_change(&self, id: &DomainId, max: Duration) {
        let dir = self.domains.dir(id);
        let root = self.domains.root();
        tokio::task::block_in_place(|| DirWatch::new(&[&dir, root]).wait(max));
    }

    async fn link(
        &self,
        id: &DomainId,
        _patience: Patience,
    ) -> Result<tether_protocol::client::Client> {
        // The monitor answers at once: it holds the link from boot on.
        let def = self.domains.load(id)?;
        tokio::task::block_in_place(|| self.client(&def))
    }

    async fn open_root(
        &self,
        id: &DomainId,
        writes: bool,
    ) -> Result<
        Option<(
            tether_protocol::client::Client,
            Box<dyn crate::plumbing::domain::RootSession>,
        )>,
    > {
        let def = self.domains.load(id)?;
        let (client, session) = tokio::task::block_in_place(|| self.boot_reader(&def, writes))?;
        Ok(Some((client, Box::new(session))))
    }

    async fn usage(&self, id: &DomainId) -> Result<PlatformUsage> {
        let def = self.domains.load(id)?;
        let dir = self.domains.dir(id);
        let (state, _, rt) = runtime::state(&dir)?;
        let host_memory = if state.is_up() {
            rt.as_ref().and_then(runtime::host_memory)
        } else {
            None
        };
        Ok(PlatformUsage {
            host_memory,
            memory_limit: Some(def.spec.memory_mb << 20),
            ..PlatformUsage::default()
        })
    }

    async fn interfaces(
        &self,
        id: &DomainId,
    ) -> Result<Vec<(String, crate::plumbing::domain::guest::Interface)>> {
        self.interfaces_of(&self.domains.load(id)?)
    }

    async fn destroy(&self, id: &DomainId) -> Result<()> {
        self.remove_by_id(id)
    }

    fn removes_stopped_domains(&self) -> bool {
        true
    }

    async fn stopping_by_hand(&self, id: &DomainId, by_hand: bool) -> Result<()> {
        let dir = self.domains.dir(id);
        if by_hand {
            super::restart::stopped_by_hand(&dir)
        } else {
            super::restart::not_stopped_by_hand(&dir)
        }
    }

    fn shares_host_paths(&self) -> bool {
        true
    }

    fn publishes_ports(&self) -> bool {
        true
    }

    async fn freeze(&self, id: &DomainId, frozen: bool) -> Result<()> {
        let dir = self.domains.dir(id);
        let command = if frozen { "stop" } else { "cont" };
        tokio::task::block_in_place(|| {
            super::qmp::Qmp::connect(&dir)
                .and_then(|mut q| q.execute(command, serde_json::json!({})))?;
            runtime::set_paused(&dir, frozen)
        })
    }

    async fn set_memory_target(&self, id: &DomainId, bytes: u64) -> Result<()> {
        let dir = self.domains.dir(id);
        tokio::task::block_in_place(|| {
            super::qmp::Qmp::connect(&dir)
                .and_then(|mut q| q.execute("balloon", serde_json::json!({ "value": bytes })))
                .map(drop)
        })
    }

    async fn memory_actual(&self, id: &DomainId) -> Result<Option<u64>> {
        let dir = self.domains.dir(id);
        let answer = tokio::task::block_in_place(|| {
            super::qmp::Qmp::connect(&dir)
                .and_then(|mut q| q.execute("query-balloon", serde_json::json!({})))
        })?;
        Ok(answer.get("actual").and_then(serde_json::Value::as_u64))
    }

    fn record(&self, domain: &str, action: &str, attributes: &[(&str, String)]) {
        self.journal.record("domain", domain, action, attributes);
    }
}
