//! SIGINT and SIGTERM as errors: a transfer raced against [`interrupted`] stops at the signal
//! and unwinds through its normal error path, which removes partial files; the process then
//! exits 130 (SIGINT) or 143 (SIGTERM), the shell's convention.

use crate::exit::{CliError, Kind};

/// Resolves when SIGINT or SIGTERM arrives, with the error to end the command with.
pub(crate) async fn interrupted() -> CliError {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return core::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => CliError::new(Kind::Interrupted, "stopped by SIGINT"),
            _ = term.recv() => CliError::new(Kind::Terminated, "stopped by SIGTERM"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        CliError::new(Kind::Interrupted, "stopped by Ctrl-C")
    }
}
