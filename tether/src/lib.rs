//! The tether: vicport's in-guest agent and the link protocol it shares with
//! vicport's plumbing.
