//! Registry credentials: vicport's own logins in the OS keyring (the user
//! name and secret together, under the registry's host), and, read-only,
//! the logins users already have in containers' and Docker's auth files.

use std::path::PathBuf;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::plumbing::credentials::{self, Store};
use crate::plumbing::error::{Error, Result};

/// The keyring "URL" under which registry logins are kept (the account is
/// `HOST@registry`).
const KEYRING_SCOPE: &str = "registry";

/// A user name and its secret for one registry.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Where a login came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Keyring,
    File(PathBuf),
}

/// Keep `login` for `host` in the OS keyring.
pub fn store(host: &str, login: &Login) -> Result<Store> {
    let secret = serde_json::to_string(login).expect("JSON");
    credentials::store(KEYRING_SCOPE, host, &secret)
}

/// Forget vicport's login for `host`; `false` when there was none.
pub fn forget(host: &str) -> Result<bool> {
    credentials::delete(KEYRING_SCOPE, host)
}

/// The login to use for `host`: vicport's own (the keyring), else the first
/// auth file that has one. `None`: anonymous.
pub fn find(host: &str) -> Result<Option<(Login, Source)>> {
    if let Some(secret) = credentials::load(KEYRING_SCOPE, host)? {
        let login: Login = serde_json::from_str(&secret).map_err(|_| {
            Error::other(format!(
                "the keyring's entry for registry {host} is damaged"
            ))
            .with_hint(format!("log in again: vicport registry login {host}"))
        })?;
        return Ok(Some((login, Source::Keyring)));
    }
    for path in auth_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match from_auth_file(&text, host) {
            Ok(Some(login)) => return Ok(Some((login, Source::File(path)))),
            Ok(None) => {}
            Err(why) => tracing::debug!("ignoring {}: {why}", path.display()),
        }
    }
    Ok(None)
}

/// The auth files containers tools and Docker keep, in the order podman
/// reads them: `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
/// `~/.docker/config.json`.
fn auth_files() -> Vec<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let mut files = Vec::new();
    if let Some(file) = var("REGISTRY_AUTH_FILE") {
        files.push(PathBuf::from(file));
    }
    if let Some(dir) = var("XDG_RUNTIME_DIR") {
        files.push(PathBuf::from(dir).join("containers/auth.json"));
    }
    if let Some(home) = var("HOME") {
        files.push(PathBuf::from(home).join(".docker/config.json"));
    }
    files
}

#[derive(Deserialize)]
struct AuthFile {
    #[serde(default)]
    auths: std::collections::BTreeMap<String, AuthEntry>,
}

#[derive(Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
}

/// The login an auth file holds for `host`. Keys may carry a scheme or a
/// path (`https://index.docker.io/v1/`); `auth` is base64 of `user:secret`.
/// Credential helpers (`credsStore`) are not run.
fn from_auth_file(text: &str, host: &str) -> std::result::Result<Option<Login>, String> {
    let file: AuthFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let bare = |key: &str| {
        let key = key
            .strip_prefix("https://")
            .or_else(|| key.strip_prefix("http://"))
            .unwrap_or(key);
        key.split('/').next().unwrap_or(key).to_string()
    };
    let aliases: &[&str] = if host == "docker.io" {
        &["docker.io", "index.docker.io", "registry-1.docker.io"]
    } else {
        &[host]
    };
    let Some(entry) = file
        .auths
        .iter()
        .find(|(key, _)| aliases.contains(&bare(key).as_str()))
        .map(|(_, entry)| entry)
    else {
        return Ok(None);
    };
    let Some(encoded) = entry.auth.as_deref().filter(|a| !a.is_empty()) else {
        return Ok(None);
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|e| format!("the auth for {host} is not base64: {e}"))?;
    let decoded =
        String::from_utf8(decoded).map_err(|_| format!("the auth for {host} is not UTF-8"))?;
    let (username, password) = decoded
        .split_once(':')
        .ok_or_else(|| format!("the auth for {host} is not user:secret"))?;
    Ok(Some(Login {
        username: username.to_string(),
        password: password.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_files_are_read_by_host_with_or_without_scheme() {
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret:x");
        let text = format!(
            r#"{{"auths": {{"127.0.0.1:5000": {{"auth": "{auth}"}},
                "https://index.docker.io/v1/": {{"auth": "{auth}"}},
                "other.example": {{}}}}, "credsStore": "desktop"}}"#
        );
        let login = from_auth_file(&text, "127.0.0.1:5000").unwrap().unwrap();
        assert_eq!(
            (login.username.as_str(), login.password.as_str()),
            ("alice", "s3cret:x")
        );
        assert!(from_auth_file(&text, "docker.io").unwrap().is_some());
        assert_eq!(from_auth_file(&text, "other.example").unwrap(), None);
        assert_eq!(from_auth_file(&text, "nowhere").unwrap(), None);
        assert!(from_auth_file(r#"{"auths": {"h": {"auth": "!!"}}}"#, "h").is_err());
        assert!(format!("{login:?}").contains("alice") && !format!("{login:?}").contains("s3cret"));
    }
}
