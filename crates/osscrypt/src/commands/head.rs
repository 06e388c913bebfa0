//! `osscrypt head` and `osscrypt inspect`: what the object's headers say, without keys.
//!
//! `head` gives the size, ETag and whether the object is client-side encrypted; `inspect`
//! shows the whole envelope (algorithms, matdesc, wrapped-value sizes, recorded plaintext
//! length and MD5, multipart layout). Both support `--json`.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_client::ObjectMeta;
use oss_client::http::HeaderMap;
use oss_envelope::{Classification, Envelope, WrapAlg};
use serde_json::{Value, json};

use crate::cli::HeadArgs;
use crate::connection::Connection;
use crate::error::CliResult;
use crate::output::Output;

/// Response headers as text pairs.
pub(super) fn pairs(meta: &ObjectMeta) -> Vec<(String, String)> {
    meta.headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

async fn fetch(args: &HeadArgs, conn: &Connection) -> CliResult<ObjectMeta> {
    let key = args.object.object_key()?;
    let client = conn.client(&args.object.bucket)?;
    Ok(client.head_object(key, &HeaderMap::new()).await?)
}

pub(super) fn format_name(class: Classification) -> &'static str {
    match class {
        Classification::V2 => "v2",
        Classification::V1 => "v1 (legacy)",
        _ => "none",
    }
}

/// Runs `head`.
pub(crate) async fn head(args: &HeadArgs, conn: &Connection) -> CliResult {
    let meta = fetch(args, conn).await?;
    let headers = pairs(&meta);
    let class = oss_envelope::classify(&headers);
    let wrap_alg = headers
        .iter()
        .find(|(n, _)| n == oss_envelope::header::WRAP_ALG)
        .map(|(_, v)| v.clone());
    let value = json!({
        "object": args.object.to_string(),
        "size": meta.content_length(),
        "etag": meta.etag(),
        "last_modified": meta.last_modified(),
        "content_type": meta.content_type(),
        "encrypted": class != Classification::Plain,
        "encryption": format_name(class),
        "wrap_alg": wrap_alg,
    });
    print(&value, args.json)
}

/// Runs `inspect`.
pub(crate) async fn inspect(args: &HeadArgs, conn: &Connection) -> CliResult {
    let meta = fetch(args, conn).await?;
    let headers = pairs(&meta);
    let class = oss_envelope::classify(&headers);
    let mut value = json!({
        "object": args.object.to_string(),
        "stored_size": meta.content_length(),
        "etag": meta.etag(),
        "crc64": meta.crc64().map(|c| c.to_string()),
        "encryption": format_name(class),
    });
    let raw: BTreeMap<String, String> = headers
        .iter()
        .filter(|(n, _)| oss_envelope::header::is_envelope_header(n))
        .cloned()
        .collect();
    if class == Classification::V2 {
        let envelope = Envelope::from_headers(&headers)?;
        if let Value::Object(map) = &mut value {
            map.extend(describe(&envelope));
        }
    }
    if let Value::Object(map) = &mut value {
        map.insert("envelope_headers".into(), json!(raw));
    }
    print(&value, args.json)
}

/// The readable fields of a V2 envelope.
fn describe(envelope: &Envelope) -> serde_json::Map<String, Value> {
    let matdesc = match envelope.matdesc() {
        Ok(m) => json!(m.as_map()),
        Err(e) => json!(format!(
            "unparseable ({e}): {}",
            envelope.matdesc_text().unwrap_or("")
        )),
    };
    let mut map = serde_json::Map::new();
    map.insert("cek_alg".into(), json!(envelope.cek_alg().as_str()));
    map.insert("wrap_alg".into(), json!(envelope.wrap_alg().as_str()));
    map.insert("matdesc".into(), matdesc);
    map.insert(
        "wrapped_key_bytes".into(),
        json!(envelope.key().as_bytes().len()),
    );
    map.insert(
        "wrapped_iv_bytes".into(),
        json!(envelope.start().as_bytes().len()),
    );
    if envelope.wrap_alg() == WrapAlg::KmsAliCloud {
        let flavour = format!("{:?}", envelope.key().kms_flavour());
        map.insert("kms_flavour".into(), json!(flavour));
    }
    map.insert(
        "plaintext_length".into(),
        json!(envelope.unencrypted_content_length()),
    );
    map.insert(
        "plaintext_md5".into(),
        json!(
            envelope
                .unencrypted_content_md5()
                .map(|m| STANDARD.encode(m))
        ),
    );
    map.insert("multipart_data_size".into(), json!(envelope.data_size()));
    map.insert("multipart_part_size".into(), json!(envelope.part_size()));
    map
}

/// Prints JSON, or `name: value` lines for humans (absent values skipped).
fn print(value: &Value, as_json: bool) -> CliResult {
    if as_json {
        return Output::json(value);
    }
    let Value::Object(map) = value else {
        return Output::json(value);
    };
    for (name, field) in map {
        let text = match field {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Object(inner) if name == "envelope_headers" => {
                let mut lines = String::from("envelope headers:");
                for (n, v) in inner {
                    lines.push_str(&format!("\n  {n}: {}", v.as_str().unwrap_or_default()));
                }
                Output::result(lines)?;
                continue;
            }
            other => other.to_string(),
        };
        Output::result(format!(
            "{:<20} {text}",
            format!("{}:", name.replace('_', " "))
        ))?;
    }
    Ok(())
}
