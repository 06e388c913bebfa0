//! The `oss-devserver` binary.

fn main() {}
