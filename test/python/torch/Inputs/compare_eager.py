"""Compares ckpt-run's results of an exported step with PyTorch eager on the same numbers.

usage: compare_eager.py MODEL.py FACTORY INPUTS.npz CKPT.npz BASELINE.npz

INPUTS.npz: the step's arguments as `python -m ckpt_torch --inputs` wrote them
(parameters, buffers, example inputs); they are loaded into the factory's model, whose
loss and gradients PyTorch then computes (eager, with the model's own checkpointing),
after the buffer updates when the step returns them (BatchNorm in train mode).
CKPT.npz and BASELINE.npz: `ckpt-run --outputs` of the checkpointed step and of
`--no-checkpoint`. Prints per result its relative error max|ckpt - eager| / max|eager|,
whether ckpt and the baseline are bit-identical, and exits 1 if an error is over 1e-4 or
a result differs from the baseline."""
import importlib.util
import os
import sys

import numpy as np
import torch

TOLERANCE = 1e-4


def main():
    path, factory, inputs, got, base = sys.argv[1:6]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("model", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model, example_inputs, loss_fn = getattr(mod, factory)()
    args = np.load(inputs)
    arrays = [args[f"arr_{k}"] for k in range(len(args.files))]
    params = list(model.named_parameters())
    buffers = list(model.named_buffers())
    assert len(arrays) == len(params) + len(buffers) + len(example_inputs), len(arrays)
    with torch.no_grad():
        for (_, t), a in zip(params + buffers, arrays):
            t.copy_(torch.from_numpy(a))
    xs = [torch.from_numpy(a) for a in arrays[len(params) + len(buffers):]]
    model.train()
    loss = loss_fn(model, *xs)
    # The buffer updates (BatchNorm's running statistics) as the forward left them: the
    # backward's recompute under PyTorch's checkpoint runs the forward again.
    updated = [(f"buffer {n}", t.detach().clone()) for n, t in buffers]
    grads = torch.autograd.grad(loss, [p for _, p in params])
    got, base = np.load(got), np.load(base)
    expected = [("loss", loss)] + [(f"grad {n}", g) for (n, _), g in zip(params, grads)]
    if len(got.files) == len(updated) + len(expected):   # the step returns the buffers
        expected = updated + expected
    print(f"results {len(got.files)} expected {len(expected)}")
    ok = len(got.files) == len(expected)
    worst = 0.0
    for k, (name, e) in enumerate(expected):
        e = e.detach().numpy().astype(np.float64)
        g = got[f"result_{k}"]
        if g.shape != e.shape:
            print(f"result {k} {name}: shape {g.shape} expected {e.shape}")
            ok = False
            continue
        scale = float(np.max(np.abs(e))) or 1.0
        rel = float(np.max(np.abs(g.astype(np.float64) - e))) / scale
        worst = max(worst, rel)
        same = np.array_equal(g, base[f"result_{k}"]) and g.dtype == base[f"result_{k}"].dtype
        ok = ok and rel <= TOLERANCE and same
        print(f"result {k} {name}: rel err {rel:.2e} {'ok' if rel <= TOLERANCE else 'OVER'}; "
              f"baseline {'bit-identical' if same else 'DIFFERS'}")
    k = len(expected) - len(params) - 1
    print(f"loss ckpt {got[f'result_{k}'].item():.9g} eager {loss.item():.9g}")
    print(f"worst rel err {worst:.2e}: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
