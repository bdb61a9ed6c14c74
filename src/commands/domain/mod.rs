//! `vicport domain …`: isolation domains, one file per subcommand; the
//! policy behind each is the domain layer's (`plumbing::domain`).

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::error::Result;
use crate::plumbing::spec::{DomainInfo, DomainState};

pub mod attach;
pub mod cp;
pub mod create;
pub mod inspect;
pub mod kill;
pub mod label;
pub mod logs;
pub mod ls;
pub mod port;
pub mod rename;
pub mod rm;
pub mod rootfs;
pub mod stats;
pub mod stop;
pub mod top;
pub mod update;
pub mod wait;

pub use attach::attach_primary;
pub use create::CreateArgs;
pub use logs::LogsArgs;

/// Domain subcommands.
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Define a domain from an image without starting it
    Create(CreateArgs),
    /// Start domains; a suspended one resumes where it was
    Start(NamesArgs),
    /// Stop domains gracefully: the stop signal, a grace period, then power
    /// off (a suspended domain's saved state is discarded)
    Stop(stop::StopArgs),
    /// Stop domains as `domain stop` does, then start them again
    ///
    /// A new boot on the same root disk: what the domain's processes wrote
    /// there, and its volumes, stay; --tmpfs mounts and its processes do
    /// not. A stopped domain just starts; a suspended one's saved state is
    /// discarded. A running domain made with --rm is refused (exit 6): its
    /// stop would remove it.
    Restart(stop::StopArgs),
    /// Suspend running domains: save their memory and devices, power off
    ///
    /// The host gets the domain's memory back (its QEMU ends); the state is
    /// kept in the domain's directory (locally) or by vSphere. `domain
    /// start` resumes it where it was: its processes, their memory, its
    /// network addresses; the guest's clock is set again as it resumes.
    /// `domain stop` discards the saved state. Exec and attach sessions
    /// end. While suspended, only its name and labels change. Locally,
    /// host directories (virtio-fs) are saved with it, files the guest
    /// held open among them; a file the host removed meanwhile fails in
    /// the guest alone. A domain in an engine's network namespace, one
    /// with NICs added while it ran, or one whose virtiofsd cannot save
    /// its state cannot be suspended (not supported, exit 1).
    Suspend(NamesArgs),
    /// Pause running domains: their virtual CPUs stop, their memory stays
    ///
    /// The guest is not told and keeps everything; the host keeps its
    /// memory (see `domain suspend` to give it back). A paused domain
    /// takes no exec, attach, signal or network change (exit 6) until
    /// `domain unpause`; `domain stop` unpauses it first, `domain kill -s
    /// KILL` powers it off. A paused domain is left as it is. Local
    /// domains only (on vSphere, not supported: see `domain suspend`).
    Pause(NamesArgs),
    /// Let paused domains run again (a running one is left as it is)
    Unpause(NamesArgs),
    /// Send a signal to domains' primary processes, or with --all to all
    /// their processes (KILL powers them off)
    Kill(kill::KillArgs),
    /// Remove domains
    #[command(visible_alias = "remove")]
    Rm(rm::RmArgs),
    /// Remove every domain that is not running (created, stopped or broken)
    ///
    /// Asks first; --yes when standard input is not a terminal. A domain
    /// started meanwhile stays.
    Prune(crate::commands::prune::PruneFilter),
    /// Show everything about domains
    Inspect(NamesArgs),
    /// List domains
    #[command(visible_alias = "list")]
    Ls(ls::LsArgs),
    /// Wait until domains stop; print their exit codes
    ///
    /// A suspended domain has not stopped (its processes go on when it
    /// resumes): the wait goes on through a suspend.
    Wait(wait::WaitArgs),
    /// Print a domain's log
    Logs(LogsArgs),
    /// Attach to a running domain's primary process
    Attach(attach::AttachArgs),
    /// Rename a domain
    Rename(rename::RenameArgs),
    /// Add, change or remove a domain's labels
    Label(label::LabelArgs),
    /// Change a domain's memory or vCPUs
    ///
    /// A stopped domain boots with the new sizes from its next start. A
    /// running domain's memory changes at once (locally through its
    /// balloon: the guest gives memory back to the host, or takes it
    /// again), at most what it booted with and for as long as it runs;
    /// its vCPUs are fixed while it runs.
    Update(update::UpdateArgs),
    /// Show what domains use: CPU, memory, network, disks, processes
    ///
    /// Every second (on a terminal; once with --no-stream, and by default
    /// when stdout is not a terminal): CPU use since the previous sample
    /// (100% is one CPU busy), memory in use and the guest's memory,
    /// network and disk bytes since the guest booted, and the container's
    /// processes, from the domain's tether; and HOST MEM, the memory the
    /// host spends on the domain (locally its QEMU's and its monitor's
    /// resident memory; on vSphere the VM's host memory). On vSphere the
    /// VM's quickStats and real-time performance counters are shown as
    /// well (`platform` in JSON), and stand in when the tether does not
    /// answer. A domain that is not running shows its state and zeros.
    /// With --output json, each domain's sample is one JSON object on its
    /// own line (JSON lines).
    Stats(stats::StatsArgs),
    /// Show the processes running in a domain
    Top(top::TopArgs),
    /// Show a domain's published ports: its port, and where the host
    /// publishes it
    ///
    /// While the domain runs, the host ports its start chose; otherwise as
    /// defined (`*`: a host port chosen at each start). With PORT, only
    /// that port (not published: exit 3).
    Port(port::PortArgs),
    /// Copy files between the host and a domain
    ///
    /// One side is DOMAIN:PATH, the other a host path, or - for a tar
    /// stream on standard input (extracted into the domain's directory
    /// PATH) or standard output (the archive of the domain's PATH).
    /// Paths in the domain start at its / (the leading slash is optional);
    /// symbolic links in them are followed inside the domain, never out of
    /// it. As with `docker cp`: copying onto an existing directory puts
    /// the item inside it; onto a file, replaces it; onto a path that does
    /// not exist, creates it (its directory must exist); SRC/. copies a
    /// directory's contents. Modes, times and links are kept, and owners
    /// too where vicport, or the tether, runs as root. A stopped local
    /// domain's disk is booted on its own for the copy (seconds; the
    /// domain stays stopped): its volumes, host paths and --tmpfs are not
    /// there then. On vSphere the domain must be running.
    Cp(cp::CpArgs),
    /// Write a domain's root filesystem as a tar stream
    ///
    /// What the domain's root disk holds now — its image and what its
    /// processes changed — without its volumes, host directories, --tmpfs
    /// or anything else mounted in it (a mount point is there as the disk
    /// has it). To standard output when it is not a terminal, or to
    /// --file. As `docker export`. A running domain's guest reads its
    /// disk; a stopped local domain's disk is booted read-only in a VM of
    /// its own for the read (seconds; the domain stays stopped, and a
    /// start waits meanwhile). On vSphere the domain must be running.
    Export(rootfs::ExportArgs),
    /// List what a domain changed in its root filesystem since it was made
    /// from its image
    ///
    /// As `docker diff`: A added, C changed, D deleted; a changed path's
    /// directories are changed too, and a deleted directory is listed
    /// once. Volumes, host directories and other mounts are not compared;
    /// nor are the runtime's own paths (/proc, /sys, /dev, /etc/hosts,
    /// /etc/hostname, /etc/resolv.conf, lost+found). A directory whose
    /// time alone moved is not changed. The image's layers must be in this
    /// machine's blob cache (an image imported or pulled here). A stopped
    /// domain is read as `domain export` reads it.
    Diff(rootfs::DiffArgs),
    /// Make a new image of a domain's root filesystem
    ///
    /// The new image is the domain's image with one layer more, holding
    /// what `domain diff` lists (what was added or changed, and a whiteout
    /// for each deletion); its settings (command, environment, user,
    /// working directory) are the image's, changed by each --change.
    /// Volumes and other mounts are
    /// not in it. A running domain keeps running: a file written meanwhile
    /// may be caught half-written (stop it first, and a stopped local
    /// domain is read as `domain export` reads it). Pushed, saved or run
    /// like any image.
    Commit(rootfs::CommitArgs),
}

/// One or more domains by name, id or id prefix.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Domains (name, id or unique id prefix)
    #[arg(required = true, value_name = "DOMAIN")]
    pub domains: Vec<String>,
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

/// What `start`, `suspend`, `pause` and `unpause` do to each domain.
#[derive(Debug, Clone, Copy)]
enum Power {
    /// Power on (a running domain is left as it is; a suspended one resumes).
    Start,
    Suspend,
    Pause,
    Unpause,
}

/// Apply `power` to each of `domains` in turn; the changed domains.
async fn each(ctx: &mut Context, domains: &[String], power: Power) -> Result<Outcome> {
    let mut done = Vec::new();
    for name in domains {
        let d = ctx.domains().await?;
        let info = match power {
            Power::Start => d.start(name).await,
            Power::Suspend => d.suspend(name).await,
            Power::Pause => d.pause(name).await,
            Power::Unpause => d.resume(name).await,
        }?;
        done.push(Changed::of(&info));
    }
    ctx.out.actions(&done)?;
    Ok(Outcome::Done)
}

/// Run a domain subcommand.
pub async fn exec(command: DomainCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        DomainCommand::Create(args) => create::exec(args, ctx).await,
        DomainCommand::Start(args) => each(ctx, &args.domains, Power::Start).await,
        DomainCommand::Suspend(args) => each(ctx, &args.domains, Power::Suspend).await,
        DomainCommand::Pause(args) => each(ctx, &args.domains, Power::Pause).await,
        DomainCommand::Unpause(args) => each(ctx, &args.domains, Power::Unpause).await,
        DomainCommand::Stop(args) => stop::exec(args, ctx, false).await,
        DomainCommand::Restart(args) => stop::exec(args, ctx, true).await,
        DomainCommand::Kill(args) => kill::exec(args, ctx).await,
        DomainCommand::Update(args) => update::exec(args, ctx).await,
        DomainCommand::Prune(filter) => {
            let scope = crate::commands::prune::Scope {
                domains: true,
                ..Default::default()
            };
            crate::commands::prune::run(ctx, scope, &filter).await?;
            Ok(Outcome::Done)
        }
        DomainCommand::Rm(args) => rm::exec(args, ctx).await,
        DomainCommand::Inspect(args) => inspect::exec(args, ctx).await,
        DomainCommand::Ls(args) => ls::exec(args, ctx).await,
        DomainCommand::Wait(args) => wait::exec(args, ctx).await,
        DomainCommand::Logs(args) => logs::exec(args, ctx).await,
        DomainCommand::Attach(args) => attach::exec(args, ctx).await,
        DomainCommand::Rename(args) => rename::exec(args, ctx).await,
        DomainCommand::Label(args) => label::exec(args, ctx).await,
        DomainCommand::Stats(args) => stats::exec(args, ctx).await,
        DomainCommand::Top(args) => top::exec(args, ctx).await,
        DomainCommand::Port(args) => port::exec(args, ctx).await,
        DomainCommand::Cp(args) => cp::exec(args, ctx).await,
        DomainCommand::Export(args) => rootfs::export(args, ctx).await,
        DomainCommand::Diff(args) => rootfs::diff(args, ctx).await,
        DomainCommand::Commit(args) => rootfs::commit(args, ctx).await,
    }
}
