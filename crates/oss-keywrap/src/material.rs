//! [`WrappedMaterial`]: what a master key produces when wrapping and consumes when unwrapping.

use oss_envelope::{Envelope, LegacyEnvelope, Matdesc, WrapAlg, WrappedValue};

/// The envelope format the wrapped values come from; it decides how they are unwrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeVersion {
    /// The legacy oss2 format (read only): `start` unwraps to a decimal counter value.
    V1,
    /// The current format: `start` unwraps to the 16-byte IV.
    V2,
}

/// A wrapped data key and IV (or V1 start value) with the algorithm that wrapped them.
///
/// Nothing here is secret. Build it from a parsed header set with
/// [`from_envelope`](Self::from_envelope) or [`from_legacy`](Self::from_legacy); master keys
/// return V2 values from wrapping, which [`into_envelope`](Self::into_envelope) turns into
/// headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedMaterial {
    version: EnvelopeVersion,
    wrap_alg: WrapAlg,
    key: WrappedValue,
    start: WrappedValue,
}

impl WrappedMaterial {
    /// V2 wrapped values.
    #[must_use]
    pub const fn v2(wrap_alg: WrapAlg, key: WrappedValue, start: WrappedValue) -> Self {
        Self {
            version: EnvelopeVersion::V2,
            wrap_alg,
            key,
            start,
        }
    }

    /// The wrapped values of a parsed V2 envelope.
    #[must_use]
    pub fn from_envelope(envelope: &Envelope) -> Self {
        Self::v2(
            envelope.wrap_alg(),
            envelope.key().clone(),
            envelope.start().clone(),
        )
    }

    /// The wrapped values of a parsed V1 (legacy) envelope.
    #[must_use]
    pub fn from_legacy(envelope: &LegacyEnvelope) -> Self {
        Self {
            version: EnvelopeVersion::V1,
            wrap_alg: envelope.wrap_alg(),
            key: envelope.key().clone(),
            start: envelope.start().clone(),
        }
    }

    /// A V2 envelope carrying these values and `matdesc` (add sizes with its `with_*`
    /// methods). V1 values are carried over as they are; only V2 is ever written.
    #[must_use]
    pub fn into_envelope(self, matdesc: Matdesc) -> Envelope {
        Envelope::new(self.key, self.start, self.wrap_alg).with_matdesc(matdesc)
    }

    /// The envelope format.
    #[must_use]
    pub const fn version(&self) -> EnvelopeVersion {
        self.version
    }

    /// The wrap algorithm.
    #[must_use]
    pub const fn wrap_alg(&self) -> WrapAlg {
        self.wrap_alg
    }

    /// The wrapped data key (`key` header).
    #[must_use]
    pub const fn key(&self) -> &WrappedValue {
        &self.key
    }

    /// The wrapped IV or V1 start value (`start` header).
    #[must_use]
    pub const fn start(&self) -> &WrappedValue {
        &self.start
    }
}
