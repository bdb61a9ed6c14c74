//! CopyOut's (and CopyOutRootfs's) archive: the path (its last symbolic
//! link not followed) and, for a directory, everything under it, walked
//! through descriptors without following a link; hard links inside the
//! copy become hard-link entries; the contents of pseudo file systems
//! (/proc, /sys, ...) are left out, their directories kept. The walk
//! enters whatever is mounted under the root it is given: CopyOutRootfs
//! gives it a root without submounts ([`super::rootfs`]).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use tether_protocol::message::CopyFailure;

use super::Failure;
use crate::agent::inroot::{self, Root};
use crate::agent::tar::{self, Header, Kind};

/// File systems whose contents are the kernel's, not files: a copy keeps
/// their mount points as empty directories.
const PSEUDO_FS: [i64; 9] = [
    0x9fa0,      // proc
    0x6265_6572, // sysfs
    0x1cd1,      // devpts
    0x0027_e0eb, // cgroup
    0x6367_7270, // cgroup2
    0x7363_6673, // securityfs
    0x6462_6720, // debugfs
    0x7472_6163, // tracefs
    0xcafe_4a11, // bpf
];

fn is_pseudo(dir: &OwnedFd) -> bool {
    // SAFETY: statfs is plain data filled by the call.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and out-pointer.
    let rc = unsafe { libc::fstatfs(dir.as_raw_fd(), &mut fs) };
    rc == 0 && PSEUDO_FS.contains(&(fs.f_type as i64))
}

fn header_of(name: Vec<u8>, kind: Kind, st: &libc::stat) -> Header {
    Header {
        mode: st.st_mode & 0o7777,
        uid: u64::from(st.st_uid),
        gid: u64::from(st.st_gid),
        mtime: st.st_mtime,
        major: if matches!(kind, Kind::Char | Kind::Block) {
            libc::major(st.st_rdev)
        } else {
            0
        },
        minor: if matches!(kind, Kind::Char | Kind::Block) {
            libc::minor(st.st_rdev)
        } else {
            0
        },
        ..Header::new(name, kind)
    }
}

/// Copy `size` bytes of `file` after its header; a file that shrank
/// meanwhile is padded with zeros, one that grew is cut.
fn copy_data(file: &OwnedFd, size: u64, w: &mut impl Write) -> io::Result<()> {
    let mut f = std::fs::File::from(file.try_clone()?);
    let mut left = size;
    let mut buf = vec![0u8; 64 * 1024];
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match f.read(&mut buf[..want]) {
            Ok(0) => {
                buf[..want].fill(0);
                want
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        w.write_all(&buf[..n])?;
        left -= n as u64;
    }
    tar::write_padding(w, size)
}

/// A directory being walked.
struct Level {
    dir: OwnedFd,
    prefix: Vec<u8>,
    names: Vec<Vec<u8>>,
    next: usize,
}

struct Walk<'w, W: Write> {
    w: &'w mut W,
    /// First archive name of each file with several links.
    links: HashMap<(u64, u64), Vec<u8>>,
    stack: Vec<Level>,
}

impl<W: Write> Walk<'_, W> {
    /// Write the entry `name` for `st`; `open` opens it (as a file or a
    /// directory), `link` reads it as a symbolic link.
    fn entry(
        &mut self,
        name: Vec<u8>,
        st: &libc::stat,
        open: &dyn Fn(libc::c_int) -> io::Result<OwnedFd>,
        link: &dyn Fn() -> io::Result<Vec<u8>>,
    ) -> io::Result<()> {
        match inroot::file_type(st) {
            libc::S_IFDIR => {
                let dir = open(libc::O_RDONLY | libc::O_DIRECTORY)?;
                tar::write_header(self.w, &header_of(name.clone(), Kind::Directory, st))?;
                let names = if is_pseudo(&dir) {
                    Vec::new()
                } else {
                    inroot::list_dir(&dir)?
                };
                self.stack.push(Level {
                    dir,
                    prefix: name,
                    names,
                    next: 0,
                });
            }
            libc::S_IFREG => {
                let key = (st.st_dev, st.st_ino);
                if st.st_nlink > 1 {
                    if let Some(first) = self.links.get(&key) {
                        let h = Header {
                            link: first.clone(),
                            ..header_of(name, Kind::HardLink, st)
                        };
                        return tar::write_header(self.w, &h);
                    }
                    self.links.insert(key, name.clone());
                }
                let file = open(libc::O_RDONLY)?;
                // The size now, from the file opened.
                let now = inroot::stat_at(file.as_raw_fd(), b"")?;
                let h = Header {
                    size: now.st_size as u64,
                    ..header_of(name, Kind::File, &now)
                };
                tar::write_header(self.w, &h)?;
                copy_data(&file, h.size, self.w)?;
            }
            libc::S_IFLNK => {
                let h = Header {
                    link: link()?,
                    ..header_of(name, Kind::Symlink, st)
                };
                tar::write_header(self.w, &h)?;
            }
            libc::S_IFCHR => tar::write_header(self.w, &header_of(name, Kind::Char, st))?,
            libc::S_IFBLK => tar::write_header(self.w, &header_of(name, Kind::Block, st))?,
            libc::S_IFIFO => tar::write_header(self.w, &header_of(name, Kind::Fifo, st))?,
            // A socket has no place in an archive.
            _ => {}
        }
        Ok(())
    }

    /// Everything under the directories on the stack.
    fn run(&mut self) -> Result<(), Failure> {
        while let Some(level) = self.stack.last_mut() {
            let Some(child) = level.names.get(level.next).cloned() else {
                self.stack.pop();
                continue;
            };
            level.next += 1;
            let dir = level.dir.as_raw_fd();
            let mut name = level.prefix.clone();
            name.push(b'/');
            name.extend_from_slice(&child);
            let st = match inroot::stat_at(dir, &child) {
                Ok(st) => st,
                // Gone since the directory was listed.
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => continue,
                Err(e) => return Err(Failure::io(inroot::show(&name), &e)),
            };
            let open = |flags| inroot::open_at(dir, &child, flags, 0);
            let link = || inroot::read_link_at(dir, &child);
            match self.entry(name.clone(), &st, &open, &link) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
                Err(e) => return Err(Failure::io(inroot::show(&name), &e)),
            }
        }
        Ok(())
    }
}

/// Write the archive of `path` to `w`, its own entry named `name`; call
/// `started` once the path was found, before the first byte.
pub fn write_archive(
    root: &Root,
    path: &[u8],
    name: &[u8],
    w: &mut impl Write,
    started: &dyn Fn(),
) -> Result<(), Failure> {
    let shown = inroot::show(path);
    if !tether_protocol::message::valid_copy_name(&String::from_utf8_lossy(name)) {
        return Err(Failure::new(
            CopyFailure::Other,
            format!("{:?} cannot name a copy's entry", inroot::show(name)),
        ));
    }
    let top = root
        .open_path(path, libc::O_PATH | libc::O_NOFOLLOW)
        .map_err(|e| Failure::io(&shown, &e))?;
    let st = inroot::stat_at(top.as_raw_fd(), b"").map_err(|e| Failure::io(&shown, &e))?;
    if inroot::file_type(&st) == libc::S_IFSOCK {
        return Err(Failure::new(
            CopyFailure::Other,
            format!("{shown} is a socket, which cannot be copied"),
        ));
    }
    started();
    let mut walk = Walk {
        w,
        links: HashMap::new(),
        stack: Vec::new(),
    };
    let open = |flags| root.open_path(path, flags | libc::O_NOFOLLOW);
    let link = || inroot::read_link_at(top.as_raw_fd(), b"");
    walk.entry(name.to_vec(), &st, &open, &link)
        .map_err(|e| Failure::io(&shown, &e))?;
    walk.run()?;
    tar::write_end(walk.w).map_err(|e| Failure::io("sending the archive", &e))
}
