//===- RunnerMain.cpp - a @main that runs a training step -------*- C++ -*-===//

#include "ckpt/Runner/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/DebugLog.h"

#include <cmath>

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTRUNNERMAIN
#include "ckpt/Runner/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-runner-main"

//===----------------------------------------------------------------------===//
// The entry's signature
//===----------------------------------------------------------------------===//

namespace {
constexpr StringLiteral kShardDimAttr = "ckpt.shard_dim";
constexpr StringLiteral kInputRangeAttr = "ckpt.input_range";

/// Element types of the tensor driver: floats and signless integers.
bool isSupportedElement(Type type) {
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

/// How one argument of the entry is built.
struct ArgumentPlan {
  /// The argument's type (may have dynamic dimensions).
  RankedTensorType type;
  /// The local shape built, every dynamic dimension bound.
  RankedTensorType local;
  /// `ckpt.shard_dim`, if any.
  std::optional<int64_t> shardDim;
  /// Integer inputs are uniform in [0, range).
  int64_t range = 2;
};

/// Reads the argument's attributes into `plan`; fails with an error at
/// `step` for a malformed one.
LogicalResult planArgument(func::FuncOp step, unsigned k, int64_t intRange,
                           int64_t dynamicDimSize, ArgumentPlan &plan) {
  auto fail = [&]() {
    return step.emitError() << "argument #" << k << " ";
  };
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
      return fail() << "has '" << kInputRangeAttr
                    << "' but its elements are " << type.getElementType()
                    << ", not integers";
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
    uint64_t limit = width == 1 ? 2 : width >= 64 ? INT64_MAX
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

/// The runtime values an input generator reads: this rank's index and the
/// number of ranks (index type), present only if some argument is sharded.
struct Ranks {
  Value rank, count;
};

/// The global sizes and this rank's offsets (index values) of an argument
/// whose local shape is `plan.local`.
void globalShape(OpBuilder &b, Location loc, const ArgumentPlan &plan,
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
Value buildLinearIndex(OpBuilder &b, Location loc, ArrayRef<Value> sizes,
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

Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(b.getI64Type(), APInt(64, value)));
}

/// h(k, i) = mix(i + (k + 1) * 0x9E3779B97F4A7C15), mix the SplitMix64
/// finalizer, in wrapping unsigned 64-bit arithmetic (the pass description
/// states it; oracles rebuild it with numpy's uint64).
Value buildHash(OpBuilder &b, Location loc, Value linear, int64_t k) {
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
Value buildFanInScale(OpBuilder &b, Location loc, ArrayRef<Value> sizes) {
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

//===----------------------------------------------------------------------===//
// Checksums and runtime calls
//===----------------------------------------------------------------------===//

/// Reduces all elements of `input` to a 0-d tensor with `combine`, starting
/// from `init`, and extracts the scalar.
Value reduceAll(
    OpBuilder &b, Location loc, Value input, TypedAttr init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Value zero = arith::ConstantOp::create(b, loc, init);
  Value acc =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, init.getType());
  acc = linalg::FillOp::create(b, loc, zero, acc).getResult(0);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ValueRange{input}, ValueRange{acc},
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[0], args[1]));
      });
  return tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
}

/// An element as f64: floats extended, integers signed (`i1` as 0/1).
Value toF64(OpBuilder &b, Location loc, Value v) {
  Type type = v.getType();
  if (type.isF64())
    return v;
  if (isa<FloatType>(type))
    return arith::ExtFOp::create(b, loc, b.getF64Type(), v);
  if (type.isInteger(1))
    return arith::UIToFPOp::create(b, loc, b.getF64Type(), v);
  return arith::SIToFPOp::create(b, loc, b.getF64Type(), v);
}

/// Prints result `index` through `ckpt_rt_print_result(index, sum, l1,
/// bits)`.
void printResult(OpBuilder &b, Location loc, Value result, int64_t index) {
  Value sum = reduceAll(
      b, loc, result, b.getF64FloatAttr(0.0),
      [&](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
        return arith::AddFOp::create(nb, nloc, toF64(nb, nloc, x), acc);
      });
  Value l1 = reduceAll(
      b, loc, result, b.getF64FloatAttr(0.0),
      [&](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
        Value abs = math::AbsFOp::create(nb, nloc, toF64(nb, nloc, x));
        return arith::AddFOp::create(nb, nloc, abs, acc);
      });
  Value bits = reduceAll(
      b, loc, result, b.getI64IntegerAttr(0),
      [&](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
        unsigned width = x.getType().getIntOrFloatBitWidth();
        Value raw = x;
        if (isa<FloatType>(x.getType()))
          raw = arith::BitcastOp::create(nb, nloc, nb.getIntegerType(width), x);
        if (width < 64)
          raw = arith::ExtUIOp::create(nb, nloc, nb.getI64Type(), raw);
        return arith::AddIOp::create(nb, nloc, raw, acc);
      });
  Value indexValue = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(index));
  func::CallOp::create(b, loc, "ckpt_rt_print_result", TypeRange{},
                       ValueRange{indexValue, sum, l1, bits});
}

/// Declares the private runtime function `name` at `b`.
void declareRuntimeFunction(OpBuilder &b, Location loc, StringRef name,
                            TypeRange inputs, TypeRange results = {}) {
  func::FuncOp::create(b, loc, name, b.getFunctionType(inputs, results))
      .setPrivate();
}

/// Runtime declarations made once each, before `@main`.
class RuntimeDeclarations {
public:
  RuntimeDeclarations(ModuleOp module, Location loc)
      : builder(OpBuilder::atBlockEnd(module.getBody())), loc(loc) {}

  /// Declares `name` (once) and returns it.
  StringRef get(StringRef name, TypeRange inputs, TypeRange results = {}) {
    if (declared.insert(name).second)
      declareRuntimeFunction(builder, loc, name, inputs, results);
    return declared.find(name)->getKey();
  }
  OpBuilder &getBuilder() { return builder; }

private:
  OpBuilder builder;
  Location loc;
  llvm::StringSet<> declared;
};

/// A constant global holding `text` and its terminating NUL, as a
/// `memref<*xi8>` value at `b` (for paths passed to the runtime).
Value buildString(OpBuilder &b, OpBuilder &moduleBuilder, Location loc,
                  StringRef symbol, StringRef text) {
  SmallVector<int8_t> bytes(text.begin(), text.end());
  bytes.push_back(0);
  auto type = MemRefType::get({static_cast<int64_t>(bytes.size())},
                              b.getI8Type());
  auto data = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), b.getI8Type()),
      ArrayRef<int8_t>(bytes));
  memref::GlobalOp::create(moduleBuilder, loc, symbol,
                           moduleBuilder.getStringAttr("private"), type, data,
                           /*constant=*/true, /*alignment=*/nullptr);
  Value global = memref::GetGlobalOp::create(b, loc, type, symbol);
  return memref::CastOp::create(
      b, loc, UnrankedMemRefType::get(b.getI8Type(), 0), global);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct CkptRunnerMainPass
    : public ckpt::impl::CkptRunnerMainBase<CkptRunnerMainPass> {
  using Base::Base;

  /// Fails with an error at `step` naming the first argument or result
  /// whose type `isSupported` rejects; `expected` says what is supported.
  static LogicalResult checkSignature(func::FuncOp step,
                                      function_ref<bool(Type)> isSupported,
                                      StringRef expected) {
    for (auto [kind, types] : {std::pair<StringRef, ArrayRef<Type>>{
                                   "argument", step.getArgumentTypes()},
                               {"result", step.getResultTypes()}})
      for (auto [index, type] : llvm::enumerate(types))
        if (!isSupported(type))
          return step.emitError() << kind << " #" << index << " has type "
                                  << type << "; expected " << expected;
    return success();
  }

  /// The driver for a bufferized step: host buffers, runtime calls only.
  void buildBufferMain(ModuleOp module, func::FuncOp step) {
    auto isSupported = [](Type type) {
      auto memref = dyn_cast<MemRefType>(type);
      return memref && memref.hasStaticShape() &&
             memref.getLayout().isIdentity() && memref.getElementType().isF32();
    };
    if (failed(checkSignature(step, isSupported,
                              "a static identity-layout memref of f32")))
      return signalPassFailure();
    Location loc = step.getLoc();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto unranked = UnrankedMemRefType::get(b.getF32Type(), 0);
    auto declare = [&](StringRef name, TypeRange inputs) {
      declareRuntimeFunction(b, loc, name, inputs);
    };
    declare("ckpt_rt_fill_f32", {unranked, b.getI64Type()});
    declare("ckpt_rt_print_memref_f32", {b.getI64Type(), unranked});
    declare("ckpt_rt_step_begin", {});
    declare("ckpt_rt_step_end", {});
    declare("ckpt_rt_print_memory", {});
    if (device) {
      declare("ckpt_rt_device_mark", {});
      declare("ckpt_rt_print_device_memory", {});
    }
    auto main = func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
    b.setInsertionPointToStart(main.addEntryBlock());
    auto call = [&](StringRef name, ValueRange args) {
      func::CallOp::create(b, loc, name, TypeRange{}, args);
    };
    SmallVector<Value> inputs;
    for (auto [k, type] : llvm::enumerate(step.getArgumentTypes())) {
      Value buffer = memref::AllocOp::create(b, loc, cast<MemRefType>(type));
      Value cast = memref::CastOp::create(b, loc, unranked, buffer);
      Value index = arith::ConstantOp::create(
          b, loc, b.getI64IntegerAttr(static_cast<int64_t>(k)));
      call("ckpt_rt_fill_f32", {cast, index});
      inputs.push_back(buffer);
    }
    if (device)
      call("ckpt_rt_device_mark", {});
    call("ckpt_rt_step_begin", {});
    auto result = func::CallOp::create(b, loc, step, inputs);
    call("ckpt_rt_step_end", {});
    for (auto [index, value] : llvm::enumerate(result.getResults())) {
      Value cast = memref::CastOp::create(b, loc, unranked, value);
      Value i = arith::ConstantOp::create(
          b, loc, b.getI64IntegerAttr(static_cast<int64_t>(index)));
      call("ckpt_rt_print_memref_f32", {i, cast});
    }
    call("ckpt_rt_print_memory", {});
    if (device)
      call("ckpt_rt_print_device_memory", {});
    // The buffers are freed by the deallocation pass that follows.
    func::ReturnOp::create(b, loc);
  }

  /// Checks the options and the entry's signature and fills `plans`.
  LogicalResult planTensorMain(func::FuncOp step,
                               SmallVectorImpl<ArgumentPlan> &plans) {
    if (generator != "sin" && generator != "hash")
      return step.emitError() << "unknown generator '" << generator
                              << "'; expected 'sin' or 'hash'";
    if (dynamicDimSize < 1)
      return step.emitError() << "'dynamic-dim-size' must be at least 1, got "
                              << static_cast<int64_t>(dynamicDimSize);
    if (intRange < 1)
      return step.emitError() << "'int-range' must be at least 1, got "
                              << static_cast<int64_t>(intRange);
    for (unsigned k = 0, e = step.getNumArguments(); k < e; ++k)
      if (failed(planArgument(step, k, intRange, dynamicDimSize,
                              plans.emplace_back())))
        return failure();
    if (failed(checkResults(step)))
      return failure();
    if (!loadInputs.empty())
      for (auto [k, type] : llvm::enumerate(step.getArgumentTypes()))
        if (failed(checkRaw(step, "argument", k, type, "load-inputs")))
          return failure();
    if (!storeResults.empty())
      for (auto [k, type] : llvm::enumerate(step.getResultTypes()))
        if (failed(checkRaw(step, "result", k, type, "store-results")))
          return failure();
    return success();
  }

  /// Argument `k` read by the runtime from `load-inputs`: a buffer filled
  /// by `ckpt_rt_load_input_<type>(k, shard_dim or -1, buffer)` as a tensor.
  Value buildLoadedInput(OpBuilder &b, RuntimeDeclarations &runtime,
                         Location loc, const ArgumentPlan &plan, int64_t k) {
    Type element = plan.local.getElementType();
    auto bufferType = MemRefType::get(plan.local.getShape(), element);
    auto unranked = UnrankedMemRefType::get(element, 0);
    StringRef name = runtime.get(
        (Twine("ckpt_rt_load_input_") + rawElementName(element)).str(),
        {b.getI64Type(), b.getI64Type(), unranked});
    Value buffer = memref::AllocOp::create(b, loc, bufferType);
    Value cast = memref::CastOp::create(b, loc, unranked, buffer);
    func::CallOp::create(
        b, loc, name, TypeRange{},
        ValueRange{arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(k)),
                   arith::ConstantOp::create(
                       b, loc, b.getI64IntegerAttr(plan.shardDim.value_or(-1))),
                   cast});
    Value input = bufferization::ToTensorOp::create(
        b, loc, plan.local, buffer, /*restrict=*/true, /*writable=*/true);
    if (plan.type != plan.local)
      input = tensor::CastOp::create(b, loc, plan.type, input);
    return input;
  }

  /// Result `k` written by `ckpt_rt_store_result_<type>(k, buffer)`.
  void buildStoredResult(OpBuilder &b, RuntimeDeclarations &runtime,
                         Location loc, Value result, int64_t k) {
    auto type = cast<RankedTensorType>(result.getType());
    Type element = type.getElementType();
    auto unranked = UnrankedMemRefType::get(element, 0);
    StringRef name = runtime.get(
        (Twine("ckpt_rt_store_result_") + rawElementName(element)).str(),
        {b.getI64Type(), unranked});
    Value buffer = bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(type.getShape(), element), result,
        /*read_only=*/true);
    Value cast = memref::CastOp::create(b, loc, unranked, buffer);
    func::CallOp::create(
        b, loc, name, TypeRange{},
        ValueRange{arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(k)),
                   cast});
  }

  /// The driver for a tensor step (the description's steps 1-4).
  void buildTensorMain(ModuleOp module, func::FuncOp step) {
    SmallVector<ArgumentPlan> plans;
    if (failed(planTensorMain(step, plans)))
      return signalPassFailure();
    Location loc = step.getLoc();
    RuntimeDeclarations runtime(module, loc);
    OpBuilder &mb = runtime.getBuilder();
    Type i64 = mb.getI64Type(), f64 = mb.getF64Type();
    auto unrankedI8 = UnrankedMemRefType::get(mb.getI8Type(), 0);
    runtime.get("ckpt_rt_mark", {});
    runtime.get("ckpt_rt_print_result", {i64, f64, f64, i64});
    runtime.get("ckpt_rt_print_memory", {});
    bool sharded = llvm::any_of(
        plans, [](const ArgumentPlan &plan) { return plan.shardDim; });
    if (sharded && loadInputs.empty()) {
      runtime.get("ckpt_rt_rank", {}, {i64});
      runtime.get("ckpt_rt_num_ranks", {}, {i64});
    }
    if (!loadInputs.empty())
      runtime.get("ckpt_rt_load_inputs_begin", {i64, unrankedI8});
    if (!storeResults.empty())
      runtime.get("ckpt_rt_store_results_begin", {i64, unrankedI8});
    if (timeStep) {
      runtime.get("ckpt_rt_step_begin", {});
      runtime.get("ckpt_rt_step_end", {});
    }
    // @main goes after every declaration and path string it adds.
    OpBuilder b(module.getContext());
    auto main = func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
    b.setInsertionPointToStart(main.addEntryBlock());
    auto callRuntime = [&](StringRef name, ValueRange args) {
      func::CallOp::create(b, loc, name, TypeRange{}, args);
    };
    Value numArgs = arith::ConstantOp::create(
        b, loc, b.getI64IntegerAttr(step.getNumArguments()));
    Value numResults = arith::ConstantOp::create(
        b, loc, b.getI64IntegerAttr(step.getNumResults()));

    SmallVector<Value> inputs;
    if (!loadInputs.empty()) {
      Value path =
          buildString(b, mb, loc, "__ckpt_rt_load_inputs_dir", loadInputs);
      callRuntime("ckpt_rt_load_inputs_begin", {numArgs, path});
      for (auto [k, plan] : llvm::enumerate(plans))
        inputs.push_back(buildLoadedInput(b, runtime, loc, plan, k));
    } else {
      Ranks ranks;
      if (sharded) {
        auto query = [&](StringRef name) -> Value {
          Value value =
              func::CallOp::create(b, loc, name, TypeRange{i64}, ValueRange{})
                  .getResult(0);
          return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
        };
        ranks = {query("ckpt_rt_rank"), query("ckpt_rt_num_ranks")};
      }
      for (auto [k, plan] : llvm::enumerate(plans))
        inputs.push_back(
            buildInput(b, loc, plan, k, generator == "hash", ranks));
    }

    callRuntime("ckpt_rt_mark", {});
    if (timeStep)
      callRuntime("ckpt_rt_step_begin", {});
    auto call = func::CallOp::create(b, loc, step, inputs);
    if (timeStep)
      callRuntime("ckpt_rt_step_end", {});
    for (auto [index, result] : llvm::enumerate(call.getResults()))
      printResult(b, loc, result, index);
    if (!storeResults.empty()) {
      Value path =
          buildString(b, mb, loc, "__ckpt_rt_store_results_dir", storeResults);
      callRuntime("ckpt_rt_store_results_begin", {numResults, path});
      for (auto [index, result] : llvm::enumerate(call.getResults()))
        buildStoredResult(b, runtime, loc, result, index);
    }
    callRuntime("ckpt_rt_print_memory", {});
    func::ReturnOp::create(b, loc);
    mb.insert(main);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp step;
    if (!entry.empty()) {
      step = module.lookupSymbol<func::FuncOp>(entry);
      if (!step || step.isExternal()) {
        emitError(module.getLoc())
            << "no function @" << entry << " with a body";
        return signalPassFailure();
      }
    } else {
      for (auto func : module.getOps<func::FuncOp>()) {
        if (func.isExternal() || func.isPrivate())
          continue;
        if (step) {
          emitError(module.getLoc()) << "several public functions; name one "
                                        "with 'entry'";
          return signalPassFailure();
        }
        step = func;
      }
      if (!step) {
        emitError(module.getLoc()) << "no public function with a body";
        return signalPassFailure();
      }
    }
    if (module.lookupSymbol("main")) {
      emitError(module.getLoc()) << "the module already "
                                    "has a symbol @main";
      return signalPassFailure();
    }
    LDBG() << "driver for @" << step.getSymName()
           << (buffers ? " (buffers)" : "");
    if (buffers)
      return buildBufferMain(module, step);
    buildTensorMain(module, step);
  }
};
} // namespace
