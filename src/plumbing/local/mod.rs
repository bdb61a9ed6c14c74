//! The local platform: containerVMs as QEMU microVMs on this host, each
//! owned by a detached per-domain monitor process.
