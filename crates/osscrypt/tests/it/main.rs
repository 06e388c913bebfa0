//! Integration tests of the osscrypt binary.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod addressing;
mod bulk;
mod common;
mod demo;
mod hostile;
mod offline;
mod remote;
mod serve;
mod transfer;
mod upload;
