#!/usr/bin/env python3
"""alibabacloud-oss-v2 (pyv2) ``Client`` and ``EncryptionClient`` against the oss-devserver,
once with V4 and once with V1 signing, plus cross-SDK reads between pyv2's EncryptionClient and
oss2's CryptoBucket (same RSA key).

Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_REGION, OSS_BUCKET (a
prefix for the buckets this script creates), OSS_CRYPTO_VECTORS (for the shared RSA test key).
Prints one PASS/FAIL line per step and a closing ``<name>: N passed, N failed`` line; exits 1
when a step failed. Set INTEROP_TRACE=1 for tracebacks.
"""

import os
import sys
import types

import alibabacloud_oss_v2 as oss
import oss2

from interop_common import (bucket_name, describe_oss2, eq, md5_upper, multipart_etag, region,
                            rsa_test_keys, run, step_named)

ENVELOPE = "client-side-encryption-"


def describe(err):
    """pyv2 service errors with their EC and target; oss2 and other errors as oss2's."""
    inner = err.unwrap() if isinstance(err, oss.exceptions.OperationError) else err
    if isinstance(inner, oss.exceptions.ServiceError):
        return (f"ServiceError: status={inner.status_code} code={inner.code!r} "
                f"message={inner.message!r} ec={inner.ec} request_id={inner.request_id} "
                f"target={inner.request_target!r}")
    return describe_oss2(err)


def unquote(etag):
    return (etag or "").strip('"')


def read_all(result):
    return result.body.read() if hasattr(result.body, "read") else result.body.content


def suite(ver):
    """Registers the steps for one signature version; state lives in ``ctx.<ver>``."""

    def step(fn):
        return step_named(f"{ver}_{fn.__name__}")(lambda ctx: fn(ctx, getattr(ctx, ver)))

    @step
    def create_bucket(ctx, s):
        result = s.client.put_bucket(oss.PutBucketRequest(bucket=s.bucket))
        eq(result.status_code, 200, "PutBucket status")
        listing = s.client.list_objects_v2(oss.ListObjectsV2Request(bucket=s.bucket))
        eq(listing.contents or [], [], "objects in the new bucket")

    @step
    def put_and_get(ctx, s):
        put = s.client.put_object(oss.PutObjectRequest(
            bucket=s.bucket, key=s.key, body=ctx.data, metadata={"author": "interop"}))
        eq(unquote(put.etag), md5_upper(ctx.data), "ETag")
        if not put.hash_crc64:
            raise AssertionError("no x-oss-hash-crc64ecma on PutObject")
        got = s.client.get_object(oss.GetObjectRequest(bucket=s.bucket, key=s.key))
        eq(read_all(got), ctx.data, "body")
        eq(got.metadata, {"author": "interop"}, "user metadata")

    @step
    def ranged_get(ctx, s):
        n = len(ctx.data)
        for first, last in [(0, 0), (17, 5000), (n - 16, n - 1)]:
            got = s.client.get_object(oss.GetObjectRequest(
                bucket=s.bucket, key=s.key, range_header=f"bytes={first}-{last}",
                range_behavior="standard"))
            eq(got.status_code, 206, "status")
            eq(got.content_range, f"bytes {first}-{last}/{n}", "Content-Range")
            eq(read_all(got), ctx.data[first:last + 1], f"bytes={first}-{last}")
        try:
            s.client.get_object(oss.GetObjectRequest(
                bucket=s.bucket, key=s.key, range_header=f"bytes={n}-", range_behavior="standard"))
        except oss.exceptions.OperationError as err:
            eq(err.unwrap().status_code, 416, "status of a range beyond the end")
        else:
            raise AssertionError("a range beyond the end was served")

    @step
    def head_and_copy(ctx, s):
        head = s.client.head_object(oss.HeadObjectRequest(bucket=s.bucket, key=s.key))
        eq(head.content_length, len(ctx.data), "Content-Length")
        eq(unquote(head.etag), md5_upper(ctx.data), "ETag")
        copy = s.client.copy_object(oss.CopyObjectRequest(
            bucket=s.bucket, key=s.key + ".copy", source_bucket=s.bucket, source_key=s.key))
        eq(unquote(copy.etag), md5_upper(ctx.data), "ETag of the copy")
        got = s.client.get_object(oss.GetObjectRequest(bucket=s.bucket, key=s.key + ".copy"))
        eq(read_all(got), ctx.data, "body of the copy")

    @step
    def multipart(ctx, s):
        key = s.key + ".multipart"
        parts = [os.urandom(100 * 1024), os.urandom(7000)]
        init = s.client.initiate_multipart_upload(
            oss.InitiateMultipartUploadRequest(bucket=s.bucket, key=key))
        uploaded = []
        for number, part in enumerate(parts, start=1):
            result = s.client.upload_part(oss.UploadPartRequest(
                bucket=s.bucket, key=key, upload_id=init.upload_id, part_number=number, body=part))
            eq(unquote(result.etag), md5_upper(part), f"ETag of part {number}")
            uploaded.append(oss.UploadPart(part_number=number, etag=result.etag))
        listed = s.client.list_parts(oss.ListPartsRequest(
            bucket=s.bucket, key=key, upload_id=init.upload_id))
        eq([(p.part_number, unquote(p.etag), p.size) for p in listed.parts],
           [(i + 1, md5_upper(p), len(p)) for i, p in enumerate(parts)], "ListParts")
        done = s.client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
            bucket=s.bucket, key=key, upload_id=init.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=uploaded)))
        eq(unquote(done.etag), multipart_etag(parts), "multipart ETag")
        got = s.client.get_object(oss.GetObjectRequest(bucket=s.bucket, key=key))
        eq(read_all(got), b"".join(parts), "completed object")
        s.client.delete_object(oss.DeleteObjectRequest(bucket=s.bucket, key=key))

    @step
    def encryption_client_put_get(ctx, s):
        key = s.key + ".enc"
        s.eclient.put_object(oss.PutObjectRequest(bucket=s.bucket, key=key, body=ctx.data))
        got = s.eclient.get_object(oss.GetObjectRequest(bucket=s.bucket, key=key))
        eq(read_all(got), ctx.data, "decrypted body")
        raw = s.client.get_object(oss.GetObjectRequest(bucket=s.bucket, key=key))
        body = read_all(raw)
        eq(len(body), len(ctx.data), "ciphertext length")
        if body == ctx.data:
            raise AssertionError("the stored body is the plaintext")
        eq(raw.metadata.get(ENVELOPE + "wrap-alg"), "RSA/NONE/PKCS1Padding", "wrap-alg")
        eq(raw.metadata.get(ENVELOPE + "cek-alg"), "AES/CTR/NoPadding", "cek-alg")
        for first, last in [(5, 5), (16, 47), (1234, 99999)]:
            part = s.eclient.get_object(oss.GetObjectRequest(
                bucket=s.bucket, key=key, range_header=f"bytes={first}-{last}",
                range_behavior="standard"))
            eq(read_all(part), ctx.data[first:last + 1], f"decrypted bytes={first}-{last}")

    @step
    def encryption_client_multipart(ctx, s):
        key = s.key + ".enc-multipart"
        part_size = 100 * 1024
        data = os.urandom(2 * part_size + 999)
        init = s.eclient.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(
            bucket=s.bucket, key=key, cse_part_size=part_size, cse_data_size=len(data)))
        uploaded = []
        for number, offset in enumerate(range(0, len(data), part_size), start=1):
            result = s.eclient.upload_part(oss.UploadPartRequest(
                bucket=s.bucket, key=key, upload_id=init.upload_id, part_number=number,
                body=data[offset:offset + part_size], cse_multipart_context=init.cse_multipart_context))
            uploaded.append(oss.UploadPart(part_number=number, etag=result.etag))
        listed = s.eclient.list_parts(oss.ListPartsRequest(
            bucket=s.bucket, key=key, upload_id=init.upload_id))
        eq(listed.client_encryption_part_size, part_size, "ClientEncryptionPartSize")
        eq(listed.client_encryption_data_size, len(data), "ClientEncryptionDataSize")
        eq(listed.client_encryption_wrap_alg, "RSA/NONE/PKCS1Padding", "ClientEncryptionWrapAlg")
        s.eclient.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
            bucket=s.bucket, key=key, upload_id=init.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=uploaded)))
        got = s.eclient.get_object(oss.GetObjectRequest(bucket=s.bucket, key=key))
        eq(read_all(got), data, "decrypted multipart object")
        s.eclient.unwrap().delete_object(oss.DeleteObjectRequest(bucket=s.bucket, key=key))

    @step
    def cross_sdk_with_oss2(ctx, s):
        oss2_auth = (oss2.AuthV4 if ver == "v4" else oss2.Auth)(ctx.access_key_id,
                                                               ctx.access_key_secret)
        crypto = oss2.CryptoBucket(oss2_auth, ctx.endpoint, s.bucket, region=ctx.region,
                                   crypto_provider=ctx.oss2_provider)
        eq(crypto.get_object(s.key + ".enc").read(), ctx.data, "pyv2-encrypted read by oss2")
        crypto.put_object(s.key + ".oss2", ctx.data)
        got = s.eclient.get_object(oss.GetObjectRequest(bucket=s.bucket, key=s.key + ".oss2"))
        eq(read_all(got), ctx.data, "oss2-encrypted read by pyv2")

    @step
    def delete_objects_and_bucket(ctx, s):
        for suffix in ("", ".copy", ".enc", ".oss2"):
            s.client.delete_object(oss.DeleteObjectRequest(bucket=s.bucket, key=s.key + suffix))
        listing = s.client.list_objects_v2(oss.ListObjectsV2Request(bucket=s.bucket))
        eq(listing.contents or [], [], "objects left")
        result = s.client.delete_bucket(oss.DeleteBucketRequest(bucket=s.bucket))
        eq(result.status_code, 204, "DeleteBucket status")


def client_for(ctx, ver):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        ctx.access_key_id, ctx.access_key_secret)
    cfg.region = ctx.region
    cfg.endpoint = ctx.endpoint
    cfg.signature_version = ver
    return oss.Client(cfg)


def main():
    env = os.environ
    keys = rsa_test_keys(env["OSS_CRYPTO_VECTORS"])
    ctx = types.SimpleNamespace(
        endpoint=env["OSS_ENDPOINT"],
        access_key_id=env["OSS_ACCESS_KEY_ID"],
        access_key_secret=env["OSS_ACCESS_KEY_SECRET"],
        region=region(),
        data=os.urandom(200 * 1024 + 3),
        oss2_provider=oss2.RsaProvider(
            key_pair={"private_key": keys.private_pem, "public_key": keys.public_pem},
            mat_desc={"tag": "interop"}),
    )
    master = oss.crypto.MasterRsaCipher(
        mat_desc={"tag": "interop"}, public_key=keys.public_pem, private_key=keys.private_pem)
    for ver in ("v4", "v1"):
        client = client_for(ctx, ver)
        setattr(ctx, ver, types.SimpleNamespace(
            client=client,
            eclient=oss.EncryptionClient(client, master),
            bucket=bucket_name(f"-pyv2-{ver}"),
            key="pyv2/object +1",
        ))
        suite(ver)
    return 0 if run("devserver_pyv2", ctx, describe) else 1


if __name__ == "__main__":
    sys.exit(main())
