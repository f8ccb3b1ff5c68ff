//===- FreshResults.h - results that own a buffer of their own -*- C++ -*-===//
//
// A loop over layers (`scf.for` yielding a freshly computed activation each
// iteration) and a branch (`scf.if` whose branches each compute a new
// tensor) bufferize, with `allow-return-allocs-from-loops`, to ops that
// yield a buffer they allocate. When the loop is known to run at least
// once, or the `scf.if` has both branches, such a result is that
// allocation: it aliases no buffer defined before the op (a loop's init
// included). Ownership-based deallocation cannot assume so, so it frees
// such results (and the loop's init) only at the end of the block, behind
// run-time alias checks; `ckpt-fresh-result-ownership` and
// `ckpt-shrink-buffer-lifetimes` use this fact to free them right after
// their last use.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TRANSFORMS_FRESHRESULTS_H
#define CKPT_TRANSFORMS_FRESHRESULTS_H

#include "mlir/IR/Value.h"

namespace mlir::ckpt {

/// True if `result` is a memref result of an `scf.for` whose static trip
/// count is at least 1, or of an `scf.if` with an else branch, and each of
/// whose yields (the loop body's, both branches') gives, for it, the result
/// of a `memref.alloc` nested in the op, yielded nowhere else in that
/// yield: the result is a buffer the op allocated, with no alias among the
/// values defined before the op. False for anything else (a loop with
/// dynamic bounds, which may return its init; an `scf.if` without else).
bool isFreshResult(Value result);

} // namespace mlir::ckpt

#endif // CKPT_TRANSFORMS_FRESHRESULTS_H
