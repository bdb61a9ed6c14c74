//! The image store: OCI layouts, docker-save archives and rootfs tars
//! imported layer by layer into an ext4 root disk.
