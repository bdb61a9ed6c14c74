//! The `vicport` binary: parse, dispatch, map errors to exit codes.

fn main() {}
