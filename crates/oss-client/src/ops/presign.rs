//! Presigned URLs (V4 query form or V1 `Expires`/`Signature`).

use core::fmt;
use core::time::Duration;

use http::{HeaderMap, Method};
use oss_signing::Validity;

use crate::client::Client;
use crate::client::endpoint::validate_key;
use crate::error::{Error, Result};

/// Longest validity OSS accepts for a V4 presigned URL: 7 days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

/// A presigned URL. It is a bearer credential: `Debug` never prints it.
#[derive(Clone)]
pub struct PresignedUrl {
    method: Method,
    url: String,
    headers: HeaderMap,
    expires_at: u64,
}

impl PresignedUrl {
    /// The URL (treat it like a password).
    pub fn expose_url(&self) -> &str {
        &self.url
    }

    /// The method it is valid for.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Headers that were signed and must be sent with it.
    pub fn signed_headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Expiry, Unix seconds.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedUrl")
            .field("method", &self.method)
            .field("url", &"REDACTED")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Client {
    /// Presigns `method` on `key` for `expires_in`. `headers` the request will carry
    /// (`Content-Type`, `x-oss-*`) are signed; `query` adds parameters (e.g.
    /// `response-content-type`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a bad key or an expiry of zero or over 7 days;
    /// [`Error::Credentials`] when credentials are unavailable.
    pub async fn presign(
        &self,
        method: Method,
        key: &str,
        expires_in: Duration,
        headers: &HeaderMap,
        query: &[(String, String)],
    ) -> Result<PresignedUrl> {
        validate_key(key)?;
        if expires_in.is_zero() || expires_in > MAX_PRESIGN_EXPIRY {
            return Err(Error::InvalidArgument(
                "presign expiry must be within 1 s and 7 days".into(),
            ));
        }
        let creds = self.inner.credentials.credentials().await?;
        let validity = Validity::new(self.now(), expires_in.as_secs().max(1));
        let mut all = query.to_vec();
        all.extend(self.inner.signer.presign(
            &creds,
            method.as_str(),
            key,
            query,
            headers,
            validity,
        ));
        let url = self.inner.endpoint.url(Some(key), &all);
        Ok(PresignedUrl {
            method,
            url,
            headers: headers.clone(),
            expires_at: validity.expires_at(),
        })
    }
}
