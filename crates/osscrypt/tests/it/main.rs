//! Integration tests of the osscrypt binary.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod addressing;
mod auth_errors;
mod bulk;
mod bulk_audit;
mod bulk_buckets;
mod bulk_cp;
mod bulk_migrate;
mod bulk_sync;
mod common;
mod credential_endpoints;
mod credentials;
mod demo;
mod hostile;
mod kms_context;
mod kms_passphrase;
mod listing;
mod logs;
mod network;
mod offline;
mod offline_keys;
mod progress;
mod remote;
mod serve;
mod signals;
mod targets;
mod transfer;
mod upload;
mod without_devserver;
