//! Benchmark: many small encrypted objects, where the master key's cost dominates. Puts and
//! gets `--objects` objects (default 10 000) of `--size-kib` KiB (default 4) at
//! `--concurrency` (default 16), in objects per second, for RSA-2048, RSA-3072 and KMS (the dev
//! server's), next to plaintext oss-client put/get of the same objects as the bound.
//!
//! ```text
//! cargo run --release -p oss-crypto-bucket --example small_objects_bench -- [--objects 10000]
//!     [--size-kib 4] [--concurrency 16]
//! ```
//!
//! Each RSA object is read twice: with AWS-LC doing the private-key operations (the default
//! `aws-lc` feature) and with the pure-Rust `rsa` crate (`RsaPrivateKey::with_pure_rust_backend`,
//! the "before" figure). Reading an object costs two private operations (data key and IV);
//! writing one costs two public ones. The dev server runs in its own process on one core, the
//! bench on the other (see `bench_common/server.rs`). Every read is checked against what was
//! written. Target: RSA get with AWS-LC at least 5x the `rsa` crate's.

#[path = "bench_common/server.rs"]
mod server;

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::{
    Client, Credentials, GetOptions as PlainGetOptions, PutPayload,
};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::kms::{
    Credentials as KmsCredentials, KmsClient, KmsEndpoint, KmsMasterKey,
};
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{CryptoBucket, GetOptions, PutOptions};
use oss_devserver::KmsConfig;
use server::{BUCKET, ServerOptions, ServerProcess};

type BoxResult<T> = Result<T, Box<dyn core::error::Error>>;

/// What the issue asks of the fast backend's small-object reads against the `rsa` crate's.
const TARGET_GET_SPEEDUP: f64 = 5.0;

struct Settings {
    objects: usize,
    size: usize,
    concurrency: usize,
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Object `i`'s content: distinct per object, so a mixed-up read is caught.
fn content(i: usize, size: usize) -> Bytes {
    let seed = u8::try_from(i % 251).unwrap_or(0);
    (0..size)
        .map(|j| seed.wrapping_add(u8::try_from(j % 256).unwrap_or(0)))
        .collect::<Vec<u8>>()
        .into()
}

fn key_name(prefix: &str, i: usize) -> String {
    format!("{prefix}/{i:06}")
}

/// Runs `op(i)` for every object at the configured concurrency; objects per second.
async fn rate<F, Fut>(s: &Settings, op: F) -> BoxResult<f64>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = BoxResult<()>>,
{
    let start = Instant::now();
    futures::stream::iter(0..s.objects)
        .map(op)
        .buffer_unordered(s.concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    #[allow(clippy::cast_precision_loss)] // display only
    Ok(s.objects as f64 / start.elapsed().as_secs_f64())
}

async fn encrypted_put(bucket: &CryptoBucket, prefix: &str, s: &Settings) -> BoxResult<f64> {
    rate(s, |i| async move {
        bucket
            .put_object(
                &key_name(prefix, i),
                content(i, s.size).into(),
                &PutOptions::default(),
            )
            .await?;
        Ok(())
    })
    .await
}

async fn encrypted_get(bucket: &CryptoBucket, prefix: &str, s: &Settings) -> BoxResult<f64> {
    rate(s, |i| async move {
        let got = bucket
            .get_object(&key_name(prefix, i), &GetOptions::default())
            .await?
            .bytes()
            .await?;
        if got != content(i, s.size) {
            return Err(format!("object {i} of {prefix} read back wrong").into());
        }
        Ok(())
    })
    .await
}

fn row(label: &str, put: Option<f64>, get: f64) {
    let put = put.map_or_else(
        || "(objects above)".to_owned(),
        |p| format!("{p:9.0} obj/s"),
    );
    println!("{label:<32} put {put:>15}   get {get:9.0} obj/s");
}

async fn run(s: &Settings, server: &ServerProcess) -> BoxResult<()> {
    let client = Client::builder()
        .with_endpoint(&server.oss_url)
        .with_region("cn-hangzhou")
        .with_bucket(BUCKET)
        .with_credentials(Credentials::new(
            &server.access_key_id,
            &server.access_key_secret,
        ))
        .build()?;
    println!(
        "{} objects of {} KiB, concurrency {}; {}",
        s.objects,
        s.size / 1024,
        s.concurrency,
        server.describe()
    );
    let plain = &client;
    let put = rate(s, |i| async move {
        let payload = PutPayload::from_bytes(content(i, s.size));
        plain
            .put_object(&key_name("plain", i), payload, &HeaderMap::new())
            .await?;
        Ok(())
    })
    .await?;
    let get = rate(s, |i| async move {
        let got = plain
            .get_object(&key_name("plain", i), &PlainGetOptions::default())
            .await?
            .bytes()
            .await?;
        if got != content(i, s.size) {
            return Err(format!("plain object {i} read back wrong").into());
        }
        Ok(())
    })
    .await?;
    row("plaintext (oss-client)", Some(put), get);

    let mut verdicts = Vec::new();
    for bits in [2048, 3072] {
        let key = RsaPrivateKey::from_rsa(rsa::PrivateKey::new(&mut rand::rngs::SysRng, bits)?)?;
        let prefix = format!("rsa{bits}");
        let fast = CryptoBucket::new(client.clone(), Keyring::new(RsaMasterKey::new(key.clone())));
        let slow = CryptoBucket::new(
            client.clone(),
            Keyring::new(RsaMasterKey::new(key.clone().with_pure_rust_backend())),
        );
        let put = encrypted_put(&fast, &prefix, s).await?;
        let get_slow = encrypted_get(&slow, &prefix, s).await?;
        row(
            &format!("RSA-{bits} (rsa crate, before)"),
            Some(put),
            get_slow,
        );
        if key.backend() == "rsa" {
            println!("RSA-{bits}: built without the aws-lc feature, no AWS-LC figure");
            continue;
        }
        let get_fast = encrypted_get(&fast, &prefix, s).await?;
        row(&format!("RSA-{bits} (aws-lc, after)"), None, get_fast);
        verdicts.push((bits, get_fast / get_slow));
    }

    let kms = KmsClient::builder(KmsCredentials::new(
        &server.access_key_id,
        &server.access_key_secret,
    ))
    .with_region("cn-hangzhou")
    .with_endpoint(KmsEndpoint::Custom(server.kms_url.clone()))
    .build()?;
    let kms_key = KmsMasterKey::new(Arc::new(kms), KmsConfig::DEFAULT_KEY_ID);
    let kms_bucket = CryptoBucket::new(client.clone(), Keyring::new(kms_key));
    let put = encrypted_put(&kms_bucket, "kms", s).await?;
    let get = encrypted_get(&kms_bucket, "kms", s).await?;
    row("KMS (dev server)", Some(put), get);

    for (bits, speedup) in verdicts {
        let verdict = if speedup >= TARGET_GET_SPEEDUP {
            "meets"
        } else {
            "MISSES"
        };
        println!(
            "small-objects: RSA-{bits} get aws-lc/rsa = {speedup:.2}x: {verdict} the \
             {TARGET_GET_SPEEDUP}x target"
        );
    }
    Ok(())
}

fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().collect();
    if server::is_server_mode(&args) {
        return server::serve(&args);
    }
    let num = |name: &str, default: usize| -> BoxResult<usize> {
        Ok(arg(&args, name)
            .map(|v| v.parse())
            .transpose()?
            .unwrap_or(default))
    };
    let s = Settings {
        objects: num("--objects", 10_000)?.max(1),
        size: num("--size-kib", 4)? * 1024,
        concurrency: num("--concurrency", 16)?.max(1),
    };
    let pinned = server::pin_client();
    let server = ServerProcess::spawn(&ServerOptions::default(), pinned)?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(&s, &server))
}
