//===- Pooling.cpp - PoolMaxOp and PoolMaxGradOp --------------------------===//
//
// bytedance/byteir @0e83d42b: runtime/lib/backends/cuda/providers/default/
// math/pool.cc (cudnnPoolingForward, CUDNN_POOLING_MAX,
// CUDNN_PROPAGATE_NAN) and math/pool_grad.cc (the forward pool re-run, then
// cudnnPoolingBackward; dx zeroed first). The gradient's tie rule is
// mhlo's: the kernel was fused from `select_and_scatter` with `select =
// compare GE`, which StableHLO's reference interpreter
// (stablehlo/reference/Ops.cpp selectAndScatterOp) resolves to the first
// maximum in row-major window order; PyTorch's max_pool2d backward
// (aten/src/ATen/native/cuda/DilatedMaxPool2d.cu, `val > maxval`) and
// ByteIR's own test golden (runtime/test/.../pool_grad_test.cc) agree.
// cuDNN does not document its tie rule (Theano issue 5404).
//
//===----------------------------------------------------------------------===//

#include "KernelRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

/// x padded by the kernel's padding with -∞ (never selected), and the
/// shape-only [Kh, Kw] window operand linalg needs to bound the window
/// loops.
static std::pair<Value, Value> padForPooling(OpBuilder &b, Location loc,
                                             Value x,
                                             const LibraryKernel &kernel) {
  Type element = kernel.inputTypes[0].getElementType();
  Value negInf =
      createFloatConstant(b, loc, element, getNegativeInfinity(element));
  Value padded = padSpatial(b, loc, x, kernel.padding, kernel.padding, negInf);
  Value window = createEmpty(b, loc, kernel.window, element);
  return {padded, window};
}

/// y[n,c,oh,ow] = max_{i,j} xpad[n,c,s·oh+i,s·ow+j], init -∞.
LogicalResult byteir::rewritePoolMax(RewriterBase &rewriter, Operation *call,
                                     const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  RankedTensorType yType = kernel.resultTypes[0];
  Type element = yType.getElementType();
  auto [padded, window] =
      padForPooling(rewriter, loc, call->getOperand(0), kernel);
  Value negInf =
      createFloatConstant(rewriter, loc, element, getNegativeInfinity(element));
  Value init = createFilled(rewriter, loc, yType.getShape(), element, negInf);
  Value y = linalg::PoolingNchwMaxOp::create(
                rewriter, loc, TypeRange{yType}, ValueRange{padded, window},
                ValueRange{init}, getI64Pair(rewriter, kernel.strides),
                getI64Pair(rewriter, {1, 1}))
                .getResult(0);
  rewriter.replaceOp(call, y);
  return success();
}

/// Two generics:
///  1. per window of the forward pool, the row-major offset i·Kw + j of
///     its first maximum: a candidate replaces the current one if it is
///     greater, or equal with a smaller offset (an order-independent
///     encoding of "first"; the init offset Kh·Kw loses every tie);
///  2. per element (h, w) of dx, a gather over the windows that contain it
///     (offset (i, j) with h + p - i = s·oh, 0 <= oh < Oh, same for w): the
///     dy of those whose first maximum is (i, j), summed in f32, rounded
///     once. A gather, not a scatter generic: linalg gives an output map
///     that is not a permutation no scatter-add meaning under tiling.
/// A -∞ input tied with the padding at an earlier offset loses its
/// gradient (the padding "wins" the tie and is not an input element).
LogicalResult byteir::rewritePoolMaxGrad(RewriterBase &rewriter,
                                         Operation *call,
                                         const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  MLIRContext *ctx = rewriter.getContext();
  Value dy = call->getOperand(1);
  RankedTensorType dyType = kernel.inputTypes[1],
                   dxType = kernel.resultTypes[0];
  Type element = dxType.getElementType();
  Type i32 = rewriter.getI32Type();
  int64_t kh = kernel.window[0], kw = kernel.window[1];
  int64_t sh = kernel.strides[0], sw = kernel.strides[1];

  // 1. First argmax per window.
  auto [padded, window] =
      padForPooling(rewriter, loc, call->getOperand(0), kernel);
  Value negInf =
      createFloatConstant(rewriter, loc, element, getNegativeInfinity(element));
  Value maxInit =
      createFilled(rewriter, loc, dyType.getShape(), element, negInf);
  Value offsetInit = createFilled(
      rewriter, loc, dyType.getShape(), i32,
      arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getI32IntegerAttr(static_cast<int32_t>(kh * kw))));
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx),
             i = getAffineDimExpr(4, ctx), j = getAffineDimExpr(5, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0, {n, c, oh * sh + i, ow * sw + j}, ctx),
      AffineMap::get(6, 0, {i, j}, ctx),
      AffineMap::get(6, 0, {n, c, oh, ow}, ctx),
      AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto argmax = linalg::GenericOp::create(
      rewriter, loc, TypeRange{maxInit.getType(), offsetInit.getType()},
      ValueRange{padded, window}, ValueRange{maxInit, offsetInit}, maps,
      iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value value = args[0], best = args[2], bestOffset = args[3];
        Value row = linalg::IndexOp::create(b, l, 4);
        Value col = linalg::IndexOp::create(b, l, 5);
        Value width = arith::ConstantIndexOp::create(b, l, kw);
        Value offset = arith::IndexCastOp::create(
            b, l, i32,
            arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, row, width),
                                  col));
        Value greater =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, value, best);
        Value equal =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, value, best);
        Value earlier = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                              offset, bestOffset);
        Value take = arith::OrIOp::create(
            b, l, greater, arith::AndIOp::create(b, l, equal, earlier));
        linalg::YieldOp::create(
            b, l,
            ValueRange{
                arith::SelectOp::create(b, l, take, value, best),
                arith::SelectOp::create(b, l, take, offset, bestOffset)});
      });
  Value offsets = argmax.getResult(1);

  // 2. Gather per element of dx.
  Type acc = getAccumulatorType(element);
  Value dxInit = createEmpty(rewriter, loc, dxType.getShape(), element);
  auto gather = linalg::GenericOp::create(
      rewriter, loc, TypeRange{dxInit.getType()}, ValueRange{},
      ValueRange{dxInit},
      ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange) {
        // Constants first, so every nested builder only uses them.
        auto index = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(b, l, v);
        };
        Value zero = index(0), one = index(1), windowH = index(kh),
              windowW = index(kw), strideH = index(sh), strideW = index(sw),
              outH = index(dyType.getDimSize(2)),
              outW = index(dyType.getDimSize(3));
        Value zeroAcc = createFloatConstant(b, l, acc, 0.0);
        Value nIdx = linalg::IndexOp::create(b, l, 0);
        Value cIdx = linalg::IndexOp::create(b, l, 1);
        Value hShifted = arith::AddIOp::create(
            b, l, linalg::IndexOp::create(b, l, 2), index(kernel.padding[0]));
        Value wShifted = arith::AddIOp::create(
            b, l, linalg::IndexOp::create(b, l, 3), index(kernel.padding[1]));
        // Window index (h+p-i)/s along one dimension, and whether that
        // window exists and holds the element at offset i.
        auto windowOf = [&](OpBuilder &bi, Location li, Value shifted,
                            Value offset, Value stride, Value size,
                            Value &pos) -> Value {
          Value r = arith::SubIOp::create(bi, li, shifted, offset);
          pos = arith::DivSIOp::create(bi, li, r, stride);
          Value rem = arith::RemSIOp::create(bi, li, r, stride);
          Value nonNegative =
              arith::CmpIOp::create(bi, li, arith::CmpIPredicate::sge, r, zero);
          Value exact = arith::CmpIOp::create(bi, li, arith::CmpIPredicate::eq,
                                              rem, zero);
          Value below = arith::CmpIOp::create(bi, li, arith::CmpIPredicate::slt,
                                              pos, size);
          return arith::AndIOp::create(
              bi, li, arith::AndIOp::create(bi, li, nonNegative, exact), below);
        };
        auto outer = scf::ForOp::create(
            b, l, zero, windowH, one, ValueRange{zeroAcc},
            [&](OpBuilder &bo, Location lo, Value wi, ValueRange outerArgs) {
              auto inner = scf::ForOp::create(
                  bo, lo, zero, windowW, one, outerArgs,
                  [&](OpBuilder &bi, Location li, Value wj,
                      ValueRange innerArgs) {
                    Value sum = innerArgs[0];
                    Value ohIdx, owIdx;
                    Value inH =
                        windowOf(bi, li, hShifted, wi, strideH, outH, ohIdx);
                    Value inW =
                        windowOf(bi, li, wShifted, wj, strideW, outW, owIdx);
                    Value inside = arith::AndIOp::create(bi, li, inH, inW);
                    auto branch = scf::IfOp::create(
                        bi, li, inside,
                        [&](OpBuilder &bt, Location lt) {
                          ValueRange at{nIdx, cIdx, ohIdx, owIdx};
                          Value selected =
                              tensor::ExtractOp::create(bt, lt, offsets, at);
                          Value mine = arith::IndexCastOp::create(
                              bt, lt, i32,
                              arith::AddIOp::create(
                                  bt, lt,
                                  arith::MulIOp::create(bt, lt, wi, windowW),
                                  wj));
                          Value hit = arith::CmpIOp::create(
                              bt, lt, arith::CmpIPredicate::eq, selected, mine);
                          Value grad = castFloat(
                              bt, lt, tensor::ExtractOp::create(bt, lt, dy, at),
                              acc);
                          Value added =
                              arith::AddFOp::create(bt, lt, sum, grad);
                          scf::YieldOp::create(
                              bt, lt,
                              ValueRange{arith::SelectOp::create(bt, lt, hit,
                                                                 added, sum)});
                        },
                        [&](OpBuilder &be, Location le) {
                          scf::YieldOp::create(be, le, ValueRange{sum});
                        });
                    scf::YieldOp::create(bi, li, branch.getResults());
                  });
              scf::YieldOp::create(bo, lo, inner.getResults());
            });
        linalg::YieldOp::create(b, l,
                                castFloat(b, l, outer.getResult(0), element));
      });
  rewriter.replaceOp(call, gather.getResult(0));
  return success();
}
