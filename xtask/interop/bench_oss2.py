#!/usr/bin/env python3
"""The oss2 side of the ``bucket_bench`` example of oss-crypto-bucket: oss2 2.19.1
``CryptoBucket`` (``RsaProvider``) ``resumable_upload`` then ``resumable_download`` of one file
against the dev server the bench started, multipart with the bench's part size and
``num_threads`` = its concurrency.

Usage: ``bench_oss2.py --endpoint URL --bucket NAME --private-key PEM --file PATH --key KEY
--part-size BYTES --threads N`` with OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the
environment (kept off the command line).

Prints machine-readable lines ``oss2_size_bytes N``, ``oss2_put_seconds S``,
``oss2_get_seconds S`` (each transfer alone, timed with ``time.perf_counter``) and, only when
the downloaded file has the input's size and SHA-256, ``oss2_verified sha256 <hex>``. Exits 1
with a message on stderr when a transfer fails or the download differs from the input.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time

import oss2
from Crypto.PublicKey import RSA

from interop_common import describe_oss2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("endpoint", "bucket", "private-key", "file", "key"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--part-size", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    return parser.parse_args()


def crypto_bucket(args):
    with open(args.private_key) as f:
        private_pem = f.read()
    # RsaProvider wants both halves; the public one is derived from the private key.
    public_pem = RSA.import_key(private_pem).publickey().export_key().decode("ascii")
    provider = oss2.RsaProvider(key_pair={"private_key": private_pem, "public_key": public_pem})
    auth = oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"])
    return oss2.CryptoBucket(auth, args.endpoint, args.bucket, crypto_provider=provider)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def timed(label, fn):
    start = time.perf_counter()
    fn()
    print(f"{label} {time.perf_counter() - start:.6f}", flush=True)


def bench(args, tmp):
    bucket = crypto_bucket(args)
    size = os.path.getsize(args.file)
    print(f"oss2_size_bytes {size}", flush=True)
    out = os.path.join(tmp, "oss2-out.bin")
    # Thresholds at one part: an object of a part or more goes multipart/ranged, as ours does.
    timed("oss2_put_seconds", lambda: oss2.resumable_upload(
        bucket, args.key, args.file, store=oss2.ResumableStore(root=tmp),
        multipart_threshold=args.part_size, part_size=args.part_size, num_threads=args.threads))
    timed("oss2_get_seconds", lambda: oss2.resumable_download(
        bucket, args.key, out, store=oss2.ResumableDownloadStore(root=tmp),
        multiget_threshold=args.part_size, part_size=args.part_size, num_threads=args.threads))
    got_size, want = os.path.getsize(out), sha256_of(args.file)
    if got_size != size:
        raise AssertionError(f"oss2 downloaded {got_size} bytes, the input has {size}")
    got = sha256_of(out)
    if got != want:
        raise AssertionError(f"oss2 download SHA-256 {got} differs from the input's {want}")
    print(f"oss2_verified sha256 {got}", flush=True)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            bench(args, tmp)
        except Exception as err:  # noqa: BLE001 - reported to the bench, which fails
            print(f"bench_oss2: {describe_oss2(err)}", file=sys.stderr, flush=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
