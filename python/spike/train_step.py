"""Stage 2b: one training step (forward + loss + backward) -> torch-mlir -> linalg-on-tensors.

Run with the torch venv's python:
    python python/spike/train_step.py ROUTE [OUTDIR] [--decomp=DECOMP]
ROUTE:  aot_export   torch._functorch.aot_autograd.aot_export_module(trace_joint=True):
                     AOTAutograd's joint graph before partitioning (params, buffers, inputs)
                     -> (buffer updates, loss, grads)
        make_fx      make_fx of a function calling torch.func.functional_call + autograd.grad
        export       torch.export.export of a module whose forward calls torch.autograd.grad
DECOMP: torchmlir (torch_mlir's get_decomposition_table(), the default) | core | none
--keep=OP,OP  aten ops left out of the torchmlir table (e.g. --keep=nll_loss_backward)
Writes OUTDIR/<case>_<route>.mlir (generic op form) and OUTDIR/<case>_<route>.fx.txt."""
import os
import sys
import traceback

import torch
import torch.nn as nn
from torch_mlir import fx
from torch_mlir.extras.fx_decomp_util import get_decomposition_table

sys.path.insert(0, os.path.dirname(__file__))
from models import CASES  # noqa: E402


class WithLoss(nn.Module):
    def __init__(self, model, loss_fn):
        super().__init__()
        self.model = model
        self.loss_fn = loss_fn

    def forward(self, x, y):
        return (self.loss_fn(self.model(x), y),)


def decomp_table(kind, keep=()):
    """keep: aten op names (e.g. nll_loss_backward) left out of the table, so that
    torch-mlir's TorchToLinalg lowers them instead of PyTorch's Python decomposition."""
    if kind == "torchmlir":
        table = get_decomposition_table()
        return {k: v for k, v in table.items() if k._overloadpacket.__name__ not in keep}
    if kind == "core":
        from torch._decomp import core_aten_decompositions
        return core_aten_decompositions()
    return {}


def route_aot_export(model, x, y, loss_fn, decomps):
    from torch._functorch.aot_autograd import aot_export_module
    gm, sig = aot_export_module(WithLoss(model, loss_fn), (x, y), trace_joint=True,
                                output_loss_index=0, decompositions=decomps)
    return gm, sig


def route_make_fx(model, x, y, loss_fn, decomps):
    from torch.fx.experimental.proxy_tensor import make_fx
    names = [n for n, _ in model.named_parameters()]
    buffers = dict(model.named_buffers())

    def step(params, x, y):
        p = dict(zip(names, params))
        out = torch.func.functional_call(model, {**p, **buffers}, (x,))
        loss = loss_fn(out, y)
        grads = torch.autograd.grad(loss, params)
        return (loss, *grads)

    params = [p.detach().requires_grad_(True) for p in model.parameters()]
    gm = make_fx(step, decomposition_table=decomps)(params, x, y)
    return gm, None


class GradStep(nn.Module):
    def __init__(self, model, loss_fn):
        super().__init__()
        self.model = model
        self.loss_fn = loss_fn

    def forward(self, x, y):
        loss = self.loss_fn(self.model(x), y)
        grads = torch.autograd.grad(loss, list(self.model.parameters()))
        return (loss, *grads)


def route_export(model, x, y, loss_fn, decomps):
    ep = torch.export.export(GradStep(model, loss_fn), (x, y))
    if decomps:
        ep = ep.run_decompositions(decomps)
    return ep, None


ROUTES = {"aot_export": route_aot_export, "make_fx": route_make_fx, "export": route_export}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--"))
    route = args[0]
    out = args[1] if len(args) > 1 else "/tmp/spike"
    decomp = opts.get("decomp", "torchmlir")
    keep = tuple(k for k in opts.get("keep", "").split(",") if k)
    os.makedirs(out, exist_ok=True)
    status = 0
    for case in CASES:
        name, model, x, y, loss_fn = case()
        model.train()
        tag = f"{name}_{route}" + ("" if decomp == "torchmlir" else f"_{decomp}")
        tag += "".join(f"_keep-{k}" for k in keep)
        try:
            g, sig = ROUTES[route](model, x, y, loss_fn, decomp_table(decomp, keep))
            with open(os.path.join(out, tag + ".fx.txt"), "w") as f:
                gm = g.graph_module if isinstance(g, torch.export.ExportedProgram) else g
                f.write(gm.print_readable(print_output=False))
                if sig is not None:
                    f.write("\n# signature\n" + repr(sig) + "\n")
            if isinstance(g, torch.export.ExportedProgram):
                m = fx.export_and_import(g, output_type="linalg-on-tensors",
                                         func_name=f"{name}_step", decomposition_table={})
            else:
                m = fx.stateless_fx_import(g, output_type="linalg-on-tensors",
                                           model_name=f"{name}_step")
            path = os.path.join(out, tag + ".mlir")
            with open(path, "w") as f:
                f.write(m.operation.get_asm(print_generic_op_form=True,
                                            large_elements_limit=None))
            print(f"OK {tag} -> {path}")
        except Exception as e:  # noqa: BLE001 - spike: report every route's failure
            status = 1
            print(f"FAIL {tag}: {type(e).__name__}: {str(e)[:2000]}")
            traceback.print_exc(limit=4)
    sys.exit(status)


if __name__ == "__main__":
    main()
