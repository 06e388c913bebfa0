//! SIGINT and SIGTERM as errors: a transfer raced against [`interrupted`] stops at the signal
//! and unwinds through its normal error path, which removes partial files; the process then
//! exits 130 (SIGINT) or 143 (SIGTERM), the shell's convention. Work that cannot be raced
//! (a blocking read of stdin in `decrypt`) holds a [`RemoveOnSignal`] guard instead: the
//! signal removes its file and ends the process with the same codes.

use std::path::PathBuf;

use crate::error::{CliError, CliResult, Kind};

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

/// Runs `work` unless SIGINT or SIGTERM arrives first; then `work` is dropped (its cleanup
/// runs as for any error) and the signal's error is returned.
pub(crate) async fn or_interrupted<T>(work: impl Future<Output = CliResult<T>>) -> CliResult<T> {
    tokio::select! {
        result = work => result,
        stop = interrupted() => Err(stop),
    }
}

/// While alive, SIGINT or SIGTERM removes `path` (if any) and exits 130 / 143 at once.
#[derive(Debug)]
pub(crate) struct RemoveOnSignal {
    task: tokio::task::JoinHandle<()>,
}

impl RemoveOnSignal {
    /// Arms the guard for `path` (inside a Tokio runtime).
    pub(crate) fn new(path: Option<PathBuf>) -> Self {
        let task = tokio::spawn(async move {
            let stop = interrupted().await;
            // The process ends here: a missing file (never created, or renamed) is fine.
            if let Some(path) = path {
                let _ = std::fs::remove_file(path);
            }
            eprintln!("osscrypt: {stop}");
            std::process::exit(i32::from(stop.kind().code()));
        });
        Self { task }
    }
}

impl Drop for RemoveOnSignal {
    fn drop(&mut self) {
        self.task.abort();
    }
}
