//! The SOAP response parser: any text either parses into a tree or is an
//! error, never a panic; every element of a parsed tree can be read as a
//! fault, a device and a managed object reference without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vicport::plumbing::vsphere::devices::Device;
use vicport::plumbing::vsphere::fault::Fault;
use vicport::plumbing::vsphere::xml::{self, Node};

fn walk(node: &Node, depth: usize) {
    if depth > 64 {
        return;
    }
    let _ = Fault::from_value(node, &node.text);
    let _ = Device::read(node);
    let _ = node.as_moref();
    for child in &node.children {
        walk(child, depth + 1);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = xml::parse(text) {
            walk(&doc, 0);
        }
    }
});
