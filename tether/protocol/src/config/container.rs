//! What a container is given beyond its disks and network: host
//! directories shared into it, the filesystems the guest makes in it, and
//! what its process may do (groups, resource limits, capabilities); with
//! the checks the decoder (and ExecLimited's) applies to them.

use std::fmt;
use std::str::FromStr;

/// The root filesystem as a host directory shared into the guest (local
/// platform: virtio-fs), instead of a root disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootShare {
    /// The share's tag (how the guest finds it).
    pub tag: String,
    /// Mount it read-only.
    pub read_only: bool,
}

/// A host directory, or one file or directory inside it, shared into the
/// container at a path (a bind mount across the VM boundary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareConfig {
    /// The share's tag.
    pub tag: String,
    /// What inside the share is bound: a relative path ("" = all of it).
    pub subpath: String,
    /// Where in the container.
    pub path: String,
    /// Bound read-only.
    pub read_only: bool,
}

/// A filesystem the guest makes in the container (proc, sysfs, tmpfs,
/// devpts, mqueue, cgroup), OCI-style: its type, where, and its options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuestMount {
    /// The filesystem type (`tmpfs`, `mqueue`, `cgroup`, ...).
    pub fstype: String,
    /// The source the mount table shows (`shm` for a /dev/shm, as runc
    /// names it); empty: the type's name.
    pub source: String,
    /// Where in the container.
    pub path: String,
    /// Mount options (`nosuid`, `ro`, `mode=755`, ...).
    pub options: Vec<String>,
}

/// The longest share tag (virtio-fs keeps 36 bytes).
pub const MAX_TAG_LEN: usize = 36;

/// Check a share tag: 1-36 bytes of `[A-Za-z0-9._-]`.
pub fn check_tag(tag: &str) -> Result<(), String> {
    if tag.is_empty()
        || tag.len() > MAX_TAG_LEN
        || !tag
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
    {
        return Err(format!(
            "`{tag}` is not a share tag (1-{MAX_TAG_LEN} characters of A-Z, a-z, 0-9, '.', '_', '-')"
        ));
    }
    Ok(())
}

/// The names of a container path (empty ones and `.` left out).
pub fn path_names(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect()
}

/// Whether container path `inner` lies inside `outer` (not the same
/// path): the rule by which the tether mounts a container's mounts
/// parents first, and the host makes a read-only root's mount points.
pub fn lies_inside(inner: &str, outer: &str) -> bool {
    let (i, o) = (path_names(inner), path_names(outer));
    i.len() > o.len() && i.starts_with(&o)
}

/// Check a path inside the container: absolute, without `..`.
pub(crate) fn check_container_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') || path.split('/').any(|c| c == "..") {
        return Err(format!("`{path}` is not an absolute path without `..`"));
    }
    Ok(())
}

/// Check a path inside a share: relative, without `..` ("" is the share).
pub(crate) fn check_subpath(path: &str) -> Result<(), String> {
    if path.starts_with('/') || path.split('/').any(|c| c == "..") {
        return Err(format!("`{path}` is not a relative path without `..`"));
    }
    Ok(())
}

/// A resource limit, by its POSIX name without `RLIMIT_` (`NOFILE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rlimit {
    /// `NOFILE`, `NPROC`, `CORE`, … (upper case).
    pub name: String,
    /// The soft limit.
    pub soft: u64,
    /// The hard limit (at least the soft one).
    pub hard: u64,
}

/// The capability sets of a process, by name (`CAP_CHOWN`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// The bounding set.
    pub bounding: Vec<String>,
    /// The effective set.
    pub effective: Vec<String>,
    /// The inheritable set.
    pub inheritable: Vec<String>,
    /// The permitted set.
    pub permitted: Vec<String>,
    /// The ambient set.
    pub ambient: Vec<String>,
}

/// What a process may do beyond its user: every field's default leaves the
/// tether's own (a root process with every capability).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessLimits {
    /// Supplementary group ids, instead of the groups the container's
    /// group file lists for the user (empty: those).
    pub groups: Vec<u32>,
    /// Resource limits to set.
    pub rlimits: Vec<Rlimit>,
    /// The capability sets (None: left as they are).
    pub capabilities: Option<Capabilities>,
    /// Set no_new_privs: exec never gains privileges.
    pub no_new_privileges: bool,
    /// The OOM killer's score adjustment, -1000..1000.
    pub oom_score_adj: Option<i32>,
}

/// The sets of [`Capabilities`], by their key in the document.
pub(crate) const CAP_SETS: [&str; 5] = [
    "bounding",
    "effective",
    "inheritable",
    "permitted",
    "ambient",
];

impl Capabilities {
    pub(crate) fn set(&self, name: &str) -> &Vec<String> {
        match name {
            "bounding" => &self.bounding,
            "effective" => &self.effective,
            "inheritable" => &self.inheritable,
            "permitted" => &self.permitted,
            _ => &self.ambient,
        }
    }
    pub(crate) fn set_mut(&mut self, name: &str) -> &mut Vec<String> {
        match name {
            "bounding" => &mut self.bounding,
            "effective" => &mut self.effective,
            "inheritable" => &mut self.inheritable,
            "permitted" => &mut self.permitted,
            _ => &mut self.ambient,
        }
    }
}

impl fmt::Display for Rlimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.soft, self.hard)
    }
}

impl FromStr for Rlimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not NAME SOFT HARD (e.g. NOFILE 1024 4096)");
        let mut words = s.split(' ');
        let (Some(name), Some(soft), Some(hard), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_uppercase() || c == b'_') {
            return Err(bad());
        }
        let soft: u64 = soft.parse().map_err(|_| bad())?;
        let hard: u64 = hard.parse().map_err(|_| bad())?;
        if soft > hard {
            return Err(format!("`{s}`: the soft limit is above the hard one"));
        }
        Ok(Rlimit {
            name: name.into(),
            soft,
            hard,
        })
    }
}

/// Check a capability name: `CAP_` and upper-case letters, digits, `_`.
pub(crate) fn check_cap(name: &str) -> Result<(), String> {
    match name.strip_prefix("CAP_") {
        Some(rest)
            if !rest.is_empty()
                && rest
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_') =>
        {
            Ok(())
        }
        _ => Err(format!(
            "`{name}` is not a capability name such as CAP_CHOWN"
        )),
    }
}

/// A device node the guest makes in the container (the runtime spec's
/// `linux.devices`): `TYPE MAJOR MINOR MODE UID GID PATH` in the document,
/// the mode in octal (`c 10 200 0666 0 0 /dev/net/tun`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceNode {
    /// `c` (character), `b` (block) or `p` (FIFO).
    pub kind: char,
    pub major: u32,
    pub minor: u32,
    /// Its permission bits (at most 0o7777).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Where in the container: absolute, without `..`.
    pub path: String,
}

impl fmt::Display for DeviceNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {:04o} {} {} {}",
            self.kind, self.major, self.minor, self.mode, self.uid, self.gid, self.path
        )
    }
}

impl FromStr for DeviceNode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not TYPE MAJOR MINOR MODE UID GID PATH (c 1 3 0666 0 0 /dev/null)")
        };
        let w: Vec<&str> = s.splitn(7, ' ').collect();
        let [kind, major, minor, mode, uid, gid, path] = w[..] else {
            return Err(bad());
        };
        let kind = match kind {
            "c" | "b" | "p" => kind.chars().next().unwrap_or('c'),
            _ => return Err(format!("`{s}`: the type is c, b or p, not `{kind}`")),
        };
        let mode = u32::from_str_radix(mode, 8)
            .ok()
            .filter(|m| *m <= 0o7777)
            .ok_or_else(|| format!("`{s}`: the mode `{mode}` is not octal permission bits"))?;
        let n = |v: &str| v.parse::<u32>().map_err(|_| bad());
        check_container_path(path).map_err(|m| format!("`{s}`: {m}"))?;
        Ok(DeviceNode {
            kind,
            major: n(major)?,
            minor: n(minor)?,
            mode,
            uid: n(uid)?,
            gid: n(gid)?,
            path: path.to_string(),
        })
    }
}

/// One line of a user namespace's uid or gid map: ids `container ..
/// container + size` are the guest's `host ..` (`CONTAINER HOST SIZE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMap {
    pub container: u32,
    pub host: u32,
    pub size: u32,
}

impl fmt::Display for IdMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.container, self.host, self.size)
    }
}

impl FromStr for IdMap {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not CONTAINER HOST SIZE (0 1000 65536)");
        let w: Vec<u32> = s
            .split(' ')
            .map(|v| v.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        let [container, host, size] = w[..] else {
            return Err(bad());
        };
        let map = IdMap {
            container,
            host,
            size,
        };
        map.check().map_err(|m| format!("`{s}`: {m}"))?;
        Ok(map)
    }
}

impl IdMap {
    /// Check that the range is not empty and ends below 2^32 on both sides.
    pub fn check(&self) -> Result<(), String> {
        if self.size == 0
            || self.container.checked_add(self.size - 1).is_none()
            || self.host.checked_add(self.size - 1).is_none()
        {
            return Err("the range is empty or runs past 2^32".into());
        }
        Ok(())
    }
}
