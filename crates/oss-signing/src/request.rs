//! The OSS request both signature versions sign.

use crate::pairs::{TextPair, collect};

/// What an OSS signature (V1 or V4) covers. Bucket, key and query values are **decoded**.
///
/// Built with [`Request::new`] and setters that accept headers and query parameters in any
/// [`TextPair`] shape:
///
/// ```
/// let headers = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
/// let request = oss_signing::Request::new("PUT")
///     .bucket("bucket")
///     .key("dir/a b.txt")
///     .query([("acl", "")])
///     .headers(&headers);
/// # let _ = request;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) bucket: Option<&'a str>,
    pub(crate) key: Option<&'a str>,
    pub(crate) query: Vec<(&'a str, &'a str)>,
    pub(crate) headers: Vec<(&'a str, &'a str)>,
    pub(crate) additional_headers: Vec<&'a str>,
}

impl<'a> Request<'a> {
    /// A request with `method` (upper case) on the service: no bucket, key, query or headers.
    #[must_use]
    pub fn new(method: &'a str) -> Self {
        Self {
            method,
            ..Self::default()
        }
    }

    /// Replaces the method.
    #[must_use]
    pub fn method(mut self, method: &'a str) -> Self {
        self.method = method;
        self
    }

    /// The bucket (`None`: a service-level request).
    #[must_use]
    pub fn bucket(mut self, bucket: impl Into<Option<&'a str>>) -> Self {
        self.bucket = bucket.into();
        self
    }

    /// The decoded object key (`None`: a bucket-level request).
    #[must_use]
    pub fn key(mut self, key: impl Into<Option<&'a str>>) -> Self {
        self.key = key.into();
        self
    }

    /// Replaces the decoded query pairs; `""` is a bare parameter. For a presigned V4 URL
    /// being verified: every parameter except `x-oss-signature`.
    #[must_use]
    pub fn query<P: TextPair<'a>>(mut self, query: impl IntoIterator<Item = P>) -> Self {
        self.query = collect(query);
        self
    }

    /// Replaces the request headers (names in any case).
    #[must_use]
    pub fn headers<P: TextPair<'a>>(mut self, headers: impl IntoIterator<Item = P>) -> Self {
        self.headers = collect(headers);
        self
    }

    /// Replaces the additional headers V4 is asked to sign (names in any case; see
    /// [`crate::oss_v4::additional_headers`]). V1 signs a fixed set and ignores them.
    #[must_use]
    pub fn additional_headers<S>(mut self, names: impl IntoIterator<Item = &'a S>) -> Self
    where
        S: AsRef<str> + ?Sized + 'a,
    {
        self.additional_headers = names.into_iter().map(AsRef::as_ref).collect();
        self
    }

    /// Adds `extra` headers after the ones already set: what a signer added, on the server
    /// side. They may be borrowed for less long than the request's own.
    #[must_use]
    pub fn extend_headers<'b, P: TextPair<'b>>(
        self,
        extra: impl IntoIterator<Item = P>,
    ) -> Request<'b>
    where
        'a: 'b,
    {
        let mut full: Request<'b> = self;
        full.headers.extend(collect(extra));
        full
    }

    /// Adds `extra` query parameters after the ones already set (see
    /// [`extend_headers`](Self::extend_headers)).
    #[must_use]
    pub fn extend_query<'b, P: TextPair<'b>>(
        self,
        extra: impl IntoIterator<Item = P>,
    ) -> Request<'b>
    where
        'a: 'b,
    {
        let mut full: Request<'b> = self;
        full.query.extend(collect(extra));
        full
    }
}
