//! `osscrypt serve`: runs the OSS + KMS devserver in the foreground until Ctrl-C.
//!
//! Prints `NAME=value` lines a shell can `eval`, like the `oss-devserver` binary.

use oss_devserver::{DevServer, DevServerConfig};

use crate::cli::ServeArgs;
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Runs `serve`.
pub(crate) async fn run(args: &ServeArgs, settings: &Settings, out: &Output) -> CliResult {
    let mut config = DevServerConfig::default()
        .with_non_loopback_allowed(args.allow_non_loopback)
        .with_oss_listen(args.listen)
        .with_kms_listen(args.kms_listen)
        .with_buckets(args.buckets.iter().cloned());
    if !args.in_memory {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            CliError::other(format!("data dir {}: {e}", settings.data_dir.display()))
        })?;
        config = config.with_data_dir(settings.data_dir.clone());
    }
    let server = DevServer::start(config).await?;
    let cred = server.credentials();
    // The dev credentials are fixed, documented test values for a loopback server.
    Output::result(format!("OSS_ENDPOINT={}", server.oss_url()))?;
    Output::result(format!("OSS_REGION={}", server.region()))?;
    Output::result(format!("OSS_ACCESS_KEY_ID={}", cred.access_key_id()))?;
    Output::result(format!(
        "OSS_ACCESS_KEY_SECRET={}",
        cred.access_key_secret()
    ))?;
    Output::result(format!("OSS_KMS_ENDPOINT={}", server.kms_url()))?;
    match args.in_memory {
        true => out.info("# in memory; Ctrl-C stops the server"),
        false => out.info(format!(
            "# data in {}; Ctrl-C stops the server",
            settings.data_dir.display()
        )),
    }
    let waited = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    waited.map_err(|e| CliError::other(format!("cannot wait for Ctrl-C: {e}")))
}
