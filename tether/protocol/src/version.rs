//! Protocol versions and the Hello handshake: which versions a peer speaks,
//! how two peers agree on one (the highest both speak), and how the
//! answering side (a tether, or a relay such as vicport's monitor) answers
//! a Hello.

use std::fmt;

use crate::frame::MAGIC;
use crate::message::Message;

/// The highest protocol version this crate speaks.
pub const PROTOCOL_VERSION: u32 = 7;
/// The lowest protocol version this crate speaks. Version 1's Hello
/// carried one version instead of a range, so it cannot be negotiated.
pub const MIN_PROTOCOL_VERSION: u32 = 2;

const _: () = assert!(MIN_PROTOCOL_VERSION <= PROTOCOL_VERSION);

/// An inclusive range of protocol versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions {
    /// The lowest version.
    pub min: u32,
    /// The highest version.
    pub max: u32,
}

impl Versions {
    /// What this crate speaks.
    pub const SUPPORTED: Versions = Versions {
        min: MIN_PROTOCOL_VERSION,
        max: PROTOCOL_VERSION,
    };

    /// Whether `v` is in the range.
    pub fn contains(self, v: u32) -> bool {
        (self.min..=self.max).contains(&v)
    }

    /// The highest version both ranges hold, if they overlap.
    pub fn negotiate(self, theirs: Versions) -> Option<u32> {
        let v = self.max.min(theirs.max);
        (self.contains(v) && theirs.contains(v)).then_some(v)
    }

    /// This range without the versions above `max` (a relay offers no more
    /// than the peer behind it agreed to).
    pub fn up_to(self, max: u32) -> Versions {
        Versions {
            min: self.min,
            max: self.max.min(max),
        }
    }
}

impl fmt::Display for Versions {
    /// `2..3`, both ends included.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.min, self.max)
    }
}

/// Compare secrets in constant time (for equal lengths).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    std::hint::black_box(diff) == 0
}

/// The answering side of the handshake: the version to speak on this link
/// (send HelloOk with it), or why the Hello is refused (send Refused with
/// it). `ours` is what the answering side speaks, `who` names it in the
/// reason ("this tether"). The version is checked before the token.
pub fn answer_hello(
    payload: &[u8],
    token: &[u8],
    ours: Versions,
    who: &str,
) -> Result<u32, String> {
    let hello = match Message::decode(crate::message::kind::HELLO, payload) {
        Ok(Message::Hello { versions, token }) => (versions, token),
        Ok(_) => unreachable!("a Hello payload decodes as a Hello"),
        Err(e) => {
            return Err(match version_1_hello(payload) {
                Some(v) => no_common_version(Versions { min: v, max: v }, ours, who),
                None => format!("malformed Hello: {e}"),
            });
        }
    };
    let (theirs, offered) = hello;
    let version = ours
        .negotiate(theirs)
        .ok_or_else(|| no_common_version(theirs, ours, who))?;
    if !constant_time_eq(&offered, token) {
        return Err("wrong token for this domain".into());
    }
    Ok(version)
}

fn no_common_version(theirs: Versions, ours: Versions, who: &str) -> String {
    format!("no common protocol version: the client speaks {theirs}, {who} speaks {ours}")
}

/// The version of a version-1 Hello (magic, one version, token), which a
/// range cannot be read from; so that an old client hears which versions
/// are spoken instead of "malformed".
fn version_1_hello(payload: &[u8]) -> Option<u32> {
    let rest = payload.strip_prefix(MAGIC.as_slice())?;
    let word = |at: usize| {
        rest.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let version = word(0)?;
    let token_len = word(4)? as usize;
    (rest.len() == 8 + token_len && version < MIN_PROTOCOL_VERSION).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(min: u32, max: u32) -> Versions {
        Versions { min, max }
    }

    #[test]
    fn the_highest_common_version_wins() {
        assert_eq!(v(2, 2).negotiate(v(2, 2)), Some(2));
        assert_eq!(v(2, 5).negotiate(v(3, 4)), Some(4));
        assert_eq!(v(3, 4).negotiate(v(2, 5)), Some(4));
        assert_eq!(v(2, 3).negotiate(v(3, 9)), Some(3));
        assert_eq!(v(2, 3).negotiate(v(4, 9)), None);
        assert_eq!(v(4, 9).negotiate(v(2, 3)), None);
        assert_eq!(v(2, 9).up_to(3), v(2, 3));
        assert_eq!(v(2, 3).up_to(9), v(2, 3));
        assert_eq!(v(2, 3).to_string(), "2..3");
        assert!(Versions::SUPPORTED.contains(PROTOCOL_VERSION));
    }

    fn hello(min: u32, max: u32, token: &[u8]) -> Vec<u8> {
        Message::Hello {
            versions: v(min, max),
            token: token.to_vec(),
        }
        .encode_payload()
    }

    #[test]
    fn answers_name_both_ranges_and_check_the_token() {
        let ours = v(2, 4);
        assert_eq!(
            answer_hello(&hello(2, 9, b"t"), b"t", ours, "this tether"),
            Ok(4)
        );
        assert_eq!(
            answer_hello(&hello(1, 3, b"t"), b"t", ours, "this tether"),
            Ok(3)
        );
        assert_eq!(
            answer_hello(&hello(5, 6, b"t"), b"t", ours, "this tether"),
            Err(
                "no common protocol version: the client speaks 5..6, this tether speaks 2..4"
                    .into()
            )
        );
        assert_eq!(
            answer_hello(&hello(2, 2, b"x"), b"t", ours, "this tether"),
            Err("wrong token for this domain".into())
        );
        assert_eq!(
            answer_hello(&hello(2, 2, b"tt"), b"t", ours, "this tether"),
            Err("wrong token for this domain".into())
        );
        let e = answer_hello(b"VICPORT\0\0", b"t", ours, "this tether").unwrap_err();
        assert!(e.starts_with("malformed Hello: "), "{e}");
        let e = answer_hello(&hello(3, 2, b"t"), b"t", ours, "this tether").unwrap_err();
        assert!(
            e.starts_with("malformed Hello: ") && e.contains("3..2"),
            "{e}"
        );
    }

    #[test]
    fn a_version_1_client_hears_which_versions_are_spoken() {
        let mut old = MAGIC.to_vec();
        old.extend_from_slice(&1u32.to_be_bytes());
        old.extend_from_slice(&[0, 0, 0, 2, 0xab, 0xcd]);
        assert_eq!(
            answer_hello(&old, &[0xab, 0xcd], v(2, 2), "this monitor"),
            Err(
                "no common protocol version: the client speaks 1..1, this monitor speaks 2..2"
                    .into()
            )
        );
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
