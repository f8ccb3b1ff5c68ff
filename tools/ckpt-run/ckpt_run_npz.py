#!/usr/bin/env python3
"""ckpt-run's npz helper: converts between npz archives and the raw files
the CPU runtime reads and writes (ckpt-runner-main load-inputs and
store-results). Run by ckpt-run with a Python that has numpy.

  ckpt_run_npz.py to-raw ARCHIVE.npz DIR    # argK.bin + argK.txt per array
  ckpt_run_npz.py from-raw DIR ARCHIVE.npz  # resultK.bin + resultK.txt

A tensor K is `K.bin` (its elements in row-major order, little-endian;
bool as one byte 0/1) and `K.txt` (one line: the dtype name and the
dimensions). Archive arrays are taken in archive order (np.savez writes
positional arrays as arr_0, arr_1, ..., sorted here by their number).
numpy has no bfloat16: a bf16 argument takes a float32 array (rounded to
nearest even by the runtime) and a bf16 result is written as float32
(exactly).
"""
import os
import re
import sys

import numpy as np

DTYPES = ("float16", "float32", "float64", "bool", "int8", "int16", "int32", "int64")


def fail(message):
    sys.stderr.write("ckpt-run: error: %s\n" % message)
    sys.exit(1)


def to_raw(archive, folder):
    try:
        data = np.load(archive, allow_pickle=False)
    except Exception as exc:  # a file numpy cannot read: say why
        fail("cannot read %s as an npz archive: %s" % (archive, exc))
    if not hasattr(data, "files"):
        fail("%s holds a single array, not an npz archive (use np.savez)" % archive)
    names = list(data.files)
    positional = [re.fullmatch(r"arr_(\d+)", name) for name in names]
    if names and all(positional):
        names.sort(key=lambda name: int(name[4:]))
    for k, name in enumerate(names):
        array = data[name]
        if array.dtype.name not in DTYPES:
            fail("array '%s' (argument #%d) has dtype %s; ckpt-run passes %s"
                 % (name, k, array.dtype.name, ", ".join(DTYPES)))
        # np.ascontiguousarray would make a 0-d array 1-d.
        array = np.array(array, dtype=array.dtype.newbyteorder("<"), order="C")
        with open(os.path.join(folder, "arg%d.bin" % k), "wb") as out:
            out.write(array.tobytes())
        with open(os.path.join(folder, "arg%d.txt" % k), "w") as out:
            out.write(" ".join([array.dtype.name] + [str(d) for d in array.shape]) + "\n")


def from_raw(folder, archive):
    results = {}
    k = 0
    while os.path.exists(os.path.join(folder, "result%d.txt" % k)):
        with open(os.path.join(folder, "result%d.txt" % k)) as header:
            words = header.read().split()
        dtype, shape = words[0], tuple(int(d) for d in words[1:])
        raw = os.path.join(folder, "result%d.bin" % k)
        if dtype == "bfloat16":
            bits = np.fromfile(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.fromfile(raw, dtype=np.dtype(dtype).newbyteorder("<"))
        results["result_%d" % k] = array.reshape(shape)
        k += 1
    # Written beside the target, then renamed: nothing half-written is left.
    target = os.path.abspath(archive)
    partial = target + ".partial.npz"
    try:
        np.savez(partial, **results)
        os.replace(partial, target)
    except OSError as exc:
        if os.path.exists(partial):
            os.remove(partial)
        fail("cannot write %s: %s" % (archive, exc))


def main(argv):
    if len(argv) != 3 or argv[0] not in ("to-raw", "from-raw"):
        fail("usage: ckpt_run_npz.py to-raw ARCHIVE DIR | from-raw DIR ARCHIVE")
    (to_raw if argv[0] == "to-raw" else from_raw)(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
