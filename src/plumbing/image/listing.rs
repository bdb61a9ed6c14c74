//! The file tree an image's layers make, as metadata and content digests
//! (nothing is written to disk): what a domain's root is compared with by
//! `domain diff` and `domain commit` ([`super::changes`]). Layers apply in
//! order with the OCI whiteouts (`.wh.NAME`, `.wh..wh..opq`), which hide
//! only what lower layers hold.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufReader, Read};

use sha2::{Digest as _, Sha256};

use crate::plumbing::error::{Error, Result};

use super::blobs::BlobCache;
use super::manifest;
use super::outgoing::Outgoing;
use super::store::Decoder;

/// What kind of file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Directory,
    Symlink,
    Char,
    Block,
    Fifo,
}

/// One path's metadata (a hard link has its target's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    /// Permission bits (with setuid, setgid, sticky).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Seconds since the epoch.
    pub mtime: u64,
    /// A file's size, else 0.
    pub size: u64,
    /// A symbolic link's target.
    pub link: Vec<u8>,
    /// A device's (major, minor).
    pub device: (u32, u32),
    /// A file's SHA-256.
    pub content: Option<[u8; 32]>,
    /// A directory no layer listed, made for what lies under it: its mode
    /// and owner are whatever the extraction chose.
    pub implicit: bool,
}

impl Node {
    /// The node an archive entry's header describes (content and a hard
    /// link's target are the caller's); `None` for a type that is not a
    /// file of the tree (pax and GNU headers are read by the `tar` crate).
    pub fn of_header(h: &tar::Header) -> Option<Node> {
        use tar::EntryType as T;
        let kind = match h.entry_type() {
            T::Regular | T::Continuous | T::Link => Kind::File,
            T::Directory => Kind::Directory,
            T::Symlink => Kind::Symlink,
            T::Char => Kind::Char,
            T::Block => Kind::Block,
            T::Fifo => Kind::Fifo,
            _ => return None,
        };
        let device = if matches!(kind, Kind::Char | Kind::Block) {
            (
                h.device_major().ok().flatten().unwrap_or(0),
                h.device_minor().ok().flatten().unwrap_or(0),
            )
        } else {
            (0, 0)
        };
        Some(Node {
            kind,
            mode: h.mode().unwrap_or(0) & 0o7777,
            uid: h.uid().unwrap_or(0),
            gid: h.gid().unwrap_or(0),
            mtime: h.mtime().unwrap_or(0),
            size: if kind == Kind::File {
                h.size().unwrap_or(0)
            } else {
                0
            },
            link: Vec::new(),
            device,
            content: None,
            implicit: false,
        })
    }

    fn implicit_dir() -> Node {
        Node {
            kind: Kind::Directory,
            mode: 0o755,
            uid: 0,
            gid: 0,
            mtime: 0,
            size: 0,
            link: Vec::new(),
            device: (0, 0),
            content: None,
            implicit: true,
        }
    }
}

/// An archive name as a tree path: relative, without `./`, `/` or a
/// trailing `/`; "" is the root. `None` for a name with a `..` component
/// (no layer or guest archive may leave the root).
pub fn tree_path(raw: &[u8]) -> Option<Vec<u8>> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in raw.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join(&b'/'))
}

/// The directory `path` is in ("" for the root's children).
pub fn parent_of(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => b"",
    }
}

/// `path`'s last component.
pub fn base_name(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// The SHA-256 of everything `r` gives.
pub fn hash_all(r: &mut impl Read) -> io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hasher.finalize().into())
}

const WHITEOUT: &[u8] = b".wh.";
const OPAQUE: &[u8] = b".wh..wh..opq";

/// An image's tree: every path (see [`tree_path`]) but the root's.
#[derive(Debug, Default)]
pub struct Listing {
    pub nodes: BTreeMap<Vec<u8>, Node>,
}

impl Listing {
    /// The tree of the image `image` from its layers, which the blob cache
    /// holds (see [`super::outgoing::outgoing`]).
    pub fn of_image(cache: &BlobCache, image: &str, held: &Outgoing) -> Result<Listing> {
        let mut listing = Listing::default();
        for (i, layer) in held.manifest.layers().iter().enumerate() {
            let digest = manifest::descriptor_digest(layer)?;
            let path = cache.path(&digest);
            let what = format!("layer {} ({digest}) of image {image}", i + 1);
            let file = std::fs::File::open(&path)
                .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
            let decoded = Decoder::new(BufReader::with_capacity(256 * 1024, file))
                .map_err(|e| Error::io(format!("reading {what}"), e))?;
            listing.apply(decoded, &what)?;
        }
        Ok(listing)
    }

    /// Remove `path` and everything under it.
    fn remove_tree(&mut self, path: &[u8], keep: &HashSet<Vec<u8>>) {
        let mut prefix = path.to_vec();
        prefix.push(b'/');
        let under: Vec<Vec<u8>> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .filter(|k| !keep.contains(k))
            .collect();
        for k in under {
            self.nodes.remove(&k);
        }
        if !path.is_empty() && !keep.contains(path) {
            self.nodes.remove(path);
        }
    }

    /// Make the directories on `path`'s way that no layer listed.
    fn make_parents(&mut self, path: &[u8]) {
        let mut at = parent_of(path);
        while !at.is_empty() {
            if self
                .nodes
                .get(at)
                .is_some_and(|n| n.kind == Kind::Directory)
            {
                break;
            }
            self.nodes.insert(at.to_vec(), Node::implicit_dir());
            at = parent_of(at);
        }
    }

    /// Apply one uncompressed layer (`what` names it in errors).
    pub fn apply(&mut self, layer: impl Read, what: &str) -> Result<()> {
        let bad = |e: io::Error| {
            Error::invalid(format!("{what}: not a tar archive vicport reads: {e}"))
                .with_hint("the image's blob in the cache is damaged: pull or import it again")
        };
        let mut archive = tar::Archive::new(layer);
        // Paths this layer put in place, which its own whiteouts leave.
        let mut mine: HashSet<Vec<u8>> = HashSet::new();
        for entry in archive.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            let raw = entry.path_bytes().into_owned();
            let Some(path) = tree_path(&raw) else {
                return Err(bad(io::Error::other(format!(
                    "{} leaves the root",
                    String::from_utf8_lossy(&raw)
                ))));
            };
            let name = base_name(&path);
            if name == OPAQUE {
                let dir = parent_of(&path).to_vec();
                let mut keep = mine.clone();
                keep.insert(dir.clone());
                self.remove_tree(&dir, &keep);
                continue;
            }
            if let Some(hidden) = name.strip_prefix(WHITEOUT) {
                let mut target = parent_of(&path).to_vec();
                if !target.is_empty() {
                    target.push(b'/');
                }
                target.extend_from_slice(hidden);
                self.remove_tree(&target, &mine);
                continue;
            }
            if path.is_empty() {
                continue;
            }
            let Some(mut node) = Node::of_header(entry.header()) else {
                continue;
            };
            match entry.header().entry_type() {
                tar::EntryType::Link => {
                    let target = entry
                        .link_name_bytes()
                        .and_then(|l| tree_path(&l))
                        .unwrap_or_default();
                    match self.nodes.get(&target) {
                        Some(t) => node = t.clone(),
                        // A link to nothing this tree holds: no file.
                        None => continue,
                    }
                }
                tar::EntryType::Symlink => {
                    node.link = entry
                        .link_name_bytes()
                        .map(|l| l.into_owned())
                        .unwrap_or_default();
                }
                _ if node.kind == Kind::File => {
                    node.content = Some(hash_all(&mut entry).map_err(bad)?);
                }
                _ => {}
            }
            // A non-directory replaces a directory and all it held; a
            // directory over a directory keeps what it held.
            let was_dir = self
                .nodes
                .get(&path)
                .is_some_and(|n| n.kind == Kind::Directory);
            if was_dir && node.kind != Kind::Directory {
                self.remove_tree(&path, &mine);
            }
            self.make_parents(&path);
            self.nodes.insert(path.clone(), node);
            mine.insert(path);
        }
        Ok(())
    }
}

/// A tar of `(name, type, content or link, mode, mtime)`, for tests.
#[cfg(test)]
pub(super) fn test_archive(entries: &[(&str, tar::EntryType, &str, u32, u64)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind, data, mode, mtime) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_mode(*mode);
        h.set_mtime(*mtime);
        match kind {
            tar::EntryType::Symlink | tar::EntryType::Link => {
                h.set_size(0);
                b.append_link(&mut h, name, data).unwrap();
            }
            _ => {
                h.set_size(data.len() as u64);
                b.append_data(&mut h, name, data.as_bytes()).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar of `(name, type, content or link)`, 0755 directories and
    /// 0644 files of one time.
    fn layer(entries: &[(&str, tar::EntryType, &str)]) -> Vec<u8> {
        let full: Vec<_> = entries
            .iter()
            .map(|&(n, k, d)| {
                let mode = if k == tar::EntryType::Directory {
                    0o755
                } else {
                    0o644
                };
                (n, k, d, mode, 1000)
            })
            .collect();
        test_archive(&full)
    }

    fn paths(l: &Listing) -> Vec<String> {
        l.nodes
            .keys()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect()
    }

    use tar::EntryType as T;

    #[test]
    fn names_become_tree_paths() {
        for (raw, want) in [
            ("./etc/", Some("etc")),
            ("/etc/passwd", Some("etc/passwd")),
            (".", Some("")),
            ("a//b/./c", Some("a/b/c")),
            ("a/../b", None),
        ] {
            assert_eq!(
                tree_path(raw.as_bytes()),
                want.map(|w| w.as_bytes().to_vec()),
                "{raw}"
            );
        }
        assert_eq!(parent_of(b"a/b/c"), b"a/b");
        assert_eq!(parent_of(b"a"), b"");
        assert_eq!(base_name(b"a/b/c"), b"c");
    }

    #[test]
    fn layers_apply_with_whiteouts_hiding_only_lower_layers() {
        let mut l = Listing::default();
        l.apply(
            &layer(&[
                ("etc/", T::Directory, ""),
                ("etc/passwd", T::Regular, "root"),
                ("etc/group", T::Regular, "g"),
                ("opt/a/b", T::Regular, "deep"),
                ("bin/sh", T::Regular, "sh"),
                ("bin/ash", T::Link, "bin/sh"),
                ("lib", T::Symlink, "usr/lib"),
            ])[..],
            "one",
        )
        .unwrap();
        // Parents no entry listed are there, marked.
        assert!(l.nodes[&b"opt/a".to_vec()].implicit);
        assert_eq!(
            l.nodes[&b"bin/ash".to_vec()].content,
            l.nodes[&b"bin/sh".to_vec()].content
        );
        assert_eq!(l.nodes[&b"lib".to_vec()].link, b"usr/lib");
        l.apply(
            &layer(&[
                ("etc/.wh.group", T::Regular, ""),
                ("opt/.wh..wh..opq", T::Regular, ""),
                ("opt/new", T::Regular, "n"),
                ("bin", T::Regular, "now a file"),
            ])[..],
            "two",
        )
        .unwrap();
        assert_eq!(
            paths(&l),
            ["bin", "etc", "etc/passwd", "lib", "opt", "opt/new"]
        );
        assert_eq!(l.nodes[&b"bin".to_vec()].kind, Kind::File);
        // A whiteout after its own layer's file leaves that file.
        l.apply(
            &layer(&[
                ("x/f", T::Regular, "mine"),
                ("x/.wh..wh..opq", T::Regular, ""),
            ])[..],
            "three",
        )
        .unwrap();
        assert!(l.nodes.contains_key(b"x/f".as_slice()));
    }

    #[test]
    fn a_layer_that_leaves_the_root_is_refused_by_name() {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(T::Regular);
        h.set_size(0);
        // The tar crate refuses `..` in set_path; write the name raw.
        h.as_old_mut().name[..9].copy_from_slice(b"../escape");
        h.set_cksum();
        b.append(&h, &[][..]).unwrap();
        let e = Listing::default()
            .apply(&b.into_inner().unwrap()[..], "layer 1 of img")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("layer 1 of img") && e.contains("../escape"),
            "{e}"
        );
    }
}
