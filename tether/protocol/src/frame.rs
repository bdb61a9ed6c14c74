//! Link framing: length-prefixed frames on one ordered byte stream, and the
//! resynchronising reader that finds the next Hello after garbage.

use std::fmt;
use std::io::{self, Read, Write};

/// The magic at the start of every Hello payload; resync scans for it.
pub const MAGIC: &[u8; 7] = b"VICPORT";
/// Bytes after the length field that are not payload: type (1) + session (4).
pub const HEADER_LEN: usize = 5;
/// The largest payload of one frame.
pub const MAX_PAYLOAD: usize = 64 * 1024;
/// The largest value of the length field.
pub const MAX_FRAME_LEN: usize = HEADER_LEN + MAX_PAYLOAD;
/// The largest data chunk of one Stdin/Stdout/Stderr frame (payload minus
/// the 4-byte length of the bytes field).
pub const MAX_DATA: usize = MAX_PAYLOAD - 4;
/// Type number of Hello (fixed forever: resync depends on it).
pub const HELLO_TYPE: u8 = 0x01;
/// Offset of the magic from the start of a Hello frame (length field included).
const MAGIC_OFFSET: usize = 4 + HEADER_LEN;
/// The shortest Hello frame's length field: header, magic, the two
/// versions and an empty token's length.
pub const MIN_HELLO_LEN: usize = HEADER_LEN + MAGIC.len() + 4 + 4 + 4;

/// One frame as read from the stream, before payload decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The message type number.
    pub kind: u8,
    /// The session the frame belongs to (0: the link itself).
    pub session: u32,
    /// The encoded message body.
    pub payload: Vec<u8>,
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The stream ended cleanly between frames.
    Eof,
    /// The stream ended in the middle of a frame.
    Truncated,
    /// The length field exceeds [`MAX_FRAME_LEN`].
    Oversized(u32),
    /// The length field is smaller than the header.
    Undersized(u32),
    /// A type number this side does not accept here.
    UnexpectedType(u8),
    /// A Hello outside session 0, or a frame the reader was told to refuse.
    BadHeader(String),
    /// The underlying stream failed.
    Io(io::Error),
}

impl FrameError {
    /// True for errors in the byte stream itself (as opposed to I/O or EOF),
    /// after which the reader must resync.
    pub fn is_framing(&self) -> bool {
        matches!(
            self,
            FrameError::Oversized(_)
                | FrameError::Undersized(_)
                | FrameError::UnexpectedType(_)
                | FrameError::BadHeader(_)
        )
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Eof => write!(f, "link closed"),
            FrameError::Truncated => write!(f, "link closed in the middle of a frame"),
            FrameError::Oversized(n) => {
                write!(f, "frame length {n} exceeds the maximum of {MAX_FRAME_LEN}")
            }
            FrameError::Undersized(n) => write!(f, "frame length {n} is shorter than the header"),
            FrameError::UnexpectedType(t) => write!(f, "unexpected frame type {t:#04x}"),
            FrameError::BadHeader(s) => write!(f, "bad frame header: {s}"),
            FrameError::Io(e) => write!(f, "link read failed: {e}"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Append one encoded frame to `out`. Panics in debug builds if the payload
/// is larger than [`MAX_PAYLOAD`] (callers chunk data).
pub fn encode_frame(kind: u8, session: u32, payload: &[u8], out: &mut Vec<u8>) {
    debug_assert!(payload.len() <= MAX_PAYLOAD, "payload too large");
    let len = (HEADER_LEN + payload.len()) as u32;
    out.extend_from_slice(&len.to_be_bytes());
    out.push(kind);
    out.extend_from_slice(&session.to_be_bytes());
    out.extend_from_slice(payload);
}

/// Write one frame in a single `write_all`.
pub fn write_frame(w: &mut dyn Write, kind: u8, session: u32, payload: &[u8]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(4 + HEADER_LEN + payload.len());
    encode_frame(kind, session, payload, &mut buf);
    w.write_all(&buf)?;
    w.flush()
}

/// Reads frames from a byte stream with a bounded buffer, and can skip
/// forward to the next plausible Hello after a framing error.
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl<R: Read> FrameReader<R> {
    /// Wrap a stream.
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            buf: vec![0; 2 * (4 + MAX_FRAME_LEN)],
            start: 0,
            end: 0,
        }
    }

    /// The wrapped stream.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// Unwrap, dropping any buffered bytes.
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn available(&self) -> usize {
        self.end - self.start
    }

    /// Read until at least `n` bytes are buffered; `Ok(false)` on EOF first.
    fn fill(&mut self, n: usize) -> Result<bool, FrameError> {
        while self.available() < n {
            if self.buf.len() - self.start < n {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let got = loop {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(k) => break k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(FrameError::Io(e)),
                }
            };
            if got == 0 {
                return Ok(false);
            }
            self.end += got;
        }
        Ok(true)
    }

    /// Read the next frame. `accept` is asked about the type as soon as the
    /// header is buffered, so a frame this side refuses is rejected without
    /// waiting for its body. On a framing error nothing is consumed: call
    /// [`FrameReader::resync`] next.
    pub fn read_frame(&mut self, accept: &dyn Fn(u8) -> bool) -> Result<Frame, FrameError> {
        if !self.fill(4 + HEADER_LEN)? {
            return Err(if self.available() == 0 {
                FrameError::Eof
            } else {
                FrameError::Truncated
            });
        }
        let b = &self.buf[self.start..self.end];
        let len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        if len as usize > MAX_FRAME_LEN {
            return Err(FrameError::Oversized(len));
        }
        if (len as usize) < HEADER_LEN {
            return Err(FrameError::Undersized(len));
        }
        let kind = b[4];
        let session = u32::from_be_bytes([b[5], b[6], b[7], b[8]]);
        if !accept(kind) {
            return Err(FrameError::UnexpectedType(kind));
        }
        if kind == HELLO_TYPE && session != 0 {
            return Err(FrameError::BadHeader(format!(
                "hello on session {session}, expected 0"
            )));
        }
        let total = 4 + len as usize;
        if !self.fill(total)? {
            return Err(FrameError::Truncated);
        }
        let payload = self.buf[self.start + 4 + HEADER_LEN..self.start + total].to_vec();
        self.start += total;
        Ok(Frame {
            kind,
            session,
            payload,
        })
    }

    /// Discard input up to the next plausible Hello frame: find [`MAGIC`]
    /// and back up over session, type and length; the candidate must be a
    /// Hello on session 0 with a sane length. Skips at least one byte.
    pub fn resync(&mut self) -> Result<(), FrameError> {
        if self.available() > 0 {
            self.start += 1;
        }
        loop {
            let data = &self.buf[self.start..self.end];
            let mut from = MAGIC_OFFSET;
            while let Some(pos) = find(data, MAGIC, from) {
                let cand = pos - MAGIC_OFFSET;
                let h = &data[cand..];
                let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
                let session = u32::from_be_bytes([h[5], h[6], h[7], h[8]]);
                if h[4] == HELLO_TYPE
                    && session == 0
                    && (MIN_HELLO_LEN..=MAX_FRAME_LEN).contains(&len)
                {
                    self.start += cand;
                    return Ok(());
                }
                from = pos + 1;
            }
            // Keep the tail that could still start a Hello.
            let keep = MAGIC_OFFSET + MAGIC.len() - 1;
            if self.available() > keep {
                self.start = self.end - keep;
            }
            let want = self.available() + 1;
            if !self.fill(want)? {
                return Err(FrameError::Eof);
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if hay.len() < needle.len() || from > hay.len() - needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: u8) -> bool {
        true
    }

    fn hello_frame() -> Vec<u8> {
        let mut p = MAGIC.to_vec();
        p.extend_from_slice(&[0, 0, 0, 2, 0, 0, 0, 2]);
        p.extend_from_slice(&[0, 0, 0, 2, 0xab, 0xcd]);
        let mut out = Vec::new();
        encode_frame(HELLO_TYPE, 0, &p, &mut out);
        out
    }

    #[test]
    fn frames_round_trip_back_to_back() {
        let mut bytes = Vec::new();
        encode_frame(0x05, 7, b"abc", &mut bytes);
        encode_frame(0x06, 0, b"", &mut bytes);
        let mut r = FrameReader::new(&bytes[..]);
        let f = r.read_frame(&any).unwrap();
        assert_eq!((f.kind, f.session, &f.payload[..]), (0x05, 7, &b"abc"[..]));
        let f = r.read_frame(&any).unwrap();
        assert_eq!((f.kind, f.session, f.payload.len()), (0x06, 0, 0));
        assert!(matches!(r.read_frame(&any), Err(FrameError::Eof)));
    }

    #[test]
    fn oversized_and_undersized_lengths_are_framing_errors() {
        let big = ((MAX_FRAME_LEN + 1) as u32).to_be_bytes();
        let bytes = [big[0], big[1], big[2], big[3], 1, 0, 0, 0, 0];
        let mut r = FrameReader::new(&bytes[..]);
        let e = r.read_frame(&any).unwrap_err();
        assert!(matches!(e, FrameError::Oversized(_)) && e.is_framing());
        let mut r = FrameReader::new(&[0, 0, 0, 2, 1, 0, 0, 0, 0][..]);
        assert!(matches!(r.read_frame(&any), Err(FrameError::Undersized(2))));
    }

    #[test]
    fn truncated_frame_is_reported() {
        let mut bytes = Vec::new();
        encode_frame(0x05, 1, b"abcdef", &mut bytes);
        bytes.truncate(bytes.len() - 2);
        let mut r = FrameReader::new(&bytes[..]);
        assert!(matches!(r.read_frame(&any), Err(FrameError::Truncated)));
        let mut r = FrameReader::new(&[0u8, 0, 0][..]);
        assert!(matches!(r.read_frame(&any), Err(FrameError::Truncated)));
    }

    #[test]
    fn refused_type_is_rejected_before_the_body_arrives() {
        // Length claims 60000 bytes but only the header exists: the type is
        // rejected without waiting for the body.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&60000u32.to_be_bytes());
        bytes.extend_from_slice(&[0x10, 0, 0, 0, 1]);
        let mut r = FrameReader::new(&bytes[..]);
        let only_hello = |t: u8| t == HELLO_TYPE;
        assert!(matches!(
            r.read_frame(&only_hello),
            Err(FrameError::UnexpectedType(0x10))
        ));
    }

    #[test]
    fn resync_finds_the_next_hello_after_garbage() {
        let mut bytes = b"\xff\xff\xff\xffgarbage VICPORT not a frame".to_vec();
        let hello = hello_frame();
        bytes.extend_from_slice(&hello);
        let mut r = FrameReader::new(&bytes[..]);
        assert!(r.read_frame(&any).unwrap_err().is_framing());
        r.resync().unwrap();
        let f = r.read_frame(&any).unwrap();
        assert_eq!(f.kind, HELLO_TYPE);
        assert_eq!(&f.payload[..7], MAGIC);
    }

    #[test]
    fn pseudo_random_streams_terminate_without_panics() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..300 {
            let mut bytes = Vec::new();
            let len = (next() % 4000) as usize;
            for _ in 0..len {
                // Bias towards small lengths, the magic and real types so
                // the reader gets past the header sometimes.
                match next() % 8 {
                    0 => bytes.extend_from_slice(MAGIC),
                    1 => bytes.extend_from_slice(&[0, 0, 0, (next() % 40) as u8]),
                    2 => bytes.push(HELLO_TYPE),
                    _ => bytes.push(next() as u8),
                }
            }
            if round % 3 == 0 {
                bytes.extend_from_slice(&hello_frame());
            }
            let mut r = FrameReader::new(&bytes[..]);
            let mut steps = 0;
            loop {
                steps += 1;
                assert!(steps < 100_000, "no progress");
                match r.read_frame(&|k| k < 0x30) {
                    Ok(f) => assert!(f.payload.len() <= MAX_PAYLOAD),
                    Err(e) if e.is_framing() => {
                        if r.resync().is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        }
    }

    #[test]
    fn resync_across_small_reads() {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(3).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut bytes = vec![0x42; 200_000];
        bytes.extend_from_slice(&hello_frame());
        let mut r = FrameReader::new(Trickle(&bytes));
        assert!(r.read_frame(&any).unwrap_err().is_framing());
        r.resync().unwrap();
        assert_eq!(r.read_frame(&any).unwrap().kind, HELLO_TYPE);
        assert!(matches!(r.resync(), Err(FrameError::Eof)));
    }
}
