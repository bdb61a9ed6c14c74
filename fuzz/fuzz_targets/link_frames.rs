//! The link protocol decoder: any byte stream, read as frames (with resync
//! after framing errors, as the tether does) and each frame's payload
//! decoded. Must never panic or allocate without bound; a decoded message
//! must encode back to the same payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tether_protocol::frame::FrameReader;
use tether_protocol::message::Message;

fuzz_target!(|data: &[u8]| {
    let mut frames = FrameReader::new(std::io::Cursor::new(data));
    for _ in 0..10_000 {
        match frames.read_frame(&|_| true) {
            Ok(f) => {
                if let Ok(m) = Message::decode(f.kind, &f.payload) {
                    assert_eq!(m.kind(), f.kind);
                    assert_eq!(m.encode_payload(), f.payload, "{m:?}");
                }
            }
            Err(e) if e.is_framing() => {
                if frames.resync().is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
});
