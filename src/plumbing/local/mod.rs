//! The local platform: containerVMs as QEMU microVMs on this host, each
//! owned by a detached per-domain monitor process. Definitions live under
//! the state directory; what runs is read from the processes themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::image::{ImageStore, create_overlay};
use crate::plumbing::log::{self, LogLine};
use crate::plumbing::name::ImageRef;
use crate::plumbing::platform::{Event, LogOptions, NoProgress, Platform, Progress};
use crate::plumbing::spec::{
    DomainFilter, DomainId, DomainInfo, DomainSpec, DomainState, DomainSummary, Handle, ImageInfo,
    NetworkInfo, NetworkSpec, PlatformRef, PowerChange, SystemInfo, VolumeInfo, VolumeSpec,
    random_hex,
};

pub mod boot;
pub mod events;
pub mod monitor;
pub mod network;
pub mod qemu;
pub mod qmp;
pub mod runtime;
pub mod sock;
pub mod store;
pub mod volume;

use events::Journal;
use network::{Backing, NetworkStore};
use qemu::{Disk, Machine, Nic, NicBackend, QEMU, files as qemu_files};
use runtime::{Phase, Runtime, files as runtime_files};
use store::{Definition, DomainStore};
use volume::VolumeStore;

/// How long a domain may take from QEMU's start to the tether's Ready.
const BOOT_TIMEOUT: Duration = Duration::from_secs(120);

/// The local platform rooted at a state directory.
#[derive(Debug, Clone)]
pub struct LocalPlatform {
    target: String,
    state: PathBuf,
    cache: PathBuf,
    domains: DomainStore,
    images: ImageStore,
    volumes: VolumeStore,
    networks: NetworkStore,
    journal: Journal,
}

impl LocalPlatform {
    /// Open the local platform with its state and cache directories (created
    /// on first write, not here: reading commands leave no trace).
    pub fn open(target: &str, state: PathBuf, cache: PathBuf) -> Result<Self> {
        Ok(LocalPlatform {
            target: target.to_string(),
            domains: DomainStore::new(&state),
            images: ImageStore::new(state.join("image-store")),
            volumes: VolumeStore::new(&state),
            networks: NetworkStore::new(&state),
            journal: Journal::new(&state),
            state,
            cache,
        })
    }

    /// The image store.
    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    /// The cache directory (boot images, the accelerator verdict).
    pub fn cache(&self) -> &Path {
        &self.cache
    }

    /// Make the state directory (private to its owner) before the first
    /// write; reading commands never create it.
    fn ensure_state(&self) -> Result<()> {
        crate::plumbing::file::create_private_dir(&self.state)?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&self.state, std::fs::Permissions::from_mode(0o700))
            .io_context(|| format!("making {} private", self.state.display()))
    }

    fn resolve(&self, domain: &str) -> Result<DomainId> {
        self.domains.resolve(domain)
    }

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
            created: def.created.clone(),
            labels: def.spec.labels.clone(),
            cpus: def.spec.cpus,
            memory_mb: def.spec.memory_mb,
            hostname: Some(hostname(def)),
            process: def.spec.process.clone(),
            networks: def.spec.networks.clone(),
            volumes: def.spec.volumes.clone(),
            exit_code: if state == DomainState::Stopped {
                rt.exit_code
            } else {
                None
            },
            started_at: rt.started_at.clone(),
            finished_at: rt.finished_at.clone().filter(|_| !state.is_up()),
            version: def.handle_version(),
            platform_ref: PlatformRef {
                platform: "local".into(),
                id: def.id.to_string(),
                path: dir.display().to_string(),
            },
        })
    }

    fn broken_summary(&self, id: &DomainId) -> DomainSummary {
        DomainSummary {
            id: id.clone(),
            name: format!("<broken {}>", id.short()),
            state: DomainState::Broken,
            image: "-".into(),
            created: "-".into(),
            labels: BTreeMap::new(),
        }
    }

    /// Refuse what this host cannot give, before anything is made.
    fn check_host_limits(spec: &DomainSpec) -> Result<()> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
        if spec.cpus > cpus {
            return Err(Error::invalid(format!(
                "domain {:?} asks for {} cpus, this host has {cpus}",
                spec.name, spec.cpus
            ))
            .with_hint(format!("give --cpus {cpus} or fewer")));
        }
        if let Some(total) = crate::plumbing::host::memory_mb() {
            if spec.memory_mb > total {
                return Err(Error::invalid(format!(
                    "domain {:?} asks for {} MiB of memory, this host has {total} MiB",
                    spec.name, spec.memory_mb
                ))
                .with_hint("give less with --memory"));
            }
        }
        Ok(())
    }

    /// Power on a defined domain: write its guest config and launch plan,
    /// start its monitor, and wait until the tether is ready.
    fn start(&self, def: &Definition, hold_primary: bool) -> Result<()> {
        let dir = self.domains.dir(&def.id);
        // One start of a domain at a time: a second one waits here, then
        // finds the domain up (its taps, launch plan and monitor are the
        // first start's, untouched).
        let _starting = crate::plumbing::file::Lock::exclusive_in_place(&dir.join("start.lock"))
            .map_err(|e| {
                if dir.is_dir() {
                    e
                } else {
                    Error::not_found("domain", &def.spec.name)
                }
            })?;
        let (state, _, _) = runtime::state(&dir)?;
        if state.is_up() {
            return Ok(());
        }
        if !dir.join(qemu_files::ROOT_DISK).is_file() {
            return Err(Error::invalid_state(format!(
                "domain {:?} has lost its root disk",
                def.spec.name
            ))
            .with_hint(format!(
                "remove it with `vicport domain rm {}`",
                def.spec.name
            )));
        }
        Self::check_host_limits(&def.spec)?;
        // Held from checking the volumes until QEMU has them open (ready),
        // so that no volume is removed from under a starting domain.
        let _volumes_held = if def.spec.volumes.is_empty() {
            None
        } else {
            Some(self.volumes.hold()?)
        };
        let (disks, volume_configs) = self.volume_plan(def)?;
        let net = self.network_plan(def)?;
        let boot = boot::ensure(&self.cache, &NoProgress)?;
        let (accel, why) = qemu::choose_accel(&self.cache, &boot.kernel, &boot.initramfs)?;
        tracing::debug!("accelerator {}: {why}", accel.as_str());
        let mut options = crate::plumbing::bootstrap::CmdlineOptions::local(
            accel,
            crate::plumbing::bootstrap::host_tsc_khz(),
        );
        options.hz = boot.hz;
        let machine = Machine {
            cpus: def.spec.cpus,
            memory_mb: def.spec.memory_mb,
            accel,
            kernel: boot.kernel.clone(),
            initramfs: boot.initramfs.clone(),
            cmdline: crate::plumbing::bootstrap::kernel_cmdline(&options),
            root: Disk {
                path: PathBuf::from(qemu_files::ROOT_DISK),
                format: "qcow2",
                serial: ROOT_SERIAL.into(),
                read_only: false,
            },
            volumes: disks,
            nics: net.nics,
        };
        let mut config = guest_config(def, hold_primary)?;
        config.volumes = volume_configs;
        config.interfaces = net.interfaces;
        config.hosts = network::hosts_for(&def.id, &def.spec.networks, &self.domains)
            .into_iter()
            .map(|(address, name)| tether::config::HostEntry {
                address,
                names: vec![name],
            })
            .collect();
        let taps: Vec<String> = net.taps.iter().map(|(tap, _)| tap.clone()).collect();
        let launched = (|| {
            for record in &net.bridges {
                self.networks.ensure(record)?;
            }
            for (tap, bridge) in &net.taps {
                network::create_tap(tap, bridge)?;
            }
            crate::plumbing::file::write_atomic(
                &dir.join(qemu_files::CONFIG),
                config.encode().as_bytes(),
                0o600,
            )?;
            let launch = monitor::Launch {
                id: def.id.clone(),
                name: def.spec.name.clone(),
                qemu_args: qemu::command_line(&machine)
                    .into_iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect(),
                accel,
                token: def.token.clone(),
                auto_remove: def.spec.auto_remove,
                state: self.state.clone(),
                taps: taps.clone(),
            };
            monitor::write_launch(&dir, &launch)?;
            // The run this start begins; anything older in runtime.json is
            // the previous run's.
            let before = Runtime::load(&dir)?.and_then(|r| r.started_at);
            monitor::spawn(&dir)?;
            Ok(before)
        })();
        let before = match launched {
            Ok(before) => before,
            Err(e) => {
                // No monitor runs to clean up after this start.
                for tap in &taps {
                    network::delete_tap(tap);
                }
                return Err(e);
            }
        };
        self.wait_ready(&dir, &def.spec.name, before)
    }

    /// The disks and tether config of a domain's volumes, refusing what
    /// QEMU's image locking would refuse, with the domain that holds it: a
    /// volume joined read-write belongs to one running domain; read-only,
    /// it is shared by any number that only read it.
    fn volume_plan(
        &self,
        def: &Definition,
    ) -> Result<(Vec<Disk>, Vec<tether::config::VolumeConfig>)> {
        use tether::config::{DiskSource, VolumeConfig};
        let mut disks = Vec::new();
        let mut configs = Vec::new();
        if def.spec.volumes.is_empty() {
            return Ok((disks, configs));
        }
        let (defs, _) = self.domains.load_all()?;
        for m in &def.spec.volumes {
            let record = self.volumes.load(&m.volume).map_err(|e| {
                e.with_hint(format!(
                    "domain {:?} joins volume {:?}, which does not exist (any more): create it with `vicport volume create {}`",
                    def.spec.name, m.volume, m.volume
                ))
            })?;
            for other in defs.iter().filter(|o| o.id != def.id) {
                let Some(theirs) = other.spec.volumes.iter().find(|o| o.volume == m.volume) else {
                    continue;
                };
                if !runtime::state(&self.domains.dir(&other.id))?.0.is_up() {
                    continue;
                }
                if m.read_only && theirs.read_only {
                    continue;
                }
                let (how, hint) = if theirs.read_only {
                    (
                        "read-only",
                        format!(
                            "a volume joined read-write needs it to itself: stop {} first, or join it read-only (NAME:/path:ro)",
                            other.spec.name
                        ),
                    )
                } else {
                    (
                        "read-write",
                        format!(
                            "a volume written by a running domain cannot be joined by another: stop {} first",
                            other.spec.name
                        ),
                    )
                };
                return Err(Error::invalid_state(format!(
                    "volume {:?} is in use {how} by running domain {:?}",
                    m.volume, other.spec.name
                ))
                .with_hint(hint));
            }
            let path = self.volumes.disk_path(&record);
            if !m.read_only && volume::disk_in_use(&path) {
                return Err(Error::invalid_state(format!(
                    "volume {:?} is open in another QEMU ({})",
                    m.volume,
                    path.display()
                ))
                .with_hint("stop the domain that uses it first"));
            }
            disks.push(Disk {
                path,
                format: "raw",
                serial: record.serial(),
                read_only: m.read_only,
            });
            configs.push(VolumeConfig {
                source: DiskSource::Serial(record.serial()),
                path: m.path.clone(),
                read_only: m.read_only,
                // Made ext4 at `volume create`: a volume whose file system
                // cannot be read is an error, never silently formatted.
                format: false,
                label: volume::label_for(&m.volume),
            });
        }
        Ok((disks, configs))
    }

    /// The NICs and interface configs of a domain's endpoints, with the
    /// bridges to ensure and the taps to make.
    fn network_plan(&self, def: &Definition) -> Result<NetworkPlan> {
        use tether::config::{InterfaceConfig, IpPrefix};
        let mut plan = NetworkPlan::default();
        for ep in &def.spec.networks {
            let record = self.networks.load(&ep.network).map_err(|e| {
                e.with_hint(format!(
                    "domain {:?} is connected to network {:?}, which does not exist (any more): `vicport network disconnect {} {}`",
                    def.spec.name, ep.network, ep.network, def.spec.name
                ))
            })?;
            let (Some(ip), Some(mac)) = (ep.ip, ep.mac.clone()) else {
                return Err(Error::invalid_state(format!(
                    "domain {:?} has no address on network {:?}",
                    def.spec.name, ep.network
                ))
                .with_hint("disconnect it and connect it again"));
            };
            let backend = match &record.backing {
                Backing::Bridge { bridge } => {
                    if !crate::plumbing::paths::is_root() {
                        return Err(Error::invalid_state(format!(
                            "network {:?} is a bridge network: starting a domain on it needs root",
                            ep.network
                        ))
                        .with_hint(
                            "run as root, or use a network created without root (socket backing)",
                        ));
                    }
                    let tap = network::tap_name(&def.id, &record.id);
                    plan.taps.push((tap.clone(), bridge.clone()));
                    if !plan.bridges.iter().any(|r| r.id == record.id) {
                        plan.bridges.push(record.clone());
                    }
                    NicBackend::Tap { ifname: tap }
                }
                Backing::Socket { group } => NicBackend::Multicast {
                    group: group.clone(),
                },
            };
            plan.nics.push(Nic {
                mac: mac.clone(),
                backend,
            });
            plan.interfaces.push(InterfaceConfig {
                mac,
                addresses: vec![IpPrefix {
                    addr: ip,
                    prefix: record.spec.subnet.prefix_len(),
                }],
                gateway: record.route(),
                dns: record.spec.dns.clone(),
                search: Vec::new(),
            });
        }
        Ok(plan)
    }

    /// Check what a spec joins that it did not join `before`: the volumes
    /// and networks exist (exit 3), a volume is joined once, a requested
    /// address is inside its network's subnet (exit 2). Whether an address
    /// is free is decided at commit, under the network's lock.
    fn check_joins(&self, spec: &DomainSpec, before: Option<&DomainSpec>) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        for m in &spec.volumes {
            if !seen.insert(m.volume.as_str()) {
                return Err(Error::invalid(format!(
                    "domain {:?} joins volume {:?} twice",
                    spec.name, m.volume
                ))
                .with_hint("mount a volume at one path only"));
            }
            if before.is_some_and(|b| b.volumes.iter().any(|o| o.volume == m.volume)) {
                continue;
            }
            self.volumes.load(&m.volume).map_err(|e| {
                e.with_hint(format!(
                    "create it first: `vicport volume create {}`",
                    m.volume
                ))
            })?;
        }
        for ep in &spec.networks {
            if before.is_some_and(|b| b.networks.iter().any(|o| o.network == ep.network)) {
                continue;
            }
            let record = self.networks.load(&ep.network).map_err(|e| {
                e.with_hint(format!(
                    "create it first: `vicport network create {} --subnet CIDR`",
                    ep.network
                ))
            })?;
            if let Some(ip) = ep.ip {
                if !record.spec.subnet.contains(&ip) {
                    return Err(Error::invalid(format!(
                        "address {ip} is not in network {:?}'s subnet {}",
                        ep.network, record.spec.subnet
                    ))
                    .with_hint("leave out the address to get a free one"));
                }
            }
        }
        Ok(())
    }

    /// Whether volume `name` may be removed: not while a domain joins it;
    /// with `force`, from stopped domains only (they then fail to start
    /// until it is created again).
    fn check_volume_removable(&self, name: &str, force: bool) -> Result<()> {
        let (defs, _) = self.domains.load_all()?;
        let users: Vec<&Definition> = defs
            .iter()
            .filter(|d| d.spec.volumes.iter().any(|m| m.volume == name))
            .collect();
        if users.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = users.iter().map(|d| d.spec.name.as_str()).collect();
        if !force {
            return Err(Error::conflict(format!(
                "volume {name:?} is in use by {}",
                names.join(", ")
            ))
            .with_hint(format!(
                "remove those domains first, or `vicport volume rm --force {name}` (asks first; never from a running domain)"
            )));
        }
        let mut running = Vec::new();
        for d in &users {
            if runtime::state(&self.domains.dir(&d.id))?.0.is_up() {
                running.push(d.spec.name.as_str());
            }
        }
        if !running.is_empty() {
            return Err(Error::invalid_state(format!(
                "volume {name:?} is in use by running domain(s) {}",
                running.join(", ")
            ))
            .with_hint(
                "stop them first: even --force never takes a volume from a running domain",
            ));
        }
        Ok(())
    }

    fn wait_ready(&self, dir: &Path, name: &str, previous_start: Option<String>) -> Result<()> {
        let started = Instant::now();
        loop {
            let rt = Runtime::load(dir)?;
            let this_run = rt
                .as_ref()
                .filter(|r| r.started_at.is_some() && r.started_at != previous_start);
            if let Some(rt) = this_run {
                match rt.phase {
                    Phase::Running | Phase::Stopping => return Ok(()),
                    Phase::Exited => {
                        return Err(Error::other(format!(
                            "domain {name:?} stopped while starting: {}",
                            rt.reason
                                .clone()
                                .unwrap_or_else(|| "its process exited".into())
                        ))
                        .with_hint(format!(
                            "see {} and {}",
                            dir.join(qemu_files::CONSOLE).display(),
                            dir.join(runtime_files::MONITOR_LOG).display()
                        )));
                    }
                    Phase::Starting => {}
                }
            }
            let elapsed = started.elapsed();
            if elapsed > Duration::from_secs(10) && this_run.is_none() {
                return Err(
                    Error::other(format!("the monitor of domain {name:?} did not start"))
                        .with_hint(format!(
                            "see {}",
                            dir.join(runtime_files::MONITOR_LOG).display()
                        )),
                );
            }
            if elapsed > BOOT_TIMEOUT {
                let _ = power_off(dir);
                return Err(Error::other(format!(
                    "domain {name:?} did not become ready within {BOOT_TIMEOUT:?}; it was powered off"
                ))
                .with_hint(format!(
                    "see {} (set VICPORT_ACCEL=tcg if KVM guests hang on this host)",
                    dir.join(qemu_files::CONSOLE).display()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Poll until the domain is no longer up, or `timeout` passes.
    fn wait_down(&self, dir: &Path, timeout: Option<Duration>) -> Result<bool> {
        let started = Instant::now();
        loop {
            let (state, _, _) = runtime::state(dir)?;
            if !state.is_up() {
                return Ok(true);
            }
            if timeout.is_some_and(|t| started.elapsed() > t) {
                return Ok(false);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A link client to a running domain's tether, through its monitor.
    fn client(&self, def: &Definition) -> Result<tether::link::client::Client> {
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
        let token = hex::decode(&def.token)
            .map_err(|_| Error::other(format!("domain {:?} has a damaged token", def.spec.name)))?;
        let client = tether::link::client::Client::connect(
            stream
                .try_clone()
                .io_context(|| "cloning the link".into())?,
            &token,
        )
        .map_err(link_error)?;
        stream
            .set_read_timeout(None)
            .io_context(|| "clearing the timeout".into())?;
        Ok(client)
    }

    fn remove_by_id(&self, id: &DomainId, name: &str) -> Result<()> {
        let def = self.domains.load(id).ok();
        self.domains.remove(id)?;
        if let Some(def) = def {
            network::forget_domain(&self.networks, &def);
        }
        self.journal.record("domain", name, "remove", &[]);
        Ok(())
    }

    /// The names of the domains created from image `image_id`.
    fn domains_using_image(&self, image_id: &str) -> Vec<(DomainId, String)> {
        self.domains
            .load_all()
            .map(|(defs, _)| {
                defs.into_iter()
                    .filter(|d| d.image_id == image_id)
                    .map(|d| (d.id, d.spec.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn with_used_by(&self, mut info: ImageInfo) -> ImageInfo {
        info.used_by = self
            .domains_using_image(&info.id)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        info
    }
}

/// Not found, when the image's disk is no longer there (an `image rm`
/// won a race with the domain's create).
fn image_gone(disk: &Path, image: &str) -> Option<Error> {
    (!disk.is_file()).then(|| {
        Error::not_found("image", image).with_hint("it was removed while the domain was created")
    })
}

/// What a domain's endpoints need from the host at start.
#[derive(Debug, Default)]
struct NetworkPlan {
    nics: Vec<Nic>,
    interfaces: Vec<tether::config::InterfaceConfig>,
    /// (tap, bridge) per bridge endpoint.
    taps: Vec<(String, String)>,
    /// The bridge networks to ensure.
    bridges: Vec<network::NetworkRecord>,
}

/// The virtio-blk serial of a local domain's root disk.
const ROOT_SERIAL: &str = "vicport-root";

fn hostname(def: &Definition) -> String {
    def.spec
        .hostname
        .clone()
        .unwrap_or_else(|| def.id.short().to_string())
}

/// The tether's config document for a local domain.
fn guest_config(def: &Definition, hold_primary: bool) -> Result<tether::config::DomainConfig> {
    use tether::config::{DiskSource, DomainConfig, PortSpec};
    let token = hex::decode(&def.token)
        .map_err(|_| Error::other(format!("domain {:?} has a damaged token", def.spec.name)))?;
    let mut c = DomainConfig::new(token, PortSpec::Virtio(qemu::LINK_PORT.into()));
    c.id = def.id.to_string();
    c.name = def.spec.name.clone();
    c.hostname = hostname(def);
    c.log = Some(PortSpec::Virtio(qemu::LOG_PORT.into()));
    c.root = Some(DiskSource::Serial(ROOT_SERIAL.into()));
    c.process = def.spec.tether_process(hold_primary)?;
    Ok(c)
}

/// Power a domain off at once: QMP `quit`, else SIGKILL of QEMU; then, if
/// no monitor is left to record it, record the stop.
fn power_off(dir: &Path) -> Result<()> {
    let quit = qmp::Qmp::connect(dir).and_then(qmp::Qmp::quit);
    if quit.is_err() {
        if let Some(pid) = std::fs::read_to_string(dir.join(qemu_files::PIDFILE))
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok())
        {
            if runtime::qemu_alive(dir) {
                // SAFETY: kill(2) on a pid read from QEMU's own locked pidfile.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while runtime::qemu_alive(dir) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if runtime::qemu_alive(dir) {
        return Err(Error::other(format!(
            "QEMU in {} does not exit",
            dir.display()
        )));
    }
    // The monitor records the exit itself; give it a moment, then record it
    // here if it is gone.
    let deadline = Instant::now() + Duration::from_secs(5);
    while runtime::monitor_alive(dir)? && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if !runtime::monitor_alive(dir)? {
        if let Some(mut rt) = Runtime::load(dir)? {
            if rt.phase != Phase::Exited {
                rt.phase = Phase::Exited;
                rt.finished_at = Some(crate::plumbing::spec::now());
                rt.reason = Some("powered off while its monitor was not running".into());
                rt.save(dir)?;
            }
        }
    }
    Ok(())
}

fn link_error(e: tether::link::client::ClientError) -> Error {
    use tether::link::client::ClientError;
    match e {
        ClientError::Refused(r) => Error::unreachable(format!("the domain refused the link: {r}")),
        ClientError::Timeout(what) => {
            Error::unreachable(format!("no answer from the domain to {what}"))
        }
        other => Error::other(other.to_string()),
    }
}

/// The names of the domains that join volume `name`.
fn volume_users(defs: &[Definition], name: &str) -> Vec<String> {
    let mut users: Vec<String> = defs
        .iter()
        .filter(|d| d.spec.volumes.iter().any(|m| m.volume == name))
        .map(|d| d.spec.name.clone())
        .collect();
    users.sort();
    users
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
            if Path::new("/dev/kvm").exists() {
                "present".into()
            } else {
                "absent".into()
            },
        );
        details.insert(
            "accelerator".into(),
            qemu::cached_accel(&self.cache).map_or_else(
                || "not probed yet (chosen at the first start)".into(),
                |(accel, why)| format!("{}: {why}", accel.as_str()),
            ),
        );
        details.insert(
            "boot_image".into(),
            boot::current(&self.cache).map_or_else(
                || "not built yet (`vicport system bootstrap`, or on first start)".into(),
                |b| format!("{} ({})", b.dir.display(), b.kernel_version),
            ),
        );
        let (defs, broken) = self.domains.load_all()?;
        let mut running = 0;
        for d in &defs {
            if runtime::state(&self.domains.dir(&d.id))?.0.is_up() {
                running += 1;
            }
        }
        details.insert(
            "domains".into(),
            format!(
                "{} ({running} running, {} broken)",
                defs.len() + broken.len(),
                broken.len()
            ),
        );
        details.insert("images".into(), self.images.list()?.len().to_string());
        details.insert("volumes".into(), self.volumes.list()?.len().to_string());
        details.insert("networks".into(), self.networks.list()?.len().to_string());
        details.insert(
            "host_cpus".into(),
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .to_string(),
        );
        if let Some(mb) = crate::plumbing::host::memory_mb() {
            details.insert("host_memory_mb".into(), mb.to_string());
        }
        Ok(SystemInfo {
            target: self.target.clone(),
            platform: "local".into(),
            vicport_version: env!("CARGO_PKG_VERSION").into(),
            details,
        })
    }

    async fn new_handle(&self, spec: DomainSpec) -> Result<Handle> {
        spec.validate()?;
        Self::check_host_limits(&spec)?;
        self.images.resolve(&spec.image)?;
        self.check_joins(&spec, None)?;
        if self.domains.find_by_name(&spec.name)?.is_some() {
            return Err(
                Error::conflict(format!("the name {:?} is already in use", spec.name))
                    .with_hint("choose another --name, or remove that domain"),
            );
        }
        Ok(Handle::new_domain(spec))
    }

    async fn get_handle(&self, domain: &str) -> Result<Handle> {
        let id = self.resolve(domain)?;
        let def = self.domains.load(&id)?;
        Ok(Handle {
            id,
            version: Some(def.handle_version()),
            spec: def.spec,
            power: None,
            hold_primary: false,
        })
    }

    async fn commit(&self, handle: Handle) -> Result<DomainInfo> {
        handle.spec.validate()?;
        self.ensure_state()?;
        let def = match &handle.version {
            None => {
                let image = self.images.resolve(&handle.spec.image)?;
                self.check_joins(&handle.spec, None)?;
                let mut def = Definition {
                    version: 1,
                    id: handle.id.clone(),
                    created: crate::plumbing::spec::now(),
                    spec: handle.spec.clone(),
                    image_id: image.id.clone(),
                    token: random_hex(32),
                };
                self.domains.sweep();
                let (networks, domains) = (&self.networks, &self.domains);
                let created = tokio::task::block_in_place(|| {
                    self.domains.create_checked(
                        &mut def,
                        |staging, def| {
                            create_overlay(&image.disk, &staging.join(qemu_files::ROOT_DISK), None)
                                .map_err(|e| {
                                    image_gone(&image.disk, &def.spec.image).unwrap_or(e)
                                })?;
                            // Addresses are taken while the domain is in
                            // flight (staging), and given back if it never
                            // lands.
                            network::join_new(networks, domains, def)
                        },
                        // An `image rm` or `volume rm` that ran meanwhile
                        // (they hold the store's lock) took what the domain
                        // was to use: it does not land.
                        |def| {
                            if let Some(gone) = image_gone(&image.disk, &def.spec.image) {
                                return Err(gone);
                            }
                            self.check_joins(&def.spec, None)
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
                def
            }
            Some(version) => {
                let current = self.domains.load(&handle.id)?;
                let up = runtime::state(&self.domains.dir(&handle.id))?.0.is_up();
                let mut unchanged = current.spec.clone();
                unchanged.name = handle.spec.name.clone();
                unchanged.labels = handle.spec.labels.clone();
                if up && unchanged != handle.spec {
                    let what = if unchanged.networks != handle.spec.networks {
                        "networks are connected and disconnected only while it is stopped \
                         (a microVM's virtio-mmio devices cannot be hot-plugged)"
                    } else if unchanged.volumes != handle.spec.volumes {
                        "volumes are joined only while it is stopped"
                    } else {
                        "only its name and labels can change"
                    };
                    return Err(Error::invalid_state(format!(
                        "domain {:?} is running: {what}",
                        current.spec.name
                    ))
                    .with_hint(format!(
                        "stop it first (`vicport domain stop {}`), change it, and start it again",
                        current.spec.name
                    )));
                }
                self.check_joins(&handle.spec, Some(&current.spec))?;
                let next = Definition {
                    spec: handle.spec.clone(),
                    ..current.clone()
                };
                let written = if next.spec != current.spec {
                    let mut steps = network::EndpointSteps::new(&self.networks, &self.domains);
                    tokio::task::block_in_place(|| {
                        self.domains.commit_with(next, version, &mut steps)
                    })?
                } else if current.handle_version() != *version {
                    return Err(Error::conflict(format!(
                        "domain {:?} changed since its handle was taken",
                        current.spec.name
                    )));
                } else {
                    current.clone()
                };
                if written.spec.name != current.spec.name {
                    self.journal.record(
                        "domain",
                        &written.spec.name,
                        "rename",
                        &[("old_name", current.spec.name.clone())],
                    );
                } else if written.spec.labels != current.spec.labels {
                    self.journal
                        .record("domain", &written.spec.name, "update", &[]);
                }
                for ep in &written.spec.networks {
                    if !current
                        .spec
                        .networks
                        .iter()
                        .any(|o| o.network == ep.network)
                    {
                        let ip = ep.ip.map(|ip| ip.to_string()).unwrap_or_default();
                        self.journal.record(
                            "network",
                            &ep.network,
                            "connect",
                            &[("domain", written.spec.name.clone()), ("ip", ip)],
                        );
                    }
                }
                for ep in &current.spec.networks {
                    if !written
                        .spec
                        .networks
                        .iter()
                        .any(|n| n.network == ep.network)
                    {
                        self.journal.record(
                            "network",
                            &ep.network,
                            "disconnect",
                            &[("domain", written.spec.name.clone())],
                        );
                    }
                }
                written
            }
        };
        match handle.power {
            Some(PowerChange::On) => {
                tokio::task::block_in_place(|| self.start(&def, handle.hold_primary))?
            }
            Some(PowerChange::Off) => {
                let dir = self.domains.dir(&def.id);
                tokio::task::block_in_place(|| power_off(&dir))?;
            }
            None => {}
        }
        self.info_of(&def)
    }

    async fn list_domains(&self, filter: &DomainFilter) -> Result<Vec<DomainSummary>> {
        let (defs, broken) = self.domains.load_all()?;
        let mut rows = Vec::with_capacity(defs.len() + broken.len());
        for d in &defs {
            let (state, _, _) = runtime::state(&self.domains.dir(&d.id))?;
            rows.push(DomainSummary {
                id: d.id.clone(),
                name: d.spec.name.clone(),
                state,
                image: d.spec.image.clone(),
                created: d.created.clone(),
                labels: d.spec.labels.clone(),
            });
        }
        rows.extend(broken.iter().map(|id| self.broken_summary(id)));
        rows.retain(|r| filter.matches(r));
        rows.sort_by(|a, b| b.created.cmp(&a.created).then(a.name.cmp(&b.name)));
        Ok(rows)
    }

    async fn inspect_domain(&self, domain: &str) -> Result<DomainInfo> {
        let id = self.resolve(domain)?;
        self.info_of(&self.domains.load(&id)?)
    }

    async fn stop_domain(&self, domain: &str, timeout: Duration) -> Result<DomainInfo> {
        let id = self.resolve(domain)?;
        let def = self.domains.load(&id)?;
        let dir = self.domains.dir(&id);
        if !runtime::state(&dir)?.0.is_up() {
            return self.info_of(&def);
        }
        self.journal.record("domain", &def.spec.name, "stop", &[]);
        tokio::task::block_in_place(|| -> Result<()> {
            let graceful = self
                .client(&def)
                .and_then(|client| client.shutdown(0, timeout).map_err(link_error));
            match graceful {
                // The tether signals the primary, kills it after `timeout`,
                // and powers off; allow for the guest's own shutdown.
                Ok(()) if self.wait_down(&dir, Some(timeout + Duration::from_secs(15)))? => Ok(()),
                Ok(()) => power_off(&dir),
                Err(e) => {
                    tracing::debug!("no graceful stop ({e}); powering off");
                    power_off(&dir)
                }
            }
        })?;
        self.info_of(&def)
    }

    async fn kill_domain(&self, domain: &str, signal: i32) -> Result<()> {
        let id = self.resolve(domain)?;
        let def = self.domains.load(&id)?;
        let dir = self.domains.dir(&id);
        if !runtime::state(&dir)?.0.is_up() {
            return Err(Error::invalid_state(format!(
                "domain {:?} is not running",
                def.spec.name
            )));
        }
        self.journal.record(
            "domain",
            &def.spec.name,
            "kill",
            &[("signal", signal.to_string())],
        );
        tokio::task::block_in_place(|| -> Result<()> {
            // The signal goes to the primary process through an attach
            // session; KILL also guarantees the power-off, even when the
            // guest no longer answers.
            let sent = self.client(&def).and_then(|client| {
                let session = client
                    .attach(tether::link::message::AttachRequest {
                        window: tether::link::DEFAULT_WINDOW,
                        ..Default::default()
                    })
                    .map_err(link_error)?;
                session.signal(signal).map_err(link_error)
            });
            if signal == libc::SIGKILL {
                if sent.is_err() || !self.wait_down(&dir, Some(Duration::from_secs(10)))? {
                    power_off(&dir)?;
                }
                Ok(())
            } else {
                sent
            }
        })
    }

    async fn remove_domain(&self, domain: &str, force: bool) -> Result<()> {
        let id = self.resolve(domain)?;
        let dir = self.domains.dir(&id);
        let name = self
            .domains
            .load(&id)
            .map(|d| d.spec.name)
            .unwrap_or_else(|_| id.short().to_string());
        if runtime::state(&dir)?.0.is_up() {
            if !force {
                return Err(
                    Error::invalid_state(format!("domain {name:?} is running")).with_hint(format!(
                        "stop it first (`vicport domain stop {name}`), or remove it with --force"
                    )),
                );
            }
            tokio::task::block_in_place(|| power_off(&dir))?;
        }
        self.remove_by_id(&id, &name)
    }

    async fn wait_domain(&self, domain: &str, timeout: Option<Duration>) -> Result<DomainInfo> {
        let id = self.resolve(domain)?;
        let dir = self.domains.dir(&id);
        let done = tokio::task::block_in_place(|| self.wait_down(&dir, timeout))?;
        if !done {
            return Err(Error::new(
                ErrorKind::Other,
                format!(
                    "domain {domain:?} is still running after {:?}",
                    timeout.unwrap_or_default()
                ),
            ));
        }
        match self.domains.load(&id) {
            Ok(def) => self.info_of(&def),
            // Removed on exit (`run --rm`): it is gone, which is what
            // waiting for it means.
            Err(_) if !dir.exists() => Err(Error::not_found("domain", domain)
                .with_hint("it was removed when it stopped (--rm)")),
            Err(e) => Err(e),
        }
    }

    async fn logs(
        &self,
        domain: &str,
        options: &LogOptions,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        let id = self.resolve(domain)?;
        let dir = self.domains.dir(&id);
        tokio::task::block_in_place(|| {
            log::read(
                &dir.join(qemu_files::OUTPUT),
                options.tail,
                options.follow,
                &mut || runtime::state(&dir).is_ok_and(|(s, _, _)| s.is_up()),
                sink,
            )
        })
    }

    async fn link(&self, domain: &str) -> Result<tether::link::client::Client> {
        let id = self.resolve(domain)?;
        let def = self.domains.load(&id)?;
        tokio::task::block_in_place(|| self.client(&def))
    }

    async fn events(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
    ) -> Result<()> {
        tokio::task::block_in_place(|| self.journal.read(follow, sink))
    }

    async fn import_image(
        &self,
        source: &Path,
        reference: Option<ImageRef>,
        progress: &dyn Progress,
    ) -> Result<ImageInfo> {
        self.ensure_state()?;
        let options = crate::plumbing::image::ImportOptions {
            reference,
            cancel: progress.cancel_flag(),
            blob_cache: Some(crate::plumbing::image::blobs::BlobCache::in_cache_dir(
                &self.cache,
            )),
            ..Default::default()
        };
        let info =
            tokio::task::block_in_place(|| self.images.import_with(source, &options, progress))?;
        self.journal.record("image", &info.id, "import", &[]);
        Ok(self.with_used_by(info))
    }

    async fn list_images(&self) -> Result<Vec<ImageInfo>> {
        Ok(self
            .images
            .list()?
            .into_iter()
            .map(|i| self.with_used_by(i))
            .collect())
    }

    async fn inspect_image(&self, image: &str) -> Result<ImageInfo> {
        Ok(self.with_used_by(self.images.inspect(image)?))
    }

    async fn remove_image(&self, image: &str, force: bool) -> Result<()> {
        let info = self.images.inspect(image)?;
        // No domain lands on the image while it goes (see `create_checked`).
        let _landing = self.domains.store_lock()?;
        if force {
            for (id, name) in self.domains_using_image(&info.id) {
                let dir = self.domains.dir(&id);
                if runtime::state(&dir)?.0.is_up() {
                    tokio::task::block_in_place(|| power_off(&dir))?;
                }
                self.remove_by_id(&id, &name)?;
            }
        }
        let this = self.clone();
        self.images.remove(image, &move |id| {
            this.domains_using_image(id)
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        })?;
        self.journal.record("image", &info.id, "remove", &[]);
        Ok(())
    }

    async fn create_volume(&self, spec: VolumeSpec) -> Result<VolumeInfo> {
        let record = tokio::task::block_in_place(|| self.volumes.create(&spec))?;
        self.journal.record("volume", &record.name, "create", &[]);
        Ok(self.volumes.info(&record, Vec::new()))
    }

    async fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .volumes
            .list()?
            .iter()
            .map(|r| self.volumes.info(r, volume_users(&defs, &r.name)))
            .collect())
    }

    async fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        let record = self.volumes.load(name)?;
        let (defs, _) = self.domains.load_all()?;
        Ok(self.volumes.info(&record, volume_users(&defs, name)))
    }

    async fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        tokio::task::block_in_place(|| {
            // No domain lands on the volume while it goes.
            let _landing = self.domains.store_lock()?;
            self.volumes
                .remove(name, |_| self.check_volume_removable(name, force))
        })?;
        self.journal.record("volume", name, "remove", &[]);
        Ok(())
    }

    async fn create_network(&self, spec: NetworkSpec) -> Result<NetworkInfo> {
        let record = tokio::task::block_in_place(|| self.networks.create(&spec))?;
        self.journal.record(
            "network",
            &record.spec.name,
            "create",
            &[("backing", record.backing.as_str().to_string())],
        );
        Ok(self.networks.info(&record, Vec::new()))
    }

    async fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .networks
            .list()?
            .iter()
            .map(|r| {
                self.networks
                    .info(r, network::endpoints_of(&r.spec.name, &defs))
            })
            .collect())
    }

    async fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        let record = self.networks.load(name)?;
        let (defs, _) = self.domains.load_all()?;
        Ok(self
            .networks
            .info(&record, network::endpoints_of(name, &defs)))
    }

    async fn remove_network(&self, name: &str) -> Result<()> {
        tokio::task::block_in_place(|| self.networks.remove(name, &self.domains))?;
        self.journal.record("network", name, "remove", &[]);
        Ok(())
    }
}
