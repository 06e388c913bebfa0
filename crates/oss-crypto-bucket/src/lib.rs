//! Client-side encrypted OSS objects: the CryptoBucket that apps use.
