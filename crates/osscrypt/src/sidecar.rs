//! The sidecar envelope file `<file>.meta.json`: a flat JSON object of the envelope's OSS
//! metadata headers, exactly as `put --raw-with-meta` sends them.
//!
//! ```json
//! {
//!   "x-oss-meta-client-side-encryption-key": "base64…",
//!   "x-oss-meta-client-side-encryption-start": "base64…",
//!   "x-oss-meta-client-side-encryption-cek-alg": "AES/CTR/NoPadding",
//!   "x-oss-meta-client-side-encryption-wrap-alg": "RSA/NONE/PKCS1Padding",
//!   "x-oss-meta-client-side-encryption-unencrypted-content-length": "1048576",
//!   "x-oss-meta-client-side-encryption-unencrypted-content-md5": "base64…"
//! }
//! ```

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use oss_envelope::Envelope;

use crate::error::{CliError, CliResult, Kind, io_error};

/// `<path>.meta.json`.
pub(crate) fn default_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(".meta.json");
    PathBuf::from(name)
}

/// Writes the envelope's headers to `path`.
///
/// # Errors
///
/// I/O failures.
pub(crate) fn write(path: &Path, envelope: &Envelope) -> CliResult {
    let headers: BTreeMap<&str, String> = envelope.to_headers().into_iter().collect();
    let text = serde_json::to_string_pretty(&headers)
        .map_err(|e| CliError::other(format!("{}: {e}", path.display())))?;
    std::fs::write(path, text + "\n").map_err(|e| io_error(path.display(), &e))
}

/// Reads the headers from `path` and checks that they form a complete V2 envelope.
///
/// # Errors
///
/// Not found for a missing file; integrity errors for a file that is not a flat JSON object
/// of strings or not a valid V2 envelope.
pub(crate) fn read(path: &Path) -> CliResult<(Vec<(String, String)>, Envelope)> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path.display(), &e))?;
    let map: BTreeMap<String, String> = serde_json::from_str(&text).map_err(|e| {
        CliError::new(
            Kind::Integrity,
            format!(
                "{}: not a JSON object of header strings: {e}",
                path.display()
            ),
        )
    })?;
    if let Some(name) = map
        .keys()
        .find(|name| !name.to_ascii_lowercase().starts_with("x-oss-meta-"))
    {
        return Err(CliError::new(
            Kind::Integrity,
            format!("{}: {name:?} is not a user-metadata header", path.display()),
        ));
    }
    let headers: Vec<(String, String)> = map.into_iter().collect();
    let envelope =
        Envelope::from_headers(&headers).map_err(|e| CliError::from(e).context(path.display()))?;
    Ok((headers, envelope))
}

#[cfg(test)]
mod tests {
    use oss_envelope::{WrapAlg, WrappedValue};

    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = default_path(&dir.path().join("body.bin"));
        assert!(path.ends_with("body.bin.meta.json"));
        let envelope = Envelope::new(
            WrappedValue::from_bytes(vec![1; 32]),
            WrappedValue::from_bytes(vec![2; 16]),
            WrapAlg::RsaPkcs1,
        )
        .with_unencrypted_content_length(5);
        write(&path, &envelope).unwrap();
        let (headers, back) = read(&path).unwrap();
        assert_eq!(back, envelope);
        assert_eq!(headers.len(), 5);

        std::fs::write(&path, r#"{"x-oss-meta-client-side-encryption-key":"AQ=="}"#).unwrap();
        assert_eq!(read(&path).unwrap_err().kind(), Kind::Integrity);
        std::fs::write(&path, r#"{"content-type":"x"}"#).unwrap();
        assert_eq!(read(&path).unwrap_err().kind(), Kind::Integrity);
        std::fs::write(&path, "[1]").unwrap();
        assert_eq!(read(&path).unwrap_err().kind(), Kind::Integrity);
        assert_eq!(
            read(&dir.path().join("none")).unwrap_err().kind(),
            Kind::NotFound
        );
    }
}
