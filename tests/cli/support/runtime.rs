//! vicport as an engine's OCI runtime: the `vicport-runc` script engines
//! run. Engines pass a runtime hardly any environment, so the script
//! carries the test world's (its state, cache and tether) and calls the
//! binary by its runtime name, `vicport-runc`.

use std::path::{Path, PathBuf};

use super::Env;

/// Write `dir/bin/vicport-runc` (a link to the built binary) and the
/// script `dir/wrap/vicport-runc` that runs it in `env`'s world, with
/// `--root ROOT` first when given (podman passes no `--root`; containerd's
/// runc shim passes its own). The script's path.
pub fn runc_wrapper(env: &Env, dir: &Path, root: Option<&Path>) -> PathBuf {
    for d in ["bin", "wrap"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    let vicport = assert_cmd::cargo::cargo_bin("vicport");
    std::os::unix::fs::symlink(&vicport, dir.join("bin/vicport-runc")).unwrap();
    let probe = env.booting(["--version"]);
    let mut script = String::from("#!/bin/sh\n");
    for (k, v) in probe.get_envs() {
        if let Some(v) = v {
            script.push_str(&format!(
                "export {}='{}'\n",
                k.to_string_lossy(),
                v.to_string_lossy()
            ));
        }
    }
    let root = root
        .map(|r| format!("--root '{}' ", r.display()))
        .unwrap_or_default();
    script.push_str(&format!(
        "exec '{}' {root}\"$@\"\n",
        dir.join("bin/vicport-runc").display(),
    ));
    let wrapper = dir.join("wrap/vicport-runc");
    std::fs::write(&wrapper, script).unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    wrapper
}
