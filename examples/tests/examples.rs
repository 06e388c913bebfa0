//! Runs every example (each starts its own in-process devserver); an example that finds a
//! wrong result returns an error, which fails its test.

macro_rules! example {
    ($name:ident, $path:literal) => {
        #[allow(dead_code)]
        #[path = $path]
        mod $name;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            if let Err(e) = $name::run().await {
                panic!("example {} failed: {e}", stringify!($name));
            }
        }
    };
}

example!(offline_envelope, "../examples/offline_envelope.rs");
example!(rsa_put_get, "../examples/rsa_put_get.rs");
example!(kms_put_get, "../examples/kms_put_get.rs");
example!(matdesc_keys, "../examples/matdesc_keys.rs");
example!(multipart_context, "../examples/multipart_context.rs");
example!(resumable_upload, "../examples/resumable_upload.rs");
example!(resumable_download, "../examples/resumable_download.rs");
