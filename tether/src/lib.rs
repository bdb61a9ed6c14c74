//! The tether: vicport's in-guest agent (PID 1 of every containerVM) and the
//! link protocol and config document it shares with vicport's plumbing.
//!
//! [`link`] and [`config`] are OS-neutral and used on the host; [`agent`] is
//! the Linux guest side.

pub mod agent;
pub mod config;
pub mod link;
