//===- Recomputability.cpp - which ops may run twice ------------*- C++ -*-===//

#include "ckpt/Analysis/Recomputability.h"

#include "ckpt/Analysis/LibraryKernels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
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
  case SaveReason::LiveAfterRecompute:
    return "still used by the forward part or returned after its recompute "
           "would start (recomputing it would free nothing)";
  case SaveReason::Collective:
    return "collective (communication between ranks runs once per step; "
           "recompute-collectives replays it)";
  }
  llvm_unreachable("unknown SaveReason");
}

/// The reason to keep what an op with these effects defines, given
/// upstream's answer (`getEffectsRecursively`): allocating its own results
/// (e.g. `bufferization.alloc_tensor`) may be repeated; any read, write or
/// free may not, and neither may unknown effects.
static SaveReason classifyEffects(
    const std::optional<SmallVector<MemoryEffects::EffectInstance>> &effects) {
  if (!effects)
    return SaveReason::MemoryEffects; // some op has unknown effects
  for (const MemoryEffects::EffectInstance &instance : *effects)
    if (!isa<MemoryEffects::Allocate>(instance.getEffect()))
      return SaveReason::MemoryEffects;
  return SaveReason::Recompute;
}

bool mlir::ckpt::isCollective(Operation *op, const CollectivePolicy &policy) {
  if (isa<mpi::MPIDialect>(op->getDialect()))
    return true;
  if (isa<shard::AllGatherOp, shard::AllReduceOp, shard::AllSliceOp,
          shard::AllToAllOp, shard::BroadcastOp, shard::GatherOp,
          shard::RecvOp, shard::ReduceOp, shard::ReduceScatterOp,
          shard::ScatterOp, shard::SendOp, shard::ShiftOp,
          shard::UpdateHaloOp>(op))
    return true;
  auto call = dyn_cast<CallOpInterface>(op);
  if (!call || !policy.callees)
    return false;
  auto symbol =
      llvm::dyn_cast_if_present<SymbolRefAttr>(call.getCallableForCallee());
  return symbol && policy.callees->match(symbol.getLeafReference().getValue());
}

SaveReason RecomputeSafety::classifyCallee(func::FuncOp callee) {
  auto [it, inserted] =
      calleeMemo.try_emplace(callee.getOperation(), SaveReason::EffectfulCallee);
  if (!inserted)
    return it->second; // memoized, or in progress (recursion): effectful
  SaveReason reason = SaveReason::Recompute;
  for (Operation &op : callee.getBody().getOps()) {
    SaveReason opReason = classify(&op);
    if (opReason == SaveReason::Recompute)
      continue;
    // A collective anywhere in the callee makes the call one; any other
    // reason makes it an effectful callee.
    reason = opReason == SaveReason::Collective ? SaveReason::Collective
                                                : SaveReason::EffectfulCallee;
    break;
  }
  calleeMemo[callee.getOperation()] = reason;
  return reason;
}

SaveReason RecomputeSafety::classifyCall(CallOpInterface call) {
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
  return classifyCallee(callee);
}

SaveReason RecomputeSafety::classify(Operation *op) {
  // Collectives first, even where upstream declares them Pure
  // (`shard.all_reduce`, `mpi.comm_split`).
  if (!collectives.recompute) {
    bool collective = false;
    op->walk([&](Operation *nested) {
      collective = isCollective(nested, collectives);
      return collective ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (collective)
      return SaveReason::Collective;
  }
  // Calls get the callee rule: upstream's effect queries have no answer for
  // them (a call carries no effects of its own).
  bool hasCall = false;
  SaveReason reason = SaveReason::Recompute;
  op->walk([&](CallOpInterface call) {
    hasCall = true;
    reason = classifyCall(call);
    return reason == SaveReason::Recompute ? WalkResult::advance()
                                           : WalkResult::interrupt();
  });
  if (reason != SaveReason::Recompute)
    return reason;
  if (!hasCall)
    return classifyEffects(getEffectsRecursively(op));
  // Calls nested among other ops: the other ops one by one, each as far as
  // upstream answers for it without its nested ops.
  op->walk([&](Operation *nested) {
    if (isa<CallOpInterface>(nested) ||
        nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance(); // decided by the callee / nested ops
    reason = classifyEffects(getEffectsRecursively(nested));
    return reason == SaveReason::Recompute ? WalkResult::advance()
                                           : WalkResult::interrupt();
  });
  return reason;
}

bool mlir::ckpt::isContractionOp(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return linalg::isaContractionOpInterface(linalgOp) ||
           linalg::isaConvolutionOpInterface(linalgOp);
  if (!getByreComputeName(op))
    return false;
  FailureOr<LibraryKernel> kernel = matchLibraryKernel(op);
  if (failed(kernel))
    return false;
  switch (kernel->kind) {
  case LibraryKernelKind::Matmul:
  case LibraryKernelKind::Conv:
  case LibraryKernelKind::ConvBackwardData:
  case LibraryKernelKind::ConvBackwardFilter:
    return true;
  default:
    return false;
  }
}

std::string mlir::ckpt::getSaveEntry(Operation *op) {
  if (auto call = dyn_cast<CallOpInterface>(op))
    if (auto symbol = llvm::dyn_cast_if_present<SymbolRefAttr>(
            call.getCallableForCallee()))
      return ("@" + symbol.getRootReference().getValue()).str();
  return op->getName().getStringRef().str();
}

bool mlir::ckpt::matchesSaveEntry(Operation *op, StringRef entry) {
  if (entry.starts_with("@"))
    return getSaveEntry(op) == entry;
  return op->getName().getStringRef() == entry;
}
