//! Signals by the protocol's own names and numbers. The numbers on the wire
//! and in the config document are these, whatever the guest OS calls its
//! signals; each tether maps them to its OS's in one place.
//!
//! The table (PROTOCOL.md, "Signals") uses the classic numbers: 1 HUP,
//! 2 INT, 3 QUIT, 4 ILL, 5 TRAP, 6 ABRT, 7 BUS, 8 FPE, 9 KILL, 10 USR1,
//! 11 SEGV, 12 USR2, 13 PIPE, 14 ALRM, 15 TERM, 16 STKFLT, 17 CHLD, 18 CONT,
//! 19 STOP, 20 TSTP, 21 TTIN, 22 TTOU, 23 URG, 24 XCPU, 25 XFSZ, 26 VTALRM,
//! 27 PROF, 28 WINCH, 29 IO, 30 PWR, 31 SYS; and the real-time signals
//! RTMIN+n = 34+n up to RTMAX = 64. 0, 32 and 33 are not signals.

use std::fmt;
use std::str::FromStr;

/// Names by number; "" where a number is not a signal.
const NAMES: [&str; 65] = [
    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "", "", "RTMIN", "RTMIN+1",
    "RTMIN+2", "RTMIN+3", "RTMIN+4", "RTMIN+5", "RTMIN+6", "RTMIN+7", "RTMIN+8", "RTMIN+9",
    "RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13", "RTMIN+14", "RTMIN+15", "RTMAX-14", "RTMAX-13",
    "RTMAX-12", "RTMAX-11", "RTMAX-10", "RTMAX-9", "RTMAX-8", "RTMAX-7", "RTMAX-6", "RTMAX-5",
    "RTMAX-4", "RTMAX-3", "RTMAX-2", "RTMAX-1", "RTMAX",
];

/// Other names accepted by [`Signal::parse`]: (alias, number).
const ALIASES: [(&str, u8); 3] = [("IOT", 6), ("POLL", 29), ("CLD", 17)];

/// A signal, by its protocol number: always one of the table's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal(u8);

#[allow(missing_docs)]
impl Signal {
    pub const HUP: Signal = Signal(1);
    pub const INT: Signal = Signal(2);
    pub const QUIT: Signal = Signal(3);
    pub const ILL: Signal = Signal(4);
    pub const TRAP: Signal = Signal(5);
    pub const ABRT: Signal = Signal(6);
    pub const BUS: Signal = Signal(7);
    pub const FPE: Signal = Signal(8);
    pub const KILL: Signal = Signal(9);
    pub const USR1: Signal = Signal(10);
    pub const SEGV: Signal = Signal(11);
    pub const USR2: Signal = Signal(12);
    pub const PIPE: Signal = Signal(13);
    pub const ALRM: Signal = Signal(14);
    pub const TERM: Signal = Signal(15);
    pub const STKFLT: Signal = Signal(16);
    pub const CHLD: Signal = Signal(17);
    pub const CONT: Signal = Signal(18);
    pub const STOP: Signal = Signal(19);
    pub const TSTP: Signal = Signal(20);
    pub const TTIN: Signal = Signal(21);
    pub const TTOU: Signal = Signal(22);
    pub const URG: Signal = Signal(23);
    pub const XCPU: Signal = Signal(24);
    pub const XFSZ: Signal = Signal(25);
    pub const VTALRM: Signal = Signal(26);
    pub const PROF: Signal = Signal(27);
    pub const WINCH: Signal = Signal(28);
    pub const IO: Signal = Signal(29);
    pub const PWR: Signal = Signal(30);
    pub const SYS: Signal = Signal(31);
    /// The first real-time signal.
    pub const RTMIN: Signal = Signal(34);
    /// The last real-time signal.
    pub const RTMAX: Signal = Signal(64);
}

impl Signal {
    /// The signal with protocol number `n`, if `n` is one.
    pub const fn from_number(n: i32) -> Option<Signal> {
        match n {
            1..=31 | 34..=64 => Some(Signal(n as u8)),
            _ => None,
        }
    }

    /// Its protocol number.
    pub const fn number(self) -> i32 {
        self.0 as i32
    }

    /// Its name without the `SIG` prefix: `TERM`, `RTMIN+3`, `RTMAX`.
    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0)]
    }

    /// Every signal, by number.
    pub fn all() -> impl Iterator<Item = Signal> {
        (1..=64).filter_map(Signal::from_number)
    }

    /// A name with or without `SIG`, in any case (`SIGTERM`, `TERM`,
    /// `term`, `SIGRTMIN+2`, `RTMAX-1`), or a protocol number (`15`).
    pub fn parse(text: &str) -> Result<Signal, SignalError> {
        let unknown = || SignalError {
            input: text.to_string(),
        };
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse::<i32>()
                .ok()
                .and_then(Signal::from_number)
                .ok_or_else(unknown);
        }
        let upper = text.to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        if let Some(n) = NAMES.iter().position(|&n| !n.is_empty() && n == name) {
            return Ok(Signal(n as u8));
        }
        if let Some(&(_, n)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
            return Ok(Signal(n));
        }
        let offset = |digits: &str| {
            (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<i32>().ok())
                .flatten()
        };
        let rt = if let Some(n) = name.strip_prefix("RTMIN+").and_then(offset) {
            Some(Signal::RTMIN.number() + n)
        } else {
            name.strip_prefix("RTMAX-")
                .and_then(offset)
                .map(|n| Signal::RTMAX.number() - n)
        };
        rt.filter(|n| (Signal::RTMIN.number()..=Signal::RTMAX.number()).contains(n))
            .and_then(Signal::from_number)
            .ok_or_else(unknown)
    }
}

impl fmt::Display for Signal {
    /// `SIGTERM`, `SIGRTMIN+3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIG{}", self.name())
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIG{}({})", self.name(), self.0)
    }
}

impl FromStr for Signal {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<Signal, SignalError> {
        Signal::parse(s)
    }
}

/// A text that names no signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalError {
    /// What was given.
    pub input: String,
}

impl SignalError {
    /// What to give instead.
    pub const HINT: &'static str =
        "use a name such as SIGTERM, TERM or KILL, or a number 1-31 or 34-64";
}

impl fmt::Display for SignalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown signal {:?}", self.input)
    }
}

impl std::error::Error for SignalError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_classic_numbers() {
        let table = [
            (1, "HUP"),
            (2, "INT"),
            (3, "QUIT"),
            (4, "ILL"),
            (5, "TRAP"),
            (6, "ABRT"),
            (7, "BUS"),
            (8, "FPE"),
            (9, "KILL"),
            (10, "USR1"),
            (11, "SEGV"),
            (12, "USR2"),
            (13, "PIPE"),
            (14, "ALRM"),
            (15, "TERM"),
            (17, "CHLD"),
            (18, "CONT"),
            (19, "STOP"),
            (20, "TSTP"),
            (21, "TTIN"),
            (22, "TTOU"),
            (28, "WINCH"),
            (30, "PWR"),
            (34, "RTMIN"),
            (35, "RTMIN+1"),
            (49, "RTMIN+15"),
            (50, "RTMAX-14"),
            (63, "RTMAX-1"),
            (64, "RTMAX"),
        ];
        for (n, name) in table {
            let s = Signal::from_number(n).unwrap();
            assert_eq!((s.number(), s.name()), (n, name));
            assert_eq!(Signal::parse(name), Ok(s));
            assert_eq!(Signal::parse(&format!("SIG{name}")), Ok(s));
            assert_eq!(s.to_string(), format!("SIG{name}"));
        }
        assert_eq!(Signal::all().count(), 31 + 31);
        for s in Signal::all() {
            assert_eq!(Signal::parse(s.name()), Ok(s), "{s:?}");
            assert_eq!(Signal::parse(&s.number().to_string()), Ok(s));
        }
        assert_eq!(Signal::TERM.number(), 15);
        assert_eq!(Signal::KILL, Signal::from_number(9).unwrap());
    }

    #[test]
    fn parse_takes_names_in_any_case_and_numbers() {
        for text in ["SIGTERM", "TERM", "term", "sigterm", "SigTerm", "15", "015"] {
            assert_eq!(Signal::parse(text), Ok(Signal::TERM), "{text}");
        }
        assert_eq!(Signal::parse("iot"), Ok(Signal::ABRT));
        assert_eq!(Signal::parse("SIGPOLL"), Ok(Signal::IO));
        assert_eq!(
            Signal::parse("sigrtmin+20"),
            Ok(Signal::from_number(54).unwrap())
        );
        assert_eq!(
            Signal::parse("RTMAX-10"),
            Ok(Signal::from_number(54).unwrap())
        );
        assert_eq!(Signal::parse("RTMAX-0"), Ok(Signal::RTMAX));
    }

    #[test]
    fn what_is_no_signal_is_a_clear_error() {
        for bad in [
            "",
            "0",
            "32",
            "33",
            "65",
            "-1",
            "+15",
            "SIGNOPE",
            "SIG",
            "TERM ",
            "RTMIN+31",
            "RTMAX-31",
            "RTMIN+",
            "RTMIN-1",
            "RTMAX+1",
            "RTMIN+999",
        ] {
            let e = Signal::parse(bad).unwrap_err();
            assert_eq!(e.input, bad);
            assert_eq!(e.to_string(), format!("unknown signal {bad:?}"));
        }
        assert_eq!(Signal::from_number(0), None);
        assert_eq!(Signal::from_number(32), None);
        assert_eq!(Signal::from_number(65), None);
    }
}
