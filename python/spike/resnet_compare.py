"""Stage 4b: torchvision's resnet18 (batch 2, 3x32x32, 10 classes) with layer1..layer4 wrapped
in composable checkpoint(module), through the chosen route (aot_function joint graph with
region annotations, torch-mlir's table less nll_loss_backward, plus the one-hot nll_loss_forward
and the mask max-pool backward of probe_ops.py), regions by ckpt-annotate{loc=...}, run on
the CPU with and without checkpointing, compared with PyTorch eager.

Run with the torch venv's python:  python python/spike/resnet_compare.py [OUTDIR] [--no-baseline]
(--no-baseline: skip the ckpt-drop-annotations run)"""
import copy
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch.distributed._composable import checkpoint

sys.path.insert(0, os.path.dirname(__file__))
from joint_meta import export, run_and_compare  # noqa: E402
from probe_ops import max_pool2d_backward_masks, nll_loss_forward_one_hot  # noqa: E402
from train_step import decomp_table  # noqa: E402


def main():
    pos = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = pos[0] if pos else "/tmp/spike"
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=10)
    model.train()
    layers = ["layer1", "layer2", "layer3", "layer4"]
    for name in layers:
        checkpoint(getattr(model, name))
    x = torch.randn(2, 3, 32, 32)
    y = torch.tensor([3, 7])
    eager = copy.deepcopy(model)
    ref64 = copy.deepcopy(model).double()
    table = decomp_table("torchmlir", ("nll_loss_backward",))
    table[torch.ops.aten.nll_loss_forward.default] = nll_loss_forward_one_hot
    table[torch.ops.aten.max_pool2d_with_indices_backward.default] = max_pool2d_backward_masks
    path, args, n_fwd = export(model, x, y, F.cross_entropy, "resnet18_step", out, table)
    baseline = "--no-baseline" not in sys.argv
    run_and_compare(path, "resnet18_step", args, n_fwd, layers, eager, x, y, F.cross_entropy,
                    baseline=baseline)
    # Per tensor: ckpt and eager float32, each against float64 (the step's conditioning:
    # batch 2 at 32x32 leaves layer4's BatchNorm 2 values per channel).
    got = np.load(os.path.join(out, "resnet18_step_ckpt_results.npz"))
    names = [n for n, _ in eager.named_parameters()]
    loss64 = F.cross_entropy(ref64(x.double()), y)
    g64 = torch.autograd.grad(loss64, list(ref64.parameters()))
    loss32 = F.cross_entropy(eager(x), y)    # eager ran one step already: same params, and
    g32 = torch.autograd.grad(loss32, list(eager.parameters()))   # BN uses batch stats
    rows = [("loss", got[f"result_{n_fwd - 1}"], loss32, loss64)]
    rows += [(n, got[f"result_{n_fwd + k}"], a, b) for k, (n, a, b) in enumerate(zip(names, g32, g64))]
    worst = {"ckpt": (0, ""), "eager": (0, "")}
    for n, c, e, r in rows:
        r = r.detach().numpy()
        scale = float(np.max(np.abs(r))) or 1.0
        ec = float(np.max(np.abs(c - r))) / scale
        ee = float(np.max(np.abs(e.detach().numpy() - r))) / scale
        worst["ckpt"] = max(worst["ckpt"], (ec, n))
        worst["eager"] = max(worst["eager"], (ee, n))
        if n in ("loss", "conv1.weight", "bn1.bias", "fc.weight", "layer4.1.bn2.bias"):
            print(f"  {n}: rel err vs float64: ckpt {ec:.3e}, eager float32 {ee:.3e}")
    print(f"  worst rel err vs float64: ckpt {worst['ckpt'][0]:.3e} ({worst['ckpt'][1]}), "
          f"eager float32 {worst['eager'][0]:.3e} ({worst['eager'][1]})")


if __name__ == "__main__":
    main()
