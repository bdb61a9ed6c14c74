//! What `run` and `domain create` say about a domain's process and guest
//! in docker's words, parsed into the model: `--ulimit NAME=SOFT[:HARD]`,
//! `--cap-add`/`--cap-drop CAP`, `--tmpfs PATH[:OPTIONS]`, `--add-host
//! NAME:IP`, `--dns`/`--dns-search`/`--dns-option` and the lines of an
//! `--env-file`.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use tether_protocol::config::{CAPABILITIES, DnsConfig, RLIMITS};

use super::{Capabilities, GuestMount, Rlimit};
use crate::plumbing::error::{Error, ErrorKind, Result};

/// Parse `--ulimit NAME=SOFT[:HARD]` (`nofile=1024:4096`; a value may be
/// `unlimited` or -1); HARD defaults to SOFT.
pub fn parse_ulimit(text: &str) -> Result<Rlimit> {
    let bad = |why: String| {
        Error::invalid(format!("invalid --ulimit {text:?}: {why}"))
            .with_hint("use NAME=SOFT[:HARD], e.g. nofile=1024:4096 or core=unlimited")
    };
    let (name, values) = text
        .split_once('=')
        .ok_or_else(|| bad("no '=' between the name and the limits".into()))?;
    let name = name.trim().to_ascii_uppercase();
    let name = name.strip_prefix("RLIMIT_").unwrap_or(&name).to_string();
    if !RLIMITS.contains(&name.as_str()) {
        return Err(bad(format!(
            "{name:?} is not a resource limit ({})",
            RLIMITS.join(", ").to_ascii_lowercase()
        )));
    }
    let value = |v: &str| match v.trim() {
        "unlimited" | "-1" => Ok(u64::MAX),
        v => v
            .parse::<u64>()
            .map_err(|_| bad(format!("{v:?} is not a number, -1 or unlimited"))),
    };
    let (soft, hard) = match values.split_once(':') {
        Some((s, h)) => (value(s)?, value(h)?),
        None => {
            let v = value(values)?;
            (v, v)
        }
    };
    if soft > hard {
        return Err(bad(format!(
            "the soft limit {soft} is above the hard {hard}"
        )));
    }
    Ok(Rlimit { name, soft, hard })
}

/// A capability as `CAP_NAME`, from `NAME`, `CAP_NAME` or `ALL` (any
/// case); `ALL` stays `ALL`.
fn capability(text: &str) -> Result<String> {
    let upper = text.trim().to_ascii_uppercase();
    if upper == "ALL" {
        return Ok(upper);
    }
    let name = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    if CAPABILITIES.contains(&name.as_str()) {
        Ok(name)
    } else {
        Err(Error::invalid(format!("{text:?} is not a capability"))
            .with_hint("use a name such as NET_RAW or CAP_NET_RAW, or ALL"))
    }
}

/// The capability sets of `--cap-add`/`--cap-drop`: every capability the
/// guest's root has, less those dropped (`ALL`: every one), plus those
/// added, as the bounding, effective and permitted sets. None when
/// neither flag is given: the guest's own (every capability, for root).
pub fn capabilities(add: &[String], drop: &[String]) -> Result<Option<Capabilities>> {
    if add.is_empty() && drop.is_empty() {
        return Ok(None);
    }
    let add = add
        .iter()
        .map(|c| capability(c))
        .collect::<Result<Vec<_>>>()?;
    let drop = drop
        .iter()
        .map(|c| capability(c))
        .collect::<Result<Vec<_>>>()?;
    let has = |list: &[String], cap: &str| list.iter().any(|c| c == "ALL" || c == cap);
    let set: Vec<String> = CAPABILITIES
        .iter()
        .filter(|c| has(&add, c) || !has(&drop, c))
        .map(|c| c.to_string())
        .collect();
    Ok(Some(Capabilities {
        bounding: set.clone(),
        effective: set.clone(),
        permitted: set,
        inheritable: Vec::new(),
        ambient: Vec::new(),
    }))
}

/// Parse `--tmpfs PATH[:OPTIONS]` (`/run:size=64m,noexec`): a tmpfs the
/// guest mounts in the domain.
pub fn parse_tmpfs(text: &str) -> Result<GuestMount> {
    let (path, options) = text.split_once(':').unwrap_or((text, ""));
    if !path.starts_with('/') || path.split('/').any(|c| c == "..") || path == "/" {
        return Err(Error::invalid(format!(
            "invalid --tmpfs {text:?}: {path:?} is not an absolute path below / without '..'"
        ))
        .with_hint("use PATH[:OPTIONS], e.g. /run:size=64m,noexec"));
    }
    Ok(GuestMount {
        fstype: "tmpfs".into(),
        source: String::new(),
        path: path.to_string(),
        options: options
            .split(',')
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// An extra `/etc/hosts` line of a domain (`--add-host NAME:IP`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraHost {
    pub name: String,
    pub address: IpAddr,
}

impl ExtraHost {
    /// Parse `NAME:IP` (an IPv6 address as is or in brackets:
    /// `db:fd00::5`, `db:[fd00::5]`).
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |why: String| {
            Error::invalid(format!("invalid --add-host {text:?}: {why}"))
                .with_hint("use NAME:IP, e.g. db:10.0.9.5 or db:[fd00::5]")
        };
        let (name, address) = text
            .split_once(':')
            .ok_or_else(|| bad("no ':' between the name and the address".into()))?;
        let fine = !name.is_empty()
            && name.len() <= 253
            && !name.starts_with(['-', '.'])
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_');
        if !fine {
            return Err(bad(format!("{name:?} is not a host name")));
        }
        let bare = address
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .unwrap_or(address);
        let address = bare
            .parse::<IpAddr>()
            .map_err(|_| bad(format!("{address:?} is not an IP address")))?;
        Ok(ExtraHost {
            name: name.to_string(),
            address,
        })
    }
}

/// A domain's own resolver settings (`--dns`, `--dns-search`,
/// `--dns-option`): each list given replaces what its networks say in its
/// `/etc/resolv.conf`; the options are its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsSettings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<IpAddr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl DnsSettings {
    /// Parse the flags' values: addresses, and words resolv.conf can hold.
    pub fn parse(servers: &[String], search: &[String], options: &[String]) -> Result<Self> {
        let servers = servers
            .iter()
            .map(|s| {
                s.trim().parse::<IpAddr>().map_err(|_| {
                    Error::invalid(format!("invalid --dns {s:?}: not an IP address"))
                        .with_hint("give a name server's address, e.g. --dns 10.0.0.53")
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let words = |flag: &str, what: &str, example: &str, items: &[String]| {
            items
                .iter()
                .map(|w| {
                    DnsConfig::check_word(what, w)
                        .map(|()| w.clone())
                        .map_err(|why| {
                            Error::invalid(format!("invalid {flag} {w:?}: {why}"))
                                .with_hint(format!("give one per flag, e.g. {flag} {example}"))
                        })
                })
                .collect::<Result<Vec<_>>>()
        };
        Ok(DnsSettings {
            servers,
            search: words("--dns-search", "search domain", "corp.example", search)?,
            options: words("--dns-option", "option", "ndots:2", options)?,
        })
    }

    /// Nothing set: the networks' settings stand.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty() && self.search.is_empty() && self.options.is_empty()
    }

    /// The guest's form.
    pub fn to_config(&self) -> DnsConfig {
        DnsConfig {
            servers: self.servers.clone(),
            search: self.search.clone(),
            options: self.options.clone(),
        }
    }
}

/// The variables of an env file's text, docker's format: `KEY=VALUE` per
/// line as written, `KEY` alone takes `host`'s value (this process's
/// environment; empty when unset, as `-e KEY` does), blank lines and `#`
/// comments skipped. `file` names it in errors.
pub fn parse_env_file(
    file: &str,
    text: &str,
    host: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>> {
    let mut env = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (key, value) = match trimmed.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (trimmed.trim_end(), None),
        };
        if key.is_empty() || key.contains(char::is_whitespace) || key.contains('\0') {
            return Err(Error::invalid(format!(
                "env file {file}, line {}: {key:?} is not a variable name",
                i + 1
            ))
            .with_hint("write KEY=VALUE or KEY per line; # starts a comment"));
        }
        env.push(match value {
            Some(v) => format!("{key}={v}"),
            None => format!("{key}={}", host(key).unwrap_or_default()),
        });
    }
    Ok(env)
}

/// What one `--security-opt` asks of the command's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityOpt {
    /// `no-new-privileges[:true|false]` (also with `=`).
    NoNewPrivileges(bool),
    /// A confinement turned off (`seccomp=unconfined`,
    /// `apparmor=unconfined`, `label=disable`, `systempaths=unconfined`):
    /// what a containerVM's process has anyway.
    Unconfined,
}

/// One of docker's `--security-opt` values (`KEY=VALUE`, or the older
/// `KEY:VALUE`). A profile or label to apply is refused: a containerVM's
/// process has no seccomp profile or LSM label of its own, the VM being
/// its boundary.
pub fn parse_security_opt(s: &str) -> Result<SecurityOpt> {
    let (key, value) = match s.split_once(['=', ':']) {
        Some((k, v)) => (k, Some(v)),
        None => (s, None),
    };
    match (key, value) {
        ("no-new-privileges", None | Some("true")) => Ok(SecurityOpt::NoNewPrivileges(true)),
        ("no-new-privileges", Some("false")) => Ok(SecurityOpt::NoNewPrivileges(false)),
        ("seccomp" | "apparmor" | "systempaths", Some("unconfined"))
        | ("label", Some("disable")) => Ok(SecurityOpt::Unconfined),
        ("seccomp" | "apparmor" | "label", Some(_)) => Err(Error::new(
            ErrorKind::NotSupported,
            format!(
                "--security-opt {s}: a containerVM's process has no {key} profile or label of its own: the VM is its boundary"
            ),
        )
        .with_hint("leave it out, or drop capabilities with --cap-drop")),
        _ => Err(Error::invalid(format!(
            "invalid --security-opt {s:?}: not an option vicport knows"
        ))
        .with_hint(
            "use no-new-privileges[:true|false], or seccomp=unconfined, apparmor=unconfined, label=disable",
        )),
    }
}

/// A process's environment from the command line, docker's way: each
/// `--env-file`'s variables in order, then each `-e` (`KEY=VALUE` as
/// written, `KEY` alone with `host`'s value, empty when unset).
pub fn command_env(
    files: &[std::path::PathBuf],
    vars: &[String],
    host: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>> {
    let mut env = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| {
            Error::invalid(format!("env file {}: {e}", f.display()))
                .with_hint("give a readable text file of KEY=VALUE lines")
        })?;
        env.extend(parse_env_file(&f.display().to_string(), &text, host)?);
    }
    env.extend(vars.iter().map(|e| {
        if e.contains('=') {
            e.clone()
        } else {
            format!("{e}={}", host(e).unwrap_or_default())
        }
    }));
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    #[test]
    fn ulimits_take_docker_forms() {
        let r = parse_ulimit("nofile=1024:4096").unwrap();
        assert_eq!((r.name.as_str(), r.soft, r.hard), ("NOFILE", 1024, 4096));
        let r = parse_ulimit("RLIMIT_CORE=unlimited").unwrap();
        assert_eq!(
            (r.name.as_str(), r.soft, r.hard),
            ("CORE", u64::MAX, u64::MAX)
        );
        assert_eq!(parse_ulimit("nproc=-1:-1").unwrap().hard, u64::MAX);
        for (bad, why) in [
            ("nofile", "no '='"),
            ("files=1", "\"FILES\" is not a resource limit"),
            ("nofile=many", "\"many\" is not a number"),
            ("nofile=10:5", "soft limit 10 is above the hard 5"),
        ] {
            let e = parse_ulimit(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn capabilities_are_every_one_less_the_dropped_plus_the_added() {
        assert_eq!(capabilities(&[], &[]).unwrap(), None);
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let c = capabilities(&[], &s(&["net_raw", "CAP_SYS_ADMIN"]))
            .unwrap()
            .unwrap();
        assert_eq!(c.effective.len(), CAPABILITIES.len() - 2);
        assert!(!c.effective.contains(&"CAP_NET_RAW".to_string()));
        assert!(!c.bounding.contains(&"CAP_SYS_ADMIN".to_string()));
        assert_eq!(c.permitted, c.effective);
        assert!(c.inheritable.is_empty() && c.ambient.is_empty());
        let c = capabilities(&s(&["NET_BIND_SERVICE"]), &s(&["all"]))
            .unwrap()
            .unwrap();
        assert_eq!(c.effective, ["CAP_NET_BIND_SERVICE"]);
        let c = capabilities(&s(&["ALL"]), &[]).unwrap().unwrap();
        assert_eq!(c.effective.len(), CAPABILITIES.len());
        let e = capabilities(&[], &s(&["NET_MAGIC"])).unwrap_err();
        assert!(
            e.to_string().contains("\"NET_MAGIC\" is not a capability"),
            "{e}"
        );
    }

    #[test]
    fn extra_hosts_take_both_families() {
        let h = ExtraHost::parse("db:10.0.9.5").unwrap();
        assert_eq!(
            (h.name.as_str(), h.address.to_string()),
            ("db", "10.0.9.5".into())
        );
        assert_eq!(
            ExtraHost::parse("db.local:[fd00::5]")
                .unwrap()
                .address
                .to_string(),
            "fd00::5"
        );
        assert_eq!(
            ExtraHost::parse("db:fd00::5").unwrap().address.to_string(),
            "fd00::5"
        );
        for (bad, why) in [
            ("db", "no ':'"),
            (":10.0.0.1", "\"\" is not a host name"),
            ("d b:10.0.0.1", "\"d b\" is not a host name"),
            ("db:ten", "\"ten\" is not an IP address"),
        ] {
            let e = ExtraHost::parse(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn dns_settings_take_addresses_and_single_words() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let d = DnsSettings::parse(
            &v(&["10.0.0.53", " fd00::53"]),
            &v(&["corp.example"]),
            &v(&["ndots:2", "edns0"]),
        )
        .unwrap();
        assert_eq!(d.servers[1].to_string(), "fd00::53");
        let c = d.to_config();
        assert_eq!(c.search, ["corp.example"]);
        assert_eq!(c.options, ["ndots:2", "edns0"]);
        assert!(DnsSettings::parse(&[], &[], &[]).unwrap().is_empty());
        for (servers, search, options, says) in [
            (
                v(&["resolver"]),
                v(&[]),
                v(&[]),
                "invalid --dns \"resolver\": not an IP address",
            ),
            (
                v(&[]),
                v(&["a b"]),
                v(&[]),
                "invalid --dns-search \"a b\": search domain",
            ),
            (v(&[]), v(&[""]), v(&[]), "must be 1 to 253 characters"),
            (
                v(&[]),
                v(&[]),
                v(&["x#y"]),
                "invalid --dns-option \"x#y\": option",
            ),
        ] {
            let e = DnsSettings::parse(&servers, &search, &options).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.to_string().contains(says), "{says}: {e}");
        }
    }

    #[test]
    fn security_opts_take_docker_forms_and_refuse_profiles() {
        for (s, want) in [
            ("no-new-privileges", SecurityOpt::NoNewPrivileges(true)),
            ("no-new-privileges:true", SecurityOpt::NoNewPrivileges(true)),
            (
                "no-new-privileges=false",
                SecurityOpt::NoNewPrivileges(false),
            ),
            ("seccomp=unconfined", SecurityOpt::Unconfined),
            ("apparmor:unconfined", SecurityOpt::Unconfined),
            ("label=disable", SecurityOpt::Unconfined),
            ("systempaths=unconfined", SecurityOpt::Unconfined),
        ] {
            assert_eq!(parse_security_opt(s).unwrap(), want, "{s}");
        }
        let e = parse_security_opt("seccomp=/etc/profile.json").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotSupported);
        assert!(e.to_string().contains("the VM is its boundary"), "{e}");
        for bad in ["no-new-privileges:maybe", "privileged", "label"] {
            let e = parse_security_opt(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn tmpfs_mounts_and_env_files() {
        let m = parse_tmpfs("/run:size=64m,noexec").unwrap();
        assert_eq!(
            (m.fstype.as_str(), m.path.as_str(), m.options.clone()),
            (
                "tmpfs",
                "/run",
                vec!["size=64m".to_string(), "noexec".into()]
            )
        );
        assert!(parse_tmpfs("/scratch").unwrap().options.is_empty());
        for bad in ["run", "/", "/a/../b"] {
            assert_eq!(
                parse_tmpfs(bad).unwrap_err().kind(),
                ErrorKind::InvalidArgument
            );
        }
        let host = |k: &str| (k == "FROM_HOST").then(|| "from-host".to_string());
        let env = parse_env_file(
            "app.env",
            "# comment\n\nA=1\n  B=two words \nC=\nFROM_HOST\nUNSET\nD==x\n",
            &host,
        )
        .unwrap();
        assert_eq!(
            env,
            [
                "A=1",
                "B=two words ",
                "C=",
                "FROM_HOST=from-host",
                "UNSET=",
                "D==x"
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.env");
        std::fs::write(&file, "A=1\nFROM_HOST\n").unwrap();
        let env = command_env(
            std::slice::from_ref(&file),
            &["B=2".into(), "FROM_HOST".into(), "UNSET".into()],
            &host,
        )
        .unwrap();
        assert_eq!(
            env,
            [
                "A=1",
                "FROM_HOST=from-host",
                "B=2",
                "FROM_HOST=from-host",
                "UNSET="
            ]
        );
        let e = command_env(&[dir.path().join("none.env")], &[], &host).unwrap_err();
        assert!(e.to_string().contains("none.env"), "{e}");
        let e = parse_env_file("app.env", "A=1\nBAD KEY=2\n", &host).unwrap_err();
        assert!(e.to_string().contains("env file app.env, line 2"), "{e}");
        assert!(parse_env_file("app.env", "=x\n", &host).is_err());
    }
}
