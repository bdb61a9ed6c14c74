//! The link protocol between vicport's plumbing and the tether: framing,
//! messages, and the synchronous host-side client. OS-neutral.

pub mod client;
pub mod frame;
pub mod message;

pub use frame::{MAGIC, MAX_DATA, MAX_PAYLOAD, PROTOCOL_VERSION};
pub use message::{
    AttachRequest, ExecRequest, ExitStatus, Message, PrimaryPhase, PrimaryState, Stream,
};

/// The initial window (credit) both sides use unless told otherwise.
pub const DEFAULT_WINDOW: u32 = 256 * 1024;
