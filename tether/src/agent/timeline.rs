//! The boot's timeline: when each step of PID 1's boot ended, in
//! milliseconds since the kernel started (CLOCK_BOOTTIME), said on the
//! console as one line the host reads back (`domain inspect`, `--debug`).
//!
//! The line, written once just before the primary process starts (so that
//! nothing the container runs can have written to the console before it):
//!
//! ```text
//! tether: boot timeline (ms since the kernel started): kernel=812.3 mounts=815.0 modules=1040.2 ...
//! ```

/// What the host looks for on the console, up to the first `=` pair.
pub const PREFIX: &str = "boot timeline (ms since the kernel started):";

/// The steps in the order the boot takes them: `kernel` is the handoff to
/// the tether (its first instruction as PID 1), the others when that step
/// ended.
pub const STEPS: [&str; 8] = [
    "kernel", "mounts", "modules", "config", "devices", "volumes", "network", "ready",
];

/// Milliseconds since the kernel started.
pub fn now_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime with a valid clock id and out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6
}

/// The steps marked so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    marks: Vec<(&'static str, f64)>,
}

impl Timeline {
    /// A timeline whose `kernel` step ends now.
    pub fn start() -> Timeline {
        let mut t = Timeline::default();
        t.mark("kernel");
        t
    }

    /// Step `name` ended now.
    pub fn mark(&mut self, name: &'static str) {
        self.mark_at(name, now_ms());
    }

    /// Step `name` ended at `ms`.
    pub fn mark_at(&mut self, name: &'static str, ms: f64) {
        self.marks.push((name, ms));
    }

    /// The marks, in order.
    pub fn marks(&self) -> &[(&'static str, f64)] {
        &self.marks
    }

    /// The console line (without the `tether: ` every line of it has).
    pub fn line(&self) -> String {
        let mut s = PREFIX.to_string();
        for (name, ms) in &self.marks {
            s.push_str(&format!(" {name}={ms:.1}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_lists_the_steps_in_order_with_tenths() {
        let mut t = Timeline::default();
        t.mark_at("kernel", 812.34);
        t.mark_at("mounts", 815.0);
        assert_eq!(
            t.line(),
            "boot timeline (ms since the kernel started): kernel=812.3 mounts=815.0"
        );
    }

    #[test]
    fn the_clock_moves_forward() {
        let t = Timeline::start();
        let a = t.marks()[0].1;
        assert!(a > 0.0);
        assert!(now_ms() >= a);
    }
}
