#!/usr/bin/env python3
"""The oss2 side of ``cargo xtask bench bulk``: oss2 2.19.1 ``CryptoBucket`` (``RsaProvider``)
uploads every file of a directory as one object each (``put_object_from_file``) and downloads
them again (``get_object_to_file``), the way a user without ``osscrypt cp -r`` would, either in
a sequential loop or with a thread pool, against the dev server the bench started.

Usage: ``bench_oss2_bulk.py --endpoint URL --bucket NAME --private-key PEM --dir DIR
--prefix PREFIX --threads N`` (``--threads 1``: the sequential loop, no pool) with
OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the environment.

Prints ``oss2bulk_objects N``, ``oss2bulk_put_seconds S``, ``oss2bulk_get_seconds S`` and,
only when every downloaded file equals its source, ``oss2bulk_verified N``. Exits 1 with a
message on stderr when a request fails or a download differs.
"""

import argparse
import concurrent.futures
import filecmp
import os
import sys
import tempfile
import time

from bench_oss2 import crypto_bucket
from interop_common import describe_oss2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("endpoint", "bucket", "private-key", "dir", "prefix"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--threads", type=int, required=True)
    return parser.parse_args()


def each(threads, fn, names):
    """Runs ``fn`` on every name: a plain loop for one thread, else a pool of ``threads``."""
    if threads <= 1:
        for name in names:
            fn(name)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        # list() re-raises the first failure.
        list(pool.map(fn, names))


def timed(label, fn):
    start = time.perf_counter()
    fn()
    print(f"{label} {time.perf_counter() - start:.6f}", flush=True)


def bench(args, out_dir):
    bucket = crypto_bucket(args)
    names = sorted(os.listdir(args.dir))
    print(f"oss2bulk_objects {len(names)}", flush=True)

    def put(name):
        bucket.put_object_from_file(args.prefix + name, os.path.join(args.dir, name))

    def get(name):
        bucket.get_object_to_file(args.prefix + name, os.path.join(out_dir, name))

    timed("oss2bulk_put_seconds", lambda: each(args.threads, put, names))
    timed("oss2bulk_get_seconds", lambda: each(args.threads, get, names))
    for name in names:
        if not filecmp.cmp(os.path.join(args.dir, name), os.path.join(out_dir, name), shallow=False):
            raise AssertionError(f"oss2 downloaded {name} with other content")
    print(f"oss2bulk_verified {len(names)}", flush=True)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as out_dir:
        try:
            bench(args, out_dir)
        except Exception as err:  # noqa: BLE001 - reported to the bench, which fails
            print(f"bench_oss2_bulk: {describe_oss2(err)}", file=sys.stderr, flush=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
