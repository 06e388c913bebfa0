//! Test support for the oss-crypto workspace: locating and loading the shared upstream vectors.
//!
//! The vectors live outside the repository (they are upstream files and must not be copied in).
//! Their folder is `$OSS_CRYPTO_VECTORS`, or `../shared/vectors` relative to the workspace root.
//! A relative `$OSS_CRYPTO_VECTORS` is also taken relative to the workspace root, so the same
//! value works whatever directory a test binary runs in.
//!
//! When the folder is missing, tests print a visible notice and return early, unless
//! `OSS_CRYPTO_REQUIRE_VECTORS=1` is set (CI sets it), in which case they fail.
//!
//! Use this crate if you write a test in this workspace that needs the upstream vectors. It is
//! not published (`publish = false`) and is only a dev-dependency of the other crates.
//!
//! # Example
//!
//! ```
//! let Some(vectors) = oss_testkit::Vectors::locate() else { return };
//! let plaintext = vectors.bytes("example.jpg");
//! assert_eq!(plaintext.len(), 21839);
//! let meta = vectors.json("v2-go-rsa.json");
//! let headers = oss_testkit::headers(&meta);
//! assert!(headers.iter().any(|(name, _)| name == "x-oss-meta-client-side-encryption-key"));
//! assert_eq!(oss_testkit::unhex("00fF"), [0x00, 0xff]);
//! ```
//!
//! # ⚠️ Security
//!
//! Test support only. The vectors hold upstream **test** keys (for example the RSA private keys
//! under `keys/`) that are public and must never protect real data. The crate only reads the
//! folder; it never writes to it and never copies vectors into the repository. Its helpers
//! panic on bad input by design (a failing test), so it must not be used in library code.
//!
//! # Crate features
//!
//! This crate has no optional features.

use std::env;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Environment variable naming the vectors folder.
pub const VECTORS_ENV: &str = "OSS_CRYPTO_VECTORS";
/// Environment variable that turns a missing vectors folder into a test failure.
pub const REQUIRE_ENV: &str = "OSS_CRYPTO_REQUIRE_VECTORS";

/// The workspace root (the directory holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Handle on the shared vectors folder.
#[derive(Debug, Clone)]
pub struct Vectors {
    dir: PathBuf,
}

impl Vectors {
    /// Finds the vectors folder.
    ///
    /// Returns `None` (after printing a notice) when the folder is missing and vectors are not
    /// required.
    ///
    /// # Panics
    ///
    /// Panics when the folder is missing and `OSS_CRYPTO_REQUIRE_VECTORS=1` is set: a CI run
    /// must never pass by skipping the vectors.
    pub fn locate() -> Option<Self> {
        let configured = env::var_os(VECTORS_ENV).map(PathBuf::from);
        let dir = match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => workspace_root().join(path),
            None => workspace_root().join("../shared/vectors"),
        };
        if dir.join("README.md").is_file() {
            return Some(Self { dir });
        }
        let required = env::var(REQUIRE_ENV).is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{REQUIRE_ENV}=1 but the vectors folder {} is missing (set {VECTORS_ENV})",
            dir.display()
        );
        eprintln!(
            "NOTICE: shared vectors not found at {}; skipping vector test (set {VECTORS_ENV})",
            dir.display()
        );
        None
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Full path of a file inside the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reads a file of the folder.
    ///
    /// # Panics
    ///
    /// Panics when the file cannot be read: the folder exists, so a missing file is a test bug.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        let path = self.path(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Reads and parses a JSON file of the folder.
    ///
    /// # Panics
    ///
    /// Panics when the file cannot be read or is not JSON.
    pub fn json(&self, name: &str) -> Value {
        let bytes = self.bytes(name);
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
    }
}

/// Decodes lower- or upper-case hex, panicking with the offending text on failure.
///
/// # Panics
///
/// Panics when `text` is not valid hex.
pub fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("bad hex {text:?}: {e}"))
}

/// The `headers` object of a vector JSON file as (name, value) pairs.
///
/// # Panics
///
/// Panics when `headers` is missing or holds a non-string value.
pub fn headers(vector: &Value) -> Vec<(String, String)> {
    let object = vector["headers"]
        .as_object()
        .unwrap_or_else(|| panic!("vector has no headers object"));
    object
        .iter()
        .map(|(name, value)| {
            let text = value
                .as_str()
                .unwrap_or_else(|| panic!("header {name} is not a string"));
            (name.clone(), text.to_owned())
        })
        .collect()
}
