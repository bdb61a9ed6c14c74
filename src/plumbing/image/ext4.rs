//! Building the image's root disk: `mkfs.ext4 -d` from the staging tree (no
//! root, no loop device), then `debugfs -w` to give every inode the owner,
//! mode, device numbers and xattrs the image recorded, which an unprivileged
//! extraction could not give the staged files.

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use crate::plumbing::error::{Error, IoContext, Result};

use super::Control;
use super::unpack::{Kind, Tree};

/// The label the guest agent finds the root disk by.
pub const ROOT_LABEL: &str = "vicport-root";

/// The smallest root disk vicport makes.
pub const MIN_DISK_SIZE: u64 = 64 << 20;

const BLOCK: u64 = 4096;
const MIB: u64 = 1 << 20;

pub use crate::plumbing::host::find_tool;

pub fn run(cmd: &mut Command, what: &str) -> Result<std::process::Output> {
    let out = cmd
        .env("LC_ALL", "C")
        .output()
        .io_context(|| format!("running {:?}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out)
}

/// What the staged tree holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// Bytes of file content (hard links counted once).
    pub content_bytes: u64,
    /// 4 KiB blocks the content needs in ext4, directories and long
    /// symlinks included.
    pub blocks: u64,
    /// Inodes it needs.
    pub inodes: u64,
}

/// Measure the staged tree (never following symlinks).
pub fn measure(root: &Path) -> Result<Measure> {
    let mut m = Measure::default();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        m.inodes += 1;
        let mut entries = 0u64;
        for entry in std::fs::read_dir(&dir).io_context(|| format!("reading {}", dir.display()))? {
            let entry = entry.io_context(|| format!("reading {}", dir.display()))?;
            entries += 1;
            let meta = entry
                .path()
                .symlink_metadata()
                .io_context(|| format!("reading {}", entry.path().display()))?;
            if meta.is_dir() {
                stack.push(entry.path());
                continue;
            }
            if meta.nlink() > 1 && !seen.insert(meta.ino()) {
                continue;
            }
            m.inodes += 1;
            if meta.is_file() {
                m.content_bytes += meta.len();
                m.blocks += meta.len().div_ceil(BLOCK);
            } else if meta.file_type().is_symlink() && meta.len() > 59 {
                m.blocks += 1;
            }
        }
        // A directory entry takes about 8 bytes plus its name; 40 is generous.
        m.blocks += (entries * 40).div_ceil(BLOCK).max(1);
    }
    Ok(m)
}

/// The disk size for `m`: content plus a quarter, inode tables and 32 MiB for
/// the journal and metadata, at least [`MIN_DISK_SIZE`], in whole MiB.
pub fn disk_size_for(m: &Measure) -> u64 {
    let content = m.blocks * BLOCK;
    let want = content + content / 4 + m.inodes * 256 * 2 + 32 * MIB;
    want.div_ceil(MIB).max(MIN_DISK_SIZE / MIB) * MIB
}

/// The inode count mke2fs picks by default for `size` (mke2fs.conf: "small"
/// below 512 MiB, 4 KiB per inode; else 16 KiB per inode).
fn default_inodes(size: u64) -> u64 {
    if size < 512 * MIB {
        size / 4096
    } else {
        size / 16384
    }
}

/// What [`build`] made.
#[derive(Debug, Clone, Copy)]
pub struct Built {
    pub disk_size: u64,
    pub measure: Measure,
}

/// Build `out` from the staged tree. `requested` asks for a bigger disk than
/// the content needs; a smaller one is refused.
pub fn build(
    tree: &Tree,
    scratch: &Path,
    out: &Path,
    requested: Option<u64>,
    ctl: &Control,
) -> Result<Built> {
    ctl.check()?;
    let m = measure(tree.path())?;
    let needed = disk_size_for(&m);
    let size = match requested {
        Some(r) if r < needed => {
            return Err(Error::invalid(format!(
                "a root disk of {} MiB is too small for this image: it needs at least {} MiB",
                r / MIB,
                needed / MIB
            ))
            .with_hint("ask for a bigger size, or none to let vicport choose"));
        }
        Some(r) => r.div_ceil(MIB) * MIB,
        None => needed,
    };
    let inodes = m.inodes + m.inodes / 4 + 1024;

    ctl.progress.phase("building disk", None);
    let mkfs = find_tool("mkfs.ext4", "e2fsprogs")?;
    let mut cmd = Command::new(mkfs);
    cmd.args([
        "-q",
        "-F",
        "-b",
        "4096",
        "-m",
        "0",
        "-L",
        ROOT_LABEL,
        "-E",
        "root_owner=0:0",
    ]);
    if inodes > default_inodes(size) {
        cmd.arg("-N").arg(inodes.to_string());
    }
    cmd.arg("-d")
        .arg(tree.path())
        .arg(out)
        .arg(format!("{}k", size / 1024));
    run(&mut cmd, "mkfs.ext4").map_err(|e| e.context(format!("building {}", out.display())))?;

    ctl.check()?;
    ctl.progress.phase("applying ownership", None);
    let script = fixups(tree, scratch)?;
    if !script.is_empty() {
        let path = scratch.join("fixups.debugfs");
        std::fs::write(&path, &script).io_context(|| format!("writing {}", path.display()))?;
        debugfs_script(out, &path)?;
    }
    Ok(Built {
        disk_size: size,
        measure: m,
    })
}

/// Run a debugfs script read-write. debugfs exits 0 even when a command
/// fails, so anything on stderr besides its banner is an error.
pub fn debugfs_script(disk: &Path, script: &Path) -> Result<()> {
    let debugfs = find_tool("debugfs", "e2fsprogs")?;
    let out = run(
        Command::new(debugfs)
            .arg("-w")
            .arg("-f")
            .arg(script)
            .arg(disk),
        "debugfs",
    )?;
    let errors: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("debugfs "))
        .take(5)
        .map(str::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(Error::other(format!(
            "setting owners and modes in {} failed: {}",
            disk.display(),
            errors.join("; ")
        )));
    }
    Ok(())
}

/// A path quoted for debugfs's command parser (`"` doubled inside quotes).
fn quote(path: &[u8]) -> Result<Vec<u8>> {
    if path.iter().any(|b| matches!(b, b'\n' | b'\r' | 0)) {
        return Err(Error::invalid(format!(
            "the image has a file name with a line break, {:?}, which vicport cannot put on an ext4 disk",
            String::from_utf8_lossy(path)
        )));
    }
    let mut q = Vec::with_capacity(path.len() + 2);
    q.push(b'"');
    for b in path {
        if *b == b'"' {
            q.push(b'"');
        }
        q.push(*b);
    }
    q.push(b'"');
    Ok(q)
}

/// The debugfs commands that make the disk match the records: owners and
/// modes that differ from the staged files (which mkfs copied), device nodes
/// in place of their placeholders, and xattrs.
pub fn fixups(tree: &Tree, scratch: &Path) -> Result<Vec<u8>> {
    let mut script = Vec::new();
    let mut xattr_files = 0usize;
    for (rel, rec) in &tree.records {
        let host = if rel.is_empty() {
            tree.path().to_path_buf()
        } else {
            tree.path().join(OsStr::from_bytes(rel))
        };
        let meta = host
            .symlink_metadata()
            .io_context(|| format!("reading {}", host.display()))?;
        let abs = [b"/", rel.as_slice()].concat();
        let p = quote(&abs)?;
        let line = |script: &mut Vec<u8>, parts: &[&[u8]]| {
            script.extend_from_slice(&parts.join(&b' '));
            script.push(b'\n');
        };
        let file_type = meta.mode() & 0o170000;
        let device = match rec.kind {
            Kind::Char { major, minor } => Some(("c", 0o020000, major, minor)),
            Kind::Block { major, minor } => Some(("b", 0o060000, major, minor)),
            _ => None,
        };
        if let Some((letter, ftype, major, minor)) = device {
            let (parent, name) = match abs.iter().rposition(|b| *b == b'/') {
                Some(0) => (b"/".to_vec(), abs[1..].to_vec()),
                Some(i) => (abs[..i].to_vec(), abs[i + 1..].to_vec()),
                None => unreachable!("absolute"),
            };
            line(&mut script, &[b"rm", &p]);
            line(&mut script, &[b"cd", &quote(&parent)?]);
            line(
                &mut script,
                &[
                    b"mknod",
                    &quote(&name)?,
                    letter.as_bytes(),
                    major.to_string().as_bytes(),
                    minor.to_string().as_bytes(),
                ],
            );
            line(&mut script, &[b"cd", b"/"]);
            let mode = format!("0{:o}", ftype | rec.mode);
            line(
                &mut script,
                &[b"set_inode_field", &p, b"mode", mode.as_bytes()],
            );
            line(
                &mut script,
                &[
                    b"set_inode_field",
                    &p,
                    b"uid",
                    rec.uid.to_string().as_bytes(),
                ],
            );
            line(
                &mut script,
                &[
                    b"set_inode_field",
                    &p,
                    b"gid",
                    rec.gid.to_string().as_bytes(),
                ],
            );
        } else {
            // The root directory's owner comes from -E root_owner, its mode
            // from mkfs: set both explicitly.
            let root = rel.is_empty();
            if root || u64::from(meta.uid()) != rec.uid {
                line(
                    &mut script,
                    &[
                        b"set_inode_field",
                        &p,
                        b"uid",
                        rec.uid.to_string().as_bytes(),
                    ],
                );
            }
            if root || u64::from(meta.gid()) != rec.gid {
                line(
                    &mut script,
                    &[
                        b"set_inode_field",
                        &p,
                        b"gid",
                        rec.gid.to_string().as_bytes(),
                    ],
                );
            }
            if rec.kind != Kind::Symlink && (root || meta.mode() & 0o7777 != rec.mode) {
                let mode = format!("0{:o}", file_type | rec.mode);
                line(
                    &mut script,
                    &[b"set_inode_field", &p, b"mode", mode.as_bytes()],
                );
            }
        }
        for (name, value) in &rec.xattrs {
            if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || b == b'"') {
                continue;
            }
            xattr_files += 1;
            let vpath = scratch.join(format!("xattr-{xattr_files}"));
            std::fs::File::create(&vpath)
                .and_then(|mut f| f.write_all(value))
                .io_context(|| format!("writing {}", vpath.display()))?;
            line(
                &mut script,
                &[
                    b"ea_set -f",
                    &quote(vpath.as_os_str().as_bytes())?,
                    &p,
                    name.as_bytes(),
                ],
            );
        }
    }
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_quotes_and_refuses_newlines() {
        assert_eq!(quote(b"/a b").unwrap(), b"\"/a b\"");
        assert_eq!(quote(b"/q\"x").unwrap(), b"\"/q\"\"x\"");
        assert!(quote(b"/a\nb").is_err());
    }

    #[test]
    fn disk_size_has_a_floor_and_headroom() {
        assert_eq!(disk_size_for(&Measure::default()), MIN_DISK_SIZE);
        let big = Measure {
            content_bytes: 1 << 30,
            blocks: (1 << 30) / BLOCK,
            inodes: 1000,
        };
        let size = disk_size_for(&big);
        assert!(size >= (1 << 30) + (1 << 28), "{size}");
        assert_eq!(size % MIB, 0);
    }
}
