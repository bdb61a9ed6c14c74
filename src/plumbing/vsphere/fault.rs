//! vim25 faults and transport failures as a typed error, and their mapping
//! onto the port layer's error kinds with a hint on what to do next.

use crate::plumbing::error::{Error, ErrorKind};

use super::xml::Node;

/// The vim25 fault types vicport tells apart; anything else keeps its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    NotAuthenticated,
    InvalidLogin,
    ConcurrentAccess,
    InvalidState,
    InvalidPowerState,
    DuplicateName,
    FileAlreadyExists,
    FileNotFound,
    NotFound,
    AlreadyExists,
    ResourceInUse,
    ManagedObjectNotFound,
    InvalidArgument,
    InvalidRequest,
    NotSupported,
    /// Another fault, by its vim25 type name.
    Other(String),
}

impl FaultKind {
    /// The kind for a vim25 fault type name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "NotAuthenticated" => FaultKind::NotAuthenticated,
            "InvalidLogin" => FaultKind::InvalidLogin,
            "ConcurrentAccess" => FaultKind::ConcurrentAccess,
            "InvalidState" => FaultKind::InvalidState,
            "InvalidPowerState" => FaultKind::InvalidPowerState,
            "DuplicateName" => FaultKind::DuplicateName,
            "FileAlreadyExists" => FaultKind::FileAlreadyExists,
            "FileNotFound" => FaultKind::FileNotFound,
            "NotFound" => FaultKind::NotFound,
            "AlreadyExists" => FaultKind::AlreadyExists,
            "ResourceInUse" => FaultKind::ResourceInUse,
            "ManagedObjectNotFound" => FaultKind::ManagedObjectNotFound,
            "InvalidArgument" => FaultKind::InvalidArgument,
            "InvalidRequest" => FaultKind::InvalidRequest,
            "NotSupported" => FaultKind::NotSupported,
            other => FaultKind::Other(other.to_string()),
        }
    }

    /// The vim25 type name.
    pub fn name(&self) -> &str {
        match self {
            FaultKind::NotAuthenticated => "NotAuthenticated",
            FaultKind::InvalidLogin => "InvalidLogin",
            FaultKind::ConcurrentAccess => "ConcurrentAccess",
            FaultKind::InvalidState => "InvalidState",
            FaultKind::InvalidPowerState => "InvalidPowerState",
            FaultKind::DuplicateName => "DuplicateName",
            FaultKind::FileAlreadyExists => "FileAlreadyExists",
            FaultKind::FileNotFound => "FileNotFound",
            FaultKind::NotFound => "NotFound",
            FaultKind::AlreadyExists => "AlreadyExists",
            FaultKind::ResourceInUse => "ResourceInUse",
            FaultKind::ManagedObjectNotFound => "ManagedObjectNotFound",
            FaultKind::InvalidArgument => "InvalidArgument",
            FaultKind::InvalidRequest => "InvalidRequest",
            FaultKind::NotSupported => "NotSupported",
            FaultKind::Other(name) => name,
        }
    }
}

/// A vim25 fault: from a SOAP Fault, or from a failed task's `info.error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What kind of fault.
    pub kind: FaultKind,
    /// The server's message (faultstring or localizedMessage), may be empty.
    pub message: String,
    /// `invalidProperty` of InvalidArgument, `name` of DuplicateName, `file`
    /// of FileAlreadyExists, `obj` of ManagedObjectNotFound, when present.
    pub detail: Option<String>,
}

impl Fault {
    /// Read a fault from the element carrying the fault value: the child of
    /// SOAP `detail`, or a task's `error.fault`.
    pub fn from_value(value: &Node, message: &str) -> Self {
        // The detail element is named after the type (`ConcurrentAccessFault`)
        // and carries `xsi:type`; a task's `fault` element only the latter.
        let name = value
            .xsi_type
            .clone()
            .unwrap_or_else(|| value.name.trim_end_matches("Fault").to_string());
        let detail = ["invalidProperty", "name", "file", "obj"]
            .iter()
            .find_map(|k| value.child_text(k))
            .map(str::to_string);
        Fault {
            kind: FaultKind::from_name(&name),
            message: message.to_string(),
            detail,
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind.name())?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(d) = &self.detail {
            if !self.message.contains(d.as_str()) {
                write!(f, " ({d})")?;
            }
        }
        Ok(())
    }
}

/// Every way a vim25 call fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SoapError {
    /// The server could not be reached, or the connection broke or timed out.
    #[error("cannot reach {url}: {reason}")]
    Transport { url: String, reason: String },
    /// The server's TLS certificate is not trusted.
    #[error(
        "the certificate of {url} is not trusted ({reason}); its SHA-256 thumbprint is {sha256} and its SHA-1 thumbprint is {sha1}"
    )]
    UntrustedCertificate {
        url: String,
        reason: String,
        sha256: String,
        sha1: String,
    },
    /// The server answered, but not with vim25 SOAP.
    #[error("{url} does not answer like a vSphere SDK endpoint: {reason}")]
    NotSoap { url: String, reason: String },
    /// The server answered with a vim25 fault.
    #[error("{method} failed: {fault}")]
    Fault { method: String, fault: Fault },
}

impl SoapError {
    /// The fault kind, when the server answered with one.
    pub fn fault_kind(&self) -> Option<&FaultKind> {
        match self {
            SoapError::Fault { fault, .. } => Some(&fault.kind),
            _ => None,
        }
    }
}

impl From<SoapError> for Error {
    fn from(e: SoapError) -> Self {
        let message = e.to_string();
        match &e {
            SoapError::Transport { .. } => Error::unreachable(message).with_hint(
                "check the target's URL and that vCenter or ESXi is up and reachable from here; a slow server needs a longer timeout",
            ),
            SoapError::UntrustedCertificate { sha256, .. } => Error::unreachable(message)
                .with_hint(format!(
                    "if you trust this certificate, pin it: `vicport target add ... --thumbprint {sha256}`"
                )),
            SoapError::NotSoap { .. } => Error::unreachable(message).with_hint(
                "point the target at the vSphere SDK, e.g. https://vcenter.example.com/sdk",
            ),
            SoapError::Fault { fault, .. } => {
                let (kind, hint) = match &fault.kind {
                    FaultKind::NotAuthenticated | FaultKind::InvalidLogin => (
                        ErrorKind::Unreachable,
                        "check the username and the password (VICPORT_PASSWORD or the keyring entry of the target)",
                    ),
                    FaultKind::ConcurrentAccess => (
                        ErrorKind::StaleHandle,
                        "someone else changed the object at the same time: take a fresh handle and retry",
                    ),
                    FaultKind::DuplicateName
                    | FaultKind::FileAlreadyExists
                    | FaultKind::AlreadyExists => (
                        ErrorKind::Taken,
                        "choose another name, or remove the object that has it",
                    ),
                    FaultKind::ResourceInUse => (
                        ErrorKind::Conflict,
                        "the object is still in use: stop using it first",
                    ),
                    FaultKind::FileNotFound | FaultKind::NotFound => (
                        ErrorKind::NotFound,
                        "the object or file is not there (any more): list again",
                    ),
                    FaultKind::InvalidState | FaultKind::InvalidPowerState => (
                        ErrorKind::InvalidState,
                        "the object is in the wrong state for this: check it with `vicport domain inspect`",
                    ),
                    FaultKind::ManagedObjectNotFound => (
                        ErrorKind::NotFound,
                        "the object was removed meanwhile: list again",
                    ),
                    FaultKind::InvalidArgument | FaultKind::InvalidRequest => (
                        ErrorKind::InvalidArgument,
                        "vSphere refused the request as malformed; run with --debug to see the calls",
                    ),
                    FaultKind::NotSupported => (
                        ErrorKind::NotSupported,
                        "this vSphere does not offer the operation",
                    ),
                    FaultKind::Other(_) => (
                        ErrorKind::Other,
                        "see the vSphere fault above; run with --debug to see the calls",
                    ),
                };
                Error::new(kind, message).with_hint(hint)
            }
        }
        .caused_by(e)
    }
}

/// The vim25 fault kind an error carries as its cause, if it came from a
/// fault: callers match on it, never on the message.
pub fn fault_kind(e: &Error) -> Option<&FaultKind> {
    e.cause::<SoapError>().and_then(SoapError::fault_kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::vsphere::xml;

    #[test]
    fn faults_map_to_kinds() {
        let cases = [
            ("NotAuthenticated", ErrorKind::Unreachable),
            ("InvalidLogin", ErrorKind::Unreachable),
            ("ConcurrentAccess", ErrorKind::StaleHandle),
            ("DuplicateName", ErrorKind::Taken),
            ("FileAlreadyExists", ErrorKind::Taken),
            ("FileNotFound", ErrorKind::NotFound),
            ("NotFound", ErrorKind::NotFound),
            ("ResourceInUse", ErrorKind::Conflict),
            ("InvalidState", ErrorKind::InvalidState),
            ("InvalidPowerState", ErrorKind::InvalidState),
            ("ManagedObjectNotFound", ErrorKind::NotFound),
            ("InvalidArgument", ErrorKind::InvalidArgument),
            ("InvalidRequest", ErrorKind::InvalidArgument),
            ("NotSupported", ErrorKind::NotSupported),
            ("HostCommunication", ErrorKind::Other),
        ];
        for (name, kind) in cases {
            let e = SoapError::Fault {
                method: "ReconfigVM_Task".into(),
                fault: Fault {
                    kind: FaultKind::from_name(name),
                    message: "m".into(),
                    detail: None,
                },
            };
            let err = Error::from(e);
            assert_eq!(err.kind(), kind, "{name}");
            assert_eq!(fault_kind(&err), Some(&FaultKind::from_name(name)));
            assert!(err.to_string().contains(name), "{err}");
            assert!(err.hint().is_some());
        }
    }

    #[test]
    fn fault_detail_is_read_from_soap_and_task_shapes() {
        let soap = xml::parse(
            r#"<detail xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><InvalidArgumentFault xmlns="urn:vim25" xsi:type="InvalidArgument"><invalidProperty>name</invalidProperty></InvalidArgumentFault></detail>"#,
        )
        .unwrap();
        let f = Fault::from_value(&soap.children[0], "A specified parameter was not correct");
        assert_eq!(f.kind, FaultKind::InvalidArgument);
        assert_eq!(f.detail.as_deref(), Some("name"));
        assert!(f.to_string().contains("(name)"));

        let bare = xml::parse("<DuplicateNameFault><name>web</name></DuplicateNameFault>").unwrap();
        let f = Fault::from_value(&bare, "");
        assert_eq!(f.kind, FaultKind::DuplicateName);
        assert_eq!(f.to_string(), "DuplicateName (web)");
    }
}
