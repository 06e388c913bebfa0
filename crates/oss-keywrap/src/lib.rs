//! Master keys for OSS client-side encryption: RSA and Alibaba Cloud KMS providers behind traits.
