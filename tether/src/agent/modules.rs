//! Kernel modules from the image's manifest `/lib/modules/vicport.modules`:
//! one path per line relative to `/lib/modules/<release>/`, already ordered
//! dependencies-first by the image builder, loaded with `finit_module`.

use super::sys::Sys;

/// Where the image builder puts the manifest.
pub const MANIFEST: &str = "/lib/modules/vicport.modules";

/// Parse the manifest: blank lines and `#` comments are skipped; absolute
/// paths and `..` are refused (line named).
pub fn parse_manifest(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('/') || l.split('/').any(|c| c == "..") {
            return Err(format!(
                "{MANIFEST} line {}: `{l}` must be relative to /lib/modules/<release>/",
                i + 1
            ));
        }
        out.push(l.to_string());
    }
    Ok(out)
}

/// What loading the manifest did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ModuleReport {
    /// Loaded now.
    pub loaded: Vec<String>,
    /// Already loaded (EEXIST).
    pub present: Vec<String>,
    /// Missing or failed, with why.
    pub failed: Vec<(String, String)>,
}

/// Load every module of the manifest in order; failures are reported on
/// the console and the rest still load.
pub fn load_manifest(sys: &dyn Sys) -> ModuleReport {
    let mut report = ModuleReport::default();
    let text = match sys.read_file(MANIFEST) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) => {
            super::say(&format!(
                "no module manifest {MANIFEST}: {e}; loading no modules"
            ));
            return report;
        }
    };
    let list = match parse_manifest(&text) {
        Ok(l) => l,
        Err(e) => {
            super::say(&e);
            return report;
        }
    };
    let release = match sys.kernel_release() {
        Ok(r) => r,
        Err(e) => {
            super::say(&format!(
                "cannot read the kernel release: {e}; loading no modules"
            ));
            return report;
        }
    };
    for m in list {
        let path = format!("/lib/modules/{release}/{m}");
        match sys.finit_module(&path) {
            Ok(()) => report.loaded.push(m),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => report.present.push(m),
            Err(e) => {
                // finit_module says ENOENT for unknown symbols too.
                let why = if e.raw_os_error() == Some(libc::ENOENT) && sys.exists(&path) {
                    "unknown symbols: a module it depends on is missing or listed after it (see dmesg)".to_string()
                } else {
                    e.to_string()
                };
                super::say(&format!("cannot load kernel module {path}: {why}"));
                report.failed.push((m, why));
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    #[test]
    fn manifest_parsing() {
        let l = parse_manifest("# deps first\nkernel/a.ko\n\n  kernel/b.ko  \n").unwrap();
        assert_eq!(l, vec!["kernel/a.ko", "kernel/b.ko"]);
        assert!(
            parse_manifest("ok.ko\n/abs.ko\n")
                .unwrap_err()
                .contains("line 2")
        );
        assert!(parse_manifest("../x.ko\n").is_err());
    }

    #[test]
    fn loads_in_order_tolerating_eexist_and_reporting_failures() {
        let sys = FakeSys::new();
        sys.add_file(
            MANIFEST,
            "kernel/virtio.ko\nkernel/virtio_ring.ko\nkernel/missing.ko\nkernel/virtio_blk.ko\n",
        );
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/virtio_ring.ko",
            libc::EEXIST,
        );
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/missing.ko",
            libc::ENOENT,
        );
        // Present but with unresolved symbols: the kernel says ENOENT too.
        sys.add_file("/lib/modules/6.1.0-test/kernel/virtio_blk.ko", "ko");
        sys.fail(
            "finit_module /lib/modules/6.1.0-test/kernel/virtio_blk.ko",
            libc::ENOENT,
        );
        let r = load_manifest(&sys);
        assert_eq!(r.loaded, vec!["kernel/virtio.ko"]);
        assert_eq!(r.present, vec!["kernel/virtio_ring.ko"]);
        assert_eq!(r.failed.len(), 2);
        assert_eq!(r.failed[0].0, "kernel/missing.ko");
        assert!(r.failed[0].1.contains("No such file"), "{:?}", r.failed);
        assert_eq!(r.failed[1].0, "kernel/virtio_blk.ko");
        assert!(r.failed[1].1.contains("unknown symbols"), "{:?}", r.failed);
        assert_eq!(
            sys.calls(),
            [
                "finit_module /lib/modules/6.1.0-test/kernel/virtio.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/virtio_ring.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/missing.ko",
                "finit_module /lib/modules/6.1.0-test/kernel/virtio_blk.ko",
            ]
        );
    }

    #[test]
    fn an_empty_manifest_loads_nothing_and_fails_nothing() {
        // What the image builder writes for a kernel with every driver
        // built in (the microvm flavour): an empty file.
        let sys = FakeSys::new();
        sys.add_file(MANIFEST, "");
        assert_eq!(load_manifest(&sys), ModuleReport::default());
        assert!(sys.calls().is_empty(), "{:?}", sys.calls());
    }

    #[test]
    fn a_missing_manifest_loads_nothing() {
        let sys = FakeSys::new();
        assert_eq!(load_manifest(&sys), ModuleReport::default());
        assert!(sys.calls().is_empty());
    }
}
