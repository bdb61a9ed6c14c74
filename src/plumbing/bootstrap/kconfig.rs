//! Kernel configuration fragments: parsing one (`CONFIG_X=y`, `# CONFIG_X
//! is not set`), laying it over a `.config` as the kernel's
//! `merge_config.sh` does, and checking that every line still holds once
//! Kconfig has resolved the dependencies (`make olddefconfig` silently drops
//! a symbol whose dependencies are off).

use std::collections::BTreeMap;

/// What a fragment asks of one symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `CONFIG_X=<value>` (`y`, a number, a quoted string).
    Value(String),
    /// `# CONFIG_X is not set`.
    Off,
}

impl Setting {
    /// The `.config` line that says it.
    fn line(&self, symbol: &str) -> String {
        match self {
            Setting::Value(v) => format!("{symbol}={v}"),
            Setting::Off => format!("# {symbol} is not set"),
        }
    }
}

/// A parsed fragment: symbols (with their `CONFIG_` prefix) in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub settings: Vec<(String, Setting)>,
}

/// One line of a fragment that does not hold in a final `.config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub symbol: String,
    pub wanted: Setting,
    /// What the `.config` says (`None`: the symbol is not there at all,
    /// which Kconfig does for a symbol whose dependencies are off).
    pub got: Option<Setting>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let say = |s: &Setting| match s {
            Setting::Value(v) => v.clone(),
            Setting::Off => "not set".into(),
        };
        write!(
            f,
            "{} wanted {}, got {}",
            self.symbol,
            say(&self.wanted),
            self.got
                .as_ref()
                .map_or("nothing (a dependency is off)".into(), say)
        )
    }
}

fn symbol_ok(symbol: &str) -> bool {
    symbol
        .strip_prefix("CONFIG_")
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// A `.config` or fragment line's symbol and setting; `None` for blank
/// lines and other comments.
fn parse_line(line: &str) -> Option<(&str, Setting)> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("# ") {
        let symbol = rest.strip_suffix(" is not set")?;
        return symbol_ok(symbol).then_some((symbol, Setting::Off));
    }
    if line.starts_with('#') || line.is_empty() {
        return None;
    }
    let (symbol, value) = line.split_once('=')?;
    Some((symbol, Setting::Value(value.to_string())))
}

impl Fragment {
    /// Parse a fragment. Every line is blank, a comment, `CONFIG_X=value`
    /// or `# CONFIG_X is not set`; a symbol may appear once. Errors name
    /// the line.
    pub fn parse(text: &str) -> Result<Fragment, String> {
        let mut settings: Vec<(String, Setting)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let at = || format!("line {}: `{}`", i + 1, raw.trim());
            let Some((symbol, setting)) = parse_line(raw) else {
                let line = raw.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    return Err(format!("{}: not CONFIG_X=value", at()));
                }
                continue;
            };
            if !symbol_ok(symbol) {
                return Err(format!("{}: {symbol:?} is not a CONFIG_ symbol", at()));
            }
            if let Setting::Value(v) = &setting {
                if v.is_empty() {
                    return Err(format!("{}: no value", at()));
                }
            }
            if settings.iter().any(|(s, _)| s == symbol) {
                return Err(format!("{}: {symbol} is set twice", at()));
            }
            settings.push((symbol.to_string(), setting));
        }
        if settings.is_empty() {
            return Err("the fragment sets no symbol".into());
        }
        Ok(Fragment { settings })
    }

    /// `config` with every symbol of the fragment set as the fragment says,
    /// as `merge_config.sh` does it: the config's own lines for those
    /// symbols are dropped and the fragment's lines appended. Appending
    /// matters for choices: Kconfig lets the last `=y` of a choice win, so
    /// a fragment's `CONFIG_SLUB=y` replacing `# CONFIG_SLUB is not set` in
    /// place would lose to a `CONFIG_SLOB=y` further down.
    pub fn apply(&self, config: &str) -> String {
        let wanted: std::collections::BTreeSet<&str> =
            self.settings.iter().map(|(s, _)| s.as_str()).collect();
        let mut out = String::with_capacity(config.len() + 4096);
        for line in config.lines() {
            if parse_line(line).is_some_and(|(symbol, _)| wanted.contains(symbol)) {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        for (symbol, setting) in &self.settings {
            out.push_str(&setting.line(symbol));
            out.push('\n');
        }
        out
    }

    /// The fragment's lines that `config` (a resolved `.config`) does not
    /// hold. A symbol wanted off holds when it is off or absent.
    pub fn check(&self, config: &str) -> Vec<Mismatch> {
        let have: BTreeMap<&str, Setting> = config.lines().filter_map(parse_line).collect();
        self.settings
            .iter()
            .filter_map(|(symbol, wanted)| {
                let got = have.get(symbol.as_str());
                let holds = match (wanted, got) {
                    (Setting::Off, None | Some(Setting::Off)) => true,
                    (want, Some(got)) => want == got,
                    (Setting::Value(_), None) => false,
                };
                (!holds).then(|| Mismatch {
                    symbol: symbol.clone(),
                    wanted: wanted.clone(),
                    got: got.cloned(),
                })
            })
            .collect()
    }
}

/// `CONFIG_HZ` of a `.config`.
pub fn hz(config: &str) -> Option<u32> {
    config
        .lines()
        .find_map(|l| l.strip_prefix("CONFIG_HZ="))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_parse_and_refuse_what_is_not_a_setting() {
        let f = Fragment::parse(
            "# a comment\n\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x y\"\nCONFIG_NR=64\n",
        )
        .unwrap();
        assert_eq!(
            f.settings,
            [
                ("CONFIG_A".to_string(), Setting::Value("y".into())),
                ("CONFIG_B".to_string(), Setting::Off),
                ("CONFIG_C".to_string(), Setting::Value("\"x y\"".into())),
                ("CONFIG_NR".to_string(), Setting::Value("64".into())),
            ]
        );
        for (text, says) in [
            ("CONFIG_A=y\nA=y\n", "line 2"),
            ("CONFIG_A=y\nCONFIG_A=n\n", "set twice"),
            ("CONFIG_A=y\n# CONFIG_A is not set\n", "set twice"),
            ("CONFIG_A\n", "not CONFIG_X=value"),
            ("CONFIG_A=\n", "no value"),
            ("# only comments\n", "no symbol"),
        ] {
            let e = Fragment::parse(text).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    #[test]
    fn applying_drops_the_configs_lines_and_appends_the_fragments() {
        let f = Fragment::parse("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_NEW=y\n").unwrap();
        let config = "# header\n# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_KEEP=y\n";
        assert_eq!(
            f.apply(config),
            "# header\nCONFIG_KEEP=y\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_NEW=y\n"
        );
        // A choice (tinyconfig's SLOB against the fragment's SLUB): the
        // fragment's entry comes after every line of the config's.
        let f = Fragment::parse("CONFIG_SLUB=y\n").unwrap();
        let merged = f.apply("# CONFIG_SLUB is not set\nCONFIG_SLOB=y\n");
        assert_eq!(merged, "CONFIG_SLOB=y\nCONFIG_SLUB=y\n");
    }

    #[test]
    fn checking_finds_what_kconfig_dropped_or_changed() {
        let f = Fragment::parse(
            "CONFIG_A=y\n# CONFIG_B is not set\n# CONFIG_GONE is not set\nCONFIG_DROPPED=y\nCONFIG_NR=64\n",
        )
        .unwrap();
        let resolved = "CONFIG_A=y\nCONFIG_B=y\nCONFIG_NR=32\n";
        let got = f.check(resolved);
        let text: Vec<String> = got.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "CONFIG_B wanted not set, got y",
                "CONFIG_DROPPED wanted y, got nothing (a dependency is off)",
                "CONFIG_NR wanted 64, got 32",
            ]
        );
        assert!(
            f.check("CONFIG_A=y\nCONFIG_DROPPED=y\nCONFIG_NR=64\n")
                .is_empty()
        );
        assert_eq!(hz("CONFIG_HZ_250=y\nCONFIG_HZ=250\n"), Some(250));
    }
}
