//! Paths of the container, resolved the way a chroot would resolve them
//! although the tether runs outside the container's view: `openat2(2)` with
//! `RESOLVE_IN_ROOT` on a descriptor of the container's root, so `..` stops
//! at the root and an absolute symbolic link leads back into it. What is
//! found is then handled only through descriptors (`*at` calls with
//! `AT_SYMLINK_NOFOLLOW` or `O_NOFOLLOW`), never by a host path.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The container's root directory, held open.
#[derive(Debug)]
pub struct Root {
    fd: OwnedFd,
}

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

/// A C string of raw path bytes.
pub fn c_path(p: &[u8]) -> io::Result<CString> {
    CString::new(p).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{:?} contains a NUL byte", String::from_utf8_lossy(p)),
        )
    })
}

/// `fd` as an owned descriptor, or the error of the call that made it.
fn owned(fd: libc::c_int) -> io::Result<OwnedFd> {
    check(fd)?;
    // SAFETY: a fresh descriptor the call just returned.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

impl Root {
    /// Open the container's root at `path` (a path of the tether's view).
    pub fn open(path: &Path) -> io::Result<Root> {
        let p = c_path(path.as_os_str().as_bytes())?;
        // SAFETY: a valid C string; the descriptor is owned at once.
        let fd = owned(unsafe {
            libc::open(
                p.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        })?;
        Ok(Root { fd })
    }

    /// Open `path` (a container path, absolute or relative to its root)
    /// with `flags`; `O_NOFOLLOW` in `flags` keeps its last component from
    /// being followed. Every other symbolic link on the way is followed
    /// inside the root.
    pub fn open_path(&self, path: &[u8], flags: libc::c_int) -> io::Result<OwnedFd> {
        self.open_path_mode(path, flags, 0)
    }

    /// [`Root::open_path`], with the mode a file `O_CREAT` makes gets.
    fn open_path_mode(&self, path: &[u8], flags: libc::c_int, mode: u32) -> io::Result<OwnedFd> {
        let rel = relative(path);
        let p = c_path(if rel.is_empty() { b"." } else { rel })?;
        // SAFETY: open_how is plain data; all-zero is valid.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (flags | libc::O_CLOEXEC) as u64;
        how.mode = u64::from(mode);
        how.resolve = libc::RESOLVE_IN_ROOT | libc::RESOLVE_NO_MAGICLINKS;
        loop {
            // SAFETY: openat2 with a valid dirfd, C string and open_how of
            // the size passed.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_openat2,
                    self.fd.as_raw_fd(),
                    p.as_ptr(),
                    &how as *const libc::open_how,
                    size_of::<libc::open_how>(),
                )
            };
            if rc >= 0 {
                return owned(rc as libc::c_int);
            }
            let e = io::Error::last_os_error();
            // The kernel asks to try again when a rename raced the lookup.
            if e.raw_os_error() == Some(libc::EAGAIN) {
                continue;
            }
            if e.raw_os_error() == Some(libc::ENOSYS) {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "this kernel has no openat2(2) (Linux 5.6 or later is needed to resolve paths inside the container)",
                ));
            }
            return Err(e);
        }
    }
}

impl Root {
    /// Replace the content of a file of the container, made 0644 if
    /// missing (its last link followed inside the root).
    pub fn write_file(&self, path: &[u8], data: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let fd =
            self.open_path_mode(path, libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, 0o644)?;
        std::fs::File::from(fd).write_all(data)
    }

    /// The whole of a file of the container (its last link followed
    /// inside the root).
    pub fn read_file(&self, path: &[u8]) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let fd = self.open_path(path, libc::O_RDONLY)?;
        let mut data = Vec::new();
        std::fs::File::from(fd).read_to_end(&mut data)?;
        Ok(data)
    }
}

/// A container path without its leading slashes (and "./").
pub fn relative(path: &[u8]) -> &[u8] {
    let mut p = path;
    loop {
        if let Some(rest) = p.strip_prefix(b"/") {
            p = rest;
        } else if let Some(rest) = p.strip_prefix(b"./") {
            p = rest;
        } else {
            return p;
        }
    }
}

/// `fstatat(2)` without following a last symbolic link; `name` empty
/// stats `dir` itself.
pub fn stat_at(dir: RawFd, name: &[u8]) -> io::Result<libc::stat> {
    let n = c_path(name)?;
    let flags = if name.is_empty() {
        libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW
    } else {
        libc::AT_SYMLINK_NOFOLLOW
    };
    // SAFETY: stat is plain data filled by the call.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid descriptor, C string and out-pointer.
    check(unsafe { libc::fstatat(dir, n.as_ptr(), &mut st, flags) })?;
    Ok(st)
}

/// A symbolic link's target; `name` empty reads the link `dir` is an
/// `O_PATH` descriptor of.
pub fn read_link_at(dir: RawFd, name: &[u8]) -> io::Result<Vec<u8>> {
    let n = c_path(name)?;
    let mut buf = vec![0u8; libc::PATH_MAX as usize + 1];
    // SAFETY: valid descriptor and C string; the buffer's length is passed.
    let len = unsafe { libc::readlinkat(dir, n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if len < 0 {
        return Err(io::Error::last_os_error());
    }
    buf.truncate(len as usize);
    Ok(buf)
}

/// Open `name` in directory `dir`, never following a symbolic link there.
pub fn open_at(dir: RawFd, name: &[u8], flags: libc::c_int, mode: u32) -> io::Result<OwnedFd> {
    let n = c_path(name)?;
    // SAFETY: valid descriptor and C string; the result is owned at once.
    owned(unsafe {
        libc::openat(
            dir,
            n.as_ptr(),
            flags | libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NOCTTY,
            mode as libc::c_uint,
        )
    })
}

/// The names in an open directory, sorted, without `.` and `..`.
pub fn list_dir(dir: &OwnedFd) -> io::Result<Vec<Vec<u8>>> {
    // fdopendir takes the descriptor over: give it a duplicate.
    // SAFETY: fcntl F_DUPFD_CLOEXEC on a valid descriptor.
    let dup = owned(unsafe { libc::fcntl(dir.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) })?;
    // SAFETY: fdopendir takes ownership of the duplicate on success.
    let d = unsafe { libc::fdopendir(dup.as_raw_fd()) };
    if d.is_null() {
        return Err(io::Error::last_os_error());
    }
    std::mem::forget(dup);
    let mut names = Vec::new();
    loop {
        // SAFETY: d is a valid DIR stream; errno is cleared to tell the end
        // from an error.
        let entry = unsafe {
            *libc::__errno_location() = 0;
            libc::readdir64(d)
        };
        if entry.is_null() {
            let e = io::Error::last_os_error();
            // SAFETY: closing the stream we opened (it closes the duplicate).
            unsafe { libc::closedir(d) };
            if e.raw_os_error().unwrap_or(0) != 0 {
                return Err(e);
            }
            break;
        }
        // SAFETY: d_name of a valid entry is a NUL-terminated string.
        let name = unsafe { std::ffi::CStr::from_ptr((*entry).d_name.as_ptr()) }.to_bytes();
        if name != b"." && name != b".." {
            names.push(name.to_vec());
        }
    }
    names.sort();
    Ok(names)
}

/// What kind of file a `stat` describes.
pub fn file_type(st: &libc::stat) -> libc::mode_t {
    st.st_mode & libc::S_IFMT
}

/// A path for messages.
pub fn show(p: &[u8]) -> String {
    OsStr::from_bytes(p).to_string_lossy().into_owned()
}
