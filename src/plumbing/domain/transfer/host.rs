//! The host's end of a copy, with the `tar` crate: a host path packed as
//! the archive a domain extracts (links kept as links), an archive from a
//! domain unpacked into a host directory (modes and times kept, owners
//! too when running as root; no entry may leave the directory), and a
//! counter of the bytes that passed.

use std::io::{self, Read, Write};
use std::path::Path;

use super::place::{Existing, Source, source_name};
use crate::plumbing::error::{Error, ErrorKind, Result};

/// What is at a host path, its last link followed.
pub fn existing(path: &Path) -> Result<Existing> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(Existing::Directory),
        Ok(_) => Ok(Existing::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Existing::Missing),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

/// A host path as a copy's source (its last link not followed: a link is
/// copied as a link).
pub fn source(path: &Path) -> Result<Source> {
    let text = utf8(path)?;
    match std::fs::symlink_metadata(path) {
        Ok(m) => {
            let name = source_name(text);
            let contents = name == ".";
            let name = if name == ".." {
                // `..` names a real directory: use its own name.
                let real = std::fs::canonicalize(path)
                    .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
                real.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| ".".into())
            } else {
                name
            };
            if contents && !m.is_dir() {
                return Err(Error::invalid(format!("{text} is not a directory")));
            }
            Ok(Source {
                name,
                is_dir: m.is_dir(),
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Error::new(
            ErrorKind::NotFound,
            format!("no such file or directory on this host: {text}"),
        )),
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => Err(Error::invalid(format!(
            "{text} on this host: a file stands where a directory is needed"
        ))),
        Err(e) => Err(Error::io(format!("reading {text}"), e)),
    }
}

/// A host path as text (the protocol and the copy rules speak UTF-8).
pub fn utf8(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        Error::invalid(format!(
            "{} is not UTF-8: copies take UTF-8 paths",
            path.display()
        ))
    })
}

/// Write the archive of `path` to `w`, its top entry named `name`.
pub fn pack(path: &Path, src: &Source, name: &str, w: impl Write) -> io::Result<()> {
    let mut b = tar::Builder::new(w);
    b.follow_symlinks(false);
    if src.is_dir {
        b.append_dir_all(name, path)?;
    } else {
        b.append_path_with_name(path, name)?;
    }
    b.finish()
}

/// Extract the archive read from `r` into the directory `dir`; `owners`
/// keeps the entries' numeric owners.
pub fn unpack(r: impl Read, dir: &Path, owners: bool) -> io::Result<()> {
    let mut a = tar::Archive::new(r);
    a.set_preserve_permissions(true);
    a.set_preserve_mtime(true);
    a.set_preserve_ownerships(owners);
    a.set_overwrite(true);
    a.set_unpack_xattrs(false);
    a.unpack(dir)
}

/// Counts the bytes written through it.
#[derive(Debug)]
pub struct Counting<T> {
    /// What is written to or read from.
    pub inner: T,
    /// Bytes so far.
    pub bytes: u64,
}

impl<T> Counting<T> {
    /// Count what passes through `inner`.
    pub fn new(inner: T) -> Self {
        Counting { inner, bytes: 0 }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn set_mtime(path: &Path, secs: i64) {
        let f = std::fs::File::open(path).unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs as u64))
            .unwrap();
    }

    #[test]
    fn a_tree_packed_and_unpacked_keeps_modes_times_and_links() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::write(src.join("sub/f"), "data").unwrap();
        std::fs::set_permissions(src.join("sub/f"), std::fs::Permissions::from_mode(0o751))
            .unwrap();
        set_mtime(&src.join("sub/f"), 1_000_000_000);
        std::os::unix::fs::symlink("/etc/passwd", src.join("link")).unwrap();
        let s = source(&src).unwrap();
        assert_eq!(
            s,
            Source {
                name: "src".into(),
                is_dir: true
            }
        );
        let mut archive = Counting::new(Vec::new());
        pack(&src, &s, "copy", &mut archive).unwrap();
        assert_eq!(archive.bytes, archive.inner.len() as u64);
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        unpack(&archive.inner[..], &out, false).unwrap();
        let f = std::fs::metadata(out.join("copy/sub/f")).unwrap();
        assert_eq!((f.mode() & 0o7777, f.mtime()), (0o751, 1_000_000_000));
        assert_eq!(
            std::fs::read_link(out.join("copy/link")).unwrap(),
            Path::new("/etc/passwd")
        );
        // A directory's contents, as ".", into an existing directory.
        let contents = source(&src.join(".")).unwrap();
        assert_eq!(contents.name, ".");
        let mut archive = Vec::new();
        pack(&src, &contents, ".", &mut archive).unwrap();
        let into = tmp.path().join("into");
        std::fs::create_dir(&into).unwrap();
        unpack(&archive[..], &into, false).unwrap();
        assert_eq!(std::fs::read(into.join("sub/f")).unwrap(), b"data");
    }

    #[test]
    fn sources_and_destinations_are_classified() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("nope");
        let e = source(&missing).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("nope"), "{e}");
        assert_eq!(existing(&missing).unwrap(), Existing::Missing);
        assert_eq!(existing(tmp.path()).unwrap(), Existing::Directory);
        std::fs::write(tmp.path().join("f"), "").unwrap();
        assert_eq!(existing(&tmp.path().join("f")).unwrap(), Existing::Other);
        let e = source(&tmp.path().join("f/.")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        let up = source(&tmp.path().join("d/..")).unwrap();
        assert!(up.is_dir);
        assert_eq!(
            up.name,
            tmp.path().file_name().unwrap().to_string_lossy(),
            "`..` is named by the directory it is"
        );
    }

    #[test]
    fn an_archive_entry_cannot_leave_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_old();
        h.set_size(1);
        h.as_old_mut().name[..9].copy_from_slice(b"../escape");
        h.set_cksum();
        b.append(&h, &b"x"[..]).unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let _ = unpack(&b.into_inner().unwrap()[..], &out, false);
        assert!(!tmp.path().join("escape").exists());
    }
}
