//! The config document's codec: `DomainConfig` to and from its
//! `key=value` lines, strict about the keys it knows, errors by line.

use std::collections::BTreeMap;

use super::*;

/// A document being written, line by line.
struct Doc {
    out: String,
}

impl Doc {
    fn put(&mut self, key: &str, value: &str) {
        self.out.push_str(key);
        self.out.push('=');
        self.out.push_str(&escape(value));
        self.out.push('\n');
    }
    fn list(&mut self, prefix: &str, values: impl IntoIterator<Item = String>) {
        for (i, v) in values.into_iter().enumerate() {
            self.put(&format!("{prefix}.{i}"), &v);
        }
    }
}

impl DomainConfig {
    /// Encode as a config document.
    pub fn encode(&self) -> String {
        let mut d = Doc { out: String::new() };
        d.put(VERSION_KEY, &CONFIG_VERSION.to_string());
        d.put("domain.id", &self.id);
        d.put("domain.name", &self.name);
        d.put("hostname", &self.hostname);
        d.put("token", &hex_encode(&self.token));
        d.put("link", &self.link.to_string());
        if let Some(log) = &self.log {
            d.put("log", &log.to_string());
        }
        if let Some(root) = &self.root {
            d.put("root", &root.to_string());
        }
        if self.root_discarded {
            d.put("root.discarded", "true");
        }
        if self.root_read_only {
            d.put("root.read_only", "true");
        }
        if let Some(share) = &self.root_share {
            d.put("rootfs.share", &share.tag);
            d.put("rootfs.read_only", &share.read_only.to_string());
        }
        let p = &self.process;
        d.list("process.argv", p.argv.iter().cloned());
        d.list("process.env", p.env.iter().cloned());
        d.put("process.cwd", &p.cwd);
        d.put("process.user", &p.user);
        d.put("process.tty", &p.tty.to_string());
        d.put("process.stdin", &p.stdin.to_string());
        d.put("process.wait_for_attach", &p.wait_for_attach.to_string());
        d.put("process.stop_signal", &p.stop_signal.number().to_string());
        let l = &p.limits;
        d.list("process.groups", l.groups.iter().map(|g| g.to_string()));
        d.list("process.rlimit", l.rlimits.iter().map(|r| r.to_string()));
        if let Some(caps) = &l.capabilities {
            d.put("process.caps", "true");
            for set in CAP_SETS {
                d.list(
                    &format!("process.caps.{set}"),
                    caps.set(set).iter().cloned(),
                );
            }
        }
        if l.no_new_privileges {
            d.put("process.no_new_privileges", "true");
        }
        if let Some(adj) = l.oom_score_adj {
            d.put("process.oom_score_adj", &adj.to_string());
        }
        for (i, v) in self.volumes.iter().enumerate() {
            d.put(&format!("volume.{i}.source"), &v.source.to_string());
            d.put(&format!("volume.{i}.path"), &v.path);
            d.put(&format!("volume.{i}.read_only"), &v.read_only.to_string());
            d.put(&format!("volume.{i}.format"), &v.format.to_string());
            d.put(&format!("volume.{i}.label"), &v.label);
        }
        for (i, s) in self.shares.iter().enumerate() {
            d.put(&format!("share.{i}.tag"), &s.tag);
            d.put(&format!("share.{i}.subpath"), &s.subpath);
            d.put(&format!("share.{i}.path"), &s.path);
            d.put(&format!("share.{i}.read_only"), &s.read_only.to_string());
        }
        for (i, n) in self.interfaces.iter().enumerate() {
            d.put(&format!("net.{i}.mac"), &n.mac);
            d.list(
                &format!("net.{i}.address"),
                n.addresses.iter().map(|a| a.to_string()),
            );
            if let Some(g) = n.gateway {
                d.put(&format!("net.{i}.gateway"), &g.to_string());
            }
            d.list(
                &format!("net.{i}.route"),
                n.routes.iter().map(|r| r.to_string()),
            );
            if let Some(mtu) = n.mtu {
                d.put(&format!("net.{i}.mtu"), &mtu.to_string());
            }
            d.list(&format!("net.{i}.dns"), n.dns.iter().map(|a| a.to_string()));
            d.list(&format!("net.{i}.search"), n.search.iter().cloned());
        }
        d.list("hosts", self.hosts.iter().map(HostEntry::to_string));
        d.list("dns.server", self.dns.servers.iter().map(|a| a.to_string()));
        d.list("dns.search", self.dns.search.iter().cloned());
        d.list("dns.option", self.dns.options.iter().cloned());
        for (i, m) in self.mounts.iter().enumerate() {
            d.put(&format!("mount.{i}.type"), &m.fstype);
            if !m.source.is_empty() {
                d.put(&format!("mount.{i}.source"), &m.source);
            }
            d.put(&format!("mount.{i}.path"), &m.path);
            d.list(&format!("mount.{i}.options"), m.options.iter().cloned());
        }
        d.list("masked", self.masked_paths.iter().cloned());
        d.list("readonly", self.readonly_paths.iter().cloned());
        d.list(
            "sysctl",
            self.sysctl.iter().map(|(k, v)| format!("{k}={v}")),
        );
        if !self.root_propagation.is_empty() {
            d.put("rootfs.propagation", &self.root_propagation);
        }
        d.list("device", self.devices.iter().map(DeviceNode::to_string));
        d.list("userns.uid_map", self.uid_map.iter().map(IdMap::to_string));
        d.list("userns.gid_map", self.gid_map.iter().map(IdMap::to_string));
        if self.pid_namespace {
            d.put("pidns", "true");
        }
        d.out
    }

    /// Decode a config document strictly; unknown keys are ignored.
    pub fn decode(text: &str) -> Result<DomainConfig, ConfigError> {
        let mut entries: BTreeMap<&str, (usize, String)> = BTreeMap::new();
        let mut version_seen = false;
        for (idx, raw) in text.split('\n').enumerate() {
            let line = idx + 1;
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let (key, value) = raw
                .split_once('=')
                .ok_or_else(|| err(line, "expected key=value"))?;
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'_')
            {
                return Err(err(
                    line,
                    format!("key `{}` is not [a-z0-9._]+", key.escape_debug()),
                ));
            }
            let value = unescape(value).map_err(|m| err(line, format!("{key}: {m}")))?;
            if !version_seen {
                if key != VERSION_KEY {
                    return Err(err(
                        line,
                        format!("the first line must be {VERSION_KEY}=N, found `{key}`"),
                    ));
                }
                let v: u32 = value
                    .parse()
                    .map_err(|_| err(line, format!("version `{value}` is not a number")))?;
                if v == 0 || v > CONFIG_VERSION {
                    return Err(err(
                        line,
                        format!(
                            "config version {v} not supported, this tether reads {CONFIG_VERSION}"
                        ),
                    ));
                }
                version_seen = true;
                continue;
            }
            if entries.insert(key, (line, value)).is_some() {
                return Err(err(line, format!("duplicate key `{key}`")));
            }
        }
        if !version_seen {
            return Err(err(0, format!("empty: no {VERSION_KEY} line")));
        }
        let r = Fields { entries };
        r.required("token")?;
        let token = r.parse("token", hex_decode)?.unwrap_or_default();
        let link = r
            .parse("link", |v| v.parse::<PortSpec>())?
            .ok_or_else(|| err(0, "missing key `link`"))?;
        let mut cfg = DomainConfig::new(token, link);
        cfg.id = r.string("domain.id");
        cfg.name = r.string("domain.name");
        cfg.hostname = r.string("hostname");
        cfg.log = r.parse("log", |v| v.parse::<PortSpec>())?;
        cfg.root = r.parse("root", |v| v.parse::<DiskSource>())?;
        cfg.root_discarded = r.boolean("root.discarded")?;
        cfg.root_read_only = r.boolean("root.read_only")?;
        if cfg.root_read_only && cfg.root.is_none() {
            return Err(err(
                r.line("root.read_only"),
                "root.read_only without a root disk: a shared root's mode is rootfs.read_only",
            ));
        }
        if let Some(tag) = r.parse("rootfs.share", |v| check_tag(v).map(|()| v.to_string()))? {
            if cfg.root.is_some() {
                return Err(err(
                    r.line("rootfs.share"),
                    "rootfs.share and root both name the root filesystem: give one",
                ));
            }
            cfg.root_share = Some(RootShare {
                tag,
                read_only: r.boolean("rootfs.read_only")?,
            });
        }
        for i in 0..r.count("share")? {
            let k = |f: &str| format!("share.{i}.{f}");
            let tag = r.required(&k("tag"))?;
            check_tag(&tag).map_err(|m| err(r.line(&k("tag")), format!("{}: {m}", k("tag"))))?;
            let subpath = r.string(&k("subpath"));
            check_subpath(&subpath)
                .map_err(|m| err(r.line(&k("subpath")), format!("{}: {m}", k("subpath"))))?;
            let path = r.required(&k("path"))?;
            check_container_path(&path)
                .map_err(|m| err(r.line(&k("path")), format!("{}: {m}", k("path"))))?;
            cfg.shares.push(ShareConfig {
                tag,
                subpath,
                path,
                read_only: r.boolean(&k("read_only"))?,
            });
        }
        let p = &mut cfg.process;
        p.argv = r.list("process.argv")?;
        p.env = r.list("process.env")?;
        p.cwd = r.string("process.cwd");
        p.user = r.string("process.user");
        p.tty = r.boolean("process.tty")?;
        p.stdin = r.boolean("process.stdin")?;
        p.wait_for_attach = r.boolean("process.wait_for_attach")?;
        if let Some(sig) = r.parse("process.stop_signal", |v| {
            v.parse::<i32>()
                .ok()
                .and_then(Signal::from_number)
                .ok_or_else(|| format!("`{v}` is not a protocol signal number (1-31 or 34-64)"))
        })? {
            p.stop_signal = sig;
        }
        let l = &mut cfg.process.limits;
        for (j, g) in r.list("process.groups")?.iter().enumerate() {
            l.groups.push(g.parse().map_err(|_| {
                err(
                    r.line(&format!("process.groups.{j}")),
                    format!("`{g}` is not a group id"),
                )
            })?);
        }
        for (j, v) in r.list("process.rlimit")?.iter().enumerate() {
            let key = format!("process.rlimit.{j}");
            l.rlimits.push(
                v.parse()
                    .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
            );
        }
        if r.boolean("process.caps")? {
            let mut caps = Capabilities::default();
            for set in CAP_SETS {
                let prefix = format!("process.caps.{set}");
                for (j, name) in r.list(&prefix)?.into_iter().enumerate() {
                    check_cap(&name).map_err(|m| err(r.line(&format!("{prefix}.{j}")), m))?;
                    caps.set_mut(set).push(name);
                }
            }
            l.capabilities = Some(caps);
        }
        l.no_new_privileges = r.boolean("process.no_new_privileges")?;
        l.oom_score_adj = r.parse("process.oom_score_adj", |v| {
            v.parse::<i32>()
                .ok()
                .filter(|a| (-1000..=1000).contains(a))
                .ok_or_else(|| format!("`{v}` is not a number from -1000 to 1000"))
        })?;
        for (key, out) in [
            ("masked", &mut cfg.masked_paths),
            ("readonly", &mut cfg.readonly_paths),
        ] {
            for (j, path) in r.list(key)?.into_iter().enumerate() {
                check_container_path(&path)
                    .map_err(|m| err(r.line(&format!("{key}.{j}")), format!("{key}.{j}: {m}")))?;
                out.push(path);
            }
        }
        for (j, entry) in r.list("sysctl")?.into_iter().enumerate() {
            let bad = |m: &str| err(r.line(&format!("sysctl.{j}")), format!("sysctl.{j}: {m}"));
            let (name, value) = entry.split_once('=').ok_or_else(|| bad("not NAME=VALUE"))?;
            if name.is_empty()
                || name.starts_with(['.', '/'])
                || name.split(['.', '/']).any(|p| p.is_empty() || p == "..")
                || !name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"._-/".contains(&c))
            {
                return Err(bad(&format!("`{name}` is not a kernel parameter name")));
            }
            cfg.sysctl.push((name.to_string(), value.to_string()));
        }
        if let Some(p) = r.parse("rootfs.propagation", |v| {
            if ROOT_PROPAGATIONS.contains(&v) {
                Ok(v.to_string())
            } else {
                Err(format!(
                    "`{v}` is not a propagation ({})",
                    ROOT_PROPAGATIONS.join(", ")
                ))
            }
        })? {
            cfg.root_propagation = p;
        }
        for (j, v) in r.list("device")?.iter().enumerate() {
            let key = format!("device.{j}");
            cfg.devices.push(
                v.parse()
                    .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
            );
        }
        for (prefix, out) in [
            ("userns.uid_map", &mut cfg.uid_map),
            ("userns.gid_map", &mut cfg.gid_map),
        ] {
            for (j, v) in r.list(prefix)?.iter().enumerate() {
                let key = format!("{prefix}.{j}");
                out.push(
                    v.parse()
                        .map_err(|m| err(r.line(&key), format!("{key}: {m}")))?,
                );
            }
        }
        if cfg.uid_map.is_empty() != cfg.gid_map.is_empty() {
            return Err(err(
                0,
                "userns.uid_map and userns.gid_map: a user namespace needs both maps",
            ));
        }
        cfg.pid_namespace = r.boolean("pidns")?;
        for i in 0..r.count("mount")? {
            let k = |f: &str| format!("mount.{i}.{f}");
            let fstype = r.required(&k("type"))?;
            if fstype.is_empty() || !fstype.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return Err(err(
                    r.line(&k("type")),
                    format!("{}: `{fstype}` is not a filesystem type", k("type")),
                ));
            }
            let path = r.required(&k("path"))?;
            check_container_path(&path)
                .map_err(|m| err(r.line(&k("path")), format!("{}: {m}", k("path"))))?;
            cfg.mounts.push(GuestMount {
                fstype,
                source: r.string(&k("source")),
                path,
                options: r.list(&k("options"))?,
            });
        }
        for i in 0..r.count("volume")? {
            let k = |f: &str| format!("volume.{i}.{f}");
            cfg.volumes.push(VolumeConfig {
                source: r
                    .parse(&k("source"), |v| v.parse::<DiskSource>())?
                    .ok_or_else(|| err(0, format!("missing key `{}`", k("source"))))?,
                path: r.required(&k("path"))?,
                read_only: r.boolean(&k("read_only"))?,
                format: r.boolean(&k("format"))?,
                label: r.string(&k("label")),
            });
        }
        for i in 0..r.count("net")? {
            let k = |f: &str| format!("net.{i}.{f}");
            let mac = r.required(&k("mac"))?;
            let mac_line = r.line(&k("mac"));
            if !is_mac(&mac) {
                return Err(err(mac_line, format!("`{mac}` is not a MAC address")));
            }
            cfg.interfaces.push(InterfaceConfig {
                mac: mac.to_ascii_lowercase(),
                addresses: r.parsed_list(&k("address"), str::parse::<IpPrefix>)?,
                gateway: r.parse(&k("gateway"), |v| {
                    v.parse::<IpAddr>()
                        .map_err(|_| format!("`{v}` is not an IP address"))
                })?,
                routes: r.parsed_list(&k("route"), str::parse::<RouteConfig>)?,
                mtu: r.parse(&k("mtu"), |v| match v.parse::<u32>() {
                    Ok(m) if (68..=65535).contains(&m) => Ok(m),
                    _ => Err(format!("`{v}` is not an MTU (68 to 65535)")),
                })?,
                dns: r.parsed_list(&k("dns"), |a| {
                    a.parse::<IpAddr>()
                        .map_err(|_| format!("`{a}` is not an IP address"))
                })?,
                search: r.list(&k("search"))?,
            });
        }
        cfg.dns.servers = r.parsed_list("dns.server", |a| {
            a.parse::<IpAddr>()
                .map_err(|_| format!("`{a}` is not an IP address"))
        })?;
        cfg.dns.search = r.parsed_list("dns.search", |w| {
            DnsConfig::check_word("search domain", w).map(|()| w.to_string())
        })?;
        cfg.dns.options = r.parsed_list("dns.option", |w| {
            DnsConfig::check_word("option", w).map(|()| w.to_string())
        })?;
        for (j, h) in r.list("hosts")?.iter().enumerate() {
            let line = r.line(&format!("hosts.{j}"));
            cfg.hosts.push(h.parse().map_err(|m| err(line, m))?);
        }
        Ok(cfg)
    }
}
