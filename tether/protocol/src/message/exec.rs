//! The payloads of Exec and ExecLimited: the process, and the limits
//! ExecLimited adds, checked as the config document checks them.

use crate::codec::{Dec, DecodeError, Enc};
use crate::config::{Capabilities, ProcessLimits, Rlimit, check_cap};

use super::ExecRequest;

pub(super) fn encode_exec(e: &mut Enc, r: &ExecRequest) {
    e.strs(&r.argv)
        .strs(&r.env)
        .str(&r.cwd)
        .str(&r.user)
        .bool(r.tty)
        .u32(r.rows.into())
        .u32(r.cols.into())
        .bool(r.stdin)
        .u32(r.window);
}

pub(super) fn decode_exec(d: &mut Dec<'_>) -> Result<ExecRequest, DecodeError> {
    Ok(ExecRequest {
        argv: d.strings("argv")?,
        env: d.strings("env")?,
        cwd: d.string("cwd")?,
        user: d.string("user")?,
        tty: d.bool("tty")?,
        rows: d.u16("rows")?,
        cols: d.u16("cols")?,
        stdin: d.bool("stdin")?,
        window: d.u32("window")?,
    })
}

/// Limits: groups (u32 count + u32s), rlimits (u32 count + name string,
/// soft u64, hard u64), capabilities (bool present, then five string
/// lists: bounding, effective, inheritable, permitted, ambient),
/// no_new_privileges bool, oom_score_adj (bool present, i32).
pub(super) fn encode_limits(e: &mut Enc, l: &ProcessLimits) {
    e.u32(l.groups.len() as u32);
    for g in &l.groups {
        e.u32(*g);
    }
    e.u32(l.rlimits.len() as u32);
    for r in &l.rlimits {
        e.str(&r.name).u64(r.soft).u64(r.hard);
    }
    e.bool(l.capabilities.is_some());
    if let Some(c) = &l.capabilities {
        e.strs(&c.bounding)
            .strs(&c.effective)
            .strs(&c.inheritable)
            .strs(&c.permitted)
            .strs(&c.ambient);
    }
    e.bool(l.no_new_privileges)
        .bool(l.oom_score_adj.is_some())
        .i32(l.oom_score_adj.unwrap_or(0));
}

pub(super) fn decode_limits(d: &mut Dec<'_>) -> Result<ProcessLimits, DecodeError> {
    let invalid = |m: String| DecodeError::Invalid(m);
    let n = d.u32("groups")? as usize;
    if n > d.remaining() / 4 {
        return Err(DecodeError::Truncated("groups"));
    }
    let groups = (0..n)
        .map(|_| d.u32("group"))
        .collect::<Result<Vec<_>, _>>()?;
    let n = d.u32("rlimits")? as usize;
    // Each takes at least 20 bytes (an empty name and two u64s).
    if n > d.remaining() / 20 {
        return Err(DecodeError::Truncated("rlimits"));
    }
    let mut rlimits = Vec::with_capacity(n);
    for _ in 0..n {
        let name = d.string("rlimit name")?;
        let (soft, hard) = (d.u64("rlimit soft")?, d.u64("rlimit hard")?);
        let r: Rlimit = format!("{name} {soft} {hard}").parse().map_err(invalid)?;
        rlimits.push(r);
    }
    let capabilities = if d.bool("capabilities")? {
        let mut c = Capabilities {
            bounding: d.strings("bounding")?,
            effective: d.strings("effective")?,
            inheritable: d.strings("inheritable")?,
            permitted: d.strings("permitted")?,
            ambient: d.strings("ambient")?,
        };
        for set in [
            &mut c.bounding,
            &mut c.effective,
            &mut c.inheritable,
            &mut c.permitted,
            &mut c.ambient,
        ] {
            for name in set.iter() {
                check_cap(name).map_err(invalid)?;
            }
        }
        Some(c)
    } else {
        None
    };
    let no_new_privileges = d.bool("no_new_privileges")?;
    let has_oom = d.bool("oom_score_adj present")?;
    let adj = d.i32("oom_score_adj")?;
    if has_oom && !(-1000..=1000).contains(&adj) {
        return Err(invalid(format!(
            "oom_score_adj {adj} is not in -1000..1000"
        )));
    }
    // One encoding per message: an absent adjustment is written as 0.
    if !has_oom && adj != 0 {
        return Err(invalid(format!(
            "oom_score_adj {adj} given as absent: an absent one is 0"
        )));
    }
    Ok(ProcessLimits {
        groups,
        rlimits,
        capabilities,
        no_new_privileges,
        oom_score_adj: has_oom.then_some(adj),
    })
}
