#!/usr/bin/env python3
"""A loose sanity test of the converted ResNet-18 split pair against PyTorch
(issue 16 part 3): the same weights and inputs through a PyTorch ResNet-18
written here (torchvision is not needed) in float64, rounded to f16 where
ByteIR's graph stores f16 (the input, the convolution and linear weights,
every activation, and the gradients flowing back through them), batch-norm
in training mode (batch statistics, f32 parameters). Each of the 62
gradients must have a cosine similarity >= 0.97 with ckpt's.

  resnet18_torch_check.py PAIR.mlir [--passes 'P,...'] [--keep DIR]

PAIR.mlir is merge-split-pair.py's output with `--step step`. The @step
arguments are, as AOTAutograd orders them, the 62 parameters sorted by their
torchvision name, then per batch-norm (num_batches_tracked made zero inside
the step) running_mean and running_var, the image and the output gradient;
its results are the output, then the 62 gradients in parameter order.
Needs torch and numpy (Debian's /usr/bin/python3).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


class Round16(torch.autograd.Function):
    """Rounds to f16 going forward and its gradient going back (the graph
    stores both in f16)."""

    @staticmethod
    def forward(ctx, x):
        return x.half().double()

    @staticmethod
    def backward(ctx, g):
        return g.half().double()


R = Round16.apply


def bn(x, w, b, eps=1e-5):
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w.view(1, -1, 1, 1) + b.view(1, -1, 1, 1)


def conv(x, w, stride, pad):
    return R(torch.nn.functional.conv2d(x, R(w), stride=stride, padding=pad))


def block(p, name, x, stride, down):
    y = conv(x, p[f"{name}.conv1.weight"], stride, 1)
    y = torch.relu(R(bn(y, p[f"{name}.bn1.weight"], p[f"{name}.bn1.bias"])))
    y = conv(y, p[f"{name}.conv2.weight"], 1, 1)
    y = R(bn(y, p[f"{name}.bn2.weight"], p[f"{name}.bn2.bias"]))
    if down:
        s = conv(x, p[f"{name}.downsample.0.weight"], stride, 0)
        s = R(bn(s, p[f"{name}.downsample.1.weight"], p[f"{name}.downsample.1.bias"]))
    else:
        s = x
    return torch.relu(R(y + s))


def resnet18(p, x):
    y = conv(R(x), p["conv1.weight"], 2, 3)
    y = torch.relu(R(bn(y, p["bn1.weight"], p["bn1.bias"])))
    y = R(torch.nn.functional.max_pool2d(y, 3, 2, 1))
    for layer in range(1, 5):
        for index in range(2):
            down = layer > 1 and index == 0
            y = block(p, f"layer{layer}.{index}", y, 2 if down else 1, down)
    y = R(R(y.sum(dim=(2, 3))) / 49.0)
    return R(R(y @ R(p["fc.weight"]).t()) + p["fc.bias"])


def parameter_names():
    names = ["conv1.weight", "bn1.weight", "bn1.bias", "fc.weight", "fc.bias"]
    for layer in range(1, 5):
        for index in range(2):
            n = f"layer{layer}.{index}"
            names += [f"{n}.conv1.weight", f"{n}.bn1.weight", f"{n}.bn1.bias",
                      f"{n}.conv2.weight", f"{n}.bn2.weight", f"{n}.bn2.bias"]
            if layer > 1 and index == 0:
                names += [f"{n}.downsample.0.weight", f"{n}.downsample.1.weight",
                          f"{n}.downsample.1.bias"]
    return sorted(names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pair")
    parser.add_argument("--passes", default="ckpt-convert-byteir-kernels,"
                        "ckpt-annotate{segments=sqrt},ckpt-rematerialize")
    parser.add_argument("--keep", help="keep the npz archives in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: compare the outputs.npz kept there by an earlier "
                        "run instead of running ckpt-run again")
    args = parser.parse_args()
    tmp = args.keep or tempfile.mkdtemp()
    os.makedirs(tmp, exist_ok=True)

    text = open(args.pair).read()
    sig = re.search(r"func\.func private @step\((.*?)\) ->", text).group(1)
    shapes = [tuple(int(d) for d in m.group(1).split("x")[:-1])
              for m in re.finditer(r"tensor<([0-9x]+[a-z0-9]+)>", sig)]
    dtypes = [m.group(1) for m in re.finditer(r"tensor<[0-9x]+x([a-z0-9]+)>", sig)]
    names = parameter_names()
    assert len(names) == 62 and len(shapes) == 62 + 40 + 2, (len(names), len(shapes))

    rng = np.random.default_rng(16)
    arrays = []
    for k, shape in enumerate(shapes):
        if k < 62 and re.search(r"(bn\d|downsample\.1)\.weight$", names[k]):
            a = rng.uniform(0.5, 1.5, shape)           # batch-norm scale
        elif k < 62:
            fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
            a = rng.uniform(-1, 1, shape) / np.sqrt(fan_in)
        elif k < 102:
            a = rng.uniform(0.5, 1.5, shape) if (k - 62) % 2 else rng.uniform(-0.5, 0.5, shape)
        else:
            a = rng.uniform(-1, 1, shape)              # image, output gradient
        arrays.append(a.astype(np.float16 if dtypes[k] == "f16" else np.float32))
    inputs = os.path.join(tmp, "inputs.npz")
    outputs = os.path.join(tmp, "outputs.npz")
    if args.reuse and os.path.exists(outputs):
        kept = np.load(inputs)
        if not all(np.array_equal(kept[f"arr_{k}"], a) for k, a in enumerate(arrays)):
            sys.exit(f"FAIL: {inputs} holds other inputs")
        proc = None
    else:
        np.savez(inputs, *arrays)
        proc = subprocess.run(["ckpt-run", "--entry", "step", "--passes", args.passes,
                               "--inputs", inputs, "--outputs", outputs, args.pair],
                              capture_output=True, text=True)
    if proc and proc.returncode != 0:
        sys.exit(f"FAIL: ckpt-run exited {proc.returncode}\n{proc.stdout}{proc.stderr}")
    got = np.load(outputs)

    p = {n: torch.tensor(arrays[k].astype(np.float64), requires_grad=True)
         for k, n in enumerate(names)}
    x = torch.tensor(arrays[102].astype(np.float64))
    g = torch.tensor(arrays[103].astype(np.float64))
    out = resnet18(p, x)
    out.backward(g)

    ok = True
    y = got["result_0"].astype(np.float64).ravel()
    ref = out.detach().numpy().ravel()
    cos = float(y @ ref / (np.linalg.norm(y) * np.linalg.norm(ref)))
    print(f"output: cosine {cos:.4f}")
    worst = (2.0, None)
    for k, n in enumerate(names):
        mine = got[f"result_{k + 1}"].astype(np.float64).ravel()
        want = p[n].grad.numpy().ravel()
        c = float(mine @ want / max(np.linalg.norm(mine) * np.linalg.norm(want), 1e-300))
        rel = float(np.linalg.norm(mine - want) / max(np.linalg.norm(want), 1e-300))
        print(f"grad {n}: cosine {c:.4f} rel-L2 {rel:.3f}")
        worst = min(worst, (c, n))
        if not c >= 0.97:
            ok = False
    print(f"worst gradient cosine {worst[0]:.4f} ({worst[1]})")
    print("PASS" if ok and cos >= 0.97 else "FAIL")
    return 0 if ok and cos >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main())
