//===- RunnerMain.cpp - a @main that runs a training step -------*- C++ -*-===//

#include "ckpt/Runner/Passes.h"

#include "RunnerInputs.h"

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

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTRUNNERMAIN
#include "ckpt/Runner/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::runner;

#define DEBUG_TYPE "ckpt-runner-main"

//===----------------------------------------------------------------------===//
// Checksums and runtime calls
//===----------------------------------------------------------------------===//

namespace {

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
  Value l1 =
      reduceAll(b, loc, result, b.getF64FloatAttr(0.0),
                [&](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
                  Value abs =
                      math::AbsFOp::create(nb, nloc, toF64(nb, nloc, x));
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
  Value indexValue =
      arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(index));
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
  auto type =
      MemRefType::get({static_cast<int64_t>(bytes.size())}, b.getI8Type());
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
    // The step stays a function of its own (the lowering pipelines inline
    // other calls): its allocations are the ones measured.
    call.setNoInline(true);
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
