//! Integration tests of oss-range: the strict grammar and a print/parse round trip.
//! One test binary for the crate; one module per area.

mod content_range;
