"""The npz archives of npz-roundtrip.mlir, and the numpy oracle of its step.

  npz_roundtrip.py make ARCHIVE [wrong-dtype|too-few|uint8]
  npz_roundtrip.py check INPUTS OUTPUTS

`make` writes the step's five arguments (x 2x3 f32, labels 4 i32, mask 4
bool, d 5x2 f64, h 3 as float32 for a bf16 argument) in argument order, or a
broken variant. `check` recomputes every result with numpy and compares bit
for bit (bf16 rounded to nearest even, then doubled: exact).
"""
import sys

import numpy as np


def inputs():
    rng = np.random.default_rng(15)
    return [rng.standard_normal((2, 3)).astype(np.float32),
            rng.integers(0, 10, size=4).astype(np.int32),
            np.array([True, False, False, True]),
            rng.standard_normal((5, 2)),
            rng.standard_normal(3).astype(np.float32)]


def to_bf16_as_f32(x):
    bits = x.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return rounded.astype(np.uint32).view(np.float32)


def main(argv):
    if argv[0] == "make":
        arrays = inputs()
        variant = argv[2] if len(argv) > 2 else ""
        if variant == "wrong-dtype":
            arrays[1] = arrays[1].astype(np.int64)
        elif variant == "too-few":
            arrays = arrays[:4]
        elif variant == "uint8":
            arrays[1] = arrays[1].astype(np.uint8)
        np.savez(argv[1], *arrays)
        return 0
    x, labels, mask, d, h = [np.load(argv[1])["arr_%d" % k] for k in range(5)]
    out = np.load(argv[2])
    want = [x * np.float32(2.0) + np.float32(1.0), labels + np.int32(1), ~mask, d * d,
            to_bf16_as_f32(h) * np.float32(2.0)]
    ok = True
    for k, w in enumerate(want):
        have = out["result_%d" % k]
        same = have.dtype == w.dtype and have.shape == w.shape and have.tobytes() == w.tobytes()
        ok &= same
        print("result_%d %s %s: %s" % (k, have.dtype, "x".join(map(str, have.shape)),
                                       "equal" if same else "DIFFERENT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
