"""Checkpointed modules -> region names on the traced graph.

While a training step is traced, every module wrapped with PyTorch's composable
`torch.distributed._composable.checkpoint` and every call of
`torch.utils.checkpoint.checkpoint(fn, ..., use_reentrant=False)` runs under
`torch.fx.traceback.annotate({"ckpt_region": NAME})`, NAME being the module's qualified
name (for a function that is not a module: the function's name and a call index). The
annotation reaches the joint graph's forward nodes and, through `seq_nr`, their backward
nodes (the spike, docs/pytorch.md). PyTorch's own checkpoint hooks are off while tracing
(with them on, AOTAutograd refuses the composable API's context) and restored after.

Refused, naming the module: `use_reentrant=True` (or not given: PyTorch's default is
still the reentrant mode), and a `context_fn` other than an op list of contractions
(`selective_op_list`), on either API. The shim replaces
`torch.utils.checkpoint.checkpoint` and every global bound to it in the model's code
(`from torch.utils.checkpoint import checkpoint`)."""
import contextlib
import functools
import inspect
import sys

import torch.fx.traceback as fxt
import torch.utils.checkpoint as tuc
from torch.distributed._composable import checkpoint as composable_checkpoint
from torch.distributed._composable.contract import _get_registry

REGION_KEY = "ckpt_region"


class ExportError(Exception):
    """The model or the step cannot be exported as asked; the message says why."""


def composable_wrapped(model):
    """(qualified name, module) of every module wrapped with composable checkpoint."""
    return [(name or "<root>", m) for name, m in model.named_modules()
            if "checkpoint" in (_get_registry(m) or {})]


def _composable_context_fn(module):
    """The `context_fn` given to composable checkpoint(module), or None. The options live
    in the closure of the forward pre-hook that the composable API registered."""
    for hook in list(module._forward_pre_hooks.values()):
        fn = hook.func if isinstance(hook, functools.partial) else hook
        try:
            nonlocals = inspect.getclosurevars(fn).nonlocals
        except (TypeError, ValueError):
            continue
        fns = nonlocals.get("user_context_fns")
        if fns is not None:
            return fns
    return None


def _model_namespaces(model, functions=()):
    """The global namespaces the step's Python code may call checkpoint from: those of
    the methods of every class of every submodule (the model file, loaded or not as a
    module of `sys.modules`), of `functions` (the loss), and of every module in
    `sys.modules` outside torch."""
    seen, spaces = set(), []

    def add(globals_):
        if isinstance(globals_, dict) and id(globals_) not in seen:
            seen.add(id(globals_))
            spaces.append(globals_)
    for m in model.modules():
        for cls in type(m).__mro__:
            for attr in vars(cls).values():
                add(getattr(attr, "__globals__", None))
    for fn in functions:
        add(getattr(fn, "__globals__", None))
    for name, mod in list(sys.modules.items()):
        if name != "torch" and not name.startswith("torch."):
            add(getattr(mod, "__dict__", None))
    return spaces


# The contractions an op-list policy may save, as PyTorch's selective checkpointing sees
# them (after CompositeImplicit decomposition: nn.Linear on 2-D input runs aten.addmm,
# on more dimensions aten.mm; attention's matmuls aten.bmm).
SAVABLE_CONTRACTIONS = ("mm", "addmm", "bmm", "baddbmm", "convolution")


def selective_op_list(context_fn, qn):
    """The ops a selective-checkpointing `context_fn` saves: None without selective
    checkpointing (no context_fn, or PyTorch's `noop_context_fn`), else the op list of
    `functools.partial(create_selective_checkpoint_contexts, [ops])` as a tuple of
    OpOverloadPackets. Raises ExportError naming module `qn` for a policy function, and
    for a list with an op that is not one of SAVABLE_CONTRACTIONS."""
    if context_fn is None or context_fn is tuc.noop_context_fn:
        return None
    if not (isinstance(context_fn, functools.partial)
            and context_fn.func is tuc.create_selective_checkpoint_contexts
            and context_fn.args and isinstance(context_fn.args[0], (list, tuple))):
        raise ExportError(f"ckpt: module '{qn}': a context_fn other than "
                          "functools.partial(create_selective_checkpoint_contexts, [ops]) "
                          "(a policy function) is not supported; give an op list of "
                          "contractions (" + ", ".join(
                              f"aten.{n}" for n in SAVABLE_CONTRACTIONS) + ")")
    ops = []
    for op in context_fn.args[0]:
        packet = getattr(op, "overloadpacket", op)      # aten.mm.default -> aten.mm
        if getattr(packet, "_qualified_op_name", None) not in \
                [f"aten::{n}" for n in SAVABLE_CONTRACTIONS]:
            raise ExportError(f"ckpt: module '{qn}': selective checkpointing saves {op}: "
                              "only contractions map to ckpt's save list (" + ", ".join(
                                  f"aten.{n}" for n in SAVABLE_CONTRACTIONS) + ")")
        ops.append(packet)
    return tuple(ops)


@contextlib.contextmanager
def regions_as_annotations(model, functions=()):
    """Yields the names of the composable-wrapped modules and a dict, filled while
    tracing, from region name to the ops its selective-checkpointing op list saves
    (`selective_op_list`); inside, the region annotations
    are on, PyTorch's checkpoint hooks off, and `torch.utils.checkpoint.checkpoint` is the
    shim, also where the model's code (and `functions`') imported it by name. Everything
    is restored on exit."""
    names = {m: (n or "<root>") for n, m in model.named_modules()}
    wrapped = composable_wrapped(model)
    # Region name -> the ops its selective-checkpointing policy saves (OpOverloadPackets).
    policies = {}
    for qn, m in wrapped:
        ops = selective_op_list(_composable_context_fn(m), qn)
        if ops is not None:
            policies[qn] = ops
    saved, handles, rebound = [], [], []
    calls = {}
    original = tuc.checkpoint

    def shim(function, *args, use_reentrant=None, context_fn=None, **kwargs):
        qn = names.get(function)
        if qn is None:
            owner = getattr(function, "__self__", None)   # a bound method of a module
            if owner in names:
                qn = names[owner]
        if qn is None:
            k = calls.get(function, len(calls))
            calls.setdefault(function, k)
            qn = f"{getattr(function, '__name__', 'fn')}.{k}"
        if use_reentrant is not False:
            raise ExportError(f"ckpt: module '{qn}': torch.utils.checkpoint.checkpoint needs "
                              f"use_reentrant=False (got {use_reentrant!r})")
        ops = selective_op_list(context_fn, qn)
        if ops is not None:
            policies[qn] = ops
        for key in ("preserve_rng_state", "determinism_check", "debug", "early_stop"):
            kwargs.pop(key, None)
        with fxt.annotate({REGION_KEY: qn}):
            return function(*args, **kwargs)

    try:
        for qn, m in wrapped:
            state = composable_checkpoint.state(m)
            saved.append((state, state.enable_hook))
            state.enable_hook = False

            def pre(mod, args, qn=qn):
                cm = fxt.annotate({REGION_KEY: qn})
                cm.__enter__()
                mod.__dict__.setdefault("_ckpt_annotations", []).append(cm)

            def post(mod, args, out):
                mod.__dict__["_ckpt_annotations"].pop().__exit__(None, None, None)
            handles.append(m.register_forward_pre_hook(pre))
            # always_call: an exception in the forward (data-dependent control flow)
            # leaves no annotation open.
            handles.append(m.register_forward_hook(post, always_call=True))
        tuc.checkpoint = shim
        # A model file that did `from torch.utils.checkpoint import checkpoint` holds
        # PyTorch's function under its own name: rebind every such global to the shim
        # too (not reached: a reference kept elsewhere, as in a functools.partial or an
        # attribute).
        for globals_ in _model_namespaces(model, functions):
            for key, value in list(globals_.items()):
                if value is original:
                    rebound.append((globals_, key))
                    globals_[key] = shim
        yield [qn for qn, _ in wrapped], policies
    finally:
        tuc.checkpoint = original
        for globals_, key in rebound:
            globals_[key] = original
        for h in handles:
            h.remove()
        for state, flag in saved:
            state.enable_hook = flag
        for _, m in wrapped:
            m.__dict__.pop("_ckpt_annotations", None)
