//! Repository-wide source rules, run as a test (`cargo test -p xtask`), in the style of
//! rust-analyzer's `tidy.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::project_root;

/// Folders holding our Rust sources; build output and corpora below them are skipped.
const SOURCE_ROOTS: [&str; 4] = ["crates", "xtask", "fuzz", "benches"];
const SKIPPED_DIRS: [&str; 4] = ["target", "corpus", "artifacts", "coverage"];

fn rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending: Vec<PathBuf> = SOURCE_ROOTS
        .iter()
        .map(|d| project_root().join(d))
        .filter(|d| d.is_dir())
        .collect();
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(project_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let files = rust_files();
    assert!(files.len() > 10, "found only {} .rs files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|path| !fs::read_to_string(path).unwrap().starts_with("//!"))
        .map(|path| relative(path))
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading `//!` doc:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn no_test_is_ignored_or_expects_a_panic() {
    // Spelled in pieces so that this file does not match itself.
    let banned = [concat!("#[should", "_panic"), concat!("#[ig", "nore")];
    let mut hits = Vec::new();
    for path in rust_files() {
        let text = fs::read_to_string(&path).unwrap();
        for (index, line) in text.lines().enumerate() {
            if banned.iter().any(|b| line.trim_start().starts_with(b)) {
                hits.push(format!(
                    "{}:{}: {}",
                    relative(&path),
                    index + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "assert on `Err` instead:\n  {}",
        hits.join("\n  ")
    );
}
