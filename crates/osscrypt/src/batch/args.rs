//! The clap types of the bucket-scale commands (`audit`, `migrate`), kept out of `cli.rs` so
//! that the commands of different areas merge without conflicts.

use std::path::PathBuf;

use clap::Args;

use super::BatchArgs;
use crate::cli::{KeyArgs, ObjectUri};
use crate::units::parse_uri;

/// `audit`.
#[derive(Debug, Args)]
#[command(after_help = AUDIT_HELP)]
pub(crate) struct AuditArgs {
    /// The prefix, `oss://bucket/prefix/` (`oss://bucket/` for the whole bucket).
    #[arg(value_parser = parse_uri)]
    pub(crate) prefix: ObjectUri,
    /// Also download every readable object and verify its CRC-64, length and plaintext MD5.
    #[arg(long)]
    pub(crate) deep: bool,
    /// Key levels below the prefix that make one row of the report (0: one row).
    #[arg(long, default_value_t = 1)]
    pub(crate) depth: usize,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also append one JSON line per object (key, kind, missing_md5, deep_error) to this file.
    #[arg(long)]
    pub(crate) journal: Option<PathBuf>,
    /// Parallelism and sharding.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// The keyring the objects must be readable with.
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

const AUDIT_HELP: &str = "\
Every object under the prefix is classified from one HEAD (and one data-key unwrap; nothing is
written): v2 (readable with the given keys), v1 legacy, plaintext, unwrappable (no key of the
keyring unwraps it; grouped by material description), malformed envelope, and encrypted objects
without unencrypted-content-md5. With --deep each readable object is downloaded and its CRC-64,
length and MD5 are checked (egress: the total stored size).

Exit code 0 when every object is a readable V2 object with its MD5 (and passed --deep), 5 when
the audit found anything else, 1 when the listing failed.";
