"""Stage 4: regions from PyTorch's annotations, carried through the joint graph into MLIR.

Run with the torch venv's python:  python python/spike/joint_meta.py [OUTDIR]
Model: two residual blocks (Linear-ReLU-Linear) and a head, blocks.0 wrapped in composable
checkpoint(module), blocks.1 run under torch.utils.checkpoint.checkpoint(use_reentrant=False);
plus the conv net (BatchNorm buffers) with `conv`..`bn` under checkpoint(module).

1. finds the composable-checkpointed modules (the contract registry) and turns their hooks
   off (checkpoint.state(m).enable_hook = False);
2. replaces torch.utils.checkpoint.checkpoint by a shim that refuses use_reentrant=True and
   runs the function under torch.fx.traceback.annotate({"ckpt_region": name});
3. wraps each checkpointed module's forward in the same annotation (pre/post hooks);
4. traces the joint graph with aot_function under preserve_node_meta(), capturing it in a
   partition_fn (before partitioning), replaces the tangent placeholder by 1.0 and drops the
   None gradients, so the graph is one function returning (buffer updates, loss, grads);
5. imports it with torch-mlir, giving each forward node of a region the location
   NameLoc("<region>")(original file location), lowers to linalg on tensors, and writes the
   generic form with debug info."""
import contextlib
import copy
import os
import re
import subprocess
import sys

import numpy as np

import torch
import torch.fx.traceback as fxt
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as tuc
from functorch.compile import aot_function, make_boxed_func
from torch._functorch.partitioners import default_partition
from torch.distributed._composable import checkpoint
from torch.distributed._composable.contract import _get_registry
from torch_mlir import fx, ir
from torch_mlir.extras.fx_importer import ContextCache, FxImporter
from torch_mlir.dialects import torch as torch_d

sys.path.insert(0, os.path.dirname(__file__))
from models import conv_case  # noqa: E402
from train_step import decomp_table  # noqa: E402
from compare import BUILD, run_by_hand  # noqa: E402

CKPT_OPT = os.path.join(BUILD, "bin", "ckpt-opt")


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)

    def forward(self, x):
        return x + self.fc2(torch.relu(self.fc1(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(), Block()])
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        x = self.blocks[0](x)
        x = tuc.checkpoint(self.blocks[1], x, use_reentrant=False)
        return self.head(x)


@contextlib.contextmanager
def regions_as_annotations(model):
    """Composable checkpoint(module) and torch.utils.checkpoint.checkpoint become
    fxt.annotate({"ckpt_region": qualified name}) while tracing; PyTorch's own hooks are off."""
    names = {m: n for n, m in model.named_modules()}
    wrapped = [(n, m) for n, m in model.named_modules()
               if "checkpoint" in (_get_registry(m) or {})]
    saved, handles = [], []
    for qn, m in wrapped:
        saved.append((m, checkpoint.state(m).enable_hook))
        checkpoint.state(m).enable_hook = False

        def pre(mod, args, qn=qn):
            mod._ckpt_cm = fxt.annotate({"ckpt_region": qn})
            mod._ckpt_cm.__enter__()

        def post(mod, args, out):
            mod._ckpt_cm.__exit__(None, None, None)
        handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(post)]
    calls = {}
    original = tuc.checkpoint

    def shim(function, *args, use_reentrant=None, context_fn=None, **kwargs):
        if use_reentrant is not False:
            raise ValueError("ckpt: torch.utils.checkpoint.checkpoint needs use_reentrant=False"
                             f" (got {use_reentrant!r})")
        if context_fn is not None:
            raise ValueError("ckpt: context_fn (selective checkpointing) is not mapped yet")
        kwargs.pop("preserve_rng_state", None)
        kwargs.pop("determinism_check", None)
        kwargs.pop("debug", None)
        if function in names:                       # a module: its qualified name
            qn = names[function]
        else:                                       # a function: enclosing module + index
            k = calls.setdefault("n", 0)
            calls["n"] = k + 1
            qn = f"{getattr(function, '__name__', 'fn')}.{k}"
        with fxt.annotate({"ckpt_region": qn}):
            return function(*args, **kwargs)
    tuc.checkpoint = shim
    try:
        yield [qn for qn, _ in wrapped]
    finally:
        tuc.checkpoint = original
        for h in handles:
            h.remove()
        for m, flag in saved:
            checkpoint.state(m).enable_hook = flag


def joint_graph(model, x, y, loss_fn, decomps):
    pn = [n for n, _ in model.named_parameters()]
    bn = [n for n, _ in model.named_buffers()]

    def step(params, buffers, x, y):
        state = {**dict(zip(pn, params)), **dict(zip(bn, buffers))}
        return loss_fn(torch.func.functional_call(model, state, (x,)), y)
    captured = {}

    def partition(joint, joint_inputs, **kw):
        captured["joint"] = joint
        return default_partition(joint, joint_inputs, **kw)

    def compiler(gm, _):
        return make_boxed_func(gm.forward)
    params = [p.detach().requires_grad_(True) for p in model.parameters()]
    buffers = [b.detach().clone() for b in model.buffers()]
    with fxt.preserve_node_meta():
        f = aot_function(step, compiler, compiler, partition_fn=partition,
                         decompositions=decomps)
        # Runs the compiled step once: it applies the buffer updates to what it is given,
        # so it gets copies (the returned buffers are the step's inputs).
        f(params, [b.clone() for b in buffers], x, y)
    g = captured["joint"]
    graph = g.graph
    # The joint takes (primals, tangents); a training step seeds the loss's tangent with 1.
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    tangents = [n for n in placeholders if n.name.startswith("tangents")]
    assert len(tangents) == 1, [n.name for n in tangents]
    with graph.inserting_after(placeholders[-1]):
        one = graph.call_function(torch.ops.aten.full.default, ([], 1.0),
                                  {"dtype": torch.float32})
    one.meta.update({k: v for k, v in tangents[0].meta.items() if k in ("val", "tensor_meta")})
    tangents[0].replace_all_uses_with(one)
    graph.erase_node(tangents[0])
    out = next(n for n in graph.nodes if n.op == "output")
    flat = [a for a in torch.utils._pytree.tree_leaves(out.args[0]) if a is not None]
    out.args = (tuple(flat),)
    g.recompile()
    n_fwd = len(flat) - len(params)   # buffer updates and the loss; then one grad per param
    return g, params, buffers, n_fwd


def named_location_importer(context):
    """An FxImporter whose node locations are NameLoc(region)(file location) for nodes in a
    region: the importer's own hook point is ContextCache.get_node_location."""
    class RegionLocations(ContextCache):
        def get_node_location(self, node):
            loc = super().get_node_location(node) or ir.Location.unknown(context=context)
            region = (node.meta.get("custom") or {}).get("ckpt_region")
            if region is None:
                return loc
            return ir.Location.name(region, childLoc=loc, context=context)
    importer = FxImporter(context=context)
    # ContextCache has __slots__: replace the instance (made in FxImporter.__init__).
    importer._cc = RegionLocations(context, py_attr_tracker=importer._py_attr_tracker)
    return importer


def export(model, x, y, loss_fn, func_name, out, table=None):
    if table is None:
        table = decomp_table("torchmlir", ("nll_loss_backward",))
    with regions_as_annotations(model) as wrapped:
        g, params, buffers, n_fwd = joint_graph(model, x, y, loss_fn, table)
    nodes = [n for n in g.graph.nodes if n.op == "call_function"]
    per = {}
    for n in nodes:
        r = (n.meta.get("custom") or {}).get("ckpt_region")
        per[r] = per.get(r, 0) + 1
    print(f"{func_name}: composable-wrapped {wrapped}; joint nodes per region {per}")
    context = ir.Context()
    torch_d.register_dialect(context)
    importer = named_location_importer(context)
    m = fx.stateless_fx_import(g, output_type="linalg-on-tensors", fx_importer=importer,
                               model_name=func_name)
    with context:
        i64 = ir.IntegerType.get_signless(64)
        fn = next(op for op in m.body.operations if op.operation.name == "func.func")
        fn.attributes["ckpt.forward_results"] = ir.ArrayAttr.get(
            [ir.IntegerAttr.get(i64, i) for i in range(n_fwd)])
        # Top-level ops of the lowered function per location name (do names survive?).
        hist = {}
        for op in fn.regions[0].blocks[0].operations:
            loc = str(op.location)
            key = next((r for r in per if r and f'"{r}"' in loc), "-")
            hist.setdefault(key, {}).setdefault(op.operation.name, 0)
            hist[key][op.operation.name] += 1
    for key, ops in hist.items():
        print(f"  lowered ops with location {key!r}: {sum(ops.values())}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(ops.items())))
    path = os.path.join(out, f"{func_name}.mlir")
    with open(path, "w") as f:
        f.write(m.operation.get_asm(print_generic_op_form=True, enable_debug_info=True))
    print(f"  wrote {path}")
    args = [a.detach().numpy() for a in params + buffers + [x, y]]
    np.savez(os.path.join(out, f"{func_name}_inputs.npz"), *args)
    return path, args, n_fwd


def run_and_compare(path, func_name, args, n_fwd, regions, model, x, y, loss_fn, baseline=True):
    """ckpt-annotate{loc=...} then ckpt-rematerialize vs ckpt-drop-annotations, and eager."""
    import copy
    regex = "^(" + "|".join(re.escape(r) for r in regions) + ")$"
    annotate = "ckpt-annotate{loc=%s}" % regex
    p = subprocess.run([CKPT_OPT, path, "--pass-pipeline=builtin.module(%s)" % annotate],
                       capture_output=True, text=True, check=True)
    found = re.findall(r'"ckpt.checkpoint"\(.*?<\{name = "([^"]+)"\}>', p.stdout)
    found = found or re.findall(r'ckpt.checkpoint "([^"]+)"', p.stdout)
    print(f"  ckpt-annotate loc={regex}: regions {found}")
    res = {}
    runs = [("ckpt", annotate + ",ckpt-rematerialize"), ("no-ckpt", "ckpt-drop-annotations")]
    for tag, passes in runs[:2 if baseline else 1]:
        proc, got = run_by_hand(path, func_name, args, os.path.dirname(path), passes=passes)
        print(f"  {tag}: {proc.stdout.strip().splitlines()[-3]}")
        res[tag] = got
    np.savez(os.path.join(os.path.dirname(path), f"{func_name}_ckpt_results.npz"), **res["ckpt"])
    if baseline:
        same = all(np.array_equal(res["ckpt"][k], res["no-ckpt"][k]) for k in res["ckpt"])
        print(f"  results with and without checkpointing bit-identical: {same}")
    # Eager reference without PyTorch's checkpointing: with the composable hooks on, the
    # backward's recompute runs BatchNorm's forward again and updates its buffers twice.
    m = copy.deepcopy(model)
    for mod in m.modules():
        if "checkpoint" in (_get_registry(mod) or {}):
            checkpoint.state(mod).enable_hook = False
    loss = loss_fn(m(x), y)
    grads = torch.autograd.grad(loss, list(m.parameters()))
    if n_fwd > 1:
        hooked = copy.deepcopy(model)
        torch.autograd.grad(loss_fn(hooked(x), y), list(hooked.parameters()))
        diff = [n for (n, a), b in zip(m.named_buffers(), hooked.buffers())
                if not torch.equal(a, b)]
        print(f"  eager buffers with checkpoint hooks on differ from hooks off: {diff}")
    expected = [b for n, b in m.named_buffers()][:n_fwd - 1] + [loss] + list(grads)
    worst = (0.0, None)
    worst_buffers = 0.0
    for k, e in enumerate(expected):
        e = e.detach().numpy()
        g = res["ckpt"][f"result_{k}"]
        scale = float(np.max(np.abs(e))) or 1.0
        rel = float(np.max(np.abs(g.astype(np.float64) - e))) / scale
        worst = max(worst, (rel, f"result {k} max|eager| {scale:.3e}"))
        if k < n_fwd - 1:
            worst_buffers = max(worst_buffers, rel)
    if n_fwd > 1:
        print(f"  buffer updates ({n_fwd - 1}): worst rel err vs eager {worst_buffers:.3e}")
    print(f"  loss ckpt {res['ckpt']['result_' + str(n_fwd - 1)].item():.9g} "
          f"eager {loss.item():.9g}; worst rel err vs eager {worst[0]:.3e} ({worst[1]})")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spike"
    torch.manual_seed(0)
    net = Net()
    checkpoint(net.blocks[0])
    x, y = torch.randn(4, 8), torch.randn(4, 4)
    # PyTorch's own hooks on while tracing: the trace fails (measured).
    try:
        joint_graph(copy.deepcopy(net), x, y, F.mse_loss, {})
        print("tracing with the composable hooks on: no error")
    except AssertionError as e:
        print(f"tracing with the composable hooks on: AssertionError: {e}")
    eager = copy.deepcopy(net)
    path, args, n_fwd = export(net, x, y, F.mse_loss, "blocks_step", out)
    run_and_compare(path, "blocks_step", args, n_fwd, ["blocks.0", "blocks.1"], eager, x, y,
                    F.mse_loss)
    # use_reentrant=True is refused.
    with regions_as_annotations(net):
        try:
            tuc.checkpoint(net.blocks[1], x, use_reentrant=True)
        except ValueError as e:
            print(f"  use_reentrant=True: {e}")
    _, conv, cx, cy, closs = conv_case()
    checkpoint(conv.bn)
    eager = copy.deepcopy(conv)
    path, args, n_fwd = export(conv, cx, cy, closs, "conv_regions_step", out)
    run_and_compare(path, "conv_regions_step", args, n_fwd, ["bn"], eager, cx, cy, closs)


if __name__ == "__main__":
    main()
