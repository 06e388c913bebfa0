#!/usr/bin/env python3
"""Our key wrapping (the `keywrap_interop` example binary of oss-keywrap) against oss2 and
pycryptodome: envelopes wrapped by Rust are unwrapped by the Python side and vice versa, for
RSA (PKCS#1 v1.5, and the legacy V1 OAEP vector) and KMS (oss2 flavour, with and without a
passphrase, through the oss-devserver's KMS endpoint).

Environment: OSS_KMS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_REGION,
OSS_CRYPTO_VECTORS, OSS_KMS_KEY_ID (default ``alias/oss-devserver``) and
OSS_KEYWRAP_INTEROP_BIN (the built example binary). Prints one PASS/FAIL line per step and a
closing ``<name>: N passed, N failed`` line; exits 1 when a step failed. Set INTEROP_TRACE=1
for tracebacks.
"""

import base64
import json
import os
import subprocess
import sys
import types

import oss2
from Crypto.Cipher import PKCS1_v1_5
from Crypto.PublicKey import RSA

from interop_common import describe_oss2, eq, kms_key_id, region, rsa_test_keys, run, step

ENVELOPE = "x-oss-meta-client-side-encryption-"
KEY_HEX = "00112233445566778899aabbccddeeff" * 2
IV_HEX = "5649ca0d16946d8100000000e649d194"


def keywrap(ctx, *args):
    """Runs the Rust key-wrapping driver and returns its JSON output."""
    done = subprocess.run([ctx.binary, *args], capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        raise AssertionError(f"keywrap_interop {args[0]} exited {done.returncode}: "
                             f"{done.stderr.strip()}")
    return json.loads(done.stdout)


def kms_args(ctx, passphrase=None):
    args = ["--endpoint", ctx.kms_endpoint, "--access-key-id", ctx.access_key_id,
            "--access-key-secret", ctx.access_key_secret, "--region", ctx.region]
    return args + (["--passphrase", passphrase] if passphrase else [])


def kms_provider(ctx, passphrase=None):
    provider = oss2.AliKMSProvider(ctx.access_key_id, ctx.access_key_secret, ctx.region,
                                   ctx.kms_key_id, passphrase=passphrase)
    provider.kms_client.add_endpoint(ctx.region, "Kms", ctx.kms_endpoint)
    return provider


def pkcs1_unwrap(ctx, header_value):
    return PKCS1_v1_5.new(RSA.import_key(ctx.private_pem)).decrypt(
        base64.b64decode(header_value), None)


@step
def rust_rsa_wrap_unwrapped_by_pycryptodome(ctx):
    out = keywrap(ctx, "rsa-wrap", "--public-pem", ctx.public_path, "--key-hex", KEY_HEX,
                  "--iv-hex", IV_HEX)
    eq(out["wrap_alg"], "RSA/NONE/PKCS1Padding", "wrap_alg")
    eq(pkcs1_unwrap(ctx, out["key"]), bytes.fromhex(KEY_HEX), "unwrapped CEK")
    eq(pkcs1_unwrap(ctx, out["start"]), bytes.fromhex(IV_HEX), "unwrapped IV")


@step
def rust_rsa_fresh_material_unwrapped_by_pycryptodome(ctx):
    out = keywrap(ctx, "rsa-wrap", "--public-pem", ctx.public_path)
    eq(len(bytes.fromhex(out["key_hex"])), 32, "generated CEK length")
    eq(pkcs1_unwrap(ctx, out["key"]).hex(), out["key_hex"], "unwrapped CEK")
    eq(pkcs1_unwrap(ctx, out["start"]).hex(), out["iv_hex"], "unwrapped IV")


@step
def oss2_rsa_material_unwrapped_by_rust(ctx):
    provider = oss2.RsaProvider(key_pair={"private_key": ctx.private_pem,
                                          "public_key": ctx.public_pem})
    material = provider.create_content_material()
    headers = material.to_object_meta()
    out = keywrap(ctx, "rsa-unwrap", "--private-pem", ctx.private_path,
                  "--key", headers[ENVELOPE + "key"], "--start", headers[ENVELOPE + "start"],
                  "--wrap-alg", headers[ENVELOPE + "wrap-alg"])
    eq(out["key_hex"], provider.decrypt_encrypted_key(material.encrypted_key).hex(), "CEK")
    eq(out["iv_hex"], provider.decrypt_encrypted_iv(material.encrypted_iv).hex(), "IV")


@step
def v1_oaep_vector_unwrapped_by_rust(ctx):
    with open(os.path.join(ctx.vectors, "v1-rsa-oaep-1MiB.json")) as f:
        meta = json.load(f)
    headers = meta["headers"]
    out = keywrap(ctx, "rsa-unwrap", "--private-pem", ctx.private_path, "--v1",
                  "--key", headers["x-oss-meta-oss-crypto-key"],
                  "--start", headers["x-oss-meta-oss-crypto-start"])
    eq(out["key_hex"], meta["expected"]["cek_hex"], "CEK")
    eq(out["iv_hex"], meta["expected"]["initial_counter_hex"], "initial counter block")


@step
def rust_kms_wrap_unwrapped_by_oss2(ctx):
    for passphrase in (None, "interop-pass"):
        out = keywrap(ctx, "kms-wrap", *kms_args(ctx, passphrase), "--key-id", ctx.kms_key_id,
                      "--flavour", "oss2", "--key-hex", KEY_HEX, "--iv-hex", IV_HEX)
        eq(out["wrap_alg"], "KMS/ALICLOUD", "wrap_alg")
        provider = kms_provider(ctx, passphrase)
        key_blob = base64.b64decode(out["key"]).decode("ascii")
        iv_blob = base64.b64decode(out["start"]).decode("ascii")
        eq(provider.decrypt_encrypted_key(key_blob).hex(), KEY_HEX, f"CEK ({passphrase})")
        eq(provider.decrypt_encrypted_iv(iv_blob).hex(), IV_HEX, f"IV ({passphrase})")


@step
def oss2_kms_material_unwrapped_by_rust(ctx):
    for passphrase in (None, "interop-pass"):
        provider = kms_provider(ctx, passphrase)
        material = provider.create_content_material()
        headers = material.to_object_meta()
        out = keywrap(ctx, "kms-unwrap", *kms_args(ctx, passphrase),
                      "--key", headers[ENVELOPE + "key"], "--start", headers[ENVELOPE + "start"])
        eq(out["key_hex"], provider.decrypt_encrypted_key(material.encrypted_key).hex(),
           f"CEK ({passphrase})")
        eq(out["iv_hex"], provider.decrypt_encrypted_iv(material.encrypted_iv).hex(),
           f"IV ({passphrase})")


@step
def rust_kms_unwrap_with_wrong_passphrase_fails(ctx):
    provider = kms_provider(ctx, "right-pass")
    headers = provider.create_content_material().to_object_meta()
    try:
        keywrap(ctx, "kms-unwrap", *kms_args(ctx, "wrong-pass"),
                "--key", headers[ENVELOPE + "key"], "--start", headers[ENVELOPE + "start"])
    except AssertionError as err:
        if "exited" not in str(err):
            raise
    else:
        raise AssertionError("unwrapped with the wrong passphrase (EncryptionContext)")


def main():
    env = os.environ
    vectors = env["OSS_CRYPTO_VECTORS"]
    keys = rsa_test_keys(vectors)
    ctx = types.SimpleNamespace(
        binary=env["OSS_KEYWRAP_INTEROP_BIN"],
        vectors=vectors,
        kms_endpoint=env["OSS_KMS_ENDPOINT"],
        kms_key_id=kms_key_id(),
        access_key_id=env["OSS_ACCESS_KEY_ID"],
        access_key_secret=env["OSS_ACCESS_KEY_SECRET"],
        region=region(),
        private_path=keys.private_path,
        public_path=keys.public_path,
        private_pem=keys.private_pem,
        public_pem=keys.public_pem,
    )
    return 0 if run("devserver_rust_keywrap", ctx, describe_oss2) else 1


if __name__ == "__main__":
    sys.exit(main())
