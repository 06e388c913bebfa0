//! The protections OSS enforces for client-side-encrypted objects (spec `oss-api.md` §9).

use super::Req;
use crate::oss_error::{OssError, OssResult};

/// Prefix of every client-side-encryption metadata header.
pub(crate) const PREFIX: &str = "x-oss-meta-client-side-encryption-";

/// The envelope headers that mark a request as client-side-encryption, with the EC for "missing".
const REQUIRED: [(&str, &str); 4] = [
    ("key", "0005-00000401"),
    ("start", "0005-00000402"),
    ("cek-alg", "0005-00000403"),
    ("wrap-alg", "0005-00000404"),
];
const MARKERS: [&str; 7] = [
    "key",
    "start",
    "cek-alg",
    "wrap-alg",
    "magic-number-hmac",
    "data-size",
    "part-size",
];

/// Maximum number of parts of an upload.
pub(crate) const MAX_PARTS: u64 = 10_000;

fn header<'a>(req: &'a Req, suffix: &str) -> Option<&'a str> {
    req.header(&format!("{PREFIX}{suffix}"))
}

/// Whether the request carries any envelope header.
pub(crate) fn has_envelope(req: &Req) -> bool {
    MARKERS.iter().any(|m| header(req, m).is_some())
}

fn missing(ec: &'static str, suffix: &str) -> OssError {
    OssError::invalid_encryption(ec, format!("{PREFIX}{suffix} is missing"))
}

fn require_basic(req: &Req) -> OssResult<()> {
    for (suffix, ec) in REQUIRED {
        if header(req, suffix).is_none() {
            return Err(missing(ec, suffix));
        }
    }
    Ok(())
}

/// PutObject: an envelope must be complete.
pub(crate) fn check_put(req: &Req) -> OssResult<()> {
    if has_envelope(req) {
        require_basic(req)
    } else {
        Ok(())
    }
}

/// The multipart layout of an encrypted upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) data_size: u64,
    pub(crate) part_size: u64,
}

impl Layout {
    /// Number of parts the data size and part size imply (at least one).
    pub(crate) fn expected_parts(self) -> u64 {
        self.data_size.div_ceil(self.part_size).max(1)
    }

    /// The size part `n` (1-based) must have, or `None` when `n` is beyond the layout.
    fn expected_size(self, n: u64) -> Option<u64> {
        let k = self.expected_parts();
        if n == 0 || n > k {
            return None;
        }
        Some(if n < k {
            self.part_size
        } else {
            self.data_size - (k - 1) * self.part_size
        })
    }
}

fn parse_layout(data_size: Option<&str>, part_size: Option<&str>) -> OssResult<Layout> {
    let data_size = data_size.ok_or_else(|| missing("0005-00000406", "data-size"))?;
    let part_size = part_size.ok_or_else(|| missing("0005-00000407", "part-size"))?;
    let bad = |ec, s: &str| {
        OssError::invalid_encryption(ec, format!("{PREFIX}{s} is not a valid integer"))
    };
    let data_size: u64 = data_size
        .trim()
        .parse()
        .map_err(|_| bad("0005-00000408", "data-size"))?;
    let part_size: u64 = part_size
        .trim()
        .parse()
        .map_err(|_| bad("0005-00000409", "part-size"))?;
    if part_size == 0 {
        return Err(bad("0005-00000409", "part-size"));
    }
    let layout = Layout {
        data_size,
        part_size,
    };
    if layout.expected_parts() > MAX_PARTS {
        return Err(OssError::invalid_encryption(
            "0005-00000410",
            format!("data-size / part-size gives more than {MAX_PARTS} parts"),
        ));
    }
    Ok(layout)
}

/// InitiateMultipartUpload: a complete envelope plus a valid layout, or no envelope at all.
pub(crate) fn check_initiate(req: &Req) -> OssResult<Option<Layout>> {
    if !has_envelope(req) {
        return Ok(None);
    }
    require_basic(req)?;
    parse_layout(header(req, "data-size"), header(req, "part-size")).map(Some)
}

/// The layout recorded in an upload's metadata (from Initiate).
pub(crate) fn layout_of(meta: &[(String, String)]) -> Option<Layout> {
    let get = |s: &str| {
        meta.iter()
            .find(|(n, _)| n == &format!("{PREFIX}{s}"))
            .map(|(_, v)| v.as_str())
    };
    get("key")?;
    parse_layout(get("data-size"), get("part-size")).ok()
}

/// UploadPart headers against the Initiate values (headers are optional unless `strict`).
pub(crate) fn check_part_headers(
    req: &Req,
    initiated: &[(String, String)],
    strict: bool,
) -> OssResult<()> {
    if !strict && !has_envelope(req) {
        return Ok(());
    }
    require_basic(req)?;
    parse_layout(header(req, "data-size"), header(req, "part-size"))?;
    let checks = [
        ("key", "0005-00000412"),
        ("start", "0005-00000413"),
        ("cek-alg", "0005-00000414"),
        ("wrap-alg", "0005-00000415"),
        ("magic-number-hmac", "0005-00000416"),
        ("data-size", "0005-00000417"),
        ("part-size", "0005-00000418"),
    ];
    for (suffix, ec) in checks {
        let name = format!("{PREFIX}{suffix}");
        let before = initiated
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str());
        if header(req, suffix) != before {
            return Err(OssError::invalid_encryption(
                ec,
                format!("{name} differs from the value given at initiation"),
            ));
        }
    }
    Ok(())
}

/// The part number must be within the layout.
pub(crate) fn check_part_number(layout: Layout, n: u64) -> OssResult<()> {
    if n > layout.expected_parts() {
        return Err(OssError::invalid_encryption(
            "0005-00000411",
            format!(
                "part number {n} exceeds the {} parts data-size and part-size allow",
                layout.expected_parts()
            ),
        ));
    }
    Ok(())
}

/// A part's size must match the layout.
pub(crate) fn check_part_size(layout: Layout, n: u64, size: u64) -> OssResult<()> {
    check_part_number(layout, n)?;
    let last = n == layout.expected_parts();
    if layout.expected_size(n) != Some(size) {
        let (ec, what) = if last {
            (
                "0005-00000420",
                "the last part must hold the rest of data-size",
            )
        } else {
            (
                "0005-00000419",
                "every part but the last must be exactly part-size",
            )
        };
        return Err(OssError::invalid_encryption(
            ec,
            format!("part {n} has {size} bytes: {what}"),
        ));
    }
    Ok(())
}

/// The envelope of a metadata list (sorted name/value pairs of the `PREFIX` headers).
pub(crate) fn envelope_of(meta: &[(String, String)]) -> Vec<(String, String)> {
    let mut env: Vec<_> = meta
        .iter()
        .filter(|(n, _)| n.starts_with(PREFIX))
        .cloned()
        .collect();
    env.sort();
    env
}

/// Whether stored metadata marks the object as client-side encrypted.
pub(crate) fn is_encrypted(meta: &[(String, String)]) -> bool {
    meta.iter().any(|(n, _)| n == &format!("{PREFIX}key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_sizes() {
        let l = Layout {
            data_size: 482_048,
            part_size: 102_400,
        };
        assert_eq!(l.expected_parts(), 5);
        assert_eq!(l.expected_size(4), Some(102_400));
        assert_eq!(l.expected_size(5), Some(72_448));
        assert_eq!(l.expected_size(6), None);
        assert!(check_part_size(l, 1, 102_400).is_ok());
        assert_eq!(
            check_part_size(l, 2, 100).unwrap_err().ec,
            Some("0005-00000419")
        );
        assert_eq!(
            check_part_size(l, 5, 100).unwrap_err().ec,
            Some("0005-00000420")
        );
        assert_eq!(
            check_part_size(l, 6, 1).unwrap_err().ec,
            Some("0005-00000411")
        );
        let exact = Layout {
            data_size: 204_800,
            part_size: 102_400,
        };
        assert_eq!(exact.expected_size(2), Some(102_400));
        assert_eq!(
            parse_layout(Some("10000001"), Some("1")).unwrap_err().ec,
            Some("0005-00000410")
        );
        assert_eq!(
            parse_layout(Some("x"), Some("1")).unwrap_err().ec,
            Some("0005-00000408")
        );
    }
}
