//! Dispatch from the parsed command line to the command implementations.

mod audit;
mod buckets;
mod cp;
mod cp_tree;
mod demo;
mod get;
mod head;
mod keygen;
mod ls;
mod migrate;
mod offline;
mod put;
mod rm;
mod rotate;
mod rotate_prefix;
mod serve;
mod sync;
mod transfer;
mod upload;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::connect::Connection;
use crate::exit::{CliError, CliResult, Peer};
use crate::output::Output;

/// Runs the parsed command line.
///
/// # Errors
///
/// Whatever the command reports; see [`crate::exit`] for the exit codes.
pub(crate) async fn run(cli: Cli) -> CliResult {
    let out = Output::new(cli.global.quiet);
    let env = |name: &str| std::env::var(name).ok();
    match &cli.command {
        Command::Keygen(args) => return keygen::run(args, &out),
        Command::Encrypt(args) => return offline::encrypt(args, &out).await,
        Command::Decrypt(args) => return offline::decrypt(args, &out).await,
        _ => {}
    }
    let settings = Settings::resolve(&cli.global, &env)?;
    match &cli.command {
        Command::Serve(args) => return serve::run(args, &settings, &out).await,
        Command::Demo(args) => return demo::run(args, &out).await,
        _ => {}
    }
    let mut conn = Connection::open(&settings, &buckets(&cli.command), &out).await?;
    conn.set_timeouts(cli.global.timeouts());
    tracing::debug!(
        endpoint = %conn.endpoint,
        region = %conn.region,
        // The provider's Debug: the source in use and at most the AccessKey id.
        credentials = ?conn.credentials,
        connect_timeout = ?conn.timeouts.connect,
        read_timeout = ?conn.timeouts.read,
        "connection"
    );
    let result = remote(&cli.command, &conn, &out)
        .await
        .map_err(|e| e.at_host(Peer::Oss, conn.host()))
        .map_err(|e| e.at_host(Peer::Kms, &conn.kms.host()));
    conn.close().await;
    result
}

/// The buckets a command touches (created in an embedded devserver).
fn buckets(command: &Command) -> Vec<&str> {
    match command {
        Command::Put(a) => vec![a.dest.bucket.as_str()],
        Command::Get(a) => vec![a.source.bucket.as_str()],
        Command::Head(a) | Command::Inspect(a) => vec![a.object.bucket.as_str()],
        Command::Cp(a) => a.buckets(),
        Command::Rm(a) => a.objects.iter().map(|o| o.bucket.as_str()).collect(),
        Command::Ls(a) if a.lists_buckets() => Vec::new(),
        Command::Ls(a) => vec![a.prefix.bucket.as_str()],
        Command::Rotate(a) => vec![a.object.bucket.as_str()],
        Command::Audit(a) => vec![a.prefix.bucket.as_str()],
        Command::Migrate(a) => vec![a.prefix.bucket.as_str()],
        Command::Rb(a) => vec![a.bucket.bucket.as_str()],
        Command::Uploads(a) => vec![a.prefix().bucket.as_str()],
        Command::Sync(a) => a.buckets(),
        _ => Vec::new(),
    }
}

/// The commands that talk to OSS.
async fn remote(command: &Command, conn: &Connection, out: &Output) -> CliResult {
    match command {
        Command::Put(args) => put::run(args, conn, out).await,
        Command::Get(args) => get::run(args, conn, out)
            .await
            .map_err(|e| e.on_object(&args.source)),
        Command::Head(args) => head::head(args, conn)
            .await
            .map_err(|e| e.on_object(&args.object)),
        Command::Inspect(args) => head::inspect(args, conn)
            .await
            .map_err(|e| e.on_object(&args.object)),
        Command::Cp(args) => cp::run(args, conn, out).await,
        Command::Rm(args) => rm::run(args, conn, out).await,
        Command::Ls(args) => ls::run(args, conn).await,
        Command::Rotate(args) => rotate::run(args, conn, out)
            .await
            .map_err(|e| e.on_object(&args.object)),
        Command::Audit(args) => audit::run(args, conn, out).await,
        Command::Migrate(args) => migrate::run(args, conn, out).await,
        Command::Mb(args) => buckets::mb(args, conn, out).await,
        Command::Rb(args) => buckets::rb(args, conn, out).await,
        Command::Uploads(args) => buckets::uploads(args, conn, out).await,
        Command::Sync(args) => sync::run(args, conn, out).await,
        _ => Err(CliError::other("not a remote command")),
    }
}
