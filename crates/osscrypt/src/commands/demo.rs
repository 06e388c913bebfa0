//! `osscrypt demo`: the whole story against an embedded devserver, checking every step.
//!
//! Starts a devserver and makes two key pairs; generates a file (256 MiB by default) and
//! uploads it encrypted, resumable and parallel; shows the stored envelope and that the
//! stored bytes are not the plaintext; reads three ranges (aligned, unaligned, suffix);
//! downloads and verifies the whole object; rotates the master key and reads again; prints
//! throughput. Any mismatch fails the command (integrity error, exit 5).

mod files;

use std::path::Path;

use oss_client::http::HeaderMap;
use oss_crypto_bucket::{ByteRange, CryptoBucket, CryptoOptions, GetOptions};
use oss_devserver::{DevServer, DevServerConfig};
use oss_envelope::{Envelope, Matdesc};
use oss_keywrap::Keyring;
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};

use super::transfer;
use crate::cli::DemoArgs;
use crate::connection::Connection;
use crate::error::{CliError, CliResult, Kind};
use crate::output::Output;
use crate::size::human_bytes;

const BUCKET: &str = "osscrypt-demo";
const KEY: &str = "demo/random.bin";
const MIN_SIZE: u64 = 1 << 20;

fn say(line: impl AsRef<str>) -> CliResult {
    Output::result(line)
}

fn mismatch(what: &str) -> CliError {
    CliError::new(Kind::Integrity, format!("demo check failed: {what}"))
}

/// Runs `demo`.
pub(crate) async fn run(args: &DemoArgs, out: &Output) -> CliResult {
    if args.size < MIN_SIZE {
        return Err(CliError::usage("demo --size must be at least 1MiB"));
    }
    let scratch = files::Scratch::new()?;
    let server = DevServer::start(DevServerConfig::default().with_buckets([BUCKET])).await?;
    say(format!(
        "started an embedded devserver at {} (in memory)",
        server.oss_url()
    ))?;
    let conn = Connection::for_devserver(server);
    let result = steps(args, &conn, &scratch.0, out).await;
    conn.close().await;
    result
}

/// Part size for the demo: about 16 parts, between 100 KiB and 8 MiB, a multiple of 16.
fn part_size(size: u64) -> u64 {
    let part = (size / 16).clamp(100 * 1024, 8 << 20);
    part.div_ceil(16) * 16
}

fn key_pair(bits: u16, matdesc: &str) -> CliResult<RsaMasterKey> {
    let (pem, _) = super::keygen::generate_pem(bits)?;
    let private = RsaPrivateKey::from_pem(&pem).map_err(|e| CliError::other(e.to_string()))?;
    let desc: Matdesc = [("key", matdesc)].into_iter().collect();
    Ok(RsaMasterKey::new(private).with_matdesc(desc))
}

async fn steps(args: &DemoArgs, conn: &Connection, dir: &Path, out: &Output) -> CliResult {
    let old_ring = Keyring::new(key_pair(args.bits, "old")?);
    let new_ring = Keyring::new(key_pair(args.bits, "new")?);
    say(format!(
        "made two RSA-{} master key pairs (matdesc key=old and key=new)",
        args.bits
    ))?;
    let plain = dir.join("random.bin");
    files::write_random(&plain, args.size)?;
    say(format!(
        "generated {} of random data",
        human_bytes(args.size)
    ))?;

    let options = CryptoOptions::default()
        .with_part_size(part_size(args.size))
        .with_concurrency(args.parallel)
        .with_checkpoint_dir(dir.join("checkpoints"))
        .with_compute_md5(true);
    let bucket = conn.crypto_bucket(BUCKET, old_ring.clone(), options.clone())?;
    let up = transfer::upload(&bucket, KEY, &plain, out).await?;
    say(format!(
        "uploaded oss://{BUCKET}/{KEY} encrypted, resumable, {} in flight: {}",
        args.parallel,
        up.describe()
    ))?;

    let envelope = show_envelope(&bucket, &plain).await?;
    read_ranges(&bucket, &plain, args.size).await?;

    let back = dir.join("downloaded.bin");
    let down = transfer::download(&bucket, KEY, &back, out).await?;
    if !files::same_contents(&plain, &back)? {
        return Err(mismatch("the downloaded file differs from the original"));
    }
    let md5 = match envelope.unencrypted_content_md5() {
        Some(_) => "MD5 of the plaintext, ",
        None => "",
    };
    say(format!(
        "downloaded the whole object and verified it (CRC-64 of the ciphertext, {md5}byte-by-byte compare): {}",
        down.describe()
    ))?;

    rotate_and_reread(conn, &bucket, new_ring, options, &plain, args.size).await?;
    say(format!(
        "throughput: upload {}, download {}",
        crate::output::throughput(up.bytes, up.elapsed),
        crate::output::throughput(down.bytes, down.elapsed)
    ))
}

/// Rotates to `new_ring`, reads the ranges again with it, and checks the old key is refused.
async fn rotate_and_reread(
    conn: &Connection,
    bucket: &CryptoBucket,
    new_ring: Keyring,
    options: CryptoOptions,
    plain: &Path,
    size: u64,
) -> CliResult {
    let started = std::time::Instant::now();
    bucket.rotate_master_key(KEY, &new_ring).await?;
    say(format!(
        "rotated the master key to key=new in {:.2?} (ciphertext unchanged, not re-encrypted)",
        started.elapsed()
    ))?;
    let rotated = conn.crypto_bucket(BUCKET, new_ring, options)?;
    read_ranges(&rotated, plain, size).await?;
    match bucket.get_object(KEY, &GetOptions::default()).await {
        Err(oss_crypto_bucket::Error::KeyWrap(e)) => {
            say(format!("the old key is refused now: {e}"))?
        }
        Err(e) => return Err(e.into()),
        Ok(_) => return Err(mismatch("the old key still decrypts after rotation")),
    }
    Ok(())
}

/// Prints the stored envelope and checks that the stored bytes are not the plaintext.
async fn show_envelope(bucket: &CryptoBucket, plain: &Path) -> CliResult<Envelope> {
    let client = bucket.client();
    let meta = client.head_object(KEY, &HeaderMap::new()).await?;
    let pairs: Vec<(&str, &str)> = meta
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
        .collect();
    let envelope = Envelope::from_headers(&pairs)?;
    say("stored envelope (object metadata):")?;
    for (name, value) in envelope.to_headers() {
        let shown = match value.char_indices().nth(40) {
            Some((cut, _)) => format!("{}… ({} chars)", &value[..cut], value.len()),
            None => value,
        };
        say(format!("  {name}: {shown}"))?;
    }
    let request =
        oss_client::GetOptions::default().with_range(oss_client::ByteRange::Inclusive(0, 65_535));
    let (_, stored) = client.get_object_bytes(KEY, &request).await?;
    let original = files::read_region(plain, 0, 65_536)?;
    if stored.len() != original.len() || stored.as_ref() == original.as_slice() {
        return Err(mismatch("the stored bytes are the plaintext"));
    }
    let equal = stored.iter().zip(&original).filter(|(a, b)| a == b).count();
    say(format!(
        "stored bytes are not the plaintext: first 16 stored {} vs plaintext {} ({equal} of 65536 bytes agree, as chance predicts)",
        hex::encode(stored.get(..16).unwrap_or_default()),
        hex::encode(original.get(..16).unwrap_or_default()),
    ))?;
    Ok(envelope)
}

/// Reads an aligned, an unaligned and a suffix range and checks them against the file.
async fn read_ranges(bucket: &CryptoBucket, plain: &Path, size: u64) -> CliResult {
    let aligned = (size / 4) / 16 * 16;
    let unaligned = size / 2 + 7;
    let ranges = [
        (
            ByteRange::Bounded {
                start: aligned,
                end: aligned + 65_535,
            },
            aligned,
            65_536,
            "aligned",
        ),
        (
            ByteRange::Bounded {
                start: unaligned,
                end: unaligned + 99_999,
            },
            unaligned,
            100_000,
            "unaligned",
        ),
        (
            ByteRange::Suffix { len: 12_345 },
            size - 12_345,
            12_345,
            "suffix",
        ),
    ];
    for (range, start, len, kind) in ranges {
        let got = bucket
            .get_object(KEY, &GetOptions::default().with_range(range))
            .await?
            .bytes()
            .await?;
        if got.as_ref() != files::read_region(plain, start, len)?.as_slice() {
            return Err(mismatch(&format!("range {range} decrypted wrong")));
        }
        say(format!(
            "read {kind} range {range}: {len} bytes, match the original"
        ))?;
    }
    Ok(())
}
