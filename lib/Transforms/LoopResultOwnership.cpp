//===- LoopResultOwnership.cpp - a loop that runs owns what it yields ----===//

#include "ckpt/Transforms/LoopResults.h"
#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTLOOPRESULTOWNERSHIP
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-loop-result-ownership"

bool mlir::ckpt::isFreshLoopResult(Value value) {
  auto result = dyn_cast<OpResult>(value);
  if (!result || !isa<BaseMemRefType>(result.getType()))
    return false;
  auto loop = dyn_cast<scf::ForOp>(result.getOwner());
  if (!loop)
    return false;
  std::optional<APInt> trips = loop.getStaticTripCount();
  if (!trips || trips->isZero())
    return false;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  Value yielded = yield.getOperand(result.getResultNumber());
  auto alloc = yielded.getDefiningOp<memref::AllocOp>();
  return alloc && loop->isProperAncestor(alloc) &&
         llvm::count(yield.getOperands(), yielded) == 1;
}

namespace {
/// The ownership indicator of the memref result `result` of `loop`: ownership-
/// based deallocation appends one `i1` iter_arg per memref iter_arg, in
/// order. Null unless that result exists and every iteration yields `true`.
Value getOwnershipResult(scf::ForOp loop, OpResult result) {
  unsigned memrefs = 0, index = 0;
  for (OpResult other : loop->getResults())
    if (isa<BaseMemRefType>(other.getType())) {
      if (other == result)
        index = memrefs;
      ++memrefs;
    }
  unsigned first = loop->getNumResults() - memrefs;
  if (first < memrefs)
    return {};
  OpResult ownership = loop->getResult(first + index);
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  if (!ownership.getType().isInteger(1) ||
      !matchPattern(yield.getOperand(first + index), m_One()))
    return {};
  return ownership;
}

struct CkptLoopResultOwnershipPass
    : public ckpt::impl::CkptLoopResultOwnershipBase<
          CkptLoopResultOwnershipPass> {
  void runOnOperation() override {
    OpBuilder builder(&getContext());
    // 1. The ownership of a fresh result is `true` after the loop.
    getOperation()->walk([&](scf::ForOp loop) {
      for (OpResult result : loop->getResults()) {
        if (!isFreshLoopResult(result))
          continue;
        Value ownership = getOwnershipResult(loop, result);
        if (!ownership || ownership.use_empty())
          continue;
        builder.setInsertionPointAfter(loop);
        Value owned = arith::ConstantIntOp::create(builder, loop.getLoc(),
                                                   /*value=*/1, /*width=*/1);
        ownership.replaceAllUsesWith(owned);
        LDBG() << "result #" << result.getResultNumber()
               << " of a loop is owned";
      }
    });
    DominanceInfo dominance(getOperation());
    SmallVector<bufferization::DeallocOp> deallocs;
    getOperation()->walk(
        [&](bufferization::DeallocOp dealloc) { deallocs.push_back(dealloc); });
    for (bufferization::DeallocOp dealloc : deallocs) {
      // 2. The base buffer of a fresh identity-layout result is the result.
      for (OpOperand &memref : dealloc.getMemrefsMutable()) {
        auto metadata =
            memref.get().getDefiningOp<memref::ExtractStridedMetadataOp>();
        if (!metadata || memref.get() != metadata.getBaseBuffer() ||
            !isFreshLoopResult(metadata.getSource()))
          continue;
        auto type = dyn_cast<MemRefType>(metadata.getSource().getType());
        if (type && type.getLayout().isIdentity())
          memref.set(metadata.getSource());
      }
      // 3. A fresh result aliases no memref defined before its loop.
      SmallVector<Value> retained;
      SmallVector<unsigned> kept, dropped;
      for (auto [i, value] : llvm::enumerate(dealloc.getRetained())) {
        bool disjoint =
            isFreshLoopResult(value) &&
            llvm::all_of(dealloc.getMemrefs(), [&](Value memref) {
              return dominance.properlyDominates(memref,
                                                 value.getDefiningOp());
            });
        (disjoint ? dropped : kept).push_back(i);
        if (!disjoint)
          retained.push_back(value);
      }
      if (dropped.empty())
        continue;
      builder.setInsertionPoint(dealloc);
      auto replacement = bufferization::DeallocOp::create(
          builder, dealloc.getLoc(), dealloc.getMemrefs(),
          dealloc.getConditions(), retained);
      Value notOwned = arith::ConstantIntOp::create(
          builder, dealloc.getLoc(), /*value=*/0, /*width=*/1);
      for (auto [i, index] : llvm::enumerate(kept))
        dealloc.getUpdatedConditions()[index].replaceAllUsesWith(
            replacement.getUpdatedConditions()[i]);
      for (unsigned index : dropped)
        dealloc.getUpdatedConditions()[index].replaceAllUsesWith(notOwned);
      LDBG() << "dropped " << dropped.size() << " retained loop results";
      dealloc->erase();
    }
  }
};
} // namespace
