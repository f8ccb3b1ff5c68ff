//===- Passes.h - conversions into upstream ops -----------------*- C++ -*-===//
//
// Conversions that rewrite foreign ops into upstream MLIR (as CIRCT's
// Conversion/Passes.h): ByteIR's library kernels into linalg, the mpi
// dialect into MPI library calls.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_CONVERSION_PASSES_H
#define CKPT_CONVERSION_PASSES_H

#include "ckpt/Conversion/ByteIRToLinalg/ByteIRToLinalg.h"
#include "ckpt/Conversion/MPIToLLVM/MPIToLLVM.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ckpt {

#define GEN_PASS_DECL
#include "ckpt/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ckpt/Conversion/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_CONVERSION_PASSES_H
