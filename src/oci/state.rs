//! Container records under the runtime's root (`--root`): one directory per
//! container id holding `state.json` (its bundle, its domain, its shim, the
//! target and directories it was created with) and the shim's control
//! socket. What a container *is* doing is read from its shim process and
//! its domain, never from the record alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::file::write_atomic_in_place;
use crate::plumbing::paths::Dirs;

/// The record's file name in a container's directory.
pub const STATE: &str = "state.json";
/// The shim's control socket in a container's directory.
pub const SHIM_SOCK: &str = "shim.sock";

/// The shim process, identified beyond its pid (pids are reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShimPid {
    /// Its pid in the host's pid namespace.
    pub pid: i32,
    /// Its start time (`/proc/PID/stat` field 22, clock ticks after boot).
    pub start_time: u64,
}

impl ShimPid {
    /// The process `pid`, if it lives.
    pub fn of(pid: i32) -> Option<ShimPid> {
        Some(ShimPid {
            pid,
            start_time: proc_start_time(pid)?,
        })
    }

    /// Whether the shim still runs (not a zombie, not a reused pid).
    pub fn alive(&self) -> bool {
        proc_start_time(self.pid) == Some(self.start_time)
    }
}

/// Field 22 of `/proc/PID/stat`, unless the process is a zombie or gone.
fn proc_start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold anything: fields
    // are counted after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() == Some(&"Z") || fields.first() == Some(&"X") {
        return None;
    }
    fields.get(19)?.parse().ok()
}

/// Where the domain layer of a container is: the target and directories
/// it was created with (engines call `start`, `kill` and `delete` with
/// hardly any environment, so they are not looked up again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The target's name.
    pub target: String,
    /// vicport's config file.
    pub config_file: PathBuf,
    /// The local platform's state directory.
    pub state: PathBuf,
    /// The cache (boot images).
    pub cache: PathBuf,
}

impl Place {
    /// The directories as the plumbing takes them.
    pub fn dirs(&self) -> Dirs {
        Dirs {
            config_file: self.config_file.clone(),
            state: self.state.clone(),
            cache: self.cache.clone(),
        }
    }
}

/// One container's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The container's id.
    pub id: String,
    /// Its bundle directory.
    pub bundle: PathBuf,
    /// Its root filesystem (a host directory).
    #[serde(default)]
    pub rootfs: Option<PathBuf>,
    /// The id of its domain.
    pub domain: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// The bundle's annotations.
    pub annotations: BTreeMap<String, String>,
    /// Its process runs on a terminal.
    pub terminal: bool,
    /// Its shim, once `create` has made it.
    pub shim: Option<ShimPid>,
    /// `start` has started its process.
    pub started: bool,
    /// `pause` has paused it (and no `resume` since).
    #[serde(default)]
    pub paused: bool,
    /// Where its domain is.
    pub place: Place,
    /// The bundle's hooks as `create` read them (a later change to
    /// config.json does not affect the container).
    #[serde(default)]
    pub hooks: super::hooks::Hooks,
}

/// The records under one root.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// The refusal of an id that no container has (the words engines match).
pub fn does_not_exist(id: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("container {id:?} does not exist"),
    )
}

impl Store {
    /// The records under `root`.
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    /// A container's directory.
    pub fn dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    /// Check that `id` can name a directory: not empty, no `/`, not `.`
    /// or `..`, no NUL, at most 1024 bytes.
    pub fn check_id(id: &str) -> Result<()> {
        if id.is_empty() || id == "." || id == ".." || id.len() > 1024 || id.contains(['/', '\0']) {
            return Err(Error::invalid(format!(
                "invalid container id {id:?}: it must be a file name (no '/', not '.' or '..')"
            )));
        }
        Ok(())
    }

    /// Claim `id` for a new container: its directory is made, or the id
    /// is taken (and what has it is left alone).
    pub fn claim(&self, id: &str) -> Result<()> {
        Self::check_id(id)?;
        crate::plumbing::file::create_private_dir(&self.root)?;
        match std::fs::create_dir(self.dir(id)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::new(
                ErrorKind::Taken,
                format!("container with id {id:?} already exists"),
            )
            .with_hint("choose another id, or delete that container first")),
            Err(e) => Err(Error::io(format!("creating {}", self.dir(id).display()), e)),
        }
    }

    /// Write a record (atomically).
    pub fn save(&self, record: &Record) -> Result<()> {
        let text = serde_json::to_vec_pretty(record).expect("a record serializes");
        write_atomic_in_place(&self.dir(&record.id).join(STATE), &text, 0o600)
    }

    /// Read a record; an unknown id "does not exist".
    pub fn load(&self, id: &str) -> Result<Record> {
        Self::check_id(id).map_err(|_| does_not_exist(id))?;
        let path = self.dir(id).join(STATE);
        let text = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                does_not_exist(id)
            } else {
                Error::io(format!("reading {}", path.display()), e)
            }
        })?;
        serde_json::from_slice(&text).map_err(|e| {
            Error::other(format!("{} is damaged: {e}", path.display()))
                .with_hint(format!("remove it with `delete --force {id}`"))
        })
    }

    /// Every id with a directory, sorted.
    pub fn ids(&self) -> Result<Vec<String>> {
        crate::plumbing::file::entry_names(&self.root)
    }

    /// Forget a container (its directory and everything in it).
    pub fn remove(&self, id: &str) -> Result<()> {
        Self::check_id(id)?;
        match std::fs::remove_dir_all(self.dir(id)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(format!("removing {}", self.dir(id).display()), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Record {
        Record {
            id: id.into(),
            bundle: "/b".into(),
            rootfs: Some("/b/rootfs".into()),
            domain: "ab".repeat(32),
            created: crate::plumbing::spec::now(),
            annotations: BTreeMap::new(),
            terminal: false,
            shim: None,
            started: false,
            paused: false,
            place: Place {
                target: "local".into(),
                config_file: "/c".into(),
                state: "/s".into(),
                cache: "/k".into(),
            },
            hooks: Default::default(),
        }
    }

    #[test]
    fn an_id_is_claimed_once_and_unknown_ids_do_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("root"));
        store.claim("c1").unwrap();
        let e = store.claim("c1").unwrap_err();
        assert!(e.to_string().contains("already exists"), "{e}");
        let r = record("c1");
        store.save(&r).unwrap();
        assert_eq!(store.load("c1").unwrap(), r);
        assert_eq!(store.ids().unwrap(), ["c1"]);
        for unknown in ["c2", "../c1", ""] {
            let e = store.load(unknown).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("container {unknown:?} does not exist")
            );
        }
        for bad in ["a/b", "..", "."] {
            assert!(store.claim(bad).is_err(), "{bad}");
        }
        store.remove("c1").unwrap();
        store.remove("c1").unwrap();
        assert!(store.load("c1").is_err());
    }

    #[test]
    fn a_shim_is_alive_until_it_is_gone_or_its_pid_reused() {
        let me = ShimPid::of(std::process::id() as i32).unwrap();
        assert!(me.alive());
        let reused = ShimPid {
            start_time: me.start_time + 1,
            ..me
        };
        assert!(!reused.alive());
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        child.wait().unwrap();
        assert!(ShimPid::of(pid).is_none_or(|p| !p.alive()));
    }
}
