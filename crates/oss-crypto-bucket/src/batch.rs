//! Batch work over a listing: everything under a prefix, streamed page by page (memory stays
//! bounded by one page however many keys there are), optionally split into shards so that N
//! independent processes cover a prefix with no coordinator.
//!
//! [`objects`] is the listing every batch operation starts from; [`rotate_prefix`] rewraps
//! every encrypted object under a new master key with [`CryptoBucket::rotate_master_key`],
//! skipping what is already under it, so an interrupted run is resumed by running it again;
//! [`audit_prefix`] classifies every object (V2, V1, plaintext, unwrappable, malformed, no
//! plaintext MD5; optionally a verified download) into an [`AuditReport`]; [`migrate_prefix`]
//! encrypts plaintext objects in place, keeping their metadata and system headers;
//! [`uploads`] lists the multipart uploads in progress and [`buckets`] the account's buckets; [`local_files`], [`upload_files`]
//! and [`download_prefix`] move directory trees (`cp -r`); [`in_sync`] is what `sync`
//! compares.
//!
//! [`CryptoBucket::rotate_master_key`]: crate::CryptoBucket::rotate_master_key

mod audit;
mod buckets;
mod listing;
mod migrate;
mod rotate;
mod shard;
mod sync;
mod tree;
mod uploads;

pub use audit::{AuditCounts, AuditKind, AuditRecord, AuditReport, audit_prefix};
pub use buckets::buckets;
pub use listing::{BatchOptions, objects};
pub use migrate::{MigrateOutcome, MigrateRecord, migrate_prefix};
pub use rotate::{RotateOutcome, RotateRecord, rotate_prefix};
pub use shard::{Shard, ShardError};
pub use sync::{Compare, MTIME_METADATA, file_mtime, in_sync, mtime_metadata};
pub use tree::{
    LocalFile, Skipped, TransferRecord, download_objects, download_prefix, local_files, local_path,
    upload_files,
};
pub use uploads::uploads;
