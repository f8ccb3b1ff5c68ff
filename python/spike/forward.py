"""Stage 2a: forward only, torch.export -> torch-mlir FX importer -> linalg-on-tensors.

Run with the torch venv's python:  python python/spike/forward.py [OUTDIR]
Writes OUTDIR/<case>_forward.mlir in the generic op form."""
import os
import sys

import torch
from torch_mlir import fx

sys.path.insert(0, os.path.dirname(__file__))
from models import CASES  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spike"
os.makedirs(out, exist_ok=True)
for case in CASES:
    name, model, x, _, _ = case()
    model.eval()  # BatchNorm with running stats in the forward-only export
    m = fx.export_and_import(model, x, output_type="linalg-on-tensors",
                             func_name=f"{name}_forward")
    path = os.path.join(out, f"{name}_forward.mlir")
    with open(path, "w") as f:
        f.write(m.operation.get_asm(print_generic_op_form=True, large_elements_limit=None))
    print(path)
