//! The port layer's error type: what failed, on which object, what to do next,
//! and the stable kind that decides the exit code and the JSON `error.kind`.

use std::fmt;

use serde::Serialize;

/// The stable classification of every error vicport reports.
///
/// The kind, not the message, is the contract: scripts match on the exit code
/// (`ErrorKind::exit_code`) or on the JSON `kind` string, and both never change
/// for an existing kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Anything not covered below (exit 1).
    Other,
    /// A malformed argument, name, size or spec (exit 2).
    InvalidArgument,
    /// The named object does not exist (exit 3).
    NotFound,
    /// A stale handle, a name already in use, an object still in use (exit 4).
    Conflict,
    /// The target cannot be reached, its certificate is not trusted, or it
    /// refused the credentials (exit 5).
    Unreachable,
    /// The object is in the wrong state for the operation, e.g. exec into a
    /// stopped domain (exit 6).
    InvalidState,
    /// The operation exists but this target's platform does not offer it (exit 1).
    NotSupported,
    /// The user interrupted the operation (exit 130, like a shell).
    Interrupted,
    /// `run`/`exec`: the command exists but cannot be invoked (exit 126).
    CommandNotInvokable,
    /// `run`/`exec`: the command was not found in the domain (exit 127).
    CommandNotFound,
}

impl ErrorKind {
    /// The process exit code for an error of this kind, as documented in the
    /// README and `vicport(1)`.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Other | ErrorKind::NotSupported => 1,
            ErrorKind::InvalidArgument => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Conflict => 4,
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
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::InvalidState => "invalid_state",
            ErrorKind::NotSupported => "not_supported",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::CommandNotInvokable => "command_not_invokable",
            ErrorKind::CommandNotFound => "command_not_found",
        }
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

/// Every error the port layer returns.
///
/// Modules with their own failure modes keep their own `thiserror` enum and
/// convert into this one; each error knows its [`ErrorKind`] and, where there
/// is one, a hint that tells the user what to do next.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A classified failure with its own message and hint.
    #[error("{message}")]
    Classified {
        kind: ErrorKind,
        message: String,
        hint: Option<String>,
    },
    /// An I/O failure on a named path or object.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
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

    /// A conflict (exit 4).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
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
            source,
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

    /// Prefix the message with where it happened, keeping kind and hint.
    #[must_use]
    pub fn context(self, what: impl fmt::Display) -> Self {
        match self {
            Error::Classified {
                kind,
                message,
                hint,
            } => Error::Classified {
                kind,
                message: format!("{what}: {message}"),
                hint,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_ones() {
        let table = [
            (ErrorKind::Other, 1),
            (ErrorKind::InvalidArgument, 2),
            (ErrorKind::NotFound, 3),
            (ErrorKind::Conflict, 4),
            (ErrorKind::Unreachable, 5),
            (ErrorKind::InvalidState, 6),
            (ErrorKind::NotSupported, 1),
            (ErrorKind::Interrupted, 130),
            (ErrorKind::CommandNotInvokable, 126),
            (ErrorKind::CommandNotFound, 127),
        ];
        for (kind, code) in table {
            assert_eq!(kind.exit_code(), code, "{kind}");
        }
    }

    #[test]
    fn json_document_has_kind_message_and_hint() {
        let err = Error::not_found("domain", "web").with_hint("see `vicport domain ls`");
        let doc = err.to_json();
        assert_eq!(doc["error"]["kind"], "not_found");
        assert_eq!(doc["error"]["message"], "domain \"web\" not found");
        assert_eq!(doc["error"]["hint"], "see `vicport domain ls`");
    }

    #[test]
    fn context_keeps_kind_and_hint() {
        let err = Error::conflict("version 3 is stale")
            .with_hint("retry")
            .context("committing domain web");
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert_eq!(err.hint(), Some("retry"));
        assert_eq!(err.to_string(), "committing domain web: version 3 is stale");
    }

    #[test]
    fn io_errors_are_other_failures_with_their_context() {
        let err = Error::io(
            "reading /nonexistent",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().starts_with("reading /nonexistent: "));
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
