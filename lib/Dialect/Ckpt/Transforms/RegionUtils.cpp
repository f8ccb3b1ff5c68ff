//===- RegionUtils.cpp - creating and inlining ckpt regions ----*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "ckpt/Analysis/CallInlining.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// Finding and checking annotations
//===----------------------------------------------------------------------===//

bool mlir::ckpt::isCheckpointedCall(func::CallOp call,
                                    SymbolTableCollection &symbols) {
  if (hasCheckpointAttr(call))
    return true;
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(call, call.getCalleeAttr());
  return callee && hasCheckpointAttr(callee);
}

namespace {
/// A checkpointed call to convert, and the callees already being inlined
/// around it (to refuse recursion).
using PendingCall = std::pair<func::CallOp, SmallVector<StringAttr>>;
} // namespace

CheckpointAnnotations mlir::ckpt::collectCheckpointAnnotations(
    Operation *root, SymbolTableCollection &symbols,
    SmallVectorImpl<CheckpointOp> *misplacedRegions) {
  CheckpointAnnotations found;
  auto attrName =
      StringAttr::get(root->getContext(), CkptDialect::getCheckpointAttrName());
  root->walk([&](Operation *op) {
    if (op != root && op->getDiscardableAttr(attrName))
      ++found.numAnnotatedOps;
    if (auto region = dyn_cast<CheckpointOp>(op)) {
      ++found.numRegions;
      if (misplacedRegions &&
          !isa<func::FuncOp, CheckpointOp>(region->getParentOp()))
        misplacedRegions->push_back(region);
    } else if (auto call = dyn_cast<func::CallOp>(op)) {
      if (isCheckpointedCall(call, symbols))
        found.calls.push_back(call);
    }
  });
  return found;
}

/// The checkpointed calls `convertCheckpointedCalls` starts from, among the
/// checkpointed `calls` nested in `func`: those at the top level of `func`
/// that are in its forward part (`isForward`), and those directly in a
/// region of the forward part. Fails with an error on a checkpointed call of
/// the forward part nested anywhere else (it is not a boundary, and the
/// annotation is not silently ignored).
static FailureOr<SmallVector<PendingCall>>
getBoundaryCalls(func::FuncOp func, ArrayRef<func::CallOp> calls,
                 function_ref<bool(Operation *)> isForward) {
  // The function being rewritten is part of every chain: inlining it into
  // itself is recursion too.
  SmallVector<StringAttr> root = {func.getSymNameAttr()};
  SmallVector<PendingCall> boundaryCalls;
  bool failedAny = false;
  for (func::CallOp call : calls) {
    Operation *parent = call->getParentOp();
    if (parent == func.getOperation() || isa<CheckpointOp>(parent)) {
      if (isForward(parent == func.getOperation() ? call : parent))
        boundaryCalls.push_back({call, root});
      continue;
    }
    if (!isForward(call))
      continue;
    call.emitError() << "checkpointed call nested in '" << parent->getName()
                     << "' is not supported: checkpointed calls must be at "
                        "the top level of the function or of a region";
    failedAny = true;
  }
  if (failedAny)
    return failure();
  return boundaryCalls;
}

/// The function `call` inlines as a region, or an error if it cannot.
static FailureOr<func::FuncOp>
getConvertibleCallee(func::CallOp call, ArrayRef<StringAttr> chain,
                     SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(call, call.getCalleeAttr());
  if (!callee)
    return call.emitError()
           << "cannot checkpoint a call to " << call.getCalleeAttr()
           << ": no func.func of that name";
  if (!callee.isExternal() && !llvm::hasSingleElement(callee.getBody()))
    return call.emitError()
           << "cannot checkpoint a call to " << call.getCalleeAttr()
           << ": its body has more than one block";
  if (llvm::is_contained(chain, callee.getSymNameAttr()))
    return call.emitError()
           << "cannot checkpoint a recursive call to " << call.getCalleeAttr();
  return callee;
}

FailureOr<CheckpointBoundaries>
mlir::ckpt::checkCheckpointBoundaries(func::FuncOp func,
                                      function_ref<bool(Operation *)> isForward,
                                      SymbolTableCollection &symbols) {
  return checkCheckpointBoundaries(
      func, collectCheckpointAnnotations(func, symbols), isForward, symbols);
}

FailureOr<CheckpointBoundaries> mlir::ckpt::checkCheckpointBoundaries(
    func::FuncOp func, const CheckpointAnnotations &annotations,
    function_ref<bool(Operation *)> isForward, SymbolTableCollection &symbols) {
  CheckpointBoundaries found;
  found.numAnnotatedOps = annotations.numAnnotatedOps;
  FailureOr<SmallVector<PendingCall>> boundaryCalls =
      getBoundaryCalls(func, annotations.calls, isForward);
  if (failed(boundaryCalls))
    return failure();
  // The conversion inlines callee bodies and then converts the checkpointed
  // calls at their top level: follow the same chains through the callees.
  SmallVector<PendingCall> &calls = *boundaryCalls;
  while (!calls.empty()) {
    auto [call, chain] = calls.pop_back_val();
    FailureOr<func::FuncOp> callee = getConvertibleCallee(call, chain, symbols);
    if (failed(callee))
      return failure();
    ++found.numCallsToConvert;
    if (callee->isExternal())
      continue;
    chain.push_back(callee->getSymNameAttr());
    for (auto nested : callee->getBody().front().getOps<func::CallOp>())
      if (isCheckpointedCall(nested, symbols))
        calls.push_back({nested, chain});
  }
  return found;
}

//===----------------------------------------------------------------------===//
// Checkpointed calls to regions
//===----------------------------------------------------------------------===//

int64_t
mlir::ckpt::convertCheckpointedCalls(RewriterBase &rewriter, func::FuncOp func,
                                     function_ref<bool(Operation *)> isForward,
                                     SymbolTableCollection &symbols) {
  FailureOr<SmallVector<PendingCall>> boundaryCalls = getBoundaryCalls(
      func, collectCheckpointAnnotations(func, symbols).calls, isForward);
  assert(succeeded(boundaryCalls) && "checkCheckpointBoundaries succeeded");
  SmallVector<PendingCall> &calls = *boundaryCalls;
  int64_t converted = 0;
  while (!calls.empty()) {
    auto [call, chain] = calls.pop_back_val();
    FailureOr<func::FuncOp> convertible =
        getConvertibleCallee(call, chain, symbols);
    assert(succeeded(convertible) && "checkCheckpointBoundaries succeeded");
    func::FuncOp callee = *convertible;
    ++converted;

    // The region holds a copy of the call on its block arguments, which the
    // callee's body then replaces (an external callee's body is unknown: the
    // region holds the call itself, recomputed only if `assume-pure`
    // matches it).
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(call);
    auto region = CheckpointOp::create(
        rewriter, call.getLoc(), call.getResultTypes(), call.getOperands(),
        rewriter.getStringAttr(callee.getSymName()), /*save=*/nullptr);
    SmallVector<Location> locs(call.getNumOperands(), call.getLoc());
    Block *block = rewriter.createBlock(&region.getBody(), {},
                                        call.getOperandTypes(), locs);
    IRMapping mapping;
    mapping.map(call.getOperands(), block->getArguments());
    auto inner = cast<func::CallOp>(rewriter.clone(*call, mapping));
    inner->removeAttr(CkptDialect::getCheckpointAttrName());
    YieldOp::create(rewriter, call.getLoc(), inner.getResults());
    rewriter.replaceOp(call, region.getResults());
    if (callee.isExternal())
      continue;
    LogicalResult result = inlineCallee(rewriter, inner, callee);
    assert(succeeded(result) && "getConvertibleCallee: a single-block body");
    (void)result;

    chain.push_back(callee.getSymNameAttr());
    for (auto nested : region.getBodyBlock().getOps<func::CallOp>())
      if (isCheckpointedCall(nested, symbols))
        calls.push_back({nested, chain});
  }
  return converted;
}

//===----------------------------------------------------------------------===//
// Inlining and creating regions
//===----------------------------------------------------------------------===//

InlinedRegion mlir::ckpt::inlineRegion(RewriterBase &rewriter,
                                       CheckpointOp region) {
  InlinedRegion result;
  Block &body = region.getBodyBlock();
  result.inputs.assign(region.getInputs().begin(), region.getInputs().end());
  for (Operation &op : body.without_terminator())
    result.bodyOps.push_back(&op);
  YieldOp yield = region.getYield();
  // A yielded block argument is the matching input once the block is
  // inlined (the block and its arguments are erased).
  for (Value value : yield.getOperands()) {
    auto arg = dyn_cast<BlockArgument>(value);
    result.yielded.push_back(arg && arg.getOwner() == &body
                                 ? result.inputs[arg.getArgNumber()]
                                 : value);
  }
  rewriter.eraseOp(yield);
  rewriter.inlineBlockBefore(&body, region, result.inputs);
  rewriter.replaceOp(region, result.yielded);
  return result;
}

CheckpointOp mlir::ckpt::wrapInRegion(RewriterBase &rewriter,
                                      ArrayRef<Operation *> ops,
                                      StringRef name) {
  assert(!ops.empty() && "a region needs ops");
  llvm::DenseSet<Operation *> inside(ops.begin(), ops.end());
  auto isInside = [&](Operation *op) {
    for (Operation *ancestor = op; ancestor; ancestor = ancestor->getParentOp())
      if (inside.contains(ancestor))
        return true;
    return false;
  };
  // Results: values the ops define that are used after them.
  SmallVector<Value> results;
  for (Operation *op : ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(),
                       [&](Operation *user) { return !isInside(user); }))
        results.push_back(result);

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(ops.front());
  auto region = CheckpointOp::create(
      rewriter, ops.front()->getLoc(), ValueRange(results).getTypes(),
      ValueRange(), name.empty() ? StringAttr() : rewriter.getStringAttr(name),
      /*save=*/nullptr);
  Block *block = rewriter.createBlock(&region.getBody());
  for (Operation *op : ops)
    rewriter.moveOpBefore(op, block, block->end());
  for (auto [result, replacement] :
       llvm::zip_equal(results, region.getResults()))
    rewriter.replaceUsesWithIf(result, replacement, [&](OpOperand &use) {
      return !isInside(use.getOwner());
    });
  rewriter.setInsertionPointToEnd(block);
  YieldOp::create(rewriter, region.getLoc(), results);
  // Inputs: the values the body reads from above, as block arguments.
  SmallVector<Value> inputs =
      makeRegionIsolatedFromAbove(rewriter, region.getBody());
  // Upstream rewrites only the uses in the body's own blocks; a value read
  // inside a nested region (a tensor.pad yielding a constant defined before
  // the region) must take the block argument too.
  Region &body = region.getBody();
  for (auto [input, argument] :
       llvm::zip_equal(inputs, body.front().getArguments()))
    rewriter.replaceUsesWithIf(input, argument, [&](OpOperand &use) {
      return body.isAncestor(use.getOwner()->getParentRegion());
    });
  rewriter.modifyOpInPlace(region, [&] { region->setOperands(inputs); });
  return region;
}

//===----------------------------------------------------------------------===//
// Dead code
//===----------------------------------------------------------------------===//

void mlir::ckpt::eraseDeadOps(
    RewriterBase &rewriter, ArrayRef<Operation *> initial,
    function_ref<bool(Operation *)> mayErase,
    function_ref<void(Operation *, Operation *)> notify) {
  SmallVector<Operation *> worklist(initial.begin(), initial.end());
  llvm::DenseSet<Operation *> erased;
  auto revisitOperands = [&](Operation *op) {
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
  };
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !mayErase(op))
      continue;
    if (auto barrier = dyn_cast<BarrierOp>(op)) {
      if (llvm::all_of(barrier.getResults(),
                       [](Value v) { return !v.use_empty(); }))
        continue;
      // Keep only the inputs some user still reads.
      SmallVector<Value> inputs, results;
      for (auto [input, result] :
           llvm::zip_equal(barrier.getInputs(), barrier.getResults()))
        if (!result.use_empty()) {
          inputs.push_back(input);
          results.push_back(result);
        }
      revisitOperands(barrier);
      BarrierOp shrunk;
      if (!inputs.empty()) {
        rewriter.setInsertionPoint(barrier);
        shrunk = BarrierOp::create(rewriter, barrier.getLoc(), inputs,
                                   barrier.getOrder());
        for (auto [oldResult, newResult] :
             llvm::zip_equal(results, shrunk.getResults()))
          rewriter.replaceAllUsesWith(oldResult, newResult);
      }
      if (notify)
        notify(barrier, shrunk);
      erased.insert(barrier);
      rewriter.eraseOp(barrier);
      continue;
    }
    if (!isOpTriviallyDead(op))
      continue;
    revisitOperands(op);
    if (notify)
      notify(op, nullptr);
    erased.insert(op);
    rewriter.eraseOp(op);
  }
}
