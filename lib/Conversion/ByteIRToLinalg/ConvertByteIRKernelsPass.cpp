//===- ConvertByteIRKernelsPass.cpp - ckpt-convert-byteir-kernels ---------===//
//
// A thin pass over convertByteIRKernels (ByteIRToLinalg.h).
//
//===----------------------------------------------------------------------===//

#include "ckpt/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCONVERTBYTEIRKERNELS
#include "ckpt/Conversion/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-convert-byteir-kernels"

namespace {
struct CkptConvertByteIRKernelsPass
    : public ckpt::impl::CkptConvertByteIRKernelsBase<
          CkptConvertByteIRKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ByteIRToLinalgOptions options;
    options.biasedVariance = biasedVariance;
    IRRewriter rewriter(&getContext());
    int64_t rewritten = 0;
    if (failed(convertByteIRKernels(rewriter, getOperation(), options,
                                    &rewritten)))
      return signalPassFailure();
    LDBG() << rewritten << " kernel calls rewritten";
  }
};
} // namespace
