//! vicport: the Port Layer of vSphere Integrated Containers, as a library.
//! `plumbing` is the port layer (platforms, handles, specs); `commands` is the
//! porcelain that the `vicport` binary runs.

pub mod commands;
pub mod plumbing;
