//! The payloads of protocol version 3's messages that look into a running
//! domain: its usage (Stats), its processes (Top), a path's metadata
//! (PathStat) and files copied in and out as tar streams (CopyOut,
//! CopyIn). Every field is OS-neutral: counters in bytes and nanoseconds,
//! POSIX-style modes and numeric owners, which a tether maps from its OS.

use crate::codec::{Dec, DecodeError, Enc, clip_str as clip};
use crate::frame::MAX_PAYLOAD;

/// A domain's usage as its guest sees it: cumulative counters since the
/// guest booted, and gauges now. CPU use over an interval is
/// `Δcpu_busy_ns / Δcpu_total_ns × cpus` (1.0 = one CPU busy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsReport {
    /// CPU time every CPU spent doing work, summed over the CPUs.
    pub cpu_busy_ns: u64,
    /// CPU time every CPU spent at all (work and idle), summed over the
    /// CPUs.
    pub cpu_total_ns: u64,
    /// CPUs online.
    pub cpus: u32,
    /// Memory in use, bytes (not reclaimable at once: caches excluded).
    pub memory_used: u64,
    /// Memory the guest has, bytes.
    pub memory_limit: u64,
    /// Bytes received on every network interface but loopback.
    pub net_rx: u64,
    /// Bytes sent on every network interface but loopback.
    pub net_tx: u64,
    /// Bytes read from every disk.
    pub block_read: u64,
    /// Bytes written to every disk.
    pub block_write: u64,
    /// Processes of the container (the tether's own excluded).
    pub processes: u32,
}

impl StatsReport {
    pub(crate) fn encode(&self, e: &mut Enc) {
        e.u64(self.cpu_busy_ns)
            .u64(self.cpu_total_ns)
            .u32(self.cpus)
            .u64(self.memory_used)
            .u64(self.memory_limit)
            .u64(self.net_rx)
            .u64(self.net_tx)
            .u64(self.block_read)
            .u64(self.block_write)
            .u32(self.processes);
    }

    pub(crate) fn decode(d: &mut Dec<'_>) -> Result<Self, DecodeError> {
        Ok(StatsReport {
            cpu_busy_ns: d.u64("cpu_busy_ns")?,
            cpu_total_ns: d.u64("cpu_total_ns")?,
            cpus: d.u32("cpus")?,
            memory_used: d.u64("memory_used")?,
            memory_limit: d.u64("memory_limit")?,
            net_rx: d.u64("net_rx")?,
            net_tx: d.u64("net_tx")?,
            block_read: d.u64("block_read")?,
            block_write: d.u64("block_write")?,
            processes: d.u32("processes")?,
        })
    }
}

/// One process of the container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessInfo {
    /// Its id in the guest.
    pub pid: u32,
    /// Its parent's id.
    pub ppid: u32,
    /// The user it runs as, by number.
    pub uid: u32,
    /// That user's name in the container's user database ("" if none).
    pub user: String,
    /// CPU time it has used, user and system, nanoseconds.
    pub cpu_time_ns: u64,
    /// Its resident memory, bytes.
    pub rss: u64,
    /// Its command line, arguments separated by spaces (or its name in
    /// brackets when it has none).
    pub command: String,
}

/// The longest user name and command line a [`ProcessInfo`] carries;
/// longer ones are cut (at a character boundary).
pub const MAX_USER: usize = 256;
/// See [`MAX_USER`].
pub const MAX_COMMAND: usize = 4096;
/// The fixed part of an encoded [`ProcessInfo`]: pid, ppid, uid, the two
/// strings' lengths, cpu time and rss.
const PROCESS_FIXED: usize = 4 + 4 + 4 + 4 + 8 + 8 + 4;

impl ProcessInfo {
    fn encoded_len(&self) -> usize {
        PROCESS_FIXED + clip(&self.user, MAX_USER).len() + clip(&self.command, MAX_COMMAND).len()
    }

    fn encode(&self, e: &mut Enc) {
        e.u32(self.pid)
            .u32(self.ppid)
            .u32(self.uid)
            .str(clip(&self.user, MAX_USER))
            .u64(self.cpu_time_ns)
            .u64(self.rss)
            .str(clip(&self.command, MAX_COMMAND));
    }

    fn decode(d: &mut Dec<'_>) -> Result<Self, DecodeError> {
        Ok(ProcessInfo {
            pid: d.u32("pid")?,
            ppid: d.u32("ppid")?,
            uid: d.u32("uid")?,
            user: d.string_max("user", MAX_USER)?,
            cpu_time_ns: d.u64("cpu_time_ns")?,
            rss: d.u64("rss")?,
            command: d.string_max("command", MAX_COMMAND)?,
        })
    }
}

pub(crate) fn encode_processes(e: &mut Enc, more: bool, list: &[ProcessInfo]) {
    e.bool(more).u32(list.len() as u32);
    for p in list {
        p.encode(e);
    }
}

pub(crate) fn decode_processes(d: &mut Dec<'_>) -> Result<(bool, Vec<ProcessInfo>), DecodeError> {
    let more = d.bool("more")?;
    let n = d.u32("processes")? as usize;
    // Each entry takes at least its fixed part: bound the count by what
    // remains before allocating.
    if n > d.remaining() / PROCESS_FIXED {
        return Err(DecodeError::Truncated("processes"));
    }
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(ProcessInfo::decode(d)?);
    }
    Ok((more, list))
}

/// Cut a process list into the payloads of as many Processes frames as it
/// takes (at least one; `more` is set on all but the last).
pub fn split_processes(list: Vec<ProcessInfo>) -> Vec<(bool, Vec<ProcessInfo>)> {
    let mut parts: Vec<Vec<ProcessInfo>> = vec![Vec::new()];
    let mut size = 1 + 4;
    for p in list {
        let n = p.encoded_len();
        if size + n > MAX_PAYLOAD {
            parts.push(Vec::new());
            size = 1 + 4;
        }
        size += n;
        parts.last_mut().expect("one part at least").push(p);
    }
    let last = parts.len() - 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (i < last, p))
        .collect()
}

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathKind {
    /// Nothing: the path, or a directory on its way, does not exist.
    #[default]
    Absent = 0,
    /// A regular file.
    File = 1,
    /// A directory.
    Directory = 2,
    /// A symbolic link (only when the path's last link is not followed).
    Symlink = 3,
    /// Anything else: a device, a FIFO, a socket.
    Other = 4,
}

/// A path's metadata inside the container, answering PathStat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathInfo {
    /// What it is.
    pub kind: PathKind,
    /// Its permission bits (POSIX `07777`: setuid, setgid, sticky, rwx).
    pub mode: u32,
    /// Its owner, by number.
    pub uid: u32,
    /// Its group, by number.
    pub gid: u32,
    /// Its size in bytes (files; 0 for directories on some guests).
    pub size: u64,
    /// When its content last changed, unix nanoseconds.
    pub mtime: u64,
    /// A symbolic link's target ("" otherwise).
    pub link_target: String,
}

impl PathInfo {
    pub(crate) fn encode(&self, e: &mut Enc) {
        e.u8(self.kind as u8)
            .u32(self.mode)
            .u32(self.uid)
            .u32(self.gid)
            .u64(self.size)
            .u64(self.mtime)
            .str(&self.link_target);
    }

    pub(crate) fn decode(d: &mut Dec<'_>) -> Result<Self, DecodeError> {
        let kind = match d.u8("kind")? {
            0 => PathKind::Absent,
            1 => PathKind::File,
            2 => PathKind::Directory,
            3 => PathKind::Symlink,
            4 => PathKind::Other,
            v => return Err(DecodeError::Invalid(format!("unknown path kind {v}"))),
        };
        let mode = d.u32("mode")?;
        if mode & !0o7777 != 0 {
            return Err(DecodeError::Invalid(format!(
                "mode {mode:#o} has bits beyond 07777"
            )));
        }
        Ok(PathInfo {
            kind,
            mode,
            uid: d.u32("uid")?,
            gid: d.u32("gid")?,
            size: d.u64("size")?,
            mtime: d.u64("mtime")?,
            link_target: d.string("link_target")?,
        })
    }
}

/// Copy a path out of the container as a tar stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyOutRequest {
    /// The path inside the container; its last component is not followed
    /// when it is a symbolic link (the link itself is copied).
    pub path: String,
    /// The name the path's own entry has in the archive (one component,
    /// or "." for a directory's contents).
    pub name: String,
    /// Initial stdout credit, as in Exec.
    pub window: u32,
}

/// Why a copy failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFailure {
    /// Anything else.
    Other = 0,
    /// The path, or a directory on its way, does not exist.
    NotFound = 1,
    /// A path that must be a directory is not one.
    NotADirectory = 2,
    /// The guest refused access.
    PermissionDenied = 3,
    /// The guest's disk is full.
    NoSpace = 4,
    /// The archive is not a tar stream this tether reads, or holds a name
    /// that would leave the destination.
    BadArchive = 5,
    /// An entry would replace a directory with a non-directory, or the
    /// other way round.
    Conflict = 6,
}

impl CopyFailure {
    pub(crate) fn from_u8(v: u8) -> Result<Self, DecodeError> {
        Ok(match v {
            0 => CopyFailure::Other,
            1 => CopyFailure::NotFound,
            2 => CopyFailure::NotADirectory,
            3 => CopyFailure::PermissionDenied,
            4 => CopyFailure::NoSpace,
            5 => CopyFailure::BadArchive,
            6 => CopyFailure::Conflict,
            v => return Err(DecodeError::Invalid(format!("unknown copy failure {v}"))),
        })
    }
}

/// Whether `name` may be the name of a CopyOut's top entry: one path
/// component (no `/`, not `..`, not empty, no NUL), or `.`.
pub fn valid_copy_name(name: &str) -> bool {
    !name.is_empty() && name != ".." && !name.contains(['/', '\0'])
}
