//! Test support for the oss-crypto workspace: locating the shared upstream vectors and reading
//! them as typed structs (one per file layout, see [`Vectors::load`]); [`Pairs`] is the one
//! reader of the name/value pairs the files hold.
//!
//! The vectors live outside the repository (they are upstream files and must not be copied in).
//! Their folder is `$OSS_CRYPTO_VECTORS`, or `../shared/vectors` relative to the workspace root.
//! A relative `$OSS_CRYPTO_VECTORS` is also taken relative to the workspace root, so the same
//! value works whatever directory a test binary runs in.
//!
//! When the folder is missing, tests that find it with [`Vectors::locate`] print a visible
//! notice and return early, unless `OSS_CRYPTO_REQUIRE_VECTORS=1` is set (CI sets it), in which
//! case they fail. Tests that cannot run at all without it (their setup reads the shared RSA
//! key, [`RSA_TEST_KEY`]) use [`Vectors::required`] and always fail with a clear message.
//!
//! Use this crate if you write a test in this workspace that needs the upstream vectors. It is
//! not published (`publish = false`) and is only a dev-dependency of the other crates.
//!
//! # Example
//!
//! ```
//! let Some(vectors) = oss_testkit::Vectors::locate() else { return };
//! let plaintext = vectors.bytes("example.jpg");
//! assert_eq!(plaintext.len(), 21839);
//! let object = vectors.object("v2-go-rsa");
//! assert!(object.headers.get("x-oss-meta-client-side-encryption-key").is_some());
//! let expected_len = object.expected.plaintext_file.map(|f| vectors.bytes(&f).len());
//! assert_eq!(expected_len, Some(21839));
//! assert_eq!(oss_testkit::unhex("00fF"), [0x00, 0xff]);
//! ```
//!
//! # ⚠️ Security
//!
//! Test support only. The vectors hold upstream **test** keys (for example the RSA private keys
//! under `keys/`) that are public and must never protect real data. The crate only reads the
//! folder; it never writes to it and never copies vectors into the repository. Its helpers
//! panic on bad input by design (a failing test), so it must not be used in library code.
//!
//! # Crate features
//!
//! This crate has no optional features.

mod peer;
mod vectors;

use std::env;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use peer::bypass_proxies;
pub use vectors::*;

/// Environment variable naming the vectors folder.
pub const VECTORS_ENV: &str = "OSS_CRYPTO_VECTORS";
/// Environment variable that turns a missing vectors folder into a test failure.
pub const REQUIRE_ENV: &str = "OSS_CRYPTO_REQUIRE_VECTORS";
/// The SDKs' shared RSA-1024 test key (PKCS#1 PEM), relative to the vectors folder.
pub const RSA_TEST_KEY: &str = "keys/rsa1024-private-pkcs1.pem";

/// The workspace root (the directory holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Handle on the shared vectors folder.
#[derive(Debug, Clone)]
pub struct Vectors {
    dir: PathBuf,
}

impl Vectors {
    /// Finds the vectors folder.
    ///
    /// Returns `None` (after printing a notice) when the folder is missing and vectors are not
    /// required.
    ///
    /// # Panics
    ///
    /// Panics when the folder is missing and `OSS_CRYPTO_REQUIRE_VECTORS=1` is set: a CI run
    /// must never pass by skipping the vectors.
    pub fn locate() -> Option<Self> {
        let dir = match Self::try_locate() {
            Ok(vectors) => return Some(vectors),
            Err(dir) => dir,
        };
        let required = env::var(REQUIRE_ENV).is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{REQUIRE_ENV}=1 but the vectors folder {} is missing (set {VECTORS_ENV})",
            dir.display()
        );
        eprintln!(
            "NOTICE: shared vectors not found at {}; skipping vector test (set {VECTORS_ENV})",
            dir.display()
        );
        None
    }

    /// Finds the vectors folder for a test that cannot run without it (one whose setup reads
    /// the shared RSA test key, for example).
    ///
    /// # Panics
    ///
    /// Panics when the folder is missing, whether or not `OSS_CRYPTO_REQUIRE_VECTORS` is set.
    pub fn required() -> Self {
        Self::try_locate().unwrap_or_else(|dir| {
            panic!(
                "this test needs the shared vectors, missing at {} (set {VECTORS_ENV})",
                dir.display()
            )
        })
    }

    /// Finds the vectors folder, or says where it was looked for: for tools (`xtask`) that
    /// report a missing folder as an error of their own instead of a test panic.
    ///
    /// # Errors
    ///
    /// The path looked at, when it holds no vectors (no `README.md`).
    pub fn try_locate() -> Result<Self, PathBuf> {
        let configured = env::var_os(VECTORS_ENV).map(PathBuf::from);
        let dir = match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => workspace_root().join(path),
            None => workspace_root().join("../shared/vectors"),
        };
        if dir.join("README.md").is_file() {
            Ok(Self { dir })
        } else {
            Err(dir)
        }
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Full path of a file inside the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reads a file of the folder.
    ///
    /// # Panics
    ///
    /// Panics when the file cannot be read: the folder exists, so a missing file is a test bug.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        let path = self.path(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Reads a UTF-8 file of the folder (a PEM key, or a JSON file handed on as text).
    ///
    /// # Panics
    ///
    /// Panics when the file cannot be read or is not UTF-8.
    pub fn text(&self, name: &str) -> String {
        String::from_utf8(self.bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Reads and parses a JSON file of the folder into its typed view.
    ///
    /// # Panics
    ///
    /// Panics when the file cannot be read or does not have the layout of `T`.
    pub fn load<T: DeserializeOwned>(&self, name: &str) -> T {
        let bytes = self.bytes(name);
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The object vector `<id>.json` (for example `v2-go-rsa`).
    pub fn object(&self, id: &str) -> ObjectVector {
        self.load(&format!("{id}.json"))
    }

    /// `aes256ctr.json`.
    pub fn aes256ctr(&self) -> Aes256CtrVectors {
        self.load("aes256ctr.json")
    }

    /// `crc64.json`.
    pub fn crc64(&self) -> Crc64Vectors {
        self.load("crc64.json")
    }

    /// `kms-envelope.json`.
    pub fn kms_envelope(&self) -> KmsEnvelopeVectors {
        self.load("kms-envelope.json")
    }

    /// `kms-signature.json`.
    pub fn rpc_signature(&self) -> RpcVectors {
        self.load("kms-signature.json")
    }

    /// `multipart-etag.json`.
    pub fn multipart_etag(&self) -> MultipartEtagVectors {
        self.load("multipart-etag.json")
    }

    /// `oss-signature-v1.json`.
    pub fn oss_v1(&self) -> OssV1Vectors {
        self.load("oss-signature-v1.json")
    }

    /// `oss-signature-v4.json`.
    pub fn oss_v4(&self) -> OssV4Vectors {
        self.load("oss-signature-v4.json")
    }
}

/// Decodes lower- or upper-case hex, panicking with the offending text on failure.
///
/// # Panics
///
/// Panics when `text` is not valid hex.
pub fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("bad hex {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vector file reads into its typed view: a layout change upstream fails here, once,
    /// instead of in each crate's tests.
    #[test]
    fn every_vector_file_has_its_layout() {
        let Some(v) = Vectors::locate() else { return };
        for id in OBJECT_VECTORS.iter().chain(&["v2-envelope-header-only"]) {
            let vector = v.object(id);
            assert_eq!(vector.id, *id);
            assert!(!vector.headers.is_empty(), "{id}");
        }
        assert_eq!(v.aes256ctr().known_answers.len(), 3);
        let crc = v.crc64();
        // `value` checks that the decimal and hex spellings agree.
        let checks: Vec<u64> = crc.check_values.iter().map(|c| c.crc64.value()).collect();
        assert_eq!(checks.len(), 4);
        assert_eq!(crc.multipart_fold.parts.len(), 5);
        assert_eq!(v.kms_envelope().cases.len(), 3);
        let rpc = v.rpc_signature();
        let schemes = (rpc.of(RpcScheme::V1).count(), rpc.of(RpcScheme::V3).count());
        assert_eq!(schemes, (4, 2));
        assert!(rpc.cases.iter().all(|c| !c.access_key_id().is_empty()));
        assert_eq!(v.multipart_etag().cases.len(), 3);
        let (v1, v4) = (v.oss_v1(), v.oss_v4());
        assert_eq!((v1.cases.len(), v4.cases.len()), (7, 11));
        // V1 `headers` and V4 `caller_headers` both land in `headers`.
        assert!(v1.case("V1-H1").request.headers.get("x-oss-date").is_some());
        assert!(!v4.case("V4-H1").request.headers.is_empty());
        assert!(!v4.case("V4-H1").request.signer_added_headers.is_empty());
        assert!(v4.case("V4-Q1").request.is_presigned());
    }

    #[test]
    fn pairs_read_objects_in_key_order_and_lists_in_file_order() {
        let object: Pairs = serde_json::from_str(r#"{"b": "2", "a": "1"}"#).unwrap();
        assert_eq!(
            object.pairs(),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        let list: Pairs = serde_json::from_str(r#"[["b", "2"], ["a", "1"], ["b", "3"]]"#).unwrap();
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [("b", "2"), ("a", "1"), ("b", "3")]
        );
        assert_eq!(list.get("b"), Some("2"));
        assert!(serde_json::from_str::<Pairs>(r#"{"a": 1}"#).is_err());
    }
}
