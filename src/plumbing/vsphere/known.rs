//! What this client has seen whole on a datastore, by content digest: boot
//! ISOs and images' markers, remembered under the cache so that a create
//! does not ask the datastore for them again.
//!
//! Both live at content-addressed paths and are moved into place whole, so
//! once seen they stay what they were; what can happen is that they go (an
//! `image rm` here or elsewhere, someone in vSphere). A create that then
//! fails on a missing file forgets everything known of its datastore, and
//! the next one looks again. Presence is kept as one file per item, so
//! concurrent processes never rewrite each other's records.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::images::ImageMarker;

/// The cache directory the records live under.
pub const KNOWN_DIR: &str = "vsphere-known";

/// What is known of one datastore of one vCenter.
#[derive(Debug, Clone)]
pub struct Known {
    dir: PathBuf,
}

impl Known {
    /// The records of datastore `datastore` in datacenter `dc_path` of the
    /// SDK at `url`, under `cache`.
    pub fn new(cache: &Path, url: &str, dc_path: &str, datastore: &str) -> Self {
        let key = Sha256::digest(format!("{url}\n{dc_path}\n{datastore}").as_bytes());
        Known {
            dir: cache.join(KNOWN_DIR).join(&hex::encode(key)[..24]),
        }
    }

    fn iso_file(&self, sha256: &str) -> Option<PathBuf> {
        is_hex(sha256).then(|| self.dir.join(format!("iso-{sha256}")))
    }

    fn image_file(&self, hex: &str) -> Option<PathBuf> {
        is_hex(hex).then(|| self.dir.join(format!("image-{hex}.json")))
    }

    /// Whether the boot ISO of this content is known to be on the datastore.
    pub fn has_iso(&self, sha256: &str) -> bool {
        self.iso_file(sha256).is_some_and(|f| f.is_file())
    }

    /// Remember that the boot ISO of this content is on the datastore.
    pub fn remember_iso(&self, sha256: &str) {
        if let Some(f) = self.iso_file(sha256) {
            self.write(&f, b"");
        }
    }

    /// The marker of image `hex`, when it is known to be on the datastore.
    pub fn image(&self, hex: &str) -> Option<ImageMarker> {
        let data = std::fs::read(self.image_file(hex)?).ok()?;
        serde_json::from_slice::<ImageMarker>(&data)
            .ok()
            .filter(|m| m.hex() == hex)
    }

    /// Remember an image's marker, read from the datastore.
    pub fn remember_image(&self, marker: &ImageMarker) {
        let (Some(f), Ok(data)) = (self.image_file(marker.hex()), serde_json::to_vec(marker))
        else {
            return;
        };
        self.write(&f, &data);
    }

    /// Forget image `hex` (it was removed).
    pub fn forget_image(&self, hex: &str) {
        if let Some(f) = self.image_file(hex) {
            let _ = std::fs::remove_file(f);
        }
    }

    /// Forget everything known of this datastore: something on it went.
    pub fn forget_all(&self) {
        tracing::debug!(target: "vicport::vsphere", dir = %self.dir.display(), "forgetting what was known of the datastore");
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// A record is a cache: failing to write one only costs a look-up.
    fn write(&self, file: &Path, data: &[u8]) {
        if let Err(e) = crate::plumbing::file::write_atomic(file, data, 0o600) {
            tracing::debug!(target: "vicport::vsphere", file = %file.display(), error = %e, "could not remember");
        }
    }
}

fn is_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(hex: &str) -> ImageMarker {
        ImageMarker {
            vicport: 1,
            id: format!("sha256:{hex}"),
            tags: vec!["busybox:latest".into()],
            config: Default::default(),
            layers: vec![],
            size_bytes: 1,
            disk_size_bytes: 2,
            created: String::new(),
            uploaded: String::new(),
            disk: format!("[ds] vicport-images/{hex}/disk.vmdk"),
        }
    }

    #[test]
    fn presence_is_kept_per_datastore_until_forgotten() {
        let cache = tempfile::tempdir().unwrap();
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let here = Known::new(cache.path(), "https://vc/sdk", "DC0", "ds1");
        let there = Known::new(cache.path(), "https://vc/sdk", "DC0", "ds2");
        assert!(!here.has_iso(&a));
        here.remember_iso(&a);
        assert!(here.has_iso(&a));
        assert!(!there.has_iso(&a), "another datastore knows nothing");
        assert!(!here.has_iso(&b));

        assert_eq!(here.image(&a), None);
        here.remember_image(&marker(&a));
        assert_eq!(here.image(&a), Some(marker(&a)));
        assert_eq!(there.image(&a), None);
        here.forget_image(&a);
        assert_eq!(here.image(&a), None);

        here.remember_image(&marker(&b));
        here.forget_all();
        assert!(!here.has_iso(&a));
        assert_eq!(here.image(&b), None);
        // Nothing that is not a digest becomes a path.
        here.remember_iso("../../x");
        assert!(!here.has_iso("../../x"));
        assert!(!cache.path().join("x").exists());
    }
}
