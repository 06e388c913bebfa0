//! `--include` / `--exclude` / `--exclude-from`: which relative paths a `sync` covers.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{CliError, CliResult};

/// The selected relative paths: matching an include (or there are none), and no exclude.
#[derive(Debug)]
pub(crate) struct PathFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl PathFilter {
    /// The filter of the given globs and the exclude files' lines.
    pub(crate) fn new(
        include: &[String],
        exclude: &[String],
        exclude_from: &[impl AsRef<Path>],
    ) -> CliResult<Self> {
        let mut excludes = exclude.to_vec();
        for file in exclude_from {
            let file = file.as_ref();
            let text = std::fs::read_to_string(file)
                .map_err(|e| crate::error::io_error(file.display(), &e))?;
            excludes.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned),
            );
        }
        let include = if include.is_empty() {
            None
        } else {
            Some(set(include)?)
        };
        Ok(Self {
            include,
            exclude: set(&excludes)?,
        })
    }

    /// Whether `relative` (a `/`-separated path below the root) is covered.
    pub(crate) fn selects(&self, relative: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(relative))
            && !self.exclude.is_match(relative)
    }
}

fn set(globs: &[String]) -> CliResult<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob).map_err(|e| CliError::usage(format!("glob {glob:?}: {e}")))?);
    }
    builder
        .build()
        .map_err(|e| CliError::usage(format!("globs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_win_over_includes() {
        let none: [&str; 0] = [];
        let f = PathFilter::new(&["*.txt".into()], &["skip/*".into()], &none).unwrap();
        assert!(f.selects("a.txt"));
        assert!(f.selects("sub/b.txt"));
        assert!(!f.selects("a.bin"));
        assert!(!f.selects("skip/c.txt"));
        let all = PathFilter::new(&[], &[], &none).unwrap();
        assert!(all.selects("anything/at/all"));
    }
}
