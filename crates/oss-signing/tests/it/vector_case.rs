//! The signing inputs of an OSS vector case, shared by the V1 and V4 tests.

use oss_signing::{Credentials, Request};
use oss_testkit::{AccessKeyPair, OssRequestCase};

/// The request a case signs: method, bucket, key, query and the caller's headers.
pub(crate) fn request(case: &OssRequestCase) -> Request<'_> {
    Request::new(&case.method)
        .bucket(case.bucket.as_deref())
        .key(case.key.as_deref())
        .query(&case.query)
        .headers(&case.headers)
}

/// The file's key pair, with the case's STS token if it has one.
pub(crate) fn credentials(pair: &AccessKeyPair, case: &OssRequestCase) -> Credentials {
    let creds = Credentials::new(&pair.access_key_id, &pair.access_key_secret);
    match &case.security_token {
        Some(token) => creds.with_security_token(token),
        None => creds,
    }
}
