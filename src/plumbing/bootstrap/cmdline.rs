//! The guest kernel's command line, and the host's TSC frequency that a TCG
//! guest is told instead of measuring it.
//!
//! Why preset the TSC: at boot x86 Linux calibrates the TSC against a
//! reference timer (PIT, HPET, ACPI PM timer) and then measures the delay
//! loop ("BogoMIPS"). Under TCG every guest instruction is emulated and the
//! vCPU thread is preempted whenever the host is busy, so those measurements
//! see wildly varying intervals; the calibration can retry for a long time or
//! never converge, and a microVM has no PIT or HPET to fall back on. With
//! `tsc_early_khz=` the kernel takes the frequency as given, and with `lpj=`
//! it skips the delay-loop measurement. TCG's guest TSC ticks at the host's
//! TSC rate (QEMU reads the host's counter), so the host's TSC frequency is
//! the right value. Under KVM the paravirtual clock supplies the frequency
//! and nothing is preset.

use std::path::Path;

/// Debian's kernels are built with `CONFIG_HZ=250`; the image manifest
/// records the real value from the package's config.
pub const DEFAULT_HZ: u32 = 250;

/// Used when the host's TSC frequency cannot be read: a middle-of-the-road
/// server clock. A wrong value only skews udelay() and early timestamps
/// until the clocksource watchdog or the guest's NTP corrects them; it
/// never blocks the boot, which is the point.
pub const FALLBACK_TSC_KHZ: u64 = 2_000_000;

/// Where the kernel's console goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Console {
    /// The first 16550 UART (`ttyS0`): microVM `isa-serial`, PC COM1, a
    /// vSphere serial port. Works from the first message on.
    Serial,
    /// The first virtio console (`hvc0`); needs virtio_console, which our
    /// kernel has as a module, so early messages are buffered until the
    /// tether loads it.
    Virtio,
}

/// How the guest's vCPUs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Accel {
    /// Hardware virtualization: the guest measures its own clock.
    Kvm,
    /// QEMU's emulator: the TSC frequency and loops-per-jiffy are preset.
    Tcg,
}

/// Everything that decides a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdlineOptions {
    pub console: Console,
    /// `vicport.platform=` for the tether: `qemu` (the local platform) or
    /// `vsphere`.
    pub platform: String,
    pub accel: Accel,
    /// The host's TSC frequency in kHz (see [`host_tsc_khz`]).
    pub tsc_khz: u64,
    /// The guest kernel's `CONFIG_HZ`, for loops-per-jiffy.
    pub hz: u32,
    /// Only warnings on the console (`quiet`), which also makes TCG boots
    /// faster: every console byte is an emulated UART write.
    pub quiet: bool,
    /// Appended last, verbatim.
    pub extra: Vec<String>,
}

impl Accel {
    /// `kvm` or `tcg`.
    pub fn as_str(self) -> &'static str {
        match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        }
    }
}

impl CmdlineOptions {
    /// A microVM of the local platform.
    pub fn local(accel: Accel, tsc_khz: u64) -> Self {
        CmdlineOptions {
            console: Console::Serial,
            platform: "qemu".into(),
            accel,
            tsc_khz,
            hz: DEFAULT_HZ,
            quiet: true,
            extra: Vec::new(),
        }
    }
}

/// Loops per jiffy for a TSC-based delay loop: x86 Linux counts TSC cycles in
/// udelay() once it trusts the TSC, and derives `lpj = tsc_khz * 1000 / HZ`
/// itself (`lpj_fine` in arch/x86/kernel/tsc.c); we give it the same value.
pub fn loops_per_jiffy(tsc_khz: u64, hz: u32) -> u64 {
    tsc_khz * 1000 / u64::from(hz.max(1))
}

/// The kernel command line (pure: same options, same string).
pub fn kernel_cmdline(options: &CmdlineOptions) -> String {
    let mut params = vec![
        match options.console {
            Console::Serial => "console=ttyS0".to_string(),
            Console::Virtio => "console=hvc0".to_string(),
        },
        format!("vicport.platform={}", options.platform),
        // A panic reboots at once, and with QEMU's -no-reboot that ends the
        // microVM instead of leaving a hung domain behind.
        "panic=-1".to_string(),
    ];
    if options.quiet {
        params.push("quiet".into());
    }
    if options.accel == Accel::Tcg {
        let khz = if options.tsc_khz == 0 {
            FALLBACK_TSC_KHZ
        } else {
            options.tsc_khz
        };
        params.push(format!("tsc_early_khz={khz}"));
        params.push(format!("lpj={}", loops_per_jiffy(khz, options.hz)));
    }
    params.extend(options.extra.iter().cloned());
    params.join(" ")
}

/// The host's TSC frequency in kHz, from the most exact source available:
/// sysfs `tsc_freq_khz` (some kernels export it), cpufreq's
/// `base_frequency` (the nominal clock, which an invariant TSC runs at),
/// the "@ 2.40GHz" in the CPU's model name, then "cpu MHz" (exact on VMs,
/// the current clock on hosts with frequency scaling); else the fallback.
pub fn host_tsc_khz() -> u64 {
    let read = |path: &str| std::fs::read_to_string(Path::new(path)).ok();
    let sysfs = |path: &str| {
        read(path)
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|&k| k > 0)
    };
    sysfs("/sys/devices/system/cpu/cpu0/tsc_freq_khz")
        .or_else(|| sysfs("/sys/devices/system/cpu/cpu0/cpufreq/base_frequency"))
        .or_else(|| read("/proc/cpuinfo").and_then(|text| tsc_khz_from_cpuinfo(&text)))
        .unwrap_or(FALLBACK_TSC_KHZ)
}

/// The TSC frequency that `/proc/cpuinfo` suggests, from its first CPU.
pub fn tsc_khz_from_cpuinfo(text: &str) -> Option<u64> {
    let value = |key: &str| {
        text.lines()
            .find(|l| l.split(':').next().is_some_and(|k| k.trim() == key))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    };
    let from_model = value("model name").and_then(|model| {
        let (_, after) = model.rsplit_once('@')?;
        let ghz: f64 = after.trim().strip_suffix("GHz")?.trim().parse().ok()?;
        Some((ghz * 1_000_000.0).round() as u64)
    });
    let from_mhz = value("cpu MHz")
        .and_then(|mhz| mhz.parse::<f64>().ok())
        .map(|mhz| (mhz * 1000.0).round() as u64);
    from_model.or(from_mhz).filter(|&khz| khz > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcg_presets_the_tsc_and_loops_per_jiffy() {
        let line = kernel_cmdline(&CmdlineOptions::local(Accel::Tcg, 2_596_148));
        assert_eq!(
            line,
            "console=ttyS0 vicport.platform=qemu panic=-1 quiet tsc_early_khz=2596148 lpj=10384592"
        );
    }

    #[test]
    fn kvm_presets_nothing_and_extras_come_last() {
        let mut options = CmdlineOptions::local(Accel::Kvm, 2_596_148);
        options.console = Console::Virtio;
        options.quiet = false;
        options.extra = vec!["vicport.debug=1".into()];
        assert_eq!(
            kernel_cmdline(&options),
            "console=hvc0 vicport.platform=qemu panic=-1 vicport.debug=1"
        );
    }

    #[test]
    fn unknown_tsc_uses_the_fallback_and_hz_matters() {
        let mut options = CmdlineOptions::local(Accel::Tcg, 0);
        options.hz = 1000;
        let line = kernel_cmdline(&options);
        assert!(line.contains("tsc_early_khz=2000000 lpj=2000000"), "{line}");
        assert_eq!(loops_per_jiffy(2_400_000, 250), 9_600_000);
    }

    #[test]
    fn cpuinfo_model_name_wins_over_the_current_clock() {
        let intel = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\ncpu MHz\t\t: 1199.953\n";
        assert_eq!(tsc_khz_from_cpuinfo(intel), Some(2_400_000));
        let amd_vm = "processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2596.148\n";
        assert_eq!(tsc_khz_from_cpuinfo(amd_vm), Some(2_596_148));
        assert_eq!(tsc_khz_from_cpuinfo("processor\t: 0\n"), None);
        // Whatever the host is, the answer is a plausible clock.
        let host = host_tsc_khz();
        assert!((100_000..20_000_000).contains(&host), "{host}");
    }
}
