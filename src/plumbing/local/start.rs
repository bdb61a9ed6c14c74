//! Starting a local domain, in two steps: a start plan computed from its
//! definition and the records of what it joins (QEMU's machine, the
//! tether's config document, the taps and bridges it needs), then the
//! launch that makes them on the host, starts the monitor and waits for the
//! tether. Also the immediate power-off.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tether_protocol::config::{DiskSource, DomainConfig, HostEntry, IpPrefix, PortSpec};

use crate::plumbing::bootstrap::{CmdlineOptions, host_tsc_khz, kernel_cmdline};
use crate::plumbing::domain::guest::{self, Interface, Locators, RootLocator};
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::spec::{DomainSpec, DomainState};

use super::network::{self, Backing, NetworkRecord, netns, publish};
use super::qemu::{self, Disk, Machine, Nic, NicBackend, files as qemu_files};
use super::runtime::{self, Phase, Runtime, files as runtime_files};
use super::store::Definition;
use super::{LocalPlatform, checkpoint, monitor, share, suspend, volume};

/// How long a domain may take from QEMU's start to the tether's Ready.
const BOOT_TIMEOUT: Duration = Duration::from_secs(120);

/// The virtio-blk serial of a local domain's root disk.
pub const ROOT_SERIAL: &str = "vicport-root";

/// The lock that makes the starts of the domain `name` in `dir` one at a
/// time (a removed domain is not found).
pub(super) fn start_lock(dir: &Path, name: &str) -> Result<crate::plumbing::file::Lock> {
    crate::plumbing::file::Lock::exclusive_in_place(&dir.join("start.lock")).map_err(|e| {
        if dir.is_dir() {
            e
        } else {
            Error::not_found("domain", name)
        }
    })
}

/// The root disk of domain `name` in `dir`, which must be there.
pub(super) fn root_disk(dir: &Path, name: &str) -> Result<PathBuf> {
    let disk = dir.join(qemu_files::ROOT_DISK);
    if !disk.is_file() {
        return Err(
            Error::invalid_state(format!("domain {name:?} has lost its root disk"))
                .with_hint(format!("remove it with `vicport domain rm {name}`")),
        );
    }
    Ok(disk)
}

/// QEMU's command line for `machine`, as the launch plan keeps it.
fn qemu_args(machine: &Machine) -> Vec<String> {
    qemu::command_line(machine)
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// What a start makes and runs, computed without changing anything.
#[derive(Debug)]
pub struct StartPlan {
    /// QEMU's machine.
    pub machine: Machine,
    /// The tether's config document.
    pub config: DomainConfig,
    /// One virtiofsd command line per shared directory.
    pub virtiofsd: Vec<Vec<String>>,
    /// (tap, bridge) per bridge endpoint.
    pub taps: Vec<(String, String)>,
    /// The bridge networks to ensure.
    pub bridges: Vec<NetworkRecord>,
    /// The engine's network namespace and its interfaces to wire.
    pub engine: Option<(PathBuf, Vec<netns::Port>)>,
}

/// The devices of a domain's endpoints.
#[derive(Debug, Default)]
struct NetworkDevices {
    nics: Vec<Nic>,
    interfaces: Vec<Interface>,
    taps: Vec<(String, String)>,
    bridges: Vec<NetworkRecord>,
}

/// What a start makes on the host before the monitor runs.
struct HostSide<'a> {
    bridges: &'a [NetworkRecord],
    taps: &'a [(String, String)],
    engine: Option<&'a (PathBuf, Vec<netns::Port>)>,
    published: Option<publish::Published>,
}

impl LocalPlatform {
    /// Refuse what this host cannot give, before anything is made.
    pub(super) fn check_host_limits(spec: &DomainSpec) -> Result<()> {
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

    /// Power on a defined domain: plan, launch, and wait until the tether
    /// is ready. A domain that is up already is left as it is.
    pub(super) fn start(&self, def: &Definition, hold: bool, hosts: &[HostEntry]) -> Result<()> {
        let dir = self.domains.dir(&def.id);
        // One start of a domain at a time: a second one waits here, then
        // finds the domain up (its taps, launch plan and monitor are the
        // first start's, untouched).
        let _starting = start_lock(&dir, &def.spec.name)?;
        if runtime::state(&dir)?.0.is_up() {
            return Ok(());
        }
        super::restart::starting(&dir, self.by_policy)?;
        if def.spec.root_dir.is_none() {
            root_disk(&dir, &def.spec.name)?;
        }
        Self::check_host_limits(&def.spec)?;
        // Before the boot image or anything is made.
        let published = self.published(def)?;
        // Held from checking the volumes until QEMU has them open (ready),
        // so that no volume is removed from under a starting domain.
        let _volumes_held = if def.spec.volumes.is_empty() {
            None
        } else {
            Some(self.volumes.hold()?)
        };
        if runtime::state(&dir)?.0 == DomainState::Suspended {
            return self.resume(def, &dir, published);
        }
        // A killed export, diff, commit or cp may have left a VM that
        // still uses this disk (or another domain's: swept all the same).
        super::reader::sweep_dead(&self.state);
        let plan = self.start_plan(def, hold, hosts)?;
        self.launch(def, &dir, plan, published, None)
    }

    /// Start the stopped domain `def` from the checkpoint in `from` (see
    /// [`checkpoint`]): its own start plan, checked against the saved
    /// hardware and network identity, with the saved state loaded instead
    /// of a boot, and the link token the saved guest holds.
    pub(super) fn restore_from(&self, def: &Definition, from: &Path) -> Result<()> {
        let dir = self.domains.dir(&def.id);
        let name = &def.spec.name;
        let _starting = start_lock(&dir, name)?;
        let state = runtime::state(&dir)?.0;
        if state.is_up() || matches!(state, DomainState::Suspended | DomainState::Broken) {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is {state}: only a stopped domain starts from a checkpoint"
            ))
            .with_hint(format!("stop it first: `vicport domain stop {name}`")));
        }
        Self::refuse_disks(def, "restoring")?;
        let saved = checkpoint::read(from)?;
        Self::check_host_limits(&def.spec)?;
        // No volumes to hold (refuse_disks): only what it publishes.
        let published = self.published(def)?;
        let mut taking = def.clone();
        taking.token = saved.token.clone();
        let plan = self.start_plan(&taking, false, &[])?;
        let args = qemu_args(&plan.machine);
        if let Some(why) = checkpoint::mismatch(&saved, &args, &plan.config) {
            return Err(Error::invalid(format!(
                "domain {name:?} cannot start from the checkpoint in {}: {why}",
                from.display()
            ))
            .with_hint("restore it with what it was checkpointed with: the same memory, CPUs, mounts and network address and MAC (an engine gives a container restored under a new name new ones)"));
        }
        // The saved guest greets the host with the token it booted with.
        let def = if def.token == saved.token {
            def.clone()
        } else {
            self.domains.commit(taking, &def.handle_version())?
        };
        let state = checkpoint::state_file(from)?;
        self.launch(&def, &dir, plan, published, Some(state))
    }

    /// Save a running domain and power it off (see [`suspend`]).
    pub(super) fn suspend_domain(&self, def: &Definition) -> Result<()> {
        let dir = self.may_save(def, suspend::Saving::Suspend)?;
        suspend::suspend(&dir, &def.spec.name)
    }

    /// Save a running or paused domain into `to` (see [`checkpoint`]).
    pub(super) fn checkpoint_domain(
        &self,
        def: &Definition,
        to: &Path,
        leave_running: bool,
    ) -> Result<()> {
        Self::refuse_disks(def, "checkpointing")?;
        let dir = self.may_save(def, suspend::Saving::Checkpoint)?;
        checkpoint::save(&dir, &def.spec.name, to, leave_running)
    }

    /// The directory of the running domain `def`, unless what QEMU's
    /// saved state cannot carry refuses `what` ([`suspend::refusal`]).
    fn may_save(&self, def: &Definition, what: suspend::Saving) -> Result<PathBuf> {
        let dir = self.domains.dir(&def.id);
        let launch = monitor::read_launch(&dir.join(monitor::LAUNCH))?;
        let taps: Vec<String> = self
            .network_devices(def)?
            .taps
            .into_iter()
            .map(|(tap, _)| tap)
            .collect();
        match suspend::refusal(&def.spec.name, &launch, &taps, what) {
            Some(refused) => Err(refused),
            None => Ok(dir),
        }
    }

    /// A checkpoint holds memory and devices, not disks: a domain with a
    /// root disk or volumes would come back with memory that does not
    /// match them (its root directory and shares are the host's, and
    /// stay).
    fn refuse_disks(def: &Definition, verb: &str) -> Result<()> {
        if def.spec.root_dir.is_some() && def.spec.volumes.is_empty() {
            return Ok(());
        }
        let name = &def.spec.name;
        Err(Error::new(
            crate::plumbing::error::ErrorKind::NotSupported,
            format!(
                "{verb} domain {name:?} is not supported on this target: a checkpoint does not hold its disks (root disk or volumes), only a root directory of the host's"
            ),
        )
        .with_hint(format!(
            "suspend it instead, which keeps its disks with it: `vicport domain suspend {name}`"
        )))
    }

    /// Resume a suspended domain: the saved run's QEMU command line, its
    /// taps made again, and the saved state loaded by the monitor.
    fn resume(
        &self,
        def: &Definition,
        dir: &Path,
        published: Option<publish::Published>,
    ) -> Result<()> {
        let mut launch = suspend::saved_launch(dir)?;
        let net = self.network_devices(def)?;
        let host = HostSide {
            bridges: &net.bridges,
            taps: &net.taps,
            engine: None,
            published,
        };
        self.bring_up(def, dir, host, || {
            let state = suspend::state_file(dir);
            launch.incoming = Some(
                std::path::absolute(&state)
                    .io_context(|| format!("resolving {}", state.display()))?,
            );
            Ok(launch)
        })
    }

    /// The start plan of `def`: reads the records of its volumes and
    /// networks, the boot image and the accelerator verdict; changes
    /// nothing.
    pub(super) fn start_plan(
        &self,
        def: &Definition,
        hold: bool,
        hosts: &[HostEntry],
    ) -> Result<StartPlan> {
        let volumes = self.volume_disks(def)?;
        let mut net = self.network_devices(def)?;
        let engine = match &def.spec.engine_netns {
            Some(path) => {
                let ports = netns::read(path)?;
                net.nics.extend(ports.iter().map(|p| Nic {
                    mac: p.mac.clone(),
                    backend: NicBackend::Tap {
                        ifname: p.tap.clone(),
                    },
                }));
                Some((path.clone(), ports))
            }
            None => None,
        };
        let stage = crate::plumbing::paths::is_root()
            .then(|| self.domains.dir(&def.id).join(share::STAGE_DIR));
        let (shares, share_locators) = share::plan(&def.spec, stage.as_deref())?;
        share::make_mount_points(&def.spec)?;
        let virtiofsd = if shares.is_empty() {
            Vec::new()
        } else {
            let binary = share::virtiofsd()?;
            let root = crate::plumbing::paths::is_root();
            let migration = match (share::can_migrate(&binary), def.spec.root_dir.is_some()) {
                (false, _) => share::Migration::No,
                (true, true) => share::Migration::ByPath,
                (true, false) => share::Migration::Verified,
            };
            shares
                .iter()
                .map(|s| share::daemon_args(&binary, s, root, migration))
                .collect()
        };
        let boot =
            crate::plumbing::bootstrap::current::ensure(&self.cache, &*self.build_progress.0)?;
        let (accel, why) = qemu::choose_accel(&self.cache, &boot.kernel, &boot.initramfs)?;
        tracing::debug!("accelerator {}: {why}", accel.as_str());
        let mut options = CmdlineOptions::local(accel, host_tsc_khz());
        options.hz = boot.hz;
        options.extra = qemu::HOTPLUG_CMDLINE
            .iter()
            .map(|p| p.to_string())
            .collect();
        let locators = Locators {
            link: PortSpec::Virtio(qemu::LINK_PORT.into()),
            log: Some(PortSpec::Virtio(qemu::LOG_PORT.into())),
            root: if def.spec.root_dir.is_some() {
                RootLocator::Share(share::ROOT_TAG.into())
            } else {
                RootLocator::Disk(DiskSource::Serial(ROOT_SERIAL.into()))
            },
            shares: share_locators,
            volumes: volumes
                .iter()
                .map(|d| DiskSource::Serial(d.serial.clone()))
                .collect(),
            interfaces: net.interfaces,
        };
        let token = guest::token(&def.spec.name, &def.token)?;
        let mut config = guest::config(&def.id, &def.spec, &token, &locators, hosts, hold)?;
        if let Some((_, ports)) = &engine {
            config
                .interfaces
                .extend(ports.iter().map(netns::Port::interface));
        }
        let machine = Machine {
            cpus: def.spec.cpus,
            memory_mb: def.spec.memory_mb,
            accel,
            tb_size_mb: qemu::tb_size_mb()?,
            kernel: boot.kernel.clone(),
            initramfs: boot.initramfs.clone(),
            cmdline: kernel_cmdline(&options),
            root: def.spec.root_dir.is_none().then(|| Disk {
                path: PathBuf::from(qemu_files::ROOT_DISK),
                format: "qcow2",
                serial: ROOT_SERIAL.into(),
                read_only: false,
            }),
            volumes,
            shares,
            nics: net.nics,
        };
        Ok(StartPlan {
            machine,
            config,
            virtiofsd,
            taps: net.taps,
            bridges: net.bridges,
            engine,
        })
    }

    /// Make what `plan` needs on the host, start the monitor, and wait for
    /// the tether (booted, or the saved state `incoming` loaded). On
    /// failure before the monitor runs, the taps made are deleted again.
    fn launch(
        &self,
        def: &Definition,
        dir: &Path,
        plan: StartPlan,
        published: Option<publish::Published>,
        incoming: Option<PathBuf>,
    ) -> Result<()> {
        let host = HostSide {
            bridges: &plan.bridges,
            taps: &plan.taps,
            engine: plan.engine.as_ref(),
            published,
        };
        self.bring_up(def, dir, host, || {
            crate::plumbing::file::write_atomic(
                &dir.join(qemu_files::CONFIG),
                plan.config.encode().as_bytes(),
                0o600,
            )?;
            Ok(monitor::Launch {
                id: def.id.clone(),
                name: def.spec.name.clone(),
                qemu_args: qemu_args(&plan.machine),
                accel: plan.machine.accel,
                token: def.token.clone(),
                auto_remove: def.spec.auto_remove,
                state: self.state.clone(),
                taps: plan.taps.iter().map(|(tap, _)| tap.clone()).collect(),
                engine: plan
                    .engine
                    .as_ref()
                    .map(|(path, ports)| netns::wiring(path, ports)),
                virtiofsd: plan.virtiofsd.clone(),
                incoming,
                published: None,
                cache: self.cache.clone(),
            })
        })
    }

    /// What a boot and a resume share: the bridges, taps, engine wiring
    /// and published ports made on the host, the launch plan (from
    /// `launch`, called after them) written, the monitor started, and the
    /// wait for the tether. On failure before the monitor runs, the taps
    /// made are deleted again and the wiring and ports undone (no monitor
    /// runs to clean up after this start).
    fn bring_up(
        &self,
        def: &Definition,
        dir: &Path,
        host: HostSide,
        launch: impl FnOnce() -> Result<monitor::Launch>,
    ) -> Result<()> {
        let HostSide {
            bridges,
            taps,
            engine,
            published,
        } = host;
        let launched = (|| {
            for record in bridges {
                self.networks.ensure(record)?;
            }
            for (tap, bridge) in taps {
                network::create_tap(tap, bridge)?;
            }
            if let Some((path, ports)) = engine {
                netns::wire(path, ports)?;
            }
            if let Some(p) = &published {
                p.apply()?;
            }
            let mut launch = launch()?;
            launch.published = published.clone();
            monitor::write_launch(dir, &launch)?;
            // The run this start begins; anything older in runtime.json is
            // the previous run's.
            let before = Runtime::load(dir)?.and_then(|r| r.run);
            monitor::spawn(dir)?;
            Ok(before)
        })();
        let before = match launched {
            Ok(before) => before,
            Err(e) => {
                for (tap, _) in taps {
                    network::delete_tap(tap);
                }
                if let Some((path, ports)) = engine {
                    netns::unwire(&netns::wiring(path, ports));
                }
                if let Some(p) = &published {
                    publish::remove(&p.table);
                }
                return Err(e);
            }
        };
        wait_ready(dir, &def.spec.name, before, def.spec.auto_remove)
    }

    /// What `def` publishes, its host ports found free (taken and let go
    /// at once: the monitor takes them for the run), so that one in use
    /// fails the start before anything is made; a port for the host to
    /// choose is chosen here.
    fn published(&self, def: &Definition) -> Result<Option<publish::Published>> {
        let Some(mut published) = publish::Published::of(def, &self.networks)? else {
            return Ok(None);
        };
        let holder = |p: &crate::plumbing::spec::PortMapping| {
            let (defs, _) = self.domains.load_all().ok()?;
            defs.into_iter()
                .find(|d| d.id != def.id && d.spec.ports.iter().any(|o| o.overlaps(p)))
                .map(|d| d.spec.name)
        };
        drop(published.reserve(&holder)?);
        Ok(Some(published))
    }

    /// The disks of a domain's volumes, refusing what QEMU's image locking
    /// would refuse, with the domain that holds it: a volume joined
    /// read-write belongs to one running domain; read-only, it is shared by
    /// any number that only read it.
    fn volume_disks(&self, def: &Definition) -> Result<Vec<Disk>> {
        let mut disks = Vec::new();
        if def.spec.volumes.is_empty() {
            return Ok(disks);
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
        }
        Ok(disks)
    }

    /// The NICs and interfaces of a domain's endpoints, with the bridges to
    /// ensure and the taps to make.
    fn network_devices(&self, def: &Definition) -> Result<NetworkDevices> {
        let mut devices = NetworkDevices::default();
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
                    if !crate::plumbing::paths::is_system_root() {
                        return Err(Error::invalid_state(format!(
                            "network {:?} is a bridge network: starting a domain on it needs root",
                            ep.network
                        ))
                        .with_hint(
                            "run as root, or use a network created without root (socket backing)",
                        ));
                    }
                    let tap = network::tap_name(&def.id, &record.id);
                    devices.taps.push((tap.clone(), bridge.clone()));
                    if !devices.bridges.iter().any(|r| r.id == record.id) {
                        devices.bridges.push(record.clone());
                    }
                    NicBackend::Tap { ifname: tap }
                }
                Backing::Socket { group } => NicBackend::Multicast {
                    group: group.clone(),
                },
            };
            devices.nics.push(Nic {
                mac: mac.clone(),
                backend,
            });
            devices.interfaces.push(interface_of(&record, ip, mac));
        }
        Ok(devices)
    }

    /// The interfaces of a domain's endpoints, as its tether is told them.
    pub(super) fn interfaces_of(&self, def: &Definition) -> Result<Vec<(String, Interface)>> {
        def.spec
            .networks
            .iter()
            .map(|ep| {
                let record = self.networks.load(&ep.network)?;
                let (Some(ip), Some(mac)) = (ep.ip, ep.mac.clone()) else {
                    return Err(Error::invalid_state(format!(
                        "domain {:?} has no address on network {:?}",
                        def.spec.name, ep.network
                    )));
                };
                Ok((ep.network.clone(), interface_of(&record, ip, mac)))
            })
            .collect()
    }
}

/// The guest interface of an endpoint at `ip` with `mac` on a network.
fn interface_of(record: &NetworkRecord, ip: std::net::IpAddr, mac: String) -> Interface {
    Interface {
        mac,
        address: IpPrefix {
            addr: ip,
            prefix: record.spec.subnet.prefix_len(),
        },
        gateway: record.route(),
        dns: record.spec.dns.clone(),
    }
}

/// Wait for the monitor to report the tether ready for the run this start
/// began (not an older one), powering off a domain that never gets there.
/// `removed`: the domain goes as it stops (`--rm`), its logs with it.
fn wait_ready(dir: &Path, name: &str, previous_run: Option<String>, removed: bool) -> Result<()> {
    let started = Instant::now();
    // The monitor writes runtime.json when the tether says ready.
    let watch = super::watch::DirWatch::new(&[dir]);
    loop {
        let rt = Runtime::load(dir)?;
        let this_run = rt
            .as_ref()
            .filter(|r| r.run.is_some() && r.run != previous_run);
        if let Some(rt) = this_run {
            match rt.phase {
                Phase::Running | Phase::Stopping => {
                    debug_timeline(dir, name);
                    return Ok(());
                }
                Phase::Exited => {
                    let e = Error::other(format!(
                        "domain {name:?} stopped while starting: {}",
                        rt.reason
                            .clone()
                            .unwrap_or_else(|| "its process exited".into())
                    ));
                    // A `--rm` domain's files go with it (now, or a
                    // moment from now): they are not named.
                    return Err(if removed {
                        e.with_hint(
                            "it was removed as it stopped (--rm); without --rm its console.log and monitor.log are kept",
                        )
                    } else {
                        e.with_hint(format!(
                            "see {} and {}",
                            dir.join(qemu_files::CONSOLE).display(),
                            dir.join(runtime_files::MONITOR_LOG).display()
                        ))
                    });
                }
                Phase::Starting => {}
            }
        }
        let elapsed = started.elapsed();
        if elapsed > Duration::from_secs(10) && this_run.is_none() {
            return Err(
                Error::other(format!("the monitor of domain {name:?} did not start")).with_hint(
                    format!("see {}", dir.join(runtime_files::MONITOR_LOG).display()),
                ),
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
        watch.wait(Duration::from_millis(50));
    }
}

/// The guest's boot timeline from its console log (empty until the tether
/// has said it, or when the log has none).
pub fn boot_timeline(dir: &Path) -> Vec<crate::plumbing::spec::BootStep> {
    let text = std::fs::read(dir.join(qemu_files::CONSOLE)).unwrap_or_default();
    crate::plumbing::spec::parse_boot_timeline(&String::from_utf8_lossy(&text))
}

/// With `--debug`, say the boot timeline of a domain that just became
/// ready (the console may lag the link by a moment: it is read again for
/// up to half a second).
fn debug_timeline(dir: &Path, name: &str) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let until = Instant::now() + Duration::from_millis(500);
    let steps = loop {
        let steps = boot_timeline(dir);
        if steps.iter().any(|s| s.step == "ready") || Instant::now() > until {
            break steps;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    for s in steps {
        tracing::debug!(
            domain = name,
            step = %s.step,
            at_ms = s.at_ms,
            took_ms = s.took_ms,
            "boot step"
        );
    }
}

/// Power a domain off at once: QMP `quit`, else SIGKILL of QEMU; then, if
/// no monitor is left to record it, record the stop.
pub fn power_off(dir: &Path) -> Result<()> {
    if runtime::state(dir)?.0 == DomainState::Suspended {
        // Off already: what goes is the saved state.
        suspend::discard(dir)?;
        if let Some(mut rt) = Runtime::load(dir)? {
            rt.reason = Some("its saved state was discarded".into());
            rt.save(dir)?;
        }
        return Ok(());
    }
    if super::qmp::Qmp::connect(dir)
        .and_then(super::qmp::Qmp::quit)
        .is_err()
    {
        if let Some(pid) = qemu_pid(dir) {
            if runtime::qemu_alive(dir) {
                // SAFETY: kill(2) on a process whose working directory is
                // this domain's, which only its QEMU has.
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

/// The pid, in this process's pid namespace, of the QEMU running in `dir`.
/// QEMU writes its own pid to its pidfile, which is another process's pid
/// here when QEMU runs in a pid namespace of its own (an OCI shim's): so
/// the pid is taken only if that process's working directory is `dir`
/// (QEMU runs there), and otherwise found by that working directory.
fn qemu_pid(dir: &Path) -> Option<i32> {
    let dir = dir.canonicalize().ok()?;
    let runs_here = |pid: i32| {
        std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir)
            && std::fs::read(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).starts_with("qemu"))
    };
    let written = std::fs::read_to_string(dir.join(qemu_files::PIDFILE))
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok());
    if let Some(pid) = written.filter(|&p| runs_here(p)) {
        return Some(pid);
    }
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .find(|&pid| runs_here(pid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_run_is_known_by_its_identity_not_its_start_second() {
        // A start, a stop and a start again within one second: the runs
        // share `started_at`; the start waits for its own run only.
        let dir = tempfile::tempdir().unwrap();
        let run = |id: &str, phase: Phase| Runtime {
            phase,
            started_at: Some("2026-12-06T10:30:08Z".into()),
            run: Some(id.into()),
            ..Default::default()
        };
        run("new", Phase::Running).save(dir.path()).unwrap();
        wait_ready(dir.path(), "web", Some("old".into()), false).unwrap();
        run("new", Phase::Exited).save(dir.path()).unwrap();
        let e = wait_ready(dir.path(), "web", Some("old".into()), false).unwrap_err();
        assert!(e.to_string().contains("stopped while starting"), "{e}");
        // Its logs are named, unless they go with the domain (`--rm`).
        assert!(e.hint().unwrap().contains("console.log"), "{e:?}");
        let e = wait_ready(dir.path(), "web", Some("old".into()), true).unwrap_err();
        assert!(e.hint().unwrap().contains("without --rm"), "{e:?}");
    }
}
