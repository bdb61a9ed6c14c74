//! The bootable ISO for vSphere: ISOLINUX loads the same kernel and
//! initramfs as the local platform; xorriso writes the image with fixed
//! dates, ids and ownership so the same inputs give the same bytes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use super::error::{BootstrapError, BuildResult};

/// Debian's `isolinux` package.
pub const ISOLINUX_BIN: &str = "/usr/lib/ISOLINUX/isolinux.bin";
/// Debian's `syslinux-common` package (BIOS modules).
pub const LDLINUX_C32: &str = "/usr/lib/syslinux/modules/bios/ldlinux.c32";
/// What to do when an ISO tool is missing.
pub const TOOLS_HINT: &str = "install the tools with `apt-get install xorriso isolinux syslinux-common`, or build without the ISO";
/// The ISO's volume id.
pub const VOLUME_ID: &str = "VICPORT_BOOT";

/// The first line of `xorriso -version`: part of the cache key, since
/// another xorriso may lay the image out differently.
pub fn xorriso_version() -> BuildResult<String> {
    let output = Command::new("xorriso")
        .arg("-version")
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BootstrapError::Missing {
                what: "xorriso (Debian package xorriso)".into(),
                path: PathBuf::from("xorriso"),
                hint: TOOLS_HINT,
            },
            _ => BootstrapError::io("running xorriso -version", e),
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|l| l.starts_with("xorriso "))
        .map(|l| l.trim().to_string())
        .ok_or_else(|| BootstrapError::Tool {
            tool: "xorriso -version".into(),
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        })
}

/// `isolinux/isolinux.cfg`: boot the one entry at once, also talking on
/// the first serial port (a vSphere serial port logs it).
pub fn isolinux_cfg(cmdline: &str) -> String {
    format!(
        "SERIAL 0 115200\n\
         DEFAULT vicport\n\
         PROMPT 0\n\
         TIMEOUT 0\n\
         LABEL vicport\n  \
         KERNEL /vmlinuz\n  \
         INITRD /initrd.img\n  \
         APPEND {cmdline}\n"
    )
}

/// `SOURCE_DATE_EPOCH` as xorriso's `YYYYMMDDhhmmsscc` (UTC).
pub fn xorriso_date(epoch: u64) -> String {
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}00",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// xorriso (1.5.4) takes a time of 0, in `--set_all_file_dates` as in
/// `SOURCE_DATE_EPOCH`, as "not set" and stamps the Rock Ridge entries with
/// the current time: the ISO's dates are the epoch clamped to 1 second.
fn iso_epoch(epoch: u64) -> u64 {
    epoch.max(1)
}

/// The xorriso arguments (after the program name) that write `output`
/// from the staged tree `stage`.
pub fn xorriso_args(stage: &Path, output: &Path, epoch: u64) -> Vec<String> {
    let date = xorriso_date(iso_epoch(epoch));
    vec![
        "-as".into(),
        "mkisofs".into(),
        "-quiet".into(),
        "-o".into(),
        output.display().to_string(),
        "-V".into(),
        VOLUME_ID.into(),
        // Rock Ridge with uid/gid 0 and normalized permissions.
        "-r".into(),
        // Volume creation/modification dates, the volume UUID and the boot
        // catalog's dates.
        format!("--modification-date={date}"),
        // Every file's and directory's mtime, atime and ctime.
        "--set_all_file_dates".into(),
        date,
        "-b".into(),
        "isolinux/isolinux.bin".into(),
        "-c".into(),
        "isolinux/boot.cat".into(),
        "-no-emul-boot".into(),
        "-boot-load-size".into(),
        "4".into(),
        "-boot-info-table".into(),
        stage.display().to_string(),
    ]
}

/// The files that go on the ISO.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub kernel: &'a Path,
    pub initramfs: &'a Path,
    pub isolinux_bin: &'a Path,
    pub ldlinux_c32: &'a Path,
}

/// Stage the tree in `stage` and run xorriso to write `output`; returns the
/// arguments it ran with.
pub fn build(
    stage: &Path,
    output: &Path,
    parts: &Parts<'_>,
    cmdline: &str,
    epoch: u64,
) -> BuildResult<Vec<String>> {
    let io = |what: String| move |e| BootstrapError::io(what, e);
    let boot = stage.join("isolinux");
    std::fs::create_dir_all(&boot).map_err(io(format!("creating {}", boot.display())))?;
    let copies = [
        (parts.kernel, stage.join("vmlinuz")),
        (parts.initramfs, stage.join("initrd.img")),
        (parts.isolinux_bin, boot.join("isolinux.bin")),
        (parts.ldlinux_c32, boot.join("ldlinux.c32")),
    ];
    for (from, to) in &copies {
        std::fs::copy(from, to).map_err(io(format!(
            "copying {} to {}",
            from.display(),
            to.display()
        )))?;
    }
    let cfg = boot.join("isolinux.cfg");
    std::fs::write(&cfg, isolinux_cfg(cmdline))
        .map_err(io(format!("writing {}", cfg.display())))?;
    // xorriso overrides every date anyway; this keeps the staged tree itself
    // free of build-time dates too.
    let epoch = iso_epoch(epoch);
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(epoch);
    for path in [
        stage.join("vmlinuz"),
        stage.join("initrd.img"),
        boot.join("isolinux.bin"),
        boot.join("ldlinux.c32"),
        cfg.clone(),
        boot.clone(),
        stage.to_path_buf(),
    ] {
        std::fs::File::open(&path)
            .and_then(|f| f.set_modified(time))
            .map_err(io(format!("setting the mtime of {}", path.display())))?;
    }

    let args = xorriso_args(stage, output, epoch);
    let result = Command::new("xorriso")
        .args(&args)
        // Fixed dates with no local time zone in them, and the "now" of any
        // node xorriso makes up (boot.cat) pinned too.
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BootstrapError::Missing {
                what: "xorriso (Debian package xorriso)".into(),
                path: PathBuf::from("xorriso"),
                hint: TOOLS_HINT,
            },
            _ => BootstrapError::io("running xorriso", e),
        })?;
    if !result.status.success() {
        return Err(BootstrapError::Tool {
            tool: "xorriso".into(),
            status: result.status.to_string(),
            stderr: String::from_utf8_lossy(&result.stderr).trim().to_string(),
        });
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(xorriso_date(0), "1970010100000000");
        assert_eq!(
            xorriso_args(Path::new("s"), Path::new("o"), 0)[8],
            "--modification-date=1970010100000100"
        );
        assert_eq!(xorriso_date(951_782_400), "2000022900000000");
        assert_eq!(xorriso_date(1_700_000_000), "2023111422132000");
        assert_eq!(xorriso_date(4_102_444_799), "2099123123595900");
    }

    #[test]
    fn isolinux_boots_the_one_entry_with_the_command_line() {
        let cfg = isolinux_cfg("console=ttyS0 vicport.platform=vsphere quiet");
        assert!(cfg.contains("DEFAULT vicport\n"));
        assert!(cfg.contains("\n  KERNEL /vmlinuz\n  INITRD /initrd.img\n"));
        assert!(cfg.ends_with("  APPEND console=ttyS0 vicport.platform=vsphere quiet\n"));
    }

    #[test]
    fn same_inputs_give_the_same_iso_bytes() {
        if !Path::new(ISOLINUX_BIN).exists() || !Path::new(LDLINUX_C32).exists() {
            panic!("install isolinux and syslinux-common (the ISO needs them)");
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("k"), vec![1u8; 5000]).unwrap();
        std::fs::write(dir.path().join("i"), vec![2u8; 7000]).unwrap();
        let mut images = Vec::new();
        // Epoch 0 is the request's default, and xorriso's "unset".
        for epoch in [0, 1_700_000_000] {
            for round in 0..2 {
                // Different staging paths and build times: same bytes.
                let stage = dir.path().join(format!("stage-{epoch}-{round}"));
                let out = dir.path().join(format!("{epoch}-{round}.iso"));
                let parts = Parts {
                    kernel: &dir.path().join("k"),
                    initramfs: &dir.path().join("i"),
                    isolinux_bin: Path::new(ISOLINUX_BIN),
                    ldlinux_c32: Path::new(LDLINUX_C32),
                };
                build(&stage, &out, &parts, "console=ttyS0", epoch).unwrap();
                images.push(std::fs::read(&out).unwrap());
                std::thread::sleep(Duration::from_millis(1100));
            }
        }
        assert!(images[0].len() > 300 * 1024);
        assert!(
            images[0] == images[1],
            "two builds of the same ISO (epoch 0) differ"
        );
        assert!(images[2] == images[3], "two builds of the same ISO differ");
        assert!(images[0] != images[2], "the epoch does not reach the ISO");
        // ISO 9660: the primary volume descriptor at sector 16, with our id.
        let pvd = &images[0][16 * 2048..17 * 2048];
        assert_eq!(&pvd[1..6], b"CD001");
        assert_eq!(&pvd[40..40 + VOLUME_ID.len()], VOLUME_ID.as_bytes());
        // El Torito boot record at sector 17.
        assert_eq!(
            &images[0][17 * 2048 + 7..17 * 2048 + 30],
            b"EL TORITO SPECIFICATION"
        );
    }
}
