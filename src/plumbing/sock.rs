//! A tether link client over a unix socket (QEMU's link socket, a
//! monitor's socket). The sockets themselves, at paths of any length, are
//! `plumbing::unix`'s.

use std::os::unix::net::UnixStream;

use tether_protocol::client::{Client, ClientError};

pub use crate::plumbing::unix::{bind, connect, try_connect};

/// Say Hello over a connected unix socket (QEMU's link socket, a monitor's
/// socket): the protocol's client gets clones of `stream` as its halves,
/// and shuts the socket down when it is dropped.
pub fn tether_client(stream: &UnixStream, token: &[u8]) -> Result<Client, ClientError> {
    let (reader, writer, closer) = (
        stream.try_clone()?,
        stream.try_clone()?,
        stream.try_clone()?,
    );
    Client::from_halves_with_shutdown(reader, writer, token, move || {
        let _ = closer.shutdown(std::net::Shutdown::Both);
    })
}
