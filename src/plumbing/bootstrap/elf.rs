//! A small ELF64 reader: section lookup by name (for a kernel module's
//! `.modinfo`) and program headers (to check that /init is static, and for
//! the dynamic section that `dynamic.rs` reads).
//!
//! Only what the builder needs: ELF64, either byte order, section and program
//! header tables with extended section numbering. No symbols, no relocations.

use std::fmt;

/// `e_machine` of x86-64.
pub const EM_X86_64: u16 = 62;
/// `e_type` of an executable.
pub const ET_EXEC: u16 = 2;
/// `e_type` of a position-independent executable or shared object.
pub const ET_DYN: u16 = 3;
/// `e_type` of a relocatable object (a kernel module).
pub const ET_REL: u16 = 1;
/// `p_type` of a loadable segment.
pub const PT_LOAD: u32 = 1;
/// `p_type` of the dynamic section's segment.
pub const PT_DYNAMIC: u32 = 2;
/// `p_type` of the program interpreter (dynamic linking).
pub const PT_INTERP: u32 = 3;
/// `sh_type` of a section without file data (`.bss`).
const SHT_NOBITS: u32 = 8;
/// Section index escape: the real value is elsewhere.
const SHN_XINDEX: u16 = 0xffff;

/// What is wrong with a file that should be ELF64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfError(pub String);

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ElfError {}

fn bad(message: impl Into<String>) -> ElfError {
    ElfError(message.into())
}

/// One parsed section header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub kind: u32,
    pub offset: u64,
    pub size: u64,
}

/// One parsed program header (segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramHeader {
    /// `p_type`.
    pub kind: u32,
    /// `p_offset`: where its bytes are in the file.
    pub offset: u64,
    /// `p_vaddr`: where it is mapped.
    pub vaddr: u64,
    /// `p_filesz`: how many of its bytes are in the file.
    pub filesz: u64,
}

/// A parsed ELF64 file borrowing its bytes.
#[derive(Debug)]
pub struct Elf<'a> {
    data: &'a [u8],
    big_endian: bool,
    /// `e_type`.
    pub kind: u16,
    /// `e_machine`.
    pub machine: u16,
    sections: Vec<Section>,
    phoff: u64,
    phentsize: u16,
    phnum: u16,
}

impl<'a> Elf<'a> {
    /// Parse the file header and the section header table.
    pub fn parse(data: &'a [u8]) -> Result<Self, ElfError> {
        if data.len() < 64 || &data[..4] != b"\x7fELF" {
            return Err(bad("not an ELF file"));
        }
        if data[4] != 2 {
            return Err(bad("not a 64-bit ELF file"));
        }
        let big_endian = match data[5] {
            1 => false,
            2 => true,
            other => return Err(bad(format!("unknown ELF byte order {other}"))),
        };
        let mut elf = Elf {
            data,
            big_endian,
            kind: 0,
            machine: 0,
            sections: Vec::new(),
            phoff: 0,
            phentsize: 0,
            phnum: 0,
        };
        elf.kind = elf.u16_at(0x10)?;
        elf.machine = elf.u16_at(0x12)?;
        elf.phoff = elf.u64_at(0x20)?;
        let shoff = elf.u64_at(0x28)?;
        elf.phentsize = elf.u16_at(0x36)?;
        elf.phnum = elf.u16_at(0x38)?;
        let shentsize = elf.u16_at(0x3a)?;
        let shnum = elf.u16_at(0x3c)?;
        let shstrndx = elf.u16_at(0x3e)?;
        if shoff != 0 {
            elf.sections = elf.read_sections(shoff, shentsize, shnum, shstrndx)?;
        }
        Ok(elf)
    }

    /// `len` bytes of the file at `offset`.
    pub fn bytes(&self, offset: u64, len: u64) -> Result<&'a [u8], ElfError> {
        let start = usize::try_from(offset).map_err(|_| bad("offset out of range"))?;
        let len = usize::try_from(len).map_err(|_| bad("size out of range"))?;
        start
            .checked_add(len)
            .and_then(|end| self.data.get(start..end))
            .ok_or_else(|| {
                bad(format!(
                    "{len} bytes at offset {offset} run past the end of the file"
                ))
            })
    }

    fn u16_at(&self, offset: u64) -> Result<u16, ElfError> {
        let b: [u8; 2] = self.bytes(offset, 2)?.try_into().expect("2 bytes");
        Ok(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32_at(&self, offset: u64) -> Result<u32, ElfError> {
        let b: [u8; 4] = self.bytes(offset, 4)?.try_into().expect("4 bytes");
        Ok(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// The 8-byte word at `offset`, in the file's byte order.
    pub fn u64_at(&self, offset: u64) -> Result<u64, ElfError> {
        let b: [u8; 8] = self.bytes(offset, 8)?.try_into().expect("8 bytes");
        Ok(if self.big_endian {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }

    fn read_sections(
        &self,
        shoff: u64,
        shentsize: u16,
        shnum: u16,
        shstrndx: u16,
    ) -> Result<Vec<Section>, ElfError> {
        if shentsize < 64 {
            return Err(bad(format!("section header size {shentsize} is too small")));
        }
        let header = |index: u64| shoff + index * u64::from(shentsize);
        // Extended numbering: with more than 0xff00 sections, e_shnum is 0
        // and the count lives in section 0's sh_size; e_shstrndx is
        // SHN_XINDEX and the index lives in section 0's sh_link.
        let count = if shnum == 0 {
            self.u64_at(header(0) + 32)?
        } else {
            u64::from(shnum)
        };
        let names_index = if shstrndx == SHN_XINDEX {
            u64::from(self.u32_at(header(0) + 40)?)
        } else {
            u64::from(shstrndx)
        };
        if count > (self.data.len() as u64) / 64 {
            return Err(bad(format!("{count} sections cannot fit in the file")));
        }
        let mut raw = Vec::with_capacity(count as usize);
        for index in 0..count {
            let at = header(index);
            raw.push((
                self.u32_at(at)?,      // sh_name
                self.u32_at(at + 4)?,  // sh_type
                self.u64_at(at + 24)?, // sh_offset
                self.u64_at(at + 32)?, // sh_size
            ));
        }
        let names = match raw.get(names_index as usize) {
            Some(&(_, _, offset, size)) => self.bytes(offset, size)?,
            None if count == 0 => &[][..],
            None => return Err(bad("section name table index out of range")),
        };
        raw.into_iter()
            .map(|(name, kind, offset, size)| {
                Ok(Section {
                    name: c_string(names, name as usize)?,
                    kind,
                    offset,
                    size,
                })
            })
            .collect()
    }

    /// All sections in file order.
    #[cfg(test)]
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The bytes of the first section called `name`, if there is one.
    pub fn section_data(&self, name: &str) -> Result<Option<&'a [u8]>, ElfError> {
        match self.sections.iter().find(|s| s.name == name) {
            None => Ok(None),
            Some(s) if s.kind == SHT_NOBITS => Ok(Some(&[])),
            Some(s) => self.bytes(s.offset, s.size).map(Some),
        }
    }

    /// The program header table, in file order.
    pub fn program_headers(&self) -> Result<Vec<ProgramHeader>, ElfError> {
        if self.phnum == 0 {
            return Ok(Vec::new());
        }
        if self.phentsize < 56 {
            return Err(bad(format!(
                "program header size {} is too small",
                self.phentsize
            )));
        }
        (0..u64::from(self.phnum))
            .map(|index| {
                let at = self.phoff + index * u64::from(self.phentsize);
                Ok(ProgramHeader {
                    kind: self.u32_at(at)?,
                    offset: self.u64_at(at + 8)?,
                    vaddr: self.u64_at(at + 16)?,
                    filesz: self.u64_at(at + 32)?,
                })
            })
            .collect()
    }

    /// Whether the program header table asks for a program interpreter,
    /// i.e. the executable is dynamically linked.
    pub fn has_interpreter(&self) -> Result<bool, ElfError> {
        Ok(self
            .program_headers()?
            .iter()
            .any(|header| header.kind == PT_INTERP))
    }
}

fn c_string(table: &[u8], offset: usize) -> Result<String, ElfError> {
    let rest = table
        .get(offset..)
        .ok_or_else(|| bad("section name offset out of range"))?;
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// What a kernel module says about itself in `.modinfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModInfo {
    /// `name=`: the module's name (underscores), if recorded.
    pub name: Option<String>,
    /// `depends=`: modules that must be loaded first, in the file's order.
    pub depends: Vec<String>,
    /// `vermagic=`: the kernel release and build options it was built for.
    pub vermagic: Option<String>,
}

/// Parse the `.modinfo` section of a kernel module: NUL-separated
/// `key=value` strings (with NUL padding between some of them).
pub fn parse_modinfo(module: &[u8]) -> Result<ModInfo, ElfError> {
    let elf = Elf::parse(module)?;
    if elf.kind != ET_REL {
        return Err(bad(format!(
            "ELF type {} is not a relocatable kernel module",
            elf.kind
        )));
    }
    let data = elf
        .section_data(".modinfo")?
        .ok_or_else(|| bad("no .modinfo section"))?;
    let mut info = ModInfo::default();
    for entry in data.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((key, value)) = entry.split_once('=') else {
            continue;
        };
        match key {
            "name" => info.name = Some(value.to_string()),
            "vermagic" => info.vermagic = Some(value.to_string()),
            "depends" => {
                info.depends = value
                    .split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => {}
        }
    }
    Ok(info)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A real module from Debian's linux-image-6.1.0-56-cloud-amd64
    /// (6.1.192-2): kernel/drivers/misc/pvpanic/pvpanic-pci.ko. Its file name
    /// has a dash, its module name an underscore, and it has one dependency.
    pub(crate) const PVPANIC_PCI_KO: &[u8] =
        include_bytes!("../../../tests/fixtures/bootstrap/pvpanic-pci.ko");

    /// A minimal ELF64 relocatable with the given sections, laid out like a
    /// linker would: header, section data, name table, section headers.
    pub(crate) fn synthetic_module(sections: &[(&str, &[u8])], big_endian: bool) -> Vec<u8> {
        let put16 = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let put32 = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let put64 = |v: u64| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = vec![0u8; 64];
        let mut names = vec![0u8];
        let mut placed = Vec::new();
        for (name, data) in sections {
            let name_at = names.len() as u32;
            names.extend_from_slice(name.as_bytes());
            names.push(0);
            placed.push((name_at, out.len() as u64, data.len() as u64));
            out.extend_from_slice(data);
        }
        let shstr_name = names.len() as u32;
        names.extend_from_slice(b".shstrtab\0");
        let names_at = out.len() as u64;
        out.extend_from_slice(&names);
        while out.len() % 8 != 0 {
            out.push(0);
        }
        let shoff = out.len() as u64;
        let mut header = |name: u32, kind: u32, offset: u64, size: u64| {
            let mut sh = [0u8; 64];
            sh[0..4].copy_from_slice(&put32(name));
            sh[4..8].copy_from_slice(&put32(kind));
            sh[24..32].copy_from_slice(&put64(offset));
            sh[32..40].copy_from_slice(&put64(size));
            out.extend_from_slice(&sh);
        };
        header(0, 0, 0, 0);
        for (name, offset, size) in &placed {
            header(*name, 1, *offset, *size);
        }
        header(shstr_name, 3, names_at, names.len() as u64);
        let count = placed.len() as u16 + 2;
        out[..4].copy_from_slice(b"\x7fELF");
        out[4] = 2;
        out[5] = if big_endian { 2 } else { 1 };
        out[6] = 1;
        out[0x10..0x12].copy_from_slice(&put16(ET_REL));
        out[0x12..0x14].copy_from_slice(&put16(EM_X86_64));
        out[0x28..0x30].copy_from_slice(&put64(shoff));
        out[0x3a..0x3c].copy_from_slice(&put16(64));
        out[0x3c..0x3e].copy_from_slice(&put16(count));
        out[0x3e..0x40].copy_from_slice(&put16(count - 1));
        out
    }

    #[test]
    fn reads_modinfo_of_a_real_debian_module() {
        let info = parse_modinfo(PVPANIC_PCI_KO).unwrap();
        assert_eq!(info.name.as_deref(), Some("pvpanic_pci"));
        assert_eq!(info.depends, ["pvpanic"]);
        assert_eq!(
            info.vermagic.as_deref(),
            Some("6.1.0-56-cloud-amd64 SMP preempt mod_unload modversions ")
        );
        let elf = Elf::parse(PVPANIC_PCI_KO).unwrap();
        assert_eq!(elf.machine, EM_X86_64);
        assert!(elf.sections().iter().any(|s| s.name == ".text"));
    }

    #[test]
    fn modinfo_with_several_dependencies_padding_and_either_byte_order() {
        let modinfo = b"license=GPL\0\0\0depends=virtio,virtio_ring\0name=virtio_mmio\0vermagic=6.1.0-x SMP\0\0";
        for big_endian in [false, true] {
            let module =
                synthetic_module(&[(".text", b"\x90\x90"), (".modinfo", modinfo)], big_endian);
            let info = parse_modinfo(&module).unwrap();
            assert_eq!(info.name.as_deref(), Some("virtio_mmio"));
            assert_eq!(info.depends, ["virtio", "virtio_ring"]);
            assert_eq!(info.vermagic.as_deref(), Some("6.1.0-x SMP"));
        }
        let empty_depends = synthetic_module(&[(".modinfo", b"depends=\0name=vsock\0")], false);
        assert!(parse_modinfo(&empty_depends).unwrap().depends.is_empty());
    }

    #[test]
    fn rejects_what_is_not_a_module() {
        assert!(parse_modinfo(b"hello").is_err());
        let without = synthetic_module(&[(".text", b"\x90")], false);
        assert_eq!(
            parse_modinfo(&without).unwrap_err().0,
            "no .modinfo section"
        );
        let mut truncated = PVPANIC_PCI_KO.to_vec();
        truncated.truncate(PVPANIC_PCI_KO.len() / 2);
        assert!(parse_modinfo(&truncated).is_err());
    }

    #[test]
    fn tells_static_from_dynamic_executables() {
        // The test binary itself is dynamically linked (the default target).
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let elf = Elf::parse(&me).unwrap();
        assert!(matches!(elf.kind, ET_EXEC | ET_DYN));
        let dynamic = elf.has_interpreter().unwrap();
        let static_build = cfg!(target_feature = "crt-static");
        assert_eq!(dynamic, !static_build);
    }
}
