//! The hostile-server corpus: the dev server's fault rules play a broken proxy or a
//! non-conforming OSS-compatible server (envelope headers stripped, altered or duplicated,
//! 200 for 206, shifted `Content-Range`, cut or slow-drip bodies, flipped bytes under the old
//! or a recomputed CRC, garbage XML, 5xx and resets, the object swapped between HEAD and a
//! part), on HEAD only, GET only or one part only. Every case must end in correct bytes or
//! the expected typed error; never a panic, wrong plaintext, a leftover file or a lost
//! checkpoint. Each envelope header is stripped, altered and duplicated in turn. One case is
//! undetectable by design (CTR is unauthenticated): a flipped byte under a recomputed CRC
//! without a recorded MD5; that case asserts exactly one wrong byte.
#![allow(clippy::unwrap_used, clippy::too_many_lines)] // test helpers outside #[test] fns

use crate::common;

use std::path::{Path, PathBuf};

use common::{Harness, data, fresh_key};
use oss_crypto_bucket::oss_client::{GetOptions as RawGet, PutPayload};
use oss_crypto_bucket::oss_envelope::header::{
    CEK_ALG, DATA_SIZE, KEY, MATDESC, PART_SIZE, START, UNENCRYPTED_CONTENT_LENGTH, WRAP_ALG,
};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{
    ByteRange, CopyOptions, CryptoBucket, CryptoOptions, EnvelopeMismatch, Error, GetOptions,
    IntegrityError, ObjectEnvelope, ResumableOptions,
};
use oss_devserver::{FaultAction, FaultRule, Trigger};

const PART: u64 = 102_400;
/// Four parts of [`PART`] (the last one short).
const SIZE: usize = 350_000;

/// What a case does through the library.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// `get_object_to_file` of the encrypted object.
    Get,
    /// The same with `require_encrypted`.
    GetRequired,
    /// `get_object_to_file` of the object written with a plaintext MD5.
    GetMd5,
    /// A ranged `get_object` of bytes 1000..=250_000.
    Range,
    /// `resumable_download` of the encrypted object (4 parts, one at a time).
    Download,
    /// The same for the object with a plaintext MD5.
    DownloadMd5,
    /// `resumable_download` of a plain object.
    DownloadPlain,
    /// A download cut at part 2, then resumed under the case's faults.
    Resume,
    /// A download cut at part 2, the object rotated to a new master key, then resumed.
    ResumeAfterRotate,
    /// `rotate_master_key` to a fresh key.
    Rotate,
    /// `copy_object` with replaced metadata.
    CopyReplace,
    /// `resumable_upload` of a file.
    Upload,
    /// An upload cut at part 2, then resumed under the case's faults.
    UploadResume,
}

/// What a case must end in.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// The plaintext.
    Bytes,
    /// The stored bytes, flagged as a plain object.
    FlaggedPlain,
    /// An error of one of these classes (see [`class`]).
    Fails(&'static [&'static str]),
    /// Accepted without notice with exactly one wrong byte: CTR cannot detect it.
    Undetectable,
}

struct Case {
    name: String,
    op: Op,
    rules: Vec<FaultRule>,
    expect: Expect,
}

fn rule(op: &str, trigger: Trigger, action: FaultAction) -> FaultRule {
    FaultRule::new(op, trigger, action)
}

fn head(action: FaultAction) -> Vec<FaultRule> {
    vec![rule("HeadObject", Trigger::Always, action)]
}

fn get(action: FaultAction) -> Vec<FaultRule> {
    vec![rule("GetObject", Trigger::Always, action)]
}

fn get_nth(n: u64, action: FaultAction) -> Vec<FaultRule> {
    vec![rule("GetObject", Trigger::Nth(n), action)]
}

fn set(name: &str, value: &str) -> FaultAction {
    FaultAction::SetHeader {
        name: name.into(),
        value: value.into(),
    }
}

fn strip(prefix: &str) -> FaultAction {
    FaultAction::StripHeaders(prefix.into())
}

/// Placeholder for the wrapped key of the object `other` in header values.
const OTHER_KEY: &str = "{other-key}";

const PRESENCE: &[&str] = &["presence"];
const WRAPPED_KEY: &[&str] = &["wrapped-key"];
const ETAG: &[&str] = &["etag"];
/// A response whose envelope headers differ from the plan's.
const MISMATCH: &[&str] = &["envelope-header"];
/// A HEAD that lies: the envelope it shows does not parse, or the parts contradict it.
const PLAN_MISMATCH: &[&str] = &["envelope", "envelope-header"];

fn cases() -> Vec<Case> {
    use Expect::{Bytes, Fails, FlaggedPlain, Undetectable};
    use Op::{
        CopyReplace, Download, DownloadMd5, DownloadPlain, Get, GetMd5, GetRequired, Range, Resume,
        ResumeAfterRotate, Rotate, Upload, UploadResume,
    };
    let c = |name: &str, op, rules, expect| Case {
        name: name.to_owned(),
        op,
        rules,
        expect,
    };
    let s503 = || FaultAction::status(503);
    let s500 = || FaultAction::status(500);
    let garbage = || FaultAction::ReplaceBody("<?xml version=\"1.0\"?><Oops><".into());
    let mut cases = vec![
        // HEAD only: the plan's side lies.
        c(
            "head strips x-oss-meta-*",
            Download,
            head(strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "head strips the wrapped key",
            Download,
            head(strip(KEY)),
            Fails(&["envelope"]),
        ),
        c(
            "head swaps in another wrapped key",
            Download,
            head(set(KEY, OTHER_KEY)),
            Fails(WRAPPED_KEY),
        ),
        c(
            "head alters data-size",
            Download,
            head(set(DATA_SIZE, "350016")),
            Fails(&["data-size", "envelope"]),
        ),
        c(
            "head duplicates the IV with another value",
            Download,
            head(FaultAction::DuplicateHeader {
                name: START.into(),
                value: Some("AAAAAAAAAAAAAAAAAAAAAA==".into()),
            }),
            Fails(&["envelope"]),
        ),
        c(
            "head duplicates the key with the same value",
            Download,
            head(FaultAction::DuplicateHeader {
                name: KEY.into(),
                value: None,
            }),
            Bytes,
        ),
        c(
            "head without etag",
            Download,
            head(strip("etag")),
            Fails(&["unexpected"]),
        ),
        c(
            "head 503 once",
            Download,
            vec![rule("HeadObject", Trigger::NextN(1), s503())],
            Bytes,
        ),
        c(
            "head 500 always",
            Download,
            head(s500()),
            Fails(&["client"]),
        ),
        c(
            "plain object, head invents an envelope",
            DownloadPlain,
            head(set(KEY, OTHER_KEY)),
            Fails(&["envelope", "presence"]),
        ),
        // GET only: the responses lie.
        c(
            "get strips x-oss-meta-* (single get)",
            Get,
            get(strip("x-oss-meta-")),
            FlaggedPlain,
        ),
        c(
            "get strips x-oss-meta-*, encryption required",
            GetRequired,
            get(strip("x-oss-meta-")),
            Fails(&["not-encrypted"]),
        ),
        c(
            "get strips x-oss-meta-* (download)",
            Download,
            get(strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "get strips the wrapped key (download)",
            Download,
            get(strip(KEY)),
            Fails(WRAPPED_KEY),
        ),
        c(
            "get swaps in another wrapped key (download)",
            Download,
            get(set(KEY, OTHER_KEY)),
            Fails(WRAPPED_KEY),
        ),
        c(
            "get alters data-size (download)",
            Download,
            get(set(DATA_SIZE, "350016")),
            Fails(&["data-size"]),
        ),
        c(
            "get alters the IV (download)",
            Download,
            get(set(START, "AAAAAAAAAAAAAAAAAAAAAA==")),
            Fails(&["envelope-header"]),
        ),
        c(
            "get duplicates the key, same value (download)",
            Download,
            get(FaultAction::DuplicateHeader {
                name: KEY.into(),
                value: None,
            }),
            Bytes,
        ),
        c(
            "get alters the etag (download)",
            Download,
            get(set("etag", "\"0123\"")),
            Fails(ETAG),
        ),
        c(
            "get strips the etag (download)",
            Download,
            get(strip("etag")),
            Fails(ETAG),
        ),
        c(
            "get answers 200 for 206 (download)",
            Download,
            get(FaultAction::OkForPartial),
            Fails(&["unexpected"]),
        ),
        c(
            "get answers 200 for 206 (range)",
            Range,
            get(FaultAction::OkForPartial),
            Fails(&["unexpected"]),
        ),
        c(
            "get shifts content-range (download)",
            Download,
            get(FaultAction::ShiftContentRange(16)),
            Fails(&["range"]),
        ),
        c(
            "get shifts content-range (range)",
            Range,
            get(FaultAction::ShiftContentRange(-16)),
            Fails(&["range"]),
        ),
        c(
            "get cuts every body (download)",
            Download,
            get(FaultAction::ResetAfter(5000)),
            Fails(&["client", "length"]),
        ),
        c(
            "get cuts every body (single get)",
            Get,
            get(FaultAction::ResetAfter(5000)),
            Fails(&["client", "length"]),
        ),
        c(
            "get cuts one body (download)",
            Download,
            get_nth(2, FaultAction::ResetAfter(5000)),
            Bytes,
        ),
        c(
            "get resets before the body once",
            Get,
            vec![rule(
                "GetObject",
                Trigger::NextN(1),
                FaultAction::ResetAfter(0),
            )],
            Bytes,
        ),
        c(
            "get slow-drips (single get)",
            Get,
            get(FaultAction::Drip {
                chunk: 8192,
                pause: core::time::Duration::from_millis(1),
            }),
            Bytes,
        ),
        c(
            "get slow-drips one part",
            Download,
            get_nth(
                3,
                FaultAction::Drip {
                    chunk: 4096,
                    pause: core::time::Duration::from_millis(1),
                },
            ),
            Bytes,
        ),
        c(
            "get 503 twice (download)",
            Download,
            vec![rule("GetObject", Trigger::NextN(2), s503())],
            Bytes,
        ),
        c(
            "get 500 always (download)",
            Download,
            get(s500()),
            Fails(&["client"]),
        ),
        c(
            "get flips a byte, crc kept (single get)",
            Get,
            get(FaultAction::CorruptByte(777)),
            Fails(&["crc64"]),
        ),
        c(
            "get flips a byte, crc kept (download)",
            Download,
            get_nth(2, FaultAction::CorruptByte(777)),
            Fails(&["crc64"]),
        ),
        c(
            "get flips a byte, crc recomputed, no md5 (single get)",
            Get,
            get(FaultAction::CorruptByteRecomputeCrc(777)),
            Undetectable,
        ),
        c(
            "get flips a byte, crc recomputed, md5 recorded",
            GetMd5,
            get(FaultAction::CorruptByteRecomputeCrc(777)),
            Fails(&["md5"]),
        ),
        c(
            "get flips a byte, crc recomputed (download)",
            Download,
            get_nth(2, FaultAction::CorruptByteRecomputeCrc(777)),
            Fails(&["crc64"]),
        ),
        c(
            "get flips a byte, crc recomputed, md5 (download)",
            DownloadMd5,
            get_nth(2, FaultAction::CorruptByteRecomputeCrc(777)),
            Fails(&["crc64", "md5"]),
        ),
        c(
            "get flips a byte in a range (ranges carry no crc)",
            Range,
            get(FaultAction::CorruptByte(777)),
            Undetectable,
        ),
        // One part only.
        c(
            "part 3 strips x-oss-meta-*",
            Download,
            get_nth(3, strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "part 2 swaps in another wrapped key",
            Download,
            get_nth(2, set(KEY, OTHER_KEY)),
            Fails(WRAPPED_KEY),
        ),
        c(
            "part 4 alters data-size",
            Download,
            get_nth(4, set(DATA_SIZE, "1")),
            Fails(&["data-size"]),
        ),
        c(
            "part 2 alters the etag",
            Download,
            get_nth(2, set("etag", "\"0123\"")),
            Fails(ETAG),
        ),
        c(
            "object swapped between head and part 3",
            Download,
            get_nth(3, FaultAction::ServeKey("other".into())),
            Fails(&["wrapped-key", "etag"]),
        ),
        c(
            "object swapped between head and the only get",
            DownloadPlain,
            get_nth(1, FaultAction::ServeKey("other".into())),
            Fails(&["presence", "etag"]),
        ),
        // A resumed download's first request.
        c(
            "resume: head strips x-oss-meta-*",
            Resume,
            head(strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "resume: first get strips x-oss-meta-*",
            Resume,
            get_nth(1, strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "resume: first get swaps the object",
            Resume,
            get_nth(1, FaultAction::ServeKey("other".into())),
            Fails(&["wrapped-key", "etag"]),
        ),
        c("resume: no fault", Resume, vec![], Bytes),
        c(
            "resume after the object was rotated",
            ResumeAfterRotate,
            vec![],
            Bytes,
        ),
        // Rotation and copy sources.
        c(
            "rotate: source get strips x-oss-meta-*",
            Rotate,
            get(strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "rotate: source part 2 swapped",
            Rotate,
            get_nth(2, FaultAction::ServeKey("other".into())),
            Fails(&["wrapped-key", "etag"]),
        ),
        c(
            "rotate: source get alters the etag",
            Rotate,
            get(set("etag", "\"0123\"")),
            Fails(ETAG),
        ),
        c(
            "rotate: head strips x-oss-meta-*",
            Rotate,
            head(strip("x-oss-meta-")),
            Fails(&["refused"]),
        ),
        c(
            "copy: head strips x-oss-meta-*",
            CopyReplace,
            head(strip("x-oss-meta-")),
            Fails(PRESENCE),
        ),
        c(
            "copy: source get swaps in another key",
            CopyReplace,
            get(set(KEY, OTHER_KEY)),
            Fails(WRAPPED_KEY),
        ),
        // Multipart XML and errors.
        c(
            "initiate answers garbage xml",
            Upload,
            vec![rule("InitiateMultipartUpload", Trigger::Always, garbage())],
            Fails(&["client"]),
        ),
        c(
            "complete answers garbage xml",
            Upload,
            vec![rule("CompleteMultipartUpload", Trigger::Always, garbage())],
            Fails(&["client"]),
        ),
        c(
            "listparts answers garbage xml on resume",
            UploadResume,
            vec![rule("ListParts", Trigger::Always, garbage())],
            Fails(&["client"]),
        ),
        c(
            "upload part 503 once",
            Upload,
            vec![rule("UploadPart", Trigger::NextN(1), s503())],
            Bytes,
        ),
        c(
            "upload part reset once",
            Upload,
            vec![rule(
                "UploadPart",
                Trigger::Nth(2),
                FaultAction::ResetAfter(1000),
            )],
            Bytes,
        ),
        c(
            "initiate 500 always",
            Upload,
            vec![rule("InitiateMultipartUpload", Trigger::Always, s500())],
            Fails(&["client"]),
        ),
    ];
    cases.extend(each_envelope_header());
    cases
}

/// Every other envelope header of the object (the wrapped key and data size have their own
/// cases above), stripped, altered or duplicated with another value on one part's GET, and
/// stripped or altered on the HEAD the download is planned from. The object has no matdesc
/// (its key pair has none), so that header is only added, never stripped.
fn each_envelope_header() -> Vec<Case> {
    let headers = [
        START,
        CEK_ALG,
        WRAP_ALG,
        MATDESC,
        UNENCRYPTED_CONTENT_LENGTH,
        PART_SIZE,
    ];
    let case = |name: String, rules, expect| Case {
        name,
        op: Op::Download,
        rules,
        expect,
    };
    // An altered value that still parses where the header is numeric or base64, so it is the
    // pin that has to catch it, not the codec.
    let altered = |name: &'static str| match name {
        UNENCRYPTED_CONTENT_LENGTH | PART_SIZE => "350001",
        START => "AAAAAAAAAAAAAAAAAAAAAA==",
        _ => "altered",
    };
    // What a lying HEAD ends in: a plan that does not parse or that the parts contradict;
    // the IV is wrapped by the master key too, so an altered one fails to unwrap; a plaintext
    // length the stored size contradicts is caught before the first part.
    let head_altered: fn(&str) -> &'static [&'static str] = |name| match name {
        START => &["keywrap"],
        UNENCRYPTED_CONTENT_LENGTH => &["length"],
        _ => PLAN_MISMATCH,
    };
    let mut cases = Vec::new();
    for name in headers {
        let h = name.trim_start_matches("x-oss-meta-client-side-encryption-");
        let dup = FaultAction::DuplicateHeader {
            name: name.into(),
            value: Some(altered(name).into()),
        };
        if name != MATDESC {
            cases.extend([
                case(
                    format!("part 2 strips {h}"),
                    get_nth(2, strip(name)),
                    Expect::Fails(MISMATCH),
                ),
                case(
                    format!("head strips {h}"),
                    head(strip(name)),
                    Expect::Fails(PLAN_MISMATCH),
                ),
            ]);
        }
        cases.extend([
            case(
                format!("part 2 alters {h}"),
                get_nth(2, set(name, altered(name))),
                Expect::Fails(MISMATCH),
            ),
            case(
                format!("part 2 duplicates {h} with another value"),
                get_nth(2, dup),
                Expect::Fails(MISMATCH),
            ),
            case(
                format!("head alters {h}"),
                head(set(name, altered(name))),
                Expect::Fails(head_altered(name)),
            ),
        ]);
    }
    cases
}

/// The class of an error, as the cases name it.
fn class(e: &Error) -> &'static str {
    match e {
        Error::Integrity(IntegrityError::Envelope(m)) => match m {
            EnvelopeMismatch::Presence { .. } => "presence",
            EnvelopeMismatch::WrappedKey => "wrapped-key",
            EnvelopeMismatch::DataSize { .. } => "data-size",
            _ => "envelope-header",
        },
        Error::Integrity(IntegrityError::ETag { .. }) => "etag",
        Error::Integrity(IntegrityError::NotEncrypted) => "not-encrypted",
        Error::Integrity(IntegrityError::Crc64 { .. }) => "crc64",
        Error::Integrity(IntegrityError::Md5) => "md5",
        Error::Integrity(IntegrityError::Length { .. }) => "length",
        Error::Envelope(_) | Error::LegacyV1Disabled => "envelope",
        Error::Range(_) | Error::RangeNotSatisfiable { .. } => "range",
        Error::UnexpectedResponse(_) => "unexpected",
        Error::Client(_) => "client",
        Error::Refused(_) => "refused",
        Error::KeyWrap(_) => "keywrap",
        _ => "other",
    }
}

/// One case's world: a dev server with the objects, and a work directory.
struct World {
    h: Harness,
    dir: tempfile::TempDir,
    plain: Vec<u8>,
    stored: Vec<u8>,
    other_key: String,
}

impl World {
    fn options(&self) -> CryptoOptions {
        CryptoOptions::default()
            .with_part_size(PART)
            .with_concurrency(1)
            .with_checkpoint_dir(self.dir.path().join("cp"))
    }

    fn bucket(&self) -> CryptoBucket {
        self.h.bucket(self.options())
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out").join("file.bin")
    }

    fn checkpoints(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("cp")).map_or(0, Iterator::count)
    }

    /// Files in the output directory other than the output itself.
    fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "file.bin")
            .collect()
    }
}

async fn world() -> World {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let plain = data(SIZE, 3);
    let mut w = World {
        h,
        dir,
        plain,
        stored: Vec::new(),
        other_key: String::new(),
    };
    let bucket = w.bucket();
    let md5_bucket = w.h.bucket(w.options().with_compute_md5(true));
    for (name, b, seed) in [
        ("obj", &bucket, 3),
        ("other", &bucket, 4),
        ("md5", &md5_bucket, 3),
    ] {
        let src = w.dir.path().join(name);
        std::fs::write(&src, data(SIZE, seed)).unwrap();
        b.resumable_upload(name, &src, &ResumableOptions::default())
            .await
            .unwrap();
    }
    w.h.client
        .put_object(
            "plain",
            PutPayload::from_bytes(w.plain.clone()),
            &http::HeaderMap::new(),
        )
        .await
        .unwrap();
    w.stored = raw(&w, "obj").await;
    let meta =
        w.h.client
            .head_object("other", &http::HeaderMap::new())
            .await
            .unwrap();
    w.other_key = meta.header(KEY).unwrap().to_owned();
    w
}

async fn raw(w: &World, key: &str) -> Vec<u8> {
    let (_, bytes) =
        w.h.client
            .get_object_bytes(key, &RawGet::default())
            .await
            .unwrap();
    bytes.to_vec()
}

fn install(w: &World, rules: &[FaultRule]) {
    let rules = rules
        .iter()
        .cloned()
        .map(|mut r| {
            if let FaultAction::SetHeader { value, .. } = &mut r.action {
                *value = value.replace(OTHER_KEY, &w.other_key);
            }
            r
        })
        .collect();
    w.h.server.faults().set_rules(rules);
}

/// The outcome of a case's operation: the bytes it produced (and whether flagged plain).
type Outcome = Result<(Vec<u8>, bool), Error>;

async fn cut_download(w: &World) {
    install(
        w,
        &get_nth(
            2,
            FaultAction::Status {
                status: 403,
                code: "AccessDenied".into(),
            },
        ),
    );
    let e = w
        .bucket()
        .resumable_download("obj", &w.out(), &ResumableOptions::default())
        .await;
    assert!(e.is_err(), "the cut did not happen");
    assert_eq!(w.checkpoints(), 1, "the cut left no checkpoint");
}

async fn run(w: &World, case: &Case) -> Outcome {
    let bucket = w.bucket();
    let out = w.out();
    let none = ResumableOptions::default();
    let read_file = |p: &Path| std::fs::read(p).unwrap();
    match case.op {
        Op::Get | Op::GetRequired | Op::GetMd5 => {
            let bucket = match case.op {
                Op::GetRequired => w.h.bucket(w.options().with_require_encrypted(true)),
                _ => bucket,
            };
            let key = if matches!(case.op, Op::GetMd5) {
                "md5"
            } else {
                "obj"
            };
            install(w, &case.rules);
            let got = bucket
                .get_object_to_file(key, &out, &GetOptions::default())
                .await?;
            Ok((
                read_file(&out),
                matches!(got.envelope, ObjectEnvelope::Plain),
            ))
        }
        Op::Range => {
            install(w, &case.rules);
            let range =
                GetOptions::default().with_range(ByteRange::bounded(1000, 250_000).unwrap());
            let got = bucket.get_object("obj", &range).await?;
            let plain = matches!(got.envelope, ObjectEnvelope::Plain);
            let mut bytes = w.plain[..1000].to_vec();
            bytes.extend_from_slice(&got.bytes().await?);
            bytes.extend_from_slice(&w.plain[250_001..]);
            Ok((bytes, plain))
        }
        Op::Download | Op::DownloadMd5 | Op::DownloadPlain => {
            let key = match case.op {
                Op::DownloadMd5 => "md5",
                Op::DownloadPlain => "plain",
                _ => "obj",
            };
            install(w, &case.rules);
            let got = bucket.resumable_download(key, &out, &none).await?;
            Ok((
                read_file(&out),
                matches!(got.envelope, ObjectEnvelope::Plain),
            ))
        }
        Op::Resume | Op::ResumeAfterRotate => {
            cut_download(w).await;
            w.h.server.faults().clear();
            let bucket = if matches!(case.op, Op::ResumeAfterRotate) {
                let new = Keyring::new(fresh_key());
                bucket.rotate_master_key("obj", &new).await.unwrap();
                w.h.bucket_with(new, w.options())
            } else {
                bucket
            };
            install(w, &case.rules);
            let got = bucket.resumable_download("obj", &out, &none).await?;
            Ok((
                read_file(&out),
                matches!(got.envelope, ObjectEnvelope::Plain),
            ))
        }
        Op::Rotate => {
            install(w, &case.rules);
            let new = Keyring::new(fresh_key());
            let rotated = bucket.rotate_master_key("obj", &new).await;
            w.h.server.faults().clear();
            if let Err(e) = rotated {
                // The object must be untouched: still readable with the old key.
                let still = bucket
                    .get_object("obj", &GetOptions::default())
                    .await
                    .unwrap();
                assert_eq!(
                    still.bytes().await.unwrap().to_vec(),
                    w.plain,
                    "rotation damaged the object"
                );
                return Err(e);
            }
            let after = w.h.bucket_with(new, w.options());
            let got = after.get_object("obj", &GetOptions::default()).await?;
            Ok((got.bytes().await?.to_vec(), false))
        }
        Op::CopyReplace => {
            install(w, &case.rules);
            let copied = bucket
                .copy_object("obj", "copy", &CopyOptions::replacing(vec![]))
                .await;
            w.h.server.faults().clear();
            if let Err(e) = copied {
                let exists =
                    w.h.client
                        .head_object("copy", &http::HeaderMap::new())
                        .await
                        .is_ok();
                assert!(!exists, "a failed copy left a destination object");
                return Err(e);
            }
            let got = bucket.get_object("copy", &GetOptions::default()).await?;
            let plain = matches!(got.envelope, ObjectEnvelope::Plain);
            Ok((got.bytes().await?.to_vec(), plain))
        }
        Op::Upload | Op::UploadResume => {
            let src = w.dir.path().join("obj");
            if matches!(case.op, Op::UploadResume) {
                install(
                    w,
                    &[rule(
                        "UploadPart",
                        Trigger::Nth(2),
                        FaultAction::Status {
                            status: 403,
                            code: "AccessDenied".into(),
                        },
                    )],
                );
                assert!(bucket.resumable_upload("up", &src, &none).await.is_err());
                assert_eq!(w.checkpoints(), 1, "the cut left no checkpoint");
            }
            install(w, &case.rules);
            bucket.resumable_upload("up", &src, &none).await?;
            w.h.server.faults().clear();
            let got = bucket.get_object("up", &GetOptions::default()).await?;
            Ok((got.bytes().await?.to_vec(), false))
        }
    }
}

/// Checks one outcome against its case; returns what is wrong, if anything.
fn judge(w: &World, case: &Case, outcome: &Outcome) -> Option<String> {
    let resumable = matches!(
        case.op,
        Op::Resume
            | Op::ResumeAfterRotate
            | Op::Download
            | Op::DownloadMd5
            | Op::DownloadPlain
            | Op::UploadResume
    );
    match (&case.expect, outcome) {
        (Expect::Bytes, Ok((bytes, plain))) => {
            if *bytes != w.plain {
                return Some(format!(
                    "wrong bytes ({} of {})",
                    differing(bytes, &w.plain),
                    w.plain.len()
                ));
            }
            if *plain != matches!(case.op, Op::DownloadPlain) {
                return Some(format!("plain flag {plain}"));
            }
        }
        (Expect::FlaggedPlain, Ok((bytes, plain))) => {
            if !*plain || *bytes != w.stored {
                return Some(format!(
                    "expected the stored bytes flagged plain, got plain={plain}"
                ));
            }
        }
        (Expect::Undetectable, Ok((bytes, _))) => {
            if differing(bytes, &w.plain) != 1 {
                return Some(format!(
                    "expected exactly one wrong byte, got {}",
                    differing(bytes, &w.plain)
                ));
            }
        }
        (Expect::Fails(classes), Err(e)) => {
            if !classes.contains(&class(e)) {
                return Some(format!(
                    "error class {} ({e}), expected one of {classes:?}",
                    class(e)
                ));
            }
            if w.out().exists() {
                return Some("an output file exists after an error".into());
            }
            let leftovers = w.leftovers();
            if !leftovers.is_empty() && w.checkpoints() == 0 {
                return Some(format!(
                    "leftover files without a checkpoint: {leftovers:?}"
                ));
            }
            if matches!(case.op, Op::Resume | Op::UploadResume) && w.checkpoints() == 0 {
                return Some("the checkpoint was lost".into());
            }
        }
        (expect, Ok((bytes, plain))) => {
            return Some(format!(
                "expected {expect:?}, got success (plain={plain}, {} wrong bytes)",
                differing(bytes, &w.plain)
            ));
        }
        (expect, Err(e)) => {
            return Some(format!("expected {expect:?}, got {} error: {e}", class(e)));
        }
    }
    if outcome.is_ok() && resumable && (w.checkpoints() != 0 || !w.leftovers().is_empty()) {
        return Some(format!(
            "success left {} checkpoints and {:?}",
            w.checkpoints(),
            w.leftovers()
        ));
    }
    None
}

fn differing(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_server_corpus() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let w = world().await;
        // A panic inside the library is caught here and counted as a wrong outcome.
        let outcome = {
            let fut = run(&w, case);
            futures::FutureExt::catch_unwind(core::panic::AssertUnwindSafe(fut)).await
        };
        let verdict = match outcome {
            Ok(outcome) => judge(&w, case, &outcome),
            Err(_) => Some("panicked".into()),
        };
        if let Some(what) = verdict {
            eprintln!("WRONG  {}: {what}", case.name);
            wrong.push(case.name.as_str());
        } else {
            eprintln!("ok     {}", case.name);
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong: {wrong:?}",
        wrong.len(),
        cases.len()
    );
}
