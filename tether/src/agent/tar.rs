//! A small tar codec for copies in and out of the container: POSIX ustar
//! headers, with pax extended headers where a field does not fit (long
//! names and link targets, sizes of 8 GiB and more, large ids, times
//! before 1970), and GNU long names read as well. The tether keeps its own
//! rather than the `tar` crate: that crate's file-system side walks host
//! paths, while every file the tether touches must be reached through
//! descriptors resolved inside the container's root, so only the header
//! codec would be used, at the price of two more dependencies in PID 1.

use std::io::{self, Read, Write};

/// The size of a tar block.
pub const BLOCK: usize = 512;

/// The longest name a pax record may carry (a sanity bound).
const MAX_PAX: u64 = 1 << 20;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file; its data follows.
    File,
    /// A directory.
    Directory,
    /// A symbolic link to `link`.
    Symlink,
    /// A hard link to the earlier entry named `link`.
    HardLink,
    /// A character device.
    Char,
    /// A block device.
    Block,
    /// A FIFO.
    Fifo,
}

/// One entry's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its name in the archive (raw bytes: file names need not be UTF-8).
    pub name: Vec<u8>,
    /// What it is.
    pub kind: Kind,
    /// Permission bits (07777).
    pub mode: u32,
    /// Owner.
    pub uid: u64,
    /// Group.
    pub gid: u64,
    /// Data size (files only).
    pub size: u64,
    /// Modification time, unix seconds.
    pub mtime: i64,
    /// A link's target.
    pub link: Vec<u8>,
    /// A device's major number.
    pub major: u32,
    /// A device's minor number.
    pub minor: u32,
}

impl Header {
    /// A header of `kind` named `name`, everything else zero.
    pub fn new(name: Vec<u8>, kind: Kind) -> Header {
        Header {
            name,
            kind,
            mode: 0,
            uid: 0,
            gid: 0,
            size: 0,
            mtime: 0,
            link: Vec::new(),
            major: 0,
            minor: 0,
        }
    }
}

fn type_flag(k: Kind) -> u8 {
    match k {
        Kind::File => b'0',
        Kind::HardLink => b'1',
        Kind::Symlink => b'2',
        Kind::Char => b'3',
        Kind::Block => b'4',
        Kind::Directory => b'5',
        Kind::Fifo => b'6',
    }
}

/// Write `value` as an octal field of `width` bytes (digits and a NUL);
/// false when it does not fit.
fn octal(field: &mut [u8], value: u64) -> bool {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    if text.len() > digits {
        return false;
    }
    field[..digits].copy_from_slice(text.as_bytes());
    field[digits] = 0;
    true
}

/// One pax record: `LEN key=value\n`, LEN counting the whole record.
fn pax_record(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    let body = key.len() + 1 + value.len() + 1;
    let mut len = body + 1;
    while len.to_string().len() + 1 + body != len {
        len = len.to_string().len() + 1 + body;
    }
    out.extend_from_slice(len.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(key.as_bytes());
    out.push(b'=');
    out.extend_from_slice(value);
    out.push(b'\n');
}

fn header_block(name: &[u8], flag: u8, h: &Header, size: u64, pax: &mut Vec<u8>) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    let mut name = name.to_vec();
    if h.kind == Kind::Directory && flag != b'x' && !name.ends_with(b"/") {
        name.push(b'/');
    }
    if name.len() <= 100 {
        b[..name.len()].copy_from_slice(&name);
    } else {
        pax_record(pax, "path", &name);
        b[..100].copy_from_slice(&name[..100]);
    }
    octal(&mut b[100..108], u64::from(h.mode & 0o7777));
    if !octal(&mut b[108..116], h.uid) {
        pax_record(pax, "uid", h.uid.to_string().as_bytes());
        octal(&mut b[108..116], 0);
    }
    if !octal(&mut b[116..124], h.gid) {
        pax_record(pax, "gid", h.gid.to_string().as_bytes());
        octal(&mut b[116..124], 0);
    }
    if !octal(&mut b[124..136], size) {
        pax_record(pax, "size", size.to_string().as_bytes());
        octal(&mut b[124..136], 0);
    }
    match u64::try_from(h.mtime) {
        Ok(t) if octal(&mut b[136..148], t) => {}
        _ => {
            pax_record(pax, "mtime", h.mtime.to_string().as_bytes());
            octal(&mut b[136..148], 0);
        }
    }
    b[156] = flag;
    if h.link.len() <= 100 {
        b[157..157 + h.link.len()].copy_from_slice(&h.link);
    } else {
        pax_record(pax, "linkpath", &h.link);
        b[157..257].copy_from_slice(&h.link[..100]);
    }
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    octal(&mut b[329..337], u64::from(h.major));
    octal(&mut b[337..345], u64::from(h.minor));
    b[148..156].fill(b' ');
    let sum: u32 = b.iter().map(|&x| u32::from(x)).sum();
    let text = format!("{sum:06o}\0 ");
    b[148..156].copy_from_slice(text.as_bytes());
    b
}

/// Write `h`'s header (preceded by a pax header when a field needs one).
/// A file's `h.size` bytes of data must follow, then [`write_padding`].
pub fn write_header(w: &mut impl Write, h: &Header) -> io::Result<()> {
    let size = if h.kind == Kind::File { h.size } else { 0 };
    let mut pax = Vec::new();
    let block = header_block(&h.name, type_flag(h.kind), h, size, &mut pax);
    if !pax.is_empty() {
        let base = h.name.rsplit(|&c| c == b'/').find(|p| !p.is_empty());
        let mut name = b"PaxHeaders/".to_vec();
        name.extend_from_slice(base.unwrap_or(b"entry"));
        name.truncate(100);
        let meta = Header {
            mode: 0o644,
            ..Header::new(Vec::new(), Kind::File)
        };
        let ext = header_block(&name, b'x', &meta, pax.len() as u64, &mut Vec::new());
        w.write_all(&ext)?;
        w.write_all(&pax)?;
        write_padding(w, pax.len() as u64)?;
    }
    w.write_all(&block)
}

/// The zeros after `size` bytes of data, up to the next block.
pub fn write_padding(w: &mut impl Write, size: u64) -> io::Result<()> {
    let rest = (BLOCK - (size % BLOCK as u64) as usize) % BLOCK;
    w.write_all(&[0u8; BLOCK][..rest])
}

/// The end of an archive: two zero blocks.
pub fn write_end(w: &mut impl Write) -> io::Result<()> {
    w.write_all(&[0u8; 2 * BLOCK])
}

/// An archive that cannot be read (the caller reports it as a bad archive).
fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// A numeric field: octal (padded with spaces or NULs), or GNU base-256
/// (the first byte's high bit set).
fn number(field: &[u8], what: &str) -> io::Result<u64> {
    if field.first().is_some_and(|&b| b & 0x80 != 0) {
        if field[0] & 0x40 != 0 {
            return Err(bad(format!("negative {what} in a tar header")));
        }
        let mut v: u64 = u64::from(field[0] & 0x3f);
        for &b in &field[1..] {
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or_else(|| bad(format!("{what} out of range in a tar header")))?;
        }
        return Ok(v);
    }
    let text: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&c| c == b' ')
        .take_while(|&c| c != 0 && c != b' ')
        .collect();
    if text.is_empty() {
        return Ok(0);
    }
    std::str::from_utf8(&text)
        .ok()
        .and_then(|t| u64::from_str_radix(t, 8).ok())
        .ok_or_else(|| bad(format!("bad {what} in a tar header")))
}

fn cstr(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&c| c == 0).unwrap_or(field.len());
    &field[..end]
}

/// Overrides from pax and GNU long-name entries for the next entry.
#[derive(Debug, Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
    mtime: Option<i64>,
}

fn apply_pax(records: &[u8], p: &mut Pending) -> io::Result<()> {
    let mut rest = records;
    while !rest.is_empty() {
        let space = rest
            .iter()
            .position(|&c| c == b' ')
            .ok_or_else(|| bad("a pax record without a length"))?;
        let len: usize = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|t| t.parse().ok())
            .filter(|&n| n > space + 1 && n <= rest.len())
            .ok_or_else(|| bad("a pax record with a bad length"))?;
        let record = &rest[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        rest = &rest[len..];
        let Some(eq) = record.iter().position(|&c| c == b'=') else {
            return Err(bad("a pax record without '='"));
        };
        let (key, value) = (&record[..eq], &record[eq + 1..]);
        let num = |v: &[u8]| -> io::Result<u64> {
            std::str::from_utf8(v)
                .ok()
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| bad("a bad number in a pax record"))
        };
        match key {
            b"path" => p.path = Some(value.to_vec()),
            b"linkpath" => p.link = Some(value.to_vec()),
            b"size" => p.size = Some(num(value)?),
            b"uid" => p.uid = Some(num(value)?),
            b"gid" => p.gid = Some(num(value)?),
            b"mtime" => {
                // Seconds, perhaps with a fraction.
                let whole = value.split(|&c| c == b'.').next().unwrap_or(b"0");
                let t = std::str::from_utf8(whole)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                    .ok_or_else(|| bad("a bad mtime in a pax record"))?;
                p.mtime = Some(t);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads an archive entry by entry.
#[derive(Debug)]
pub struct Reader<R> {
    r: R,
    /// Data (and padding) of the current entry not read yet.
    data_left: u64,
    pad_left: u64,
    done: bool,
}

impl<R: Read> Reader<R> {
    /// Read the archive in `r`.
    pub fn new(r: R) -> Self {
        Reader {
            r,
            data_left: 0,
            pad_left: 0,
            done: false,
        }
    }

    /// The reader underneath (to drain what follows the archive).
    pub fn into_inner(self) -> R {
        self.r
    }

    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        let mut buf = [0u8; 8192];
        while n > 0 {
            let want = n.min(buf.len() as u64) as usize;
            self.r.read_exact(&mut buf[..want]).map_err(truncated)?;
            n -= want as u64;
        }
        Ok(())
    }

    fn read_block(&mut self, block: &mut [u8; BLOCK]) -> io::Result<bool> {
        let mut got = 0;
        while got < BLOCK {
            match self.r.read(&mut block[got..]) {
                Ok(0) if got == 0 => return Ok(false),
                Ok(0) => return Err(bad("the archive ends inside a header")),
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    fn read_meta(&mut self, size: u64) -> io::Result<Vec<u8>> {
        if size > MAX_PAX {
            return Err(bad("an extended header larger than 1 MiB"));
        }
        let mut data = vec![0u8; size as usize];
        self.r.read_exact(&mut data).map_err(truncated)?;
        let pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
        self.skip(pad)?;
        Ok(data)
    }

    /// The next entry's header, None at the end of the archive (two zero
    /// blocks, one zero block then the end of input, or the end of input
    /// between entries). What is left of the previous entry's data is
    /// skipped.
    pub fn next_header(&mut self) -> io::Result<Option<Header>> {
        if self.done {
            return Ok(None);
        }
        let left = self.data_left + self.pad_left;
        self.data_left = 0;
        self.pad_left = 0;
        self.skip(left)?;
        let mut pending = Pending::default();
        let mut block = [0u8; BLOCK];
        loop {
            if !self.read_block(&mut block)? || block.iter().all(|&b| b == 0) {
                self.done = true;
                return Ok(None);
            }
            let stored = number(&block[148..156], "checksum")?;
            let mut unsigned: u64 = 0;
            let mut signed: i64 = 0;
            for (i, &b) in block.iter().enumerate() {
                let b = if (148..156).contains(&i) { b' ' } else { b };
                unsigned += u64::from(b);
                signed += i64::from(b as i8);
            }
            if stored != unsigned && i64::try_from(stored).ok() != Some(signed) {
                return Err(bad("a tar header with a bad checksum"));
            }
            let size = pending
                .size
                .map_or_else(|| number(&block[124..136], "size"), Ok)?;
            let flag = block[156];
            match flag {
                b'x' => {
                    let data = self.read_meta(size)?;
                    apply_pax(&data, &mut pending)?;
                    continue;
                }
                b'g' => {
                    self.read_meta(size)?;
                    continue;
                }
                b'L' | b'K' => {
                    let mut data = self.read_meta(size)?;
                    let end = data.iter().position(|&c| c == 0).unwrap_or(data.len());
                    data.truncate(end);
                    if flag == b'L' {
                        pending.path = Some(data);
                    } else {
                        pending.link = Some(data);
                    }
                    continue;
                }
                _ => {}
            }
            let kind = match flag {
                b'0' | 0 | b'7' => Kind::File,
                b'1' => Kind::HardLink,
                b'2' => Kind::Symlink,
                b'3' => Kind::Char,
                b'4' => Kind::Block,
                b'5' => Kind::Directory,
                b'6' => Kind::Fifo,
                other => {
                    return Err(bad(format!(
                        "a tar entry of type {:?}, which copies do not take",
                        other as char
                    )));
                }
            };
            let name = match pending.path.take() {
                Some(p) => p,
                None => {
                    let mut n = cstr(&block[..100]).to_vec();
                    let prefix = cstr(&block[345..500]);
                    if &block[257..263] == b"ustar\0" && !prefix.is_empty() {
                        let mut full = prefix.to_vec();
                        full.push(b'/');
                        full.append(&mut n);
                        n = full;
                    }
                    n
                }
            };
            let header = Header {
                name,
                kind,
                mode: (number(&block[100..108], "mode")? & 0o7777) as u32,
                uid: pending
                    .uid
                    .map_or_else(|| number(&block[108..116], "uid"), Ok)?,
                gid: pending
                    .gid
                    .map_or_else(|| number(&block[116..124], "gid"), Ok)?,
                size: if kind == Kind::File { size } else { 0 },
                mtime: match pending.mtime {
                    Some(t) => t,
                    None => number(&block[136..148], "mtime")? as i64,
                },
                link: pending
                    .link
                    .take()
                    .unwrap_or_else(|| cstr(&block[157..257]).to_vec()),
                major: number(&block[329..337], "device major")? as u32,
                minor: number(&block[337..345], "device minor")? as u32,
            };
            // Data of a non-file entry (a directory's, say) is skipped.
            self.data_left = size;
            self.pad_left = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
            return Ok(Some(header));
        }
    }

    /// Read some of the current entry's data (0 at its end).
    pub fn read_data(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data_left == 0 {
            return Ok(0);
        }
        let want = buf.len().min(self.data_left as usize);
        let n = self.r.read(&mut buf[..want])?;
        if n == 0 {
            return Err(truncated(io::ErrorKind::UnexpectedEof.into()));
        }
        self.data_left -= n as u64;
        Ok(n)
    }
}

fn truncated(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        bad("the archive ends inside an entry")
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(headers: &[(Header, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (h, data) in headers {
            write_header(&mut out, h).unwrap();
            out.extend_from_slice(data);
            write_padding(&mut out, data.len() as u64).unwrap();
        }
        write_end(&mut out).unwrap();
        out
    }

    fn read_all(bytes: &[u8]) -> io::Result<Vec<(Header, Vec<u8>)>> {
        let mut r = Reader::new(bytes);
        let mut out = Vec::new();
        while let Some(h) = r.next_header()? {
            let mut data = Vec::new();
            let mut buf = [0u8; 100];
            loop {
                let n = r.read_data(&mut buf)?;
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
            }
            out.push((h, data));
        }
        Ok(out)
    }

    fn file(name: &str, data: &[u8]) -> Header {
        Header {
            mode: 0o640,
            uid: 1000,
            gid: 100,
            size: data.len() as u64,
            mtime: 1_700_000_000,
            ..Header::new(name.as_bytes().to_vec(), Kind::File)
        }
    }

    #[test]
    fn entries_round_trip_with_long_names_large_ids_and_old_times() {
        let long = format!("d/{}/file", "n".repeat(150));
        let target = "t".repeat(120);
        let headers = vec![
            (
                Header {
                    mode: 0o755,
                    ..Header::new(b"d".to_vec(), Kind::Directory)
                },
                &b""[..],
            ),
            (file("d/a.txt", b"hello\n"), &b"hello\n"[..]),
            (file(&long, b"x"), &b"x"[..]),
            (
                Header {
                    link: target.as_bytes().to_vec(),
                    uid: 5_000_000,
                    mtime: -5,
                    ..Header::new(b"d/link".to_vec(), Kind::Symlink)
                },
                &b""[..],
            ),
            (
                Header {
                    link: b"d/a.txt".to_vec(),
                    ..Header::new(b"d/hard".to_vec(), Kind::HardLink)
                },
                &b""[..],
            ),
            (
                Header {
                    major: 1,
                    minor: 3,
                    mode: 0o666,
                    ..Header::new(b"d/null".to_vec(), Kind::Char)
                },
                &b""[..],
            ),
        ];
        let bytes = archive(&headers);
        assert_eq!(bytes.len() % BLOCK, 0);
        let back = read_all(&bytes).unwrap();
        assert_eq!(back.len(), headers.len());
        for ((want, data), (got, got_data)) in headers.iter().zip(&back) {
            let mut want = want.clone();
            if want.kind == Kind::Directory {
                want.name.push(b'/');
            }
            assert_eq!(&want, got);
            assert_eq!(*data, &got_data[..]);
        }
    }

    #[test]
    fn pax_record_lengths_count_themselves() {
        for n in [0, 1, 90, 93, 94, 95, 990, 995, 1000] {
            let mut out = Vec::new();
            pax_record(&mut out, "path", &vec![b'a'; n]);
            let text = String::from_utf8(out.clone()).unwrap();
            let len: usize = text.split(' ').next().unwrap().parse().unwrap();
            assert_eq!(len, out.len(), "value of {n} bytes: {text:?}");
        }
    }

    #[test]
    fn gnu_long_names_base_256_and_a_missing_end_are_read() {
        let mut out = Vec::new();
        let name = "g".repeat(130);
        let mut meta = file("././@LongLink", &[]);
        meta.size = name.len() as u64 + 1;
        let mut pax = Vec::new();
        let mut block = header_block(b"././@LongLink", b'L', &meta, meta.size, &mut pax);
        assert!(pax.is_empty());
        out.extend_from_slice(&block);
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        write_padding(&mut out, meta.size).unwrap();
        let h = file("short", b"abc");
        block = header_block(b"short", b'0', &h, 3, &mut Vec::new());
        // The uid as GNU base-256 (the checksum is recomputed).
        block[108..116].copy_from_slice(&[0x80, 0, 0, 0, 0, 0, 0x03, 0xe8]);
        block[148..156].fill(b' ');
        let sum: u32 = block.iter().map(|&x| u32::from(x)).sum();
        block[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&block);
        out.extend_from_slice(b"abc");
        write_padding(&mut out, 3).unwrap();
        // No end blocks: the input just ends.
        let back = read_all(&out).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].0.name, name.as_bytes());
        assert_eq!(back[0].0.uid, 1000);
        assert_eq!(back[0].1, b"abc");
    }

    #[test]
    fn damaged_archives_are_errors_not_panics() {
        let good = archive(&[(file("a", b"data"), &b"data"[..])]);
        let mut bad_sum = good.clone();
        bad_sum[0] = b'b';
        assert!(read_all(&bad_sum).is_err());
        assert!(read_all(&good[..BLOCK + 2]).is_err(), "ends inside data");
        assert!(read_all(&good[..100]).is_err(), "ends inside a header");
        let mut sparse = good.clone();
        sparse[156] = b'S';
        sparse[148..156].fill(b' ');
        let sum: u32 = sparse[..BLOCK].iter().map(|&x| u32::from(x)).sum();
        sparse[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let e = read_all(&sparse).unwrap_err();
        assert!(e.to_string().contains("'S'"), "{e}");
        // Pseudo-random bytes never panic.
        let mut x: u64 = 0x1234_5678_9abc_def0;
        for _ in 0..200 {
            let mut bytes = good.clone();
            for _ in 0..8 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let at = (x % bytes.len() as u64) as usize;
                bytes[at] = (x >> 32) as u8;
            }
            let _ = read_all(&bytes);
        }
    }
}
