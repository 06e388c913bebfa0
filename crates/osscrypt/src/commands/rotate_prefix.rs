//! `osscrypt rotate --prefix`: rotate every object under a prefix, in parallel, with a
//! JSON-lines journal; running it again resumes (see `oss_crypto_bucket::batch`).

use oss_crypto_bucket::batch::{RotateOutcome, rotate_prefix};

use crate::batch::{self, Journal};
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
    let mut tally = Tally::default();
    let records = rotate_prefix(&bucket, &args.object.key, &new_ring, &options);
    batch::drive(
        out,
        &format!("rotating {}", args.object),
        records,
        |record| {
            if let RotateOutcome::Failed { error } = &record.outcome {
                out.info(format!(
                    "osscrypt: rotate oss://{}/{}: {error}",
                    args.object.bucket, record.key
                ));
            }
            tally.add(&record.outcome);
            journal.record(&record)?;
            Ok(tally.summary())
        },
    )
    .await?;
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
