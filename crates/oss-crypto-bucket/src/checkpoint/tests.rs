//! Tests of the checkpoint files.

use super::*;

use crate::context::WrappedEnvelope;

fn envelope() -> WrappedEnvelope {
    WrappedEnvelope {
        key: "d3JhcHBlZA==".into(),
        start: "c3RhcnQ=".into(),
        cek_alg: "AES/CTR/NoPadding".into(),
        wrap_alg: "RSA/NONE/PKCS1Padding".into(),
        matdesc: Some(r#"{"a":"b"}"#.into()),
    }
}

fn sample(dir: &Path) -> (PathBuf, UploadCheckpoint) {
    let file = dir.join("src.bin");
    std::fs::write(&file, vec![7_u8; 1000]).unwrap();
    let stamp = FileStamp::of(&file).unwrap();
    let upload = MultipartContext {
        upload_id: "UP".into(),
        key: "k".into(),
        data_size: 1000,
        part_size: 102_400,
        envelope: envelope(),
    };
    let cp = UploadCheckpoint::new("b", &file, stamp, upload);
    (file, cp)
}

#[test]
fn save_load_round_trip_and_no_temp_left() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut cp) = sample(dir.path());
    cp.parts.push(DonePart {
        number: 1,
        size: 1000,
        crc64: Some(42),
        etag: Some("\"E\"".into()),
    });
    let path = path_for(dir.path(), "upload", "b", "k", &file);
    save(&path, &cp).unwrap();
    let back: UploadCheckpoint = load(&path).unwrap().unwrap();
    assert_eq!(back, cp);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "only the source and the checkpoint: {names:?}"
    );
    remove(&path).unwrap();
    assert!(load::<UploadCheckpoint>(&path).unwrap().is_none());
}

#[test]
fn corrupt_checkpoint_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    std::fs::write(&path, b"{\"version\": 1, \"bucket\": ").unwrap();
    let err = load::<UploadCheckpoint>(&path).unwrap_err();
    assert!(
        matches!(err, Error::Checkpoint(CheckpointError::Corrupt(_))),
        "{err:?}"
    );
}

#[test]
fn checkpoint_of_another_transfer_is_refused_and_changed_file_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let (file, cp) = sample(dir.path());
    let stamp = FileStamp::of(&file).unwrap();
    assert_eq!(cp.fit("b", "k", &file, stamp).unwrap(), Fit::Resume);
    let err = cp.fit("b", "other", &file, stamp).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Checkpoint(CheckpointError::OtherTransfer { .. })
        ),
        "{err:?}"
    );
    let err = cp.fit("b", "k", &dir.path().join("x"), stamp).unwrap_err();
    assert!(matches!(
        err,
        Error::Checkpoint(CheckpointError::OtherTransfer { .. })
    ));
    std::fs::write(&file, vec![8_u8; 1001]).unwrap();
    let changed = FileStamp::of(&file).unwrap();
    assert_eq!(cp.fit("b", "k", &file, changed).unwrap(), Fit::Stale);
}

#[test]
fn checkpoint_holds_no_plaintext_key_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (_file, cp) = sample(dir.path());
    let json = serde_json::to_string(&cp).unwrap();
    for word in ["cek\"", "iv\"", "plain", "data_key"] {
        assert!(!json.contains(word), "{word} in {json}");
    }
}

/// An upload checkpoint exactly as earlier releases wrote it (one flat object).
const UPLOAD_V1: &str = r#"{
  "version": 1,
  "bucket": "b",
  "key": "dir/k",
  "file": "/data/src.bin",
  "stamp": { "size": 300000, "mtime_secs": 1765000000, "mtime_nanos": 123456789 },
  "upload_id": "0004B9894A22E5B1888A1E29F823****",
  "data_size": 300000,
  "part_size": 102400,
  "envelope": {
    "key": "d3JhcHBlZA==",
    "start": "c3RhcnQ=",
    "cek_alg": "AES/CTR/NoPadding",
    "wrap_alg": "RSA/NONE/PKCS1Padding",
    "matdesc": "{\"a\":\"b\"}"
  },
  "parts": [
    { "number": 1, "size": 102400, "crc64": 42, "etag": "\"E1\"" },
    { "number": 2, "size": 102400, "crc64": null, "etag": "\"E2\"" }
  ]
}"#;

/// A download checkpoint exactly as earlier releases wrote it (one flat object).
const DOWNLOAD_V1: &str = r#"{
  "version": 1,
  "bucket": "b",
  "key": "dir/k",
  "file": "/data/out.bin",
  "etag": "\"5B3C1A2E053D763E1B002CC607C5A0FE\"",
  "object_size": 900000,
  "part_size": 102400,
  "parts": [ { "number": 3, "size": 102400, "crc64": 7 } ],
  "envelope": [
    ["x-oss-meta-client-side-encryption-key", "d3JhcHBlZA=="],
    ["x-oss-meta-client-side-encryption-start", "c3RhcnQ="]
  ]
}"#;

/// Parses `text` as a `T` and checks that writing it back gives the same JSON object.
fn round_trips<T: Serialize + DeserializeOwned>(text: &str) -> T {
    let value: T = serde_json::from_str(text).unwrap();
    let written = serde_json::to_value(&value).unwrap();
    let original: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(written, original);
    value
}

#[test]
fn upload_checkpoints_of_earlier_releases_load_and_are_written_the_same() {
    let cp: UploadCheckpoint = round_trips(UPLOAD_V1);
    assert_eq!(cp.upload.key, "dir/k");
    assert_eq!(cp.upload.upload_id, "0004B9894A22E5B1888A1E29F823****");
    assert_eq!(
        (cp.upload.data_size, cp.upload.part_size),
        (300_000, 102_400)
    );
    assert_eq!(cp.upload.envelope.matdesc.as_deref(), Some(r#"{"a":"b"}"#));
    assert_eq!(cp.parts.len(), 2);
    let stamp = cp.stamp;
    assert_eq!(
        cp.fit("b", "dir/k", Path::new("/data/src.bin"), stamp)
            .unwrap(),
        Fit::Resume
    );
}

#[test]
fn download_checkpoints_of_earlier_releases_load_and_are_written_the_same() {
    let cp: DownloadCheckpoint = round_trips(DOWNLOAD_V1);
    let wanted = cp.identity.clone();
    assert_eq!(wanted.envelope.len(), 2);
    assert_eq!(cp.fit(&wanted).unwrap(), Fit::Resume);
    // Another part size or ETag means start over; another destination is another transfer.
    let resized = DownloadIdentity {
        part_size: 204_800,
        ..wanted.clone()
    };
    assert_eq!(cp.fit(&resized).unwrap(), Fit::Stale);
    let rewritten = DownloadIdentity {
        etag: "\"0123\"".into(),
        ..wanted.clone()
    };
    assert_eq!(cp.fit(&rewritten).unwrap(), Fit::Stale);
    let elsewhere = DownloadIdentity {
        file: PathBuf::from("/data/other.bin"),
        ..wanted
    };
    assert!(matches!(
        cp.fit(&elsewhere).unwrap_err(),
        Error::Checkpoint(CheckpointError::OtherTransfer { .. })
    ));
}

#[test]
fn download_checkpoints_written_before_the_envelope_field_load_with_none() {
    let mut value: serde_json::Value = serde_json::from_str(DOWNLOAD_V1).unwrap();
    value.as_object_mut().unwrap().remove("envelope");
    let cp: DownloadCheckpoint = serde_json::from_value(value).unwrap();
    assert!(cp.identity.envelope.is_empty());
    assert_eq!(cp.parts.len(), 1);
}

#[test]
fn a_checkpoint_of_another_format_version_is_refused() {
    let text = DOWNLOAD_V1.replace("\"version\": 1", "\"version\": 2");
    let cp: DownloadCheckpoint = serde_json::from_str(&text).unwrap();
    assert!(matches!(
        cp.fit(&cp.identity).unwrap_err(),
        Error::Checkpoint(CheckpointError::Version(2))
    ));
}
