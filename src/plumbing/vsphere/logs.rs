//! A domain's log on a datastore: the file its serial port writes, read
//! over the datastore file API with byte ranges, so a tail reads blocks
//! from the end and a follow reads only what was added since.

use crate::plumbing::error::{Error, Result};
use crate::plumbing::log::{LogLine, parse_line};
use crate::plumbing::platform::LogOptions;

use super::datastore::{ByteRange, DatastorePath, Files};
use super::devices::{Backing, Device, Kind};
use super::{guest, inventory, vim};

/// How much one read asks for.
const BLOCK: u64 = 64 * 1024;
/// How much one read asks for when reading forward.
const FORWARD: u64 = 1024 * 1024;

/// Reads a growing log file from an offset, line by line.
#[derive(Debug)]
pub struct LogReader<'a> {
    files: Files<'a>,
    path: DatastorePath,
    offset: u64,
    /// The start of a line still being written.
    pending: Vec<u8>,
}

/// What one [`LogReader::poll`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polled {
    /// Bytes read.
    pub read: u64,
    /// The sink asked to stop.
    pub stopped: bool,
}

impl<'a> LogReader<'a> {
    /// A reader at the start of the last `tail` lines of `path` (all lines
    /// when `None`).
    pub async fn open(files: Files<'a>, path: DatastorePath, tail: Option<usize>) -> Result<Self> {
        let offset = match tail {
            Some(n) => tail_offset(&files, &path, n).await?,
            None => 0,
        };
        Ok(LogReader {
            files,
            path,
            offset,
            pending: Vec::new(),
        })
    }

    /// The offset the next read starts at.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Read everything written since the last read (in blocks) and give
    /// `sink` the complete lines.
    pub async fn poll(
        &mut self,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<Polled> {
        let mut read = 0;
        loop {
            let chunk = self
                .files
                .read(
                    &self.path,
                    ByteRange::Span(self.offset, self.offset + FORWARD),
                )
                .await?;
            let Some(chunk) = chunk else {
                return Ok(Polled {
                    read,
                    stopped: false,
                });
            };
            if chunk.total.is_some_and(|t| t < self.offset) {
                // The file was truncated or replaced: start over.
                self.offset = 0;
                self.pending.clear();
                continue;
            }
            let n = chunk.data.len() as u64;
            if n == 0 {
                return Ok(Polled {
                    read,
                    stopped: false,
                });
            }
            self.offset = chunk.start + n;
            read += n;
            self.pending.extend_from_slice(&chunk.data);
            if self.deliver(sink)? {
                return Ok(Polled {
                    read,
                    stopped: true,
                });
            }
            if n < FORWARD {
                return Ok(Polled {
                    read,
                    stopped: false,
                });
            }
        }
    }

    /// Give `sink` the complete lines in `pending`; whether it said stop.
    fn deliver(&mut self, sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send)) -> Result<bool> {
        let Some(last) = self.pending.iter().rposition(|b| *b == b'\n') else {
            return Ok(false);
        };
        let rest = self.pending.split_off(last + 1);
        let complete = std::mem::replace(&mut self.pending, rest);
        for line in complete.split(|b| *b == b'\n') {
            if line.is_empty() {
                continue;
            }
            if let Some(parsed) = parse_line(&String::from_utf8_lossy(line)) {
                if !sink(parsed)? {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The log is over: give `sink` a last line that has no newline.
    pub fn finish(&mut self, sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send)) -> Result<()> {
        if !self.pending.is_empty() {
            self.pending.push(b'\n');
            self.deliver(sink)?;
        }
        Ok(())
    }
}

/// The offset where the last `n` complete lines of `path` begin, found by
/// reading blocks backwards from the end (a large log is not read whole).
pub async fn tail_offset(files: &Files<'_>, path: &DatastorePath, n: usize) -> Result<u64> {
    let Some(last) = files.read(path, ByteRange::Last(BLOCK)).await? else {
        return Ok(0);
    };
    let total = last.total.unwrap_or(last.start + last.data.len() as u64);
    if n == 0 {
        return Ok(total);
    }
    let mut newlines = 0usize;
    let mut chunk = last;
    loop {
        for i in (0..chunk.data.len()).rev() {
            if chunk.data[i] != b'\n' {
                continue;
            }
            let at = chunk.start + i as u64;
            // A newline ending the file ends the last line; it starts none.
            if at + 1 == total {
                continue;
            }
            newlines += 1;
            if newlines == n {
                return Ok(at + 1);
            }
        }
        if chunk.start == 0 {
            return Ok(0);
        }
        let start = chunk.start.saturating_sub(BLOCK);
        chunk = match files
            .read(path, ByteRange::Span(start, chunk.start))
            .await?
        {
            Some(c) if !c.data.is_empty() => c,
            _ => return Ok(0),
        };
    }
}
/// How often a followed log is read again.
const LOG_POLL: std::time::Duration = std::time::Duration::from_millis(500);

impl super::VspherePlatform {
    /// A domain's log from its log serial port's file on the datastore,
    /// read by ranges; followed until the VM powers off.
    pub(super) async fn domain_log(
        &self,
        domain: &str,
        options: &LogOptions,
        sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
    ) -> Result<()> {
        let (o, _) = self.find(domain).await?;
        let name = o.text("name").unwrap_or_default().to_string();
        let vm = o.obj.clone();
        let devices = vim::retrieve_one(&self.session, &vm, &["config.hardware.device"]).await?;
        let file = devices
            .props
            .get("config.hardware.device")
            .into_iter()
            .flat_map(|v| v.children.iter().map(Device::read))
            .filter_map(|d| match (d.kind, d.backing) {
                (Kind::Serial, Some(Backing::SerialFile { file })) => Some(file),
                _ => None,
            })
            .find(|file| file.ends_with(&format!("/{}", guest::LOG_FILE)))
            .ok_or_else(|| {
                Error::invalid_state(format!("domain {name:?} has no log serial port"))
                    .with_hint("it was not created by this version of vicport: recreate it")
            })?;
        let path = DatastorePath::parse(&file)?;
        let datacenter = inventory::datacenter_of(&self.session, &vm).await?;
        let files = Files::new(&self.session, &datacenter);
        let mut reader = LogReader::open(files, path, options.tail).await?;
        loop {
            if reader.poll(sink).await?.stopped {
                return Ok(());
            }
            if !options.follow {
                return reader.finish(sink);
            }
            let power = vim::retrieve_one(&self.session, &vm, &["runtime.powerState"]).await?;
            if power.text("runtime.powerState") != Some("poweredOn") {
                // Stopped: what it wrote last, then the end.
                if reader.poll(sink).await?.stopped {
                    return Ok(());
                }
                return reader.finish(sink);
            }
            tokio::time::sleep(LOG_POLL).await;
        }
    }
}
