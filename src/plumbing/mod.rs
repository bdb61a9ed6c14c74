//! The port layer: isolation domains, volumes, networks and execution over a
//! platform trait, with one module per platform. Plumbing never prints.

pub mod error;
pub mod link;
pub mod name;
pub mod platform;
pub mod spec;

pub use error::{Error, ErrorKind, Result};
