//! The synchronous host-side link client (placeholder).
