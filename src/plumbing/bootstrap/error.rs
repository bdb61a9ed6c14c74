//! The boot image builder's failures: each names the object that failed and
//! converts into the port layer's [`Error`] with a kind and a hint.

use std::path::PathBuf;

use crate::plumbing::error::{Error, ErrorKind};

/// Everything that can go wrong while building a boot image.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// apt does not know the package.
    #[error("package {package:?} is not known to apt: {detail}")]
    PackageUnknown { package: String, detail: String },
    /// `apt-get download` (or `apt-cache`) failed.
    #[error("fetching package {package:?} with apt failed: {detail}")]
    Download { package: String, detail: String },
    /// A downloaded or cached file does not have the digest the index promises.
    #[error("{path} has sha256 {actual}, but the apt index says {expected}")]
    DigestMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    /// A file is not the Debian binary package it should be.
    #[error("{path} is not a usable Debian package: {reason}")]
    BadPackage { path: PathBuf, reason: String },
    /// A kernel module file is not a usable ELF module.
    #[error("kernel module {path}: {reason}")]
    BadModule { path: String, reason: String },
    /// Modules that are needed are neither in the package nor built in.
    #[error("{} not in {package} and not built into its kernel", describe_missing(.missing))]
    MissingModules {
        package: String,
        /// `(module, the module that needs it, if any)`.
        missing: Vec<(String, Option<String>)>,
    },
    /// A file a program needs (the program itself, its interpreter, a shared
    /// library) is in none of the packages given for it.
    #[error("{file}{} is in none of the packages {}", .needed_by.as_ref().map(|by| format!(" (needed by {by})")).unwrap_or_default(), .packages.join(", "))]
    NotInPackages {
        file: String,
        needed_by: Option<String>,
        packages: Vec<String>,
    },
    /// Module dependencies form a cycle (the path closes on its first name).
    #[error("kernel module dependencies form a cycle: {}", .cycle.join(" -> "))]
    DependencyCycle { cycle: Vec<String> },
    /// A module was built for another kernel.
    #[error("kernel module {module} was built for {vermagic:?}, not for kernel {kernel}")]
    Vermagic {
        module: String,
        vermagic: String,
        kernel: String,
    },
    /// The tether (or busybox) cannot be /init of a Linux x86-64 guest.
    #[error("{path} cannot run in the guest: {reason}")]
    BadExecutable { path: PathBuf, reason: String },
    /// A host tool or file the build needs is not there.
    #[error("{what} not found at {path}")]
    Missing {
        what: String,
        path: PathBuf,
        /// What to install or pass instead.
        hint: &'static str,
    },
    /// A host tool ran and failed.
    #[error("{tool} failed ({status}): {stderr}")]
    Tool {
        tool: String,
        status: String,
        stderr: String,
    },
    /// Kconfig did not keep what the microVM kernel's config fragment asks
    /// for (a dependency of the source package's Kconfig changed).
    #[error("the kernel source {package} does not take microvm.config as it is: {}", .mismatches.join("; "))]
    KernelConfig {
        package: String,
        mismatches: Vec<String>,
    },
    /// The request itself is malformed.
    #[error("{0}")]
    Invalid(String),
}

fn describe_missing(missing: &[(String, Option<String>)]) -> String {
    let names: Vec<String> = missing
        .iter()
        .map(|(name, by)| match by {
            Some(by) => format!("{name} (needed by {by})"),
            None => name.clone(),
        })
        .collect();
    match names.len() {
        1 => format!("kernel module {} is", names[0]),
        _ => format!("kernel modules {} are", names.join(", ")),
    }
}

impl BootstrapError {
    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        BootstrapError::Io {
            context: context.into(),
            source,
        }
    }

    /// A malformed package.
    pub(crate) fn bad_package(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        BootstrapError::BadPackage {
            path: path.into(),
            reason: reason.into(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            BootstrapError::Io { .. }
            | BootstrapError::DigestMismatch { .. }
            | BootstrapError::DependencyCycle { .. }
            | BootstrapError::KernelConfig { .. }
            | BootstrapError::Tool { .. } => ErrorKind::Other,
            BootstrapError::PackageUnknown { .. }
            | BootstrapError::MissingModules { .. }
            | BootstrapError::NotInPackages { .. }
            | BootstrapError::Missing { .. } => ErrorKind::NotFound,
            BootstrapError::Download { .. } => ErrorKind::Unreachable,
            BootstrapError::BadPackage { .. }
            | BootstrapError::BadModule { .. }
            | BootstrapError::Vermagic { .. }
            | BootstrapError::BadExecutable { .. }
            | BootstrapError::Invalid(_) => ErrorKind::InvalidArgument,
        }
    }

    fn hint(&self) -> Option<String> {
        let hint = match self {
            BootstrapError::Io { .. } => return None,
            BootstrapError::PackageUnknown { .. } => {
                "run `apt-get update`, check the package name, or pass the package's .deb file instead"
            }
            BootstrapError::Download { .. } => {
                "check the network and apt sources, or download the .deb elsewhere and pass its path"
            }
            BootstrapError::DigestMismatch { .. } => {
                "remove the file and build again; if it repeats, run `apt-get update`"
            }
            BootstrapError::BadPackage { .. } => {
                "pass a Debian binary package (.deb) such as linux-image-<version>-cloud-amd64, not a metapackage"
            }
            BootstrapError::BadModule { .. } | BootstrapError::Vermagic { .. } => {
                "the kernel package looks damaged or mixed; download it again"
            }
            BootstrapError::MissingModules { .. } => {
                "use a kernel package that builds these drivers (Debian's cloud kernel does), or drop them from the module list"
            }
            BootstrapError::NotInPackages { .. } => {
                "add the Debian package that ships it to the request's mke2fs packages (`apt-file search NAME` names it; for a library it is usually among e2fsprogs' Pre-Depends)"
            }
            BootstrapError::DependencyCycle { .. } => {
                "the kernel package's module metadata is inconsistent; use another kernel package"
            }
            BootstrapError::BadExecutable { .. } => {
                "build the tether statically for x86-64, e.g. --target x86_64-unknown-linux-musl or RUSTFLAGS='-C target-feature=+crt-static'"
            }
            BootstrapError::Missing { hint, .. } => hint,
            BootstrapError::Tool { .. } => {
                "the tool's own message is part of the error: fix what it names and build again"
            }
            BootstrapError::KernelConfig { .. } => {
                "build from the linux-source-6.1 package this vicport's microvm.config was written for (--kernel-deb), or boot the cloud kernel (--kernel cloud)"
            }
            BootstrapError::Invalid(_) => "fix the request and build again",
        };
        Some(hint.to_string())
    }
}

impl From<BootstrapError> for Error {
    fn from(err: BootstrapError) -> Self {
        let hint = err.hint();
        let converted = match err {
            BootstrapError::Io { context, source } => Error::io(context, source),
            other => Error::new(other.kind(), other.to_string()),
        };
        match hint {
            Some(hint) => converted.with_hint(hint),
            None => converted,
        }
    }
}

/// The builder's internal result type.
pub(crate) type BuildResult<T> = Result<T, BootstrapError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_modules_name_each_module_and_who_needs_it() {
        let err = BootstrapError::MissingModules {
            package: "linux-image-x".into(),
            missing: vec![
                ("net_failover".into(), Some("virtio_net".into())),
                ("vmxnet3".into(), None),
            ],
        };
        assert_eq!(
            err.to_string(),
            "kernel modules net_failover (needed by virtio_net), vmxnet3 are not in linux-image-x and not built into its kernel"
        );
        let converted = Error::from(err);
        assert_eq!(converted.kind(), ErrorKind::NotFound);
        assert!(converted.hint().unwrap().contains("module list"));
    }

    #[test]
    fn io_errors_keep_their_context() {
        let err = BootstrapError::io(
            "reading /x.deb",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let converted = Error::from(err);
        assert!(converted.to_string().starts_with("reading /x.deb: "));
        assert_eq!(converted.kind(), ErrorKind::Other);
    }
}
