//===- Normalization.cpp - BatchNormTrainingOp and BatchNormGradOp --------===//
//
// bytedance/byteir @0e83d42b: runtime/lib/backends/cuda/providers/default/
// normalization/batch_norm_training.cc (cudnnBatchNormalizationForward-
// TrainingEx, CUDNN_BATCHNORM_SPATIAL, f32 parameters, exponential average
// factor 1: the mean and variance results are cuDNN's running statistics of
// this batch, the variance unbiased) and normalization/batch_norm_grad.cc
// ("BNBackward would recompute mean and variance": no saved statistics are
// passed, cuDNN recomputes them from x); compiler/lib/Dialect/mhlo/
// Transforms/RewriteWithConstraint.cpp (BatchNormGradDropMeanAndVarPattern
// drops the statistics operands). StableHLO batch_norm_training /
// batch_norm_grad give the formulas. All arithmetic is in f32 (mhlo
// converts x to f32 around the op); only y and dx are rounded to x's type.
//
//===----------------------------------------------------------------------===//

#include "KernelRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

namespace {
/// Builds the generics of one batch-norm kernel on x [N,C,H,W]: maps and
/// iterators for "every element" and "per channel" operands.
class BatchNormBuilder {
public:
  BatchNormBuilder(OpBuilder &b, Location loc, RankedTensorType xType)
      : b(b), loc(loc), xType(xType), f32(b.getF32Type()),
        channels(xType.getDimSize(1)), perElement(b.getMultiDimIdentityMap(4)),
        perChannel(AffineMap::get(4, 0, b.getAffineDimExpr(1))) {
    elementsPerChannel = xType.getNumElements() / channels;
    count = createFloatConstant(b, loc, f32,
                                static_cast<double>(elementsPerChannel));
  }

  /// Sums over N, H, W into one f32 [C] result per `numResults` (zero
  /// initialized); `body(args)` returns the values to add, args being the
  /// elements of `inputs` (each per element or per channel, `isPerChannel`).
  SmallVector<Value> reducePerChannel(
      ValueRange inputs, ArrayRef<bool> isPerChannel, unsigned numResults,
      function_ref<SmallVector<Value>(OpBuilder &, ValueRange)> body) {
    Value zero = createFloatConstant(b, loc, f32, 0.0);
    SmallVector<Value> inits;
    for (unsigned i = 0; i < numResults; ++i)
      inits.push_back(createFilled(b, loc, {channels}, f32, zero));
    SmallVector<AffineMap> maps = inputMaps(isPerChannel);
    maps.append(numResults, perChannel);
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::reduction);
    iterators[1] = utils::IteratorType::parallel;
    auto generic = linalg::GenericOp::create(
        b, loc, ValueRange(inits).getTypes(), inputs, inits, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          SmallVector<Value> terms =
              body(nested, args.take_front(inputs.size()));
          SmallVector<Value> sums;
          for (auto [term, acc] :
               llvm::zip_equal(terms, args.drop_front(inputs.size())))
            sums.push_back(arith::AddFOp::create(nested, nestedLoc, acc, term));
          linalg::YieldOp::create(nested, nestedLoc, sums);
        });
    return SmallVector<Value>(generic.getResults());
  }

  /// Per-channel f32 results from per-channel `inputs`.
  SmallVector<Value> mapPerChannel(
      ValueRange inputs, unsigned numResults,
      function_ref<SmallVector<Value>(OpBuilder &, ValueRange)> body) {
    SmallVector<Value> inits;
    for (unsigned i = 0; i < numResults; ++i)
      inits.push_back(createEmpty(b, loc, {channels}, f32));
    AffineMap identity = b.getMultiDimIdentityMap(1);
    SmallVector<AffineMap> maps(inputs.size() + numResults, identity);
    auto generic = linalg::GenericOp::create(
        b, loc, ValueRange(inits).getTypes(), inputs, inits, maps,
        utils::IteratorType::parallel,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(nested, nestedLoc,
                                  body(nested, args.take_front(inputs.size())));
        });
    return SmallVector<Value>(generic.getResults());
  }

  /// One result shaped and typed as x from `inputs` (per element or per
  /// channel); `body` returns the f32 value, rounded to x's element type.
  Value mapPerElement(ValueRange inputs, ArrayRef<bool> isPerChannel,
                      function_ref<Value(OpBuilder &, ValueRange)> body) {
    Type element = xType.getElementType();
    Value init = createEmpty(b, loc, xType.getShape(), element);
    SmallVector<AffineMap> maps = inputMaps(isPerChannel);
    maps.push_back(perElement);
    auto generic = linalg::GenericOp::create(
        b, loc, init.getType(), inputs, init, maps,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          Value value = body(nested, args.take_front(inputs.size()));
          linalg::YieldOp::create(nested, nestedLoc,
                                  castFloat(nested, nestedLoc, value, element));
        });
    return generic.getResult(0);
  }

  /// μ = Σx / M, s = Σ(x-μ)² (two passes: no E[x²]-μ² cancellation), and
  /// r = 1/√(s/M + ε) (biased variance, as the normalisation uses).
  struct Statistics {
    Value mean, centredSquares, rstd;
  };
  Statistics computeStatistics(Value x, FloatAttr epsilon) {
    Statistics stats;
    Value sum =
        reducePerChannel(x, {false}, 1, [&](OpBuilder &nb, ValueRange args) {
          return SmallVector<Value>{toF32(nb, args[0])};
        })[0];
    stats.mean = mapPerChannel(sum, 1, [&](OpBuilder &nb, ValueRange args) {
      return SmallVector<Value>{
          arith::DivFOp::create(nb, loc, args[0], count).getResult()};
    })[0];
    stats.centredSquares = reducePerChannel(
        {x, stats.mean}, {false, true}, 1, [&](OpBuilder &nb, ValueRange args) {
          Value d = arith::SubFOp::create(nb, loc, toF32(nb, args[0]), args[1]);
          return SmallVector<Value>{
              arith::MulFOp::create(nb, loc, d, d).getResult()};
        })[0];
    Value eps = arith::ConstantOp::create(b, loc, epsilon);
    stats.rstd = mapPerChannel(
        stats.centredSquares, 1, [&](OpBuilder &nb, ValueRange args) {
          Value var = arith::DivFOp::create(nb, loc, args[0], count);
          Value shifted = arith::AddFOp::create(nb, loc, var, eps);
          return SmallVector<Value>{
              math::RsqrtOp::create(nb, loc, shifted).getResult()};
        })[0];
    return stats;
  }

  Value toF32(OpBuilder &nb, Value v) { return castFloat(nb, loc, v, f32); }

  /// x̂ = (x - μ)·r in f32.
  Value normalize(OpBuilder &nb, Value x, Value mean, Value rstd) {
    Value centred = arith::SubFOp::create(nb, loc, toF32(nb, x), mean);
    return arith::MulFOp::create(nb, loc, centred, rstd);
  }

  /// M, the elements per channel, and M - 1, as f32 constants.
  Value getCount() const { return count; }
  Value createCountMinusOne() {
    return createFloatConstant(b, loc, f32,
                               static_cast<double>(elementsPerChannel - 1));
  }

private:
  SmallVector<AffineMap> inputMaps(ArrayRef<bool> isPerChannel) {
    return llvm::map_to_vector(isPerChannel, [&](bool channel) {
      return channel ? perChannel : perElement;
    });
  }

  OpBuilder &b;
  Location loc;
  RankedTensorType xType;
  Type f32;
  int64_t channels, elementsPerChannel;
  AffineMap perElement, perChannel;
  Value count;
};
} // namespace

/// y = γ·(x-μ)·r + β; with three results also μ and the variance
/// Σ(x-μ)²/(M-1) (unbiased, cuDNN's running variance) or /M (biased,
/// mhlo's, with `options.biasedVariance`).
LogicalResult
byteir::rewriteBatchNormTraining(RewriterBase &rewriter, Operation *call,
                                 const LibraryKernel &kernel,
                                 const ByteIRToLinalgOptions &options) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  Value x = call->getOperand(0), scale = call->getOperand(1),
        offset = call->getOperand(2);
  BatchNormBuilder bn(rewriter, loc, kernel.inputTypes[0]);
  BatchNormBuilder::Statistics stats = bn.computeStatistics(x, kernel.epsilon);
  Value y = bn.mapPerElement(
      {x, stats.mean, stats.rstd, scale, offset},
      {false, true, true, true, true}, [&](OpBuilder &nb, ValueRange args) {
        Value normalized = bn.normalize(nb, args[0], args[1], args[2]);
        Value scaled = arith::MulFOp::create(nb, loc, normalized, args[3]);
        return arith::AddFOp::create(nb, loc, scaled, args[4]).getResult();
      });
  if (!kernel.returnsStatistics()) {
    rewriter.replaceOp(call, y);
    return success();
  }
  Value divisor =
      options.biasedVariance ? bn.getCount() : bn.createCountMinusOne();
  Value variance = bn.mapPerChannel(
      stats.centredSquares, 1, [&](OpBuilder &nb, ValueRange args) {
        return SmallVector<Value>{
            arith::DivFOp::create(nb, loc, args[0], divisor).getResult()};
      })[0];
  rewriter.replaceOp(call, ValueRange{y, stats.mean, variance});
  return success();
}

/// dβ = Σdy, dγ = Σdy·x̂, dx = γr·(dy - dβ/M - x̂·dγ/M) with μ, r recomputed
/// from x (StableHLO batch_norm_grad with the batch's statistics).
LogicalResult byteir::rewriteBatchNormGrad(RewriterBase &rewriter,
                                           Operation *call,
                                           const LibraryKernel &kernel) {
  Location loc = call->getLoc();
  rewriter.setInsertionPoint(call);
  Value x = call->getOperand(0), scale = call->getOperand(1),
        dy = call->getOperand(2);
  BatchNormBuilder bn(rewriter, loc, kernel.inputTypes[0]);
  BatchNormBuilder::Statistics stats = bn.computeStatistics(x, kernel.epsilon);
  SmallVector<Value> sums = bn.reducePerChannel(
      {dy, x, stats.mean, stats.rstd}, {false, false, true, true}, 2,
      [&](OpBuilder &nb, ValueRange args) {
        Value grad = bn.toF32(nb, args[0]);
        Value normalized = bn.normalize(nb, args[1], args[2], args[3]);
        return SmallVector<Value>{
            grad, arith::MulFOp::create(nb, loc, grad, normalized).getResult()};
      });
  Value dOffset = sums[0], dScale = sums[1];
  // Per channel: γr, dβ/M, dγ/M.
  Value count = bn.getCount();
  SmallVector<Value> coefficients = bn.mapPerChannel(
      {scale, stats.rstd, dOffset, dScale}, 3,
      [&](OpBuilder &nb, ValueRange args) {
        return SmallVector<Value>{
            arith::MulFOp::create(nb, loc, args[0], args[1]).getResult(),
            arith::DivFOp::create(nb, loc, args[2], count).getResult(),
            arith::DivFOp::create(nb, loc, args[3], count).getResult()};
      });
  Value dx = bn.mapPerElement(
      {dy, x, stats.mean, stats.rstd, coefficients[0], coefficients[1],
       coefficients[2]},
      {false, false, true, true, true, true, true},
      [&](OpBuilder &nb, ValueRange args) {
        Value normalized = bn.normalize(nb, args[1], args[2], args[3]);
        Value centredGrad =
            arith::SubFOp::create(nb, loc, bn.toF32(nb, args[0]), args[5]);
        Value projection = arith::MulFOp::create(nb, loc, normalized, args[6]);
        Value diff = arith::SubFOp::create(nb, loc, centredGrad, projection);
        return arith::MulFOp::create(nb, loc, args[4], diff).getResult();
      });
  rewriter.replaceOp(call, ValueRange{dx, dScale, dOffset});
  return success();
}
