//! The host end of a container's terminal: a pseudo-terminal whose master
//! goes to the engine over `--console-socket` (SCM_RIGHTS, as runc sends
//! it) and whose slave is the shim's stdio, raw, so that bytes pass
//! through to the guest's own terminal unchanged; and the engine's end
//! of it as `run` plays it (receiving the master, sizing it, saving and
//! putting back a terminal's settings).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::Path;

/// A new pseudo-terminal: (master, slave).
pub fn open_pty() -> io::Result<(OwnedFd, OwnedFd)> {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty with valid out-pointers; no name, termios or size.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: openpty returned two fresh descriptors that we now own.
    Ok(unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) })
}

/// Room for the control message of one descriptor.
fn control_buffer() -> Vec<u8> {
    // SAFETY: CMSG_SPACE only computes a size.
    vec![0u8; unsafe { libc::CMSG_SPACE(size_of::<RawFd>() as u32) } as usize]
}

/// A message of one buffer, `iov`, with `control` for its descriptor; the
/// caller keeps both alive while the header is used.
fn header(iov: &mut libc::iovec, control: &mut [u8]) -> libc::msghdr {
    // SAFETY: a zeroed msghdr is valid.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = control.len() as _;
    msg
}

/// Send `fd` over the unix socket at `socket`, with `name` as the payload.
pub fn send_fd(socket: &Path, fd: RawFd, name: &str) -> io::Result<()> {
    let stream = UnixStream::connect(socket)?;
    let payload = name.as_bytes();
    let mut iov = libc::iovec {
        iov_base: payload.as_ptr() as *mut libc::c_void,
        iov_len: payload.len(),
    };
    let mut control = control_buffer();
    let msg = header(&mut iov, &mut control);
    // SAFETY: the control buffer holds one header and one descriptor.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(size_of::<RawFd>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd);
    }
    // SAFETY: sendmsg on a connected socket with the message built above.
    if unsafe { libc::sendmsg(stream.as_raw_fd(), &msg, 0) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Receive one descriptor sent over `conn` (as [`send_fd`] sends it):
/// the descriptor and the payload that came with it.
pub fn recv_fd(conn: &UnixStream) -> io::Result<(OwnedFd, Vec<u8>)> {
    let mut buf = [0u8; 256];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut control = control_buffer();
    let mut msg = header(&mut iov, &mut control);
    // SAFETY: recvmsg into the message built above; received descriptors
    // are close-on-exec.
    let n = unsafe { libc::recvmsg(conn.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the header, if any, came from recvmsg within `control`.
    let cmsg = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    let kind = (!cmsg.is_null()).then(|| {
        // SAFETY: a non-null header from CMSG_FIRSTHDR is readable.
        unsafe { ((*cmsg).cmsg_level, (*cmsg).cmsg_type) }
    });
    if kind != Some((libc::SOL_SOCKET, libc::SCM_RIGHTS)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "no descriptor came with the message",
        ));
    }
    // SAFETY: an SCM_RIGHTS header's data is a descriptor we now own.
    let fd = unsafe {
        OwnedFd::from_raw_fd(std::ptr::read_unaligned(
            libc::CMSG_DATA(cmsg).cast::<RawFd>(),
        ))
    };
    Ok((fd, buf[..n as usize].to_vec()))
}

/// The terminal settings of `fd`, if it is a terminal.
pub fn settings(fd: RawFd) -> Option<libc::termios> {
    // SAFETY: a zeroed termios is valid; tcgetattr fills it.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: tcgetattr with a valid pointer.
    (unsafe { libc::tcgetattr(fd, &mut t) } == 0).then_some(t)
}

/// Put back settings `t` (from [`settings`]) on the terminal `fd`.
pub fn restore(fd: RawFd, t: &libc::termios) {
    // SAFETY: tcsetattr with settings tcgetattr gave.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, t) };
}

/// Give the terminal `fd` the size (rows, cols).
pub fn set_size(fd: RawFd, (rows, cols): (u16, u16)) {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: ioctl with a valid pointer.
    unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) };
}

/// Put the terminal `fd` in raw mode.
pub fn make_raw(fd: RawFd) -> io::Result<()> {
    // SAFETY: a zeroed termios is valid; tcgetattr fills it.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: tcgetattr/cfmakeraw/tcsetattr on a terminal we hold.
    unsafe {
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(io::Error::last_os_error());
        }
        libc::cfmakeraw(&mut t);
        if libc::tcsetattr(fd, libc::TCSANOW, &t) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The size of the terminal `fd` as (rows, cols), if it has one.
pub fn size(fd: RawFd) -> Option<(u16, u16)> {
    // SAFETY: a zeroed winsize is valid; TIOCGWINSZ only writes into it.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: ioctl with a valid pointer.
    let rc = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_row > 0 && ws.ws_col > 0).then_some((ws.ws_row, ws.ws_col))
}

/// Make `slave` this process's controlling terminal and its stdin, stdout
/// and stderr (in a new session).
pub fn become_terminal(slave: &OwnedFd) -> io::Result<()> {
    // SAFETY: setsid, ioctl and dup2 on descriptors we hold.
    unsafe {
        libc::setsid();
        if libc::ioctl(slave.as_raw_fd(), libc::TIOCSCTTY, 0) != 0 {
            return Err(io::Error::last_os_error());
        }
        for target in 0..3 {
            if libc::dup2(slave.as_raw_fd(), target) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixListener;

    #[test]
    fn the_master_reaches_the_engine_and_carries_bytes_raw() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let (master, slave) = open_pty().unwrap();
        make_raw(slave.as_raw_fd()).unwrap();
        send_fd(&path, master.as_raw_fd(), "/dev/pts/x").unwrap();
        drop(master);
        let (conn, _) = listener.accept().unwrap();
        // Receive it as conmon does.
        let (got, name) = recv_fd(&conn).unwrap();
        assert_eq!(name, b"/dev/pts/x");
        let mut engine = std::fs::File::from(got);
        engine.write_all(b"a\r\n").unwrap();
        let mut s = std::fs::File::from(slave);
        let mut read = [0u8; 3];
        s.read_exact(&mut read).unwrap();
        // Raw: no CR to NL translation, nothing held for a line.
        assert_eq!(&read, b"a\r\n");
    }
}
