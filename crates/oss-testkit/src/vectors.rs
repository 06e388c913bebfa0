//! Typed views of the shared vector files, one struct per file layout.
//!
//! Only the fields the tests read are modelled; unknown fields (comments, provenance) are
//! ignored. A field that some vectors of a layout lack is an `Option` or defaults to empty.

mod object;
mod primitives;
mod signature;

use std::collections::BTreeMap;

use serde::Deserialize;

pub use object::{
    OBJECT_VECTORS, ObjectExpected, ObjectVector, RepeatedPlaintext, SeekCheck, TestOnly,
    V2NegativeCase,
};
pub use primitives::{
    Aes256CtrVectors, CounterCase, Crc64Check, Crc64Combine, Crc64File, Crc64MultipartFold,
    Crc64Part, Crc64Value, Crc64Vectors, JavaCounterCase, KmsEnvelopeCase, KmsEnvelopeVectors,
    KmsFlavourExpected, KnownAnswer, MultipartEtagCase, MultipartEtagVectors,
};
pub use signature::{
    AccessKeyPair, OssRequestCase, OssSignatureVectors, OssV1Case, OssV1Expected, OssV1Vectors,
    OssV4Case, OssV4Expected, OssV4Vectors, RpcCase, RpcExpected, RpcScheme, RpcVectors,
    SignatureForm,
};

/// Name/value pairs, in file order: the vectors write them as a JSON object of strings
/// (headers; JSON objects are read in key order) or as an array of `[name, value]` (queries,
/// where order and repeats matter).
///
/// `&Pairs` iterates as `&(String, String)`, so it can be passed wherever the signing code
/// takes pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "PairsRepr")]
pub struct Pairs(Vec<(String, String)>);

#[derive(Deserialize)]
#[serde(untagged)]
enum PairsRepr {
    List(Vec<(String, String)>),
    Object(BTreeMap<String, String>),
}

impl From<PairsRepr> for Pairs {
    fn from(repr: PairsRepr) -> Self {
        match repr {
            PairsRepr::List(list) => Self(list),
            PairsRepr::Object(map) => Self(map.into_iter().collect()),
        }
    }
}

impl Pairs {
    /// The pairs as owned `(name, value)` strings.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.0.clone()
    }

    /// The pairs as borrowed `(name, value)` strings.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of the first pair named `name` (exact case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The pairs as a slice.
    pub fn as_slice(&self) -> &[(String, String)] {
        &self.0
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Pairs {
    type Item = &'a (String, String);
    type IntoIter = core::slice::Iter<'a, (String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
