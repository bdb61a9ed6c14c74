//! Where a copy lands, as `docker cp` decides it, for both directions: the
//! source's name, what is at the destination (a directory, something
//! else, nothing), and whether the destination ends with a slash give the
//! directory the archive is extracted into and the name of its top entry.

use crate::plumbing::error::{Error, ErrorKind, Result};

/// What is at a destination path (its last link followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Nothing.
    Missing,
    /// A directory.
    Directory,
    /// A file, or anything else that is not a directory.
    Other,
}

/// What is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name its top entry gets when nothing renames it: its last
    /// component, or `.` for a directory's contents (`DIR/.`).
    pub name: String,
    /// Whether it is a directory (or a directory's contents).
    pub is_dir: bool,
}

/// Where a copy goes: the archive is extracted into `dir`, its top entry
/// named `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The directory to extract into (it must exist).
    pub dir: String,
    /// The top entry's name.
    pub name: String,
}

/// A source path's name: its last component (trailing slashes ignored),
/// `.` when it names a directory's contents (`DIR/.`, `.`, or `/`).
pub fn source_name(path: &str) -> String {
    if path == "." || path.ends_with("/.") {
        return ".".into();
    }
    match path.trim_end_matches('/').rsplit('/').next() {
        Some("") | None => ".".into(),
        Some(name) => name.into(),
    }
}

/// The directory a path is in (`.` for a bare name, `/` at the top).
fn parent(path: &str) -> String {
    let p = path.trim_end_matches('/');
    match p.rfind('/') {
        None => ".".into(),
        Some(0) => "/".into(),
        Some(i) => p[..i].into(),
    }
}

/// A path's last component (trailing slashes ignored).
fn last(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .into()
}

/// Where `src` lands when copied to `dst`, which holds `existing`;
/// `place` names where `dst` is ("in domain \"web\"", "on this host")
/// for the errors.
///
/// - onto a directory: inside it, under the source's own name;
/// - onto anything else: in its place (a file replaces a file); a
///   directory cannot replace a file, and a trailing slash says a
///   directory was meant;
/// - onto nothing: as `dst` (its directory must exist); a file copied to
///   a path with a trailing slash needs that directory to exist.
pub fn place(src: &Source, dst: &str, existing: Existing, place: &str) -> Result<Placement> {
    let slash = dst.ends_with('/') || dst.ends_with("/.");
    match existing {
        Existing::Directory => Ok(Placement {
            dir: dst.into(),
            name: src.name.clone(),
        }),
        Existing::Other if src.is_dir => Err(Error::invalid(format!(
            "cannot copy a directory onto {dst} {place}: it is not a directory"
        ))
        .with_hint("copy it to a directory, or to a path that does not exist yet")),
        Existing::Other if slash => {
            Err(Error::invalid(format!("{dst} {place} is not a directory")))
        }
        Existing::Missing if slash && !src.is_dir => Err(Error::new(
            ErrorKind::NotFound,
            format!("no such directory {place}: {dst}"),
        )
        .with_hint(
            "create the directory first, or leave out the trailing slash to copy to that name",
        )),
        Existing::Other | Existing::Missing => Ok(Placement {
            dir: parent(dst),
            name: last(dst),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> Source {
        Source {
            name: name.into(),
            is_dir: false,
        }
    }

    fn dir(name: &str) -> Source {
        Source {
            name: name.into(),
            is_dir: true,
        }
    }

    fn at(dir: &str, name: &str) -> Placement {
        Placement {
            dir: dir.into(),
            name: name.into(),
        }
    }

    #[test]
    fn source_names() {
        for (path, name) in [
            ("/etc/hosts", "hosts"),
            ("/etc/", "etc"),
            ("etc", "etc"),
            ("/etc/.", "."),
            (".", "."),
            ("/", "."),
            ("a/b//", "b"),
        ] {
            assert_eq!(source_name(path), name, "{path}");
        }
    }

    #[test]
    fn copies_land_where_docker_cp_puts_them() {
        use Existing::*;
        let here = "on this host";
        let cases = [
            // Onto an existing directory: inside it.
            (file("hosts"), "/tmp", Directory, at("/tmp", "hosts")),
            (dir("etc"), "/tmp/", Directory, at("/tmp/", "etc")),
            (dir("."), "/srv", Directory, at("/srv", ".")),
            // Onto a file: in its place.
            (file("hosts"), "/tmp/h", Other, at("/tmp", "h")),
            // Onto nothing: as that name, in its directory.
            (file("hosts"), "/tmp/new", Missing, at("/tmp", "new")),
            (dir("etc"), "/tmp/copy/", Missing, at("/tmp", "copy")),
            (dir("."), "/tmp/copy", Missing, at("/tmp", "copy")),
            (file("hosts"), "new", Missing, at(".", "new")),
            (file("hosts"), "/new", Missing, at("/", "new")),
        ];
        for (src, dst, existing, want) in cases {
            assert_eq!(
                place(&src, dst, existing, here).unwrap(),
                want,
                "{src:?} to {dst} ({existing:?})"
            );
        }
    }

    #[test]
    fn impossible_copies_are_refused_with_their_kind() {
        use Existing::*;
        let e = place(&dir("etc"), "/tmp/h", Other, "in domain \"web\"").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.to_string().contains("/tmp/h in domain \"web\""), "{e}");
        let e = place(&file("hosts"), "/tmp/h/", Other, "here").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let e = place(&file("hosts"), "/tmp/nodir/", Missing, "here").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("/tmp/nodir/"), "{e}");
    }
}
