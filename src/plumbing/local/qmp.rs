//! A minimal QMP client (QEMU's JSON control protocol on a unix socket):
//! enough to power a domain off, to ask QEMU what state it is in, and to
//! hot-plug NICs (commands and the events that say they are done).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::plumbing::error::{Error, Result};

/// A QMP connection in command mode.
#[derive(Debug)]
pub struct Qmp {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

fn qmp_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::other(format!("QMP {what}: {e}"))
}

impl Qmp {
    /// Connect to the QMP socket of a domain directory and enter command mode.
    pub fn connect(dir: &Path) -> Result<Qmp> {
        let stream = crate::plumbing::sock::connect(&dir.join(super::qemu::files::QMP))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| qmp_error("setting a timeout", e))?;
        let writer = stream.try_clone().map_err(|e| qmp_error("socket", e))?;
        let mut qmp = Qmp {
            reader: BufReader::new(stream),
            writer,
        };
        let greeting = qmp.read()?;
        if greeting.get("QMP").is_none() {
            return Err(qmp_error("greeting", format!("unexpected {greeting}")));
        }
        qmp.execute("qmp_capabilities", json!({}))?;
        Ok(qmp)
    }

    fn read(&mut self) -> Result<Value> {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .map_err(|e| qmp_error("read", e))?;
        if n == 0 {
            return Err(qmp_error("read", "QEMU closed the connection"));
        }
        serde_json::from_str(&line).map_err(|e| qmp_error("reply", e))
    }

    /// Run a command and return its `return` value (events in between are
    /// skipped).
    pub fn execute(&mut self, command: &str, arguments: Value) -> Result<Value> {
        let mut msg = serde_json::to_vec(&json!({"execute": command, "arguments": arguments}))
            .expect("a QMP command serializes");
        msg.push(b'\n');
        self.writer
            .write_all(&msg)
            .map_err(|e| qmp_error(command, e))?;
        loop {
            let reply = self.read()?;
            if let Some(ret) = reply.get("return") {
                return Ok(ret.clone());
            }
            if let Some(err) = reply.get("error") {
                return Err(qmp_error(command, err));
            }
            // An asynchronous event: not the reply we wait for.
        }
    }

    /// Wait up to `timeout` for the event `name` whose `data` satisfies
    /// `matches` (events seen while commands ran are not kept).
    pub fn wait_event(
        &mut self,
        name: &str,
        matches: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Result<()> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(qmp_error(name, format!("no event within {timeout:?}")));
            }
            self.reader
                .get_ref()
                .set_read_timeout(Some(left))
                .map_err(|e| qmp_error("setting a timeout", e))?;
            let event = match self.read() {
                Ok(v) => v,
                Err(e) if std::time::Instant::now() >= deadline => {
                    return Err(qmp_error(
                        name,
                        format!("no event within {timeout:?} ({e})"),
                    ));
                }
                Err(e) => return Err(e),
            };
            if event.get("event").and_then(Value::as_str) == Some(name)
                && matches(event.get("data").unwrap_or(&Value::Null))
            {
                return Ok(());
            }
        }
    }

    /// `query-status`: QEMU's run state (`running`, `paused`, `shutdown`, …).
    pub fn status(&mut self) -> Result<String> {
        let ret = self.execute("query-status", json!({}))?;
        Ok(ret
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string())
    }

    /// Power off at once (`quit`): QEMU exits, the guest gets no say.
    pub fn quit(mut self) -> Result<()> {
        match self.execute("quit", json!({})) {
            Ok(_) => Ok(()),
            // QEMU may close the socket before answering; it is quitting.
            Err(e) if e.to_string().contains("closed the connection") => Ok(()),
            Err(e) => Err(e),
        }
    }
}
