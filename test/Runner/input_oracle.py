"""The inputs ckpt-runner-main generates, rebuilt with numpy from the rule in
its pass description, compared bit for bit with an npz archive that
`ckpt-run --outputs` wrote for a step returning its arguments unchanged.

  input_oracle.py ARCHIVE GENERATOR SPEC...

Each SPEC describes argument K (result K of the step): `TYPE:SHAPE[:RANGE]`
with TYPE f16, f32, f64, i1, i8, i32 or i64, SHAPE like 4x6 (the shape
generated, dynamic dimensions bound), RANGE the integer range. Prints one
line per argument; exits 1 on a mismatch.
"""
import math
import sys

import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix_hash(k, n):
    """h(k, i) >> 11 for i in [0, n): SplitMix64's finalizer of
    i + (k + 1) * 0x9E3779B97F4A7C15, wrapping."""
    with np.errstate(over="ignore"):
        x = np.arange(n, dtype=np.uint64) + np.uint64(k + 1) * GOLDEN
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x >> np.uint64(11)


def expected(generator, k, kind, shape, rng):
    n = int(np.prod(shape, dtype=np.int64))
    dtype = {"f16": np.float16, "f32": np.float32, "f64": np.float64, "i1": np.bool_,
             "i8": np.int8, "i32": np.int32, "i64": np.int64}[kind]
    if kind.startswith("i"):
        values = mix_hash(k, n) % np.uint64(rng)
        return values.astype(dtype).reshape(shape)
    if generator == "sin":
        # libm's sin, as the lowered code calls it (numpy's may differ in
        # the last bit).
        values = np.array([0.5 * math.sin(0.37 * float(i) + 1.3 * k) for i in range(n)],
                          dtype=np.float64)
    else:
        fan_in = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
        u = mix_hash(k, n).astype(np.float64) * 2.0 ** -53
        values = (u * 2.0 - 1.0) * (1.0 / np.sqrt(np.float64(fan_in)))
    return values.astype(dtype).reshape(shape)


def main(argv):
    archive, generator, specs = argv[0], argv[1], argv[2:]
    data = np.load(archive)
    ok = True
    for k, spec in enumerate(specs):
        parts = spec.split(":")
        kind = parts[0]
        shape = tuple(int(d) for d in parts[1].split("x")) if parts[1] else ()
        rng = int(parts[2]) if len(parts) > 2 else 2
        want = expected(generator, k, kind, shape, rng)
        have = data["result_%d" % k]
        same = (have.dtype == want.dtype and have.shape == want.shape
                and have.tobytes() == want.tobytes())
        ok &= same
        print("argument %d %s %s: %s (min %s max %s)" % (
            k, have.dtype, "x".join(map(str, have.shape)),
            "bit-identical" if same else "MISMATCH", have.min(), have.max()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
