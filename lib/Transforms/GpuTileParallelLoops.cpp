//===- GpuTileParallelLoops.cpp - thread blocks for data-parallel loops ---===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/DebugLog.h"
#include "llvm/Support/InterleavedRange.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTGPUTILEPARALLELLOOPS
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-gpu-tile-parallel-loops"

namespace {
/// The trip count of dimension `dim` of `loop` if its bounds and step are
/// constants.
std::optional<int64_t> getTripCount(scf::ParallelOp loop, unsigned dim) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[dim]);
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[dim]);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep()[dim]);
  if (!lb || !ub || !step || *step <= 0)
    return std::nullopt;
  return llvm::divideCeil(*ub - *lb, *step);
}

/// Tile sizes giving thread blocks of up to `blockSize` threads: the
/// innermost dimension (contiguous in row-major buffers, so neighbouring
/// threads touch neighbouring elements) takes as many as it has, up to
/// `blockSize`; outer dimensions take what is left, innermost first.
/// Unknown trip counts count as large.
SmallVector<int64_t> chooseTileSizes(scf::ParallelOp loop, int64_t blockSize) {
  unsigned rank = loop.getNumLoops();
  SmallVector<int64_t> sizes(rank, 1);
  int64_t left = blockSize;
  for (int dim = rank - 1; dim >= 0 && left > 1; --dim) {
    int64_t trips = getTripCount(loop, dim).value_or(blockSize);
    sizes[dim] = std::max<int64_t>(1, std::min(trips, left));
    left /= sizes[dim];
  }
  return sizes;
}

struct CkptGpuTileParallelLoopsPass
    : public ckpt::impl::CkptGpuTileParallelLoopsBase<
          CkptGpuTileParallelLoopsPass> {
  using Base::Base;
  /// Outermost parallel loops only: each becomes one kernel.
  SmallVector<scf::ParallelOp> collectOutermostLoops() {
    SmallVector<scf::ParallelOp> loops;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    return loops;
  }

  void runOnOperation() override {
    // A GPU has three grid and block dimensions: the leading dimensions of
    // a deeper loop (a convolution's batch and channels) are combined into
    // one (upstream collapseParallelLoops), so the two innermost stay
    // dimensions of their own.
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp loop : collectOutermostLoops()) {
      unsigned rank = loop.getNumLoops();
      if (rank <= 3)
        continue;
      std::vector<unsigned> leading;
      for (unsigned dim = 0; dim + 2 < rank; ++dim)
        leading.push_back(dim);
      SmallVector<std::vector<unsigned>> combined = {leading, {rank - 2},
                                                     {rank - 1}};
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, combined);
    }
    // Fold the collapsed bounds (products of constants) so that trip
    // counts are known below.
    foldConstants();
    SmallVector<scf::ParallelOp> loops = collectOutermostLoops();
    for (scf::ParallelOp loop : loops) {
      SmallVector<int64_t> sizes = chooseTileSizes(loop, blockSize);
      int64_t threads = 1;
      for (int64_t size : sizes)
        threads *= size;
      if (threads == 1)
        continue;
      LDBG() << "tile sizes " << llvm::interleaved(sizes);
      // Constant inner bounds with a guard inside (no min/max bounds): what
      // the mapping to gpu.launch needs.
      scf::tileParallelLoop(loop, sizes, /*noMinMaxBounds=*/true);
    }
    foldConstants();
  }

  /// Constant folding only (no patterns): launch sizes become constants.
  void foldConstants() {
    (void)applyPatternsGreedily(getOperation(), FrozenRewritePatternSet());
  }
};
} // namespace
