//===- ByteIRToLinalg.h - ByteIR library kernels into linalg ----*- C++ -*-===//
//
// The rewrite behind ckpt-convert-byteir-kernels, callable without a pass
// manager: one call at a time, or a whole module (check everything, then
// rewrite).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_CONVERSION_BYTEIRTOLINALG_BYTEIRTOLINALG_H
#define CKPT_CONVERSION_BYTEIRTOLINALG_BYTEIRTOLINALG_H

#include "ckpt/Analysis/LibraryKernels.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ckpt {

/// Choices the kernels' sources leave open.
struct ByteIRToLinalgOptions {
  /// BatchNormTrainingOp's variance result: false (default) gives the
  /// unbiased Σ(x-μ)²/(M-1) that ByteIR's cuDNN runtime returns (cuDNN's
  /// running variance with exponentialAverageFactor 1; PyTorch's
  /// running_var); true gives the biased Σ(x-μ)²/M of mhlo's
  /// batch_norm_training.
  bool biasedVariance = false;
};

/// Replaces `call`, a call recognized as `kernel` by `matchLibraryKernel`,
/// with upstream ops on tensors computing the kernel's results (the
/// semantics of each kernel: the pass description in
/// ckpt/Conversion/Passes.td), inserted before the call; the call is
/// erased, its destination operands are left (dead if nothing else uses
/// them). Accumulations of f16 data run in f32 and round once. Example:
///
///   %y = call @ReduceSumOp_f16_f16(%x, %e) {byre_compute_name =
///            "ReduceSumOp_f16_f16", dimensions = dense<1> : tensor<1xi64>}
///        : (tensor<4x1000xf16>, tensor<4xf16>) -> tensor<4xf16>
///   // becomes
///   %acc = linalg.fill ins(%zero : f32) outs(%e32 : tensor<4xf32>)
///   %s = linalg.reduce ins(%x : tensor<4x1000xf16>) outs(%acc)
///          dimensions = [1] (%in: f16, %init: f32) {extf, addf}
///   %y = linalg.generic ... ins(%s) { arith.truncf }
///
/// Fails (with an error at the call) only for a kernel the rewrite cannot
/// express; every kernel `matchLibraryKernel` accepts is expressed.
LogicalResult rewriteLibraryKernelCall(RewriterBase &rewriter, Operation *call,
                                       const LibraryKernel &kernel,
                                       const ByteIRToLinalgOptions &options);

/// Rewrites every ByteIR kernel call in `module` (a `func.call` with
/// `byre_compute_name`, anywhere, nested regions included). First checks
/// all of them: each must call an external `func.func` declaration, carry
/// no `ckpt.*` attribute on the call or the declaration (the rewrite would
/// drop the annotation) and be accepted by `matchLibraryKernel`; on a
/// refusal an error is emitted at each refused call and the module is left
/// unchanged (failure). Then
/// rewrites each call, erases the destination `tensor.empty` ops left
/// without uses and the private declarations no call uses any more.
/// `numRewritten` receives the number of calls rewritten.
LogicalResult convertByteIRKernels(RewriterBase &rewriter, ModuleOp module,
                                   const ByteIRToLinalgOptions &options,
                                   int64_t *numRewritten = nullptr);

} // namespace mlir::ckpt

#endif // CKPT_CONVERSION_BYTEIRTOLINALG_BYTEIRTOLINALG_H
