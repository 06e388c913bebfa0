//! The one rule of every planned read: a response whose bytes are decrypted or passed on
//! (each part of a resumable download, a resumed download's first request, the single GET
//! after a HEAD, rotation and copy sources) must carry the envelope, or the absence of one,
//! and the ETag that the read was planned from. The plan comes from a HEAD or a checkpoint;
//! `If-Match` asks the server to keep to it, and [`Pin::check`] makes sure it did, since a
//! proxy or a non-conforming server may strip headers or ignore preconditions.

use http::HeaderMap;
use oss_envelope::header::{DATA_SIZE, KEY, V1_KEY, is_envelope_header};

use crate::bucket::{CryptoBucket, insert_header};
use crate::error::{EnvelopeMismatch, IntegrityError, Result};

/// The envelope headers (sorted, duplicates of one value folded) and ETag a read is pinned to.
/// Holds wrapped values only, so it may be written into checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pin {
    envelope: Vec<(String, String)>,
    etag: Option<String>,
}

impl Pin {
    /// The pin of a response (typically a HEAD).
    pub(crate) fn of(headers: &HeaderMap) -> Self {
        Self {
            envelope: envelope_headers(headers),
            etag: etag_of(headers),
        }
    }

    /// A pin from a checkpoint's recorded envelope and ETag.
    pub(crate) fn recorded(envelope: Vec<(String, String)>, etag: &str) -> Self {
        let mut envelope = envelope;
        envelope.sort();
        envelope.dedup();
        Self {
            envelope,
            etag: Some(unquote(etag).to_owned()),
        }
    }

    /// The envelope headers, for a checkpoint.
    pub(crate) fn envelope(&self) -> &[(String, String)] {
        &self.envelope
    }

    /// Whether two pins name the same envelope (ETags aside).
    pub(crate) fn same_envelope(&self, other: &Self) -> bool {
        self.envelope == other.envelope
    }

    /// `If-Match` with the pinned ETag (empty when there is none).
    pub(crate) fn if_match(&self) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        if let Some(etag) = &self.etag {
            insert_header(&mut headers, "if-match", &format!("\"{etag}\""))?;
        }
        Ok(headers)
    }

    /// Checks a response against the pin: same envelope headers, same ETag.
    ///
    /// # Errors
    ///
    /// [`IntegrityError::Envelope`] naming what differs, or [`IntegrityError::ETag`].
    pub(crate) fn check(&self, response: &HeaderMap) -> Result<(), IntegrityError> {
        let found = envelope_headers(response);
        if found != self.envelope {
            return Err(IntegrityError::Envelope(mismatch(&self.envelope, &found)));
        }
        match (&self.etag, etag_of(response)) {
            (Some(expected), actual) if actual.as_ref() != Some(expected) => {
                Err(IntegrityError::ETag {
                    expected: expected.clone(),
                    actual,
                })
            }
            _ => Ok(()),
        }
    }
}

impl CryptoBucket {
    /// A second opinion on a plan: a one-byte GET pinned to `pin`, whose envelope and ETag
    /// must agree with it (a HEAD alone may have been rewritten on the way). Without
    /// standard range behaviour, so an empty object answers 200 instead of 416.
    pub(crate) async fn confirm_pin(&self, key: &str, pin: &Pin) -> Result<()> {
        let request = oss_client::GetOptions::default()
            .with_range(oss_client::ByteRange::Inclusive(0, 0))
            .with_headers(&pin.if_match()?);
        let response = self.inner.client.get_object(key, &request).await?;
        pin.check(&response.into_parts().0.headers)?;
        Ok(())
    }
}

/// Names the most telling difference between two different envelope header sets.
fn mismatch(planned: &[(String, String)], found: &[(String, String)]) -> EnvelopeMismatch {
    if planned.is_empty() || found.is_empty() {
        return EnvelopeMismatch::Presence {
            planned_encrypted: !planned.is_empty(),
        };
    }
    let values = |set: &[(String, String)], name: &str| -> Vec<String> {
        set.iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    for key in [KEY, V1_KEY] {
        if values(planned, key) != values(found, key) {
            return EnvelopeMismatch::WrappedKey;
        }
    }
    if values(planned, DATA_SIZE) != values(found, DATA_SIZE) {
        let size = |set| {
            values(set, DATA_SIZE)
                .first()
                .and_then(|v| v.parse::<u64>().ok())
        };
        return EnvelopeMismatch::DataSize {
            planned: size(planned),
            response: size(found),
        };
    }
    let differs = planned
        .iter()
        .chain(found)
        .find(|pair| !planned.contains(pair) || !found.contains(pair))
        .map(|(name, _)| name.clone())
        .unwrap_or_default();
    EnvelopeMismatch::Header { name: differs }
}

/// Every envelope header (V2 and V1) as sorted, deduplicated (name, value) text pairs.
fn envelope_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| is_envelope_header(name.as_str()))
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

fn etag_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(http::header::ETAG)?.to_str().ok()?;
    Some(unquote(value).to_owned())
}

fn unquote(etag: &str) -> &str {
    etag.trim().trim_start_matches("W/").trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn names_each_kind_of_difference() {
        let planned = Pin::of(&headers(&[
            (KEY, "k1"),
            (DATA_SIZE, "10"),
            ("etag", "\"E\""),
        ]));
        let check = |pairs: &[(&'static str, &str)]| planned.check(&headers(pairs));
        assert_eq!(
            check(&[(KEY, "k1"), (DATA_SIZE, "10"), ("etag", "E")]),
            Ok(())
        );
        assert_eq!(
            check(&[
                (KEY, "k1"),
                (KEY, "k1"),
                (DATA_SIZE, "10"),
                ("etag", "\"E\"")
            ]),
            Ok(())
        );
        let envelope = |e| Err(IntegrityError::Envelope(e));
        assert_eq!(
            check(&[("etag", "\"E\"")]),
            envelope(EnvelopeMismatch::Presence {
                planned_encrypted: true
            })
        );
        assert_eq!(
            check(&[(KEY, "k2"), (DATA_SIZE, "10")]),
            envelope(EnvelopeMismatch::WrappedKey)
        );
        assert_eq!(
            check(&[(KEY, "k1"), (DATA_SIZE, "11")]),
            envelope(EnvelopeMismatch::DataSize {
                planned: Some(10),
                response: Some(11)
            })
        );
        assert_eq!(
            check(&[(KEY, "k1"), (DATA_SIZE, "10"), ("etag", "\"F\"")]),
            Err(IntegrityError::ETag {
                expected: "E".into(),
                actual: Some("F".into())
            })
        );
        let plain = Pin::of(&headers(&[("etag", "\"E\"")]));
        assert_eq!(
            plain.check(&headers(&[(KEY, "k1"), ("etag", "\"E\"")])),
            envelope(EnvelopeMismatch::Presence {
                planned_encrypted: false
            })
        );
    }
}
