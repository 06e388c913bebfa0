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

use crate::error::{CliError, CliResult};

mod listing;
pub(crate) use listing::Listing;

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
        writeln!(out, "{}", line.as_ref()).map_err(|e| crate::error::io_error("stdout", &e))
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

/// The bar when the size is known. The text around the bar is at most 26 columns, and
/// `wide_bar` takes what is left, so the line fits a 40-column terminal.
const KNOWN: &str = "{msg:.bold} {wide_bar} {percent:>3}% {binary_bytes_per_sec:>11} {eta:>3}";
/// While the size is not known yet (stdin being read into its spool).
const UNKNOWN: &str = "{msg:.bold} {spinner} {binary_bytes:>10} {binary_bytes_per_sec:>11}";

/// Progress of one transfer; cheap to update from any task.
///
/// The rate and ETA count only the bytes moved by this run: the first report (which carries
/// the parts an earlier, interrupted run finished) resets indicatif's estimator.
#[derive(Debug)]
pub(crate) struct Transfer {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
    first: AtomicBool,
    known: AtomicBool,
}

impl Transfer {
    fn new(label: &str, total: u64, enabled: bool) -> Self {
        Self::with_target(label, total, enabled, ProgressDrawTarget::hidden())
    }

    fn with_target(label: &str, total: u64, enabled: bool, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), target);
        bar.set_message(label.to_owned());
        let transfer = Self {
            bar,
            started: Instant::now(),
            enabled,
            shown: AtomicBool::new(false),
            first: AtomicBool::new(true),
            known: AtomicBool::new(total == 0),
        };
        transfer.set_known(total > 0);
        transfer
    }

    /// Switches between the bar (size known) and the byte counter (size not known yet).
    fn set_known(&self, known: bool) {
        if self.known.swap(known, Ordering::Relaxed) == known {
            return;
        }
        let template = if known { KNOWN } else { UNKNOWN };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.reset_eta();
    }

    /// Records `done` of `total` bytes (`total` 0: not known yet); shows the bar once the
    /// transfer passed one second.
    pub(crate) fn update(&self, done: u64, total: u64) {
        self.set_known(total > 0);
        self.bar.set_length(total);
        self.bar.set_position(done);
        if self.first.swap(false, Ordering::Relaxed) {
            self.bar.reset_eta();
        }
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
    format!("{}/s", crate::size::human_f64(bytes as f64 / secs))
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

    /// Renders a transfer into a 40-column in-memory terminal.
    fn rendered(label: &str, total: u64, updates: &[(u64, u64)]) -> String {
        let term = indicatif::InMemoryTerm::new(4, 40);
        let target = ProgressDrawTarget::term_like(Box::new(term.clone()));
        let transfer = Transfer::with_target(label, total, true, target);
        for &(done, total) in updates {
            transfer.update(done, total);
        }
        transfer.bar.tick();
        term.contents()
    }

    #[test]
    fn bar_fits_40_columns() {
        let big = 5_u64 << 40;
        // Every label a transfer uses; `decrypt` and `encrypt` are the longest.
        for label in ["put", "get", "rotate", "encrypt", "decrypt"] {
            for text in [
                rendered(label, big, &[(big / 3, big)]),
                rendered(label, 0, &[(big / 3, 0)]),
            ] {
                assert!(text.starts_with(&format!("{label} ")), "{text:?}");
                for line in text.lines() {
                    assert!(line.chars().count() <= 40, "{line:?}");
                }
            }
        }
        assert!(rendered("put", 100, &[(50, 100)]).contains("50%"));
    }

    #[test]
    fn resumed_bytes_do_not_count_towards_the_rate() {
        let transfer = Output::new(true).transfer("get", 1 << 30);
        transfer.update(900 << 20, 1 << 30);
        std::thread::sleep(Duration::from_millis(50));
        transfer.update((900 << 20) + 1024, 1 << 30);
        // 900 MiB came from the checkpoint: this run moved 1 KiB in about 50 ms.
        assert!(
            transfer.bar.per_sec() < 1024.0 * 1024.0,
            "{}",
            transfer.bar.per_sec()
        );
        // At that rate the 124 MiB left take hours; counting the resumed 900 MiB as moved
        // in 50 ms would promise well under a second.
        assert!(
            transfer.bar.eta() > Duration::from_secs(60),
            "{:?}",
            transfer.bar.eta()
        );
    }

    #[test]
    fn throughput_text() {
        assert_eq!(throughput(10 << 20, Duration::from_secs(2)), "5.0 MiB/s");
    }
}
