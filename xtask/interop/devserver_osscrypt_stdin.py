#!/usr/bin/env python3
"""``osscrypt put -`` (stdin streamed in bounded memory) read back by oss2 2.19.1's
``CryptoBucket``: short stdin (one PutObject from memory), stdin longer than the memory budget
but under the multipart threshold (ciphertext spool, one PutObject) and stdin over the
threshold (ciphertext spool, parallel multipart). oss2 must return the exact bytes, and the
spool directory must be empty afterwards.

Environment: as the other ``devserver_*`` scripts, plus OSSCRYPT_BIN (the osscrypt binary)
and INTEROP_WORK_DIR (scratch space), both set by ``cargo xtask interop``. Prints one PASS/FAIL
line per step and a closing ``<name>: N passed, N failed`` line; exits 1 when a step failed.
"""

import os
import subprocess
import sys
import types

import oss2

from interop_common import bucket_name, describe_oss2, eq, run, step, step_named

MIB = 1024 * 1024
# --parallel 4 x --part-size 1MiB: stdin over 4 MiB is spooled; over 8 MiB it is multipart.
UPLOAD_FLAGS = ["--part-size", "1MiB", "--parallel", "4", "--multipart-threshold", "8MiB"]
CASES = [
    ("memory", 3 * MIB + 7, "one request)"),
    ("spooled_single_put", 6 * MIB + 5, "one request, spooled"),
    ("spooled_multipart", 21 * MIB + 3, "22 parts, spooled"),
]


def osscrypt(ctx, args, stdin=None):
    done = subprocess.run([ctx.osscrypt, *args], input=stdin, capture_output=True, env=ctx.env)
    if done.returncode != 0:
        raise AssertionError(f"osscrypt {' '.join(args)}: exit {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')}")
    return done.stderr.decode(errors="replace")


@step
def create_bucket_and_keys(ctx):
    ctx.plain.create_bucket()
    osscrypt(ctx, ["keygen", "--bits", "1024", "--private", ctx.private, "--public", ctx.public])
    with open(ctx.private) as f, open(ctx.public) as g:
        provider = oss2.RsaProvider(key_pair={"private_key": f.read(), "public_key": g.read()})
    ctx.crypto = oss2.CryptoBucket(ctx.auth, ctx.endpoint, ctx.name, crypto_provider=provider)


def case(name, size, how):
    @step_named(f"stdin_{name}_read_by_oss2")
    def check(ctx):
        data = os.urandom(size)
        key = f"stdin/{name}.bin"
        err = osscrypt(ctx, ["put", "-", f"oss://{ctx.name}/{key}", "--rsa-public", ctx.public,
                             "--spool-dir", ctx.spool, *UPLOAD_FLAGS], stdin=data)
        if how not in err:
            raise AssertionError(f"expected {how!r} in {err!r}")
        eq(os.listdir(ctx.spool), [], "spool directory after the upload")
        eq(ctx.crypto.get_object(key).read(), data, "oss2 CryptoBucket read")


for args in CASES:
    case(*args)


def main():
    env = os.environ
    work = env["INTEROP_WORK_DIR"]
    spool = os.path.join(work, "spool")
    os.makedirs(spool, exist_ok=True)
    name = bucket_name("-osscrypt-stdin")
    auth = oss2.Auth(env["OSS_ACCESS_KEY_ID"], env["OSS_ACCESS_KEY_SECRET"])
    ctx = types.SimpleNamespace(
        osscrypt=env["OSSCRYPT_BIN"],
        env={**env, "HOME": work},
        endpoint=env["OSS_ENDPOINT"],
        auth=auth,
        name=name,
        plain=oss2.Bucket(auth, env["OSS_ENDPOINT"], name),
        private=os.path.join(work, "private.pem"),
        public=os.path.join(work, "public.pem"),
        spool=spool,
    )
    return 0 if run("devserver_osscrypt_stdin", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
