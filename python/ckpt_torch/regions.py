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
still the reentrant mode), a `context_fn` (selective checkpointing is not mapped yet),
on either API. The shim replaces `torch.utils.checkpoint.checkpoint` and every global of
a module outside torch bound to it (`from torch.utils.checkpoint import checkpoint`)."""
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


@contextlib.contextmanager
def regions_as_annotations(model, functions=()):
    """Yields the names of the composable-wrapped modules; inside, the region annotations
    are on, PyTorch's checkpoint hooks off, and `torch.utils.checkpoint.checkpoint` is the
    shim, also where the model's code (and `functions`') imported it by name. Everything
    is restored on exit."""
    names = {m: (n or "<root>") for n, m in model.named_modules()}
    wrapped = composable_wrapped(model)
    for qn, m in wrapped:
        if _composable_context_fn(m) is not None:
            raise ExportError(f"ckpt: module '{qn}': checkpoint(module, context_fn=...) "
                              "(selective checkpointing) is not supported yet")
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
        if context_fn is not None and context_fn is not tuc.noop_context_fn:
            raise ExportError(f"ckpt: module '{qn}': torch.utils.checkpoint.checkpoint with "
                              "a context_fn (selective checkpointing) is not supported yet")
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
            handles.append(m.register_forward_hook(post))
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
        yield [qn for qn, _ in wrapped]
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
