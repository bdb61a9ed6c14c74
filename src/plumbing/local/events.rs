//! The local platform's event journal: one JSON object per line in
//! `<state>/events.jsonl`, appended by whoever changes something (the CLI,
//! the monitor), read back and followed by `vicport events`.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::plumbing::error::{IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir};
use crate::plumbing::platform::Event;
use crate::plumbing::spec::now;

/// When the journal grows past this, it is rotated to `events.jsonl.1`.
const ROTATE_BYTES: u64 = 4 << 20;

/// The journal of one state directory.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// The journal under `state`.
    pub fn new(state: &Path) -> Self {
        Journal {
            path: state.join("events.jsonl"),
        }
    }

    /// Append an event. Each event is one `write` to a file opened with
    /// O_APPEND, so concurrent writers never interleave.
    pub fn record(&self, object: &str, name: &str, action: &str, attributes: &[(&str, String)]) {
        let event = Event {
            time: now(),
            object: object.into(),
            name: name.into(),
            action: action.into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        // The journal is best effort: an event that cannot be written must
        // not fail the operation it reports.
        if let Err(e) = self.append(&event) {
            tracing::warn!("could not record the {action} event of {object} {name}: {e}");
        }
    }

    fn append(&self, event: &Event) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            create_private_dir(dir)?;
        }
        self.rotate_if_large()?;
        let mut line = serde_json::to_vec(event).expect("an event serializes");
        line.push(b'\n');
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)
            .io_context(|| format!("opening {}", self.path.display()))?;
        f.write_all(&line)
            .io_context(|| format!("appending to {}", self.path.display()))
    }

    fn rotate_if_large(&self) -> Result<()> {
        let large = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.len() > ROTATE_BYTES);
        if !large(&self.path) {
            return Ok(());
        }
        let _lock = Lock::exclusive(&self.path.with_extension("lock"))?;
        if large(&self.path) {
            std::fs::rename(&self.path, self.path.with_extension("jsonl.1"))
                .io_context(|| format!("rotating {}", self.path.display()))?;
        }
        Ok(())
    }

    /// Deliver the recorded events to `sink`, then, when `follow`, new ones
    /// as they are appended, until `sink` returns `false`.
    pub fn read(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
    ) -> Result<()> {
        let mut offset = 0u64;
        loop {
            let mut file = match std::fs::File::open(&self.path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if !follow {
                        return Ok(());
                    }
                    std::thread::sleep(Duration::from_millis(200));
                    continue;
                }
                Err(e) => {
                    return Err(crate::plumbing::error::Error::io(
                        format!("reading {}", self.path.display()),
                        e,
                    ));
                }
            };
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            if len < offset {
                offset = 0; // rotated
            }
            file.seek(SeekFrom::Start(offset))
                .io_context(|| format!("reading {}", self.path.display()))?;
            let mut reader = BufReader::new(file);
            let mut line = String::new();
            loop {
                line.clear();
                let n = reader
                    .read_line(&mut line)
                    .io_context(|| format!("reading {}", self.path.display()))?;
                if n == 0 || !line.ends_with('\n') {
                    break; // the end, or a line still being written
                }
                offset += n as u64;
                if let Ok(event) = serde_json::from_str::<Event>(&line) {
                    if !sink(event)? {
                        return Ok(());
                    }
                }
            }
            if !follow {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        j.record("domain", "web", "create", &[]);
        j.record("domain", "web", "die", &[("exit_code", "7".into())]);
        let mut seen = Vec::new();
        j.read(false, &mut |e| {
            seen.push(e);
            Ok(true)
        })
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].action, "create");
        assert_eq!(seen[1].attributes["exit_code"], "7");
    }

    #[test]
    fn follow_sees_later_events_and_stops_when_told() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        let writer = j.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            writer.record("domain", "a", "start", &[]);
            writer.record("domain", "a", "stop", &[]);
        });
        let mut actions = Vec::new();
        j.read(true, &mut |e| {
            actions.push(e.action);
            Ok(actions.len() < 2)
        })
        .unwrap();
        t.join().unwrap();
        assert_eq!(actions, ["start", "stop"]);
    }

    #[test]
    fn concurrent_writers_never_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let j = j.clone();
                std::thread::spawn(move || {
                    for k in 0..50 {
                        j.record(
                            "domain",
                            &format!("d{i}"),
                            "update",
                            &[("k", k.to_string())],
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut n = 0;
        j.read(false, &mut |_| {
            n += 1;
            Ok(true)
        })
        .unwrap();
        assert_eq!(n, 400);
    }
}
