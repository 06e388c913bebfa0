//! Request signatures for Alibaba Cloud: OSS V1 and V4, and the RPC signature used by KMS.
