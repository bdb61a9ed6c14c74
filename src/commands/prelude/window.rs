//! `--since` and `--until` of `logs` and `events`: a point in time as a
//! user writes one, and where a record's RFC 3339 stamp falls against them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Args;

/// Parse a point in time: an RFC 3339 time (`2026-12-07T05:30:00Z`, a
/// fraction and a space instead of `T` allowed, no zone read as UTC),
/// unix seconds (`1765085400`, a fraction allowed), or a duration before
/// now (`10m`, `1h30m`).
pub fn parse_time(text: &str) -> Result<SystemTime, String> {
    parse_time_at(text, SystemTime::now())
}

fn parse_time_at(text: &str, now: SystemTime) -> Result<SystemTime, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>()
        && secs.is_finite()
        && secs >= 0.0
    {
        return Ok(UNIX_EPOCH + Duration::from_secs_f64(secs));
    }
    if let Ok(t) = humantime::parse_rfc3339_weak(text) {
        return Ok(t);
    }
    // A zone other than Z: humantime reads only UTC.
    if let Some(t) = with_offset(text) {
        return Ok(t);
    }
    match humantime::parse_duration(text) {
        Ok(ago) => now
            .checked_sub(ago)
            .ok_or_else(|| format!("{text} ago is before 1970")),
        Err(_) => Err(format!(
            "{text:?} is not a time: use an RFC 3339 time (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m, 1h30m)"
        )),
    }
}

/// `…±HH:MM` (RFC 3339 with an offset), as the UTC time it names.
fn with_offset(text: &str) -> Option<SystemTime> {
    let (base, sign, offset) = match text.len().checked_sub(6) {
        Some(at) if text.is_char_boundary(at) => {
            let (base, zone) = text.split_at(at);
            let sign = match zone.as_bytes()[0] {
                b'+' => 1i64,
                b'-' => -1,
                _ => return None,
            };
            (base, sign, &zone[1..])
        }
        _ => return None,
    };
    let (h, m) = offset.split_once(':')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let local = humantime::parse_rfc3339_weak(base).ok()?;
    let shift = Duration::from_secs(h * 3600 + m * 60);
    // 05:30+02:00 is 03:30 in UTC.
    if sign > 0 {
        local.checked_sub(shift)
    } else {
        local.checked_add(shift)
    }
}

/// The `--since` and `--until` flags (of a command that has `--follow`).
#[derive(Debug, Clone, Args, Default)]
pub struct WindowArgs {
    /// Only what came at or after this time: RFC 3339
    /// (2026-12-07T05:30:00Z), unix seconds, or a duration before now
    /// (10m)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<SystemTime>,
    /// Only what came before this time (same forms as --since; not with
    /// --follow)
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "follow")]
    pub until: Option<SystemTime>,
}

/// Where a record stands against a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before `--since`: skip it.
    Before,
    /// In the window (or its stamp could not be read): keep it.
    In,
    /// At or after `--until`: stop, records come in time order.
    After,
}

impl WindowArgs {
    /// Where a record stamped `time` (RFC 3339) stands.
    pub fn place(&self, time: &str) -> Place {
        let Ok(t) = humantime::parse_rfc3339_weak(time)
            .or_else(|_| with_offset(time).ok_or(humantime::TimestampError::InvalidFormat))
        else {
            return Place::In;
        };
        if self.since.is_some_and(|s| t < s) {
            Place::Before
        } else if self.until.is_some_and(|u| t >= u) {
            Place::After
        } else {
            Place::In
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn times_are_read_in_every_form_a_user_writes() {
        let now = at(1_765_085_400 + 3600);
        for (text, want) in [
            ("2025-12-07T05:30:00Z", at(1_765_085_400)),
            ("2025-12-07 05:30:00", at(1_765_085_400)),
            ("2025-12-07T07:30:00+02:00", at(1_765_085_400)),
            ("2025-12-07T04:30:00-01:00", at(1_765_085_400)),
            ("1765085400", at(1_765_085_400)),
            ("1h", at(1_765_085_400)),
            ("30m", at(1_765_085_400 + 1800)),
        ] {
            assert_eq!(parse_time_at(text, now), Ok(want), "{text}");
        }
        assert_eq!(
            parse_time_at("1765085400.5", now),
            Ok(at(1_765_085_400) + Duration::from_millis(500))
        );
        let bad = parse_time_at("yesterday", now).unwrap_err();
        assert!(bad.contains("\"yesterday\" is not a time"), "{bad}");
        assert!(parse_time_at("2025-12-07T05:30:00+25:00", now).is_err());
        assert!(parse_time_at("-5", now).is_err());
    }

    #[test]
    fn records_fall_before_in_or_after_the_window() {
        let w = WindowArgs {
            since: Some(at(1_765_085_400)),
            until: Some(at(1_765_085_460)),
        };
        assert_eq!(w.place("2025-12-07T05:29:59.999999999Z"), Place::Before);
        assert_eq!(w.place("2025-12-07T05:30:00Z"), Place::In);
        assert_eq!(w.place("2025-12-07T05:30:59.5Z"), Place::In);
        assert_eq!(w.place("2025-12-07T05:31:00Z"), Place::After);
        assert_eq!(w.place("2025-12-07T06:30:30+01:00"), Place::In);
        assert_eq!(w.place("not a time"), Place::In);
        let open = WindowArgs::default();
        assert_eq!(open.place("1970-01-01T00:00:00Z"), Place::In);
    }
}
