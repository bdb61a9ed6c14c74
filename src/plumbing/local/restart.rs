//! A local domain's restarts (`--restart`), kept in its directory: how
//! many its policy made since it was last started by hand, how many of
//! them in a row followed a short run (which sets the wait), and whether
//! it was stopped by hand (then its policy waits for a start).
//!
//! ```text
//! restart.json   the count, and how many of it were quick
//! stopped        written by `domain stop` and a stopping `domain kill`
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::plumbing::error::Result;
use crate::plumbing::file::{remove_file_if_exists, write_atomic};

const RECORD: &str = "restart.json";
const STOPPED: &str = "stopped";

/// What `restart.json` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Restarts since the domain was last started by hand.
    pub count: u32,
    /// Of them, the last in a row that each followed a run shorter than
    /// [`crate::plumbing::spec::restart::STEADY`].
    pub quick: u32,
}

/// The domain in `dir`'s record (none yet: zeros).
pub fn load(dir: &Path) -> Record {
    std::fs::read(dir.join(RECORD))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Write the record.
pub fn save(dir: &Path, record: &Record) -> Result<()> {
    write_atomic(
        &dir.join(RECORD),
        &serde_json::to_vec(record).expect("a record serializes"),
        0o600,
    )
}

/// A start is under way: the policy's own (`by_policy`) keeps the count;
/// one by hand starts it over, also while the policy waits or after a
/// monitor that was waiting died. Either clears a stop by hand.
pub fn starting(dir: &Path, by_policy: bool) -> Result<()> {
    remove_file_if_exists(&dir.join(STOPPED))?;
    if by_policy {
        Ok(())
    } else {
        remove_file_if_exists(&dir.join(RECORD))
    }
}

/// The domain is being stopped by hand: its policy waits for a start.
pub fn stopped_by_hand(dir: &Path) -> Result<()> {
    write_atomic(&dir.join(STOPPED), b"", 0o600)
}

/// A stop by hand that did not happen after all (a kill not delivered).
pub fn not_stopped_by_hand(dir: &Path) -> Result<()> {
    remove_file_if_exists(&dir.join(STOPPED))
}

/// Whether it was stopped by hand since its last start.
pub fn was_stopped_by_hand(dir: &Path) -> bool {
    dir.join(STOPPED).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_by_hand_starts_the_count_over_and_the_monitors_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(load(d), Record::default());
        let kept = Record { count: 3, quick: 2 };
        save(d, &kept).unwrap();
        stopped_by_hand(d).unwrap();
        starting(d, true).unwrap();
        assert_eq!(load(d), kept);
        assert!(!was_stopped_by_hand(d), "a start clears a stop");
        stopped_by_hand(d).unwrap();
        assert!(was_stopped_by_hand(d));
        starting(d, false).unwrap();
        assert_eq!(load(d), Record::default());
        // A record of an older vicport, with the field it no longer has.
        std::fs::write(d.join(RECORD), br#"{"count":2,"quick":1,"pending":true}"#).unwrap();
        assert_eq!(load(d), Record { count: 2, quick: 1 });
    }
}
