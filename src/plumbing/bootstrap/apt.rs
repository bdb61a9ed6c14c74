//! Fetching packages with the host's apt, without installing them:
//! `apt-cache show` picks the candidate (and follows a metapackage such as
//! `linux-image-cloud-amd64` to the real kernel package), `apt-get download`
//! fetches it, and the file is checked against the index's SHA256 before it
//! is renamed into the cache.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::deb::{field, parse_control};
use super::error::{BootstrapError, BuildResult};
use crate::plumbing::platform::Progress;

/// The candidate version of a package, as the apt index describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub package: String,
    pub version: String,
    pub architecture: String,
    /// SHA256 of the .deb file.
    pub sha256: String,
    /// Size of the .deb file.
    pub size: u64,
    /// First alternative of each `Depends` entry, names only.
    pub depends: Vec<String>,
}

impl Candidate {
    /// The file name in the cache: apt's own `<name>_<version>_<arch>.deb`,
    /// with the epoch colon escaped as apt does (`%3a`).
    pub fn file_name(&self) -> String {
        format!(
            "{}_{}_{}.deb",
            self.package,
            self.version.replace(':', "%3a"),
            self.architecture
        )
    }
}

/// Parse `apt-cache show --no-all-versions` output (its first stanza).
pub fn parse_show(package: &str, text: &str) -> BuildResult<Candidate> {
    let fields = parse_control(text);
    let get = |name: &str| field(&fields, name).map(str::to_string);
    let unknown = |detail: &str| BootstrapError::PackageUnknown {
        package: package.to_string(),
        detail: detail.to_string(),
    };
    let depends = get("Pre-Depends")
        .into_iter()
        .chain(get("Depends"))
        .flat_map(|list| {
            list.split(',')
                .filter_map(|entry| {
                    let first = entry.split('|').next()?.trim();
                    let name = first.split([' ', '(', ':']).next()?.trim();
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(Candidate {
        package: get("Package").ok_or_else(|| unknown("no Package field in apt-cache's answer"))?,
        version: get("Version").ok_or_else(|| unknown("no Version field"))?,
        architecture: get("Architecture").ok_or_else(|| unknown("no Architecture field"))?,
        sha256: get("SHA256")
            .ok_or_else(|| {
                unknown("no SHA256 field (is this package installable from a repository?)")
            })?
            .to_ascii_lowercase(),
        size: get("Size").and_then(|s| s.parse().ok()).unwrap_or(0),
        depends,
    })
}

fn run(command: &mut Command, package: &str) -> BuildResult<std::process::Output> {
    let program = command.get_program().to_string_lossy().into_owned();
    command.env("LC_ALL", "C").output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            BootstrapError::Missing {
                what: format!("{program} (Debian's apt, needed to fetch {package})"),
                path: PathBuf::from(&program),
 hint: "on a host without apt, download the .deb files elsewhere and pass their paths",
            }
        } else {
            BootstrapError::io(format!("running {program}"), e)
        }
    })
}

/// The candidate of `package` from the local apt index.
pub fn show(package: &str) -> BuildResult<Candidate> {
    let output = run(
        Command::new("apt-cache").args(["show", "--no-all-versions", "--", package]),
        package,
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.trim().is_empty() {
        return Err(BootstrapError::PackageUnknown {
            package: package.to_string(),
            detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    parse_show(package, &stdout)
}

/// The package that really holds the files: follows dependencies whose
/// names start with `follow` (a metapackage's single real dependency), up
/// to a few levels.
pub fn resolve(package: &str, follow: Option<&str>) -> BuildResult<Candidate> {
    let mut candidate = show(package)?;
    for _ in 0..4 {
        let next = follow.and_then(|prefix| {
            candidate
                .depends
                .iter()
                .find(|d| d.starts_with(prefix) && **d != candidate.package)
                .cloned()
        });
        match next {
            Some(real) => candidate = show(&real)?,
            None => return Ok(candidate),
        }
    }
    Err(BootstrapError::PackageUnknown {
        package: package.to_string(),
        detail: format!(
            "more than four levels of {} metapackages",
            follow.unwrap_or("")
        ),
    })
}

/// sha256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> BuildResult<String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| BootstrapError::io(format!("opening {}", path.display()), e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)
        .map_err(|e| BootstrapError::io(format!("reading {}", path.display()), e))?;
    Ok(hex::encode(hasher.finalize()))
}

/// The candidate's .deb in `debs_dir`, downloaded if it is not there yet.
///
/// A file under its final name was checked against the index when it was
/// downloaded (it is renamed into place only after that), so a cached file is
/// used as is, after a size check; its digest is the index's.
pub fn fetch(
    candidate: &Candidate,
    debs_dir: &Path,
    progress: &dyn Progress,
) -> BuildResult<PathBuf> {
    let target = debs_dir.join(candidate.file_name());
    if let Ok(meta) = std::fs::metadata(&target) {
        if candidate.size == 0 || meta.len() == candidate.size {
            return Ok(target);
        }
    }
    std::fs::create_dir_all(debs_dir)
        .map_err(|e| BootstrapError::io(format!("creating {}", debs_dir.display()), e))?;
    progress.phase(
        &format!("download {}", candidate.package),
        Some(candidate.size),
    );
    super::cache::remove_abandoned(debs_dir);
    let scratch = super::cache::TempDir::new(debs_dir, &format!("apt-{}", candidate.package))?;
    let spec = format!("{}={}", candidate.package, candidate.version);
    let output = run(
        Command::new("apt-get")
            .args(["download", "-q", "--", &spec])
            .current_dir(scratch.path()),
        &candidate.package,
    )?;
    if !output.status.success() {
        return Err(BootstrapError::Download {
            package: spec,
            detail: last_lines(&output.stderr),
        });
    }
    let downloaded = std::fs::read_dir(scratch.path())
        .map_err(|e| BootstrapError::io(format!("listing {}", scratch.path().display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .ok_or_else(|| BootstrapError::Download {
            package: spec.clone(),
            detail: "apt-get reported success but wrote no .deb".into(),
        })?;
    let actual = sha256_file(&downloaded)?;
    if actual != candidate.sha256 {
        return Err(BootstrapError::DigestMismatch {
            path: downloaded,
            expected: candidate.sha256.clone(),
            actual,
        });
    }
    std::fs::rename(&downloaded, &target).map_err(|e| {
        BootstrapError::io(format!("moving {} into the cache", target.display()), e)
    })?;
    progress.advance(candidate.size);
    Ok(target)
}

fn last_lines(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("unsandboxed"))
        .collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = "Package: linux-image-cloud-amd64\n\
        Source: linux-signed-amd64 (6.1.192+2)\n\
        Version: 6.1.192-2\n\
        Architecture: amd64\n\
        Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)\n\
        Size: 1504\n\
        SHA256: 00BE21C0c17f08ddf26e82d3b53fe7a41efa4a288938da6bb69e89c4b25c281d\n\
        Description: Linux for x86-64 cloud (meta-package)\n\n";

    #[test]
    fn parses_apt_cache_show() {
        let candidate = parse_show("linux-image-cloud-amd64", META).unwrap();
        assert_eq!(candidate.package, "linux-image-cloud-amd64");
        assert_eq!(candidate.version, "6.1.192-2");
        assert_eq!(candidate.depends, ["linux-image-6.1.0-56-cloud-amd64"]);
        assert_eq!(candidate.size, 1504);
        assert!(candidate.sha256.starts_with("00be21c0"));
        let real = parse_show(
            "x",
            "Package: linux-image-6.1.0-56-cloud-amd64\nVersion: 6.1.192-2\nArchitecture: amd64\n\
             Depends: kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool\n\
             SHA256: e7d0\nSize: 26713492\n",
        )
        .unwrap();
        assert_eq!(real.depends, ["kmod", "linux-base", "initramfs-tools"]);
        assert!(parse_show("x", "Package: x\nVersion: 1\nArchitecture: all\n").is_err());
    }

    #[test]
    fn cache_file_names_follow_apt() {
        let candidate = Candidate {
            package: "busybox-static".into(),
            version: "1:1.35.0-4+deb12u1+b1".into(),
            architecture: "amd64".into(),
            sha256: String::new(),
            size: 0,
            depends: vec![],
        };
        assert_eq!(
            candidate.file_name(),
            "busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb"
        );
    }

    #[test]
    fn resolves_the_metapackage_with_the_hosts_apt() {
        // The host's apt index is a real peer; without apt lists this fails
        // with PackageUnknown, which is the behaviour a user would see too.
        let candidate = resolve("linux-image-cloud-amd64", Some("linux-image-")).unwrap();
        assert!(
            candidate.package.starts_with("linux-image-"),
            "{candidate:?}"
        );
        assert!(candidate.package.ends_with("-cloud-amd64"), "{candidate:?}");
        assert_ne!(candidate.package, "linux-image-cloud-amd64");
        assert_eq!(candidate.sha256.len(), 64);
        let err = show("vicport-no-such-package").unwrap_err();
        assert!(
            matches!(err, BootstrapError::PackageUnknown { .. }),
            "{err:?}"
        );
    }
}
