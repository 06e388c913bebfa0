//! Integration tests of oss-client against the dev server over real HTTP.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod auth_errors;
mod clock_and_credentials;
mod common;
mod credential_chain;
mod env_credentials;
mod faults;
mod large;
mod multipart;
mod objects;
mod proxy_env;
mod service;
