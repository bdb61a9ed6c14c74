//! A dynamically linked program from Debian packages: the packages read as
//! one root (files and links, never installed), and the closure of what the
//! dynamic loader would load for the program, found where it would look.
//!
//! The search is glibc's on Debian amd64 without `/etc/ld.so.cache`: the
//! loader's system directories, in order ([`LIBRARY_DIRS`]). A library is
//! found by the `DT_NEEDED` name, following the packages' symbolic links
//! (`libblkid.so.1 -> libblkid.so.1.1.0`); a merged-/usr package that keeps
//! `/lib` under `/usr/lib` is found too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::deb::{self, Control};
use super::dynamic;
use super::elf::{self, Elf};
use super::error::{BootstrapError, BuildResult};
use crate::plumbing::platform::Progress;

/// The directories glibc's loader searches on Debian amd64 when there is no
/// ld.so cache (`ld.so --help`: "system search path"), relative to the root.
pub const LIBRARY_DIRS: [&str; 4] = [
    "lib/x86_64-linux-gnu",
    "usr/lib/x86_64-linux-gnu",
    "lib",
    "usr/lib",
];

/// How many symbolic links a lookup follows before it gives up (a loop).
const MAX_LINKS: usize = 16;

#[derive(Debug)]
enum Entry {
    File { data: Vec<u8>, package: usize },
    Link { target: String, package: usize },
}

/// The files and links that some packages hold, as one tree.
#[derive(Debug, Default)]
pub struct PackageRoot {
    packages: Vec<Control>,
    /// Keyed by path without the leading `/`.
    entries: BTreeMap<String, Entry>,
}

/// A file found in a [`PackageRoot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    /// Its path after following links, without the leading `/`.
    pub path: &'a str,
    /// The package that holds it.
    pub package: &'a str,
    pub data: &'a [u8],
}

/// One file of a program's closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// What it is looked up by: the `DT_NEEDED` name of a library, the
    /// absolute path of the interpreter or the program.
    pub name: String,
    /// Where the package has it (links followed), without the leading `/`.
    pub path: String,
    /// The package that holds it.
    pub package: String,
    pub data: Vec<u8>,
}

/// A program and everything the loader loads to run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub program: Object,
    /// The program interpreter (the dynamic loader).
    pub interpreter: Object,
    /// Every library it needs, directly or through another library, by
    /// name; the interpreter too when a library names it (libc does).
    pub libraries: Vec<Object>,
}

impl PackageRoot {
    pub fn new() -> Self {
        Self::default()
    }

    /// The packages read so far, in order.
    pub fn packages(&self) -> &[Control] {
        &self.packages
    }

    /// Read the files for which `keep` says yes, and every link, from
    /// `deb_path`. Two packages with different contents at one path are an
    /// error (dpkg would refuse to install them together).
    pub fn add_package(
        &mut self,
        deb_path: &Path,
        progress: &dyn Progress,
        keep: &dyn Fn(&str) -> bool,
    ) -> BuildResult<&Control> {
        let index = self.packages.len();
        let mut files = Vec::new();
        let mut links = Vec::new();
        let control = deb::walk_with_links(
            deb_path,
            progress,
            &mut |path, size, reader| {
                if keep(path) {
                    let mut data = Vec::with_capacity(size as usize);
                    reader.read_to_end(&mut data).map_err(|e| {
                        BootstrapError::bad_package(deb_path, format!("reading {path}: {e}"))
                    })?;
                    files.push((path.to_string(), data));
                }
                Ok(())
            },
            &mut |path, target| {
                links.push((path.to_string(), target.to_string()));
                Ok(())
            },
        )?;
        for (path, data) in files {
            self.insert(
                deb_path,
                &control,
                path,
                Entry::File {
                    data,
                    package: index,
                },
            )?;
        }
        for (path, target) in links {
            self.insert(
                deb_path,
                &control,
                path,
                Entry::Link {
                    target,
                    package: index,
                },
            )?;
        }
        self.packages.push(control);
        Ok(&self.packages[index])
    }

    fn insert(
        &mut self,
        deb_path: &Path,
        control: &Control,
        path: String,
        entry: Entry,
    ) -> BuildResult<()> {
        if let Some(existing) = self.entries.get(&path) {
            let same = match (existing, &entry) {
                (Entry::File { data: a, .. }, Entry::File { data: b, .. }) => a == b,
                (Entry::Link { target: a, .. }, Entry::Link { target: b, .. }) => a == b,
                _ => false,
            };
            if same {
                return Ok(());
            }
            let (Entry::File { package, .. } | Entry::Link { package, .. }) = existing;
            return Err(BootstrapError::bad_package(
                deb_path,
                format!(
                    "{} ships /{path}, which {} ships with other contents",
                    control.package, self.packages[*package].package
                ),
            ));
        }
        self.entries.insert(path, entry);
        Ok(())
    }

    /// The file at `path` (absolute or not), following symbolic links; on a
    /// miss, the same path under `usr/` (merged /usr).
    pub fn find(&self, path: &str) -> Option<Found<'_>> {
        let path = path.trim_start_matches('/');
        self.follow(path)
            .or_else(|| self.follow(&format!("usr/{path}")))
    }

    fn follow(&self, path: &str) -> Option<Found<'_>> {
        let mut current = normalize(path)?;
        for _ in 0..MAX_LINKS {
            let (key, entry) = self.entries.get_key_value(&current)?;
            match entry {
                Entry::File { data, package } => {
                    return Some(Found {
                        path: key,
                        package: &self.packages[*package].package,
                        data,
                    });
                }
                Entry::Link { target, .. } => {
                    current = if let Some(absolute) = target.strip_prefix('/') {
                        normalize(absolute)?
                    } else {
                        let dir = current.rsplit_once('/').map_or("", |(dir, _)| dir);
                        normalize(&format!("{dir}/{target}"))?
                    };
                }
            }
        }
        None
    }

    /// The first x86-64 ELF file called `name` in the loader's directories
    /// (the loader, too, skips a file of another architecture).
    fn find_library(&self, name: &str) -> Option<Found<'_>> {
        LIBRARY_DIRS
            .iter()
            .filter_map(|dir| self.find(&format!("{dir}/{name}")))
            .find(|found| Elf::parse(found.data).is_ok_and(|e| e.machine == elf::EM_X86_64))
    }
}

/// `a/./b/../c` as `a/c`; `None` when it climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn object(name: &str, found: Found<'_>) -> Object {
    Object {
        name: name.to_string(),
        path: found.path.to_string(),
        package: found.package.to_string(),
        data: found.data.to_vec(),
    }
}

fn read_dynamic(object: &Object) -> BuildResult<dynamic::Dynamic> {
    let bad = |reason: String| BootstrapError::BadExecutable {
        path: format!("/{} (from {})", object.path, object.package).into(),
        reason,
    };
    let elf = Elf::parse(&object.data).map_err(|e| bad(e.to_string()))?;
    if elf.machine != elf::EM_X86_64 {
        return Err(bad(format!(
            "it is built for ELF machine {}, not x86-64",
            elf.machine
        )));
    }
    dynamic::read(&elf).map_err(|e| bad(e.to_string()))
}

/// The program at `program` (an absolute path in `root`) with its
/// interpreter and every library it needs, transitively, in name order.
/// A library the packages do not have fails with its name and who needs it.
pub fn closure(root: &PackageRoot, program: &str) -> BuildResult<Closure> {
    let packages = || {
        root.packages
            .iter()
            .map(|c| c.package.clone())
            .collect::<Vec<_>>()
    };
    let program = root
        .find(program)
        .map(|found| object(program, found))
        .ok_or_else(|| BootstrapError::NotInPackages {
            file: program.to_string(),
            needed_by: None,
            packages: packages(),
        })?;
    let dynamic = read_dynamic(&program)?;
    let interpreter_path =
        dynamic
            .interpreter
            .clone()
            .ok_or_else(|| BootstrapError::BadExecutable {
                path: format!("/{} (from {})", program.path, program.package).into(),
                reason: "it has no program interpreter: it is not a dynamically linked executable"
                    .into(),
            })?;
    let interpreter = root
        .find(&interpreter_path)
        .map(|found| object(&interpreter_path, found))
        .ok_or_else(|| BootstrapError::NotInPackages {
            file: interpreter_path.clone(),
            needed_by: Some(program.name.clone()),
            packages: packages(),
        })?;

    let mut libraries: BTreeMap<String, Object> = BTreeMap::new();
    let mut queue: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut enqueue = |queue: &mut Vec<(String, String)>, needer: &str, needed: &[String]| {
        for name in needed {
            if seen.insert(name.clone()) {
                queue.push((name.clone(), needer.to_string()));
            }
        }
    };
    enqueue(&mut queue, &program.name, &dynamic.needed);
    enqueue(
        &mut queue,
        &interpreter.name,
        &read_dynamic(&interpreter)?.needed,
    );
    while let Some((name, needed_by)) = queue.pop() {
        if name.contains('/') {
            return Err(BootstrapError::BadExecutable {
                path: needed_by.into(),
                reason: format!("it needs {name:?} by path, which the builder does not follow"),
            });
        }
        let found = root
            .find_library(&name)
            .ok_or_else(|| BootstrapError::NotInPackages {
                file: name.clone(),
                needed_by: Some(needed_by.clone()),
                packages: packages(),
            })?;
        let library = object(&name, found);
        enqueue(&mut queue, &name, &read_dynamic(&library)?.needed);
        libraries.insert(name, library);
    }
    Ok(Closure {
        program,
        interpreter,
        libraries: libraries.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::dynamic::tests::synthetic;
    use super::super::tests::deb_with_links;
    use super::*;
    use crate::plumbing::platform::NoProgress;

    const LOADER: &str = "/lib64/ld-linux-x86-64.so.2";

    fn everything(_: &str) -> bool {
        true
    }

    /// Debian 12's layout of mke2fs's packages, in miniature.
    fn root(dir: &Path, with_uuid: bool) -> PackageRoot {
        let file = |path: &str, data: Vec<u8>| (path.to_string(), data, None);
        let link = |path: &str, target: &'static str| (path.to_string(), Vec::new(), Some(target));
        let packages = [
            (
                "e2fsprogs",
                vec![
                    file(
                        "./sbin/mke2fs",
                        synthetic(
                            Some(LOADER),
                            &["libext2fs.so.2", "libuuid.so.1", "libc.so.6"],
                            b"mke2fs",
                        ),
                    ),
                    link("./sbin/mkfs.ext4", "mke2fs"),
                ],
            ),
            (
                "libext2fs2",
                vec![
                    file(
                        "./lib/x86_64-linux-gnu/libext2fs.so.2.4",
                        synthetic(None, &["libcom_err.so.2", "libc.so.6"], b"ext2fs"),
                    ),
                    link("./lib/x86_64-linux-gnu/libext2fs.so.2", "libext2fs.so.2.4"),
                ],
            ),
            (
                "libcom-err2",
                vec![file(
                    "./lib/x86_64-linux-gnu/libcom_err.so.2",
                    synthetic(None, &["libc.so.6"], b"com_err"),
                )],
            ),
            (
                "libuuid1",
                if with_uuid {
                    vec![
                        file(
                            "./usr/lib/x86_64-linux-gnu/libuuid.so.1.3.0",
                            synthetic(None, &["libc.so.6"], b"uuid"),
                        ),
                        link(
                            "./usr/lib/x86_64-linux-gnu/libuuid.so.1",
                            "libuuid.so.1.3.0",
                        ),
                    ]
                } else {
                    vec![file("./usr/share/doc/libuuid1/copyright", b"text".to_vec())]
                },
            ),
            (
                "libc6",
                vec![
                    file(
                        "./lib/x86_64-linux-gnu/libc.so.6",
                        synthetic(None, &["ld-linux-x86-64.so.2"], b"libc"),
                    ),
                    file(
                        "./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                        synthetic(None, &[], b"ld.so"),
                    ),
                    link(
                        "./lib64/ld-linux-x86-64.so.2",
                        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                    ),
                    file(
                        "./lib/x86_64-linux-gnu/libm.so.6",
                        synthetic(None, &[], b"m"),
                    ),
                ],
            ),
        ];
        let mut root = PackageRoot::new();
        for (name, entries) in packages {
            let path = dir.join(format!("{name}.deb"));
            std::fs::write(&path, deb_with_links(name, "1", &entries)).unwrap();
            root.add_package(&path, &NoProgress, &everything).unwrap();
        }
        root
    }

    #[test]
    fn finds_the_closure_the_loader_would_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = root(dir.path(), true);
        let closure = closure(&root, "/sbin/mkfs.ext4").unwrap();
        assert_eq!(closure.program.path, "sbin/mke2fs");
        assert_eq!(closure.program.package, "e2fsprogs");
        assert_eq!(closure.interpreter.name, LOADER);
        assert_eq!(
            closure.interpreter.path,
            "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        );
        let libraries: Vec<(&str, &str, &str)> = closure
            .libraries
            .iter()
            .map(|l| (l.name.as_str(), l.path.as_str(), l.package.as_str()))
            .collect();
        assert_eq!(
            libraries,
            [
                (
                    "ld-linux-x86-64.so.2",
                    "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                    "libc6"
                ),
                ("libc.so.6", "lib/x86_64-linux-gnu/libc.so.6", "libc6"),
                (
                    "libcom_err.so.2",
                    "lib/x86_64-linux-gnu/libcom_err.so.2",
                    "libcom-err2"
                ),
                (
                    "libext2fs.so.2",
                    "lib/x86_64-linux-gnu/libext2fs.so.2.4",
                    "libext2fs2"
                ),
                (
                    "libuuid.so.1",
                    "usr/lib/x86_64-linux-gnu/libuuid.so.1.3.0",
                    "libuuid1"
                ),
            ]
        );
        // libm is in libc6 but nobody needs it.
        assert!(!closure.libraries.iter().any(|l| l.name == "libm.so.6"));
        assert_eq!(
            closure.libraries[3].data,
            synthetic(None, &["libcom_err.so.2", "libc.so.6"], b"ext2fs")
        );
    }

    #[test]
    fn a_missing_library_is_named_with_who_needs_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = root(dir.path(), false);
        let err = closure(&root, "/sbin/mke2fs").unwrap_err();
        assert_eq!(
            err.to_string(),
            "libuuid.so.1 (needed by /sbin/mke2fs) is in none of the packages e2fsprogs, libext2fs2, libcom-err2, libuuid1, libc6"
        );
        let err = closure(&root, "/sbin/e2fsck").unwrap_err();
        assert!(
            err.to_string().starts_with("/sbin/e2fsck is in none"),
            "{err}"
        );
    }

    #[test]
    fn links_resolve_like_a_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let root = root(dir.path(), true);
        // Relative, absolute, through `..`, and merged /usr.
        assert_eq!(root.find("/sbin/mkfs.ext4").unwrap().path, "sbin/mke2fs");
        assert_eq!(
            root.find("lib64/ld-linux-x86-64.so.2").unwrap().path,
            "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        );
        assert_eq!(
            root.find("/lib/x86_64-linux-gnu/libuuid.so.1")
                .unwrap()
                .path,
            "usr/lib/x86_64-linux-gnu/libuuid.so.1.3.0"
        );
        assert!(root.find("/sbin/../sbin/./mke2fs").is_some());
        assert!(root.find("/../../etc/passwd").is_none());
        assert!(root.find("/usr/share/doc").is_none());
        assert_eq!(normalize("a/./b/../c"), Some("a/c".into()));
    }

    #[test]
    fn link_loops_and_conflicting_packages_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let looping = dir.path().join("loop.deb");
        std::fs::write(
            &looping,
            deb_with_links(
                "loop",
                "1",
                &[
                    ("./lib/a".into(), vec![], Some("b")),
                    ("./lib/b".into(), vec![], Some("/lib/a")),
                ],
            ),
        )
        .unwrap();
        let mut root = PackageRoot::new();
        root.add_package(&looping, &NoProgress, &everything)
            .unwrap();
        assert!(root.find("/lib/a").is_none());

        let one = dir.path().join("one.deb");
        let two = dir.path().join("two.deb");
        std::fs::write(
            &one,
            deb_with_links("one", "1", &[("./lib/x".into(), b"1".to_vec(), None)]),
        )
        .unwrap();
        std::fs::write(
            &two,
            deb_with_links("two", "1", &[("./lib/x".into(), b"2".to_vec(), None)]),
        )
        .unwrap();
        root.add_package(&one, &NoProgress, &everything).unwrap();
        // The same package twice is harmless.
        root.add_package(&one, &NoProgress, &everything).unwrap();
        let err = root
            .add_package(&two, &NoProgress, &everything)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("two ships /lib/x, which one ships with other contents"),
            "{err}"
        );
    }
}
