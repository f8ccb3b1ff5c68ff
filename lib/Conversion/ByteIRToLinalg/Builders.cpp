//===- Builders.cpp - small builders the kernel rewrites share ------------===//

#include "KernelRewrites.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

Type byteir::getAccumulatorType(Type element) {
  auto floatType = cast<FloatType>(element);
  if (floatType.getWidth() < 32)
    return Float32Type::get(element.getContext());
  return element;
}

Value byteir::castFloat(OpBuilder &b, Location loc, Value value, Type to) {
  auto from = cast<FloatType>(value.getType());
  auto toFloat = cast<FloatType>(to);
  if (from == toFloat)
    return value;
  if (from.getWidth() < toFloat.getWidth())
    return arith::ExtFOp::create(b, loc, to, value);
  return arith::TruncFOp::create(b, loc, to, value);
}

Value byteir::createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          Type element) {
  return tensor::EmptyOp::create(b, loc, shape, element);
}

Value byteir::createFloatConstant(OpBuilder &b, Location loc, Type type,
                                  const APFloat &value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value byteir::createFloatConstant(OpBuilder &b, Location loc, Type type,
                                  double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value byteir::createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                           Type element, Value value) {
  Value empty = createEmpty(b, loc, shape, element);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

APFloat byteir::getNegativeInfinity(Type type) {
  return APFloat::getInf(cast<FloatType>(type).getFloatSemantics(),
                         /*Negative=*/true);
}

Value byteir::createCast(OpBuilder &b, Location loc, Value source,
                         ArrayRef<int64_t> shape, Type element,
                         AffineMap sourceMap) {
  auto rank = static_cast<unsigned>(shape.size());
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  if (!sourceMap)
    sourceMap = identity;
  auto sourceType = cast<RankedTensorType>(source.getType());
  if (sourceType.getElementType() == element && sourceMap == identity)
    return source;
  Value empty = createEmpty(b, loc, shape, element);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, empty.getType(), source, empty,
      ArrayRef<AffineMap>{sourceMap, identity}, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value cast = castFloat(nested, nestedLoc, args[0], element);
        linalg::YieldOp::create(nested, nestedLoc, cast);
      });
  return generic.getResult(0);
}

Value byteir::padSpatial(OpBuilder &b, Location loc, Value source,
                         ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                         Value padValue) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return source;
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lowSizes(4, b.getIndexAttr(0)),
      highSizes(4, b.getIndexAttr(0));
  for (int dim = 0; dim < 2; ++dim) {
    shape[2 + dim] += low[dim] + high[dim];
    lowSizes[2 + dim] = b.getIndexAttr(low[dim]);
    highSizes[2 + dim] = b.getIndexAttr(high[dim]);
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, source, lowSizes, highSizes,
                               padValue);
}

Value byteir::swapLeadingDims(OpBuilder &b, Location loc, Value source) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[0], shape[1]);
  Value empty = createEmpty(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, source, empty,
                                     ArrayRef<int64_t>{1, 0, 2, 3})
      .getResult()[0];
}

DenseIntElementsAttr byteir::getI64Pair(OpBuilder &b,
                                        ArrayRef<int64_t> values) {
  return DenseIntElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(values.size())},
                            b.getI64Type()),
      values);
}
