//===- KernelRewrites.h - per-family rewrites and shared builders -*- C++
//-*-===//
//
// Internal to ckpt-convert-byteir-kernels. Each rewrite builds its
// replacement before `call` with `rewriter` and replaces the call's results;
// the kernel was accepted by matchLibraryKernel, so every parameter is in
// range.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_CONVERSION_BYTEIRTOLINALG_KERNELREWRITES_H
#define CKPT_LIB_CONVERSION_BYTEIRTOLINALG_KERNELREWRITES_H

#include "ckpt/Conversion/ByteIRToLinalg/ByteIRToLinalg.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

namespace mlir::ckpt::byteir {

//===----------------------------------------------------------------------===//
// Rewrites, one per kernel family (Convolution.cpp, Normalization.cpp,
// Pooling.cpp, MatmulReduceTranspose.cpp)
//===----------------------------------------------------------------------===//

LogicalResult rewriteConv(RewriterBase &rewriter, Operation *call,
                          const LibraryKernel &kernel);
LogicalResult rewriteConvBackwardData(RewriterBase &rewriter, Operation *call,
                                      const LibraryKernel &kernel);
LogicalResult rewriteConvBackwardFilter(RewriterBase &rewriter, Operation *call,
                                        const LibraryKernel &kernel);
LogicalResult rewriteBatchNormTraining(RewriterBase &rewriter, Operation *call,
                                       const LibraryKernel &kernel,
                                       const ByteIRToLinalgOptions &options);
LogicalResult rewriteBatchNormGrad(RewriterBase &rewriter, Operation *call,
                                   const LibraryKernel &kernel);
LogicalResult rewritePoolMax(RewriterBase &rewriter, Operation *call,
                             const LibraryKernel &kernel);
LogicalResult rewritePoolMaxGrad(RewriterBase &rewriter, Operation *call,
                                 const LibraryKernel &kernel);
LogicalResult rewriteMatmul(RewriterBase &rewriter, Operation *call,
                            const LibraryKernel &kernel);
LogicalResult rewriteReduce(RewriterBase &rewriter, Operation *call,
                            const LibraryKernel &kernel);
LogicalResult rewriteTranspose(RewriterBase &rewriter, Operation *call,
                               const LibraryKernel &kernel);

//===----------------------------------------------------------------------===//
// Shared builders (Builders.cpp)
//===----------------------------------------------------------------------===//

/// The type f16 data accumulates in (f32; cuDNN's PSEUDO_HALF_CONFIG and
/// cuBLAS's CUBLAS_COMPUTE_32F); wider types accumulate in themselves.
Type getAccumulatorType(Type element);

/// `value` converted to float type `to`: `arith.extf`, `arith.truncf`
/// (round to nearest even) or `value` itself.
Value castFloat(OpBuilder &b, Location loc, Value value, Type to);

/// A `tensor.empty` of `shape` x `element`.
Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type element);

/// A scalar `arith.constant` of float type `type` with `value`.
Value createFloatConstant(OpBuilder &b, Location loc, Type type,
                          const APFloat &value);
Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value);

/// `linalg.fill` of a `shape` x `element` tensor with `value`.
Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Type element, Value value);

/// -∞ of float type `type` (the identity of max; padding never selected).
APFloat getNegativeInfinity(Type type);

/// An elementwise `linalg.generic` over `shape` reading `source` through
/// `sourceMap` (identity when null; maps result indices to source indices)
/// and converting each element to `element` with `castFloat`. Returns
/// `source` unchanged when there is nothing to do.
Value createCast(OpBuilder &b, Location loc, Value source,
                 ArrayRef<int64_t> shape, Type element,
                 AffineMap sourceMap = {});

/// `tensor.pad` of the two spatial dimensions of NCHW `source` by
/// `low`/`high` (H, W) with the scalar `padValue`; `source` when all are 0.
Value padSpatial(OpBuilder &b, Location loc, Value source,
                 ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value padValue);

/// `[N, C, H, W]` -> `[C, N, H, W]` (`linalg.transpose`).
Value swapLeadingDims(OpBuilder &b, Location loc, Value source);

/// The dense<[a, b]> : tensor<2xi64> attribute linalg's 2-D convolution and
/// pooling ops take for strides and dilations.
DenseIntElementsAttr getI64Pair(OpBuilder &b, ArrayRef<int64_t> values);

} // namespace mlir::ckpt::byteir

#endif // CKPT_LIB_CONVERSION_BYTEIRTOLINALG_KERNELREWRITES_H
