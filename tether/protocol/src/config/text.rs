//! The config document's line format: value escapes, hex, and the reader
//! of `key=value` entries with indexed lists and groups.

use std::collections::BTreeMap;

use super::{ConfigError, err};

/// Escape a value: `\\`, `\n`, `\r`, `\t` and `\xHH` for other control bytes.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Undo [`escape`]; the result must be UTF-8.
pub fn unescape(v: &str) -> Result<String, String> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'\\') => out.push(b'\\'),
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'x') => {
                let hex = b
                    .get(i + 2..i + 4)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| "`\\x` must be followed by two hex digits".to_string())?;
                out.push(hex);
                i += 2;
            }
            Some(c) => return Err(format!("unknown escape `\\{}`", *c as char)),
            None => return Err("value ends with a lone backslash".into()),
        }
        i += 2;
    }
    String::from_utf8(out).map_err(|_| "escaped value is not UTF-8".into())
}

/// Lower-case hex.
pub fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Parse hex (either case, even length).
pub fn hex_decode(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("`{s}` is not an even-length hex string"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// The document's entries by key, with their line numbers.
pub(super) struct Fields<'a> {
    pub(super) entries: BTreeMap<&'a str, (usize, String)>,
}

impl Fields<'_> {
    pub(super) fn line(&self, key: &str) -> usize {
        self.entries.get(key).map(|e| e.0).unwrap_or(0)
    }
    pub(super) fn string(&self, key: &str) -> String {
        self.entries
            .get(key)
            .map(|e| e.1.clone())
            .unwrap_or_default()
    }
    pub(super) fn required(&self, key: &str) -> Result<String, ConfigError> {
        self.entries
            .get(key)
            .map(|e| e.1.clone())
            .ok_or_else(|| err(0, format!("missing key `{key}`")))
    }
    pub(super) fn parse<T>(
        &self,
        key: &str,
        f: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        match self.entries.get(key) {
            None => Ok(None),
            Some((line, v)) => f(v)
                .map(Some)
                .map_err(|m| err(*line, format!("{key}: {m}"))),
        }
    }
    pub(super) fn boolean(&self, key: &str) -> Result<bool, ConfigError> {
        Ok(self
            .parse(key, |v| match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(format!("`{v}` is not true or false")),
            })?
            .unwrap_or(false))
    }
    /// [`list`](Self::list), each entry parsed with `f`; an error names
    /// the entry's line.
    pub(super) fn parsed_list<T>(
        &self,
        prefix: &str,
        f: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Vec<T>, ConfigError> {
        self.list(prefix)?
            .iter()
            .enumerate()
            .map(|(j, v)| f(v).map_err(|m| err(self.line(&format!("{prefix}.{j}")), m)))
            .collect()
    }
    /// The entries `prefix.N` (exactly one more component), contiguous from 0.
    pub(super) fn list(&self, prefix: &str) -> Result<Vec<String>, ConfigError> {
        let p = format!("{prefix}.");
        let mut items: BTreeMap<usize, String> = BTreeMap::new();
        for (k, (line, v)) in self.entries.range(p.as_str()..) {
            let Some(rest) = k.strip_prefix(p.as_str()) else {
                break;
            };
            if rest.contains('.') {
                continue;
            }
            let i = parse_index(rest)
                .ok_or_else(|| err(*line, format!("`{k}`: `{rest}` is not a list index")))?;
            items.insert(i, v.clone());
        }
        check_contiguous(prefix, items.keys().copied(), |i| {
            self.line(&format!("{prefix}.{i}"))
        })?;
        Ok(items.into_values().collect())
    }
    /// The number of `prefix.N.*` groups, contiguous from 0.
    pub(super) fn count(&self, prefix: &str) -> Result<usize, ConfigError> {
        let p = format!("{prefix}.");
        let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
        for (k, (line, _)) in self.entries.range(p.as_str()..) {
            let Some(rest) = k.strip_prefix(p.as_str()) else {
                break;
            };
            let idx = rest.split('.').next().unwrap_or("");
            let i = parse_index(idx)
                .ok_or_else(|| err(*line, format!("`{k}`: `{idx}` is not a list index")))?;
            seen.entry(i).or_insert(*line);
        }
        check_contiguous(prefix, seen.keys().copied(), |i| {
            seen.get(&i).copied().unwrap_or(0)
        })?;
        Ok(seen.len())
    }
}

fn parse_index(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 6 || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

fn check_contiguous(
    prefix: &str,
    keys: impl Iterator<Item = usize>,
    line_of: impl Fn(usize) -> usize,
) -> Result<(), ConfigError> {
    for (expected, got) in keys.enumerate() {
        if got != expected {
            return Err(err(
                line_of(got),
                format!(
                    "`{prefix}.{got}` without `{prefix}.{expected}`: list indexes must count from 0"
                ),
            ));
        }
    }
    Ok(())
}
