//! The payload codec: big-endian fields written without padding, and a
//! reader that checks every length and count against what remains before
//! it allocates, so a bad payload is an error, never a panic.

use std::fmt;

use crate::signal::Signal;

/// Why a payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The payload ended before field `what`.
    Truncated(&'static str),
    /// Bytes left after the last field.
    Trailing(usize),
    /// A field has an impossible value.
    Invalid(String),
    /// The type number is not known.
    UnknownKind(u8),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated(w) => write!(f, "payload ends before {w}"),
            DecodeError::Trailing(n) => write!(f, "{n} unexpected bytes after the last field"),
            DecodeError::Invalid(s) => write!(f, "{s}"),
            DecodeError::UnknownKind(k) => write!(f, "unknown message type {k:#04x}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Big-endian payload writer.
#[derive(Debug, Default)]
pub(crate) struct Enc(pub(crate) Vec<u8>);

impl Enc {
    pub(crate) fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    pub(crate) fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub(crate) fn i32(&mut self, v: i32) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub(crate) fn bool(&mut self, v: bool) -> &mut Self {
        self.u8(v as u8)
    }
    /// A signal's protocol number as i32; 0 for none.
    pub(crate) fn signal(&mut self, v: Option<Signal>) -> &mut Self {
        self.i32(v.map_or(0, Signal::number))
    }
    pub(crate) fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.u32(v.len() as u32);
        self.0.extend_from_slice(v);
        self
    }
    pub(crate) fn str(&mut self, v: &str) -> &mut Self {
        self.bytes(v.as_bytes())
    }
    pub(crate) fn strs(&mut self, v: &[String]) -> &mut Self {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
        self
    }
}

/// Big-endian payload reader: every length is checked against what remains.
#[derive(Debug)]
pub(crate) struct Dec<'a> {
    buf: &'a [u8],
}

impl<'a> Dec<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Dec { buf }
    }
    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.buf.len() < n {
            return Err(DecodeError::Truncated(what));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, what)?[0])
    }
    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn i32(&mut self, what: &'static str) -> Result<i32, DecodeError> {
        Ok(self.u32(what)? as i32)
    }
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        let v = self.u32(what)?;
        u16::try_from(v).map_err(|_| DecodeError::Invalid(format!("{what} {v} exceeds 65535")))
    }
    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    pub(crate) fn bool(&mut self, what: &'static str) -> Result<bool, DecodeError> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(DecodeError::Invalid(format!("{what}: {v} is not a bool"))),
        }
    }
    /// A signal's protocol number (i32); 0 is None.
    pub(crate) fn signal(&mut self, what: &'static str) -> Result<Option<Signal>, DecodeError> {
        match self.i32(what)? {
            0 => Ok(None),
            n => Signal::from_number(n).map(Some).ok_or_else(|| {
                DecodeError::Invalid(format!("{what}: {n} is not a protocol signal"))
            }),
        }
    }
    pub(crate) fn bytes(&mut self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let n = self.u32(what)? as usize;
        self.take(n, what)
    }
    pub(crate) fn string(&mut self, what: &'static str) -> Result<String, DecodeError> {
        let b = self.bytes(what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| DecodeError::Invalid(format!("{what} is not UTF-8")))
    }
    /// A string of at most `max` bytes (an encoder cuts longer ones, so a
    /// longer one is no encoder's).
    pub(crate) fn string_max(
        &mut self,
        what: &'static str,
        max: usize,
    ) -> Result<String, DecodeError> {
        let s = self.string(what)?;
        if s.len() > max {
            return Err(DecodeError::Invalid(format!(
                "{what} of {} bytes exceeds {max}",
                s.len()
            )));
        }
        Ok(s)
    }
    pub(crate) fn strings(&mut self, what: &'static str) -> Result<Vec<String>, DecodeError> {
        let n = self.u32(what)? as usize;
        // Each string takes at least its 4-byte length: bound the count by
        // what remains before allocating anything.
        if n > self.buf.len() / 4 {
            return Err(DecodeError::Truncated(what));
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.string(what)?);
        }
        Ok(out)
    }
    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len()
    }
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Trailing(self.buf.len()))
        }
    }
}

/// `s` cut to at most `max` bytes, at a character boundary.
pub(crate) fn clip_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
