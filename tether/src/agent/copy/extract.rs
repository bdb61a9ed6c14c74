//! CopyIn's extraction: each entry of the archive created in the
//! destination directory, the directories on its way resolved inside the
//! container's root (missing ones made, 0755), the entry itself created
//! without following a symbolic link (an existing file or link is
//! replaced; a directory is never replaced by a non-directory, nor the
//! other way round). Modes, times and, as the administrator, owners are
//! kept; directories get theirs after their contents.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use tether_protocol::message::CopyFailure;

use super::Failure;
use crate::agent::inroot::{self, Root, c_path};
use crate::agent::tar::{Header, Kind, Reader};

/// The components of an archive name; `..` anywhere is refused.
fn components(name: &[u8]) -> Result<Vec<&[u8]>, Failure> {
    let mut out = Vec::new();
    for c in name.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                return Err(Failure::new(
                    CopyFailure::BadArchive,
                    format!(
                        "the archive's entry {} would leave the destination",
                        inroot::show(name)
                    ),
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn join(base: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut p = base.to_vec();
    for c in parts {
        if !p.is_empty() && !p.ends_with(b"/") {
            p.push(b'/');
        }
        p.extend_from_slice(c);
    }
    p
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn times(h: &Header) -> [libc::timespec; 2] {
    let t = libc::timespec {
        tv_sec: h.mtime as libc::time_t,
        tv_nsec: 0,
    };
    [t, t]
}

/// Owner, mode and times of an open file or directory.
fn set_meta(fd: &OwnedFd, h: &Header, owners: bool) -> io::Result<()> {
    let fd = fd.as_raw_fd();
    if owners {
        // SAFETY: fchown on a valid descriptor. (Before chmod: chown
        // clears the set-id bits.)
        check(unsafe { libc::fchown(fd, h.uid as libc::uid_t, h.gid as libc::gid_t) })?;
    }
    // SAFETY: fchmod and futimens on a valid descriptor, with two timespecs.
    unsafe {
        check(libc::fchmod(fd, h.mode as libc::mode_t))?;
        check(libc::futimens(fd, times(h).as_ptr()))
    }
}

/// Owner, mode (unless a link) and times of `name` in `dir`, not following
/// a symbolic link.
fn set_meta_at(dir: RawFd, name: &[u8], h: &Header, owners: bool) -> io::Result<()> {
    let n = c_path(name)?;
    // SAFETY: *at calls with a valid descriptor and C string.
    unsafe {
        if owners {
            check(libc::fchownat(
                dir,
                n.as_ptr(),
                h.uid as libc::uid_t,
                h.gid as libc::gid_t,
                libc::AT_SYMLINK_NOFOLLOW,
            ))?;
        }
        if h.kind != Kind::Symlink {
            check(libc::fchmodat(dir, n.as_ptr(), h.mode as libc::mode_t, 0))?;
        }
        check(libc::utimensat(
            dir,
            n.as_ptr(),
            times(h).as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        ))
    }
}

struct Extraction<'r> {
    root: &'r Root,
    /// The destination, relative to the container's root.
    dest: Vec<u8>,
    owners: bool,
    /// Directories made or met, for their metadata at the end.
    dirs: Vec<(Vec<u8>, Header)>,
    /// The last parent directory resolved, by its archive components.
    parent: Option<(Vec<Vec<u8>>, OwnedFd)>,
}

impl Extraction<'_> {
    /// The directory `parts` below the destination, made where missing.
    fn parent_dir(&mut self, parts: &[&[u8]]) -> io::Result<RawFd> {
        let key: Vec<Vec<u8>> = parts.iter().map(|p| p.to_vec()).collect();
        if let Some((k, fd)) = &self.parent {
            if *k == key {
                return Ok(fd.as_raw_fd());
            }
        }
        let flags = libc::O_PATH | libc::O_DIRECTORY;
        let fd = match self.root.open_path(&join(&self.dest, parts), flags) {
            Ok(fd) => fd,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                for i in 0..parts.len() {
                    let above = self.root.open_path(&join(&self.dest, &parts[..i]), flags)?;
                    let n = c_path(parts[i])?;
                    // SAFETY: mkdirat with a valid descriptor and C string.
                    let rc = unsafe { libc::mkdirat(above.as_raw_fd(), n.as_ptr(), 0o755) };
                    if rc < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EEXIST) {
                        return Err(io::Error::last_os_error());
                    }
                }
                self.root.open_path(&join(&self.dest, parts), flags)?
            }
            Err(e) => return Err(e),
        };
        let raw = fd.as_raw_fd();
        self.parent = Some((key, fd));
        Ok(raw)
    }

    /// Make room for a new `leaf` in `dir`: a non-directory there is
    /// removed; a directory stays for a directory and is a conflict for
    /// anything else. True when a directory is already there.
    fn make_room(&self, dir: RawFd, leaf: &[u8], h: &Header, shown: &str) -> Result<bool, Failure> {
        let existing = match inroot::stat_at(dir, leaf) {
            Ok(st) => inroot::file_type(&st),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(false),
            Err(e) => return Err(Failure::io(shown, &e)),
        };
        let new_dir = h.kind == Kind::Directory;
        match (existing == libc::S_IFDIR, new_dir) {
            (true, true) => Ok(true),
            (false, false) => {
                let n = c_path(leaf).map_err(|e| Failure::io(shown, &e))?;
                // SAFETY: unlinkat with a valid descriptor and C string.
                check(unsafe { libc::unlinkat(dir, n.as_ptr(), 0) })
                    .map_err(|e| Failure::io(shown, &e))?;
                Ok(false)
            }
            (true, false) => Err(Failure::new(
                CopyFailure::Conflict,
                format!("cannot replace the directory {shown} with a non-directory"),
            )),
            (false, true) => Err(Failure::new(
                CopyFailure::Conflict,
                format!("cannot replace the non-directory {shown} with a directory"),
            )),
        }
    }

    fn entry<R: Read>(&mut self, h: &Header, reader: &mut Reader<R>) -> Result<(), Failure> {
        let parts = components(&h.name)?;
        let shown = inroot::show(&join(&self.dest, &parts));
        let shown = format!("/{}", shown.trim_start_matches('/'));
        let Some((leaf, above)) = parts.split_last() else {
            // "." names the destination itself.
            if h.kind != Kind::Directory {
                return Err(Failure::new(
                    CopyFailure::BadArchive,
                    "the archive's entry \".\" is not a directory",
                ));
            }
            self.dirs.push((self.dest.clone(), h.clone()));
            return Ok(());
        };
        let dir = self
            .parent_dir(above)
            .map_err(|e| Failure::io(&shown, &e))?;
        let exists = self.make_room(dir, leaf, h, &shown)?;
        let io = |e: io::Error| Failure::io(&shown, &e);
        let n = c_path(leaf).map_err(io)?;
        match h.kind {
            Kind::Directory => {
                if !exists {
                    // SAFETY: mkdirat with a valid descriptor and C string.
                    check(unsafe { libc::mkdirat(dir, n.as_ptr(), 0o700) }).map_err(io)?;
                }
                self.dirs.push((join(&self.dest, &parts), h.clone()));
            }
            Kind::File => {
                let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL;
                let fd = inroot::open_at(dir, leaf, flags, 0o600).map_err(io)?;
                let mut f = std::fs::File::from(fd.try_clone().map_err(io)?);
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let got = reader.read_data(&mut buf).map_err(io)?;
                    if got == 0 {
                        break;
                    }
                    f.write_all(&buf[..got]).map_err(io)?;
                }
                set_meta(&fd, h, self.owners).map_err(io)?;
            }
            Kind::Symlink => {
                let target = c_path(&h.link).map_err(io)?;
                // SAFETY: symlinkat with valid C strings and descriptor.
                check(unsafe { libc::symlinkat(target.as_ptr(), dir, n.as_ptr()) }).map_err(io)?;
                set_meta_at(dir, leaf, h, self.owners).map_err(io)?;
            }
            Kind::HardLink => {
                let target = components(&h.link)?;
                let Some((tleaf, tabove)) = target.split_last() else {
                    return Err(Failure::new(
                        CopyFailure::BadArchive,
                        format!("the hard link {shown} has no target"),
                    ));
                };
                let tdir = self
                    .root
                    .open_path(&join(&self.dest, tabove), libc::O_PATH | libc::O_DIRECTORY)
                    .map_err(io)?;
                let t = c_path(tleaf).map_err(io)?;
                // SAFETY: linkat with valid descriptors and C strings; flags
                // 0 links a symbolic link itself, never its target.
                check(unsafe { libc::linkat(tdir.as_raw_fd(), t.as_ptr(), dir, n.as_ptr(), 0) })
                    .map_err(io)?;
            }
            Kind::Char | Kind::Block | Kind::Fifo => {
                let kind = match h.kind {
                    Kind::Char => libc::S_IFCHR,
                    Kind::Block => libc::S_IFBLK,
                    _ => libc::S_IFIFO,
                };
                let dev = libc::makedev(h.major, h.minor);
                // SAFETY: mknodat with a valid descriptor and C string.
                check(unsafe { libc::mknodat(dir, n.as_ptr(), kind | 0o600, dev) }).map_err(io)?;
                set_meta_at(dir, leaf, h, self.owners).map_err(io)?;
            }
        }
        Ok(())
    }

    /// The directories' metadata, deepest first.
    fn finish_dirs(&mut self) -> Result<(), Failure> {
        self.parent = None;
        let mut dirs = std::mem::take(&mut self.dirs);
        dirs.sort_by_key(|d| std::cmp::Reverse(d.0.len()));
        for (path, h) in dirs {
            let shown = format!("/{}", inroot::show(&path).trim_start_matches('/'));
            // The destination itself may be reached through a link.
            let nofollow = if path == self.dest {
                0
            } else {
                libc::O_NOFOLLOW
            };
            let fd = self
                .root
                .open_path(&path, libc::O_RDONLY | libc::O_DIRECTORY | nofollow)
                .map_err(|e| Failure::io(&shown, &e))?;
            set_meta(&fd, &h, self.owners).map_err(|e| Failure::io(&shown, &e))?;
        }
        Ok(())
    }
}

/// Extract the archive read from `input` into the directory `dest` of
/// the container; call `started` once the directory was found. With
/// `owners`, entries keep their numeric owners.
pub fn extract(
    root: &Root,
    dest: &[u8],
    input: impl Read,
    owners: bool,
    started: &dyn Fn(),
) -> Result<(), Failure> {
    let shown = inroot::show(dest);
    root.open_path(dest, libc::O_PATH | libc::O_DIRECTORY)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ENOENT) => Failure::new(
                CopyFailure::NotFound,
                format!("no such directory in the domain: {shown}"),
            ),
            Some(libc::ENOTDIR) => Failure::new(
                CopyFailure::NotADirectory,
                format!("{shown} is not a directory in the domain"),
            ),
            _ => Failure::io(&shown, &e),
        })?;
    started();
    let mut x = Extraction {
        root,
        dest: inroot::relative(dest).to_vec(),
        owners,
        dirs: Vec::new(),
        parent: None,
    };
    let mut reader = Reader::new(input);
    let result = loop {
        match reader.next_header() {
            Ok(Some(h)) => {
                if let Err(f) = x.entry(&h, &mut reader) {
                    break Err(f);
                }
            }
            Ok(None) => break x.finish_dirs(),
            Err(e) => break Err(Failure::io("reading the archive", &e)),
        }
    };
    // Read what follows the archive, so the host's last writes complete
    // before the session's end. (A failure ends the session at once: the
    // host stops writing when it hears CopyFailed.)
    if result.is_ok() {
        let mut rest = reader.into_inner();
        let _ = io::copy(&mut rest, &mut io::sink());
    }
    result
}
