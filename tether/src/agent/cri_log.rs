//! The primary process's log: CRI log lines
//! (`<RFC3339Nano UTC> stdout|stderr F|P <content>`) written to the log port.

use std::io::Write;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Longest content of one log line; longer lines are split into `P` pieces.
pub const MAX_LINE: usize = 16 * 1024;

/// Format a time as RFC 3339 with nanoseconds, UTC.
pub fn rfc3339_nano(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_nanos()
    )
}

/// One CRI line (newline included).
pub fn format_line(t: SystemTime, stream: &str, partial: bool, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 48);
    out.extend_from_slice(rfc3339_nano(t).as_bytes());
    out.push(b' ');
    out.extend_from_slice(stream.as_bytes());
    out.extend_from_slice(if partial { b" P " } else { b" F " });
    out.extend_from_slice(content);
    out.push(b'\n');
    out
}

/// Splits a byte stream into CRI lines: complete lines are `F`, pieces of
/// lines longer than [`MAX_LINE`] are `P` (the final piece is `F`).
#[derive(Debug)]
pub struct LineSplitter {
    stream: &'static str,
    pending: Vec<u8>,
    max: usize,
}

impl LineSplitter {
    /// For `stream` ("stdout" or "stderr").
    pub fn new(stream: &'static str) -> Self {
        Self::with_max(stream, MAX_LINE)
    }

    /// With a custom maximum line length.
    pub fn with_max(stream: &'static str, max: usize) -> Self {
        LineSplitter {
            stream,
            pending: Vec::new(),
            max: max.max(1),
        }
    }

    /// Feed data; returns the finished log lines.
    pub fn push(&mut self, t: SystemTime, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in data {
            if b == b'\n' {
                out.extend(format_line(t, self.stream, false, &self.pending));
                self.pending.clear();
            } else {
                if self.pending.len() == self.max {
                    out.extend(format_line(t, self.stream, true, &self.pending));
                    self.pending.clear();
                }
                self.pending.push(b);
            }
        }
        out
    }

    /// End of stream: a trailing unterminated line is written as `F`.
    pub fn finish(&mut self, t: SystemTime) -> Vec<u8> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        let out = format_line(t, self.stream, false, &self.pending);
        self.pending.clear();
        out
    }
}

/// The log port writer shared by the primary's output pumps.
#[derive(Debug)]
pub struct CriLog {
    inner: Mutex<(Box<dyn WriteDebug>, LineSplitter, LineSplitter)>,
}

/// A `Write` that can be held in a Debug struct.
pub trait WriteDebug: Write + Send {}
impl<T: Write + Send> WriteDebug for T {}

impl std::fmt::Debug for dyn WriteDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("log port")
    }
}

impl CriLog {
    /// Log to `w`.
    pub fn new(w: Box<dyn WriteDebug>) -> Self {
        CriLog {
            inner: Mutex::new((w, LineSplitter::new("stdout"), LineSplitter::new("stderr"))),
        }
    }

    /// Log output of the primary; `stderr` selects the stream.
    pub fn write(&self, stderr: bool, data: &[u8]) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (w, out, err) = &mut *g;
        let lines = if stderr { err } else { out }.push(SystemTime::now(), data);
        if !lines.is_empty() {
            let _ = w.write_all(&lines);
            let _ = w.flush();
        }
    }

    /// The stream ended.
    pub fn finish(&self, stderr: bool) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (w, out, err) = &mut *g;
        let lines = if stderr { err } else { out }.finish(SystemTime::now());
        if !lines.is_empty() {
            let _ = w.write_all(&lines);
            let _ = w.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_nano_known_instants() {
        assert_eq!(rfc3339_nano(UNIX_EPOCH), "1970-01-01T00:00:00.000000000Z");
        let t = UNIX_EPOCH + Duration::new(951_782_400 + 3661, 5);
        assert_eq!(rfc3339_nano(t), "2000-02-29T01:01:01.000000005Z");
        let t = UNIX_EPOCH + Duration::new(1_735_689_599, 999_999_999);
        assert_eq!(rfc3339_nano(t), "2024-12-31T23:59:59.999999999Z");
    }

    #[test]
    fn lines_partials_and_trailing_text() {
        let t = UNIX_EPOCH;
        let mut s = LineSplitter::with_max("stdout", 4);
        let out = s.push(t, b"ab\nabcdefg");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "1970-01-01T00:00:00.000000000Z stdout F ab\n\
             1970-01-01T00:00:00.000000000Z stdout P abcd\n"
        );
        let out = String::from_utf8(s.push(t, b"h\n")).unwrap();
        assert_eq!(out, "1970-01-01T00:00:00.000000000Z stdout F efgh\n");
        assert!(s.finish(t).is_empty());
        let mut e = LineSplitter::new("stderr");
        assert!(e.push(t, b"no newline").is_empty());
        assert_eq!(
            String::from_utf8(e.finish(t)).unwrap(),
            "1970-01-01T00:00:00.000000000Z stderr F no newline\n"
        );
    }
}
