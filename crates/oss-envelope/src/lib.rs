//! No-std AES-256-CTR content cipher and envelope metadata codec for OSS client-side encryption.
