//===- RunnerInputs.cpp - the runner's arguments: checks and generators ---===//
//
// The entry's signature as ckpt-runner-main accepts it (one plan per
// argument) and the generated inputs of its description.
//
//===----------------------------------------------------------------------===//

#include "RunnerInputs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;

//===----------------------------------------------------------------------===//
// The entry's signature
//===----------------------------------------------------------------------===//

namespace mlir::ckpt::runner {
constexpr StringLiteral kShardDimAttr = "ckpt.shard_dim";
constexpr StringLiteral kInputRangeAttr = "ckpt.input_range";

/// Element types of the tensor driver: floats and signless integers.
static bool isSupportedElement(Type type) {
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(type))
    return true;
  auto integer = dyn_cast<IntegerType>(type);
  return integer && integer.isSignless() && integer.getWidth() <= 64;
}

/// The runtime's name of an element type that can be loaded from and stored
/// to raw files (the suffix of `ckpt_rt_load_input_*`), or "" if none.
StringRef rawElementName(Type type) {
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  if (!type.isSignlessInteger())
    return "";
  switch (type.getIntOrFloatBitWidth()) {
  case 1:
    return "i1";
  case 8:
    return "i8";
  case 16:
    return "i16";
  case 32:
    return "i32";
  case 64:
    return "i64";
  default:
    return "";
  }
}

/// Reads the argument's attributes into `plan`; fails with an error at
/// `step` for a malformed one.
LogicalResult planArgument(func::FuncOp step, unsigned k, int64_t intRange,
                           int64_t dynamicDimSize, ArgumentPlan &plan) {
  auto fail = [&]() { return step.emitError() << "argument #" << k << " "; };
  Type argType = step.getArgumentTypes()[k];
  auto type = dyn_cast<RankedTensorType>(argType);
  if (!type || !isSupportedElement(type.getElementType()))
    return fail() << "has type " << argType
                  << "; expected a ranked tensor of f16, bf16, f32, f64 or a "
                     "signless integer";
  plan.type = type;
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t &size : shape)
    if (ShapedType::isDynamic(size))
      size = dynamicDimSize;
  plan.local = RankedTensorType::get(shape, type.getElementType());
  if (Attribute attr = step.getArgAttr(k, kShardDimAttr)) {
    auto dim = dyn_cast<IntegerAttr>(attr);
    if (!dim || dim.getInt() < 0 || dim.getInt() >= type.getRank())
      return fail() << "has '" << kShardDimAttr << "' = " << attr
                    << "; expected an integer dimension in [0, "
                    << type.getRank() << ")";
    plan.shardDim = dim.getInt();
  }
  plan.range = intRange;
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  if (Attribute attr = step.getArgAttr(k, kInputRangeAttr)) {
    auto range = dyn_cast<IntegerAttr>(attr);
    if (!integer)
      return fail() << "has '" << kInputRangeAttr << "' but its elements are "
                    << type.getElementType() << ", not integers";
    if (!range || range.getInt() < 1)
      return fail() << "has '" << kInputRangeAttr << "' = " << attr
                    << "; expected a positive integer";
    plan.range = range.getInt();
  } else if (integer && integer.getWidth() == 1) {
    // A mask under the global range: true or false.
    plan.range = std::min<int64_t>(intRange, 2);
  }
  if (integer) {
    unsigned width = integer.getWidth();
    // Values in [0, N) must be non-negative in the signed reading.
    uint64_t limit = width == 1    ? 2
                     : width >= 64 ? INT64_MAX
                                   : (uint64_t{1} << (width - 1));
    if (static_cast<uint64_t>(plan.range) > limit)
      return fail() << "of type " << type << " cannot hold inputs in [0, "
                    << plan.range << "); the range is at most " << limit;
  }
  return success();
}

/// Fails with an error at `step` naming the first result that is not a
/// ranked tensor of a supported element type.
LogicalResult checkResults(func::FuncOp step) {
  for (auto [index, type] : llvm::enumerate(step.getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !isSupportedElement(tensor.getElementType()))
      return step.emitError()
             << "result #" << index << " has type " << type
             << "; expected a ranked tensor of f16, bf16, f32, f64 or a "
                "signless integer";
  }
  return success();
}

/// Fails with an error at `step` if argument or result `index` (`kind`) of
/// type `type` cannot be exchanged through raw files (`option`).
LogicalResult checkRaw(func::FuncOp step, StringRef kind, unsigned index,
                       Type type, StringRef option) {
  Type element = cast<RankedTensorType>(type).getElementType();
  if (!rawElementName(element).empty())
    return success();
  return step.emitError() << kind << " #" << index << " has elements of type "
                          << element << ", which '" << option
                          << "' cannot exchange; expected f16, bf16, f32, "
                             "f64, i1, i8, i16, i32 or i64";
}

//===----------------------------------------------------------------------===//
// Generated inputs
//===----------------------------------------------------------------------===//

/// The global sizes and this rank's offsets (index values) of an argument
/// whose local shape is `plan.local`.
static void globalShape(OpBuilder &b, Location loc, const ArgumentPlan &plan,
                        const Ranks &ranks, SmallVectorImpl<Value> &sizes,
                        SmallVectorImpl<Value> &offsets) {
  for (auto [dim, size] : llvm::enumerate(plan.local.getShape())) {
    Value local = arith::ConstantIndexOp::create(b, loc, size);
    if (plan.shardDim && *plan.shardDim == static_cast<int64_t>(dim)) {
      sizes.push_back(arith::MulIOp::create(b, loc, local, ranks.count));
      offsets.push_back(arith::MulIOp::create(b, loc, local, ranks.rank));
    } else {
      sizes.push_back(local);
      offsets.push_back(nullptr);
    }
  }
}

/// The row-major linear index in the global shape (`sizes`) of the current
/// element of a linalg.generic body, its local indices shifted by
/// `offsets` (null: none), as i64.
static Value buildLinearIndex(OpBuilder &b, Location loc, ArrayRef<Value> sizes,
                              ArrayRef<Value> offsets) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [dim, size] : llvm::enumerate(sizes)) {
    Value scaled = arith::MulIOp::create(b, loc, linear, size);
    Value index = linalg::IndexOp::create(b, loc, dim);
    if (offsets[dim])
      index = arith::AddIOp::create(b, loc, index, offsets[dim]);
    linear = arith::AddIOp::create(b, loc, scaled, index);
  }
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), linear);
}

static Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(b.getI64Type(), APInt(64, value)));
}

/// h(k, i) = mix(i + (k + 1) * 0x9E3779B97F4A7C15), mix the SplitMix64
/// finalizer, in wrapping unsigned 64-bit arithmetic (the pass description
/// states it; oracles rebuild it with numpy's uint64).
static Value buildHash(OpBuilder &b, Location loc, Value linear, int64_t k) {
  uint64_t seed = (static_cast<uint64_t>(k) + 1) * 0x9E3779B97F4A7C15ull;
  Value x = arith::AddIOp::create(b, loc, linear, i64Constant(b, loc, seed));
  auto xorShift = [&](unsigned shift) {
    Value shifted =
        arith::ShRUIOp::create(b, loc, x, i64Constant(b, loc, shift));
    x = arith::XOrIOp::create(b, loc, x, shifted);
  };
  xorShift(30);
  x = arith::MulIOp::create(b, loc, x, i64Constant(b, loc, 0xBF58476D1CE4E5B9));
  xorShift(27);
  x = arith::MulIOp::create(b, loc, x, i64Constant(b, loc, 0x94D049BB133111EB));
  xorShift(31);
  // The top 53 bits, as the uniform draws use them.
  return arith::ShRUIOp::create(b, loc, x, i64Constant(b, loc, 11));
}

/// 1 / sqrt(fan_in), fan_in the product of the global sizes but the first.
static Value buildFanInScale(OpBuilder &b, Location loc,
                             ArrayRef<Value> sizes) {
  Value fanIn = arith::ConstantIndexOp::create(b, loc, 1);
  for (Value size : sizes.drop_front(std::min<size_t>(1, sizes.size())))
    fanIn = arith::MulIOp::create(b, loc, fanIn, size);
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), fanIn);
  Value asFloat = arith::SIToFPOp::create(b, loc, b.getF64Type(), asInt);
  Value one = arith::ConstantOp::create(b, loc, b.getF64FloatAttr(1.0));
  return arith::DivFOp::create(b, loc, one,
                               math::SqrtOp::create(b, loc, asFloat));
}

/// Argument `k` as the description states: a linalg.generic over the local
/// shape, reading the global index; cast to the argument's type if it has
/// dynamic dimensions.
Value buildInput(OpBuilder &b, Location loc, const ArgumentPlan &plan,
                 int64_t k, bool hash, const Ranks &ranks) {
  RankedTensorType type = plan.local;
  Type element = type.getElementType();
  SmallVector<Value> sizes, offsets;
  globalShape(b, loc, plan, ranks, sizes, offsets);
  Value scale;
  if (hash && isa<FloatType>(element))
    scale = buildFanInScale(b, loc, sizes);
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), element);
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        Value i = buildLinearIndex(nb, nloc, sizes, offsets);
        auto f64 = [&](double v) {
          return arith::ConstantOp::create(nb, nloc, nb.getF64FloatAttr(v));
        };
        Value value;
        if (auto integer = dyn_cast<IntegerType>(element)) {
          Value bits = buildHash(nb, nloc, i, k);
          Value range = i64Constant(nb, nloc, plan.range);
          value = arith::RemUIOp::create(nb, nloc, bits, range);
          if (integer.getWidth() < 64)
            value = arith::TruncIOp::create(nb, nloc, integer, value);
        } else if (hash) {
          Value bits = buildHash(nb, nloc, i, k);
          Value asFloat =
              arith::UIToFPOp::create(nb, nloc, nb.getF64Type(), bits);
          Value u = arith::MulFOp::create(nb, nloc, asFloat,
                                          f64(std::ldexp(1.0, -53)));
          Value twice = arith::MulFOp::create(nb, nloc, u, f64(2.0));
          Value centered = arith::SubFOp::create(nb, nloc, twice, f64(1.0));
          value = arith::MulFOp::create(nb, nloc, centered, scale);
        } else {
          Value angle = arith::AddFOp::create(
              nb, nloc,
              arith::MulFOp::create(
                  nb, nloc,
                  arith::SIToFPOp::create(nb, nloc, nb.getF64Type(), i),
                  f64(0.37)),
              f64(1.3 * k));
          value = arith::MulFOp::create(
              nb, nloc, math::SinOp::create(nb, nloc, angle), f64(0.5));
        }
        if (isa<FloatType>(element) && !element.isF64())
          value = arith::TruncFOp::create(nb, nloc, element, value);
        linalg::YieldOp::create(nb, nloc, value);
      });
  Value input = generic.getResult(0);
  if (plan.type != type)
    input = tensor::CastOp::create(b, loc, plan.type, input);
  return input;
}

} // namespace mlir::ckpt::runner
