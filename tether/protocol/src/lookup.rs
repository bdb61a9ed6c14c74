//! How a container's program is found, the same on the host and in every
//! tether: the directories of `PATH` from the process's environment (a
//! default when it has none), or the program itself when it names a path;
//! each candidate resolved inside the container's root, symbolic links
//! followed there (an absolute target is taken from the root again, so a
//! link never leads out of it). The host checks a bundle's program this
//! way at `create`; a tether finds it so when it reads it ahead.

use std::path::{Component, Path, PathBuf};

/// The `PATH` a process without one gets.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// How many symbolic links a lookup follows before it gives up (Linux's).
pub const MAX_LINKS: usize = 40;

/// The paths tried for `program` run in the working directory `cwd`
/// ("" is `/`), in order, each absolute in the container: the program
/// itself when it contains a `/`, else one per directory of the
/// environment's `PATH` (the last `PATH=` entry wins). As POSIX and Go's
/// `LookPath` (runc's) have it, a relative path, a relative directory and
/// an empty one (the working directory) are taken from `cwd`.
pub fn candidates(program: &str, env: &[String], cwd: &str) -> Vec<String> {
    let from_cwd = |p: &str| {
        if p.starts_with('/') {
            p.to_string()
        } else {
            let cwd = cwd.trim_end_matches('/');
            if p.is_empty() {
                if cwd.is_empty() {
                    "/".into()
                } else {
                    cwd.into()
                }
            } else {
                format!("{cwd}/{p}")
            }
        }
    };
    if program.contains('/') {
        return vec![from_cwd(program)];
    }
    let path = env
        .iter()
        .rev()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH);
    path.split(':')
        .map(|d| format!("{}/{program}", from_cwd(d).trim_end_matches('/')))
        .collect()
}

/// The path on this machine of `path` inside `root`, resolving symbolic
/// links as a process whose root is `root` would; `None` when something
/// on the way is missing or the links loop.
pub fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
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
        let here = join(root, &done).join(&part);
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
    Some(join(root, &done))
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

fn join(root: &Path, parts: &[String]) -> PathBuf {
    let mut p = root.to_path_buf();
    p.extend(parts);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_follow_the_environment_path_from_the_working_directory() {
        assert_eq!(candidates("/bin/sh", &[], "/app"), ["/bin/sh"]);
        assert_eq!(candidates("./run", &[], "/app"), ["/app/./run"]);
        assert_eq!(candidates("./run", &[], ""), ["/./run"]);
        assert_eq!(candidates("bin/run", &[], "/app/"), ["/app/bin/run"]);
        // The last PATH wins; an empty entry is the working directory, a
        // relative one is under it.
        assert_eq!(
            candidates("sh", &["PATH=/a".into(), "PATH=/b/::/c:d".into()], "/app"),
            ["/b/sh", "/app/sh", "/c/sh", "/app/d/sh"]
        );
        assert_eq!(candidates("sh", &["PATH=:".into()], "/"), ["/sh", "/sh"]);
        assert_eq!(candidates("sh", &[], "/").len(), 6);
        assert_eq!(candidates("sh", &[], "/")[0], "/usr/local/sbin/sh");
    }

    #[test]
    fn a_path_without_links_stays_in_the_root() {
        let root = std::env::temp_dir().join(format!("lookup-{}", std::process::id()));
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::write(root.join("bin/prog"), b"x").unwrap();
        assert_eq!(resolve(&root, "/bin/prog"), Some(root.join("bin/prog")));
        // `..` never climbs above the root.
        assert_eq!(
            resolve(&root, "/../../bin/./prog"),
            Some(root.join("bin/prog"))
        );
        assert_eq!(resolve(&root, "/bin/missing/prog"), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
