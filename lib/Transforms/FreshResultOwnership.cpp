//===- FreshResultOwnership.cpp - a loop that runs owns what it yields ----===//

#include "ckpt/Transforms/FreshResults.h"
#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTFRESHRESULTOWNERSHIP
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-fresh-result-ownership"

/// The terminators that give `op`'s results: the body's of an `scf.for`
/// that runs at least once (static trip count), both branches' of an
/// `scf.if` with an else branch; empty for anything else.
static SmallVector<scf::YieldOp, 2> getResultYields(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (!trips || trips->isZero())
      return {};
    return {cast<scf::YieldOp>(loop.getBody()->getTerminator())};
  }
  if (auto branch = dyn_cast<scf::IfOp>(op)) {
    if (branch.getElseRegion().empty())
      return {};
    return {branch.thenYield(), branch.elseYield()};
  }
  return {};
}

bool mlir::ckpt::isFreshResult(Value value) {
  auto result = dyn_cast<OpResult>(value);
  if (!result || !isa<BaseMemRefType>(result.getType()))
    return false;
  Operation *op = result.getOwner();
  SmallVector<scf::YieldOp, 2> yields = getResultYields(op);
  return !yields.empty() && llvm::all_of(yields, [&](scf::YieldOp yield) {
    Value yielded = yield.getOperand(result.getResultNumber());
    auto alloc = yielded.getDefiningOp<memref::AllocOp>();
    return alloc && op->isProperAncestor(alloc) &&
           llvm::count(yield.getOperands(), yielded) == 1;
  });
}

namespace {
/// True if buffers `a` and `b` (both operands of one
/// `bufferization.dealloc`) are known to be different allocations: one is a
/// fresh result (`isFreshResult`) and the other is another fresh
/// result or is defined before that op; or one is a `memref.alloc`
/// and the other is a fresh result defined before it (live while the
/// alloc runs, so not the memory it returns); or both are results of
/// different `memref.alloc` ops (upstream's simplification splits those
/// too, but only before this pass has split out the fresh results).
bool isDisjoint(Value a, Value b, DominanceInfo &dominance) {
  if (a == b)
    return false;
  auto freshBefore = [&](Value fresh, Value other) {
    return isFreshResult(fresh) &&
           (isFreshResult(other) ||
            dominance.properlyDominates(other, fresh.getDefiningOp()));
  };
  auto allocAfter = [&](Value alloc, Value fresh) {
    return alloc.getDefiningOp<memref::AllocOp>() && isFreshResult(fresh) &&
           dominance.properlyDominates(fresh, alloc.getDefiningOp());
  };
  bool twoAllocs =
      a.getDefiningOp<memref::AllocOp>() && b.getDefiningOp<memref::AllocOp>();
  return twoAllocs || freshBefore(a, b) || freshBefore(b, a) ||
         allocAfter(a, b) || allocAfter(b, a);
}

/// The ownership indicator of the memref result `result` of `op` (an
/// `scf.for` or `scf.if`): ownership-based deallocation appends one `i1`
/// result per memref result, in order. Null unless that result exists and
/// every yield that gives it (each iteration, each branch) yields `true`.
Value getOwnershipResult(Operation *op, OpResult result) {
  unsigned memrefs = 0, index = 0;
  for (OpResult other : op->getResults())
    if (isa<BaseMemRefType>(other.getType())) {
      if (other == result)
        index = memrefs;
      ++memrefs;
    }
  unsigned first = op->getNumResults() - memrefs;
  if (first < memrefs)
    return {};
  OpResult ownership = op->getResult(first + index);
  SmallVector<scf::YieldOp, 2> yields = getResultYields(op);
  if (!ownership.getType().isInteger(1) || yields.empty() ||
      llvm::any_of(yields, [&](scf::YieldOp yield) {
        return !matchPattern(yield.getOperand(first + index), m_One());
      }))
    return {};
  return ownership;
}

/// True if no op of `loop` writes or frees the buffer of `init`'s
/// iter_arg or `source` (or a view of either), except the frees of the
/// iter_arg under its own ownership flag (false on the first iteration).
bool isReadOnlyInLoop(scf::ForOp loop, OpOperand &init, Value source,
                      Value ownershipArg) {
  llvm::SmallDenseSet<Value, 8> buffers = {loop.getTiedLoopRegionIterArg(&init),
                                           source};
  WalkResult walk = loop.getBody()->walk([&](Operation *op) {
    if (llvm::none_of(op->getOperands(),
                      [&](Value v) { return buffers.contains(v); }))
      return WalkResult::advance();
    if (isa<ViewLikeOpInterface, memref::ExtractStridedMetadataOp>(op)) {
      for (Value result : op->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          buffers.insert(result);
      return WalkResult::advance();
    }
    if (auto dealloc = dyn_cast<bufferization::DeallocOp>(op)) {
      for (auto [memref, condition] :
           llvm::zip(dealloc.getMemrefs(), dealloc.getConditions()))
        if (buffers.contains(memref) && condition != ownershipArg)
          return WalkResult::interrupt();
      return llvm::any_of(dealloc.getRetained(),
                          [&](Value v) { return buffers.contains(v); })
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    }
    // An op with regions and recursive effects (scf.if): its nested ops
    // are walked too.
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects)
      return op->hasTrait<OpTrait::HasRecursiveMemoryEffects>()
                 ? WalkResult::advance()
                 : WalkResult::interrupt();
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write, MemoryEffects::Free>(effect.getEffect()))
        continue;
      Value value = effect.getValue();
      if (!value || buffers.contains(value))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return !walk.wasInterrupted();
}

/// 5. The copy One-Shot Bufferize makes of a loop init read after the loop
/// (`alloc; memref.copy %source, %alloc`, the loop's init, freed alone) is
/// not needed when the loop's result is fresh, the first iteration does
/// not own the init, and the loop writes neither: the loop reads
/// `%source` itself.
void forwardInitCopies(Operation *root) {
  SmallVector<std::pair<scf::ForOp, unsigned>> candidates;
  root->walk([&](scf::ForOp loop) {
    for (OpResult result : loop->getResults())
      if (isFreshResult(result))
        candidates.push_back({loop, result.getResultNumber()});
  });
  for (auto [loop, index] : candidates) {
    OpOperand &init = loop.getInitArgsMutable()[index];
    auto alloc = init.get().getDefiningOp<memref::AllocOp>();
    Value ownership = getOwnershipResult(loop, loop->getResult(index));
    if (!alloc || !ownership)
      continue;
    unsigned ownershipIndex = cast<OpResult>(ownership).getResultNumber();
    if (!matchPattern(loop.getInitArgs()[ownershipIndex], m_Zero()))
      continue;
    memref::CopyOp copy;
    SmallVector<bufferization::DeallocOp> frees;
    bool other = false;
    for (OpOperand &use : alloc->getUses()) {
      Operation *user = use.getOwner();
      auto asCopy = dyn_cast<memref::CopyOp>(user);
      auto asFree = dyn_cast<bufferization::DeallocOp>(user);
      if (asCopy && asCopy.getTarget() == alloc && !copy &&
          asCopy->getBlock() == loop->getBlock() &&
          asCopy->isBeforeInBlock(loop))
        copy = asCopy;
      else if (asFree && asFree.getMemrefs().size() == 1 &&
               asFree.getRetained().empty())
        frees.push_back(asFree);
      else if (&use != &init)
        other = true;
    }
    if (!copy || other || copy.getSource().getType() != alloc.getType())
      continue;
    Value source = copy.getSource();
    // Nothing between the copy and the loop may write the source.
    bool written = false;
    for (Operation *op = copy->getNextNode(); op != loop; op = op->getNextNode())
      if (!isMemoryEffectFree(op))
        written = true;
    if (written || !isReadOnlyInLoop(loop, init, source,
                                     loop.getRegionIterArgs()[ownershipIndex]))
      continue;
    init.set(source);
    for (bufferization::DeallocOp free : frees)
      free->erase();
    copy->erase();
    alloc->erase();
    LDBG() << "loop init read from its source, copy removed";
  }
}

struct CkptFreshResultOwnershipPass
    : public ckpt::impl::CkptFreshResultOwnershipBase<
          CkptFreshResultOwnershipPass> {
  void runOnOperation() override {
    OpBuilder builder(&getContext());
    // 1. The ownership of a fresh result is `true` after its op.
    getOperation()->walk([&](Operation *loop) {
      if (!isa<scf::ForOp, scf::IfOp>(loop))
        return;
      for (OpResult result : loop->getResults()) {
        if (!isFreshResult(result))
          continue;
        Value ownership = getOwnershipResult(loop, result);
        if (!ownership || ownership.use_empty())
          continue;
        builder.setInsertionPointAfter(loop);
        Value owned = arith::ConstantIntOp::create(builder, loop->getLoc(),
                                                   /*value=*/1, /*width=*/1);
        ownership.replaceAllUsesWith(owned);
        LDBG() << "result #" << result.getResultNumber()
               << " of " << loop->getName() << " is owned";
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
            !isFreshResult(metadata.getSource()))
          continue;
        auto type = dyn_cast<MemRefType>(metadata.getSource().getType());
        if (type && type.getLayout().isIdentity())
          memref.set(metadata.getSource());
      }
      // 3. A retained value disjoint from every memref of the dealloc
      // (`isDisjoint`) is not owned through it.
      SmallVector<Value> retained;
      SmallVector<unsigned> kept, dropped;
      for (auto [i, value] : llvm::enumerate(dealloc.getRetained())) {
        bool disjoint =
            llvm::all_of(dealloc.getMemrefs(), [&, value = value](Value memref) {
              return isDisjoint(memref, value, dominance);
            });
        (disjoint ? dropped : kept).push_back(i);
        if (!disjoint)
          retained.push_back(value);
      }
      // 4. A memref disjoint from every other memref and retained value of
      // the dealloc is freed on its own (no run-time alias check).
      SmallVector<Value> memrefs, conditions, alone, aloneConditions;
      for (auto [memref, condition] :
           llvm::zip(dealloc.getMemrefs(), dealloc.getConditions())) {
        auto disjointFrom = [&, memref = memref](Value other) {
          return other == memref || isDisjoint(memref, other, dominance);
        };
        bool single = llvm::all_of(dealloc.getMemrefs(), disjointFrom) &&
                      llvm::all_of(retained, [&, memref = memref](Value r) {
                        return isDisjoint(memref, r, dominance);
                      });
        // A lone memref without retained values is freed alone already.
        if (single && (dealloc.getMemrefs().size() > 1 || !retained.empty())) {
          alone.push_back(memref);
          aloneConditions.push_back(condition);
        } else {
          memrefs.push_back(memref);
          conditions.push_back(condition);
        }
      }
      if (dropped.empty() && alone.empty())
        continue;
      builder.setInsertionPoint(dealloc);
      for (auto [memref, condition] : llvm::zip(alone, aloneConditions))
        bufferization::DeallocOp::create(builder, dealloc.getLoc(), memref,
                                         condition, ValueRange());
      auto replacement = bufferization::DeallocOp::create(
          builder, dealloc.getLoc(), memrefs, conditions, retained);
      Value notOwned = arith::ConstantIntOp::create(
          builder, dealloc.getLoc(), /*value=*/0, /*width=*/1);
      for (auto [i, index] : llvm::enumerate(kept))
        dealloc.getUpdatedConditions()[index].replaceAllUsesWith(
            replacement.getUpdatedConditions()[i]);
      for (unsigned index : dropped)
        dealloc.getUpdatedConditions()[index].replaceAllUsesWith(notOwned);
      LDBG() << "dropped " << dropped.size() << " retained loop results, "
             << alone.size() << " memrefs freed alone";
      dealloc->erase();
    }
    forwardInitCopies(getOperation());
  }
};
} // namespace
