//! The tether protocol: what vicport's plumbing (the host) and a tether
//! (the agent inside a domain) say to each other, on any guest OS.
//!
//! [`frame`] and [`message`] are the link's codec, [`client`] the host's
//! synchronous client, [`config`] the config document the host writes and
//! the tether reads at boot, [`lookup`] how a container's program is found,
//! [`env`] how its environment is made.
//! The specification is `tether/PROTOCOL.md`.
//! This crate has no dependencies and nothing specific to an OS: a tether
//! for another guest OS builds it unchanged (`tests/os_neutral.rs`).

pub mod client;
mod codec;
pub mod config;
pub mod env;
pub mod frame;
pub mod lookup;
pub mod message;
pub mod signal;
pub mod version;

pub use frame::{MAGIC, MAX_DATA, MAX_PAYLOAD};
pub use message::{
    AttachRequest, ExecRequest, ExitStatus, Message, PrimaryPhase, PrimaryState, Stream,
};
pub use signal::{Signal, SignalError};
pub use version::{MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, Versions};

/// The initial window (credit) both sides use unless told otherwise.
pub const DEFAULT_WINDOW: u32 = 256 * 1024;
