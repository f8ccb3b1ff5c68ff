"""Stage 4 survey: which FX node metadata each trace route keeps (nn_module_stack,
stack_trace, custom annotations from torch.fx.traceback.annotate, seq_nr), and where a
composable checkpoint(module)'s options live.

Run with the torch venv's python:  python python/spike/meta_survey.py"""
import collections
import inspect

import torch
import torch.fx.traceback as fxt
import torch.nn as nn
import torch.nn.functional as F
from functorch.compile import aot_function, make_boxed_func
from torch._functorch.aot_autograd import aot_export_module
from torch._functorch.partitioners import default_partition
from torch.distributed._composable import checkpoint
from torch.fx.experimental.proxy_tensor import make_fx
from torch.utils.checkpoint import CheckpointPolicy, create_selective_checkpoint_contexts


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)

    def forward(self, x):
        with fxt.annotate({"ckpt_region": "marked"}):
            return x + self.fc2(torch.relu(self.fc1(x)))


class WithLoss(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.model = m

    def forward(self, x, y):
        return (F.mse_loss(self.model(x), y),)


def survey(tag, gm):
    nodes = [n for n in gm.graph.nodes if n.op == "call_function"]
    c = collections.Counter()
    for n in nodes:
        c["nn_module_stack"] += bool(n.meta.get("nn_module_stack"))
        st = n.meta.get("stack_trace") or ""
        c["stack_trace (user file)"] += __file__ in st
        c["custom"] += bool(n.meta.get("custom"))
        c["seq_nr"] += "seq_nr" in n.meta
    print(f"{tag}: {len(nodes)} nodes; " + ", ".join(f"{k} on {v}" for k, v in c.items()))


def main():
    torch.manual_seed(0)
    m = Block()
    x, y = torch.randn(4, 8), torch.randn(4, 8)
    names = [n for n, _ in m.named_parameters()]
    params = [p.detach().requires_grad_(True) for p in m.parameters()]

    def loss_of(params, x, y):
        return F.mse_loss(torch.func.functional_call(m, dict(zip(names, params)), (x,)), y)

    def step(params, x, y):
        loss = loss_of(params, x, y)
        return (loss, *torch.autograd.grad(loss, params))
    ep = torch.export.export(WithLoss(m), (x, y))
    survey("torch.export (forward + loss)", ep.graph_module)
    from torch.export.experimental import _export_forward_backward
    survey("torch.export + _export_forward_backward (joint)",
           _export_forward_backward(ep, joint_loss_index=0).graph_module)
    for pm in (False, True):
        ctx = fxt.preserve_node_meta(pm)
        with ctx:
            gm, _ = aot_export_module(WithLoss(m), (x, y), trace_joint=True, output_loss_index=0)
        survey(f"aot_export_module joint, preserve_node_meta={pm}", gm)
        with fxt.preserve_node_meta(pm):
            gm = make_fx(step, record_module_stack=True, record_stack_traces=True)(params, x, y)
        survey(f"make_fx(autograd.grad), preserve_node_meta={pm}", gm)
        cap = {}

        def part(j, ji, **kw):
            cap["j"] = j
            cap["fw"], cap["bw"] = default_partition(j, ji, **kw)
            return cap["fw"], cap["bw"]
        with fxt.preserve_node_meta(pm):
            aot_function(loss_of, lambda g, _: make_boxed_func(g.forward),
                         partition_fn=part)(params, x, y)
        survey(f"aot_function joint (partition_fn), preserve_node_meta={pm}", cap["j"])
        survey("  its default_partition forward", cap["fw"])
        survey("  its default_partition backward", cap["bw"])
    # Composable checkpoint: state, registry and where context_fn goes.
    b = Block()

    def policy(ctx, op, *a, **k):
        return (CheckpointPolicy.MUST_SAVE if op == torch.ops.aten.mm.default
                else CheckpointPolicy.PREFER_RECOMPUTE)
    from functools import partial
    checkpoint(b, context_fn=partial(create_selective_checkpoint_contexts, policy))
    st = checkpoint.state(b)
    print("checkpoint.state:", type(st).__name__, {k: v for k, v in vars(st).items()})
    hooks = list(b._forward_pre_hooks.values())
    print("forward pre-hooks:", [h.__qualname__ for h in hooks])
    cv = inspect.getclosurevars(hooks[0])
    print("closure of the pre-hook:", sorted(cv.nonlocals))
    fn = cv.nonlocals.get("user_context_fns")
    print("  user_context_fns:", fn, "policy:", getattr(fn, "args", None))


if __name__ == "__main__":
    main()
