//===- LoopResults.h - loop results that own a buffer of their own -*- C++ -*-===//
//
// A loop over layers (`scf.for` yielding a freshly computed activation each
// iteration) bufferizes, with `allow-return-allocs-from-loops`, to a loop
// that yields a buffer it allocates. When the loop is known to run at least
// once, such a result is that allocation: it aliases no buffer defined
// before the loop, the init included. Ownership-based deallocation cannot
// assume so (the loop may run zero times and return its init), so it frees
// the init and the result only at the end of the block, behind run-time
// alias checks; `ckpt-loop-result-ownership` and
// `ckpt-shrink-buffer-lifetimes` use this fact to free both right after
// their last use.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TRANSFORMS_LOOPRESULTS_H
#define CKPT_TRANSFORMS_LOOPRESULTS_H

#include "mlir/IR/Value.h"

namespace mlir::ckpt {

/// True if `result` is a memref result of an `scf.for` whose static trip
/// count is at least 1 and whose body yields, for it, the result of a
/// `memref.alloc` nested in the loop, yielded nowhere else: the result is a
/// buffer the loop allocated, with no alias among the values defined before
/// the loop. False for anything else (including dynamic bounds).
bool isFreshLoopResult(Value result);

} // namespace mlir::ckpt

#endif // CKPT_TRANSFORMS_LOOPRESULTS_H
