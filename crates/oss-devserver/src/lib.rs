//! A local server that speaks the OSS REST subset and the KMS RPC API, for tests and demos.
