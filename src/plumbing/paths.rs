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

/// Whether this process is the host's root: root in the host's user
/// namespace. Root inside a user namespace (rootless podman runs its
/// runtime so) owns neither `/var/lib` nor `/run`, nor the host's network:
/// it gets a user's directories and networks.
pub fn is_host_root() -> bool {
    is_root()
        && std::fs::read_to_string("/proc/self/uid_map")
            .map(|m| is_initial_uid_map(&m))
            .unwrap_or(true)
}

/// Whether a `uid_map` is the host's own: every id mapped to itself.
fn is_initial_uid_map(map: &str) -> bool {
    let lines: Vec<Vec<&str>> = map
        .lines()
        .map(|l| l.split_whitespace().collect())
        .filter(|f: &Vec<&str>| !f.is_empty())
        .collect();
    matches!(lines.as_slice(), [f] if f[..] == ["0", "0", "4294967295"])
}

impl Dirs {
    /// Resolve from the environment: `VICPORT_CONFIG`, else
    /// `$XDG_CONFIG_HOME/vicport/config.toml`; `state` (from `--state-dir` or
    /// `VICPORT_STATE_DIR`), else `/var/lib/vicport` for the host's root, else
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
            None if is_host_root() => PathBuf::from("/var/lib/vicport"),
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
    use super::is_initial_uid_map;

    #[test]
    fn only_the_identity_map_of_every_id_is_the_hosts() {
        assert!(is_initial_uid_map("         0          0 4294967295\n"));
        // Rootless podman's user namespace: root is the user, then the
        // user's subordinate ids.
        assert!(!is_initial_uid_map(
            "         0       1001          1\n         1     100000      65536\n"
        ));
        // Root mapped to root, but not every id: still a user namespace.
        assert!(!is_initial_uid_map("0 0 65536\n"));
        assert!(!is_initial_uid_map(""));
    }
}
