#!/usr/bin/env python3
"""oss2 2.19.1 (plain ``Bucket``, V1 and V4 signing) against the oss-devserver.

Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET (a prefix for
the bucket this script creates), OSS_REGION. Each step asserts real results; the script prints
one PASS/FAIL line per step, a closing ``<name>: N passed, N failed`` line, and exits 1 when a
step failed. Set INTEROP_TRACE=1 for tracebacks.
"""

import os
import sys
import types

import oss2

from interop_common import (bucket_name, describe_oss2, eq, md5_upper, multipart_etag, raises,
                            region, run, step)


@step
def create_bucket(ctx):
    ctx.bucket.create_bucket()
    names = [b.name for b in oss2.Service(ctx.auth, ctx.endpoint).list_buckets().buckets]
    if ctx.bucket.bucket_name not in names:
        raise AssertionError(f"ListBuckets does not show the new bucket: {names}")
    listing = ctx.bucket.list_objects_v2()
    eq(listing.status, 200, "ListObjectsV2 status")
    eq([o.key for o in listing.object_list], [], "objects in the new bucket")


@step
def put_object(ctx):
    result = ctx.bucket.put_object(ctx.key, ctx.data, headers={"x-oss-meta-Author": "interop"})
    eq(result.status, 200, "status")
    eq(result.etag, md5_upper(ctx.data), "ETag")
    crc = oss2.utils.Crc64()
    crc.update(ctx.data)
    eq(result.crc, crc.crc, "x-oss-hash-crc64ecma")


@step
def get_object(ctx):
    result = ctx.bucket.get_object(ctx.key)  # oss2 checks x-oss-hash-crc64ecma itself
    eq(result.read(), ctx.data, "body")
    eq(result.content_length, len(ctx.data), "Content-Length")
    eq(result.etag, md5_upper(ctx.data), "ETag")
    eq(result.headers.get("x-oss-meta-author"), "interop", "user metadata (lower-cased name)")


@step
def ranged_get(ctx):
    n = len(ctx.data)
    for first, last in [(0, 0), (100, 1099), (17, 5000), (n - 16, n - 1)]:
        result = ctx.bucket.get_object(ctx.key, byte_range=(first, last))
        eq(result.status, 206, f"status of bytes={first}-{last}")
        eq(result.headers.get("Content-Range"), f"bytes {first}-{last}/{n}", "Content-Range")
        eq(result.read(), ctx.data[first:last + 1], f"body of bytes={first}-{last}")
    suffix = ctx.bucket.get_object(ctx.key, byte_range=(None, 500))
    eq(suffix.read(), ctx.data[-500:], "body of bytes=-500")
    tail = ctx.bucket.get_object(ctx.key, byte_range=(n - 10, None))
    eq(tail.read(), ctx.data[-10:], f"body of bytes={n - 10}-")


@step
def range_beyond_end_is_416_with_standard_behaviour(ctx):
    n = len(ctx.data)
    err = raises(oss2.exceptions.ServerError,
                 lambda: ctx.bucket.get_object(ctx.key, byte_range=(n, n + 10),
                                               headers={"x-oss-range-behavior": "standard"}),
                 "start beyond the end")
    eq((err.status, err.code), (416, "InvalidRange"), "error")
    whole = ctx.bucket.get_object(ctx.key, byte_range=(n, n + 10))
    eq(whole.status, 200, "status without x-oss-range-behavior (whole object)")
    eq(whole.read(), ctx.data, "body without x-oss-range-behavior")


@step
def head_object(ctx):
    meta = ctx.bucket.head_object(ctx.key)
    eq(meta.status, 200, "status")
    eq(meta.content_length, len(ctx.data), "Content-Length")
    eq(meta.etag, md5_upper(ctx.data), "ETag")
    eq(meta.headers.get("x-oss-meta-author"), "interop", "user metadata")
    if not meta.last_modified:
        raise AssertionError("no Last-Modified")
    eq(ctx.bucket.object_exists(ctx.key + "-missing"), False, "HEAD of a missing key")


@step
def copy_object(ctx):
    result = ctx.bucket.copy_object(ctx.bucket.bucket_name, ctx.key, ctx.copy_key)
    eq(result.status, 200, "status")
    eq(result.etag, md5_upper(ctx.data), "ETag of the copy")
    copy = ctx.bucket.get_object(ctx.copy_key)
    eq(copy.read(), ctx.data, "body of the copy")
    eq(copy.headers.get("x-oss-meta-author"), "interop", "metadata copied (COPY directive)")


@step
def multipart_upload(ctx):
    key = ctx.key + "-multipart"
    parts = [os.urandom(100 * 1024), os.urandom(100 * 1024), os.urandom(12345)]
    upload_id = ctx.bucket.init_multipart_upload(key).upload_id
    if not upload_id:
        raise AssertionError("empty UploadId")
    infos = []
    for number, part in enumerate(parts, start=1):
        result = ctx.bucket.upload_part(key, upload_id, number, part)
        eq(result.etag, md5_upper(part), f"ETag of part {number}")
        infos.append(oss2.models.PartInfo(number, result.etag))
    listed = ctx.bucket.list_parts(key, upload_id).parts
    eq([(p.part_number, p.etag, p.size) for p in listed],
       [(i + 1, md5_upper(p), len(p)) for i, p in enumerate(parts)], "ListParts")
    done = ctx.bucket.complete_multipart_upload(key, upload_id, infos)
    eq(done.status, 200, "Complete status")
    eq(done.etag, multipart_etag(parts), "multipart ETag")
    eq(ctx.bucket.get_object(key).read(), b"".join(parts), "completed object body")
    ctx.bucket.delete_object(key)


@step
def abort_multipart_upload(ctx):
    key = ctx.key + "-aborted"
    upload_id = ctx.bucket.init_multipart_upload(key).upload_id
    ctx.bucket.upload_part(key, upload_id, 1, b"x" * 1000)
    ctx.bucket.abort_multipart_upload(key, upload_id)
    err = raises(oss2.exceptions.NoSuchUpload,
                 lambda: ctx.bucket.list_parts(key, upload_id), "ListParts after abort")
    eq(err.status, 404, "status")
    eq(ctx.bucket.object_exists(key), False, "aborted upload left no object")


@step
def signature_v4(ctx):
    auth = oss2.AuthV4(ctx.access_key_id, ctx.access_key_secret)
    bucket = oss2.Bucket(auth, ctx.endpoint, ctx.bucket.bucket_name, region=ctx.region)
    key = ctx.key + "-v4"
    bucket.put_object(key, ctx.data[:4096])
    eq(bucket.get_object(key, byte_range=(10, 19)).read(), ctx.data[10:20], "V4 ranged GET")
    eq(bucket.head_object(key).content_length, 4096, "V4 HEAD")
    bucket.delete_object(key)


@step
def wrong_secret_is_refused(ctx):
    bad = oss2.Bucket(oss2.Auth(ctx.access_key_id, "not-the-secret"), ctx.endpoint,
                      ctx.bucket.bucket_name)
    err = raises(oss2.exceptions.ServerError, lambda: bad.get_object(ctx.key), "bad signature")
    eq((err.status, err.code), (403, "SignatureDoesNotMatch"), "error")


@step
def delete_objects(ctx):
    for key in (ctx.key, ctx.copy_key):
        result = ctx.bucket.delete_object(key)
        eq(result.status, 204, f"DELETE {key} status")
        err = raises(oss2.exceptions.NoSuchKey, lambda k=key: ctx.bucket.get_object(k),
                     f"GET {key} after delete")
        eq(err.status, 404, "status")
    eq([o.key for o in ctx.bucket.list_objects_v2().object_list], [], "bucket is empty")


@step
def delete_bucket(ctx):
    result = ctx.bucket.delete_bucket()
    eq(result.status, 204, "status")
    names = [b.name for b in oss2.Service(ctx.auth, ctx.endpoint).list_buckets().buckets]
    if ctx.bucket.bucket_name in names:
        raise AssertionError(f"ListBuckets still shows the deleted bucket: {names}")
    err = raises(oss2.exceptions.NoSuchBucket, lambda: ctx.bucket.list_objects_v2(),
                 "listing a deleted bucket")
    eq(err.status, 404, "status")


def main():
    env = os.environ
    ctx = types.SimpleNamespace(
        endpoint=env["OSS_ENDPOINT"],
        access_key_id=env["OSS_ACCESS_KEY_ID"],
        access_key_secret=env["OSS_ACCESS_KEY_SECRET"],
        region=region(),
        key="dir/plain object+1.bin",
        copy_key="dir/plain object+1.copy",
        data=os.urandom(300 * 1024 + 17),
    )
    ctx.auth = oss2.Auth(ctx.access_key_id, ctx.access_key_secret)
    ctx.bucket = oss2.Bucket(ctx.auth, ctx.endpoint, bucket_name("-oss2-plain"))
    return 0 if run("devserver_oss2_plain", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
