//! Targets: the TOML config file that names platforms and their settings.
//! Updates are read-modify-write under a lock and replace the file atomically;
//! a file that does not parse is reported and never overwritten. Secrets are
//! never stored here (see `credentials`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::file::{Lock, write_atomic};
use crate::plumbing::name;

/// The name of the built-in local target.
pub const LOCAL: &str = "local";

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The target used when `--target` is not given (`vicport target use`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_target: Option<String>,
    /// Named targets.
    #[serde(default)]
    pub targets: BTreeMap<String, Target>,
    /// Per-registry TLS settings, by host (`"127.0.0.1:5000"`), like
    /// containers' registries.conf.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub registries: BTreeMap<String, RegistrySettings>,
}

/// How to reach one registry (`[registries."HOST"]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySettings {
    /// A PEM file of CA certificates to trust for this registry, besides
    /// the system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// `false`: do not verify its certificate, and fall back to plain HTTP
    /// when it does not speak TLS. Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_verify: Option<bool>,
}

/// One target: a platform and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "platform", rename_all = "snake_case")]
pub enum Target {
    /// QEMU microVMs on this host, with their own state directory.
    Local(LocalTarget),
    /// A vCenter or ESXi endpoint.
    Vsphere(VsphereTarget),
}

/// Settings of a local target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalTarget {
    /// The state directory; the default one when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_dir: Option<PathBuf>,
}

/// Settings of a vSphere target. Inventory names are resolved at use; unset
/// ones default to the only object of their kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VsphereTarget {
    /// The SDK URL, e.g. `https://vc.example.com/sdk`.
    pub url: String,
    /// The user to log in as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_pool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// A pinned certificate thumbprint (SHA-256 hex, or SHA-1), normalized to
    /// uppercase colon-separated hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbprint: Option<String>,
    /// Skip certificate verification (only when asked for).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

impl Target {
    /// `local` or `vsphere`.
    pub fn platform(&self) -> &'static str {
        match self {
            Target::Local(_) => "local",
            Target::Vsphere(_) => "vsphere",
        }
    }
}

/// Normalize a vSphere SDK URL: http(s) only, `/sdk` added when no path is given.
pub fn normalize_url(url: &str) -> Result<String> {
    let bad = |why: &str| {
        Err(Error::invalid(format!("invalid target URL {url:?}: {why}"))
            .with_hint("use https://HOST/sdk, e.g. https://vc.example.com/sdk"))
    };
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        r
    } else {
        return bad("it must start with https:// or http://");
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() || host.contains(['@', ' ', '?', '#']) {
        return bad("the host is missing or contains credentials or spaces");
    }
    let scheme = &url[..url.len() - rest.len()];
    let path = if path.is_empty() || path == "/" {
        "/sdk"
    } else {
        path
    };
    Ok(format!("{scheme}{host}{path}"))
}

/// Normalize a certificate thumbprint to uppercase colon-separated hex; it
/// must be 20 bytes (SHA-1) or 32 bytes (SHA-256).
pub fn normalize_thumbprint(text: &str) -> Result<String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' '))
        .collect::<String>()
        .to_ascii_uppercase();
    let valid = hex.chars().all(|c| c.is_ascii_hexdigit()) && matches!(hex.len(), 40 | 64);
    if !valid {
        return Err(Error::invalid(format!("invalid thumbprint {text:?}")).with_hint(
            "give the certificate's SHA-256 (64 hex digits) or SHA-1 (40 hex digits) fingerprint",
        ));
    }
    let pairs: Vec<&str> = (0..hex.len()).step_by(2).map(|i| &hex[i..i + 2]).collect();
    Ok(pairs.join(":"))
}

/// The config file on disk.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
}

impl ConfigFile {
    /// The config file at `path` (it need not exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ConfigFile { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".lock");
        PathBuf::from(p)
    }

    /// Read and parse; a missing file is an empty config.
    pub fn load(&self) -> Result<Config> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io(format!("reading {}", self.path.display()), e)),
        };
        parse(&self.path, &text)
    }

    /// Read-modify-write under the lock: `change` sees the current config
    /// (as another process may have just written it) and its changes are
    /// written atomically with mode 0600. When `change` fails, or the file
    /// does not parse, nothing is written.
    pub fn update<T>(&self, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
        let _lock = Lock::exclusive(&self.lock_path())?;
        let mut config = self.load()?;
        let result = change(&mut config)?;
        let text = toml::to_string_pretty(&config)
            .map_err(|e| Error::other(format!("serializing the config: {e}")))?;
        let text = format!(
            "# vicport targets; edited by `vicport target`. Secrets live in the OS keyring, never here.\n{text}"
        );
        write_atomic(&self.path, text.as_bytes(), 0o600)?;
        Ok(result)
    }
}

fn parse(path: &Path, text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let location = match line {
            Some(n) => format!("{}, line {n}", path.display()),
            None => path.display().to_string(),
        };
        Error::invalid(format!(
            "config file {location} is malformed: {}",
            e.message()
        ))
        .with_hint(format!(
            "fix {} by hand (vicport never overwrites a file it cannot parse), or move it away to start afresh",
            path.display()
        ))
    })?;
    for name in config.targets.keys() {
        name::validate("target", name).map_err(|e| e.context(path.display()))?;
        if name == LOCAL {
            return Err(Error::invalid(format!(
                "{}: the target name \"local\" is reserved for the built-in local target",
                path.display()
            )));
        }
    }
    Ok(config)
}

impl Config {
    /// The names of all targets, `local` first.
    pub fn target_names(&self) -> Vec<String> {
        std::iter::once(LOCAL.to_string())
            .chain(self.targets.keys().cloned())
            .collect()
    }

    /// The target to use: `requested`, else the current one, else `local`.
    pub fn resolve(&self, requested: Option<&str>) -> Result<(String, Target)> {
        let name = requested
            .or(self.current_target.as_deref())
            .unwrap_or(LOCAL);
        if name == LOCAL {
            return Ok((LOCAL.to_string(), Target::Local(LocalTarget::default())));
        }
        match self.targets.get(name) {
            Some(t) => Ok((name.to_string(), t.clone())),
            None => Err(
                Error::new(ErrorKind::NotFound, format!("target {name:?} not found")).with_hint(
                    format!(
                        "known targets: {}; add one with `vicport target add`",
                        self.target_names().join(", ")
                    ),
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_sdk_path_and_refuse_junk() {
        assert_eq!(
            normalize_url("https://vc.example.com").unwrap(),
            "https://vc.example.com/sdk"
        );
        assert_eq!(
            normalize_url("https://127.0.0.1:8989/sdk").unwrap(),
            "https://127.0.0.1:8989/sdk"
        );
        for bad in [
            "vc.example.com",
            "ftp://x",
            "https://",
            "https://u:p@vc/sdk",
        ] {
            assert!(normalize_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn thumbprints_normalize() {
        let sha1 = "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01";
        assert_eq!(normalize_thumbprint(sha1).unwrap(), sha1.to_uppercase());
        let sha256 = "a".repeat(64);
        assert_eq!(normalize_thumbprint(&sha256).unwrap().len(), 64 + 31);
        assert!(normalize_thumbprint("abc").is_err());
        assert!(normalize_thumbprint(&"g".repeat(40)).is_err());
    }

    #[test]
    fn malformed_file_names_path_and_line_and_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let bad = "current_target = \"a\"\n[targets.a]\nplatform = \"vsphere\"\nurl = \n";
        std::fs::write(&path, bad).unwrap();
        let file = ConfigFile::new(&path);
        let err = file.load().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("line 4"), "{err}");
        assert!(err.to_string().contains(&path.display().to_string()));
        let err = file
            .update(|c| {
                c.current_target = None;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    }

    #[test]
    fn update_round_trips_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path().join("vicport/config.toml"));
        file.update(|c| {
            c.targets.insert(
                "vc1".into(),
                Target::Vsphere(VsphereTarget {
                    url: "https://vc/sdk".into(),
                    username: Some("admin".into()),
                    ..Default::default()
                }),
            );
            c.current_target = Some("vc1".into());
            Ok(())
        })
        .unwrap();
        let loaded = file.load().unwrap();
        assert_eq!(loaded.current_target.as_deref(), Some("vc1"));
        let (name, target) = loaded.resolve(None).unwrap();
        assert_eq!(name, "vc1");
        assert_eq!(target.platform(), "vsphere");
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn unknown_target_lists_known_ones() {
        let mut c = Config::default();
        c.targets.insert(
            "lab".into(),
            Target::Local(LocalTarget {
                state_dir: Some("/srv/x".into()),
            }),
        );
        let err = c.resolve(Some("nope")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert!(
            err.hint().unwrap().contains("local, lab"),
            "{:?}",
            err.hint()
        );
        assert_eq!(c.resolve(None).unwrap().0, "local");
    }

    #[test]
    fn concurrent_updates_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let file = ConfigFile::new(&path);
                std::thread::spawn(move || {
                    file.update(|c| {
                        c.targets
                            .insert(format!("t{i}"), Target::Local(LocalTarget::default()));
                        Ok(())
                    })
                    .unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(ConfigFile::new(&path).load().unwrap().targets.len(), 16);
    }
}
