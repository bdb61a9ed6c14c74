//! CopyOutRootfs's view of the container's root filesystem alone: the
//! container's root bound without its submounts (`MS_BIND`, no `MS_REC`)
//! at a directory of the tether's own, then made private so that no mount
//! propagates into it. Nothing mounted in the container (volumes, shares,
//! tmpfs, /proc, bound network files) is in the view; a mount point shows
//! what the root filesystem has beneath it. Dropping the view unmounts it
//! and removes its directory, whether the copy ended, failed or was
//! abandoned.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use tether_protocol::message::CopyFailure;

use super::Failure;
use crate::agent::say;
use crate::agent::sys::{MountCall, Sys, flags};

/// Where views are mounted, one directory each: the tether's own /run,
/// outside the container's view (beside [`crate::agent::shares::SHARES`]).
pub const VIEWS: &str = "/run/vicport";

/// Numbers the views of this process, so that concurrent copies get
/// directories of their own.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A mounted view, unmounted and removed when dropped.
pub struct RootfsView<'s> {
    sys: &'s dyn Sys,
    dir: String,
    mounted: bool,
}

impl std::fmt::Debug for RootfsView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootfsView")
            .field("dir", &self.dir)
            .field("mounted", &self.mounted)
            .finish_non_exhaustive()
    }
}

impl<'s> RootfsView<'s> {
    /// Mount a view of the root filesystem of the container whose root is
    /// `root` (a path of the tether's view). What is made before a step
    /// fails is undone.
    pub fn make(sys: &'s dyn Sys, root: &Path) -> Result<Self, Failure> {
        let root = root.to_str().ok_or_else(|| {
            Failure::new(
                CopyFailure::Other,
                format!("the container's root {} is no UTF-8 path", root.display()),
            )
        })?;
        // The pid keeps serve-mode tethers on one host apart (as PID 1 it
        // is always 1).
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = format!("{VIEWS}/rootfs.{}.{n}", std::process::id());
        sys.mkdir_all(&dir)
            .map_err(|e| Failure::io(format!("making {dir}"), &e))?;
        let mut view = RootfsView {
            sys,
            dir,
            mounted: false,
        };
        MountCall::bind(root, &view.dir, 0).run(sys).map_err(|e| {
            Failure::io(
                format!("binding the container's root {root} at {}", view.dir),
                &e,
            )
        })?;
        view.mounted = true;
        // The container's root may be shared (its config's propagation):
        // a mount made there later must not appear in the view.
        sys.mount("", &view.dir, "", flags::PRIVATE, "")
            .map_err(|e| Failure::io(format!("making {} private", view.dir), &e))?;
        Ok(view)
    }

    /// Where the view is mounted: the container's root for
    /// [`crate::agent::inroot::Root::open`].
    pub fn path(&self) -> &Path {
        Path::new(&self.dir)
    }
}

impl Drop for RootfsView<'_> {
    fn drop(&mut self) {
        // Detached: a descriptor still open in the view does not keep it
        // mounted here.
        if self.mounted {
            if let Err(e) = self.sys.umount(&self.dir) {
                say(&format!("cannot unmount the copy's view {}: {e}", self.dir));
                return;
            }
        }
        if let Err(e) = self.sys.remove_dir(&self.dir) {
            say(&format!("cannot remove {}: {e}", self.dir));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::sys::FakeSys;

    #[test]
    fn a_view_is_a_private_bind_without_submounts_and_goes_when_dropped() {
        let sys = FakeSys::new();
        let view = RootfsView::make(&sys, Path::new("/newroot")).unwrap();
        let dir = view.dir.clone();
        assert!(
            dir.starts_with(&format!("/run/vicport/rootfs.{}.", std::process::id())),
            "{dir}"
        );
        assert_eq!(view.path(), Path::new(&dir));
        // MS_BIND alone (no MS_REC), then MS_PRIVATE.
        let made = [
            format!("mkdir {dir}"),
            format!("mount /newroot {dir}  {:#x} ", libc::MS_BIND),
            format!("mount  {dir}  {:#x} ", libc::MS_PRIVATE),
        ];
        assert_eq!(sys.calls(), made);
        drop(view);
        let mut all = made.to_vec();
        all.extend([format!("umount {dir}"), format!("rmdir {dir}")]);
        assert_eq!(sys.calls(), all);
    }

    #[test]
    fn views_get_directories_of_their_own() {
        let sys = FakeSys::new();
        let a = RootfsView::make(&sys, Path::new("/newroot")).unwrap();
        let b = RootfsView::make(&sys, Path::new("/newroot")).unwrap();
        assert_ne!(a.path(), b.path());
    }

    #[test]
    fn what_was_made_before_a_failure_is_undone() {
        // The bind fails: only the directory goes.
        let sys = FakeSys::new();
        sys.fail("mount /newroot", libc::EPERM);
        let f = RootfsView::make(&sys, Path::new("/newroot")).unwrap_err();
        assert_eq!(f.reason, CopyFailure::PermissionDenied);
        assert!(
            f.message.contains("binding the container's root /newroot"),
            "{f:?}"
        );
        let calls = sys.calls();
        assert_eq!(calls.len(), 3, "{calls:?}");
        assert!(
            calls[2].starts_with("rmdir /run/vicport/rootfs."),
            "{calls:?}"
        );

        // Making it private fails: it is unmounted, then the directory goes.
        let sys = FakeSys::new();
        sys.fail("mount  ", libc::EINVAL);
        let f = RootfsView::make(&sys, Path::new("/newroot")).unwrap_err();
        assert!(f.message.contains("private"), "{f:?}");
        let calls = sys.calls();
        let verbs: Vec<&str> = calls.iter().map(|c| c.split(' ').next().unwrap()).collect();
        assert_eq!(verbs, ["mkdir", "mount", "mount", "umount", "rmdir"]);

        // A view that cannot be unmounted keeps its directory: what is
        // mounted there is never removed.
        let sys = FakeSys::new();
        sys.fail("umount", libc::EBUSY);
        drop(RootfsView::make(&sys, Path::new("/newroot")).unwrap());
        assert!(
            sys.calls().last().unwrap().starts_with("umount "),
            "{:?}",
            sys.calls()
        );

        // No directory, nothing to undo.
        let sys = FakeSys::new();
        sys.fail("mkdir", libc::EROFS);
        let f = RootfsView::make(&sys, Path::new("/newroot")).unwrap_err();
        assert_eq!(f.reason, CopyFailure::PermissionDenied);
        assert_eq!(sys.calls().len(), 1);
    }
}
