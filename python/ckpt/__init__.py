"""ckpt from Python: ahead-of-time activation checkpointing for MLIR.

A thin ctypes layer over ckpt's C API (libCkptCAPI.so, include/ckpt-c/), no
compiled extension::

    import ckpt
    result = ckpt.run_pipeline(text, "ckpt-rematerialize,ckpt-verify,cse")
    print(result.output)          # the rewritten module (MLIR text)
    print(result.diagnostics)     # remarks: what each region drops, ...
    report = ckpt.memory_report(text, "ckpt-rematerialize")
    fn = report["functions"][0]
    print(fn["before"]["peak_bytes"], fn["after"]["peak_bytes"])

Every call parses the text in a fresh MLIR context in which every upstream
dialect, extension and pass and everything in ckpt is registered.
"""

import collections
import json
import os
import tempfile

from . import _capi

__all__ = ["PipelineError", "PipelineResult", "library_path", "memory_report",
           "run_pipeline"]

_lib = None


def _library():
    global _lib
    if _lib is None:
        _lib = _capi.load()
    return _lib


def library_path() -> str:
    """The path of the libCkptCAPI.so in use (loading it if needed): the one
    CKPT_CAPI_LIBRARY names, else ``<prefix>/lib`` beside
    ``<prefix>/python/ckpt`` (an installed prefix or the build folder), else
    ``build/lib`` of the source tree. Raises OSError when there is none."""
    return _library()._name


PipelineResult = collections.namedtuple("PipelineResult",
                                        ["output", "diagnostics"])
PipelineResult.__doc__ = """What run_pipeline returns.

output: the module after the pipeline, as mlir-opt prints it (str).
diagnostics: the remarks, warnings and notes the passes emitted, as mlir-opt
prints them (``<input>:line:col: remark: ...``), '' when there were none.
"""


class PipelineError(RuntimeError):
    """The module did not parse or verify, the pipeline did not parse, or a
    pass failed. ``diagnostics`` holds the errors as mlir-opt prints them
    (``<input>:line:col: error: ...``)."""

    def __init__(self, diagnostics: str):
        super().__init__(diagnostics.strip() or "ckpt: the pipeline failed")
        self.diagnostics = diagnostics


def run_pipeline(text: str, pipeline: str) -> PipelineResult:
    """Runs a pass pipeline on a module given as MLIR text.

    text: the module (ops outside a ``builtin.module`` get one, as in
        mlir-opt), e.g. a training step with ``ckpt.checkpoint`` regions.
    pipeline: the passes to run on the module, as inside
        ``builtin.module(...)``: ``"ckpt-rematerialize,ckpt-verify,cse"``,
        ``"ckpt-rematerialize,ckpt-runner-main,ckpt-lower-to-cpu"``; the
        anchored form ``"builtin.module(...)"`` works too.

    Returns a PipelineResult (output, diagnostics). Raises PipelineError
    with the diagnostics when parsing or a pass fails.
    """
    lib = _library()
    result = lib.ckptRunPipeline(
        _capi.MlirStringRef.of(text.encode("utf-8")),
        _capi.MlirStringRef.of(pipeline.encode("utf-8")))
    try:
        succeeded = result.succeeded
        output = result.output.to_str()
        diagnostics = result.diagnostics.to_str()
    finally:
        lib.ckptPipelineResultDestroy(result)
    if not succeeded:
        raise PipelineError(diagnostics)
    return PipelineResult(output, diagnostics)


def memory_report(text: str, pipeline: str = "",
                  dynamic_dim_size: int = 1) -> dict:
    """The memory/cost report of ``ckpt-memory-report`` around a pipeline.

    text: the module, as for run_pipeline.
    pipeline: the passes the report runs between its two snapshots, as
        inside ``builtin.module(...)`` (``"ckpt-rematerialize,cse"``); empty:
        the module as it is (before equals after).
    dynamic_dim_size: elements assumed for each dynamic dimension (>= 0).

    Returns the report's JSON as a dict (the numbers of the text report):
    ``{"dynamic_dim_size": N, "functions": [{"name", "before", "after"}]}``
    where each side holds ``ops``, ``peak_bytes``, ``peak_position``,
    ``peak_op``, ``peak_loc``, ``argument_bytes``, ``saved_bytes``,
    ``saved_values``, ``total_flops``, ``forward_flops``,
    ``recompute_flops`` (bytes, FLOPs), ``assumed_dynamic``,
    ``unknown_callees``, ``live_bytes`` (per op, in program order) and
    ``regions`` (``name``, ``saved_bytes``, ``dropped_bytes``,
    ``dropped_values``, ``recompute_flops``, ``ops_cloned``). Raises
    PipelineError when parsing or a pass fails.
    """
    with tempfile.TemporaryDirectory(prefix="ckpt-report-") as folder:
        path = os.path.join(folder, "report.json")
        options = ["json={%s}" % path, "text=false",
                   "dynamic-dim-size=%d" % dynamic_dim_size]
        if pipeline:
            options.append("pipeline={%s}" % pipeline)
        run_pipeline(text, "ckpt-memory-report{%s}" % " ".join(options))
        with open(path) as f:
            return json.load(f)
