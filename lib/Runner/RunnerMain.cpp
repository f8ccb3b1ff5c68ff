//===- RunnerMain.cpp - a @main that runs a training step -------*- C++ -*-===//

#include "ckpt/Runner/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTRUNNERMAIN
#include "ckpt/Runner/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-runner-main"

//===----------------------------------------------------------------------===//
// Generated inputs and checksums
//===----------------------------------------------------------------------===//

namespace {
bool isSupportedTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(
             tensor.getElementType());
}

/// The row-major linear index of the current element of a linalg.generic
/// body over `shape`, as f64.
Value buildLinearIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [dim, size] : llvm::enumerate(shape)) {
    Value scaled = arith::MulIOp::create(
        b, loc, linear, arith::ConstantIndexOp::create(b, loc, size));
    linear = arith::AddIOp::create(b, loc, scaled,
                                   linalg::IndexOp::create(b, loc, dim));
  }
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), linear);
  return arith::SIToFPOp::create(b, loc, b.getF64Type(), asInt);
}

/// Argument `k`: element i = 0.5 * sin(0.37 * i + 1.3 * k), in f64, then
/// truncated to the element type.
Value buildInput(OpBuilder &b, Location loc, RankedTensorType type, int64_t k) {
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        Value i = buildLinearIndex(nb, nloc, type.getShape());
        auto f64 = [&](double v) {
          return arith::ConstantOp::create(nb, nloc, nb.getF64FloatAttr(v));
        };
        Value angle = arith::AddFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, i, f64(0.37)),
            f64(1.3 * k));
        Value value = arith::MulFOp::create(
            nb, nloc, math::SinOp::create(nb, nloc, angle), f64(0.5));
        if (!type.getElementType().isF64())
          value =
              arith::TruncFOp::create(nb, nloc, type.getElementType(), value);
        linalg::YieldOp::create(nb, nloc, value);
      });
  return generic.getResult(0);
}

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

/// Fails with an error at `step` naming the first argument or result whose
/// type `isSupported` rejects; `expected` says what is supported.
LogicalResult checkSignature(func::FuncOp step,
                             function_ref<bool(Type)> isSupported,
                             StringRef expected) {
  for (auto [kind, types] : {std::pair<StringRef, ArrayRef<Type>>{
                                 "argument", step.getArgumentTypes()},
                             {"result", step.getResultTypes()}})
    for (auto [index, type] : llvm::enumerate(types))
      if (!isSupported(type))
        return step.emitError() << kind << " #" << index << " has type " << type
                                << "; expected " << expected;
  return success();
}

/// Declares the private runtime function `name` (no results) at `b`.
void declareRuntimeFunction(OpBuilder &b, Location loc, StringRef name,
                            TypeRange inputs) {
  func::FuncOp::create(b, loc, name, b.getFunctionType(inputs, {}))
      .setPrivate();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct CkptRunnerMainPass
    : public ckpt::impl::CkptRunnerMainBase<CkptRunnerMainPass> {
  using Base::Base;

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
    // The step stays a function of its own (the lowering pipelines inline
    // other calls): its allocations are the ones measured.
    result.setNoInline(true);
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
    if (failed(checkSignature(step, isSupportedTensor,
                              "a statically shaped tensor of f16, bf16, f32 "
                              "or f64")))
      return signalPassFailure();

    Location loc = step.getLoc();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    declareRuntimeFunction(b, loc, "ckpt_rt_mark", {});
    declareRuntimeFunction(
        b, loc, "ckpt_rt_print_result",
        {b.getI64Type(), b.getF64Type(), b.getF64Type(), b.getI64Type()});
    declareRuntimeFunction(b, loc, "ckpt_rt_print_memory", {});

    auto main = func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
    b.setInsertionPointToStart(main.addEntryBlock());
    SmallVector<Value> inputs;
    for (auto [k, type] : llvm::enumerate(step.getArgumentTypes()))
      inputs.push_back(buildInput(b, loc, cast<RankedTensorType>(type), k));
    func::CallOp::create(b, loc, "ckpt_rt_mark", TypeRange{}, ValueRange{});
    auto call = func::CallOp::create(b, loc, step, inputs);
    call.setNoInline(true);
    for (auto [index, result] : llvm::enumerate(call.getResults())) {
      auto toF64 = [](OpBuilder &nb, Location nloc, Value v) -> Value {
        return v.getType().isF64()
                   ? v
                   : arith::ExtFOp::create(nb, nloc, nb.getF64Type(), v);
      };
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
            Value raw =
                arith::BitcastOp::create(nb, nloc, nb.getIntegerType(width), x);
            if (width < 64)
              raw = arith::ExtUIOp::create(nb, nloc, nb.getI64Type(), raw);
            return arith::AddIOp::create(nb, nloc, raw, acc);
          });
      Value indexValue = arith::ConstantOp::create(
          b, loc, b.getI64IntegerAttr(static_cast<int64_t>(index)));
      func::CallOp::create(b, loc, "ckpt_rt_print_result", TypeRange{},
                           ValueRange{indexValue, sum, l1, bits});
    }
    func::CallOp::create(b, loc, "ckpt_rt_print_memory", TypeRange{},
                         ValueRange{});
    func::ReturnOp::create(b, loc);
  }
};
} // namespace
