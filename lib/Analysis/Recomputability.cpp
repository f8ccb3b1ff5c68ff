//===- Recomputability.cpp - which ops may run twice ------------*- C++ -*-===//

#include "ckpt/Analysis/Recomputability.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::ckpt;

StringRef mlir::ckpt::stringifySaveReason(SaveReason reason) {
  switch (reason) {
  case SaveReason::Recompute:
    return "recomputed";
  case SaveReason::RegionInput:
    return "region input";
  case SaveReason::Policy:
    return "kept by the save policy";
  case SaveReason::MemoryEffects:
    return "defined by an op with memory effects; it must not run twice";
  case SaveReason::ExternalCall:
    return "defined by a call to an external function (not matched by "
           "assume-pure)";
  case SaveReason::EffectfulCallee:
    return "defined by a call to a function with memory effects";
  case SaveReason::Scalar:
    return "scalar value";
  case SaveReason::InputOfRegion:
    return "input of another checkpointed region";
  case SaveReason::Nullary:
    return "constant or data-less op (no operands)";
  }
  llvm_unreachable("unknown SaveReason");
}

bool RecomputeSafety::isCalleeRecomputable(func::FuncOp callee) {
  auto [it, inserted] = calleeMemo.try_emplace(callee.getOperation(), false);
  if (!inserted)
    return it->second; // memoized, or `false` while in progress (recursion)
  bool recomputable = true;
  callee.getBody().walk([&](Operation *nested) {
    if (classifyShallow(nested) != SaveReason::Recompute) {
      recomputable = false;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  calleeMemo[callee.getOperation()] = recomputable;
  return recomputable;
}

SaveReason RecomputeSafety::classifyShallow(Operation *op) {
  if (auto call = dyn_cast<CallOpInterface>(op)) {
    auto callee = dyn_cast_if_present<func::FuncOp>(
        call.resolveCallableInTable(&symbolTables));
    if (!callee || callee.isExternal()) {
      auto symbol =
          llvm::dyn_cast_if_present<SymbolRefAttr>(call.getCallableForCallee());
      if (symbol && assumePure &&
          assumePure->match(symbol.getLeafReference().getValue()))
        return SaveReason::Recompute;
      return SaveReason::ExternalCall;
    }
    return isCalleeRecomputable(callee) ? SaveReason::Recompute
                                        : SaveReason::EffectfulCallee;
  }
  if (auto effects = dyn_cast<MemoryEffectOpInterface>(op)) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    // Allocating its own result (e.g. bufferization.alloc_tensor) is fine to
    // repeat; any read, write or free is not.
    for (const MemoryEffects::EffectInstance &instance : instances)
      if (!isa<MemoryEffects::Allocate>(instance.getEffect()))
        return SaveReason::MemoryEffects;
    return SaveReason::Recompute;
  }
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return SaveReason::Recompute; // decided by the nested ops
  return SaveReason::MemoryEffects; // unknown effects
}

SaveReason RecomputeSafety::classify(Operation *op) {
  SaveReason reason = SaveReason::Recompute;
  op->walk([&](Operation *nested) {
    reason = classifyShallow(nested);
    return reason == SaveReason::Recompute ? WalkResult::advance()
                                           : WalkResult::interrupt();
  });
  // A nested op that may not run twice makes the whole op unsafe, for the
  // nested op's reason.
  return reason;
}

bool mlir::ckpt::isMatmulOrConvolution(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return false;
  return linalg::isaContractionOpInterface(linalgOp) ||
         linalg::isaConvolutionOpInterface(linalgOp);
}
