//! The `oss-devserver` binary: starts the OSS and KMS endpoints and prints how to connect.
//!
//! The output is `NAME=value` lines (shell-`eval`-able), then the server runs until Ctrl-C.

use core::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use oss_devserver::credentials::{DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET};
use oss_devserver::{
    CseStrictness, DEFAULT_REGION, DevCredential, DevServer, DevServerConfig, FaultRule, KmsConfig,
    KmsKey,
};

/// Local OSS + KMS protocol server for tests: real HTTP, signature checks, fault injection.
#[derive(Debug, Parser)]
#[command(name = "oss-devserver", version)]
struct Args {
    /// OSS listen address (loopback; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// KMS listen address.
    #[arg(long, default_value = "127.0.0.1:0")]
    kms_listen: SocketAddr,
    /// Keep objects in this directory (survives restarts); in memory when absent.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Access key id to accept (the documented dev default unless given).
    #[arg(long, default_value = DEV_ACCESS_KEY_ID)]
    access_key_id: String,
    /// Access key secret for --access-key-id.
    #[arg(long, default_value = DEV_ACCESS_KEY_SECRET)]
    access_key_secret: String,
    /// Region id clients must sign V4 requests with.
    #[arg(long, default_value = DEFAULT_REGION)]
    region: String,
    /// Bucket to create at start (repeatable).
    #[arg(long = "bucket")]
    buckets: Vec<String>,
    /// Allow listen addresses off this machine (well-known credentials, plain HTTP).
    #[arg(long)]
    allow_non_loopback: bool,
    /// Extra KMS key id to create (repeatable; the default key and alias always exist).
    #[arg(long = "kms-key")]
    kms_keys: Vec<String>,
    /// KMS alias as `alias/<name>=<key id>` (repeatable).
    #[arg(long = "kms-alias", value_parser = parse_alias)]
    kms_aliases: Vec<(String, String)>,
    /// Fault rule, e.g. `op=GetObject,every=3,status=503` (repeatable; see the crate docs).
    #[arg(long = "fault")]
    faults: Vec<FaultRule>,
    /// Seed of the fault injector's RNG.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Require the client-side-encryption headers on every UploadPart of an encrypted upload.
    #[arg(long)]
    strict_cse_upload_part: bool,
    /// Refuse every REPLACE copy of a client-side-encrypted object.
    #[arg(long)]
    strict_cse_copy: bool,
    /// Benchmark mode: no MD5 unless Content-MD5 is sent; ETags from CRC-64 and length.
    #[arg(long)]
    fast_etags: bool,
    /// Largest PutObject or UploadPart body in bytes (OSS: 5 GiB); larger ones get
    /// `EntityTooLarge`.
    #[arg(long, default_value_t = oss_devserver::MAX_SINGLE_PUT)]
    max_put_size: u64,
}

fn parse_alias(text: &str) -> Result<(String, String), String> {
    let (alias, key) = text
        .split_once('=')
        .ok_or("expected alias/<name>=<key id>")?;
    if alias.is_empty() || key.is_empty() {
        return Err("expected alias/<name>=<key id>".to_owned());
    }
    Ok((alias.to_owned(), key.to_owned()))
}

impl Args {
    fn into_config(self) -> DevServerConfig {
        let mut config = DevServerConfig::default()
            .with_non_loopback_allowed(self.allow_non_loopback)
            .with_oss_listen(self.listen)
            .with_kms_listen(self.kms_listen)
            .with_buckets(self.buckets)
            .with_faults(self.faults, self.fault_seed)
            .with_cse_strictness(
                CseStrictness::default()
                    .with_headers_required_on_upload_part(self.strict_cse_upload_part)
                    .with_any_replace_copy_refused(self.strict_cse_copy),
            );
        let mut kms = KmsConfig::default();
        for key in &self.kms_keys {
            kms = kms.with_key(KmsKey::new(key.as_str()));
        }
        for (alias, key) in &self.kms_aliases {
            kms = kms.with_alias(alias, key);
        }
        config = config
            .with_kms(kms)
            .with_fast_etags(self.fast_etags)
            .with_max_put_size(self.max_put_size);
        if let Some(dir) = self.data_dir {
            config = config.with_data_dir(dir);
        }
        config.region = self.region;
        config.credentials = vec![
            DevCredential::new(self.access_key_id, self.access_key_secret),
            DevCredential::dev_sts(),
        ];
        config
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = Args::parse().into_config();
    let server = match DevServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("oss-devserver: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cred = server.credentials();
    // Dev credentials are printed on purpose: they are fixed test values for a loopback server.
    println!("OSS_ENDPOINT={}", server.oss_url());
    println!("OSS_REGION={}", server.region());
    println!("OSS_ACCESS_KEY_ID={}", cred.access_key_id());
    println!("OSS_ACCESS_KEY_SECRET={}", cred.access_key_secret());
    println!("KMS_ENDPOINT={}", server.kms_url());
    println!("KMS_KEY_ID={}", KmsConfig::DEFAULT_KEY_ID);
    println!("KMS_KEY_ALIAS={}", KmsConfig::DEFAULT_ALIAS);
    println!("# path-style addressing; Ctrl-C stops the server");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("oss-devserver: cannot wait for Ctrl-C: {e}");
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}
