//! Domain logs: the CRI log line format the tether writes on its log port
//! (`<RFC 3339 time> stdout|stderr F|P <content>`), parsed into lines, with
//! `--tail` and `--follow` over a growing file.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::plumbing::error::{Error, IoContext, Result};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One log line as the porcelain prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// RFC 3339 time the tether read it.
    pub time: String,
    pub stream: Stream,
    /// The content without the newline.
    pub text: String,
    /// The process wrote no newline (yet): the text continues in the next
    /// line of the same stream.
    pub partial: bool,
}

/// Parse one CRI log line (without its newline). Lines in another format
/// (e.g. written by an older tether) are `None`.
pub fn parse_line(line: &str) -> Option<LogLine> {
    let mut parts = line.splitn(4, ' ');
    let time = parts.next()?;
    let stream = match parts.next()? {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        _ => return None,
    };
    let partial = match parts.next()? {
        "F" => false,
        "P" => true,
        _ => return None,
    };
    let text = parts.next().unwrap_or("");
    if !time.contains('T') {
        return None;
    }
    Some(LogLine {
        time: time.to_string(),
        stream,
        text: text.to_string(),
        partial,
    })
}

/// The byte offset where the last `n` complete lines of `file` begin,
/// found by reading backwards in blocks (a large log is not read whole).
fn tail_offset(file: &mut std::fs::File, n: usize) -> std::io::Result<u64> {
    let len = file.metadata()?.len();
    if n == 0 {
        return Ok(len);
    }
    let mut pos = len;
    let mut newlines = 0usize;
    let mut block = vec![0u8; 64 * 1024];
    // A trailing newline ends the last line; it does not start one.
    let mut skip_last = true;
    while pos > 0 {
        let take = block.len().min(pos as usize);
        pos -= take as u64;
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut block[..take])?;
        for i in (0..take).rev() {
            if block[i] == b'\n' {
                if skip_last && pos + i as u64 == len - 1 {
                    skip_last = false;
                    continue;
                }
                newlines += 1;
                if newlines == n {
                    return Ok(pos + i as u64 + 1);
                }
            }
        }
        skip_last = false;
    }
    Ok(0)
}

/// Read the log at `path`: the last `tail` lines (all when `None`), then,
/// while `still_running()` says so, new lines as they are written. `sink`
/// returns `false` to stop early. A missing file is an empty log.
pub fn read(
    path: &Path,
    tail: Option<usize>,
    follow: bool,
    still_running: &mut dyn FnMut() -> bool,
    sink: &mut (dyn FnMut(LogLine) -> Result<bool> + Send),
) -> Result<()> {
    let open = || std::fs::File::open(path);
    let mut file = loop {
        match open() {
            Ok(f) => break f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !follow || !still_running() {
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        }
    };
    let start = match tail {
        Some(n) => {
            tail_offset(&mut file, n).io_context(|| format!("reading {}", path.display()))?
        }
        None => 0,
    };
    file.seek(SeekFrom::Start(start))
        .io_context(|| format!("reading {}", path.display()))?;
    let mut reader = BufReader::new(file);
    let mut pending = String::new();
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .io_context(|| format!("reading {}", path.display()))?;
        if n > 0 {
            pending.push_str(&line);
            if !pending.ends_with('\n') {
                continue; // a line still being written
            }
            let complete = std::mem::take(&mut pending);
            if let Some(parsed) = parse_line(complete.trim_end_matches('\n')) {
                if !sink(parsed)? {
                    return Ok(());
                }
            }
            continue;
        }
        if !follow {
            return Ok(());
        }
        // At the end: keep following while the domain runs; once it has
        // stopped, drain what it wrote last and finish.
        if !still_running() {
            let mut rest = String::new();
            reader
                .read_to_string(&mut rest)
                .io_context(|| format!("reading {}", path.display()))?;
            pending.push_str(&rest);
            for l in pending.lines() {
                if let Some(parsed) = parse_line(l) {
                    if !sink(parsed)? {
                        return Ok(());
                    }
                }
            }
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn line(i: usize, stream: &str) -> String {
        format!(
            "2026-11-28T10:00:{:02}.000000001Z {stream} F line {i}\n",
            i % 60
        )
    }

    #[test]
    fn parses_cri_lines() {
        let l = parse_line("2026-11-28T10:00:00.5Z stderr P half a li").unwrap();
        assert_eq!(l.stream, Stream::Stderr);
        assert!(l.partial);
        assert_eq!(l.text, "half a li");
        let l = parse_line("2026-11-28T10:00:00Z stdout F ").unwrap();
        assert_eq!(l.text, "");
        assert!(parse_line("garbage").is_none());
        assert!(parse_line("2026 stdout F x").is_none());
        assert!(parse_line("2026-11-28T10:00:00Z stdin F x").is_none());
    }

    fn collect(path: &Path, tail: Option<usize>) -> Vec<String> {
        let mut out = Vec::new();
        read(path, tail, false, &mut || false, &mut |l| {
            out.push(l.text);
            Ok(true)
        })
        .unwrap();
        out
    }

    #[test]
    fn tail_takes_the_last_lines_of_a_large_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output.log");
        let mut f = std::fs::File::create(&path).unwrap();
        for i in 0..5000 {
            f.write_all(line(i, if i % 2 == 0 { "stdout" } else { "stderr" }).as_bytes())
                .unwrap();
        }
        let last = collect(&path, Some(3));
        assert_eq!(last, ["line 4997", "line 4998", "line 4999"]);
        assert_eq!(collect(&path, Some(0)), Vec::<String>::new());
        assert_eq!(collect(&path, Some(100_000)).len(), 5000);
        assert_eq!(collect(&path, None).len(), 5000);
    }

    #[test]
    fn follow_reads_until_the_domain_stops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output.log");
        std::fs::write(&path, line(0, "stdout")).unwrap();
        let writer_path = path.clone();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let t = std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&writer_path)
                .unwrap();
            std::thread::sleep(Duration::from_millis(200));
            f.write_all(line(1, "stdout").as_bytes()).unwrap();
            // A line written in two pieces is delivered once, whole.
            let l = line(2, "stderr");
            f.write_all(&l.as_bytes()[..10]).unwrap();
            std::thread::sleep(Duration::from_millis(200));
            f.write_all(&l.as_bytes()[10..]).unwrap();
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut got = Vec::new();
        read(
            &path,
            None,
            true,
            &mut || !done.load(std::sync::atomic::Ordering::SeqCst),
            &mut |l| {
                got.push(l.text);
                Ok(true)
            },
        )
        .unwrap();
        t.join().unwrap();
        assert_eq!(got, ["line 0", "line 1", "line 2"]);
    }
}
