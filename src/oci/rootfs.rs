//! Looking a program up in a bundle's root filesystem, which is a host
//! directory, as the guest will: PATH from the process's environment,
//! symbolic links resolved inside the root (an absolute target is relative
//! to it). So `create` fails as runc's does, with the words engines map to
//! exit codes: "executable file not found in $PATH" (127), "permission
//! denied" (126).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tether_protocol::lookup::{candidates, resolve};

use crate::plumbing::error::{Error, ErrorKind, Result};

/// Check that `program` can be run in `rootfs` with `env`, from the
/// working directory `cwd`.
pub fn check_executable(rootfs: &Path, program: &str, env: &[String], cwd: &str) -> Result<()> {
    let mut denied = false;
    for c in &candidates(program, env, cwd) {
        let Some(host) = resolve(rootfs, c) else {
            continue;
        };
        match std::fs::metadata(&host) {
            Ok(m) if m.is_file() && m.permissions().mode() & 0o111 != 0 => return Ok(()),
            Ok(_) => denied = true,
            Err(_) => {}
        }
    }
    if denied {
        return Err(Error::new(
            ErrorKind::CommandNotInvokable,
            format!("exec: {program:?}: permission denied (not an executable file)"),
        ));
    }
    Err(Error::new(
        ErrorKind::CommandNotFound,
        format!("exec: {program:?}: executable file not found in $PATH: no such file or directory"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn rootfs() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        for d in ["bin", "usr/bin", "etc"] {
            std::fs::create_dir_all(r.join(d)).unwrap();
        }
        std::fs::write(r.join("bin/busybox"), "elf").unwrap();
        std::fs::set_permissions(r.join("bin/busybox"), PermissionsExt::from_mode(0o755)).unwrap();
        symlink("busybox", r.join("bin/sh")).unwrap();
        // An absolute link is relative to the root, never the host's.
        symlink("/bin/busybox", r.join("usr/bin/env")).unwrap();
        symlink("../../bin/../bin/busybox", r.join("usr/bin/up")).unwrap();
        symlink("/loop", r.join("loop")).unwrap();
        std::fs::write(r.join("etc/passwd"), "root:x:0:0::/:/bin/sh\n").unwrap();
        dir
    }

    #[test]
    fn programs_are_found_in_the_root_and_its_path() {
        let dir = rootfs();
        let r = dir.path();
        check_executable(r, "/bin/sh", &[], "/").unwrap();
        check_executable(r, "sh", &["PATH=/bin".into()], "/").unwrap();
        check_executable(r, "env", &[], "/").unwrap();
        check_executable(r, "/usr/bin/up", &[], "/").unwrap();
        assert_eq!(resolve(r, "/usr/bin/env").unwrap(), r.join("bin/busybox"));
        // A relative program, and an empty PATH entry, are taken from the
        // working directory (`podman run -w /bin IMG ./sh`).
        check_executable(r, "./sh", &[], "/bin").unwrap();
        check_executable(r, "sh", &["PATH=/nowhere:".into()], "/bin").unwrap();
        let e = check_executable(r, "./sh", &[], "/").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CommandNotFound);
    }

    #[test]
    fn missing_and_unrunnable_programs_say_what_engines_map() {
        let dir = rootfs();
        let r = dir.path();
        for missing in ["/nonexistent", "nonexistent", "/loop"] {
            let e = check_executable(r, missing, &[], "/").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CommandNotFound, "{missing}");
            assert!(
                e.to_string().contains("executable file not found in $PATH"),
                "{e}"
            );
        }
        // On the host's PATH but not in the root's.
        let e = check_executable(r, "sh", &["PATH=/usr/sbin".into()], "/").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CommandNotFound);
        for denied in ["/etc/passwd", "/etc"] {
            let e = check_executable(r, denied, &[], "/").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CommandNotInvokable, "{denied}");
            assert!(e.to_string().contains("permission denied"), "{e}");
        }
    }
}
