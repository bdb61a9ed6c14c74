//! ELF reading for the boot image builder, on the `object` crate: a kernel
//! module's `.modinfo`, and an executable's program interpreter (whether it
//! is static) for the checks in `mod.rs` and the loader's view in `dynamic.rs`.

use std::fmt;

use object::read::elf::{ElfFile64, FileHeader, ProgramHeader};
use object::{Endianness, Object, ObjectSection};

pub use object::elf::{EM_X86_64, ET_DYN, ET_EXEC, ET_REL};

/// What is wrong with a file that should be ELF64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfError(pub String);

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ElfError {}

impl From<object::Error> for ElfError {
    fn from(e: object::Error) -> Self {
        ElfError(e.to_string())
    }
}

/// A parsed ELF64 file (either byte order) borrowing its bytes.
#[derive(Debug)]
pub struct Elf<'a> {
    file: ElfFile64<'a, Endianness>,
    /// `e_type`.
    pub kind: u16,
    /// `e_machine`.
    pub machine: u16,
}

impl<'a> Elf<'a> {
    /// Parse the file header, the program headers and the section headers.
    pub fn parse(data: &'a [u8]) -> Result<Self, ElfError> {
        if data.get(..4) != Some(b"\x7fELF") {
            return Err(ElfError("not an ELF file".into()));
        }
        if data.get(4) != Some(&object::elf::ELFCLASS64) {
            return Err(ElfError("not a 64-bit ELF file".into()));
        }
        let file = ElfFile64::<Endianness>::parse(data)?;
        let (header, endian) = (file.elf_header(), file.endian());
        Ok(Elf {
            kind: header.e_type(endian),
            machine: header.e_machine(endian),
            file,
        })
    }

    /// The file's bytes.
    pub fn data(&self) -> &'a [u8] {
        self.file.data()
    }

    /// The file's byte order.
    pub fn endian(&self) -> Endianness {
        self.file.endian()
    }

    /// The program header table, in file order.
    pub fn program_headers(&self) -> &'a [object::elf::ProgramHeader64<Endianness>] {
        self.file.elf_program_headers()
    }

    /// The bytes of the first section called `name`, if there is one
    /// (empty for a section without file data, like `.bss`).
    pub fn section_data(&self, name: &str) -> Result<Option<&'a [u8]>, ElfError> {
        match self.file.section_by_name(name) {
            None => Ok(None),
            Some(section) => Ok(Some(section.data()?)),
        }
    }

    /// The program interpreter's path as written (`PT_INTERP`, without its
    /// NUL), if the executable asks for one.
    pub fn interpreter(&self) -> Result<Option<&'a [u8]>, ElfError> {
        for header in self.program_headers() {
            if let Some(path) = header.interpreter(self.endian(), self.data())? {
                return Ok(Some(path));
            }
        }
        Ok(None)
    }

    /// Whether the program header table asks for a program interpreter,
    /// i.e. the executable is dynamically linked.
    pub fn has_interpreter(&self) -> Result<bool, ElfError> {
        Ok(self.interpreter()?.is_some())
    }
}

fn bad(message: impl Into<String>) -> ElfError {
    ElfError(message.into())
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
        assert!(elf.section_data(".text").unwrap().is_some());
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
