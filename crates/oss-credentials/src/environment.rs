//! Where the chain reads its variables: the process environment, or a fixed map (embedding,
//! tests: the process environment cannot be changed safely while threads run).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A source of environment variables for [`CredentialsChain`](super::CredentialsChain).
#[derive(Debug, Clone, Default)]
pub struct Environment(Option<Arc<HashMap<String, String>>>);

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Self(None)
    }

    /// Exactly these variables (the process environment is not read).
    pub fn from_map(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(Some(Arc::new(vars.into_iter().collect())))
    }

    /// The non-empty value of `name`.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.0 {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
        .filter(|v| !v.is_empty())
    }

    /// Whether `name` is set to `true` (any case) or `1`.
    pub fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    }

    /// `$HOME` (`%USERPROFILE%` on Windows).
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .map(PathBuf::from)
    }
}
