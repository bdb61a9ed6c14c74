//! `vicport system …`: facts about the target, and the files generated from
//! the one CLI definition (shell completions, man pages).

use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Subcommand, ValueEnum};
use clap_complete::{Generator, Shell};

use crate::commands::Cli;
use crate::commands::prelude::{Context, Outcome};
use crate::plumbing::bootstrap::Flavour;
use crate::plumbing::bootstrap::current::{self as boot, BootstrapOptions};
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::local::monitor;

/// System subcommands.
#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Show the target's platform, version and placement
    Info,
    /// Print the shell completion script for SHELL
    Completions(CompletionsArgs),
    /// Write the man pages (vicport.1 and one per subcommand) into DIR
    Man(ManArgs),
    /// Build the boot image (kernel, modules, tether) that domains boot
    Bootstrap(BootstrapArgs),
    /// Remove what nothing uses: domains that are not running, networks
    /// no domain joins, dangling images (--all: every unused image),
    /// volumes too with --volumes; then the blob cache's leftovers
    ///
    /// One confirmation for all of it, counting what goes; --yes when
    /// standard input is not a terminal. The domains go first, so what
    /// only they used goes in the same run. Anything a command running
    /// meanwhile starts to use stays.
    Prune(PruneArgs),
    /// Run a domain's monitor (started by `domain start`; not for direct use)
    #[command(hide = true)]
    Monitor(MonitorArgs),
    /// Run a vSphere domain's link relay (started by the first command
    /// that needs the link; not for direct use)
    #[command(hide = true)]
    Relay(RelayArgs),
}

/// `system relay`.
#[derive(Debug, Args)]
pub struct RelayArgs {
    /// The relay's directory (under the cache)
    pub dir: PathBuf,
}

/// `system prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Every image no domain uses, not only dangling ones
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Volumes no domain uses too, with their data
    #[arg(long)]
    pub volumes: bool,
    #[command(flatten)]
    pub filter: crate::commands::prune::PruneFilter,
}

/// `system bootstrap`.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// The statically linked tether (default: VICPORT_TETHER, else next to vicport)
    #[arg(long, value_name = "PATH")]
    pub tether: Option<PathBuf>,
    /// The guest kernel: Debian's cloud kernel, or a microVM kernel compiled
    /// here from Debian's linux-source-6.1 (local domains only; minutes to
    /// build once, then cached)
    #[arg(long, value_enum, default_value_t = KernelArg::Cloud)]
    pub kernel: KernelArg,
    /// Use this package instead of apt's: linux-image-cloud-amd64 (cloud),
    /// linux-source-6.1 (microvm)
    #[arg(long, value_name = "DEB")]
    pub kernel_deb: Option<PathBuf>,
    /// Use this busybox-static package instead of apt's
    #[arg(long, value_name = "DEB")]
    pub busybox_deb: Option<PathBuf>,
    /// Do not build the vSphere boot ISO
    #[arg(long)]
    pub no_iso: bool,
}

/// `system bootstrap --kernel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KernelArg {
    /// Debian's cloud kernel and its modules (local and vSphere)
    Cloud,
    /// vicport's microVM kernel, everything built in (local only, no ISO)
    Microvm,
}

impl From<KernelArg> for Flavour {
    fn from(arg: KernelArg) -> Flavour {
        match arg {
            KernelArg::Cloud => Flavour::Cloud,
            KernelArg::Microvm => Flavour::Microvm,
        }
    }
}

/// `system monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The domain's directory
    pub dir: PathBuf,
}

/// `system completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `system man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The directory to write the pages into
    pub dir: PathBuf,
}

/// Run a system subcommand.
pub async fn exec(command: SystemCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        SystemCommand::Prune(args) => {
            use crate::commands::prune::{self, Images, Scope};
            let scope = Scope {
                domains: true,
                networks: true,
                volumes: args.volumes,
                images: Some(if args.all {
                    Images::Unused
                } else {
                    Images::Dangling
                }),
            };
            prune::run(ctx, scope, &args.filter).await?;
        }
        SystemCommand::Info => {
            let info = ctx.platform().await?.info().await?;
            let id = info.target.clone();
            ctx.out.object(&info, &id)?;
        }
        SystemCommand::Completions(args) => {
            let script = completion(args.shell);
            let w = ctx.out.raw();
            w.write_all(&script)
                .and_then(|()| w.flush())
                .map_err(|e| Error::io("writing to standard output", e))?;
        }
        SystemCommand::Bootstrap(args) => {
            let options = BootstrapOptions {
                tether: args.tether,
                kernel: args.kernel.into(),
                kernel_deb: args.kernel_deb,
                busybox_deb: args.busybox_deb,
                no_iso: args.no_iso,
            };
            let progress = ctx.progress();
            let cache = ctx.dirs.cache.clone();
            let (image, _) = tokio::task::block_in_place(|| {
                boot::bootstrap(&cache, &options, progress.as_ref())
            })?;
            drop(progress);
            let view = serde_json::json!({
                "dir": image.dir,
                "kernel": image.kernel,
                "initramfs": image.initramfs,
                "iso": image.iso,
                "flavour": image.manifest.kernel.flavour,
                "kernel_version": image.manifest.kernel.version,
                "modules": image.manifest.modules.len(),
                "cached": image.cached,
            });
            let line = format!(
                "boot image {} ({} kernel {}{})",
                image.dir.display(),
                image.manifest.kernel.flavour.as_str(),
                image.manifest.kernel.version,
                if image.cached { ", cached" } else { "" }
            );
            ctx.out
                .action(&view, &image.dir.display().to_string(), &line)?;
        }
        SystemCommand::Monitor(args) => {
            // Normally run before the runtime starts (see the binary); here
            // for completeness when dispatched from a library caller.
            let ending = tokio::task::block_in_place(|| monitor::run(&args.dir))?;
            if let monitor::Ending::Restart(after) = ending {
                // Its own runtime, on a thread outside this one's.
                let dir = args.dir.clone();
                std::thread::spawn(move || monitor::restart(&dir, after))
                    .join()
                    .map_err(|_| Error::other("the restart's thread panicked"))??;
            }
        }
        SystemCommand::Relay(args) => {
            tokio::task::block_in_place(|| crate::plumbing::vsphere::relay::run(&args.dir))?;
        }
        SystemCommand::Man(args) => {
            let pages = man_pages()?;
            crate::plumbing::file::create_private_dir(&args.dir)?;
            for (name, roff) in &pages {
                let path = args.dir.join(name);
                std::fs::write(&path, roff).io_context(|| format!("writing {}", path.display()))?;
            }
            let names: Vec<_> = pages.iter().map(|(n, _)| n.clone()).collect();
            ctx.out.action(
                &serde_json::json!({"dir": args.dir, "pages": names}),
                &args.dir.display().to_string(),
                &format!("wrote {} man pages to {}", pages.len(), args.dir.display()),
            )?;
        }
    }
    Ok(Outcome::Done)
}

/// The completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "vicport", &mut buf);
    buf
}

/// The shells completions are generated and committed for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

/// The completion file name for `shell` under `completions/`.
pub fn completion_file(shell: Shell) -> String {
    shell.file_name("vicport")
}

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBVICPORT_TARGET\fR, \fBVICPORT_OUTPUT\fR, \fBVICPORT_STATE_DIR\fR, \fBVICPORT_TIMEOUT\fR
Defaults for \fB\-\-target\fR, \fB\-\-output\fR, \fB\-\-state\-dir\fR and \fB\-\-timeout\fR.
.TP
\fBVICPORT_PASSWORD\fR
The target's password, for CI; otherwise it comes from the OS keyring (see \fBvicport\-login\fR(1)).
.TP
\fBVICPORT_KEYRING\fR
\fBkeyutils\fR or \fBsecret\-service\fR: which keyring holds passwords (default: the Secret Service when a D\-Bus session is advertised, else the kernel's keyutils store).
.TP
\fBVICPORT_CONFIG\fR, \fBVICPORT_CACHE_DIR\fR, \fBXDG_CONFIG_HOME\fR, \fBXDG_DATA_HOME\fR, \fBXDG_CACHE_HOME\fR
Where the config file, the state and the cache live.
.TP
\fBNO_COLOR\fR
When set, no colors.
.SH FILES
.TP
\fI$XDG_CONFIG_HOME/vicport/config.toml\fR
The targets (mode 0600; never holds a secret).
.TP
\fI/var/lib/vicport\fR (root) or \fI$XDG_DATA_HOME/vicport\fR
The local platform's state: domains, images, volumes, networks.
.TP
\fI$XDG_CACHE_HOME/vicport\fR
vSphere sessions (mode 0600), downloaded packages and boot images.
"#;

/// Every man page as (file name, roff): `vicport.1` with the exit status,
/// environment and files sections, and one page per subcommand.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let man = clap_mangen::Man::new(sub.clone());
            let mut buf = Vec::new();
            man.render(&mut buf)?;
            pages.push((man.get_filename(), buf));
            walk(sub, pages)?;
        }
        Ok(())
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let render = || -> std::io::Result<Vec<(String, Vec<u8>)>> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut top = Vec::new();
        man.render_title(&mut top)?;
        man.render_name_section(&mut top)?;
        man.render_synopsis_section(&mut top)?;
        man.render_description_section(&mut top)?;
        man.render_options_section(&mut top)?;
        man.render_subcommands_section(&mut top)?;
        top.extend_from_slice(crate::plumbing::error::exit_status::roff().as_bytes());
        top.extend_from_slice(ENVIRONMENT.as_bytes());
        man.render_version_section(&mut top)?;
        let mut pages = vec![(man.get_filename(), top)];
        walk(&cmd, &mut pages)?;
        Ok(pages)
    };
    render().map_err(|e| Error::io("rendering the man pages", e))
}

/// Where the committed generated files live in the source tree.
pub fn source_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(sub)
}
