//! The initramfs as a tree of files, written reproducibly: entries sorted by
//! path (parents before children), inode numbers in that order, owner 0:0,
//! one fixed mtime, and a gzip stream without name or timestamp.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::cpio::{CpioWriter, Header, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG};

/// How the cpio archive is compressed. The Debian cloud kernel unpacks gzip,
/// xz, lz4 and zstd (`CONFIG_RD_*`); gzip is the one we can write in pure
/// Rust with real compression (lzma-rs only writes uncompressed LZMA2 chunks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Plain cpio.
    None,
    /// gzip, best compression, empty header (no name, mtime 0).
    #[default]
    Gzip,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir { mode: u32 },
    File { mode: u32, data: Vec<u8> },
    CharDevice { mode: u32, major: u32, minor: u32 },
    Symlink { target: String },
}

/// The files of an initramfs, keyed by path without the leading `/`.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: BTreeMap<String, Node>,
}

fn clean(path: &str) -> io::Result<String> {
    let trimmed = path.trim_start_matches('/');
    let ok = !trimmed.is_empty()
        && trimmed
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad initramfs path {path:?}"),
        ))
    }
}

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    fn insert(&mut self, path: &str, node: Node) -> io::Result<()> {
        let path = clean(path)?;
        let mut parent = path.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            match self.nodes.get(up) {
                Some(Node::Dir { .. }) => {}
                Some(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("{up} is not a directory, cannot hold {path}"),
                    ));
                }
                None => {
                    self.nodes.insert(up.to_string(), Node::Dir { mode: 0o755 });
                }
            }
            parent = up;
        }
        match (self.nodes.get(&path), &node) {
            (Some(Node::Dir { .. }), Node::Dir { .. }) | (None, _) => {
                self.nodes.insert(path, node);
                Ok(())
            }
            (Some(_), _) => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{path} is in the initramfs twice"),
            )),
        }
    }

    /// A directory (parents are created 0755 as needed).
    pub fn dir(&mut self, path: &str, mode: u32) -> io::Result<()> {
        self.insert(
            path,
            Node::Dir {
                mode: mode & 0o7777,
            },
        )
    }

    /// A regular file.
    pub fn file(&mut self, path: &str, mode: u32, data: Vec<u8>) -> io::Result<()> {
        self.insert(
            path,
            Node::File {
                mode: mode & 0o7777,
                data,
            },
        )
    }

    /// A character device node, e.g. `/dev/console` (5, 1): the kernel opens
    /// it for init's stdin/stdout/stderr before devtmpfs is mounted.
    pub fn char_device(&mut self, path: &str, mode: u32, major: u32, minor: u32) -> io::Result<()> {
        self.insert(
            path,
            Node::CharDevice {
                mode: mode & 0o7777,
                major,
                minor,
            },
        )
    }

    /// A symbolic link to `target` (as written: relative to the link's
    /// directory, or absolute within the initramfs).
    pub fn symlink(&mut self, path: &str, target: &str) -> io::Result<()> {
        if target.is_empty() || target.contains('\0') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad symbolic link target {target:?} for {path}"),
            ));
        }
        self.insert(
            path,
            Node::Symlink {
                target: target.to_string(),
            },
        )
    }

    /// Paths in archive order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.keys().map(String::as_str)
    }

    /// Write the tree as a newc archive; the output and the entry count.
    pub fn write_cpio<W: Write>(&self, out: W, mtime: u32) -> io::Result<W> {
        let mut writer = CpioWriter::new(out);
        for (index, (path, node)) in self.nodes.iter().enumerate() {
            let mut header = Header {
                // Fixed, dense inode numbers: the n-th entry in path order.
                // Every regular file has nlink 1, so the kernel never takes
                // two entries for hard links of each other.
                ino: index as u32 + 1,
                mode: 0,
                uid: 0,
                gid: 0,
                nlink: 1,
                mtime,
                rdev_major: 0,
                rdev_minor: 0,
            };
            let data: &[u8] = match node {
                Node::Dir { mode } => {
                    header.mode = S_IFDIR | mode;
                    header.nlink = 2;
                    &[]
                }
                Node::File { mode, data } => {
                    header.mode = S_IFREG | mode;
                    data
                }
                Node::CharDevice { mode, major, minor } => {
                    header.mode = S_IFCHR | mode;
                    header.rdev_major = *major;
                    header.rdev_minor = *minor;
                    &[]
                }
                // The kernel's initramfs unpacker takes a link's target from
                // its data (no trailing NUL), as cpio(1) writes it.
                Node::Symlink { target } => {
                    header.mode = S_IFLNK | 0o777;
                    target.as_bytes()
                }
            };
            writer.entry(path, &header, data)?;
        }
        writer.finish()
    }

    /// Write the archive, compressed as asked.
    pub fn write<W: Write>(&self, out: W, mtime: u32, compression: Compression) -> io::Result<W> {
        match compression {
            Compression::None => self.write_cpio(out, mtime),
            Compression::Gzip => {
                // No file name, no comment, mtime 0, OS "unknown": the header
                // carries nothing from the build host or the build time.
                let encoder = flate2::GzBuilder::new()
                    .mtime(0)
                    .operating_system(255)
                    .write(out, flate2::Compression::best());
                self.write_cpio(encoder, mtime)?.finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::cpio::read_archive;
    use super::*;
    use std::io::Read;

    fn sample(order: &[usize]) -> Tree {
        type Step = Box<dyn Fn(&mut Tree)>;
        let steps: Vec<Step> = vec![
            Box::new(|t| t.file("/init", 0o755, b"tether".to_vec()).unwrap()),
            Box::new(|t| {
                t.file("lib/modules/6.1/kernel/virtio.ko", 0o644, vec![1; 5])
                    .unwrap()
            }),
            Box::new(|t| t.dir("/tmp", 0o1777).unwrap()),
            Box::new(|t| t.char_device("/dev/console", 0o600, 5, 1).unwrap()),
            Box::new(|t| {
                t.file("etc/vicport/image.json", 0o644, b"{}".to_vec())
                    .unwrap()
            }),
            Box::new(|t| t.dir("dev", 0o755).unwrap()),
        ];
        let mut tree = Tree::new();
        for &i in order {
            steps[i](&mut tree);
        }
        tree
    }

    #[test]
    fn entries_are_sorted_with_parents_first_and_dense_inodes() {
        let bytes = sample(&[0, 1, 2, 3, 4, 5])
            .write_cpio(Vec::new(), 0)
            .unwrap();
        let entries = read_archive(&bytes).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "dev",
                "dev/console",
                "etc",
                "etc/vicport",
                "etc/vicport/image.json",
                "init",
                "lib",
                "lib/modules",
                "lib/modules/6.1",
                "lib/modules/6.1/kernel",
                "lib/modules/6.1/kernel/virtio.ko",
                "tmp",
            ]
        );
        for (i, entry) in entries.iter().enumerate() {
            assert_eq!(entry.header.ino, i as u32 + 1);
            assert_eq!(
                (entry.header.uid, entry.header.gid, entry.header.mtime),
                (0, 0, 0)
            );
        }
        assert_eq!(entries[11].header.mode, S_IFDIR | 0o1777);
    }

    #[test]
    fn same_content_gives_the_same_bytes_whatever_the_insertion_order() {
        let a = sample(&[0, 1, 2, 3, 4, 5])
            .write(Vec::new(), 7, Compression::Gzip)
            .unwrap();
        let b = sample(&[5, 4, 3, 2, 1, 0])
            .write(Vec::new(), 7, Compression::Gzip)
            .unwrap();
        assert_eq!(a, b);
        // The gzip header: magic, deflate, no flags, mtime 0, xfl 2 (best), OS 255.
        assert_eq!(&a[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
        // A different mtime or content changes the bytes.
        let c = sample(&[0, 1, 2, 3, 4, 5])
            .write(Vec::new(), 8, Compression::Gzip)
            .unwrap();
        assert_ne!(a, c);
        // And it decompresses to the plain archive.
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&a[..])
            .read_to_end(&mut plain)
            .unwrap();
        let direct = sample(&[0, 1, 2, 3, 4, 5])
            .write_cpio(Vec::new(), 7)
            .unwrap();
        assert_eq!(plain, direct);
        assert_eq!(read_archive(&plain).unwrap().len(), 12);
    }

    #[test]
    fn symbolic_links_carry_their_target_as_data() {
        let mut tree = Tree::new();
        tree.file("sbin/mke2fs", 0o755, b"elf".to_vec()).unwrap();
        tree.symlink("sbin/mkfs.ext4", "mke2fs").unwrap();
        tree.symlink(
            "/lib64/ld-linux-x86-64.so.2",
            "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        )
        .unwrap();
        let entries = read_archive(&tree.write_cpio(Vec::new(), 0).unwrap()).unwrap();
        let link = entries.iter().find(|e| e.name == "sbin/mkfs.ext4").unwrap();
        assert_eq!(link.header.mode, S_IFLNK | 0o777);
        assert_eq!(link.data, b"mke2fs");
        let loader = entries
            .iter()
            .find(|e| e.name == "lib64/ld-linux-x86-64.so.2")
            .unwrap();
        assert_eq!(loader.data, b"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        assert!(
            entries
                .iter()
                .any(|e| e.name == "lib64" && e.file_type() == S_IFDIR)
        );
        assert!(tree.symlink("sbin/mkfs.ext4", "other").is_err());
        assert!(tree.symlink("sbin/x", "").is_err());
    }

    #[test]
    fn refuses_duplicates_bad_paths_and_files_as_parents() {
        let mut tree = Tree::new();
        tree.file("init", 0o755, vec![]).unwrap();
        assert!(tree.file("/init", 0o755, vec![]).is_err());
        assert!(tree.file("init/x", 0o644, vec![]).is_err());
        assert!(tree.file("../etc", 0o644, vec![]).is_err());
        assert!(tree.file("a//b", 0o644, vec![]).is_err());
        assert!(tree.dir("/", 0o755).is_err());
        tree.dir("dev", 0o755).unwrap();
        tree.dir("dev", 0o755).unwrap();
    }
}
