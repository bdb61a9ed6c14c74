//! The OCI runtime mode: a front end beside the porcelain, for engines
//! (podman through conmon, containerd's runc shim) that run a runtime by
//! the runc command line. It turns a bundle into a domain spec and drives
//! the same domain layer ([`Domains`]) as the CLI; each container is a
//! containerVM whose pid is a host shim (see [`shim`]). Run as
//! `vicport oci …`, or as the binary named `vicport-runc`.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::plumbing::config::ConfigFile;
use crate::plumbing::domain::Domains;
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::paths::Dirs;
use crate::plumbing::platform::Platform;

pub mod bundle;
mod checkpoint;
pub mod cli;
pub mod console;
mod exec;
pub mod hooks;
mod launch;
mod lifecycle;
pub mod relay;
pub mod rootfs;
mod runner;
pub mod shim;
pub mod state;
mod template;

use cli::{LogFormat, OciArgs, OciCommand, OciGlobals};
use state::{Place, Store};

/// The file name engines know the runtime by (they register runtimes by
/// name): the quickstart installs this link to `vicport`.
pub const RUNTIME_NAME: &str = "vicport-runc";

/// The runtime-spec version of the state documents.
pub const OCI_VERSION: &str = "1.0.2";

/// Whether this process was run under the runtime's name.
pub fn invoked_as_runtime() -> bool {
    std::env::args_os()
        .next()
        .map(PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_os_string()))
        .is_some_and(|n| n == RUNTIME_NAME)
}

/// Whether `args` runs the shim (which must set up its signals before any
/// thread exists).
pub fn is_shim(args: &OciArgs) -> bool {
    matches!(args.command, OciCommand::Shim(_) | OciCommand::ExecShim(_))
}

/// Run an OCI operation: errors go to stderr as one line and, with
/// `--log`, to the log (one JSON object each with `--log-format json`);
/// every failure exits 1, as the runtime spec's CLI does.
pub fn run(args: OciArgs) -> ExitCode {
    let globals = args.globals.clone();
    let store = Store::new(&globals.root());
    match &args.command {
        OciCommand::Shim(a) => return exit_code(shim::run(&store, a)),
        OciCommand::ExecShim(a) => return exit_code(exec::run_shim(&store, a)),
        _ => {}
    }
    let mut stdout = std::io::stdout().lock();
    match lifecycle::run(&globals, &store, args.command, &mut stdout) {
        Ok(code) => exit_code(code),
        Err(e) if matches!(&e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&globals, &e);
            ExitCode::from(1)
        }
    }
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// Say an error on stderr and in the log.
fn report(globals: &OciGlobals, e: &Error) {
    let line = shim::one_line(e);
    let _ = writeln!(std::io::stderr(), "{line}");
    let Some(path) = &globals.log else {
        return;
    };
    let time = humantime::format_rfc3339_nanos(std::time::SystemTime::now()).to_string();
    let entry = match globals.log_format {
        LogFormat::Json => {
            serde_json::json!({"level": "error", "msg": line, "time": time}).to_string()
        }
        LogFormat::Text => format!("time={time:?} level=error msg={line:?}"),
    };
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{entry}");
    }
}

/// vicport's directories as an engine's environment gives them: engines
/// may leave HOME unset, and then the user's home comes from the user
/// database.
fn engine_dirs() -> Result<Dirs> {
    match Dirs::from_env(None) {
        Ok(d) => Ok(d),
        Err(e) => {
            let Some(home) = passwd_home() else {
                return Err(e);
            };
            let env = |n: &str| {
                std::env::var_os(n)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            };
            Ok(Dirs {
                config_file: env("VICPORT_CONFIG")
                    .unwrap_or_else(|| home.join(".config/vicport/config.toml")),
                state: env("VICPORT_STATE_DIR").unwrap_or_else(|| {
                    if crate::plumbing::paths::is_system_root() {
                        PathBuf::from("/var/lib/vicport")
                    } else {
                        home.join(".local/share/vicport")
                    }
                }),
                cache: env("VICPORT_CACHE_DIR").unwrap_or_else(|| home.join(".cache/vicport")),
            })
        }
    }
}

/// This user's home directory from /etc/passwd.
fn passwd_home() -> Option<PathBuf> {
    // SAFETY: geteuid cannot fail.
    let uid = unsafe { libc::geteuid() }.to_string();
    std::fs::read_to_string("/etc/passwd")
        .ok()?
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 5 && f[2] == uid)
        .map(|f| PathBuf::from(f[5]))
}

/// Where a new container's domain goes: the current target (or
/// `VICPORT_TARGET`), which must run domains on this host.
fn place_now() -> Result<Place> {
    let dirs = engine_dirs()?;
    let target = std::env::var("VICPORT_TARGET")
        .ok()
        .filter(|t| !t.is_empty());
    let (name, t) = ConfigFile::new(&dirs.config_file)
        .load()?
        .resolve(target.as_deref())?;
    if t.platform() != "local" {
        return Err(Error::new(
            ErrorKind::NotSupported,
            format!(
                "the OCI runtime is not supported on target {name:?} ({}): a bundle is a directory on this host, and its domains run on other hosts",
                t.platform()
            ),
        )
        .with_hint("use the local target (`vicport target use local`, or VICPORT_TARGET=local)"));
    }
    Ok(Place {
        target: name,
        config_file: dirs.config_file,
        state: dirs.state,
        cache: dirs.cache,
    })
}

/// The domain layer of a container's place, with the runtime its async
/// calls run on.
pub struct Opened {
    runtime: tokio::runtime::Runtime,
    platform: Box<dyn Platform>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("target", &self.platform.target())
            .finish_non_exhaustive()
    }
}

impl Opened {
    /// Run `f` on the domain layer to its end.
    pub fn block_on<'a, T, Fut>(&'a self, f: impl FnOnce(Domains<'a>) -> Fut) -> Result<T>
    where
        Fut: Future<Output = Result<T>> + 'a,
    {
        self.runtime.block_on(f(Domains::new(&*self.platform)))
    }
}

/// Open the domain layer of `place`.
pub fn open(place: &Place) -> Result<Opened> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the runtime", e))?;
    let dirs = place.dirs();
    let (name, target) = ConfigFile::new(&dirs.config_file)
        .load()?
        .resolve(Some(&place.target))?;
    let platform = runtime.block_on(crate::plumbing::target::open(
        &name,
        &target,
        &dirs,
        std::time::Duration::from_secs(60),
    ))?;
    Ok(Opened { runtime, platform })
}

/// The name of container `id`'s domain: ids are any file name (podman's
/// are 64 hex digits, longer than a domain name may be), so the name is
/// derived from the id's digest; the id itself is the domain's label.
pub fn domain_name(id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(id.as_bytes());
    format!("oci-{}", &hex::encode(digest)[..20])
}

/// The label that carries a container's id on its domain.
pub const ID_LABEL: &str = "org.opencontainers.container-id";
