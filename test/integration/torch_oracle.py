#!/usr/bin/env python3
"""Gradient oracle: compute a training step's loss and gradients with PyTorch
(Debian's python3-torch) on the inputs `ckpt-runner-main` generates, and
compare them with the `result K: sum S l1 L bits B` lines that `ckpt-run`
printed for the compiled step.

Inputs: argument k, element at row-major linear index i, is
0.5 * sin(0.37 * i + 1.3 * k), computed in float64 and rounded to float32.
Comparison: the sum and the L1 norm of every result must agree within a
relative tolerance of 1e-4 (float32 arithmetic in a different order: loops
in the compiled step, blocked kernels in PyTorch), with an absolute floor of
1e-4 times the result's L1 norm for sums that nearly cancel.

Usage: torch_oracle.py MODEL RUN_OUTPUT
  MODEL: mlp3 (examples/mlp_train_step.mlir), cnn:FILTERS:BATCH:SIZE or
  encoder:LAYERS:TOKENS:WIDTH (examples/gen_train_step.py cnn|encoder
  --layers . --batch . --width .)
"""
import math
import re
import sys

import torch


def make_input(k, shape):
    n = math.prod(shape)
    i = torch.arange(n, dtype=torch.float64)
    return (0.5 * torch.sin(0.37 * i + 1.3 * k)).to(torch.float32).reshape(shape)


def mlp3():
    """examples/mlp_train_step.mlir: 3 layers h' = tanh(h @ W), loss =
    0.5 * sum((h3 - y)^2); results: loss, dL/dw0, dL/dw1, dL/dw2."""
    x, y = make_input(0, (16, 64)), make_input(1, (16, 64))
    ws = [make_input(2 + i, (64, 64)).requires_grad_() for i in range(3)]
    h = x
    for w in ws:
        h = torch.tanh(h @ w)
    loss = 0.5 * ((h - y) ** 2).sum()
    loss.backward()
    return [loss.detach()] + [w.grad for w in ws]


def cnn(filters, batch, size):
    """examples/gen_train_step.py cnn: conv 3x3 (no padding, no bias), ReLU,
    2x2 max pooling, flatten, linear to 10 classes, loss 0.5 * sum((out -
    y)^2); results: loss, dL/dw1, dL/dw2."""
    pooled = (size - 2) // 2
    x, y = make_input(0, (batch, 3, size, size)), make_input(1, (batch, 10))
    w1 = make_input(2, (filters, 3, 3, 3)).requires_grad_()
    w2 = make_input(3, (filters * pooled * pooled, 10)).requires_grad_()
    h = torch.nn.functional.max_pool2d(torch.relu(torch.nn.functional.conv2d(x, w1)), 2)
    out = h.flatten(1) @ w2
    loss = 0.5 * ((out - y) ** 2).sum()
    loss.backward()
    return [loss.detach(), w1.grad, w2.grad]


def encoder(layers, tokens, width):
    """examples/gen_train_step.py encoder: pre-norm blocks (layer norm without
    affine, single-head attention, residual, layer norm, MLP with exact GELU
    and hashed dropout, residual); results: the loss, then dWq dWk dWv dWo
    dW1 dW2 per block."""
    T, D, F = tokens, width, 2 * width
    x, t = make_input(0, (T, D)), make_input(1, (T, D))
    names = ["wq", "wk", "wv", "wo", "w1", "w2"]
    shapes = {"wq": (D, D), "wk": (D, D), "wv": (D, D), "wo": (D, D), "w1": (D, F), "w2": (F, D)}
    weights, k = [], 2
    for b in range(layers):
        block = {}
        for name in names:
            block[name] = make_input(k, shapes[name]).requires_grad_()
            k += 1
        weights.append(block)
    ln = lambda v: torch.nn.functional.layer_norm(v, (D,), eps=1e-5)
    idx = torch.arange(T * F, dtype=torch.int64).reshape(T, F)
    h = x
    for b, w in enumerate(weights):
        n = ln(h)
        q, kk, v = n @ w["wq"], n @ w["wk"], n @ w["wv"]
        p = torch.softmax((q @ kk.T) * (1.0 / D ** 0.5), dim=-1)
        h = h + (p @ v) @ w["wo"]
        g = torch.nn.functional.gelu(ln(h) @ w["w1"])
        hashed = (idx * 747796405 + (17 + b) * 2891336453) % 2**32
        keep = (hashed < 3865470566).to(torch.float32)
        h = h + (g * keep * (1.0 / (1.0 - 0.1))) @ w["w2"]
    loss = 0.5 * ((h - t) ** 2).sum()
    loss.backward()
    return [loss.detach()] + [w[name].grad for w in weights for name in names]


MODELS = {"mlp3": mlp3, "cnn": cnn, "encoder": encoder}


def main():
    model, run_output = sys.argv[1], sys.argv[2]
    name, *params = model.split(":")
    expected = MODELS[name](*map(int, params))
    got = {}
    with open(run_output) as f:
        for line in f:
            m = re.match(r"result (\d+): sum (\S+) l1 (\S+) bits", line)
            if m:
                got[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
    ok = len(got) == len(expected)
    if not ok:
        print(f"expected {len(expected)} results, got {len(got)}")
    for k, tensor in enumerate(expected):
        t = tensor.double()
        ref_sum, ref_l1 = t.sum().item(), t.abs().sum().item()
        s, l1 = got.get(k, (float("nan"), float("nan")))
        sum_ok = abs(s - ref_sum) <= 1e-4 * max(abs(ref_sum), ref_l1)
        l1_ok = abs(l1 - ref_l1) <= 1e-4 * ref_l1
        ok &= sum_ok and l1_ok
        print(f"result {k}: sum {s:.6e} (torch {ref_sum:.6e}) l1 {l1:.6e} "
              f"(torch {ref_l1:.6e}) {'ok' if sum_ok and l1_ok else 'MISMATCH'}")
    print("oracle: " + ("all results match" if ok else "MISMATCH"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
