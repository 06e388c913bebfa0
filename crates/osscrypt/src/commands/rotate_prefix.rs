//! `osscrypt rotate --prefix`: rotate every object under a prefix, in parallel, with a
//! JSON-lines journal; running it again resumes (see `oss_crypto_bucket::batch`).

use futures::TryStreamExt as _;
use oss_crypto_bucket::batch::{RotateOutcome, rotate_prefix};

use crate::batch::{Counter, Journal};
use crate::cli::RotateArgs;
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Counts of each outcome.
#[derive(Debug, Default)]
struct Tally {
    rotated: u64,
    already: u64,
    plain: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, outcome: &RotateOutcome) {
        match outcome {
            RotateOutcome::Rotated { .. } => self.rotated += 1,
            RotateOutcome::AlreadyRotated => self.already += 1,
            RotateOutcome::NotEncrypted => self.plain += 1,
            _ => self.failed += 1,
        }
    }

    fn summary(&self) -> String {
        format!(
            "rotated {}, already rotated {}, not encrypted {}, failed {}",
            self.rotated, self.already, self.plain, self.failed
        )
    }
}

/// Runs `rotate --prefix`.
pub(crate) async fn run(args: &RotateArgs, conn: &Connection, out: &Output) -> CliResult {
    let (bucket, new_ring) = super::rotate::bucket_and_new_keyring(args, conn)?;
    let mut journal = Journal::open(&args.journal)?;
    let options = args.batch.options();
    let counter = Counter::new(out, &format!("rotating {}", args.object));
    let mut tally = Tally::default();
    let mut records = std::pin::pin!(rotate_prefix(
        &bucket,
        &args.object.key,
        &new_ring,
        &options
    ));
    while let Some(record) = records.try_next().await? {
        if let RotateOutcome::Failed { error } = &record.outcome {
            out.info(format!(
                "osscrypt: rotate oss://{}/{}: {error}",
                args.object.bucket, record.key
            ));
        }
        tally.add(&record.outcome);
        journal.record(&record)?;
        counter.tick(tally.summary());
    }
    counter.finish();
    out.info(format!("{} (shard {})", tally.summary(), args.batch.shard));
    if tally.failed > 0 {
        return Err(CliError::other(format!(
            "{} objects failed to rotate (see {}); run the command again to retry them",
            tally.failed,
            args.journal.display()
        )));
    }
    Ok(())
}
