//! Reading Debian binary packages without dpkg: the `ar` container (the `ar`
//! crate), the `control` stanza, and a streaming walk over the files of
//! `data.tar.*`.
//! Nothing is installed or unpacked to disk; callers keep what they need.

use std::io::{self, BufReader, Read, Write};
use std::path::Path;
use std::sync::mpsc;

use super::error::{BootstrapError, BuildResult};
use crate::plumbing::platform::Progress;

/// The fields of a package's `control` file that the builder records.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Control {
    pub package: String,
    pub version: String,
    pub architecture: String,
}

/// Parse the first stanza of a control file (also `apt-cache show` output).
pub fn parse_control(text: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if fields.is_empty() {
                continue;
            }
            break;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, value)) = fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
        } else if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    fields
}

/// A field of a parsed stanza, by case-insensitive name.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A tar path as the builder compares it: no leading `./` or `/`.
pub fn normalize_path(path: &[u8]) -> String {
    let text = String::from_utf8_lossy(path);
    let mut rest: &str = &text;
    loop {
        if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix('/') {
            rest = r;
        } else {
            break;
        }
    }
    rest.to_string()
}

/// Walk `deb`: check the format, parse `control`, then call `visit` with each
/// regular file of `data.tar.*` (normalized path, size, reader of its bytes).
/// `progress` advances by compressed bytes of the data member.
pub fn walk(
    deb_path: &Path,
    progress: &dyn Progress,
    visit: &mut dyn FnMut(&str, u64, &mut dyn Read) -> BuildResult<()>,
) -> BuildResult<Control> {
    walk_with_links(deb_path, progress, visit, &mut |_, _| Ok(()))
}

/// [`walk`], and call `link` with each symbolic link (normalized path, target
/// as written) and each hard link (normalized path, `/` and the normalized
/// path of the file it links to).
pub fn walk_with_links(
    deb_path: &Path,
    progress: &dyn Progress,
    visit: &mut dyn FnMut(&str, u64, &mut dyn Read) -> BuildResult<()>,
    link: &mut dyn FnMut(&str, &str) -> BuildResult<()>,
) -> BuildResult<Control> {
    let file = std::fs::File::open(deb_path)
        .map_err(|e| BootstrapError::io(format!("opening {}", deb_path.display()), e))?;
    let bad = |reason: String| BootstrapError::bad_package(deb_path, reason);
    let mut ar = ar::Archive::new(BufReader::with_capacity(1 << 16, file));

    match next_member(&mut ar, deb_path)? {
        Some(mut member) if member.name == "debian-binary" => {
            let mut version = String::new();
            (&mut member)
                .take(16)
                .read_to_string(&mut version)
                .map_err(|e| bad(e.to_string()))?;
            if !version.starts_with("2.") {
                return Err(bad(format!(
                    "unsupported package format {:?}",
                    version.trim()
                )));
            }
        }
        _ => return Err(bad("the first member is not debian-binary".into())),
    }

    let mut control = None;
    while let Some(mut member) = next_member(&mut ar, deb_path)? {
        let name = member.name.clone();
        if let Some(compression) = name.strip_prefix("control.tar") {
            let mut tar_bytes = Vec::new();
            decompressed(compression, &mut member, deb_path, &mut |reader| {
                reader
                    .read_to_end(&mut tar_bytes)
                    .map(|_| ())
                    .map_err(|e| bad(format!("reading {name}: {e}")))
            })?;
            control = Some(read_control(&tar_bytes).map_err(bad)?);
        } else if let Some(compression) = name.strip_prefix("data.tar") {
            let control = control.ok_or_else(|| bad("data.tar comes before control.tar".into()))?;
            progress.phase(&format!("unpack {}", control.package), Some(member.size));
            let mut counted = Counted {
                inner: &mut member,
                progress,
            };
            decompressed(compression, &mut counted, deb_path, &mut |reader| {
                walk_tar(reader, deb_path, visit, link)
            })?;
            return Ok(control);
        }
    }
    Err(bad("no data.tar member".into()))
}

fn read_control(tar_bytes: &[u8]) -> Result<Control, String> {
    let mut archive = tar::Archive::new(tar_bytes);
    let entries = archive.entries().map_err(|e| format!("control.tar: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("control.tar: {e}"))?;
        if normalize_path(&entry.path_bytes()) == "control" {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .map_err(|e| format!("control.tar: control: {e}"))?;
            let fields = parse_control(&text);
            let get = |name: &str| field(&fields, name).unwrap_or_default().to_string();
            let control = Control {
                package: get("Package"),
                version: get("Version"),
                architecture: get("Architecture"),
            };
            if control.package.is_empty() || control.version.is_empty() {
                return Err("control has no Package or Version".into());
            }
            return Ok(control);
        }
    }
    Err("control.tar has no control file".into())
}

fn walk_tar(
    reader: &mut dyn Read,
    deb_path: &Path,
    visit: &mut dyn FnMut(&str, u64, &mut dyn Read) -> BuildResult<()>,
    link: &mut dyn FnMut(&str, &str) -> BuildResult<()>,
) -> BuildResult<()> {
    let bad = |e: io::Error| BootstrapError::bad_package(deb_path, format!("data.tar: {e}"));
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let kind = entry.header().entry_type();
        let path = normalize_path(&entry.path_bytes());
        if kind.is_file() {
            let size = entry.size();
            visit(&path, size, &mut entry)?;
        } else if kind.is_symlink() || kind.is_hard_link() {
            let Some(target) = entry.link_name_bytes() else {
                return Err(BootstrapError::bad_package(
                    deb_path,
                    format!("data.tar: link {path} has no target"),
                ));
            };
            let target = if kind.is_hard_link() {
                format!("/{}", normalize_path(&target))
            } else {
                String::from_utf8_lossy(&target).into_owned()
            };
            link(&path, &target)?;
        }
    }
    Ok(())
}

/// The next member of the package's `ar` archive; `None` at its end.
fn next_member<'a, R: Read>(
    ar: &'a mut ar::Archive<R>,
    deb_path: &Path,
) -> BuildResult<Option<Member<'a, R>>> {
    match ar.next_entry() {
        None => Ok(None),
        Some(Err(e)) => Err(BootstrapError::bad_package(
            deb_path,
            format!("not a Debian package (ar): {e}"),
        )),
        Some(Ok(entry)) => Ok(Some(Member::new(entry))),
    }
}

/// One member of the package's `ar` archive: its name (without GNU's
/// trailing `/`) and size, and a reader of exactly its bytes that fails if
/// the archive ends first (the `ar` crate's entry would just stop early).
struct Member<'a, R: Read> {
    name: String,
    size: u64,
    remaining: u64,
    entry: ar::Entry<'a, R>,
}

impl<'a, R: Read> Member<'a, R> {
    fn new(entry: ar::Entry<'a, R>) -> Self {
        let header = entry.header();
        let name = String::from_utf8_lossy(header.identifier()).into_owned();
        let size = header.size();
        Member {
            name: name.strip_suffix('/').map(str::to_string).unwrap_or(name),
            size,
            remaining: size,
            entry,
        }
    }
}

impl<R: Read> Read for Member<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.entry.read(buf)?;
        if n == 0 && self.remaining > 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("ar member {} ends early", self.name),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Advances `progress` by the bytes read through it.
struct Counted<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Run `consume` on the decompressed stream of a member whose name ends in
/// `compression` (`.xz`, `.gz` or nothing).
///
/// lzma-rs only decompresses into a `Write`, while the tar reader pulls from
/// a `Read`: the xz decoder runs on a scoped thread and hands 64 KiB chunks
/// over a bounded channel, so memory stays small whatever the package size.
fn decompressed(
    compression: &str,
    input: &mut (dyn Read + Send),
    deb_path: &Path,
    consume: &mut dyn FnMut(&mut dyn Read) -> BuildResult<()>,
) -> BuildResult<()> {
    match compression {
        "" => consume(input),
        ".gz" => consume(&mut flate2::read::GzDecoder::new(input)),
        ".xz" => std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(16);
            let decoder = scope.spawn(move || -> io::Result<()> {
                let mut input = BufReader::with_capacity(1 << 16, input);
                let mut sink = ChunkSender {
                    tx,
                    chunk: Vec::with_capacity(CHUNK),
                };
                lzma_rs::xz_decompress(&mut input, &mut sink).map_err(|e| match e {
                    lzma_rs::error::Error::IoError(io) => io,
                    other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
                })?;
                sink.flush()
            });
            let mut reader = ChunkReceiver {
                rx,
                chunk: Vec::new(),
                at: 0,
            };
            let mut result = consume(&mut reader);
            if result.is_ok() {
                // Read to the end so the decoder checks the stream's CRCs.
                if let Err(e) = io::copy(&mut reader, &mut io::sink()) {
                    result = Err(BootstrapError::bad_package(deb_path, e.to_string()));
                }
            }
            drop(reader);
            let decoded = decoder
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the xz decoder panicked")));
            match decoded {
                // We stopped reading because `consume` failed: its error wins.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe && result.is_err() => result,
                // A damaged stream explains whatever `consume` saw.
                Err(e) => Err(BootstrapError::bad_package(deb_path, format!("xz: {e}"))),
                Ok(()) => result,
            }
        }),
        other => Err(BootstrapError::bad_package(
            deb_path,
            format!(
                "members compressed as data.tar{other} are not supported (xz, gzip or none are)"
            ),
        )),
    }
}

const CHUNK: usize = 1 << 16;

struct ChunkSender {
    tx: mpsc::SyncSender<Vec<u8>>,
    chunk: Vec<u8>,
}

impl ChunkSender {
    fn send(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.tx
            .send(full)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "reader stopped"))
    }
}

impl Write for ChunkSender {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.chunk.len();
        let n = buf.len().min(room);
        self.chunk.extend_from_slice(&buf[..n]);
        if self.chunk.len() == CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

struct ChunkReceiver {
    rx: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChunkReceiver {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                // The decoder is done (or failed: its error is reported
                // after the join).
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plumbing::platform::NoProgress;

    /// An `ar` archive of `members`, as the `ar` crate writes it (the
    /// common format, names as they are).
    pub(crate) fn archive(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = ar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut header = ar::Header::new(name.as_bytes().to_vec(), data.len() as u64);
            header.set_mode(0o100644);
            builder.append(&header, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_path(path).unwrap();
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn xz(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        lzma_rs::xz_compress(&mut &data[..], &mut out).unwrap();
        out
    }

    /// A small .deb with an xz control and the given data member.
    pub(crate) fn deb(data_name: &str, data: Vec<u8>) -> Vec<u8> {
        let control = tar_of(&[(
            "./control",
            b"Package: demo\nVersion: 1:2.0-1\nArchitecture: amd64\nDescription: x\n more\n",
        )]);
        archive(&[
            ("debian-binary", b"2.0\n"),
            ("control.tar.xz", &xz(&control)),
            (data_name, &data),
        ])
    }

    type Files = Vec<(String, Vec<u8>)>;

    fn collect(path: &Path) -> BuildResult<(Control, Files)> {
        let mut files = Vec::new();
        let control = walk(path, &NoProgress, &mut |name, _size, reader| {
            let mut data = Vec::new();
            reader.read_to_end(&mut data).unwrap();
            files.push((name.to_string(), data));
            Ok(())
        })?;
        Ok((control, files))
    }

    #[test]
    fn walks_xz_gzip_and_plain_data_members() {
        let data = tar_of(&[
            ("./boot/vmlinuz-1", b"kernel"),
            ("./bin/busybox", &[9u8; 70_000]),
        ]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (name, member) in [
            ("data.tar.xz", xz(&data)),
            ("data.tar.gz", gz),
            ("data.tar", data.clone()),
        ] {
            let path = dir.path().join(format!("{name}.deb"));
            std::fs::write(&path, deb(name, member)).unwrap();
            let (control, files) = collect(&path).unwrap();
            assert_eq!(
                control,
                Control {
                    package: "demo".into(),
                    version: "1:2.0-1".into(),
                    architecture: "amd64".into()
                }
            );
            assert_eq!(files[0], ("boot/vmlinuz-1".to_string(), b"kernel".to_vec()));
            assert_eq!(files[1].0, "bin/busybox");
            assert_eq!(files[1].1, vec![9u8; 70_000]);
        }
    }

    #[test]
    fn damaged_or_foreign_packages_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.deb");
        let data = tar_of(&[("./a", b"abc")]);
        // A truncated xz stream (lzma-rs writes no check, so a flipped byte
        // would only be caught by tar's header checksum; see below).
        let whole = xz(&data);
        std::fs::write(&path, deb("data.tar.xz", whole[..whole.len() / 2].to_vec())).unwrap();
        let result = collect(&path);
        assert!(
            matches!(result, Err(BootstrapError::BadPackage { .. })),
            "{result:?}"
        );
        // A flipped byte in the first tar header (just after the xz stream,
        // block and LZMA2 chunk headers, all uncompressed with lzma-rs).
        let mut flipped = whole.clone();
        flipped[40] ^= 0x55;
        std::fs::write(&path, deb("data.tar.xz", flipped)).unwrap();
        let result = collect(&path);
        assert!(
            matches!(result, Err(BootstrapError::BadPackage { .. })),
            "{result:?}"
        );
        // zstd members (Ubuntu) are named, not misread.
        std::fs::write(&path, deb("data.tar.zst", vec![0; 10])).unwrap();
        let err = collect(&path).unwrap_err().to_string();
        assert!(err.contains("data.tar.zst"), "{err}");
        // Not a package at all.
        std::fs::write(&path, archive(&[("hello", b"x")])).unwrap();
        assert!(collect(&path).is_err());
        // A visitor's error stops the walk and is the error returned.
        std::fs::write(
            &path,
            deb("data.tar.xz", xz(&tar_of(&[("./a", b"1"), ("./b", b"2")]))),
        )
        .unwrap();
        let err = walk(&path, &NoProgress, &mut |_, _, _| {
            Err(BootstrapError::Invalid("stop".into()))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stop");
    }

    #[test]
    fn links_are_reported_with_their_targets() {
        let mut builder = tar::Builder::new(Vec::new());
        let mut add = |path: &str, kind: tar::EntryType, target: Option<&str>, data: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_size(data.len() as u64);
            header.set_mode(0o755);
            if let Some(target) = target {
                header.set_link_name(target).unwrap();
            }
            header.set_path(path).unwrap();
            header.set_cksum();
            builder.append(&header, data).unwrap();
        };
        add("./sbin/", tar::EntryType::Directory, None, b"");
        add("./sbin/mke2fs", tar::EntryType::Regular, None, b"elf");
        add(
            "./sbin/mkfs.ext4",
            tar::EntryType::Symlink,
            Some("mke2fs"),
            b"",
        );
        add(
            "./sbin/mkfs.ext3",
            tar::EntryType::Link,
            Some("./sbin/mke2fs"),
            b"",
        );
        add(
            "./lib64/ld-linux-x86-64.so.2",
            tar::EntryType::Symlink,
            Some("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
            b"",
        );
        let data = builder.into_inner().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.deb");
        std::fs::write(&path, deb("data.tar.xz", xz(&data))).unwrap();
        let mut files = Vec::new();
        let mut links = Vec::new();
        walk_with_links(
            &path,
            &NoProgress,
            &mut |name, _, _| {
                files.push(name.to_string());
                Ok(())
            },
            &mut |name, target| {
                links.push((name.to_string(), target.to_string()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(files, ["sbin/mke2fs"]);
        assert_eq!(
            links,
            [
                ("sbin/mkfs.ext4".to_string(), "mke2fs".to_string()),
                ("sbin/mkfs.ext3".to_string(), "/sbin/mke2fs".to_string()),
                (
                    "lib64/ld-linux-x86-64.so.2".to_string(),
                    "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2".to_string()
                ),
            ]
        );
        // The plain walk sees the same files and no links.
        assert_eq!(collect(&path).unwrap().1.len(), 1);
    }

    #[test]
    fn walks_what_dpkg_deb_builds() {
        // dpkg-deb is the reference writer (GNU-style `ar` names, xz
        // members); a package with an odd-sized file and a symlink.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("pkg");
        std::fs::create_dir_all(root.join("DEBIAN")).unwrap();
        std::fs::create_dir_all(root.join("usr/bin")).unwrap();
        std::fs::write(
            root.join("DEBIAN/control"),
            "Package: demo\nVersion: 3.1-2\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: x\n",
        )
        .unwrap();
        std::fs::write(root.join("usr/bin/tool"), vec![7u8; 1001]).unwrap();
        std::os::unix::fs::symlink("tool", root.join("usr/bin/alias")).unwrap();
        let deb = dir.path().join("demo.deb");
        let status = std::process::Command::new("dpkg-deb")
            .args(["-Zxz", "--root-owner-group", "--build"])
            .arg(&root)
            .arg(&deb)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("dpkg-deb is installed (every Debian has it)");
        assert!(status.success());
        let mut files = Vec::new();
        let mut links = Vec::new();
        let control = walk_with_links(
            &deb,
            &NoProgress,
            &mut |name, _, reader| {
                let mut data = Vec::new();
                reader.read_to_end(&mut data).unwrap();
                files.push((name.to_string(), data));
                Ok(())
            },
            &mut |name, target| {
                links.push((name.to_string(), target.to_string()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(control.package, "demo");
        assert_eq!(control.version, "3.1-2");
        assert_eq!(files, [("usr/bin/tool".to_string(), vec![7u8; 1001])]);
        assert_eq!(links, [("usr/bin/alias".to_string(), "tool".to_string())]);
        // Cut inside the data member: an error, not fewer files.
        let bytes = std::fs::read(&deb).unwrap();
        let cut = dir.path().join("cut.deb");
        std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
        assert!(matches!(
            collect(&cut),
            Err(BootstrapError::BadPackage { .. })
        ));
    }

    #[test]
    fn control_stanzas_and_paths() {
        let fields = parse_control(
            "\nPackage: a\nDepends: b (>= 1), c | d\nDescription: x\n long\n\nPackage: z\n",
        );
        assert_eq!(field(&fields, "package"), Some("a"));
        assert_eq!(field(&fields, "Description"), Some("x\nlong"));
        assert_eq!(field(&fields, "Version"), None);
        assert_eq!(normalize_path(b"./lib/modules/x"), "lib/modules/x");
        assert_eq!(normalize_path(b"/boot/vmlinuz"), "boot/vmlinuz");
    }
}
