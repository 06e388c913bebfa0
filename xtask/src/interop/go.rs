//! The Go drivers under `xtask/interop/go/`: one `package main` directory each (`gov2`, ...),
//! sharing the `internal/peer` package and one `go.mod`/`go.sum` that pin the SDK releases.
//!
//! `go build` fetches the pinned modules through the Go module proxy on first use and then
//! reuses the module cache; `-mod=readonly` makes a go.sum that does not match go.mod an error
//! instead of a silent rewrite.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::cmd;

/// The Go module's directory, relative to the repository root.
pub(crate) const GO_DIR: &str = "xtask/interop/go";

/// Names of the driver directories (those with a `main.go`), sorted.
pub(crate) fn drivers(root: &Path) -> anyhow::Result<Vec<String>> {
    let dir = root.join(GO_DIR);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("main.go").is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    Ok(names)
}

/// Builds the driver `name` into `out_dir` and returns the binary's path.
pub(crate) fn build(root: &Path, name: &str, out_dir: &Path) -> anyhow::Result<PathBuf> {
    let binary = out_dir.join(name);
    cmd::run(
        Command::new("go")
            .args(["build", "-mod=readonly", "-o"])
            .arg(&binary)
            .arg(format!("./{name}"))
            .current_dir(root.join(GO_DIR)),
    )?;
    Ok(binary)
}
