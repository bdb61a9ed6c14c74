//! End-to-end tests of the `vicport` binary against real peers. Each test
//! gets its own config, state and cache directories (see `support`).

mod support;

mod boot;
mod conformance;
mod containerd;
mod endurance;
mod faults;
mod foundation;
mod generated;
mod guest;
mod image_save;
mod local;
mod local_net;
mod microvm;
mod oci;
mod oci_conformance;
mod oom;
mod podman;
mod podman_net;
mod podman_rootless;
mod process_flags;
mod publish;
mod registry;
mod security;
mod vsphere;
mod vsphere_live;
mod window;
