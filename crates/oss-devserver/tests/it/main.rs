//! Integration tests of the dev server over real HTTP: OSS and KMS stand-ins.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod client;
mod kms_actions;
mod kms_auth;
mod kms_auth_vectors;
mod kms_faults;
mod kms_support;
mod listen;
mod oss_auth;
mod oss_cse;
mod oss_disk;
mod oss_disk_races;
mod oss_disk_uploads;
mod oss_faults;
mod oss_limits;
mod oss_list_uploads;
mod oss_multipart;
mod oss_objects;
mod oss_signing_vectors;
