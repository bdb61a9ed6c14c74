//! `vicport domain create`: define a domain from an image without starting
//! it; its arguments are shared with `run`.

use clap::Args;

use crate::commands::domain::Changed;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::Platform;
use crate::plumbing::spec::{
    DnsSettings, DomainSpec, ExtraHost, Mount, NetworkEndpoint, PortMapping, SecurityOpt,
    capabilities, command_env, parse_label, parse_security_opt, parse_signal, parse_size,
    parse_tmpfs, parse_ulimit, validate_ports,
};

/// How to create a domain (shared by `domain create` and `run`).
#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The image (NAME[:TAG] or an id prefix)
    pub image: String,

    /// The command and its arguments (default: the image's)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,

    /// The domain's name (default: derived from its id)
    #[arg(long)]
    pub name: Option<String>,

    /// Override the image's entrypoint
    #[arg(long)]
    pub entrypoint: Option<String>,

    /// Set an environment variable (KEY=VALUE, or KEY to copy it from here)
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Read environment variables from a file: KEY=VALUE (or KEY) per line,
    /// `#` comments; repeatable, `--env` wins
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<std::path::PathBuf>,

    /// A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096,
    /// core=unlimited); repeatable
    #[arg(long = "ulimit", value_name = "NAME=SOFT[:HARD]")]
    pub ulimits: Vec<String>,

    /// Give the command a capability beyond those left (with --cap-drop
    /// ALL); repeatable
    #[arg(long = "cap-add", value_name = "CAP")]
    pub cap_add: Vec<String>,

    /// Take a capability from the command (NET_RAW, or ALL); repeatable
    ///
    /// Without --cap-add or --cap-drop the command has the guest's own: a
    /// root process every capability.
    #[arg(long = "cap-drop", value_name = "CAP")]
    pub cap_drop: Vec<String>,

    /// The command's OOM score adjustment in the guest, -1000 to 1000
    /// (its exec's too)
    #[arg(long = "oom-score-adj", value_name = "N", allow_hyphen_values = true,
          value_parser = clap::value_parser!(i32).range(-1000..=1000))]
    pub oom_score_adj: Option<i32>,

    /// A security option: no-new-privileges[:true|false]; seccomp=unconfined,
    /// apparmor=unconfined and label=disable are what a containerVM's
    /// process has anyway; a profile or label is refused; repeatable
    #[arg(long = "security-opt", value_name = "OPT")]
    pub security_opts: Vec<String>,

    /// A kernel parameter the guest sets before the command starts:
    /// NAME=VALUE (net.ipv4.ip_forward=1); repeatable
    #[arg(long = "sysctl", value_name = "NAME=VALUE")]
    pub sysctls: Vec<String>,

    /// An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5,
    /// db:[fd00::5]); repeatable, before the other domains' names
    #[arg(long = "add-host", value_name = "NAME:IP")]
    pub add_hosts: Vec<String>,

    /// A name server for the domain's /etc/resolv.conf, instead of its
    /// networks'; repeatable
    #[arg(long = "dns", value_name = "IP")]
    pub dns: Vec<String>,

    /// A search domain for the domain's /etc/resolv.conf, instead of its
    /// networks'; repeatable
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,

    /// An option for the domain's /etc/resolv.conf (ndots:2); repeatable
    #[arg(long = "dns-option", value_name = "OPTION")]
    pub dns_options: Vec<String>,

    /// Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec);
    /// repeatable
    #[arg(long = "tmpfs", value_name = "PATH[:OPTIONS]")]
    pub tmpfs: Vec<String>,

    /// The size of the domain's /dev/shm (64m, 1g): a tmpfs of its own,
    /// instead of the guest's, mounted nosuid, nodev and noexec as docker's
    #[arg(long = "shm-size", value_name = "SIZE")]
    pub shm_size: Option<String>,

    /// The working directory inside the domain
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,

    /// The user to run as: NAME|UID[:GROUP|GID]
    #[arg(short = 'u', long)]
    pub user: Option<String>,

    /// The domain's hostname
    #[arg(long)]
    pub hostname: Option<String>,

    /// Virtual CPUs
    #[arg(long, default_value_t = DomainSpec::DEFAULT_CPUS)]
    pub cpus: u32,

    /// Memory, e.g. 512MiB or 1G
    #[arg(short = 'm', long, default_value = "256MiB")]
    pub memory: String,

    /// A label (KEY=VALUE); repeatable
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,

    /// Join a volume, NAME:/path[:ro], or share a host path into the domain,
    /// HOST_PATH:/path[:ro] (absolute, or from ./); repeatable
    ///
    /// A host path (a directory or a file, which must exist) is shared
    /// through virtio-fs on the local target, while the domain runs:
    /// what either side writes, the other sees.
    #[arg(short = 'v', long = "volume", value_name = "NAME|HOST_PATH:/PATH[:ro]")]
    pub volumes: Vec<String>,

    /// Mount a volume, a host path or a tmpfs, in docker's long form;
    /// repeatable
    ///
    /// type=volume,source=NAME,target=/PATH; type=bind,source=HOST_PATH,
    /// target=/PATH; type=tmpfs,target=/PATH[,tmpfs-size=64m][,tmpfs-mode=1777];
    /// each with readonly to mount it read-only (src, dst, destination
    /// and ro are taken too).
    #[arg(long = "mount", value_name = "type=…,source=…,target=…")]
    pub long_mounts: Vec<String>,

    /// Join a network: NET[:IP]; repeatable
    #[arg(long = "network", value_name = "NET[:IP]")]
    pub networks: Vec<String>,

    /// Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable
    ///
    /// While the domain runs, connections to HOST_PORT on this host's
    /// addresses (or HOST_IP's alone; 127.0.0.1 included) go to PORT of
    /// the domain's address on its first network, which must be a bridge
    /// network. The host port is held meanwhile: a start finds it free or
    /// fails. Without HOST_PORT (`80`, `127.0.0.1::80`) the host chooses
    /// one at each start; `domain inspect` shows it while the domain runs.
    #[arg(
        short = 'p',
        long = "publish",
        value_name = "[HOST_IP:][HOST_PORT:]PORT[/PROTO]"
    )]
    pub publish: Vec<String>,

    /// Publish every port the image exposes (its EXPOSE, `image inspect`'s
    /// exposed_ports) on a host port chosen at each start, besides
    /// --publish's
    #[arg(short = 'P', long)]
    pub publish_all: bool,

    /// Keep standard input open
    #[arg(short = 'i', long)]
    pub interactive: bool,

    /// Allocate a terminal
    #[arg(short = 't', long)]
    pub tty: bool,

    /// The signal a graceful stop sends (default: the image's, else SIGTERM)
    #[arg(long)]
    pub stop_signal: Option<String>,

    /// Start the domain again when its primary exits on its own: no,
    /// on-failure[:MAX] (a code other than 0, at most MAX times in a row),
    /// always, unless-stopped
    ///
    /// Never after `domain stop`, or `domain kill` with its stop signal or
    /// KILL, until it is started by hand. Waits 100 ms before the first
    /// restart, twice as long before each next one (up to a minute) while
    /// runs last less than 10 s. Local domains only (its monitor restarts
    /// it); nothing restarts domains after this host reboots.
    #[arg(long, value_name = "POLICY", default_value = "no")]
    pub restart: String,

    /// Run the command as PID 1 of a pid namespace of its own in the guest
    ///
    /// As runc does for a container: a signal it has no handler for is
    /// ignored (KILL excepted, so a graceful stop of a shell waits and
    /// kills), it reaps its own orphans, its exit ends every process in
    /// the namespace, and exec sessions join it. Without it the command
    /// is a child of the tether, which is PID 1.
    #[arg(long)]
    pub pid_namespace: bool,

    /// Mount the domain's root filesystem read-only
    ///
    /// Its processes cannot change the image's files; its volumes, host
    /// paths and --tmpfs filesystems keep their own modes (what must be
    /// written goes there: `--tmpfs /tmp`), and /etc/hosts and
    /// /etc/resolv.conf stay its networks' to update.
    #[arg(long)]
    pub read_only: bool,
}

impl CreateArgs {
    /// Check what can be checked without the platform (names, sizes,
    /// labels, mounts, endpoints, signal), so that bad input fails with
    /// exit 2 before any call to the target.
    pub fn check(&self) -> Result<()> {
        if let Some(n) = &self.name {
            crate::plumbing::name::validate("domain", n)?;
        }
        parse_size(&self.memory)?;
        for l in &self.labels {
            parse_label(l)?;
        }
        let mut paths = std::collections::BTreeSet::new();
        let tmpfs = self.tmpfs.iter().map(|t| parse_tmpfs(t).map(|m| m.path));
        let shm = self.shm_size.iter().map(|s| shm(s).map(|m| m.path));
        let tmpfs = tmpfs.chain(shm);
        let mounts = self.mounts()?.into_iter().map(|m| Ok(m.path().to_string()));
        for path in mounts.chain(tmpfs) {
            let path = path?;
            if !paths.insert(path.clone()) {
                return Err(Error::invalid(format!(
                    "two volumes, host paths or tmpfs are mounted at {path}"
                ))
                .with_hint("mount one thing at each path"));
            }
        }
        for n in &self.networks {
            NetworkEndpoint::parse(n)?;
        }
        command_env(&self.env_files, &[], &|_| None)?;
        if let Some(s) = &self.stop_signal {
            parse_signal(s)?;
        }
        let name = match &self.name {
            Some(n) => format!("domain {n:?}"),
            None => "the domain".into(),
        };
        validate_ports(&name, &self.ports()?, self.networks.len())?;
        // What the spec checks of the rest, in a spec of its own.
        let mut probe = DomainSpec::new("probe", "probe");
        probe.hostname = self.hostname.clone();
        probe.cpus = self.cpus;
        self.set_limits_and_guest(&mut probe)?;
        probe.validate()
    }

    /// The volumes and host paths of `--volume`, then `--mount`'s.
    fn mounts(&self) -> Result<Vec<Mount>> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| "/".into());
        let short = self.volumes.iter().map(|v| Mount::parse(v, &cwd));
        let long = self.long_mounts.iter().map(|m| Mount::parse_long(m, &cwd));
        short.chain(long).collect()
    }

    /// `--ulimit`, `--cap-add`, `--cap-drop`, `--oom-score-adj` and
    /// `--security-opt` into the process's limits,
    /// and `--tmpfs`, `--add-host`, `--sysctl` and `--dns…` into the guest's part of
    /// `spec` (the same for the check's probe and the real spec).
    fn set_limits_and_guest(&self, spec: &mut DomainSpec) -> Result<()> {
        let limits = &mut spec.process.limits;
        for u in &self.ulimits {
            let r = parse_ulimit(u)?;
            limits.rlimits.retain(|o| o.name != r.name);
            limits.rlimits.push(r);
        }
        limits.capabilities = capabilities(&self.cap_add, &self.cap_drop)?;
        limits.oom_score_adj = self.oom_score_adj;
        for o in &self.security_opts {
            if let SecurityOpt::NoNewPrivileges(on) = parse_security_opt(o)? {
                limits.no_new_privileges = on;
            }
        }
        for t in &self.tmpfs {
            spec.guest_mounts.push(parse_tmpfs(t)?);
        }
        if let Some(size) = &self.shm_size {
            spec.guest_mounts.push(shm(size)?);
        }
        for h in &self.add_hosts {
            spec.extra_hosts.push(ExtraHost::parse(h)?);
        }
        spec.sysctl = self.sysctl()?;
        spec.dns = DnsSettings::parse(&self.dns, &self.dns_search, &self.dns_options)?;
        Ok(())
    }

    /// `--sysctl`s by name (a later one wins); names and values are checked
    /// with the spec.
    fn sysctl(&self) -> Result<std::collections::BTreeMap<String, String>> {
        self.sysctls
            .iter()
            .map(|s| {
                s.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                    .ok_or_else(|| {
                        Error::invalid(format!("invalid --sysctl {s:?}: no '='"))
                            .with_hint("use NAME=VALUE, e.g. net.ipv4.ip_forward=1")
                    })
            })
            .collect()
    }

    /// The published ports.
    fn ports(&self) -> Result<Vec<PortMapping>> {
        self.publish.iter().map(|p| PortMapping::parse(p)).collect()
    }

    /// Turn the arguments into a validated spec, with the image's defaults
    /// for what the arguments leave open.
    pub async fn spec(&self, platform: &dyn Platform, auto_remove: bool) -> Result<DomainSpec> {
        let memory = parse_size(&self.memory)?;
        let name = match &self.name {
            Some(n) => n.clone(),
            None => generated_name(),
        };
        let image = platform.image_for_domain(&self.image).await?;
        let reference = image
            .tags
            .iter()
            .find(|t| **t == self.image || t.split(':').next() == Some(self.image.as_str()))
            .cloned()
            .unwrap_or_else(|| image.id.clone());
        let mut spec = DomainSpec::new(name, reference);
        let env = command_env(&self.env_files, &self.env, &|k| std::env::var(k).ok())?;
        spec.process = crate::plumbing::spec::ProcessSpec {
            argv: self.command.clone(),
            env,
            cwd: self.workdir.clone(),
            user: self.user.clone(),
            tty: self.tty,
            stdin: self.interactive,
            limits: Default::default(),
        }
        .with_image_defaults(&image.config, self.entrypoint.as_deref());
        self.set_limits_and_guest(&mut spec)?;
        if spec.process.argv.is_empty() {
            return Err(
                Error::invalid(format!("image {} has no default command", self.image))
                    .with_hint("give the command after the image, e.g. `vicport run IMAGE -- sh`"),
            );
        }
        spec.hostname = self.hostname.clone();
        spec.cpus = self.cpus;
        spec.memory_mb = memory.div_ceil(1 << 20);
        for l in &self.labels {
            let (k, v) = parse_label(l)?;
            spec.labels.insert(k, v);
        }
        for m in self.mounts()? {
            match m {
                Mount::Volume(v) => spec.volumes.push(v),
                Mount::Host(h) => spec.shares.push(h),
                Mount::Tmpfs(t) => spec.guest_mounts.push(t),
            }
        }
        for n in &self.networks {
            spec.networks.push(NetworkEndpoint::parse(n)?);
        }
        spec.ports = self.ports()?;
        if self.publish_all {
            for exposed in &image.config.exposed_ports {
                let m = PortMapping::parse(exposed).map_err(|e| {
                    e.context(format!(
                        "image {:?} exposes a port vicport cannot publish",
                        self.image
                    ))
                })?;
                if !spec
                    .ports
                    .iter()
                    .any(|p| p.port == m.port && p.protocol == m.protocol)
                {
                    spec.ports.push(m);
                }
            }
            validate_ports(
                &format!("domain {:?}", spec.name),
                &spec.ports,
                spec.networks.len(),
            )?;
        }
        if let Some(s) = self
            .stop_signal
            .clone()
            .or_else(|| image.config.stop_signal.clone())
        {
            spec.stop_signal = s;
        }
        spec.pid_namespace = self.pid_namespace;
        spec.read_only = self.read_only;
        spec.auto_remove = auto_remove;
        spec.restart = crate::plumbing::spec::Restart::parse(&self.restart)?;
        spec.validate()?;
        Ok(spec)
    }
}

/// `--shm-size SIZE`: the domain's own /dev/shm.
fn shm(size: &str) -> Result<crate::plumbing::spec::GuestMount> {
    let bytes = parse_size(size).ok().filter(|b| *b > 0).ok_or_else(|| {
        Error::invalid(format!("invalid --shm-size {size:?}: not a size above 0"))
            .with_hint("give a size, e.g. --shm-size 64m or --shm-size 1g")
    })?;
    Ok(crate::plumbing::spec::GuestMount::shm(bytes))
}

/// A readable random name, like `d-3f9a1c2b`.
fn generated_name() -> String {
    format!("d-{}", crate::plumbing::spec::random_hex(4))
}

/// Run `domain create`.
pub async fn exec(args: CreateArgs, ctx: &mut Context) -> Result<Outcome> {
    args.check()?;
    let domains = ctx.domains().await?;
    let spec = args.spec(domains.platform(), false).await?;
    let info = domains.create(spec, None).await?;
    let (changed, id, line) = Changed::of(&info);
    ctx.out.action(&changed, &id, &line)?;
    Ok(Outcome::Done)
}
