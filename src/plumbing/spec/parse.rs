//! The textual specs users type, parsed into the model with errors that
//! say what is wrong and how to write it: `NAME:/path[:ro]`, `NET[:IP]`,
//! sizes, `KEY=VALUE` labels, signals.

use std::net::IpAddr;

use tether_protocol::Signal;

use std::path::Path;

use super::{GuestMount, HostShare, NetworkEndpoint, VolumeMount};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::name;

/// What `--volume` or `--mount` joins: a volume by name, a host path
/// shared into the domain (`/srv/site:/site`, `./src:/src`, as docker's
/// bind mounts), or (`--mount type=tmpfs`) a tmpfs the guest makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mount {
    Volume(VolumeMount),
    Host(HostShare),
    Tmpfs(GuestMount),
}

impl Mount {
    /// Parse `NAME:/path[:ro|:rw]` or `HOST_PATH:/path[:ro|:rw]`, a host
    /// path being absolute or starting with `.` (relative to `cwd`).
    pub fn parse(spec: &str, cwd: &Path) -> Result<Self> {
        let (source, path, mode) = split_mount(spec);
        if !(source.starts_with('/') || source.starts_with('.')) {
            return VolumeMount::parse(spec).map(Mount::Volume);
        }
        let hint = "use HOST_PATH:/absolute/path, or HOST_PATH:/absolute/path:ro for read-only (a host path is absolute or starts with ./)";
        let (path, read_only) = mount_target(spec, path, mode, "a host path", hint)?;
        let source = std::path::absolute(cwd.join(source))
            .map_err(|e| Error::invalid(format!("invalid host path {source:?}: {e}")))?;
        Ok(Mount::Host(HostShare {
            source,
            path,
            read_only,
        }))
    }
}

impl Mount {
    /// The path inside the domain.
    pub fn path(&self) -> &str {
        match self {
            Mount::Volume(v) => &v.path,
            Mount::Host(h) => &h.path,
            Mount::Tmpfs(t) => &t.path,
        }
    }

    /// Parse docker's long form, `--mount type=bind|volume|tmpfs,
    /// source=…,target=…[,readonly][,tmpfs-size=…][,tmpfs-mode=…]`
    /// (`src`, `destination`/`dst` and `ro` too; `type` defaults to
    /// volume, as docker's). A bind's source is a host path as `--volume`
    /// takes it (absolute, or from `.` in `cwd`).
    pub fn parse_long(text: &str, cwd: &Path) -> Result<Self> {
        let hint = "use type=bind|volume|tmpfs,source=…,target=/path[,readonly], e.g. type=bind,source=./site,target=/srv";
        let bad = |why: String| {
            Error::invalid(format!("invalid --mount {text:?}: {why}")).with_hint(hint)
        };
        let (mut kind, mut source, mut target) = ("volume", None, None);
        let (mut read_only, mut size, mut mode) = (false, None, None);
        for field in text.split(',').filter(|f| !f.is_empty()) {
            let (key, value) = match field.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (field.trim(), None),
            };
            let missing = || bad(format!("{key} needs a value ({key}=…)"));
            let value_of = value.filter(|v| !v.is_empty());
            match key {
                "type" => kind = value_of.ok_or_else(missing)?,
                "source" | "src" => source = Some(value_of.ok_or_else(missing)?),
                "target" | "destination" | "dst" => target = Some(value_of.ok_or_else(missing)?),
                "readonly" | "ro" => {
                    read_only = match value {
                        None | Some("true" | "1") => true,
                        Some("false" | "0") => false,
                        Some(v) => return Err(bad(format!("{key}={v}: use true or false"))),
                    }
                }
                "tmpfs-size" => size = Some(value_of.ok_or_else(missing)?),
                "tmpfs-mode" => mode = Some(value_of.ok_or_else(missing)?),
                "bind-propagation" | "bind-nonrecursive" | "volume-opt" | "volume-nocopy"
                | "volume-driver" | "volume-subpath" | "consistency" => {
                    return Err(bad(format!(
                        "{key} is not supported: a domain's mounts are its VM's own"
                    )));
                }
                other => return Err(bad(format!("unknown option {other:?}"))),
            }
        }
        let mode_word = read_only.then_some("ro");
        let target = target.ok_or_else(|| bad("no target=/path".into()))?;
        let what = match kind {
            "bind" => "a host path",
            "volume" => "a volume",
            "tmpfs" => "a tmpfs",
            other => {
                return Err(bad(format!(
                    "unknown type {other:?}, use bind, volume or tmpfs"
                )));
            }
        };
        let (path, read_only) = mount_target(text, Some(target), mode_word, what, hint)?;
        if kind != "tmpfs" && (size.is_some() || mode.is_some()) {
            return Err(bad("tmpfs-size and tmpfs-mode are for type=tmpfs".into()));
        }
        match (kind, source) {
            ("tmpfs", Some(_)) => Err(bad("a tmpfs has no source".into())),
            ("tmpfs", None) => {
                let mut options = Vec::new();
                if let Some(s) = size {
                    let bytes = parse_size(s).map_err(|_| {
                        bad(format!("tmpfs-size={s} is not a size (64m, 1g, bytes)"))
                    })?;
                    options.push(format!("size={bytes}"));
                }
                if let Some(m) = mode {
                    if u32::from_str_radix(m, 8).map_or(true, |m| m > 0o7777) {
                        return Err(bad(format!("tmpfs-mode={m} is not an octal mode (1777)")));
                    }
                    options.push(format!("mode={m}"));
                }
                if read_only {
                    options.push("ro".into());
                }
                Ok(Mount::Tmpfs(GuestMount {
                    fstype: "tmpfs".into(),
                    source: String::new(),
                    path,
                    options,
                }))
            }
            (_, None) => Err(bad(format!(
                "no source=…: name {}",
                if kind == "bind" {
                    "the host path to share (absolute, or from ./)"
                } else {
                    "the volume (made with `vicport volume create`)"
                }
            ))),
            ("bind", Some(src)) => {
                if !(src.starts_with('/') || src.starts_with('.')) {
                    return Err(bad(format!(
                        "source={src}: a host path is absolute or starts with ./"
                    )));
                }
                let source = std::path::absolute(cwd.join(src))
                    .map_err(|e| bad(format!("source={src}: {e}")))?;
                Ok(Mount::Host(HostShare {
                    source,
                    path,
                    read_only,
                }))
            }
            (_, Some(src)) => {
                name::validate("volume", src).map_err(|e| bad(e.to_string()))?;
                Ok(Mount::Volume(VolumeMount {
                    volume: src.to_string(),
                    path,
                    read_only,
                }))
            }
        }
    }
}

/// `SOURCE:PATH[:MODE]` in its parts.
fn split_mount(spec: &str) -> (&str, Option<&str>, Option<&str>) {
    let mut parts = spec.splitn(3, ':');
    (parts.next().unwrap_or_default(), parts.next(), parts.next())
}

/// The path inside the domain (one spelling: no empty or `.` components)
/// and whether it is read-only, of mount `spec` of `what`.
fn mount_target(
    spec: &str,
    path: Option<&str>,
    mode: Option<&str>,
    what: &str,
    hint: &str,
) -> Result<(String, bool)> {
    let bad = |why: &str| {
        Err(Error::invalid(format!("invalid volume mount {spec:?}: {why}")).with_hint(hint))
    };
    let Some(path) = path else {
        return bad("the path is missing");
    };
    let read_only = match mode {
        None | Some("rw") => false,
        Some("ro") => true,
        Some(other) => return bad(&format!("unknown mode {other:?}, use ro or rw")),
    };
    if !path.starts_with('/') {
        return bad("the path must be absolute");
    }
    if path.split('/').any(|c| c == "..") {
        return bad("the path must not contain '..'");
    }
    if path.chars().any(char::is_control) {
        return bad("the path contains a control character");
    }
    let components: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if components.is_empty() {
        return bad(&format!("{what} cannot be mounted over the root"));
    }
    Ok((format!("/{}", components.join("/")), read_only))
}

impl VolumeMount {
    /// Parse `NAME:/path[:ro|:rw]`.
    pub fn parse(spec: &str) -> Result<Self> {
        let hint = "use NAME:/absolute/path, or NAME:/absolute/path:ro for read-only";
        let (volume, path, mode) = split_mount(spec);
        if let Err(e) = name::validate("volume", volume) {
            return Err(
                Error::invalid(format!("invalid volume mount {spec:?}: {e}")).with_hint(hint),
            );
        }
        let (path, read_only) = mount_target(spec, path, mode, "a volume", hint)?;
        Ok(VolumeMount {
            volume: volume.to_string(),
            path,
            read_only,
        })
    }
}

impl NetworkEndpoint {
    /// Parse `NET[:IP]`.
    pub fn parse(spec: &str) -> Result<Self> {
        let (network, ip) = match spec.split_once(':') {
            Some((n, ip)) => (n, Some(ip)),
            None => (spec, None),
        };
        name::validate("network", network).map_err(|e| {
            Error::invalid(format!("invalid network endpoint {spec:?}: {e}"))
                .with_hint("use NET or NET:IP, e.g. backend:10.0.9.5")
        })?;
        let ip = match ip {
            None => None,
            Some(text) => Some(text.parse::<IpAddr>().map_err(|_| {
                Error::invalid(format!(
                    "invalid network endpoint {spec:?}: {text:?} is not an IP address"
                ))
                .with_hint("use NET or NET:IP, e.g. backend:10.0.9.5")
            })?),
        };
        Ok(NetworkEndpoint {
            network: network.to_string(),
            ip,
            mac: None,
        })
    }
}

/// Parse a size such as `512MiB`, `1GiB`, `10G`, `4096` (bytes). Binary units
/// (KiB, MiB, GiB, TiB, and their one-letter forms K, M, G, T) are powers of
/// 1024; decimal units (KB, MB, GB, TB) powers of 1000.
pub fn parse_size(text: &str) -> Result<u64> {
    let bad = || {
        Error::invalid(format!("invalid size {text:?}"))
            .with_hint("use a number with an optional unit, e.g. 512MiB, 1GiB, 10G")
    };
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    if number.is_empty() || number.matches('.').count() > 1 {
        return Err(bad());
    }
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => return Err(bad()),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    let bytes = value * multiplier as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes.round() as u64)
}

/// Parse a `KEY=VALUE` label.
pub fn parse_label(text: &str) -> Result<(String, String)> {
    let (key, value) = text.split_once('=').unwrap_or((text, ""));
    if key.is_empty()
        || key.len() > 128
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
    {
        return Err(Error::invalid(format!("invalid label {text:?}")).with_hint(
            "use KEY=VALUE, KEY of 1-128 characters of A-Z, a-z, 0-9, '.', '-', '_', '/'",
        ));
    }
    if value.contains(['\0', '\n']) {
        return Err(Error::invalid(format!(
            "invalid label {text:?}: the value contains a control character"
        )));
    }
    Ok((key.to_string(), value.to_string()))
}

/// A signal by name (`SIGTERM`, `TERM`, `term`) or protocol number (`15`):
/// the protocol's [`Signal`], as a user error when it names none.
pub fn parse_signal(signal: &str) -> Result<Signal> {
    Signal::parse(signal)
        .map_err(|e| Error::invalid(e.to_string()).with_hint(tether_protocol::SignalError::HINT))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    #[test]
    fn long_mounts_parse_as_docker_writes_them() {
        let cwd = Path::new("/work/app");
        let m = |t: &str| Mount::parse_long(t, cwd);
        assert_eq!(
            m("type=bind,source=./site,target=/srv/site,readonly").unwrap(),
            Mount::Host(HostShare {
                source: "/work/app/site".into(),
                path: "/srv/site".into(),
                read_only: true,
            })
        );
        assert_eq!(
            m("src=data,dst=/var/lib/data/").unwrap(),
            Mount::Volume(VolumeMount {
                volume: "data".into(),
                path: "/var/lib/data".into(),
                read_only: false,
            })
        );
        assert_eq!(
            m("type=tmpfs,destination=/run,tmpfs-size=64m,tmpfs-mode=1777,ro=true").unwrap(),
            Mount::Tmpfs(GuestMount {
                fstype: "tmpfs".into(),
                source: String::new(),
                path: "/run".into(),
                options: vec!["size=67108864".into(), "mode=1777".into(), "ro".into()],
            })
        );
        assert_eq!(
            m("type=volume,source=v,target=/x,readonly=false")
                .unwrap()
                .path(),
            "/x"
        );
        for (bad, says) in [
            ("type=bind,target=/x", "no source=…: name the host path"),
            ("target=/x", "no source=…: name the volume"),
            (
                "type=bind,source=site,target=/x",
                "a host path is absolute or starts with ./",
            ),
            ("type=tmpfs,source=x,target=/x", "a tmpfs has no source"),
            ("type=nfs,source=x,target=/x", "unknown type \"nfs\""),
            ("type=bind,source=/x", "no target=/path"),
            (
                "type=bind,source=/x,target=relative",
                "the path must be absolute",
            ),
            (
                "type=bind,source=/x,target=/",
                "cannot be mounted over the root",
            ),
            (
                "type=bind,source=/x,target=/y,bind-propagation=rshared",
                "bind-propagation is not supported",
            ),
            (
                "type=bind,source=/x,target=/y,colour=red",
                "unknown option \"colour\"",
            ),
            (
                "type=bind,source=/x,target=/y,readonly=maybe",
                "readonly=maybe: use true or false",
            ),
            (
                "type=bind,source=/x,target=/y,tmpfs-size=1m",
                "are for type=tmpfs",
            ),
            (
                "type=tmpfs,target=/y,tmpfs-size=lots",
                "tmpfs-size=lots is not a size",
            ),
            (
                "type=tmpfs,target=/y,tmpfs-mode=999",
                "tmpfs-mode=999 is not an octal mode",
            ),
            ("type=volume,source=Bad Name,target=/y", "volume"),
            ("type=,target=/y", "type needs a value"),
        ] {
            let e = m(bad).expect_err(bad);
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
            assert!(e.to_string().contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn volume_mounts_parse() {
        let m = VolumeMount::parse("data:/var/lib/data:ro").unwrap();
        assert_eq!(m.volume, "data");
        assert_eq!(m.path, "/var/lib/data");
        assert!(m.read_only);
        assert!(!VolumeMount::parse("data:/srv/").unwrap().read_only);
        assert_eq!(VolumeMount::parse("data:/srv/").unwrap().path, "/srv");
        // Found by fuzzing: "//" used to become an empty path.
        assert_eq!(
            VolumeMount::parse("data:/srv//./x/").unwrap().path,
            "/srv/x"
        );
        assert!(VolumeMount::parse("u5z200://").is_err());
        assert!(VolumeMount::parse("data:/./").is_err());
    }

    #[test]
    fn volume_mounts_refuse_bad_specs() {
        for bad in [
            "data",
            "data:relative",
            "data:/x:rx",
            "Data:/x",
            "da/ta:/x",
            "data:/a/../b",
            "data:/",
            ":/x",
        ] {
            let e = VolumeMount::parse(bad).expect_err(bad);
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn endpoints_parse() {
        let e = NetworkEndpoint::parse("backend:10.0.0.5").unwrap();
        assert_eq!(e.network, "backend");
        assert_eq!(e.ip, Some("10.0.0.5".parse().unwrap()));
        assert_eq!(NetworkEndpoint::parse("backend").unwrap().ip, None);
        assert!(NetworkEndpoint::parse("backend:10.0.0.256").is_err());
        assert!(NetworkEndpoint::parse("../x").is_err());
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("1GiB").unwrap(), 1 << 30);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        assert_eq!(parse_size("512MiB").unwrap(), 512 << 20);
        assert_eq!(parse_size("1.5G").unwrap(), 3 << 29);
        assert_eq!(parse_size("2GB").unwrap(), 2_000_000_000);
        for bad in ["", "G", "1.2.3G", "10 parsecs", "-1G", "1e400"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert!(parse_size("99999999999999999999T").is_err());
    }

    #[test]
    fn signals_by_name_and_number() {
        assert_eq!(parse_signal("SIGTERM").unwrap(), Signal::TERM);
        assert_eq!(parse_signal("kill").unwrap(), Signal::KILL);
        assert_eq!(parse_signal("10").unwrap(), Signal::USR1);
        for bad in ["SIGNOPE", "0", "32", "65"] {
            let e = parse_signal(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
            assert_eq!(e.to_string(), format!("unknown signal {bad:?}"));
            assert_eq!(
                e.hint(),
                Some("use a name such as SIGTERM, TERM or KILL, or a number 1-31 or 34-64")
            );
        }
    }
}
