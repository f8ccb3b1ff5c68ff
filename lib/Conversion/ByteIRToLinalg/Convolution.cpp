//===- Convolution.cpp - ConvOp and its two backward kernels --------------===//
//
// bytedance/byteir @0e83d42b: runtime/lib/backends/cuda/providers/default/
// math/conv.cc (cudnnConvolutionForward, CUDNN_CROSS_CORRELATION, compute
// type CUDNN_DATA_FLOAT), math/conv_backward.cc (cudnnConvolutionBackward-
// Data/Filter with the forward convolution's descriptor), math/helper.cc
// (handleConvParam: symmetric padding, equal layouts);
// compiler/lib/Dialect/mhlo/Transforms/ConvBackwardFusion.cpp (the backward
// kernels' attributes are the forward convolution's stride and padding).
//
//===----------------------------------------------------------------------===//

#include "KernelRewrites.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

/// `linalg.conv_2d_nchw_fchw` of `input` [N,C,H,W] and `filter` [F,C,Kh,Kw]
/// into `init` [N,F,Oh,Ow] (the accumulator type; the named op extends its
/// operands to it).
static Value convolve(OpBuilder &b, Location loc, Value input, Value filter,
                      Value init, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> dilations) {
  return linalg::Conv2DNchwFchwOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{input, filter},
             ValueRange{init}, getI64Pair(b, strides), getI64Pair(b, dilations))
      .getResult(0);
}

/// A zero-filled accumulator of `shape` for data of `element`.
static Value createAccumulator(OpBuilder &b, Location loc,
                               ArrayRef<int64_t> shape, Type element) {
  Type acc = getAccumulatorType(element);
  return createFilled(b, loc, shape, acc,
                      createFloatConstant(b, loc, acc, 0.0));
}

/// y[n,f,oh,ow] = Σ_{c,kh,kw} xpad[n,c,s·oh+kh,s·ow+kw] · w[f,c,kh,kw],
/// xpad = x padded by p with zeros.
LogicalResult byteir::rewriteConv(RewriterBase &rewriter, Operation *call,
                                  const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  RankedTensorType yType = kernel.resultTypes[0];
  Type element = yType.getElementType();
  Value zero = createFloatConstant(rewriter, loc, element, 0.0);
  Value xPadded = padSpatial(rewriter, loc, call->getOperand(0), kernel.padding,
                             kernel.padding, zero);
  Value acc = createAccumulator(rewriter, loc, yType.getShape(), element);
  Value y = convolve(rewriter, loc, xPadded, call->getOperand(1), acc,
                     kernel.strides, {1, 1});
  rewriter.replaceOp(call,
                     createCast(rewriter, loc, y, yType.getShape(), element));
  return success();
}

/// dx, the adjoint of ConvOp in x, as an ordinary stride-1 convolution: dy
/// zero-inserted with the stride and padded to I + K - 1 (low K-1-p; the
/// high side K-1-p+a includes the output padding a = (I+2p-K) mod s, rows
/// of x the forward never read), convolved with wr[c,f,i,j] =
/// w[f,c,K-1-i,K-1-j].
LogicalResult byteir::rewriteConvBackwardData(RewriterBase &rewriter,
                                              Operation *call,
                                              const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  Value dy = call->getOperand(0), w = call->getOperand(1);
  RankedTensorType dyType = kernel.inputTypes[0], wType = kernel.inputTypes[1],
                   dxType = kernel.resultTypes[0];
  Type element = dxType.getElementType();
  int64_t n = dyType.getDimSize(0), f = dyType.getDimSize(1),
          c = wType.getDimSize(1);
  SmallVector<int64_t> low(2), high(2), padded(2);
  for (int dim = 0; dim < 2; ++dim) {
    int64_t k = kernel.window[dim], s = kernel.strides[dim],
            p = kernel.padding[dim], in = dxType.getDimSize(2 + dim),
            out = dyType.getDimSize(2 + dim);
    padded[dim] = in + k - 1;
    low[dim] = k - 1 - p;
    high[dim] = padded[dim] - low[dim] - ((out - 1) * s + 1);
  }
  Value zero = createFloatConstant(rewriter, loc, element, 0.0);
  Value dyPadded;
  if (kernel.strides[0] == 1 && kernel.strides[1] == 1) {
    dyPadded = padSpatial(rewriter, loc, dy, low, high, zero);
  } else {
    // tensor.pad has no interior padding: insert dy with the stride into
    // a zero tensor of the padded size.
    Value zeros = createFilled(rewriter, loc, {n, f, padded[0], padded[1]},
                               element, zero);
    dyPadded = tensor::InsertSliceOp::create(
        rewriter, loc, dy, zeros,
        ArrayRef<OpFoldResult>{
            rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
            rewriter.getIndexAttr(low[0]), rewriter.getIndexAttr(low[1])},
        getAsIndexOpFoldResult(rewriter.getContext(), dyType.getShape()),
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(kernel.strides[0]),
                               rewriter.getIndexAttr(kernel.strides[1])});
  }
  // wr[c,f,i,j] = w[f,c,Kh-1-i,Kw-1-j]: rotated by 180° and transposed.
  MLIRContext *ctx = rewriter.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx);
  AffineMap rotate = AffineMap::get(
      4, 0, {d1, d0, kernel.window[0] - 1 - d2, kernel.window[1] - 1 - d3},
      ctx);
  Value wRotated =
      createCast(rewriter, loc, w, {c, f, kernel.window[0], kernel.window[1]},
                 element, rotate);
  Value acc = createAccumulator(rewriter, loc, dxType.getShape(), element);
  Value dx = convolve(rewriter, loc, dyPadded, wRotated, acc, {1, 1}, {1, 1});
  rewriter.replaceOp(call,
                     createCast(rewriter, loc, dx, dxType.getShape(), element));
  return success();
}

/// dw[f,c,i,j] = Σ_{n,oh,ow} dy[n,f,oh,ow] · xpad[n,c,s·oh+i,s·ow+j]: with
/// C as the batch and N as the contracted channel, a stride-1 convolution
/// whose filter dyᵀ[f,n,oh,ow] is dilated by s:
/// r[c,f,i,j] = Σ xpadᵀ[c,n,i+s·oh,j+s·ow] · dyᵀ[f,n,oh,ow], dw = rᵀ.
/// Rows of xpad past the last window (the output padding) are never read.
LogicalResult byteir::rewriteConvBackwardFilter(RewriterBase &rewriter,
                                                Operation *call,
                                                const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  RankedTensorType dwType = kernel.resultTypes[0];
  Type element = dwType.getElementType();
  int64_t f = dwType.getDimSize(0), c = dwType.getDimSize(1);
  Value zero = createFloatConstant(rewriter, loc, element, 0.0);
  Value xPadded = padSpatial(
      rewriter, loc, swapLeadingDims(rewriter, loc, call->getOperand(0)),
      kernel.padding, kernel.padding, zero);
  Value dyT = swapLeadingDims(rewriter, loc, call->getOperand(1));
  Value acc = createAccumulator(
      rewriter, loc, {c, f, kernel.window[0], kernel.window[1]}, element);
  Value r = convolve(rewriter, loc, xPadded, dyT, acc, {1, 1}, kernel.strides);
  MLIRContext *ctx = rewriter.getContext();
  AffineMap swap =
      AffineMap::getPermutationMap(ArrayRef<int64_t>{1, 0, 2, 3}, ctx);
  rewriter.replaceOp(
      call, createCast(rewriter, loc, r, dwType.getShape(), element, swap));
  return success();
}
