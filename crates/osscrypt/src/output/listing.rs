//! A listing on stdout written as it is read: text lines, or the elements of one JSON array,
//! so a listing of millions of entries holds none of them.

use std::io::{BufWriter, Stdout, Write as _};

use crate::error::{CliResult, io_error};

/// Text lines or one JSON array on stdout, one entry at a time.
pub(crate) struct Listing {
    json: bool,
    entries: usize,
    out: BufWriter<Stdout>,
}

impl Listing {
    /// A listing in JSON (`json`) or text.
    pub(crate) fn new(json: bool) -> Self {
        Self {
            json,
            entries: 0,
            out: BufWriter::new(std::io::stdout()),
        }
    }

    /// Writes one entry: `value` in JSON, `line()` in text (only built for text).
    pub(crate) fn entry(
        &mut self,
        value: impl FnOnce() -> serde_json::Value,
        line: impl FnOnce() -> String,
    ) -> CliResult {
        let text = if self.json {
            let separator = if self.entries == 0 { "[\n  " } else { ",\n  " };
            format!("{separator}{}", value())
        } else {
            format!("{}\n", line())
        };
        self.entries += 1;
        self.write(&text)
    }

    /// Closes the JSON array (`[]` for no entries) and flushes.
    pub(crate) fn finish(mut self) -> CliResult {
        if self.json {
            let end = if self.entries == 0 { "[]\n" } else { "\n]\n" };
            self.write(end)?;
        }
        self.out.flush().map_err(|e| io_error("stdout", &e))
    }

    fn write(&mut self, text: &str) -> CliResult {
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| io_error("stdout", &e))
    }
}
