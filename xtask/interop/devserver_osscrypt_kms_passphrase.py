#!/usr/bin/env python3
"""KMS passphrases between oss2 2.19.1 and ``osscrypt``: an object oss2's ``CryptoBucket`` writes
with ``AliKMSProvider(passphrase=...)`` is read byte-identical by ``osscrypt get`` with
``OSSCRYPT_KMS_PASSPHRASE`` (and refused, exit 4, with another passphrase or none), and an
object ``osscrypt put`` writes with a passphrase is read by oss2 with the same one.

Environment: as ``devserver_oss2_kms``, plus OSSCRYPT_BIN and INTEROP_WORK_DIR, set by
``cargo xtask interop``. Prints one PASS/FAIL line per step and a closing
``<name>: N passed, N failed`` line; exits 1 when a step failed.
"""

import os
import subprocess
import sys
import types

import oss2

from interop_common import bucket_name, describe_oss2, eq, kms_key_id, region, run, step

PASSPHRASE = "interop pass phrase"


def osscrypt(ctx, args, passphrase=None):
    env = dict(ctx.env)
    env.pop("OSSCRYPT_KMS_PASSPHRASE", None)
    if passphrase is not None:
        env["OSSCRYPT_KMS_PASSPHRASE"] = passphrase
    return subprocess.run([ctx.osscrypt, *args], capture_output=True, env=env)


def oss2_bucket(ctx, passphrase):
    provider = oss2.AliKMSProvider(ctx.access_key_id, ctx.access_key_secret, ctx.region,
                                   ctx.key_id, passphrase=passphrase)
    provider.kms_client.add_endpoint(ctx.region, "Kms", ctx.kms_endpoint)
    return oss2.CryptoBucket(ctx.auth, ctx.endpoint, ctx.name, crypto_provider=provider)


@step
def create_bucket(ctx):
    ctx.plain.create_bucket()


@step
def oss2_passphrase_object_read_by_osscrypt(ctx):
    oss2_bucket(ctx, PASSPHRASE).put_object("oss2-pass", ctx.data)
    out = os.path.join(ctx.work, "oss2-pass.out")
    uri = f"oss://{ctx.name}/oss2-pass"
    done = osscrypt(ctx, ["get", uri, out, "--kms-key-id", ctx.key_id], PASSPHRASE)
    eq(done.returncode, 0, f"osscrypt get exit ({done.stderr.decode(errors='replace')})")
    with open(out, "rb") as f:
        eq(f.read(), ctx.data, "bytes read by osscrypt")
    for wrong in (None, "another passphrase"):
        done = osscrypt(ctx, ["get", uri, out, "--kms-key-id", ctx.key_id], wrong)
        eq(done.returncode, 4, f"osscrypt get with passphrase {wrong!r}")
        if PASSPHRASE.encode() in done.stderr + done.stdout:
            raise AssertionError("osscrypt printed the passphrase")


@step
def osscrypt_passphrase_object_read_by_oss2(ctx):
    src = os.path.join(ctx.work, "ours.in")
    with open(src, "wb") as f:
        f.write(ctx.data)
    uri = f"oss://{ctx.name}/ours-pass"
    done = osscrypt(ctx, ["put", src, uri, "--kms-key-id", ctx.key_id], PASSPHRASE)
    eq(done.returncode, 0, f"osscrypt put exit ({done.stderr.decode(errors='replace')})")
    eq(oss2_bucket(ctx, PASSPHRASE).get_object("ours-pass").read(), ctx.data, "oss2 read")


def main():
    env = os.environ
    work = env["INTEROP_WORK_DIR"]
    ctx = types.SimpleNamespace(
        osscrypt=env["OSSCRYPT_BIN"],
        env={**env, "HOME": work},
        work=work,
        endpoint=env["OSS_ENDPOINT"],
        kms_endpoint=env["OSS_KMS_ENDPOINT"],
        access_key_id=env["OSS_ACCESS_KEY_ID"],
        access_key_secret=env["OSS_ACCESS_KEY_SECRET"],
        region=region(),
        key_id=kms_key_id(),
        name=bucket_name("-osscrypt-kms-pass"),
        data=os.urandom(300_007),
    )
    ctx.auth = oss2.Auth(ctx.access_key_id, ctx.access_key_secret)
    ctx.plain = oss2.Bucket(ctx.auth, ctx.endpoint, ctx.name)
    return 0 if run("devserver_osscrypt_kms_passphrase", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
