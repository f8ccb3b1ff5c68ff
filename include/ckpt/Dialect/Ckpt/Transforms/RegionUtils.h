//===- RegionUtils.h - creating and inlining ckpt regions --------*- C++
//-*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::ckpt {

/// True if `call` is a checkpoint boundary: it carries the unit attribute
/// `ckpt.checkpoint`, or its callee does.
bool isCheckpointedCall(func::CallOp call, SymbolTableCollection &symbols);

/// The checkpoint annotations under an op, found in one walk.
struct CheckpointAnnotations {
  /// Checkpointed calls (`isCheckpointedCall`), in walk order (post-order).
  SmallVector<func::CallOp> calls;
  /// Ops that carry `ckpt.checkpoint` themselves, the walked op excluded.
  int64_t numAnnotatedOps = 0;
  /// `ckpt.checkpoint` region ops, the walked op included if it is one.
  int64_t numRegions = 0;
  /// True if there is a checkpoint boundary: a region or a checkpointed call.
  bool hasBoundary() const { return numRegions != 0 || !calls.empty(); }
};

/// Collects the annotations nested in `root` in one walk, and appends to
/// `misplacedRegions`, if given, every region op whose parent is neither a
/// function nor another region (rationale §3.6 supports only those two).
CheckpointAnnotations collectCheckpointAnnotations(
    Operation *root, SymbolTableCollection &symbols,
    SmallVectorImpl<CheckpointOp> *misplacedRegions = nullptr);

/// What `checkCheckpointBoundaries` found in a function.
struct CheckpointBoundaries {
  /// Calls `convertCheckpointedCalls` will turn into regions, callees'
  /// checkpointed calls included.
  int64_t numCallsToConvert = 0;
  /// Ops nested in the function that carry `ckpt.checkpoint` themselves.
  int64_t numAnnotatedOps = 0;
};

/// Checks, without changing anything, that `convertCheckpointedCalls` can
/// convert the checkpointed calls of `func`'s forward part (`isForward`,
/// asked of top-level ops and of regions): each at the top level of the
/// function or directly in a region (an error at every misplaced one), to
/// an existing single-block function (or an external one) and not
/// recursive, following the chain of checkpointed calls through the callees
/// as the conversion will (an error at the first call whose chain fails).
/// Collects the annotations of `func` first (one walk).
FailureOr<CheckpointBoundaries>
checkCheckpointBoundaries(func::FuncOp func,
                          function_ref<bool(Operation *)> isForward,
                          SymbolTableCollection &symbols);
/// As above, on the `annotations` of `func` that
/// `collectCheckpointAnnotations` found (no walk of its own; `func` must not
/// have changed since).
FailureOr<CheckpointBoundaries> checkCheckpointBoundaries(
    func::FuncOp func, const CheckpointAnnotations &annotations,
    function_ref<bool(Operation *)> isForward, SymbolTableCollection &symbols);

/// Turns the checkpointed calls of `func`'s forward part (`isForward`) into
/// region ops named after the callee, the callee's body inlined into the
/// region through MLIR's inliner interfaces (`inlineCall`; a callee whose
/// ops have no inliner interface, e.g. `mpi`, is cloned in), or for an
/// external callee the call itself. Returns how many calls it converted.
/// `checkCheckpointBoundaries` must have succeeded on `func`.
///
///   %y = func.call @layer(%x) {ckpt.checkpoint} : (tensor<4xf32>) ->
///   tensor<4xf32>
/// becomes
///   %y = ckpt.checkpoint "layer" (%a = %x : tensor<4xf32>) -> (tensor<4xf32>)
///   {
///     <body of @layer on %a>
///     ckpt.yield %r : tensor<4xf32>
///   }
int64_t convertCheckpointedCalls(RewriterBase &rewriter, func::FuncOp func,
                                 function_ref<bool(Operation *)> isForward,
                                 SymbolTableCollection &symbols);

/// What inlining a region left in its place.
struct InlinedRegion {
  /// The region's inputs, and its body ops (terminator excluded), in order.
  SmallVector<Value> inputs;
  SmallVector<Operation *> bodyOps;
  /// The values that replaced the region's results (what it yielded).
  SmallVector<Value> yielded;
};

/// Inlines `region`'s body in place of it (`RewriterBase::inlineBlockBefore`:
/// block arguments replaced by the inputs, results by the yielded values)
/// and erases the region op.
InlinedRegion inlineRegion(RewriterBase &rewriter, CheckpointOp region);

/// Wraps `ops` (consecutive ops of one block, in order) into a
/// `ckpt.checkpoint` named `name` (no name if empty): its results are the
/// values the ops define that are used after them, its inputs the values
/// they read from outside them (captured with `makeRegionIsolatedFromAbove`,
/// in the order it finds them). Returns the new region op.
CheckpointOp wrapInRegion(RewriterBase &rewriter, ArrayRef<Operation *> ops,
                          StringRef name);

/// Erases the ops of `worklist` that are dead, and then those that become
/// dead, among the ops `mayErase` accepts: an op whose results are unused and
/// that has no effects besides allocation (`isOpTriviallyDead`), and a
/// `ckpt.barrier` whose results are all unused; a barrier with some unused
/// results is replaced by one without them. `notify(op, replacement)` is
/// called before `op` goes (`replacement`: the smaller barrier, or null).
void eraseDeadOps(
    RewriterBase &rewriter, ArrayRef<Operation *> worklist,
    function_ref<bool(Operation *)> mayErase,
    function_ref<void(Operation *, Operation *)> notify = nullptr);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H
