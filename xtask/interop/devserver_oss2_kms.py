#!/usr/bin/env python3
"""oss2 2.19.1 ``CryptoBucket`` with ``AliKMSProvider`` pointed at the oss-devserver's KMS
endpoint: put/get round trips (with and without a passphrase context), ranged reads, a
multipart upload, and the KMS errors a client must see.

Environment: OSS_ENDPOINT, OSS_KMS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,
OSS_REGION, OSS_BUCKET (a prefix for the bucket this script creates), OSS_KMS_KEY_ID (default
``alias/oss-devserver``, the dev server's default key alias). Prints one PASS/FAIL line per step
and a closing ``<name>: N passed, N failed`` line; exits 1 when a step failed. Set
INTEROP_TRACE=1 for tracebacks.
"""

import base64
import os
import sys
import types

import oss2

from interop_common import bucket_name, describe_oss2, eq, kms_key_id, raises, region, run, step

ENVELOPE = "x-oss-meta-client-side-encryption-"


def kms_provider(ctx, secret=None, passphrase=None):
    provider = oss2.AliKMSProvider(ctx.access_key_id, secret or ctx.access_key_secret, ctx.region,
                                   ctx.key_id, passphrase=passphrase)
    # An endpoint with an explicit http:// scheme overrides the SDK's https default.
    provider.kms_client.add_endpoint(ctx.region, "Kms", ctx.kms_endpoint)
    return provider


def crypto_bucket(ctx, provider):
    return oss2.CryptoBucket(ctx.auth, ctx.endpoint, ctx.bucket_name, crypto_provider=provider)


@step
def create_bucket(ctx):
    ctx.plain.create_bucket()
    eq([o.key for o in ctx.plain.list_objects_v2().object_list], [], "objects in the new bucket")


@step
def put_object(ctx):
    eq(ctx.crypto.put_object(ctx.key, ctx.data).status, 200, "status")


@step
def stored_envelope_is_kms_wrapped(ctx):
    raw = ctx.plain.get_object(ctx.key)
    body = raw.read()
    eq(len(body), len(ctx.data), "ciphertext length")
    if body == ctx.data:
        raise AssertionError("the stored body is the plaintext")
    eq(raw.headers.get(ENVELOPE + "wrap-alg"), "KMS/ALICLOUD", "wrap-alg")
    eq(raw.headers.get(ENVELOPE + "cek-alg"), "AES/CTR/NoPadding", "cek-alg")
    for name in ("key", "start"):
        # oss2 stores base64 of the CiphertextBlob text, itself base64 (two layers).
        blob = base64.b64decode(raw.headers[ENVELOPE + name]).decode("ascii")
        base64.b64decode(blob, validate=True)


@step
def get_object(ctx):
    eq(ctx.crypto.get_object(ctx.key).read(), ctx.data, "decrypted body")


@step
def ranged_get(ctx):
    n = len(ctx.data)
    for first, last in [(0, 15), (33, 4000), (n - 1, n - 1)]:
        got = ctx.crypto.get_object(ctx.key, byte_range=(first, last)).read()
        eq(got, ctx.data[first:last + 1], f"decrypted bytes={first}-{last}")


@step
def fresh_provider_decrypts(ctx):
    # A second provider instance shares nothing with the writer but the KMS key.
    eq(crypto_bucket(ctx, kms_provider(ctx)).get_object(ctx.key).read(), ctx.data,
       "decrypted by a fresh provider")


@step
def passphrase_context_round_trip(ctx):
    key = ctx.key + "-passphrase"
    bucket = crypto_bucket(ctx, kms_provider(ctx, passphrase="interop-pass"))
    bucket.put_object(key, ctx.data[:5000])
    eq(bucket.get_object(key).read(), ctx.data[:5000], "decrypted with the same passphrase")
    wrong = crypto_bucket(ctx, kms_provider(ctx, passphrase="other-pass"))
    err = raises(oss2.exceptions.OpenApiServerError, lambda: wrong.get_object(key).read(),
                 "decrypting with another passphrase (EncryptionContext)")
    if err.status < 400:
        raise AssertionError(f"KMS answered status {err.status} for a wrong context")
    ctx.plain.delete_object(key)


@step
def multipart_with_context(ctx):
    key = ctx.key + "-multipart"
    part_size = 100 * 1024
    data = os.urandom(part_size + 777)
    context = oss2.models.MultipartUploadCryptoContext(len(data), part_size)
    upload_id = ctx.crypto.init_multipart_upload(key, upload_context=context).upload_id
    infos = []
    for number, offset in enumerate(range(0, len(data), part_size), start=1):
        result = ctx.crypto.upload_part(key, upload_id, number, data[offset:offset + part_size],
                                        upload_context=context)
        infos.append(oss2.models.PartInfo(number, result.etag))
    ctx.crypto.complete_multipart_upload(key, upload_id, infos)
    eq(ctx.crypto.get_object(key).read(), data, "decrypted multipart object")
    ctx.plain.delete_object(key)


@step
def wrong_kms_secret_is_refused(ctx):
    bucket = crypto_bucket(ctx, kms_provider(ctx, secret="not-the-secret"))
    err = raises(oss2.exceptions.OpenApiServerError, lambda: bucket.put_object("never", b"x"),
                 "KMS call with a wrong secret")
    # The core SDK turns the server's SignatureDoesNotMatch into InvalidAccessKeySecret only
    # when the string-to-sign in the server's message equals its own: both sides agree.
    eq((err.status, err.details.get("Code")), (400, "InvalidAccessKeySecret"), "error")
    eq(ctx.plain.object_exists("never"), False, "no object written after the KMS failure")


@step
def unknown_key_is_refused(ctx):
    provider = kms_provider(ctx)
    provider.custom_master_key_id = "alias/no-such-key"
    err = raises(oss2.exceptions.OpenApiServerError,
                 lambda: crypto_bucket(ctx, provider).put_object("never", b"x"),
                 "GenerateDataKey with an unknown key")
    eq(err.status, 404, "status")


@step
def delete_object(ctx):
    ctx.crypto.delete_object(ctx.key)
    eq(ctx.plain.object_exists(ctx.key), False, "object exists after delete")


def main():
    env = os.environ
    ctx = types.SimpleNamespace(
        endpoint=env["OSS_ENDPOINT"],
        kms_endpoint=env["OSS_KMS_ENDPOINT"],
        access_key_id=env["OSS_ACCESS_KEY_ID"],
        access_key_secret=env["OSS_ACCESS_KEY_SECRET"],
        region=region(),
        key_id=kms_key_id(),
        bucket_name=bucket_name("-oss2-kms"),
        key="kms/object.bin",
        data=os.urandom(64 * 1024 + 9),
    )
    ctx.auth = oss2.Auth(ctx.access_key_id, ctx.access_key_secret)
    ctx.plain = oss2.Bucket(ctx.auth, ctx.endpoint, ctx.bucket_name)
    ctx.crypto = crypto_bucket(ctx, kms_provider(ctx))
    return 0 if run("devserver_oss2_kms", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
