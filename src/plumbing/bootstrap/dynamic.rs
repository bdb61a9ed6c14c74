//! What the dynamic loader reads of an ELF64 executable or shared library:
//! its program interpreter (`PT_INTERP`) and the libraries it needs
//! (`DT_NEEDED`), found through the program headers as the loader finds them
//! (parsed by the `object` crate).
//!
//! Not followed: `DT_RPATH`/`DT_RUNPATH` (Debian's libraries have none),
//! symbol versions, `dlopen`.

use object::elf::{DT_NEEDED, DT_NULL, DT_STRSZ, DT_STRTAB, PT_LOAD};
use object::read::elf::{Dyn, ProgramHeader};

use super::elf::{Elf, ElfError};

/// How an ELF file is linked at run time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dynamic {
    /// The program interpreter's absolute path (`/lib64/ld-linux-x86-64.so.2`);
    /// `None` for a shared library or a static executable.
    pub interpreter: Option<String>,
    /// The `DT_NEEDED` names, in the file's order (the loader's order).
    pub needed: Vec<String>,
}

fn bad(message: impl Into<String>) -> ElfError {
    ElfError(message.into())
}

/// Read the program interpreter and the needed libraries of `elf`.
pub fn read(elf: &Elf<'_>) -> Result<Dynamic, ElfError> {
    let (endian, data) = (elf.endian(), elf.data());
    let headers = elf.program_headers();
    let mut dynamic = Dynamic::default();
    if let Some(path) = elf.interpreter()? {
        let path = std::str::from_utf8(path)
            .map_err(|_| bad("PT_INTERP is not a UTF-8 path"))?
            .to_string();
        if !path.starts_with('/') {
            return Err(bad(format!(
                "the program interpreter {path:?} is not absolute"
            )));
        }
        dynamic.interpreter = Some(path);
    }
    let mut entries = None;
    for header in headers {
        if let Some(found) = header.dynamic(endian, data)? {
            entries = Some(found);
            break;
        }
    }
    let Some(entries) = entries else {
        return Ok(dynamic);
    };
    let mut needed = Vec::new();
    let (mut strtab, mut strsz) = (None, None);
    for entry in entries {
        let value = entry.d_val(endian);
        match entry.tag32(endian) {
            Some(DT_NULL) => break,
            Some(DT_NEEDED) => needed.push(value),
            Some(DT_STRTAB) => strtab = Some(value),
            Some(DT_STRSZ) => strsz = Some(value),
            _ => {}
        }
    }
    if needed.is_empty() {
        return Ok(dynamic);
    }
    let (Some(address), Some(size)) = (strtab, strsz) else {
        return Err(bad("DT_NEEDED without DT_STRTAB and DT_STRSZ"));
    };
    // The dynamic section's pointers are addresses: the loader finds them in
    // the `PT_LOAD` segments it maps.
    let table = headers
        .iter()
        .filter(|h| h.p_type(endian) == PT_LOAD)
        .find_map(|h| h.data_range(endian, data, address, size).ok().flatten())
        .ok_or_else(|| bad(format!("address {address:#x} is in no loaded segment")))?;
    for offset in needed {
        let name = usize::try_from(offset)
            .ok()
            .and_then(|offset| c_string(table, offset))
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                bad(format!(
                    "DT_NEEDED name at {offset} is outside the string table"
                ))
            })?;
        dynamic.needed.push(name);
    }
    Ok(dynamic)
}

/// The NUL-terminated UTF-8 string at `offset`; `None` if it runs past the
/// end or is not UTF-8.
fn c_string(table: &[u8], offset: usize) -> Option<String> {
    let rest = table.get(offset..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    std::str::from_utf8(&rest[..end]).ok().map(str::to_string)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::elf::{EM_X86_64, ET_DYN, ET_EXEC};
    use super::*;
    use object::elf::{PT_DYNAMIC, PT_INTERP};

    /// Where [`synthetic`] maps its one loadable segment.
    const BASE: u64 = 0x40_0000;

    /// A minimal little-endian x86-64 ELF64 as a linker lays out a
    /// dynamically linked file, without section headers: program headers
    /// (PT_LOAD of the whole file at [`BASE`], PT_INTERP when `interpreter`
    /// is given, PT_DYNAMIC), the interpreter path, the string table, the
    /// dynamic section, then `payload` (so different files differ).
    pub(crate) fn synthetic(interpreter: Option<&str>, needed: &[&str], payload: &[u8]) -> Vec<u8> {
        let headers = if interpreter.is_some() { 3 } else { 2 };
        let mut out = vec![0u8; 64 + 56 * headers];
        let interp_at = out.len() as u64;
        if let Some(path) = interpreter {
            out.extend_from_slice(path.as_bytes());
            out.push(0);
        }
        let interp_len = out.len() as u64 - interp_at;
        let strtab_at = out.len() as u64;
        let mut names = Vec::new();
        out.push(0);
        for name in needed {
            names.push(out.len() as u64 - strtab_at);
            out.extend_from_slice(name.as_bytes());
            out.push(0);
        }
        let strsz = out.len() as u64 - strtab_at;
        while out.len() % 8 != 0 {
            out.push(0);
        }
        let dynamic_at = out.len() as u64;
        let mut entry = |tag: u32, value: u64| {
            out.extend_from_slice(&u64::from(tag).to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        };
        for name in names {
            entry(DT_NEEDED, name);
        }
        entry(DT_STRTAB, BASE + strtab_at);
        entry(DT_STRSZ, strsz);
        entry(DT_NULL, 0);
        let dynamic_len = out.len() as u64 - dynamic_at;
        out.extend_from_slice(payload);
        let total = out.len() as u64;

        let mut phdrs = Vec::new();
        let mut phdr = |kind: u32, offset: u64, filesz: u64| {
            let mut p = [0u8; 56];
            p[0..4].copy_from_slice(&kind.to_le_bytes());
            p[8..16].copy_from_slice(&offset.to_le_bytes());
            p[16..24].copy_from_slice(&(BASE + offset).to_le_bytes());
            p[32..40].copy_from_slice(&filesz.to_le_bytes());
            p[40..48].copy_from_slice(&filesz.to_le_bytes());
            phdrs.extend_from_slice(&p);
        };
        phdr(PT_LOAD, 0, total);
        if interpreter.is_some() {
            phdr(PT_INTERP, interp_at, interp_len);
        }
        phdr(PT_DYNAMIC, dynamic_at, dynamic_len);
        out[64..64 + phdrs.len()].copy_from_slice(&phdrs);
        out[..4].copy_from_slice(b"\x7fELF");
        out[4] = 2;
        out[5] = 1;
        out[6] = 1;
        let kind = if interpreter.is_some() {
            ET_EXEC
        } else {
            ET_DYN
        };
        out[0x10..0x12].copy_from_slice(&kind.to_le_bytes());
        out[0x12..0x14].copy_from_slice(&EM_X86_64.to_le_bytes());
        out[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        out[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        out[0x38..0x3a].copy_from_slice(&(headers as u16).to_le_bytes());
        out
    }

    fn read_bytes(bytes: &[u8]) -> Result<Dynamic, ElfError> {
        read(&Elf::parse(bytes)?)
    }

    #[test]
    fn reads_the_hosts_ls() {
        // Debian's coreutils: /bin/ls needs libselinux and libc through the
        // x86-64 loader (what `readelf -d -l /bin/ls` shows).
        let bytes = std::fs::read("/bin/ls").expect("the host has /bin/ls");
        let dynamic = read_bytes(&bytes).unwrap();
        assert_eq!(
            dynamic.interpreter.as_deref(),
            Some("/lib64/ld-linux-x86-64.so.2")
        );
        assert!(
            dynamic.needed.iter().any(|n| n == "libc.so.6"),
            "{dynamic:?}"
        );
        assert!(
            dynamic.needed.iter().any(|n| n == "libselinux.so.1"),
            "{dynamic:?}"
        );
    }

    #[test]
    fn reads_the_test_binary_and_the_hosts_libc() {
        // A Rust test binary links libc and libgcc_s (the unwinder) unless
        // it is built static.
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let dynamic = read_bytes(&me).unwrap();
        if cfg!(target_feature = "crt-static") {
            assert_eq!(dynamic, Dynamic::default());
        } else {
            assert!(dynamic.interpreter.is_some(), "{dynamic:?}");
            for name in ["libc.so.6", "libgcc_s.so.1"] {
                assert!(dynamic.needed.iter().any(|n| n == name), "{dynamic:?}");
            }
        }
        // glibc's libc.so.6 needs the loader by its soname; it also names
        // it as interpreter (run as a program, libc prints its version).
        let libc = std::fs::read("/lib/x86_64-linux-gnu/libc.so.6").expect("the host's libc");
        let dynamic = read_bytes(&libc).unwrap();
        assert_eq!(
            dynamic.interpreter.as_deref(),
            Some("/lib64/ld-linux-x86-64.so.2")
        );
        assert_eq!(dynamic.needed, ["ld-linux-x86-64.so.2"]);
    }

    #[test]
    fn synthetic_files_round_trip() {
        let exe = synthetic(
            Some("/lib64/ld-linux-x86-64.so.2"),
            &["libext2fs.so.2", "libc.so.6"],
            b"mke2fs",
        );
        assert_eq!(
            read_bytes(&exe).unwrap(),
            Dynamic {
                interpreter: Some("/lib64/ld-linux-x86-64.so.2".into()),
                needed: vec!["libext2fs.so.2".into(), "libc.so.6".into()],
            }
        );
        let leaf = synthetic(None, &[], b"ld.so");
        assert_eq!(read_bytes(&leaf).unwrap(), Dynamic::default());
        // A static executable has neither.
        let module = super::super::elf::tests::synthetic_module(&[(".text", b"\x90")], false);
        assert_eq!(read_bytes(&module).unwrap(), Dynamic::default());
    }

    #[test]
    fn damaged_files_are_errors_not_guesses() {
        let exe = synthetic(Some("/lib64/ld.so"), &["libc.so.6"], b"");
        // Its dynamic section: DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_NULL.
        let elf = Elf::parse(&exe).unwrap();
        let dynamic_at = elf
            .program_headers()
            .iter()
            .find(|h| h.p_type(elf.endian()) == PT_DYNAMIC)
            .unwrap()
            .p_offset(elf.endian()) as usize;
        let value = |entry: usize| dynamic_at + entry * 16 + 8..dynamic_at + entry * 16 + 16;
        // The string table pointer moved outside every loaded segment.
        let mut moved = exe.clone();
        moved[value(1)].copy_from_slice(&0x10u64.to_le_bytes());
        let err = read_bytes(&moved).unwrap_err();
        assert!(err.0.contains("no loaded segment"), "{err}");
        // A DT_NEEDED offset past the string table.
        let mut past = exe.clone();
        past[value(0)].copy_from_slice(&999u64.to_le_bytes());
        let err = read_bytes(&past).unwrap_err();
        assert!(err.0.contains("outside the string table"), "{err}");
        // A relative interpreter path.
        let relative = synthetic(Some("ld.so"), &[], b"");
        assert!(
            read_bytes(&relative)
                .unwrap_err()
                .0
                .contains("not absolute")
        );
        // Cut short inside the dynamic section.
        let mut cut = exe.clone();
        cut.truncate(exe.len() - 20);
        assert!(read_bytes(&cut).is_err());
    }
}
