//! What the user sees: informational lines on stderr, results on stdout (text or JSON), and
//! progress bars that appear only on a terminal, only without `--quiet`, and only once a
//! transfer has run for more than a second.

use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::exit::{CliError, CliResult};

/// How long a transfer runs before its progress bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Output settings shared by the commands.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Output {
    quiet: bool,
}

impl Output {
    /// Output with or without `--quiet`.
    pub(crate) const fn new(quiet: bool) -> Self {
        Self { quiet }
    }

    /// Whether `--quiet` was given.
    pub(crate) const fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Prints an informational line on stderr unless quiet.
    pub(crate) fn info(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", line.as_ref());
        }
    }

    /// Prints a notice on stderr, even when quiet: something the user must know about the
    /// data (an object that was not encrypted, a checkpoint that was discarded).
    pub(crate) fn notice(&self, line: impl AsRef<str>) {
        eprintln!("osscrypt: notice: {}", line.as_ref());
    }

    /// The notice for an object read without an envelope.
    pub(crate) fn plain_object(&self, key: &str) {
        self.notice(format!(
            "{key} has no client-side encryption envelope: its bytes were returned as stored \
             (pass --require-encrypted to refuse such objects)"
        ));
    }

    /// Prints a result line on stdout.
    pub(crate) fn result(line: impl AsRef<str>) -> CliResult {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", line.as_ref()).map_err(|e| CliError::other(format!("stdout: {e}")))
    }

    /// Prints `value` as pretty JSON on stdout.
    pub(crate) fn json(value: &impl Serialize) -> CliResult {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::other(format!("json output: {e}")))?;
        Self::result(text)
    }

    /// A progress reporter for a transfer of `total` bytes.
    pub(crate) fn transfer(&self, label: &str, total: u64) -> Arc<Transfer> {
        let enabled = !self.quiet && std::io::stderr().is_terminal();
        Arc::new(Transfer::new(label, total, enabled))
    }
}

/// Progress of one transfer; cheap to update from any task.
#[derive(Debug)]
pub(crate) struct Transfer {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl Transfer {
    fn new(label: &str, total: u64, enabled: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let template = "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}";
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label.to_owned());
        Self {
            bar,
            started: Instant::now(),
            enabled,
            shown: AtomicBool::new(false),
        }
    }

    /// Records `done` of `total` bytes; shows the bar once the transfer passed one second.
    pub(crate) fn update(&self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        if self.enabled
            && self.started.elapsed() > SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Adds `bytes` to the position.
    pub(crate) fn add(&self, bytes: u64) {
        let done = self.bar.position().saturating_add(bytes);
        let total = self.bar.length().unwrap_or(done);
        self.update(done, total);
    }

    /// Removes the bar and returns the elapsed time.
    pub(crate) fn finish(&self) -> Duration {
        self.bar.finish_and_clear();
        self.started.elapsed()
    }
}

/// Throughput as `12.3 MiB/s`.
pub(crate) fn throughput(bytes: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-6);
    format!("{}/s", crate::units::human_f64(bytes as f64 / secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bar_tracks_position_without_drawing() {
        let transfer = Output::new(true).transfer("put", 100);
        transfer.update(40, 100);
        transfer.add(10);
        assert_eq!(transfer.bar.position(), 50);
        assert!(!transfer.shown.load(Ordering::Relaxed));
        assert!(transfer.finish() < Duration::from_secs(60));
    }

    #[test]
    fn throughput_text() {
        assert_eq!(throughput(10 << 20, Duration::from_secs(2)), "5.0 MiB/s");
    }
}
