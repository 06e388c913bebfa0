//! Encrypted multipart uploads (spec §5): a serializable [`MultipartContext`] holding only
//! wrapped material, parts encrypted at their own counter with exact lengths enforced, the
//! data key unwrapped once per upload, and contexts rebuilt from ListParts.

use http::HeaderMap;
use oss_client::{CompletedPart, ListPartsOptions};
use oss_envelope::{ContentMaterial, Envelope, MultipartPlan, header};

use crate::bucket::{CryptoBucket, insert_header};
use crate::context::{MultipartContext, WrappedEnvelope};
use crate::error::{Error, InputError, IntegrityError, ResponseError, Result};
use crate::put::{PutOptions, PutSource, encrypted_payload, request_headers, source_len};

/// A part that reached the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadedPart {
    /// Part number (1-based).
    pub number: u32,
    /// ETag as returned by the server.
    pub etag: String,
    /// CRC-64 of the part's ciphertext.
    pub crc64: Option<u64>,
    /// Size in bytes.
    pub size: u64,
}

/// Result of completing an upload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompleteOutput {
    /// ETag of the completed object.
    pub etag: String,
    /// CRC-64 of the whole object (checked against the fold of the part CRCs).
    pub crc64: Option<u64>,
}

/// Envelope headers repeated on every UploadPart: key, start, algorithms, matdesc and sizes.
const PART_HEADERS: [&str; 7] = [
    header::KEY,
    header::START,
    header::CEK_ALG,
    header::WRAP_ALG,
    header::MATDESC,
    header::DATA_SIZE,
    header::PART_SIZE,
];

impl CryptoBucket {
    /// Starts an encrypted multipart upload of `data_size` plaintext bytes in parts of
    /// `part_size` (or the configured part size, enlarged to stay within 10000 parts).
    ///
    /// # Errors
    ///
    /// [`Error::Envelope`] for sizes that break the multipart rules, [`Error::KeyWrap`],
    /// [`Error::InvalidInput`], [`Error::Client`].
    pub async fn initiate_multipart_upload(
        &self,
        key: &str,
        data_size: u64,
        part_size: Option<u64>,
        options: &PutOptions,
    ) -> Result<MultipartContext> {
        let part_size = part_size.unwrap_or_else(|| {
            crate::options::fit_part_size(self.inner.options.part_size, data_size)
        });
        let generated = self.inner.keyring.generate().await?;
        self.initiate_with_material(
            key,
            MultipartPlan::new(data_size, part_size)?,
            generated,
            options,
        )
        .await
    }

    /// Starts a multipart upload laid out by `plan` whose data key was already generated
    /// (and possibly already used, as by a ciphertext spool).
    pub(crate) async fn initiate_with_material(
        &self,
        key: &str,
        plan: MultipartPlan,
        (material, envelope): (ContentMaterial, Envelope),
        options: &PutOptions,
    ) -> Result<MultipartContext> {
        let data_size = plan.data_size();
        let part_size = plan.part_size();
        let mut envelope = envelope
            .with_multipart(&plan)
            .with_unencrypted_content_length(data_size);
        if let Some(md5) = options.content_md5.as_deref() {
            envelope = envelope.with_unencrypted_content_md5(crate::put::parse_md5(md5)?);
        }
        let headers = request_headers(options, &envelope)?;
        let initiated = self
            .inner
            .client
            .initiate_multipart_upload(key, &headers)
            .await?;
        self.remember_upload(&initiated.upload_id, &envelope, material);
        Ok(MultipartContext {
            upload_id: initiated.upload_id,
            key: key.to_owned(),
            data_size,
            part_size,
            envelope: WrappedEnvelope::from_envelope(&envelope),
        })
    }

    /// Encrypts and uploads part `number` of the upload. The part must be exactly the size
    /// the layout gives it; its keystream starts at the part's plaintext offset.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a wrong part length, [`Error::Envelope`] for a part number
    /// outside the layout, [`Error::KeyWrap`], [`Error::Integrity`], [`Error::Client`].
    pub async fn upload_part(
        &self,
        ctx: &MultipartContext,
        number: u32,
        data: PutSource,
    ) -> Result<UploadedPart> {
        let plan = ctx.plan()?;
        let layout = plan.part(number)?;
        let len = source_len(&data.probe()).await?;
        if len != layout.len() {
            return Err(Error::InvalidInput(InputError::PartLength {
                number,
                expected: layout.len(),
                actual: len,
            }));
        }
        let envelope = ctx.envelope()?;
        let material = self.upload_material(&ctx.upload_id, &envelope).await?;
        let headers = part_headers(&envelope)?;
        let (payload, tally) =
            encrypted_payload(data, len, &material, layout.offset(), None, None, None);
        let result = self
            .inner
            .client
            .upload_part(&ctx.key, &ctx.upload_id, number, payload, &headers)
            .await;
        let result = match (
            result,
            tally.and_then(|t| crate::stream::read_tally(&t).failure),
        ) {
            (Err(_), Some(failure)) => return Err(failure.into()),
            (result, _) => result?,
        };
        Ok(UploadedPart {
            number,
            etag: result.etag,
            crc64: result.crc64,
            size: result.size,
        })
    }

    /// Completes the upload. Every part of the layout must be listed once with its exact size;
    /// the object's CRC-64 is checked against the fold of the part CRCs.
    ///
    /// # Errors
    ///
    /// [`Error::Integrity`] when the parts do not add up to the data size or the CRCs differ;
    /// [`Error::Client`].
    pub async fn complete_multipart_upload(
        &self,
        ctx: &MultipartContext,
        parts: &[UploadedPart],
    ) -> Result<CompleteOutput> {
        let plan = ctx.plan()?;
        let mut sorted = parts.to_vec();
        sorted.sort_by_key(|p| p.number);
        check_parts(&plan, &sorted)?;
        let completed: Vec<CompletedPart> = sorted
            .iter()
            .map(|p| {
                let mut part = CompletedPart::new(p.number, p.etag.clone());
                part.crc64 = p.crc64;
                part.size = Some(p.size);
                part
            })
            .collect();
        let result = self
            .inner
            .client
            .complete_multipart_upload(&ctx.key, &ctx.upload_id, &completed, &HeaderMap::new())
            .await?;
        self.forget_upload(&ctx.upload_id);
        Ok(CompleteOutput {
            etag: result.etag,
            crc64: result.crc64,
        })
    }

    /// Aborts the upload.
    ///
    /// # Errors
    ///
    /// [`Error::Client`] (for example an unknown upload).
    pub async fn abort_multipart_upload(&self, ctx: &MultipartContext) -> Result<()> {
        self.forget_upload(&ctx.upload_id);
        Ok(self
            .inner
            .client
            .abort_multipart_upload(&ctx.key, &ctx.upload_id)
            .await?)
    }

    /// The parts uploaded so far, in part order.
    ///
    /// # Errors
    ///
    /// [`Error::Client`].
    pub async fn list_parts(&self, ctx: &MultipartContext) -> Result<Vec<UploadedPart>> {
        Ok(self.list_all_parts(&ctx.key, &ctx.upload_id).await?.1)
    }

    /// Rebuilds the context of an upload from ListParts' `ClientEncryption*` values (the
    /// matdesc is not returned by OSS, so the default master key unwraps it), with the parts
    /// uploaded so far.
    ///
    /// # Errors
    ///
    /// [`Error::Envelope`] when the upload has no or an incomplete envelope, [`Error::Client`].
    pub async fn resume_multipart_upload(
        &self,
        key: &str,
        upload_id: &str,
    ) -> Result<(MultipartContext, Vec<UploadedPart>)> {
        let (encryption, parts) = self.list_all_parts(key, upload_id).await?;
        let missing = |field: &'static str| ResponseError::ListPartsEncryption { field };
        let encryption = encryption.ok_or_else(|| missing("Key"))?;
        let envelope = WrappedEnvelope {
            key: encryption.key.ok_or_else(|| missing("Key"))?,
            start: encryption.start.ok_or_else(|| missing("Start"))?,
            cek_alg: encryption.cek_alg.ok_or_else(|| missing("CekAlg"))?,
            wrap_alg: encryption.wrap_alg.ok_or_else(|| missing("WrapAlg"))?,
            matdesc: None,
        };
        let ctx = MultipartContext {
            upload_id: upload_id.to_owned(),
            key: key.to_owned(),
            data_size: encryption.data_size.ok_or_else(|| missing("DataSize"))?,
            part_size: encryption.part_size.ok_or_else(|| missing("PartSize"))?,
            envelope,
        };
        ctx.envelope()?;
        Ok((ctx, parts))
    }

    async fn list_all_parts(
        &self,
        key: &str,
        upload_id: &str,
    ) -> Result<(Option<oss_client::ClientEncryption>, Vec<UploadedPart>)> {
        let mut parts = Vec::new();
        let mut options = ListPartsOptions::default();
        loop {
            let page = self
                .inner
                .client
                .list_parts(key, upload_id, &options)
                .await?;
            parts.extend(page.parts.iter().map(|p| UploadedPart {
                number: p.part_number,
                etag: p.etag.clone(),
                crc64: p.crc64,
                size: p.size,
            }));
            if !page.is_truncated {
                return Ok((page.client_encryption, parts));
            }
            options.part_number_marker = Some(page.next_part_number_marker);
        }
    }
}

/// The envelope headers repeated on UploadPart.
pub(crate) fn part_headers(envelope: &Envelope) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    for (name, value) in envelope.to_headers() {
        if PART_HEADERS.contains(&name) {
            insert_header(&mut headers, name, &value)?;
        }
    }
    Ok(headers)
}

/// Every part of the layout, once, with its exact size.
fn check_parts(plan: &MultipartPlan, sorted: &[UploadedPart]) -> Result<()> {
    let total: u64 = sorted.iter().map(|p| p.size).sum();
    let numbers_ok = sorted.len() == plan.part_count() as usize
        && sorted
            .iter()
            .zip(plan.parts())
            .all(|(p, l)| p.number == l.number() && p.size == l.len());
    if numbers_ok {
        Ok(())
    } else {
        Err(IntegrityError::Length {
            expected: plan.data_size(),
            actual: total,
        }
        .into())
    }
}
