//! The tether for Linux guests: vicport's in-guest agent, PID 1 of every
//! containerVM. The protocol it speaks with vicport's plumbing, and the
//! config document it reads, are the OS-neutral `tether_protocol` crate;
//! [`agent`] is everything Linux-specific.

pub mod agent;
