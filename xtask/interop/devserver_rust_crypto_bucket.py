#!/usr/bin/env python3
"""Our Rust CryptoBucket (the `bucket_interop` example binary of oss-crypto-bucket) against
the official Python SDKs on the oss-devserver: objects written by one side are read by the
other (oss2 ``CryptoBucket``, pyv2 ``EncryptionClient``), for single PUTs, ranges, multipart
uploads, resumable transfers, both KMS flavours, and the shared vector objects.

Environment: OSS_ENDPOINT, OSS_KMS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,
OSS_REGION, OSS_BUCKET (a prefix for the bucket this script creates), OSS_CRYPTO_VECTORS,
OSS_KMS_KEY_ID (default ``alias/oss-devserver``) and OSS_BUCKET_INTEROP_BIN (the built example
binary). Prints one PASS/FAIL line per step and a closing ``<name>: N passed, N failed`` line;
exits 1 when a step failed. Set INTEROP_TRACE=1 for tracebacks.
"""

import json
import os
import subprocess
import sys
import tempfile
import types

import alibabacloud_oss_v2 as oss
import oss2

from interop_common import (bucket_name, describe_oss2, eq, kms_key_id, region, rsa_test_keys, run,
                            step)

ENVELOPE = "x-oss-meta-client-side-encryption-"
PART = 100 * 1024


def rust(ctx, command, key, path, *extra):
    """Runs the Rust CryptoBucket driver; a non-zero exit fails the step with its stderr."""
    args = [ctx.binary, command, "--endpoint", ctx.endpoint, "--region", ctx.region,
            "--bucket", ctx.bucket_name, "--key", key, "--file", path, *extra]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise AssertionError(f"bucket_interop {command} {key} exited {done.returncode}: "
                             f"{done.stderr.strip()}")
    return done.stdout


def rsa_args(ctx):
    return ["--private-key", ctx.private_path, "--public-key", ctx.public_path]


def kms_args(ctx, flavour="oss2"):
    return ["--kms-endpoint", ctx.kms_endpoint, "--kms-key-id", ctx.kms_key_id,
            "--kms-region", ctx.region, "--kms-flavour", flavour]


def write_temp(ctx, data):
    path = os.path.join(ctx.tmp, f"in-{len(os.listdir(ctx.tmp))}.bin")
    with open(path, "wb") as f:
        f.write(data)
    return path


def rust_read(ctx, command, key, *extra):
    path = os.path.join(ctx.tmp, f"out-{len(os.listdir(ctx.tmp))}.bin")
    rust(ctx, command, key, path, *extra)
    with open(path, "rb") as f:
        return f.read()


@step
def create_bucket(ctx):
    ctx.plain.create_bucket()
    eq([o.key for o in ctx.plain.list_objects_v2().object_list], [], "objects in the new bucket")


@step
def rust_put_read_by_oss2_and_pyv2(ctx):
    rust(ctx, "put", "rust/put", write_temp(ctx, ctx.data), *rsa_args(ctx))
    eq(ctx.crypto.get_object("rust/put").read(), ctx.data, "oss2 CryptoBucket read")
    eq(ctx.crypto.get_object("rust/put", byte_range=(33, 9000)).read(), ctx.data[33:9001],
       "oss2 ranged read")
    got = ctx.eclient.get_object(oss.GetObjectRequest(bucket=ctx.bucket_name, key="rust/put"))
    eq(got.body.read(), ctx.data, "pyv2 EncryptionClient read")
    head = ctx.plain.head_object("rust/put")
    eq(head.headers.get(ENVELOPE + "wrap-alg"), "RSA/NONE/PKCS1Padding", "wrap-alg")


@step
def oss2_put_read_by_rust(ctx):
    ctx.crypto.put_object("oss2/put", ctx.data)
    eq(rust_read(ctx, "get", "oss2/put", *rsa_args(ctx)), ctx.data, "Rust read")
    n = len(ctx.data)
    for spec, expected in [("0-0", ctx.data[:1]), ("17-5000", ctx.data[17:5001]),
                           (f"{n - 20}-", ctx.data[-20:]), ("-33", ctx.data[-33:])]:
        got = rust_read(ctx, "get-range", "oss2/put", f"--range={spec}", *rsa_args(ctx))
        eq(got, expected, f"Rust ranged read {spec}")


@step
def pyv2_put_with_matdesc_read_by_rust_keyring(ctx):
    ctx.eclient.put_object(oss.PutObjectRequest(bucket=ctx.bucket_name, key="pyv2/put",
                                                body=ctx.data))
    # The default key has no matdesc; the object's {"tag": "interop"} selects the read key.
    got = rust_read(ctx, "get", "pyv2/put", "--private-key", ctx.private_path,
                    "--read-key", f'{ctx.private_path}:{json.dumps({"tag": "interop"})}')
    eq(got, ctx.data, "Rust read through the keyring")


@step
def wrong_rsa_key_is_refused_by_rust(ctx):
    from Crypto.PublicKey import RSA
    path = write_temp(ctx, RSA.generate(1024).export_key())
    try:
        rust_read(ctx, "get", "oss2/put", "--private-key", path)
    except AssertionError as err:
        if "exited" not in str(err):
            raise
    else:
        raise AssertionError("an object was read with an unrelated RSA key")


@step
def rust_multipart_read_by_oss2(ctx):
    data = os.urandom(2 * PART + 1234)
    rust(ctx, "multipart-put", "rust/multipart", write_temp(ctx, data), "--part-size", str(PART),
         *rsa_args(ctx))
    eq(ctx.crypto.get_object("rust/multipart").read(), data, "oss2 read")
    raw = ctx.plain.head_object("rust/multipart")
    eq(raw.headers.get(ENVELOPE + "data-size"), str(len(data)), "data-size header")
    eq(raw.headers.get(ENVELOPE + "part-size"), str(PART), "part-size header")


@step
def oss2_multipart_read_by_rust(ctx):
    data = os.urandom(PART + 4321)
    context = oss2.models.MultipartUploadCryptoContext(len(data), PART)
    upload_id = ctx.crypto.init_multipart_upload("oss2/multipart", upload_context=context).upload_id
    infos = []
    for number, offset in enumerate(range(0, len(data), PART), start=1):
        result = ctx.crypto.upload_part("oss2/multipart", upload_id, number,
                                        data[offset:offset + PART], upload_context=context)
        infos.append(oss2.models.PartInfo(number, result.etag))
    ctx.crypto.complete_multipart_upload("oss2/multipart", upload_id, infos)
    eq(rust_read(ctx, "get", "oss2/multipart", *rsa_args(ctx)), data, "Rust read")
    got = rust_read(ctx, "get-range", "oss2/multipart", f"--range={PART - 3}-{PART + 3}",
                    *rsa_args(ctx))
    eq(got, data[PART - 3:PART + 4], "Rust read across the part boundary")


@step
def resumable_both_ways(ctx):
    data = os.urandom(5 * PART + 77)
    rust(ctx, "resumable-upload", "rust/resumable", write_temp(ctx, data), "--part-size",
         str(PART), "--concurrency", "3", "--checkpoint-dir", ctx.tmp, *rsa_args(ctx))
    path = os.path.join(ctx.tmp, "oss2-download.bin")
    oss2.resumable_download(ctx.crypto, "rust/resumable", path, multiget_threshold=PART,
                            part_size=PART, store=oss2.ResumableDownloadStore(root=ctx.tmp))
    with open(path, "rb") as f:
        eq(f.read(), data, "oss2 resumable download of a Rust resumable upload")
    oss2.resumable_upload(ctx.crypto, "oss2/resumable", write_temp(ctx, data),
                          multipart_threshold=PART, part_size=PART,
                          store=oss2.ResumableStore(root=ctx.tmp))
    got = rust_read(ctx, "resumable-download", "oss2/resumable", "--part-size", str(PART),
                    "--checkpoint-dir", ctx.tmp, *rsa_args(ctx))
    eq(got, data, "Rust resumable download of an oss2 resumable upload")


@step
def kms_oss2_flavour_both_ways(ctx):
    rust(ctx, "put", "rust/kms", write_temp(ctx, ctx.data), *kms_args(ctx))
    eq(ctx.kms_crypto.get_object("rust/kms").read(), ctx.data, "oss2 AliKMSProvider read")
    ctx.kms_crypto.put_object("oss2/kms", ctx.data)
    eq(rust_read(ctx, "get", "oss2/kms", *kms_args(ctx)), ctx.data, "Rust KMS read")


@step
def kms_go_java_flavour_round_trip(ctx):
    rust(ctx, "put", "rust/kms-go", write_temp(ctx, ctx.data), *kms_args(ctx, "go-java"))
    eq(rust_read(ctx, "get", "rust/kms-go", *kms_args(ctx)), ctx.data, "Rust read")
    raw = ctx.plain.head_object("rust/kms-go")
    eq(raw.headers.get(ENVELOPE + "wrap-alg"), "KMS/ALICLOUD", "wrap-alg")


@step
def vector_objects_read_by_rust(ctx):
    with open(os.path.join(ctx.vectors, "example.jpg"), "rb") as f:
        example = f.read()
    for name, expected, extra in [("v2-go-rsa", example, []), ("v2-python-rsa", example, []),
                                  ("v1-rsa-oaep-1MiB", b"a" * 1048576, ["--legacy-v1"])]:
        with open(os.path.join(ctx.vectors, name + ".json")) as f:
            meta = json.load(f)
        with open(os.path.join(ctx.vectors, meta["ciphertext_file"]), "rb") as f:
            ctx.plain.put_object("vectors/" + name, f.read(), headers=meta["headers"])
        got = rust_read(ctx, "get", "vectors/" + name, "--private-key", ctx.private_path, *extra)
        eq(got, expected, f"{name} read by Rust")


def main():
    env = os.environ
    vectors = env["OSS_CRYPTO_VECTORS"]
    keys = rsa_test_keys(vectors)
    private_pem, public_pem = keys.private_pem, keys.public_pem
    ctx = types.SimpleNamespace(
        binary=env["OSS_BUCKET_INTEROP_BIN"],
        vectors=vectors,
        endpoint=env["OSS_ENDPOINT"],
        kms_endpoint=env["OSS_KMS_ENDPOINT"],
        kms_key_id=kms_key_id(),
        region=region(),
        bucket_name=bucket_name("-rust-bucket"),
        private_path=keys.private_path,
        public_path=keys.public_path,
        data=os.urandom(150 * 1024 + 11),
    )
    ak, sk = env["OSS_ACCESS_KEY_ID"], env["OSS_ACCESS_KEY_SECRET"]
    auth = oss2.Auth(ak, sk)
    ctx.plain = oss2.Bucket(auth, ctx.endpoint, ctx.bucket_name)
    ctx.crypto = oss2.CryptoBucket(auth, ctx.endpoint, ctx.bucket_name, crypto_provider=oss2.RsaProvider(
        key_pair={"private_key": private_pem, "public_key": public_pem}))
    kms = oss2.AliKMSProvider(ak, sk, ctx.region, ctx.kms_key_id)
    kms.kms_client.add_endpoint(ctx.region, "Kms", ctx.kms_endpoint)
    ctx.kms_crypto = oss2.CryptoBucket(auth, ctx.endpoint, ctx.bucket_name, crypto_provider=kms)
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(ak, sk)
    cfg.region, cfg.endpoint = ctx.region, ctx.endpoint
    ctx.eclient = oss.EncryptionClient(oss.Client(cfg), oss.crypto.MasterRsaCipher(
        mat_desc={"tag": "interop"}, public_key=public_pem, private_key=private_pem),
        decrypt_master_ciphers=[oss.crypto.MasterRsaCipher(
            public_key=public_pem, private_key=private_pem)])
    with tempfile.TemporaryDirectory() as tmp:
        ctx.tmp = tmp
        return 0 if run("devserver_rust_crypto_bucket", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
