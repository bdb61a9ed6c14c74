//! The "newc" cpio format the kernel unpacks into its initramfs: `070701`,
//! thirteen 8-digit hex fields, the NUL-terminated name, data, each padded
//! to a multiple of four bytes, and a `TRAILER!!!` entry at the end.
//!
//! The writer is deliberately dumb: it writes what it is given, in the order
//! given, with the mtime it was configured with; reproducibility (sorting,
//! inode numbers, ownership) is the caller's job, see `initramfs.rs`.

use std::io::{self, Write};

/// File type bits of `st_mode`.
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFCHR: u32 = 0o020000;
#[cfg(test)]
const S_IFMT: u32 = 0o170000;

const MAGIC: &[u8; 6] = b"070701";
const HEADER_LEN: usize = 110;
/// The name of the entry that ends an archive.
pub const TRAILER: &str = "TRAILER!!!";

/// One header's worth of metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub ino: u32,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub mtime: u32,
    pub rdev_major: u32,
    pub rdev_minor: u32,
}

/// Writes a newc archive; every entry is owned by 0:0.
#[derive(Debug)]
pub struct CpioWriter<W> {
    out: W,
}

fn pad4(len: u64) -> usize {
    ((4 - (len % 4)) % 4) as usize
}

impl<W: Write> CpioWriter<W> {
    pub fn new(out: W) -> Self {
        CpioWriter { out }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Write one entry: header, name, padding, data, padding.
    pub fn entry(&mut self, name: &str, header: &Header, data: &[u8]) -> io::Result<()> {
        if name.is_empty() || name.as_bytes().contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad cpio entry name {name:?}"),
            ));
        }
        let size = u32::try_from(data.len()).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{name} is larger than 4 GiB"),
            )
        })?;
        let namesize = name.len() as u32 + 1;
        let fields = [
            header.ino,
            header.mode,
            header.uid,
            header.gid,
            header.nlink,
            header.mtime,
            size,
            0, // devmajor: the device the file came from; none
            0, // devminor
            header.rdev_major,
            header.rdev_minor,
            namesize,
            0, // check: only for the 070702 "crc" format
        ];
        let mut head = Vec::with_capacity(HEADER_LEN + name.len() + 4);
        head.extend_from_slice(MAGIC);
        for value in fields {
            head.extend_from_slice(format!("{value:08X}").as_bytes());
        }
        head.extend_from_slice(name.as_bytes());
        head.push(0);
        head.resize(head.len() + pad4(head.len() as u64), 0);
        self.put(&head)?;
        self.put(data)?;
        self.put(&[0u8; 3][..pad4(data.len() as u64)])
    }

    /// Write the trailer and hand back the output.
    pub fn finish(mut self) -> io::Result<W> {
        let trailer = Header {
            ino: 0,
            mode: 0,
            uid: 0,
            gid: 0,
            nlink: 1,
            mtime: 0,
            rdev_major: 0,
            rdev_minor: 0,
        };
        self.entry(TRAILER, &trailer, &[])?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One entry read back from an archive (the reader is for tests).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub header: Header,
    pub data: Vec<u8>,
}

#[cfg(test)]
impl Entry {
    /// The file type bits.
    pub fn file_type(&self) -> u32 {
        self.header.mode & S_IFMT
    }
}

/// Read a whole newc archive (up to and excluding the trailer), checking the
/// magic, the field syntax, the padding and that the trailer is there.
#[cfg(test)]
pub fn read_archive(bytes: &[u8]) -> io::Result<Vec<Entry>> {
    let bad = |message: String| io::Error::new(io::ErrorKind::InvalidData, message);
    let mut at = 0usize;
    let mut entries = Vec::new();
    loop {
        let head = bytes
            .get(at..at + HEADER_LEN)
            .ok_or_else(|| bad(format!("archive ends at {at} without a trailer")))?;
        if &head[..6] != MAGIC {
            return Err(bad(format!("bad magic at offset {at}")));
        }
        let mut fields = [0u32; 13];
        for (i, field) in fields.iter_mut().enumerate() {
            let text = std::str::from_utf8(&head[6 + i * 8..14 + i * 8])
                .map_err(|_| bad(format!("non-ASCII header at {at}")))?;
            *field = u32::from_str_radix(text, 16)
                .map_err(|_| bad(format!("bad hex field {text:?} at {at}")))?;
        }
        let namesize = fields[11] as usize;
        let name_end = at + HEADER_LEN + namesize;
        let name_bytes = bytes
            .get(at + HEADER_LEN..name_end)
            .ok_or_else(|| bad(format!("name runs past the end at {at}")))?;
        if namesize == 0 || name_bytes[namesize - 1] != 0 {
            return Err(bad(format!("name at {at} is not NUL-terminated")));
        }
        let name = String::from_utf8_lossy(&name_bytes[..namesize - 1]).into_owned();
        let data_start = name_end + pad4(name_end as u64);
        check_zero(bytes, name_end, data_start)
            .map_err(|_| bad(format!("bad name padding for {name}")))?;
        let data_end = data_start + fields[6] as usize;
        let data = bytes
            .get(data_start..data_end)
            .ok_or_else(|| bad(format!("data of {name} runs past the end")))?;
        let next = data_end + pad4(data_end as u64);
        check_zero(bytes, data_end, next)
            .map_err(|_| bad(format!("bad data padding for {name}")))?;
        if name == TRAILER {
            return Ok(entries);
        }
        entries.push(Entry {
            name,
            header: Header {
                ino: fields[0],
                mode: fields[1],
                uid: fields[2],
                gid: fields[3],
                nlink: fields[4],
                mtime: fields[5],
                rdev_major: fields[9],
                rdev_minor: fields[10],
            },
            data: data.to_vec(),
        });
        at = next;
    }
}

#[cfg(test)]
fn check_zero(bytes: &[u8], from: usize, to: usize) -> Result<(), ()> {
    match bytes.get(from..to) {
        Some(pad) if pad.iter().all(|&b| b == 0) => Ok(()),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(ino: u32, mode: u32) -> Header {
        Header {
            ino,
            mode,
            uid: 0,
            gid: 0,
            nlink: if mode & S_IFMT == S_IFDIR { 2 } else { 1 },
            mtime: 1_700_000_000,
            rdev_major: 0,
            rdev_minor: 0,
        }
    }

    fn sample() -> Vec<u8> {
        let mut w = CpioWriter::new(Vec::new());
        w.entry("dev", &file(1, S_IFDIR | 0o755), &[]).unwrap();
        let mut console = file(2, S_IFCHR | 0o600);
        console.rdev_major = 5;
        console.rdev_minor = 1;
        w.entry("dev/console", &console, &[]).unwrap();
        w.entry("init", &file(3, S_IFREG | 0o755), b"#!hello\n")
            .unwrap();
        // Sizes 1..=4 exercise every padding length.
        w.entry("a", &file(4, S_IFREG | 0o644), b"x").unwrap();
        w.entry("bb", &file(5, S_IFREG | 0o644), b"xy").unwrap();
        w.entry("ccc", &file(6, S_IFREG | 0o644), b"xyz").unwrap();
        w.entry("dddd", &file(7, S_IFREG | 0o644), b"wxyz").unwrap();
        w.entry("sh", &file(8, S_IFLNK | 0o777), b"init").unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn round_trip_keeps_names_metadata_and_data() {
        let bytes = sample();
        let entries = read_archive(&bytes).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["dev", "dev/console", "init", "a", "bb", "ccc", "dddd", "sh"]
        );
        assert_eq!(entries[1].header.rdev_major, 5);
        assert_eq!(entries[1].header.rdev_minor, 1);
        assert_eq!(entries[1].file_type(), S_IFCHR);
        assert_eq!(entries[2].data, b"#!hello\n");
        assert_eq!(entries[2].header.mode, S_IFREG | 0o755);
        assert_eq!(entries[2].header.mtime, 1_700_000_000);
        assert_eq!(entries[5].data, b"xyz");
        assert_eq!(entries[7].data, b"init");
    }

    #[test]
    fn layout_is_padded_and_ends_with_the_trailer() {
        let bytes = sample();
        assert_eq!(bytes.len() % 4, 0);
        assert_eq!(&bytes[..6], b"070701");
        // The first header: "dev" is ino 1, a directory, namesize 4.
        let first = std::str::from_utf8(&bytes[..HEADER_LEN]).unwrap();
        assert_eq!(&first[6..14], "00000001");
        assert_eq!(&first[14..22], "000041ED");
        assert_eq!(&first[94..102], "00000004");
        // 110 + 4 = 114 -> padded to 116, where the next header starts.
        assert_eq!(&bytes[114..116], b"\0\0");
        assert_eq!(&bytes[116..122], b"070701");
        let tail = String::from_utf8_lossy(&bytes[bytes.len() - 124..]).into_owned();
        assert!(tail.contains("TRAILER!!!\0"), "{tail:?}");
    }

    #[test]
    fn reader_rejects_damage() {
        let bytes = sample();
        assert!(
            read_archive(&bytes[..bytes.len() - 8]).is_err(),
            "no trailer"
        );
        let mut bad_magic = bytes.clone();
        bad_magic[5] = b'2';
        assert!(read_archive(&bad_magic).is_err());
        let mut bad_pad = bytes.clone();
        bad_pad[115] = 1;
        assert!(read_archive(&bad_pad).is_err());
    }

    #[test]
    fn gnu_cpio_reads_what_we_write() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("t.cpio");
        std::fs::write(&archive, sample()).unwrap();
        let run = |args: &[&str]| {
            let out = std::process::Command::new("cpio")
                .args(args)
                .stdin(std::fs::File::open(&archive).unwrap())
                .current_dir(dir.path())
                .output()
                .expect("GNU cpio is installed (apt-get install cpio)");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out
        };
        let listing = run(&["-it", "--quiet"]);
        let names: Vec<String> = String::from_utf8(listing.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(
            names,
            ["dev", "dev/console", "init", "a", "bb", "ccc", "dddd", "sh"]
        );
        let verbose = String::from_utf8(run(&["-itv", "--quiet"]).stdout).unwrap();
        assert!(verbose.lines().any(|l| l.starts_with("crw-------")
            && l.contains("5,")
            && l.ends_with("dev/console")));
        assert!(
            verbose
                .lines()
                .any(|l| l.starts_with("lrwxrwxrwx") && l.ends_with("sh -> init"))
        );
        let content = run(&["-i", "--quiet", "--to-stdout", "init"]);
        assert_eq!(content.stdout, b"#!hello\n");
        let content = run(&["-i", "--quiet", "--to-stdout", "ccc"]);
        assert_eq!(content.stdout, b"xyz");
    }
}
