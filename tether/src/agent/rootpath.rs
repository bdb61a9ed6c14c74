//! A container's path as the tether's path of what it names: every
//! symbolic link on the way followed inside the container's root, as the
//! container itself would follow it (an absolute link starts again at the
//! root, `..` stops there). For the boot's mount points and files, made
//! before any process of the container runs; what the tether writes while
//! they run goes through [`Sys::write_in_root`] (`openat2(2)`), which no
//! process can race.

use std::collections::VecDeque;
use std::io;

use super::sys::Sys;

/// Links followed before a path is refused, as Linux refuses it.
const MAX_LINKS: usize = 40;

/// The names of `path` ("." and empty ones dropped).
fn parts(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|p| !p.is_empty() && *p != ".")
}

fn join(root: &str, names: &[String]) -> String {
    if names.is_empty() {
        root.to_string()
    } else {
        format!("{root}/{}", names.join("/"))
    }
}

/// The tether's path of the container's `path` under `root` (its mount
/// point, "/newroot"; empty: the tether's own root, `path` as it is).
/// What does not exist yet is taken as written: nothing below a missing
/// name can be a link.
pub fn resolve(sys: &(impl Sys + ?Sized), root: &str, path: &str) -> io::Result<String> {
    if root.is_empty() {
        return Ok(path.to_string());
    }
    let mut done: Vec<String> = Vec::new();
    let mut todo: VecDeque<String> = parts(path).map(str::to_string).collect();
    let mut links = 0;
    while let Some(name) = todo.pop_front() {
        if name == ".." {
            done.pop();
            continue;
        }
        let at = format!("{}/{name}", join(root, &done));
        match sys.read_link(&at) {
            Ok(Some(target)) => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "{path}: more than {MAX_LINKS} symbolic links in the container's path"
                        ),
                    ));
                }
                if target.starts_with('/') {
                    done.clear();
                }
                for p in parts(&target).rev() {
                    todo.push_front(p.to_string());
                }
            }
            Ok(None) => done.push(name),
            Err(e) if e.kind() == io::ErrorKind::NotFound => done.push(name),
            Err(e) => return Err(e),
        }
    }
    Ok(join(root, &done))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    fn image() -> FakeSys {
        let sys = FakeSys::new();
        sys.add_file("/newroot/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        sys.add_file("/newroot/run/.keep", "");
        sys.add_link("/newroot/var/run", "/run");
        sys.add_link(
            "/newroot/etc/resolv.conf",
            "../run/systemd/resolve/stub.conf",
        );
        sys.add_link("/newroot/etc/mtab", "/proc/self/mounts");
        sys.add_link("/newroot/escape", "../../../../etc");
        sys.add_link("/newroot/loop", "loop");
        sys
    }

    #[test]
    fn paths_without_links_are_the_roots_own() {
        let sys = image();
        assert_eq!(
            resolve(&sys, "/newroot", "/etc/hosts").unwrap(),
            "/newroot/etc/hosts"
        );
        assert_eq!(
            resolve(&sys, "/newroot", "/data/./x//y").unwrap(),
            "/newroot/data/x/y"
        );
        assert_eq!(resolve(&sys, "/newroot", "/").unwrap(), "/newroot");
        assert_eq!(resolve(&sys, "", "/var/run/x").unwrap(), "/var/run/x");
    }

    #[test]
    fn links_are_followed_inside_the_root() {
        let sys = image();
        // Absolute: back to the container's root, not the tether's.
        assert_eq!(
            resolve(&sys, "/newroot", "/var/run/app").unwrap(),
            "/newroot/run/app"
        );
        // Relative, into a directory the image lacks.
        assert_eq!(
            resolve(&sys, "/newroot", "/etc/resolv.conf").unwrap(),
            "/newroot/run/systemd/resolve/stub.conf"
        );
        // `..` stops at the root, through a link or in the path itself.
        assert_eq!(
            resolve(&sys, "/newroot", "/escape/shadow").unwrap(),
            "/newroot/etc/shadow"
        );
        assert_eq!(
            resolve(&sys, "/newroot", "/../../etc/x").unwrap(),
            "/newroot/etc/x"
        );
        assert_eq!(
            resolve(&sys, "/newroot", "/etc/mtab").unwrap(),
            "/newroot/proc/self/mounts"
        );
    }

    #[test]
    fn a_link_loop_is_refused() {
        let e = resolve(&image(), "/newroot", "/loop/x").unwrap_err();
        assert!(e.to_string().contains("more than 40 symbolic links"), "{e}");
    }
}
