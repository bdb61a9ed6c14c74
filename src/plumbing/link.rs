//! Byte streams to a domain's tether link: a unix socket to the local
//! monitor, or a TCP connection to a vSphere network serial port.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;

/// A connected, bidirectional stream to a tether link.
#[derive(Debug)]
pub enum LinkStream {
    /// The local monitor's socket.
    Unix(UnixStream),
    /// A vSphere network-backed serial port.
    Tcp(TcpStream),
}

impl LinkStream {
    /// A second handle on the same stream, for a reader and a writer thread.
    pub fn try_clone(&self) -> io::Result<Self> {
        Ok(match self {
            LinkStream::Unix(s) => LinkStream::Unix(s.try_clone()?),
            LinkStream::Tcp(s) => LinkStream::Tcp(s.try_clone()?),
        })
    }

    /// Close the writing half (the peer reads end of stream).
    pub fn shutdown_write(&self) -> io::Result<()> {
        match self {
            LinkStream::Unix(s) => s.shutdown(std::net::Shutdown::Write),
            LinkStream::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
        }
    }
}

impl Read for LinkStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            LinkStream::Unix(s) => s.read(buf),
            LinkStream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for LinkStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            LinkStream::Unix(s) => s.write(buf),
            LinkStream::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            LinkStream::Unix(s) => s.flush(),
            LinkStream::Tcp(s) => s.flush(),
        }
    }
}
