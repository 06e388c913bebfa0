//! Dispatch from the parsed command line to the command implementations.

mod keygen;
mod offline;
mod serve;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::exit::{CliError, CliResult};
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
        Command::Keygen(args) => keygen::run(args, &out),
        Command::Encrypt(args) => offline::encrypt(args, &out).await,
        Command::Decrypt(args) => offline::decrypt(args, &out).await,
        Command::Serve(args) => {
            let settings = Settings::resolve(&cli.global, &env)?;
            serve::run(args, &settings, &out).await
        }
        Command::Put(_)
        | Command::Get(_)
        | Command::Head(_)
        | Command::Inspect(_)
        | Command::Cp(_)
        | Command::Rm(_)
        | Command::Ls(_)
        | Command::Rotate(_)
        | Command::Demo(_) => Err(CliError::other(
            "this command needs oss-crypto-bucket's CryptoBucket, which is not wired in yet",
        )),
    }
}
