//! Resumable upload (Python SDK guide: "resumable upload"): a file goes up in parallel parts
//! with a checkpoint after each; the devserver fails one part for good, the upload stops, and
//! the same call again resumes from the checkpoint instead of starting over.

use oss_crypto_bucket::{CryptoOptions, GetOptions, ResumableOptions};
use oss_crypto_examples::{Result, check, crypto_bucket, data, exit, rsa_key, start_devserver};
use oss_devserver::{FaultAction, FaultRule, Trigger};
use oss_keywrap::Keyring;
use oss_keywrap::rsa::RsaMasterKey;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let server = start_devserver().await?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("upload.bin");
    let plaintext = data(1_000_000, 6);
    std::fs::write(&file, &plaintext)?;
    let options = CryptoOptions::default()
        .with_part_size(100 * 1024)
        .with_concurrency(1)
        .with_checkpoint_dir(dir.path().join("checkpoints"));
    let bucket = crypto_bucket(
        &server,
        Keyring::new(RsaMasterKey::new(rsa_key()?)),
        options,
    )?;
    let progress = ResumableOptions::default()
        .with_progress(|done, total| println!("progress {done}/{total}"));

    let fail = FaultAction::Status {
        status: 400,
        code: "InvalidRequest".into(),
    };
    server
        .faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::EveryNth(4), fail));
    let first = bucket
        .resumable_upload("big/upload.bin", &file, &progress)
        .await;
    check(first.is_err(), "the first attempt is interrupted at part 4")?;
    server.faults().clear();

    let done = bucket
        .resumable_upload("big/upload.bin", &file, &progress)
        .await?;
    println!(
        "uploaded {} parts now, {} resumed from the checkpoint",
        done.parts_uploaded, done.parts_resumed
    );
    check(
        done.parts_resumed == 3,
        "the three parts done before the fault are not sent again",
    )?;
    let back = bucket
        .get_object("big/upload.bin", &GetOptions::default())
        .await?
        .bytes()
        .await?;
    check(
        back.as_ref() == plaintext.as_slice(),
        "the uploaded object decrypts to the file",
    )?;
    server.shutdown().await;
    Ok(())
}
