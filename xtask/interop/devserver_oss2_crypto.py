#!/usr/bin/env python3
"""oss2 2.19.1 ``CryptoBucket`` with ``RsaProvider`` (the SDKs' shared RSA-1024 test key) against
the oss-devserver: put, get, ranged get, multipart with a crypto context, resumable upload and
download, the shared vector objects, and an independent decryption of what was stored.

Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET (a prefix for
the bucket this script creates), OSS_CRYPTO_VECTORS (the shared vectors folder). Prints one
PASS/FAIL line per step and a closing ``<name>: N passed, N failed`` line; exits 1 when a step
failed. Set INTEROP_TRACE=1 for tracebacks.
"""

import base64
import json
import os
import sys
import tempfile
import types

import oss2
from Crypto.Cipher import AES, PKCS1_v1_5
from Crypto.PublicKey import RSA

from interop_common import bucket_name, describe_oss2, eq, rsa_test_keys, run, step

ENVELOPE = "x-oss-meta-client-side-encryption-"


def independent_decrypt(ctx, headers, body):
    """Unwraps the stored envelope with pycryptodome and decrypts the body: the format check."""
    rsa = PKCS1_v1_5.new(RSA.import_key(ctx.private_pem))
    cek = rsa.decrypt(base64.b64decode(headers[ENVELOPE + "key"]), None)
    iv = rsa.decrypt(base64.b64decode(headers[ENVELOPE + "start"]), None)
    if cek is None or iv is None or len(cek) != 32 or len(iv) != 16:
        raise AssertionError("the stored key or start does not unwrap to a 32-byte CEK and 16-byte IV")
    return AES.new(cek, AES.MODE_CTR, nonce=b"", initial_value=iv).decrypt(body)


@step
def create_bucket(ctx):
    ctx.plain.create_bucket()
    eq([o.key for o in ctx.plain.list_objects_v2().object_list], [], "objects in the new bucket")


@step
def put_object(ctx):
    result = ctx.crypto.put_object(ctx.key, ctx.data)
    eq(result.status, 200, "status")


@step
def stored_object_is_a_valid_envelope(ctx):
    raw = ctx.plain.get_object(ctx.key)
    body = raw.read()
    eq(len(body), len(ctx.data), "ciphertext length")
    if body == ctx.data:
        raise AssertionError("the stored body is the plaintext")
    headers = raw.headers
    eq(headers.get(ENVELOPE + "cek-alg"), "AES/CTR/NoPadding", "cek-alg")
    eq(headers.get(ENVELOPE + "wrap-alg"), "RSA/NONE/PKCS1Padding", "wrap-alg")
    eq(independent_decrypt(ctx, headers, body), ctx.data, "independently decrypted body")


@step
def get_object(ctx):
    eq(ctx.crypto.get_object(ctx.key).read(), ctx.data, "decrypted body")


@step
def ranged_get(ctx):
    n = len(ctx.data)
    for first, last in [(0, 0), (17, 5000), (16, 31), (1000, 1000), (n - 33, n - 1)]:
        got = ctx.crypto.get_object(ctx.key, byte_range=(first, last)).read()
        eq(got, ctx.data[first:last + 1], f"decrypted bytes={first}-{last}")
    eq(ctx.crypto.get_object(ctx.key, byte_range=(n - 7, None)).read(), ctx.data[-7:],
       f"decrypted bytes={n - 7}-")


@step
def head_object(ctx):
    meta = ctx.crypto.head_object(ctx.key)
    eq(meta.content_length, len(ctx.data), "Content-Length")
    eq(meta.headers.get(ENVELOPE + "cek-alg"), "AES/CTR/NoPadding", "cek-alg on HEAD")


@step
def copy_keeps_the_envelope(ctx):
    key = ctx.key + "-copy"
    ctx.plain.copy_object(ctx.plain.bucket_name, ctx.key, key)
    eq(ctx.crypto.get_object(key).read(), ctx.data, "decrypted copy")
    ctx.plain.delete_object(key)


@step
def multipart_with_context(ctx):
    key = ctx.key + "-multipart"
    part_size = 100 * 1024
    data = os.urandom(2 * part_size + 4321)
    context = oss2.models.MultipartUploadCryptoContext(len(data), part_size)
    upload_id = ctx.crypto.init_multipart_upload(key, upload_context=context).upload_id
    infos = []
    for number, offset in enumerate(range(0, len(data), part_size), start=1):
        result = ctx.crypto.upload_part(key, upload_id, number, data[offset:offset + part_size],
                                        upload_context=context)
        infos.append(oss2.models.PartInfo(number, result.etag))
    listed = ctx.crypto.list_parts(key, upload_id).parts
    eq([(p.part_number, p.size) for p in listed], [(1, part_size), (2, part_size), (3, 4321)],
       "ListParts")
    ctx.crypto.complete_multipart_upload(key, upload_id, infos)
    eq(ctx.crypto.get_object(key).read(), data, "decrypted multipart object")
    eq(ctx.crypto.get_object(key, byte_range=(part_size - 5, part_size + 5)).read(),
       data[part_size - 5:part_size + 6], "decrypted range across a part boundary")
    raw = ctx.plain.get_object(key)
    eq(raw.headers.get(ENVELOPE + "data-size"), str(len(data)), "data-size header")
    eq(raw.headers.get(ENVELOPE + "part-size"), str(part_size), "part-size header")
    eq(independent_decrypt(ctx, raw.headers, raw.read()), data, "independently decrypted")
    ctx.plain.delete_object(key)


@step
def resumable_upload(ctx):
    key = ctx.key + "-resumable"
    data = os.urandom(1024 * 1024 + 100)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "upload.bin")
        with open(path, "wb") as f:
            f.write(data)
        store = oss2.ResumableStore(root=tmp)
        oss2.resumable_upload(ctx.crypto, key, path, store=store, multipart_threshold=200 * 1024,
                              part_size=100 * 1024, num_threads=2)
    eq(ctx.crypto.get_object(key).read(), data, "decrypted resumable upload")
    raw = ctx.plain.head_object(key)
    eq(raw.headers.get(ENVELOPE + "part-size"), str(100 * 1024), "part-size header")
    ctx.resumable_key, ctx.resumable_data = key, data


@step
def resumable_download(ctx):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "download.bin")
        store = oss2.ResumableDownloadStore(root=tmp)
        oss2.resumable_download(ctx.crypto, ctx.resumable_key, path, store=store,
                                multiget_threshold=200 * 1024, part_size=100 * 1024, num_threads=2)
        with open(path, "rb") as f:
            eq(f.read(), ctx.resumable_data, "downloaded plaintext")
    ctx.plain.delete_object(ctx.resumable_key)


@step
def vector_objects_decrypt(ctx):
    with open(os.path.join(ctx.vectors, "example.jpg"), "rb") as f:
        expected = f.read()
    for name in ("v2-python-rsa", "v2-go-rsa"):
        with open(os.path.join(ctx.vectors, name + ".json")) as f:
            meta = json.load(f)
        with open(os.path.join(ctx.vectors, meta["ciphertext_file"]), "rb") as f:
            ciphertext = f.read()
        key = "vectors/" + name
        ctx.plain.put_object(key, ciphertext, headers=meta["headers"])
        eq(ctx.crypto.get_object(key).read(), expected, f"{name} decrypted by oss2")
        eq(ctx.crypto.get_object(key, byte_range=(21000, 21100)).read(), expected[21000:21101],
           f"{name} ranged")
        ctx.plain.delete_object(key)


@step
def delete_object(ctx):
    ctx.crypto.delete_object(ctx.key)
    eq(ctx.plain.object_exists(ctx.key), False, "object exists after delete")
    eq([o.key for o in ctx.plain.list_objects_v2().object_list], [], "bucket is empty")


def main():
    env = os.environ
    vectors = env["OSS_CRYPTO_VECTORS"]
    keys = rsa_test_keys(vectors)
    endpoint = env["OSS_ENDPOINT"]
    auth = oss2.Auth(env["OSS_ACCESS_KEY_ID"], env["OSS_ACCESS_KEY_SECRET"])
    name = bucket_name("-oss2-crypto")
    provider = oss2.RsaProvider(key_pair={"private_key": keys.private_pem, "public_key": keys.public_pem})
    ctx = types.SimpleNamespace(
        vectors=vectors,
        private_pem=keys.private_pem,
        plain=oss2.Bucket(auth, endpoint, name),
        crypto=oss2.CryptoBucket(auth, endpoint, name, crypto_provider=provider),
        key="crypto/object 1.bin",
        data=os.urandom(300 * 1024 + 5),
    )
    return 0 if run("devserver_oss2_crypto", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
