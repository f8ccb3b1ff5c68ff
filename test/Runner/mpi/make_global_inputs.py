"""Writes the global inputs of the sharded-step tests (sharded-*.mlir) as an
npz archive: x 4x3 f32, w 3x2 f32, y 4x4 f32, in argument order.

  make_global_inputs.py ARCHIVE
"""
import sys

import numpy as np

rng = np.random.default_rng(18)
np.savez(sys.argv[1],
         rng.standard_normal((4, 3)).astype(np.float32),
         rng.standard_normal((3, 2)).astype(np.float32),
         rng.standard_normal((4, 4)).astype(np.float32))
