//! Every envelope header lands in its own getter, by name: the codec reads values by header
//! name, never by position in `header::V2_ALL` / `V1_ALL`, so reordering those lists cannot
//! move a value into another field. Each table lists every header of its version.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{Envelope, HeaderError, LegacyEnvelope, header};

/// One header: a value, another value, and the getter that must show it.
struct Row<E> {
    header: &'static str,
    value: &'static str,
    /// Valid, and read differently from `value`, unless the header has only one valid value;
    /// then it is invalid and the parse must fail naming this header.
    other: &'static str,
    read: fn(&E) -> String,
}

const B64_A: &str = "AAECAwQFBgcICQoLDA0ODw==";
const B64_B: &str = "EBESExQVFhcYGRobHB0eHw==";

fn v2_rows() -> [Row<Envelope>; 9] {
    [
        Row {
            header: header::KEY,
            value: B64_A,
            other: B64_B,
            read: |e| format!("{:?}", e.key().as_bytes()),
        },
        Row {
            header: header::START,
            value: B64_B,
            other: B64_A,
            read: |e| format!("{:?}", e.start().as_bytes()),
        },
        Row {
            header: header::CEK_ALG,
            value: "AES/CTR/NoPadding",
            other: "AES/GCM/NoPadding",
            read: |e| e.cek_alg().to_string(),
        },
        Row {
            header: header::WRAP_ALG,
            value: "RSA/NONE/PKCS1Padding",
            other: "KMS/ALICLOUD",
            read: |e| e.wrap_alg().to_string(),
        },
        Row {
            header: header::MATDESC,
            value: r#"{"slot":"matdesc"}"#,
            other: r#"{"slot":"other"}"#,
            read: |e| format!("{:?}", e.matdesc()),
        },
        Row {
            header: header::UNENCRYPTED_CONTENT_LENGTH,
            value: "1000",
            other: "1001",
            read: |e| format!("{:?}", e.unencrypted_content_length()),
        },
        Row {
            header: header::UNENCRYPTED_CONTENT_MD5,
            value: B64_A,
            other: B64_B,
            read: |e| format!("{:?}", e.unencrypted_content_md5()),
        },
        Row {
            header: header::DATA_SIZE,
            value: "2000",
            other: "2001",
            read: |e| format!("{:?}", e.data_size()),
        },
        Row {
            header: header::PART_SIZE,
            value: "1048576",
            other: "2097152",
            read: |e| format!("{:?}", e.part_size()),
        },
    ]
}

fn v1_rows() -> [Row<LegacyEnvelope>; 7] {
    [
        Row {
            header: header::V1_KEY,
            value: B64_A,
            other: B64_B,
            read: |e| format!("{:?}", e.key().as_bytes()),
        },
        Row {
            header: header::V1_START,
            value: B64_B,
            other: B64_A,
            read: |e| format!("{:?}", e.start().as_bytes()),
        },
        Row {
            // Both V1 labels read as the one CTR cipher.
            header: header::V1_CEK_ALG,
            value: "AES/GCM/NoPadding",
            other: "AES/CBC/PKCS5Padding",
            read: |e| e.cek_alg().to_string(),
        },
        Row {
            header: header::V1_WRAP_ALG,
            value: "rsa",
            other: "kms",
            read: |e| e.wrap_alg().to_string(),
        },
        Row {
            header: header::V1_MATDESC,
            value: r#"{"slot":"matdesc"}"#,
            other: r#"{"slot":"other"}"#,
            read: |e| format!("{:?}", e.matdesc()),
        },
        Row {
            header: header::V1_UNENCRYPTED_CONTENT_LENGTH,
            value: "1000",
            other: "1001",
            read: |e| format!("{:?}", e.unencrypted_content_length()),
        },
        Row {
            header: header::V1_UNENCRYPTED_CONTENT_MD5,
            value: B64_A,
            other: B64_B,
            read: |e| format!("{:?}", e.unencrypted_content_md5()),
        },
    ]
}

type Parse<E> = fn(&[(String, String)]) -> Result<E, HeaderError>;

fn headers<E>(rows: &[Row<E>], changed: Option<&str>) -> Vec<(String, String)> {
    rows.iter()
        .map(|row| {
            let value = if changed == Some(row.header) {
                row.other
            } else {
                row.value
            };
            (row.header.to_owned(), value.to_owned())
        })
        .collect()
}

fn readings<E>(rows: &[Row<E>], envelope: &E) -> Vec<String> {
    rows.iter().map(|row| (row.read)(envelope)).collect()
}

/// The table names exactly the version's headers, and changing one header's value changes
/// its own getter and no other (or, for a header with one valid value, fails naming it).
fn each_header_lands_in_its_own_getter<E>(rows: &[Row<E>], all: &[&str], parse: Parse<E>) {
    let mut named: Vec<&str> = rows.iter().map(|row| row.header).collect();
    let mut expected = all.to_vec();
    named.sort_unstable();
    expected.sort_unstable();
    assert_eq!(named, expected, "the table covers every header once");

    let base = readings(rows, &parse(&headers(rows, None)).unwrap());
    for (index, row) in rows.iter().enumerate() {
        match parse(&headers(rows, Some(row.header))) {
            Ok(envelope) => {
                let changed = readings(rows, &envelope);
                for (other, (before, after)) in base.iter().zip(&changed).enumerate() {
                    if other == index {
                        assert_ne!(before, after, "{} moves its own getter", row.header);
                    } else {
                        let moved = rows[other].header;
                        assert_eq!(before, after, "{} must not move {moved}", row.header);
                    }
                }
            }
            Err(err) => assert_eq!(err.header(), row.header, "{err}"),
        }
    }
}

#[test]
fn every_v2_header_lands_in_its_own_field() {
    let parse: Parse<Envelope> = |h| Envelope::from_headers(h);
    let rows = v2_rows();
    each_header_lands_in_its_own_getter(&rows, &header::V2_ALL, parse);
    // Only cek-alg has a single valid value; every other row is checked on a parsed envelope.
    let failing: Vec<_> = rows
        .iter()
        .filter(|row| parse(&headers(&rows, Some(row.header))).is_err())
        .map(|row| row.header)
        .collect();
    assert_eq!(failing, [header::CEK_ALG]);
}

#[test]
fn every_v1_header_lands_in_its_own_field() {
    let parse: Parse<LegacyEnvelope> = |h| LegacyEnvelope::from_headers(h);
    let rows = v1_rows();
    each_header_lands_in_its_own_getter(&rows, &header::V1_ALL, parse);
    let failing: Vec<_> = rows
        .iter()
        .filter(|row| parse(&headers(&rows, Some(row.header))).is_err())
        .map(|row| row.header)
        .collect();
    assert_eq!(failing, [header::V1_CEK_ALG]);
}

#[test]
fn the_writer_follows_v2_all() {
    let rows = v2_rows();
    let envelope = Envelope::from_headers(headers(&rows, None)).unwrap();
    let written: Vec<_> = envelope.to_headers().into_iter().map(|(n, _)| n).collect();
    assert_eq!(written, header::V2_ALL);
}

#[test]
fn a_header_of_the_other_version_is_ignored() {
    let v2 = v2_rows();
    let v1 = v1_rows();
    let mut both = headers(&v2, None);
    both.extend(headers(&v1, None));
    let envelope = Envelope::from_headers(&both).unwrap();
    assert_eq!(
        envelope,
        Envelope::from_headers(headers(&v2, None)).unwrap()
    );
    let legacy = LegacyEnvelope::from_headers(&both).unwrap();
    assert_eq!(
        legacy,
        LegacyEnvelope::from_headers(headers(&v1, None)).unwrap()
    );
}
