//! Target credentials in the OS keyring, never in a file vicport writes:
//! the Secret Service where a D-Bus session offers one, else the kernel's
//! keyutils store (anchored in the user's persistent keyring, so a password
//! outlives the process that stored it).

use std::sync::Once;

use crate::plumbing::error::{Error, ErrorKind, Result};

/// The keyring service name under which vicport stores secrets.
const SERVICE: &str = "vicport";

/// Which store holds the secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// The freedesktop Secret Service (GNOME Keyring, KWallet) over D-Bus.
    SecretService,
    /// The kernel key retention service.
    Keyutils,
}

impl Store {
    /// The store for this process: `VICPORT_KEYRING=keyutils|secret-service`
    /// decides when set; otherwise the Secret Service when a D-Bus session
    /// bus is advertised, else keyutils.
    pub fn detect() -> Result<Store> {
        match std::env::var("VICPORT_KEYRING").ok().as_deref() {
            Some("keyutils") => Ok(Store::Keyutils),
            Some("secret-service") => Ok(Store::SecretService),
            Some("") | None => Ok(
                if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
                    Store::SecretService
                } else {
                    Store::Keyutils
                },
            ),
            Some(other) => Err(Error::invalid(format!(
                "VICPORT_KEYRING={other:?} is not a keyring store"
            ))
            .with_hint("use keyutils or secret-service, or unset it")),
        }
    }

    /// The name shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Store::SecretService => "secret-service",
            Store::Keyutils => "keyutils",
        }
    }
}

static INIT: Once = Once::new();

/// Select the keyring backend once per process.
fn init(store: Store) {
    INIT.call_once(|| match store {
        Store::SecretService => {
            keyring::set_default_credential_builder(
                keyring::secret_service::default_credential_builder(),
            );
        }
        Store::Keyutils => {
            join_session_keyring();
            keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder());
        }
    });
}

/// Give this process a session keyring of its own before using keyutils.
///
/// A process started without a login session (CI, a service, `docker exec`)
/// falls back to the user-session keyring, which the keyutils store cannot
/// always link the persistent keyring into. Joining a fresh anonymous session
/// keyring gives the store a keyring it possesses; the secret itself is
/// anchored in the user's persistent keyring, which outlives this process
/// (for `/proc/sys/kernel/keys/persistent_keyring_expiry` seconds after the
/// last use, three days by default).
fn join_session_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl(JOIN_SESSION_KEYRING, NULL) takes no pointers we own;
    // it only replaces this process's session keyring.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
        )
    };
    if rc < 0 {
        tracing::debug!(
            "joining a session keyring failed: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// The keyring account for a target: the user at the SDK URL, so renaming a
/// target does not lose its secret and two targets on one vCenter share it.
fn account(url: &str, username: &str) -> String {
    format!("{username}@{url}")
}

fn entry(url: &str, username: &str) -> Result<(keyring::Entry, Store)> {
    let store = Store::detect()?;
    init(store);
    let entry = keyring::Entry::new(SERVICE, &account(url, username))
        .map_err(|e| keyring_error(e, store))?;
    Ok((entry, store))
}

fn keyring_error(e: keyring::Error, store: Store) -> Error {
    Error::new(
        ErrorKind::Other,
        format!("the {} keyring failed: {e}", store.as_str()),
    )
    .with_hint(match store {
        Store::SecretService => {
            "unlock your keyring, or set VICPORT_KEYRING=keyutils to use the kernel's store"
        }
        Store::Keyutils => {
            "check that the kernel key retention service is available (keyctl show @s)"
        }
    })
}

/// Store the password for `username` at `url`.
pub fn store(url: &str, username: &str, password: &str) -> Result<Store> {
    if password.is_empty() {
        return Err(Error::invalid("the password is empty"));
    }
    let (entry, store) = entry(url, username)?;
    entry
        .set_password(password)
        .map_err(|e| keyring_error(e, store))?;
    Ok(store)
}

/// The stored password, if there is one.
pub fn load(url: &str, username: &str) -> Result<Option<String>> {
    let (entry, store) = entry(url, username)?;
    match entry.get_password() {
        Ok(p) => Ok(Some(p)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e, store)),
    }
}

/// Remove the stored password; `false` when there was none.
pub fn delete(url: &str, username: &str) -> Result<bool> {
    let (entry, store) = entry(url, username)?;
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(keyring_error(e, store)),
    }
}

/// The password for a target: `VICPORT_PASSWORD` when set (CI), else the
/// keyring. Missing: an authentication error that says how to log in.
pub fn password_for(target: &str, url: &str, username: &str) -> Result<String> {
    if let Some(p) = std::env::var("VICPORT_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        return Ok(p);
    }
    load(url, username)?.ok_or_else(|| {
        Error::unreachable(format!(
            "no password stored for {username} on target {target:?}"
        ))
        .with_hint(format!(
            "run `vicport login {target}` (or set VICPORT_PASSWORD)"
        ))
    })
}
