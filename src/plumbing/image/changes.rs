//! A domain's root compared with its image: the guest's archive of its
//! root filesystem alone (without volumes or any other mount) read against
//! the image's [`Listing`], as `docker diff` reports it — added, changed,
//! deleted, a changed path's directories changed too, a deleted
//! directory once — and, for `domain commit`, the layer that holds the
//! difference: what was added or changed, with the directories on its
//! way, and a whiteout for each deletion.
//!
//! The runtime's own paths are left out, as docker leaves out its init
//! layer: the mount points of the guest's /proc, /sys and /dev, the
//! network files the tether writes (/etc/hosts, /etc/hostname,
//! /etc/resolv.conf), and ext4's lost+found. A directory's time alone is
//! no change (it moves whenever an entry in it does).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Cursor, Read, Seek, Write};

use serde::Serialize;

use crate::plumbing::error::{Error, Result};

use super::digest::HashingReader;
use super::listing::{Kind, Listing, Node, base_name, hash_all, parent_of, tree_path};

/// Paths (and what is under them) that are the runtime's, not the
/// container's.
const RUNTIME: [&[u8]; 7] = [
    b"proc",
    b"sys",
    b"dev",
    b"lost+found",
    b"etc/hosts",
    b"etc/hostname",
    b"etc/resolv.conf",
];

fn is_runtime(path: &[u8]) -> bool {
    RUNTIME
        .iter()
        .any(|r| path == *r || (path.starts_with(r) && path.get(r.len()) == Some(&b'/')))
}

/// What happened to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

impl ChangeKind {
    /// `docker diff`'s letter.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Changed => 'C',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// One change, its path absolute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: String,
}

/// Whether the guest's `g` differs from the image's `b` at one path.
fn differs(b: &Node, g: &Node) -> bool {
    if b.kind != g.kind {
        return true;
    }
    if g.kind == Kind::Directory {
        return !b.implicit && (b.mode, b.uid, b.gid) != (g.mode, g.uid, g.gid);
    }
    (
        b.mode, b.uid, b.gid, b.mtime, b.size, &b.link, b.device, b.content,
    ) != (
        g.mode, g.uid, g.gid, g.mtime, g.size, &g.link, g.device, g.content,
    )
}

/// The uncompressed layer being written, and its digest.
struct Layer<W: Write> {
    out: tar::Builder<W>,
    /// Guest directories' headers by path, for the directories on the way
    /// to what goes in.
    dirs: HashMap<Vec<u8>, tar::Header>,
    written: HashSet<Vec<u8>>,
}

impl<W: Write> Layer<W> {
    /// Write the directories on `path`'s way that are not in yet.
    fn parents(&mut self, path: &[u8]) -> io::Result<()> {
        let mut way = Vec::new();
        let mut at = parent_of(path);
        while !at.is_empty() && !self.written.contains(at) {
            way.push(at.to_vec());
            at = parent_of(at);
        }
        for dir in way.into_iter().rev() {
            if let Some(h) = self.dirs.get(&dir) {
                let mut h = h.clone();
                self.out.append_data(&mut h, shown(&dir), io::empty())?;
            }
            self.written.insert(dir);
        }
        Ok(())
    }

    /// Write an entry (its directories first) with `data`.
    fn put(
        &mut self,
        path: &[u8],
        h: &tar::Header,
        link: Option<&[u8]>,
        data: impl Read,
    ) -> io::Result<()> {
        self.parents(path)?;
        let mut h = h.clone();
        let name = shown(path);
        match link {
            Some(target) => {
                self.out
                    .append_link(&mut h, &name, String::from_utf8_lossy(target).as_ref())?
            }
            None => self.out.append_data(&mut h, &name, data)?,
        }
        self.written.insert(path.to_vec());
        Ok(())
    }
}

/// A tree path as an archive name.
fn shown(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

/// Files this big or smaller are held in memory while their content is
/// compared; bigger ones are spooled to a file.
const IN_MEMORY: u64 = 8 << 20;

/// Compare the guest's archive `guest` with `base`; with `layer`, also
/// write the layer that holds the difference there (a tar, ended). The
/// changes come sorted by path; `reading` makes an error of a failed read
/// of `guest`.
pub fn compare(
    base: &Listing,
    guest: impl Read,
    layer: Option<&mut dyn Write>,
    reading: &dyn Fn(io::Error) -> Error,
) -> Result<Vec<Change>> {
    compare_holding(base, guest, layer, reading, IN_MEMORY)
}

/// [`compare`], holding files of up to `in_memory` bytes in memory.
fn compare_holding(
    base: &Listing,
    guest: impl Read,
    layer: Option<&mut dyn Write>,
    reading: &dyn Fn(io::Error) -> Error,
    in_memory: u64,
) -> Result<Vec<Change>> {
    let bad = reading;
    let mut layer = layer.map(|w| Layer {
        out: tar::Builder::new(w),
        dirs: HashMap::new(),
        written: HashSet::new(),
    });
    // What the guest has: path -> whether a directory.
    let mut seen: HashMap<Vec<u8>, bool> = HashMap::new();
    // Guest files by path, for the hard links to them.
    let mut files: HashMap<Vec<u8>, Node> = HashMap::new();
    let mut changes: BTreeMap<Vec<u8>, ChangeKind> = BTreeMap::new();
    let mut archive = tar::Archive::new(guest);
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let raw = entry.path_bytes().into_owned();
        let path = tree_path(&raw).ok_or_else(|| {
            bad(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the entry {:?} leaves the root",
                    String::from_utf8_lossy(&raw)
                ),
            ))
        })?;
        if path.is_empty() || is_runtime(&path) {
            continue;
        }
        if base_name(&path).starts_with(b".wh.") {
            return Err(Error::invalid(format!(
                "/{} cannot go into an image layer: names starting with .wh. mark deletions there",
                shown(&path)
            ))
            .with_hint("rename or remove it in the domain, then try again"));
        }
        let header = entry.header().clone();
        let Some(mut node) = Node::of_header(&header) else {
            continue;
        };
        let hard_link = header.entry_type() == tar::EntryType::Link;
        let mut link_target = None;
        if hard_link {
            let target = entry
                .link_name_bytes()
                .and_then(|l| tree_path(&l))
                .unwrap_or_default();
            match files.get(&target) {
                Some(n) => node = n.clone(),
                None => continue,
            }
            link_target = Some(target);
        } else if node.kind == Kind::Symlink {
            node.link = entry
                .link_name_bytes()
                .map(|l| l.into_owned())
                .unwrap_or_default();
        }
        seen.insert(path.clone(), node.kind == Kind::Directory);
        let base_node = base.nodes.get(&path);
        if node.kind == Kind::Directory
            && let Some(l) = &mut layer
        {
            l.dirs.insert(path.clone(), header.clone());
        }
        // A file's content: hashed (for the comparison, and for the hard
        // links to it); when a layer is written and all else is equal,
        // held until the comparison says whether it goes in.
        let mut spooled: Option<Box<dyn ReadSeek>> = None;
        let is_file = node.kind == Kind::File && !hard_link;
        if is_file {
            let same_but_content = base_node.is_some_and(|b| {
                let probe = Node {
                    content: b.content,
                    ..node.clone()
                };
                !differs(b, &probe)
            });
            if layer.is_none() {
                node.content = Some(hash_all(&mut entry).map_err(bad)?);
            } else if same_but_content {
                let spool_error = |e| Error::io("spooling a file", e);
                let mut spool: Box<dyn ReadSeek> = if node.size <= in_memory {
                    let mut v = Vec::with_capacity(node.size as usize);
                    entry.read_to_end(&mut v).map_err(bad)?;
                    Box::new(Cursor::new(v))
                } else {
                    let mut f = unnamed_file().map_err(spool_error)?;
                    io::copy(&mut entry, &mut f).map_err(bad)?;
                    Box::new(f)
                };
                spool.rewind().map_err(spool_error)?;
                node.content = Some(hash_all(&mut spool).map_err(spool_error)?);
                spool.rewind().map_err(spool_error)?;
                spooled = Some(spool);
            }
        }
        // A file not hashed yet differs by its metadata: it goes in as it
        // is read, hashed on the way.
        let kind = match base_node {
            None => Some(ChangeKind::Added),
            Some(b) if differs(b, &node) => Some(ChangeKind::Changed),
            Some(_) => None,
        };
        if let Some(kind) = kind {
            changes.insert(path.clone(), kind);
        }
        if let (Some(l), Some(_)) = (&mut layer, kind) {
            let mut hashing = HashingReader::new(&mut entry);
            let written = match (&link_target, node.kind, spooled) {
                (Some(target), _, _) => l.put(&path, &header, Some(target), io::empty()),
                (None, Kind::Symlink, _) => l.put(&path, &header, Some(&node.link), io::empty()),
                (None, Kind::File, Some(spool)) => l.put(&path, &header, None, spool),
                (None, Kind::File, None) => l.put(&path, &header, None, &mut hashing),
                (None, _, _) => l.put(&path, &header, None, io::empty()),
            };
            written.map_err(|e| Error::io(format!("writing the layer ({})", shown(&path)), e))?;
            if is_file && node.content.is_none() {
                let mut sum = [0u8; 32];
                hex::decode_to_slice(hashing.finish().0.hex(), &mut sum).expect("a SHA-256");
                node.content = Some(sum);
            }
        }
        if is_file {
            files.insert(path, node);
        }
    }
    // Deletions: an image path the guest lacks, in a directory it has.
    let deleted: Vec<Vec<u8>> = base
        .nodes
        .keys()
        .filter(|p| !is_runtime(p) && !seen.contains_key(*p))
        .filter(|p| {
            let parent = parent_of(p);
            parent.is_empty() || seen.get(parent) == Some(&true)
        })
        .cloned()
        .collect();
    for path in deleted {
        if let Some(l) = &mut layer {
            let mut whiteout = parent_of(&path).to_vec();
            if !whiteout.is_empty() {
                whiteout.push(b'/');
            }
            whiteout.extend_from_slice(b".wh.");
            whiteout.extend_from_slice(base_name(&path));
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Regular);
            h.set_mode(0o644);
            h.set_uid(0);
            h.set_gid(0);
            h.set_mtime(0);
            h.set_size(0);
            l.put(&whiteout, &h, None, io::empty())
                .map_err(|e| Error::io("writing the layer", e))?;
        }
        changes.insert(path, ChangeKind::Deleted);
    }
    if let Some(l) = layer {
        l.out
            .into_inner()
            .and_then(|w| w.flush())
            .map_err(|e| Error::io("writing the layer", e))?;
    }
    // A change's directories changed too (docker's `C /etc` beside `A
    // /etc/new`), unless added themselves.
    let ancestors: Vec<Vec<u8>> = changes
        .keys()
        .flat_map(|p| {
            let mut up = Vec::new();
            let mut at = parent_of(p);
            while !at.is_empty() {
                up.push(at.to_vec());
                at = parent_of(at);
            }
            up
        })
        .collect();
    for dir in ancestors {
        changes.entry(dir).or_insert(ChangeKind::Changed);
    }
    Ok(changes
        .into_iter()
        .map(|(p, kind)| Change {
            kind,
            path: format!("/{}", shown(&p)),
        })
        .collect())
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// An unnamed file in the temporary directory, gone when closed.
fn unnamed_file() -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(0o600)
        .open(std::env::temp_dir())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tar::EntryType as T;

    fn reading(e: io::Error) -> Error {
        Error::io("reading the guest", e)
    }

    use super::super::listing::test_archive as archive;

    fn image() -> Listing {
        let mut l = Listing::default();
        l.apply(
            &archive(&[
                ("bin/", T::Directory, "", 0o755, 10),
                ("bin/busybox", T::Regular, "busybox", 0o755, 10),
                ("bin/sh", T::Link, "bin/busybox", 0o755, 10),
                ("etc/", T::Directory, "", 0o755, 10),
                ("etc/passwd", T::Regular, "root:x:0:0", 0o644, 10),
                ("etc/motd", T::Regular, "hello", 0o644, 10),
                ("etc/hosts", T::Regular, "127.0.0.1 localhost", 0o644, 10),
                ("var/cache/a", T::Regular, "a", 0o644, 10),
                ("var/cache/b", T::Regular, "b", 0o644, 10),
                ("lib", T::Symlink, "usr/lib", 0o777, 10),
            ])[..],
            "image",
        )
        .unwrap();
        l
    }

    /// The guest's root as the tether archives it: `.` first, `./` names.
    fn guest() -> Vec<u8> {
        archive(&[
            (".", T::Directory, "", 0o755, 99),
            ("./bin", T::Directory, "", 0o755, 10),
            ("./bin/busybox", T::Regular, "busybox", 0o755, 10),
            ("./bin/sh", T::Link, "./bin/busybox", 0o755, 10),
            // Its time moved (a file was added and one removed in it).
            ("./etc", T::Directory, "", 0o755, 99),
            // Same size and time, other content.
            ("./etc/passwd", T::Regular, "root:y:0:0", 0o644, 10),
            ("./etc/motd", T::Regular, "hello", 0o644, 10),
            ("./etc/new.conf", T::Regular, "x=1", 0o600, 50),
            // The runtime's.
            ("./etc/hosts", T::Regular, "10.0.0.2 web", 0o644, 99),
            ("./etc/hostname", T::Regular, "web", 0o644, 99),
            ("./proc", T::Directory, "", 0o555, 99),
            ("./dev", T::Directory, "", 0o755, 99),
            ("./lost+found", T::Directory, "", 0o700, 99),
            ("./var", T::Directory, "", 0o755, 10),
            // var/cache deleted whole.
            ("./lib", T::Symlink, "usr/lib64", 0o777, 10),
            ("./tmp", T::Directory, "", 0o1777, 60),
            ("./tmp/sub", T::Directory, "", 0o755, 60),
            ("./tmp/sub/f", T::Regular, "data", 0o644, 60),
        ])
    }

    fn listed(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{} {}", c.kind.letter(), c.path))
            .collect()
    }

    #[test]
    fn changes_are_what_docker_diff_reports() {
        let changes = compare(&image(), &guest()[..], None, &reading).unwrap();
        assert_eq!(
            listed(&changes),
            [
                "C /etc",
                "A /etc/new.conf",
                "C /etc/passwd",
                "C /lib",
                "A /tmp",
                "A /tmp/sub",
                "A /tmp/sub/f",
                "C /var",
                "D /var/cache",
            ]
        );
    }

    #[test]
    fn the_layer_over_the_image_makes_the_guest_tree() {
        let mut layer = Vec::new();
        let changes = compare(
            &image(),
            &guest()[..],
            Some(&mut layer as &mut dyn Write),
            &reading,
        )
        .unwrap();
        // The same changes with a layer as without.
        assert_eq!(
            changes,
            compare(&image(), &guest()[..], None, &reading).unwrap()
        );
        let mut committed = image();
        committed.apply(&layer[..], "the layer").unwrap();
        let mut want = Listing::default();
        want.apply(&guest()[..], "the guest").unwrap();
        // Every path's kind, mode, content and link (a file's time too).
        let strip = |l: &Listing| -> Vec<String> {
            l.nodes
                .iter()
                .filter(|(p, _)| !is_runtime(p))
                .map(|(p, n)| {
                    let time = if n.kind == Kind::File { n.mtime } else { 0 };
                    format!(
                        "{} {:?} {:o} {time} {} {:?} {:?}",
                        shown(p),
                        n.kind,
                        n.mode,
                        n.size,
                        n.content,
                        n.link
                    )
                })
                .collect()
        };
        // The image's own /etc/hosts stays under the runtime's.
        assert_eq!(
            committed.nodes[&b"etc/hosts".to_vec()].size,
            "127.0.0.1 localhost".len() as u64
        );
        assert_eq!(strip(&committed), strip(&want));
        // Only what changed went in: not the unchanged busybox, nor motd.
        let names: Vec<String> = tar::Archive::new(&layer[..])
            .entries()
            .unwrap()
            .map(|e| String::from_utf8_lossy(&e.unwrap().path_bytes()).into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "etc",
                "etc/passwd",
                "etc/new.conf",
                "lib",
                "tmp",
                "tmp/sub",
                "tmp/sub/f",
                // A directory goes in when something in it does.
                "var",
                "var/.wh.cache",
            ]
        );
    }

    #[test]
    fn files_spooled_to_disk_give_the_same_layer() {
        let commit = |in_memory| {
            let mut layer = Vec::new();
            let changes = compare_holding(
                &image(),
                &guest()[..],
                Some(&mut layer as &mut dyn Write),
                &reading,
                in_memory,
            )
            .unwrap();
            (changes, layer)
        };
        // Nothing held in memory: every file compared by content goes
        // through an unnamed temporary file.
        assert_eq!(commit(0), commit(IN_MEMORY));
    }

    #[test]
    fn a_new_name_for_an_old_file_is_added_and_the_old_name_unchanged() {
        // The walk meets the new name first: the old one is its hard link.
        let g = archive(&[
            (".", T::Directory, "", 0o755, 99),
            ("./a-new-name", T::Regular, "busybox", 0o755, 10),
            ("./bin", T::Directory, "", 0o755, 10),
            ("./bin/busybox", T::Link, "./a-new-name", 0o755, 10),
            ("./bin/sh", T::Link, "./a-new-name", 0o755, 10),
        ]);
        let mut base = Listing::default();
        base.apply(
            &archive(&[
                ("bin/busybox", T::Regular, "busybox", 0o755, 10),
                ("bin/sh", T::Link, "bin/busybox", 0o755, 10),
            ])[..],
            "image",
        )
        .unwrap();
        let mut layer = Vec::new();
        let changes = compare(&base, &g[..], Some(&mut layer as &mut dyn Write), &reading).unwrap();
        assert_eq!(listed(&changes), ["A /a-new-name"]);
    }

    #[test]
    fn a_whiteout_name_in_the_guest_is_refused_by_name() {
        let g = archive(&[
            (".", T::Directory, "", 0o755, 99),
            ("./.wh.oops", T::Regular, "", 0o644, 10),
        ]);
        let e = compare(&Listing::default(), &g[..], None, &reading).unwrap_err();
        assert!(e.to_string().contains("/.wh.oops"), "{e}");
        assert!(e.hint().is_some_and(|h| h.contains("rename")), "{e:?}");
    }
}
