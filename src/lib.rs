//! vicport: the Port Layer of vSphere Integrated Containers, as a library.
//! `plumbing` is the port layer (platforms, handles, specs); `commands` is the
//! porcelain that the `vicport` binary runs; `oci` is the OCI runtime mode,
//! a front end for container engines beside the porcelain.

pub mod commands;
pub mod oci;
pub mod plumbing;
