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

/// Whether this process runs as root, in its own user namespace or the
/// host's: it can mount, chown and make namespaces there.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Whether this process is root over the system it sees: root, and `/` is
/// root's in its user namespace. So is the host's root, and root in an
/// unprivileged container over its own files (its own network too). Root
/// in a user namespace over another's files is not: rootless podman runs
/// its runtime so, where the host's `/`, `/var/lib`, `/run` and network
/// are no one's it knows (`/` reads as the overflow id). That root gets a
/// user's directories and networks.
pub fn is_system_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    owns_system(is_root(), std::fs::metadata("/").map(|m| m.uid()).ok())
}

/// Root, over a `/` owned by root (unknown: taken as root's).
fn owns_system(root: bool, slash_owner: Option<u32>) -> bool {
    root && slash_owner.is_none_or(|uid| uid == 0)
}

impl Dirs {
    /// Resolve from the environment: `VICPORT_CONFIG`, else
    /// `$XDG_CONFIG_HOME/vicport/config.toml`; `state` (from `--state-dir` or
    /// `VICPORT_STATE_DIR`), else `/var/lib/vicport` for root over the system, else
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
            None if is_system_root() => PathBuf::from("/var/lib/vicport"),
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

#[cfg(test)]
mod tests {
    use super::owns_system;

    #[test]
    fn root_owns_the_system_only_where_slash_is_its_own() {
        assert!(owns_system(true, Some(0)));
        // Rootless podman's user namespace: the host's root is unmapped,
        // and `/` reads as the overflow id.
        assert!(!owns_system(true, Some(65534)));
        assert!(!owns_system(false, Some(0)));
        assert!(owns_system(true, None));
    }
}
