//===- Passes.td - tool passes (the memory report) ---------*- tablegen -*-===//

#ifndef CKPT_TOOLS_PASSES_TD
#define CKPT_TOOLS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CkptMemoryReport : Pass<"ckpt-memory-report", "::mlir::ModuleOp"> {
  let summary = "Run a pipeline on the module and report peak live bytes, "
                "saved bytes and FLOPs before and after it";
  let description = [{
    Takes the figures of the memory/cost report (docs/rationale.md §5) on
    the module, runs the nested `pipeline` on it, takes them again and
    writes the report: as text to stderr (`text`, on by default), as JSON
    (`json=F`) and as an SVG plot of live bytes over the schedule
    (`svg=F`); `-` writes to stdout. Per public function with a
    single-block body: peak live bytes and where, the saved set (bytes
    and values the backward part reads from the forward part), argument
    bytes, FLOPs (total, forward, recompute) and a row per checkpointed
    region, read from the traces `ckpt-rematerialize` leaves.

    ```
    mlir-opt step.mlir --load-pass-plugin=libCkptPlugin.so \
      --load-dialect-plugin=libCkptPlugin.so \
      --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse json=report.json})'
    ```

    `pipeline` is a textual pass pipeline run on the module, written as
    the contents of `builtin.module(...)`: `ckpt-rematerialize,cse`,
    `func.func(canonicalize)`; a pass with options of its own is wrapped
    in braces or written as is
    (`pipeline={ckpt-rematerialize{policy=save-matmuls},cse}`). With an
    empty pipeline the report shows the module as it is (before equals
    after). `ckpt-opt --ckpt-memory-report` is this pass around the
    pipeline of its command line.

    Accepts any module; functions that are not training steps get no
    saved set. Refused: a `pipeline` that does not parse (an error when
    the options are read), a negative `dynamic-dim-size` (an error at the
    module). Fails without a report when a pass of the pipeline fails, and
    with an error at the module when a report file cannot be written (the
    module then keeps the pipeline's changes).

    Rationale: a pass, with pass options rather than command-line flags,
    so that the report works from `mlir-opt` with the plugin (which loads
    while the command line is parsed, too late for global options), from
    the C API and from any other driver.
  }];
  let options = [
    Option<"pipeline", "pipeline", "std::string", /*default=*/"\"\"",
           "Passes to run on the module, as inside builtin.module(...) "
           "(e.g. ckpt-rematerialize,cse); empty: report the module as is">,
    Option<"text", "text", "bool", /*default=*/"true",
           "Print the text report to stderr">,
    Option<"jsonPath", "json", "std::string", /*default=*/"\"\"",
           "Write the report as JSON to this file ('-': stdout)">,
    Option<"svgPath", "svg", "std::string", /*default=*/"\"\"",
           "Write an SVG plot of live bytes over the schedule, before and "
           "after, to this file ('-': stdout)">,
    Option<"dynamicDimSize", "dynamic-dim-size", "int64_t", /*default=*/"1",
           "Elements assumed for each dynamic dimension (the report says "
           "when it was used)">,
  ];
}

#endif // CKPT_TOOLS_PASSES_TD
