//! The CLI's spec parsers: `--volume NAME:/path[:ro]`, `--mount`'s long
//! form, `--network NET[:IP]`, `--dns…`, sizes, labels, image references
//! and names. Any text parses or is an
//! invalid-argument error (exit 2), never a panic; what parses is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicport::plumbing::error::ErrorKind;
use vicport::plumbing::name::{self, ImageRef};
use vicport::plumbing::spec::{
    DnsSettings, Mount, NetworkEndpoint, VolumeMount, parse_label, parse_size,
};

fn invalid<T>(r: Result<T, vicport::plumbing::Error>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(m) = invalid(VolumeMount::parse(text)) {
        name::validate("volume", &m.volume).expect("a parsed mount names a valid volume");
        assert!(m.path.starts_with('/') && !m.path.split('/').any(|c| c == ".."));
    }
    if let Some(m) = invalid(Mount::parse_long(text, std::path::Path::new("/cwd"))) {
        let p = m.path();
        assert!(p.starts_with('/') && p != "/" && !p.split('/').any(|c| c == ".."));
        if let Mount::Volume(v) = &m {
            name::validate("volume", &v.volume).expect("a parsed mount names a valid volume");
        }
    }
    let words: Vec<String> = text.split(' ').map(String::from).collect();
    if let Some(d) = invalid(DnsSettings::parse(&[], &words, &words)) {
        assert!(
            d.search
                .iter()
                .all(|w| !w.is_empty() && !w.contains(char::is_whitespace))
        );
    }
    if let Some(e) = invalid(NetworkEndpoint::parse(text)) {
        name::validate("network", &e.network).expect("a parsed endpoint names a valid network");
    }
    let _ = invalid(parse_size(text));
    let _ = invalid(parse_label(text));
    if let Some(r) = invalid(ImageRef::parse(text)) {
        assert_eq!(
            ImageRef::parse(&r.to_string()).expect("a reference round-trips"),
            r
        );
    }
    if invalid(name::validate("domain", text)).is_some() {
        assert!(text.len() <= name::MAX_NAME_LEN && !text.contains('/') && !text.contains(".."));
    }
});
