//! The porcelain: the one clap definition of the CLI (which also generates
//! `--help`, man pages and completions), and one module per noun turning
//! parsed arguments into plumbing calls and rendering the result.

use clap::{Parser, Subcommand};

pub mod domain;
pub mod events;
pub mod exec;
pub mod image;
pub mod login;
pub mod network;
pub mod prelude;
pub mod prune;
pub mod registry;
pub mod run;
pub mod stdio;
pub mod system;
pub mod target;
pub mod volume;

use crate::plumbing::error::Result;
use prelude::{Context, GlobalArgs, Outcome};

/// The Port Layer of vSphere Integrated Containers.
///
/// Low-level container primitives — isolation domains (one VM per
/// container), volumes, networks and execution — on vSphere or, by default,
/// as QEMU microVMs on this host.
#[derive(Debug, Parser)]
#[command(
    name = "vicport",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = crate::plumbing::error::exit_status::help()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage isolation domains (containerVMs)
    #[command(subcommand)]
    Domain(domain::DomainCommand),
    /// Create and start a domain, and attach to it unless detached
    Run(run::RunArgs),
    /// Run a command in a running domain
    ///
    /// Many commands may run in one domain at once. On vSphere, where a
    /// domain's tether is one serial line behind its host, the first
    /// command that needs it starts a relay process on this machine that
    /// holds the line, and the others join it (under the cache directory,
    /// authenticated with the domain's token). The relay exits when the
    /// domain stops, or after VICPORT_RELAY_IDLE (default 60s) without
    /// commands. A session whose relay dies, or whose line another client
    /// machine takes over, ends with an error (exit 125).
    Exec(exec::ExecArgs),
    /// Print a domain's log (same as `domain logs`)
    Logs(domain::LogsArgs),
    /// Print lifecycle events
    ///
    /// The events recorded so far, oldest first, then with --follow new ones
    /// as they happen, until interrupted. With --output json, each event is
    /// one JSON object on its own line (JSON lines): time, object, name,
    /// action, attributes. On the local target: domains, images, volumes
    /// and networks, from the state directory's journal. On a vSphere
    /// target: domains (create, start, die, rename, update, remove), from
    /// vCenter's event history of the target's datacenter, the latest 1000.
    Events(events::EventsArgs),
    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// Manage volumes
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Manage networks
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Log in to and out of image registries
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Manage targets (platforms vicport talks to)
    #[command(subcommand)]
    Target(target::TargetCommand),
    /// Store a target's password in the OS keyring
    Login(login::LoginArgs),
    /// Remove a target's password and end its session
    Logout(login::LogoutArgs),
    /// Information, boot images, shell completions and man pages
    #[command(subcommand)]
    System(system::SystemCommand),
    /// The OCI runtime for container engines (also run as `vicport-runc`)
    ///
    /// The runc command line that podman (through conmon) and containerd
    /// call: each container is a containerVM on the local platform whose
    /// root filesystem stays the bundle's directory, shared into the VM.
    /// Every failure exits 1, as the OCI runtime spec's CLI does.
    Oci(crate::oci::cli::OciArgs),
}

/// Whether a command's own failure exit codes follow the `run`/`exec`
/// convention (125 for vicport's own failures).
pub fn is_process_command(command: &Command) -> bool {
    matches!(command, Command::Run(_) | Command::Exec(_))
}

/// Run a parsed command.
pub async fn dispatch(command: Command, ctx: &mut Context) -> Result<Outcome> {
    match command {
        Command::Domain(c) => domain::exec(c, ctx).await,
        Command::Run(a) => run::exec(a, ctx).await,
        Command::Exec(a) => exec::exec(a, ctx).await,
        Command::Logs(a) => domain::logs::exec(a, ctx).await,
        Command::Events(a) => events::exec(a, ctx).await,
        Command::Image(c) => image::exec(c, ctx).await,
        Command::Volume(c) => volume::exec(c, ctx).await,
        Command::Network(c) => network::exec(c, ctx).await,
        Command::Registry(c) => registry::exec(c, ctx).await,
        Command::Target(c) => target::exec(c, ctx),
        Command::Login(a) => login::login(a, ctx).await,
        Command::Logout(a) => login::logout(a, ctx).await,
        Command::System(c) => system::exec(c, ctx).await,
        Command::Oci(_) => Err(crate::plumbing::error::Error::other(
            "`vicport oci` runs outside the porcelain's dispatch (see the binary's main)",
        )),
    }
}
