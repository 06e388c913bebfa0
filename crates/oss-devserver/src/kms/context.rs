//! EncryptionContext: a JSON object of string → string, bound to blobs through a canonical form
//! (sorted keys, compact JSON) so that reordered keys or other whitespace still decrypt while any
//! different map does not (kms-api.md §8.4).

use std::collections::BTreeMap;

use serde_json::Value;

use super::kms_error::KmsError;

/// Longest accepted EncryptionContext text, in characters.
pub(crate) const MAX_CONTEXT_CHARS: usize = 8192;

/// Parses an EncryptionContext parameter into its canonical form.
///
/// Absent or empty means no context, which has the canonical form `{}` (the same as an empty
/// object).
///
/// # Errors
///
/// `InvalidParameter` when the text is too long, not JSON, not an object, or has a value that
/// is not a string.
pub(crate) fn canonical(text: Option<&str>) -> Result<String, KmsError> {
    let text = text.unwrap_or_default();
    if text.is_empty() {
        return Ok("{}".to_owned());
    }
    if text.chars().count() > MAX_CONTEXT_CHARS {
        return Err(KmsError::invalid(format!(
            "The EncryptionContext is longer than {MAX_CONTEXT_CHARS} characters."
        )));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| KmsError::invalid(format!("The EncryptionContext is not valid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(KmsError::invalid(
            "The EncryptionContext must be a JSON object.",
        ));
    };
    let mut sorted = BTreeMap::new();
    for (key, value) in object {
        let Value::String(value) = value else {
            return Err(KmsError::invalid(format!(
                "The EncryptionContext value of \"{key}\" must be a string."
            )));
        };
        sorted.insert(key, value);
    }
    serde_json::to_string(&sorted).map_err(|e| KmsError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_whitespace_do_not_matter() {
        let a = canonical(Some(r#"{"b":"2","a":"1"}"#)).unwrap();
        let b = canonical(Some("{ \"a\" : \"1\",\n \"b\":\"2\" }")).unwrap();
        assert_eq!(a, r#"{"a":"1","b":"2"}"#);
        assert_eq!(a, b);
        assert_ne!(a, canonical(Some(r#"{"a":"1","b":"3"}"#)).unwrap());
    }

    #[test]
    fn empty_means_no_context() {
        assert_eq!(canonical(None).unwrap(), "{}");
        assert_eq!(canonical(Some("")).unwrap(), "{}");
        assert_eq!(canonical(Some("{}")).unwrap(), "{}");
    }

    #[test]
    fn non_ascii_and_escapes_are_kept_exactly() {
        let c = canonical(Some(r#"{"x-passphrase":"pä ss\"\\"}"#)).unwrap();
        assert_eq!(c, r#"{"x-passphrase":"pä ss\"\\"}"#);
    }

    #[test]
    fn rejects_bad_contexts() {
        let long = format!(r#"{{"k":"{}"}}"#, "a".repeat(MAX_CONTEXT_CHARS));
        for bad in [
            r#"{"x-passphrase":"pa"ss"}"#,
            "[]",
            r#"{"a":1}"#,
            "not json",
            long.as_str(),
        ] {
            assert_eq!(
                canonical(Some(bad)).unwrap_err().code,
                "InvalidParameter",
                "{bad}"
            );
        }
    }
}
