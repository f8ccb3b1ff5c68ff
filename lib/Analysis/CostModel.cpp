//===- CostModel.cpp - bytes and FLOPs of values and ops --------*- C++ -*-===//

#include "ckpt/Analysis/CostModel.h"

#include "ckpt/Analysis/LibraryKernels.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::ckpt;

/// The product of `dims`, each dynamic one taken as
/// `options.dynamicDimSize` (which sets `usedAssumption`).
static int64_t multiplyDims(ArrayRef<int64_t> dims,
                            const CostModelOptions &options,
                            bool &usedAssumption) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim)) {
      usedAssumption = true;
      dim = options.dynamicDimSize;
    }
    product *= dim;
  }
  return product;
}

int64_t mlir::ckpt::getElementCount(Type type, const CostModelOptions &options,
                                    bool &usedAssumption) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return 1;
  if (!shaped.hasRank()) {
    usedAssumption = true;
    return options.dynamicDimSize;
  }
  return multiplyDims(shaped.getShape(), options, usedAssumption);
}

bool mlir::ckpt::isNullary(Operation *op) {
  return op->getNumOperands() == 0 && op->getNumRegions() == 0;
}

ByteModel::ByteModel(Operation *scope, const CostModelOptions &options)
    : layout(DataLayout::closest(scope)), options(options) {}

int64_t ByteModel::getElementBytes(Type elementType) {
  // The types MLIR's default data layout sizes; others (tokens, opaque
  // types) take no bytes rather than a fatal "missing data layout".
  if (!isa<IntegerType, FloatType, IndexType, ComplexType,
           DataLayoutTypeInterface>(elementType))
    return 0;
  return static_cast<int64_t>(layout.getTypeSize(elementType).getFixedValue());
}

int64_t ByteModel::getTypeBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return getElementBytes(type);
  // Tensors, memrefs and vectors alike: elements x element size (a
  // vector's data-layout size would round odd lengths up).
  int64_t element = getElementBytes(shaped.getElementType());
  return element == 0 ? 0 : getElementCount(type, options, assumed) * element;
}

/// True if a `ckpt.checkpoint` result yields, directly or through views, a
/// value with no data (an empty tensor `cse` merged into the region, as
/// torch-mlir's graphs share one `tensor.empty` between several ops).
static bool yieldsNoData(OpResult result) {
  auto region = dyn_cast<CheckpointOp>(result.getOwner());
  if (!region)
    return false;
  Value yielded = region.getYield().getOperand(result.getResultNumber());
  while (auto inner = dyn_cast<OpResult>(yielded)) {
    if (carriesNoData(inner.getOwner()) || yieldsNoData(inner))
      return true;
    Value source = getAliasedOperand(inner);
    if (!source)
      return false;
    yielded = source;
  }
  return false;
}

int64_t ByteModel::getValueBytes(Value value) {
  auto result = dyn_cast<OpResult>(value);
  if (!result || !isa<ShapedType>(value.getType()) ||
      carriesNoData(result.getOwner()) || getAliasedOperand(result) ||
      yieldsNoData(result))
    return 0;
  return getTypeBytes(value.getType());
}

bool mlir::ckpt::carriesNoData(Operation *op) {
  if (isNullary(op) || isa<tensor::EmptyOp>(op))
    return true;
  if (auto alloc = dyn_cast<bufferization::AllocTensorOp>(op))
    return !alloc.getCopy();
  return false;
}

bool CheapValues::isCheap(Value value) {
  Operation *def = value.getDefiningOp();
  return def && isCheapOp(def);
}

bool CheapValues::isCheapOp(Operation *root) {
  // An explicit stack: the decision of an op waits on those of the ops that
  // define what it reads.
  SmallVector<Operation *> stack = {root};
  while (!stack.empty()) {
    Operation *op = stack.back();
    if (memo.count(op)) {
      stack.pop_back();
      continue;
    }
    auto decide = [&](bool cheap) {
      memo[op] = cheap;
      stack.pop_back();
    };
    if (op->getNumResults() == 0) {
      decide(false);
      continue;
    }
    if (carriesNoData(op) ||
        isa<tensor::DimOp, memref::DimOp, tensor::RankOp, memref::RankOp>(op)) {
      decide(true);
      continue;
    }
    std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
        getEffectsRecursively(op);
    if (!effects || llvm::any_of(*effects, [](auto &instance) {
          return !isa<MemoryEffects::Allocate>(instance.getEffect());
        })) {
      decide(false);
      continue;
    }
    bool cheap = true, pending = false;
    for (Value value : getReadValues(op)) {
      Operation *def = value.getDefiningOp();
      if (!def) {
        cheap = false; // an argument: data
        break;
      }
      auto known = memo.find(def);
      if (known == memo.end()) {
        stack.push_back(def);
        pending = true;
      } else if (!known->second) {
        cheap = false;
        break;
      }
    }
    if (cheap && pending)
      continue; // decided once what it reads is
    decide(cheap);
  }
  return memo.lookup(root);
}

int64_t FlopModel::sumNested(Operation *op) {
  int64_t flops = 0;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (Operation &nested : block)
        flops += getFlops(&nested);
  return flops;
}

int64_t FlopModel::getFlops(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    int64_t domain =
        multiplyDims(linalgOp.getStaticLoopRanges(), options, assumed);
    if (linalg::isaContractionOpInterface(linalgOp) ||
        linalg::isaConvolutionOpInterface(linalgOp))
      return 2 * domain;
    Block *body = linalgOp.getBlock();
    int64_t bodyOps =
        body ? static_cast<int64_t>(body->getOperations().size()) - 1 : 0;
    return domain * std::max<int64_t>(bodyOps, 0);
  }
  if (auto call = dyn_cast<CallOpInterface>(op)) {
    auto callee = dyn_cast_if_present<func::FuncOp>(
        call.resolveCallableInTable(&symbols));
    if (!callee || callee.isExternal()) {
      // A ByteIR library kernel (cuDNN/cuBLAS call) costs what its table
      // row says.
      if (getByreComputeName(op))
        if (FailureOr<LibraryKernel> kernel = matchLibraryKernel(op);
            succeeded(kernel))
          return getLibraryKernelFlops(*kernel);
      if (auto symbol = llvm::dyn_cast_if_present<SymbolRefAttr>(
              call.getCallableForCallee()))
        if (unknownCalleeSet.insert(symbol.getLeafReference().getValue())
                .second)
          unknownCallees.push_back(symbol.getLeafReference().str());
      return 0;
    }
    auto [it, inserted] = calleeMemo.try_emplace(callee.getOperation(), 0);
    if (!inserted)
      return it->second; // memoized, or 0 while in progress (recursion)
    int64_t flops = sumNested(callee.getOperation());
    calleeMemo[callee.getOperation()] = flops;
    return flops;
  }
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    int64_t trips = 1;
    if (std::optional<APInt> count = forOp.getStaticTripCount())
      trips = count->getSExtValue();
    else
      assumed = true;
    return trips * sumNested(op);
  }
  if (op->getNumRegions() != 0)
    return sumNested(op);
  if (op->hasTrait<OpTrait::ConstantLike>())
    return 0;
  if (isa<arith::ArithDialect, math::MathDialect>(op->getDialect())) {
    if (op->getNumResults() == 0)
      return 0;
    return getElementCount(op->getResult(0).getType(), options, assumed);
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

std::optional<CostTarget> CostTarget::get(llvm::StringRef name) {
  CostTarget target;
  target.name = name.str();
  if (name == "flops")
    return target;
  target.flopsOnly = false;
  if (name == "h200") {
    // NVIDIA H200 SXM datasheet: 4.8 TB/s HBM3e; dense tensor-core BF16/FP16
    // 989 TFLOP/s (the sparse figure is twice), TF32 494, FP32 and FP64 67.
    target.bandwidth = 4.8e12;
    target.peakFlops16 = 989e12;
    target.peakFlops32 = 67e12;
    target.peakFlops64 = 67e12;
    return target;
  }
  if (name == "cpu") {
    // Measured on the build machine (2 cores, Debian 12) with
    //   /usr/bin/python3 bench/cpu_roofline.py
    // on 2026-12-02 01:01 UTC, under load from other builds: f32 matmul
    // 2048x2048 1.453e9 FLOP/s (numpy's BLAS), copy of 512 MiB 5.617e9 B/s
    // read + write. f64 at half, 16-bit as f32 (no native 16-bit units).
    target.bandwidth = 5.617e9;
    target.peakFlops16 = 1.453e9;
    target.peakFlops32 = 1.453e9;
    target.peakFlops64 = 1.453e9 / 2;
    return target;
  }
  return std::nullopt;
}

double CostTarget::getPeakFlops(Type elementType) const {
  if (elementType && elementType.isIntOrFloat()) {
    unsigned width = elementType.getIntOrFloatBitWidth();
    if (width == 16)
      return peakFlops16;
    if (width == 64)
      return peakFlops64;
  }
  return peakFlops32;
}

OpCostModel::OpCostModel(Operation *scope, const CostModelOptions &options,
                         const CostTarget &target)
    : bytes(scope, options), flops(options), target(target) {}

OpCostModel::OpCost OpCostModel::getCost(Operation *op) {
  OpCost cost;
  cost.flops = flops.getFlops(op);
  bool isExternalCall = false;
  if (auto call = dyn_cast<CallOpInterface>(op)) {
    auto callee = dyn_cast_if_present<func::FuncOp>(
        call.resolveCallableInTable(&symbols));
    isExternalCall = !callee || callee.isExternal();
  }
  if (isExternalCall && getByreComputeName(op)) {
    if (FailureOr<LibraryKernel> kernel = matchLibraryKernel(op);
        succeeded(kernel))
      cost.bytesMoved = getLibraryKernelBytes(*kernel, bytes);
    else
      cost.unknown = true;
  } else if (isExternalCall) {
    cost.unknown = true;
  }
  if (!cost.bytesMoved && !carriesNoData(op)) {
    bool isView = llvm::any_of(op->getResults(), [](OpResult result) {
      return getAliasedOperand(result) != nullptr;
    });
    if (!isView) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
      for (OpOperand &operand : op->getOpOperands()) {
        if (!isa<ShapedType>(operand.get().getType()))
          continue;
        if (linalgOp && linalgOp.isDpsInit(&operand) &&
            !linalgOp.payloadUsesValueFromOperand(&operand))
          continue;
        cost.bytesMoved += bytes.getTypeBytes(operand.get().getType());
      }
      for (Value result : op->getResults())
        if (isa<ShapedType>(result.getType()))
          cost.bytesMoved += bytes.getTypeBytes(result.getType());
    }
  }
  if (target.flopsOnly) {
    cost.cost = static_cast<double>(cost.flops);
    return cost;
  }
  Type elementType;
  if (op->getNumResults() != 0)
    elementType = getElementTypeOrSelf(op->getResult(0).getType());
  else if (op->getNumOperands() != 0)
    elementType = getElementTypeOrSelf(op->getOperand(0).getType());
  double peak = target.getPeakFlops(elementType);
  double compute = peak > 0 ? cost.flops / peak : 0;
  double memory = target.bandwidth > 0 ? cost.bytesMoved / target.bandwidth : 0;
  cost.cost = std::max(compute, memory);
  return cost;
}
