//! The port layer's error type: what failed, on which object, what to do
//! next, the stable kind that decides the exit code and the JSON `error.kind`,
//! and the typed cause (a vim25 fault, a link error, ...) that code matches on.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// The stable classification of every error vicport reports.
///
/// The kind, not the message, is the contract: scripts match on the exit code
/// (`ErrorKind::exit_code`) or on the JSON `kind` string, and both never change
/// for an existing kind. [`ErrorKind::ALL`] is the one table the README, the
/// man page and `--help` are generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Anything not covered below (exit 1).
    Other,
    /// The operation exists but this target's platform does not offer it (exit 1).
    NotSupported,
    /// A malformed argument, name, size or spec (exit 2).
    InvalidArgument,
    /// The named object does not exist (exit 3).
    NotFound,
    /// An object is still in use, or busy with another operation (exit 4).
    Conflict,
    /// The object changed since its handle was taken: take a fresh one (exit 4).
    StaleHandle,
    /// A name or an address is already taken by another object (exit 4).
    Taken,
    /// The target cannot be reached, its certificate is not trusted, or it
    /// refused the credentials (exit 5).
    Unreachable,
    /// The object is in the wrong state for the operation, e.g. exec into a
    /// stopped domain (exit 6).
    InvalidState,
    /// The user interrupted the operation (exit 130, like a shell).
    Interrupted,
    /// `run`/`exec`: the command exists but cannot be invoked (exit 126).
    CommandNotInvokable,
    /// `run`/`exec`: the command was not found in the domain (exit 127).
    CommandNotFound,
}

impl ErrorKind {
    /// Every kind, in the order the exit-code table lists them.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::Other,
        ErrorKind::NotSupported,
        ErrorKind::InvalidArgument,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::StaleHandle,
        ErrorKind::Taken,
        ErrorKind::Unreachable,
        ErrorKind::InvalidState,
        ErrorKind::Interrupted,
        ErrorKind::CommandNotInvokable,
        ErrorKind::CommandNotFound,
    ];

    /// The process exit code for an error of this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Other | ErrorKind::NotSupported => 1,
            ErrorKind::InvalidArgument => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Conflict | ErrorKind::StaleHandle | ErrorKind::Taken => 4,
            ErrorKind::Unreachable => 5,
            ErrorKind::InvalidState => 6,
            ErrorKind::Interrupted => 130,
            ErrorKind::CommandNotInvokable => exec_exit::CANNOT_INVOKE,
            ErrorKind::CommandNotFound => exec_exit::NOT_FOUND,
        }
    }

    /// The snake_case name used in JSON error documents.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Other => "other",
            ErrorKind::NotSupported => "not_supported",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::StaleHandle => "stale_handle",
            ErrorKind::Taken => "taken",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::InvalidState => "invalid_state",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::CommandNotInvokable => "command_not_invokable",
            ErrorKind::CommandNotFound => "command_not_found",
        }
    }

    /// What an error of this kind means, for the documentation.
    pub fn meaning(self) -> &'static str {
        match self {
            ErrorKind::Other => "any other failure",
            ErrorKind::NotSupported => "the operation is not supported on this target",
            ErrorKind::InvalidArgument => {
                "a usage error or an invalid argument (bad flag, name, size or spec)"
            }
            ErrorKind::NotFound => {
                "the named object (domain, image, volume, network, target, or a path `domain cp` copies) does not exist"
            }
            ErrorKind::Conflict => "an object is still in use, or busy with another operation",
            ErrorKind::StaleHandle => {
                "the object changed since it was read, by a concurrent writer (idempotent commands retry by themselves)"
            }
            ErrorKind::Taken => "the name or address is already taken by another object",
            ErrorKind::Unreachable => {
                "the target is unreachable, its certificate is not trusted, or it refused the credentials"
            }
            ErrorKind::InvalidState => {
                "the object is in the wrong state, e.g. exec into a stopped domain"
            }
            ErrorKind::Interrupted => "interrupted by the user (Ctrl-C)",
            ErrorKind::CommandNotInvokable => {
                "`run`/`exec`: the command was found but cannot be invoked"
            }
            ErrorKind::CommandNotFound => "`run`/`exec`: the command was not found in the domain",
        }
    }

    /// Whether errors of this kind exit 4 (the conflict family).
    pub fn is_conflict(self) -> bool {
        self.exit_code() == 4
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Exit codes of `vicport run` and `vicport exec` when the failure is not the
/// process's own (the process's own exit code passes through unchanged).
pub mod exec_exit {
    /// vicport itself failed before or while running the process.
    pub const VICPORT_FAILED: u8 = 125;
    /// The command was found but cannot be invoked (not executable, ...).
    pub const CANNOT_INVOKE: u8 = 126;
    /// The command was not found in the domain.
    pub const NOT_FOUND: u8 = 127;
}

/// The typed cause an error carries: the lower layer's own error value (a
/// vim25 fault, a link client error, a QMP failure), kept so callers match
/// on its type and variant with [`Error::cause`], never on message text.
pub type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Every error the port layer returns.
///
/// Modules with their own failure modes keep their own `thiserror` enum and
/// convert into this one, keeping it as the cause; each error knows its
/// [`ErrorKind`] and, where there is one, a hint that tells the user what to
/// do next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A classified failure with its own message and hint.
    #[error("{message}")]
    Classified {
        kind: ErrorKind,
        message: String,
        hint: Option<String>,
        cause: Option<Cause>,
    },
    /// An I/O failure on a named path or object.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: Arc<std::io::Error>,
        hint: Option<String>,
    },
}

/// The port layer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A classified error with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error::Classified {
            kind,
            message: message.into(),
            hint: None,
            cause: None,
        }
    }

    /// `what` is malformed (exit 2).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    /// The object `kind` named `name` does not exist (exit 3).
    pub fn not_found(kind: &str, name: &str) -> Self {
        Self::new(ErrorKind::NotFound, format!("{kind} {name:?} not found"))
    }

    /// An object in use or busy (exit 4).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    /// The object changed since its handle was taken (exit 4).
    pub fn stale(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::StaleHandle, message).with_hint(
            "someone changed it at the same time: read it again and retry (idempotent commands retry by themselves)",
        )
    }

    /// A name or address already taken (exit 4).
    pub fn taken(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Taken, message)
    }

    /// The name `name` of a `kind` object is taken (exit 4), with the hint
    /// every such refusal gives.
    pub fn name_taken(kind: &str, name: &str) -> Self {
        Self::taken(format!("the name {name:?} is already in use by a {kind}"))
            .with_hint(format!("choose another name, or remove that {kind} first"))
    }

    /// The target is unreachable or refused us (exit 5).
    pub fn unreachable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unreachable, message)
    }

    /// The object is in the wrong state (exit 6).
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidState, message)
    }

    /// Any other failure (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Other, message)
    }

    /// The operation is not offered by this target's platform (yet).
    pub fn not_supported(operation: &str, target: &str) -> Self {
        Self::new(
            ErrorKind::NotSupported,
            format!("{operation} is not supported on target {target:?} yet"),
        )
        .with_hint(
            "choose another target with --target, or see `vicport target ls` for what each target offers",
        )
    }

    /// The user interrupted the operation.
    pub fn interrupted(what: &str) -> Self {
        Self::new(ErrorKind::Interrupted, format!("{what} interrupted"))
    }

    /// An I/O error on `context` (usually "reading /path").
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source: Arc::new(source),
            hint: None,
        }
    }

    /// Attach or replace the hint.
    #[must_use]
    pub fn with_hint(mut self, new_hint: impl Into<String>) -> Self {
        match &mut self {
            Error::Classified { hint, .. } | Error::Io { hint, .. } => {
                *hint = Some(new_hint.into())
            }
        }
        self
    }

    /// Keep `cause` as this error's typed cause (see [`Error::cause`]).
    #[must_use]
    pub fn caused_by(mut self, new_cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        if let Error::Classified { cause, .. } = &mut self {
            *cause = Some(Arc::new(new_cause));
        }
        self
    }

    /// Replace the kind, keeping message, hint and cause (a lower layer's
    /// error means something more precise to its caller).
    #[must_use]
    pub fn with_kind(self, new_kind: ErrorKind) -> Self {
        match self {
            Error::Classified {
                message,
                hint,
                cause,
                ..
            } => Error::Classified {
                kind: new_kind,
                message,
                hint,
                cause,
            },
            io => io,
        }
    }

    /// Prefix the message with where it happened, keeping kind, hint and cause.
    #[must_use]
    pub fn context(self, what: impl fmt::Display) -> Self {
        match self {
            Error::Classified {
                kind,
                message,
                hint,
                cause,
            } => Error::Classified {
                kind,
                message: format!("{what}: {message}"),
                hint,
                cause,
            },
            Error::Io {
                context,
                source,
                hint,
            } => Error::Io {
                context: format!("{what}: {context}"),
                source,
                hint,
            },
        }
    }

    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Classified { kind, .. } => *kind,
            // A missing file is not a missing *object*: objects are looked up
            // by name and reported with `Error::not_found` where they are known.
            Error::Io { .. } => ErrorKind::Other,
        }
    }

    /// The typed cause of type `T`, if this error (or a cause of its cause)
    /// carries one: `e.cause::<SoapError>()`, `e.cause::<ClientError>()`.
    pub fn cause<T: std::error::Error + 'static>(&self) -> Option<&T> {
        let mut next: Option<&(dyn std::error::Error + 'static)> = match self {
            Error::Classified { cause, .. } => cause
                .as_deref()
                .map(|c| c as &(dyn std::error::Error + 'static)),
            Error::Io { source, .. } => Some(&**source),
        };
        while let Some(e) = next {
            if let Some(found) = e.downcast_ref::<T>() {
                return Some(found);
            }
            next = e.source();
        }
        None
    }

    /// The I/O error kind of an I/O failure.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        self.cause::<std::io::Error>().map(std::io::Error::kind)
    }

    /// What the user can do about it, if we know.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Classified { hint, .. } | Error::Io { hint, .. } => hint.as_deref(),
        }
    }

    /// The message without the hint.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The exit code for this error.
    pub fn exit_code(&self) -> u8 {
        self.kind().exit_code()
    }

    /// The JSON document printed on stderr with `--output json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "kind": self.kind().as_str(),
                "message": self.message(),
                "hint": self.hint(),
            }
        })
    }
}

/// Turn `std::io::Result` into the port layer's result with a context.
pub trait IoContext<T> {
    /// Name what was being done, e.g. `format!("writing {}", path.display())`.
    fn io_context(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn io_context(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::io(context(), e))
    }
}

/// The exit codes, generated from [`ErrorKind::ALL`]: one row per code with
/// the JSON kinds that exit with it. The README's table, the man page's
/// EXIT STATUS section and `--help` are all made from these rows.
pub mod exit_status {
    use super::{ErrorKind, exec_exit};

    /// One documented exit code.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Row {
        /// The exit code.
        pub code: u8,
        /// The JSON kinds that exit with it (none for 0 and 125).
        pub kinds: Vec<&'static str>,
        /// What it means.
        pub meaning: String,
    }

    /// Every documented exit code, in order.
    pub fn rows() -> Vec<Row> {
        let mut rows = vec![Row {
            code: 0,
            kinds: Vec::new(),
            meaning: "success".into(),
        }];
        let mut codes: Vec<u8> = ErrorKind::ALL.iter().map(|k| k.exit_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            let kinds: Vec<ErrorKind> = ErrorKind::ALL
                .into_iter()
                .filter(|k| k.exit_code() == code)
                .collect();
            let meaning = match kinds.as_slice() {
                [one] => one.meaning().to_string(),
                many => many
                    .iter()
                    .map(|k| format!("{}: {}", k.as_str(), k.meaning()))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            rows.push(Row {
                code,
                kinds: kinds.iter().map(|k| k.as_str()).collect(),
                meaning,
            });
        }
        rows.push(Row {
            code: exec_exit::VICPORT_FAILED,
            kinds: Vec::new(),
            meaning: "`run`/`exec`: vicport itself failed (an error of kind `other`)".into(),
        });
        rows.sort_by_key(|r| r.code);
        rows
    }

    /// What `run` and `exec` exit with, after the table.
    pub const PROCESS_NOTE: &str = "`run` and `exec` exit with the process's own code (128+N when it was killed by signal N); errors found before the process starts keep the codes above.";

    /// The JSON error document, after the table.
    pub const JSON_NOTE: &str = "With `--output json` an error is printed on standard error as {\"error\":{\"kind\":KIND,\"message\":TEXT,\"hint\":TEXT}}, KIND being one of the kinds above.";

    /// The README's table (Markdown).
    pub fn markdown() -> String {
        let mut s = String::from("| code | JSON `kind` | meaning |\n|---|---|---|\n");
        for r in rows() {
            let kinds = if r.kinds.is_empty() {
                "-".to_string()
            } else {
                r.kinds
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            s.push_str(&format!("| {} | {kinds} | {} |\n", r.code, r.meaning));
        }
        s.push('\n');
        s.push_str(PROCESS_NOTE);
        s.push('\n');
        s
    }

    /// The man page's EXIT STATUS section (roff).
    pub fn roff() -> String {
        let escape = |t: &str| {
            t.replace('\\', "\\\\")
                .replace('-', "\\-")
                .replace('`', "")
                .replace('\'', "\\(aq")
        };
        let mut s = String::from(".SH \"EXIT STATUS\"\n");
        for r in rows() {
            s.push_str(&format!(".TP\n\\fB{}\\fR", r.code));
            if !r.kinds.is_empty() {
                s.push_str(&format!(" ({})", escape(&r.kinds.join(", "))));
            }
            s.push('\n');
            s.push_str(&escape(&capitalized(&r.meaning)));
            s.push_str(".\n");
        }
        s.push_str(&format!(".PP\n{}\n", escape(PROCESS_NOTE)));
        s.push_str(&format!(".PP\n{}\n", escape(JSON_NOTE)));
        s
    }

    /// The short form at the end of `vicport --help`.
    pub fn help() -> String {
        let mut s = String::from("Exit codes:\n");
        for r in rows() {
            let kinds = if r.kinds.is_empty() {
                String::new()
            } else {
                format!(" [{}]", r.kinds.join(", "))
            };
            s.push_str(&format!("  {:>3}{kinds}\n", r.code));
        }
        s.push_str("See vicport(1) for what each means, and vicport-<command>(1).");
        s
    }

    fn capitalized(t: &str) -> String {
        let mut c = t.chars();
        match c.next() {
            Some(first) => first.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_ones() {
        let table = [
            (ErrorKind::Other, 1),
            (ErrorKind::NotSupported, 1),
            (ErrorKind::InvalidArgument, 2),
            (ErrorKind::NotFound, 3),
            (ErrorKind::Conflict, 4),
            (ErrorKind::StaleHandle, 4),
            (ErrorKind::Taken, 4),
            (ErrorKind::Unreachable, 5),
            (ErrorKind::InvalidState, 6),
            (ErrorKind::Interrupted, 130),
            (ErrorKind::CommandNotInvokable, 126),
            (ErrorKind::CommandNotFound, 127),
        ];
        assert_eq!(table.len(), ErrorKind::ALL.len());
        for (kind, code) in table {
            assert_eq!(kind.exit_code(), code, "{kind}");
        }
    }

    #[test]
    fn the_table_has_every_kind_once_and_every_code() {
        let rows = exit_status::rows();
        let codes: Vec<u8> = rows.iter().map(|r| r.code).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 6, 125, 126, 127, 130]);
        let mut kinds: Vec<&str> = rows.iter().flat_map(|r| r.kinds.clone()).collect();
        kinds.sort_unstable();
        let mut all: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        all.sort_unstable();
        assert_eq!(kinds, all);
        let four = rows.iter().find(|r| r.code == 4).unwrap();
        assert_eq!(four.kinds, ["conflict", "stale_handle", "taken"]);
        assert!(exit_status::markdown().contains("| 4 | `conflict`, `stale_handle`, `taken` |"));
        assert!(exit_status::roff().contains("\\fB127\\fR (command_not_found)"));
        assert!(exit_status::help().contains("  4 [conflict, stale_handle, taken]"));
    }

    #[test]
    fn json_document_has_kind_message_and_hint() {
        let err = Error::not_found("domain", "web").with_hint("see `vicport domain ls`");
        let doc = err.to_json();
        assert_eq!(doc["error"]["kind"], "not_found");
        assert_eq!(doc["error"]["message"], "domain \"web\" not found");
        assert_eq!(doc["error"]["hint"], "see `vicport domain ls`");
        assert_eq!(Error::stale("x").to_json()["error"]["kind"], "stale_handle");
        assert_eq!(
            Error::name_taken("domain", "d3").to_json()["error"]["kind"],
            "taken"
        );
    }

    #[test]
    fn context_keeps_kind_hint_and_cause() {
        let err = Error::conflict("version 3 is stale")
            .with_hint("retry")
            .caused_by(std::io::Error::from(std::io::ErrorKind::TimedOut))
            .context("committing domain web");
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert_eq!(err.hint(), Some("retry"));
        assert_eq!(err.to_string(), "committing domain web: version 3 is stale");
        assert_eq!(err.io_kind(), Some(std::io::ErrorKind::TimedOut));
    }

    #[test]
    fn causes_are_found_by_type_through_the_chain() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] std::io::Error);
        let err = Error::other("failed").caused_by(Outer(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert!(err.cause::<Outer>().is_some());
        assert_eq!(err.io_kind(), Some(std::io::ErrorKind::ConnectionReset));
        assert!(Error::other("plain").cause::<Outer>().is_none());
    }

    #[test]
    fn io_errors_are_other_failures_with_their_context() {
        let err = Error::io(
            "reading /nonexistent",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().starts_with("reading /nonexistent: "));
        assert_eq!(err.io_kind(), Some(std::io::ErrorKind::NotFound));
    }

    #[test]
    fn not_supported_names_operation_and_target() {
        let err = Error::not_supported("volume create", "vc1");
        assert_eq!(err.kind(), ErrorKind::NotSupported);
        assert!(err.to_string().contains("volume create"));
        assert!(err.to_string().contains("\"vc1\""));
        assert!(err.hint().is_some());
    }
}
