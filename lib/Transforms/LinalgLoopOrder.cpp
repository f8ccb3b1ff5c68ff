//===- LinalgLoopOrder.cpp - innermost loop with contiguous accesses ------===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/DebugLog.h"
#include "llvm/Support/InterleavedRange.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTLINALGLOOPORDER
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-linalg-loop-order"

namespace {
/// True if `expr` is `d<dim>` or a sum with a `d<dim>` term of
/// coefficient 1 (`d3 + d6`, `d3 * 2 + d6`): stepping `dim` by one moves by
/// one element.
bool isUnitStride(AffineExpr expr, unsigned dim) {
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return d.getPosition() == dim;
  auto add = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!add || add.getKind() != AffineExprKind::Add)
    return false;
  return isUnitStride(add.getLHS(), dim) || isUnitStride(add.getRHS(), dim);
}

/// Operands accessed with stride 1 along `dim` (it is in the last result
/// with coefficient 1) minus operands it strides through (it appears in an
/// earlier result).
int64_t contiguityScore(linalg::LinalgOp op, unsigned dim) {
  int64_t score = 0;
  for (AffineMap map : op.getIndexingMapsArray()) {
    if (map.getNumResults() == 0)
      continue;
    ArrayRef<AffineExpr> results = map.getResults();
    if (isUnitStride(results.back(), dim))
      ++score;
    for (AffineExpr expr : results.drop_back())
      if (expr.isFunctionOfDim(dim)) {
        --score;
        break;
      }
  }
  return score;
}

/// The permutation that moves the best parallel dimension innermost, or
/// empty when the current order is kept.
SmallVector<unsigned> chooseOrder(linalg::LinalgOp op) {
  unsigned rank = op.getNumLoops();
  if (rank < 2)
    return {};
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned innermost = rank - 1;
  int64_t best = contiguityScore(op, innermost);
  bool innermostParallel = iterators[innermost] == utils::IteratorType::parallel;
  std::optional<unsigned> choice;
  for (unsigned dim = 0; dim + 1 < rank; ++dim) {
    if (iterators[dim] != utils::IteratorType::parallel)
      continue;
    int64_t score = contiguityScore(op, dim);
    // A parallel innermost loop is kept unless another is strictly better;
    // a reduction innermost loop gives way to any parallel loop that
    // reaches at least one operand contiguously (LLVM vectorizes that loop
    // without reassociating a sum).
    bool better = innermostParallel ? score > best : score > 0 && score >= best;
    if (better && (!choice || score > contiguityScore(op, *choice)))
      choice = dim;
  }
  if (!choice)
    return {};
  SmallVector<unsigned> order;
  for (unsigned dim = 0; dim < rank; ++dim)
    if (dim != *choice)
      order.push_back(dim);
  order.push_back(*choice);
  return order;
}

struct CkptLinalgLoopOrderPass
    : public ckpt::impl::CkptLinalgLoopOrderBase<CkptLinalgLoopOrderPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::AggregatedOpInterface>(op.getOperation()))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<unsigned> order = chooseOrder(op);
      if (order.empty())
        continue;
      LDBG() << "loop order of " << op->getName() << ": "
             << llvm::interleaved(order);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      rewriter.setInsertionPoint(op);
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue; // no region builder: keep the named op's order
        generic = *generalized;
      }
      if (failed(linalg::interchangeGenericOp(rewriter, generic, order)))
        return signalPassFailure();
    }
  }
};
} // namespace
