//! Integration tests of oss-crypto-bucket against the dev server over real HTTP.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod batch;
mod batch_audit;
mod batch_migrate;
mod common;
mod copy_rotate;
mod crash;
mod get_put;
mod hostile;
#[cfg(feature = "kms")]
mod kms;
mod multipart;
mod progress;
mod resumable;
mod typed_errors;
mod vectors;
