//! Tests of the checkpoint files.

use super::*;

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
    let cp = UploadCheckpoint::new(("b", "k"), &file, stamp, ("UP", 1000, 102_400), envelope());
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
