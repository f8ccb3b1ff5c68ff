"""One training step (forward, loss, backward) of a PyTorch model as MLIR for ckpt.

The route of the spike (docs/pytorch.md, "Spike findings"): `aot_function` traces
`step(params, buffers, *inputs)` (functionalized: BatchNorm's buffer updates become
outputs) and its `partition_fn` captures the joint graph before partitioning; the joint's
tangent is replaced by 1.0 and the `None` gradients (buffers, inputs) are dropped, so the
graph returns (buffer updates, loss, one gradient per parameter). torch-mlir imports it
to linalg on tensors; ops of a checkpointed module carry the location
`NameLoc("<qualified name>")`, and `ckpt-opt --pass-pipeline=builtin.module(ckpt-annotate{loc=...})`
(a subprocess: torch-mlir's MLIR and ckpt's libraries never share a process) turns each
named forward run into a `ckpt.checkpoint "<qualified name>"` region.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.fx.traceback as fxt
from functorch.compile import aot_function, make_boxed_func
from torch._functorch.partitioners import default_partition
from torch._subclasses.fake_tensor import DataDependentOutputException
from torch.fx.experimental.symbolic_shapes import GuardOnDataDependentSymNode
from torch.nn.utils.stateless import _reparametrize_module
from torch_mlir import fx, ir
from torch_mlir.dialects import func as func_d
from torch_mlir.dialects import torch as torch_d
from torch_mlir.extras.fx_importer import ContextCache, FxImporter

from .decompositions import decomposition_table
from .regions import REGION_KEY, ExportError, regions_as_annotations

_HERE = os.path.dirname(os.path.abspath(__file__))


def find_ckpt_opt(path=None):
    """ckpt-opt: `path`, else $CKPT_OPT, else the one on PATH, else build/bin/ckpt-opt of
    the source tree this package is in."""
    for candidate in (path, os.environ.get("CKPT_OPT"), shutil.which("ckpt-opt"),
                      os.path.join(_HERE, "..", "..", "build", "bin", "ckpt-opt")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise ExportError("ckpt: ckpt-opt not found (give ckpt_opt=, set CKPT_OPT or put it "
                      "on PATH)")


def _trace(model, example_inputs, loss_fn):
    """Traces one step with AOTAutograd: (joint, (fw, bw), pnames, bnames, n_fwd).

    joint: the joint graph (primals, tangent -> forward outputs, one gradient per primal);
    (fw, bw): PyTorch's default partition of it (`default_partition`, the forward as the
    model's forward ran it; not the min-cut one, which recomputes on its own); n_fwd: the
    forward outputs (buffer updates, then the loss)."""
    pnames = [n for n, _ in model.named_parameters()]
    bnames = [n for n, _ in model.named_buffers()]
    if not pnames:
        raise ExportError("ckpt: the model has no parameters: nothing to differentiate")

    def step(params, buffers, *inputs):
        state = {**dict(zip(pnames, params)), **dict(zip(bnames, buffers))}
        with _reparametrize_module(model, state):
            loss = loss_fn(model, *inputs)
        if not isinstance(loss, torch.Tensor) or loss.dim() != 0:
            shape = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
            raise ExportError(f"ckpt: the loss must be a scalar tensor (0-d), got {shape}")
        if not loss.dtype.is_floating_point:
            raise ExportError(f"ckpt: the loss must be floating-point, got {loss.dtype}")
        return loss

    captured = {}

    def partition(joint, joint_inputs, **kw):
        captured["joint"] = joint
        captured["n_fwd"] = kw["num_fwd_outputs"]
        captured["split"] = default_partition(joint, joint_inputs, **kw)
        return captured["split"]

    def compiler(gm, _):
        return make_boxed_func(gm.forward)

    params = [p.detach().clone().requires_grad_(True) for p in model.parameters()]
    buffers = [b.detach().clone() for b in model.buffers()]
    inputs = [a.detach().clone() if isinstance(a, torch.Tensor) else a
              for a in example_inputs]
    with fxt.preserve_node_meta(), _module_stack(model) as stack:
        f = aot_function(step, compiler, compiler, partition_fn=partition,
                         decompositions=decomposition_table())
        try:
            f(params, buffers, *inputs)   # applies the buffer updates to the copies only
        except (DataDependentOutputException, GuardOnDataDependentSymNode) as e:
            # AOTAutograd traces with fake tensors: a Python branch or loop on a tensor's
            # value (`if h.sum() > 0`, `.item()`, `.tolist()`) has no value to follow.
            where = f"module '{stack[-1]}'" if stack else "the loss function"
            raise ExportError(
                f"ckpt: {where}: data-dependent control flow (the forward reads a "
                f"tensor's value in Python: {type(e).__name__}: {e}); the step is traced "
                "once: write the branch as tensor ops (torch.where)") from None
    return captured["joint"], captured["split"], pnames, bnames, captured["n_fwd"]


class _module_stack:
    """While active, `stack` holds the qualified names of the submodules of `model` whose
    forward is running, innermost last (forward pre- and post-hooks on every submodule):
    after an exception inside a forward, the innermost module that raised is last."""
    def __init__(self, model):
        self.model, self.stack, self.handles = model, [], []

    def __enter__(self):
        for name, m in self.model.named_modules():
            if not name:
                continue
            self.handles.append(m.register_forward_pre_hook(self._enter(name)))
            self.handles.append(m.register_forward_hook(self._leave))
        return self.stack

    def _enter(self, name):
        def hook(_module, _args):
            self.stack.append(name)   # returns None: the arguments are unchanged
        return hook

    def _leave(self, _module, _args, _output):
        self.stack.pop()              # returns None: the output is unchanged

    def __exit__(self, *exc):
        for h in self.handles:
            h.remove()
        return False


def _seed_tangent(g):
    """Replaces the one tangent placeholder of `g` (the loss's) by a constant 1.0: the
    step differentiates the loss itself."""
    graph = g.graph
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    tangents = [n for n in placeholders if n.name.startswith("tangents")]
    if len(tangents) != 1:
        raise ExportError(f"ckpt: expected one tangent (the loss's), got {len(tangents)}")
    with graph.inserting_after(placeholders[-1]):
        one = graph.call_function(torch.ops.aten.full.default, ([], 1.0),
                                  {"dtype": tangents[0].meta["val"].dtype})
    one.meta.update({k: v for k, v in tangents[0].meta.items() if k in ("val", "tensor_meta")})
    tangents[0].replace_all_uses_with(one)
    graph.erase_node(tangents[0])


def _parameter_gradients(grads, pnames):
    """The gradients of the parameters from `grads` (one per primal: parameters, buffers,
    inputs, in that order; None where there is none); ExportError if a parameter has
    none or a buffer or an input has one."""
    missing = [pnames[k] for k in range(len(pnames)) if grads[k] is None]
    if missing:
        raise ExportError("ckpt: parameters without a gradient (unused by the loss?): "
                          + ", ".join(missing))
    if any(a is not None for a in grads[len(pnames):]):
        raise ExportError("ckpt: a buffer or an input gets a gradient")
    return list(grads[:len(pnames)])


def _joint_graph(joint, pnames, n_fwd):
    """The joint graph as the step: primals -> (buffer updates, loss, one gradient per
    parameter)."""
    g = joint
    n_primals = sum(n.op == "placeholder" for n in g.graph.nodes) - 1
    _seed_tangent(g)
    out = next(n for n in g.graph.nodes if n.op == "output")
    outs = list(out.args[0])
    if len(outs) != n_fwd + n_primals:
        raise ExportError(f"ckpt: the joint graph returns {len(outs)} values for {n_fwd} "
                          f"forward outputs and {n_primals} gradients")
    fw_outs, grads = outs[:n_fwd], outs[n_fwd:]
    out.args = (tuple(list(fw_outs) + _parameter_gradients(grads, pnames)),)
    g.recompile()
    return g


def _split_graphs(fw, bw, pnames, n_fwd):
    """PyTorch's partition as the pair of DESIGN §1's split form: fw (primals ->
    n_fwd forward outputs, then the saved values) and bw (saved values -> one gradient
    per parameter), the tangent seeded with 1.0. Saved symbolic sizes (dynamic shapes)
    raise ExportError: the step is traced with static shapes."""
    bw_inputs = [n for n in bw.graph.nodes if n.op == "placeholder"]
    fw_out = next(n for n in fw.graph.nodes if n.op == "output")
    n_saved = len(fw_out.args[0]) - n_fwd
    if any(not n.name.startswith("tangents") and "tensor_meta" not in n.meta
           and not isinstance(n.meta.get("val"), torch.Tensor) for n in bw_inputs):
        raise ExportError("ckpt: form='split': the partition saves a value that is not a "
                          "tensor (a symbolic size); use form='joint'")
    if len(bw_inputs) != n_saved + 1:
        raise ExportError(f"ckpt: form='split': the backward takes {len(bw_inputs)} "
                          f"arguments for {n_saved} saved values and one tangent")
    _seed_tangent(bw)
    out = next(n for n in bw.graph.nodes if n.op == "output")
    out.args = (tuple(_parameter_gradients(list(out.args[0]), pnames)),)
    bw.recompile()
    return fw, bw


def _importer(context, aten_names=False):
    """An FxImporter whose node locations are NameLoc(region)(location) for nodes in a
    region (the importer's hook point: ContextCache.get_node_location). aten_names: every
    node's location is instead NameLoc("<aten op>[ in module '<region>']"), the aten op
    being the one the dispatcher ran (`original_aten`), for naming what did not lower."""
    class RegionLocations(ContextCache):
        def get_node_location(self, node):
            loc = super().get_node_location(node) or ir.Location.unknown(context=context)
            region = (node.meta.get("custom") or {}).get(REGION_KEY)
            if aten_names:
                name = str(node.meta.get("original_aten") or node.target)
                if region is not None:
                    name += f" in module '{region}'"
                return ir.Location.name(name, context=context)
            if region is None:
                return loc
            return ir.Location.name(region, childLoc=loc, context=context)
    importer = FxImporter(context=context)
    # ContextCache has __slots__: replace the instance made in FxImporter.__init__.
    importer._cc = RegionLocations(context, py_attr_tracker=importer._py_attr_tracker)
    return importer


def step_arguments(model, example_inputs):
    """The step's arguments as numpy arrays, in argument order: parameters, buffers, then
    the example inputs."""
    args = [t.detach().numpy() for t in list(model.parameters()) + list(model.buffers())]
    args += [a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
             for a in example_inputs]
    return args


def stage_file(path, write, suffix=""):
    """write(tmp) into a temporary file beside `path` (the umask's usual mode, not
    mkstemp's 0600) and return tmp, to be renamed onto `path` by the caller; on an
    error the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(prefix=".ckpt-torch-", suffix=suffix,
                               dir=os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        write(tmp)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _write_atomically(path, write, suffix=""):
    """write(tmp_path) then rename onto path; on any error nothing is left at path."""
    os.replace(stage_file(path, write, suffix), path)


# The linalg op each contraction of the joint graph lowers to (torch-mlir's
# linalg-on-tensors lowering, as the tests' graphs show).
_LINALG_OF = {"aten::mm": "linalg.matmul", "aten::bmm": "linalg.batch_matmul"}


def _linalg_contraction(node):
    """(aten op name, linalg op name) of a contraction node of the joint graph, the
    linalg name None where the lowering is not mapped (a convolution that is not 2-D,
    grouped or transposed); None for any other node."""
    q = getattr(getattr(node.target, "overloadpacket", None), "_qualified_op_name", None)
    if q in _LINALG_OF:
        return q, _LINALG_OF[q]
    if q == "aten::convolution":
        # (input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
        weight = node.args[1].meta["val"]
        plain = not node.args[6] and node.args[8] == 1 and weight.dim() == 4
        return q, "linalg.conv_2d_nchw_fchw" if plain else None
    return None


def save_list(graph, qn, ops):
    """The `save` list of region `qn` whose selective-checkpointing op list is `ops`
    (OpOverloadPackets, `regions.selective_op_list`): the linalg names of its forward
    contractions whose op, as PyTorch's policy sees it (`original_aten`: nn.Linear's
    aten.addmm, which the decompositions split into aten.mm and an add), is listed.

    ckpt saves by op name, so a linalg op name that both a listed and an unlisted op of
    the region lower to (aten.mm listed, aten.addmm not, both linalg.matmul) raises
    ExportError, as does a listed convolution whose lowering is not mapped. A listed op
    the region never runs gives a warning (PyTorch saves nothing for it either)."""
    listed, unlisted, seen = {}, {}, set()
    for n in graph.nodes:
        if (n.op != "call_function" or (n.meta.get("custom") or {}).get(REGION_KEY) != qn
                or n.meta.get("partitioner_tag") == "is_backward"):
            continue
        contraction = _linalg_contraction(n)
        if contraction is None:
            continue
        orig = n.meta.get("original_aten") or n.target
        packet = getattr(orig, "overloadpacket", orig)
        seen.add(packet)
        linalg = contraction[1]
        if linalg is None:
            if packet in ops:
                raise ExportError(f"ckpt: module '{qn}': selective checkpointing saves "
                                  f"{packet}, whose lowering here (not a plain 2-D "
                                  "convolution) has no save-list name")
            continue
        (listed if packet in ops else unlisted).setdefault(linalg, set()).add(str(packet))
    conflicts = sorted(set(listed) & set(unlisted))
    if conflicts:
        linalg = conflicts[0]
        raise ExportError(
            f"ckpt: module '{qn}': selective checkpointing saves "
            f"{', '.join(sorted(listed[linalg]))} but not "
            f"{', '.join(sorted(unlisted[linalg]))}; the region runs both as {linalg} and "
            "ckpt's save list names linalg ops: list both or neither")
    for packet in ops:
        if packet not in seen:
            sys.stderr.write(f"ckpt: warning: module '{qn}': selective checkpointing saves "
                             f"{packet}, which the region does not run (nothing is saved "
                             "for it, as in PyTorch)\n")
    return sorted(listed)


def _with_save_lists(text, saves, ckpt_opt):
    """`text` (ckpt-opt's print of the annotated step) with `save [...]` on each region
    of `saves` (region name -> linalg op names) that has a non-empty list, parsed and
    verified again by ckpt-opt."""
    for qn, names in saves.items():
        if not names:
            continue
        head = 'ckpt.checkpoint "%s" (' % qn
        start = 0
        while (at := text.find(head, start)) >= 0:
            arrow = text.index(" -> ", at)       # after the operand list, on its line
            entry = " save [" + ", ".join('"%s"' % n for n in names) + "]"
            text = text[:arrow] + entry + text[arrow:]
            start = arrow + len(entry)
    p = subprocess.run([ckpt_opt, "-"], input=text, capture_output=True, text=True)
    if p.returncode != 0:
        raise ExportError("ckpt: ckpt-opt failed on the step with save lists:\n"
                          + p.stderr[-4000:])
    return p.stdout


def _split_module(context, fw, bw, n_fwd, func_name):
    """One module holding fw and bw, imported by torch-mlir as private
    `<func_name>_fwd` (with `ckpt.backward` and `ckpt.num_outputs = n_fwd`) and
    `<func_name>_bwd`, and a public `<func_name>` that calls fw, passes its saved
    results to bw and returns fw's first n_fwd results and bw's gradients. Only fw's
    nodes carry region locations (the backward's ops are not part of a region)."""
    fwd_name, bwd_name = func_name + "_fwd", func_name + "_bwd"
    module = fx.stateless_fx_import(fw, output_type="linalg-on-tensors",
                                    fx_importer=_importer(context), model_name=fwd_name)
    bwd_module = fx.stateless_fx_import(bw, output_type="linalg-on-tensors",
                                        fx_importer=FxImporter(context=context),
                                        model_name=bwd_name)
    with context, ir.Location.unknown():
        names = {str(op.attributes["sym_name"]).strip('"')
                 for m in (module, bwd_module) for op in m.body.operations
                 if "sym_name" in op.attributes}
        if func_name in names or len(names) != (
                len(module.body.operations) + len(bwd_module.body.operations)):
            raise ExportError(f"ckpt: form='split': the forward's and the backward's "
                              f"modules define clashing symbols ({sorted(names)}); "
                              "give another func_name")
        for op in list(bwd_module.body.operations):
            module.body.append(op)
        funcs = {str(op.attributes["sym_name"]).strip('"'): op
                 for op in module.body.operations if op.operation.name == "func.func"}
        fwd_fn, bwd_fn = funcs[fwd_name], funcs[bwd_name]
        i64 = ir.IntegerType.get_signless(64)
        fwd_fn.attributes["ckpt.backward"] = ir.FlatSymbolRefAttr.get(bwd_name)
        fwd_fn.attributes["ckpt.num_outputs"] = ir.IntegerAttr.get(i64, n_fwd)
        for fn in (fwd_fn, bwd_fn):
            fn.attributes["sym_visibility"] = ir.StringAttr.get("private")
        fwd_type = ir.FunctionType(ir.TypeAttr(fwd_fn.attributes["function_type"]).value)
        bwd_type = ir.FunctionType(ir.TypeAttr(bwd_fn.attributes["function_type"]).value)
        results = list(fwd_type.results)[:n_fwd] + list(bwd_type.results)
        with ir.InsertionPoint(module.body):
            step = func_d.FuncOp(func_name, ir.FunctionType.get(fwd_type.inputs, results))
            block = step.add_entry_block()
        with ir.InsertionPoint(block):
            f = func_d.CallOp(fwd_type.results, ir.FlatSymbolRefAttr.get(fwd_name),
                              list(block.arguments))
            g = func_d.CallOp(bwd_type.results, ir.FlatSymbolRefAttr.get(bwd_name),
                              list(f.results)[n_fwd:])
            func_d.ReturnOp(list(f.results)[:n_fwd] + list(g.results))
    return module


def _unlowered_sources(graphs, bad):
    """{op name in `bad`: the aten ops (with their module, in a region) it came from}:
    `graphs` imported again with every node named by its aten op (`_importer`'s
    aten_names), the ops of `bad` looked up by their locations."""
    sources = {op: [] for op in bad}
    context = ir.Context()
    torch_d.register_dialect(context)
    for g in graphs if isinstance(graphs, tuple) else (graphs,):
        module = fx.stateless_fx_import(g, output_type="linalg-on-tensors",
                                        fx_importer=_importer(context, aten_names=True))

        def visit(op):
            name = op.operation.name
            if name in sources:
                where = re.match(r'loc\("(.*)"\)$', str(op.location))
                if where and where.group(1) not in sources[name]:
                    sources[name].append(where.group(1))
            return ir.WalkResult.ADVANCE
        module.operation.walk(visit)
    return sources


def export_training_step(model, example_inputs, loss_fn, form="joint", inputs=None,
                         func_name="train_step", ckpt_opt=None):
    """MLIR text of one training step of `model`.

    The step is `func_name(params..., buffers..., example_inputs...)` (the model's
    `named_parameters()` and `named_buffers()` order) returning (buffer updates, loss,
    one gradient per parameter), `ckpt.forward_results` naming the buffer updates and the
    loss. The loss is `loss_fn(model, *example_inputs)`, a 0-d floating-point tensor.
    Every module wrapped with `torch.distributed._composable.checkpoint` and every call
    of `torch.utils.checkpoint.checkpoint(..., use_reentrant=False)` becomes a region
    `ckpt.checkpoint "<qualified name>"`; a selective-checkpointing op list of
    contractions becomes the region's `save` list (`save_list`). `use_reentrant=True`
    and any other `context_fn` raise ExportError naming the module.

    form="split" writes PyTorch's own partition (`default_partition`) as DESIGN §1's
    split form instead: a private `<func_name>_fwd` (the same arguments -> the buffer
    updates and the loss, then the saved values) with `ckpt.backward =
    @<func_name>_bwd` and `ckpt.num_outputs` = the number of buffer updates + 1, a
    private `<func_name>_bwd` (the saved values -> one gradient per parameter; the
    loss's tangent is 1.0), and a public `<func_name>` of the joint form's signature
    that calls the pair, so `ckpt-run` runs either form on the same `--inputs`. The
    regions are in `<func_name>_fwd`.

    inputs: a path; the step's arguments are written there with np.savez (arr_0, ...:
    what `ckpt-run --inputs` reads), atomically.
    """
    if form not in ("joint", "split"):
        raise ValueError(f"ckpt: form must be 'joint' or 'split', got {form!r}")
    example_inputs = tuple(example_inputs)
    ckpt_opt = find_ckpt_opt(ckpt_opt)
    # A training step: traced in train mode (BatchNorm's batch statistics and buffer
    # updates), the model's mode restored after.
    was_training = model.training
    model.train()
    try:
        with regions_as_annotations(model, (loss_fn,)) as (wrapped, policies):
            joint, (fw, bw), pnames, bnames, n_fwd = _trace(model, example_inputs, loss_fn)
    finally:
        model.train(was_training)
    if form == "joint":
        forward = _joint_graph(joint, pnames, n_fwd)
    else:
        forward, bw = _split_graphs(fw, bw, pnames, n_fwd)
    regions = []
    for n in forward.graph.nodes:
        r = (n.meta.get("custom") or {}).get(REGION_KEY)
        if r is not None and r not in regions:
            regions.append(r)
    missing = [w for w in wrapped if w not in regions]
    if missing:
        raise ExportError("ckpt: checkpointed modules not called by the step: "
                          + ", ".join(missing))
    saves = {qn: save_list(forward.graph, qn, ops) for qn, ops in policies.items()}

    context = ir.Context()
    torch_d.register_dialect(context)
    if form == "joint":
        module = fx.stateless_fx_import(forward, output_type="linalg-on-tensors",
                                        fx_importer=_importer(context),
                                        model_name=func_name)
        with context:
            i64 = ir.IntegerType.get_signless(64)
            fn = next(op for op in module.body.operations
                      if op.operation.name == "func.func")
            fn.attributes["ckpt.forward_results"] = ir.ArrayAttr.get(
                [ir.IntegerAttr.get(i64, i) for i in range(n_fwd)])
    else:
        module = _split_module(context, forward, bw, n_fwd, func_name)
    text = module.operation.get_asm(print_generic_op_form=True, enable_debug_info=True,
                                    large_elements_limit=None)
    # Generic form: every op is `"dialect.name"(`. torch-mlir's dialects, and `cf` (a
    # gather's index check), are outside the input IR of docs/rationale.md §1.
    bad = sorted(set(re.findall(r'"((?:torch|torch_c|tm_tensor|ml_program|cf)\.[\w.]+)"\(',
                                text)))
    if bad:
        raise ExportError("ckpt: the lowering left ops outside the dialects ckpt accepts "
                          "(docs/rationale.md §1): " + ", ".join(
                              f"{op} (from {', '.join(src)})" if src else op
                              for op, src in _unlowered_sources(
                                  forward if form == "joint" else (forward, bw),
                                  bad).items()))

    passes = []
    if regions:
        regex = "^(" + "|".join(re.escape(r) for r in regions) + ")$"
        passes.append("ckpt-annotate{loc=%s}" % regex)
    p = subprocess.run([ckpt_opt, "-", "--pass-pipeline=builtin.module(%s)" % ",".join(passes)],
                       input=text, capture_output=True, text=True)
    if p.returncode != 0:
        raise ExportError("ckpt: ckpt-opt failed on the exported step:\n" + p.stderr[-4000:])
    result = p.stdout
    made = re.findall(r'ckpt\.checkpoint "([^"]+)"', result)
    lost = [r for r in regions if r not in made]
    if lost:
        raise ExportError("ckpt: ckpt-annotate made no region for: " + ", ".join(lost))
    if any(saves.values()):
        result = _with_save_lists(result, saves, ckpt_opt)
    for r in regions:
        if made.count(r) > 1:
            # docs/pytorch.md, open problem 3: a CSE'd data-less op that kept another
            # user's name splits a module's run.
            sys.stderr.write(f"ckpt: warning: module '{r}' became {made.count(r)} regions "
                             "(ckpt-annotate loc= split its run)\n")

    if inputs is not None:
        args = step_arguments(model, example_inputs)
        _write_atomically(inputs, lambda tmp: np.savez(tmp, *args), suffix=".npz")
    return result
