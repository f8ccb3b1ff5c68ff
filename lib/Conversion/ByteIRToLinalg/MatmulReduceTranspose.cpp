//===- MatmulReduceTranspose.cpp - MatmulOp, ReduceSum/MaxOp, TransposeOp -===//
//
// bytedance/byteir @0e83d42b: runtime/lib/backends/cuda/providers/default/
// math/matmul.cc (lhs transposed iff lhs_contracting_dimension != 1, rhs
// transposed iff rhs_contracting_dimension != 0; f16 without compute_type
// runs cublasGemmEx with CUBLAS_COMPUTE_32F), reduction/reduce_impl.h
// (`Op<half, half, float>`: f16 reduces in f32; max starts at
// lower_bound() = -∞ and propagates NaN), tensor_manipulate/transpose.cc.
// `output_transpose` is the compiler's (compiler/test/E2E/CUDA/ResNet18/
// Whole/2_linalg_tensor_opt.mlir: the transpose of the dot_general); the
// runtime at this commit does not implement it.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

/// C = op(A)·op(B) (or its transpose), op(A) = A if the lhs contracts
/// dimension 1 else Aᵀ, op(B) = B if the rhs contracts dimension 0 else Bᵀ;
/// one `linalg.matmul` whose indexing maps read the operands as stored.
LogicalResult byteir::rewriteMatmul(RewriterBase &rewriter, Operation *call,
                                    const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  MLIRContext *ctx = rewriter.getContext();
  RankedTensorType cType = kernel.resultTypes[0];
  Type element = cType.getElementType(), acc = getAccumulatorType(element);
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  AffineMap lhsMap = kernel.lhsContractingDimension == 1
                         ? AffineMap::get(3, 0, {m, k}, ctx)
                         : AffineMap::get(3, 0, {k, m}, ctx);
  AffineMap rhsMap = kernel.rhsContractingDimension == 0
                         ? AffineMap::get(3, 0, {k, n}, ctx)
                         : AffineMap::get(3, 0, {n, k}, ctx);
  AffineMap outMap = kernel.outputTranspose ? AffineMap::get(3, 0, {n, m}, ctx)
                                            : AffineMap::get(3, 0, {m, n}, ctx);
  Value init = createFilled(rewriter, loc, cType.getShape(), acc,
                            createFloatConstant(rewriter, loc, acc, 0.0));
  auto matmul = linalg::MatmulOp::create(
      rewriter, loc, TypeRange{init.getType()},
      ValueRange{call->getOperand(0), call->getOperand(1)}, ValueRange{init});
  // The builder sets the default maps; the region does not depend on them.
  matmul.setIndexingMapsAttr(
      rewriter.getAffineMapArrayAttr({lhsMap, rhsMap, outMap}));
  rewriter.replaceOp(call, createCast(rewriter, loc, matmul.getResult(0),
                                      cType.getShape(), element));
  return success();
}

/// `linalg.reduce` over the sorted dimensions: sums in the accumulator type
/// from 0, rounded once; max in the element type from -∞ (exact).
LogicalResult byteir::rewriteReduce(RewriterBase &rewriter, Operation *call,
                                    const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  bool isSum = kernel.kind == LibraryKernelKind::ReduceSum;
  RankedTensorType outType = kernel.resultTypes[0];
  Type element = outType.getElementType();
  Type acc = isSum ? getAccumulatorType(element) : element;
  Value initValue =
      isSum ? createFloatConstant(rewriter, loc, acc, 0.0)
            : createFloatConstant(rewriter, loc, acc, getNegativeInfinity(acc));
  Value init = createFilled(rewriter, loc, outType.getShape(), acc, initValue);
  auto reduce = linalg::ReduceOp::create(
      rewriter, loc, ValueRange{call->getOperand(0)}, ValueRange{init},
      kernel.dimensions, [&](OpBuilder &b, Location l, ValueRange args) {
        Value value = castFloat(b, l, args[0], acc);
        Value combined =
            isSum ? arith::AddFOp::create(b, l, args[1], value).getResult()
                  : arith::MaximumFOp::create(b, l, args[1], value).getResult();
        linalg::YieldOp::create(b, l, combined);
      });
  rewriter.replaceOp(call, createCast(rewriter, loc, reduce.getResult(0),
                                      outType.getShape(), element));
  return success();
}

/// out[i0, ..] = in[..] with result dimension d being input dimension
/// permutation[d].
LogicalResult byteir::rewriteTranspose(RewriterBase &rewriter, Operation *call,
                                       const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  RankedTensorType outType = kernel.resultTypes[0];
  Value init =
      createEmpty(rewriter, loc, outType.getShape(), outType.getElementType());
  auto transpose = linalg::TransposeOp::create(
      rewriter, loc, call->getOperand(0), init, kernel.dimensions);
  rewriter.replaceOp(call, transpose.getResult()[0]);
  return success();
}
