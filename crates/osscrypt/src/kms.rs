//! KMS master keys from the resolved configuration (endpoint or region, credentials).

use std::sync::Arc;

use oss_envelope::Matdesc;
use oss_keywrap::DynMasterKey;
use oss_keywrap::kms::{CredentialsProvider, KmsClient, KmsEndpoint, KmsMasterKey};

use crate::config::Settings;
use crate::error::{CliError, CliResult, Kind};

/// What a KMS client needs: where KMS is and who signs.
#[derive(Clone, Debug)]
pub(crate) struct KmsSettings {
    /// Custom endpoint (the embedded devserver's, or `--kms-endpoint`).
    pub(crate) endpoint: Option<String>,
    /// Region id (selects the public endpoint when no endpoint is given).
    pub(crate) region: Option<String>,
    /// Who signs (the connection's provider: one chain and one refresh for OSS and KMS).
    pub(crate) credentials: Option<Arc<dyn CredentialsProvider>>,
    /// Connect timeout, and the read timeout as the whole-request timeout (KMS answers are
    /// small).
    pub(crate) timeouts: crate::net::Timeouts,
}

impl KmsSettings {
    /// The KMS part of the resolved settings, signing with `credentials`.
    pub(crate) fn from_settings(
        settings: &Settings,
        credentials: Arc<dyn CredentialsProvider>,
    ) -> Self {
        Self {
            endpoint: settings.kms_endpoint.clone(),
            region: settings.region.clone(),
            credentials: Some(credentials),
            timeouts: crate::net::Timeouts::default(),
        }
    }
}

impl KmsSettings {
    /// The KMS host requests go to, for messages.
    pub(crate) fn host(&self) -> String {
        match (&self.endpoint, &self.region) {
            (Some(endpoint), _) => crate::net::host_of(endpoint).to_owned(),
            (None, Some(region)) => format!("kms.{region}.aliyuncs.com"),
            (None, None) => "KMS".to_owned(),
        }
    }
}

/// A KMS master key for `key_id` with `matdesc`.
///
/// # Errors
///
/// Usage errors when no credentials or no endpoint/region are configured, or the context
/// has an `x-passphrase` entry. `context` (the passphrase as oss2's `x-passphrase`, and the
/// other entries) becomes the EncryptionContext of every KMS call.
pub(crate) fn master_key(
    key_id: &str,
    matdesc: Matdesc,
    context: &crate::keys::KmsContext<'_>,
    settings: Option<&KmsSettings>,
) -> CliResult<DynMasterKey> {
    let settings = settings.ok_or_else(|| {
        CliError::usage(
            "KMS master keys need a connection: this command works offline with RSA keys",
        )
    })?;
    let credentials = settings
        .credentials
        .clone()
        .ok_or_else(|| CliError::new(Kind::Access, "KMS master keys need credentials"))?;
    let mut builder = KmsClient::builder_with_provider(credentials)
        .with_connect_timeout(settings.timeouts.connect)
        .with_timeout(settings.timeouts.read);
    if let Some(region) = &settings.region {
        builder = builder.with_region(region.clone());
    }
    if let Some(endpoint) = &settings.endpoint {
        builder = builder.with_endpoint(KmsEndpoint::Custom(endpoint.clone()));
    }
    let client = builder
        .build()
        .map_err(|e| CliError::usage(format!("KMS: {e} (set --region or --kms-endpoint)")))?;
    let mut key = KmsMasterKey::new(Arc::new(client), key_id).with_matdesc(matdesc);
    if let Some(passphrase) = context.passphrase {
        key = key.with_passphrase(passphrase.expose())?;
    }
    if !context.entries.is_empty() {
        key = key.with_encryption_context(context.entries.clone())?;
    }
    Ok(Arc::new(key))
}
