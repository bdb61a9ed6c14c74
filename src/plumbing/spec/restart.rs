//! Restart policies (`--restart`): whether a domain whose primary process
//! exited on its own is started again, how often, and how long to wait
//! between tries, as docker's are.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};

/// When a domain is started again after its primary exited on its own
/// (never after a `domain stop`, or a `domain kill` with its stop signal
/// or KILL, until it is started again by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Never.
    #[default]
    No,
    /// When it exited with a code other than 0.
    OnFailure,
    /// Whatever its code.
    Always,
    /// Whatever its code, unless it was stopped (the same as `always`
    /// here: nothing starts domains again when the host boots).
    UnlessStopped,
}

/// A restart policy: `no`, `on-failure[:MAX]`, `always`, `unless-stopped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Restart {
    pub policy: Policy,
    /// With `on-failure`: at most this many restarts in a row (0: no limit).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_retries: u32,
}

/// For `skip_serializing_if` (also `DomainInfo::restart_count`'s).
pub(super) fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The first wait before a restart; it doubles with each restart of a run
/// that lasted less than [`STEADY`], up to [`MAX_DELAY`].
pub const FIRST_DELAY: Duration = Duration::from_millis(100);
/// The longest wait before a restart.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// A run at least this long resets the wait to [`FIRST_DELAY`].
pub const STEADY: Duration = Duration::from_secs(10);

const HINT: &str = "use no, on-failure[:MAX], always or unless-stopped";

impl Restart {
    /// Parse `no`, `on-failure`, `on-failure:5`, `always`,
    /// `unless-stopped`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::invalid(format!("invalid restart policy {text:?}: {why}")).with_hint(HINT)
        };
        let (name, max) = match text.split_once(':') {
            Some((n, m)) => (n, Some(m)),
            None => (text, None),
        };
        let policy = match name {
            "no" => Policy::No,
            "on-failure" => Policy::OnFailure,
            "always" => Policy::Always,
            "unless-stopped" => Policy::UnlessStopped,
            _ => return Err(bad("not a policy")),
        };
        let max_retries = match max {
            None => 0,
            Some(_) if policy != Policy::OnFailure => {
                return Err(bad("only on-failure takes a count of retries"));
            }
            Some(m) => m
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| bad("the count of retries is not a number above 0"))?,
        };
        Ok(Restart {
            policy,
            max_retries,
        })
    }

    /// Whether this is `no`.
    pub fn is_no(&self) -> bool {
        self.policy == Policy::No
    }

    /// Whether a run whose primary exited with `code`, after `restarts`
    /// restarts in a row, is followed by another.
    pub fn again(&self, code: i32, restarts: u32) -> bool {
        match self.policy {
            Policy::No => false,
            Policy::OnFailure => {
                code != 0 && (self.max_retries == 0 || restarts < self.max_retries)
            }
            Policy::Always | Policy::UnlessStopped => true,
        }
    }
}

/// How long to wait before the next restart, after `quick` runs in a row
/// that each lasted less than [`STEADY`] (0 for the first).
pub fn delay(quick: u32) -> Duration {
    FIRST_DELAY
        .checked_mul(1u32.checked_shl(quick).unwrap_or(u32::MAX))
        .map_or(MAX_DELAY, |d| d.min(MAX_DELAY))
}

impl fmt::Display for Restart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.policy {
            Policy::No => "no",
            Policy::OnFailure => "on-failure",
            Policy::Always => "always",
            Policy::UnlessStopped => "unless-stopped",
        };
        match self.max_retries {
            0 => f.write_str(name),
            n => write!(f, "{name}:{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_as_docker_writes_them_and_print_back() {
        for text in [
            "no",
            "on-failure",
            "on-failure:5",
            "always",
            "unless-stopped",
        ] {
            assert_eq!(Restart::parse(text).unwrap().to_string(), text);
        }
        for (text, says) in [
            ("sometimes", "not a policy"),
            ("always:3", "only on-failure"),
            ("on-failure:0", "above 0"),
            ("on-failure:x", "above 0"),
        ] {
            let e = Restart::parse(text).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
            assert_eq!(e.kind(), crate::plumbing::error::ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn each_policy_restarts_what_it_says_as_often_as_it_says() {
        let p = |t: &str| Restart::parse(t).unwrap();
        assert!(!p("no").again(1, 0));
        assert!(!p("on-failure").again(0, 0));
        assert!(p("on-failure").again(3, 1000));
        assert!(p("on-failure:2").again(3, 1));
        assert!(!p("on-failure:2").again(3, 2));
        assert!(p("always").again(0, 50) && p("unless-stopped").again(137, 50));
    }

    #[test]
    fn the_wait_doubles_up_to_a_minute() {
        assert_eq!(delay(0), Duration::from_millis(100));
        assert_eq!(delay(1), Duration::from_millis(200));
        assert_eq!(delay(3), Duration::from_millis(800));
        assert_eq!(delay(10), MAX_DELAY);
        assert_eq!(delay(40), MAX_DELAY);
    }
}
