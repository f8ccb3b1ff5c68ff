//===- ShrinkBufferLifetimes.cpp - alloc late, free early ------*- C++ -*-===//

#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/ProgramOrder.h"
#include "ckpt/Transforms/FreshResults.h"
#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTSHRINKBUFFERLIFETIMES
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-shrink-buffer-lifetimes"

namespace {
/// The last op of the block (by `order`) that uses `buffer` or a view of
/// it, other than `dealloc`; null if the uses cannot all be seen.
Operation *findLastUse(Value buffer, Operation *dealloc,
                       const ProgramOrder &order) {
  Operation *last = nullptr;
  bool unknown = false;
  forEachBufferUse(buffer, [&](OpOperand &use) {
    Operation *user = use.getOwner();
    if (user == dealloc || unknown)
      return;
    Operation *top = order.getTopLevelOp(user);
    // Used outside this block, or a result of unknown aliasing (the views
    // of the buffer, by the alias rule of the memory profile, are followed;
    // a loop's fresh result aliases none of its operands).
    if (!top || llvm::any_of(user->getResults(), [](OpResult result) {
          return isa<BaseMemRefType>(result.getType()) &&
                 !getAliasedOperand(result) && !isFreshResult(result);
        })) {
      unknown = true;
      return;
    }
    if (!last || order.getPosition(top) > order.getPosition(last))
      last = top;
  });
  return unknown ? nullptr : last;
}

struct CkptShrinkBufferLifetimesPass
    : public ckpt::impl::CkptShrinkBufferLifetimesBase<
          CkptShrinkBufferLifetimesPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks) {
      SmallVector<memref::DeallocOp> deallocs(
          block->getOps<memref::DeallocOp>());
      if (deallocs.empty() && block->getOps<memref::AllocOp>().empty())
        continue;
      // Positions before any move: moving deallocs keeps the order of the
      // other ops.
      ProgramOrder order(*block);
      // Allocations move down to their first use.
      // Collected first: moving an alloc down would make a live iteration
      // over the block meet it again.
      SmallVector<memref::AllocOp> allocs(block->getOps<memref::AllocOp>());
      for (memref::AllocOp alloc : allocs) {
        Operation *first = order.getFirstUser(alloc->getResults());
        if (first && order.getPosition(first) > order.getPosition(alloc))
          alloc->moveBefore(first);
      }
      for (memref::DeallocOp dealloc : deallocs) {
        Operation *last = findLastUse(dealloc.getMemref(), dealloc, order);
        if (last && order.getPosition(last) < order.getPosition(dealloc)) {
          LDBG() << "freeing after " << last->getName();
          dealloc->moveAfter(last);
        }
      }
    }
  }
};
} // namespace
