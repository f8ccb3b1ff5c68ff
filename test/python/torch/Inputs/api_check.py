"""The Python API (ckpt_torch.export_training_step) on Inputs/conv_bn.py and a refused
model: the step text and its inputs archive, and PyTorch's state restored afterwards
(the composable checkpoint hooks on again, torch.utils.checkpoint.checkpoint the
original function, also where a model file imported it by name, the model in the mode
it had).

usage: api_check.py OUT.mlir OUT.npz"""
import os
import re
import sys

import numpy as np
import torch.utils.checkpoint as tuc
from torch.distributed._composable import checkpoint

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bad_models  # noqa: E402
import conv_bn  # noqa: E402
from ckpt_torch import ExportError, export_training_step  # noqa: E402

original = tuc.checkpoint
model, example, loss_fn = conv_bn.make()
model.eval()
text = export_training_step(model, example, loss_fn, inputs=sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write(text)
print(f"hook on after export: {checkpoint.state(model.bn).enable_hook}")
print(f"training after export: {model.training}")
print(f"tuc.checkpoint restored: {tuc.checkpoint is original}")
archive = np.load(sys.argv[2])
for k in range(len(archive.files)):
    a = archive[f"arr_{k}"]
    print(f"arg {k}: {a.dtype} {list(a.shape)}")
model, example, loss_fn = bad_models.reentrant()
try:
    export_training_step(model, example, loss_fn)
except ExportError as e:
    print(f"refused: {e}")
print(f"tuc.checkpoint restored after refusal: {tuc.checkpoint is original}")
import two_block_mlp  # noqa: E402
model, example, loss_fn = two_block_mlp.make_from_import()
text = export_training_step(model, example, loss_fn)
print("by-name import regions: " + " ".join(re.findall(r'ckpt\.checkpoint "([^"]+)"', text)))
print(f"by-name import restored: {two_block_mlp.utils_checkpoint is original}")
model, example, loss_fn = conv_bn.make()
split = export_training_step(model, example, loss_fn, form="split")
print("split: " + " ".join(re.findall(r"func\.func (?:private )?@\w+|ckpt\.backward = @\w+|"
                                      r"ckpt\.num_outputs = \d+|ckpt\.checkpoint \"\w+\"",
                                      split)))
