//! The HTTP layer shared by `oss-client` and `oss-keywrap`'s KMS client.
//!
//! One home for what both clients need beneath their protocols:
//!
//! * [`HttpSettings`]: connect, read-idle and total timeouts, and the construction of a
//!   [`reqwest::Client`] (no redirects, no proxy for this machine's loopback);
//! * [`RetryConfig`] (total attempts, one meaning everywhere) with full-jitter
//!   [`BackoffConfig`] (injectable RNG), and [`RetryConfig::run`], the one retry loop;
//! * [`is_retryable`]: which [`reqwest::Error`]s a retry may cure; [`describe_cause`] /
//!   [`transport_cause`]: the one classification of why a request got no answer (refused,
//!   timed out, DNS, TLS), used by the clients' errors and the retry warnings;
//! * [`read_capped`] / [`read_truncated`]: response bodies read with a size cap;
//! * [`is_loopback_host`] / [`is_loopback_url`], [`host_of`] (an endpoint's host, for messages).
//!
//! It knows nothing about OSS, KMS or signatures; the clients map [`BodyError`] and
//! [`reqwest::Error`] into their own error types.

mod backoff;
mod body;
mod failure;
mod host;
mod retry;
mod settings;

pub use backoff::BackoffConfig;
pub use body::{BodyError, read_capped, read_truncated};
pub use failure::{describe_cause, is_retryable, transport_cause};
pub use host::{host_of, is_loopback_host, is_loopback_url};
pub use retry::RetryConfig;
pub use settings::HttpSettings;
