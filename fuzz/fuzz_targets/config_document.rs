//! The domain config document decoder (fw_cfg on QEMU, base64 guestinfo on
//! vSphere): any text decodes to a config or a line-numbered error, never a
//! panic; a decoded config survives encode and decode unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tether_protocol::config::DomainConfig;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(config) = DomainConfig::decode(&text) {
        let again = DomainConfig::decode(&config.encode()).expect("an encoded config decodes");
        assert_eq!(again, config);
    }
});
