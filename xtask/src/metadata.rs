//! What `cargo metadata` says about the workspace.

use std::path::PathBuf;

use anyhow::Context;
use serde_json::Value;

use crate::cmd;

/// The parts of `cargo metadata --no-deps` the tasks need.
#[derive(Debug)]
pub(crate) struct Metadata {
    /// Where cargo puts build output (honours `CARGO_TARGET_DIR`).
    pub(crate) target_directory: PathBuf,
}

/// Reads the workspace metadata.
pub(crate) fn load() -> anyhow::Result<Metadata> {
    let json = cmd::output(cmd::cargo().args(["metadata", "--no-deps", "--format-version", "1"]))?;
    parse(&json)
}

fn parse(json: &str) -> anyhow::Result<Metadata> {
    let value: Value =
        serde_json::from_str(json).context("`cargo metadata` printed invalid JSON")?;
    let target_directory = value["target_directory"]
        .as_str()
        .context("`cargo metadata` has no `target_directory`")?
        .into();
    Ok(Metadata { target_directory })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_workspace() {
        let metadata = load().unwrap();
        assert!(metadata.target_directory.is_absolute());
    }

    #[test]
    fn rejects_output_without_a_target_directory() {
        assert_eq!(
            parse(r#"{"target_directory": "/t"}"#)
                .unwrap()
                .target_directory,
            PathBuf::from("/t")
        );
        assert!(parse(r#"{"packages": []}"#).is_err());
        assert!(parse("not json").is_err());
    }
}
