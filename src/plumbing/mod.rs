//! The port layer: isolation domains, volumes, networks and execution over a
//! platform trait, with one module per platform. Plumbing never prints.

pub mod bootstrap;
pub mod config;
pub mod credentials;
pub mod detach;
pub mod domain;
pub mod error;
pub mod file;
pub mod host;
pub mod image;
pub mod ipam;
pub mod link;
pub mod local;
pub mod log;
pub mod name;
pub mod paths;
pub mod platform;
pub mod registry;
pub mod relay;
pub mod retry;
pub mod sock;
pub mod spec;
pub mod target;
pub mod unix;
pub mod vsphere;

pub use error::{Error, ErrorKind, Result};
