//! Warming the guest's page cache with the primary's program while the
//! domain boots. A containerVM's root disk is cold: the first exec of the
//! primary faults every page it touches in from the virtual disk, one
//! request at a time, while the vCPU waits. Read ahead in the background
//! as soon as the container's root is mounted, the program (and, for a
//! dynamically linked one, its interpreter and the libraries it names) is
//! in memory by the time the host attaches and the primary starts: the
//! reads are done by the hypervisor's I/O thread while the guest goes on
//! booting. In one instrumented run under TCG, busybox's `true` went from
//! ~290 ms between its spawn and its end to ~110 ms; the README's
//! Performance section has the A/B of whole `run --rm`s.
//!
//! Only a hint: a program that cannot be found or read is left to `spawn`,
//! which reports it.

use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use object::Endianness;
use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader};
use tether_protocol::lookup::{candidates, resolve};

/// How much of the program is read to find its interpreter and libraries
/// (headers and the dynamic segment lie near the start of any program a
/// container runs; a larger one still gets its own read-ahead).
const HEADER_WINDOW: u64 = 1 << 20;

/// Where libraries are looked for by name (the multiarch and classic
/// directories; what `ld.so.cache` would add is not read).
const LIBRARY_DIRS: [&str; 6] = [
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
];

/// The files to read ahead for `argv0` run in `root` with the environment
/// `env` (found as [`tether_protocol::lookup`] says, as `spawn` finds it),
/// as paths on the guest.
pub fn plan(root: &Path, argv0: &str, env: &[String], cwd: &str) -> Vec<PathBuf> {
    let Some(program) = candidates(argv0, env, cwd)
        .iter()
        .filter_map(|c| resolve(root, c))
        .find(|p| p.is_file())
    else {
        return Vec::new();
    };
    let mut files = vec![program.clone()];
    let Ok(head) = read_head(&program) else {
        return files;
    };
    let (interp, needed) = dynamic_deps(&head);
    if let Some(i) = interp.and_then(|i| resolve(root, &i)) {
        files.push(i);
    }
    for lib in needed {
        if let Some(found) = LIBRARY_DIRS
            .iter()
            .filter_map(|d| resolve(root, &format!("{d}/{lib}")))
            .find(|p| p.is_file())
        {
            if !files.contains(&found) {
                files.push(found);
            }
        }
    }
    files
}

/// Start reading `files` into the page cache: `POSIX_FADV_WILLNEED` queues
/// the reads and returns, the hypervisor does them.
pub fn read_ahead(files: &[PathBuf]) {
    for f in files {
        if let Ok(file) = File::open(f) {
            // SAFETY: a valid descriptor; offset 0, length 0 = to the end.
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED) };
        }
    }
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)?
        .take(HEADER_WINDOW)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// A 64-bit little-endian ELF program's interpreter (`PT_INTERP`) and the
/// libraries its dynamic segment names (`DT_NEEDED`), as far as `head`
/// holds them. Anything else (a script, a static program) has neither.
pub fn dynamic_deps(head: &[u8]) -> (Option<String>, Vec<String>) {
    let Ok(header) = elf::FileHeader64::<Endianness>::parse(head) else {
        return (None, Vec::new());
    };
    let Ok(endian) = header.endian() else {
        return (None, Vec::new());
    };
    if endian != Endianness::Little {
        return (None, Vec::new());
    }
    let Ok(segments) = header.program_headers(endian, head) else {
        return (None, Vec::new());
    };
    let interp = segments
        .iter()
        .find_map(|s| s.interpreter(endian, head).ok().flatten())
        .and_then(|i| std::str::from_utf8(i).ok())
        .map(str::to_string);
    let mut needed = Vec::new();
    let dynamic = segments
        .iter()
        .find_map(|s| s.dynamic(endian, head).ok().flatten());
    if let Some(entries) = dynamic {
        // DT_STRTAB is an address: find it in the file through the loads.
        let strtab_addr = entries
            .iter()
            .find(|d| d.d_tag(endian) == u64::from(elf::DT_STRTAB))
            .map(|d| d.d_val(endian));
        let strtab_off = strtab_addr.and_then(|addr| {
            // Checked arithmetic: the headers are the image's, not ours.
            segments.iter().find_map(|s| {
                let (vaddr, memsz) = (s.p_vaddr(endian), s.p_memsz(endian));
                let end = vaddr.checked_add(memsz)?;
                (s.p_type(endian) == elf::PT_LOAD && addr >= vaddr && addr < end)
                    .then(|| (addr - vaddr).checked_add(s.p_offset(endian)))
                    .flatten()
            })
        });
        if let Some(off) = strtab_off.and_then(|o| usize::try_from(o).ok()) {
            for d in entries {
                if d.d_tag(endian) != u64::from(elf::DT_NEEDED) {
                    continue;
                }
                let Some(start) = usize::try_from(d.d_val(endian))
                    .ok()
                    .and_then(|v| v.checked_add(off))
                else {
                    continue;
                };
                let Some(rest) = head.get(start..) else {
                    continue;
                };
                let name = &rest[..rest.iter().position(|&b| b == 0).unwrap_or(rest.len())];
                if let Ok(n) = std::str::from_utf8(name) {
                    if !n.is_empty() && !n.contains('/') {
                        needed.push(n.to_string());
                    }
                }
            }
        }
    }
    (interp, needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_is_found_as_spawn_finds_it() {
        let dir = tempfile_dir("resolve");
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::create_dir_all(dir.join("usr/bin")).unwrap();
        std::fs::write(dir.join("bin/busybox"), b"x").unwrap();
        // Absolute and relative links, as images have them.
        std::os::unix::fs::symlink("/bin/busybox", dir.join("bin/sh")).unwrap();
        std::os::unix::fs::symlink("../../bin/sh", dir.join("usr/bin/sh")).unwrap();
        // A link that would leave the root stays in it.
        std::os::unix::fs::symlink("/../../../bin/busybox", dir.join("bin/up")).unwrap();
        std::os::unix::fs::symlink("loop", dir.join("bin/loop")).unwrap();
        let want = dir.join("bin/busybox");
        assert_eq!(resolve(&dir, "/bin/sh"), Some(want.clone()));
        assert_eq!(resolve(&dir, "/usr/bin/sh"), Some(want.clone()));
        assert_eq!(resolve(&dir, "/bin/up"), Some(want.clone()));
        assert_eq!(resolve(&dir, "/bin/loop"), None);
        assert_eq!(resolve(&dir, "/bin/missing"), None);
        // The search path finds the first candidate, as spawn does.
        let path = ["PATH=/nowhere:/usr/bin:/bin".to_string()];
        assert_eq!(plan(&dir, "sh", &path, "/"), vec![want.clone()]);
        assert_eq!(plan(&dir, "./sh", &[], "/bin"), vec![want]);
        assert!(plan(&dir, "absent", &path, "/").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dynamic_program_names_its_interpreter_and_libraries() {
        // The host's own `true`: a small dynamically linked program on
        // Debian (a static one has neither).
        let head = read_head(Path::new("/bin/true")).unwrap();
        let (interp, needed) = dynamic_deps(&head);
        if let Some(i) = interp {
            assert!(i.contains("ld-linux"), "{i}");
            assert!(
                needed.iter().any(|n| n.starts_with("libc.so")),
                "{needed:?}"
            );
        } else {
            assert!(needed.is_empty());
        }
        // Headers come from the image: damaged ones (every byte of the
        // first KiB in turn set to 0xff, overflowing sizes and offsets)
        // never panic the tether.
        let head = read_head(Path::new("/bin/true")).unwrap();
        for at in 0..head.len().min(1024) {
            let mut bad = head.clone();
            bad[at] = 0xff;
            let _ = dynamic_deps(&bad);
        }
        // Loads whose address range and file offset overflow u64.
        let le = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap());
        let phoff = le(&head[32..40]) as usize;
        let (size, count) = (
            u16::from_le_bytes([head[54], head[55]]) as usize,
            u16::from_le_bytes([head[56], head[57]]) as usize,
        );
        let mut bad = head.clone();
        for i in 0..count {
            let at = phoff + i * size;
            if u32::from_le_bytes(bad[at..at + 4].try_into().unwrap()) == elf::PT_LOAD {
                // p_offset, p_vaddr, p_memsz: an end past u64::MAX.
                bad[at + 8..at + 16].copy_from_slice(&u64::MAX.to_le_bytes());
                bad[at + 16..at + 24].copy_from_slice(&1u64.to_le_bytes());
                bad[at + 40..at + 48].copy_from_slice(&u64::MAX.to_le_bytes());
            }
        }
        let _ = dynamic_deps(&bad);
        // A script or garbage has neither.
        assert_eq!(dynamic_deps(b"#!/bin/sh\n"), (None, Vec::new()));
        assert_eq!(dynamic_deps(&[0x7f, b'E', b'L', b'F']), (None, Vec::new()));
    }

    fn tempfile_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tether-prefetch-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
