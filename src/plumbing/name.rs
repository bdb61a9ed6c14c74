//! Name validation for every object vicport names: domains, volumes, networks,
//! targets and image references. One rule, checked before any platform call.

use crate::plumbing::error::{Error, Result};

/// The longest name vicport accepts (a DNS label, and short enough for every
/// platform's object names).
pub const MAX_NAME_LEN: usize = 63;

/// Check an object name: 1–63 characters of `[a-z0-9_.-]`, starting with a
/// letter or digit, without `..`. `what` names the object kind in the error
/// ("domain", "volume", ...).
pub fn validate(what: &str, name: &str) -> Result<()> {
    let fail =
        |why: &str| {
            Err(Error::invalid(format!("invalid {what} name {name:?}: {why}")).with_hint(
            "use 1-63 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit",
        ))
        };
    if name.is_empty() {
        return fail("it is empty");
    }
    if name.len() > MAX_NAME_LEN {
        return fail(&format!(
            "it is {} characters long, the limit is {MAX_NAME_LEN}",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_' | '.' | '-'))
    {
        return fail(&format!("{c:?} is not allowed"));
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return fail("it must start with a letter or digit");
    }
    if name.contains("..") {
        return fail("'..' is not allowed");
    }
    Ok(())
}

/// An image reference, `NAME[:TAG]`, where NAME is one or more `/`-separated
/// components, each a valid object name. The tag defaults to `latest`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageRef {
    /// The repository part, e.g. `busybox` or `library/busybox`.
    pub name: String,
    /// The tag, e.g. `latest`.
    pub tag: String,
}

impl ImageRef {
    /// Parse and validate `NAME[:TAG]`.
    pub fn parse(reference: &str) -> Result<Self> {
        let bad = |why: &str| {
            Err(
                Error::invalid(format!("invalid image reference {reference:?}: {why}"))
                    .with_hint("use NAME[:TAG], e.g. busybox:1.36 or tools/busybox"),
            )
        };
        if reference.is_empty() {
            return bad("it is empty");
        }
        // The tag is after the last ':' that follows the last '/'.
        let (name, tag) = match reference.rfind(':') {
            Some(i) if !reference[i..].contains('/') => (&reference[..i], &reference[i + 1..]),
            _ => (reference, "latest"),
        };
        if name.is_empty() {
            return bad("the name is empty");
        }
        for (i, component) in name.split('/').enumerate() {
            if component.is_empty() {
                return bad("it has an empty path component");
            }
            // A registry host (`127.0.0.1:5000/bb`, `registry.example.com/x`)
            // may lead: the first of several components, with a port.
            if i == 0 && name.contains('/') && is_registry_host(component) {
                continue;
            }
            if let Err(e) = validate("image", component) {
                return bad(&e.to_string());
            }
        }
        if tag.is_empty()
            || tag.len() > 128
            || !tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            || !tag.as_bytes()[0].is_ascii_alphanumeric()
            || tag.contains("..")
        {
            return bad(&format!(
                "tag {tag:?} must be 1-128 characters of A-Z, a-z, 0-9, '_', '.', '-'"
            ));
        }
        Ok(ImageRef {
            name: name.to_string(),
            tag: tag.to_string(),
        })
    }
}

/// `host[:port]` as an image name's first component: a DNS name or IPv4
/// address of `[a-z0-9.-]` with a numeric port (a name without a port is an
/// ordinary component, which the same characters already make valid).
fn is_registry_host(component: &str) -> bool {
    let Some((host, port)) = component.split_once(':') else {
        return false;
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.name, self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    #[test]
    fn accepts_good_names() {
        for name in ["a", "web", "web-1", "db_2", "x.y", "0abc", &"a".repeat(63)] {
            validate("domain", name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn image_references_may_start_with_a_registry_host() {
        let r = ImageRef::parse("127.0.0.1:5000/bb:1").unwrap();
        assert_eq!(
            (r.name.as_str(), r.tag.as_str()),
            ("127.0.0.1:5000/bb", "1")
        );
        let r = ImageRef::parse("localhost:5000/tools/bb").unwrap();
        assert_eq!(
            (r.name.as_str(), r.tag.as_str()),
            ("localhost:5000/tools/bb", "latest")
        );
        for bad in ["bb/127.0.0.1:5000/x", "host:port/x", "HOST:1/x"] {
            assert!(ImageRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_bad_names_with_invalid_argument() {
        for name in [
            "",
            "-web",
            ".web",
            "_web",
            "Web",
            "a/b",
            "a..b",
            "a b",
            "é",
            &"a".repeat(64),
        ] {
            let err = validate("volume", name).expect_err(name);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{name}");
            assert!(err.to_string().contains("volume name"), "{err}");
            assert!(err.hint().is_some());
        }
    }

    #[test]
    fn image_refs_default_to_latest() {
        let r = ImageRef::parse("busybox").unwrap();
        assert_eq!((r.name.as_str(), r.tag.as_str()), ("busybox", "latest"));
        let r = ImageRef::parse("tools/busybox:1.36.1").unwrap();
        assert_eq!(r.to_string(), "tools/busybox:1.36.1");
    }

    #[test]
    fn image_refs_refuse_traversal_and_junk() {
        for bad in [
            "", ":x", "a//b", "../etc", "a/../b", "a:", "a:..", "A", "a:-x",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad}");
        }
    }
}
