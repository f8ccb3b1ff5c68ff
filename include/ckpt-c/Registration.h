//===-- ckpt-c/Registration.h - registering ckpt from C -----------*- C -*-===//
//
// Registers the ckpt dialect and passes with objects of MLIR's C API
// (mlir-c/IR.h, mlir-c/Pass.h), as `mlirRegisterAllDialects` and
// `mlirRegisterAllPasses` do for upstream MLIR.
//
// The functions live in libCkptCAPI.so; MLIR's own C API functions
// (mlirContextCreate, ...) in libCkptMLIRCAPI.so, which holds Debian's
// static MLIRCAPI* archives (Debian ships no libMLIR-C.so). Both link the
// one libMLIR.so.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_C_REGISTRATION_H
#define CKPT_C_REGISTRATION_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Adds the ckpt dialect and its external interface models (bufferization
/// of `ckpt.barrier`, inlining) to `registry`; append the registry to a
/// context (`mlirContextAppendDialectRegistry`) to parse ckpt ops.
MLIR_CAPI_EXPORTED void ckptRegisterDialects(MlirDialectRegistry registry);

/// Registers every ckpt pass (`ckpt-*`, `ckpt-memory-report` included) and
/// the `ckpt-lower-to-cpu` and `ckpt-lower-to-nvvm` pipelines with MLIR's
/// global pass registry, so that textual pipelines
/// (`mlirParsePassPipeline`, `mlirOpPassManagerAddPipeline`) can name them.
/// Safe to call more than once, from any thread.
MLIR_CAPI_EXPORTED void ckptRegisterPasses(void);

#ifdef __cplusplus
}
#endif

#endif // CKPT_C_REGISTRATION_H
