//! Users and groups of the container: `/etc/passwd` and `/etc/group`
//! parsing and `user[:group]` resolution, without libc's NSS.

use std::fmt;

/// One `/etc/passwd` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    /// Login name.
    pub name: String,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: String,
}

/// One `/etc/group` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    /// Group name.
    pub name: String,
    /// Group id.
    pub gid: u32,
    /// Member login names.
    pub members: Vec<String>,
}

/// Who a process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary group ids.
    pub groups: Vec<u32>,
    /// Home directory (for HOME).
    pub home: String,
}

/// A user spec that names nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserError {
    /// The user name is not in /etc/passwd.
    NoSuchUser(String),
    /// The group name is not in /etc/group.
    NoSuchGroup(String),
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserError::NoSuchUser(u) => {
                write!(f, "user `{u}` not found in the container's /etc/passwd")
            }
            UserError::NoSuchGroup(g) => {
                write!(f, "group `{g}` not found in the container's /etc/group")
            }
        }
    }
}

impl std::error::Error for UserError {}

/// Parse `/etc/passwd`; malformed lines are skipped, as libc does.
pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 || f[0].is_empty() {
                return None;
            }
            Some(PasswdEntry {
                name: f[0].to_string(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: f[5].to_string(),
            })
        })
        .collect()
}

/// Parse `/etc/group`; malformed lines are skipped.
pub fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 4 || f[0].is_empty() {
                return None;
            }
            Some(GroupEntry {
                name: f[0].to_string(),
                gid: f[2].parse().ok()?,
                members: f[3]
                    .split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(String::from)
                    .collect(),
            })
        })
        .collect()
}

/// Resolve `user[:group]` (names or numbers; "" is root) like Docker does:
/// a numeric user missing from passwd runs with gid 0 and home `/`;
/// supplementary groups are those listing the user's name.
pub fn resolve(
    spec: &str,
    passwd: &[PasswdEntry],
    groups: &[GroupEntry],
) -> Result<Identity, UserError> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user = if user.is_empty() { "0" } else { user };
    let entry = match user.parse::<u32>() {
        Ok(uid) => passwd.iter().find(|p| p.uid == uid),
        Err(_) => Some(
            passwd
                .iter()
                .find(|p| p.name == user)
                .ok_or_else(|| UserError::NoSuchUser(user.into()))?,
        ),
    };
    let uid = match entry {
        Some(e) => e.uid,
        None => user.parse().unwrap_or(0),
    };
    let mut gid = entry.map(|e| e.gid).unwrap_or(0);
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => groups
                .iter()
                .find(|e| e.name == g)
                .map(|e| e.gid)
                .ok_or_else(|| UserError::NoSuchGroup(g.into()))?,
        };
    }
    let mut supplementary = Vec::new();
    if let Some(e) = entry {
        for g in groups {
            if g.members.contains(&e.name) && !supplementary.contains(&g.gid) {
                supplementary.push(g.gid);
            }
        }
    }
    Ok(Identity {
        uid,
        gid,
        groups: supplementary,
        home: entry
            .map(|e| e.home.clone())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "/".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
        # comment\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        broken line\n\
        www:x:33:33:www:/var/www:/bin/false\n\
        nohome:x:1000:1000:::/bin/sh\n\
        bad:x:notanumber:0::/:/bin/sh\n";
    const GROUP: &str = "root:x:0:\n\
        www:x:33:\n\
        audio:x:29:www,nohome\n\
        video:x:44: www \n\
        garbage\n";

    #[test]
    fn parses_and_skips_malformed_lines() {
        let p = parse_passwd(PASSWD);
        assert_eq!(
            p.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["root", "daemon", "www", "nohome"]
        );
        assert_eq!(p[2].home, "/var/www");
        let g = parse_group(GROUP);
        assert_eq!(g.len(), 4);
        assert_eq!(g[2].members, vec!["www", "nohome"]);
        assert_eq!(g[3].members, vec!["www"]);
    }

    #[test]
    fn resolves_names_numbers_and_groups() {
        let p = parse_passwd(PASSWD);
        let g = parse_group(GROUP);
        let root = resolve("", &p, &g).unwrap();
        assert_eq!((root.uid, root.gid, root.home.as_str()), (0, 0, "/root"));
        let www = resolve("www", &p, &g).unwrap();
        assert_eq!((www.uid, www.gid), (33, 33));
        assert_eq!(www.groups, vec![29, 44]);
        let n = resolve("33:audio", &p, &g).unwrap();
        assert_eq!((n.uid, n.gid, n.home.as_str()), (33, 29, "/var/www"));
        let unknown = resolve("4242:77", &p, &g).unwrap();
        assert_eq!(
            (
                unknown.uid,
                unknown.gid,
                unknown.home.as_str(),
                unknown.groups.len()
            ),
            (4242, 77, "/", 0)
        );
        let nohome = resolve("nohome", &p, &g).unwrap();
        assert_eq!(nohome.home, "/");
        assert_eq!(
            resolve("nobody", &p, &g),
            Err(UserError::NoSuchUser("nobody".into()))
        );
        assert_eq!(
            resolve("www:nogroup", &p, &g),
            Err(UserError::NoSuchGroup("nogroup".into()))
        );
    }
}
