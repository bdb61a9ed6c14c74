//! A guest's boot timeline: the steps of its boot as the tether says them
//! on the console, for `domain inspect` and `--debug`.

use serde::{Deserialize, Serialize};

/// One step of a guest's boot: `kernel` (the kernel's own boot, to the
/// tether's start), `mounts`, `modules`, `config`, `devices`, `volumes`,
/// `network`, `ready`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootStep {
    pub step: String,
    /// When it ended, in milliseconds since the guest's kernel started.
    pub at_ms: f64,
    /// How long it took: since the step before it ended.
    pub took_ms: f64,
}

/// Parse the tether's boot timeline line (`... boot timeline (ms since the
/// kernel started): kernel=812.3 mounts=815.0 ...`) from a console log:
/// the first such line (the tether says it before the container runs).
pub fn parse_boot_timeline(console: &str) -> Vec<BootStep> {
    const MARK: &str = "boot timeline (ms since the kernel started):";
    let Some(line) = console.lines().find(|l| l.contains(MARK)) else {
        return Vec::new();
    };
    let rest = &line[line.find(MARK).unwrap_or(0) + MARK.len()..];
    let mut steps: Vec<BootStep> = Vec::new();
    for pair in rest.split_whitespace() {
        let Some((step, ms)) = pair.split_once('=') else {
            return Vec::new();
        };
        let Ok(at_ms) = ms.parse::<f64>() else {
            return Vec::new();
        };
        let took_ms = at_ms - steps.last().map_or(0.0, |s| s.at_ms);
        steps.push(BootStep {
            step: step.to_string(),
            at_ms,
            took_ms: (took_ms * 10.0).round() / 10.0,
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_timeline_line_is_read_with_each_steps_duration() {
        let console = "[    0.0] quiet kernel\r\n\
            tether: kernel modules (platform): 6 loaded, 0 already present, 0 failed\r\n\
            tether: boot timeline (ms since the kernel started): kernel=812.3 mounts=815.0 ready=1000.1\r\n\
            tether: boot timeline (ms since the kernel started): kernel=1.0\n";
        let steps = parse_boot_timeline(console);
        let got: Vec<(&str, f64, f64)> = steps
            .iter()
            .map(|s| (s.step.as_str(), s.at_ms, s.took_ms))
            .collect();
        assert_eq!(
            got,
            [
                ("kernel", 812.3, 812.3),
                ("mounts", 815.0, 2.7),
                ("ready", 1000.1, 185.1)
            ]
        );
    }

    #[test]
    fn no_line_or_a_damaged_one_is_no_timeline() {
        assert!(parse_boot_timeline("tether ready\n").is_empty());
        assert!(
            parse_boot_timeline("boot timeline (ms since the kernel started): kernel=x\n")
                .is_empty()
        );
        assert!(
            parse_boot_timeline("boot timeline (ms since the kernel started): kernel\n").is_empty()
        );
    }
}
