//! Resumable download (Python SDK guide: "resumable download"): an encrypted object comes
//! down in ranged parts, each decrypted at its offset into a temp file, with a checkpoint;
//! a failed part stops the download without touching the destination, and the same call
//! again resumes and verifies the whole file before renaming it into place.

use oss_crypto_bucket::{CryptoOptions, PutOptions, ResumableOptions};
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
    let options = CryptoOptions::default()
        .with_part_size(100 * 1024)
        .with_concurrency(1)
        .with_checkpoint_dir(dir.path().join("checkpoints"));
    let bucket = crypto_bucket(
        &server,
        Keyring::new(RsaMasterKey::new(rsa_key()?)),
        options,
    )?;
    let plaintext = data(900_000, 7);
    bucket
        .put_object(
            "big/download.bin",
            plaintext.clone().into(),
            &PutOptions::default(),
        )
        .await?;

    let dest = dir.path().join("download.bin");
    let progress = ResumableOptions::default()
        .with_progress(|done, total| println!("progress {done}/{total}"));
    let fail = FaultAction::Status {
        status: 400,
        code: "InvalidRequest".into(),
    };
    server
        .faults()
        .add_rule(FaultRule::new("GetObject", Trigger::EveryNth(4), fail));
    let first = bucket
        .resumable_download("big/download.bin", &dest, &progress)
        .await;
    check(
        first.is_err() && !dest.exists(),
        "the first attempt stops and leaves no destination file",
    )?;
    server.faults().clear();

    let done = bucket
        .resumable_download("big/download.bin", &dest, &progress)
        .await?;
    println!(
        "downloaded {} parts now, {} resumed from the checkpoint",
        done.parts_downloaded, done.parts_resumed
    );
    check(
        done.parts_resumed > 0,
        "parts fetched before the fault are not fetched again",
    )?;
    check(
        std::fs::read(&dest)? == plaintext,
        "the downloaded file is the plaintext",
    )?;
    server.shutdown().await;
    Ok(())
}
