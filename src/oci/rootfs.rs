//! Looking a program up in a bundle's root filesystem, which is a host
//! directory, as the guest will: PATH from the process's environment,
//! symbolic links resolved inside the root (an absolute target is relative
//! to it). So `create` fails as runc's does, with the words engines map to
//! exit codes: "executable file not found in $PATH" (127), "permission
//! denied" (126).

use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use crate::plumbing::error::{Error, ErrorKind, Result};

/// The PATH a process without one gets (the tether's default).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// How many symbolic links a lookup follows before it gives up (Linux's).
const MAX_LINKS: usize = 40;

/// Check that `program` can be run in `rootfs` with `env`.
pub fn check_executable(rootfs: &Path, program: &str, env: &[String]) -> Result<()> {
    let candidates: Vec<String> = if program.contains('/') {
        vec![program.to_string()]
    } else {
        let path = env
            .iter()
            .rev()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or(DEFAULT_PATH);
        path.split(':')
            .filter(|d| !d.is_empty())
            .map(|d| format!("{}/{program}", d.trim_end_matches('/')))
            .collect()
    };
    let mut denied = false;
    for c in &candidates {
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

/// The host path of `path` inside `rootfs`, resolving symbolic links as a
/// process chrooted there would; `None` when something on the way is
/// missing or the links loop.
pub fn resolve(rootfs: &Path, path: &str) -> Option<PathBuf> {
    let mut done: Vec<String> = Vec::new();
    let mut todo: Vec<String> = components(path).into_iter().rev().collect();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        match part.as_str() {
            "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        let here = join(rootfs, &done).join(&part);
        let meta = std::fs::symlink_metadata(&here).ok()?;
        if !meta.file_type().is_symlink() {
            done.push(part);
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return None;
        }
        let target = std::fs::read_link(&here).ok()?;
        let target = target.to_string_lossy();
        if target.starts_with('/') {
            done.clear();
        }
        todo.extend(components(&target).into_iter().rev());
    }
    Some(join(rootfs, &done))
}

fn components(path: &str) -> Vec<String> {
    Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

fn join(rootfs: &Path, parts: &[String]) -> PathBuf {
    let mut p = rootfs.to_path_buf();
    p.extend(parts);
    p
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
        check_executable(r, "/bin/sh", &[]).unwrap();
        check_executable(r, "sh", &["PATH=/bin".into()]).unwrap();
        check_executable(r, "env", &[]).unwrap();
        check_executable(r, "/usr/bin/up", &[]).unwrap();
        assert_eq!(resolve(r, "/usr/bin/env").unwrap(), r.join("bin/busybox"));
    }

    #[test]
    fn missing_and_unrunnable_programs_say_what_engines_map() {
        let dir = rootfs();
        let r = dir.path();
        for missing in ["/nonexistent", "nonexistent", "/loop"] {
            let e = check_executable(r, missing, &[]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CommandNotFound, "{missing}");
            assert!(
                e.to_string().contains("executable file not found in $PATH"),
                "{e}"
            );
        }
        // On the host's PATH but not in the root's.
        let e = check_executable(r, "sh", &["PATH=/usr/sbin".into()]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CommandNotFound);
        for denied in ["/etc/passwd", "/etc"] {
            let e = check_executable(r, denied, &[]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CommandNotInvokable, "{denied}");
            assert!(e.to_string().contains("permission denied"), "{e}");
        }
    }
}
