//! Opening a target's platform: the one place that knows which platform
//! implementation serves which kind of target.

use std::time::Duration;

use crate::plumbing::config::Target;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::local::LocalPlatform;
use crate::plumbing::paths::Dirs;
use crate::plumbing::platform::Platform;

/// Open the platform behind target `name`.
pub async fn open(
    name: &str,
    target: &Target,
    dirs: &Dirs,
    _timeout: Duration,
) -> Result<Box<dyn Platform>> {
    match target {
        Target::Local(local) => {
            let state = local
                .state_dir
                .clone()
                .unwrap_or_else(|| dirs.state.clone());
            Ok(Box::new(LocalPlatform::open(
                name,
                state,
                dirs.cache.clone(),
            )?))
        }
        Target::Vsphere(_) => Err(Error::not_supported("the vSphere platform", name)),
    }
}
