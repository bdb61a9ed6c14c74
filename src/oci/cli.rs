//! The OCI runtime command line, as engines call runc: global flags first
//! (`--root`, `--log`, `--log-format`, `--systemd-cgroup`), then one of the
//! runtime-spec operations. The same definition serves `vicport oci …` and
//! the binary run as `vicport-runc`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where root keeps container records when `--root` is not given.
pub const DEFAULT_ROOT: &str = "/run/vicport-oci";

/// The flags engines pass before the operation.
#[derive(Debug, Clone, Args)]
pub struct OciGlobals {
    /// The directory of container records [default: /run/vicport-oci as
    /// root, else $XDG_RUNTIME_DIR/vicport-oci (rootless podman)]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Where errors are logged, besides stderr
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// The log's format: one JSON object per error with json
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Accepted for compatibility: a containerVM's cgroups are the guest's
    #[arg(long)]
    pub systemd_cgroup: bool,

    /// Accepted for compatibility: a containerVM's cgroups are the guest's
    #[arg(long, value_name = "MANAGER", hide = true)]
    pub cgroup_manager: Option<String>,

    /// Accepted for compatibility (no effect)
    #[arg(long, hide = true, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub rootless: Option<String>,
}

impl OciGlobals {
    /// The directory of container records: `--root`, else the default for
    /// who runs this ([`default_root`]).
    pub fn root(&self) -> PathBuf {
        self.root.clone().unwrap_or_else(|| {
            default_root(
                crate::plumbing::paths::is_system_root(),
                std::env::var_os("XDG_RUNTIME_DIR"),
            )
        })
    }
}

/// runc's and crun's choice: [`DEFAULT_ROOT`] for root over the system
/// ([`is_system_root`](crate::plumbing::paths::is_system_root)); for anyone
/// else (a user, or root in a user namespace as rootless podman runs its
/// runtime) a directory in their own runtime directory, where they may
/// write.
fn default_root(host_root: bool, runtime_dir: Option<std::ffi::OsString>) -> PathBuf {
    match runtime_dir.filter(|d| !d.is_empty()) {
        Some(dir) if !host_root => PathBuf::from(dir).join("vicport-oci"),
        _ => PathBuf::from(DEFAULT_ROOT),
    }
}

/// The log format engines ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `time="…" level=error msg="…"` lines
    Text,
    /// One JSON object per error: level, msg, time
    Json,
}

/// `vicport oci`: the OCI runtime (the vicport global flags apply too).
#[derive(Debug, Args)]
pub struct OciArgs {
    #[command(flatten)]
    pub globals: OciGlobals,

    #[command(subcommand)]
    pub command: OciCommand,
}

/// The binary run as `vicport-runc`: the same, with its own `--debug`.
#[derive(Debug, Parser)]
#[command(
    name = "vicport-runc",
    version = concat!(env!("CARGO_PKG_VERSION"), "\nspec: ", "1.0.2-dev"),
    about = "vicport's OCI runtime: each container is a containerVM on the local platform"
)]
pub struct RuncCli {
    /// Trace what vicport does to stderr
    #[arg(long, global = true)]
    pub debug: bool,

    #[command(flatten)]
    pub oci: OciArgs,
}

/// The command line `args` (the program's name first) with Go-style
/// long flags (`-no-subreaper`, `-pid-file=F`) written as clap reads
/// them (`--no-subreaper`). runc's flag library takes both, and
/// containerd's runc client passes `restore … -no-subreaper`. Only a
/// name this command line knows is rewritten, and only before the first
/// operand after the operation, where runc stops reading flags too (an
/// exec's command keeps its own).
pub fn go_style_flags(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    use std::collections::HashMap;
    fn collect(cmd: &clap::Command, longs: &mut HashMap<String, bool>, subs: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let takes = arg.get_action().takes_values();
            if let Some(long) = arg.get_long() {
                longs.insert(long.to_string(), takes);
            }
            if let Some(short) = arg.get_short() {
                longs.insert(short.to_string(), takes);
            }
        }
        for sub in cmd.get_subcommands() {
            subs.push(sub.get_name().to_string());
            collect(sub, longs, subs);
        }
    }
    let (mut flags, mut subs) = (HashMap::new(), Vec::new());
    collect(&RuncCli::command(), &mut flags, &mut subs);
    let mut out = Vec::with_capacity(args.len());
    let mut rest = args.into_iter();
    out.extend(rest.next());
    let mut operation = false;
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str().map(str::to_string) else {
            out.push(arg);
            break;
        };
        let dashes = text.len() - text.trim_start_matches('-').len();
        let name = text.trim_start_matches('-');
        let (name, inline) = match name.split_once('=') {
            Some((n, _)) => (n, true),
            None => (name, false),
        };
        match (dashes, flags.get(name)) {
            (1 | 2, Some(&takes)) if text != "--" => {
                out.push(if dashes == 1 && name.len() > 1 {
                    format!("-{text}").into()
                } else {
                    arg
                });
                if takes && !inline {
                    out.extend(rest.next());
                }
            }
            (0, _) if !operation && subs.contains(&text) => {
                operation = true;
                out.push(arg);
            }
            _ => {
                out.push(arg);
                if dashes == 0 || text == "--" {
                    break;
                }
            }
        }
    }
    out.extend(rest);
    out
}

/// The runtime-spec operations.
#[derive(Debug, Subcommand)]
pub enum OciCommand {
    /// Create a container from a bundle: boot its VM, leave its process waiting
    Create(CreateArgs),
    /// Start a created container's process
    Start(IdArg),
    /// Create and start a container; without --detach, stay with it: its
    /// stdio is this command's, and its exit code this command's, and it is
    /// deleted when it ends (unless --keep)
    Run(RunArgs),
    /// Write a default config.json into a bundle (`sh` on a terminal, in a
    /// read-only root at rootfs/), to edit and run
    Spec(SpecArgs),
    /// Print a container's state as JSON
    State(IdArg),
    /// Send a signal to a container's process
    Kill(KillArgs),
    /// Delete a stopped container (or any, with --force)
    Delete(DeleteArgs),
    /// List the containers
    List(ListArgs),
    /// Print the runtime's features as JSON
    Features,
    /// Run a process in a running container
    Exec(ExecArgs),
    /// Pause a running container (its VM stops running)
    Pause(IdArg),
    /// Resume a paused container
    Resume(IdArg),
    /// List a container's processes (its shims: the guest's are its own)
    Ps(PsArgs),
    /// Change a container's resources while it runs: its memory limit (the
    /// VM's balloon, up to what it booted with)
    Update(UpdateArgs),
    /// Save a running container whole (its VM's memory and devices, so
    /// every process with what it holds) into a directory; it then stops,
    /// unless --leave-running
    Checkpoint(CheckpointArgs),
    /// Create a container from a bundle and a checkpoint: it runs on where
    /// the checkpoint left it. Without --detach, stay with it as run does
    Restore(RestoreArgs),
    /// The per-container shim (started by create; not for users)
    #[command(hide = true)]
    Shim(ShimArgs),
    /// The per-exec shim (started by exec; not for users)
    #[command(hide = true)]
    ExecShim(ExecShimArgs),
}

/// `update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The new resources, as the runtime spec's linux.resources object
    /// (JSON; - reads it from stdin)
    #[arg(short, long, value_name = "FILE")]
    pub resources: Option<PathBuf>,

    /// The container's id
    pub id: String,
}

/// `exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The process to run, as the runtime spec's process object (JSON)
    #[arg(short, long, value_name = "FILE")]
    pub process: Option<PathBuf>,

    /// Leave the process running and exit (its pid is an exec shim's)
    #[arg(short, long)]
    pub detach: bool,

    /// Run the process on a terminal (its master goes over --console-socket)
    #[arg(short, long)]
    pub tty: bool,

    /// With a terminal: send the pseudo-terminal's master over this socket
    #[arg(long, value_name = "SOCKET")]
    pub console_socket: Option<PathBuf>,

    /// Write the exec shim's pid here, last
    #[arg(long, value_name = "FILE")]
    pub pid_file: Option<PathBuf>,

    /// Pass N more descriptors to the process (refused above 0)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub preserve_fds: u32,

    /// Without --process: the working directory
    #[arg(long)]
    pub cwd: Option<String>,

    /// Without --process: an environment variable (KEY=VALUE); repeatable
    #[arg(short, long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Without --process: the user, UID[:GID]
    #[arg(short, long)]
    pub user: Option<String>,

    /// The container's id
    pub id: String,

    /// Without --process: the command and its arguments
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// `ps`.
#[derive(Debug, Args)]
pub struct PsArgs {
    /// table or json (a list of pids)
    #[arg(short, long, default_value = "table")]
    pub format: String,

    /// The container's id
    pub id: String,
}

/// The hidden `exec-shim`.
#[derive(Debug, Args)]
pub struct ExecShimArgs {
    /// The descriptor to say "ready" (or why not) on
    #[arg(long, value_name = "FD")]
    pub ready_fd: i32,

    /// Send the pseudo-terminal's master over this socket
    #[arg(long, value_name = "SOCKET")]
    pub console_socket: Option<PathBuf>,

    /// The request, as JSON (made by exec)
    #[arg(long, value_name = "JSON")]
    pub request: String,

    /// The container's id
    pub id: String,
}

/// One container id.
#[derive(Debug, Args)]
pub struct IdArg {
    /// The container's id
    pub id: String,
}

/// `create`.
#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The bundle directory (holding config.json)
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub bundle: PathBuf,

    /// Write the container's pid (its shim's) here, last
    #[arg(long, value_name = "FILE")]
    pub pid_file: Option<PathBuf>,

    /// With a terminal: send the pseudo-terminal's master over this socket
    #[arg(long, value_name = "SOCKET")]
    pub console_socket: Option<PathBuf>,

    /// Pass N more descriptors to the process (refused above 0: a VM's
    /// process cannot take the host's descriptors)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub preserve_fds: u32,

    /// Accepted for compatibility (no effect on a VM)
    #[arg(long)]
    pub no_pivot: bool,

    /// Accepted for compatibility (no effect on a VM)
    #[arg(long)]
    pub no_new_keyring: bool,

    /// The container's id
    pub id: String,
}

/// `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Leave the container running and exit (its stdio stays what this
    /// command was given; a terminal needs --console-socket)
    #[arg(short, long)]
    pub detach: bool,

    /// Do not delete the container when its process ends
    #[arg(long)]
    pub keep: bool,

    /// Accepted for compatibility (this command waits on its own child)
    #[arg(long)]
    pub no_subreaper: bool,

    #[command(flatten)]
    pub create: CreateArgs,
}

/// `spec`.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// The bundle directory to write config.json into
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub bundle: PathBuf,
}

/// `kill`.
#[derive(Debug, Args)]
pub struct KillArgs {
    /// Signal every process of the container, not only its process (in
    /// the guest: the process, every exec's and what they started)
    #[arg(short, long)]
    pub all: bool,

    /// The container's id
    pub id: String,

    /// The signal: a number or a name, with or without SIG
    #[arg(default_value = "TERM")]
    pub signal: String,
}

/// `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Delete even a running container (its VM is powered off)
    #[arg(short, long)]
    pub force: bool,

    /// The container's id
    pub id: String,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// table or json
    #[arg(short, long, default_value = "table")]
    pub format: String,
}

/// What `checkpoint` and `restore` share.
#[derive(Debug, Clone, Args)]
pub struct CheckpointCommon {
    /// The checkpoint's directory
    #[arg(long, value_name = "DIR", default_value = "checkpoint")]
    pub image_path: PathBuf,

    /// Accepted for compatibility (a containerVM's checkpoint writes no
    /// logs or statistics)
    #[arg(long, value_name = "DIR")]
    pub work_path: Option<PathBuf>,

    /// Accepted: a VM's saved state holds its TCP connections
    #[arg(long)]
    pub tcp_established: bool,

    /// Accepted: a VM's saved state holds its sockets
    #[arg(long)]
    pub ext_unix_sk: bool,

    /// Accepted: a VM's saved state holds its terminals
    #[arg(long)]
    pub shell_job: bool,

    /// Accepted: a VM's saved state holds its file locks
    #[arg(long)]
    pub file_locks: bool,

    /// Accepted for compatibility: a containerVM's cgroups are the guest's
    #[arg(long, value_name = "MODE")]
    pub manage_cgroups_mode: Option<String>,

    /// Accepted for compatibility (a VM's namespaces are all the guest's)
    #[arg(long, value_name = "NS")]
    pub empty_ns: Vec<String>,

    /// Refused: a containerVM's checkpoint is whole, never lazy
    #[arg(long)]
    pub lazy_pages: bool,

    /// Refused: a containerVM's checkpoint is written whole, not deduplicated
    /// against a parent
    #[arg(long)]
    pub auto_dedup: bool,
}

/// `checkpoint`.
#[derive(Debug, Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    pub common: CheckpointCommon,

    /// Leave the container running after its checkpoint
    // podman 4.3 passes it twice; runc takes that.
    #[arg(long, overrides_with = "leave_running")]
    pub leave_running: bool,

    /// Refused: a containerVM's checkpoint is whole (no pre-dumps)
    #[arg(long)]
    pub pre_dump: bool,

    /// Refused: a containerVM's checkpoint is whole (no parent)
    #[arg(long, value_name = "DIR")]
    pub parent_path: Option<PathBuf>,

    /// Refused: a containerVM's checkpoint is written here, not sent to a
    /// page server
    #[arg(long, value_name = "ADDRESS")]
    pub page_server: Option<String>,

    /// Accepted for compatibility (nothing is reported on it)
    #[arg(long, value_name = "FD")]
    pub status_fd: Option<i32>,

    /// The container's id
    pub id: String,
}

/// `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub common: CheckpointCommon,

    /// Leave the container running and exit (its stdio stays what this
    /// command was given; a terminal needs --console-socket)
    #[arg(short, long)]
    pub detach: bool,

    /// Accepted for compatibility (this command waits on its own child)
    #[arg(long)]
    pub no_subreaper: bool,

    /// Accepted for compatibility (the guest has no LSM of the host's)
    #[arg(long, value_name = "PROFILE")]
    pub lsm_profile: Option<String>,

    /// Accepted for compatibility (the guest has no LSM of the host's)
    #[arg(long, value_name = "CONTEXT")]
    pub lsm_mount_context: Option<String>,

    #[command(flatten)]
    pub create: CreateArgs,
}

/// The hidden `shim`.
#[derive(Debug, Args)]
pub struct ShimArgs {
    /// The descriptor to say "ready" (or why not) on
    #[arg(long, value_name = "FD")]
    pub ready_fd: i32,

    /// Send the pseudo-terminal's master over this socket
    #[arg(long, value_name = "SOCKET")]
    pub console_socket: Option<PathBuf>,

    /// Start the domain from the checkpoint in this directory, and attach
    /// to its process at once (it runs already)
    #[arg(long, value_name = "DIR")]
    pub restore: Option<PathBuf>,

    /// The container's id
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn records_default_to_the_runtime_directory_without_root_over_the_system() {
        let run = Some(std::ffi::OsString::from("/run/user/1001"));
        assert_eq!(
            default_root(false, run.clone()),
            Path::new("/run/user/1001/vicport-oci")
        );
        assert_eq!(default_root(true, run), Path::new(DEFAULT_ROOT));
        // No runtime directory: the host's default, whose error names it.
        assert_eq!(default_root(false, None), Path::new(DEFAULT_ROOT));
        assert_eq!(
            default_root(false, Some("".into())),
            Path::new(DEFAULT_ROOT)
        );
    }

    fn rewritten(args: &[&str]) -> Vec<String> {
        go_style_flags(args.iter().map(Into::into).collect())
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn go_style_long_flags_are_read_as_runc_reads_them() {
        // containerd's runc client, as it restores a checkpoint.
        let args = rewritten(&[
            "vicport-runc",
            "--root",
            "/r",
            "-log",
            "/l.json",
            "restore",
            "--image-path",
            "/ck",
            "--detach",
            "-pid-file=/p",
            "-no-subreaper",
            "--bundle",
            "/b",
            "c1",
        ]);
        assert_eq!(
            args,
            [
                "vicport-runc",
                "--root",
                "/r",
                "--log",
                "/l.json",
                "restore",
                "--image-path",
                "/ck",
                "--detach",
                "--pid-file=/p",
                "--no-subreaper",
                "--bundle",
                "/b",
                "c1",
            ]
        );
        let cli = RuncCli::try_parse_from(&args).unwrap();
        let OciCommand::Restore(r) = cli.oci.command else {
            panic!("not a restore")
        };
        assert!(r.detach && r.no_subreaper);
        assert_eq!(r.create.pid_file.as_deref(), Some(Path::new("/p")));

        // Short flags and their values stay; an exec's command is its own,
        // and so is whatever follows the first operand or `--`.
        let exec = [
            "vicport-runc",
            "exec",
            "-t",
            "--console-socket",
            "/s",
            "c1",
            "sh",
            "-detach",
            "-c",
            "x",
        ];
        assert_eq!(rewritten(&exec), exec);
        let ended = ["vicport-runc", "kill", "--", "-all", "c1"];
        assert_eq!(rewritten(&ended), ended);
        // A name the command line does not know is left to clap to refuse.
        let unknown = ["vicport-runc", "create", "-nonsense", "c1"];
        assert_eq!(rewritten(&unknown), unknown);
    }
}
