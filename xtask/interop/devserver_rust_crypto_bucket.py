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


# Two RSA master keys told apart by matdesc: the shared pair is `one`, ctx.second is `two`.
MATDESC = ({"key": "one"}, {"key": "two"})
# Ranges of the 4099-byte objects of the two-keys steps: unaligned closed, and open.
TWO_KEYS_RANGES = (("17-3000", slice(17, 3001)), ("2000-", slice(2000, None)))
# pyv2's errors when it unwraps a data key with the wrong RSA key.
UNWRAP_WITH_WRONG_KEY = ("Decrypted data error", "Ciphertext too large")


def pyv2_rsa(desc, pair, cls=None):
    return (cls or oss.crypto.MasterRsaCipher)(mat_desc=desc, public_key=pair.public_pem,
                                               private_key=pair.private_pem)


class CompactMatdescRsaCipher(oss.crypto.MasterRsaCipher):
    """pyv2's RSA cipher under the compact matdesc spelling Go, Java and we write (pyv2 spells
    it with json.dumps's spaces and looks decrypt ciphers up by the raw header string)."""

    def get_mat_desc(self):
        return json.dumps(json.loads(super().get_mat_desc()), separators=(",", ":"),
                          sort_keys=True)


def pyv2_read(client, bucket, key, spec=None):
    request = oss.GetObjectRequest(bucket=bucket, key=key,
                                   range_header=f"bytes={spec}" if spec else None)
    return client.get_object(request).body.read()


def check_pyv2_reads(client, ctx, key, data, who):
    eq(pyv2_read(client, ctx.bucket_name, key), data, f"{who} read whole")
    for spec, part in TWO_KEYS_RANGES:
        eq(pyv2_read(client, ctx.bucket_name, key, spec), data[part], f"{who} read {spec}")


@step
def pyv2_two_keys_by_matdesc_read_by_us(ctx):
    # Our default key is `one`; the object pyv2 wrote with `two` must pick two by matdesc (we
    # compare matdesc as a parsed map, so pyv2's spaced spelling matches).
    ours = ["--private-key", ctx.private_path, "--read-key",
            f"{ctx.second.private_path}:{json.dumps(MATDESC[1])}"]
    for i, pair in enumerate((ctx.keys, ctx.second)):
        key, data = f"pyv2/matdesc-{i + 1}", ctx.two_keys_data[i]
        writer = oss.EncryptionClient(ctx.v2client, pyv2_rsa(MATDESC[i], pair))
        writer.put_object(oss.PutObjectRequest(bucket=ctx.bucket_name, key=key, body=data))
        eq(rust_read(ctx, "get", key, *ours), data, f"Rust read of key {i + 1}'s object")
        for spec, part in TWO_KEYS_RANGES + (("-33", slice(-33, None)),):
            got = rust_read(ctx, "get-range", key, f"--range={spec}", *ours)
            eq(got, data[part], f"Rust read {spec} of key {i + 1}'s object")


@step
def our_two_keys_by_matdesc_read_by_pyv2(ctx):
    for i, pair in enumerate((ctx.keys, ctx.second)):
        rust(ctx, "put", f"rust/matdesc-{i + 1}", write_temp(ctx, ctx.two_keys_data[i]),
             "--private-key", pair.private_path, "--public-key", pair.public_path,
             "--matdesc", json.dumps(MATDESC[i], separators=(",", ":")))
    one = pyv2_rsa(MATDESC[0], ctx.keys)
    # Key two registered as pyv2 documents it: spec §12.2 item 1, pyv2 looks it up by its own
    # spelling `{"key": "two"}`, misses our `{"key":"two"}`, falls back to key one silently and
    # fails at unwrap. Recorded as the peer's bug; a fixed pyv2 fails here to be noticed.
    documented = oss.EncryptionClient(ctx.v2client, one,
                                      decrypt_master_ciphers=[pyv2_rsa(MATDESC[1], ctx.second)])
    check_pyv2_reads(documented, ctx, "rust/matdesc-1", ctx.two_keys_data[0], "pyv2")
    try:
        got = pyv2_read(documented, ctx.bucket_name, "rust/matdesc-2")
    except Exception as err:  # noqa: BLE001 - the SDK's error type is checked by its message
        # PKCS#1 v1.5 with the wrong key: a bad padding, or (when the ciphertext is larger than
        # key one's modulus) pycryptodome's refusal.
        if not any(m in str(err) for m in UNWRAP_WITH_WRONG_KEY):
            raise AssertionError(f"pyv2 failed otherwise than at unwrap with key one: {err}") from err
    else:
        raise AssertionError("pyv2 now matches our compact matdesc: update the expectation"
                             if got == ctx.two_keys_data[1] else
                             "pyv2 returned wrong bytes instead of an error")
    # Registered under the header's spelling, pyv2 picks key two by matdesc.
    compact = oss.EncryptionClient(ctx.v2client, one, decrypt_master_ciphers=[
        pyv2_rsa(MATDESC[1], ctx.second, CompactMatdescRsaCipher)])
    for i in range(2):
        check_pyv2_reads(compact, ctx, f"rust/matdesc-{i + 1}", ctx.two_keys_data[i], "pyv2")


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


def second_rsa_key(tmp):
    """A fresh RSA-1024 pair (PKCS#1 private, SPKI public PEM files in tmp): key `two` of the two-keys steps."""
    from Crypto.PublicKey import RSA
    key = RSA.generate(1024)
    pair = types.SimpleNamespace(private_pem=key.export_key().decode(),
                                 public_pem=key.publickey().export_key().decode())
    pair.private_path, pair.public_path = os.path.join(tmp, "two.pem"), os.path.join(tmp, "two.pub.pem")
    for path, text in ((pair.private_path, pair.private_pem), (pair.public_path, pair.public_pem)):
        with open(path, "w") as f:
            f.write(text)
    return pair


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
    ctx.v2client = oss.Client(cfg)
    ctx.eclient = oss.EncryptionClient(ctx.v2client, oss.crypto.MasterRsaCipher(
        mat_desc={"tag": "interop"}, public_key=public_pem, private_key=private_pem),
        decrypt_master_ciphers=[oss.crypto.MasterRsaCipher(
            public_key=public_pem, private_key=private_pem)])
    ctx.keys = keys
    ctx.two_keys_data = (os.urandom(4099), os.urandom(4099))
    with tempfile.TemporaryDirectory() as tmp:
        ctx.tmp = tmp
        ctx.second = second_rsa_key(tmp)
        return 0 if run("devserver_rust_crypto_bucket", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
