//! Where vicport keeps things: the config file (XDG config), the state
//! directory (domains, images, volumes, networks) and the cache (sessions,
//! downloaded packages, boot images). Every path can be overridden.

use std::path::PathBuf;

use crate::plumbing::error::{Error, Result};

/// vicport's directories for one invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// The TOML file with the targets.
    pub config_file: PathBuf,
    /// The local platform's state directory.
    pub state: PathBuf,
    /// Sessions, downloads, boot images.
    pub cache: PathBuf,
}

/// Read an environment variable, treating empty as unset.
fn env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn home() -> Result<PathBuf> {
    env("HOME").ok_or_else(|| {
        Error::invalid("neither HOME nor the XDG directories are set")
            .with_hint("set HOME, or VICPORT_CONFIG, VICPORT_STATE_DIR and VICPORT_CACHE_DIR")
    })
}

/// Whether this process runs as root (then state defaults to /var/lib).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

impl Dirs {
    /// Resolve from the environment: `VICPORT_CONFIG`, else
    /// `$XDG_CONFIG_HOME/vicport/config.toml`; `state` (from `--state-dir` or
    /// `VICPORT_STATE_DIR`), else `/var/lib/vicport` for root, else
    /// `$XDG_DATA_HOME/vicport`; `VICPORT_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/vicport`. The XDG variables fall back to their
    /// defaults under `$HOME`.
    pub fn from_env(state: Option<PathBuf>) -> Result<Dirs> {
        let config_file = match env("VICPORT_CONFIG") {
            Some(p) => p,
            None => match env("XDG_CONFIG_HOME") {
                Some(d) => d.join("vicport/config.toml"),
                None => home()?.join(".config/vicport/config.toml"),
            },
        };
        let state = match state.or_else(|| env("VICPORT_STATE_DIR")) {
            Some(p) => p,
            None if is_root() => PathBuf::from("/var/lib/vicport"),
            None => match env("XDG_DATA_HOME") {
                Some(d) => d.join("vicport"),
                None => home()?.join(".local/share/vicport"),
            },
        };
        let cache = match env("VICPORT_CACHE_DIR") {
            Some(p) => p,
            None => match env("XDG_CACHE_HOME") {
                Some(d) => d.join("vicport"),
                None => home()?.join(".cache/vicport"),
            },
        };
        Ok(Dirs {
            config_file,
            state,
            cache,
        })
    }
}
