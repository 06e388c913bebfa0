//! Integration tests of oss-envelope against the shared vectors and properties.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod cipher_props;
mod cipher_vectors;
mod codec_props;
mod envelope_codec;
mod envelope_vectors;
mod errors;
mod header_slots;
mod material;
mod multipart;
mod range;
