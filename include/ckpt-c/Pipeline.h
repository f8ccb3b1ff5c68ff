//===-- ckpt-c/Pipeline.h - one call from text to text -----------*- C -*-===//
//
// Runs a pass pipeline on a module given as text, without any other C API
// object: what the Python module `ckpt` calls through ctypes.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_C_PIPELINE_H
#define CKPT_C_PIPELINE_H

#include "mlir-c/Support.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What `ckptRunPipeline` returns; its strings belong to it (free them with
/// `ckptPipelineResultDestroy`) and are NUL-terminated.
typedef struct CkptPipelineResult {
  /// True when the module parsed and verified and every pass succeeded.
  bool succeeded;
  /// The module after the pipeline, printed as `mlir-opt` prints it (custom
  /// assembly, no locations); empty when `succeeded` is false.
  MlirStringRef output;
  /// Every diagnostic the parser, the pipeline parser and the passes
  /// emitted (errors, warnings, remarks, notes), as `mlir-opt` prints them:
  /// `<input>:line:col: severity: message` and the source line. The text
  /// report of `ckpt-memory-report` goes to stderr, not here.
  MlirStringRef diagnostics;
} CkptPipelineResult;

/// Parses `module` (MLIR text; ops outside a `builtin.module` get one, as
/// in `mlir-opt`), runs `pipeline` on it and prints the result. `pipeline`
/// is a textual pass pipeline on the module, either the passes alone
/// (`ckpt-rematerialize,cse`, as inside `builtin.module(...)`) or anchored
/// (`builtin.module(ckpt-rematerialize,cse)`). Every upstream dialect,
/// extension and pass and everything in ckpt is available; each call uses a
/// fresh context. Failures (a parse error, an unknown pass, a failing pass)
/// are reported in `diagnostics` with `succeeded` false, never by aborting.
MLIR_CAPI_EXPORTED CkptPipelineResult ckptRunPipeline(MlirStringRef module,
                                                      MlirStringRef pipeline);

/// Frees the strings of `result` and empties it.
MLIR_CAPI_EXPORTED void ckptPipelineResultDestroy(CkptPipelineResult *result);

#ifdef __cplusplus
}
#endif

#endif // CKPT_C_PIPELINE_H
