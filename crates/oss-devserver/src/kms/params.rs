//! Request parameters: the query string and, for form bodies, the body, decoded with form rules
//! (`+` is a space), UTF-8, blank values kept, merged (kms-api.md §4.3, §8.1).

use oss_signing::form_decode;

use super::kms_error::KmsError;

/// The decoded parameters of one request, in the order received (query first, then body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    /// Parameters from the query string.
    pub(crate) query: Vec<(String, String)>,
    /// Parameters from an `application/x-www-form-urlencoded` body.
    pub(crate) form: Vec<(String, String)>,
}

impl Params {
    /// Decodes the query string and, when `form_body` is given, the body.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` when a name or value is not UTF-8 after decoding, or a name repeats.
    pub(crate) fn parse(query: Option<&str>, form_body: Option<&[u8]>) -> Result<Self, KmsError> {
        let query = decode_pairs(query.unwrap_or_default())?;
        let form = match form_body {
            Some(body) => {
                let text = core::str::from_utf8(body)
                    .map_err(|_| KmsError::invalid("The request body is not UTF-8."))?;
                decode_pairs(text)?
            }
            None => Vec::new(),
        };
        let params = Self { query, form };
        let mut names: Vec<&str> = params.all().map(|(n, _)| n).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|w| w.first() == w.get(1)) {
            let name = pair.first().copied().unwrap_or_default();
            return Err(KmsError::invalid(format!(
                "The parameter \"{name}\" is given more than once."
            )));
        }
        Ok(params)
    }

    /// Every parameter, query first.
    pub(crate) fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query
            .iter()
            .chain(&self.form)
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of `name` (case-sensitive), if present (possibly empty).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.all().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The value of `name`, which must be present and non-empty.
    ///
    /// # Errors
    ///
    /// `MissingParameter` when absent or empty.
    pub(crate) fn require(&self, name: &str) -> Result<&str, KmsError> {
        match self.get(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(KmsError::missing(name)),
        }
    }
}

fn decode_pairs(text: &str) -> Result<Vec<(String, String)>, KmsError> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                form_decode(s)
                    .map_err(|_| KmsError::invalid("A request parameter is not valid UTF-8."))
            };
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_form_are_merged_with_form_rules() {
        let p = Params::parse(
            Some("KeyId=alias%2Fk&EncryptionContext=&SignatureType=&Ctx=a+b%2Bc&Flag"),
            Some(b"Plaintext=8PHy%2B%2F&Other=%C3%A4"),
        )
        .unwrap();
        assert_eq!(p.get("KeyId"), Some("alias/k"));
        assert_eq!(p.get("EncryptionContext"), Some(""));
        assert_eq!(p.get("Ctx"), Some("a b+c"));
        assert_eq!(p.get("Flag"), Some(""));
        assert_eq!(p.get("Plaintext"), Some("8PHy+/"));
        assert_eq!(p.get("Other"), Some("ä"));
        assert_eq!(p.all().count(), 7);
        assert_eq!(
            p.require("EncryptionContext").unwrap_err().code,
            "MissingParameter"
        );
        assert_eq!(p.require("Nope").unwrap_err().code, "MissingParameter");
    }

    #[test]
    fn rejects_non_utf8_and_duplicates() {
        for (query, body) in [
            ("A=%FF", None),
            ("%C3=1", None),
            ("A=1&A=2", None),
            ("A=1", Some(&b"A=1"[..])),
            ("", Some(&b"\xff"[..])),
        ] {
            let err = Params::parse(Some(query), body).unwrap_err();
            assert_eq!(err.code, "InvalidParameter", "{query}");
        }
    }
}
