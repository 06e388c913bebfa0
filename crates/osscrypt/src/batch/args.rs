//! The clap types of the bucket-scale commands (`audit`, `migrate`), kept out of `cli.rs` so
//! that the commands of different areas merge without conflicts.

use std::path::PathBuf;

use clap::Args;

use super::BatchArgs;
use crate::cli::{KeyArgs, ObjectUri};
use crate::uri::parse_uri;

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

/// `migrate`.
#[derive(Debug, Args)]
#[command(after_help = MIGRATE_HELP)]
pub(crate) struct MigrateArgs {
    /// The prefix, `oss://bucket/prefix/` (`oss://bucket/` for the whole bucket).
    #[arg(value_parser = parse_uri)]
    pub(crate) prefix: ObjectUri,
    /// Only report what would be encrypted; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// JSON-lines journal: one line per object with its outcome (appended).
    #[arg(long, default_value = "osscrypt-migrate.jsonl")]
    pub(crate) journal: PathBuf,
    /// Parallelism and sharding.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// The master key that encrypts (and the keys that recognise encrypted objects).
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

const MIGRATE_HELP: &str = "\
Every plaintext object under the prefix is read, encrypted under the master key and written back
under the same key, keeping its user metadata, Content-Type, Cache-Control, Content-Disposition,
Content-Encoding, Content-Language, Expires and storage class (not ACLs or tags: HeadObject does
not return them). Objects that already carry an envelope are skipped. Objects up to 8 MiB are
buffered in memory (--jobs of them at most) and get unencrypted-content-md5; larger ones stream
through (at most 5 GB, one PutObject) and get it when OSS has their MD5.

Other writers: OSS has no conditional PutObject, so the write cannot require the ETag that was
read. The read carries If-Match, buffered objects are checked again just before the write
(changed_before_write: skipped, nothing written), and a HEAD after the write must show its ETag
(changed_after_write: someone replaced it since). A write landing between the last check and the
PUT is overwritten undetected: stop writers, or run it again and compare with `audit`.

Outcomes (migrated, would_migrate, already_encrypted, changed_before_write,
changed_after_write, failed) go to the --journal. Exit code 1 if any object failed or changed;
running the same command again handles what is left. Egress: the total size migrated.";

/// `mb`.
#[derive(Debug, Args)]
pub(crate) struct MbArgs {
    /// The bucket, `oss://bucket`.
    #[arg(value_parser = parse_uri)]
    pub(crate) bucket: ObjectUri,
}

/// `rb`.
#[derive(Debug, Args)]
pub(crate) struct RbArgs {
    /// The bucket, `oss://bucket`.
    #[arg(value_parser = parse_uri)]
    pub(crate) bucket: ObjectUri,
    /// Empty it first: delete every object and abort every multipart upload (no
    /// confirmation is asked).
    #[arg(long)]
    pub(crate) force: bool,
    /// Parallelism of `--force`.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// `uploads`.
#[derive(Debug, Args)]
pub(crate) struct UploadsArgs {
    /// What to do.
    #[command(subcommand)]
    pub(crate) action: UploadsAction,
}

/// `uploads ls` / `uploads abort`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum UploadsAction {
    /// List unfinished multipart uploads under a prefix (they are billed until completed
    /// or aborted).
    Ls {
        /// `oss://bucket` or `oss://bucket/prefix`.
        #[arg(value_parser = parse_uri)]
        prefix: ObjectUri,
        /// Print JSON (an array of `{key, upload_id, initiated}`).
        #[arg(long)]
        json: bool,
    },
    /// Abort every unfinished multipart upload under a prefix (their parts are deleted; a
    /// resumable transfer using one cannot resume and starts over).
    Abort {
        /// `oss://bucket` or `oss://bucket/prefix`.
        #[arg(value_parser = parse_uri)]
        prefix: ObjectUri,
    },
}

impl UploadsArgs {
    /// The prefix the action works on.
    pub(crate) fn prefix(&self) -> &ObjectUri {
        match &self.action {
            UploadsAction::Ls { prefix, .. } | UploadsAction::Abort { prefix } => prefix,
        }
    }
}

/// The `cp --help` epilogue.
pub(crate) const CP_HELP: &str = "\
Forms:
  cp oss://b/src oss://b2/dst          server-side copy, envelope kept (no keys needed)
  cp FILE... oss://b/prefix/           upload files (a single FILE to oss://b/key: that key)
  cp -r DIR oss://b/prefix/            upload every regular file below DIR as prefix + path
  cp -r oss://b/prefix/ DIR            download everything under the prefix into DIR

--jobs files move at once (--shard INDEX/COUNT: only the keys of that shard, both ways); files
larger than 8 MiB use the multipart path with parallel parts.
One progress line shows files done/total, bytes, throughput and ETA.

Symbolic links are not followed and special files (FIFOs, sockets, devices) are not read: each is
reported as skipped (a link could pull files from outside the tree; a FIFO would block). On
download, keys ending in `/` are skipped and keys that would leave DIR (`..`, `.`, empty
segments, backslashes) fail. Each download goes through a private temp file renamed only after
its checks. A file that fails is reported and the others go on; exit code 1 if any failed.";

/// `sync`.
#[derive(Debug, Args)]
#[command(after_help = SYNC_HELP)]
pub(crate) struct SyncArgs {
    /// Source: a local directory or `oss://bucket/prefix/`.
    pub(crate) source: String,
    /// Destination: `oss://bucket/prefix/` or a local directory (the other kind).
    pub(crate) dest: String,
    /// Judge existing files by size and plaintext MD5 (the local file's against the object's
    /// `unencrypted-content-md5`) instead of size and mtime; reads every same-size file.
    #[arg(long)]
    pub(crate) checksum: bool,
    /// Also delete destination entries that the source does not have (within the filters
    /// and the shard).
    #[arg(long)]
    pub(crate) delete: bool,
    /// Print what would be copied and deleted; change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Only relative paths matching this glob (repeatable; default: everything).
    #[arg(long, value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// Leave out relative paths matching this glob (repeatable; wins over --include).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Read more --exclude globs from FILE, one per line (blank lines and `#` lines ignored).
    #[arg(long, value_name = "FILE")]
    pub(crate) exclude_from: Vec<PathBuf>,
    /// Files moved at once, and the shard of the key space.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// Master keys.
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

impl SyncArgs {
    /// The buckets named by the source and destination.
    pub(crate) fn buckets(&self) -> Vec<&str> {
        [&self.source, &self.dest]
            .into_iter()
            .filter_map(|s| s.strip_prefix("oss://"))
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .collect()
    }
}

const SYNC_HELP: &str = "\
Forms:
  sync DIR oss://b/prefix/     upload what is new or changed below DIR
  sync oss://b/prefix/ DIR     download what is new or changed under the prefix

A file and an object are the same when their sizes match and the mtime recorded in the
object's user metadata x-oss-meta-osscrypt-mtime (whole seconds since the Unix epoch) equals the
file's; with --checksum, when the file's MD5 equals the object's unencrypted-content-md5
instead. Uploads by sync always record both; downloads set the file's mtime from the recorded
one. Objects without them (e.g. written by `put`) are copied again once.

Stdout gets one line per action: `upload KEY`, `download KEY`, `delete KEY` (remote) or
`delete PATH` (local); --dry-run prints the same lines and changes nothing. Globs (--include,
--exclude, --exclude-from) match the path relative to DIR, which is also the key relative to
the prefix; `*` also matches `/` (`*.log` matches `a/b.log`). Excluded entries are neither
copied nor deleted. --shard INDEX/COUNT restricts both sides to the keys of that shard.
Symbolic links and special files are skipped as by `cp -r`; --delete removes files, not the
directories they leave empty. Both listings (keys and sizes) are held in memory. A file that
fails is reported and the others go on; exit code 1 if any failed.";
