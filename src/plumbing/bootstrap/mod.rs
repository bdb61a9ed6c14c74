//! The boot image builder: a distribution kernel, the modules the tether
//! needs, the static tether as /init, packed into an initramfs and an ISO.
