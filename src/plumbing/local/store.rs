//! Local domain definitions: one directory per domain under
//! `<state>/domains/<id>/`, its definition written atomically and
//! version-checked under the domain's lock, names kept unique under the
//! store's lock. A domain directory appears by rename only when complete.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, entry_names, write_atomic_in_place};
use crate::plumbing::spec::{DomainId, DomainSpec, Version};

/// What a local domain is, as written by commits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// Bumped by every commit; a handle taken at another version is stale.
    pub version: u64,
    pub id: DomainId,
    /// RFC 3339 creation time.
    pub created: String,
    pub spec: DomainSpec,
    /// The image's id (`sha256:…`), for "in use" checks that survive retags.
    pub image_id: String,
    /// The per-domain link token (hex); the file is 0600 in a 0700 tree.
    pub token: String,
}

impl Definition {
    /// The version as the handle carries it.
    pub fn handle_version(&self) -> Version {
        Version(self.version.to_string())
    }
}

/// The domains of one state directory.
#[derive(Debug, Clone)]
pub struct DomainStore {
    root: PathBuf,
}

/// The file names inside a domain directory.
pub mod files {
    /// The definition (JSON).
    pub const DEFINITION: &str = "definition.json";
    /// The definition's lock.
    pub const LOCK: &str = "lock";
}

impl DomainStore {
    /// The store under `<state>/domains`.
    pub fn new(state: &Path) -> Self {
        DomainStore {
            root: state.join("domains"),
        }
    }

    /// The directory of domain `id`.
    pub fn dir(&self, id: &DomainId) -> PathBuf {
        self.root.join(&id.0)
    }

    /// The directory holding every domain's.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The store's lock: held while a new domain lands (its name checked,
    /// its directory renamed into place), and by the removal of an image
    /// or a volume, so that a domain never lands on one that is going.
    pub fn store_lock(&self) -> Result<Lock> {
        Lock::exclusive(&self.root.join(".lock"))
    }

    /// Every complete domain directory (`broken` ones included: a directory
    /// without a readable definition is listed so that it can be removed).
    pub fn ids(&self) -> Result<Vec<DomainId>> {
        Ok(entry_names(&self.root)?
            .into_iter()
            .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(DomainId)
            .collect())
    }

    /// Read a definition.
    pub fn load(&self, id: &DomainId) -> Result<Definition> {
        let path = self.dir(id).join(files::DEFINITION);
        let text = fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound && !self.dir(id).exists() {
                // Removed since it was looked up (a racing `rm`): gone, not
                // broken.
                Error::not_found("domain", id.short())
            } else if e.kind() == std::io::ErrorKind::NotFound {
                Error::new(
                    ErrorKind::InvalidState,
                    format!("domain {} has no definition (a broken domain)", id.short()),
                )
                .with_hint(format!(
                    "remove it with `vicport domain rm --force {}`",
                    id.short()
                ))
            } else {
                Error::io(format!("reading {}", path.display()), e)
            }
        })?;
        serde_json::from_slice(&text).map_err(|e| {
            Error::new(
                ErrorKind::InvalidState,
                format!("the definition {} is damaged: {e}", path.display()),
            )
            .with_hint(format!(
                "remove the domain with `vicport domain rm --force {}`",
                id.short()
            ))
        })
    }

    /// Every readable definition, plus the ids whose definition is not.
    pub fn load_all(&self) -> Result<(Vec<Definition>, Vec<DomainId>)> {
        let mut good = Vec::new();
        let mut broken = Vec::new();
        for id in self.ids()? {
            match self.load(&id) {
                Ok(d) => good.push(d),
                Err(_) => broken.push(id),
            }
        }
        Ok((good, broken))
    }

    /// The domain named exactly `name`, if any.
    pub fn find_by_name(&self, name: &str) -> Result<Option<DomainId>> {
        for id in self.ids()? {
            if self.load(&id).is_ok_and(|d| d.spec.name == name) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Find a domain by name, full id, or unique id prefix.
    pub fn resolve(&self, key: &str) -> Result<DomainId> {
        let not_found =
            || Error::not_found("domain", key).with_hint("list domains with `vicport domain ls`");
        if key.is_empty() {
            return Err(not_found());
        }
        let ids = self.ids()?;
        if key.len() == 64 {
            if let Some(id) = ids.iter().find(|id| id.0 == key) {
                return Ok(id.clone());
            }
        }
        // Names win over id prefixes, as in other container tools.
        if let Some(id) = self.find_by_name(key)? {
            return Ok(id);
        }
        let matches: Vec<&DomainId> = ids.iter().filter(|id| id.0.starts_with(key)).collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(not_found()),
            many => Err(
                Error::invalid(format!("{key:?} matches {} domains", many.len()))
                    .with_hint("give more characters of the id, or the name"),
            ),
        }
    }

    /// Create a new domain: `fill` populates a private staging directory
    /// (overlay disk, config) and may complete the definition (network
    /// addresses), then the definition is written and the directory renamed
    /// into place — only under the store lock, after checking that the name
    /// is free. Nothing half-made is ever visible; while `fill` runs the
    /// domain is [`in flight`](Self::in_flight).
    pub fn create(
        &self,
        definition: &mut Definition,
        fill: impl FnOnce(&Path, &mut Definition) -> Result<()>,
    ) -> Result<PathBuf> {
        self.create_checked(definition, fill, |_| Ok(()))
    }

    /// [`DomainStore::create`], with `verify` run under the store's lock
    /// just before the domain lands: what it refers to is checked where no
    /// removal can slip in between.
    pub fn create_checked(
        &self,
        definition: &mut Definition,
        fill: impl FnOnce(&Path, &mut Definition) -> Result<()>,
        verify: impl FnOnce(&Definition) -> Result<()>,
    ) -> Result<PathBuf> {
        create_private_dir(&self.root)?;
        let staging = self.staging(&definition.id);
        let result = (|| {
            create_private_dir(&staging)?;
            fill(&staging, definition)?;
            write_definition(&staging, definition)?;
            let _lock = self.store_lock()?;
            verify(definition)?;
            self.ensure_name_free(&definition.spec.name, None)?;
            let dir = self.dir(&definition.id);
            fs::rename(&staging, &dir).io_context(|| format!("creating {}", dir.display()))?;
            Ok(dir)
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }

    fn staging(&self, id: &DomainId) -> PathBuf {
        self.root.join(format!(".new-{}", id.0))
    }

    /// Whether domain `id` is being created right now (its staging
    /// directory exists).
    pub fn in_flight(&self, id: &DomainId) -> bool {
        self.staging(id).is_dir()
    }

    /// Whether domain `id` exists (its directory does).
    pub fn exists(&self, id: &DomainId) -> bool {
        self.dir(id).is_dir()
    }

    /// The domain's lock without waiting: `None` while a commit of that
    /// domain holds it.
    pub fn try_lock(&self, id: &DomainId) -> Result<Option<Lock>> {
        Lock::try_exclusive_in_place(&self.dir(id).join(files::LOCK))
    }

    fn ensure_name_free(&self, name: &str, except: Option<&DomainId>) -> Result<()> {
        for id in self.ids()? {
            if Some(&id) == except {
                continue;
            }
            if let Ok(d) = self.load(&id) {
                if d.spec.name == name {
                    return Err(Error::name_taken("domain", name));
                }
            }
        }
        Ok(())
    }

    /// Commit a changed definition at `expected` version: under the
    /// domain's lock, a different current version is a conflict (another
    /// writer won); a rename also takes the store lock to keep names unique.
    /// Returns the written definition (version bumped).
    pub fn commit(&self, next: Definition, expected: &Version) -> Result<Definition> {
        self.commit_with(next, expected, &mut NoSteps)
    }

    /// [`commit`](Self::commit) with `steps` run under the domain's lock:
    /// `prepare` after the version check (it may complete `next`), `abort`
    /// when the write then fails, `written` after it. So what the steps
    /// change elsewhere (address pools) never interleaves with another
    /// commit of the same domain.
    pub fn commit_with(
        &self,
        mut next: Definition,
        expected: &Version,
        steps: &mut dyn CommitSteps,
    ) -> Result<Definition> {
        let dir = self.dir(&next.id);
        // A racing `rm` renames the directory away at any point of this:
        // whatever then fails, the domain is gone, not broken.
        let short = next.id.short().to_string();
        let gone = |e: Error| {
            if dir.is_dir() {
                e
            } else {
                Error::not_found("domain", &short)
            }
        };
        if !dir.is_dir() {
            return Err(Error::not_found("domain", next.id.short()));
        }
        let _lock = Lock::exclusive_in_place(&dir.join(files::LOCK)).map_err(gone)?;
        let current = self.load(&next.id)?;
        if current.handle_version() != *expected {
            return Err(Error::stale(format!(
                "domain {:?} changed since its handle was taken (version {} is now {})",
                current.spec.name, expected.0, current.version
            )));
        }
        next.version = current.version + 1;
        steps.prepare(&current, &mut next)?;
        let written = if next.spec.name != current.spec.name {
            self.store_lock().and_then(|_store| {
                self.ensure_name_free(&next.spec.name, Some(&next.id))?;
                write_definition(&dir, &next)
            })
        } else {
            write_definition(&dir, &next)
        };
        match written {
            Ok(()) => {
                steps.written(&current, &next);
                Ok(next)
            }
            Err(e) => {
                steps.abort(&next);
                Err(gone(e))
            }
        }
    }

    /// Remove a domain's directory: renamed away first (so it vanishes from
    /// lists at once, even if deleting its disk takes a while), then deleted.
    pub fn remove(&self, id: &DomainId) -> Result<()> {
        let dir = self.dir(id);
        let doomed = self.root.join(format!(".rm-{}", id.0));
        // After any commit in progress (it holds this lock from its check
        // to its write), never in the middle of one.
        let _lock = Lock::exclusive_in_place(&dir.join(files::LOCK)).map_err(|e| {
            if dir.is_dir() {
                e
            } else {
                Error::not_found("domain", id.short())
            }
        })?;
        fs::rename(&dir, &doomed).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::not_found("domain", id.short())
            } else {
                Error::io(format!("removing {}", dir.display()), e)
            }
        })?;
        // Renamed away, the domain is gone. A command that looked it up just
        // before may still drop a lock file into the old directory (its path
        // walk began there), so deleting can fail once with "not empty";
        // whatever stays is swept later, never shown as a domain.
        if fs::remove_dir_all(&doomed).is_err() {
            if let Err(e) = fs::remove_dir_all(&doomed) {
                tracing::warn!("{}: left for the next sweep: {e}", doomed.display());
            }
        }
        Ok(())
    }

    /// Clean up staging and removal leftovers of killed processes.
    pub fn sweep(&self) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".rm-") {
                let _ = fs::remove_dir_all(entry.path());
            } else if name.starts_with(".new-") {
                // A staging dir older than a minute belongs to a dead create.
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 60);
                if old {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    }
}

/// What a commit does besides writing the definition, under the domain's
/// lock (see [`DomainStore::commit_with`]).
pub trait CommitSteps {
    /// After the version check, before the write; may complete `next`.
    fn prepare(&mut self, current: &Definition, next: &mut Definition) -> Result<()>;
    /// The write failed after a successful `prepare`: undo it.
    fn abort(&mut self, next: &Definition);
    /// The write succeeded.
    fn written(&mut self, current: &Definition, next: &Definition);
}

/// A commit that only writes the definition.
#[derive(Debug)]
struct NoSteps;

impl CommitSteps for NoSteps {
    fn prepare(&mut self, _: &Definition, _: &mut Definition) -> Result<()> {
        Ok(())
    }
    fn abort(&mut self, _: &Definition) {}
    fn written(&mut self, _: &Definition, _: &Definition) {}
}

fn write_definition(dir: &Path, d: &Definition) -> Result<()> {
    let text = serde_json::to_vec_pretty(d)
        .map_err(|e| Error::other(format!("serializing the definition: {e}")))?;
    write_atomic_in_place(&dir.join(files::DEFINITION), &text, 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::spec::now;

    fn definition(name: &str) -> Definition {
        Definition {
            version: 1,
            id: DomainId::random(),
            created: now(),
            spec: DomainSpec::new(name, "busybox:latest"),
            image_id: "sha256:00".into(),
            token: "ab".into(),
        }
    }

    #[test]
    fn create_resolve_and_names_stay_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let mut a = definition("web");
        store
            .create(&mut a, |d, _| {
                fs::write(d.join("disk"), b"x").unwrap();
                Ok(())
            })
            .unwrap();
        assert!(store.dir(&a.id).join("disk").exists());
        assert_eq!(store.resolve("web").unwrap(), a.id);
        assert_eq!(store.resolve(&a.id.0[..8]).unwrap(), a.id);
        assert_eq!(
            store.resolve("nope").unwrap_err().kind(),
            ErrorKind::NotFound
        );

        let err = store
            .create(&mut definition("web"), |_, _| Ok(()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Taken);
        // The loser left nothing behind.
        assert_eq!(store.ids().unwrap(), vec![a.id.clone()]);
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("domains"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().starts_with(".new-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_failed_fill_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let err = store
            .create(&mut definition("web"), |_, _| {
                Err(Error::other("disk full"))
            })
            .unwrap_err();
        assert!(err.to_string().contains("disk full"));
        assert!(store.ids().unwrap().is_empty());
        assert_eq!(fs::read_dir(dir.path().join("domains")).unwrap().count(), 0);
    }

    #[test]
    fn stale_commits_conflict_and_never_lose_updates() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let mut d = definition("web");
        store.create(&mut d, |_, _| Ok(())).unwrap();
        let v1 = d.handle_version();
        let mut first = d.clone();
        first.spec.labels.insert("a".into(), "1".into());
        let written = store.commit(first, &v1).unwrap();
        assert_eq!(written.version, 2);
        let mut second = d.clone();
        second.spec.labels.insert("b".into(), "2".into());
        let err = store.commit(second, &v1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::StaleHandle);
        assert_eq!(store.load(&d.id).unwrap().spec.labels.len(), 1);
    }

    #[test]
    fn concurrent_label_commits_with_retry_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let mut d = definition("web");
        store.create(&mut d, |_, _| Ok(())).unwrap();
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let store = store.clone();
                let id = d.id.clone();
                std::thread::spawn(move || {
                    loop {
                        let mut current = store.load(&id).unwrap();
                        let version = current.handle_version();
                        current.spec.labels.insert(format!("k{i}"), i.to_string());
                        match store.commit(current, &version) {
                            Ok(_) => break,
                            Err(e) if e.kind() == ErrorKind::StaleHandle => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let final_def = store.load(&d.id).unwrap();
        assert_eq!(final_def.spec.labels.len(), 16);
        assert_eq!(final_def.version, 17);
    }

    #[test]
    fn rename_checks_names_and_remove_vanishes() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let mut a = definition("a");
        let mut b = definition("b");
        store.create(&mut a, |_, _| Ok(())).unwrap();
        store.create(&mut b, |_, _| Ok(())).unwrap();
        let mut renamed = a.clone();
        renamed.spec.name = "b".into();
        assert_eq!(
            store
                .commit(renamed, &a.handle_version())
                .unwrap_err()
                .kind(),
            ErrorKind::Taken
        );
        store.remove(&b.id).unwrap();
        let mut renamed = a.clone();
        renamed.spec.name = "b".into();
        store.commit(renamed, &a.handle_version()).unwrap();
        assert_eq!(store.resolve("b").unwrap(), a.id);
        assert_eq!(store.remove(&b.id).unwrap_err().kind(), ErrorKind::NotFound);
    }

    #[derive(Default)]
    struct Recorder(Vec<String>);

    impl CommitSteps for Recorder {
        fn prepare(&mut self, current: &Definition, next: &mut Definition) -> Result<()> {
            self.0.push(format!("prepare {}", current.version));
            next.spec.labels.insert("prepared".into(), "yes".into());
            Ok(())
        }
        fn abort(&mut self, next: &Definition) {
            self.0.push(format!("abort {}", next.spec.name));
        }
        fn written(&mut self, _: &Definition, next: &Definition) {
            self.0.push(format!("written {}", next.version));
        }
    }

    #[test]
    fn commit_steps_run_under_the_lock_and_undo_a_failed_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let mut a = definition("a");
        let mut b = definition("b");
        store.create(&mut a, |_, _| Ok(())).unwrap();
        store.create(&mut b, |_, _| Ok(())).unwrap();

        let mut steps = Recorder::default();
        let written = store
            .commit_with(a.clone(), &a.handle_version(), &mut steps)
            .unwrap();
        assert_eq!(steps.0, ["prepare 1", "written 2"]);
        assert_eq!(
            written.spec.labels["prepared"], "yes",
            "prepare completes next"
        );
        assert_eq!(store.load(&a.id).unwrap(), written);

        // The write fails (the new name is taken): prepare is undone.
        let mut renamed = written.clone();
        renamed.spec.name = "b".into();
        let mut steps = Recorder::default();
        let e = store
            .commit_with(renamed, &written.handle_version(), &mut steps)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Taken);
        assert_eq!(steps.0, ["prepare 2", "abort b"]);

        // A stale version never reaches prepare.
        let mut steps = Recorder::default();
        store
            .commit_with(a.clone(), &a.handle_version(), &mut steps)
            .unwrap_err();
        assert!(steps.0.is_empty());

        // While a commit holds the domain's lock, try_lock says so.
        let held = store.try_lock(&a.id).unwrap().unwrap();
        assert!(store.try_lock(&a.id).unwrap().is_none());
        drop(held);
        assert!(store.exists(&a.id) && !store.in_flight(&a.id));
    }

    #[test]
    fn broken_directories_are_listed_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let store = DomainStore::new(dir.path());
        let id = DomainId::random();
        fs::create_dir_all(store.dir(&id)).unwrap();
        let (good, broken) = store.load_all().unwrap();
        assert!(good.is_empty());
        assert_eq!(broken, vec![id.clone()]);
        assert_eq!(store.load(&id).unwrap_err().kind(), ErrorKind::InvalidState);
        // Once its directory is gone (a racing rm), it is not found: a
        // second `rm` of one domain exits 3, not 6.
        store.remove(&id).unwrap();
        assert_eq!(store.load(&id).unwrap_err().kind(), ErrorKind::NotFound);
    }
}
