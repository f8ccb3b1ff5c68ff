"""The residual MLP step of bench/cpu_throughput.py against PyTorch: runs it
through ckpt-run (checkpointed and --no-checkpoint) on the same npz inputs
and compares the loss and every gradient with PyTorch autograd in float64.

  resmlp_oracle.py SRC_ROOT CKPT_RUN TMPDIR
"""
import os
import subprocess
import sys

import numpy as np
import torch

src, run, tmp = sys.argv[1:4]
sys.path.insert(0, os.path.join(src, "bench"))
import cpu_throughput  # noqa: E402

blocks, batch, width = 3, 8, 5
os.makedirs(tmp, exist_ok=True)
step = os.path.join(tmp, "resmlp.mlir")
with open(step, "w") as f:
    f.write(cpu_throughput.residual_mlp(blocks, batch, width))
rng = np.random.default_rng(0)
x = (rng.standard_normal((batch, width)) * 0.5).astype(np.float32)
y = (rng.standard_normal((batch, width)) * 0.5).astype(np.float32)
ws = [(rng.standard_normal((width, width)) / width ** 0.5).astype(np.float32)
      for _ in range(blocks)]
inputs = os.path.join(tmp, "inputs.npz")
np.savez(inputs, x, y, *ws)
outs = []
for flags in ([], ["--no-checkpoint"]):
    out = os.path.join(tmp, "out%d.npz" % len(flags))
    subprocess.run([run] + flags + ["--inputs", inputs, "--outputs", out, step], check=True,
                   stdout=subprocess.DEVNULL)
    outs.append(np.load(out))
tw = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in ws]
h = torch.tensor(x, dtype=torch.float64)
for w in tw:
    h = h + torch.tanh(h @ w)
loss = 0.5 * ((h - torch.tensor(y, dtype=torch.float64)) ** 2).sum()
grads = torch.autograd.grad(loss, tw)
want = [loss.detach().numpy()] + [g.numpy() for g in grads]
for k, w in enumerate(want):
    have = outs[0]["result_%d" % k]
    rel = float(np.abs(have - w).max() / max(np.abs(w).max(), 1e-30))
    same = have.tobytes() == outs[1]["result_%d" % k].tobytes()
    print("result %d: %s, %s" % (k, "within 1e-5" if rel <= 1e-5 else "OFF BY %g" % rel,
                                "bitwise equal without checkpointing" if same else "DIFFERENT"))
