//! The host's side of the tether link as the port layer sees it: a link
//! client's failure becomes an [`Error`] with its kind, keeping the
//! client's error as the typed cause.

use tether_protocol::client::ClientError;
use tether_protocol::message::CopyFailure;

use crate::plumbing::error::{Error, ErrorKind};

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        let (kind, message) = match &e {
            ClientError::Refused(r) => (
                ErrorKind::Unreachable,
                format!("the domain refused the link: {r}"),
            ),
            ClientError::Timeout(what) => (
                ErrorKind::Unreachable,
                format!("no answer from the domain to {what}"),
            ),
            // 126 and 127 keep the shell's meaning.
            ClientError::ExecFailed { code: 127, message } => {
                (ErrorKind::CommandNotFound, message.clone())
            }
            ClientError::ExecFailed { message, .. } => {
                (ErrorKind::CommandNotInvokable, message.clone())
            }
            ClientError::CopyFailed { reason, message } => (
                match reason {
                    CopyFailure::NotFound => ErrorKind::NotFound,
                    CopyFailure::NotADirectory
                    | CopyFailure::BadArchive
                    | CopyFailure::Conflict => ErrorKind::InvalidArgument,
                    CopyFailure::PermissionDenied | CopyFailure::NoSpace | CopyFailure::Other => {
                        ErrorKind::Other
                    }
                },
                format!("in the domain: {message}"),
            ),
            other => (ErrorKind::Other, other.to_string()),
        };
        Error::new(kind, message).caused_by(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_keep_their_kind_and_cause() {
        let cases = [
            (
                ClientError::Refused("wrong token".into()),
                ErrorKind::Unreachable,
            ),
            (ClientError::Timeout("Hello".into()), ErrorKind::Unreachable),
            (
                ClientError::ExecFailed {
                    code: 127,
                    message: "nope: not found".into(),
                },
                ErrorKind::CommandNotFound,
            ),
            (
                ClientError::ExecFailed {
                    code: 126,
                    message: "nope: permission denied".into(),
                },
                ErrorKind::CommandNotInvokable,
            ),
            (ClientError::Closed("reset".into()), ErrorKind::Other),
            (
                ClientError::CopyFailed {
                    reason: CopyFailure::NotFound,
                    message: "no such directory in the domain: /x".into(),
                },
                ErrorKind::NotFound,
            ),
            (
                ClientError::CopyFailed {
                    reason: CopyFailure::Conflict,
                    message: "cannot replace".into(),
                },
                ErrorKind::InvalidArgument,
            ),
            (
                ClientError::CopyFailed {
                    reason: CopyFailure::NoSpace,
                    message: "full".into(),
                },
                ErrorKind::Other,
            ),
        ];
        for (e, kind) in cases {
            let err = Error::from(e);
            assert_eq!(err.kind(), kind, "{err}");
            assert!(err.cause::<ClientError>().is_some());
        }
        let err = Error::from(ClientError::Refused("wrong token for this domain".into()));
        assert_eq!(
            err.to_string(),
            "the domain refused the link: wrong token for this domain"
        );
    }
}
