//===- RegionUtils.cpp - creating and inlining ckpt regions ----*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::ckpt;

llvm::DenseSet<StringAttr>
mlir::ckpt::getSplitFormBackwardFunctions(ModuleOp module) {
  llvm::DenseSet<StringAttr> names;
  for (auto func : module.getOps<func::FuncOp>())
    if (auto backward = func->getAttrOfType<FlatSymbolRefAttr>(
            CkptDialect::getBackwardAttrName()))
      names.insert(backward.getAttr());
  return names;
}

bool mlir::ckpt::isCheckpointedCall(func::CallOp call, SymbolTableCollection &symbols) {
  if (call->hasAttr(CkptDialect::getCheckpointAttrName()))
    return true;
  auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  return callee && callee->hasAttr(CkptDialect::getCheckpointAttrName());
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
  bool failed = false;
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
    failed = true;
  }
  if (failed)
    return failure();
  return boundaryCalls;
}

/// The function `call` inlines as a region, or an error if it cannot.
static FailureOr<func::FuncOp> getConvertibleCallee(func::CallOp call,
                                                    ArrayRef<StringAttr> chain,
                                                    SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(call, call.getCalleeAttr());
  if (!callee)
    return call.emitError() << "cannot checkpoint a call to "
                            << call.getCalleeAttr()
                            << ": no func.func of that name";
  if (!callee.isExternal() && !llvm::hasSingleElement(callee.getBody()))
    return call.emitError()
           << "cannot checkpoint a call to " << call.getCalleeAttr()
           << ": its body has more than one block";
  if (llvm::is_contained(chain, callee.getSymNameAttr()))
    return call.emitError() << "cannot checkpoint a recursive call to "
                            << call.getCalleeAttr();
  return callee;
}

FailureOr<CheckpointBoundaries> mlir::ckpt::checkCheckpointBoundaries(
    func::FuncOp func, function_ref<bool(Operation *)> isForward,
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

int64_t mlir::ckpt::convertCheckpointedCalls(
    func::FuncOp func, function_ref<bool(Operation *)> isForward,
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

    OpBuilder builder(call);
    auto region = CheckpointOp::create(
        builder, call.getLoc(), call.getResultTypes(), call.getOperands(),
        builder.getStringAttr(callee.getSymName()), /*save=*/nullptr);
    Block &block = region.getBody().emplaceBlock();
    if (callee.isExternal()) {
      // The body is unknown: the region holds the call itself, which is
      // recomputed only if `assume-pure` matches the callee.
      for (Value operand : call.getOperands())
        block.addArgument(operand.getType(), operand.getLoc());
      builder.setInsertionPointToStart(&block);
      Operation *inner = builder.clone(*call);
      inner->setOperands(block.getArguments());
      inner->removeAttr(CkptDialect::getCheckpointAttrName());
      YieldOp::create(builder, call.getLoc(), inner->getResults());
    } else {
      IRMapping mapping;
      block.erase();
      callee.getBody().cloneInto(&region.getBody(), mapping);
      auto ret = cast<func::ReturnOp>(region.getBodyBlock().getTerminator());
      builder.setInsertionPoint(ret);
      YieldOp::create(builder, ret.getLoc(), ret.getOperands());
      ret.erase();
    }
    call.replaceAllUsesWith(region.getResults());
    call.erase();

    if (callee.isExternal())
      continue;
    chain.push_back(callee.getSymNameAttr());
    for (auto nested : region.getBodyBlock().getOps<func::CallOp>())
      if (isCheckpointedCall(nested, symbols))
        calls.push_back({nested, chain});
  }
  return converted;
}

InlinedRegion mlir::ckpt::inlineRegion(CheckpointOp region) {
  InlinedRegion result;
  Block &body = region.getBodyBlock();
  result.inputs.assign(region.getInputs().begin(), region.getInputs().end());
  for (auto [arg, input] : llvm::zip_equal(body.getArguments(), result.inputs))
    arg.replaceAllUsesWith(input);
  for (Operation &op : body.without_terminator())
    result.bodyOps.push_back(&op);
  YieldOp yield = region.getYield();
  result.yielded.assign(yield.getOperands().begin(), yield.getOperands().end());
  region->replaceAllUsesWith(result.yielded);
  yield->erase();
  region->getBlock()->getOperations().splice(Block::iterator(region),
                                             body.getOperations());
  region->erase();
  return result;
}

CheckpointOp mlir::ckpt::wrapInRegion(ArrayRef<Operation *> ops,
                                      StringRef name) {
  assert(!ops.empty() && "a region needs ops");
  llvm::DenseSet<Operation *> inside(ops.begin(), ops.end());
  auto isInside = [&](Operation *op) {
    for (Operation *ancestor = op; ancestor;
         ancestor = ancestor->getParentOp())
      if (inside.contains(ancestor))
        return true;
    return false;
  };
  // Inputs: values the ops read that are defined outside them.
  llvm::SetVector<Value> inputs;
  for (Operation *op : ops) {
    for (Value value : getReadValues(op)) {
      Operation *def = value.getDefiningOp();
      if (!def || !inside.contains(def))
        inputs.insert(value);
    }
  }
  // Results: values the ops define that are used after them.
  SmallVector<Value> results;
  for (Operation *op : ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(),
                       [&](Operation *user) { return !isInside(user); }))
        results.push_back(result);

  OpBuilder builder(ops.front());
  auto region = CheckpointOp::create(
      builder, ops.front()->getLoc(), ValueRange(results).getTypes(),
      inputs.getArrayRef(),
      name.empty() ? StringAttr() : builder.getStringAttr(name),
      /*save=*/nullptr);
  Block &block = region.getBody().emplaceBlock();
  for (Value input : inputs) {
    BlockArgument arg = block.addArgument(input.getType(), input.getLoc());
    input.replaceUsesWithIf(arg, [&](OpOperand &use) {
      return isInside(use.getOwner());
    });
  }
  for (auto [result, replacement] :
       llvm::zip_equal(results, region.getResults()))
    result.replaceUsesWithIf(replacement, [&](OpOperand &use) {
      return use.getOwner() != region && !isInside(use.getOwner());
    });
  for (Operation *op : ops)
    op->moveBefore(&block, block.end());
  builder.setInsertionPointToEnd(&block);
  YieldOp::create(builder, region.getLoc(), results);
  return region;
}
