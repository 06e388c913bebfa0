//! Object addresses `oss://bucket/key`: parsing them on the command line and requiring a key.

use core::fmt;

use crate::error::{CliError, CliResult};

/// An object (or prefix) address: `oss://bucket/key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ObjectUri {
    /// The bucket name.
    pub(crate) bucket: String,
    /// The object key or prefix (may be empty).
    pub(crate) key: String,
}

impl fmt::Display for ObjectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "oss://{}/{}", self.bucket, self.key)
    }
}

/// Parses `oss://bucket[/key]`.
///
/// # Errors
///
/// A message for clap when the scheme or bucket is missing.
pub(crate) fn parse_uri(text: &str) -> Result<ObjectUri, String> {
    let rest = text
        .strip_prefix("oss://")
        .ok_or_else(|| format!("{text:?} is not an oss://bucket/key address"))?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("{text:?} has no bucket name"));
    }
    Ok(ObjectUri {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    })
}

impl ObjectUri {
    /// The object key, which must not be empty.
    ///
    /// # Errors
    ///
    /// A usage error for `oss://bucket` without a key.
    pub(crate) fn object_key(&self) -> CliResult<&str> {
        if self.key.is_empty() {
            return Err(CliError::usage(format!(
                "{self} names a bucket, not an object"
            )));
        }
        Ok(&self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let uri = parse_uri("oss://b/dir/k.txt").unwrap();
        assert_eq!((uri.bucket.as_str(), uri.key.as_str()), ("b", "dir/k.txt"));
        assert_eq!(uri.to_string(), "oss://b/dir/k.txt");
        assert_eq!(parse_uri("oss://b").unwrap().key, "");
        assert!(parse_uri("s3://b/k").is_err());
        assert!(parse_uri("oss:///k").is_err());
    }

    #[test]
    fn object_key_must_not_be_empty() {
        assert_eq!(parse_uri("oss://b/k").unwrap().object_key().unwrap(), "k");
        assert!(parse_uri("oss://b/").unwrap().object_key().is_err());
    }
}
