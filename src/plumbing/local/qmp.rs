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

/// What went wrong on a QMP connection, kept as the error's typed cause so
/// that callers match on it, not on the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QmpError {
    /// QEMU closed the connection (it exits, or has exited).
    Closed,
    /// QEMU refused a command: QMP's error `class` (`GenericError`,
    /// `DeviceNotFound`, …) and its description.
    Refused { class: String, desc: String },
    /// Anything else: the socket, a malformed reply, no event in time.
    Other(String),
}

impl std::fmt::Display for QmpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QmpError::Closed => f.write_str("QEMU closed the connection"),
            QmpError::Refused { class, desc } => write!(f, "{desc} ({class})"),
            QmpError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QmpError {}

impl QmpError {
    /// The QMP error of `err`, if it has one.
    pub fn of(err: &Error) -> Option<&QmpError> {
        err.cause::<QmpError>()
    }
}

fn qmp_failed(what: &str, e: QmpError) -> Error {
    Error::other(format!("QMP {what}: {e}")).caused_by(e)
}

fn qmp_error(what: &str, e: impl std::fmt::Display) -> Error {
    qmp_failed(what, QmpError::Other(e.to_string()))
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
            return Err(qmp_failed("read", QmpError::Closed));
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
                let text = |k: &str| err.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let refused = QmpError::Refused {
                    class: text("class"),
                    desc: text("desc"),
                };
                return Err(qmp_failed(command, refused));
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
            Err(e) if QmpError::of(&e) == Some(&QmpError::Closed) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    /// A stand-in for QEMU's side of QMP (the framing only; real QEMU is
    /// driven by the tests that boot domains): a greeting, then `reply`
    /// answers each command line; `None` closes the connection.
    fn serve(dir: &Path, reply: fn(&Value) -> Option<Value>) -> std::thread::JoinHandle<()> {
        let listener = UnixListener::bind(dir.join(super::super::qemu::files::QMP)).unwrap();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut w = stream.try_clone().unwrap();
            writeln!(w, "{}", json!({"QMP": {"version": {}}})).unwrap();
            for line in BufReader::new(stream).lines() {
                let cmd: Value = serde_json::from_str(&line.unwrap()).unwrap();
                match reply(&cmd) {
                    Some(v) => writeln!(w, "{v}").unwrap(),
                    None => return,
                }
            }
        })
    }

    #[test]
    fn a_refusal_keeps_qmps_class_and_quit_takes_a_closed_socket_as_done() {
        let dir = tempfile::tempdir().unwrap();
        let server = serve(dir.path(), |cmd| match cmd["execute"].as_str() {
            Some("qmp_capabilities") => Some(json!({"return": {}})),
            Some("device_del") => Some(json!({"error": {
                "class": "DeviceNotFound", "desc": "Device 'nic-x' not found"}})),
            _ => None,
        });
        let mut qmp = Qmp::connect(dir.path()).unwrap();
        let e = qmp
            .execute("device_del", json!({"id": "nic-x"}))
            .unwrap_err();
        assert_eq!(
            QmpError::of(&e),
            Some(&QmpError::Refused {
                class: "DeviceNotFound".into(),
                desc: "Device 'nic-x' not found".into()
            })
        );
        // QEMU may close the socket before answering `quit`: that is done.
        qmp.quit().unwrap();
        server.join().unwrap();
    }

    #[test]
    fn a_closed_socket_is_not_a_refusal() {
        let dir = tempfile::tempdir().unwrap();
        let server = serve(dir.path(), |cmd| match cmd["execute"].as_str() {
            Some("qmp_capabilities") => Some(json!({"return": {}})),
            _ => None,
        });
        let mut qmp = Qmp::connect(dir.path()).unwrap();
        let e = qmp.status().unwrap_err();
        assert_eq!(QmpError::of(&e), Some(&QmpError::Closed));
        server.join().unwrap();
    }
}
