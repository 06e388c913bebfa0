//! `osscrypt`: client-side encryption of Alibaba Cloud OSS objects from the command line,
//! byte-compatible with the official SDKs.
//!
//! See `osscrypt --help`; exit codes are documented in [`exit`].

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod config;
mod connect;
mod exit;
mod keys;
mod kms;
mod output;
mod remote;
mod sidecar;
mod units;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::Kind::Usage.code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("osscrypt: error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::Kind::Other.code());
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("osscrypt: {e}");
            e.exit_code()
        }
    }
}
