//! `vicport domain …`: create, start, stop, kill, rm, inspect, ls, wait,
//! logs, attach, rename and label isolation domains.

use std::io::Write;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::exec::session_error;
use crate::commands::prelude::{Context, Outcome, OutputFormat, Row, parse_duration};
use crate::commands::stdio::{Streams, pump, terminal_size};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::Stream;
use crate::plumbing::platform::{LogOptions, Platform};
use crate::plumbing::retry::retry_conflicts;
use crate::plumbing::spec::{
    DomainFilter, DomainInfo, DomainSpec, DomainState, DomainSummary, NetworkEndpoint, PowerChange,
    VolumeMount, parse_label, parse_signal, parse_size,
};

/// Domain subcommands.
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Define a domain from an image without starting it
    Create(CreateArgs),
    /// Start domains
    Start(NamesArgs),
    /// Stop domains gracefully: the stop signal, a grace period, then power off
    Stop(StopArgs),
    /// Send a signal to domains' primary processes (KILL powers them off)
    Kill(KillArgs),
    /// Remove domains
    #[command(visible_alias = "remove")]
    Rm(RmArgs),
    /// Show everything about domains
    Inspect(NamesArgs),
    /// List domains
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Wait until domains stop; print their exit codes
    Wait(WaitArgs),
    /// Print a domain's log
    Logs(LogsArgs),
    /// Attach to a running domain's primary process
    Attach(AttachArgs),
    /// Rename a domain
    Rename(RenameArgs),
    /// Add, change or remove a domain's labels
    Label(LabelArgs),
}

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

    /// Join a volume: NAME:/path[:ro]; repeatable
    #[arg(short = 'v', long = "volume", value_name = "NAME:/PATH[:ro]")]
    pub volumes: Vec<String>,

    /// Join a network: NET[:IP]; repeatable
    #[arg(long = "network", value_name = "NET[:IP]")]
    pub networks: Vec<String>,

    /// Keep standard input open
    #[arg(short = 'i', long)]
    pub interactive: bool,

    /// Allocate a terminal
    #[arg(short = 't', long)]
    pub tty: bool,

    /// The signal a graceful stop sends (default: the image's, else SIGTERM)
    #[arg(long)]
    pub stop_signal: Option<String>,
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
        for v in &self.volumes {
            VolumeMount::parse(v)?;
        }
        for n in &self.networks {
            NetworkEndpoint::parse(n)?;
        }
        if let Some(s) = &self.stop_signal {
            parse_signal(s)?;
        }
        let mut probe = DomainSpec::new("probe", "probe");
        probe.hostname = self.hostname.clone();
        probe.cpus = self.cpus;
        probe.validate()
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
        let env: Vec<String> = self
            .env
            .iter()
            .map(|e| {
                if e.contains('=') {
                    e.clone()
                } else {
                    format!("{e}={}", std::env::var(e).unwrap_or_default())
                }
            })
            .collect();
        spec.process = crate::plumbing::spec::ProcessSpec {
            argv: self.command.clone(),
            env,
            cwd: self.workdir.clone(),
            user: self.user.clone(),
            tty: self.tty,
            stdin: self.interactive,
        }
        .with_image_defaults(&image.config, self.entrypoint.as_deref());
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
        for v in &self.volumes {
            spec.volumes.push(VolumeMount::parse(v)?);
        }
        for n in &self.networks {
            spec.networks.push(NetworkEndpoint::parse(n)?);
        }
        if let Some(s) = self
            .stop_signal
            .clone()
            .or_else(|| image.config.stop_signal.clone())
        {
            spec.stop_signal = s;
        }
        spec.auto_remove = auto_remove;
        spec.validate()?;
        Ok(spec)
    }
}

/// A readable random name, like `d-3f9a1c2b`.
fn generated_name() -> String {
    format!("d-{}", crate::plumbing::spec::random_hex(4))
}

/// One or more domains by name, id or id prefix.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Domains (name, id or unique id prefix)
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
}

/// `domain stop`.
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Seconds to wait for the primary process to exit before powering off
    #[arg(short = 't', long = "time", default_value = "10", value_parser = parse_duration)]
    pub time: Duration,
}

/// `domain kill`.
#[derive(Debug, Args)]
pub struct KillArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// The signal to send (name or number)
    #[arg(short = 's', long, default_value = "KILL")]
    pub signal: String,
}

/// `domain rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Remove running domains too (they are powered off first)
    #[arg(short = 'f', long)]
    pub force: bool,
}

/// `domain ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable
    #[arg(short = 'f', long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
}

impl LsArgs {
    fn filter(&self) -> Result<DomainFilter> {
        let mut f = DomainFilter::default();
        for text in &self.filters {
            let bad = || {
                Error::invalid(format!("invalid filter {text:?}"))
                    .with_hint("use name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE")
            };
            let (key, value) = text.split_once('=').ok_or_else(bad)?;
            match key {
                "name" => f.name = Some(value.to_string()),
                "state" => f.state = Some(DomainState::parse(value)?),
                "label" => match value.split_once('=') {
                    Some((k, v)) => f.labels.push((k.to_string(), Some(v.to_string()))),
                    None => f.labels.push((value.to_string(), None)),
                },
                _ => return Err(bad()),
            }
        }
        Ok(f)
    }
}

/// `domain wait`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Domains
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Give up after this long (default: wait for ever)
    #[arg(long = "wait-timeout", value_parser = parse_duration, value_name = "DURATION")]
    pub wait_timeout: Option<Duration>,
}

/// `domain logs` / `logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The domain
    pub domain: String,
    /// Keep printing new output until the domain stops
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Only the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<usize>,
    /// Prefix each line with its timestamp
    #[arg(long)]
    pub timestamps: bool,
}

/// `domain attach`.
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The domain
    pub domain: String,
    /// Do not forward standard input
    #[arg(long)]
    pub no_stdin: bool,
}

/// `domain rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The domain
    pub domain: String,
    /// Its new name
    pub new_name: String,
}

/// `domain label`.
#[derive(Debug, Args)]
pub struct LabelArgs {
    /// The domain
    pub domain: String,
    /// Labels to add or change (KEY=VALUE)
    #[arg(value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Labels to remove (KEY); repeatable
    #[arg(long = "rm", value_name = "KEY")]
    pub remove: Vec<String>,
}

impl Row for DomainSummary {
    fn headers() -> Vec<&'static str> {
        vec!["ID", "NAME", "IMAGE", "STATE", "CREATED"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.short().to_string(),
            self.name.clone(),
            self.image.clone(),
            self.state.to_string(),
            self.created.clone(),
        ]
    }
    fn id(&self) -> String {
        self.id.to_string()
    }
}

/// What an action on a domain prints in JSON.
#[derive(Debug, Serialize)]
struct Changed {
    id: String,
    name: String,
    state: Option<DomainState>,
}

impl Changed {
    fn of(d: &DomainInfo) -> (Changed, String, String) {
        let c = Changed {
            id: d.id.to_string(),
            name: d.name.clone(),
            state: Some(d.state),
        };
        let line = d.name.clone();
        (c, d.id.to_string(), line)
    }
}

/// Run a domain subcommand.
pub async fn exec(command: DomainCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        DomainCommand::Create(args) => create(args, ctx).await,
        DomainCommand::Start(args) => {
            let mut done = Vec::new();
            for d in &args.domains {
                done.push(Changed::of(&start(ctx.platform().await?, d).await?));
            }
            ctx.out.actions(&done)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Stop(args) => {
            let mut done = Vec::new();
            for d in &args.domains {
                let info = ctx.platform().await?.stop_domain(d, args.time).await?;
                done.push(Changed::of(&info));
            }
            ctx.out.actions(&done)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Kill(args) => {
            let signal = parse_signal(&args.signal)?;
            let mut done = Vec::new();
            for d in &args.domains {
                let platform = ctx.platform().await?;
                platform.kill_domain(d, signal).await?;
                done.push(Changed::of(&platform.inspect_domain(d).await?));
            }
            ctx.out.actions(&done)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Rm(args) => {
            let mut done = Vec::new();
            for d in &args.domains {
                let platform = ctx.platform().await?;
                let info = platform.inspect_domain(d).await?;
                platform.remove_domain(d, args.force).await?;
                let (mut c, id, line) = Changed::of(&info);
                c.state = None;
                done.push((c, id, line));
            }
            ctx.out.actions(&done)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Inspect(args) => {
            let mut found = Vec::new();
            for d in &args.domains {
                let info = ctx.platform().await?.inspect_domain(d).await?;
                let id = info.id.to_string();
                found.push((info, id));
            }
            ctx.out.objects(&found)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Ls(args) => {
            let filter = args.filter()?;
            let rows = ctx.platform().await?.list_domains(&filter).await?;
            ctx.out.list(&rows)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Wait(args) => wait(args, ctx).await,
        DomainCommand::Logs(args) => logs(args, ctx).await,
        DomainCommand::Attach(args) => attach(args, ctx).await,
        DomainCommand::Rename(args) => {
            crate::plumbing::name::validate("domain", &args.new_name)?;
            let platform = ctx.platform().await?;
            let info = retry_conflicts(|| async {
                let mut handle = platform.get_handle(&args.domain).await?;
                handle.spec.name = args.new_name.clone();
                platform.commit(handle).await
            })
            .await?;
            let (changed, id, line) = Changed::of(&info);
            ctx.out.action(&changed, &id, &line)?;
            Ok(Outcome::Done)
        }
        DomainCommand::Label(args) => {
            let mut set = Vec::new();
            for l in &args.set {
                set.push(parse_label(l)?);
            }
            if set.is_empty() && args.remove.is_empty() {
                return Err(Error::invalid("nothing to change")
                    .with_hint("give KEY=VALUE labels to set, or --rm KEY to remove"));
            }
            let platform = ctx.platform().await?;
            let info = retry_conflicts(|| async {
                let mut handle = platform.get_handle(&args.domain).await?;
                for (k, v) in &set {
                    handle.spec.labels.insert(k.clone(), v.clone());
                }
                for k in &args.remove {
                    handle.spec.labels.remove(k);
                }
                platform.commit(handle).await
            })
            .await?;
            let (changed, id, line) = Changed::of(&info);
            ctx.out.action(&changed, &id, &line)?;
            Ok(Outcome::Done)
        }
    }
}

async fn create(args: CreateArgs, ctx: &mut Context) -> Result<Outcome> {
    args.check()?;
    let platform = ctx.platform().await?;
    let spec = args.spec(platform, false).await?;
    let handle = platform.new_handle(spec).await?;
    let info = platform.commit(handle).await?;
    let (changed, id, line) = Changed::of(&info);
    ctx.out.action(&changed, &id, &line)?;
    Ok(Outcome::Done)
}

/// Start a domain (a no-op when it already runs).
pub async fn start(platform: &dyn Platform, domain: &str) -> Result<DomainInfo> {
    retry_conflicts(|| async {
        let mut handle = platform.get_handle(domain).await?;
        handle.set_power(PowerChange::On);
        platform.commit(handle).await
    })
    .await
}

async fn wait(args: WaitArgs, ctx: &mut Context) -> Result<Outcome> {
    #[derive(Serialize)]
    struct Waited {
        id: String,
        name: String,
        state: DomainState,
        exit_code: Option<i32>,
    }
    let mut done = Vec::new();
    for d in &args.domains {
        let info = ctx
            .platform()
            .await?
            .wait_domain(d, args.wait_timeout)
            .await?;
        let code = info
            .exit_code
            .map_or_else(|| "-".to_string(), |c| c.to_string());
        done.push((
            Waited {
                id: info.id.to_string(),
                name: info.name.clone(),
                state: info.state,
                exit_code: info.exit_code,
            },
            info.id.to_string(),
            code,
        ));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}

/// Print a domain's log: stdout lines on stdout, stderr lines on stderr,
/// or JSON lines with `--output json`.
pub async fn logs(args: LogsArgs, ctx: &mut Context) -> Result<Outcome> {
    let options = LogOptions {
        tail: args.tail,
        follow: args.follow,
    };
    let (platform, out) = ctx.parts().await?;
    let json = out.format == OutputFormat::Json;
    let stdout = out.raw();
    let mut stderr = std::io::stderr();
    platform
        .logs(&args.domain, &options, &mut |line| {
            let written = if json {
                serde_json::to_writer(&mut *stdout, &line)
                    .map_err(std::io::Error::from)
                    .and_then(|()| stdout.write_all(b"\n"))
            } else {
                let w: &mut dyn Write = match line.stream {
                    Stream::Stdout => &mut *stdout,
                    Stream::Stderr => &mut stderr,
                };
                let prefix = if args.timestamps {
                    format!("{} ", line.time)
                } else {
                    String::new()
                };
                let end = if line.partial { "" } else { "\n" };
                write!(w, "{prefix}{}{end}", line.text).and_then(|()| w.flush())
            };
            written.map_err(|e| Error::io("writing the log", e))?;
            Ok(true)
        })
        .await?;
    Ok(Outcome::Done)
}

async fn attach(args: AttachArgs, ctx: &mut Context) -> Result<Outcome> {
    let platform = ctx.platform().await?;
    let info = platform.inspect_domain(&args.domain).await?;
    info.require_up()?;
    let client = platform.link(&args.domain).await?;
    let code = attach_primary(&client, &info, !args.no_stdin && info.process.stdin)?;
    Ok(Outcome::Exit(code))
}

/// Attach our standard streams to a domain's primary process until it
/// exits; returns its exit code.
pub fn attach_primary(
    client: &tether_protocol::client::Client,
    info: &DomainInfo,
    stdin: bool,
) -> Result<u8> {
    let tty = info.process.tty;
    let (rows, cols) = if tty {
        terminal_size(0)
            .or_else(|| terminal_size(1))
            .unwrap_or((24, 80))
    } else {
        (0, 0)
    };
    tokio::task::block_in_place(|| {
        let session = client
            .attach(tether_protocol::message::AttachRequest {
                stdin,
                rows,
                cols,
                window: tether_protocol::DEFAULT_WINDOW,
            })
            .map_err(session_error)?;
        pump(&session, Streams { stdin, tty })
    })
}
