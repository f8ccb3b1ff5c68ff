"""The numpy oracle of labels.mlir: rebuilds the generated logits, labels
and mask (input_oracle.py) and recomputes picked and the masked loss in
float32, in the step's order, then compares with the npz ckpt-run wrote.

  labels_oracle.py ARCHIVE GENERATOR ROWS
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from input_oracle import expected  # noqa: E402

archive, generator, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = expected(generator, 0, "f32", (rows, 3), 2)
labels = expected(generator, 1, "i64", (rows,), 3)
mask = expected(generator, 2, "i1", (rows,), 2)
picked = np.zeros(rows, dtype=np.float32)
for r in range(rows):
    for c in range(3):  # acc + (c == label ? x : 0), c ascending
        picked[r] = picked[r] + (x[r, c] if c == labels[r] else np.float32(0))
loss = np.float32(0)
for r in range(rows):
    loss = np.float32(loss + (picked[r] if mask[r] else np.float32(0)))
out = np.load(archive)
print("labels %s, mask %s" % (labels, mask.astype(np.int64)))
for name, want, have in (("picked", picked, out["result_1"]),
                         ("loss", np.array(loss, dtype=np.float32), out["result_0"])):
    same = have.dtype == want.dtype and have.shape == want.shape and have.tobytes() == want.tobytes()
    print("%s: %s" % (name, "bit-identical" if same else "MISMATCH %s vs %s" % (have, want)))
