"""Shared by the ``devserver_*.py`` interop scripts (and ``bench_oss2.py``): the step registry
and runner with its PASS/FAIL output, the assertions, and the environment the xtask sets.

A script registers its steps with ``@step`` (or ``@step_named(name)``), builds a context and
calls ``run(name, ctx, describe)``, where ``describe`` formats an exception of its SDK. The
runner prints ``PASS <step>`` or ``FAIL <step>: <description>`` per step, then
``<name>: N passed, N failed``; set INTEROP_TRACE=1 for tracebacks. It is not an interop script
itself: ``cargo xtask interop`` runs only ``devserver_*.py``.
"""

import hashlib
import os
import traceback
import types

STEPS = []


def step(fn):
    STEPS.append(fn)
    return fn


def step_named(name):
    """Registers a step under ``name`` (for steps generated in a loop)."""
    def register(fn):
        fn.__name__ = name
        return step(fn)
    return register


def describe_oss2(err):
    """An oss2 exception with the server's code, message and request id; others by type."""
    import oss2  # only the scripts that use oss2 pay for the import

    if isinstance(err, oss2.exceptions.ClientError):
        return str(err.body)
    if isinstance(err, oss2.exceptions.OssError):
        return (f"{type(err).__name__}: status={err.status} code={err.code!r} "
                f"message={err.message!r} request_id={err.request_id} details={err.details}")
    return f"{type(err).__name__}: {err}"


def run(name, ctx, describe):
    """Runs every registered step with ``ctx``; True when all passed."""
    passed = failed = 0
    for fn in STEPS:
        try:
            fn(ctx)
        except Exception as err:  # noqa: BLE001 - every failure is reported, then the next step runs
            failed += 1
            print(f"FAIL {fn.__name__}: {describe(err)}", flush=True)
            if os.environ.get("INTEROP_TRACE"):
                traceback.print_exc()
        else:
            passed += 1
            print(f"PASS {fn.__name__}", flush=True)
    print(f"{name}: {passed} passed, {failed} failed", flush=True)
    return failed == 0


def eq(actual, expected, what):
    if actual != expected:
        if isinstance(actual, bytes) and isinstance(expected, bytes):
            first = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b),
                         min(len(actual), len(expected)))
            raise AssertionError(f"{what}: {len(actual)} bytes, expected {len(expected)}; "
                                 f"first difference at byte {first}")
        raise AssertionError(f"{what}: got {actual!r}, expected {expected!r}")


def raises(exc_type, fn, what):
    try:
        fn()
    except exc_type as err:
        return err
    raise AssertionError(f"{what}: expected {exc_type.__name__}, got no error")


def md5_upper(data):
    return hashlib.md5(data).hexdigest().upper()


def multipart_etag(parts):
    """The ETag OSS gives a multipart object made of ``parts``."""
    joined = "".join(md5_upper(p) for p in parts).encode("ascii")
    return f"{md5_upper(joined)}-{len(parts)}"


def region():
    return os.environ.get("OSS_REGION", "cn-hangzhou")


def kms_key_id():
    return os.environ.get("OSS_KMS_KEY_ID", "alias/oss-devserver")


def bucket_name(suffix):
    """``<OSS_BUCKET prefix><suffix>``: each script works in a bucket of its own."""
    return os.environ.get("OSS_BUCKET", "interop") + suffix


def rsa_test_keys(vectors):
    """The shared RSA-1024 test key pair of the vectors folder: paths and PEM texts."""
    keys = os.path.join(vectors, "keys")
    pair = types.SimpleNamespace(
        private_path=os.path.join(keys, "rsa1024-private-pkcs1.pem"),
        public_path=os.path.join(keys, "rsa1024-public-pkcs1.pem"),
    )
    with open(pair.private_path) as f:
        pair.private_pem = f.read()
    with open(pair.public_path) as f:
        pair.public_pem = f.read()
    return pair
