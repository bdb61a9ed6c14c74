//! Applying layer tars, in order, into a private staging tree: whiteouts and
//! opaque directories, hard links, symlinks, and a record of every entry's
//! real owner, mode, device numbers and xattrs, because an unprivileged
//! extraction cannot give them to the staged files themselves.
//!
//! Safety: no symlink is ever followed. Every path is resolved one component
//! at a time with `openat(O_NOFOLLOW|O_DIRECTORY)` from the staging root's
//! descriptor, so a symlink in a parent position, a `..` component or a hard
//! link that leaves the root is refused before anything is written there.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, Timespec, Timestamps};
use rustix::io::Errno;

use crate::plumbing::error::{Error, IoContext, Result};

use super::Control;
use super::digest::HashingReader;

/// A path inside the image, relative to its root: `/`-separated components,
/// no `.`, `..` or empty ones; the root is empty.
pub type RelPath = Vec<u8>;

/// What an entry is in the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Fifo,
    /// Recorded only: staged as an empty placeholder file, made a device
    /// node in the disk image.
    Char {
        major: u32,
        minor: u32,
    },
    Block {
        major: u32,
        minor: u32,
    },
}

/// The attributes an entry has in the image, whatever the staged file has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: Kind,
    /// Permission bits including setuid, setgid and sticky (`0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: i64,
    /// Extended attributes (`SCHILY.xattr.*` in the tar).
    pub xattrs: Vec<(String, Vec<u8>)>,
}

/// How a layer ended, for callers that need a complete tar.
#[derive(Debug, Clone, Copy)]
pub struct Applied {
    /// Whether the tar's end-of-archive block was present (a tar cut at a
    /// block boundary has none).
    pub terminated: bool,
}

/// The staging tree being built.
#[derive(Debug)]
pub struct Tree {
    root: OwnedFd,
    path: PathBuf,
    /// The attributes of every entry now in the tree, by path.
    pub records: BTreeMap<RelPath, Record>,
    /// Paths created or replaced by the layer being applied (whiteouts never
    /// hide those).
    layer: HashSet<RelPath>,
}

/// Why an entry was refused: a security or consistency problem with the
/// archive, reported with the entry's name.
fn refuse(what: &str, entry: &[u8], why: impl std::fmt::Display) -> Error {
    Error::invalid(format!(
        "{what}: entry {:?} {why}; the image was not imported",
        String::from_utf8_lossy(entry)
    ))
    .with_hint("the archive tries to write outside its root filesystem or is malformed; do not trust its source")
}

fn corrupt(what: &str, e: io::Error) -> Error {
    Error::invalid(format!("{what}: the tar is corrupt or truncated: {e}"))
        .with_hint("the archive is damaged; export or download it again")
}

/// Split a tar path into components: absolute paths are made relative to the
/// root, `.` and empty components dropped, `..` refused.
pub fn components(raw: &[u8]) -> std::result::Result<Vec<&[u8]>, &'static str> {
    let mut out = Vec::new();
    for c in raw.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return Err("has a '..' component"),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn join(comps: &[&[u8]]) -> RelPath {
    comps.join(&b'/')
}

fn child(rel: &[u8], name: &[u8]) -> RelPath {
    if rel.is_empty() {
        name.to_vec()
    } else {
        [rel, b"/", name].concat()
    }
}

fn timespec(secs: i64) -> Timestamps {
    let t = Timespec {
        tv_sec: secs,
        tv_nsec: 0,
    };
    Timestamps {
        last_access: t,
        last_modification: t,
    }
}

fn errno_io(e: Errno) -> io::Error {
    io::Error::from(e)
}

impl Tree {
    /// Create an empty staging root at `path` (which must not exist).
    pub fn create(path: &Path) -> Result<Self> {
        std::fs::create_dir(path).io_context(|| format!("creating {}", path.display()))?;
        let root = rfs::open(
            path,
            OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW,
            Mode::empty(),
        )
        .map_err(|e| Error::io(format!("opening {}", path.display()), errno_io(e)))?;
        let mut records = BTreeMap::new();
        records.insert(
            Vec::new(),
            Record {
                kind: Kind::Dir,
                mode: 0o755,
                uid: 0,
                gid: 0,
                mtime: now_secs(),
                xattrs: Vec::new(),
            },
        );
        Ok(Tree {
            root,
            path: path.to_path_buf(),
            records,
            layer: HashSet::new(),
        })
    }

    /// The staging directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Apply one layer (or a rootfs tar) read from `reader`.
    pub fn apply<R: Read>(
        &mut self,
        reader: &mut HashingReader<R>,
        whiteouts: bool,
        what: &str,
        ctl: &Control,
    ) -> Result<Applied> {
        self.layer.clear();
        let mut end_of_data = 0u64;
        {
            let mut archive = tar::Archive::new(&mut *reader);
            for entry in archive.entries().map_err(|e| corrupt(what, e))? {
                ctl.check()?;
                let mut entry = entry.map_err(|e| corrupt(what, e))?;
                let size = entry.header().entry_size().map_err(|e| corrupt(what, e))?;
                end_of_data = end_of_data.max(entry.raw_file_position() + size.div_ceil(512) * 512);
                self.entry(&mut entry, whiteouts, what, ctl)?;
            }
        }
        Ok(Applied {
            terminated: reader.count() > end_of_data,
        })
    }

    fn entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        whiteouts: bool,
        what: &str,
        ctl: &Control,
    ) -> Result<()> {
        let raw = entry.path_bytes().into_owned();
        let comps = components(&raw).map_err(|why| refuse(what, &raw, why))?;
        let header = entry.header();
        let etype = header.entry_type();
        let bad = |e: io::Error| corrupt(what, e);
        let mut rec = Record {
            kind: Kind::File,
            mode: header.mode().map_err(bad)? & 0o7777,
            uid: header.uid().map_err(bad)?,
            gid: header.gid().map_err(bad)?,
            mtime: header.mtime().map_err(bad)? as i64,
            xattrs: Vec::new(),
        };
        let major = header.device_major().ok().flatten().unwrap_or(0);
        let minor = header.device_minor().ok().flatten().unwrap_or(0);
        let link = entry.link_name_bytes().map(|l| l.into_owned());
        if let Some(pax) = entry.pax_extensions().map_err(bad)? {
            for ext in pax {
                let ext = ext.map_err(bad)?;
                let (Ok(key), value) = (ext.key(), ext.value_bytes()) else {
                    continue;
                };
                let number = || {
                    std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.split('.').next()?.parse::<i64>().ok())
                };
                match key {
                    "uid" => rec.uid = number().unwrap_or(rec.uid as i64) as u64,
                    "gid" => rec.gid = number().unwrap_or(rec.gid as i64) as u64,
                    "mtime" => rec.mtime = number().unwrap_or(rec.mtime),
                    k => {
                        if let Some(name) = k.strip_prefix("SCHILY.xattr.") {
                            rec.xattrs.push((name.to_string(), value.to_vec()));
                        }
                    }
                }
            }
        }

        if whiteouts && self.whiteout(&comps, &raw, what)? {
            return Ok(());
        }

        use tar::EntryType as T;
        match etype {
            T::Regular | T::Continuous | T::GNUSparse => {
                rec.kind = Kind::File;
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, false)?;
                self.write_file(parent.as_fd(), name, entry, &rec, &raw, what, ctl)?;
            }
            T::Directory => {
                rec.kind = Kind::Dir;
                if comps.is_empty() {
                    rfs::fchmod(&self.root, Mode::from_raw_mode(rec.mode | 0o700))
                        .map_err(|e| Error::io("staging the root directory", errno_io(e)))?;
                    self.records.insert(Vec::new(), rec);
                    return Ok(());
                }
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, true)?;
                match rfs::mkdirat(&parent, name, Mode::from_raw_mode(0o700)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(self.io_err(&raw, "creating directory", e)),
                }
                let fd = rfs::openat(
                    &parent,
                    name,
                    OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .map_err(|e| self.io_err(&raw, "opening directory", e))?;
                rfs::fchmod(&fd, Mode::from_raw_mode(rec.mode | 0o700))
                    .map_err(|e| self.io_err(&raw, "setting mode", e))?;
            }
            T::Symlink => {
                rec.kind = Kind::Symlink;
                rec.mode = 0o777;
                let target = link
                    .filter(|l| !l.is_empty())
                    .ok_or_else(|| refuse(what, &raw, "is a symlink without a target"))?;
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, false)?;
                rfs::symlinkat(target.as_slice(), &parent, name)
                    .map_err(|e| self.io_err(&raw, "creating symlink", e))?;
                rfs::utimensat(
                    &parent,
                    name,
                    &timespec(rec.mtime),
                    AtFlags::SYMLINK_NOFOLLOW,
                )
                .map_err(|e| self.io_err(&raw, "setting mtime", e))?;
            }
            T::Link => {
                let target = link.unwrap_or_default();
                let tcomps = components(&target).map_err(|why| {
                    refuse(
                        what,
                        &raw,
                        format_args!("is a hard link whose target {why}"),
                    )
                })?;
                if tcomps.is_empty() {
                    return Err(refuse(what, &raw, "is a hard link to the root directory"));
                }
                let trel = join(&tcomps);
                if trel == join(&comps) {
                    return Ok(());
                }
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, false)?;
                let (tparent, tname) = tcomps.split_at(tcomps.len() - 1);
                let tdir = self
                    .open_dir(tparent, false, &raw, what, rec.mtime)?
                    .ok_or_else(|| {
                        refuse(
                            what,
                            &raw,
                            format_args!(
                                "is a hard link to {:?}, which does not exist",
                                String::from_utf8_lossy(&target)
                            ),
                        )
                    })?;
                let tname = tname[0];
                match rfs::statat(&tdir, tname, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Directory => {
                        return Err(refuse(what, &raw, "is a hard link to a directory"));
                    }
                    Ok(_) => {}
                    Err(Errno::NOENT) => {
                        return Err(refuse(
                            what,
                            &raw,
                            format_args!(
                                "is a hard link to {:?}, which does not exist",
                                String::from_utf8_lossy(&target)
                            ),
                        ));
                    }
                    Err(e) => return Err(self.io_err(&target, "reading", e)),
                }
                rfs::linkat(&tdir, tname, &parent, name, AtFlags::empty())
                    .map_err(|e| self.io_err(&raw, "creating hard link", e))?;
                // One inode, two names: the link has its target's attributes.
                rec = match self.records.get(&trel) {
                    Some(t) => t.clone(),
                    None => rec,
                };
            }
            T::Char | T::Block => {
                rec.kind = if etype == T::Char {
                    Kind::Char { major, minor }
                } else {
                    Kind::Block { major, minor }
                };
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, false)?;
                let fd = rfs::openat(
                    &parent,
                    name,
                    OFlags::WRONLY
                        | OFlags::CREATE
                        | OFlags::EXCL
                        | OFlags::NOFOLLOW
                        | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o600),
                )
                .map_err(|e| self.io_err(&raw, "creating device placeholder", e))?;
                rfs::futimens(&fd, &timespec(rec.mtime))
                    .map_err(|e| self.io_err(&raw, "setting mtime", e))?;
            }
            T::Fifo => {
                rec.kind = Kind::Fifo;
                let (parent, name) = self.prepare(&comps, &raw, what, rec.mtime, false)?;
                rfs::mknodat(&parent, name, FileType::Fifo, Mode::from_raw_mode(0o600), 0)
                    .map_err(|e| self.io_err(&raw, "creating fifo", e))?;
                rfs::chmodat(
                    &parent,
                    name,
                    Mode::from_raw_mode(rec.mode | 0o600),
                    AtFlags::empty(),
                )
                .map_err(|e| self.io_err(&raw, "setting mode", e))?;
                rfs::utimensat(
                    &parent,
                    name,
                    &timespec(rec.mtime),
                    AtFlags::SYMLINK_NOFOLLOW,
                )
                .map_err(|e| self.io_err(&raw, "setting mtime", e))?;
            }
            T::XGlobalHeader => return Ok(()),
            other => {
                return Err(refuse(
                    what,
                    &raw,
                    format_args!(
                        "has tar entry type {:?}, which vicport does not read",
                        other
                    ),
                ));
            }
        }
        let rel = join(&comps);
        self.layer.insert(rel.clone());
        self.records.insert(rel, rec);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn write_file<R: Read>(
        &self,
        parent: BorrowedFd<'_>,
        name: &[u8],
        entry: &mut tar::Entry<'_, R>,
        rec: &Record,
        raw: &[u8],
        what: &str,
        ctl: &Control,
    ) -> Result<()> {
        let fd = rfs::openat(
            parent,
            name,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .map_err(|e| self.io_err(raw, "creating file", e))?;
        let mut file = File::from(fd);
        let expected = entry.size();
        let written = super::copy_checked(entry, &mut file, ctl).map_err(|e| e.context(what))?;
        if written != expected {
            return Err(corrupt(
                what,
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{:?} has {written} of its {expected} bytes",
                        String::from_utf8_lossy(raw)
                    ),
                ),
            ));
        }
        rfs::fchmod(&file, Mode::from_raw_mode(rec.mode | 0o600))
            .map_err(|e| self.io_err(raw, "setting mode", e))?;
        rfs::futimens(&file, &timespec(rec.mtime))
            .map_err(|e| self.io_err(raw, "setting mtime", e))?;
        Ok(())
    }

    fn io_err(&self, raw: &[u8], doing: &str, e: Errno) -> Error {
        Error::io(
            format!(
                "{doing} {} in {}",
                String::from_utf8_lossy(raw),
                self.path.display()
            ),
            errno_io(e),
        )
    }

    /// Open the directory `comps` (relative to the root) without following
    /// any symlink, creating missing ones (mode 0755, root-owned, like the
    /// runtimes do) when `create`. `None` when it does not exist and
    /// `create` is false.
    fn open_dir(
        &mut self,
        comps: &[&[u8]],
        create: bool,
        raw: &[u8],
        what: &str,
        mtime: i64,
    ) -> Result<Option<OwnedFd>> {
        let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC;
        let mut cur = rfs::openat(&self.root, ".", flags, Mode::empty())
            .map_err(|e| self.io_err(b".", "opening", e))?;
        for (i, comp) in comps.iter().enumerate() {
            let next = match rfs::openat(&cur, *comp, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(Errno::NOENT) if create => {
                    rfs::mkdirat(&cur, *comp, Mode::from_raw_mode(0o755))
                        .map_err(|e| self.io_err(raw, "creating parent directory", e))?;
                    let rel = join(&comps[..=i]);
                    self.records.insert(
                        rel.clone(),
                        Record {
                            kind: Kind::Dir,
                            mode: 0o755,
                            uid: 0,
                            gid: 0,
                            mtime,
                            xattrs: Vec::new(),
                        },
                    );
                    self.layer.insert(rel);
                    rfs::openat(&cur, *comp, flags, Mode::empty())
                        .map_err(|e| self.io_err(raw, "opening parent directory", e))?
                }
                Err(Errno::NOENT) => return Ok(None),
                Err(Errno::LOOP | Errno::NOTDIR) => {
                    let prefix = String::from_utf8_lossy(&join(&comps[..=i])).into_owned();
                    let is_link = rfs::statat(&cur, *comp, AtFlags::SYMLINK_NOFOLLOW)
                        .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink);
                    return Err(if is_link {
                        refuse(
                            what,
                            raw,
                            format_args!(
                                "goes through the symlink {prefix:?}; vicport never follows symlinks while extracting"
                            ),
                        )
                    } else {
                        refuse(
                            what,
                            raw,
                            format_args!("needs {prefix:?} to be a directory, but it is not"),
                        )
                    });
                }
                Err(e) => return Err(self.io_err(raw, "opening parent directory", e)),
            };
            cur = next;
        }
        Ok(Some(cur))
    }

    /// Open the parent of `comps` (creating missing directories) and clear
    /// the way for a new entry: whatever is there is removed, except a
    /// directory when `keep_dir` (a directory entry over a directory updates
    /// its attributes and keeps its contents).
    fn prepare<'c>(
        &mut self,
        comps: &[&'c [u8]],
        raw: &[u8],
        what: &str,
        mtime: i64,
        keep_dir: bool,
    ) -> Result<(OwnedFd, &'c [u8])> {
        let Some((name, parent)) = comps.split_last() else {
            return Err(refuse(what, raw, "replaces the root directory"));
        };
        let dir = self
            .open_dir(parent, true, raw, what, mtime)?
            .expect("created when missing");
        match rfs::statat(&dir, *name, AtFlags::SYMLINK_NOFOLLOW) {
            Err(Errno::NOENT) => {}
            Ok(st) if keep_dir && FileType::from_raw_mode(st.st_mode) == FileType::Directory => {}
            Ok(_) => self.remove_at(dir.as_fd(), name, &join(comps))?,
            Err(e) => return Err(self.io_err(raw, "reading", e)),
        }
        Ok((dir, name))
    }

    /// Remove `name` in `dir` (recursively) and forget its records.
    fn remove_at(&mut self, dir: BorrowedFd<'_>, name: &[u8], rel: &[u8]) -> Result<()> {
        let st = match rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(Errno::NOENT) => return Ok(()),
            Err(e) => return Err(self.io_err(rel, "reading", e)),
        };
        if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            let fd = rfs::openat(
                dir,
                name,
                OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| self.io_err(rel, "opening", e))?;
            for child_name in list(fd.as_fd()).map_err(|e| self.io_err(rel, "listing", e))? {
                self.remove_at(fd.as_fd(), &child_name, &child(rel, &child_name))?;
            }
            rfs::unlinkat(dir, name, AtFlags::REMOVEDIR)
                .map_err(|e| self.io_err(rel, "removing", e))?;
        } else {
            rfs::unlinkat(dir, name, AtFlags::empty())
                .map_err(|e| self.io_err(rel, "removing", e))?;
        }
        self.forget(rel);
        Ok(())
    }

    /// Drop the records of `rel` and everything under it.
    fn forget(&mut self, rel: &[u8]) {
        self.records.remove(rel);
        let mut prefix = rel.to_vec();
        prefix.push(b'/');
        let mut end = rel.to_vec();
        end.push(b'/' + 1);
        let doomed: Vec<RelPath> = self
            .records
            .range(prefix..end)
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.records.remove(&k);
        }
    }

    /// Remove everything under the directory `dir` (at `rel`) that lower
    /// layers put there, keeping what this layer added.
    fn prune_lower(&mut self, dir: BorrowedFd<'_>, rel: &[u8]) -> Result<()> {
        for name in list(dir).map_err(|e| self.io_err(rel, "listing", e))? {
            let crel = child(rel, &name);
            if !self.layer.contains(&crel) {
                self.remove_at(dir, &name, &crel)?;
                continue;
            }
            if let Ok(fd) = rfs::openat(
                dir,
                name.as_slice(),
                OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            ) {
                self.prune_lower(fd.as_fd(), &crel)?;
            }
        }
        Ok(())
    }

    /// Handle `.wh.` entries. Returns whether the entry was one.
    fn whiteout(&mut self, comps: &[&[u8]], raw: &[u8], what: &str) -> Result<bool> {
        let Some((name, parent)) = comps.split_last() else {
            return Ok(false);
        };
        if *name == b".wh..wh..opq" {
            let dir = self
                .open_dir(parent, true, raw, what, now_secs())?
                .expect("created");
            self.prune_lower(dir.as_fd(), &join(parent))?;
            return Ok(true);
        }
        if name.starts_with(b".wh..wh.") {
            // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not content.
            return Ok(true);
        }
        let Some(target) = name.strip_prefix(b".wh.") else {
            return Ok(false);
        };
        if target.is_empty() || target == b"." || target == b".." {
            return Err(refuse(what, raw, "is a whiteout of nothing"));
        }
        let Some(dir) = self.open_dir(parent, false, raw, what, 0)? else {
            return Ok(true);
        };
        let rel = child(&join(parent), target);
        if self.layer.contains(&rel) {
            // Added by this same layer: only what lower layers had goes.
            if let Ok(fd) = rfs::openat(
                &dir,
                target,
                OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            ) {
                self.prune_lower(fd.as_fd(), &rel)?;
            }
        } else {
            self.remove_at(dir.as_fd(), target, &rel)?;
        }
        Ok(true)
    }

    /// Give directories their recorded mtimes (adding entries changed them).
    pub fn finish(&mut self) -> Result<()> {
        let dirs: Vec<(RelPath, i64)> = self
            .records
            .iter()
            .filter(|(_, r)| r.kind == Kind::Dir)
            .map(|(k, r)| (k.clone(), r.mtime))
            .collect();
        for (rel, mtime) in dirs.into_iter().rev() {
            let comps: Vec<&[u8]> = if rel.is_empty() {
                Vec::new()
            } else {
                rel.split(|b| *b == b'/').collect()
            };
            if let Some(fd) = self.open_dir(&comps, false, &rel, "finishing", mtime)? {
                rfs::futimens(&fd, &timespec(mtime))
                    .map_err(|e| self.io_err(&rel, "setting mtime", e))?;
            }
        }
        Ok(())
    }
}

/// The names in a directory, without `.` and `..`.
fn list(dir: BorrowedFd<'_>) -> rustix::io::Result<Vec<Vec<u8>>> {
    let mut names = Vec::new();
    let mut d = rfs::Dir::read_from(dir)?;
    while let Some(entry) = d.read() {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            names.push(name.to_vec());
        }
    }
    Ok(names)
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
#[path = "unpack_tests.rs"]
mod tests;
