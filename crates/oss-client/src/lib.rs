//! An async Alibaba Cloud OSS client over reqwest and tokio, with V4/V1 signing, CRC-64 checks and retries.
