//! Dispatch from the parsed command line to the command implementations.

mod audit;
mod buckets;
mod cp;
mod cp_tree;
#[cfg(feature = "embedded-devserver")]
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
#[cfg(feature = "embedded-devserver")]
mod serve;
mod sync;
mod transfer;
mod upload;

use crate::cli::{Cli, Command, GlobalArgs, LocalCommand, RemoteCommand};
use crate::config::Settings;
use crate::connection::Connection;
#[cfg(not(feature = "embedded-devserver"))]
use crate::connection::without_embedded_devserver;
use crate::error::{CliResult, Peer};
use crate::output::Output;

/// Runs the parsed command line.
///
/// # Errors
///
/// Whatever the command reports; see [`crate::error`] for the exit codes.
pub(crate) async fn run(cli: Cli) -> CliResult {
    let out = Output::new(cli.global.quiet);
    match &cli.command {
        Command::Local(command) => command.run(&cli.global, &out).await,
        Command::Remote(command) => command.run(&cli.global, &out).await,
    }
}

/// The settings from flags, environment and profile file.
fn settings(global: &GlobalArgs) -> CliResult<Settings> {
    Settings::resolve(global, &|name: &str| std::env::var(name).ok())
}

impl LocalCommand {
    /// Runs a command that needs no endpoint; only `serve` reads the settings (for its data
    /// directory), so a broken profile file does not stop the others. A build without the
    /// `embedded-devserver` feature refuses `serve` and `demo`.
    #[cfg_attr(
        not(feature = "embedded-devserver"),
        expect(unused_variables, reason = "only `serve` reads the settings")
    )]
    async fn run(&self, global: &GlobalArgs, out: &Output) -> CliResult {
        match self {
            Self::Keygen(args) => keygen::run(args, out),
            Self::Encrypt(args) => offline::encrypt(args, out).await,
            Self::Decrypt(args) => offline::decrypt(args, out).await,
            #[cfg(feature = "embedded-devserver")]
            Self::Serve(args) => serve::run(args, &settings(global)?, out).await,
            #[cfg(feature = "embedded-devserver")]
            Self::Demo(args) => demo::run(args, out).await,
            #[cfg(not(feature = "embedded-devserver"))]
            Self::Serve(_) => Err(without_embedded_devserver("`serve`")),
            #[cfg(not(feature = "embedded-devserver"))]
            Self::Demo(_) => Err(without_embedded_devserver("`demo`")),
        }
    }
}

impl RemoteCommand {
    /// Connects (starting the embedded devserver in local mode), runs the command and closes
    /// the connection; errors name the OSS or KMS host they came from.
    async fn run(&self, global: &GlobalArgs, out: &Output) -> CliResult {
        let settings = settings(global)?;
        let mut conn = Connection::open(&settings, &self.buckets(), out).await?;
        conn.set_timeouts(global.timeouts());
        tracing::debug!(
            endpoint = %conn.endpoint,
            region = %conn.region,
            // The provider's Debug: the source in use and at most the AccessKey id.
            credentials = ?conn.credentials,
            connect_timeout = ?conn.timeouts.connect,
            read_timeout = ?conn.timeouts.read,
            "connection"
        );
        let result = self
            .run_on(&conn, out)
            .await
            .map_err(|e| e.at_host(Peer::Oss, conn.host()))
            .map_err(|e| e.at_host(Peer::Kms, &conn.kms.host()));
        conn.close().await;
        result
    }

    /// The buckets the command touches (created in an embedded devserver).
    fn buckets(&self) -> Vec<&str> {
        match self {
            Self::Put(a) => vec![a.dest.bucket.as_str()],
            Self::Get(a) => vec![a.source.bucket.as_str()],
            Self::Head(a) | Self::Inspect(a) => vec![a.object.bucket.as_str()],
            Self::Cp(a) => a.buckets(),
            Self::Rm(a) => a.objects.iter().map(|o| o.bucket.as_str()).collect(),
            Self::Ls(a) if a.lists_buckets() => Vec::new(),
            Self::Ls(a) => vec![a.prefix.bucket.as_str()],
            Self::Rotate(a) => vec![a.object.bucket.as_str()],
            Self::Audit(a) => vec![a.prefix.bucket.as_str()],
            Self::Migrate(a) => vec![a.prefix.bucket.as_str()],
            // `mb` creates its bucket itself.
            Self::Mb(_) => Vec::new(),
            Self::Rb(a) => vec![a.bucket.bucket.as_str()],
            Self::Uploads(a) => vec![a.prefix().bucket.as_str()],
            Self::Sync(a) => a.buckets(),
        }
    }

    async fn run_on(&self, conn: &Connection, out: &Output) -> CliResult {
        match self {
            Self::Put(args) => put::run(args, conn, out).await,
            Self::Get(args) => get::run(args, conn, out)
                .await
                .map_err(|e| e.on_object(&args.source)),
            Self::Head(args) => head::head(args, conn)
                .await
                .map_err(|e| e.on_object(&args.object)),
            Self::Inspect(args) => head::inspect(args, conn)
                .await
                .map_err(|e| e.on_object(&args.object)),
            Self::Cp(args) => cp::run(args, conn, out).await,
            Self::Rm(args) => rm::run(args, conn, out).await,
            Self::Ls(args) => ls::run(args, conn).await,
            Self::Rotate(args) => rotate::run(args, conn, out)
                .await
                .map_err(|e| e.on_object(&args.object)),
            Self::Audit(args) => audit::run(args, conn, out).await,
            Self::Migrate(args) => migrate::run(args, conn, out).await,
            Self::Mb(args) => buckets::mb(args, conn, out).await,
            Self::Rb(args) => buckets::rb(args, conn, out).await,
            Self::Uploads(args) => buckets::uploads(args, conn, out).await,
            Self::Sync(args) => sync::run(args, conn, out).await,
        }
    }
}
