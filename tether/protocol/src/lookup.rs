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

/// The paths tried for `program`, in order: itself when it contains a
/// `/`, else one per directory of the environment's `PATH` (the last
/// `PATH=` entry wins; empty directories are skipped).
pub fn candidates(program: &str, env: &[String]) -> Vec<String> {
    if program.contains('/') {
        return vec![program.to_string()];
    }
    let path = env
        .iter()
        .rev()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH);
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| format!("{}/{program}", d.trim_end_matches('/')))
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
    fn candidates_follow_the_environment_path() {
        assert_eq!(candidates("/bin/sh", &[]), ["/bin/sh"]);
        assert_eq!(candidates("./run", &[]), ["./run"]);
        assert_eq!(
            candidates("sh", &["PATH=/a".into(), "PATH=/b/::/c".into()]),
            ["/b/sh", "/c/sh"]
        );
        assert_eq!(candidates("sh", &[]).len(), 6);
        assert_eq!(candidates("sh", &[])[0], "/usr/local/sbin/sh");
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
