//! `osscrypt migrate`: encrypt the plaintext objects under a prefix in place, in parallel,
//! with a JSON-lines journal (see `oss_crypto_bucket::batch::migrate_prefix`).

use oss_crypto_bucket::batch::{MigrateOutcome, migrate_prefix};

use crate::batch::args::MigrateArgs;
use crate::batch::{self, Journal};
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Counts of each outcome.
#[derive(Debug, Default)]
struct Tally {
    migrated: u64,
    would: u64,
    encrypted: u64,
    changed: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, outcome: &MigrateOutcome) {
        match outcome {
            MigrateOutcome::Migrated { .. } => self.migrated += 1,
            MigrateOutcome::WouldMigrate => self.would += 1,
            MigrateOutcome::AlreadyEncrypted => self.encrypted += 1,
            MigrateOutcome::ChangedBeforeWrite | MigrateOutcome::ChangedAfterWrite { .. } => {
                self.changed += 1;
            }
            _ => self.failed += 1,
        }
    }

    fn summary(&self, dry_run: bool) -> String {
        let done = if dry_run {
            format!("would encrypt {}", self.would)
        } else {
            format!("encrypted {}", self.migrated)
        };
        format!(
            "{done}, already encrypted {}, changed by another writer {}, failed {}",
            self.encrypted, self.changed, self.failed
        )
    }
}

/// Runs `migrate`.
pub(crate) async fn run(args: &MigrateArgs, conn: &Connection, out: &Output) -> CliResult {
    let bucket = batch::bucket_with_keys(conn, &args.keys, &args.prefix.bucket)?;
    let mut journal = Journal::open(&args.journal)?;
    let options = args.batch.options();
    let mut tally = Tally::default();
    let records = migrate_prefix(&bucket, &args.prefix.key, &options, args.dry_run);
    batch::drive(
        out,
        &format!("migrating {}", args.prefix),
        records,
        |record| {
            let uri = format!("oss://{}/{}", args.prefix.bucket, record.key);
            match &record.outcome {
                MigrateOutcome::Failed { error } => {
                    out.info(format!("osscrypt: migrate {uri}: {error}"))
                }
                MigrateOutcome::ChangedBeforeWrite => out.info(format!(
                    "osscrypt: migrate {uri}: changed since it was read; skipped, nothing written"
                )),
                MigrateOutcome::ChangedAfterWrite { .. } => out.info(format!(
                    "osscrypt: migrate {uri}: replaced by another writer after it was encrypted"
                )),
                MigrateOutcome::WouldMigrate => out.info(format!("would encrypt {uri}")),
                _ => {}
            }
            tally.add(&record.outcome);
            journal.record(&record)?;
            Ok(tally.summary(args.dry_run))
        },
    )
    .await?;
    out.info(format!(
        "{} (shard {})",
        tally.summary(args.dry_run),
        args.batch.shard
    ));
    if tally.failed + tally.changed > 0 {
        return Err(CliError::other(format!(
            "{} objects failed and {} changed during the migration (see {}); run the command \
             again to handle them",
            tally.failed,
            tally.changed,
            args.journal.display()
        )));
    }
    Ok(())
}
