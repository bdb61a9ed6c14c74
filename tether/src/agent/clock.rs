//! The guest's clock against the host's: a domain that was suspended
//! resumes with the clock it had when it was saved, and one that was
//! paused (its vCPUs stopped) goes on with a clock that stood still
//! meanwhile; either is behind the world by as long as it slept. The
//! hardware clock (the RTC the platform emulates, which follows the host)
//! is the reference: when the system clock is two seconds or more away
//! from it, the clock is stepped to it — when a host connects (at once
//! after a resume) and every two seconds (after an unpause). Only PID 1 in
//! a guest does this (never `tether serve` on a host).

use std::io;
use std::os::fd::AsRawFd;

use super::say;

/// How far the system clock may be from the RTC before it is stepped.
const TOLERANCE_SECS: i64 = 2;

/// How often [`watch`] compares the clocks.
const PERIOD: std::time::Duration = std::time::Duration::from_secs(2);

/// `struct rtc_time` of linux/rtc.h.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
struct RtcTime {
    sec: libc::c_int,
    min: libc::c_int,
    hour: libc::c_int,
    mday: libc::c_int,
    mon: libc::c_int,
    year: libc::c_int,
    wday: libc::c_int,
    yday: libc::c_int,
    isdst: libc::c_int,
}

/// `RTC_RD_TIME`: `_IOR('p', 0x09, struct rtc_time)`.
const RTC_RD_TIME: libc::c_ulong = 0x8024_7009;

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch that an RTC reading (UTC) says.
fn unix_seconds(t: &RtcTime) -> i64 {
    let days = days_from_civil(
        i64::from(t.year) + 1900,
        i64::from(t.mon) + 1,
        i64::from(t.mday),
    );
    days * 86_400 + i64::from(t.hour) * 3_600 + i64::from(t.min) * 60 + i64::from(t.sec)
}

/// The step to apply to a clock at `system` seconds when the RTC says
/// `rtc`, if it is off by the tolerance or more.
fn step(system: i64, rtc: i64) -> Option<i64> {
    let off = rtc - system;
    (off.abs() >= TOLERANCE_SECS).then_some(off)
}

fn read_rtc() -> io::Result<i64> {
    let file = std::fs::File::open("/dev/rtc0").or_else(|_| std::fs::File::open("/dev/rtc"))?;
    let mut t = RtcTime::default();
    // SAFETY: RTC_RD_TIME fills a struct rtc_time, which `t` is.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), RTC_RD_TIME, &mut t) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unix_seconds(&t))
}

/// Compare the clocks every [`PERIOD`] (a thread of PID 1), for as long
/// as there is an RTC to read.
pub fn watch() {
    loop {
        std::thread::sleep(PERIOD);
        if !resync() {
            return;
        }
    }
}

/// Step the system clock to the RTC when they are apart; false when the
/// RTC cannot be read or the clock set (said on the console).
pub fn resync() -> bool {
    let rtc = match read_rtc() {
        Ok(t) => t,
        Err(e) => {
            say(&format!("clock: cannot read the RTC: {e}"));
            return false;
        }
    };
    // SAFETY: an all-zero timespec is valid; clock_gettime fills it.
    let mut now: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: CLOCK_REALTIME with a valid timespec pointer.
    if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) } != 0 {
        return true;
    }
    let Some(off) = step(now.tv_sec, rtc) else {
        return true;
    };
    let to = libc::timespec {
        tv_sec: now.tv_sec + off,
        tv_nsec: now.tv_nsec,
    };
    // SAFETY: CLOCK_REALTIME with a valid timespec.
    if unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &to) } != 0 {
        say(&format!(
            "clock: cannot step it by {off} s: {}",
            io::Error::last_os_error()
        ));
        return false;
    }
    say(&format!(
        "clock: stepped by {off} s to the RTC's (the domain was suspended or paused?)"
    ));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtc_readings_are_unix_seconds() {
        let t = |year, mon, mday, hour, min, sec| RtcTime {
            year: year - 1900,
            mon: mon - 1,
            mday,
            hour,
            min,
            sec,
            ..RtcTime::default()
        };
        assert_eq!(unix_seconds(&t(1970, 1, 1, 0, 0, 0)), 0);
        assert_eq!(unix_seconds(&t(2000, 3, 1, 0, 0, 0)), 951_868_800);
        assert_eq!(unix_seconds(&t(2026, 12, 6, 9, 53, 36)), 1_796_550_816);
        assert_eq!(unix_seconds(&t(2024, 2, 29, 23, 59, 59)), 1_709_251_199);
    }

    #[test]
    fn only_a_clock_two_seconds_off_is_stepped() {
        assert_eq!(step(100, 100), None);
        assert_eq!(step(100, 101), None);
        assert_eq!(step(100, 99), None);
        assert_eq!(step(100, 102), Some(2));
        assert_eq!(step(100, 700), Some(600));
        assert_eq!(step(700, 100), Some(-600));
    }
}
