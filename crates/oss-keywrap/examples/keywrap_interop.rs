//! Wraps and unwraps content material from the command line, for interoperability checks with
//! the Python SDKs (driven by `cargo xtask interop`). Prints one JSON object on stdout.
//!
//! ```text
//! keywrap_interop rsa-wrap   --public-pem FILE [--key-hex HEX --iv-hex HEX]
//! keywrap_interop rsa-unwrap --private-pem FILE [--passphrase P] --key B64 --start B64
//!                            [--wrap-alg NAME | --v1]
//! keywrap_interop kms-wrap   KMS-ARGS --key-id CMK [--passphrase P] [--flavour oss2|go-java]
//!                            [--key-hex HEX --iv-hex HEX]
//! keywrap_interop kms-unwrap KMS-ARGS [--passphrase P] --key HEADER --start HEADER [--v1]
//!
//! KMS-ARGS: --endpoint URL --access-key-id ID --access-key-secret SECRET
//!           [--security-token TOKEN] [--region REGION]
//! ```
//!
//! Wrapping prints `{"wrap_alg", "key", "start", "key_hex", "iv_hex"}` where `key` and `start`
//! are the header values; without `--key-hex`/`--iv-hex` fresh material is generated (for KMS
//! oss2 flavour through GenerateDataKey). Unwrapping prints `{"key_hex", "iv_hex"}`; for V1
//! objects `iv_hex` is the initial counter block. The hex output is secret material: this tool
//! is for tests only.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

use oss_envelope::{
    ContentMaterial, DataKey, Iv, KmsFlavour, LegacyEnvelope, WrapAlg, WrappedValue, header,
};
use oss_keywrap::kms::{Credentials, KmsClient, KmsEndpoint, KmsMasterKey};
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey, RsaPublicKey};
use oss_keywrap::{DynMasterKey, WrappedMaterial};
use serde_json::json;

type AnyError = Box<dyn core::error::Error>;

/// `--name value` pairs; `--v1` is a flag.
struct Args(HashMap<String, String>);

impl Args {
    fn parse(raw: &[String]) -> Result<Self, AnyError> {
        let mut map = HashMap::new();
        let mut iter = raw.iter();
        while let Some(name) = iter.next() {
            let name = name
                .strip_prefix("--")
                .ok_or(format!("unexpected argument {name}"))?;
            let value = if name == "v1" {
                String::new()
            } else {
                iter.next()
                    .ok_or(format!("--{name} needs a value"))?
                    .clone()
            };
            map.insert(name.to_owned(), value);
        }
        Ok(Self(map))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn need(&self, name: &str) -> Result<&str, AnyError> {
        Ok(self.get(name).ok_or(format!("missing --{name}"))?)
    }
}

fn material(args: &Args) -> Result<Option<ContentMaterial>, AnyError> {
    let (Some(key), Some(iv)) = (args.get("key-hex"), args.get("iv-hex")) else {
        return Ok(None);
    };
    let key = DataKey::try_from_slice(&hex::decode(key)?)?;
    let iv = Iv::try_from_slice(&hex::decode(iv)?)?;
    Ok(Some(ContentMaterial::new(key, iv)))
}

fn wrapped(args: &Args) -> Result<WrappedMaterial, AnyError> {
    let (key, start) = (args.need("key")?, args.need("start")?);
    if args.get("v1").is_some() {
        let kms = args.get("endpoint").is_some();
        let headers = [
            (header::V1_KEY, key),
            (header::V1_START, start),
            (header::V1_CEK_ALG, "AES/CTR/NoPadding"),
            (header::V1_WRAP_ALG, if kms { "kms" } else { "rsa" }),
        ];
        return Ok(WrappedMaterial::from_legacy(&LegacyEnvelope::from_headers(
            headers,
        )?));
    }
    let default = if args.get("endpoint").is_some() {
        "KMS/ALICLOUD"
    } else {
        "RSA/NONE/PKCS1Padding"
    };
    let name = args.get("wrap-alg").unwrap_or(default);
    let alg = WrapAlg::from_v2(name).ok_or(format!("unknown wrap algorithm {name}"))?;
    Ok(WrappedMaterial::v2(
        alg,
        WrappedValue::from_header(header::KEY, key)?,
        WrappedValue::from_header(header::START, start)?,
    ))
}

fn rsa_key(args: &Args, wrap: bool) -> Result<DynMasterKey, AnyError> {
    if wrap {
        let pem = std::fs::read_to_string(args.need("public-pem")?)?;
        return Ok(Arc::new(RsaMasterKey::encrypt_only(
            RsaPublicKey::from_pem(&pem)?,
        )));
    }
    let pem = std::fs::read_to_string(args.need("private-pem")?)?;
    let passphrase = args.get("passphrase").unwrap_or_default();
    let private = RsaPrivateKey::from_pem_with_passphrase(&pem, passphrase.as_bytes())?;
    Ok(Arc::new(RsaMasterKey::decrypt_only(private)))
}

fn kms_key(args: &Args, wrap: bool) -> Result<DynMasterKey, AnyError> {
    let mut credentials =
        Credentials::new(args.need("access-key-id")?, args.need("access-key-secret")?);
    if let Some(token) = args.get("security-token") {
        credentials = credentials.with_security_token(token);
    }
    let mut builder = KmsClient::builder(credentials)
        .with_endpoint(KmsEndpoint::Custom(args.need("endpoint")?.to_owned()));
    if let Some(region) = args.get("region") {
        builder = builder.with_region(region);
    }
    let key_id = if wrap {
        args.need("key-id")?
    } else {
        args.get("key-id").unwrap_or_default()
    };
    let mut key = KmsMasterKey::new(Arc::new(builder.build()?), key_id);
    if args.get("flavour") == Some("go-java") {
        key = key.with_write_flavour(KmsFlavour::GoJava)?;
    }
    if let Some(passphrase) = args.get("passphrase") {
        key = key.with_passphrase(passphrase)?;
    }
    Ok(Arc::new(key))
}

async fn run(raw: &[String]) -> Result<serde_json::Value, AnyError> {
    let (command, rest) = raw.split_first().ok_or("missing command")?;
    let args = Args::parse(rest)?;
    let (key, wrap) = match command.as_str() {
        "rsa-wrap" => (rsa_key(&args, true)?, true),
        "rsa-unwrap" => (rsa_key(&args, false)?, false),
        "kms-wrap" => (kms_key(&args, true)?, true),
        "kms-unwrap" => (kms_key(&args, false)?, false),
        other => return Err(format!("unknown command {other}").into()),
    };
    if !wrap {
        let material = key.unwrap(&wrapped(&args)?).await?;
        return Ok(json!({
            "key_hex": hex::encode(material.data_key().as_bytes()),
            "iv_hex": hex::encode(material.iv().as_bytes()),
        }));
    }
    let (material, wrapped) = match material(&args)? {
        Some(material) => {
            let wrapped = key.wrap(&material).await?;
            (material, wrapped)
        }
        None => key.generate().await?,
    };
    Ok(json!({
        "wrap_alg": wrapped.wrap_alg().as_str(),
        "key": wrapped.key().as_text(),
        "start": wrapped.start().as_text(),
        "key_hex": hex::encode(material.data_key().as_bytes()),
        "iv_hex": hex::encode(material.iv().as_bytes()),
    }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match run(&raw).await {
        Ok(value) => {
            println!("{value}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("keywrap_interop: {e}");
            ExitCode::FAILURE
        }
    }
}
