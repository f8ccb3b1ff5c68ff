"""The PyTorch models that bench/torch_checkpoint.py and the GPU check
(scripts/gpu_check.py, its PyTorch eager twins) run: the GPT-2-style decoder
and the 2-block MLP of test/python/torch/Inputs, at test sizes (quick) or
bench sizes. Imports torch only (no torch_mlir), so that it runs on the GPU
machine too."""
import importlib.util
import os

import torch
from torch.distributed._composable import checkpoint

INPUTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "test", "python", "torch", "Inputs")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(INPUTS, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def models(quick):
    """[(name, make)]: make(wrapped) -> (model, example_inputs, loss_fn), with every
    block wrapped in composable `checkpoint(module)` when `wrapped`."""
    gpt2, mlp = load("gpt2"), load("two_block_mlp")

    def make_gpt2(wrapped):
        torch.manual_seed(0)
        if quick:
            vocab, t, batch, cfg = 64, 16, 2, {}
        else:
            vocab, t, batch, cfg = 256, 64, 8, dict(d=128, heads=4, layers=4)
        model = gpt2.GPT(vocab=vocab, context=t, **cfg)
        tokens = torch.randint(0, vocab, (batch, t + 1))
        if wrapped:
            for block in model.h:
                checkpoint(block)
        return model, (tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()), gpt2.loss_fn

    def make_mlp(wrapped):
        torch.manual_seed(0)
        d, hidden, batch = (16, 32, 8) if quick else (256, 1024, 512)
        model = mlp.MLP(d=d, hidden=hidden, out=4)
        if wrapped:
            for block in model.blocks:
                checkpoint(block)
        return model, (torch.randn(batch, d), torch.randn(batch, 4)), mlp.loss_fn

    return [("gpt2", make_gpt2), ("2-block MLP", make_mlp)]
