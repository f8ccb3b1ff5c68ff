"""Stage 4c: is the ResNet stem's gradient error from max-pool ties? Conv-ReLU-MaxPool(3,2,1)
-Linear (ReLU zeros make ties in the pooling windows) and the same without ReLU, through the
chosen route with the mask max-pool backward, run on the CPU, against eager and float64.

Run with the torch venv's python:  python python/spike/pool_compare.py [OUTDIR]"""
import copy
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from compare import run_by_hand  # noqa: E402
from joint_meta import export  # noqa: E402
from probe_ops import max_pool2d_backward_masks, nll_loss_forward_one_hot  # noqa: E402
from train_step import decomp_table  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spike"
    table = decomp_table("torchmlir", ("nll_loss_backward",))
    table[torch.ops.aten.nll_loss_forward.default] = nll_loss_forward_one_hot
    table[torch.ops.aten.max_pool2d_with_indices_backward.default] = max_pool2d_backward_masks
    for relu in (False, True):
        torch.manual_seed(0)
        layers = [nn.Conv2d(3, 8, 3, padding=1)] + ([nn.ReLU()] if relu else []) + [
            nn.MaxPool2d(3, 2, 1), nn.Flatten(), nn.Linear(8 * 8 * 8, 10)]
        model = nn.Sequential(*layers)
        x, y = torch.randn(2, 3, 16, 16), torch.tensor([3, 7])
        eager, m64 = copy.deepcopy(model), copy.deepcopy(model).double()
        name = f"pool_relu{int(relu)}_step"
        path, args, n_fwd = export(model, x, y, F.cross_entropy, name, out, table)
        _, got = run_by_hand(path, name, args, out, passes="ckpt-drop-annotations")
        loss = F.cross_entropy(eager(x), y)
        g32 = torch.autograd.grad(loss, list(eager.parameters()))
        loss64 = F.cross_entropy(m64(x.double()), y)
        g64 = torch.autograd.grad(loss64, list(m64.parameters()))
        names = ["loss"] + [n for n, _ in eager.named_parameters()]
        for k, (n, e, r) in enumerate(zip(names, [loss, *g32], [loss64, *g64])):
            r = r.detach().numpy()
            s = float(np.max(np.abs(r))) or 1.0
            c = got[f"result_{k}"]
            print(f"  {name} {n}: rel err vs float64 ckpt {np.max(np.abs(c - r)) / s:.3e}, "
                  f"eager {np.max(np.abs(e.detach().numpy() - r)) / s:.3e}")


if __name__ == "__main__":
    main()
