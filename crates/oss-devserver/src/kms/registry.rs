//! Keys by id and aliases, and `KeyId` resolution: plain id, `alias/<name>`, key ARN
//! `acs:kms:<region>:<account>:key/<id>` and alias ARN (kms-api.md §8.3).

use std::collections::BTreeMap;

use http::StatusCode;

use super::keys::KmsKey;
use super::kms_error::KmsError;

/// Keys by id and aliases (`alias/<name>` → key id).
#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    pub(crate) keys: BTreeMap<String, KmsKey>,
    pub(crate) aliases: BTreeMap<String, String>,
}

/// Where the server runs: ARNs and region-bound keys are checked against it.
#[derive(Debug, Clone)]
pub(crate) struct Scope<'a> {
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
}

/// `alias/<name>` for `name` given with or without the prefix.
pub(crate) fn alias_name(alias: &str) -> String {
    if alias.starts_with("alias/") {
        alias.to_owned()
    } else {
        format!("alias/{alias}")
    }
}

fn alias_not_found(alias: &str) -> KmsError {
    KmsError::new(
        StatusCode::NOT_FOUND,
        "Forbidden.AliasNotFound",
        format!("The specified Alias is not found: {alias}"),
    )
}

impl Registry {
    /// Resolves a `KeyId` parameter to a key visible in `scope`.
    ///
    /// # Errors
    ///
    /// 404 `Forbidden.KeyNotFound` or `Forbidden.AliasNotFound`.
    pub(crate) fn resolve(&self, key_id: &str, scope: &Scope<'_>) -> Result<&KmsKey, KmsError> {
        let (name, arn_account) = match key_id.strip_prefix("acs:kms:") {
            Some(rest) => {
                let mut parts = rest.splitn(3, ':');
                let (region, account, resource) = (parts.next(), parts.next(), parts.next());
                let (Some(region), Some(account), Some(resource)) = (region, account, resource)
                else {
                    return Err(KmsError::key_not_found(key_id));
                };
                if region != scope.region {
                    return Err(KmsError::key_not_found(key_id));
                }
                let name = match resource.strip_prefix("key/") {
                    Some(id) => id,
                    None if resource.starts_with("alias/") => resource,
                    None => return Err(KmsError::key_not_found(key_id)),
                };
                (name, Some(account))
            }
            None => (key_id, None),
        };
        let id = if name.starts_with("alias/") {
            self.aliases
                .get(name)
                .ok_or_else(|| alias_not_found(name))?
                .as_str()
        } else {
            name
        };
        let key = self
            .keys
            .get(id)
            .ok_or_else(|| KmsError::key_not_found(key_id))?;
        let visible = key.region().is_none_or(|r| r == scope.region)
            && arn_account.is_none_or(|a| a == key.account().unwrap_or(scope.account));
        if visible {
            Ok(key)
        } else {
            Err(KmsError::key_not_found(key_id))
        }
    }

    /// The key a blob names, if it exists and is visible in `scope`.
    ///
    /// # Errors
    ///
    /// 404 `Forbidden.KeyNotFound`.
    pub(crate) fn by_id(&self, id: &str, scope: &Scope<'_>) -> Result<&KmsKey, KmsError> {
        self.keys
            .get(id)
            .filter(|k| k.region().is_none_or(|r| r == scope.region))
            .ok_or_else(|| KmsError::key_not_found(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "9f1c2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
    const SCOPE: Scope<'static> = Scope {
        region: "cn-hangzhou",
        account: "1234567890123456",
    };

    fn registry() -> Registry {
        let mut r = Registry::default();
        r.keys.insert(ID.into(), KmsKey::new(ID));
        r.keys.insert(
            "key-sh".into(),
            KmsKey::new("key-sh").with_region("cn-shanghai"),
        );
        r.keys.insert(
            "key-acct".into(),
            KmsKey::new("key-acct").with_account("999"),
        );
        r.aliases.insert(alias_name("oss"), ID.into());
        r
    }

    #[test]
    fn resolves_ids_aliases_and_arns() {
        let r = registry();
        for key_id in [
            ID.to_owned(),
            "alias/oss".to_owned(),
            format!("acs:kms:cn-hangzhou:1234567890123456:key/{ID}"),
            "acs:kms:cn-hangzhou:1234567890123456:alias/oss".to_owned(),
        ] {
            assert_eq!(r.resolve(&key_id, &SCOPE).unwrap().id(), ID, "{key_id}");
        }
        assert_eq!(
            r.resolve("acs:kms:cn-hangzhou:999:key/key-acct", &SCOPE)
                .unwrap()
                .id(),
            "key-acct"
        );
    }

    #[test]
    fn unknown_foreign_region_and_wrong_account_are_not_found() {
        let r = registry();
        let code = |k: &str| r.resolve(k, &SCOPE).unwrap_err().code.into_owned();
        assert_eq!(code("alias/nope"), "Forbidden.AliasNotFound");
        assert_eq!(code("nope"), "Forbidden.KeyNotFound");
        assert_eq!(code("key-sh"), "Forbidden.KeyNotFound");
        assert_eq!(
            code(&format!("acs:kms:cn-beijing:1234567890123456:key/{ID}")),
            "Forbidden.KeyNotFound"
        );
        assert_eq!(
            code(&format!("acs:kms:cn-hangzhou:1111:key/{ID}")),
            "Forbidden.KeyNotFound"
        );
        assert_eq!(
            code("acs:kms:cn-hangzhou:1234567890123456:secret/x"),
            "Forbidden.KeyNotFound"
        );
        assert_eq!(
            r.by_id("key-sh", &SCOPE).unwrap_err().code,
            "Forbidden.KeyNotFound"
        );
    }
}
