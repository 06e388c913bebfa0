#!/usr/bin/env python3
"""Objects written by osscrypt's bucket-scale commands read back by oss2 2.19.1's
``CryptoBucket``: a tree uploaded with ``cp -r`` (small files and one over the 8 MiB
multipart threshold), plaintext objects written by oss2 and encrypted in place with
``migrate`` (user metadata and Content-Type kept), and the whole prefix rotated to a new RSA
key with ``rotate --prefix`` (oss2 reads it with the new key only).

Environment: as the other ``devserver_*`` scripts, plus OSSCRYPT_BIN (the osscrypt binary)
and INTEROP_WORK_DIR (scratch space), both set by ``cargo xtask interop``. Prints one PASS/FAIL
line per step and a closing ``<name>: N passed, N failed`` line; exits 1 when a step failed.
"""

import os
import subprocess
import sys
import types

import oss2

from interop_common import bucket_name, describe_oss2, eq, run, step

MIB = 1024 * 1024
TREE = {
    "a.txt": 10,
    "sub/b.bin": 9 * MIB + 5,
    "sub/deeper/c": 0,
    "z z.txt": 4097,
}
PLAIN = {"old/one.csv": 2000, "old/two.bin": 3 * MIB + 1}


def osscrypt(ctx, args):
    done = subprocess.run([ctx.osscrypt, *args], capture_output=True, env=ctx.env)
    if done.returncode != 0:
        raise AssertionError(f"osscrypt {' '.join(args)}: exit {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')}")


def crypto_bucket(ctx, private, public):
    with open(private) as f, open(public) as g:
        provider = oss2.RsaProvider(key_pair={"private_key": f.read(), "public_key": g.read()})
    return oss2.CryptoBucket(ctx.auth, ctx.endpoint, ctx.name, crypto_provider=provider)


def key_paths(ctx, name):
    return os.path.join(ctx.work, f"{name}-private.pem"), os.path.join(ctx.work, f"{name}-public.pem")


@step
def create_bucket_and_keys(ctx):
    ctx.plain.create_bucket()
    for name in ("old", "new"):
        private, public = key_paths(ctx, name)
        osscrypt(ctx, ["keygen", "--bits", "1024", "--private", private, "--public", public,
                       "--force"])


@step
def cp_r_tree_read_by_oss2(ctx):
    tree = os.path.join(ctx.work, "bulk-tree")
    ctx.data = {}
    for name, size in TREE.items():
        path = os.path.join(tree, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = os.urandom(size)
        with open(path, "wb") as f:
            f.write(data)
        ctx.data[f"tree/{name}"] = data
    _, public = key_paths(ctx, "old")
    osscrypt(ctx, ["cp", "-r", "-q", tree, f"oss://{ctx.name}/tree/", "--rsa-public", public,
                   "--jobs", "4"])
    crypto = crypto_bucket(ctx, *key_paths(ctx, "old"))
    for key, data in ctx.data.items():
        eq(crypto.get_object(key).read(), data, f"oss2 CryptoBucket read of {key}")
        raw = ctx.plain.get_object(key).read()
        if data and raw == data:
            raise AssertionError(f"{key} is stored in plaintext")


@step
def migrate_read_by_oss2(ctx):
    for key, size in PLAIN.items():
        data = os.urandom(size)
        ctx.plain.put_object(key, data, headers={"Content-Type": "text/csv",
                                                 "x-oss-meta-owner": "team-a"})
        ctx.data[key] = data
    _, public = key_paths(ctx, "old")
    journal = os.path.join(ctx.work, "bulk-migrate.jsonl")
    osscrypt(ctx, ["migrate", "-q", f"oss://{ctx.name}/old/", "--rsa-public", public,
                   "--journal", journal])
    crypto = crypto_bucket(ctx, *key_paths(ctx, "old"))
    for key in PLAIN:
        eq(crypto.get_object(key).read(), ctx.data[key], f"oss2 CryptoBucket read of {key}")
        head = ctx.plain.head_object(key)
        eq(head.headers.get("Content-Type"), "text/csv", f"Content-Type of {key}")
        eq(head.headers.get("x-oss-meta-owner"), "team-a", f"user metadata of {key}")


@step
def rotate_prefix_read_by_oss2_with_the_new_key(ctx):
    old_private, _ = key_paths(ctx, "old")
    new_private, _ = key_paths(ctx, "new")
    journal = os.path.join(ctx.work, "bulk-rotate.jsonl")
    osscrypt(ctx, ["rotate", "-q", "--prefix", f"oss://{ctx.name}/", "--rsa-private", old_private,
                   "--new-rsa-private", new_private, "--journal", journal])
    crypto = crypto_bucket(ctx, *key_paths(ctx, "new"))
    for key, data in ctx.data.items():
        eq(crypto.get_object(key).read(), data, f"oss2 read of rotated {key}")


def main():
    env = os.environ
    work = env["INTEROP_WORK_DIR"]
    os.makedirs(work, exist_ok=True)
    name = bucket_name("-osscrypt-bulk")
    auth = oss2.Auth(env["OSS_ACCESS_KEY_ID"], env["OSS_ACCESS_KEY_SECRET"])
    ctx = types.SimpleNamespace(
        osscrypt=env["OSSCRYPT_BIN"],
        env={**env, "HOME": work},
        endpoint=env["OSS_ENDPOINT"],
        auth=auth,
        name=name,
        plain=oss2.Bucket(auth, env["OSS_ENDPOINT"], name),
        work=work,
        data={},
    )
    return 0 if run("devserver_osscrypt_bulk", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
