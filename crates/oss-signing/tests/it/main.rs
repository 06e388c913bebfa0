//! Integration tests of oss-signing against the shared signing vectors.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod oss_v1_vectors;
mod oss_v4_vectors;
mod rpc_vectors;
mod vector_case;
