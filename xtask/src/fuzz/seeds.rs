//! Seed inputs for the fuzz targets, derived from the shared vectors at run time.

mod xml;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Map, Value};

pub(crate) use xml::responses as xml_responses;

/// Makes the seed inputs of one target from the vectors folder.
pub(crate) type Generator = fn(&Path) -> anyhow::Result<Vec<Vec<u8>>>;

/// Every `headers` object in the vector JSON files (and each negative case's changed copy),
/// rendered as `name: value` lines.
pub(crate) fn envelope_headers(vectors: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut seeds = Vec::new();
    for doc in json_files(vectors)? {
        let mut found = Vec::new();
        collect_headers(&doc, &mut found);
        seeds.extend(found.iter().map(|h| render(h).into_bytes()));
        if let (Some(headers), Some(cases)) = (
            doc.get("headers").and_then(Value::as_object),
            doc.get("negative_cases").and_then(Value::as_array),
        ) {
            for change in cases.iter().filter_map(|c| c.get("change")?.as_object()) {
                let mut changed = headers.clone();
                changed.extend(change.clone());
                seeds.push(render(&changed).into_bytes());
            }
        }
    }
    Ok(seeds)
}

/// `Range` header values: the common shapes plus edges of each encrypted vector's size.
pub(crate) fn range_specs(vectors: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut specs: Vec<String> = [
        "bytes=0-0",
        "bytes=0-15",
        "bytes=16-31",
        "bytes=-5",
        "bytes=17-",
        "-5",
        "17-",
        "0-0",
        "bytes=5-3",
        "bytes=",
        "bytes=0-1,5-6",
        "byte=0-499",
        "bytes= 1 - 2 ",
        "bytes=18446744073709551615-",
        "bytes=0-18446744073709551616",
    ]
    .map(str::to_owned)
    .to_vec();
    for size in ciphertext_sizes(vectors)? {
        let last = size.saturating_sub(1);
        specs.extend([
            format!("bytes=0-{last}"),
            format!("bytes={last}-"),
            format!("bytes=-{size}"),
            format!("bytes={size}-"),
            format!("bytes=1-{size}"),
        ]);
    }
    Ok(specs.into_iter().map(String::into_bytes).collect())
}

/// `Content-Range` response values for each encrypted vector's size, plus malformed ones.
pub(crate) fn content_ranges(vectors: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut values: Vec<String> = [
        "bytes 0-0/1",
        "bytes */0",
        "bytes 100-200/*",
        "bytes 5-3/10",
        "bytes 0-15",
        "bytes 0-9/5",
        "bytes -1-5/10",
        "items 0-1/2",
        "bytes 0-18446744073709551615/*",
    ]
    .map(str::to_owned)
    .to_vec();
    for size in ciphertext_sizes(vectors)? {
        let last = size.saturating_sub(1);
        values.extend([
            format!("bytes 0-15/{size}"),
            format!("bytes 0-{last}/{size}"),
            format!("bytes 17-{last}/{size}"),
            format!("bytes {last}-{last}/{size}"),
            format!("bytes */{size}"),
        ]);
    }
    Ok(values.into_iter().map(String::into_bytes).collect())
}

fn render(headers: &Map<String, Value>) -> String {
    headers
        .iter()
        .map(|(name, value)| match value {
            Value::String(s) => format!("{name}: {s}\n"),
            other => format!("{name}: {other}\n"),
        })
        .collect()
}

fn collect_headers<'a>(value: &'a Value, found: &mut Vec<&'a Map<String, Value>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match child {
                    Value::Object(headers) if key == "headers" => found.push(headers),
                    _ => collect_headers(child, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_headers(v, found)),
        _ => {}
    }
}

fn ciphertext_sizes(vectors: &Path) -> anyhow::Result<Vec<u64>> {
    let docs = json_files(vectors)?;
    let mut sizes: Vec<u64> = docs
        .iter()
        .filter_map(|d| d.get("ciphertext_size")?.as_u64())
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    Ok(sizes)
}

/// Every top-level `*.json` file of the vectors folder, parsed, in file-name order.
pub(super) fn json_files(vectors: &Path) -> anyhow::Result<Vec<Value>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(vectors)
        .with_context(|| format!("cannot list {}", vectors.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("invalid JSON in {}", path.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> Option<PathBuf> {
        oss_testkit::Vectors::locate().map(|v| v.dir().to_owned())
    }

    #[test]
    fn header_seeds_hold_the_vectors_envelope_headers() {
        let Some(dir) = vectors() else { return };
        let seeds: Vec<String> = envelope_headers(&dir)
            .unwrap()
            .into_iter()
            .map(|s| String::from_utf8(s).unwrap())
            .collect();
        let key_line = "x-oss-meta-client-side-encryption-cek-alg: AES/CTR/NoPadding\n";
        assert!(seeds.iter().any(|s| s.contains(key_line)));
        assert!(
            seeds
                .iter()
                .any(|s| s.contains("x-oss-meta-oss-wrap-alg: kms\n"))
        );
        // The negative cases of v2-envelope-header-only.json are seeds too.
        assert!(seeds.iter().any(|s| s.contains("-start: ***\n")));
    }

    #[test]
    fn range_seeds_cover_the_example_object_size() {
        let Some(dir) = vectors() else { return };
        let specs = range_specs(&dir).unwrap();
        assert!(specs.contains(&b"bytes=0-21838".to_vec()));
        let ranges = content_ranges(&dir).unwrap();
        assert!(ranges.contains(&b"bytes 0-15/21839".to_vec()));
        assert!(ranges.contains(&b"bytes */1048576".to_vec()));
    }

    #[test]
    fn xml_seeds_carry_the_vector_etags() {
        let Some(dir) = vectors() else { return };
        let seeds: Vec<String> = xml_responses(&dir)
            .unwrap()
            .into_iter()
            .map(|s| String::from_utf8(s).unwrap())
            .collect();
        assert!(
            seeds
                .iter()
                .any(|s| s.contains("2351E662233817A7AE974D8C5B0876DD-5"))
        );
        assert!(
            seeds
                .iter()
                .any(|s| s.contains("<ClientEncryptionKey>") && s.contains("<Size>72448</Size>"))
        );
    }

    #[test]
    fn headers_render_one_line_each() {
        let value: Value = serde_json::from_str(r#"{"a": "1", "b": 2}"#).unwrap();
        assert_eq!(render(value.as_object().unwrap()), "a: 1\nb: 2\n");
    }
}
