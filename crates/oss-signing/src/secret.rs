//! Credential types: the access-key secret and security token are zeroized on drop and never
//! printed by `Debug`.

use core::fmt;

use zeroize::Zeroizing;

/// An AccessKey secret. Zeroized on drop; `Debug` prints `AccessKeySecret(******)`.
#[derive(Clone)]
pub struct AccessKeySecret(Zeroizing<String>);

impl AccessKeySecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Zeroizing::new(secret.into()))
    }

    /// The secret text. Only signing code should call this.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKeySecret(******)")
    }
}

/// An STS security token. Zeroized on drop; `Debug` prints `SecurityToken(******)`.
#[derive(Clone)]
pub struct SecurityToken(Zeroizing<String>);

impl SecurityToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Zeroizing::new(token.into()))
    }

    /// The token text (it is sent on the wire, but must not be logged).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecurityToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecurityToken(******)")
    }
}

/// AccessKey id, secret and optional STS token: everything a signer needs.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: AccessKeySecret,
    security_token: Option<SecurityToken>,
}

impl Credentials {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: AccessKeySecret::new(access_key_secret),
            security_token: None,
        }
    }

    /// Adds (or replaces) an STS security token.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(SecurityToken::new(token));
        self
    }

    /// The AccessKey id (public).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &AccessKeySecret {
        &self.access_key_secret
    }

    /// The STS token, if any.
    pub fn security_token(&self) -> Option<&SecurityToken> {
        self.security_token.as_ref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_or_token() {
        let creds = Credentials::new("LTAIid", "super-secret-value").with_security_token("tok-123");
        let text = format!("{creds:?} {:?}", creds.access_key_secret());
        assert!(text.contains("LTAIid"));
        assert!(!text.contains("super-secret-value"));
        assert!(!text.contains("tok-123"));
        assert_eq!(
            creds.access_key_secret().expose_secret(),
            "super-secret-value"
        );
    }
}
