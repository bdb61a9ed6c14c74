//! A streaming reader for the Unix `ar` archive format, the outer layer of a
//! Debian package (`debian-binary`, `control.tar.*`, `data.tar.*`).
//!
//! Format: the global magic `!<arch>\n`, then per member a 60-byte ASCII
//! header (name 16, mtime 12, uid 6, gid 6, octal mode 8, decimal size 10,
//! terminator "`\n") followed by the data, padded with `\n` to an even offset.

use std::io::{self, Read};

/// The archive's magic bytes.
pub const MAGIC: &[u8; 8] = b"!<arch>\n";
const HEADER_LEN: usize = 60;

/// One member's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArHeader {
    /// The member's name, without GNU's trailing `/`.
    pub name: String,
    /// Size of the data in bytes.
    pub size: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: u64,
    /// Permission bits.
    pub mode: u32,
}

/// Reads members in order. After [`ArReader::next_member`] returns a header,
/// reading from the `ArReader` yields exactly that member's data; whatever is
/// left unread is skipped by the next call.
#[derive(Debug)]
pub struct ArReader<R> {
    inner: R,
    /// Unread bytes of the current member.
    remaining: u64,
    /// Whether a padding byte follows the current member.
    pad: bool,
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

impl<R: Read> ArReader<R> {
    /// Check the magic and position before the first member.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut magic = [0u8; 8];
        inner
            .read_exact(&mut magic)
            .map_err(|_| invalid("too short for an ar archive"))?;
        if &magic != MAGIC {
            return Err(invalid("not an ar archive (bad magic)"));
        }
        Ok(ArReader {
            inner,
            remaining: 0,
            pad: false,
        })
    }

    /// Skip the rest of the current member and read the next header;
    /// `None` at the end of the archive.
    pub fn next_member(&mut self) -> io::Result<Option<ArHeader>> {
        let skip = self.remaining + u64::from(self.pad);
        let skipped = io::copy(&mut (&mut self.inner).take(skip), &mut io::sink())?;
        if skipped < self.remaining {
            return Err(invalid("truncated member data"));
        }
        self.remaining = 0;
        self.pad = false;

        let mut header = [0u8; HEADER_LEN];
        let filled = read_full(&mut self.inner, &mut header)?;
        if filled == 0 {
            return Ok(None);
        }
        if filled < HEADER_LEN {
            return Err(invalid("truncated member header"));
        }
        let header = parse_header(&header)?;
        self.remaining = header.size;
        self.pad = header.size % 2 == 1;
        Ok(Some(header))
    }
}

impl<R: Read> Read for ArReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "ar member data ends early",
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Read until `buf` is full or the input ends; the number of bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn field(header: &[u8; HEADER_LEN], range: std::ops::Range<usize>) -> io::Result<&str> {
    std::str::from_utf8(&header[range])
        .map(str::trim_end)
        .map_err(|_| invalid("member header is not ASCII"))
}

fn number(header: &[u8; HEADER_LEN], range: std::ops::Range<usize>, radix: u32) -> io::Result<u64> {
    let text = field(header, range)?;
    if text.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(text, radix)
        .map_err(|_| invalid(format!("bad number {text:?} in member header")))
}

fn parse_header(header: &[u8; HEADER_LEN]) -> io::Result<ArHeader> {
    if &header[58..60] != b"`\n" {
        return Err(invalid("bad member header terminator"));
    }
    let raw_name = field(header, 0..16)?;
    if raw_name.starts_with("#1/")
        || (raw_name.starts_with('/') && raw_name.len() > 1 && raw_name != "//")
    {
        return Err(invalid(format!(
            "member {raw_name:?} uses an extended name table, which Debian packages never do"
        )));
    }
    let name = match raw_name {
        "/" | "//" => raw_name,
        _ => raw_name.strip_suffix('/').unwrap_or(raw_name),
    };
    let mode = number(header, 40..48, 8)?;
    Ok(ArHeader {
        name: name.to_string(),
        mtime: number(header, 16..28, 10)?,
        mode: u32::try_from(mode).map_err(|_| invalid("member mode out of range"))?,
        size: number(header, 48..58, 10)?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Build an archive the way `ar` lays it out.
    pub(crate) fn archive(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for (name, data) in members {
            let header = format!(
                "{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
                name,
                0,
                0,
                0,
                "100644",
                data.len()
            );
            assert_eq!(header.len(), HEADER_LEN);
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(data);
            if data.len() % 2 == 1 {
                out.push(b'\n');
            }
        }
        out
    }

    fn members(bytes: &[u8]) -> io::Result<Vec<(ArHeader, Vec<u8>)>> {
        let mut reader = ArReader::new(bytes)?;
        let mut out = Vec::new();
        while let Some(header) = reader.next_member()? {
            let mut data = Vec::new();
            reader.read_to_end(&mut data)?;
            out.push((header, data));
        }
        Ok(out)
    }

    #[test]
    fn reads_members_with_odd_sizes_and_padding() {
        let bytes = archive(&[
            ("debian-binary", b"2.0\n"),
            ("odd", b"abc"),
            ("data.tar.xz", b"xyz!"),
        ]);
        let got = members(&bytes).unwrap();
        let names: Vec<&str> = got.iter().map(|(h, _)| h.name.as_str()).collect();
        assert_eq!(names, ["debian-binary", "odd", "data.tar.xz"]);
        assert_eq!(got[1].1, b"abc");
        assert_eq!(got[2].1, b"xyz!");
        assert_eq!(got[0].0.mode, 0o100644);
    }

    #[test]
    fn unread_data_is_skipped() {
        let bytes = archive(&[("a", b"12345"), ("b", b"6")]);
        let mut reader = ArReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.next_member().unwrap().unwrap().name, "a");
        let mut two = [0u8; 2];
        reader.read_exact(&mut two).unwrap();
        let b = reader.next_member().unwrap().unwrap();
        assert_eq!(b.name, "b");
        let mut data = Vec::new();
        reader.read_to_end(&mut data).unwrap();
        assert_eq!(data, b"6");
        assert!(reader.next_member().unwrap().is_none());
    }

    #[test]
    fn rejects_bad_magic_and_truncation() {
        assert!(ArReader::new(&b"!<arxh>\n"[..]).is_err());
        let bytes = archive(&[("a", b"12345")]);
        // Header cut short.
        let mut reader = ArReader::new(&bytes[..30]).unwrap();
        assert!(reader.next_member().is_err());
        // Data cut short.
        let mut reader = ArReader::new(&bytes[..bytes.len() - 2]).unwrap();
        reader.next_member().unwrap();
        let mut data = Vec::new();
        assert!(reader.read_to_end(&mut data).is_err());
    }

    #[test]
    fn reads_what_gnu_ar_writes() {
        // GNU ar (binutils) is the reference writer; a deterministic archive
        // (`D`) with an odd-sized member and a GNU-style `name/` entry.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("debian-binary"), b"2.0\n").unwrap();
        std::fs::write(dir.path().join("control.tar.xz"), b"odd").unwrap();
        std::fs::write(dir.path().join("data.tar.xz"), vec![7u8; 1001]).unwrap();
        let status = std::process::Command::new("ar")
            .current_dir(dir.path())
            .args([
                "rcD",
                "t.a",
                "debian-binary",
                "control.tar.xz",
                "data.tar.xz",
            ])
            .status()
            .expect("binutils `ar` is installed (cargo's linker needs binutils)");
        assert!(status.success());
        let bytes = std::fs::read(dir.path().join("t.a")).unwrap();
        let got = members(&bytes).unwrap();
        let names: Vec<&str> = got.iter().map(|(h, _)| h.name.as_str()).collect();
        assert_eq!(names, ["debian-binary", "control.tar.xz", "data.tar.xz"]);
        assert_eq!(got[1].1, b"odd");
        assert_eq!(got[2].1, vec![7u8; 1001]);
    }
}
